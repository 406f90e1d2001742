"""Many texts tokenized at once, for every feature that counts words (:func:`text_tokens`,
:class:`TextTokens`): lower case, possessives removed, each distinct piece between white
space tokenized once, by Arrow's regex engine where it can (:mod:`.arrow`) and by Python's
otherwise."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.tokens.arrow import (
    _DIGIT_COMMA,
    _ITEM_EDGE,
    _items_by_re2,
    arrow_strings,
    positions_within,
    split_whitespace,
)
from analysis.tokens.words import (
    _IS_MARK,
    _WORD,
    CLAUSE_BREAK,
    PLAIN_TOKEN_PATTERN,
    TOKEN_PATTERN,
    strip_possessives,
)

_TEXT_END = "\x00"


def _item_regex(token: str, word: str) -> re.Pattern[str]:
    """A token, a clause break or a text end. The lookahead names every character an item
    can start with, so the regex engine skips the others quickly (twice as fast); no
    character starts two kinds of item."""
    first = rf"[{word[1:-1]}#@{_TEXT_END};:()\[\]\"“”«»!?…—–,]"
    return re.compile(rf"(?={first})(?:{token}|{CLAUSE_BREAK}|{_TEXT_END})")


_ITEM = _item_regex(TOKEN_PATTERN, _WORD)
_ITEM_WITHOUT_MARKS = _item_regex(PLAIN_TOKEN_PATTERN, r"[\w]")
"""The same items for text without combining marks, where ``\\w`` alone is the word class:
the regex engine tests a class that mixes ``\\w`` with hundreds of ranges slowly."""


def _mark_positions(text: str) -> np.ndarray:
    """Where ``text`` has a combining mark (a table lookup per character: faster than a
    regex of the marks' ranges)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    return np.flatnonzero(_IS_MARK[codes])


def _texts_with_marks(texts: list[str]) -> np.ndarray:
    """The positions of the texts holding a combining mark (any text, lone surrogates too)."""
    return np.flatnonzero([len(_mark_positions(t)) > 0 for t in texts])


def _find_items(joined: str, starts: np.ndarray) -> list[str]:
    """``_ITEM.findall(joined)``, faster: the texts (``joined[starts[k]:starts[k + 1]]``,
    each with its end) without a combining mark are searched with the plain word class."""
    marked = np.unique(np.searchsorted(starts, _mark_positions(joined), side="right") - 1)
    if not len(marked):
        return _ITEM_WITHOUT_MARKS.findall(joined)
    items: list[str] = []
    done = 0
    for k in marked:
        start, end = int(starts[k]), int(starts[k + 1]) if k + 1 < len(starts) else len(joined)
        items += _ITEM_WITHOUT_MARKS.findall(joined, done, start)
        items += _ITEM.findall(joined, start, end)
        done = end
    items += _ITEM_WITHOUT_MARKS.findall(joined, done)
    return items


@dataclass
class TextTokens:
    """The tokens of many texts (sentences), lower case, possessives removed, tokenized once
    for every feature that counts words (frame dictionaries, distinctive words).

    ``codes[i]`` is token ``i``'s index into ``vocabulary`` (distinct tokens, in order of
    first appearance); ``text_of[i]`` the index of its text; ``clause_of[i]`` a number that
    changes between two tokens exactly when a text ends or a :data:`CLAUSE_BREAK` lies
    between them. Tokens are in text order. :meth:`lowered` gives a text as tokenized.
    """

    codes: np.ndarray
    vocabulary: np.ndarray
    text_of: np.ndarray
    clause_of: np.ndarray
    with_marks: np.ndarray
    """The texts holding a combining mark (where a word may start inside a token)."""
    originals: list | pa.Array
    """The texts as given (anything not a string as None or null)."""
    split: tuple[np.ndarray, np.ndarray, pa.Array] | None = None
    """:func:`split_whitespace` of the texts (None when they were tokenized whole), which
    the VADER scorer shares."""

    @property
    def n_texts(self) -> int:
        return len(self.originals)

    def lowered(self, row: int) -> str:
        """Text ``row`` as tokenized: lower case, without possessive ``'s``."""
        text = self.originals[row]
        text = text.as_py() if isinstance(text, pa.Scalar) else text
        return strip_possessives(text.lower()) if isinstance(text, str) else ""

    @property
    def per_text(self) -> np.ndarray:
        """Number of tokens of each text."""
        return np.bincount(self.text_of, minlength=self.n_texts).astype(np.int64)


def _items_by_python(lowered: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_items_by_re2` by Python's regex engine, for any text."""
    if any(_TEXT_END in t for t in lowered):
        items = [
            item for t in lowered for item in [*_ITEM.findall(t.replace(_TEXT_END, " ")), _TEXT_END]
        ]
    else:
        joined = _TEXT_END.join(lowered)
        lengths = np.fromiter(map(len, lowered), np.int64, len(lowered))
        starts = np.concatenate([[0], np.cumsum(lengths[:-1] + 1)])
        items = _find_items(joined, starts)
        items.append(_TEXT_END)
    try:  # Arrow numbers them faster, but cannot hold a lone surrogate
        encoded = pc.dictionary_encode(pa.array(items, pa.string()))
        codes = encoded.indices.to_numpy()
        strings = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    except UnicodeEncodeError:
        codes, strings = pd.factorize(np.asarray(items, dtype=object))
        strings = np.asarray(strings, dtype=object)
    ends = codes == codes[-1]  # the last item is a text end
    text_of = np.cumsum(ends) - ends  # an item's text: the ends before it
    return codes[~ends], strings, text_of[~ends]


def _lowered_items(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The items (tokens and clause breaks) of each text once lower-cased and stripped of
    possessives: the number of each item's string, those strings (a comma between digits
    as ``_DIGIT_COMMA`` on the RE2 path), each item's text, and the texts holding a
    combining mark.

    The texts are joined with NUL characters, lower-cased and stripped of possessives in
    one pass each, and their items found by Arrow's regex engine (:data:`_RE2_ITEM`, which
    finds what :data:`TOKEN_PATTERN` and :data:`CLAUSE_BREAK` find); texts holding a NUL,
    ``\\x01``, ``\\x02`` or a lone surrogate are tokenized with Python's engine instead.
    Both give the same items (tested on every code point and on generated texts).
    """
    joined = _TEXT_END.join(texts)
    plain = (
        joined.count(_TEXT_END) == len(texts) - 1
        and _DIGIT_COMMA not in joined
        and _ITEM_EDGE not in joined
    )
    if plain:
        lowered = strip_possessives(joined.lower()).split(_TEXT_END)
        try:
            return _items_by_re2(lowered)
        except UnicodeEncodeError:
            pass
    else:
        lowered = [strip_possessives(t.lower()) for t in texts]
    codes, strings, text_of = _items_by_python(lowered)
    return codes, strings, text_of, _texts_with_marks(lowered)


def text_tokens(texts) -> TextTokens:
    """Tokenize many texts at once: see :class:`TextTokens`.

    No token or clause break holds white space, and lower-casing and stripping possessives
    look no further than the next white space, so a text's items are those of its pieces
    between white space (:func:`split_whitespace`), one after another. Each distinct piece
    is tokenized once (:func:`_lowered_items`), and its items are repeated wherever it
    occurs (the sentences of 1,000 news articles have about 12 times fewer distinct pieces
    than pieces). Texts that Arrow cannot hold (a lone surrogate) are tokenized whole; both
    ways give the same tokens (tested on generated texts).

    Examples
    --------
    >>> found = text_tokens(["Pakistan's PM: no.", "Yes"])
    >>> [str(found.vocabulary[c]) for c in found.codes], found.text_of.tolist()
    (['pakistan', 'pm', 'no', 'yes'], [0, 0, 0, 1])
    >>> found.clause_of.tolist()  # the colon ends a clause
    [0, 0, 1, 2]
    """
    arrow = _arrow_texts(texts)
    if arrow is None:
        listed = texts.tolist() if isinstance(texts, pd.Series) else list(texts)
        listed = ["" if not isinstance(t, str) else t for t in listed]
        codes, strings, text_of, with_marks = _lowered_items(listed)
        return _text_tokens_of_items(codes, strings, text_of, with_marks, listed)
    occurrences, offsets, pieces = split_whitespace(arrow)
    item_codes, strings, item_piece, marked_pieces = _lowered_items(pieces.to_pylist())
    # the items of every occurrence of every piece, in text order
    per_piece = np.bincount(item_piece, minlength=len(pieces))
    first_item = np.cumsum(per_piece) - per_piece
    count = per_piece[occurrences]
    codes = item_codes[np.repeat(first_item[occurrences], count) + positions_within(count)]
    text_of_occurrence = np.repeat(np.arange(len(arrow)), np.diff(offsets))
    text_of = np.repeat(text_of_occurrence, count)
    has_mark = np.zeros(len(pieces), dtype=bool)
    has_mark[marked_pieces] = True
    with_marks = np.unique(text_of_occurrence[has_mark[occurrences]])
    found = _text_tokens_of_items(codes, strings, text_of, with_marks, arrow)
    found.split = (occurrences, offsets, pieces)
    return found


def _arrow_texts(texts) -> pa.Array | None:
    """The texts as an Arrow string array (:func:`arrow_strings` when they are stored so;
    anything not a string as null); None when one cannot be encoded (a lone surrogate)."""
    array = arrow_strings(texts)
    if array is not None:
        return array
    listed = texts.tolist() if isinstance(texts, pd.Series) else list(texts)
    try:
        return pa.array([t if isinstance(t, str) else None for t in listed], pa.string())
    except UnicodeEncodeError:
        return None


def _text_tokens_of_items(
    codes: np.ndarray,
    strings: np.ndarray,
    text_of: np.ndarray,
    with_marks: np.ndarray,
    originals,
) -> TextTokens:
    """:class:`TextTokens` from the items of every text, in text order (see
    :func:`_lowered_items`)."""
    used = np.bincount(codes, minlength=len(strings)) > 0
    is_break = np.zeros(len(strings), dtype=bool)
    at = np.flatnonzero(used)
    is_break[at] = np.fromiter(
        (_BREAK.fullmatch(u) is not None for u in strings[at]), bool, len(at)
    )
    is_token = (used & ~is_break)[codes]
    # a clause ends at a break and at the end of a text
    clause_of = np.cumsum(~is_token) + text_of
    # the tokens numbered in order of first appearance
    renumbered, first = pd.factorize(codes[is_token], sort=False)
    vocabulary = np.asarray(
        [v.replace(_DIGIT_COMMA, ",") for v in strings[np.asarray(first)]], dtype=object
    )
    return TextTokens(
        codes=renumbered.astype(np.int64),
        vocabulary=vocabulary,
        text_of=text_of[is_token].astype(np.int64),
        clause_of=clause_of[is_token].astype(np.int64),
        with_marks=with_marks.astype(np.int64),
        originals=originals,
    )


_BREAK = re.compile(CLAUSE_BREAK)
