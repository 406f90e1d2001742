"""Differential tests: the package's Punkt against nltk's, and the whole sentence table
against the nltk-based splitter it replaced (``tests/punkt_reference.py``).

Texts come from the seed corpus and from Hypothesis, which strings together the pieces
that make Punkt decide: abbreviations, initials, numbers, ellipses, ``!`` and ``?``,
straight and curly quotes (stranded closing ones too), brackets, lower-case continuations,
runs of spaces and line breaks (and the rarer spaces: tab, no-break space, the separators
U+001C..U+001F that nltk's regex engine does not count as space) and post signatures.
Runs are derandomised with no example database, so every machine sees the same examples.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis import clean, segment
from tests import punkt_reference

SETTINGS = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,  # the same examples on every machine: no replay of earlier failures
    suppress_health_check=[HealthCheck.too_slow],
)

PIECES = [
    *["He", "she", "said", "the", "Growth", "rose", "lahore", "Bush", "it", "x", "é", "Ⓐ"],
    *["Mr.", "Mrs.", "Dr.", "Gen.", "Lt. Col.", "U.S.", "U.K.", "Jan.", "Sept.", "Inc.", "etc."],
    *["e.g.", "a.m.", "p.m.", "Ph.D.", "No.", "vs.", "St.", "ex-Gov.", "Sat.", "co-op."],
    *["George W. Bush", "J. K. Rowling", "W.", "A.", "é.", "Ⓐ.", "_.", "²."],
    *["3.5", "No. 1.", "2017.", "1.", "-2,000.5", "٣.", "1st.", "10-12."],
    *["...", "…", ". . .", "..", ".", "!", "?", "?!", "!!!", '?"', ".)", ".”"],
    *['"', "“", "”", "‘", "’", "«", "»", "'", "(", ")", "[", "]", "{", "}", "--", "-", "—"],
    *[",", ";", ":", "*", "@", "#", "&", "`", "%"],
    *[" ", " ", " ", "  ", "\n", "\n\n", " \n ", "\t", "\u00a0", "\x1c", "\u2009", "\r"],
    *[" he asked.", " and then.", "U.S. He", "A.B. The", ". ”", '. "', "? ”"],
    *["— Ann Lee (@ann) March 25, 2017", "A post shared by Bo (@bo.x) on Mar. 3, 2019"],
]

SEPARATORS = [" ", " ", " ", "", "  ", "\n", "\n\n"]

texts = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(PIECES), st.text(alphabet="aZ.?! \"')”", max_size=3)),
        st.sampled_from(SEPARATORS),
    ),
    max_size=40,
).map(lambda pairs: "".join(piece + separator for piece, separator in pairs))


def _article(text: str) -> pd.DataFrame:
    return pd.DataFrame({"article_id": ["a"], "text_clean": [text]})


def assert_punkt_agrees(text: str) -> None:
    spaced = segment._ascii_spaced(text)
    every_match = list(segment._PERIOD_CONTEXT.finditer(text))  # found per text, as there
    for start, end in segment._paragraph_spans(text):
        expected = punkt_reference.punkt_spans(text, start, end)
        matches = [match for match in every_match if start <= match.start() < end]
        assert segment._punkt_spans(text, spaced, start, end, matches) == expected


def assert_sentences_agree(articles: pd.DataFrame) -> None:
    for text in articles["text_clean"]:
        assert segment._paragraph_spans(text) == punkt_reference._paragraph_spans(text)
        assert segment.quote_spans(text) == punkt_reference.quote_spans(text)
    pd.testing.assert_frame_equal(
        segment.split_sentences(articles), punkt_reference.split_sentences(articles)
    )


def test_seed_corpus_sentences_are_those_of_nltk_punkt(seed_texts):
    articles = pd.DataFrame(
        {"article_id": [name[:3] for name in seed_texts], "text": list(seed_texts.values())}
    )
    articles["text_clean"] = articles["text"].map(clean.clean_text)
    for text in [*articles["text"], *articles["text_clean"]]:
        assert_punkt_agrees(text)
    assert_sentences_agree(articles)
    raw = articles.assign(text_clean=articles["text"])  # the uncleaned texts too
    assert_sentences_agree(raw)


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Smith arrived. He left.",
        "He met Mr. Smith.) Then he left.",  # the context holds the next token: "Smith." ends
        'Ask Mr. Smith?" she said.',
        "x\u00a0word. Next. And end.",  # no-break space: the later end takes over the word
        " ?! Hi there.",  # a space at index 0 of the paragraph
        "word. . . Next one.",
        "In 2017. the end. 3. A 4. b",
        "é. b é. B Ⓐ. B _. B ². B",
        "He said: \"Why?\" (Nobody knew.) 'It's over.' Done.",
        "Wait... What? Really!? Yes!!! “No.” «Non.» ‘Fine.’",
        "a.\x1c b. c.\x1cD. E",
        "Growth was 3.5 percent. Costs rose by 2.25.",
        "The U.S. He said. U.S. The end.",
        'It ended. "\x1cNext one. "\tThen. ")\u00a0so.',
        "It was the end.\u00a0Next. Fine.",  # no ASCII space: the first end is not considered
        "It ended. \x1c",  # a last token that str.rstrip removes: no empty last sentence
        'He left. "-- And so on. "--',
    ],
)
def test_hand_picked_texts(text):
    assert_punkt_agrees(text)
    assert_sentences_agree(_article(text))


@SETTINGS
@given(texts)
@example('He said "Hi." Then\t"left." --"ok"')
@example("end.”) — Bo (@bo) May 1, 2020")
def test_punkt_spans_are_those_of_nltk(text):
    assert_punkt_agrees(text)


@SETTINGS
@given(texts)
def test_sentences_are_those_of_the_nltk_based_splitter(text):
    assert_sentences_agree(_article(text))
    cleaned = clean.clean_text(text)
    assert_sentences_agree(_article(cleaned))


# The full stops of other scripts (issue 27) are a rule after Punkt, which does not know them:
# on any text they only add sentence ends, each right after one of them, and keep every
# sentence end that Punkt and the other rules find.
SCRIPT_PIECES = [
    *PIECES,
    *["\u06d4", "\u061f", "\u0964", "\u0965", "\u3002", "\uff01", "\uff1f"],
    *["ہے\u06d4", "了\u3002", "۳\u06d4۵", "۱\u06d4", "3\u06d4", "\u3002”", "\u06d4»", "\uff1f」"],
    *['\u3002"', "\u06d4'", "\u3002\u3002", "我们", "یہ", "\u3000"],
]
script_texts = st.lists(
    st.tuples(st.sampled_from(SCRIPT_PIECES), st.sampled_from(SEPARATORS)), max_size=40
).map(lambda pairs: "".join(piece + separator for piece, separator in pairs))
_AFTER_STOP = re.compile("[”’»)\\]}」』）》〉】〕〗〙〛｣\"'\\s]*$")


def _last_mark(text: str) -> str:
    """The last character before the closing marks (a stranded quotation mark, after white
    space, goes back to the sentence it closes too) and the space at the end of ``text``."""
    return text[: _AFTER_STOP.search(text).start()][-1:]


@SETTINGS
@given(script_texts)
@example("یہ ہے\u06d4 یہ بھی\u3002我们\u3002” he said. Then\uff01")
def test_full_stops_of_other_scripts_only_add_sentence_ends(text):
    before = punkt_reference.split_sentences(_article(text))
    after = segment.split_sentences(_article(text))
    spans = list(zip(after["start"], after["end"], after["paragraph_id"]))
    i = 0
    for start, end, paragraph in zip(before["start"], before["end"], before["paragraph_id"]):
        pieces = []
        while i < len(spans) and spans[i][1] <= end:
            pieces.append(spans[i])
            i += 1
        assert (pieces[0][0], pieces[-1][1]) == (start, end)
        assert {piece[2] for piece in pieces} == {paragraph}
        for (_, cut, _), (following, _, _) in zip(pieces, pieces[1:]):
            assert not text[cut:following].strip()
            assert _last_mark(text[:cut]) in segment._SCRIPT_STOP_MARKS
    assert i == len(spans)
