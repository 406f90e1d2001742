"""nltk's VADER scores for many sentences at once, as array operations.

:func:`polarity_table` gives, for every text, exactly the ``neg, neu, pos, compound`` that
nltk's ``SentimentIntensityAnalyzer.polarity_scores`` gives (float equality after nltk's own
rounding), with nltk's quirks, but scores all texts together instead of one by one:

* tokens: all texts are split on whitespace at once (Arrow's ``utf8_split_whitespace``, which
  splits on the same characters as Python's ``str.split()``), and each *distinct* token is
  mapped once to nltk's word (one punctuation mark or PUNC_LIST run stripped from one side),
  lower-cased once and looked up in the lexicon and word lists once;
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

from analysis.sentiment.scoring import SCORE_COLUMNS, analyzer

BATCH = 1_000_000
"""Texts scored together at most (bounds the memory of the token arrays)."""
_PUNCTUATION = frozenset(string.punctuation)
"""Characters nltk's ``REGEX_REMOVE_PUNCTUATION`` removes."""

IN_LEXICON, BOOSTER, UPPER, NEGATION, KIND, OF, LEAST, AT_OR_VERY, BUT, NEVER, SO_OR_THIS = (
    1 << bit for bit in range(11)
)
_LOWER_WORDS = {
    "kind": KIND,
    "of": OF,
    "least": LEAST,
    "at": AT_OR_VERY,
    "very": AT_OR_VERY,
    "but": BUT,
}
_EXACT_WORDS = {"never": NEVER, "so": SO_OR_THIS, "this": SO_OR_THIS}


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
    """:func:`nltk_word` of every token, with two anchored RE2 replacements."""
    marks = sorted(VaderConstants.PUNC_LIST, key=len, reverse=True)
    either = "|".join(re.escape(mark) for mark in marks)
    word = f"[^{_PUNCTUATION_CLASS}]{{2,}}"
    tokens = pc.replace_substring_regex(tokens, f"^(?:{either})({word})$", r"\1")
    return pc.replace_substring_regex(tokens, f"^({word})(?:{either})$", r"\1")


def _vocabulary(raw_words: pa.Array) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """nltk's word and its attributes for each distinct token.

    Parameters
    ----------
    raw_words : pyarrow.StringArray
        The distinct whitespace-separated tokens.

    Returns
    -------
    raw_to_word : ndarray of int32
        For each token, the index of its nltk word, or -1 for a token shorter than two
        characters (nltk drops those).
    raw_marks : ndarray of bool
        Whether the token holds a "!" or a "?".
    features : dict of ndarray
        Per word: ``bits`` (the flag constants of this module, from the lower-cased word
        except ``UPPER``, ``NEVER`` and ``SO_OR_THIS``), ``valence`` (lexicon value, 0 if
        absent), ``booster`` (booster/dampener value, 0 if none) and ``phrase`` (1 + the index
        of the word among the words of nltk's multi-word idioms and boosters, 0 if none).
    """
    scorer = analyzer()
    lexicon, boosters = scorer.lexicon, VaderConstants.BOOSTER_DICT
    raw_marks = pc.count_substring_regex(raw_words, r"[!?]").to_numpy(zero_copy_only=False) > 0
    encoded = pc.dictionary_encode(_nltk_words(raw_words))
    raw_to_word = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
    raw_to_word[pc.utf8_length(raw_words).to_numpy(zero_copy_only=False) < 2] = -1
    words = encoded.dictionary.to_pylist()
    lower = [word.lower() for word in words]

    bits = np.fromiter((_lower_bits().get(low, 0) for low in lower), np.int32, len(words))
    bits |= np.fromiter(("n't" in low for low in lower), bool, len(words)) * NEGATION
    bits |= np.fromiter((word.isupper() for word in words), bool, len(words)) * UPPER
    bits |= np.fromiter((_EXACT_WORDS.get(word, 0) for word in words), np.int32, len(words))
    phrase_words = _phrase_words()
    phrase = np.fromiter((phrase_words.get(word, 0) for word in words), np.int16, len(words))
    valence = np.zeros(len(words))
    booster = np.zeros(len(words))
    for k in np.flatnonzero(bits & (IN_LEXICON | BOOSTER)).tolist():
        valence[k] = lexicon.get(lower[k], 0.0)
        booster[k] = boosters.get(lower[k], 0.0)
    features = {"bits": bits, "valence": valence, "booster": booster, "phrase": phrase}
    return raw_to_word, raw_marks, features


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


def _phrase_words() -> dict[str, int]:
    """1-based codes for the words of nltk's multi-word idioms and boosters (exact case)."""
    constants = analyzer().constants
    phrases = list(constants.SPECIAL_CASE_IDIOMS) + [
        key for key in constants.BOOSTER_DICT if " " in key
    ]
    words = sorted({word for phrase in phrases for word in phrase.split(" ")})
    return {word: k + 1 for k, word in enumerate(words)}


def _phrase_codes(phrase: str) -> tuple[int, ...]:
    codes = _phrase_words()
    return tuple(codes[word] for word in phrase.split(" "))


def _valences(at, sentence, position, n_words, word, features, cap_differential):
    """nltk's ``sentiment_valence`` for the lexicon words at flat positions ``at``.

    Parameters
    ----------
    at : ndarray of int64
        Flat positions (into ``word``) of lexicon words, each the first occurrence of its
        word in its sentence.
    sentence, position : ndarray of int64
        The sentence of each position in ``at`` and its position in that sentence.
    n_words : ndarray of int64
        Number of words of every sentence.
    word : ndarray of int64
        The word index of every token, all sentences end to end.
    features : dict of ndarray
        See :func:`_vocabulary`.
    cap_differential : ndarray of bool
        nltk's ``is_cap_diff`` for every sentence.

    Returns
    -------
    ndarray of float64
        The valence appended to ``sentiments`` for each position (before the "but" rule).
    """
    constants = analyzer().constants
    bits, booster, phrase = features["bits"], features["booster"], features["phrase"]
    c_incr, n_scalar = constants.C_INCR, constants.N_SCALAR
    last = len(word) - 1
    own = word[at]
    own_bits = bits[own]
    cap = cap_differential[sentence]
    before = {}
    for k in (1, 2, 3):
        w = word[np.maximum(at - k, 0)]
        before[k] = (w, np.where(position >= k, bits[w], 0))
    has_next = position + 1 < n_words[sentence]
    next_bits = np.where(has_next, bits[word[np.minimum(at + 1, last)]], 0)

    valence = features["valence"][own]
    upper = ((own_bits & UPPER) != 0) & cap
    valence = np.where(upper, np.where(valence > 0, valence + c_incr, valence - c_incr), valence)
    for k, damping in ((1, None), (2, 0.95), (3, 0.9)):
        w, w_bits = before[k]
        applies = (position >= k) & ((w_bits & IN_LEXICON) == 0)
        is_booster = (w_bits & BOOSTER) != 0
        scalar = np.where(is_booster, booster[w], 0.0)
        scalar = np.where(is_booster & (valence < 0), -scalar, scalar)
        upper = is_booster & ((w_bits & UPPER) != 0) & cap
        scalar = np.where(upper, np.where(valence > 0, scalar + c_incr, scalar - c_incr), scalar)
        if damping is not None:
            scalar = np.where(scalar != 0, scalar * damping, scalar)
        new = valence + scalar
        negated = (w_bits & NEGATION) != 0
        if k == 1:
            new = np.where(negated, new * n_scalar, new)
        elif k == 2:
            never_so = ((w_bits & NEVER) != 0) & ((before[1][1] & SO_OR_THIS) != 0)
            new = np.where(never_so, new * 1.5, np.where(negated, new * n_scalar, new))
        else:
            never_so = ((w_bits & NEVER) != 0) & ((before[2][1] & SO_OR_THIS) != 0)
            never_so |= (before[1][1] & SO_OR_THIS) != 0
            new = np.where(never_so, new * 1.25, np.where(negated, new * n_scalar, new))
            new = _idioms(new, applies, at, position, n_words[sentence], word, phrase)
        valence = np.where(applies, new, valence)

    b1, b2 = before[1][1], before[2][1]
    least = (position >= 1) & ((b1 & IN_LEXICON) == 0) & ((b1 & LEAST) != 0)
    least &= (position == 1) | ((b2 & AT_OR_VERY) == 0)
    valence = np.where(least, valence * n_scalar, valence)

    skip = ((own_bits & BOOSTER) != 0) | (((own_bits & KIND) != 0) & ((next_bits & OF) != 0))
    return np.where(skip, 0.0, valence)


def _idioms(valence, applies, at, position, n_words, word, phrase):
    """nltk's ``_idioms_check`` where ``applies`` (a word 3+ places in, after a non-lexicon word).

    The idiom strings are matched on exact tokens, as nltk joins them with spaces: the first
    of (-1, 0), (-2, -1, 0), (-2, -1), (-3, -2, -1), (-3, -2) that is an idiom sets the
    valence, then (0, +1) and (0, +1, +2) override it; a booster bigram at (-3, -2) or
    (-2, -1) adds ``B_DECR``.
    """
    constants = analyzer().constants
    last = len(word) - 1
    codes = {}
    for k in (-3, -2, -1, 0, 1, 2):
        w = phrase[word[np.clip(at + k, 0, last)]]
        codes[k] = np.where(position + k < n_words, w, 0) if k > 0 else w
    near = applies & np.any([codes[k] != 0 for k in codes], axis=0)
    if not near.any():
        return valence
    rows = np.flatnonzero(near)
    sub = {k: codes[k][rows] for k in codes}
    idioms = [(_phrase_codes(key), value) for key, value in constants.SPECIAL_CASE_IDIOMS.items()]

    def matched(offsets):
        found = np.zeros(len(rows), dtype=bool)
        value = np.zeros(len(rows))
        for key, key_value in idioms:
            if len(key) == len(offsets):
                hit = np.logical_and.reduce([sub[k] == c for k, c in zip(offsets, key)])
                found |= hit
                value = np.where(hit, key_value, value)
        return found, value

    result = valence[rows]
    first = np.zeros(len(rows), dtype=bool)
    first_value = np.zeros(len(rows))
    for offsets in ((-1, 0), (-2, -1, 0), (-2, -1), (-3, -2, -1), (-3, -2)):
        found, value = matched(offsets)
        first_value = np.where(found & ~first, value, first_value)
        first |= found
    result = np.where(first, first_value, result)
    for offsets in ((0, 1), (0, 1, 2)):
        found, value = matched(offsets)
        result = np.where(found, value, result)
    bigrams = [_phrase_codes(key) for key in constants.BOOSTER_DICT if " " in key]
    booster_bigram = np.zeros(len(rows), dtype=bool)
    for first_code, second_code in bigrams:
        for a, b in ((-3, -2), (-2, -1)):
            booster_bigram |= (sub[a] == first_code) & (sub[b] == second_code)
    result = np.where(booster_bigram, result + constants.B_DECR, result)
    out = valence.copy()
    out[rows] = result
    return out


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


def _score_arrow(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Scores of an Arrow string array.

    Returns
    -------
    blank : ndarray of bool
        The texts without any token (null, empty or only whitespace).
    scores : ndarray of float64
        One row ``neg, neu, pos, compound`` per text (0 for blank texts).
    """
    n_sentences = len(texts)
    split = pc.utf8_split_whitespace(texts)
    token_offsets = split.offsets.to_numpy(zero_copy_only=False)
    token_offsets = token_offsets - token_offsets[0]
    blank = np.diff(token_offsets) == 0
    encoded = pc.dictionary_encode(split.flatten())
    raw_to_word, raw_marks, features = _vocabulary(encoded.dictionary)
    raw = encoded.indices.to_numpy(zero_copy_only=False)

    marks = np.flatnonzero(raw_marks[raw])
    emphasis = _emphasis(
        texts, np.searchsorted(token_offsets, marks, side="right") - 1, n_sentences
    )

    word = raw_to_word[raw]
    kept = word >= 0
    dropped = np.searchsorted(token_offsets, np.flatnonzero(~kept), side="right") - 1
    word = word[kept]
    n_words = np.diff(token_offsets) - np.bincount(dropped, minlength=n_sentences)
    first_word = np.cumsum(n_words) - n_words
    sentence = np.repeat(np.arange(n_sentences, dtype=np.int32), n_words)

    token_bits = features["bits"][word]
    chosen = np.flatnonzero(token_bits & (IN_LEXICON | UPPER | BUT))
    chosen_bits = token_bits[chosen]
    upper = chosen[(chosen_bits & UPPER) != 0]
    n_upper = np.bincount(sentence[upper], minlength=n_sentences)
    cap_differential = (n_upper > 0) & (n_upper < n_words)

    at = chosen[(chosen_bits & IN_LEXICON) != 0]
    at_sentence = sentence[at]
    occurrence, _ = pd.factorize(at_sentence * np.int64(len(features["bits"])) + word[at])
    seen = np.maximum.accumulate(occurrence)
    first = np.r_[True, occurrence[1:] > seen[:-1]]
    first_at = at[first]
    first_sentence = at_sentence[first]
    valence = _valences(
        first_at,
        first_sentence,
        first_at - first_word[first_sentence],
        n_words,
        word,
        features,
        cap_differential,
    )[occurrence]

    buts = chosen[(chosen_bits & BUT) != 0]
    if len(buts):
        but_sentence = sentence[buts]
        leading = np.r_[True, but_sentence[1:] != but_sentence[:-1]]
        first_but = np.full(n_sentences, -1, dtype=np.int64)
        first_but[but_sentence[leading]] = buts[leading]
        but_at = first_but[at_sentence]
        before = (but_at >= 0) & (at < but_at)
        after = (but_at >= 0) & (at > but_at)
        valence = np.where(before, valence * 0.5, np.where(after, valence * 1.5, valence))

    nonzero = valence != 0
    total, positive, negative = _sums_in_order(at_sentence[nonzero], valence[nonzero], n_sentences)
    neutral = n_words - np.bincount(at_sentence[nonzero], minlength=n_sentences)
    return blank, _scores(total, positive, negative, neutral, emphasis)


def _emphasis(texts: pa.Array, owners: np.ndarray, n_sentences: int) -> np.ndarray:
    """nltk's ``_punctuation_emphasis`` of each text.

    ``owners`` names, for every token holding a "!" or "?", its text; only those tokens are
    searched.
    """
    rows = np.unique(owners)
    bangs = np.zeros(n_sentences, dtype=np.int64)
    questions = np.zeros(n_sentences, dtype=np.int64)
    if len(rows):
        some = texts.take(pa.array(rows))
        bangs[rows] = pc.count_substring(some, "!").to_numpy(zero_copy_only=False)
        questions[rows] = pc.count_substring(some, "?").to_numpy(zero_copy_only=False)
    emphasis = np.minimum(bangs, 4) * 0.292
    return emphasis + np.where(questions > 3, 0.96, np.where(questions > 1, questions * 0.18, 0))


def _scores(total, positive, negative, neutral, emphasis) -> np.ndarray:
    """nltk's ``score_valence`` from the per-sentence sums, rounded as nltk rounds."""
    total = np.where(total > 0, total + emphasis, np.where(total < 0, total - emphasis, total))
    compound = total / np.sqrt(total * total + 15)
    magnitude = np.abs(negative)
    positive_first = positive > magnitude
    negative_first = positive < magnitude
    positive = np.where(positive_first, positive + emphasis, positive)
    negative = np.where(negative_first, negative - emphasis, negative)
    with np.errstate(invalid="ignore", divide="ignore"):
        all_words = positive + np.abs(negative) + neutral
        shares = [np.abs(negative / all_words), np.abs(neutral / all_words)]
        shares.append(np.abs(positive / all_words))
    scores = np.column_stack([python_round(s, 3) for s in shares] + [python_round(compound, 4)])
    scores[all_words == 0] = 0.0
    return scores


def polarity_table(texts) -> pd.DataFrame:
    """nltk's VADER scores for many texts, computed together.

    Parameters
    ----------
    texts : iterable of str
        One sentence each (VADER is meant for sentences). Anything that is not a string, and
        blank strings, score NaN.

    Returns
    -------
    DataFrame
        One row per text, in order, with float64 columns ``neg, neu, pos, compound``: for
        every string, exactly the values of nltk's ``polarity_scores``.

    >>> polarity_table(["VADER is smart, handsome, and funny.", "", None]).to_dict("list")
    {'neg': [0.0, nan, nan], 'neu': [0.254, nan, nan], 'pos': [0.746, nan, nan], \
'compound': [0.8316, nan, nan]}
    """
    texts = [text if isinstance(text, str) else None for text in texts]
    scores = np.full((len(texts), len(SCORE_COLUMNS)), np.nan)
    score = analyzer().polarity_scores
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        try:
            array = pa.array(batch, type=pa.large_string())
        except (pa.ArrowInvalid, UnicodeEncodeError):
            unencodable = [k for k, text in enumerate(batch) if text and not _utf8(text)]
            batch = batch.copy()
            for k in unencodable:
                scores[start + k] = pd.Series(score(batch[k]))[SCORE_COLUMNS].to_numpy()
                batch[k] = None
            array = pa.array(batch, type=pa.large_string())
        blank, batch_scores = _score_arrow(array)
        batch_scores[blank] = np.nan
        done = scores[start : start + len(batch)]
        done[:] = np.where(np.isnan(done), batch_scores, done)
    return pd.DataFrame(scores, columns=SCORE_COLUMNS)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
