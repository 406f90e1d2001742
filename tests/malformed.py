"""Generators of malformed corpora: each function writes one bad input into a folder.

Researchers bring scraped text: wrong encodings, broken CSVs, empty and giant articles, odd
Unicode. Each generator below writes one such input into ``folder`` (a fresh temporary
folder) and returns what to load: the path, and the keyword arguments of ``load_corpus``
when the case needs them. Nothing here is a checked-in binary; every byte is made here.
:data:`CASES` lists them by name; ``tests/test_malformed.py`` holds each case's documented
outcome.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

CASES: dict[str, Callable[[Path], tuple[Path, dict]]] = {}

ARTICLE = (
    "Pakistan has asked Facebook and Twitter to help identify users suspected of blasphemy. "
    "The interior minister said the companies had agreed to cooperate.\n\n"
    "Rights groups warned that the law is often abused."
)
WESTERN = (
    "He said \u201cit\u2019s over\u201d \u2013 and the caf\u00e9 closed. Na\u00efve? Gar\u00e7on!"
)
GIANT_BYTES = 50 * 2**20  # a 50 MB single article
SECRET = "THE SECRET OUTSIDE THE CORPUS"


class Unsupported(OSError):
    """The system cannot make this input (e.g. no symbolic links without privileges)."""


def case(func: Callable[[Path], tuple[Path, dict] | Path]):
    """Register a generator; a generator may return just the path (no keyword arguments)."""

    def make(folder: Path) -> tuple[Path, dict]:
        made = func(folder)
        return made if isinstance(made, tuple) else (made, {})

    make.__doc__ = func.__doc__
    CASES[func.__name__] = make
    return func


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    """Write ``content`` (text in ``encoding``, newlines as given, or bytes) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def jsonl(records: list, ensure_ascii: bool = True) -> str:
    return "".join(json.dumps(r, ensure_ascii=ensure_ascii) + "\n" for r in records)


def symlink(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target)
    except OSError as err:
        raise Unsupported(f"cannot create symbolic links here ({err})") from err


# --- encodings -----------------------------------------------------------------------------------


@case
def utf8_bom_csv(folder):
    """A CSV saved by Excel as "CSV UTF-8": a byte-order mark before the header."""
    return write(folder / "bom.csv", "\ufeffid,outlet,text\na1,Wire,Caf\u00e9 society.\n")


@case
def utf8_bom_txt(folder):
    """A .txt article starting with a UTF-8 byte-order mark."""
    write(folder / "corpus" / "a.txt", "\ufeff" + ARTICLE)
    return folder / "corpus"


@case
def utf16_txt(folder):
    """A .txt article in UTF-16 with a byte-order mark (Windows Notepad "Unicode")."""
    write(folder / "corpus" / "a.txt", WESTERN, "utf-16")
    return folder / "corpus"


@case
def utf16_no_bom_txt(folder):
    """A .txt article in UTF-16-LE without a byte-order mark."""
    write(folder / "corpus" / "a.txt", WESTERN, "utf-16-le")
    return folder / "corpus"


@case
def utf16_tsv(folder):
    """Excel's "Unicode text" export: UTF-16 with a byte-order mark, tab-delimited."""
    return write(folder / "excel.tsv", f"id\toutlet\ttext\na1\tWire\t{WESTERN}\n", "utf-16")


@case
def latin1_txt(folder):
    """A .txt article in Latin-1 (ISO-8859-1)."""
    text = "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00e0 la cr\u00e8me br\u00fbl\u00e9e."
    write(folder / "corpus" / "a.txt", text, "latin-1")
    return folder / "corpus"


@case
def cp1252_csv(folder):
    """A CSV in Windows-1252, with curly quotes and dashes."""
    return write(folder / "western.csv", f"id,outlet,text\na1,Wire,{WESTERN}\n", "cp1252")


@case
def mixed_encodings_csv(folder):
    """A CSV concatenated from two scrapes: most rows UTF-8, one row Windows-1252."""
    utf8 = "id,outlet,text\na1,Wire,Caf\u00e9 society.\n".encode()
    western = f"a2,Wire,{WESTERN}\n".encode("cp1252")
    return write(folder / "mixed.csv", utf8 + western + "a3,Wire,Пакистан.\n".encode())


# --- line endings, control characters, odd Unicode -----------------------------------------------


@case
def crlf_txt(folder):
    """A .txt article with Windows line endings."""
    write(folder / "corpus" / "a.txt", ARTICLE.replace("\n", "\r\n"))
    return folder / "corpus"


@case
def lone_cr_csv(folder):
    """A CSV with old-Mac line endings (a lone CR), also inside a quoted field."""
    return write(folder / "mac.csv", 'id,outlet,text\ra1,Wire,"One.\rTwo."\ra2,Wire,Three.\r')


@case
def nul_bytes_txt(folder):
    """A .txt article with three stray NUL bytes (well under 1% of the file)."""
    text = ARTICLE[:80] + "\x00\x00" + ARTICLE[80:] + "\n\n" + ARTICLE * 4 + "\x00"
    write(folder / "corpus" / "a.txt", text)
    return folder / "corpus"


@case
def nul_bytes_csv(folder):
    """A CSV with a NUL byte inside a text field (the csv module of Python 3.10 fails on it)."""
    long = ARTICLE.replace("\n", " ")
    return write(
        folder / "nul.csv", f'id,outlet,text\na1,Wire,"One\x00 {long}"\na2,Wire,"{long}"\n'
    )


@case
def control_characters_jsonl(folder):
    """JSON Lines with control characters: escaped (BEL, ESC, DEL), raw (a tab, a form
    feed), and a text of nothing but control characters."""
    lines = jsonl(
        [
            {"id": "a1", "outlet": "Wire", "text": "Bell\u0007 and escape\u001b[0m and del\u007f."},
            {"id": "a3", "outlet": "Wire", "text": "\u0000\u0001\u0002"},
        ]
    )
    raw = '{"id": "a2", "outlet": "Wire", "text": "A raw\ttab and a form\x0cfeed."}\n'
    return write(folder / "control.jsonl", lines + raw)


@case
def unpaired_surrogate_jsonl(folder):
    """JSON Lines with an escaped unpaired surrogate (invalid Unicode) and a valid pair."""
    return write(
        folder / "surrogate.jsonl",
        '{"id": "a1", "text": "Broken \\ud800 emoji."}\n'
        '{"id": "a2", "text": "Whole \\ud83d\\ude00 emoji."}\n',
    )


@case
def odd_unicode_jsonl(folder):
    """Right-to-left text, emoji with joiners, combining accents, zero-width and no-break
    spaces, a BOM in the middle, ligatures and full-width letters."""
    texts = [
        "\u0645\u0631\u062d\u0628\u0627 \u200fPakistan\u200f \u05e9\u05dc\u05d5\u05dd.",
        "Family \U0001f468\u200d\U0001f469\u200d\U0001f467 and flag \U0001f1f5\U0001f1f0.",
        "Cafe\u0301 na\u00efve\u00a0\u200bzero\ufeffwidth \ufb01nance \uff26\uff55\uff4c\uff4c.",
    ]
    records = [{"id": f"u{i}", "outlet": "Wire", "text": t} for i, t in enumerate(texts)]
    return write(folder / "unicode.jsonl", jsonl(records, ensure_ascii=False))


# --- empty, binary and giant files ---------------------------------------------------------------


@case
def zero_byte_txt(folder):
    """A zero-byte .txt file beside a good one."""
    write(folder / "corpus" / "good.txt", ARTICLE)
    write(folder / "corpus" / "empty.txt", b"")
    return folder / "corpus"


@case
def zero_byte_csv(folder):
    """A zero-byte CSV file."""
    return write(folder / "empty.csv", b"")


@case
def zero_byte_jsonl(folder):
    """A zero-byte JSON Lines file."""
    return write(folder / "empty.jsonl", b"")


@case
def zero_byte_parquet(folder):
    """A zero-byte Parquet file."""
    return write(folder / "empty.parquet", b"")


@case
def blank_texts_csv(folder):
    """A CSV whose texts are empty or white space only (spaces, tabs, no-break spaces)."""
    return write(folder / "blank.csv", 'id,text\na1,\na2,"  \t "\na3,\u00a0\u2003\na4,Kept.\n')


@case
def binary_png_txt(folder):
    """A PNG image saved with a .txt name."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    write(folder / "corpus" / "image.txt", png)
    write(folder / "corpus" / "good.txt", ARTICLE)
    return folder / "corpus"


@case
def binary_gzip_txt(folder):
    """A gzip archive saved with a .txt name (few NUL bytes, many other control bytes)."""
    write(folder / "corpus" / "archive.txt", gzip.compress((ARTICLE * 40).encode(), mtime=0))
    write(folder / "corpus" / "good.txt", ARTICLE)
    return folder / "corpus"


@case
def binary_pdf_txt(folder):
    """A PDF (a text header, then a compressed stream) saved with a .txt name."""
    stream = zlib.compress((ARTICLE * 40).encode())
    pdf = b"%PDF-1.4\n1 0 obj\n<< /Length 99 >>\nstream\n" + stream + b"\nendstream\n"
    write(folder / "corpus" / "paper.txt", pdf)
    return folder / "corpus"


@case
def binary_csv(folder):
    """A binary file saved with a .csv name."""
    return write(folder / "blob.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


@case
def giant_txt(folder):
    """A single .txt article of 50 MB, beside a normal one."""
    line = (ARTICLE.replace("\n", " ") + "\n").encode()
    with open(folder / "giant.txt.tmp", "wb") as out:
        out.write(line * (GIANT_BYTES // len(line) + 1))
    (folder / "corpus").mkdir()
    (folder / "giant.txt.tmp").rename(folder / "corpus" / "giant.txt")
    write(folder / "corpus" / "good.txt", ARTICLE)
    return folder / "corpus"


@case
def giant_jsonl(folder):
    """JSON Lines with one 50 MB article among normal ones."""
    body = ARTICLE.replace("\n", " ") + " "
    giant = body * (GIANT_BYTES // len(body) + 1)
    records = [
        {"id": "small", "text": ARTICLE},
        {"id": "giant", "text": giant},
        {"id": "after", "text": ARTICLE},
    ]
    return write(folder / "giant.jsonl", jsonl(records))


@case
def just_over_the_limit_csv(folder):
    """Texts of exactly ``max_chars`` and one character more, with ``max_chars=100``."""
    path = write(folder / "limit.csv", f"id,text\nat,{'a' * 100}\nover,{'b' * 101}\n")
    return path, {"max_chars": 100}


# --- broken CSVs --------------------------------------------------------------------------------


@case
def csv_embedded_newlines_and_quotes(folder):
    """Quoted fields with newlines, doubled quotation marks and delimiters inside."""
    return write(
        folder / "quoted.csv",
        "id,outlet,text\n"
        'a1,Wire,"He said ""no"",\nthen left; twice, maybe."\n'
        'a2,"Wire, Inc.","Plain, with a comma"\n',
    )


@case
def csv_ragged_rows(folder):
    """A row with too few fields and one with too many."""
    return write(
        folder / "ragged.csv",
        "id,outlet,text\na1,Wire,Good.\na2,Short\na3,Wire,Long,extra\na4,Wire,Fine.\n",
    )


@case
def csv_unclosed_quote(folder):
    """A field whose opening quotation mark is never closed."""
    return write(
        folder / "unclosed.csv",
        'id,outlet,text\na1,Wire,One.\na2,Wire,"Never closed.\na3,Wire,Three.\n',
    )


@case
def csv_wrong_delimiter(folder):
    """A semicolon-separated file (the European Excel default) named .csv."""
    return write(folder / "semicolon.csv", "id;outlet;text\na1;Wire;One, two.\n")


@case
def tsv_with_commas(folder):
    """A comma-separated file named .tsv."""
    return write(folder / "commas.tsv", "id,outlet,text\na1,Wire,One.\n")


@case
def csv_duplicate_header(folder):
    """Two columns with the same name."""
    return write(folder / "dup.csv", "id,text,text\na1,One.,Two.\n")


# --- JSON Lines ----------------------------------------------------------------------------------


@case
def jsonl_truncated_last_line(folder):
    """JSON Lines cut off in the middle of the last record (a download that stopped)."""
    records = jsonl([{"id": "a1", "text": "One."}, {"id": "a2", "text": "Two."}])
    return write(folder / "cut.jsonl", records + '{"id": "a3", "text": "Thr')


@case
def jsonl_wrong_types(folder):
    """Numbers where text is expected and text where numbers are: a number as the text, a
    list as the text, a dict as the outlet, numbers as id/outlet/date, a number as a
    string, a list as the date, a line that is a list, ``true`` as the text."""
    return write(
        folder / "types.jsonl",
        jsonl(
            [
                {"id": 1, "outlet": 7, "date": 2017, "text": "Numbers as labels."},
                {"id": "0042", "outlet": "Wire", "text": "42"},
                {"id": 3, "text": 42},
                {"id": 4, "text": ["a", "list"]},
                {"id": 5, "outlet": {"name": "Wire"}, "text": "Nested outlet."},
                {"id": 6, "date": ["2017"], "text": "A list as the date."},
                {"id": 7.0, "text": "Float id."},
                {"id": 8, "text": True},
            ]
        )
        + '["not", "an", "object"]\n',
    )


@case
def jsonl_missing_keys(folder):
    """Records without a text, without an id, without an outlet, and an empty object."""
    return write(
        folder / "keys.jsonl",
        jsonl(
            [
                {"id": "a1", "outlet": "Wire", "text": "Complete."},
                {"id": "a2", "outlet": "Wire"},
                {"outlet": "Wire", "text": "No id."},
                {"id": "a4", "text": "No outlet."},
                {},
            ]
        ),
    )


# --- Parquet ------------------------------------------------------------------------------------


@case
def parquet_integer_text(folder):
    """A Parquet file whose text column holds integers."""
    path = folder / "numbers.parquet"
    pd.DataFrame({"id": ["a1", "a2"], "text": [1, 2]}).to_parquet(path)
    return path


@case
def parquet_binary_text(folder):
    """A Parquet file whose text column holds bytes (a binary column), and a missing one."""
    path = folder / "bytes.parquet"
    pd.DataFrame({"id": ["a1", "a2"], "text": [b"Bytes, not text.", None]}).to_parquet(path)
    return path


# --- ids ----------------------------------------------------------------------------------------


@case
def duplicate_ids(folder):
    """The same id twice with the same text (a duplicate) and with another text (a clash)."""
    return write(
        folder / "dups.csv",
        "id,outlet,text\nx,Wire,Same text.\nx,Wire,Same text.\nx,Wire,Other text.\n",
    )


@case
def missing_ids(folder):
    """Empty and white-space ids."""
    return write(folder / "ids.csv", 'id,outlet,text\n,Wire,One.\n"  ",Wire,Two.\nz,Wire,Three.\n')


# --- folders: paths outside the corpus -----------------------------------------------------------


@case
def metadata_paths_outside(folder):
    """metadata.csv naming ``../secret.txt``, an absolute path and ``sub/../../secret.txt``."""
    secret = write(folder / "secret.txt", SECRET)
    corpus = folder / "corpus"
    write(corpus / "good.txt", ARTICLE)
    write(
        corpus / "metadata.csv",
        "file,outlet\n"
        "good.txt,Wire\n"
        "../secret.txt,Leak\n"
        f"{secret.resolve()},Leak\n"
        "sub/../../secret.txt,Leak\n",
    )
    return corpus


@case
def symlinks_out(folder):
    """A symbolic link to a file outside the corpus and one to a folder outside, plus a link
    inside the corpus, without metadata."""
    secret = write(folder / "outside" / "secret.txt", SECRET)
    corpus = folder / "corpus"
    write(corpus / "good.txt", ARTICLE)
    symlink(corpus / "link.txt", secret)
    symlink(corpus / "elsewhere", folder / "outside")
    symlink(corpus / "alias.txt", corpus / "good.txt")
    return corpus


@case
def metadata_names_symlink_out(folder):
    """metadata.csv naming a symbolic link that points outside the corpus."""
    secret = write(folder / "secret.txt", SECRET)
    corpus = folder / "corpus"
    write(corpus / "good.txt", ARTICLE)
    symlink(corpus / "link.txt", secret)
    write(corpus / "metadata.csv", "file,outlet\ngood.txt,Wire\nlink.txt,Leak\n")
    return corpus


# --- outlets and dates ---------------------------------------------------------------------------


@case
def outlets_differing_in_case_and_space(folder):
    """Outlets "Fox News", "fox news ", "FOX  NEWS", "Fox\u00a0News", an empty one, "CNN"
    and " cnn"."""
    outlets = ["Fox News", "fox news ", "FOX  NEWS", "Fox\u00a0News", "", "CNN", " cnn"]
    records = [{"id": f"a{i}", "outlet": o, "text": f"Text {i}."} for i, o in enumerate(outlets)]
    return write(folder / "outlets.jsonl", jsonl(records))


DATES = {
    "iso": ("2017-03-22", "2017-03-22 00:00", "day"),
    "iso_utc": ("2017-03-22T10:30:00Z", "2017-03-22 10:30", "time"),
    "iso_offset": ("2017-03-22T10:30:00+05:30", "2017-03-22 05:00", "time"),
    "long": ("March 22, 2017", "2017-03-22 00:00", "day"),
    "day_month": ("22 March 2017", "2017-03-22 00:00", "day"),
    "numeric": ("3/22/2017", "2017-03-22 00:00", "day"),
    "rfc2822": ("Wed, 22 Mar 2017 10:00:00 -0500", "2017-03-22 15:00", "time"),
    "named_zone": ("2017-03-22 10:00 EST", None, None),
    "epoch": ("1490176800", None, None),
    "nonsense": ("last Tuesday", None, None),
}
"""Date formats and time zones: value -> (UTC time read, precision), None when unparseable."""


@case
def dates_in_many_formats(folder):
    """Dates in seven formats with UTC, offset and named time zones, and three that no
    reader can parse (a named zone abbreviation, a Unix epoch, words)."""
    rows = "".join(f'{name},Wire,"{value}",Text.\n' for name, (value, _, _) in DATES.items())
    return write(folder / "dates.csv", "id,outlet,date,text\n" + rows)


@case
def invisible_only_text(folder):
    """Texts of nothing but zero-width spaces, joiners, byte-order marks and soft hyphens."""
    return write(
        folder / "invisible.csv",
        "id,text\na1,\u200b\u200c\u200d\na2,\ufeff\u00ad\u2060\na3,Kept.\n",
    )


@case
def truncated_gzip_jsonl(folder):
    """A gzip-compressed JSON Lines file cut off half-way (an interrupted download)."""
    data = gzip.compress(jsonl([{"id": f"a{i}", "text": ARTICLE} for i in range(20)]).encode())
    return write(folder / "cut.jsonl.gz", data[: len(data) // 2])


@case
def metadata_unusable_file_names(folder):
    """A metadata table (JSON Lines, given as metadata=) naming a file with a NUL byte in its
    name and one with a name too long for any file system."""
    corpus = folder / "corpus"
    write(corpus / "good.txt", ARTICLE)
    names = ["good.txt", "bad\u0000name.txt", "x" * 5000 + ".txt"]
    meta = write(folder / "meta.jsonl", jsonl([{"file": n, "outlet": "Wire"} for n in names]))
    return corpus, {"metadata": meta}


@case
def jsonl_mixed_type_extras(folder):
    """Extra fields whose type changes from record to record: a bias rating that is a
    number or "n/a", authors that are a list or a string, a nested object or nothing."""
    records = [
        {"id": "a1", "text": "One.", "bias": 1, "authors": ["Ann", "Bo"], "meta": {"k": 1}},
        {"id": "a2", "text": "Two.", "bias": "n/a", "authors": "Cy", "meta": None},
        {"id": "a3", "text": "Three.", "bias": None, "authors": ["Dee"]},
    ]
    return write(folder / "extras.jsonl", jsonl(records))
