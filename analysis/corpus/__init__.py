"""Reading and validating articles: any corpus in, one tidy ``articles`` table out.

A corpus is a folder of ``.txt`` files (with an optional ``metadata.csv``), a CSV/TSV, JSON
Lines or Parquet file (tables may be ``.gz``/``.xz``/``.bz2`` compressed), or a pandas
DataFrame. Every input row or file ends up in exactly one of two tables: ``articles`` (loaded)
or ``rejected`` (not loaded, with the reason). What was fixed on the way in (an encoding
fallback, a missing outlet, an unparseable date, a renamed duplicate id) is listed in
``repairs``. Nothing is dropped or changed silently; the text itself is kept as received
(only line endings are normalised to ``\\n``; control characters are removed and unpaired
surrogates replaced, both listed in ``repairs``).

Row numbers (``source_row``) are what the user sees in an editor: the physical line on which
a CSV/TSV record starts (the header is line 1) or the line of a JSON Lines record; for
Parquet files and DataFrames the position + 1. Generated ids use the same number
(``row-000002`` is the record starting on line 2).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pandas as pd

from analysis.corpus.build import build_corpus
from analysis.corpus.folders import read_folder
from analysis.corpus.readers import read_table, records_from_frame
from analysis.corpus.tables import (
    ARTICLE_COLUMNS,
    COLUMN_NAMES,
    MAX_CHARS,
    REJECTED_COLUMNS,
    REPAIR_COLUMNS,
    UNKNOWN_OUTLET,
    Corpus,
    CorpusError,
)

__all__ = [
    "ARTICLE_COLUMNS",
    "COLUMN_NAMES",
    "MAX_CHARS",
    "REJECTED_COLUMNS",
    "REPAIR_COLUMNS",
    "UNKNOWN_OUTLET",
    "Corpus",
    "CorpusError",
    "load_corpus",
]


def load_corpus(
    source,
    *,
    text=None,
    outlet=None,
    id=None,
    date=None,
    title=None,
    metadata=None,
    encoding=None,
    dayfirst: bool = False,
    max_chars: int = MAX_CHARS,
) -> Corpus:
    """Read a corpus from a path or a DataFrame, validate it and account for every input.

    Parameters
    ----------
    source : str, pathlib.Path or pandas.DataFrame
        A folder of ``.txt`` files (subfolders included), a ``.csv``/``.tsv``/``.tab``,
        ``.jsonl``/``.ndjson`` or ``.parquet`` file (tables may be ``.gz``, ``.xz`` or ``.bz2``
        compressed), or a DataFrame. In a folder, ``metadata.csv`` (or ``metadata=``) has a
        ``file`` column naming each text file relative to the folder (``bbc/001.txt``), plus
        any columns to keep; without metadata a file's outlet is its top-level subfolder.
    text, outlet, id, date, title : str, optional
        The input's column for each role. When not given, the first name of
        :data:`COLUMN_NAMES` present (case-insensitively) is used. ``text=`` does not apply
        to a folder. Without an outlet column every article's outlet is ``"unknown"`` (in a
        folder without metadata: the file's top-level subfolder, ``"unknown"`` at the top).
    metadata : str or pathlib.Path, optional
        Metadata table for a folder of ``.txt`` files (default ``<folder>/metadata.csv``).
    encoding : str, optional
        Decode every file with this codec instead of detecting the encoding (UTF-8, then
        charset-normalizer's guess, cp1252, latin-1; a fallback is listed in ``repairs``).
    dayfirst : bool, default False
        Read numeric dates ``N/N/Y`` day first (``05/01/2020`` is 5 January 2020) instead of
        month first (1 May 2020). Recorded as :attr:`Corpus.dayfirst`.
    max_chars : int, default :data:`MAX_CHARS` (1,000,000)
        The longest text loaded, in characters. A longer text is rejected ("text longer
        than 1,000,000 characters (...); raise --max-chars (corpus.max_chars) to load it"),
        never truncated; a ``.txt`` file of more than ``4 * max_chars`` bytes is rejected
        without being read.

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
    outlets and titles that are numbers become strings (``12.0`` -> ``"12"``); a dict, list
    or other collection as id, outlet, title or date rejects the row. CSV/TSV rows are parsed
    strictly: a badly quoted row (a stray or unclosed quotation mark) is rejected and reading
    resumes on the line after the one it started on. In a folder, ``.txt`` files are found in
    subfolders too (sorted by relative path); without an id column the id is the file's path
    relative to the folder without ``.txt`` (``bbc/001``; the stem at the top level). Nothing
    outside the folder is read (symbolic links pointing out are rejected, not followed).
    Dates: ISO (``2017``, ``2017-03``, ``2017-03-22``, with times; aware times converted to
    UTC, then naive), ``M/D/YY`` (``D/M/YY`` with ``dayfirst=True``), ``22 March 2017``,
    ``March 22, 2017``, ``March 2017``, and e-mail style; each distinct value parsed once.
    A numeric date invalid in the order used is kept as missing with a repair saying whether
    the other order fits; numeric dates that could be read both ways get one file-level note
    unless another date settles the order.

    Outlets: white space is collapsed and names that differ only in case are one outlet,
    spelled as most of its articles spell it (``"fox news "`` joins ``"Fox News"``), with a
    file-level repair per merged spelling. Text: control characters other than white space
    (NUL, BEL, ESC, DEL, ...) are removed and unpaired surrogates (from JSON escapes such as
    ``"\\ud800"``) become U+FFFD, with a repair; a text left empty is rejected. A file whose
    first 8 KiB are more than 1% NUL bytes (unless it is UTF-16) or other control bytes is
    binary and rejected.

    Size and memory: a text of more than ``max_chars`` characters is rejected, never cut: no
    news article comes near 1,000,000 characters (about 170,000 words; the longest of 18,613
    AllSides articles has 76,553), so such a text is a scraping or concatenation error, and
    one article is processed whole: the sentence step peaks at about 45 bytes per character
    (45 MB and a few seconds at the limit, 0.3 MB for a typical 6,000-character article).
    Loading holds the input file and its decoded text in memory; a ``.txt`` file too large
    to fit the limit is never read.
    """
    mapping = {"text": text, "outlet": outlet, "id": id, "date": date, "title": title}
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise CorpusError(
            f"max_chars={max_chars!r}: must be a whole number of characters, 1 or more"
        )
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise CorpusError(f"encoding={encoding!r}: unknown encoding") from None
    if isinstance(source, pd.DataFrame):
        label, folder = "<DataFrame>", False
        if metadata is not None:
            raise CorpusError("metadata= applies only to a folder of .txt files")
        records = records_from_frame(source, label)
    else:
        path, label = Path(source), str(source)
        if not path.exists():
            raise CorpusError(f"{label}: no such file or folder")
        folder = path.is_dir()
        if folder:
            if text is not None:
                raise CorpusError(f"{label}: text= does not apply to a folder of .txt files")
            records = read_folder(path, label, metadata, encoding, max_chars)
        elif metadata is not None:
            raise CorpusError(f"{label}: metadata= applies only to a folder of .txt files")
        else:
            records = read_table(path, label, encoding)
    return build_corpus(records, label, mapping, folder, dayfirst, max_chars)
