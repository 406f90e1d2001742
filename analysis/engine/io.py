"""The run's files: Parquet and CSV written part by part, tables read back on demand.

:class:`TableWriter` appends a table's parts to its Parquet file (and CSV for the tables a
spreadsheet user reads); :class:`FileSink` is where a run's measures find the streamed
tables and write theirs (:mod:`analysis.measures.base`); :class:`Tables` is every table of
a finished run by name, the streamed ones read from their files only when asked for.
"""

from __future__ import annotations

import ctypes
import gc
import logging
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from analysis import progress, registry
from analysis.corpus import CorpusError

log = logging.getLogger(__name__)

CSV_MAX_ROWS = 1_000_000
"""Longer tables are written as Parquet only: spreadsheets cannot open them anyway."""


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

    def rewrite_column(self, column: str, replaced: dict) -> None:
        """Replace values of ``column`` in what is written so far, one row group at a time,
        and finish the file (outlet names merged across shards, known only at the end)."""
        if self.writer is None:
            return
        self.writer.close()
        self.writer = None
        source = pq.ParquetFile(self.path)
        temporary = self.path.with_suffix(".rewrite.parquet")
        with pq.ParquetWriter(temporary, source.schema_arrow) as out:
            for group in range(source.num_row_groups):
                frame = source.read_row_group(group).to_pandas()
                frame[column] = frame[column].replace(replaced)
                out.write_table(
                    pa.Table.from_pandas(frame, schema=source.schema_arrow, preserve_index=False)
                )
        temporary.replace(self.path)
        self.writer = _ClosedWriter()

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
    Parquet file each time they are asked for (so holding this mapping costs nothing).

    Attributes
    ----------
    article_index : DataFrame
        ``article_id``, ``outlet`` and the compared column of every article, in corpus
        order (what the figures and the explorer label articles with).
    article_counts : DataFrame
        ``article_id, outlet, words, published``: the manifest's outlet summary.
    """

    def __init__(
        self,
        memory: dict[str, pd.DataFrame],
        files: dict[str, Path],
        *,
        article_index: pd.DataFrame | None = None,
        article_counts: pd.DataFrame | None = None,
    ):
        self._memory = {n: t for n, t in memory.items() if not n.startswith("_")}
        self._files = dict(files)
        self.article_index = article_index
        self.article_counts = article_counts

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name in self._memory:
            return self._memory[name]
        if name in self._files:
            return pd.read_parquet(self._files[name])
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        yield from self._memory
        yield from (name for name in self._files if name not in self._memory)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def read(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        """Some columns of a table (read from its file when it is streamed)."""
        if name in self._memory:
            table = self._memory[name]
            return table if columns is None else table[columns]
        return pd.read_parquet(self._files[name], columns=columns)

    def rows(self, name: str, key: str, values: set) -> pd.DataFrame:
        """The rows of a table whose ``key`` is in ``values`` (a streamed table read one row
        group at a time, never whole)."""
        if name in self._memory:
            table = self._memory[name]
            return table[table[key].isin(values)].reset_index(drop=True)
        columns = pq.ParquetFile(self._files[name]).schema_arrow.names
        return _read_rows(self._files[name], columns, key, values)

    def added(self, memory: Mapping[str, pd.DataFrame]) -> Tables:
        """The same tables and ``memory``'s (held in memory)."""
        return Tables(
            {**self._memory, **memory},
            self._files,
            article_index=self.article_index,
            article_counts=self.article_counts,
        )

    def relocated(self, where: Callable[[Path], Path]) -> Tables:
        """The same tables, with the streamed ones read from ``where(path)`` (a run's
        outputs are published from staging folders; see :mod:`analysis.staging`)."""
        return Tables(
            self._memory,
            {name: where(path) for name, path in self._files.items()},
            article_index=self.article_index,
            article_counts=self.article_counts,
        )

    @property
    def in_memory(self) -> dict[str, pd.DataFrame]:
        """The tables held in memory."""
        return dict(self._memory)


class FileSink:
    """The streamed tables of a run on disk: read back by rows, and written by table name
    (a CSV beside the Parquet file for the tables :mod:`analysis.registry` marks ``csv``,
    unless longer than :data:`CSV_MAX_ROWS`). Picklable: a worker process writes with it."""

    def __init__(self, out_dir: Path, files: dict[str, Path] | None = None):
        self.out_dir = Path(out_dir)
        self.files: dict[str, Path] = dict(files or {})
        self.written: list[Path] = []

    def rows(self, name: str, columns: list[str], key: str, values: set) -> pd.DataFrame:
        return _read_rows(self.files.get(name), columns, key, values)

    def open(self, name: str, rows: int | None = None) -> TableWriter:
        """The writer of a table of about ``rows`` rows (no CSV when that is too long)."""
        csv = registry.spec(name).csv
        fits = rows is None or rows <= CSV_MAX_ROWS
        writer = TableWriter(
            self.out_dir / f"{name}.parquet",
            self.out_dir / f"{name}.csv" if csv and fits else None,
            CSV_MAX_ROWS,
        )
        writer.csv_dropped = csv and not fits
        return writer

    def record(self, name: str, files: list[Path]) -> None:
        """A table written elsewhere (by a worker): its files."""
        self.files[name] = files[0]
        self.written.extend(files)

    def release(self) -> None:
        release_memory()

    def keep(self, name: str, save) -> Path:
        """Save a file at ``OUT/name`` with ``save(path)`` and count it as written."""
        path = save(self.out_dir / name)
        self.written.append(path)
        return path


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write each table as Parquet, and as CSV too when :mod:`analysis.registry` says so
    (unless it has more than :data:`CSV_MAX_ROWS` rows); the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in progress.bar(tables.items(), total=len(tables), desc="tables", unit="table"):
        path = out_dir / f"{name}.parquet"
        table.to_parquet(path, index=False)
        written.append(path)
        csv = registry.spec(name).csv
        if csv and len(table) > CSV_MAX_ROWS:
            log.info("%s: %d rows, written as Parquet only", name, len(table))
        elif csv:
            target = out_dir / f"{name}.csv"
            write_csv(table, target)
            written.append(target)
    return written


class _ClosedWriter:
    def close(self) -> None:
        pass


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
