"""VADER scores for sentences: nltk's implementation with the vaderSentiment lexicon, offline.

The analyzer and the quotation-mark handling are in :mod:`analysis.sentiment.vader`
(imported here too); :func:`score_texts` scores with :mod:`analysis.sentiment.fast`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.sentiment.fast import polarity_table
from analysis.sentiment.vader import (
    DOUBLE_QUOTE_MARKS,
    QUOTE_MARKS,
    SCORE_COLUMNS,
    analyzer,
    lexicon_path,
    polarity_scores,
    without_quote_marks,
)

__all__ = [
    "DOUBLE_QUOTE_MARKS",
    "NEGATIVE_THRESHOLD",
    "POSITIVE_THRESHOLD",
    "QUOTE_MARKS",
    "SCORE_COLUMNS",
    "analyzer",
    "lexicon_path",
    "polarity_scores",
    "score_sentences",
    "score_texts",
    "score_texts_reference",
    "without_quote_marks",
]

NEGATIVE_THRESHOLD = -0.05
"""A sentence with ``compound <= -0.05`` counts as negative (Hutto & Gilbert's threshold)."""
POSITIVE_THRESHOLD = 0.05
"""A sentence with ``compound >= 0.05`` counts as positive."""


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
