"""Dictionaries: every format, the same scores from the same content, matching rules, audit."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from analysis.lexicon import (
    DictionaryError,
    builtin_dictionaries,
    compare_to_labels,
    count_matches,
    frame_audit,
    outlet_frames,
    read_dictionary,
    score_frames,
)
from analysis.lexicon.scoring import matches_table

YAML = """\
# a tiny dictionary
meta:
  source: written for the tests
dictionary:
  religion:
    - blasphem*
    - prophet muhammad
  rights:
    - freedom of expression
    - freedom
    - right*
  security: [security]
"""
DIC = """\
%
1\treligion
2\trights
3\tsecurity
%
blasphem*\t1
prophet muhammad\t1
freedom of expression\t2
freedom\t2
right*\t2
security\t3
"""
CSV = """\
term,category
blasphem*,religion
prophet muhammad,religion
freedom of expression,rights
freedom,rights
right*,rights
security,security
"""
LC3 = """\
+religion
blasphem*
prophet muhammad
+rights
freedom of expression
freedom
right*
+security
security
"""
JSON = {
    "dictionary": {
        "religion": ["blasphem*", "prophet muhammad"],
        "rights": ["freedom of expression", "freedom", "right*"],
        "security": ["security"],
    }
}
TEXTS = [
    "Freedom of expression is a right; blasphemy is not. The Prophet Muhammad was insulted.",
    "The Security Council met. Rights groups spoke of freedom and of rights.",
    "Nothing to see here.",
]


@pytest.fixture
def files(tmp_path):
    written = {}
    for suffix, content in [(".yml", YAML), (".dic", DIC), (".csv", CSV), (".lc3", LC3)]:
        path = tmp_path / f"tiny{suffix}"
        path.write_text(content, encoding="utf-8")
        written[suffix] = path
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(JSON), encoding="utf-8")
    written[".json"] = path
    return written


def counts_of(dictionary, texts=TEXTS, **options) -> pd.DataFrame:
    table = matches_table(count_matches(texts, dictionary, **options))
    return table.set_index(["row", "category"]).sort_index()


def test_every_format_reads_the_same_dictionary_and_gives_identical_scores(files):
    tables = {suffix: counts_of(read_dictionary(path)) for suffix, path in files.items()}
    first = tables[".yml"]
    for suffix, table in tables.items():
        pd.testing.assert_frame_equal(table, first, check_names=False, obj=suffix)
    # known counts: text 0: religion 2 (blasphemy, prophet muhammad), rights 2 (phrase, right)
    assert first.loc[(0, "religion"), "count"] == 2
    assert first.loc[(0, "rights"), "count"] == 2
    # text 1: "Security Council" is still the word "security" (the audit shows it); rights 3
    assert first.loc[(1, "security"), "count"] == 1
    assert first.loc[(1, "rights"), "count"] == 3
    assert 2 not in first.index.get_level_values("row")
    assert read_dictionary(files[".yml"]).meta["source"] == "written for the tests"


def test_phrases_are_matched_before_their_words():
    d = read_dictionary({"a": ["freedom of expression"], "b": ["freedom", "expression"]})
    table = counts_of(d, ["Freedom of expression and freedom. Expression!"])
    assert table.loc[(0, "a"), "count"] == 1
    assert table.loc[(0, "b"), "count"] == 2  # the phrase's own words are not counted again


def test_wildcards_case_and_word_boundaries():
    d = read_dictionary({"p": ["protest*"], "c": ["court"]})
    table = counts_of(d, ["Protesters PROTEST; the protest-march. A courtesy, a Court, courts."])
    assert table.loc[(0, "p"), "count"] == 3  # protesters, protest, protest-march
    assert table.loc[(0, "c"), "count"] == 1  # court, not courtesy nor courts


def test_phrases_match_across_hyphens_but_not_punctuation():
    d = read_dictionary({"control": ["gun control"], "rights": ["gun right*"]})
    table = counts_of(d, ["Gun-control now. Gun rights-based groups; gun, control."])
    assert table.loc[(0, "control"), "count"] == 1  # "gun, control" is not the phrase
    assert table.loc[(0, "rights"), "count"] == 1
    d = read_dictionary({"speech": ["free speech"], "free": ["free"]})
    table = counts_of(d, ["Entry was free; speech followed."])
    assert (0, "speech") not in table.index and table.loc[(0, "free"), "count"] == 1


def test_possessives_count_as_the_word():
    d = read_dictionary({"fb": ["facebook"], "sec": ["national security"]})
    table = counts_of(d, ["Facebook's management and national security's budget."])
    assert table.loc[(0, "fb"), "count"] == 1 and table.loc[(0, "sec"), "count"] == 1


def test_token_totals_do_not_depend_on_the_dictionary():
    text = ["The gun-control debate and gun control again."]
    with_phrase = count_matches(text, read_dictionary({"c": ["gun control"]}))
    without = count_matches(text, read_dictionary({"c": ["debate"]}))
    assert with_phrase.tokens.tolist() == without.tokens.tolist() == [7]


def test_a_word_in_two_categories_counts_once_in_each():
    d = read_dictionary({"x": ["security"], "y": ["secur*"]})
    table = counts_of(d, ["security security"])
    assert table["count"].tolist() == [2, 2]


def test_negation_counts_separately():
    d = read_dictionary({"free": ["free*", "free speech"]})
    text = ["There is no free speech. It is not at all free. Free people. Don't be free."]
    plain = counts_of(d, text)
    assert plain.loc[(0, "free"), "count"] == 4 and plain.loc[(0, "free"), "negated"] == 0
    negated = counts_of(d, text, negation=True)
    # 'no free speech' (phrase), 'not at all free' (3 tokens back), "don't be free"
    assert negated.loc[(0, "free"), "negated"] == 3
    assert negated.loc[(0, "free"), "count"] == 1


NEGATED, PLAIN = "negated", "plain"
SCOPE_DICTIONARY = {"free": ["free"], "speech": ["free speech"], "security": ["security"]}


@pytest.mark.parametrize(
    ("text", "category", "expected"),
    [
        # a negator negates up to three tokens after it, words and phrases alike
        ("It is not free.", "free", NEGATED),
        ("There is no free press.", "free", NEGATED),
        ("There is no free speech.", "speech", NEGATED),
        ("It is not at all free.", "free", NEGATED),
        ("It is not at all really free.", "free", PLAIN),  # the fourth token
        ("Don't be free.", "free", NEGATED),
        ("Do n't be free.", "free", NEGATED),
        ("Not yet free.", "free", NEGATED),  # "not yet": the adverb, not the conjunction
        ("Not ‘free’ at all.", "free", NEGATED),  # quotation marks end nothing
        ("Not U.S. free trade.", "free", NEGATED),  # nor a full stop inside a token
        ("Not 1990–95 free.", "free", NEGATED),  # nor an en dash between numbers
        ("Not free speech or free.", "free", PLAIN),  # the phrase's tokens count
        # clause punctuation ends the scope
        ("Free speech is not absolute, and security matters.", "security", PLAIN),
        ("Without a warrant, security forces acted.", "security", PLAIN),
        ("Not absolute, free speech.", "speech", PLAIN),
        ("Never, free.", "free", PLAIN),
        ("Not; free.", "free", PLAIN),
        ("Not: free.", "free", PLAIN),
        ("Not — free.", "free", PLAIN),
        ("Not—free.", "free", PLAIN),
        ("Not – free.", "free", PLAIN),
        # so does a sentence end
        ("Not so. Free people.", "free", PLAIN),
        ("Not so! Free people.", "free", PLAIN),
        ("Not so? Free people.", "free", PLAIN),
        ("Not so… free people.", "free", PLAIN),
        # and a contrastive conjunction
        ("Not absolute but free.", "free", PLAIN),
        ("No consensus however free speech matters.", "speech", PLAIN),
        ("Not rich yet free.", "free", PLAIN),
        ("Not rich although free.", "free", PLAIN),
        ("Not rich though free.", "free", PLAIN),
        ("Not rich whereas free.", "free", PLAIN),
    ],
)
def test_negation_scope_ends_at_the_clause(text, category, expected):
    table = counts_of(read_dictionary(SCOPE_DICTIONARY), [text], negation=True)
    found = table.loc[(0, category), ["count", "negated"]].tolist()
    assert found == ([0, 1] if expected == NEGATED else [1, 0])
    # without negation the match is counted plain either way
    assert counts_of(read_dictionary(SCOPE_DICTIONARY), [text]).loc[(0, category), "count"] == 1


def test_negated_tokens_keep_their_shape():
    # a negated number, hashtag or initialism is still one token that matches its pattern
    d = read_dictionary({"n": ["33,000", "#pakistan", "u.s."]})
    text = ["Not 33,000 people; no #Pakistan tag; never U.S. troops."]
    negated = count_matches(text, d, negation=True)
    assert negated.tokens.tolist() == count_matches(text, d).tokens.tolist() == [9]
    table = counts_of(d, text, negation=True)
    assert table.loc[(0, "n"), ["count", "negated"]].tolist() == [0, 3]


def test_weights_from_csv_and_yaml(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("term,category,weight\ngood,pos,2\nbad,neg,-1.5\n", encoding="utf-8")
    d = read_dictionary(path)
    assert d.weighted and d.categories["neg"][0].weight == -1.5
    m = count_matches(["good good bad"], d)
    weighted = m.category_counts(weighted=True)
    assert weighted[0, d.categories and list(d.categories).index("pos")] == 4.0
    yaml_weights = read_dictionary({"pos": {"good": 2, "great": 3}})
    assert [p.weight for p in yaml_weights.categories["pos"]] == [2.0, 3.0]


def test_weights_reach_the_frame_scores():
    sentences = pd.DataFrame(
        {"article_id": ["a"], "voice": ["narrative"], "text": ["good good bad"]}
    )
    d = read_dictionary({"tone": {"good": 2.5, "bad": -1}})
    scores, _ = score_frames(sentences, d)
    row = scores[scores["voice"] == "all"].iloc[0]
    assert row["count"] == 3 and row["weighted"] == pytest.approx(4.0)


def test_nested_yaml_categories_and_levels(tmp_path):
    path = tmp_path / "nested.yml"
    path.write_text(
        "security:\n  military: [army, troop*]\n  terrorism: [terror*]\neconomy: [tax*]\n",
        encoding="utf-8",
    )
    d = read_dictionary(path)
    assert list(d.categories) == ["security.military", "security.terrorism", "economy"]
    top = d.at_level(1)
    assert list(top.categories) == ["security", "economy"]
    assert [p.text for p in top.categories["security"]] == ["army", "troop*", "terror*"]


@pytest.mark.parametrize(
    ("suffix", "content", "message"),
    [
        (".yml", "a:\n  - ok\n  - [nested, list]\n", "line 3"),
        (".yml", "a: [ok\nb: c\n", "not valid YAML"),
        (".yml", "a:\n  - pro*test\n", "line 2: 'pro*test' is not a pattern"),
        (".dic", "%\n1\tpos\n%\ngood\t2\n", "line 4: category 2 is not in the '%' header"),
        (".dic", "good\t1\n", "starts with a '%' block"),
        (".dic", "%\n1\tpos\n%\ngood\n", "line 4: 'good' has no category"),
        (".lc3", "good\n+pos\n", "line 1: pattern before the first '+category' line"),
        (".csv", "term,category,weight\ngood,pos,lots\n", "line 2: weight 'lots' is not a number"),
        (".csv", "term,category\ngood\n", "line 2: expected term,category"),
        (".json", '{"a": ["ok",\n 3]}', "a[1]: expected a pattern"),
        (".json", '{"a": [\n"ok",,]}', "line 2: not valid JSON"),
        (".txt", "whatever", "unknown dictionary format"),
        (".yml", "a: [x]\nb: [y]\na: [z]\n", "line 3: category 'a' appears twice"),
        (".yml", "a:\n  cost*: 1\n  tax: heavy\n", "line 2: category 'a' mixes"),
        (".lc3", "+pos\ngood\n+neg\n", "category 'neg' has no patterns"),
    ],
)
def test_malformed_files_name_the_line(tmp_path, suffix, content, message):
    path = tmp_path / f"bad{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DictionaryError, match=re.escape(message)) as error:
        read_dictionary(path)
    assert str(path) in str(error.value)


def test_yaml_is_read_safely(tmp_path):
    path = tmp_path / "unsafe.yml"
    path.write_text("a: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8")
    with pytest.raises(DictionaryError):
        read_dictionary(path)


def test_liwc_category_names_may_have_spaces(tmp_path):
    path = tmp_path / "spaces.dic"
    path.write_text("%\n1\tpublic opinion\n2 social media\n%\npoll*\t1\ntweet*\t2\n")
    assert list(read_dictionary(path).categories) == ["public opinion", "social media"]


def test_liwc_conditional_entries_are_skipped_with_a_warning(tmp_path):
    path = tmp_path / "liwc.dic"
    path.write_text("%\n1\tfunct\n2\tverb\n%\nthe\t1\nlike\t(02 134)125/464\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="1 conditional LIWC entries skipped"):
        d = read_dictionary(path)
    assert [p.text for p in d.categories["funct"]] == ["the"]


def test_builtin_dictionaries_read():
    names = builtin_dictionaries()
    assert "policy_frames" in names and "blasphemy_platforms_2017" in names
    frames = read_dictionary("policy_frames")
    assert len(frames.categories) == 15
    assert {"source", "licence", "intended_use"} <= set(frames.meta)
    story = read_dictionary("blasphemy_platforms_2017")
    assert len(story.categories) == 7


@pytest.fixture
def tiny_corpus():
    sentences = pd.DataFrame(
        {
            "article_id": ["a1", "a1", "a2", "b1"],
            "voice": ["narrative", "quote", "narrative", "narrative"],
            "text": [
                "Blasphemy laws were debated.",
                '"Freedom of expression matters," she said.',
                "Security forces arrived.",
                "Blasphemy and blasphemy again, then rights.",
            ],
        }
    )
    articles = pd.DataFrame({"article_id": ["a1", "a2", "b1"], "outlet": ["A", "A", "B"]})
    return sentences, articles


def test_score_frames_by_article_and_voice(tiny_corpus):
    sentences, articles = tiny_corpus
    d = read_dictionary(JSON)
    scores, matches = score_frames(sentences, d)
    row = scores.set_index(["article_id", "voice", "category"])
    assert row.loc[("a1", "all", "religion"), "count"] == 1
    assert row.loc[("a1", "all", "religion"), "tokens"] == 4 + 6
    assert row.loc[("a1", "all", "religion"), "rate"] == pytest.approx(100.0)
    assert row.loc[("a1", "quote", "rights"), "count"] == 1
    assert row.loc[("a1", "narrative", "rights"), "count"] == 0
    assert row.loc[("a2", "all", "religion"), "count"] == 0  # zeros are kept
    assert ("a2", "quote", "religion") not in row.index  # a2 has no quote sentence
    summary = outlet_frames(scores, articles, n_resamples=99).set_index(["outlet", "measure"])
    assert summary.loc[("A", "religion"), "estimate"] == pytest.approx((100.0 + 0.0) / 2)
    assert np.isnan(summary.loc[("B", "religion"), "ci_low"])  # one article
    pooled = outlet_frames(
        scores, articles, unit="sentence", matches=matches, sentences=sentences, n_resamples=99
    ).set_index(["outlet", "measure"])
    assert pooled.loc[("A", "religion"), "estimate"] == pytest.approx(1000 * 1 / 13)


def test_audit_sums_equal_the_counts(tiny_corpus):
    sentences, articles = tiny_corpus
    scores, matches = score_frames(sentences, read_dictionary(JSON), negation=True)
    audit = frame_audit(matches, sentences, articles)
    assert list(audit.columns) == ["outlet", "category", "term", "pattern", "count", "negated"]
    by_outlet = (
        scores[scores["voice"] == "all"]
        .merge(articles, on="article_id")
        .groupby(["outlet", "category"])[["count", "negated"]]
        .sum()
    )
    audited = audit.groupby(["outlet", "category"])[["count", "negated"]].sum()
    pd.testing.assert_frame_equal(by_outlet.loc[audited.index], audited, check_dtype=False)
    assert by_outlet.loc[~by_outlet.index.isin(audited.index)].sum().sum() == 0
    b = audit[(audit["outlet"] == "B") & (audit["category"] == "religion")]
    assert b[["term", "pattern", "count"]].values.tolist() == [["blasphemy", "blasphem*", 2]]


def test_compare_to_labels():
    scores = pd.DataFrame({"x": [3, 0, 1, 0, 2], "y": [0, 0, 0, 0, 0]}, index=list("abcde"))
    labels = pd.DataFrame({"x": [1, 0, 1, 1, 0], "y": [0, 1, 0, 0, 0]}, index=list("abcde"))
    table = compare_to_labels(scores, labels).set_index("category")
    assert table.loc["x", "precision"] == pytest.approx(2 / 3)
    assert table.loc["x", "recall"] == pytest.approx(2 / 3)
    assert table.loc["x", "f1"] == pytest.approx(2 / 3)
    assert table.loc["x", "n_labelled"] == 3 and table.loc["x", "n_predicted"] == 3
    assert np.isnan(table.loc["y", "auc"])  # a constant score ranks nothing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("‘freedom of expression’ matters", 1),  # single quotation marks around a phrase
        ("'freedom of expression' matters", 1),
        ("the freedom of expression's limits", 1),
        ("freedom of expressions", 0),  # a longer word is another word
        ("xfreedom of expression", 0),
    ],
)
def test_phrases_in_single_quotation_marks_are_counted(text, expected):
    d = read_dictionary({"free": ["freedom of expression"]})
    assert count_matches([text], d).term_counts.sum() == expected
