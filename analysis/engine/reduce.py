"""The reduce: partition results in, every table of the run out.

:class:`Combiner` receives one :class:`~analysis.engine.features.PartitionResult` per
partition, **in partition order** (the engines make sure of it, whatever order the workers
finish in), and

- reconciles ids and outlet names across the shards of a sharded corpus with the loader's
  rules (:mod:`analysis.corpus.reconcile`; a corpus loaded whole was reconciled when it
  was loaded);
- appends the streamed tables (articles with their texts, sentences, the cleaning audit,
  frame scores, quotes) to their Parquet files and drops them;
- keeps each measure's other parts (:class:`analysis.measures.Partials`);

and :meth:`Combiner.finish` runs every measure's reduce
(:func:`analysis.measures.reduce_partials`) on rows in corpus order, so their bootstraps
see the same values in the same order whatever the number of workers.
"""

from __future__ import annotations

import logging
import tempfile
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import measures, progress
from analysis.corpus import reconcile
from analysis.corpus.tables import REJECTED_COLUMNS, REPAIR_COLUMNS
from analysis.engine.features import FeatureSettings, PartitionResult
from analysis.engine.io import FileSink, Tables, TableWriter, release_memory

log = logging.getLogger(__name__)


@dataclass
class Account:
    """Every input accounted for: ``inputs = articles + rejected``."""

    inputs: int = 0
    articles: int = 0
    rejected: int = 0
    sentences: int = 0
    quotes: int = 0
    cleaning_removals: int = 0

    @property
    def unaccounted(self) -> int:
        return self.inputs - self.articles - self.rejected


class Combiner:
    """The reduce of every engine; see the module docstring.

    Parameters
    ----------
    out_dir : Path
        Where the streamed tables are written.
    features : FeatureSettings
        The map's settings (which measures ran, with which settings).
    sharded : bool
        Partitions are shards loaded separately: reconcile ids and outlets across them.
    reprocess : callable, optional
        ``reprocess(index, drop_ids) -> PartitionResult``: the partition again without the
        given articles (used when a shard repeats an earlier shard's article).
    source : str
        The corpus as the user named it (for notes about the whole corpus).
    """

    def __init__(
        self,
        out_dir: Path,
        features: FeatureSettings,
        *,
        sharded: bool = False,
        reprocess: Callable[[int, frozenset], PartitionResult] | None = None,
        source: str = "",
    ):
        self.out_dir = Path(out_dir)
        self.source = source
        self.features = features
        self.measures = features.chosen()
        self.sharded = sharded
        self.reprocess = reprocess
        self.account = Account()
        self.writers: dict[str, TableWriter] = {}
        self.sink = FileSink(self.out_dir)
        self._scratch = tempfile.TemporaryDirectory(prefix="framing-terms-")
        self.scratch = Path(self._scratch.name)
        self.partials = {m.name: m.partials(self.scratch) for m in self.measures}
        self.articles: list[pd.DataFrame] = []
        self.summaries: list[pd.DataFrame] = []
        self.rejected: list[pd.DataFrame] = []
        self.repairs: list[pd.DataFrame] = []
        self.ids = reconcile.IdLedger(shards=True)
        self.seconds: Counter = Counter()
        self.next_index = 0

    def add(self, result: PartitionResult) -> None:
        """Take one partition's result (partitions must arrive in order)."""
        if result.index != self.next_index:
            raise RuntimeError(f"partition {result.index} arrived before {self.next_index}")
        self.next_index += 1
        if self.sharded:
            result = self._reconcile_ids(result)
        if result.rejected is not None:
            self.rejected.append(result.rejected)
            self.repairs.append(result.repairs)
        self.account.inputs += result.n_input
        self.account.rejected += 0 if result.rejected is None else len(result.rejected)
        self.account.articles += result.n_articles
        self.account.sentences += result.rows("sentences")
        self.account.cleaning_removals += result.rows("clean_audit")
        self.account.quotes += result.rows("quotes")
        self.seconds.update(result.seconds)
        for name, table in result.tables():
            self._writer(name).write(table)
            del table
        group_by = self.features.settings.compare.group_by
        self.articles.append(measures.article_index(result.articles, group_by))
        self.summaries.append(result.summary)
        for name, partial in result.partials.items():
            self.partials[name].add(partial)
        release_memory()

    def _writer(self, name: str) -> TableWriter:
        if name not in self.writers:
            self.writers[name] = self.sink.open(name)
        return self.writers[name]

    def _reconcile_ids(self, result: PartitionResult) -> PartitionResult:
        """Ids repeated from an earlier shard: rejected (same text) or renamed ``id#2``."""
        found = self.ids.admit_all(result.articles)
        if found.repeated:
            result = self.reprocess(result.index, frozenset(found.repeated))
            self.rejected.append(found.rejected)
        if found.renamed:
            _rename_ids(result, found.renamed)
            self.repairs.append(found.repairs)
        return result

    def finish(
        self,
        *,
        rejected: pd.DataFrame | None = None,
        repairs: pd.DataFrame | None = None,
        pool: Executor | None = None,
    ) -> tuple[Tables, list[Path]]:
        """Every measure's tables; the streamed tables' files closed.

        Parameters
        ----------
        rejected, repairs : DataFrame, optional
            The loaded corpus's tables (a corpus loaded whole); a sharded corpus's come with
            its partitions.
        pool : Executor, optional
            A worker process: the distinctive-word tables are made there while this
            process makes the other summaries. The tables are the same.

        Returns
        -------
        (Tables, list of Path)
            The tables (streamed ones read from their files on demand) and the files
            written so far.
        """
        if rejected is not None:
            self.rejected.insert(0, rejected)
            self.repairs.insert(0, repairs)
            self.account.inputs += len(rejected)
        rejected = _concat_or_empty(self.rejected, REJECTED_COLUMNS)
        repairs = _concat_or_empty(self.repairs, REPAIR_COLUMNS)
        self.account.rejected = len(rejected)
        articles = _concat(self.articles)
        summary = _concat(self.summaries)
        if self.sharded and articles is not None and len(articles):
            merged = self._merge_outlets(articles, summary)
            if merged is not None:
                repairs = pd.concat([repairs, merged], ignore_index=True)
        files = []
        for writer in self.writers.values():
            files.extend(writer.close())
        self.sink.files = {n: w.path for n, w in self.writers.items() if w.rows or w.writer}
        memory: dict[str, pd.DataFrame] = {"rejected": rejected, "repairs": repairs}
        release_memory(collect=True)
        context = measures.Context(
            articles,
            self.features.settings,
            tables=memory,
            sink=self.sink,
            pool=pool,
        )
        with progress.bar(total=len(self.measures), desc="summaries", unit="measure") as bar:
            measures.reduce_partials(self.partials, context, self.measures, done=bar.update)
        self._scratch.cleanup()
        files.extend(self.sink.written)
        streamed = dict(self.sink.files)
        tables = Tables(memory, streamed, article_index=articles, article_counts=summary)
        return tables, files

    def _merge_outlets(self, articles: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame | None:
        """Outlet names that differ only in case across shards: one spelling, as within one
        file (:func:`analysis.corpus.reconcile.merge_outlets`)."""
        counts = Counter(articles["outlet"].tolist())
        chosen, notes = reconcile.merge_outlets(counts, shards=True)
        if not chosen:
            return None
        for partials in self.partials.values():
            for part in partials.frames():
                if "outlet" in part:
                    part["outlet"] = part["outlet"].replace(chosen)
        articles["outlet"] = articles["outlet"].replace(chosen)
        summary["outlet"] = summary["outlet"].replace(chosen)
        if "articles" in self.writers:
            self.writers["articles"].rewrite_column("outlet", chosen)
        return reconcile.file_repairs(notes, self.source)


def _rename_ids(result: PartitionResult, renamed: dict[str, str]) -> None:
    """Give articles new ids in every table and part of one partition's result."""

    def rename(values):
        return [renamed.get(v, v) for v in values]

    result.articles = _renamed(result.articles, rename)
    result.summary = _renamed(result.summary, rename)
    result.streamed = {n: _renamed(t, rename) for n, t in result.streamed.items()}
    for partial in result.partials.values():
        for name, value in partial.items():
            if isinstance(value, pd.DataFrame):
                partial[name] = _renamed(value, rename)
            elif hasattr(value, "rename_ids"):
                value.rename_ids(renamed)


def _renamed(frame, rename):
    if not isinstance(frame, pd.DataFrame) or "article_id" not in frame:
        return frame
    frame = frame.copy()
    dtype = frame["article_id"].dtype
    frame["article_id"] = pd.array(rename(frame["article_id"].tolist()), dtype=dtype)
    return frame


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame | None:
    return pd.concat(parts, ignore_index=True) if parts else None


def _concat_or_empty(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    parts = [p for p in parts if p is not None]
    if not parts:
        return pd.DataFrame({c: pd.array([], dtype=pd.StringDtype("python")) for c in columns})
    return pd.concat(parts, ignore_index=True)[columns]
