"""The corpus as a sequence of partitions: the unit of work of both engines.

A partition is a run of articles processed together, from cleaning to term counts, in one
process. How a corpus is cut into partitions depends only on the corpus and on
``partition_size``, never on the number of workers or the engine, so every run of one
corpus gives the same partitions, in the same order, and the same tables.

Two kinds of input:

- **One corpus** (a file, a folder of ``.txt`` files, or a DataFrame): loaded whole by
  :func:`analysis.corpus.load_corpus` (its checks need every article: duplicate ids, outlet
  spellings), then cut into partitions of ``partition_size`` articles in input order. The
  loaded texts are held once, by the process that loads them, until their partition is
  handed out.
- **Shards** (a folder of ``.parquet``, ``.jsonl`` / ``.ndjson`` files, plain or ``.gz``,
  ``.xz``, ``.bz2``, and no ``.txt`` file): one partition per shard, in file-name order,
  each loaded by the worker that processes it, so no process ever holds more than a few
  shards. This is how a corpus larger than memory is read. Checks across shards run when
  the partitions are combined (:mod:`analysis.engine.reduce`): an article id already seen
  in an earlier shard is a duplicate (same text: rejected; different text: renamed
  ``id#2``), exactly as within one file.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.corpus import Corpus, CorpusError, load_corpus
from analysis.corpus.tables import MAX_CHARS
from analysis.engine.io import release_memory

PARTITION_SIZE = 1000
"""Articles per partition when one corpus is cut into partitions (``--partition-size``).

Each partition costs about a tenth of a second of set-up whatever its size (regexes
compiled by Arrow, frames and dictionaries made), and the term reduce reads each one three
times: on AllSides (18,613 articles, two workers) 1,000 took 19-21 s where 500 took
22 s, with a peak of 1.7 GB where 500 peaked at 1.5 GB. The tables do not depend on it."""

SHARD_SUFFIXES = (".parquet", ".jsonl", ".ndjson")
_COMPRESSED = (".gz", ".xz", ".bz2")


@dataclass(frozen=True)
class LoadOptions:
    """How :func:`analysis.corpus.load_corpus` reads the corpus (or each shard)."""

    text: str | None = None
    outlet: str | None = None
    id: str | None = None
    date: str | None = None
    title: str | None = None
    dayfirst: bool = False
    encoding: str | None = None
    metadata: str | Path | None = None
    max_chars: int = MAX_CHARS

    def load(self, source) -> Corpus:
        return load_corpus(
            source,
            text=self.text,
            outlet=self.outlet,
            id=self.id,
            date=self.date,
            title=self.title,
            dayfirst=self.dayfirst,
            encoding=self.encoding,
            metadata=self.metadata,
            max_chars=self.max_chars,
        )


@dataclass
class Task:
    """One partition to process: its articles, or the shard to load them from.

    ``index`` orders the partitions; results are combined in that order.
    """

    index: int
    articles: pd.DataFrame | None = None
    shard: Path | None = None
    load: LoadOptions = field(default_factory=LoadOptions)
    drop: frozenset = frozenset()
    """Article ids to leave out of a shard (repeats of an earlier shard's articles)."""

    @property
    def size(self) -> int | None:
        """Articles in the partition (None for a shard not yet loaded)."""
        return None if self.articles is None else len(self.articles)


def _is_shard(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] in _COMPRESSED:
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in SHARD_SUFFIXES


def shard_files(source) -> list[Path] | None:
    """The shards of a sharded corpus, sorted by name; None when ``source`` is not one.

    A sharded corpus is a folder holding ``.parquet``, ``.jsonl`` or ``.ndjson`` files
    (maybe compressed) directly in it and no ``.txt`` file anywhere below it (a folder of
    ``.txt`` files is one corpus, read by :func:`analysis.corpus.load_corpus`).
    """
    if isinstance(source, pd.DataFrame):
        return None
    path = Path(source)
    if not path.is_dir():
        return None
    shards = sorted(p for p in path.iterdir() if p.is_file() and _is_shard(p))
    if not shards or next(path.rglob("*.txt"), None) is not None:
        return None
    return shards


@dataclass
class Plan:
    """The partitions of one corpus: loaded and cut (``chunks``) or sharded (``shards``).

    ``corpus`` is the loaded corpus's account (``rejected``, ``repairs``, ``n_input``) with
    an empty ``articles`` table: its rows are in ``chunks``, one DataFrame per partition,
    each dropped when it is handed out by :meth:`tasks`.
    """

    source: str
    corpus: Corpus | None = None
    shards: list[Path] | None = None
    chunks: deque = field(default_factory=deque)
    partition_size: int = PARTITION_SIZE
    load: LoadOptions = field(default_factory=LoadOptions)
    n_partitions: int = 0
    n_articles: int | None = None
    """Articles to process, when known before processing (not for shards)."""

    @property
    def sharded(self) -> bool:
        return self.shards is not None

    def tasks(self) -> Iterator[Task]:
        """The partitions in order; each loaded chunk is given up as it is handed out, so the
        loading process holds each text once, and only until its partition is sent."""
        if self.shards is not None:
            for index, shard in enumerate(self.shards):
                yield Task(index, shard=shard, load=self.load)
            return
        index = 0
        while self.chunks:
            yield Task(index, articles=self.chunks.popleft(), load=self.load)
            index += 1


def plan(source, load: LoadOptions, *, partition_size: int = PARTITION_SIZE) -> Plan:
    """Cut a corpus into partitions.

    Parameters
    ----------
    source : path or DataFrame
        A corpus (see :func:`analysis.corpus.load_corpus`) or a folder of shards
        (:func:`shard_files`).
    load : LoadOptions
        Column mapping and reading options.
    partition_size : int
        Articles per partition of a corpus that is not sharded.

    Returns
    -------
    Plan

    Raises
    ------
    CorpusError
        As :func:`analysis.corpus.load_corpus`; for shards, when ``metadata`` is given (it
        applies to a folder of ``.txt`` files only).
    """
    if partition_size < 1:
        raise ValueError(f"partition_size must be 1 or more, not {partition_size}")
    shards = shard_files(source)
    if shards is not None:
        if load.metadata is not None:
            raise CorpusError(f"{source}: metadata= applies only to a folder of .txt files")
        return Plan(
            str(source),
            shards=shards,
            partition_size=partition_size,
            load=load,
            n_partitions=len(shards),
        )
    corpus = load.load(source)
    articles = corpus.articles
    chunks = deque(
        articles.iloc[start : start + partition_size].reset_index(drop=True)
        for start in range(0, len(articles), partition_size)
    )
    corpus.articles = articles.iloc[0:0]
    del articles
    release_memory(collect=True)  # what the loader held while parsing
    return Plan(
        corpus.source,
        corpus=corpus,
        chunks=chunks,
        partition_size=partition_size,
        load=load,
        n_partitions=len(chunks),
        n_articles=sum(len(chunk) for chunk in chunks),
    )
