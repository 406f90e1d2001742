"""The tokenizer: :data:`TOKEN_PATTERN`, the functions that find and count the tokens of
a text (:func:`tokenize`, :func:`token_spans`, :func:`count_words`, ...), the
document-term counts of many (:func:`count_matrix`), and :data:`CLAUSE_BREAK`."""

from __future__ import annotations

import itertools
import re
import unicodedata

import numpy as np
import pandas as pd
from scipy import sparse


def _mark_ranges() -> list[tuple[int, int]]:
    """The code point ranges (first, last) of every combining mark (categories Mn, Mc, Me)."""
    ranges, start, previous = [], None, None
    for code in range(0x110000):
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me"):
            if start is None:
                start = code
            previous = code
        elif start is not None:
            ranges.append((start, previous))
            start = None
    return ranges


_MARK_RANGES = _mark_ranges()
_MARKS = "".join(
    re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in _MARK_RANGES
)
_IS_MARK = np.zeros(0x110000, dtype=bool)
for _first, _last in _MARK_RANGES:
    _IS_MARK[_first : _last + 1] = True
_WORD = rf"[\w{_MARKS}]"
# a word character, or a combining mark: \w alone would cut "हिन्दी" or "مُحَمَّد" at their
# vowel signs, and the lower case of "İ" (i + combining dot) in two
TOKEN_PATTERN = rf"(?:[^\W\d_]\.){{2,}}|[#@]?(?:\d+(?:[.,]\d+)+|{_WORD}+(?:['’\-]{_WORD}+)*)"
"""Regex for one token: dotted initialisms (``U.S.``), numbers with separators, words."""

_TOKEN = re.compile(TOKEN_PATTERN)
PLAIN_TOKEN_PATTERN = TOKEN_PATTERN.replace(_WORD, r"\w")
""":data:`TOKEN_PATTERN` for text without a combining mark, where it finds the same tokens
faster (the regex engine tests a class that mixes ``\\w`` with hundreds of ranges slowly)."""


# "'s" after a letter (not "3.5's"); the lookbehind follows the apostrophe so that the regex
# starts with a character class, which the regex engine scans for quickly (twice as fast)
_POSSESSIVE = re.compile(r"['’](?<=[^\W\d_]['’])s\b", re.IGNORECASE)


def strip_possessives(text: str) -> str:
    """Remove the possessive ``'s`` so that "Facebook's" counts as "facebook".

    Used by the counting features (dictionaries, distinctive words), not by the word counts.
    Contractions such as "it's" and "let's" lose their "'s" too; they are stop words or rare.

    >>> strip_possessives("Facebook's and Pakistan’s users")
    'Facebook and Pakistan users'
    """
    return _POSSESSIVE.sub("", text)


def tokenize(text: str, *, lower: bool = False) -> list[str]:
    """Split ``text`` into word tokens.

    Examples
    --------
    >>> tokenize("Pakistan's PM said 85.5 percent — #HangAyazNizami @Jack!")
    ["Pakistan's", 'PM', 'said', '85.5', 'percent', '#HangAyazNizami', '@Jack']
    """
    if lower:
        text = text.lower()
    return _TOKEN.findall(text)


def token_spans(text: str) -> list[tuple[int, int]]:
    """Character ``(start, end)`` offsets of every token of ``text``."""
    return [m.span() for m in _TOKEN.finditer(text)]


def count_words(text: str) -> int:
    """Number of tokens in ``text`` (the word count used in every summary)."""
    return len(_TOKEN.findall(text))


def count_matrix(texts, *, lower: bool = True) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sparse document-term counts of ``texts`` with this tokenizer.

    Tokens are found by the regular expression (in C) and numbered with
    :func:`pandas.factorize` over all tokens at once, so no Python code runs per token.

    Returns
    -------
    counts : scipy.sparse.csr_matrix
        (texts x terms) token counts, int64.
    vocabulary : numpy.ndarray of str
        The term of each column, sorted.
    """
    found = [_TOKEN.findall(t.lower() if lower else t) for t in texts]
    lengths = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(found))
    flat = np.fromiter(itertools.chain.from_iterable(found), dtype=object, count=lengths.sum())
    codes, vocabulary = pd.factorize(flat, sort=True)
    rows = np.repeat(np.arange(len(found)), lengths)
    counts = sparse.csr_matrix(
        (np.ones(len(codes), dtype=np.int64), (rows, codes)),
        shape=(len(found), len(vocabulary)),
    )
    counts.sum_duplicates()
    return counts, np.asarray(vocabulary, dtype=object)


CLAUSE_BREAK = r"(?:[;:()\[\]\"“”«»!?…—–]|,(?!\d)|,(?<!\d,))+"
"""Punctuation inside a sentence that bigrams do not cross; a comma between digits
(``33,000``) is part of a number. No token contains one of these characters."""
