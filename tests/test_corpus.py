"""Tests for analysis.corpus: every format, column mapping, and every bad input's outcome."""

from __future__ import annotations

import bz2
import codecs
import gzip
import json
import lzma
import os
import re
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import (
    ARTICLE_COLUMNS,
    REJECTED_COLUMNS,
    REPAIR_COLUMNS,
    Corpus,
    CorpusError,
    load_corpus,
)
from analysis.paths import RAW

ALLSIDES = Path(
    os.environ.get(
        "FRAMING_ALLSIDES", "/work/shared/data/allsides_baly2020/articles_sample50.jsonl.xz"
    )
)

CSV = (
    "id,outlet,published,title,text,section\n"
    "a1,The Daily,2017-03-14,First,Facebook was asked to help.,world\n"
    "a2,  The   Weekly ,2017-03,Second,Twitter was asked too.,tech\n"
)
RECORDS = [
    {
        "id": "a1",
        "outlet": "The Daily",
        "published": "2017-03-14",
        "title": "First",
        "text": "Facebook was asked to help.",
        "section": "world",
    },
    {
        "id": "a2",
        "outlet": "The Weekly",
        "published": "2017-03",
        "title": "Second",
        "text": "Twitter was asked too.",
        "section": "tech",
    },
]


def checked(corpus: Corpus) -> Corpus:
    """Assert the table shapes and the accounting invariant every load must satisfy."""
    assert corpus.n_input == len(corpus.articles) + len(corpus.rejected)
    assert list(corpus.articles.columns[: len(ARTICLE_COLUMNS)]) == ARTICLE_COLUMNS
    assert list(corpus.rejected.columns) == REJECTED_COLUMNS
    assert list(corpus.repairs.columns) == REPAIR_COLUMNS
    assert corpus.articles["article_id"].is_unique
    assert str(corpus.articles["published"].dtype) == "datetime64[ns]"
    assert str(corpus.articles["source_row"].dtype) == "Int64"
    return corpus


def write(path: Path, content: str | bytes) -> Path:
    """Write text (UTF-8, newlines as given) or bytes to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def symlink(link: Path, target: Path) -> None:
    """Create a symbolic link, or skip the test where the system does not allow it."""
    try:
        link.symlink_to(target)
    except OSError as err:  # e.g. Windows without developer mode
        pytest.skip(f"cannot create symbolic links here ({err})")


def jsonl(records) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def reasons(corpus: Corpus) -> list[str]:
    return corpus.rejected["reason"].tolist()


def repairs(corpus: Corpus) -> list[str]:
    return corpus.repairs["repair"].tolist()


# --- the seed corpus ---------------------------------------------------------------------------


def test_seed_corpus_folder_loads_four_articles_with_metadata():
    corpus = checked(load_corpus(RAW))
    assert corpus.articles["article_id"].tolist() == [
        "000_b497ab7e464d9db6",
        "001_3151fdd18244c08d",
        "002_57e53411efb270d4",
        "003_00605905d1aa0ff4",
    ]
    assert corpus.articles["outlet"].tolist() == [
        "International Business Times UK",
        "Al Jazeera English",
        "Breitbart News",
        "Pakistani English-language daily (unconfirmed)",
    ]
    a = corpus.articles.set_index("article_id")
    assert len(a) == 4 and len(corpus.rejected) == 0 and len(corpus.repairs) == 0
    assert a.loc["001_3151fdd18244c08d", "outlet"] == "Al Jazeera English"
    first = a.loc["000_b497ab7e464d9db6"]
    assert first["published"] == pd.Timestamp("2017-03-01")
    assert first["published_precision"] == "month"
    last = a.loc["003_00605905d1aa0ff4"]
    assert last["published"] == pd.Timestamp("2017-07-07")
    assert last["published_precision"] == "day"
    assert {"outlet_country", "byline", "url", "attribution_evidence"} <= set(a.columns)
    assert "file" not in a.columns and "published_original" not in a.columns
    assert a.loc["001_3151fdd18244c08d", "byline"] == "Asad Hashim"
    assert a["source_row"].isna().all()
    assert a.loc["002_57e53411efb270d4", "text"] == (RAW / "002_57e53411efb270d4.txt").read_text(
        encoding="utf-8"
    ).replace("\r\n", "\n")


# --- formats ------------------------------------------------------------------------------------


def assert_two_articles(corpus: Corpus) -> None:
    checked(corpus)
    a = corpus.articles
    assert a["article_id"].tolist() == ["a1", "a2"]
    assert a["outlet"].tolist() == ["The Daily", "The Weekly"]
    assert a["title"].tolist() == ["First", "Second"]
    assert a["text"].tolist() == ["Facebook was asked to help.", "Twitter was asked too."]
    assert a["published"].tolist() == [pd.Timestamp("2017-03-14"), pd.Timestamp("2017-03-01")]
    assert a["published_precision"].tolist() == ["day", "month"]
    assert a["section"].tolist() == ["world", "tech"]
    assert len(corpus.rejected) == 0 and len(corpus.repairs) == 0


def test_csv(tmp_path):
    corpus = load_corpus(write(tmp_path / "news.csv", CSV))
    assert_two_articles(corpus)
    assert corpus.articles["source_row"].tolist() == [2, 3]
    assert corpus.articles["source_file"].iloc[0].endswith("news.csv")
    assert corpus.source.endswith("news.csv")


@pytest.mark.parametrize("suffix", [".tsv", ".tab"])
def test_tsv(tmp_path, suffix):
    assert_two_articles(load_corpus(write(tmp_path / f"news{suffix}", CSV.replace(",", "\t"))))


def test_csv_quoted_fields_with_newlines_quotes_and_crlf(tmp_path):
    content = (
        "id,outlet,text\r\n"
        'q1,Wire,"He said ""no"",\r\nthen left.\rEnd."\r\n'
        'q2,Wire,"plain, with comma"\r\n'
    )
    corpus = checked(load_corpus(write(tmp_path / "quoted.csv", content)))
    assert corpus.articles["text"].tolist() == [
        'He said "no",\nthen left.\nEnd.',
        "plain, with comma",
    ]
    assert corpus.articles["source_row"].tolist() == [2, 5]  # a lone CR ends a line too
    assert len(corpus.repairs) == 0  # line endings are normalised silently


def test_jsonl(tmp_path):
    assert_two_articles(load_corpus(write(tmp_path / "news.jsonl", jsonl(RECORDS))))
    assert_two_articles(load_corpus(write(tmp_path / "news.ndjson", jsonl(RECORDS))))


@pytest.mark.parametrize(
    "suffix, compress",
    [(".jsonl.gz", gzip.compress), (".jsonl.xz", lzma.compress), (".jsonl.bz2", bz2.compress)],
)
def test_compressed_jsonl(tmp_path, suffix, compress):
    path = write(tmp_path / f"news{suffix}", compress(jsonl(RECORDS).encode()))
    assert_two_articles(load_corpus(path))


@pytest.mark.parametrize(
    "suffix, compress",
    [(".csv.gz", gzip.compress), (".csv.xz", lzma.compress), (".csv.bz2", bz2.compress)],
)
def test_compressed_csv(tmp_path, suffix, compress):
    assert_two_articles(load_corpus(write(tmp_path / f"news{suffix}", compress(CSV.encode()))))


def test_corrupt_compressed_file_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match="broken.jsonl.gz: cannot read"):
        load_corpus(write(tmp_path / "broken.jsonl.gz", b"not gzip at all"))


def test_parquet(tmp_path):
    path = tmp_path / "news.parquet"
    pd.DataFrame(RECORDS).to_parquet(path)
    assert_two_articles(load_corpus(path))
    gz = write(tmp_path / "news.parquet.gz", gzip.compress(path.read_bytes()))
    assert_two_articles(load_corpus(gz))


def test_dataframe():
    frame = pd.DataFrame(RECORDS, index=[10, 20])
    corpus = load_corpus(frame)
    assert_two_articles(corpus)
    assert corpus.source == "<DataFrame>"
    assert corpus.articles["source_file"].tolist() == ["<DataFrame>"] * 2
    assert corpus.articles["source_row"].tolist() == [1, 2]


def test_dataframe_keeps_extra_column_dtypes():
    frame = pd.DataFrame({"text": ["one", "two"], "bias": [1, 2]})
    corpus = checked(load_corpus(frame))
    assert corpus.articles["bias"].tolist() == [1, 2]
    assert pd.api.types.is_integer_dtype(corpus.articles["bias"])


# --- column mapping -----------------------------------------------------------------------------


def test_mapping_by_keyword_renames_without_duplicating():
    frame = pd.DataFrame(
        {
            "story_body": ["Text one.", "Text two."],
            "paper": ["A", "B"],
            "key": ["k1", "k2"],
            "when": ["2017-01-02", "2018"],
            "head": ["H1", "H2"],
            "text": ["summary", "summary"],
        }
    )
    corpus = checked(
        load_corpus(frame, text="story_body", outlet="paper", id="key", date="when", title="head")
    )
    a = corpus.articles
    assert a["text"].tolist() == ["Text one.", "Text two."]
    assert a["outlet"].tolist() == ["A", "B"]
    assert a["article_id"].tolist() == ["k1", "k2"]
    assert a["published_precision"].tolist() == ["day", "year"]
    assert a["title"].tolist() == ["H1", "H2"]
    for mapped in ("story_body", "paper", "key", "when", "head"):
        assert mapped not in a.columns
    assert a["text_original"].tolist() == ["summary", "summary"]  # clash gets a suffix


def test_detection_is_case_insensitive_and_follows_the_documented_order():
    frame = pd.DataFrame(
        {
            "Body": ["b1"],
            "CONTENT": ["c1"],
            "Source": ["S"],
            "Publisher": ["P"],
            "DOC_ID": ["d1"],
            "Date": ["1/2/2017"],
            "Headline": ["H"],
        }
    )
    corpus = checked(load_corpus(frame))
    row = corpus.articles.iloc[0]
    assert row["text"] == "c1" and row["Body"] == "b1"  # content comes before body
    assert row["outlet"] == "S" and row["Publisher"] == "P"
    assert row["article_id"] == "d1"
    assert row["published"] == pd.Timestamp("2017-01-02")
    assert row["title"] == "H"


def test_named_column_that_does_not_exist(tmp_path):
    path = write(tmp_path / "data.csv", CSV)
    with pytest.raises(
        CorpusError,
        match=r"data\.csv, column 'txt': no such column "
        r"\(columns: id, outlet, published",
    ):
        load_corpus(path, text="txt")


def test_no_text_column(tmp_path):
    path = write(tmp_path / "data.csv", "id,body2,src\n1,hello,X\n")
    with pytest.raises(
        CorpusError,
        match=r"data\.csv: no text column found "
        r'\(columns: id, body2, src\); pass text="\.\.\."',
    ):
        load_corpus(path)
    corpus = checked(load_corpus(path, text="body2", outlet="src"))
    assert corpus.articles["text"].tolist() == ["hello"]


def test_corpus_error_is_a_value_error():
    assert issubclass(CorpusError, ValueError)


# --- bad input: whole-source errors -------------------------------------------------------------


def test_missing_path(tmp_path):
    with pytest.raises(CorpusError, match="nowhere.csv: no such file"):
        load_corpus(tmp_path / "nowhere.csv")


def test_unknown_extension(tmp_path):
    with pytest.raises(CorpusError, match=r"notes\.docx: unsupported format .*\.jsonl"):
        load_corpus(write(tmp_path / "notes.docx", "text\nhello\n"))


@pytest.mark.parametrize("content", ["", "id,outlet,text\n", "id,outlet,text\n\n\n", "\n  \n"])
def test_empty_csv(tmp_path, content):
    with pytest.raises(CorpusError, match="empty.csv.*empty"):
        load_corpus(write(tmp_path / "empty.csv", content))


def test_empty_jsonl(tmp_path):
    with pytest.raises(CorpusError, match="empty.jsonl.*empty"):
        load_corpus(write(tmp_path / "empty.jsonl", "\n\n"))


def test_binary_file_as_table(tmp_path):
    with pytest.raises(CorpusError, match="blob.csv: looks like a binary file"):
        load_corpus(write(tmp_path / "blob.csv", b"\x89PNG\r\n" + b"\x00" * 64 + bytes(range(256))))


def test_duplicate_header_names(tmp_path):
    with pytest.raises(CorpusError, match="dup.csv: duplicate column names"):
        load_corpus(write(tmp_path / "dup.csv", "text,text\na,b\n"))


def test_metadata_argument_only_for_folders(tmp_path):
    with pytest.raises(CorpusError, match="metadata= applies only to a folder"):
        load_corpus(write(tmp_path / "news.csv", CSV), metadata=tmp_path / "m.csv")


# --- bad input: rows rejected or repaired -------------------------------------------------------


def test_ragged_csv_row_is_rejected_with_its_line(tmp_path):
    content = CSV + "a3,Extra,2017-01-01,Title,Text,world,surplus\na4,Short\n"
    corpus = checked(load_corpus(write(tmp_path / "ragged.csv", content)))
    assert corpus.articles["article_id"].tolist() == ["a1", "a2"]
    assert corpus.rejected["source_row"].tolist() == [4, 5]
    assert reasons(corpus) == [
        "row has 7 fields, the header has 6",
        "row has 2 fields, the header has 6",
    ]
    assert corpus.n_input == 4


def test_badly_quoted_csv_rows_are_rejected_and_parsing_resumes(tmp_path):
    content = 'id,text\n1,"quoted"tail\n2,two\n3,"multi\nline"\n4,He said "hi" there\n'
    corpus = checked(load_corpus(write(tmp_path / "sloppy.csv", content)))
    assert corpus.articles["article_id"].tolist() == ["2", "3", "4"]
    assert corpus.articles["text"].tolist() == ["two", "multi\nline", 'He said "hi" there']
    assert corpus.articles["source_row"].tolist() == [3, 4, 6]
    assert corpus.rejected["source_row"].tolist() == [2]
    assert reasons(corpus) == [
        "cannot parse the row starting on line 2 (',' expected after '\"'); "
        "parsing resumed on line 3"
    ]


UNCLOSED = ("unclosed quotation mark: the row starting on line {} could not be parsed; {}").format


def test_unclosed_quote_does_not_swallow_the_rest(tmp_path):
    corpus = checked(load_corpus(write(tmp_path / "open.csv", 'id,text\n1,"never closed\n2,two\n')))
    assert corpus.articles["article_id"].tolist() == ["2"]
    assert corpus.articles["source_row"].tolist() == [3]
    assert reasons(corpus) == [UNCLOSED(2, "parsing resumed on line 3")]
    assert corpus.rejected["source_row"].tolist() == [2]


def test_unclosed_quote_costs_one_row_of_five(tmp_path):
    content = 'id,text,outlet\n1,one,A\n2,"two never closed,A\n3,three,A\n4,four,B\n5,five,B\n'
    corpus = checked(load_corpus(write(tmp_path / "open.csv", content)))
    assert corpus.n_input == 5 and len(corpus.articles) == 4 and len(corpus.rejected) == 1
    assert corpus.articles["article_id"].tolist() == ["1", "3", "4", "5"]
    assert corpus.articles["text"].tolist() == ["one", "three", "four", "five"]
    assert corpus.articles["outlet"].tolist() == ["A", "A", "B", "B"]
    assert corpus.articles["source_row"].tolist() == [2, 4, 5, 6]
    assert corpus.rejected["source_row"].tolist() == [3]
    assert reasons(corpus) == [UNCLOSED(3, "parsing resumed on line 4")]


@pytest.mark.parametrize("end", ["\n", ""])
def test_unclosed_quote_on_the_last_row(tmp_path, end):
    content = f'id,text,outlet\n1,one,A\n2,two,A\n3,"three,A{end}'
    corpus = checked(load_corpus(write(tmp_path / "last.csv", content)))
    assert corpus.n_input == 3
    assert corpus.articles["article_id"].tolist() == ["1", "2"]
    assert corpus.rejected["source_row"].tolist() == [4]
    assert reasons(corpus) == [UNCLOSED(4, "it was the last line of the file")]


def test_unclosed_quote_before_rows_with_embedded_newlines(tmp_path):
    content = (
        "id,text,outlet\n"
        "1,one,A\n"
        '2,"opened here,A\n'
        '3,"multi\nline",B\n'
        '4,"He said ""hi""\r\nthen left",C\n'
        "5,five,C\n"
    )
    corpus = checked(load_corpus(write(tmp_path / "middle.csv", content)))
    assert corpus.n_input == 5
    a = corpus.articles
    assert a["article_id"].tolist() == ["1", "3", "4", "5"]
    assert a["text"].tolist() == ["one", "multi\nline", 'He said "hi"\nthen left', "five"]
    assert a["source_row"].tolist() == [2, 4, 6, 8]
    assert corpus.rejected["source_row"].tolist() == [3]
    # the quotation mark opened on line 3 is closed by the first one on line 4
    assert reasons(corpus) == [
        "cannot parse the row starting on line 3 (',' expected after '\"' on line 4; "
        "a quotation mark may be unclosed); parsing resumed on line 4"
    ]


def test_ragged_row_spanning_lines_names_them(tmp_path):
    content = 'id,text,outlet\n1,"two\nlines"\n2,two,B\n'
    corpus = checked(load_corpus(write(tmp_path / "ragged.csv", content)))
    assert corpus.articles["article_id"].tolist() == ["2"]
    assert reasons(corpus) == [
        "row has 2 fields, the header has 3 (the row spans lines 2-3: check its quotation marks)"
    ]


def test_unclosed_quote_in_the_header_is_an_error(tmp_path):
    with pytest.raises(CorpusError) as err:
        load_corpus(write(tmp_path / "head.csv", 'id,"text\n1,one\n'))
    assert str(err.value).endswith(
        "head.csv, row 1: unclosed quotation mark: the row starting on line 1 could not be parsed"
    )


def test_jsonl_bad_lines_are_rejected_and_blank_lines_ignored(tmp_path):
    lines = [
        json.dumps({"id": 1, "text": "fine", "outlet": 7}),
        "",
        "{not json",
        "[1, 2]",
        json.dumps({"id": 4, "text": ["a", "list"]}),
        "   ",
        json.dumps({"id": 5, "text": 12}),
        json.dumps({"id": 6.0, "text": "six"}),
    ]
    corpus = checked(load_corpus(write(tmp_path / "mixed.jsonl", "\n".join(lines) + "\n")))
    a = corpus.articles
    assert a["article_id"].tolist() == ["1", "6"]  # numbers become strings, 6.0 -> "6"
    assert a["outlet"].tolist() == ["7", "unknown"]
    assert a["source_row"].tolist() == [1, 8]
    r = corpus.rejected
    assert r["source_row"].tolist() == [3, 4, 5, 7]
    assert r["reason"].iloc[0].startswith("not valid JSON (")
    assert r["reason"].iloc[1] == "not a JSON object (got list)"
    assert r["reason"].iloc[2] == "text is not a string (got list)"
    assert r["reason"].iloc[3] == "text is not a string (got int)"
    assert r["article_id"].iloc[2] == "4" and r["column"].iloc[2] == "text"
    assert corpus.n_input == 6


def test_jsonl_where_every_line_is_bad_loads_nothing(tmp_path):
    corpus = checked(load_corpus(write(tmp_path / "bad.jsonl", "{oops\n[]\n")))
    assert len(corpus.articles) == 0 and corpus.n_input == 2
    assert len(corpus.repairs) == 0


def test_parquet_non_string_text_is_rejected(tmp_path):
    path = tmp_path / "mixed.parquet"
    pd.DataFrame({"text": ["words", None, "  "], "outlet": ["A", "B", "C"]}).to_parquet(path)
    corpus = checked(load_corpus(path))
    assert corpus.articles["text"].tolist() == ["words"]
    assert reasons(corpus) == ["empty text", "empty text"]
    frame = pd.DataFrame({"text": ["words", 3.5, {"a": 1}]})
    corpus = checked(load_corpus(frame))
    assert reasons(corpus) == [
        "text is not a string (got float)",
        "text is not a string (got dict)",
    ]
    assert corpus.rejected["source_row"].tolist() == [2, 3]


def test_empty_text_is_rejected(tmp_path):
    content = 'id,outlet,text\na,X,\nb,X,"  \n "\nc,X,kept\n'
    corpus = checked(load_corpus(write(tmp_path / "blank.csv", content)))
    assert corpus.articles["article_id"].tolist() == ["c"]
    assert reasons(corpus) == ["empty text", "empty text"]
    assert corpus.rejected["article_id"].tolist() == ["a", "b"]
    assert corpus.rejected["column"].tolist() == ["text", "text"]


def test_no_outlet_column_gives_one_repair_row():
    corpus = checked(load_corpus(pd.DataFrame({"text": ["a", "b", "c"]})))
    assert corpus.articles["outlet"].tolist() == ["unknown"] * 3
    assert len(corpus.repairs) == 1
    row = corpus.repairs.iloc[0]
    assert pd.isna(row["article_id"]) and pd.isna(row["source_row"])
    assert row["repair"] == "no outlet column: all articles assigned to outlet 'unknown'"


def test_empty_outlet_value_is_repaired_and_outlets_are_normalised():
    frame = pd.DataFrame({"text": ["a", "b", "c"], "source": [" The\t Daily  News ", "", None]})
    corpus = checked(load_corpus(frame))
    assert corpus.articles["outlet"].tolist() == ["The Daily News", "unknown", "unknown"]
    assert corpus.repairs["article_id"].tolist() == ["row-000002", "row-000003"]
    assert corpus.repairs["column"].tolist() == ["source", "source"]
    assert repairs(corpus) == ["empty outlet: assigned 'unknown'"] * 2


@pytest.mark.parametrize(
    "raw, expected, precision",
    [
        ("2017", "2017-01-01", "year"),
        ("2017-03", "2017-03-01", "month"),
        ("2017-03-22", "2017-03-22", "day"),
        ("2017-03-22T10:30:00", "2017-03-22 10:30", "time"),
        ("2017-03-22T10:30:00Z", "2017-03-22 10:30", "time"),
        ("2017-03-22 10:30:00+05:30", "2017-03-22 05:00", "time"),
        ("2017-03-22T23:30:00-02:00", "2017-03-23 01:30", "time"),
        ("12/1/16", "2016-12-01", "day"),
        ("3/22/2017", "2017-03-22", "day"),
        ("22 March 2017", "2017-03-22", "day"),
        ("March 22, 2017", "2017-03-22", "day"),
        ("Wednesday, March 22, 2017", "2017-03-22", "day"),
        ("Mar 2017", "2017-03-01", "month"),
        ("Wed, 22 Mar 2017 10:00:00 +0100", "2017-03-22 09:00", "time"),
    ],
)
def test_dates(raw, expected, precision):
    corpus = checked(load_corpus(pd.DataFrame({"text": ["t"], "date": [raw]})))
    row = corpus.articles.iloc[0]
    assert row["published"] == pd.Timestamp(expected)
    assert row["published_precision"] == precision
    # only file-level notes: the missing outlet column (and "12/1/16" could be day first)
    assert corpus.repairs["article_id"].isna().all()
    assert len(corpus.repairs) == (2 if raw == "12/1/16" else 1)


DAY_FIRST = "if dates are day first, load with dayfirst=True (--dayfirst)"


@pytest.mark.parametrize(
    "raw, expected",
    [("05/01/2020", "2020-01-05"), ("13/01/2020", "2020-01-13"), ("31/12/99", "1999-12-31")],
)
def test_dayfirst_reads_day_month_year(raw, expected):
    corpus = checked(load_corpus(pd.DataFrame({"text": ["t"], "date": [raw]}), dayfirst=True))
    assert corpus.dayfirst is True
    assert corpus.articles["published"].tolist() == [pd.Timestamp(expected)]
    assert corpus.articles["published_precision"].tolist() == ["day"]
    assert not any(r.startswith("unparseable") for r in repairs(corpus))


def test_month_first_by_default_and_day_first_values_are_flagged():
    frame = pd.DataFrame(
        {"text": ["a", "b", "c"], "outlet": "X", "date": ["05/01/2020", "13/01/2020", "13/13/2020"]}
    )
    corpus = checked(load_corpus(frame))
    assert corpus.dayfirst is False
    a = corpus.articles
    assert a["published"].iloc[0] == pd.Timestamp("2020-05-01")  # month first
    assert a["published"].iloc[1:].isna().all()
    assert repairs(corpus) == [
        "the date '05/01/2020' could be month or day first: read as M/D/Y (month first); "
        + DAY_FIRST,
        f"unparseable date '13/01/2020' kept as missing: not a valid M/D/Y date; {DAY_FIRST}",
        "unparseable date '13/13/2020' kept as missing: not a valid M/D/Y date",
    ]
    assert corpus.repairs["article_id"].fillna("-").tolist() == ["-", "row-000002", "row-000003"]
    assert corpus.repairs["column"].tolist() == ["date"] * 3


def test_dayfirst_flags_month_first_values():
    frame = pd.DataFrame({"text": ["a", "b"], "outlet": "X", "date": ["01/13/2020", "13/01/2020"]})
    corpus = checked(load_corpus(frame, dayfirst=True))
    assert pd.isna(corpus.articles["published"].iloc[0])
    assert corpus.articles["published"].iloc[1] == pd.Timestamp("2020-01-13")
    assert repairs(corpus) == [
        "unparseable date '01/13/2020' kept as missing: not a valid D/M/Y date; "
        "month-first dates need dayfirst=False (the default)"
    ]


def test_ambiguous_numeric_dates_get_one_note_unless_the_data_settles_the_order():
    dates = ["05/01/2020", "06/02/2020", "05/01/2020", "07/07/2020", "2020-01-01"]
    frame = pd.DataFrame({"text": list("abcde"), "outlet": "X", "date": dates})
    corpus = checked(load_corpus(frame))
    assert repairs(corpus) == [
        "2 distinct dates such as '05/01/2020' could each be month or day first: read as M/D/Y "
        f"(month first); {DAY_FIRST}"
    ]
    row = corpus.repairs.iloc[0]
    assert pd.isna(row["article_id"]) and row["column"] == "date"
    assert row["source_file"] == "<DataFrame>"
    day_first = checked(load_corpus(frame, dayfirst=True))
    assert repairs(day_first) == [
        "2 distinct dates such as '05/01/2020' could each be month or day first: read as D/M/Y "
        "(day first, dayfirst=True)"
    ]
    settled = pd.DataFrame({"text": ["a", "b"], "outlet": "X", "date": ["05/01/2020", "1/13/2020"]})
    assert len(checked(load_corpus(settled)).repairs) == 0  # 1/13 is month first only
    assert [r[:20] for r in repairs(checked(load_corpus(settled, dayfirst=True)))] == [
        "the date '05/01/2020",  # dayfirst is not settled by a date that does not fit it
        "unparseable date '1/",
    ]


def test_datetime_values_from_a_dataframe():
    frame = pd.DataFrame(
        {
            "text": ["a", "b"],
            "published": pd.DatetimeIndex(
                [pd.Timestamp("2017-03-22"), pd.Timestamp("2017-03-22 10:00")]
            ).tz_localize("Europe/Berlin"),
        }
    )
    a = checked(load_corpus(frame)).articles
    assert a["published"].tolist() == [
        pd.Timestamp("2017-03-21 23:00"),
        pd.Timestamp("2017-03-22 09:00"),
    ]
    assert a["published_precision"].tolist() == ["time", "time"]
    naive = checked(
        load_corpus(
            pd.DataFrame({"text": ["a", "b"], "published": [pd.Timestamp("2017-03-22"), pd.NaT]})
        )
    )
    assert naive.articles["published_precision"].iloc[0] == "day"
    assert pd.isna(naive.articles["published_precision"].iloc[1])
    assert len(naive.repairs) == 1  # a missing date is not a repair (only the outlet one)


def test_unparseable_and_empty_dates():
    frame = pd.DataFrame(
        {
            "text": ["a", "b", "c", "d", "e", "f"],
            "outlet": "X",
            "date": ["soon", "", None, "2017-13-01", 2017.5, "soon"],
        }
    )
    corpus = checked(load_corpus(frame))
    assert corpus.articles["published"].isna().all()
    assert corpus.articles["published_precision"].isna().all()
    assert repairs(corpus) == [
        "unparseable date 'soon' kept as missing",
        "unparseable date '2017-13-01' kept as missing",
        "unparseable date 2017.5 kept as missing",
        "unparseable date 'soon' kept as missing",
    ]
    assert corpus.repairs["column"].tolist() == ["date"] * 4
    assert corpus.repairs["source_row"].tolist() == [1, 4, 5, 6]


def test_collections_in_id_outlet_title_or_date_are_rejected(tmp_path):
    lines = [
        {"id": 1, "text": "kept", "source": "A", "date": "2017"},
        {"id": 2, "text": "t", "source": {"name": "Z"}},
        {"id": [3], "text": "t", "source": "A"},
        {"id": 4, "text": "t", "source": "A", "title": {"main": "T"}},
        {"id": 5, "text": "t", "source": "A", "date": ["2017"]},
        {"id": 6, "text": 6, "source": ["A"]},  # the text is checked first
    ]
    corpus = checked(load_corpus(write(tmp_path / "nested.jsonl", jsonl(lines))))
    assert corpus.articles["article_id"].tolist() == ["1"]
    assert reasons(corpus) == [
        "outlet is not a string (got dict)",
        "id is not a string (got list)",
        "title is not a string (got dict)",
        "date is not a string (got list)",
        "text is not a string (got int)",
    ]
    assert corpus.rejected["column"].tolist() == ["source", "id", "title", "date", "text"]
    assert corpus.rejected["article_id"].fillna("-").tolist() == ["2", "-", "4", "5", "6"]
    assert corpus.rejected["source_row"].tolist() == [2, 3, 4, 5, 6]
    frame = pd.DataFrame({"text": ["a", "b"], "outlet": [("X",), "Y"]})
    assert reasons(checked(load_corpus(frame))) == ["outlet is not a string (got tuple)"]


def test_dates_out_of_range_are_kept_missing():
    corpus = checked(load_corpus(pd.DataFrame({"text": ["a"], "date": ["0001-11-30"]})))
    assert pd.isna(corpus.articles["published"].iloc[0])
    assert "date '0001-11-30' outside 1677-2262 kept as missing" in repairs(corpus)


def test_ids_from_row_numbers_when_there_is_no_id_column(tmp_path):
    corpus = checked(load_corpus(write(tmp_path / "noid.csv", "outlet,text\nA,one\nB,two\n")))
    assert corpus.articles["article_id"].tolist() == ["row-000002", "row-000003"]
    assert len(corpus.repairs) == 0


def test_empty_id_is_generated_with_a_repair(tmp_path):
    corpus = checked(load_corpus(write(tmp_path / "ids.csv", "id,outlet,text\n,A,one\nx,B,two\n")))
    assert corpus.articles["article_id"].tolist() == ["row-000002", "x"]
    assert repairs(corpus) == ["empty id: assigned 'row-000002'"]
    assert corpus.repairs["column"].tolist() == ["id"]


def test_duplicate_ids(tmp_path):
    content = (
        "id,outlet,text\n"
        "x,A,same text\n"
        "x,A,same text\n"
        "x,A,other text\n"
        "x,A,third text\n"
        "x#2,A,clash with a renamed id\n"
    )
    corpus = checked(load_corpus(write(tmp_path / "dups.csv", content)))
    assert corpus.articles["article_id"].tolist() == ["x", "x#2", "x#3", "x#2#2"]
    assert reasons(corpus) == ["duplicate of article_id 'x' at row 2"]
    assert corpus.rejected["source_row"].tolist() == [3]
    assert repairs(corpus)[0] == "duplicate article_id 'x' with different text: renamed 'x#2'"
    assert corpus.repairs["article_id"].tolist() == ["x#2", "x#3", "x#2#2"]


@pytest.mark.parametrize(
    "rows, ids, rejected",
    [
        pytest.param(
            "x,one\nx,two\nx,two\n",
            ["x", "x#2"],
            ["duplicate of article_id 'x#2' at row 3"],
            id="compared with the articles renamed from the same id",
        ),
        pytest.param(
            "x,one\nx,two\nx#2,two\n",
            ["x", "x#2", "x#2#2"],
            [],
            id="not with an article renamed to the id given",
        ),
        pytest.param(
            ",one\nrow-000002,one\nrow-000002,two\n",
            ["row-000002", "row-000002#2"],
            ["duplicate of article_id 'row-000002' at row 2"],
            id="a generated id counts as given",
        ),
    ],
)
def test_repeated_ids_are_compared_with_every_article_given_the_same_id(
    tmp_path, rows, ids, rejected
):
    corpus = checked(load_corpus(write(tmp_path / "ids.csv", "id,text\n" + rows)))
    assert corpus.articles["article_id"].tolist() == ids
    assert reasons(corpus) == rejected
    assert corpus.rejected["column"].tolist() == ["id"] * len(rejected)


def test_repeated_ids_in_a_folder_name_the_file(tmp_path):
    for name, text in [("a.txt", "same"), ("b.txt", "same"), ("c.txt", "other")]:
        write(tmp_path / "corpus" / name, text)
    write(tmp_path / "corpus" / "metadata.csv", "file,id,outlet\na.txt,x,A\nb.txt,x,A\nc.txt,x,A\n")
    corpus = checked(load_corpus(tmp_path / "corpus"))
    assert corpus.articles["article_id"].tolist() == ["x", "x#2"]
    assert reasons(corpus) == [f"duplicate of article_id 'x' at file {tmp_path / 'corpus'}/a.txt"]
    assert repairs(corpus) == ["duplicate article_id 'x' with different text: renamed 'x#2'"]


def test_outlet_case_variants_are_file_level_repairs_before_the_rows(tmp_path):
    content = "id,source,text\n1,cnn,a\n2,CNN,b\n3,CNN,c\n,CNN,d\n"
    corpus = checked(load_corpus(write(tmp_path / "o.csv", content)))
    assert corpus.articles["outlet"].tolist() == ["CNN"] * 4
    assert repairs(corpus) == [
        "outlet 'cnn' (1 article) merged into 'CNN' (3): names that differ only in case are "
        "one outlet",
        "empty id: assigned 'row-000005'",
    ]
    assert corpus.repairs["column"].tolist() == ["source", "id"]
    assert corpus.repairs["source_file"].tolist() == [str(tmp_path / "o.csv")] * 2


# --- encodings ----------------------------------------------------------------------------------

RUSSIAN = "Пакистан призвал Facebook и Twitter помочь выявить пользователей."
WESTERN = (
    "He said \u201cit\u2019s over\u201d \u2013 and the caf\u00e9 closed. Na\u00efve? Gar\u00e7on!"
)


@pytest.mark.parametrize(
    "encoding, text, note",
    [
        ("cp1252", WESTERN, "not valid UTF-8: decoded as cp1252"),
        (
            "latin-1",
            "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00e0 la cr\u00e8me br\u00fbl\u00e9e.",
            "not valid UTF-8: decoded as cp1252",
        ),
        ("cp1251", RUSSIAN, "not valid UTF-8: decoded as cp1251"),
        ("utf-16", WESTERN, "not UTF-8: decoded as utf-16 (byte-order mark)"),
        ("utf-16-le", WESTERN, "not UTF-8: decoded as utf-16-le (no byte-order mark)"),
    ],
    ids=["cp1252", "latin-1", "cp1251", "utf-16-bom", "utf-16-le-no-bom"],
)
def test_txt_files_in_other_encodings_are_decoded_with_a_repair(tmp_path, encoding, text, note):
    write(tmp_path / "corpus" / "a.txt", text.encode(encoding))
    corpus = checked(load_corpus(tmp_path / "corpus"))
    assert corpus.articles["text"].tolist() == [text]
    row = corpus.repairs[corpus.repairs["article_id"] == "a"].iloc[0]
    assert row["repair"] == note
    assert row["source_file"].endswith("a.txt")


def test_utf8_with_bom_needs_no_repair(tmp_path):
    write(tmp_path / "bom.csv", "\ufeff" + CSV)
    corpus = load_corpus(tmp_path / "bom.csv")
    assert_two_articles(corpus)  # header "id" is found despite the BOM


def test_cp1252_table_gets_one_file_level_repair(tmp_path):
    content = f"id,outlet,text\na,X,{WESTERN}\nb,X,plain\n".encode("cp1252")
    corpus = checked(load_corpus(write(tmp_path / "western.csv", content)))
    assert corpus.articles["text"].tolist() == [WESTERN, "plain"]
    assert repairs(corpus) == ["not valid UTF-8: decoded as cp1252"]
    assert pd.isna(corpus.repairs["article_id"].iloc[0])


def test_explicit_encoding(tmp_path):
    path = write(tmp_path / "western.csv", f"text\n{WESTERN}\n".encode("cp1252"))
    corpus = checked(load_corpus(path, encoding="cp1252"))
    assert corpus.articles["text"].tolist() == [WESTERN]
    assert repairs(corpus) == ["no outlet column: all articles assigned to outlet 'unknown'"]
    bom = write(tmp_path / "bom.csv", "\ufefftext\nhello\n")
    assert checked(load_corpus(bom, encoding="utf-8")).articles["text"].tolist() == ["hello"]
    with pytest.raises(CorpusError, match="western.csv: not valid utf-8"):
        load_corpus(path, encoding="utf-8")
    with pytest.raises(CorpusError, match="unknown encoding"):
        load_corpus(path, encoding="no-such-codec")


# --- folders of .txt files ----------------------------------------------------------------------


def test_folder_without_metadata(tmp_path):
    folder = tmp_path / "corpus"
    write(folder / "b.txt", "Second article.\r\nLine two.")
    write(folder / "a.txt", "First article.")
    write(folder / "notes.md", "not an article")
    corpus = checked(load_corpus(folder))
    a = corpus.articles
    assert a["article_id"].tolist() == ["a", "b"]
    assert a["outlet"].tolist() == ["unknown", "unknown"]
    assert a["text"].tolist() == ["First article.", "Second article.\nLine two."]
    assert a["source_row"].isna().all()
    assert a["source_file"].tolist() == [str(folder / "a.txt"), str(folder / "b.txt")]
    assert repairs(corpus) == ["no outlet column: all articles assigned to outlet 'unknown'"]


def test_folder_bad_files_are_rejected_with_reasons(tmp_path):
    folder = tmp_path / "corpus"
    outside = write(tmp_path / "secret.txt", "outside the corpus")
    write(folder / "good.txt", "A good article.")
    write(folder / "zero.txt", b"")
    write(folder / "blank.txt", " \n\t\n")
    write(folder / "binary.txt", b"\x89PNG\r\n" + b"\x00" * 64 + bytes(range(256)))
    write(folder / "orphan.txt", "No metadata row names me.")
    symlink(folder / "link.txt", outside)
    write(
        folder / "metadata.csv",
        "file,outlet,published\n"
        "good.txt,Good News,2017-03-14\n"
        "zero.txt,Z,\n"
        "blank.txt,B,\n"
        "binary.txt,C,\n"
        "missing.txt,M,\n"
        "../secret.txt,S,\n"
        "link.txt,L,\n"
        "good.txt,Again,\n"
        ",Nobody,\n"
        "too,many,fields,here\n",
    )
    corpus = checked(load_corpus(folder))
    assert corpus.articles["article_id"].tolist() == ["good"]
    assert corpus.articles["outlet"].tolist() == ["Good News"]
    got = {
        f"{Path(file).name}:{row}": reason
        for file, row, reason in zip(
            corpus.rejected["source_file"],
            corpus.rejected["source_row"],
            reasons(corpus),
            strict=True,
        )
    }
    assert got == {
        "metadata.csv:11": "row has 4 fields, the header has 3",
        "metadata.csv:6": "no such file 'missing.txt'",
        "metadata.csv:7": "path '../secret.txt' is outside the corpus folder",
        "metadata.csv:8": "path 'link.txt' is outside the corpus folder",
        "metadata.csv:9": "file 'good.txt' already listed at row 2",
        "metadata.csv:10": "no file named",
        "orphan.txt:<NA>": "no row for this file in metadata.csv",
        "binary.txt:<NA>": "binary file (NUL bytes), not text",
        "blank.txt:<NA>": "empty text",
        "zero.txt:<NA>": "empty file (0 bytes)",
    }
    assert corpus.n_input == 11  # 10 metadata rows + 1 .txt file that no row names


def test_folder_symlink_outside_is_rejected_without_metadata(tmp_path):
    folder = tmp_path / "corpus"
    write(folder / "inside.txt", "Inside.")
    symlink(folder / "escape.txt", write(tmp_path / "outside.txt", "Outside."))
    symlink(folder / "alias.txt", folder / "inside.txt")
    corpus = checked(load_corpus(folder))
    assert corpus.articles["article_id"].tolist() == ["alias", "inside"]
    assert reasons(corpus) == ["symbolic link to a file outside the corpus folder"]


def test_folder_unreadable_file_is_rejected(tmp_path, monkeypatch):
    folder = tmp_path / "corpus"
    write(folder / "ok.txt", "Readable.")
    write(folder / "locked.txt", "Cannot be read.")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    corpus = checked(load_corpus(folder))
    assert corpus.articles["article_id"].tolist() == ["ok"]
    assert reasons(corpus) == ["cannot read the file (Permission denied)"]
    assert corpus.rejected["article_id"].tolist() == ["locked"]


def test_folder_metadata_with_id_column_and_explicit_metadata_path(tmp_path):
    folder = tmp_path / "corpus"
    write(folder / "one.txt", "One.")
    write(folder / "two.txt", "Two.")
    meta = write(
        tmp_path / "elsewhere.csv",
        "File,doc_id,source,headline,topic\none.txt,D1,Paper,H1,x\ntwo.txt,,Paper,H2,y\n",
    )
    corpus = checked(load_corpus(folder, metadata=meta))
    a = corpus.articles
    assert a["article_id"].tolist() == ["D1", "two"]
    assert a["title"].tolist() == ["H1", "H2"]
    assert a["topic"].tolist() == ["x", "y"]
    assert "File" not in a.columns
    assert repairs(corpus) == ["empty id: assigned 'two'"]


def test_folder_outlet_per_subfolder_without_metadata(tmp_path):
    folder = tmp_path / "corpus"
    write(folder / "cnn" / "002.txt", "CNN two.")
    write(folder / "bbc" / "001.txt", "BBC one.")
    write(folder / "cnn" / "2017" / "003.TXT", "CNN three, one level deeper.")
    write(folder / "cnn" / "notes.md", "not an article")
    corpus = checked(load_corpus(folder))
    a = corpus.articles
    assert a["article_id"].tolist() == ["bbc/001", "cnn/002", "cnn/2017/003"]
    assert a["outlet"].tolist() == ["bbc", "cnn", "cnn"]
    assert a["source_file"].tolist() == [
        str(folder / "bbc" / "001.txt"),
        str(folder / "cnn" / "002.txt"),
        str(folder / "cnn" / "2017" / "003.TXT"),
    ]
    assert len(corpus.rejected) == 0 and len(corpus.repairs) == 0  # outlets come from folders


def test_folder_mixes_top_level_files_and_subfolders(tmp_path):
    folder = tmp_path / "corpus"
    write(folder / "top.txt", "At the top.")
    write(folder / "bbc" / "001.txt", "BBC one.")
    write(folder / "bbc" / "zero.txt", b"")
    corpus = checked(load_corpus(folder))
    assert corpus.articles["article_id"].tolist() == ["bbc/001", "top"]
    assert corpus.articles["outlet"].tolist() == ["bbc", "unknown"]
    assert corpus.rejected["article_id"].tolist() == ["bbc/zero"]
    assert reasons(corpus) == ["empty file (0 bytes)"]
    assert repairs(corpus) == [
        "no outlet column: 1 article not in a subfolder assigned to outlet 'unknown'"
    ]
    assert pd.isna(corpus.repairs["article_id"].iloc[0])


def test_folder_metadata_must_name_files_in_subfolders(tmp_path):
    folder = tmp_path / "corpus"
    write(folder / "bbc" / "001.txt", "BBC one.")
    write(folder / "cnn" / "002.txt", "CNN two, not in the metadata.")
    write(folder / "top.txt", "At the top.")
    write(folder / "metadata.csv", "file,outlet\nbbc/001.txt,BBC News\ntop.txt,Top\n")
    corpus = checked(load_corpus(folder))
    assert corpus.articles["article_id"].tolist() == ["bbc/001", "top"]
    assert corpus.articles["outlet"].tolist() == ["BBC News", "Top"]
    assert corpus.rejected["source_file"].tolist() == [str(folder / "cnn" / "002.txt")]
    assert corpus.rejected["article_id"].tolist() == ["cnn/002"]
    assert reasons(corpus) == ["no row for this file in metadata.csv"]
    assert corpus.n_input == 3


def test_folder_symlinked_subfolders_are_not_followed(tmp_path):
    folder = tmp_path / "corpus"
    write(folder / "bbc" / "001.txt", "BBC one.")
    write(tmp_path / "elsewhere" / "secret.txt", "Outside the corpus.")
    write(tmp_path / "elsewhere" / "deeper" / "more.txt", "Further outside.")
    symlink(folder / "outside", tmp_path / "elsewhere")
    symlink(folder / "alias", folder / "bbc")  # inside: its files are found as bbc/...
    symlink(folder / "bbc" / "loop", folder)  # a cycle must not hang the walk
    corpus = checked(load_corpus(folder))
    assert corpus.articles["article_id"].tolist() == ["bbc/001"]
    assert corpus.rejected["article_id"].tolist() == ["outside/deeper/more", "outside/secret"]
    assert (
        reasons(corpus)
        == ["in a symbolic link to a folder outside the corpus folder (not read)"] * 2
    )
    write(folder / "metadata.csv", "file,outlet\nbbc/001.txt,BBC\noutside/secret.txt,S\n")
    corpus = checked(load_corpus(folder))
    assert corpus.articles["outlet"].tolist() == ["BBC"]
    assert reasons(corpus) == [
        "path 'outside/secret.txt' is outside the corpus folder",
        "no row for this file in metadata.csv",
    ]
    assert corpus.rejected["article_id"].fillna("-").tolist() == ["-", "outside/deeper/more"]


def test_folder_subfolder_that_cannot_be_listed_is_rejected(tmp_path, monkeypatch):
    folder = tmp_path / "corpus"
    write(folder / "bbc" / "001.txt", "BBC one.")
    write(folder / "locked" / "002.txt", "Cannot be listed.")
    real = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    corpus = checked(load_corpus(folder))
    assert corpus.articles["article_id"].tolist() == ["bbc/001"]
    assert corpus.rejected["source_file"].tolist() == [str(folder / "locked")]
    assert reasons(corpus) == ["cannot list this folder (Permission denied)"]


def test_folder_errors(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CorpusError, match="empty: no .txt files"):
        load_corpus(empty)
    write(tmp_path / "corpus" / "a.txt", "A.")
    with pytest.raises(CorpusError, match="text= does not apply"):
        load_corpus(tmp_path / "corpus", text="body")
    with pytest.raises(CorpusError, match="nope.csv: metadata file not found"):
        load_corpus(tmp_path / "corpus", metadata=tmp_path / "nope.csv")
    write(tmp_path / "corpus" / "metadata.csv", "name,outlet\na.txt,X\n")
    with pytest.raises(CorpusError, match=r"metadata\.csv: no 'file' column .*name, outlet"):
        load_corpus(tmp_path / "corpus")


# --- summary and the real sample ----------------------------------------------------------------


def test_summary():
    frame = pd.DataFrame(
        {
            "text": ["one two three", "four", "five six"],
            "outlet": ["B", "A", "B"],
            "date": ["2017-03-02", "", "2017-01-05"],
        }
    )
    summary = load_corpus(frame).summary()
    assert list(summary.columns) == [
        "outlet",
        "articles",
        "words_received",
        "first_published",
        "last_published",
        "undated",
    ]
    assert summary["outlet"].tolist() == ["A", "B"]
    assert summary["articles"].tolist() == [1, 2]
    assert summary["words_received"].tolist() == [1, 5]
    assert summary["undated"].tolist() == [1, 0]
    assert pd.isna(summary["first_published"].iloc[0])
    assert summary["first_published"].iloc[1] == pd.Timestamp("2017-01-05")
    assert summary["last_published"].iloc[1] == pd.Timestamp("2017-03-02")


def test_summary_counts_undated_articles_beside_the_date_range():
    frame = pd.DataFrame(
        {"text": ["a b", "c", "d", "e"], "outlet": "X", "date": ["2017-03-02", "", None, "?"]}
    )
    row = load_corpus(frame).summary().iloc[0]
    assert row["articles"] == 4 and row["undated"] == 3
    assert row["first_published"] == row["last_published"] == pd.Timestamp("2017-03-02")
    assert row["words_received"] == 5


def test_allsides_sample():
    if not ALLSIDES.exists():
        pytest.skip(f"AllSides sample not found at {ALLSIDES} (set FRAMING_ALLSIDES)")
    start = time.perf_counter()
    corpus = checked(load_corpus(ALLSIDES))
    seconds = time.perf_counter() - start
    assert len(corpus.articles) == 18_613 and len(corpus.rejected) == 0
    a = corpus.articles
    assert {"source_url", "bias", "bias_text", "topic", "authors", "url"} <= set(a.columns)
    for mapped in ("ID", "source", "date", "content_original"):
        assert mapped not in a.columns
    assert a["title"].notna().all()
    assert a["published"].notna().sum() > 15_000
    assert (a["outlet"] != "unknown").all()
    assert seconds < 30, f"loading took {seconds:.1f} s"


# --- xz JSON Lines, parsed while a thread decompresses ---------------------------------------

XZ_LINES = [
    json.dumps({"id": 1, "text": "fine", "outlet": "é"}),
    "",
    "{not json",
    "[1, 2]",
    "   ",
    json.dumps({"id": 5, "text": "ünïcode " * 40, "extra": 1}),
    json.dumps({"id": 6, "text": "six", "other": "x"}),
]


def _tables(corpus: Corpus) -> list[pd.DataFrame]:
    return [corpus.articles, corpus.rejected, corpus.repairs]


@pytest.mark.parametrize(
    "content",
    [
        "\n".join(XZ_LINES) + "\n",
        "\n".join(XZ_LINES),  # no line break at the end
        "\n".join(XZ_LINES * 300),  # many chunks, lines cut between them
        "\n".join(XZ_LINES[:3]).encode() + b"\n\xff\xfe" + "\n".join(XZ_LINES).encode(),
        codecs.BOM_UTF8 + "\n".join(XZ_LINES).encode(),
        "\n".join(XZ_LINES).encode("utf-16"),
        "\n".join(XZ_LINES).encode("cp1252", errors="replace"),
        "\n \n",  # empty
    ],
    ids=["lines", "no-last-break", "chunks", "bad-utf8", "bom", "utf16", "cp1252", "blank"],
)
def test_xz_jsonl_read_while_decompressing_equals_reading_it_whole(tmp_path, monkeypatch, content):
    from analysis.corpus import readers

    data = content.encode() if isinstance(content, str) else content
    plain = write(tmp_path / "news.jsonl", data)
    packed = write(tmp_path / "news.jsonl.xz", lzma.compress(data))
    monkeypatch.setattr(readers, "_CHUNK", 1000)  # chunk boundaries inside lines
    interval = sys.getswitchinterval()
    try:
        expected = _tables(load_corpus(plain))
    except CorpusError as err:
        with pytest.raises(CorpusError, match=re.escape(str(err).split(": ", 1)[1])):
            load_corpus(packed)
    else:
        got = _tables(load_corpus(packed))
        for ours, theirs in zip(got, expected):
            theirs = theirs.replace(str(plain), str(packed))
            pd.testing.assert_frame_equal(ours.reset_index(drop=True), theirs)
    assert sys.getswitchinterval() == interval


@pytest.mark.parametrize(
    "data",
    [
        lzma.compress(b"one stream " * 10_000),
        lzma.compress(b"first ") + lzma.compress(b"second"),  # concatenated streams
        lzma.compress(b"first ") + b"trailing garbage",
        lzma.compress(b"first ") + lzma.compress(b"second")[:-8],  # a cut second stream
        lzma.compress(b"cut " * 10_000)[:-30],
        b"not xz at all",
    ],
    ids=["one", "two", "garbage", "cut-second", "cut", "not-xz"],
)
def test_xz_chunks_are_lzma_decompress(monkeypatch, data):
    from analysis.corpus import readers

    monkeypatch.setattr(readers, "_CHUNK", 4096)
    try:
        expected = lzma.decompress(data)
    except lzma.LZMAError as err:
        with pytest.raises(lzma.LZMAError, match=re.escape(str(err))):
            b"".join(readers._xz_chunks(data))
    else:
        assert b"".join(readers._xz_chunks(data)) == expected


def test_a_cut_xz_file_is_an_error_naming_it(tmp_path):
    path = write(tmp_path / "cut.jsonl.xz", lzma.compress(jsonl(RECORDS * 50).encode())[:-40])
    with pytest.raises(CorpusError, match=r"cut\.jsonl\.xz: cannot read the file \(Compressed"):
        load_corpus(path)
