"""Keywords in context: patterns as in the dictionaries, token windows, voices, ordering."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import segment
from analysis.concordance import KWIC_COLUMNS, compile_pattern, kwic, window_around
from analysis.lexicon import DictionaryError
from analysis.tokens import tokenize

TEXTS = {
    "a1": (
        "Dawn",
        'Officials removed "blasphemous" content on Tuesday. Blasphemy is a crime here.\n\n'
        "“Freedom of expression matters,” the minister said.",
    ),
    "a2": (
        "BBC",
        "Blasphemous posts were taken down. The anti-blasphemy law and #blasphemy tags "
        "spread; Facebook’s freedom-of-expression policy was blasphemous to some.",
    ),
    "a3": (
        "BBC",
        "Nothing to see. Another blasphemous claim appeared, then a second blasphemous one.",
    ),
}


@pytest.fixture
def articles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": list(TEXTS),
            "outlet": [o for o, _ in TEXTS.values()],
            "text_clean": [t for _, t in TEXTS.values()],
        }
    )


@pytest.fixture
def sentences(articles) -> pd.DataFrame:
    return segment.split_sentences(articles)


def test_columns_and_match_offsets(articles, sentences):
    table = kwic(articles, "blasphem*", sentences=sentences)
    assert list(table.columns) == KWIC_COLUMNS
    texts = articles.set_index("article_id")["text_clean"]
    for row in table.itertuples():
        assert texts[row.article_id][row.start : row.end] == row.match


def test_glob_takes_any_ending_but_only_whole_tokens(articles):
    table = kwic(articles, "blasphem*")
    assert sorted(table["match"].str.lower().unique()) == ["blasphemous", "blasphemy"]
    # not inside "anti-blasphemy" or the hashtag "#blasphemy"
    a2 = table[table["article_id"] == "a2"]
    assert a2["match"].tolist() == ["Blasphemous", "blasphemous"]


def test_case_is_ignored(articles):
    upper = kwic(articles, "BLASPHEMY")
    lower = kwic(articles, "blasphemy")
    assert upper.drop(columns="pattern").equals(lower.drop(columns="pattern"))
    assert upper["match"].tolist() == ["Blasphemy"]
    assert upper["pattern"].tolist() == ["blasphemy"]


def test_phrases_match_across_spaces_and_hyphens_not_other_words(articles):
    table = kwic(articles, "freedom of expression")
    assert table["match"].tolist() == ["freedom-of-expression", "Freedom of expression"]
    assert kwic(articles, "freedom of speech").empty


def test_quotation_marks_are_kept_around_the_match(articles):
    row = kwic(articles, "blasphemous", window=3).query("article_id == 'a1'").iloc[0]
    assert row["left"] == 'Officials removed "'
    assert row["match"] == "blasphemous"
    assert row["right"] == '" content on Tuesday'
    curly = kwic(articles, "freedom of expression", window=2).query("article_id == 'a1'")
    assert curly["left"].iloc[0].endswith("“")
    assert curly["right"].iloc[0] == " matters,” the"


def test_window_counts_tokens_and_stops_at_the_edges_of_the_text(articles):
    table = kwic(articles, "blasphemous", window=2)
    first = table[table["article_id"] == "a2"].iloc[0]  # the text's first word
    assert first["left"] == ""
    assert first["right"] == " posts were"
    last = table[table["article_id"] == "a2"].iloc[1]  # three tokens before the end
    assert last["right"] == " to some."  # runs to the end, the final full stop included
    assert len(tokenize(last["left"])) == 2
    wide = kwic(articles, "blasphemous", window=50).query("article_id == 'a3'")
    assert wide["left"].iloc[0] == "Nothing to see. Another "  # from the start of the text
    assert wide["right"].iloc[1] == " one."


def test_window_zero_and_white_space_shown_as_one_space(articles):
    table = kwic(articles, "blasphemy", window=0)
    assert (table["left"] == "").all() and (table["right"] == "").all()
    row = kwic(articles, "here", window=3).iloc[0]
    assert row["right"] == ". “Freedom of expression"  # the paragraph break is one space
    with pytest.raises(ValueError):
        window_around("text", 0, 4, window=-1)


def test_voice_is_the_sentence_the_match_starts_in(articles, sentences):
    table = kwic(articles, "freedom of expression", sentences=sentences)
    voices = dict(zip(table["article_id"], table["voice"]))
    assert voices == {"a1": "quote", "a2": "narrative"}
    # derived from the articles when no sentences table is given: the same
    assert kwic(articles, "freedom of expression").equals(table)


def test_social_voice_from_an_embedded_post():
    text = (
        "The minister spoke.\n\n"
        "Blasphemy is no crime pic.twitter.com/abc — Jane Doe (@jane) March 25, 2017\n\n"
        "More news."
    )
    articles = pd.DataFrame({"article_id": ["s1"], "outlet": ["X"], "text_clean": [text]})
    assert kwic(articles, "blasphemy")["voice"].tolist() == ["social"]


def test_sentences_table_directly(articles, sentences):
    by_sentence = kwic(sentences, "blasphem*", articles=articles, window=4)
    by_article = kwic(articles, "blasphem*", sentences=sentences, window=4)
    cols = ["article_id", "outlet", "voice", "match", "start", "end"]
    assert by_sentence[cols].equals(by_article[cols])
    # contexts stop at the sentence: the first sentence of a1 ends after "Tuesday."
    row = by_sentence[by_sentence["article_id"] == "a1"].iloc[0]
    assert row["right"] == '" content on Tuesday.'
    assert kwic(sentences, "blasphemy")["outlet"].isna().all()  # no outlet known


def test_sorted_by_outlet_article_and_position_whatever_the_row_order(articles, sentences):
    table = kwic(articles, "blasphem*", sentences=sentences)
    keys = list(zip(table["outlet"], table["article_id"], table["start"]))
    assert keys == sorted(keys)
    shuffled = kwic(articles.iloc[::-1], "blasphem*", sentences=sentences)
    assert shuffled.equals(table)


def test_max_per_outlet_takes_one_match_per_article_before_a_second(articles):
    table = kwic(articles, "blasphemous", max_per_outlet=2)
    bbc = table[table["outlet"] == "BBC"]
    assert bbc["article_id"].tolist() == ["a2", "a3"]  # not both a2 matches
    assert bbc["match"].tolist() == ["Blasphemous", "blasphemous"]
    assert (table.groupby("outlet").size() <= 2).all()
    assert len(kwic(articles, "blasphemous", max_per_outlet=10)) == len(
        kwic(articles, "blasphemous")
    )


def test_several_patterns_in_the_order_given(articles):
    table = kwic(articles, ["freedom of expression", "blasphemy"])
    assert table["pattern"].drop_duplicates().tolist() == ["freedom of expression", "blasphemy"]


def test_no_match_gives_an_empty_table_with_the_columns(articles):
    table = kwic(articles, "zebra*")
    assert table.empty and list(table.columns) == KWIC_COLUMNS


def test_a_pattern_the_dictionaries_refuse_is_refused():
    with pytest.raises(DictionaryError):
        compile_pattern("bla*phemy")


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="text_clean"):
        kwic(pd.DataFrame({"article_id": ["x"], "body": ["text"]}), "text")


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("blasphem*", "Blasphemers' blasphemy", ["Blasphemers", "blasphemy"]),
        ("blasphem*", "anti-blasphemy #blasphemy @blasphemy", []),
        (
            "protest*",
            "protests, protesters, protest-related",
            ["protests", "protesters", "protest-related"],
        ),
        ("facebook", "Facebook’s and facebook's, not facebook-owned", ["Facebook’s", "facebook's"]),
        ("facebook", "‘Facebook’ in quotes", ["Facebook"]),
        ("gun control", "gun control, Gun-control, gun/control", ["gun control", "Gun-control"]),
        ("free speech", "free, speech; free  speech", ["free  speech"]),
        ("u.s.", "The U.S. said; US said", ["U.S."]),
        ("don't", "Don't and dont", ["Don't"]),
        ("blasphemous", "İzmir: blasphemous", ["blasphemous"]),  # lower() changes the length
    ],
)
def test_pattern_table(pattern, text, found):
    spans = compile_pattern(pattern).spans(text)
    assert [text[a:b] for a, b in spans] == found
