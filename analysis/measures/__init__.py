"""Every measure, registered once, and the one loop that runs them.

:data:`MEASURES` lists the measures in the order they map (a later one sees the sentence
columns an earlier one added: tone's scores, voices' speakers). :func:`map_partition` and
:func:`reduce_partials` are the loops every engine uses (:mod:`analysis.engine` on
partitions, on every core or on Dask); :func:`measure` runs them on one in-memory
partition, which is how a notebook computes a measure::

    tables = pipeline.prepare(corpus)
    tables = measures.measure(tables, "tone")            # with the default settings
    tables = measures.measure(tables, "frames", frames=FrameSettings(level=1))

Adding a measure:

1. write ``analysis/measures/NAME.py``: its settings dataclass (fields made with
   :func:`analysis.settings.setting`) and an object following
   :class:`~analysis.measures.base.Measure` (:class:`~analysis.measures.base.MeasureBase`
   gives the usual defaults); per-article tables keep ``article_id`` and ``outlet`` as the
   ``articles`` table types them;
2. add the object to :data:`MEASURES` and the settings to :class:`Settings` under the name
   of its study-file section: the section, its checks and the command-line flags follow,
   and the manifest records the settings (``parameters.settings``);
3. register its tables in :mod:`analysis.registry`, ``made_by`` the object's ``name`` (added
   to :data:`analysis.registry.MADE_BY`); ``tests/test_registry.py`` prints the rows to add
   to docs/methods.md's table list;
4. write the section into ``config/seed-study.yml`` (every key, with its comment: a test
   checks it) and the measure into docs/methods.md.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import pandas as pd

from analysis import registry
from analysis.measures import frames, learned, timeline, tone, topics, voices
from analysis.measures.base import Context, Measure, Partials, Partition, SpilledTable, Tables
from analysis.measures.frames import DEFAULT_DICTIONARY, SEED_DICTIONARY, Frames, FrameSettings
from analysis.measures.groups import Groups
from analysis.measures.learned import Learned, LearnedSettings
from analysis.measures.stories import Stories, StorySettings
from analysis.measures.timeline import Timeline, TimelineSettings
from analysis.measures.tone import Tone, ToneSettings
from analysis.measures.topics import Topics, TopicSettings
from analysis.measures.voices import GENERIC_SPEAKERS, Voices, VoiceSettings
from analysis.measures.words import Words, WordSettings
from analysis.settings import Compare, Resampling

MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Tone(),
        Frames(),
        Words(),
        Voices(),
        Groups(),
        Learned(),
        Topics(),
        Stories(),
        Timeline(),
    )
}
"""Every measure by name, in map order."""

__all__ = [
    "DEFAULT_DICTIONARY",
    "GENERIC_SPEAKERS",
    "MEASURES",
    "SEED_DICTIONARY",
    "Compare",
    "Context",
    "FrameSettings",
    "LearnedSettings",
    "MemorySink",
    "Partials",
    "Partition",
    "Resampling",
    "Settings",
    "StorySettings",
    "SpilledTable",
    "TimelineSettings",
    "ToneSettings",
    "TopicSettings",
    "VoiceSettings",
    "WordSettings",
    "map_partition",
    "measure",
    "article_index",
    "reduce_partials",
    "streamed_parts",
]


@dataclass(frozen=True)
class Settings:
    """What every measure reads: one section per measure, the resampling and the groups."""

    compare: Compare = field(default_factory=Compare)
    resampling: Resampling = field(default_factory=Resampling)
    tone: ToneSettings = field(default_factory=ToneSettings)
    frames: FrameSettings = field(default_factory=FrameSettings)
    words: WordSettings = field(default_factory=WordSettings)
    voices: VoiceSettings = field(default_factory=VoiceSettings)
    learned: LearnedSettings = field(default_factory=LearnedSettings)
    topics: TopicSettings = field(default_factory=TopicSettings)
    stories: StorySettings = field(default_factory=StorySettings)
    timeline: TimelineSettings = field(default_factory=TimelineSettings)

    def resolved(self, *, seed_corpus: bool) -> Settings:
        """Files left unnamed chosen: the seed story's dictionary, actors and speakers on the
        bundled seed corpus; the Policy Frames dictionary, no actors and the role-word
        speaker categories elsewhere."""
        return replace(
            self,
            tone=self.tone.resolved(seed_corpus=seed_corpus),
            frames=self.frames.resolved(seed_corpus=seed_corpus),
            voices=self.voices.resolved(seed_corpus=seed_corpus),
        )

    def measure_settings(self) -> Settings:
        """Only the measures' sections (a study's settings carry more: corpus, output...)."""
        return Settings(**{f.name: getattr(self, f.name) for f in fields(Settings)})


def read_files(settings: Settings) -> None:
    """Read the dictionary, actor and speaker files the settings name, so that a bad file
    fails before any work (they are cached for the measures)."""
    frames.read_dictionary(settings.frames.dictionary or DEFAULT_DICTIONARY, settings.frames.level)
    voices.read_speaker_table(settings.voices.speakers or GENERIC_SPEAKERS)
    if settings.tone.actors is not None:
        tone.actor_list(settings.tone.actors)
    if settings.learned.model is not None:
        learned.model_of(settings)
    if settings.topics.apply is not None:
        topics.model_of(settings)
    if settings.timeline.events is not None:
        timeline.events_of(settings.timeline.events)


def chosen(settings: Settings, names: Iterable[str] | None = None) -> list[Measure]:
    """The measures a run computes: ``names`` (all by default) that are enabled."""
    wanted = MEASURES if names is None else {n: MEASURES[n] for n in names}
    return [m for m in MEASURES.values() if m.name in wanted and m.enabled(settings)]


def map_partition(
    partition: Partition,
    settings: Settings,
    measures: list[Measure],
    *,
    done: Callable[[str], object] = lambda name: None,
) -> dict[str, dict]:
    """Every measure's map on one partition, in order: ``{measure name: partial}``.
    ``done(name)`` is called after each (the engine's clock)."""
    partials = {}
    for m in measures:
        partials[m.name] = m.map(partition, settings)
        done(m.name)
    return partials


def reduce_partials(
    partials: dict[str, Partials],
    context: Context,
    measures: list[Measure],
    *,
    done: Callable[[], object] = lambda: None,
) -> Tables:
    """Every measure's reduce: the ones that can run beside the others are started first
    (the distinctive words), then each in order; their tables are added to
    ``context.tables`` as they come, so a later reduce reads an earlier one's, except a
    table given as a function, which is called at the end (no later reduce reads it). ``done`` is
    called after each measure (a progress bar's ``update``)."""
    background = [m for m in measures if getattr(m, "background", False)]
    pending = [m.reduce(partials[m.name], context) for m in background]
    later = {}
    for m in measures:
        if m not in background:
            made = m.reduce(partials[m.name], context)
            later.update({name: table for name, table in made.items() if callable(table)})
            context.tables.update({n: t for n, t in made.items() if not callable(t)})
            context.sink.release()
            done()
    for made in pending:
        context.tables.update(made() if callable(made) else made)
        done()
    context.tables.update({name: make() for name, make in later.items()})
    return context.tables


def streamed_parts(partials: dict[str, dict]) -> dict[str, pd.DataFrame]:
    """The parts named like a streamed table of :mod:`analysis.registry` (``frame_scores``,
    ``quotes``), taken out of every measure's partial: they are written (or, in memory,
    kept) as tables, not kept for the reduce."""
    streamed = registry.names(streamed=True)
    return {
        name: partial.pop(name)
        for partial in partials.values()
        for name in [n for n in partial if n in streamed]
    }


def article_index(articles: pd.DataFrame, group_by: str) -> pd.DataFrame:
    """The articles' columns every reduce may read: ``article_id``, ``outlet`` and the
    compared column (``context.articles``)."""
    keep = [c for c in ("article_id", "outlet", group_by) if c in articles.columns]
    return articles[list(dict.fromkeys(keep))]


class MemorySink:
    """The streamed tables of an in-memory run: parts collected, then stacked."""

    def __init__(self, tables: dict[str, pd.DataFrame]):
        self.tables = tables
        self.parts: dict[str, list[pd.DataFrame]] = {}

    def rows(self, name: str, columns: list[str], key: str, values: set) -> pd.DataFrame:
        table = self.tables[name]
        return table.loc[table[key].isin(values), columns].reset_index(drop=True)

    def open(self, name: str, rows: int | None = None) -> _Collector:
        return _Collector(self, name)

    def record(self, name: str, files: list[Path]) -> None:
        pass

    def release(self) -> None:
        pass

    def keep(self, name: str, save) -> None:
        return None


class _Collector:
    def __init__(self, sink: MemorySink, name: str):
        self.sink, self.name, self.parts = sink, name, []

    def write(self, frame: pd.DataFrame) -> None:
        self.parts.append(frame)

    def close(self) -> list[Path]:
        self.sink.tables[self.name] = pd.concat(self.parts, ignore_index=True)
        return []


def measure(
    tables: dict[str, pd.DataFrame],
    *names: str,
    settings: Settings | None = None,
    **sections,
) -> dict[str, pd.DataFrame]:
    """Compute measures on tables in memory: the engine's map and reduce on one partition.

    Parameters
    ----------
    tables : dict of DataFrame
        At least ``articles`` (cleaned: ``text_clean``) and ``sentences``, as
        :func:`analysis.pipeline.prepare` gives them.
    *names : str
        Names of :data:`MEASURES` (``tone``, ``frames``, ``terms``, ...); every enabled
        one when none is named. ``groups``, ``stories`` and ``timeline`` read the tables of
        tone, frames and voices (and topics): name them in the same call.
    settings : Settings, optional
        Default settings when omitted. Files left unnamed (dictionary, actors, speakers)
        are those of any corpus other than the seed corpus; see :meth:`Settings.resolved`.
    **sections
        Sections replacing those of ``settings``, e.g. ``tone=ToneSettings(actors=path)``,
        ``resampling=Resampling(n_resamples=999)``.

    Returns
    -------
    dict of DataFrame
        ``tables`` with every table the measures make (see :mod:`analysis.registry`), and
        ``sentences`` with the columns they add (tone's scores, voices' speakers).
    """
    settings = replace(settings or Settings(), **sections).resolved(seed_corpus=False)
    run = chosen(settings, names or None)
    articles, sentences = tables["articles"], tables["sentences"]
    partition = Partition(articles, sentences)
    out = dict(tables)
    with tempfile.TemporaryDirectory(prefix="framing-measure-") as scratch:
        parts = {m.name: m.partials(Path(scratch)) for m in run}
        partials = map_partition(partition, settings, run)
        out.update(streamed_parts(partials), sentences=partition.sentences)
        for name, partial in partials.items():
            parts[name].add(partial)
        index = article_index(articles, settings.compare.group_by)
        reduce_partials(parts, Context(index, settings, tables=out, sink=MemorySink(out)), run)
    return {name: table for name, table in out.items() if not name.startswith("_")}
