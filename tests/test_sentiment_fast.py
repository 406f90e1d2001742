"""Array VADER (analysis.sentiment.fast) equals nltk's polarity_scores exactly, rule by rule."""

from __future__ import annotations

import random
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nltk.sentiment.vader import SentiText, VaderConstants

from analysis import clean, segment, sentiment
from analysis.sentiment import fast
from analysis.tokens import arrow_strings, split_whitespace, text_tokens

TRICKY = [
    # negation within three words, "n't", nltk's never/so/this rules
    "The book was not good.",
    "It isn't bad at all.",
    "I don't think it is bad.",
    "Not a single good idea.",
    "nothing here is really good",
    "I ain't happy",
    "He couldn’t be happier",
    "It was never so good.",
    "It was never this bad.",
    "It was Never so good.",
    "this is so good",
    "It was so very good",
    "never ever so this good",
    "without doubt good",
    # boosters and dampeners, ALL CAPS emphasis
    "The book was very good.",
    "The book was VERY good.",
    "The book was VERY GOOD.",
    "It is extremely bad",
    "It is EXTREMELY bad and sad",
    "hardly good",
    "barely BAD news",
    "kinda good",
    "sort-of good",
    "The food was somewhat good",
    "most very good",
    "really really really good",
    "It is NOT good",
    # "kind of", "least"
    "The book was kind of good.",
    "Kind of bad",
    "kind OF good",
    "It was sort of good",
    "It was just enough good",
    "She is kind",
    "kind people are kind of nice",
    "kind of nice and kind people",
    "At least it isn't a horrible book.",
    "least good",
    "the least bad option",
    "the very least good",
    "he is the least happy",
    "at least happy",
    # "but"
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "good but bad",
    "BUT good",
    "good But bad but happy",
    "butter is good",
    "but",
    # "!" and "?"
    "good!",
    "good!!!!!!",
    "bad??",
    "bad???",
    "bad????",
    "good?!?",
    "What?? Good",
    "!!!",
    "Really?",
    # idioms and nltk's idiom quirks
    "This party is the bomb",
    "the bomb",
    "the bomb was bad",
    "That movie was the shit",
    "he can cut the mustard",
    "it is the kiss of death",
    "living hand to mouth",
    "yeah right",
    "oh yeah right that is good",
    "what a bad ass car",
    "the kiss of death is near",
    "we do cut the mustard with love",
    "the bomb bad ass",
    "it was the shit bad ass",
    # emoticons
    ":)",
    "Make sure you :) or :D today!",
    "<3 you :-(",
    ":D great",
    # punctuation around words
    '"good,"',
    '"This is a disaster," one said.',
    "(good)",
    "good...",
    "'good'",
    "-good-",
    "good!?",
    "!!good",
    "?!?!good",
    "good?!?!",
    "...bad",
    # apostrophes
    "don't like it",
    "can't stand it",
    "isn't good",
    "n't good",
    "I'm happy",
    "it's the best",
    # unicode
    "C’est très bon, good",
    "Straße gut good",
    "İyi good",
    "\u212aind of good",
    "GOOD ΚΑΛΟ",
    "😀 good 😡",
    "ＧＯＯＤ good",
    "good\u00a0bad\u3000happy",
    "good\x1cbad",
    # a single token, one-character tokens
    "good",
    "Good.",
    "GOOD",
    "a",
    "!",
    "not a good idea",
    "very - good",
    "I am I",
    # "no"
    "no problem",
    "no",
    "No, it is good",
    "no good",
    "There is no doubt it is good",
    # ALL CAPS sentences
    "THE BOOK WAS GOOD",
    "THE BOOK WAS NOT VERY GOOD!",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    # repeated words take their first occurrence's valence (nltk's quirk)
    "good good good",
    "not good and good",
    "good, not good",
    "very good and good",
    # long sentences: left-to-right sums of many values
    " ".join(["good", "bad", "happy", "sad", "love", "hate", "great", "awful"] * 12),
    " ".join(f"w{k} good{'!' * (k % 3)} not bad" for k in range(40)),
]


def assert_same(texts, **kwargs):
    ours = fast.polarity_table(texts, **kwargs)
    theirs = sentiment.score_texts_reference(texts, **kwargs)
    pd.testing.assert_frame_equal(ours, theirs, check_exact=True)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_sentence_equals_nltk(text):
    ours = fast.polarity_table([text]).iloc[0].to_dict()
    assert ours == sentiment.analyzer().polarity_scores(text)


def test_tricky_sentences_together_equal_nltk_in_both_quote_modes():
    assert_same(TRICKY)
    assert_same(TRICKY, quote_marks="drop")


@pytest.mark.parametrize("text", ["", " ", "\t\n", "\u00a0", "\u3000 \u2003"])
def test_blank_text_scores_missing(text):
    assert fast.polarity_table([text]).isna().all(axis=None)


def test_inputs_that_are_not_strings_score_missing():
    scores = fast.polarity_table([1, 2.5, None, float("nan"), b"good", "good", '""'])
    assert scores["compound"].isna().tolist() == [True] * 5 + [False, False]
    assert fast.polarity_table(pd.Series(["good", None])).shape == (2, 4)
    assert fast.polarity_table([]).columns.tolist() == sentiment.SCORE_COLUMNS


def test_quote_marks_drop_is_decided_per_token_but_blankness_on_the_text():
    texts = ['""', '"“good”"', "It was a “disaster,” she said.", ' " ']
    assert_same(texts, quote_marks="drop")
    dropped = fast.polarity_table(texts, quote_marks="drop")
    assert dropped.iloc[0].tolist() == dropped.iloc[3].tolist() == [0.0] * 4  # not blank
    with pytest.raises(ValueError, match="quote_marks"):
        fast.polarity_table(["good"], quote_marks="strip")


def test_a_last_text_ending_in_whitespace_splits_the_same_every_time():
    """Arrow's ``utf8_split_whitespace`` (pyarrow 26) reads past the end of such a text and,
    when it is the last of the array, glues the whitespace to its last token at random."""
    text = ",$:!! ...but“ “farce“ ê𔔣. ...share,“assaulting“ , "
    expected = sentiment.score_texts_reference([text], quote_marks="drop")
    for _ in range(60):
        ours = fast.polarity_table([text], quote_marks="drop")
        pd.testing.assert_frame_equal(ours, expected, check_exact=True)


def test_text_with_a_lone_surrogate_is_scored_by_nltk():
    texts = ["good \ud800 day", "bad"]
    assert_same(texts)
    assert_same(texts, quote_marks="drop")


def test_batches_give_the_same_scores(monkeypatch):
    texts = [*TRICKY, "", None, "good"]
    whole = fast.polarity_table(texts)
    monkeypatch.setattr(fast, "BATCH", 7)
    pd.testing.assert_frame_equal(fast.polarity_table(texts), whole, check_exact=True)


@pytest.mark.parametrize("quote_marks", ["keep", "drop"])
@pytest.mark.parametrize("dtype", ["str", pd.ArrowDtype(pa.string())])
def test_arrow_strings_are_scored_in_place_as_the_same_list(dtype, quote_marks, monkeypatch):
    texts = [*TRICKY, "", " ", None, "good"]
    series = pd.Series(texts, dtype=dtype)
    assert arrow_strings(series) is not None
    expected = fast.polarity_table(texts, quote_marks=quote_marks)
    assert_same(texts, quote_marks=quote_marks)
    ours = fast.polarity_table(series, quote_marks=quote_marks)
    pd.testing.assert_frame_equal(ours, expected, check_exact=True)
    monkeypatch.setattr(fast, "BATCH", 7)
    ours = fast.polarity_table(series, quote_marks=quote_marks)
    pd.testing.assert_frame_equal(ours, expected, check_exact=True)


@pytest.mark.parametrize("quote_marks", ["keep", "drop"])
def test_the_split_of_shared_tokens_scores_the_same(quote_marks):
    texts = pd.Series([*TRICKY, "", " ", None, "good\u00a0day\nbad"], dtype="str")
    tokenized = text_tokens(texts)
    assert tokenized.split is not None
    shared = fast.polarity_table(texts, quote_marks=quote_marks, tokenized=tokenized)
    expected = fast.polarity_table(texts, quote_marks=quote_marks)
    pd.testing.assert_frame_equal(shared, expected, check_exact=True)
    with pytest.raises(ValueError, match="other texts"):
        fast.polarity_table(texts[:5], tokenized=tokenized)


def test_score_texts_is_the_fast_table():
    texts = [*TRICKY[:20], "", None]
    pd.testing.assert_frame_equal(
        sentiment.score_texts(texts), fast.polarity_table(texts), check_exact=True
    )


@pytest.fixture(scope="module")
def seed_sentences(seed_texts) -> pd.DataFrame:
    articles = pd.DataFrame(
        {"article_id": [n[:3] for n in seed_texts], "text": list(seed_texts.values())}
    )
    articles, _ = clean.clean_articles(articles)
    return segment.split_sentences(articles)


def test_every_seed_sentence_equals_nltk(seed_sentences):
    texts = seed_sentences["text"].tolist()
    assert len(texts) == 78
    assert_same(texts)
    assert_same(texts, quote_marks="drop")


# --- the pieces -----------------------------------------------------------------------------

TOKENS = [
    "good,",
    '"good',
    "good!!",
    "good...",
    '"good,"',
    "don't,",
    "!!!good",
    "?!?!x",
    "?!?!xy",
    "ab",
    "-ab-",
    "x,",
    "''good",
    "good''",
    "é,",
    "éé,",
    ",éé",
    ":)",
    ":-)",
    "(good)",
    "a.b,",
    "good?!",
    "good!?!",
    "!?!?good",
    '"',
    "--",
    "#good",
    "good#",
    "#",
    "x",
    "xy",
    "'s",
    "’good,",
]


@pytest.mark.parametrize("token", TOKENS)
def test_nltk_word_is_what_sentitext_makes_of_a_token(token):
    made = SentiText(
        token, VaderConstants.PUNC_LIST, VaderConstants.REGEX_REMOVE_PUNCTUATION
    ).words_and_emoticons
    assert made == ([fast.nltk_word(token)] if len(token) > 1 else [])
    assert fast._nltk_words(pa.array([token])).to_pylist() == [fast.nltk_word(token)]


def split_like_python(texts: list[str]) -> list[list[str]]:
    raw, offsets, tokens = split_whitespace(pa.array(texts, type=pa.string()))
    words = np.array(tokens.to_pylist(), dtype=object)[raw]
    return [[w for w in words[a:b] if w] for a, b in zip(offsets[:-1], offsets[1:])]


def test_tokens_are_those_of_str_split_for_every_character():
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    assert [c for c in chars if c.isspace() and ord(c) > 0x3000] == []
    texts = [f"{c}a{c}{c}b {c}" for c in chars] + [f"a{c}" for c in chars]
    assert split_like_python(texts) == [text.split() for text in texts]


@given(st.lists(st.text(alphabet=st.sampled_from("ab \n\t\u00a0\u3000é"), max_size=12)))
def test_tokens_are_those_of_str_split(texts):
    assert split_like_python(texts) == [text.split() for text in texts]


def test_arrow_ascii_case_functions_are_pythons_on_ascii():
    words = ["".join(w) for w in zip(*[iter(map(chr, range(128)))] * 2)]
    words += ["GOOD", "Good", "G00D", "123", "A1", ":D", "", "a"]
    array = pa.array(words)
    assert pc.ascii_lower(array).to_pylist() == [w.lower() for w in words]
    assert pc.ascii_is_upper(array).to_pylist() == [w.isupper() for w in words]


def test_python_round_is_pythons_round():
    rng = np.random.default_rng(0)
    values = np.concatenate(
        [
            rng.random(100_000),
            -rng.random(10_000),
            np.arange(0, 2001) / 2000,  # halves at three decimals
            np.arange(-20000, 20001) / 20000,  # halves at four decimals
            [0.0, -0.0, 1.0, -1.0, 0.0125, 0.0625, 1e-300],
        ]
    )
    for digits in (3, 4):
        ours = fast.python_round(values, digits)
        assert ours.tolist() == [round(v, digits) for v in values.tolist()]


def test_sums_are_added_left_to_right_like_python():
    rng = random.Random(1)
    values = [rng.choice([0.1, 0.2, 0.3, 1e-3, -0.7, 2.9, 3.3333]) for _ in range(200)]
    sentence = np.repeat(np.arange(10), 20)
    total, positive, negative = fast._sums_in_order(sentence, np.array(values), 10)
    for k in range(10):
        chunk = values[20 * k : 20 * (k + 1)]
        assert total[k] == sum(chunk)
        pos = neg = 0.0
        for value in chunk:
            pos += value + 1 if value > 0 else 0
            neg += value - 1 if value < 0 else 0
        assert (positive[k], negative[k]) == (pos, neg)


# --- random sentences -----------------------------------------------------------------------

_LEXICON = sorted(sentiment.analyzer().lexicon)
_WORDS = (
    _LEXICON[::40]
    + list(VaderConstants.BOOSTER_DICT)
    + sorted(VaderConstants.NEGATE)[::3]
    + [
        "kind",
        "of",
        "sort",
        "least",
        "at",
        "very",
        "but",
        "never",
        "so",
        "this",
        "the",
        "shit",
        "bomb",
        "bad",
        "ass",
        "yeah",
        "right",
        "cut",
        "mustard",
        "kiss",
        "death",
        "hand",
        "to",
        "mouth",
        "just",
        "enough",
        "no",
        "n't",
        "a",
        "I",
        ":)",
        ":(",
        "<3",
    ]
)
_EDGES = ["", "", "", ",", ".", "!", "?", "!!", "'", '"', "...", "?!?", "-", "(", ")", "“", "”"]
_SPACES = [" ", " ", " ", "  ", "\t", "\n", "\u00a0", "\u2003", ""]


@st.composite
def tokens(draw):
    word = draw(st.sampled_from(_WORDS) | st.text(min_size=0, max_size=4))
    case = draw(st.sampled_from(["keep", "keep", "upper", "title"]))
    word = word.upper() if case == "upper" else word.title() if case == "title" else word
    return draw(st.sampled_from(_EDGES)) + word + draw(st.sampled_from(_EDGES))


@st.composite
def sentences(draw):
    parts = draw(st.lists(st.tuples(tokens(), st.sampled_from(_SPACES)), max_size=14))
    return "".join(token + space for token, space in parts)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sentences(), min_size=1, max_size=12), st.sampled_from(["keep", "drop"]))
def test_random_sentences_equal_nltk(texts, quote_marks):
    assert_same(texts, quote_marks=quote_marks)
