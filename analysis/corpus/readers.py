"""Readers: CSV/TSV, JSON Lines and Parquet files and DataFrames into records.

Each reader returns :class:`~analysis.corpus.records.Records` with every input row or file
either kept as a record or listed as rejected; validation happens in
:mod:`analysis.corpus.build`. Folders of ``.txt`` files are read by
:mod:`analysis.corpus.folders`.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
from pathlib import Path

import pandas as pd

from analysis.corpus.decode import NotText, decode_bytes
from analysis.corpus.records import Records, format_names
from analysis.corpus.tables import CorpusError

_DELIMITERS = {".csv": ",", ".tsv": "\t", ".tab": "\t"}
_JSONL = (".jsonl", ".ndjson")
_DECOMPRESS = {".gz": gzip.decompress, ".xz": lzma.decompress, ".bz2": bz2.decompress}
_SUPPORTED = (
    "a folder of .txt files (+ metadata.csv), .csv, .tsv, .tab, .jsonl, .ndjson, "
    ".parquet; tables may end in .gz, .xz or .bz2"
)


def read_table(path: Path, label: str, encoding: str | None) -> Records:
    """Parse a CSV/TSV, JSON Lines or Parquet file (maybe compressed) into records."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    fmt = suffixes[-1] if suffixes else ""
    compression = fmt if fmt in _DECOMPRESS else None
    if compression:
        fmt = suffixes[0] if len(suffixes) == 2 else ""
    if fmt not in (*_DELIMITERS, *_JSONL, ".parquet"):
        raise CorpusError(
            f"{label}: unsupported format {''.join(suffixes) or '(no extension)'}"
            f"; supported: {_SUPPORTED}"
        )
    try:
        data = path.read_bytes()
        if compression:
            data = _DECOMPRESS[compression](data)
        frame = pd.read_parquet(io.BytesIO(data)) if fmt == ".parquet" else None
    except (OSError, EOFError, ValueError, lzma.LZMAError) as err:
        raise CorpusError(f"{label}: cannot read the file ({err})") from None
    if frame is not None:
        return records_from_frame(frame, label)
    try:
        content, note = decode_bytes(data, encoding)
    except NotText:
        raise CorpusError(f"{label}: looks like a binary file, not text") from None
    except UnicodeDecodeError as err:
        raise CorpusError(f"{label}: not valid {encoding} ({err})") from None
    if not content or content.isspace():
        raise CorpusError(f"{label}: the file is empty")
    nul = 0
    if fmt in _JSONL:
        records = _parse_jsonl(content, label)
    else:
        if "\x00" in content:  # the csv module of Python 3.10 cannot parse a line with NUL
            nul, content = content.count("\x00"), content.replace("\x00", "")
        records = _parse_delimited(content, label, _DELIMITERS[fmt])
    if note:
        records.repairs.append((None, label, None, None, note))
    if nul:
        removed = f"removed {nul} NUL character{'s' * (nul > 1)} (U+0000) before parsing"
        records.repairs.append((None, label, None, None, removed))
    return records


def _parse_delimited(content: str, label: str, delimiter: str) -> Records:
    """Records of a CSV/TSV text; ragged or badly quoted rows are rejected with their line.

    A record the csv module cannot parse (a stray or unclosed quotation mark) is rejected and
    parsing restarts on the physical line after the one the record started on, so one bad
    quotation mark costs one row, not the rest of the file.
    """
    lines = io.StringIO(content, newline="").readlines()  # ends at \n, \r\n or a lone \r
    header, rows, starts, rejected = None, [], [], []
    base, reader = 0, _reader(lines, 0, delimiter)  # base: lines before the reader's first
    limit = csv.field_size_limit(2**31 - 1)
    try:
        while True:
            start = base + reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                problem = _parse_problem(err, start, base + reader.line_num)
                if header is None:
                    raise CorpusError(f"{label}, row {start}: {problem}") from None
                problem += (
                    f"; parsing resumed on line {start + 1}"
                    if start < len(lines)
                    else "; it was the last line of the file"
                )
                rejected.append((label, start, None, None, problem))
                base, reader = start, _reader(lines, start, delimiter)
                continue
            end = base + reader.line_num
            if not fields:
                continue
            if header is None:
                _check_delimiter(fields, delimiter, label)
                header = [f.strip() or f"column_{i}" for i, f in enumerate(fields, 1)]
                if len(set(header)) < len(header):
                    raise CorpusError(
                        f"{label}: duplicate column names in the header ({', '.join(header)})"
                    )
            elif len(fields) != len(header):
                problem = f"row has {len(fields)} fields, the header has {len(header)}"
                if end > start:
                    problem += f" (the row spans lines {start}-{end}: check its quotation marks)"
                rejected.append((label, start, None, None, problem))
            else:
                rows.append(fields)
                starts.append(start)
    finally:
        csv.field_size_limit(limit)
    if not rows and not rejected:
        raise CorpusError(f"{label}: the file is empty (no rows below the header)")
    columns = {name: [r[k] for r in rows] for k, name in enumerate(header)}
    return Records(columns, starts, [label] * len(starts), len(rows) + len(rejected), rejected)


def _check_delimiter(header: list, delimiter: str, label: str) -> None:
    """Stop when a one-column header is split by another delimiter (``id;outlet;text``)."""
    if len(header) != 1:
        return
    for other, fix in ((",", "name it .csv"), ("\t", "name it .tsv"), (";", ""), ("|", "")):
        if other != delimiter and other in header[0]:
            fix = fix or "read it with pandas.read_csv(sep=...) and pass the DataFrame"
            raise CorpusError(
                f"{label}, row 1: the header is one column, {header[0]!r}: the file seems to "
                f"be delimited by {other!r}, not {delimiter!r} ({fix})"
            )


def _reader(lines: list, skip: int, delimiter: str):
    """A strict csv reader over ``lines`` from index ``skip`` on (no copy of the list)."""
    rest = (lines[k] for k in range(skip, len(lines)))
    return csv.reader(rest, delimiter=delimiter, strict=True)


def _parse_problem(err: csv.Error, start: int, end: int) -> str:
    """Why the record on lines ``start``-``end`` (where parsing failed) cannot be read."""
    if "end of data" in str(err):
        return f"unclosed quotation mark: the row starting on line {start} could not be parsed"
    where = f" on line {end}; a quotation mark may be unclosed" if end > start else ""
    return f"cannot parse the row starting on line {start} ({err}{where})"


def _parse_jsonl(content: str, label: str) -> Records:
    """Records of a JSON Lines text; bad lines are rejected, blank lines skipped."""
    objects, lines, rejected, keys = [], [], [], {}
    for number, line in enumerate(content.split("\n"), 1):
        if not line or line.isspace():
            continue
        try:
            obj = json.loads(line, strict=False)  # a raw tab or NUL in a string is no reason
        except json.JSONDecodeError as err:
            rejected.append((label, number, None, None, f"not valid JSON ({err})"))
            continue
        if isinstance(obj, dict):
            objects.append(obj)
            lines.append(number)
            keys.update(dict.fromkeys(obj))
        else:
            rejected.append(
                (label, number, None, None, f"not a JSON object (got {type(obj).__name__})")
            )
    if not objects and not rejected:
        raise CorpusError(f"{label}: the file is empty")
    columns = {key: [obj.get(key) for obj in objects] for key in keys}
    return Records(columns, lines, [label] * len(lines), len(objects) + len(rejected), rejected)


def records_from_frame(frame: pd.DataFrame, label: str) -> Records:
    """Records of a DataFrame (or Parquet table): source_row is the position + 1."""
    if frame.columns.duplicated().any():
        raise CorpusError(f"{label}: duplicate column names ({format_names(frame.columns)})")
    if len(frame) == 0:
        raise CorpusError(f"{label}: is empty (no rows)")
    n = len(frame)
    return Records(frame.reset_index(drop=True), list(range(1, n + 1)), [label] * n, n)
