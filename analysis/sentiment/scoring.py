"""VADER scores for sentences: nltk's implementation with the vaderSentiment lexicon, offline."""

from __future__ import annotations

import functools
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


def score_texts(texts) -> pd.DataFrame:
    """Scores for an iterable of strings: one row each, columns ``neg, neu, pos, compound``."""
    score = analyzer().polarity_scores
    rows = [score(text) if isinstance(text, str) and text.strip() else None for text in texts]
    empty = dict.fromkeys(SCORE_COLUMNS, np.nan)
    return pd.DataFrame([row or empty for row in rows], columns=SCORE_COLUMNS, dtype=float)


def score_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Add VADER scores to every sentence.

    Parameters
    ----------
    sentences : DataFrame
        The sentences table (needs ``text``), see :func:`analysis.segment.split_sentences`.

    Returns
    -------
    DataFrame
        A copy with ``neg``, ``neu``, ``pos`` (shares of the sentence's sentiment, summing to
        1) and ``compound`` (normalised sum, -1 .. 1) added.
    """
    scores = score_texts(sentences["text"])
    out = sentences.copy()
    for column in SCORE_COLUMNS:
        out[column] = scores[column].to_numpy()
    return out
