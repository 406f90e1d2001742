"""Reading and validating articles: any corpus in, one tidy ``articles`` table out.

A corpus is a folder of ``.txt`` files (with an optional ``metadata.csv``), a CSV/TSV, JSON
Lines or Parquet file (tables may be ``.gz``/``.xz``/``.bz2`` compressed), or a pandas
DataFrame. Every input row or file ends up in exactly one of two tables: ``articles`` (loaded)
or ``rejected`` (not loaded, with the reason). What was fixed on the way in (an encoding
fallback, a missing outlet, an unparseable date, a renamed duplicate id) is listed in
``repairs``. Nothing is dropped or changed silently; the text itself is kept as received
(only line endings are normalised to ``\\n``).

Row numbers (``source_row``) are what the user sees in an editor: the physical line on which
a CSV/TSV record starts (the header is line 1) or the line of a JSON Lines record; for
Parquet files and DataFrames the position + 1. Generated ids use the same number
(``row-000002`` is the record starting on line 2).
"""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import io
import json
import lzma
import math
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import charset_normalizer
import numpy as np
import pandas as pd

from analysis.tokens import count_words_many

ARTICLE_COLUMNS = [
    "article_id",
    "outlet",
    "published",
    "published_precision",
    "title",
    "text",
    "source_file",
    "source_row",
]
REJECTED_COLUMNS = ["source_file", "source_row", "article_id", "column", "reason"]
REPAIR_COLUMNS = ["article_id", "source_file", "source_row", "column", "repair"]
UNKNOWN_OUTLET = "unknown"
COLUMN_NAMES = {
    "text": (
        "text",
        "content",
        "body",
        "content_original",
        "article",
        "article_text",
        "full_text",
        "story",
    ),
    "outlet": (
        "outlet",
        "source",
        "publication",
        "publisher",
        "media",
        "site",
        "source_name",
        "newspaper",
        "domain",
    ),
    "id": ("article_id", "id", "doc_id", "uuid", "file"),
    "date": (
        "published",
        "date",
        "publish_date",
        "published_at",
        "pubdate",
        "datetime",
        "timestamp",
    ),
    "title": ("title", "headline"),
}
"""Column names detected (case-insensitively, first match wins) when no mapping is given."""

_DELIMITERS = {".csv": ",", ".tsv": "\t", ".tab": "\t"}
_JSONL = (".jsonl", ".ndjson")
_DECOMPRESS = {".gz": gzip.decompress, ".xz": lzma.decompress, ".bz2": bz2.decompress}
_SUPPORTED = (
    "a folder of .txt files (+ metadata.csv), .csv, .tsv, .tab, .jsonl, .ndjson, "
    ".parquet; tables may end in .gz, .xz or .bz2"
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MONTHS = {
    name: i
    for i, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
_MONTHS |= {name[:3]: i for name, i in _MONTHS.items()} | {"sept": 9}
_YMD = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
_ISO_TIME = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}\S*(?: ?(?:Z|UTC|[+-]\d\S*))?", re.IGNORECASE
)
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_NAMED = (
    (re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)? (?P<m>[a-z]+)\.?,? (?P<y>\d{4})"), "day"),
    (re.compile(r"(?P<m>[a-z]+)\.? (?P<d>\d{1,2})(?:st|nd|rd|th)?,? (?P<y>\d{4})"), "day"),
    (re.compile(r"(?P<m>[a-z]+)\.?,? (?P<y>\d{4})"), "month"),
)
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? ")
_STR = pd.StringDtype("python")  # <NA> for missing, the same with pandas 2 and 3
_DTYPES = {"source_row": "Int64", "published": "datetime64[ns]"}
_EARLIEST, _LATEST = pd.Timestamp("1677-09-22"), pd.Timestamp("2262-04-11")


class CorpusError(ValueError):
    """The corpus cannot be read at all; the message names the file, row and column."""


class _NotText(ValueError):
    """Bytes that are not text (a binary file)."""


@dataclass(repr=False)
class Corpus:
    """A loaded corpus and the account of how it was loaded.

    Attributes
    ----------
    articles : pandas.DataFrame
        One row per loaded article: ``article_id`` (str, unique), ``outlet`` (str),
        ``published`` (datetime64[ns], NaT when missing), ``published_precision`` (``"year"``,
        ``"month"``, ``"day"``, ``"time"`` or <NA>), ``title`` (str or <NA>), ``text`` (str, as
        received, line endings ``\\n``), ``source_file`` (str), ``source_row`` (Int64, <NA> for
        ``.txt`` files), then every other column of the input under its own name (a name that
        clashes with one of these gets the suffix ``_original``).
    rejected : pandas.DataFrame
        One row per input row or file not loaded: ``source_file``, ``source_row`` (Int64),
        ``article_id``, ``column`` (the input column at fault, or <NA>), ``reason``.
    repairs : pandas.DataFrame
        One row per change made to a loaded article, or to the whole file when ``article_id``
        is <NA>: ``article_id``, ``source_file``, ``source_row``, ``column``, ``repair``.
    source : str
        What was loaded: the path as given, or ``"<DataFrame>"``.
    n_input : int
        Rows or files seen (blank lines not counted); always
        ``len(articles) + len(rejected)``.
    """

    articles: pd.DataFrame
    rejected: pd.DataFrame
    repairs: pd.DataFrame
    source: str
    n_input: int

    def __repr__(self) -> str:
        return (
            f"Corpus({self.source!r}: {len(self.articles)} articles, "
            f"{len(self.rejected)} rejected, {len(self.repairs)} repairs)"
        )

    def summary(self) -> pd.DataFrame:
        """Count the loaded articles per outlet.

        Returns
        -------
        pandas.DataFrame
            One row per outlet, sorted by outlet: ``outlet``, ``articles`` (count), ``words``
            (total tokens, :func:`analysis.tokens.count_words_many`), ``first_published`` and
            ``last_published`` (NaT when no article of the outlet has a date). Rejected input has
            no outlet and is not counted here; see :attr:`rejected`.
        """
        a = self.articles
        frame = pd.DataFrame(
            {
                "outlet": a["outlet"],
                "words": count_words_many(a["text"]),
                "published": a["published"],
            }
        )
        return (
            frame.groupby("outlet", sort=True)
            .agg(
                articles=("words", "size"),
                words=("words", "sum"),
                first_published=("published", "min"),
                last_published=("published", "max"),
            )
            .reset_index()
        )


@dataclass
class _Records:
    """Input parsed into records, before validation.

    ``columns`` maps each input column to its values (a dict of lists, or a DataFrame);
    ``rows``/``files`` give each record's source_row/source_file. A folder's texts come from
    its files (``texts``), with per-file repairs and the file stems as fallback ids.
    """

    columns: dict | pd.DataFrame
    rows: list
    files: list
    n_input: int
    rejected: list = field(default_factory=list)
    repairs: list = field(default_factory=list)
    texts: list | None = None
    row_repairs: list | None = None
    fallback_ids: list | None = None


def load_corpus(
    source, *, text=None, outlet=None, id=None, date=None, title=None, metadata=None, encoding=None
) -> Corpus:
    """Read a corpus from a path or a DataFrame, validate it and account for every input.

    Parameters
    ----------
    source : str, pathlib.Path or pandas.DataFrame
        A folder of ``.txt`` files, a ``.csv``/``.tsv``/``.tab``, ``.jsonl``/``.ndjson`` or
        ``.parquet`` file (tables may be ``.gz``, ``.xz`` or ``.bz2`` compressed), or a
        DataFrame. In a folder, ``metadata.csv`` (or ``metadata=``) has a ``file`` column
        naming each text file relative to the folder, plus any columns to keep.
    text, outlet, id, date, title : str, optional
        The input's column for each role. When not given, the first name of
        :data:`COLUMN_NAMES` present (case-insensitively) is used. ``text=`` does not apply
        to a folder. Without an outlet column every article's outlet is ``"unknown"``.
    metadata : str or pathlib.Path, optional
        Metadata table for a folder of ``.txt`` files (default ``<folder>/metadata.csv``).
    encoding : str, optional
        Decode every file with this codec instead of detecting the encoding (UTF-8, then
        charset-normalizer's guess, cp1252, latin-1; a fallback is listed in ``repairs``).

    Returns
    -------
    Corpus
        ``articles``, ``rejected`` and ``repairs`` tables; see :class:`Corpus` for columns.

    Raises
    ------
    CorpusError
        The source does not exist, has an unsupported format, is empty, cannot be decoded or
        parsed, or a named column does not exist / no text column is found.

    Notes
    -----
    A text that is not a string (a number, list, ...) is rejected, never converted; ids,
    outlets and titles that are numbers become strings (``12.0`` -> ``"12"``). CSV/TSV rows
    are parsed strictly: a badly quoted row is rejected and reading resumes on the next line.
    In a folder the metadata's ``file`` column becomes ``source_file``; without an id column
    the id is the file's stem. Dates: ISO (``2017``, ``2017-03``, ``2017-03-22``, with times;
    aware times converted to UTC, then naive), US ``M/D/YY``, ``22 March 2017``,
    ``March 22, 2017``, ``March 2017``, and e-mail style; each distinct value parsed once.
    """
    mapping = {"text": text, "outlet": outlet, "id": id, "date": date, "title": title}
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise CorpusError(f"encoding={encoding!r}: unknown encoding") from None
    if isinstance(source, pd.DataFrame):
        label, folder = "<DataFrame>", False
        if metadata is not None:
            raise CorpusError("metadata= applies only to a folder of .txt files")
        records = _records_from_frame(source, label)
    else:
        path, label = Path(source), str(source)
        if not path.exists():
            raise CorpusError(f"{label}: no such file or folder")
        folder = path.is_dir()
        if folder:
            if text is not None:
                raise CorpusError(f"{label}: text= does not apply to a folder of .txt files")
            records = _read_folder(path, label, metadata, encoding)
        elif metadata is not None:
            raise CorpusError(f"{label}: metadata= applies only to a folder of .txt files")
        else:
            records = _read_table(path, label, encoding)
    return _build(records, label, mapping, folder)


def _decode(data: bytes, encoding: str | None = None) -> tuple[str, str | None]:
    """Decode file bytes; return the text and a repair note when it was not UTF-8."""
    if encoding is not None:
        return data.decode(encoding).removeprefix("\ufeff"), None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                break
            return text, (
                None if codec == "utf-8-sig" else f"not UTF-8: decoded as {codec} (byte-order mark)"
            )
    head = data[:8192]
    if head.count(0) > len(head) / 100:  # binary, unless UTF-16 (a NUL in every other byte)
        odd, even = head[1::2].count(0), head[0::2].count(0)
        codec = (
            "utf-16-le"
            if odd > len(head) / 8 and even < odd / 10
            else "utf-16-be"
            if even > len(head) / 8 and odd < even / 10
            else ""
        )
        try:
            return data.decode(codec), f"not UTF-8: decoded as {codec} (no byte-order mark)"
        except (UnicodeDecodeError, LookupError):
            raise _NotText("binary file (NUL bytes), not text") from None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(data)
    best, codecs_to_try = matches.best(), ["cp1252", "latin-1"]
    if best is not None:  # prefer cp1252 when it decodes as well as the guess (it often ties)
        ties = [
            m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence - 0.01
        ]
        if not any("cp1252" in (m.encoding, *m.could_be_from_charset) for m in ties):
            codecs_to_try.insert(0, best.encoding)
    for codec in codecs_to_try:
        try:
            return data.decode(codec), f"not valid UTF-8: decoded as {codec}"
        except (UnicodeDecodeError, LookupError):
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _read_table(path: Path, label: str, encoding: str | None) -> _Records:
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
        return _records_from_frame(frame, label)
    try:
        content, note = _decode(data, encoding)
    except _NotText:
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


def _parse_delimited(content: str, label: str, delimiter: str) -> _Records:
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
    return _Records(columns, lines, [label] * len(lines), len(rows) + len(rejected), rejected)


def _parse_jsonl(content: str, label: str) -> _Records:
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
    return _Records(columns, lines, [label] * len(lines), len(objects) + len(rejected), rejected)


def _records_from_frame(frame: pd.DataFrame, label: str) -> _Records:
    """Records of a DataFrame (or Parquet table): source_row is the position + 1."""
    if frame.columns.duplicated().any():
        raise CorpusError(f"{label}: duplicate column names ({_names(frame.columns)})")
    if len(frame) == 0:
        raise CorpusError(f"{label}: is empty (no rows)")
    n = len(frame)
    return _Records(frame.reset_index(drop=True), list(range(1, n + 1)), [label] * n, n)


def _read_folder(folder: Path, label: str, metadata, encoding: str | None) -> _Records:
    """Records of a folder of .txt files joined with their metadata rows."""
    root = folder.resolve()
    meta_path = Path(metadata) if metadata is not None else folder / "metadata.csv"
    if metadata is not None and not meta_path.is_file():
        raise CorpusError(f"{meta_path}: metadata file not found")
    meta, rejected, repairs, wanted, named, n_input = None, [], [], {}, set(), 0
    if meta_path.is_file():
        meta = _read_table(meta_path, str(meta_path), encoding)
        rejected, repairs, n_input = meta.rejected, meta.repairs, meta.n_input
        file_col = next((c for c in meta.columns if str(c).lower() == "file"), None)
        if file_col is None and meta.rows:
            raise CorpusError(
                f"{meta_path}: no 'file' column naming the text files "
                f"(columns: {_names(meta.columns)})"
            )
        names = _values(meta.columns, file_col) if meta.rows else []
        for j, (name, line) in enumerate(zip(names, meta.rows, strict=True)):
            name = _label(name)
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
                raise _NotText("symbolic link to a file outside the corpus folder")
            data = path.read_bytes()
            if not data:
                raise _NotText("empty file (0 bytes)")
            content, note = _decode(data, encoding)
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
        except (_NotText, UnicodeDecodeError) as err:
            rejected.append((str(path), None, Path(name).stem, None, str(err)))
        else:
            texts.append(content)
            meta_rows.append(j)
            files.append(str(path))
            notes.append([(None, note)] if note else [])
    columns = _take(meta.columns, meta_rows, list(meta.columns)) if meta else {}
    return _Records(
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


def _map_columns(columns: list, label: str, mapping: dict, folder: bool) -> dict:
    """The input column (or None) for each role: text, id, outlet, date, title."""
    taken = {c for c in columns if folder and str(c).lower() == "file"}  # -> source_file
    cols = dict.fromkeys(("text", "id", "outlet", "date", "title"))
    for role in cols:
        if not (role == "text" and folder):  # a folder's text is in its files
            cols[role] = _find_column(columns, role, mapping[role], label, taken)
            taken.add(cols[role])
    if not folder and cols["text"] is None:
        raise CorpusError(
            f'{label}: no text column found (columns: {_names(columns)}); pass text="..."'
        )
    return cols


def _build(rec: _Records, label: str, mapping: dict, folder: bool) -> Corpus:
    """Validate records into the articles, rejected and repairs tables."""
    rejected, repairs, columns = list(rec.rejected), list(rec.repairs), list(rec.columns)
    # nothing to map when no record survived parsing (e.g. every JSON line was invalid)
    cols = _map_columns(columns, label, mapping, folder) if rec.rows else dict.fromkeys(mapping)
    values = {role: _values(rec.columns, c) for role, c in cols.items() if c is not None}
    texts = rec.texts if folder else values.get("text", [])
    out = {c: [] for c in ARTICLE_COLUMNS}
    kept, used_ids, seen, date_cache = [], set(), {}, {}
    for i, raw_text in enumerate(texts):
        file, row = rec.files[i], rec.rows[i]
        raw_id = _label(values["id"][i]) if "id" in values else None
        if not isinstance(raw_text, str) and not _missing(raw_text):
            rejected.append(
                (
                    file,
                    row,
                    raw_id,
                    cols["text"],
                    f"text is not a string (got {type(raw_text).__name__})",
                )
            )
            continue
        if _missing(raw_text) or not raw_text or raw_text.isspace():
            rejected.append((file, row, raw_id, cols["text"], "empty text"))
            continue
        body = raw_text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw_text else raw_text
        pending = list(rec.row_repairs[i]) if rec.row_repairs else []
        if raw_id is None:
            raw_id = rec.fallback_ids[i] if rec.fallback_ids else f"row-{row:06d}"
            if cols["id"] is not None:
                pending.append((cols["id"], f"empty id: assigned {raw_id!r}"))
        same = next((e for e in seen.get(raw_id, ()) if e[1] == body), None)
        if same:
            rejected.append(
                (file, row, raw_id, cols["id"], f"duplicate of article_id {same[0]!r} at {same[2]}")
            )
            continue
        article_id, n = raw_id, 1
        while article_id in used_ids:
            n += 1
            article_id = f"{raw_id}#{n}"
        if n > 1:
            pending.append(
                (
                    cols["id"],
                    f"duplicate article_id {raw_id!r} with different text: renamed {article_id!r}",
                )
            )
        outlet = (
            " ".join((_label(values["outlet"][i]) or "").split())
            if "outlet" in values
            else UNKNOWN_OUTLET
        )
        if not outlet:
            outlet = UNKNOWN_OUTLET
            pending.append((cols["outlet"], f"empty outlet: assigned {UNKNOWN_OUTLET!r}"))
        published, precision, problem = (
            _parse_date(values["date"][i], date_cache) if "date" in values else (pd.NaT, None, None)
        )
        if problem:
            pending.append((cols["date"], problem))
        used_ids.add(article_id)
        seen.setdefault(raw_id, []).append(
            (article_id, body, f"row {row}" if row is not None else f"file {file}")
        )
        kept.append(i)
        repairs.extend((article_id, file, row, c, note) for c, note in pending)
        title = _label(values["title"][i]) if "title" in values else None
        for name, value in zip(
            ARTICLE_COLUMNS,
            (article_id, outlet, published, precision, title, body, file, row),
            strict=True,
        ):
            out[name].append(value)
    if cols["outlet"] is None and kept:
        repairs.insert(
            len(rec.repairs),
            (
                None,
                label,
                None,
                None,
                f"no outlet column: all articles assigned to outlet {UNKNOWN_OUTLET!r}",
            ),
        )
    articles = pd.DataFrame(
        {name: pd.array(v, dtype=_DTYPES.get(name, _STR)) for name, v in out.items()}
    )
    extra = [
        c for c in columns if c not in cols.values() and not (folder and str(c).lower() == "file")
    ]
    extras = _take(rec.columns, kept, extra)
    extras.columns = [f"{c}_original" if c in ARTICLE_COLUMNS else c for c in extra]
    return Corpus(
        pd.concat([articles, extras], axis=1),
        _table(rejected, REJECTED_COLUMNS),
        _table(repairs, REPAIR_COLUMNS),
        label,
        rec.n_input,
    )


def _values(columns, name) -> list:
    """One input column's values as a list."""
    values = columns[name]
    return values.tolist() if isinstance(values, pd.Series) else values


def _take(columns, positions: list, names: list) -> pd.DataFrame:
    """The rows at ``positions`` of the input columns ``names``, as a DataFrame."""
    if isinstance(columns, pd.DataFrame):
        return columns.iloc[positions][names].reset_index(drop=True)
    return pd.DataFrame(
        {c: [columns[c][i] for i in positions] for c in names},
        index=range(len(positions)),
        columns=names,
    )


def _find_column(columns: list, role: str, given, label: str, taken: set):
    """The input column for ``role``: the one named by the user, or the first detected."""
    if given is not None:
        if given in columns:
            return given
        folded = [c for c in columns if str(c).lower() == str(given).lower()]
        if len(folded) == 1:
            return folded[0]
        raise CorpusError(f"{label}, column {given!r}: no such column (columns: {_names(columns)})")
    for name in COLUMN_NAMES[role]:
        for column in columns:
            if column not in taken and str(column).lower() == name:
                return column
    return None


def _table(rows: list, columns: list) -> pd.DataFrame:
    """A rejected/repairs table from tuples in ``columns`` order."""
    return pd.DataFrame(
        {
            c: pd.array([r[k] for r in rows], dtype=_DTYPES.get(c, _STR))
            for k, c in enumerate(columns)
        }
    )


def _names(columns) -> str:
    """Column names for an error message."""
    return ", ".join(map(str, columns)) or "none"


def _missing(value) -> bool:
    """True for None, NaN, <NA> and NaT."""
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, np.datetime64) and np.isnat(value))
    )


def _label(value) -> str | None:
    """An id/outlet/title value as a stripped string (numbers converted), None when missing."""
    if isinstance(value, str):
        return value.strip() or None
    if _missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def _parse_date(value, cache: dict) -> tuple:
    """``(Timestamp or NaT, precision or None, repair note or None)``; each value parsed once."""
    if _missing(value):
        return pd.NaT, None, None
    try:
        return cache[value]
    except KeyError:
        cache[value] = result = _parse_date_value(value)
        return result
    except TypeError:  # unhashable, e.g. a list from JSON
        return _parse_date_value(value)


def _parse_date_value(value) -> tuple:
    """Parse one date value; see :func:`_parse_date`."""
    precision = None
    try:
        if isinstance(value, (datetime, np.datetime64)):
            ts = pd.Timestamp(value)
            precision = "day" if ts.tz is None and ts == ts.normalize() else "time"
        elif isinstance(value, date):
            ts, precision = pd.Timestamp(value), "day"
        else:
            text = value if isinstance(value, str) else _label(value)
            if not text or not text.strip():
                return pd.NaT, None, None
            ts, precision = _date_from_text(" ".join(text.split()))
        if ts is not None and ts.tz is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
    except (ValueError, OverflowError, TypeError):
        ts = None
    if ts is None or ts is pd.NaT:
        return pd.NaT, None, f"unparseable date {value!r} kept as missing"
    if not _EARLIEST <= ts <= _LATEST:
        return pd.NaT, None, f"date {value!r} outside 1677-2262 kept as missing"
    return ts, precision, None


def _date_from_text(text: str) -> tuple:
    """``(Timestamp, precision)`` for ISO, US ``M/D/YY`` and English month-name dates."""
    if m := _YMD.fullmatch(text):
        y, mo, d = m.groups()
        precision = "day" if d else "month" if mo else "year"
        return pd.Timestamp(datetime(int(y), int(mo or 1), int(d or 1))), precision
    if _ISO_TIME.fullmatch(text):
        return pd.Timestamp(text), "time"
    if m := _US.fullmatch(text):
        mo, d, y = (int(g) for g in m.groups())
        y += 0 if y > 99 else 2000 if y < 69 else 1900
        return pd.Timestamp(datetime(y, mo, d)), "day"
    lower = _WEEKDAY.sub("", text.lower(), count=1)
    for pattern, precision in _NAMED:
        if (m := pattern.fullmatch(lower)) and m["m"] in _MONTHS:
            day = int(m.groupdict().get("d") or 1)
            return pd.Timestamp(datetime(int(m["y"]), _MONTHS[m["m"]], day)), precision
    if ":" in text:  # e-mail/RSS style, "Wed, 22 Mar 2017 10:00:00 +0000"
        return pd.Timestamp(parsedate_to_datetime(text)), "time"
    return None, None
