"""The reduce: partition results in, every table of the run out.

:class:`Combiner` receives one :class:`~analysis.engine.features.PartitionResult` per
partition, **in partition order** (the engines make sure of it, whatever order the workers
finish in), and

- checks ids across partitions of a sharded corpus (a loaded corpus was checked whole
  when it was loaded): an id seen in an earlier shard with the same text is rejected, with
  a different text renamed ``id#2`` and listed in ``repairs``, as within one file;
- appends the big tables (articles with their texts, sentences, the cleaning audit, frame
  scores, quotes) to their Parquet files and drops them;
- keeps what the summaries need: per-article tone and frame rates, per outlet frame
  audits, voice counts, the term counts (spilled to disk by
  :class:`~analysis.engine.termcounts.TermCounts`);

and :meth:`Combiner.finish` computes every summary with the functions the single-table
steps use (:func:`analysis.sentiment.outlet_tone`, :func:`analysis.lexicon.outlet_frames`,
:func:`analysis.quotes.outlet_voices`, ...), from rows in corpus order, so their bootstraps
see the same values in the same order whatever the number of workers.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import logging
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
from scipy import sparse

from analysis import actors, groups, lexicon, progress, quotes, sentiment, terms
from analysis.corpus import CorpusError
from analysis.corpus.tables import REJECTED_COLUMNS, REPAIR_COLUMNS
from analysis.engine.features import (
    QUOTE_SUMMARY_COLUMNS,
    FeatureSettings,
    PartitionResult,
    SpilledTable,
)
from analysis.engine.termcounts import TermCounts

log = logging.getLogger(__name__)


def release_memory(*, collect: bool = False) -> None:
    """Give memory freed by Python back to the operating system (glibc's ``malloc_trim``):
    texts are allocated and freed partition after partition, and without this the heap
    keeps its high-water mark as resident memory. Does nothing elsewhere.

    ``collect`` runs a full garbage collection first. It is kept for the few big moments
    (after loading, before the summaries): with the run's tables in memory one takes a
    quarter of a second, and after every partition they added up to 10 s on AllSides,
    while what a partition frees is freed by reference counting."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    if collect:
        gc.collect()
    libc.malloc_trim(0)
    pa.default_memory_pool().release_unused()


def csv_ready(table: pa.Table) -> pa.Table:
    """``table`` as Arrow's CSV writer takes it: categorical columns as their values."""
    columns = [
        c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns
    ]
    return pa.table(columns, names=table.column_names)


CSV_OPTIONS = pcsv.WriteOptions(quoting_style="needed")
"""Tables are written as CSV by Arrow (ten times faster than pandas on the 400,000 rows of
``term_scores``): text in double quotes, floats in their shortest exact form, missing values
empty, booleans ``true``/``false``, ``\\n`` line ends."""


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` (without its index) as CSV, as every table of a run is written."""
    table = csv_ready(pa.Table.from_pandas(frame, preserve_index=False))
    pcsv.write_csv(table, path, write_options=CSV_OPTIONS)


STREAMED_TABLES = ("articles", "sentences", "clean_audit", "frame_scores", "quotes")
"""Tables written partition by partition and not kept in memory."""
_STR = pd.StringDtype("python")


@dataclass(frozen=True)
class SummarySettings:
    """How the summaries are computed (the reduce's part of the run's settings)."""

    tone_unit: str = "article"
    frames_unit: str = "article"
    n_resamples: int = 9999
    seed: int = 0
    confidence: float = 0.95
    frames_n_resamples: int = 9999
    frames_seed: int = 0
    frames_confidence: float = 0.95
    voices_n_resamples: int = 9999
    voices_seed: int = 0
    voices_confidence: float = 0.95
    position_bins: int = 5
    group_by: str = "outlet"
    groups: tuple[str, ...] | None = None
    pair: tuple[str, str] | None = None
    max_groups: int = 20
    ngram_max: int = 2
    min_count: int | None = None
    prior: str = "corpus"
    prior_scale: float = 1.0
    variance: str = "full"
    correction: str = "bh"


class TableWriter:
    """Appends DataFrames to one Parquet file (and CSV, optionally), one row group each.

    The Parquet schema is the first part's, with columns that were all missing there
    typed as text; later parts are cast to it (shards whose columns disagree in type are
    an error naming the column).
    """

    def __init__(self, path: Path, csv: Path | None = None, csv_max_rows: int | None = None):
        self.path, self.csv, self.csv_max_rows = path, csv, csv_max_rows
        self.writer: pq.ParquetWriter | None = None
        self.csv_writer: pcsv.CSVWriter | None = None
        self.schema: pa.Schema | None = None
        self.rows = 0
        self.csv_dropped = False

    def write(self, frame: pd.DataFrame | pa.Table) -> None:
        if isinstance(frame, pa.Table):
            table = frame
        else:
            table = pa.Table.from_pandas(frame, preserve_index=False)
        if self.writer is None:
            fields_ = [
                pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
                for f in table.schema
            ]
            self.schema = pa.schema(fields_, metadata=table.schema.metadata)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, self.schema)
        if not table.schema.equals(self.schema, check_metadata=False):
            table = self._conform(table)
        self.writer.write_table(table)
        too_long = self.csv_max_rows is not None and self.rows + len(frame) > self.csv_max_rows
        if self.csv is not None and too_long:  # too long for a spreadsheet
            if self.csv_writer is not None:
                self.csv_writer.close()
            self.csv.unlink(missing_ok=True)
            self.csv, self.csv_writer, self.csv_dropped = None, None, True
        if self.csv is not None:
            table = csv_ready(table)
            if self.csv_writer is None:
                self.csv_writer = pcsv.CSVWriter(self.csv, table.schema, write_options=CSV_OPTIONS)
            self.csv_writer.write_table(table)
        self.rows += len(frame)

    def _conform(self, table: pa.Table) -> pa.Table:
        if table.schema.names != self.schema.names:
            missing = [n for n in self.schema.names if n not in table.schema.names]
            extra = [n for n in table.schema.names if n not in self.schema.names]
            raise CorpusError(
                f"{self.path.stem}: the partitions' columns differ (missing: "
                f"{', '.join(missing) or 'none'}; extra: {', '.join(extra) or 'none'}); "
                "every shard needs the same columns"
            )
        columns = []
        for name, wanted in zip(self.schema.names, self.schema.types):
            column = table[name]
            if column.type != wanted:
                try:
                    column = column.cast(wanted)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    raise CorpusError(
                        f"{self.path.stem}: column {name!r} is {wanted} in the first shard "
                        f"and {column.type} in a later one; give every shard the same types"
                    ) from None
            columns.append(column)
        return pa.table(columns, schema=self.schema)

    def close(self) -> list[Path]:
        """Finish the files (an empty table when nothing was written); the paths written."""
        if self.writer is None:
            return []
        self.writer.close()
        if self.csv_writer is not None:
            self.csv_writer.close()
        written = [self.path]
        if self.csv_dropped:
            log.info("%s: %d rows, written as Parquet only", self.path.stem, self.rows)
        elif self.csv is not None:
            written.append(self.csv)
        return written


class Tables(Mapping):
    """The run's tables by name: small ones in memory, streamed ones read from their
    Parquet file each time they are asked for (so holding this mapping costs nothing)."""

    def __init__(self, memory: dict[str, pd.DataFrame], files: dict[str, Path]):
        self._memory = dict(memory)
        self._files = dict(files)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name in self._memory:
            return self._memory[name]
        if name in self._files:
            return pd.read_parquet(self._files[name])
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        """Table names; internal ones (``_summary``: per-article counts for the manifest,
        ``_articles``: ids, outlets and groups) are left out but can be asked for."""
        yield from (name for name in self._memory if not name.startswith("_"))
        yield from (name for name in self._files if name not in self._memory)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def read(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        """Some columns of a table (read from its file when it is streamed)."""
        if name in self._memory:
            table = self._memory[name]
            return table if columns is None else table[columns]
        return pd.read_parquet(self._files[name], columns=columns)

    def relocated(self, where: Callable[[Path], Path]) -> Tables:
        """The same tables, with the streamed ones read from ``where(path)`` (a run's
        outputs are published from staging folders; see :mod:`analysis.staging`)."""
        return Tables(self._memory, {name: where(path) for name, path in self._files.items()})

    @property
    def in_memory(self) -> dict[str, pd.DataFrame]:
        """The tables held in memory, internal ones included."""
        return dict(self._memory)


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


def _rename_ids(result: PartitionResult, renamed: dict[str, str]) -> None:
    """Give articles new ids in every table of one partition's result."""

    def rename(values):
        return [renamed.get(v, v) for v in values]

    for item in fields(result):
        value = getattr(result, item.name)
        if isinstance(value, pd.DataFrame) and "article_id" in value:
            value = value.copy()
            dtype = value["article_id"].dtype
            value["article_id"] = pd.array(rename(value["article_id"].tolist()), dtype=dtype)
            setattr(result, item.name, value)
    result.dtm.article_ids = np.asarray(rename(result.dtm.article_ids), dtype=object)
    ids, categories, rates = result.frame_rates
    result.frame_rates = (np.asarray(rename(ids), dtype=object), categories, rates)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Combiner:
    """The reduce of both engines; see the module docstring.

    Parameters
    ----------
    out_dir : Path
        Where the streamed tables are written.
    features : FeatureSettings
        The map's settings (which parts were computed).
    summaries : SummarySettings
    sharded : bool
        Partitions are shards loaded separately: check ids across them.
    small_tables, csv_max_rows
        Tables also written as CSV (see :data:`analysis.pipeline.SMALL_TABLES`).
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
        summaries: SummarySettings,
        *,
        sharded: bool = False,
        small_tables: tuple[str, ...] = (),
        csv_max_rows: int | None = None,
        reprocess: Callable[[int, frozenset], PartitionResult] | None = None,
        source: str = "",
    ):
        self.out_dir = Path(out_dir)
        self.source = source
        self.features = features
        self.settings = summaries
        self.sharded = sharded
        self.reprocess = reprocess
        self.account = Account()
        self.small_tables, self.csv_max_rows = small_tables, csv_max_rows
        self.term_files: list[Path] = []
        self.writers = {
            name: TableWriter(
                self.out_dir / f"{name}.parquet",
                self.out_dir / f"{name}.csv" if name in small_tables else None,
                csv_max_rows,
            )
            for name in STREAMED_TABLES
        }
        self._spill = tempfile.TemporaryDirectory(prefix="framing-terms-")
        self.term_counts = TermCounts(Path(self._spill.name))
        self.parts: dict[str, list] = {}
        self._frame_rates: pd.DataFrame | None = None
        self.rejected: list[pd.DataFrame] = []
        self.repairs: list[pd.DataFrame] = []
        self.seen: dict[str, tuple[bytes, str, int | None]] = {}
        self.used: set[str] = set()
        self.columns: list[str] | None = None
        self.seconds: Counter = Counter()
        self.wall = 0.0
        self.sources: list[str] = []
        self.next_index = 0

    # -- receiving partitions ---------------------------------------------------------------

    def add(self, result: PartitionResult) -> None:
        """Take one partition's result (partitions must arrive in order)."""
        if result.index != self.next_index:
            raise RuntimeError(f"partition {result.index} arrived before {self.next_index}")
        self.next_index += 1
        if self.sharded:
            result = self._check_ids(result)
            self.sources.append(result.source)
        if result.rejected is not None:
            self.rejected.append(result.rejected)
            self.repairs.append(result.repairs)
        self.account.inputs += result.n_input
        self.account.rejected += 0 if result.rejected is None else len(result.rejected)
        self.account.articles += result.n_articles
        self.account.sentences += result.n_sentences
        self.account.cleaning_removals += result.n_removals
        self.seconds.update(result.seconds)
        self.wall += result.wall
        if self.columns is None:
            self.columns = result.article_columns

        for name, table in result.streamed():
            self.writers[name].write(table)
            del table
        keep = [
            c
            for c in ("article_id", "outlet", self.settings.group_by)
            if c in result.articles.columns
        ]
        self._keep("articles", result.articles[list(dict.fromkeys(keep))])
        self._keep("summary", result.summary)
        self._keep("article_tone", result.article_tone)
        self._keep("tone_bins", result.tone_bins)
        self._keep("frame_rates", result.frame_rates)  # (ids, categories, article x category)
        self._add_audit(result.frame_audit)
        if result.scored is not None:
            self._keep("scored", result.scored)
        if result.frame_sentences is not None:
            self._keep("frame_sentences", result.frame_sentences)
        if result.mentions is not None:
            self._keep("mentions", result.mentions)
            self._keep("mentioned", result.mentioned)
        if result.quotes is not None:
            self.writers["quotes"].write(result.quotes)
            self.account.quotes += len(result.quotes)
            slim = result.quotes[QUOTE_SUMMARY_COLUMNS].copy()
            slim.loc[~slim["scare"], "text"] = ""
            self._keep("quotes", slim)
            self._keep("article_voices", result.article_voices)
        self.term_counts.add(result.dtm)
        release_memory()

    def _keep(self, name: str, value) -> None:
        self.parts.setdefault(name, []).append(value)

    def _add_audit(self, audit: pd.DataFrame) -> None:
        """Add a partition's frame audit to the running sums (per outlet and term)."""
        self._keep("frame_audit", audit)
        if len(self.parts["frame_audit"]) >= 8:
            self.parts["frame_audit"] = [_sum_audit(pd.concat(self.parts["frame_audit"]))]

    def _check_ids(self, result: PartitionResult) -> PartitionResult:
        """Ids repeated from an earlier shard: rejected (same text) or renamed ``id#2``."""
        ids = result.articles["article_id"].tolist()
        repeated, renamed = {}, {}
        for article_id, digest in zip(ids, map(_digest, result.articles["text"].tolist())):
            if article_id not in self.used:
                continue
            if self.seen[article_id][0] == digest:
                _, file, row = self.seen[article_id]
                repeated[article_id] = f"{file}, row {row}" if row is not None else str(file)
                continue
            n, new = 1, article_id
            while new in self.used or new in ids or new in renamed.values():
                n += 1
                new = f"{article_id}#{n}"
            renamed[article_id] = new
        if repeated:
            rows = result.articles[result.articles["article_id"].isin(repeated)]
            result = self.reprocess(result.index, frozenset(repeated))
            self.rejected.append(
                _account_rows(
                    rows,
                    REJECTED_COLUMNS,
                    "reason",
                    [f"duplicate of article_id {a!r} at {repeated[a]}" for a in rows["article_id"]],
                )
            )
        if renamed:
            _rename_ids(result, renamed)
            rows = result.articles[result.articles["article_id"].isin(renamed.values())]
            old = {new: old for old, new in renamed.items()}
            notes = [
                f"duplicate article_id {old[a]!r} with different text (in an earlier shard): "
                f"renamed {a!r}"
                for a in rows["article_id"]
            ]
            self.repairs.append(_account_rows(rows, REPAIR_COLUMNS, "repair", notes))
        articles = result.articles
        rows = [None if pd.isna(r) else int(r) for r in articles["source_row"]]
        for article_id, text, file, row in zip(
            articles["article_id"], articles["text"], articles["source_file"], rows
        ):
            self.seen.setdefault(article_id, (_digest(text), file, row))
            self.used.add(article_id)
        return result

    # -- the summaries ----------------------------------------------------------------------

    def _concat(self, name: str) -> pd.DataFrame | None:
        parts = self.parts.pop(name, None)
        if not parts:
            return None
        return pd.concat(parts, ignore_index=True)

    def finish(
        self,
        *,
        rejected: pd.DataFrame | None = None,
        repairs: pd.DataFrame | None = None,
        pool: Executor | None = None,
    ) -> tuple[Tables, list[Path]]:
        """Every summary table; the streamed tables' files closed.

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
        s = self.settings
        if rejected is not None:
            self.rejected.insert(0, rejected)
            self.repairs.insert(0, repairs)
            self.account.inputs += len(rejected)
            self.account.rejected += len(rejected)
        rejected = _concat_or_empty(self.rejected, REJECTED_COLUMNS)
        repairs = _concat_or_empty(self.repairs, REPAIR_COLUMNS)
        self.account.rejected = len(rejected)
        articles = self._concat("articles")
        summary = self._concat("summary")
        merged = self._merge_outlets(articles, summary, repairs)
        if merged is not None:
            repairs = pd.concat([repairs, merged], ignore_index=True)
        finish_terms = self._terms(articles, pool)  # on the pool, while the rest run
        files = []
        for writer in self.writers.values():
            files.extend(writer.close())
        streamed = {name: w.path for name, w in self.writers.items() if w.rows or w.writer}
        memory: dict[str, pd.DataFrame] = {"rejected": rejected, "repairs": repairs}
        options = {"n_resamples": s.n_resamples, "seed": s.seed, "confidence": s.confidence}

        release_memory(collect=True)
        # what does not need the distinctive words comes first, so that it runs while they
        # are made
        steps = progress.bar(
            ["tone", "frames", "voices", "groups", "distinctive words"],
            desc="summaries",
            unit="step",
        )
        for number, step in enumerate(steps):
            if number:
                release_memory()
            if step == "tone":
                memory.update(self._tone(articles, options))
            elif step == "frames":
                memory.update(self._frames(articles))
            elif step == "voices" and self.features.voices:
                memory.update(self._voices(articles, streamed))
            elif step == "groups" and s.group_by != "outlet":
                memory.update(self._groups(articles, memory))
            elif step == "distinctive words":
                memory.update(finish_terms())
        self._frame_rates = None
        self.term_counts.close()
        self._spill.cleanup()
        if self.term_files:
            files.extend(self.term_files)
            streamed["term_scores"] = self.term_files[0]
        memory["_summary"] = summary
        memory["_articles"] = articles
        return Tables(memory, streamed), files

    def _merge_outlets(self, articles, summary, repairs) -> pd.DataFrame | None:
        """Outlet names that differ only in case across shards: one spelling (the most
        frequent, the first seen on a tie), as within one file."""
        if not self.sharded or articles is None or not len(articles):
            return None
        counts: dict[str, Counter] = {}
        for outlet in articles["outlet"]:
            counts.setdefault(outlet.casefold(), Counter())[outlet] += 1
        chosen, notes = {}, []
        for spellings in counts.values():
            if len(spellings) < 2:
                continue
            winner = max(spellings, key=spellings.__getitem__)
            for spelling, n in spellings.items():
                if spelling != winner:
                    chosen[spelling] = winner
                    notes.append(
                        f"outlet {spelling!r} ({n} article{'s' * (n > 1)}) merged into "
                        f"{winner!r} ({spellings[winner]}): names that differ only in case "
                        "are one outlet (across shards)"
                    )
        if not chosen:
            return None
        for name in ("article_tone", "frame_audit", "article_voices"):
            for part in self.parts.get(name, []):
                part["outlet"] = part["outlet"].replace(chosen)
        articles["outlet"] = articles["outlet"].replace(chosen)
        summary["outlet"] = summary["outlet"].replace(chosen)
        self._rewrite_outlets(chosen)
        return pd.DataFrame(
            {
                "article_id": pd.array([None] * len(notes), dtype=_STR),
                "source_file": pd.array([self.source] * len(notes), dtype=_STR),
                "source_row": pd.array([None] * len(notes), dtype="Int64"),
                "column": pd.array([None] * len(notes), dtype=_STR),
                "repair": pd.array(notes, dtype=_STR),
            }
        )

    def _rewrite_outlets(self, chosen: dict[str, str]) -> None:
        """Rename outlets in the already written articles file, one row group at a time."""
        writer = self.writers["articles"]
        if writer.writer is None:
            return
        writer.writer.close()
        writer.writer = None
        source = pq.ParquetFile(writer.path)
        temporary = writer.path.with_suffix(".rewrite.parquet")
        with pq.ParquetWriter(temporary, source.schema_arrow) as out:
            for group in range(source.num_row_groups):
                frame = source.read_row_group(group).to_pandas()
                frame["outlet"] = frame["outlet"].replace(chosen)
                out.write_table(
                    pa.Table.from_pandas(frame, schema=source.schema_arrow, preserve_index=False)
                )
        temporary.replace(writer.path)
        writer.writer = _ClosedWriter()

    def _tone(self, articles, options) -> dict[str, pd.DataFrame]:
        s = self.settings
        tone = self._concat("article_tone")
        bins = self._concat("tone_bins")
        scored = self.parts.get("scored")
        scored = pd.concat(scored, ignore_index=True) if scored else None
        out = {
            "article_tone": tone,
            "outlet_tone": sentiment.outlet_tone(tone, scored, unit=s.tone_unit, **options),
            "tone_by_position": sentiment.tone_by_position(
                scored if s.tone_unit == "sentence" else bins,
                tone,
                bins=s.position_bins,
                unit=s.tone_unit,
                **options,
            ),
        }
        if self.features.actors is None:
            return out
        actor_list = actors.read_actors(self.features.actors)
        mentions = self._concat("mentions")
        mentioned = self._concat("mentioned")
        if mentions is None:
            mentions = actors.find_mentions(pd.DataFrame(columns=["article_id", "sentence_id",
                                                                  "text"]), actor_list)  # fmt: skip
            mentioned = pd.DataFrame(columns=["article_id", "sentence_id", "voice", "compound"])
        mentions["actor"] = pd.Categorical(
            mentions["actor"].astype(str), categories=[a.name for a in actor_list]
        )
        mentions = mentions.sort_values(["article_id", "sentence_id", "actor"], ignore_index=True)
        out["actor_mentions"] = mentions
        out["actor_tone"] = sentiment.actor_tone(
            mentioned, mentions, tone, actors=[a.name for a in actor_list], **options
        )
        return out

    def _frames(self, articles) -> dict[str, pd.DataFrame]:
        s = self.settings
        f = self.features
        options = {
            "n_resamples": s.frames_n_resamples,
            "seed": s.frames_seed,
            "confidence": s.frames_confidence,
        }
        dictionary = lexicon.read_dictionary(f.dictionary)
        if f.level is not None:
            dictionary = dictionary.at_level(f.level)
        rates = self._frame_rates = _long_rates(self.parts.pop("frame_rates", []))
        matches = sentences = None
        if s.frames_unit == "sentence":
            parts = self.parts.pop("frame_sentences", [])
            categories = list(dictionary.categories)
            counts = sparse.vstack([p[0] for p in parts]).tocsr() if parts else None
            matches = lexicon.Matches(
                categories=categories,
                terms=categories,
                term_counts=counts,
                term_negated=sparse.csr_matrix(counts.shape),
                term_categories=sparse.identity(len(categories), format="csr"),
                term_patterns={},
                tokens=np.concatenate([p[1] for p in parts]),
            )
            sentences = pd.concat(self.parts["scored"], ignore_index=True)
        summary = lexicon.outlet_frames(
            rates,
            articles,
            unit=s.frames_unit,
            matches=matches,
            sentences=sentences,
            **options,
        )
        audit = _sum_audit(self._concat("frame_audit")).sort_values(
            ["outlet", "category", "count", "term"],
            ascending=[True, True, False, True],
            ignore_index=True,
        )
        described = pd.DataFrame(
            [
                {
                    "name": dictionary.name,
                    "categories": len(dictionary.categories),
                    "patterns": sum(len(p) for p in dictionary.categories.values()),
                    "negation": f.negation,
                    "weighted": dictionary.weighted,
                    **{
                        key: dictionary.meta.get(key)
                        for key in ("source", "licence", "intended_use")
                    },
                }
            ]
        )
        return {"outlet_frames": summary, "frame_audit": audit, "frame_dictionary": described}

    def _chosen_groups(self, articles) -> tuple[pd.Series, list[str]]:
        s = self.settings
        if s.group_by not in articles:  # the corpus's columns, not the few kept here
            raise CorpusError(
                f"no column {s.group_by!r} to group articles by "
                f"(columns: {', '.join(map(str, self.columns or []))})"
            )
        return groups.choose_groups(articles, s.group_by, groups=s.groups, max_groups=s.max_groups)

    def _groups(self, articles, memory) -> dict[str, pd.DataFrame]:
        """Tone, frames and voices per group when the groups are not the outlets."""
        s = self.settings
        found = groups.group_measures(
            articles,
            s.group_by,
            groups=s.groups,
            max_groups=s.max_groups,
            tone=memory.get("article_tone"),
            frame_rates=self._frame_rates,
            voices=memory.get("article_voices"),
            n_resamples=s.n_resamples,
            seed=s.seed,
            confidence=s.confidence,
        )
        return {"group_measures": found} if len(found) else {}

    def _terms(self, articles, pool=None) -> Callable[[], dict[str, pd.DataFrame]]:
        """Start the distinctive-word tables, on ``pool`` (an executor) when given, so that
        they are made while this process makes the other summaries; returns a function
        that waits for them."""
        labels, chosen = self._chosen_groups(articles)
        sizes = labels.value_counts()
        labels = labels[labels.isin(chosen)]
        if len(chosen) < 2:
            log.info("distinctive words: skipped (fewer than two groups)")
            return dict
        units = groups.test_units(articles, self.settings.group_by)
        units = None if units is None else units.reindex(labels.index)
        arguments = (self.term_counts, labels.astype(object), chosen, sizes, self.settings,
                     self.out_dir, self.small_tables, self.csv_max_rows, units)  # fmt: skip
        if pool is None:
            done = distinctive_tables(*arguments)
            return lambda: self._took_terms(done)
        future = pool.submit(distinctive_tables, *arguments)
        return lambda: self._took_terms(future.result())

    def _took_terms(self, done: tuple[dict, list[Path], str | None]) -> dict[str, pd.DataFrame]:
        tables, self.term_files, note = done
        if note:
            log.info(note)
        if isinstance(tables.get("term_pair"), SpilledTable):
            tables["term_pair"] = tables["term_pair"].take().to_pandas()
        return tables

    def _voices(self, articles, streamed) -> dict[str, pd.DataFrame]:
        s = self.settings
        table = quotes.read_speakers(self.features.speakers)
        found = self._concat("quotes")
        voices = self._concat("article_voices")
        if found is None:
            found = pd.DataFrame(columns=QUOTE_SUMMARY_COLUMNS)
        options = {
            "n_resamples": s.voices_n_resamples,
            "seed": s.voices_seed,
            "confidence": s.voices_confidence,
        }
        scare_outlets = set(
            articles.loc[articles["article_id"].isin(found.loc[found["scare"], "article_id"]),
                         "outlet"]
        )  # fmt: skip
        texts = _read_rows(
            streamed.get("articles"), ["article_id", "outlet", "text_clean"], "outlet",
            scare_outlets,
        )  # fmt: skip
        return {
            "article_voices": voices,
            "outlet_voices": quotes.outlet_voices(voices, **options),
            "speaker_shares": quotes.speaker_shares(
                found, articles, categories=list(table.categories), **options
            ),
            "speaker_table": quotes.speaker_table(found, articles),
            "quote_tone": quotes.quote_tone(found, articles, **options),
            "scare_quotes": quotes.scare_quotes(found, texts),
        }


def distinctive_tables(
    term_counts: TermCounts,
    labels: pd.Series,
    chosen: list[str],
    sizes: pd.Series,
    settings: SummarySettings,
    out_dir: Path,
    small_tables: tuple[str, ...],
    csv_max_rows: int | None,
    units: pd.Series | None = None,
) -> tuple[dict[str, pd.DataFrame], list[Path], str | None]:
    """The distinctive-word tables from the spilled term counts: ``term_scores`` written
    (comparison by comparison) to ``out_dir``, ``term_pair`` (as a :class:`SpilledTable` in
    the spill folder) and ``term_settings`` returned.

    A plain function of its arguments, so a worker process can run it. ``labels`` gives the
    group of each compared article (indexed by ``article_id``), ``chosen`` the groups and
    ``sizes`` every group's article count (for the default pair), ``units`` the outlet of
    each compared article when the test's unit is the outlet. Returns the tables, the
    files written and a note for the log (None when there is nothing to say).
    """
    s = settings
    pair = s.pair or tuple(sorted(chosen, key=lambda g: (-sizes[g], g))[:2])
    min_count = s.min_count or (2 if len(labels) < 100 else 5)
    found = term_counts.distinctive(
        labels,
        pair=pair,
        min_count=min_count,
        units=units,
        correction=s.correction,
        prior=s.prior,
        scale=s.prior_scale,
        variance=s.variance,
    )
    if found is None:
        return {}, [], f"distinctive words: skipped (no term used {min_count} times or more)"
    rows = found.n_terms * labels.nunique()  # every term in every comparison
    csv = "term_scores" in small_tables and (csv_max_rows is None or rows <= csv_max_rows)
    writer = TableWriter(
        out_dir / "term_scores.parquet",
        out_dir / "term_scores.csv" if csv else None,
        csv_max_rows,
    )
    writer.csv_dropped = "term_scores" in small_tables and not csv
    for comparison in found.scores:
        writer.write(comparison)
        del comparison
        release_memory()
    files = writer.close()
    # term_pair goes back through a file, and this process gives its memory back first: on
    # a large corpus it held the group x term arrays (a gigabyte at ten times AllSides)
    # while the reducing process received the table
    pair_table = SpilledTable.write(found.pair, term_counts.folder / "term_pair")
    n_terms, found = found.n_terms, None
    release_memory()
    options = {"prior": s.prior, "scale": s.prior_scale, "variance": s.variance}
    described = pd.DataFrame(
        [
            {
                "group_by": s.group_by,
                "groups": "; ".join(sorted(chosen)),
                "pair": " vs ".join(pair),
                "articles": len(labels),
                "terms": n_terms,
                "ngram_max": s.ngram_max,
                "min_count": min_count,
                "stop_words": len(terms.STOP_WORDS),
                "test_unit": "article" if units is None else "outlet",
                "correction": s.correction,
                **options,
            }
        ]
    ).rename(columns={"scale": "prior_scale"})
    return {"term_pair": pair_table, "term_settings": described}, files, None


class _ClosedWriter:
    def close(self) -> None:
        pass


def _long_rates(parts: list) -> pd.DataFrame:
    """The ``voice == "all"`` rows of ``frame_scores`` that the article-level frame summary
    reads (``article_id, voice, category, rate``, article by article in corpus order, the
    categories in dictionary order), from the partitions' article x category arrays."""
    if not parts:
        return pd.DataFrame(columns=["article_id", "voice", "category", "rate"])
    ids = np.concatenate([p[0] for p in parts])
    categories = np.asarray(parts[0][1], dtype=object)
    rates = np.concatenate([p[2] for p in parts]).ravel()
    return pd.DataFrame(
        {
            "article_id": np.repeat(ids, len(categories)),
            "voice": "all",
            "category": np.tile(categories, len(ids)),
            "rate": rates,
        }
    )


def _sum_audit(audit: pd.DataFrame) -> pd.DataFrame:
    """Frame audit rows summed per outlet, category, term and pattern (a term matches one
    pattern per category, whatever the partition)."""
    keys = ["outlet", "category", "term", "pattern"]
    return (
        audit.groupby(keys, sort=False, observed=True)[["count", "negated"]]
        .sum()
        .reset_index()
        .astype({"count": "int64", "negated": "int64"})
    )


def _read_rows(path: Path | None, columns: list[str], key: str, values: set) -> pd.DataFrame:
    """The rows of a Parquet file whose ``key`` is in ``values``, one row group at a time."""
    if path is None or not values:
        return pd.DataFrame(columns=columns)
    source = pq.ParquetFile(path)
    parts = []
    for group in range(source.num_row_groups):
        frame = source.read_row_group(group, columns=columns).to_pandas()
        parts.append(frame[frame[key].isin(values)])
    return pd.concat(parts, ignore_index=True)


def _account_rows(rows: pd.DataFrame, columns: list[str], name: str, notes: list[str]):
    """Rows of the rejected or repairs table for some loaded articles."""
    return pd.DataFrame(
        {
            "source_file": pd.array(rows["source_file"].tolist(), dtype=_STR),
            "source_row": pd.array(rows["source_row"].tolist(), dtype="Int64"),
            "article_id": pd.array(rows["article_id"].tolist(), dtype=_STR),
            "column": pd.array([None] * len(rows), dtype=_STR),
            name: pd.array(notes, dtype=_STR),
        }
    )[columns]


def _concat_or_empty(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    parts = [p for p in parts if p is not None]
    if not parts:
        return pd.DataFrame({c: pd.array([], dtype=_STR) for c in columns})
    return pd.concat(parts, ignore_index=True)[columns]
