"""Every malformed input has a documented outcome, and every article is accounted for.

Each case of :mod:`tests.malformed` is loaded and must end in exactly the outcome written
here: the articles loaded (with the repairs recorded on the way in), the inputs rejected
(with their row or file and the reason), or a :class:`CorpusError` whose message names the
file (and the row or column when there is one). :data:`OUTCOMES` is the table in the note.
Then every loaded article goes through every step (cleaning, sentences, tone, frames,
distinctive words, writing Parquet) without an exception.
"""

from __future__ import annotations

import ast
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import malformed
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import clean, segment, terms
from analysis.corpus import (
    ARTICLE_COLUMNS,
    MAX_CHARS,
    REJECTED_COLUMNS,
    REPAIR_COLUMNS,
    Corpus,
    CorpusError,
    load_corpus,
)
from analysis.lexicon import builtin_dictionaries, count_matches, read_dictionary
from analysis.paths import ROOT
from analysis.sentiment import score_sentences

LIMIT = f"text longer than {MAX_CHARS:,} characters"
ONLY_INVISIBLE = "empty text (only control or invisible characters)"
OUTSIDE = "is outside the corpus folder"


@dataclass(frozen=True)
class Outcome:
    """What loading one case gives.

    ``loaded``: the article ids, in order. ``rejected``: where (``row N`` or the file name)
    -> key words of the reason. ``repairs``: key words of each repair (as many as there
    are). ``error``: a regular expression the CorpusError message must match (it starts with
    the file's name). ``texts``: article id -> its exact text; ``outlets``: the outlets.
    """

    summary: str
    loaded: tuple[str, ...] = ()
    rejected: dict[str, str] = field(default_factory=dict)
    repairs: tuple[str, ...] = ()
    error: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    outlets: tuple[str, ...] | None = None


NO_OUTLET = "no outlet column: all articles assigned to outlet 'unknown'"
W = malformed.WESTERN

OUTCOMES: dict[str, Outcome] = {
    # --- encodings
    "utf8_bom_csv": Outcome(
        "loaded; the BOM is dropped, the header found, no repair",
        loaded=("a1",),
        texts={"a1": "Caf\u00e9 society."},
    ),
    "utf8_bom_txt": Outcome(
        "loaded; the BOM is dropped, no repair",
        loaded=("a",),
        repairs=(NO_OUTLET,),
        texts={"a": malformed.ARTICLE},
    ),
    "utf16_txt": Outcome(
        "loaded with repair 'not UTF-8: decoded as utf-16 (byte-order mark)'",
        loaded=("a",),
        repairs=(NO_OUTLET, "not UTF-8: decoded as utf-16 (byte-order mark)"),
        texts={"a": W},
    ),
    "utf16_no_bom_txt": Outcome(
        "loaded with repair 'not UTF-8: decoded as utf-16-le (no byte-order mark)'",
        loaded=("a",),
        repairs=(NO_OUTLET, "not UTF-8: decoded as utf-16-le (no byte-order mark)"),
        texts={"a": W},
    ),
    "utf16_tsv": Outcome(
        "loaded with a file-level repair 'decoded as utf-16 (byte-order mark)'",
        loaded=("a1",),
        repairs=("not UTF-8: decoded as utf-16 (byte-order mark)",),
        texts={"a1": W},
    ),
    "latin1_txt": Outcome(
        "loaded with repair 'not valid UTF-8: decoded as cp1252' (a superset of Latin-1's letters)",
        loaded=("a",),
        repairs=(NO_OUTLET, "not valid UTF-8: decoded as cp1252"),
        texts={"a": "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00e0 la cr\u00e8me br\u00fbl\u00e9e."},
    ),
    "cp1252_csv": Outcome(
        "loaded with a file-level repair 'not valid UTF-8: decoded as cp1252'",
        loaded=("a1",),
        repairs=("not valid UTF-8: decoded as cp1252",),
        texts={"a1": W},
    ),
    "mixed_encodings_csv": Outcome(
        "loaded, each line in its own encoding, with repair 'mixed encodings: 1 of 4 lines "
        "not valid UTF-8 decoded as cp1252 (line 3)'",
        loaded=("a1", "a2", "a3"),
        repairs=("mixed encodings: 1 of 4 lines not valid UTF-8 decoded as cp1252 (line 3)",),
        texts={"a1": "Caf\u00e9 society.", "a2": W, "a3": "Пакистан."},
    ),
    # --- line endings, control characters, odd Unicode
    "crlf_txt": Outcome(
        "loaded; line endings become \\n silently",
        loaded=("a",),
        repairs=(NO_OUTLET,),
        texts={"a": malformed.ARTICLE},
    ),
    "lone_cr_csv": Outcome(
        "loaded; a lone CR ends a line, inside quoted fields too",
        loaded=("a1", "a2"),
        texts={"a1": "One.\nTwo.", "a2": "Three."},
    ),
    "nul_bytes_txt": Outcome(
        "loaded with repair 'removed 3 control characters (U+0000)'",
        loaded=("a",),
        repairs=(NO_OUTLET, "removed 3 control characters (U+0000)"),
    ),
    "nul_bytes_csv": Outcome(
        "loaded with a file-level repair 'removed 1 NUL character (U+0000) before parsing'",
        loaded=("a1", "a2"),
        repairs=("removed 1 NUL character (U+0000) before parsing",),
    ),
    "control_characters_jsonl": Outcome(
        "loaded with repair 'removed 3 control characters (U+0007, U+001B, U+007F)'; raw "
        "tab and form feed kept; a text of control characters only rejected: 'empty text "
        "(only control or invisible characters)'",
        loaded=("a1", "a2"),
        rejected={"row 2": ONLY_INVISIBLE},
        repairs=("removed 3 control characters (U+0007, U+001B, U+007F)",),
        texts={"a1": "Bell and escape[0m and del.", "a2": "A raw\ttab and a form\x0cfeed."},
    ),
    "unpaired_surrogate_jsonl": Outcome(
        "loaded with repair 'replaced 1 unpaired surrogate (invalid Unicode) with U+FFFD'; a "
        "valid escaped pair is one emoji",
        loaded=("a1", "a2"),
        repairs=(NO_OUTLET, "replaced 1 unpaired surrogate (invalid Unicode) with U+FFFD"),
        texts={"a1": "Broken \ufffd emoji.", "a2": "Whole \U0001f600 emoji."},
    ),
    "odd_unicode_jsonl": Outcome(
        "loaded as received, no repair (cleaning drops the invisible characters and composes "
        "accents)",
        loaded=("u0", "u1", "u2"),
    ),
    "invisible_only_text": Outcome(
        "rejected: 'empty text (only control or invisible characters)'",
        loaded=("a3",),
        rejected={"row 2": ONLY_INVISIBLE, "row 3": ONLY_INVISIBLE},
        repairs=(NO_OUTLET,),
    ),
    # --- empty, binary and giant files
    "zero_byte_txt": Outcome(
        "rejected: 'empty file (0 bytes)'",
        loaded=("good",),
        rejected={"empty.txt": "empty file (0 bytes)"},
        repairs=(NO_OUTLET,),
    ),
    "zero_byte_csv": Outcome(
        "CorpusError '<file>: the file is empty'", error=r"empty\.csv: the file is empty$"
    ),
    "zero_byte_jsonl": Outcome(
        "CorpusError '<file>: the file is empty'", error=r"empty\.jsonl: the file is empty$"
    ),
    "zero_byte_parquet": Outcome(
        "CorpusError '<file>: cannot read the file (... size is 0 bytes)'",
        error=r"empty\.parquet: cannot read the file \(.*0 bytes\)",
    ),
    "blank_texts_csv": Outcome(
        "rejected: 'empty text' (spaces, tabs, no-break and em spaces)",
        loaded=("a4",),
        rejected={"row 2": "empty text", "row 3": "empty text", "row 4": "empty text"},
        repairs=(NO_OUTLET,),
    ),
    "binary_png_txt": Outcome(
        "rejected: 'binary file (control bytes), not text'",
        loaded=("good",),
        rejected={"image.txt": "binary file (control bytes), not text"},
        repairs=(NO_OUTLET,),
    ),
    "binary_gzip_txt": Outcome(
        "rejected: 'binary file (NUL bytes), not text'",
        loaded=("good",),
        rejected={"archive.txt": "binary file (NUL bytes), not text"},
        repairs=(NO_OUTLET,),
    ),
    "binary_pdf_txt": Outcome(
        "rejected: 'binary file (control bytes), not text'",
        rejected={"paper.txt": "binary file (control bytes), not text"},
    ),
    "binary_csv": Outcome(
        "CorpusError '<file>: looks like a binary file, not text'",
        error=r"blob\.csv: looks like a binary file, not text$",
    ),
    "giant_txt": Outcome(
        f"rejected without being read: '{LIMIT} (a file of 52,428,955 bytes); raise "
        "--max-chars (corpus.max_chars) to load it'",
        loaded=("good",),
        rejected={"giant.txt": f"{LIMIT} (a file of 52,428,955 bytes); raise --max-chars"},
        repairs=(NO_OUTLET,),
    ),
    "giant_jsonl": Outcome(
        f"rejected: '{LIMIT} (52,428,955 characters); raise --max-chars (corpus.max_chars) to "
        "load it'; the rows around it load",
        loaded=("small", "after"),
        rejected={
            "row 2": f"{LIMIT} (52,428,955 characters); raise --max-chars (corpus.max_chars) "
            "to load it"
        },
        repairs=(NO_OUTLET,),
    ),
    "just_over_the_limit_csv": Outcome(
        "with max_chars=100: 100 characters loaded, 101 rejected: 'text longer than 100 "
        "characters (101 characters)'",
        loaded=("at",),
        rejected={"row 3": "text longer than 100 characters (101 characters)"},
        repairs=(NO_OUTLET,),
    ),
    # --- broken CSVs
    "csv_embedded_newlines_and_quotes": Outcome(
        "loaded; quoted newlines, doubled quotes and delimiters kept",
        loaded=("a1", "a2"),
        texts={"a1": 'He said "no",\nthen left; twice, maybe.', "a2": "Plain, with a comma"},
        outlets=("Wire", "Wire, Inc."),
    ),
    "csv_ragged_rows": Outcome(
        "rejected: 'row has 2 fields, the header has 3' (and 4 fields); the rest loads",
        loaded=("a1", "a4"),
        rejected={
            "row 3": "row has 2 fields, the header has 3",
            "row 4": "row has 4 fields, the header has 3",
        },
    ),
    "csv_unclosed_quote": Outcome(
        "rejected: 'unclosed quotation mark: the row starting on line 3 could not be parsed; "
        "parsing resumed on line 4'",
        loaded=("a1", "a3"),
        rejected={"row 3": "unclosed quotation mark: the row starting on line 3"},
    ),
    "csv_wrong_delimiter": Outcome(
        "CorpusError '<file>, row 1: the header is one column, 'id;outlet;text': the file "
        "seems to be delimited by ';', not ','",
        error=r"semicolon\.csv, row 1: the header is one column, 'id;outlet;text': the file "
        r"seems to be delimited by ';', not ','",
    ),
    "tsv_with_commas": Outcome(
        "CorpusError '<file>, row 1: ... delimited by ',', not '\\t' (name it .csv)'",
        error=r"commas\.tsv, row 1: .* delimited by ',', not '\\t' \(name it \.csv\)",
    ),
    "csv_duplicate_header": Outcome(
        "CorpusError '<file>: duplicate column names in the header (id, text, text)'",
        error=r"dup\.csv: duplicate column names in the header \(id, text, text\)",
    ),
    # --- JSON Lines
    "jsonl_truncated_last_line": Outcome(
        "rejected: 'not valid JSON (Unterminated string ...)' on the last line",
        loaded=("a1", "a2"),
        rejected={"row 3": "not valid JSON (Unterminated string"},
        repairs=(NO_OUTLET,),
    ),
    "jsonl_wrong_types": Outcome(
        "numbers as id/outlet/date become strings (7.0 -> '7', 2017 a year); a string of "
        "digits is a text; a number, list or true as the text, a dict as the outlet, a list "
        "as the date rejected: '<column> is not a string (got int|list|dict|bool)'; a line "
        "that is a list rejected: 'not a JSON object (got list)'",
        loaded=("1", "0042", "7"),
        rejected={
            "row 3": "text is not a string (got int)",
            "row 4": "text is not a string (got list)",
            "row 5": "outlet is not a string (got dict)",
            "row 6": "date is not a string (got list)",
            "row 8": "text is not a string (got bool)",
            "row 9": "not a JSON object (got list)",
        },
        repairs=("empty outlet: assigned 'unknown'",),
        texts={"0042": "42"},
        outlets=("7", "Wire", "unknown"),
    ),
    "jsonl_missing_keys": Outcome(
        "no text: rejected 'empty text'; no id: repair \"empty id: assigned 'row-000003'\"; "
        "no outlet: repair \"empty outlet: assigned 'unknown'\"",
        loaded=("a1", "row-000003", "a4"),
        rejected={"row 2": "empty text", "row 5": "empty text"},
        repairs=("empty id: assigned 'row-000003'", "empty outlet: assigned 'unknown'"),
    ),
    "truncated_gzip_jsonl": Outcome(
        "CorpusError '<file>: cannot read the file (Compressed file ended before the "
        "end-of-stream marker was reached)'",
        error=r"cut\.jsonl\.gz: cannot read the file \(Compressed file ended",
    ),
    "jsonl_mixed_type_extras": Outcome(
        "loaded; an extra column whose values mix types is kept as text (lists as JSON) with a "
        'file-level repair "mixed value types (int, str): every value kept as text", so the '
        "articles table can be written",
        loaded=("a1", "a2", "a3"),
        repairs=(
            NO_OUTLET,
            "mixed value types (int, str): every value kept as text",
            "mixed value types (list, str): every value kept as text",
        ),
    ),
    # --- Parquet
    "parquet_integer_text": Outcome(
        "every row rejected: 'text is not a string (got int)' (never converted)",
        rejected={"row 1": "text is not a string (got int)", "row 2": "text is not a string"},
    ),
    "parquet_binary_text": Outcome(
        "rejected: 'text is not a string (got bytes)'; a missing text: 'empty text'",
        rejected={"row 1": "text is not a string (got bytes)", "row 2": "empty text"},
    ),
    # --- ids
    "duplicate_ids": Outcome(
        "same id, same text: rejected \"duplicate of article_id 'x' at row 2\"; same id, "
        "other text: loaded with repair \"duplicate article_id 'x' with different text: "
        "renamed 'x#2'\"",
        loaded=("x", "x#2"),
        rejected={"row 3": "duplicate of article_id 'x' at row 2"},
        repairs=("duplicate article_id 'x' with different text: renamed 'x#2'",),
    ),
    "missing_ids": Outcome(
        "loaded with repair \"empty id: assigned 'row-000002'\" (the line number)",
        loaded=("row-000002", "row-000003", "z"),
        repairs=("empty id: assigned 'row-000002'", "empty id: assigned 'row-000003'"),
    ),
    # --- folders: nothing outside the corpus is read
    "metadata_paths_outside": Outcome(
        "rejected: \"path '../secret.txt' is outside the corpus folder\" (and an absolute "
        "path, and sub/../..); the file is never read",
        loaded=("good",),
        rejected={"row 3": OUTSIDE, "row 4": OUTSIDE, "row 5": OUTSIDE},
    ),
    "symlinks_out": Outcome(
        "rejected: 'symbolic link to a file outside the corpus folder' and 'in a symbolic "
        "link to a folder outside the corpus folder (not read)'; a link inside loads",
        loaded=("alias", "good"),
        rejected={
            "link.txt": "symbolic link to a file outside the corpus folder",
            "secret.txt": "in a symbolic link to a folder outside the corpus folder (not read)",
        },
        repairs=(NO_OUTLET,),
    ),
    "metadata_unusable_file_names": Outcome(
        "rejected: \"not a usable file name 'bad\\x00name.txt' (embedded null byte)\" (and a "
        "name too long)",
        loaded=("good",),
        rejected={
            "row 2": "not a usable file name 'bad\\x00name.txt' (embedded null byte)",
            "row 3": "not a usable file name 'xxx",
        },
    ),
    "metadata_names_symlink_out": Outcome(
        "rejected: \"path 'link.txt' is outside the corpus folder\"",
        loaded=("good",),
        rejected={"row 3": "path 'link.txt' is outside the corpus folder"},
    ),
    # --- outlets and dates
    "outlets_differing_in_case_and_space": Outcome(
        "white space collapsed, case variants merged into the most frequent spelling with a "
        "file-level repair \"outlet 'fox news' (1 article) merged into 'Fox News' (2): names "
        'that differ only in case are one outlet"; an empty outlet: repair "empty outlet: '
        "assigned 'unknown'\"",
        loaded=tuple(f"a{i}" for i in range(7)),
        repairs=(
            "outlet 'fox news' (1 article) merged into 'Fox News' (2)",
            "outlet 'FOX NEWS' (1 article) merged into 'Fox News' (2)",
            "outlet 'cnn' (1 article) merged into 'CNN' (1)",
            "empty outlet: assigned 'unknown'",
        ),
        outlets=("Fox News",) * 4 + ("unknown", "CNN", "CNN"),
    ),
    "dates_in_many_formats": Outcome(
        "loaded; ISO, ISO with Z or offset, 'March 22, 2017', '22 March 2017', '3/22/2017' "
        "and RFC 2822 read (aware times to UTC); a zone abbreviation ('EST'), a Unix epoch "
        "and words kept missing with repair \"unparseable date '...' kept as missing\"",
        loaded=tuple(malformed.DATES),
        repairs=tuple(
            f"unparseable date {value!r} kept as missing"
            for value, read, _ in malformed.DATES.values()
            if read is None
        ),
    ),
}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Each case written once per module run (the 50 MB ones too): name -> (path, kwargs)."""
    cache = {}

    def make(name: str):
        if name not in cache:
            try:
                cache[name] = malformed.CASES[name](tmp_path_factory.mktemp(name))
            except malformed.Unsupported as err:
                cache[name] = err
        if isinstance(cache[name], malformed.Unsupported):
            pytest.skip(str(cache[name]))
        return cache[name]

    return make


def checked(corpus: Corpus) -> Corpus:
    """The accounting every load must satisfy: every input loaded or rejected, once."""
    assert corpus.n_input == len(corpus.articles) + len(corpus.rejected)
    assert list(corpus.articles.columns[: len(ARTICLE_COLUMNS)]) == ARTICLE_COLUMNS
    assert list(corpus.rejected.columns) == REJECTED_COLUMNS
    assert list(corpus.repairs.columns) == REPAIR_COLUMNS
    assert corpus.articles["article_id"].is_unique
    assert corpus.rejected["reason"].str.len().gt(0).all()
    assert corpus.rejected["source_file"].notna().all()
    return corpus


def where(file: str, row) -> str:
    return Path(file).name if pd.isna(row) else f"row {row}"


def test_every_case_has_a_documented_outcome():
    assert sorted(OUTCOMES) == sorted(malformed.CASES)


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_documented_outcome(made, name):
    expected = OUTCOMES[name]
    path, kwargs = made(name)
    if expected.error is not None:
        with pytest.raises(CorpusError) as err:
            load_corpus(path, **kwargs)
        message = str(err.value)
        assert message.startswith(str(path)), message  # the error names the file
        assert re.search(expected.error, message), message
        return
    corpus = checked(load_corpus(path, **kwargs))
    a = corpus.articles
    assert tuple(a["article_id"]) == expected.loaded
    got = {
        where(f, r): reason
        for f, r, reason in zip(
            corpus.rejected["source_file"],
            corpus.rejected["source_row"],
            corpus.rejected["reason"],
            strict=True,
        )
    }
    assert sorted(got) == sorted(expected.rejected), got
    for key, words in expected.rejected.items():
        assert words in got[key], (key, got[key])
    repairs = corpus.repairs["repair"].tolist()
    assert len(repairs) == len(expected.repairs), repairs
    for words in expected.repairs:
        assert any(words in repair for repair in repairs), (words, repairs)
    for article_id, text in expected.texts.items():
        assert a.loc[a["article_id"] == article_id, "text"].item() == text
    if expected.outlets is not None:
        assert tuple(a["outlet"]) == expected.outlets
    assert not a["text"].str.contains(malformed.SECRET, regex=False).any()


def test_dates_are_read_in_utc_with_their_precision(made):
    a = checked(load_corpus(made("dates_in_many_formats")[0])).articles.set_index("article_id")
    for name, (_, read, precision) in malformed.DATES.items():
        if read is None:
            assert pd.isna(a.loc[name, "published"]), name
        else:
            assert a.loc[name, "published"] == pd.Timestamp(read), name
            assert a.loc[name, "published_precision"] == precision, name


def test_the_giant_file_is_not_read(made, monkeypatch):
    path, _ = made("giant_txt")
    real = Path.read_bytes

    def read_bytes(self):
        assert self.name != "giant.txt", "the 50 MB file was read"
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    corpus = checked(load_corpus(path))
    assert corpus.rejected["article_id"].tolist() == ["giant"]


def test_max_chars_raises_the_limit_and_must_be_a_positive_whole_number(made):
    path, _ = made("just_over_the_limit_csv")
    assert checked(load_corpus(path, max_chars=101)).articles["article_id"].tolist() == [
        "at",
        "over",
    ]
    for bad in (0, -1, 1.5, True, "100"):
        with pytest.raises(CorpusError, match=r"max_chars=.*whole number"):
            load_corpus(path, max_chars=bad)


def test_extra_columns_of_mixed_types_are_kept_as_text(made):
    a = checked(load_corpus(made("jsonl_mixed_type_extras")[0])).articles
    assert a["bias"].tolist()[:2] == ["1", "n/a"] and pd.isna(a["bias"].iloc[2])
    assert a["authors"].tolist() == ['["Ann", "Bo"]', "Cy", '["Dee"]']
    assert a["meta"].tolist()[0] == {"k": 1}  # one type (and missing): kept as received


# --- arbitrary bytes: an answer, never a crash --------------------------------------------------

FUZZ_PIECES = [
    b"id,outlet,text\n",
    b"file,outlet\n",
    b'{"id": 1, "text": "a", "x": 1}\n',
    b'{"id": 2, "text": "b", "x": "y"}\n',
    b'{"text": ',
    b'"',
    b",",
    b";",
    b"\t",
    b"\n",
    b"\r",
    b"\x00",
    b"\x07",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\\ud800",
    b"\xe9",
    b"\x93",
    b"\xc3\xa9",
    b"../x.txt",
    b"a.txt",
    b"2017-13-45",
]


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,  # the same examples on every machine: no replay of earlier failures
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(st.one_of(st.sampled_from(FUZZ_PIECES), st.binary(max_size=20)), max_size=25).map(
        b"".join
    ),
    st.sampled_from(["x.csv", "x.tsv", "x.jsonl", "folder/a.txt", "folder/metadata.csv"]),
)
def test_any_bytes_load_or_fail_with_a_corpus_error(tmp_path, content, name):
    """Whatever the bytes, loading gives a corpus that accounts for every input (and that
    can be written) or a CorpusError; no other exception."""
    with tempfile.TemporaryDirectory(dir=tmp_path) as where:
        path = Path(where) / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        if path.name == "metadata.csv":
            (path.parent / "a.txt").write_bytes(b"A short article.")
        try:
            corpus = load_corpus(path.parent if "/" in name else path)
        except CorpusError as err:
            assert str(err)
            return
        checked(corpus).articles.to_parquet(io.BytesIO())


# --- whatever loads goes through every step ------------------------------------------------------


@pytest.fixture(scope="module")
def dictionary():
    return read_dictionary(builtin_dictionaries()[0])


@pytest.mark.parametrize("name", sorted(n for n, o in OUTCOMES.items() if o.error is None))
def test_loaded_articles_go_through_every_step(made, dictionary, name):
    path, kwargs = made(name)
    articles = checked(load_corpus(path, **kwargs)).articles
    if articles.empty:
        return
    articles.to_parquet(io.BytesIO())  # no unpaired surrogate or odd type breaks writing
    cleaned, audit = clean.clean_articles(articles)
    assert cleaned["text_clean"].map(lambda t: clean.clean_text(t) == t).all()
    sentences = segment.split_sentences(cleaned)
    for text, start, end, sentence in zip(
        cleaned.set_index("article_id").loc[sentences["article_id"], "text_clean"],
        sentences["start"],
        sentences["end"],
        sentences["text"],
        strict=True,
    ):
        assert text[start:end] == sentence
    scored = score_sentences(sentences)
    assert scored["compound"].dropna().between(-1, 1).all()
    matches = count_matches(sentences["text"], dictionary)
    assert (matches.category_counts() >= 0).all()
    terms.document_terms(sentences, min_count=1)


# --- safety --------------------------------------------------------------------------------------

UNSAFE_CALLS = {
    ("yaml", "load"): "yaml.load without Loader=yaml.SafeLoader",
    ("yaml", "load_all"): "yaml.load_all without Loader=yaml.SafeLoader",
    ("yaml", "full_load"): "yaml.full_load (builds Python objects)",
    ("yaml", "full_load_all"): "yaml.full_load_all (builds Python objects)",
    ("yaml", "unsafe_load"): "yaml.unsafe_load",
    ("yaml", "unsafe_load_all"): "yaml.unsafe_load_all",
    ("pickle", "load"): "pickle.load",
    ("pickle", "loads"): "pickle.loads",
    ("pd", "read_pickle"): "pandas.read_pickle",
    ("pandas", "read_pickle"): "pandas.read_pickle",
    ("marshal", "loads"): "marshal.loads",
    ("shelve", "open"): "shelve.open",
    ("joblib", "load"): "joblib.load",
    ("dill", "load"): "dill.load",
}
SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"}


def unsafe_calls(source: str) -> list[str]:
    """The calls in ``source`` that could run code from the data they read."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = (
            (func.value.id, func.attr)
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            else ("", func.id)
            if isinstance(func, ast.Name)
            else None
        )
        if name in {("", "eval"), ("", "exec")}:
            found.append(f"line {node.lineno}: {name[1]}()")
        elif name in UNSAFE_CALLS:
            loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
            if name[1] in {"load", "load_all"} and name[0] == "yaml" and loader is not None:
                loader_name = getattr(loader, "attr", getattr(loader, "id", ""))
                if loader_name in SAFE_LOADERS:
                    continue
            found.append(f"line {node.lineno}: {UNSAFE_CALLS[name]}")
        elif name in {("np", "load"), ("numpy", "load")} and any(
            k.arg == "allow_pickle"
            and not (isinstance(k.value, ast.Constant) and k.value.value is False)
            for k in node.keywords
        ):
            found.append(f"line {node.lineno}: numpy.load with allow_pickle")
    return found


def test_the_safety_check_finds_unsafe_calls():
    source = (
        "import yaml, pickle\n"
        "yaml.load(text)\n"
        "yaml.load(text, Loader=yaml.SafeLoader)\n"
        "yaml.load(text, Loader=yaml.FullLoader)\n"
        "yaml.safe_load(text)\n"
        "pickle.loads(data)\n"
        "eval(text)\n"
        "np.load(path, allow_pickle=True)\n"
        "np.load(path, allow_pickle=False)\n"
    )
    assert unsafe_calls(source) == [
        "line 2: yaml.load without Loader=yaml.SafeLoader",
        "line 4: yaml.load without Loader=yaml.SafeLoader",
        "line 6: pickle.loads",
        "line 7: eval()",
        "line 8: numpy.load with allow_pickle",
    ]


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "analysis").rglob("*.py")) + sorted((ROOT / "benchmarks").rglob("*.py")),
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_no_code_runs_from_input(path):
    """YAML is read with a safe loader; nothing is unpickled, eval'd or exec'd."""
    assert unsafe_calls(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "payload",
    [
        "frames:\n  bad: !!python/object/apply:os.system ['echo unsafe']\n",
        "!!python/object/new:os.system [echo unsafe]\n",
    ],
)
def test_a_yaml_dictionary_cannot_run_code(tmp_path, payload):
    from analysis.lexicon import DictionaryError

    path = tmp_path / "evil.yml"
    path.write_text(payload, encoding="utf-8")
    with pytest.raises(DictionaryError):
        read_dictionary(path)
