"""The rules of :mod:`analysis.sentiment.fast`: nltk's ``sentiment_valence`` as array operations.

Valences are computed only where a lexicon word stands, from the flags
(:mod:`analysis.sentiment.fast_words`) of the 1-3 words before it (and 1-2 after, for idioms),
as numpy operations over the flat token array.
"""

from __future__ import annotations

import numpy as np
from nltk.sentiment.vader import VaderConstants

from analysis.sentiment.fast_words import (
    AT_OR_VERY,
    BOOSTER,
    DROPPED,
    IN_LEXICON,
    KIND,
    LEAST,
    NEGATION,
    NEVER,
    OF,
    PHRASE,
    SO_OR_THIS,
    UPPER,
    _phrase_codes,
)

_CONTEXT = (-3, -2, -1, 0, 1, 2)
"""Offsets, in words of the same sentence, that nltk's rules look at around a lexicon word."""


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
