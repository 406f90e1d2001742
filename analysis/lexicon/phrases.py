"""Phrases of a dictionary: the one regular expression that finds them all, longest first
(:func:`_phrase_regex`), the texts where one can start, told from their tokens
(:func:`_phrase_texts`), and the patterns a found phrase matches (:func:`_phrase_lookup`)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.lexicon.model import Dictionary, Pattern
from analysis.tokens import TOKEN_PATTERN, TextTokens

_TOKEN = re.compile(TOKEN_PATTERN)


def _phrase_regex(phrases: list[Pattern]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    alternatives = []
    for pattern in sorted(phrases, key=lambda p: (-len(p.words), -len(p.text))):
        words = [re.escape(w) for w in pattern.words]
        last = words[-1] + (r"[\w'’\-]*" if pattern.wildcard else "")
        # words of a phrase are separated by white space or a hyphen, not by punctuation
        alternatives.append(r"(?:\s+|\s*[-‐–]\s*)".join([*words[:-1], last]))
    # an apostrophe continues a word only between letters ("don't"); next to a phrase it is a
    # single quotation mark (‘freedom of expression’), which does not stop the match
    return re.compile(
        r"(?<![\w\-#@])(?<!\w['’])(?:" + "|".join(alternatives) + r")(?![\w\-]|['’]\w)"
    )


def _phrase_texts(phrases: list[Pattern], tokenized: TextTokens) -> np.ndarray | None:
    """The texts where a phrase can match, from their tokens; None when that cannot be told.

    A phrase match starts where a token starts (the regex's lookbehind allows no word
    character, hyphen, ``#`` or ``@`` before it), and that token is either the phrase's
    first word followed by a token that starts its second word, or that first word joined
    by a hyphen to the next ("freedom-of-expression"). The second word's token is that word
    (the last word's lookahead allows no word character or hyphen after it), the word
    joined by a hyphen to the next, or, for a wildcard last word, a word it begins. A second
    word of digits or of one letter is not trusted to be a token of its own (in "19,000"
    and "u.s." it is not), so its phrase is looked for wherever its first word is. In a text
    with a combining mark a word can start inside a token (after the mark), so such texts
    are always searched.
    """
    first_words = {p.words[0] for p in phrases}
    if any(_TOKEN.fullmatch(word) is None for word in first_words):
        return None
    # a first word -> (second word, may it be followed by more letters); None: any token
    second_words: dict[str, list[tuple[str, bool]] | None] = {}
    for pattern in phrases:
        first, second = pattern.words[0], pattern.words[1]
        own_token = second.isalpha() and len(second) > 1
        if not own_token or second_words.get(first, []) is None:
            second_words[first] = None
        else:
            last_wildcard = pattern.wildcard and len(pattern.words) == 2
            second_words.setdefault(first, []).append((second, last_wildcard))
    vocabulary = tokenized.vocabulary.tolist()
    words = pd.Index(tokenized.vocabulary, dtype=object)
    is_first = np.asarray(words.isin(first_words), dtype=bool)
    hyphen_joined = np.zeros(len(vocabulary), dtype=bool)
    for at in (k for k, word in enumerate(vocabulary) if "-" in word):
        word = vocabulary[at]
        hyphen_joined[at] = any(word[:i] in first_words for i, c in enumerate(word) if c == "-")
    loose = {first for first, allowed in second_words.items() if allowed is None}
    is_loose = np.asarray(words.isin(loose), dtype=bool)
    codes, text_of = tokenized.codes, tokenized.text_of
    found = [text_of[(hyphen_joined | is_loose)[codes]], tokenized.with_marks]
    # a first word and the token after it (in the same text): each distinct pair checked once
    at = np.flatnonzero(is_first[codes[:-1]] & (text_of[:-1] == text_of[1:]))
    pairs, pair_of = np.unique(codes[at] * len(vocabulary) + codes[at + 1], return_inverse=True)

    def can_start(pair: int) -> bool:
        first, after = vocabulary[pair // len(vocabulary)], vocabulary[pair % len(vocabulary)]
        allowed = second_words[first] or []  # None: its texts are already in
        return any(
            after == word or after.startswith(word + "-") or (wildcard and after.startswith(word))
            for word, wildcard in allowed
        )

    starts = np.fromiter(map(can_start, pairs.tolist()), bool, len(pairs))
    found.append(text_of[at[starts[pair_of]]])
    return np.unique(np.concatenate(found))


def _phrase_words(text: str) -> list[str]:
    """The words of a phrase or of its match, split at spaces, hyphens and punctuation, so
    "gun control" and "Gun-control" compare equal."""
    return re.findall(r"[\w'’#@]+", text)


def _phrase_lookup(dictionary: Dictionary, index: dict[str, int]):
    """A function from a matched phrase's words to the (category, pattern) pairs it matches."""
    exact: dict[str, list[tuple[int, Pattern]]] = {}
    wildcards: list[tuple[int, list[str], Pattern]] = []
    for category, patterns in dictionary.categories.items():
        for pattern in patterns:
            if not pattern.is_phrase:
                continue
            parts = _phrase_words(" ".join(pattern.words))
            if pattern.wildcard:
                wildcards.append((index[category], parts, pattern))
            else:
                exact.setdefault(" ".join(parts), []).append((index[category], pattern))

    def lookup(words: str) -> list[tuple[int, Pattern]]:
        found = dict(exact.get(words, ()))
        parts = words.split()
        for category, wanted, pattern in wildcards:
            n = len(wanted)
            if (
                len(parts) >= n
                and parts[: n - 1] == wanted[:-1]
                and parts[n - 1].startswith(wanted[-1])
            ):
                found.setdefault(category, pattern)
        return list(found.items())

    return lookup
