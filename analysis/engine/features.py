"""The map: one partition's articles cleaned, cut into sentences, and every measure's map.

:func:`process` takes a partition's articles (or the shard to load them from), cleans and
segments them, and runs :func:`analysis.measures.map_partition` on them: the same code a
notebook runs on the whole corpus (:func:`analysis.measures.measure`). Every per-article
result depends on that article alone, so a partition's rows are exactly the whole corpus's
rows for its articles. What needs the whole corpus is left to the reduce
(:mod:`analysis.engine.reduce`), which receives a :class:`PartitionResult` per partition:

- the streamed tables, in full, to be written and dropped: ``articles`` (with ``text`` and
  ``text_clean``), ``sentences`` (with every column the measures added), ``clean_audit``,
  and the measures' streamed parts (``frame_scores``, ``quotes``); written to the spill
  folder here instead, as :class:`~analysis.measures.SpilledTable`, when the settings
  name one (a local run with several processes), so that they do not travel through a pipe;
- each measure's other parts (see :mod:`analysis.measures.base`), the term counts spilled
  too when there is a spill folder.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis import clean, measures, segment, tokens
from analysis.corpus import Corpus
from analysis.engine.partitions import Task
from analysis.measures import SpilledTable


@dataclass(frozen=True)
class FeatureSettings:
    """What the map computes; every field is picklable (paths, names, numbers).

    ``measures`` names the measures run (None: every enabled one); ``count_words`` counts
    the words of each text as received, for the manifest's outlet summary; ``spill`` is a
    folder the reducing process can read (a local run), where the map writes each
    partition's big tables and its term counts instead of returning them.
    """

    settings: measures.Settings = field(default_factory=measures.Settings)
    measures: tuple[str, ...] | None = None
    count_words: bool = True
    spill: str | None = None

    def chosen(self) -> list:
        return measures.chosen(self.settings, self.measures)


@dataclass
class PartitionResult:
    """Everything one partition gives the reduce; see the module docstring."""

    index: int
    n_input: int
    rejected: pd.DataFrame | None
    repairs: pd.DataFrame | None
    source: str | None
    articles: pd.DataFrame
    """Every column, or, when spilled, every column but the texts."""
    summary: pd.DataFrame
    """``article_id, outlet, words, published``: for the manifest's outlet summary."""
    streamed: dict[str, pd.DataFrame | SpilledTable]
    partials: dict[str, dict]
    """Each measure's parts, by measure name."""
    seconds: dict[str, float] = field(default_factory=dict)
    """CPU seconds of each stage in the worker (``time.process_time``)."""

    @property
    def n_articles(self) -> int:
        return len(self.articles)

    def rows(self, name: str) -> int:
        table = self.streamed.get(name)
        if table is None:
            return 0
        return table.rows if isinstance(table, SpilledTable) else len(table)

    def tables(self) -> Iterator[tuple[str, pd.DataFrame | pa.Table]]:
        """The streamed tables to write, by name (a spilled one read back, its file removed)."""
        for name, table in self.streamed.items():
            yield name, table.take() if isinstance(table, SpilledTable) else table


BIG_COLUMNS = ("text", "text_clean")
"""The articles' columns the reducing process only writes."""


class _Clock:
    """CPU seconds per stage, summed."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.process_time()

    def lap(self, stage: str) -> None:
        now = time.process_time()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now


def _loaded(task: Task) -> Corpus:
    if task.articles is not None:
        empty = pd.DataFrame(columns=["source_file"])
        return Corpus(task.articles, empty, empty, "", len(task.articles))
    loaded = task.load.load(task.shard)
    if task.drop:
        keep = ~loaded.articles["article_id"].isin(task.drop)
        loaded.articles = loaded.articles[keep].reset_index(drop=True)
        loaded.repairs = loaded.repairs[~loaded.repairs["article_id"].isin(task.drop)].reset_index(
            drop=True
        )
    return loaded


def process(task: Task, settings: FeatureSettings) -> PartitionResult:
    """Every per-article step of one partition (the map of every engine).

    Parameters
    ----------
    task : Task
        The partition's articles (as loaded), or a shard to load with ``task.load``.
    settings : FeatureSettings

    Returns
    -------
    PartitionResult
    """
    clock = _Clock()
    loaded = _loaded(task)
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
    partition = measures.Partition(articles, segment.split_sentences(articles), task.index)
    clock.lap("segment")
    partition.tokenized  # noqa: B018 - made once here, for every measure that reads words
    clock.lap("tokens")
    partials = measures.map_partition(
        partition, settings.settings, settings.chosen(), done=clock.lap
    )

    streamed = {"articles": articles, "sentences": partition.sentences, "clean_audit": audit}
    streamed.update(measures.streamed_parts(partials))
    if settings.spill is not None:
        folder = Path(settings.spill)
        streamed = {
            name: SpilledTable.write(table, folder / f"{name}-{task.index:06d}")
            for name, table in streamed.items()
        }
        articles = articles.drop(columns=[c for c in BIG_COLUMNS if c in articles])
        for partial in partials.values():
            for name, value in partial.items():
                if hasattr(value, "spill"):
                    partial[name] = value.spill(folder, task.index)
    sharded = task.articles is None
    return PartitionResult(
        index=task.index,
        n_input=loaded.n_input,
        rejected=loaded.rejected if sharded else None,
        repairs=loaded.repairs if sharded else None,
        source=loaded.source if sharded else None,
        articles=articles,
        summary=summary,
        streamed=streamed,
        partials=partials,
        seconds=clock.seconds,
    )
