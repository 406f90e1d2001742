"""The map: every per-article measure of one partition, in one process.

:func:`process` takes a partition's articles (or the shard to load them from) and runs the
same functions the single-table steps of :mod:`analysis.pipeline` run — clean, segment,
VADER tone, frame counts, term counts, quotes — on those articles only. Every measure of
an article depends on that article alone, so a partition's rows are exactly the rows the
whole-corpus functions give for its articles. What needs the whole corpus (outlet
summaries, bootstraps, the vocabulary's minimum count, TF-IDF weights) is left to
:mod:`analysis.engine.combine`, which receives a :class:`PartitionResult` per partition:

- the big tables, in full, to be written and dropped: ``articles`` (with ``text`` and
  ``text_clean``), ``sentences`` (with text and scores), ``clean_audit``,
  ``frame_scores``, ``quotes``, ``actor_mentions`` (the first four written to the spill
  folder here instead, as :class:`SpilledTable`, when the settings name one);
- what the summaries need, small: per-article tone, frame rates, tone by position bin,
  voice counts, the frame audit per outlet, the article x term counts (sparse, over the
  partition's own vocabulary; written to a spill folder here instead when the settings
  name one), and, only for sentence-level resampling, a few numeric columns per sentence.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
from scipy import sparse

from analysis import actors, clean, lexicon, quotes, segment, sentiment, terms, tokens
from analysis.corpus import Corpus
from analysis.engine.partitions import Task
from analysis.engine.termcounts import PartitionTerms, SpilledTerms, part_path, spill

SCORED_COLUMNS = ["article_id", "sentence_id", "paragraph_id", "voice", "position", "compound"]
"""The sentence columns kept for sentence-level resampling (``unit="sentence"``)."""
QUOTE_SUMMARY_COLUMNS = [
    "article_id",
    "kind",
    "start",
    "end",
    "text",
    "n_words",
    "nested",
    "social",
    "speaker",
    "category",
    "scare",
    "compound",
]
"""The quote columns the voice summaries read (``text`` is kept for scare quotes only)."""
VOICE_ORDER = {"all": 0, "narrative": 1, "quote": 2, "social": 3}


@dataclass(frozen=True)
class FeatureSettings:
    """What the map computes; every field is picklable (paths, names, numbers).

    ``sentence_level`` keeps a few numeric columns per sentence for sentence-level
    resampling; ``speakers`` None skips quotes and voices; ``actors`` None skips actor
    mentions.
    """

    quote_marks: str = "keep"
    position_bins: int = 5
    actors: str | Path | None = None
    dictionary: str | Path = "policy_frames"
    negation: bool = False
    level: int | None = None
    ngram_max: int = 2
    tone_sentence_level: bool = False
    frames_sentence_level: bool = False
    speakers: str | Path | None = None
    voices: bool = True
    count_words: bool = True
    """Count the words of each text as received, for the manifest's outlet summary."""
    spill: str | None = None
    """A folder the reducing process can read (a local run): the map writes each
    partition's big tables there (:class:`SpilledTable`) and its term counts
    (:func:`analysis.engine.termcounts.spill`) instead of returning them."""


@functools.lru_cache(maxsize=8)
def _dictionary(source, level):
    dictionary = lexicon.read_dictionary(source)
    return dictionary.at_level(level) if level is not None else dictionary


@functools.lru_cache(maxsize=8)
def _actors(source):
    return actors.read_actors(source)


@functools.lru_cache(maxsize=8)
def _speakers(source):
    return quotes.read_speakers(source)


@dataclass
class PartitionResult:
    """Everything one partition gives the reduce; see the module docstring."""

    index: int
    n_input: int
    rejected: pd.DataFrame
    repairs: pd.DataFrame
    source: str | None
    articles: pd.DataFrame
    summary: pd.DataFrame
    clean_audit: pd.DataFrame | None
    sentences: pd.DataFrame | None
    article_tone: pd.DataFrame
    tone_bins: pd.DataFrame
    scored: pd.DataFrame | None
    frame_scores: pd.DataFrame | None
    frame_rates: tuple[np.ndarray, list[str], np.ndarray]
    frame_audit: pd.DataFrame
    frame_sentences: tuple[sparse.csr_matrix, np.ndarray] | None
    dtm: PartitionTerms | SpilledTerms
    mentions: pd.DataFrame | None = None
    mentioned: pd.DataFrame | None = None
    quotes: pd.DataFrame | None = None
    article_voices: pd.DataFrame | None = None
    spilled: dict[str, SpilledTable] | None = None
    """``articles``, ``sentences``, ``clean_audit`` and ``frame_scores`` as written to the
    spill folder; ``articles`` then holds every column but the texts, the others None."""
    seconds: dict[str, float] = field(default_factory=dict)
    """CPU seconds of each stage in the worker (``time.process_time``)."""
    wall: float = 0.0

    @property
    def n_articles(self) -> int:
        return len(self.articles)

    @property
    def n_sentences(self) -> int:
        return self.spilled["sentences"].rows if self.spilled else len(self.sentences)

    @property
    def n_removals(self) -> int:
        """Rows of ``clean_audit``."""
        return self.spilled["clean_audit"].rows if self.spilled else len(self.clean_audit)

    @property
    def article_columns(self) -> list[str]:
        if self.spilled:
            return self.spilled["articles"].columns
        return [str(c) for c in self.articles.columns]

    def streamed(self) -> Iterator[tuple[str, pd.DataFrame | pa.Table]]:
        """The big tables to write, by name (a spilled one read back, its file removed)."""
        if not self.spilled:
            yield from (
                ("articles", self.articles),
                ("sentences", self.sentences),
                ("clean_audit", self.clean_audit),
                ("frame_scores", self.frame_scores),
            )
            return
        for name, spilled in self.spilled.items():
            yield name, spilled.take()


BIG_COLUMNS = ("text", "text_clean")
"""The articles' columns the reducing process only writes."""


@dataclass(frozen=True)
class SpilledTable:
    """A table the map wrote to the spill folder as an uncompressed Arrow file (a copy of
    its memory, with pandas' column types), so that it does not travel through a pipe:
    :meth:`take` reads it back whole and removes the file."""

    path: str
    rows: int
    columns: list[str]

    @classmethod
    def write(cls, frame: pd.DataFrame, path: Path) -> SpilledTable:
        """Write ``frame`` to ``path`` with the ``.arrow`` suffix."""
        table = pa.Table.from_pandas(frame, preserve_index=False)
        target = path.with_suffix(".arrow")
        feather.write_feather(table, target, compression="uncompressed")
        return cls(str(target), table.num_rows, table.column_names)

    def take(self) -> pa.Table:
        table = feather.read_table(self.path, memory_map=False)
        Path(self.path).unlink()
        return table


class _Clock:
    """CPU seconds per stage, summed."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.process_time()

    def lap(self, stage: str) -> None:
        now = time.process_time()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now


def process(task: Task, settings: FeatureSettings) -> PartitionResult:
    """Every per-article measure of one partition (the map of both engines).

    Parameters
    ----------
    task : Task
        The partition's articles (as loaded), or a shard to load with ``task.load``.
    settings : FeatureSettings

    Returns
    -------
    PartitionResult
    """
    started = time.perf_counter()
    clock = _Clock()
    if task.articles is None:
        loaded = task.load.load(task.shard)
        if task.drop:
            loaded.articles = loaded.articles[
                ~loaded.articles["article_id"].isin(task.drop)
            ].reset_index(drop=True)
            loaded.repairs = loaded.repairs[
                ~loaded.repairs["article_id"].isin(task.drop)
            ].reset_index(drop=True)
    else:
        empty = pd.DataFrame(columns=["source_file"])
        loaded = Corpus(task.articles, empty, empty, "", len(task.articles))
    clock.lap("load")
    articles = loaded.articles
    summary = pd.DataFrame(
        {
            "article_id": articles["article_id"].to_numpy(dtype=object),
            "outlet": articles["outlet"].to_numpy(dtype=object),
            "words": (
                tokens.count_words_many(articles["text"])
                if settings.count_words
                else np.zeros(len(articles), dtype=np.int64)
            ),
            "published": articles["published"].to_numpy(),
        }
    )
    clock.lap("count words")  # of the texts as received, for the manifest's outlet summary
    articles, audit = clean.clean_articles(articles)
    clock.lap("clean")
    sentences = segment.split_sentences(articles)
    clock.lap("segment")
    tokenized = tokens.text_tokens(sentences["text"])  # for the tone, frames and terms
    clock.lap("frames")

    scored = sentiment.score_sentences(
        sentences, quote_marks=settings.quote_marks, tokenized=tokenized
    )
    tone = sentiment.article_tone(scored, articles)
    bins = _tone_bins(scored, settings.position_bins)
    clock.lap("tone")
    mentions = mentioned = None
    if settings.actors is not None:
        mentions = actors.find_mentions(scored, _actors(settings.actors))
        keys = mentions[["article_id", "sentence_id"]].drop_duplicates()
        mentioned = keys.merge(
            scored[["article_id", "sentence_id", "voice", "compound"]], how="inner"
        )
        clock.lap("tone")

    dictionary = _dictionary(settings.dictionary, settings.level)
    frame_scores, matches = lexicon.score_frames(
        scored, dictionary, negation=settings.negation, tokenized=tokenized
    )
    audit_frames = lexicon.frame_audit(matches, scored, articles)
    frame_scores = _article_major(frame_scores, articles["article_id"])
    everything = frame_scores[frame_scores["voice"] == "all"]
    categories = [str(c) for c in pd.unique(everything["category"])]
    ids = everything["article_id"].to_numpy(dtype=object)[:: max(len(categories), 1)]
    # the "all" rows are article by article, each with every category in dictionary order
    rates = (ids, categories, everything["rate"].to_numpy().reshape(len(ids), len(categories)))
    frame_sentences = None
    if settings.frames_sentence_level:
        mapping = (matches.term_categories != 0).astype(float)
        frame_sentences = ((matches.term_counts @ mapping).tocsr(), matches.tokens)
    clock.lap("frames")

    dtm = PartitionTerms(
        *terms.count_terms(scored, ngram_range=(1, settings.ngram_max), tokenized=tokenized)
    )
    if settings.spill is not None:
        dtm = spill(dtm, part_path(settings.spill, task.index))
    clock.lap("terms")

    found = voices = None
    if settings.voices:
        table = _speakers(settings.speakers)
        found = quotes.extract_quotes(articles, scored, speakers=table)
        found["compound"] = sentiment.score_texts(found["text"], quote_marks=settings.quote_marks)[
            "compound"
        ].to_numpy()
        voices = quotes.article_voices(found, articles)
        scored = quotes.sentence_speakers(scored, found)
        clock.lap("voices")
    kept_sentences = (
        scored[SCORED_COLUMNS].copy()
        if settings.tone_sentence_level or settings.frames_sentence_level
        else None
    )

    spilled = None
    if settings.spill is not None:
        spilled = {
            name: SpilledTable.write(table, Path(settings.spill) / f"{name}-{task.index:06d}")
            for name, table in (
                ("articles", articles),
                ("sentences", scored),
                ("clean_audit", audit),
                ("frame_scores", frame_scores),
            )
        }
        articles = articles.drop(columns=[c for c in BIG_COLUMNS if c in articles])
        scored = audit = frame_scores = None

    return PartitionResult(
        index=task.index,
        n_input=loaded.n_input,
        rejected=loaded.rejected if task.articles is None else None,
        repairs=loaded.repairs if task.articles is None else None,
        source=loaded.source if task.articles is None else None,
        articles=articles,
        summary=summary,
        clean_audit=audit,
        sentences=scored,
        article_tone=tone,
        tone_bins=bins,
        scored=kept_sentences,
        frame_scores=frame_scores,
        frame_rates=rates,
        frame_audit=audit_frames,
        frame_sentences=frame_sentences,
        dtm=dtm,
        mentions=mentions,
        mentioned=mentioned,
        quotes=found,
        article_voices=voices,
        spilled=spilled,
        seconds=clock.seconds,
        wall=time.perf_counter() - started,
    )


def _tone_bins(scored: pd.DataFrame, bins: int) -> pd.DataFrame:
    """Each article's mean compound per position bin: the unit of the article-level
    :func:`analysis.sentiment.tone_by_position`, which gets these rows with ``position``
    the bin's middle (binning it again gives the same bin).

    The mean is a plain sum in sentence order divided by the count (blank sentences, with
    no score, left out), which depends on the article's sentences only. (pandas' grouped
    mean, which the whole-table function uses, can differ from it in the last bit, and
    from itself depending on the other rows of the table.)
    """
    codes, ids = pd.factorize(scored["article_id"], sort=False)
    bin_of = np.minimum((scored["position"].to_numpy() * bins).astype(int), bins - 1)
    compound = scored["compound"].to_numpy(dtype=float)
    present = ~np.isnan(compound)
    key = codes.astype(np.int64) * bins + bin_of
    n_keys = len(ids) * bins
    sums = np.bincount(key[present], weights=compound[present], minlength=n_keys)
    counts = np.bincount(key[present], minlength=n_keys)
    seen = np.bincount(key, minlength=n_keys) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    used = np.flatnonzero(seen)
    return pd.DataFrame(
        {
            "article_id": np.asarray(ids, dtype=object)[used // bins],
            "position": (used % bins + 0.5) / bins,
            "compound": means[used],
        }
    )


def _article_major(scores: pd.DataFrame, article_ids: pd.Series) -> pd.DataFrame:
    """``frame_scores`` ordered by article (input order), voice, then category (dictionary
    order): an order that does not depend on how the corpus was partitioned."""
    # factorizing numbers the categories in order of first appearance: dictionary order
    category_rank = pd.factorize(scores["category"], sort=False)[0]
    voice_codes, voices = pd.factorize(scores["voice"], sort=False)
    voice_rank = np.array([VOICE_ORDER[v] for v in voices], dtype=np.int64)[voice_codes]
    article_rank = pd.Index(article_ids.to_numpy()).get_indexer(scores["article_id"].to_numpy())
    order = np.lexsort((category_rank, voice_rank, article_rank))
    return scores.iloc[order].reset_index(drop=True)
