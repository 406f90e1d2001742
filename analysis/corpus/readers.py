"""Readers: CSV/TSV, JSON Lines and Parquet files, DataFrames and folders into records.

Each reader returns :class:`~analysis.corpus.records.Records` with every input row or file
either kept as a record or listed as rejected; validation happens in
:mod:`analysis.corpus.build`.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import os
from pathlib import Path

import pandas as pd

from analysis.corpus.decode import NotText, decode_bytes
from analysis.corpus.records import Records, as_label, column_values, format_names, take_rows
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
    if fmt in _JSONL:
        records = _parse_jsonl(content, label)
    else:
        records = _parse_delimited(content, label, _DELIMITERS[fmt])
    if note:
        records.repairs.append((None, label, None, None, note))
    return records


def _parse_delimited(content: str, label: str, delimiter: str) -> Records:
    """Records of a CSV/TSV text; ragged or badly quoted rows are rejected with their line."""
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)
    header, rows, lines, rejected, line = None, [], [], [], 1
    limit = csv.field_size_limit(2**31 - 1)
    try:
        while True:
            try:
                fields, error = next(reader), None
            except StopIteration:
                break
            except csv.Error as err:  # the reader resumes on the next line
                fields, error = None, f"cannot parse this row ({err})"
            start, line = line, reader.line_num + 1
            if error and header is None:
                raise CorpusError(f"{label}, row {start}: {error}")
            if error:
                rejected.append((label, start, None, None, error))
            elif not fields:
                continue
            elif header is None:
                header = [f.strip() or f"column_{i}" for i, f in enumerate(fields, 1)]
                if len(set(header)) < len(header):
                    raise CorpusError(
                        f"{label}: duplicate column names in the header ({', '.join(header)})"
                    )
            elif len(fields) != len(header):
                rejected.append(
                    (
                        label,
                        start,
                        None,
                        None,
                        f"row has {len(fields)} fields, the header has {len(header)}",
                    )
                )
            else:
                rows.append(fields)
                lines.append(start)
    finally:
        csv.field_size_limit(limit)
    if not rows and not rejected:
        raise CorpusError(f"{label}: the file is empty (no rows below the header)")
    columns = {name: [r[k] for r in rows] for k, name in enumerate(header)}
    return Records(columns, lines, [label] * len(lines), len(rows) + len(rejected), rejected)


def _parse_jsonl(content: str, label: str) -> Records:
    """Records of a JSON Lines text; bad lines are rejected, blank lines skipped."""
    objects, lines, rejected, keys = [], [], [], {}
    for number, line in enumerate(content.split("\n"), 1):
        if not line or line.isspace():
            continue
        try:
            obj = json.loads(line)
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


def read_folder(folder: Path, label: str, metadata, encoding: str | None) -> Records:
    """Records of a folder of .txt files joined with their metadata rows."""
    root = folder.resolve()
    meta_path = Path(metadata) if metadata is not None else folder / "metadata.csv"
    if metadata is not None and not meta_path.is_file():
        raise CorpusError(f"{meta_path}: metadata file not found")
    meta, rejected, repairs, wanted, named, n_input = None, [], [], {}, set(), 0
    if meta_path.is_file():
        meta = read_table(meta_path, str(meta_path), encoding)
        rejected, repairs, n_input = meta.rejected, meta.repairs, meta.n_input
        file_col = next((c for c in meta.columns if str(c).lower() == "file"), None)
        if file_col is None and meta.rows:
            raise CorpusError(
                f"{meta_path}: no 'file' column naming the text files "
                f"(columns: {format_names(meta.columns)})"
            )
        names = column_values(meta.columns, file_col) if meta.rows else []
        for j, (name, line) in enumerate(zip(names, meta.rows, strict=True)):
            name = as_label(name)
            key = name and os.path.normcase(os.path.normpath(name))
            problem = (
                "no file named"
                if not name
                else f"path {name!r} is outside the corpus folder"
                if not (folder / name).resolve().is_relative_to(root)
                else f"file {name!r} already listed at row {wanted[key][2]}"
                if key in wanted
                else f"no such file {name!r}"
                if not (folder / name).is_file()
                else None
            )
            if problem:
                rejected.append((str(meta_path), line, None, file_col, problem))
            else:
                wanted[key] = (name, j, line)
            named.add(key)
    for name in sorted(
        p.name for p in folder.iterdir() if p.suffix.lower() == ".txt" and not p.is_dir()
    ):
        if meta is None:
            wanted[name] = (name, None, None)
        elif os.path.normcase(name) in named:
            continue  # accounted for by its metadata row
        else:
            rejected.append(
                (
                    str(folder / name),
                    None,
                    Path(name).stem,
                    None,
                    f"no row for this file in {meta_path.name}",
                )
            )
        n_input += 1
    if n_input == 0:
        raise CorpusError(f"{label}: no .txt files in this folder")
    texts, meta_rows, files, notes = [], [], [], []
    for name, j, _line in sorted(wanted.values(), key=lambda w: w[0]):
        path = folder / name
        try:
            if not path.resolve().is_relative_to(root):
                raise NotText("symbolic link to a file outside the corpus folder")
            data = path.read_bytes()
            if not data:
                raise NotText("empty file (0 bytes)")
            content, note = decode_bytes(data, encoding)
        except OSError as err:
            rejected.append(
                (
                    str(path),
                    None,
                    Path(name).stem,
                    None,
                    f"cannot read the file ({err.strerror or err})",
                )
            )
        except (NotText, UnicodeDecodeError) as err:
            rejected.append((str(path), None, Path(name).stem, None, str(err)))
        else:
            texts.append(content)
            meta_rows.append(j)
            files.append(str(path))
            notes.append([(None, note)] if note else [])
    columns = take_rows(meta.columns, meta_rows, list(meta.columns)) if meta else {}
    return Records(
        columns,
        [None] * len(texts),
        files,
        n_input,
        rejected,
        repairs,
        texts,
        notes,
        [Path(f).stem for f in files],
    )
