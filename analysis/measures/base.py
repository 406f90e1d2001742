"""What a measure is: a map over partitions, a reduce over their partials.

A measure (:class:`Measure`) is one object with

- ``map(partition, settings) -> partial``: the per-article work on one :class:`Partition`
  (its cleaned articles and sentences), returned as a dict of named parts. A part named
  like a streamed table of :mod:`analysis.registry` (``frame_scores``, ``quotes``) is
  written by the engine as it arrives and not kept; every other part is kept until the
  reduce. A measure may add columns to ``partition.sentences`` (tone adds the scores,
  voices the speakers); the measures run in the order of
  :data:`analysis.measures.MEASURES`, so a later one sees them.
- ``reduce(partials, context) -> tables``: the summaries, from every partition's parts
  (:class:`Partials`, in corpus order) and the tables earlier measures made
  (``context.tables``). It may return a function instead, to be called after the other
  measures' reduces: the distinctive words are made on a worker meanwhile; or give one
  table as a function, called once every reduce has run (the scare quotes, half of them
  counted on a worker meanwhile). A table whose
  name starts with ``_`` is passed to the later reduces and never written nor returned
  (frames' ``_frame_rates``, which the group measures read).

The engine (:mod:`analysis.engine`) runs the same objects on one in-memory partition (a
notebook), on every core or on a Dask cluster, so there is one code path from sentences to
every table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

from analysis import registry, terms, tokens

Tables = dict[str, pd.DataFrame]


@dataclass
class Partition:
    """One partition's articles (cleaned: ``text_clean``) and sentences (see DESIGN.md's
    table contract), in corpus order."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    index: int = 0

    @cached_property
    def tokenized(self) -> tokens.TextTokens:
        """The sentences' tokens (:func:`analysis.tokens.text_tokens`), made once for every
        measure that reads words."""
        return tokens.text_tokens(self.sentences["text"])

    def term_counts(self, ngram_range: tuple[int, int]) -> tuple:
        """:func:`analysis.terms.count_terms` of the sentences, made once for every measure
        that counts words per article (the distinctive words, the topics)."""
        cache = self.__dict__.setdefault("_term_counts", {})
        if ngram_range not in cache:
            cache[ngram_range] = terms.count_terms(
                self.sentences, ngram_range=ngram_range, tokenized=self.tokenized
            )
        return cache[ngram_range]


class Partials:
    """Every partition's parts of one measure, by part name, in partition order.

    ``compact`` maps a part name to a function that folds a list of such parts into one
    (applied every :attr:`EVERY` parts, to bound memory: the frame audit's per-outlet
    sums). Parts that have an ``add`` method of their own are not listed but fed to the
    accumulator given in ``accumulators`` (the term counts, spilled to disk).
    """

    EVERY = 8

    def __init__(
        self,
        compact: dict[str, Callable[[list], Any]] | None = None,
        accumulators: dict[str, Any] | None = None,
    ):
        self.parts: dict[str, list] = {}
        self.compact = compact or {}
        self.accumulators = accumulators or {}

    def add(self, partial: dict[str, Any]) -> None:
        for name, value in partial.items():
            if name in self.accumulators:
                self.accumulators[name].add(value)
                continue
            kept = self.parts.setdefault(name, [])
            kept.append(value)
            if name in self.compact and len(kept) >= self.EVERY:
                self.parts[name] = [self.compact[name](kept)]

    def values(self, name: str) -> list:
        """The parts of ``name``, in partition order (an empty list when there are none)."""
        return self.parts.get(name, [])

    def concat(self, name: str) -> pd.DataFrame | None:
        """The DataFrame parts of ``name`` stacked, and dropped from here; None without any."""
        parts = self.parts.pop(name, None)
        if not parts:
            return None
        return pd.concat(parts, ignore_index=True)

    def frames(self) -> Iterable[pd.DataFrame]:
        """Every DataFrame part kept (for renaming outlets across shards)."""
        for parts in self.parts.values():
            yield from (p for p in parts if isinstance(p, pd.DataFrame))


class Sink(Protocol):
    """Where the streamed tables are: files (a run) or memory (a notebook)."""

    def rows(self, name: str, columns: list[str], key: str, values: set) -> pd.DataFrame:
        """The rows of streamed table ``name`` whose ``key`` is in ``values``."""

    def open(self, name: str, rows: int | None = None) -> Any:
        """A writer for table ``name`` (about ``rows`` rows): ``write(frame)`` part by part,
        then ``close()``, which returns the files written."""

    def record(self, name: str, files: list[Path]) -> None:
        """Table ``name`` was written to ``files`` elsewhere (by a worker)."""

    def release(self) -> None:
        """Give freed memory back to the system (between big steps)."""

    def keep(self, name: str, save: Callable[[Path], Path]) -> Path | None:
        """Save a file beside the tables (a fitted model): ``save(path)`` writes it at
        ``OUT/name`` and returns the path. In memory nothing is saved (None)."""


@dataclass
class Context:
    """What a reduce reads besides its partials.

    Attributes
    ----------
    articles : DataFrame
        ``article_id``, ``outlet`` and the compared column, in corpus order.
    settings
        The run's :class:`analysis.measures.Settings`.
    tables : dict of DataFrame
        The tables made so far by earlier measures' reduces.
    sink : Sink
        The streamed tables (written files, or the notebook's tables).
    pool : Executor, optional
        A worker process for a reduce that can run beside the others.
    """

    articles: pd.DataFrame
    settings: Any
    tables: Tables = field(default_factory=dict)
    sink: Any = None
    pool: Executor | None = None


class Measure(Protocol):
    """One measure; see the module docstring."""

    name: str

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables it makes: those :mod:`analysis.registry` lists as made by it."""

    def enabled(self, settings) -> bool:
        """Whether the run computes it (groups only when the groups are not the outlets)."""

    def partials(self, scratch: Path) -> Partials:
        """An empty :class:`Partials` for this measure's parts."""

    def map(self, partition: Partition, settings) -> dict[str, Any]: ...

    def reduce(self, partials: Partials, context: Context) -> Tables | Callable[[], Tables]: ...


@dataclass(frozen=True)
class SpilledTable:
    """A table written to a scratch folder as an uncompressed Arrow file (a copy of its
    memory, with pandas' column types), so that it does not travel through a pipe between
    processes: :meth:`take` reads it back whole and removes the file."""

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


class MeasureBase:
    """What most measures share: their tables are those :mod:`analysis.registry` says they
    make, they always run, and their parts are kept in a plain :class:`Partials`."""

    name: str

    @property
    def tables(self) -> tuple[str, ...]:
        return registry.names(made_by=self.name)

    def enabled(self, settings) -> bool:
        return True

    def partials(self, scratch: Path) -> Partials:
        return Partials()
