"""Tests for analysis.corpus.reconcile: the rules for repeated ids and outlet spellings, within
one table (the loader) and across shards (the engine's reduce)."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from analysis.corpus import REJECTED_COLUMNS, REPAIR_COLUMNS
from analysis.corpus.reconcile import (
    Admission,
    IdLedger,
    account_table,
    file_repairs,
    merge_outlets,
    text_digest,
)

TABLE, SHARDS = False, True
OUTLET = ": names that differ only in case are one outlet"
EARLIER = "duplicate article_id 'x' with different text (in an earlier shard): renamed {!r}"


def admitted(shards: bool, articles: list[tuple]) -> list[Admission]:
    """Admit ``(id, text, file, row)`` tuples one by one into a new ledger."""
    ledger = IdLedger(shards=shards)
    return [ledger.admit(*article) for article in articles]


def frame(articles: list[tuple]) -> pd.DataFrame:
    """Articles as the engine holds a shard: ``article_id, text, source_file, source_row``."""
    ids, texts, files, rows = zip(*articles) if articles else ((), (), (), ())
    return pd.DataFrame(
        {
            "article_id": pd.array(ids, dtype="string"),
            "text": pd.array(texts, dtype="string"),
            "source_file": pd.array(files, dtype="string"),
            "source_row": pd.array(rows, dtype="Int64"),
            "outlet": "ignored",
        }
    )


# --- repeated ids, article by article ---------------------------------------------------------


@pytest.mark.parametrize(
    "shards, articles, expected",
    [
        pytest.param(
            TABLE,
            [("x", "one", "a.csv", 2), ("x", "one", "a.csv", 3)],
            [("x", None, None), (None, "duplicate of article_id 'x' at row 2", None)],
            id="same text: rejected, at its row (table)",
        ),
        pytest.param(
            SHARDS,
            [("x", "one", "a.jsonl", 2), ("x", "one", "b.jsonl", 3)],
            [("x", None, None), (None, "duplicate of article_id 'x' at a.jsonl, row 2", None)],
            id="same text: rejected, at its file and row (shards)",
        ),
        pytest.param(
            TABLE,
            [("x", "one", "d/a.txt", None), ("x", "one", "d/b.txt", None)],
            [("x", None, None), (None, "duplicate of article_id 'x' at file d/a.txt", None)],
            id="same text, no rows: at its file (table)",
        ),
        pytest.param(
            SHARDS,
            [("x", "one", "d/a.txt", None), ("x", "one", "d/b.txt", None)],
            [("x", None, None), (None, "duplicate of article_id 'x' at d/a.txt", None)],
            id="same text, no rows: at its file (shards)",
        ),
        pytest.param(
            TABLE,
            [("x", "one", "a.csv", 2), ("x", "two", "a.csv", 3), ("x", "three", "a.csv", 4)],
            [
                ("x", None, None),
                ("x#2", None, "duplicate article_id 'x' with different text: renamed 'x#2'"),
                ("x#3", None, "duplicate article_id 'x' with different text: renamed 'x#3'"),
            ],
            id="different text: renamed x#2, x#3 (table)",
        ),
        pytest.param(
            SHARDS,
            [("x", "one", "a.csv", 2), ("x", "two", "b.csv", 3)],
            [
                ("x", None, None),
                ("x#2", None, EARLIER.format("x#2")),
            ],
            id="different text: renamed x#2, 'in an earlier shard' (shards)",
        ),
        pytest.param(
            TABLE,
            [("x", "one", "a.csv", 2), ("x#2", "two", "a.csv", 3), ("x", "three", "a.csv", 4)],
            [
                ("x", None, None),
                ("x#2", None, None),
                ("x#3", None, "duplicate article_id 'x' with different text: renamed 'x#3'"),
            ],
            id="the new name skips ids already used",
        ),
        pytest.param(
            TABLE,
            [("x", "one", "a.csv", 2), ("x", "two", "a.csv", 3), ("x", "two", "a.csv", 4)],
            [
                ("x", None, None),
                ("x#2", None, "duplicate article_id 'x' with different text: renamed 'x#2'"),
                (None, "duplicate of article_id 'x#2' at row 3", None),
            ],
            id="compared with every article given the id, renamed ones too (table)",
        ),
        pytest.param(
            SHARDS,
            [("x", "one", "a.csv", 2), ("x", "two", "b.csv", 3), ("x", "two", "c.csv", 4)],
            [
                ("x", None, None),
                ("x#2", None, EARLIER.format("x#2")),
                ("x#3", None, EARLIER.format("x#3")),
            ],
            id="compared with the article that has the id only (shards)",
        ),
        pytest.param(
            TABLE,
            [("x", "one", "a.csv", 2), ("x", "two", "a.csv", 3), ("x#2", "two", "a.csv", 4)],
            [
                ("x", None, None),
                ("x#2", None, "duplicate article_id 'x' with different text: renamed 'x#2'"),
                (
                    "x#2#2",
                    None,
                    "duplicate article_id 'x#2' with different text: renamed 'x#2#2'",
                ),
            ],
            id="an id given as x#2 is not compared with x renamed x#2 (table)",
        ),
        pytest.param(
            SHARDS,
            [("x", "one", "a.csv", 2), ("x", "two", "b.csv", 3), ("x#2", "two", "c.csv", 4)],
            [
                ("x", None, None),
                ("x#2", None, EARLIER.format("x#2")),
                (None, "duplicate of article_id 'x#2' at b.csv, row 3", None),
            ],
            id="an id given as x#2 is compared with x renamed x#2 (shards)",
        ),
    ],
)
def test_repeated_ids(shards, articles, expected):
    assert admitted(shards, articles) == [Admission(*e) for e in expected]


@pytest.mark.parametrize("shards", [TABLE, SHARDS])
@pytest.mark.parametrize(
    "first, second",
    [
        ("x", "X"),  # ids are case-sensitive
        ("x", "x "),  # and compared as given
        ("12", "12.0"),
    ],
)
def test_different_ids_are_never_compared(shards, first, second):
    found = admitted(shards, [(first, "same", "a", 1), (second, "same", "a", 2)])
    assert found == [Admission(first, None, None), Admission(second, None, None)]


@pytest.mark.parametrize("shards", [TABLE, SHARDS])
@pytest.mark.parametrize(
    "text, other",
    [
        ("one", "one "),
        ("One", "one"),
        ("caf\u00e9", "cafe\u0301"),  # the same when normalised, not as received
        ("\ud800", "\ufffd"),  # an unpaired surrogate hashes (shards keep digests)
    ],
)
def test_texts_are_the_same_only_when_equal(shards, text, other):
    ledger = IdLedger(shards=shards)
    ledger.admit("x", text, "a", 1)
    assert ledger.admit("x", other, "a", 2).article_id == "x#2"
    assert ledger.admit("x", text, "a", 3).reason.startswith("duplicate of article_id 'x' at")


def test_a_rejected_article_is_not_recorded():
    ledger = IdLedger()
    ledger.admit("x", "one", "a", 2)
    ledger.admit("x", "one", "a", 3)  # rejected
    assert ledger.used == {"x"} and len(ledger) == 1
    assert ledger.admit("x", "one", "a", 4).reason == "duplicate of article_id 'x' at row 2"


def test_digests_are_16_bytes_and_tell_texts_apart():
    assert len(text_digest("one")) == 16
    assert text_digest("one") == text_digest("one") != text_digest("one ")


# --- repeated ids, a table (a shard) at a time ------------------------------------------------


def test_a_shard_against_earlier_shards():
    ledger = IdLedger(shards=True)
    ledger.admit_all(frame([("x", "one", "s1.jsonl", 2), ("y", "two", "s1.jsonl", 3)]))
    found = ledger.admit_all(
        frame(
            [
                ("z", "new", "s2.jsonl", 1),
                ("y", "two", "s2.jsonl", 2),  # the same article again
                ("x", "other", "s2.jsonl", 3),  # another article with x's id
            ]
        ),
        column="id",
    )
    assert found.repeated == {"y": "s1.jsonl, row 3"}
    assert found.renamed == {"x": "x#2"}
    expected_rejected = account_table(
        [("s2.jsonl", 2, "y", "id", "duplicate of article_id 'y' at s1.jsonl, row 3")],
        REJECTED_COLUMNS,
    )
    pd.testing.assert_frame_equal(found.rejected, expected_rejected)
    note = "duplicate article_id 'x' with different text (in an earlier shard): renamed 'x#2'"
    expected_repairs = account_table([("x#2", "s2.jsonl", 3, "id", note)], REPAIR_COLUMNS)
    pd.testing.assert_frame_equal(found.repairs, expected_repairs)
    assert ledger.used == {"x", "y", "z", "x#2"}


@pytest.mark.parametrize(
    "shards, renamed",
    [
        (TABLE, {"x": "x#2", "x#2": "x#2#2"}),  # x#2 is taken by then, so the given one moves on
        (SHARDS, {"x": "x#3"}),  # x skips the shard's own x#2, which is kept
    ],
)
def test_the_new_name_skips_the_shards_own_ids_across_shards(shards, renamed):
    ledger = IdLedger(shards=shards)
    ledger.admit("x", "one", "s1", 1)
    found = ledger.admit_all(frame([("x", "two", "s2", 1), ("x#2", "three", "s2", 2)]))
    assert found.renamed == renamed
    assert found.repairs["article_id"].tolist() == list(renamed.values())
    assert ledger.used == {"x", *renamed.values(), *({"x#2"} if shards else ())}


def test_tables_list_every_row_when_ids_repeat_within_the_table():
    found = IdLedger().admit_all(
        frame([("x", "one", "a", 2), ("x", "one", "a", 3), ("x", "one", "a", 4)])
    )
    assert found.rejected["source_row"].tolist() == [3, 4]
    assert found.rejected["reason"].tolist() == ["duplicate of article_id 'x' at row 2"] * 2
    assert found.repeated == {"x": "row 2"}  # keyed by id: one entry
    assert found.repairs.empty and found.renamed == {}


@pytest.mark.parametrize("shards", [TABLE, SHARDS])
def test_tables_have_the_account_columns_and_types_even_when_empty(shards):
    found = IdLedger(shards=shards).admit_all(frame([]))
    for table, columns in ((found.rejected, REJECTED_COLUMNS), (found.repairs, REPAIR_COLUMNS)):
        assert list(table.columns) == columns and table.empty
        assert {c: str(t) for c, t in table.dtypes.items()} == {
            c: "Int64" if c == "source_row" else "string" for c in columns
        }


# --- outlets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "outlets, chosen, notes",
    [
        (["CNN", "BBC", "CNN"], {}, []),
        (
            ["Fox News", "fox news", "Fox News"],
            {"fox news": "Fox News"},
            ["outlet 'fox news' (1 article) merged into 'Fox News' (2)"],
        ),
        (
            ["fox news", "Fox News", "Fox News", "FOX NEWS", "fox news", "Fox News"],
            {"fox news": "Fox News", "FOX NEWS": "Fox News"},
            [
                "outlet 'fox news' (2 articles) merged into 'Fox News' (3)",
                "outlet 'FOX NEWS' (1 article) merged into 'Fox News' (3)",
            ],
        ),
        (
            ["cnn", "CNN"],  # a tie: the first seen wins
            {"CNN": "cnn"},
            ["outlet 'CNN' (1 article) merged into 'cnn' (1)"],
        ),
        (
            ["Straße", "STRASSE", "ǅ", "ǆ"],  # full case folding
            {"STRASSE": "Straße", "ǆ": "ǅ"},
            [
                "outlet 'STRASSE' (1 article) merged into 'Straße' (1)",
                "outlet 'ǆ' (1 article) merged into 'ǅ' (1)",
            ],
        ),
        (
            ["b", "A", "B", "a", "a"],  # notes in the order the names were first seen
            {"B": "b", "A": "a"},
            [
                "outlet 'B' (1 article) merged into 'b' (1)",
                "outlet 'A' (1 article) merged into 'a' (2)",
            ],
        ),
    ],
)
@pytest.mark.parametrize("shards, scope", [(TABLE, ""), (SHARDS, " (across shards)")])
def test_outlet_spellings_that_differ_in_case(outlets, chosen, notes, shards, scope):
    assert merge_outlets(Counter(outlets), shards=shards) == (
        chosen,
        [note + OUTLET + scope for note in notes],
    )


def test_outlet_counts_can_be_kept_shard_by_shard():
    counts = Counter()
    for shard in (["cnn", "Fox"], ["CNN", "CNN"], ["fox", "CNN"]):
        counts.update(shard)
    chosen, notes = merge_outlets(counts, shards=True)
    assert chosen == {"cnn": "CNN", "fox": "Fox"}  # a tie between Fox and fox: Fox came first
    assert notes[0].startswith("outlet 'cnn' (1 article) merged into 'CNN' (3)")


def test_file_repairs():
    rows = file_repairs(["one", "two"], "corpus/", column="outlet")
    assert list(rows.columns) == REPAIR_COLUMNS
    assert rows["repair"].tolist() == ["one", "two"]
    assert rows["source_file"].tolist() == ["corpus/"] * 2
    assert rows["column"].tolist() == ["outlet"] * 2
    assert rows[["article_id", "source_row"]].isna().all().all()
    assert str(rows["source_row"].dtype) == "Int64"
