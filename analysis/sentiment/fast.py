"""nltk's VADER scores for many sentences at once, as array operations.

:func:`polarity_table` gives, for every text, exactly the ``neg, neu, pos, compound`` that
nltk's ``SentimentIntensityAnalyzer.polarity_scores`` gives (float equality after nltk's own
rounding), with nltk's quirks, but scores all texts together instead of one by one:

* tokens (:mod:`analysis.sentiment.fast_words`): all texts are split at spaces at once
  (Arrow), the rare tokens holding other whitespace are split again by Python, so the tokens
  are those of ``str.split()``; each *distinct* token is mapped once to nltk's word (one
  punctuation mark or PUNC_LIST run stripped from one side), lower-cased once and looked up
  in the lexicon and word lists once;
* rules (:mod:`analysis.sentiment.fast_rules`): valences are computed only where a lexicon
  word stands, from the flags of the 1-3 words before it (and 1-2 after, for idioms), as
  numpy operations over the flat token array; a word repeated in a sentence takes the
  valence of its first occurrence, as in nltk (:func:`_score_arrow`);
* sums (here): the per-sentence sums are added left to right, one word position at a time,
  so the float results are those of nltk's Python loops; rounding reproduces Python's
  ``round``.

Texts that cannot be encoded as UTF-8 (lone surrogates) are scored by nltk one by one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.sentiment.fast_rules import _context, _valences
from analysis.sentiment.fast_words import (
    AT_OR_VERY,
    BOOSTER,
    BUT,
    DROPPED,
    EMPTY,
    IN_LEXICON,
    KIND,
    LEAST,
    MARK,
    NEGATION,
    NEVER,
    OF,
    PHRASE,
    SO_OR_THIS,
    UPPER,
    _Vocabulary,
    nltk_word,
)
from analysis.sentiment.fast_words import _nltk_words as _nltk_words  # read by the tests
from analysis.sentiment.vader import QUOTE_MARKS, SCORE_COLUMNS, analyzer, without_quote_marks
from analysis.tokens import TextTokens, arrow_strings, split_whitespace

__all__ = [
    "AT_OR_VERY",
    "BATCH",
    "BOOSTER",
    "BUT",
    "DROPPED",
    "EMPTY",
    "IN_LEXICON",
    "KIND",
    "LEAST",
    "MARK",
    "NEGATION",
    "NEVER",
    "OF",
    "PHRASE",
    "SO_OR_THIS",
    "UPPER",
    "nltk_word",
    "polarity_table",
    "python_round",
    "scored_by_nltk",
]

BATCH = 1_000_000
"""Texts scored together at most (bounds the memory of the token arrays)."""


def _sums_in_order(sentence, values, n_sentences):
    """Per sentence, nltk's left-to-right float sums of ``values`` (in flat order).

    Returns the sum of the values, the sum of ``value + 1`` over positive values and the sum
    of ``value - 1`` over negative ones, as nltk's ``score_valence`` and
    ``_sift_sentiment_scores`` add them (one value after the other, from 0).
    """
    total = np.zeros(n_sentences)
    positive = np.zeros(n_sentences)
    negative = np.zeros(n_sentences)
    if len(values) == 0:
        return total, positive, negative
    starts = np.flatnonzero(np.r_[True, sentence[1:] != sentence[:-1]])
    rank = np.arange(len(values)) - np.repeat(starts, np.diff(np.r_[starts, len(values)]))
    if rank.max() < np.iinfo(np.uint16).max:
        rank = rank.astype(np.uint16)  # a stable sort of small integers is a radix sort
    order = np.argsort(rank, kind="stable")
    bounds = np.searchsorted(rank[order], np.arange(rank.max() + 2))
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        chosen = order[lo:hi]
        rows, value = sentence[chosen], values[chosen]
        total[rows] += value
        positive[rows] += np.where(value > 0, value + 1, 0.0)
        negative[rows] += np.where(value < 0, value - 1, 0.0)
    return total, positive, negative


def python_round(values: np.ndarray, digits: int) -> np.ndarray:
    """``round(value, digits)`` of Python for every value.

    Python rounds the exact binary value to the nearest decimal (ties to even); numpy's
    ``round`` scales first and can fall on the other side of a half. Where the scaled value
    is within 1e-6 of a half, Python's ``round`` itself is used.

    >>> python_round(np.array([0.0125, 0.8316499, -0.00005]), 3).tolist()
    [0.013, 0.832, -0.0]
    """
    scale = 10.0**digits
    scaled = values * scale
    out = np.rint(scaled) / scale
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for k in np.flatnonzero(near_half).tolist():
        out[k] = round(float(values[k]), digits)
    return out


def _score_arrow(
    texts: pa.Array, drop_quote_marks: bool, split: tuple | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Scores of an Arrow string array (see :class:`_Vocabulary` for ``drop_quote_marks``;
    ``split``: :func:`analysis.tokens.split_whitespace` of the texts, when known).

    Returns
    -------
    blank : ndarray of bool
        The texts without any token (null, empty or only whitespace).
    scores : ndarray of float64
        One row ``neg, neu, pos, compound`` per text (0 for blank texts).
    """
    n_texts = len(texts)
    raw, offsets, tokens = split if split is not None else split_whitespace(texts)
    vocabulary = _Vocabulary(tokens, drop_quote_marks)

    interesting = (vocabulary.bits & (IN_LEXICON | UPPER | BUT | DROPPED | MARK)) != 0
    chosen = np.flatnonzero(interesting[raw])
    chosen_bits = vocabulary.bits[raw[chosen]]
    chosen_text = np.searchsorted(offsets, chosen, side="right") - 1

    def having(flag):
        rows = (chosen_bits & flag) != 0
        return chosen[rows], chosen_text[rows]

    def count(flag):
        return np.bincount(having(flag)[1], minlength=n_texts)

    n_tokens = np.diff(offsets)
    blank = count(EMPTY) == n_tokens
    n_words = n_tokens - count(DROPPED)
    n_upper = count(UPPER)
    cap_differential = (n_upper > 0) & (n_upper < n_words)
    emphasis = _emphasis(texts, np.unique(having(MARK)[1]))

    at, text = having(IN_LEXICON)
    word = vocabulary.word[raw[at]]
    occurrence, _ = pd.factorize(text * np.int64(len(vocabulary.valence)) + word)
    first = np.ones(len(occurrence), dtype=bool)
    first[1:] = occurrence[1:] > np.maximum.accumulate(occurrence)[:-1]
    first_text = text[first]
    context = _context(
        at[first], offsets[first_text], offsets[first_text + 1], raw, vocabulary.bits
    )
    valence = _valences(context, raw, vocabulary, cap_differential[first_text])[occurrence]

    buts, but_text = having(BUT)
    if len(buts):
        leading = np.r_[True, but_text[1:] != but_text[:-1]]
        first_but = np.full(n_texts, -1, dtype=np.int64)
        first_but[but_text[leading]] = buts[leading]
        but = first_but[text]
        valence = np.where((but >= 0) & (at < but), valence * 0.5, valence)
        valence = np.where((but >= 0) & (at > but), valence * 1.5, valence)

    nonzero = valence != 0
    total, positive, negative = _sums_in_order(text[nonzero], valence[nonzero], n_texts)
    neutral = n_words - np.bincount(text[nonzero], minlength=n_texts)
    return blank, _scores(total, positive, negative, neutral, emphasis)


def _emphasis(texts: pa.Array, rows: np.ndarray) -> np.ndarray:
    """nltk's ``_punctuation_emphasis`` of each text; ``rows`` are the texts with "!" or "?"."""
    bangs = np.zeros(len(texts), dtype=np.int64)
    questions = np.zeros(len(texts), dtype=np.int64)
    if len(rows):
        some = texts.take(pa.array(rows))
        bangs[rows] = pc.count_substring(some, "!").to_numpy(zero_copy_only=False)
        questions[rows] = pc.count_substring(some, "?").to_numpy(zero_copy_only=False)
    emphasis = np.minimum(bangs, 4) * 0.292
    return emphasis + np.where(questions > 3, 0.96, np.where(questions > 1, questions * 0.18, 0))


def _scores(total, positive, negative, neutral, emphasis) -> np.ndarray:
    """nltk's ``score_valence`` from the per-sentence sums, rounded as nltk rounds.

    A sentence whose words all score 0 has the scores ``0, 1, 0, 0`` (``0, 0, 0, 0`` without
    words); only the others are computed.
    """
    scores = np.zeros((len(total), len(SCORE_COLUMNS)))
    scores[neutral > 0, 1] = 1.0
    rows = np.flatnonzero((positive != 0) | (negative != 0))
    total, positive, negative = total[rows], positive[rows], negative[rows]
    neutral, emphasis = neutral[rows], emphasis[rows]
    total = np.where(total > 0, total + emphasis, np.where(total < 0, total - emphasis, total))
    compound = total / np.sqrt(total * total + 15)
    magnitude = np.abs(negative)
    positive_first = positive > magnitude
    negative_first = positive < magnitude
    positive = np.where(positive_first, positive + emphasis, positive)
    negative = np.where(negative_first, negative - emphasis, negative)
    all_words = positive + np.abs(negative) + neutral
    shares = [np.abs(negative / all_words), np.abs(neutral / all_words)]
    shares.append(np.abs(positive / all_words))
    for column, share in enumerate(shares):
        scores[rows, column] = python_round(share, 3)
    scores[rows, 3] = python_round(compound, 4)
    return scores


def polarity_table(
    texts, *, quote_marks: str = "keep", tokenized: TextTokens | None = None
) -> pd.DataFrame:
    """nltk's VADER scores for many texts, computed together.

    Parameters
    ----------
    texts : iterable of str
        One sentence each (VADER is meant for sentences). Anything that is not a string, and
        blank strings, score NaN. A pandas Series of strings stored by Arrow (the ``str``
        dtype) is scored where it is, with no Python string made per text.
    quote_marks : {"keep", "drop"}
        ``"drop"`` scores each text as nltk scores it with its double quotation marks
        removed (:func:`analysis.sentiment.vader.without_quote_marks`); a text is blank or
        not as given.
    tokenized : TextTokens, optional
        :func:`analysis.tokens.text_tokens` of the same texts, when the caller has it: its
        split at white space is the scorer's too (for texts stored by Arrow).

    Returns
    -------
    DataFrame
        One row per text, in order, with float64 columns ``neg, neu, pos, compound``: for
        every string, exactly the values of nltk's ``polarity_scores``.

    >>> polarity_table(["VADER is smart, handsome, and funny.", "", None]).to_dict("list")
    {'neg': [0.0, nan, nan], 'neu': [0.254, nan, nan], 'pos': [0.746, nan, nan], \
'compound': [0.8316, nan, nan]}
    """
    if quote_marks not in QUOTE_MARKS:
        raise ValueError(f"quote_marks must be one of {QUOTE_MARKS}, not {quote_marks!r}")
    arrow = arrow_strings(texts)
    if arrow is not None:  # scored where they are: no Python string per text
        split = tokenized.split if tokenized is not None and len(arrow) <= BATCH else None
        if split is not None and len(split[1]) != len(arrow) + 1:
            raise ValueError("tokenized holds the tokens of other texts")
        scores = np.empty((len(arrow), len(SCORE_COLUMNS)))
        for start in range(0, len(arrow), BATCH):
            blank, scores[start : start + BATCH] = _score_arrow(
                arrow.slice(start, BATCH), quote_marks == "drop", split
            )
            scores[start : start + BATCH][blank] = np.nan
        return pd.DataFrame(scores, columns=SCORE_COLUMNS)
    texts = list(texts)
    if not set(map(type, texts)) <= {str, type(None)}:
        texts = [text if isinstance(text, str) else None for text in texts]
    scores = np.empty((len(texts), len(SCORE_COLUMNS)))
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        scores[start : start + BATCH] = _score_batch(batch, quote_marks == "drop")
    return pd.DataFrame(scores, columns=SCORE_COLUMNS)


def _score_batch(texts: list, drop_quote_marks: bool) -> np.ndarray:
    """Score rows of strings and Nones; NaN for None and blank strings.

    A string that cannot be encoded as UTF-8 (it holds a lone surrogate) is scored by nltk.
    """
    by_nltk: list[int] = []
    try:
        array = pa.array(texts, type=pa.string())
    except UnicodeEncodeError:
        by_nltk = [k for k, text in enumerate(texts) if text is not None and scored_by_nltk(text)]
        encodable = texts.copy()
        for k in by_nltk:
            encodable[k] = None
        array = pa.array(encodable, type=pa.string())
    if isinstance(array, pa.ChunkedArray):  # over 2 GiB of text
        array = array.cast(pa.large_string()).combine_chunks()
    blank, scores = _score_arrow(array, drop_quote_marks)
    scores[blank] = np.nan
    score = analyzer().polarity_scores
    for k in by_nltk:
        text = without_quote_marks(texts[k]) if drop_quote_marks else texts[k]
        row = score(text)
        scores[k] = [row[column] for column in SCORE_COLUMNS]
    return scores


def scored_by_nltk(text: str) -> bool:
    """Whether :func:`polarity_table` hands ``text`` to nltk: it cannot be encoded as UTF-8.

    >>> scored_by_nltk("good"), scored_by_nltk("good \\ud800")
    (False, True)
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
