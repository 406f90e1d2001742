"""VADER scores for sentences: nltk's implementation with the vaderSentiment lexicon, offline."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd
from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

NEGATIVE_THRESHOLD = -0.05
"""A sentence with ``compound <= -0.05`` counts as negative (Hutto & Gilbert's threshold)."""
POSITIVE_THRESHOLD = 0.05
"""A sentence with ``compound >= 0.05`` counts as positive."""
SCORE_COLUMNS = ["neg", "neu", "pos", "compound"]


def lexicon_path() -> Path:
    """The VADER lexicon file shipped inside the ``vaderSentiment`` package."""
    import vaderSentiment

    return Path(vaderSentiment.__file__).resolve().parent / "vader_lexicon.txt"


@functools.lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    """nltk's VADER analyzer, built offline from the ``vaderSentiment`` lexicon file.

    nltk's constructor would fetch ``sentiment/vader_lexicon.zip`` through ``nltk.data``
    (and refuses absolute paths since nltk 3.10); instead the same three attributes its
    constructor sets are set here from the lexicon text, so every method is nltk's own.
    """
    scorer = SentimentIntensityAnalyzer.__new__(SentimentIntensityAnalyzer)
    scorer.lexicon_file = lexicon_path().read_text(encoding="utf-8").strip("\n")
    scorer.lexicon = scorer.make_lex_dict()
    scorer.constants = VaderConstants()
    return scorer


def polarity_scores(text: str) -> dict[str, float]:
    """VADER's ``neg, neu, pos, compound`` for one sentence (nltk's implementation).

    >>> polarity_scores("VADER is smart, handsome, and funny.")
    {'neg': 0.0, 'neu': 0.254, 'pos': 0.746, 'compound': 0.8316}
    """
    return analyzer().polarity_scores(text)


QUOTE_MARKS = ("keep", "drop")
DOUBLE_QUOTE_MARKS = '"“”„«»'
"""The characters :func:`without_quote_marks` removes."""
_DOUBLE_QUOTE_MARKS = re.compile(f"[{DOUBLE_QUOTE_MARKS}]")


def without_quote_marks(text: str) -> str:
    """``text`` with its double quotation marks removed.

    nltk's VADER strips at most one punctuation mark from each side of a word, so a word
    followed by a comma or full stop *and* a quotation mark (``disaster,"``) is not found in
    the lexicon and scores nothing. Quotation marks carry no valence in VADER, so removing
    them before scoring only repairs that.

    >>> without_quote_marks('“This is a disaster,” one said.')
    'This is a disaster, one said.'
    """
    return _DOUBLE_QUOTE_MARKS.sub("", text)


def score_texts(texts, *, quote_marks: str = "keep", tokenized=None) -> pd.DataFrame:
    """Scores for an iterable of strings: one row each, columns ``neg, neu, pos, compound``.

    Computed for all texts together by :func:`analysis.sentiment.fast.polarity_table`, which
    gives exactly what nltk's ``polarity_scores`` gives for each text
    (:func:`score_texts_reference`), tens of times faster.

    Parameters
    ----------
    texts : iterable of str
        Missing or blank texts score NaN.
    quote_marks : {"keep", "drop"}
        ``"keep"`` scores each text exactly as nltk's ``polarity_scores`` does (the
        default); ``"drop"`` removes double quotation marks first (:func:`without_quote_marks`),
        which recovers the words next to them that nltk's tokenizer misses.
    tokenized : TextTokens, optional
        :func:`analysis.tokens.text_tokens` of the same texts, when the caller has it (the
        frame counts and distinctive words use them): the scorer shares its split at white
        space.
    """
    from analysis.sentiment.fast import polarity_table

    return polarity_table(texts, quote_marks=quote_marks, tokenized=tokenized)


def score_texts_reference(texts, *, quote_marks: str = "keep") -> pd.DataFrame:
    """:func:`score_texts` computed by nltk, one text at a time (the reference for tests)."""
    if quote_marks not in QUOTE_MARKS:
        raise ValueError(f"quote_marks must be one of {QUOTE_MARKS}, not {quote_marks!r}")
    score = analyzer().polarity_scores
    prepare = without_quote_marks if quote_marks == "drop" else str
    rows = [
        score(prepare(text)) if isinstance(text, str) and text.strip() else None for text in texts
    ]
    empty = dict.fromkeys(SCORE_COLUMNS, np.nan)
    return pd.DataFrame([row or empty for row in rows], columns=SCORE_COLUMNS, dtype=float)


def score_sentences(
    sentences: pd.DataFrame, *, quote_marks: str = "keep", tokenized=None
) -> pd.DataFrame:
    """Add VADER scores to every sentence.

    Parameters
    ----------
    sentences : DataFrame
        The sentences table (needs ``text``), see :func:`analysis.segment.split_sentences`.
    quote_marks : {"keep", "drop"}
        See :func:`score_texts`.
    tokenized : TextTokens, optional
        :func:`analysis.tokens.text_tokens` of ``sentences["text"]``; see
        :func:`score_texts`.

    Returns
    -------
    DataFrame
        A copy with ``neg``, ``neu``, ``pos`` (shares of the sentence's sentiment, summing to
        1) and ``compound`` (normalised sum, -1 .. 1) added.
    """
    scores = score_texts(sentences["text"], quote_marks=quote_marks, tokenized=tokenized)
    out = sentences.copy()
    for column in SCORE_COLUMNS:
        out[column] = scores[column].to_numpy()
    return out
