"""nltk's VADER scores for many sentences at once, as array operations.

:func:`polarity_table` gives, for every text, exactly the ``neg, neu, pos, compound`` that
nltk's ``SentimentIntensityAnalyzer.polarity_scores`` gives (float equality after nltk's own
rounding), with nltk's quirks, but scores all texts together instead of one by one:

* tokens: all texts are split at spaces at once (Arrow), the rare tokens holding other
  whitespace are split again by Python, so the tokens are those of ``str.split()``; each
  *distinct* token is mapped once to nltk's word (one punctuation mark or PUNC_LIST run
  stripped from one side), lower-cased once and looked up in the lexicon and word lists once;
* rules: valences are computed only where a lexicon word stands, from the flags of the 1-3
  words before it (and 1-2 after, for idioms), as numpy operations over the flat token array;
  a word repeated in a sentence takes the valence of its first occurrence, as in nltk;
* sums: the per-sentence sums are added left to right, one word position at a time, so the
  float results are those of nltk's Python loops; rounding reproduces Python's ``round``.

Texts that cannot be encoded as UTF-8 (lone surrogates) are scored by nltk one by one.
"""

from __future__ import annotations

import functools
import re
import string

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from nltk.sentiment.vader import VaderConstants

from analysis.sentiment.scoring import (
    DOUBLE_QUOTE_MARKS,
    QUOTE_MARKS,
    SCORE_COLUMNS,
    analyzer,
    without_quote_marks,
)
from analysis.tokens import TextTokens, arrow_strings, split_whitespace

BATCH = 1_000_000
"""Texts scored together at most (bounds the memory of the token arrays)."""
_PUNCTUATION = frozenset(string.punctuation)
"""Characters nltk's ``REGEX_REMOVE_PUNCTUATION`` removes."""

(
    IN_LEXICON,
    BOOSTER,
    UPPER,
    NEGATION,
    KIND,
    OF,
    LEAST,
    AT_OR_VERY,
    BUT,
    NEVER,
    SO_OR_THIS,
    PHRASE,
    DROPPED,
    EMPTY,
    MARK,
) = (1 << bit for bit in range(15))
"""Flags of a token. From its lower-cased word: in the lexicon, a booster/dampener, a
negation ("n't" included), "kind", "of", "least", "at" or "very", "but". From the word itself:
ALL CAPS (``str.isupper``), exactly "never", exactly "so" or "this", a word of a multi-word
idiom or booster (:func:`_phrase_words`). From the token: shorter than two characters (nltk
drops it), empty, holding a "!" or "?"."""
_LOWER_WORDS = {
    "kind": KIND,
    "of": OF,
    "least": LEAST,
    "at": AT_OR_VERY,
    "very": AT_OR_VERY,
    "but": BUT,
}
_EXACT_WORDS = {"never": NEVER, "so": SO_OR_THIS, "this": SO_OR_THIS}
_CONTEXT = (-3, -2, -1, 0, 1, 2)
"""Offsets, in words of the same sentence, that nltk's rules look at around a lexicon word."""


def nltk_word(token: str, punc_list=frozenset(VaderConstants.PUNC_LIST)) -> str:
    """The word nltk's ``SentiText`` makes of one whitespace-separated token.

    nltk replaces a token by ``w`` when it is ``p + w`` or ``w + p`` with ``p`` in
    ``PUNC_LIST`` and ``w`` a word of the punctuation-free text longer than one character.
    Such a ``w`` has no ASCII punctuation at all, so ``p`` must be the whole run of
    punctuation on one side and the token must have none on the other side or inside.

    >>> [nltk_word(t) for t in ["good,", '"good', "good!!", "good...", '"good,"', "don't,"]]
    ['good', 'good', 'good', 'good...', '"good,"', "don't,"]
    """
    n = len(token)
    lead = 0
    while lead < n and token[lead] in _PUNCTUATION:
        lead += 1
    trail = 0
    while trail < n - lead and token[n - 1 - trail] in _PUNCTUATION:
        trail += 1
    if (lead == 0) == (trail == 0):
        return token
    core = token[lead : n - trail]
    if len(core) < 2 or any(char in _PUNCTUATION for char in core):
        return token
    edge = token[:lead] if lead else token[n - trail :]
    return core if edge in punc_list else token


_PUNCTUATION_CLASS = "!-/:-@\\[-`{-~"
"""``string.punctuation`` as an RE2 character class (four ASCII ranges)."""


def _nltk_words(tokens: pa.Array) -> pa.Array:
    """:func:`nltk_word` of every token, as one anchored RE2 replacement.

    Only tokens with ASCII punctuation at either end can change; the others are kept as they
    are without running the replacement on them.
    """
    punctuation = f"[{_PUNCTUATION_CLASS}]"
    edge = pc.match_substring_regex(tokens, f"^{punctuation}|{punctuation}$")
    marks = sorted(VaderConstants.PUNC_LIST, key=len, reverse=True)
    mark = "(?:" + "|".join(re.escape(mark) for mark in marks) + ")"
    word = f"([^{_PUNCTUATION_CLASS}]{{2,}})"
    stripped = pc.replace_substring_regex(
        tokens.filter(edge), f"^{mark}{word}$|^{word}{mark}$", r"\1\2"
    )
    return pc.replace_with_mask(tokens, edge, stripped)


class _Vocabulary:
    """nltk's word and its attributes for each distinct token.

    Parameters
    ----------
    tokens : pyarrow.StringArray
        The distinct whitespace-separated tokens (Arrow's split also gives empty ones).
    drop_quote_marks : bool
        Remove double quotation marks from the tokens first (see
        :func:`analysis.sentiment.scoring.without_quote_marks`; they are never whitespace, so
        removing them from the text removes them from its tokens).

    Attributes
    ----------
    word : ndarray of int32
        For each token, the index of its nltk word (:func:`nltk_word`).
    bits : ndarray of uint16
        For each token, its flags (``IN_LEXICON`` ... ``MARK``); a dropped token has only
        ``DROPPED``, ``EMPTY`` and ``MARK``.
    valence, booster : ndarray of float64
        For each word, its lexicon value and booster/dampener value (0 when none).
    phrase : ndarray of int16
        For each token, the code of its word among the words of nltk's multi-word idioms and
        boosters (:func:`_phrase_words`), 0 if none.
    """

    def __init__(self, tokens: pa.Array, drop_quote_marks: bool = False):
        empty = pc.utf8_length(tokens).to_numpy(zero_copy_only=False) == 0
        marks = pc.match_substring_regex(tokens, "[!?]").to_numpy(zero_copy_only=False)
        if drop_quote_marks:
            tokens = pc.replace_substring_regex(tokens, f"[{DOUBLE_QUOTE_MARKS}]", "")
        encoded = pc.dictionary_encode(_nltk_words(tokens))
        self.word = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
        words = encoded.dictionary
        word_bits = _word_bits(words)
        phrase = _lookup(words, _phrase_words(), np.int16)
        word_bits |= np.where(phrase != 0, PHRASE, 0)
        self.valence = np.zeros(len(words))
        self.booster = np.zeros(len(words))
        special = np.flatnonzero(word_bits & (IN_LEXICON | BOOSTER))
        lexicon, boosters = analyzer().lexicon, VaderConstants.BOOSTER_DICT
        for k, word in zip(special.tolist(), words.take(special).to_pylist()):
            low = word.lower()
            self.valence[k] = lexicon.get(low, 0.0)
            self.booster[k] = boosters.get(low, 0.0)

        dropped = pc.utf8_length(tokens).to_numpy(zero_copy_only=False) < 2
        bits = np.where(dropped, DROPPED, word_bits[self.word])
        bits |= np.where(empty, EMPTY, 0) | np.where(marks, MARK, 0)
        self.bits = bits.astype(np.uint16)
        self.phrase = np.where(dropped, 0, phrase[self.word]).astype(np.int16)


def _lookup(strings: pa.Array, table: dict, dtype) -> np.ndarray:
    """``table.get(string, 0)`` for every string (exact match), as an array of ``dtype``."""
    keys = pa.array(list(table), type=strings.type)
    values = np.append(np.fromiter(table.values(), dtype=dtype, count=len(table)), 0)
    found = pc.index_in(strings, value_set=keys).fill_null(-1)
    return values[found.to_numpy(zero_copy_only=False)]


def _word_bits(words: pa.Array) -> np.ndarray:
    """The flags of every word: Arrow kernels for ASCII words, Python for the others.

    ``ascii_lower`` and ``ascii_is_upper`` are ``str.lower`` and ``str.isupper`` on ASCII
    text; other words are lower-cased and tested by Python itself (``"İ".lower()`` has two
    characters, the Kelvin sign lower-cases to "k", ...).
    """
    lower = pc.ascii_lower(words)
    bits = _lookup(lower, _lower_bits(), np.int32)
    bits |= np.where(pc.match_substring(lower, "n't").to_numpy(zero_copy_only=False), NEGATION, 0)
    bits |= np.where(pc.ascii_is_upper(words).to_numpy(zero_copy_only=False), UPPER, 0)
    bits |= _lookup(words, _EXACT_WORDS, np.int32)
    other = np.flatnonzero(~pc.string_is_ascii(words).to_numpy(zero_copy_only=False))
    table = _lower_bits()
    for k, word in zip(other.tolist(), words.take(other).to_pylist()):
        low = word.lower()
        flags = table.get(low, 0) | _EXACT_WORDS.get(word, 0)
        flags |= NEGATION if "n't" in low else 0
        bits[k] = flags | (UPPER if word.isupper() else 0)
    return bits


@functools.lru_cache(maxsize=1)
def _lower_bits() -> dict[str, int]:
    """The flags a lower-cased word carries by itself (lexicon, booster, negation, ...)."""
    bits: dict[str, int] = {}
    for words, flag in (
        (analyzer().lexicon, IN_LEXICON),
        (VaderConstants.BOOSTER_DICT, BOOSTER),
        (VaderConstants.NEGATE, NEGATION),
    ):
        for word in words:
            bits[word] = bits.get(word, 0) | flag
    for word, flag in _LOWER_WORDS.items():
        bits[word] = bits.get(word, 0) | flag
    return bits


@functools.lru_cache(maxsize=1)
def _phrase_words() -> dict[str, int]:
    """1-based codes for the words of nltk's multi-word idioms and boosters (exact case)."""
    phrases = list(VaderConstants.SPECIAL_CASE_IDIOMS)
    phrases += [key for key in VaderConstants.BOOSTER_DICT if " " in key]
    words = sorted({word for phrase in phrases for word in phrase.split(" ")})
    return {word: k + 1 for k, word in enumerate(words)}


def _phrase_codes(phrase: str) -> tuple[int, ...]:
    codes = _phrase_words()
    return tuple(codes[word] for word in phrase.split(" "))


def _context(at, first, stop, raw, bits) -> dict[int, np.ndarray]:
    """Positions of the words around each lexicon word, skipping the tokens nltk drops.

    Parameters
    ----------
    at : ndarray of int64
        Token positions (into ``raw``) of lexicon words.
    first, stop : ndarray of int64
        The token range of each one's sentence.
    raw : ndarray of int32
        The distinct-token index of every token, all texts end to end.
    bits : ndarray of uint16
        The flags of every distinct token (:class:`_Vocabulary`).

    Returns
    -------
    dict of ndarray
        For each offset of :data:`_CONTEXT` (in words), the token position of that word, or
        -1 where the sentence has no such word. The words after are looked for only where
        a rule reads them: after "kind" ("kind of") and after a word of an idiom.
    """
    context = {0: at}
    ahead = np.flatnonzero(bits[raw[at]] & (KIND | PHRASE))
    for step, offsets, rows in ((-1, (-1, -2, -3), None), (1, (1, 2), ahead)):
        position = at.copy() if rows is None else at[rows]
        limit = first if rows is None else stop[rows] - 1
        inside = np.ones(len(position), dtype=bool)
        for offset in offsets:
            position += step
            inside &= (position - limit) * step <= 0
            moving = np.flatnonzero(inside)
            while len(moving):
                moving = moving[(bits[raw[position[moving]]] & DROPPED) != 0]
                position[moving] += step
                within = (position[moving] - limit[moving]) * step <= 0
                inside[moving] = within
                moving = moving[within]
            found = np.where(inside, position, -1)
            if rows is None:
                context[offset] = found
            else:
                context[offset] = np.full(len(at), -1, dtype=found.dtype)
                context[offset][rows] = found
    return context


def _valences(context, raw, vocabulary, cap_differential) -> np.ndarray:
    """nltk's ``sentiment_valence`` for lexicon words, before the "but" rule.

    Parameters
    ----------
    context : dict of ndarray
        :func:`_context` of the lexicon words (each the first occurrence of its word in its
        sentence: nltk scores every occurrence at the first one's place).
    raw : ndarray of int32
        The distinct-token index of every token.
    vocabulary : _Vocabulary
    cap_differential : ndarray of bool
        nltk's ``is_cap_diff`` of each word's sentence.

    Returns
    -------
    ndarray of float64
        The value nltk appends to ``sentiments`` for each word.
    """
    c_incr, n_scalar = VaderConstants.C_INCR, VaderConstants.N_SCALAR
    present = {k: context[k] >= 0 for k in _CONTEXT}
    token, bits = {}, {}
    for k in _CONTEXT:
        rows = np.flatnonzero(present[k]) if k != 0 else slice(None)
        token[k] = np.full(len(context[0]), -1, dtype=raw.dtype)
        token[k][rows] = raw[context[k][rows]]
        bits[k] = np.zeros(len(context[0]), dtype=vocabulary.bits.dtype)
        bits[k][rows] = vocabulary.bits[token[k][rows]]

    def has(k, flag):
        return (bits[k] & flag) != 0

    valence = vocabulary.valence[vocabulary.word[token[0]]]
    upper = has(0, UPPER) & cap_differential
    valence = np.where(upper, np.where(valence > 0, valence + c_incr, valence - c_incr), valence)
    never_so = {
        2: has(-2, NEVER) & has(-1, SO_OR_THIS),
        3: (has(-3, NEVER) & has(-2, SO_OR_THIS)) | has(-1, SO_OR_THIS),
    }
    near_phrase = has(-3, PHRASE) | has(-2, PHRASE) | has(-1, PHRASE) | has(0, PHRASE)
    for k, damping, emphasis in ((1, 1.0, 1.0), (2, 0.95, 1.5), (3, 0.9, 1.25)):
        applies = present[-k] & ~has(-k, IN_LEXICON)
        changes = has(-k, BOOSTER | NEGATION)
        if k > 1:
            changes |= never_so[k]
        if k == 3:
            changes |= near_phrase
        rows = np.flatnonzero(applies & changes)
        value = valence[rows]
        before = bits[-k][rows]
        is_booster = (before & BOOSTER) != 0
        scalar = np.where(is_booster, vocabulary.booster[vocabulary.word[token[-k][rows]]], 0.0)
        scalar = np.where(is_booster & (value < 0), -scalar, scalar)
        upper = is_booster & ((before & UPPER) != 0) & cap_differential[rows]
        scalar = np.where(upper, np.where(value > 0, scalar + c_incr, scalar - c_incr), scalar)
        if k > 1:
            scalar = np.where(scalar != 0, scalar * damping, scalar)
        value = value + scalar
        negated = np.where((before & NEGATION) != 0, value * n_scalar, value)
        value = np.where(never_so[k][rows], value * emphasis, negated) if k > 1 else negated
        if k == 3:
            phrase = {
                k: np.where(present[k][rows], vocabulary.phrase[token[k][rows]], 0)
                for k in _CONTEXT
            }
            value = _idioms(value, phrase)
        valence[rows] = value

    least = present[-1] & ~has(-1, IN_LEXICON) & has(-1, LEAST)
    least &= ~present[-2] | ~has(-2, AT_OR_VERY)
    valence = np.where(least, valence * n_scalar, valence)
    skip = has(0, BOOSTER) | (has(0, KIND) & has(1, OF))
    return np.where(skip, 0.0, valence)


def _idioms(valence: np.ndarray, codes: dict[int, np.ndarray]) -> np.ndarray:
    """nltk's ``_idioms_check``, given the phrase codes of the words around each one.

    nltk joins tokens with spaces and looks the strings up, so idioms match exact tokens.
    The first of (-1, 0), (-2, -1, 0), (-2, -1), (-3, -2, -1), (-3, -2) that is an idiom
    sets the valence, then (0, +1) and (0, +1, +2) override it; a booster bigram ("kind of",
    "sort of", "just enough") at (-3, -2) or (-2, -1) adds ``B_DECR``.
    """
    idioms = [
        (_phrase_codes(key), value) for key, value in VaderConstants.SPECIAL_CASE_IDIOMS.items()
    ]

    def idiom(offsets):
        found = np.zeros(len(valence), dtype=bool)
        value = np.zeros(len(valence))
        for key, key_value in idioms:
            if len(key) == len(offsets):
                hit = np.logical_and.reduce([codes[k] == c for k, c in zip(offsets, key)])
                found |= hit
                value = np.where(hit, key_value, value)
        return found, value

    matched = np.zeros(len(valence), dtype=bool)
    result = valence
    for offsets in ((-1, 0), (-2, -1, 0), (-2, -1), (-3, -2, -1), (-3, -2)):
        found, value = idiom(offsets)
        result = np.where(found & ~matched, value, result)
        matched |= found
    for offsets in ((0, 1), (0, 1, 2)):
        found, value = idiom(offsets)
        result = np.where(found, value, result)
    bigram = np.zeros(len(valence), dtype=bool)
    for key in VaderConstants.BOOSTER_DICT:
        if " " in key:
            first, second = _phrase_codes(key)
            for a, b in ((-3, -2), (-2, -1)):
                bigram |= (codes[a] == first) & (codes[b] == second)
    return np.where(bigram, result + VaderConstants.B_DECR, result)


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
        removed (:func:`analysis.sentiment.scoring.without_quote_marks`); a text is blank or
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
