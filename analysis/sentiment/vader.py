"""nltk's VADER analyzer, built offline from the vaderSentiment lexicon, and what both scorers
share: the score columns and the handling of quotation marks.

:mod:`analysis.sentiment.fast` (the array scorer) and :mod:`analysis.sentiment.scoring` (which
calls it, and keeps nltk's own loop as the reference) both build on this module.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

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
