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
import queue
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analysis.corpus.decode import NotText, decode_bytes, utf8_first
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
        if compression == ".xz" and fmt in _JSONL and encoding is None:
            streamed = _read_jsonl_while_decompressing(path, label)
            if isinstance(streamed, Records):
                return streamed
            data = streamed  # the whole file, for the checks below
        else:
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
    parsed = _JsonLines(label)
    parsed.feed(content)
    return parsed.records()


class _JsonLines:
    """JSON Lines parsed piece by piece: :meth:`feed` takes the text of whole lines (the
    line breaks between them, not the last one) and numbers them on from the last."""

    def __init__(self, label: str):
        self.label = label
        self.objects: list[dict] = []
        self.lines: list[int] = []
        self.rejected: list[tuple] = []
        self.keys: dict = {}
        self.number = 0

    def feed(self, text: str) -> None:
        for line in text.split("\n"):
            self.number += 1
            if not line or line.isspace():
                continue
            try:
                obj = json.loads(line, strict=False)  # a raw tab or NUL in a string is fine
            except json.JSONDecodeError as err:
                self.rejected.append(
                    (self.label, self.number, None, None, f"not valid JSON ({err})")
                )
                continue
            if isinstance(obj, dict):
                self.objects.append(obj)
                self.lines.append(self.number)
                self.keys.update(dict.fromkeys(obj))
            else:
                problem = f"not a JSON object (got {type(obj).__name__})"
                self.rejected.append((self.label, self.number, None, None, problem))

    def records(self) -> Records:
        objects, lines, rejected = self.objects, self.lines, self.rejected
        if not objects and not rejected:
            raise CorpusError(f"{self.label}: the file is empty")
        columns = {key: [obj.get(key) for obj in objects] for key in self.keys}
        n = len(objects) + len(rejected)
        return Records(columns, lines, [self.label] * len(lines), n, rejected)


_CHUNK = 1 << 22  # bytes decompressed at a time (4 MiB)


def _xz_chunks(data: bytes) -> Iterator[bytes]:
    """:func:`lzma.decompress` of ``data``, a few MiB at a time, with the same errors: each
    call decompresses a whole chunk without the GIL (:func:`lzma.open` gives it up and
    takes it back every few KiB, and waits for it each time while another thread parses).
    A stream after the first is given whole, as :func:`lzma.decompress` leaves out one
    that is not valid."""
    first = True
    while True:
        decompressor = lzma.LZMADecompressor()
        given, later = False, []  # later: a later stream's output, until it is whole
        while not decompressor.eof:
            if given and decompressor.needs_input:
                raise lzma.LZMAError(
                    "Compressed data ended before the end-of-stream marker was reached"
                )
            try:
                chunk = decompressor.decompress(b"" if given else data, _CHUNK)
            except lzma.LZMAError:
                if first:
                    raise
                return  # leftover data that is not a valid stream: ignored
            given = True
            if first:
                yield chunk
            else:
                later.append(chunk)
        if not first:
            yield b"".join(later)
        first = False
        data = decompressor.unused_data
        if not data:
            return


def _read_jsonl_while_decompressing(path: Path, label: str) -> Records | bytes:
    """The records of an xz-compressed JSON Lines file, parsed while a thread decompresses
    the rest (the decompressors release the GIL: on AllSides the file is read in the time of
    the decompression alone, a second less). A file that is not plain UTF-8 text (a
    byte-order mark, NUL or control bytes in its first 8 KiB, or an invalid byte anywhere)
    comes back as its decompressed bytes, for :func:`read_table`'s checks on the whole
    file; so does an empty one. Decompression errors are raised as they come."""
    chunks: queue.Queue = queue.Queue(maxsize=4)

    def decompress() -> None:
        try:
            for chunk in _xz_chunks(path.read_bytes()):
                chunks.put(chunk)
        except BaseException as err:  # noqa: BLE001 - handed to the reading thread
            chunks.put(err)
            return
        chunks.put(None)

    # the decompressor takes the GIL back after each block of its output: with the default
    # switch interval (5 ms) it waits that long each time while this thread parses
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, 0.0005))
    try:
        return _parse_chunks(chunks, threading.Thread(target=decompress, daemon=True), label)
    finally:
        sys.setswitchinterval(interval)


def _parse_chunks(chunks: queue.Queue, decompressing: threading.Thread, label: str):
    """:func:`_read_jsonl_while_decompressing`'s reading side."""
    decompressing.start()
    raw: list[bytes] = []
    parsed, pending, plain, visible = _JsonLines(label), b"", None, False
    while (chunk := chunks.get()) is not None:
        if isinstance(chunk, BaseException):
            raise chunk
        raw.append(chunk)
        if plain is None and (len(pending) + len(chunk) >= 8192):
            plain = utf8_first((pending + chunk)[:8192])
        if plain is False:
            continue
        pending += chunk
        if plain is None:
            continue
        cut = pending.rfind(b"\n")
        if cut < 0:
            continue
        try:
            text = pending[:cut].decode("utf-8")
        except UnicodeDecodeError:
            plain = False
            continue
        pending = pending[cut + 1 :]
        visible = visible or not text.isspace()
        parsed.feed(text)
    if plain is None:  # the whole file is under 8 KiB
        plain = utf8_first(pending[:8192])
    if plain:
        try:
            text = pending.decode("utf-8")
        except UnicodeDecodeError:
            plain = False
        else:
            visible = visible or (bool(text) and not text.isspace())
    if not plain or not visible:
        return b"".join(raw)
    parsed.feed(text)
    return parsed.records()


def records_from_frame(frame: pd.DataFrame, label: str) -> Records:
    """Records of a DataFrame (or Parquet table): source_row is the position + 1."""
    if frame.columns.duplicated().any():
        raise CorpusError(f"{label}: duplicate column names ({format_names(frame.columns)})")
    if len(frame) == 0:
        raise CorpusError(f"{label}: is empty (no rows)")
    n = len(frame)
    return Records(frame.reset_index(drop=True), list(range(1, n + 1)), [label] * n, n)
