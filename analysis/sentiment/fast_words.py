"""The words of :mod:`analysis.sentiment.fast`: nltk's word and flags for each distinct token.

All texts are split at spaces at once (Arrow; see :func:`analysis.tokens.split_whitespace`),
and each *distinct* token is mapped once to nltk's word (one punctuation mark or PUNC_LIST run
stripped from one side, :func:`nltk_word`), lower-cased once and looked up in the lexicon and
word lists once (:class:`_Vocabulary`): the rules (:mod:`analysis.sentiment.fast_rules`) work
on these flags and values, not on strings.
"""

from __future__ import annotations

import functools
import re
import string

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from nltk.sentiment.vader import VaderConstants

from analysis.sentiment.vader import DOUBLE_QUOTE_MARKS, analyzer

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
        :func:`analysis.sentiment.vader.without_quote_marks`; they are never whitespace, so
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
