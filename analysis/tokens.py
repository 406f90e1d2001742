"""The project's one word tokenizer, used by every feature that counts words.

A token is a run of letters or digits, keeping inner apostrophes and hyphens
(``don't``, ``co-operation``, ``Pakistan's``), decimal and thousands separators inside
numbers (``3.5``, ``33,000``), and the leading ``#`` or ``@`` of hashtags and handles
(``#HangAyazNizami``, ``@Jack``); dotted initialisms keep their dots (``U.S.``).
Punctuation and emoji are not tokens. Matching is Unicode-aware (``\\w``), so accented
and non-Latin letters are kept. Case is kept; features that want lower case call
:func:`tokenize` with ``lower=True``.

This is a regular expression, not a trained model: it needs no download, runs the
same everywhere, and gives character offsets, so a token can always be traced back
to the cleaned text.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
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


def count_words_many(texts) -> np.ndarray:
    """Word counts for an iterable of strings, as an integer array."""
    return np.fromiter((count_words(t) for t in texts), dtype=np.int64)


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


# The same items for Arrow's regex engine (RE2, a DFA: about 3 times faster than Python's
# backtracking engine here), which has no lookaround and whose \w and \d are ASCII only: the
# classes are Python's own, listed code point by code point, and a comma between two digits,
# which is not a clause break, is first replaced by _DIGIT_COMMA (numbers accept it too).
_DIGIT_COMMA = "\x01"
_ITEM_EDGE = "\x02"
"""Put around every item by the regex; with _DIGIT_COMMA and NUL, characters a text must not
hold for the RE2 path (such texts take the Python path)."""


def _re2_classes() -> tuple[str, str, str]:
    r"""Python's word (with the combining marks), letter and digit classes as RE2 classes of
    ``\x{...}`` ranges: the code points Python's regex engine matches, found by running it
    over every code point once (surrogates, which no class holds, as spaces)."""
    codes = np.arange(0x110000)
    every = np.where((codes >= 0xD800) & (codes < 0xE000), 0x20, codes)
    every = every.astype("<u4").tobytes().decode("utf-32-le")

    def as_re2(python_class: str, extra=()) -> str:
        found = [(m.start(), m.end() - 1) for m in re.finditer(python_class + "+", every)]
        merged: list[list[int]] = []
        for first, last in sorted([*found, *extra]):
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        ranges = (rf"\x{{{a:x}}}" + (rf"-\x{{{b:x}}}" if b > a else "") for a, b in merged)
        return "[" + "".join(ranges) + "]"

    return as_re2(r"\w", _MARK_RANGES), as_re2(r"[^\W\d_]"), as_re2(r"\d")


_RE2_WORD, _RE2_LETTER, _RE2_DIGIT = _re2_classes()
_RE2_ITEM = (
    rf"(?:{_RE2_LETTER}\.){{2,}}"
    rf"|[#@]?(?:{_RE2_DIGIT}+(?:[.,{_DIGIT_COMMA}]{_RE2_DIGIT}+)+|{_RE2_WORD}+(?:['’\-]{_RE2_WORD}+)*)"
    r"|[;:()\[\]\"“”«»!?…—–,]+"
)
""":data:`TOKEN_PATTERN` or :data:`CLAUSE_BREAK` (once digit commas are replaced), for RE2."""
_RE2_DIGIT_COMMA = rf"({_RE2_DIGIT}),({_RE2_DIGIT})"
_RE2_MARK = (
    "["
    + "".join(rf"\x{{{a:x}}}" + (rf"-\x{{{b:x}}}" if b > a else "") for a, b in _MARK_RANGES)
    + "]"
)
"""A combining mark (the ranges of :data:`_IS_MARK`), for RE2."""


def has_letter(words: pa.Array) -> np.ndarray:
    """Whether each string holds a letter (Python's ``[^\\W\\d_]``), by Arrow's regex engine.

    >>> has_letter(pa.array(["2017", "covid-19", "état"])).tolist()
    [False, True, True]
    """
    return pc.match_substring_regex(words, _RE2_LETTER).to_numpy(zero_copy_only=False)


def _items_by_re2(
    lowered: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The items (tokens and clause breaks) of each text, by Arrow's RE2: the number of each
    item's string (in order of first appearance among every piece), those strings, each
    item's text, and the texts holding a combining mark. Raises UnicodeEncodeError for a
    lone surrogate."""
    texts = pa.array(lowered, pa.string())
    with_marks = np.flatnonzero(
        pc.match_substring_regex(texts, _RE2_MARK).to_numpy(zero_copy_only=False)
    )
    # one pass is enough: in "a1,2,3" it replaces the first comma only, but the second is
    # inside the number "2,3" whatever it is replaced by
    texts = pc.replace_substring_regex(texts, _RE2_DIGIT_COMMA, rf"\1{_DIGIT_COMMA}\2")
    edged = pc.replace_substring_regex(texts, _RE2_ITEM, rf"{_ITEM_EDGE}\0{_ITEM_EDGE}")
    pieces = pc.split_pattern(edged, _ITEM_EDGE)
    # a text with n items is 2 n + 1 pieces, the items at odd places: and as every text has
    # an odd number of pieces, text t's pieces start at a place of t's parity
    text_of_piece = np.repeat(np.arange(len(lowered)), np.diff(pieces.offsets.to_numpy()))
    is_item = ((np.arange(len(text_of_piece)) + text_of_piece) & 1).astype(bool)
    encoded = pc.dictionary_encode(pieces.values)
    strings = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    return encoded.indices.to_numpy()[is_item], strings, text_of_piece[is_item], with_marks


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


def arrow_strings(texts) -> pa.Array | None:
    """The texts as an Arrow string array, without a copy, when they are a pandas Series (or
    array) of strings stored by Arrow (pandas' ``str`` dtype); None otherwise."""
    values = getattr(texts, "array", texts)
    if not isinstance(values, pd.api.extensions.ExtensionArray) or not hasattr(
        values, "__arrow_array__"
    ):
        return None
    array = pa.array(values)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array
    return None


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


@functools.lru_cache(maxsize=1)
def _other_whitespace() -> str:
    """An RE2 class of the characters ``str.split()`` splits on, besides the space."""
    spaces = [c for c in range(0x3001) if chr(c).isspace() and c != ord(" ")]
    return "[" + "".join(f"\\x{{{c:x}}}" for c in spaces) + "]"


def positions_within(counts: np.ndarray) -> np.ndarray:
    """``0, 1, ..., counts[k] - 1`` for every ``k``, end to end: each element's place in
    its group, for groups of ``counts`` elements laid one after another.

    >>> positions_within(np.array([2, 0, 3])).tolist()
    [0, 1, 0, 1, 2]
    """
    return np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)


def split_whitespace(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """``str.split()`` of every text, as indices into an array of distinct pieces.

    The texts are split at every space (Arrow's ``split_pattern``, which gives an empty
    piece for each extra space); the few distinct pieces that still hold white space (a
    line break, a no-break space, ...) are split by Python and their parts spliced in, an
    empty piece standing for one that is all white space. Null texts have no pieces.

    Returns
    -------
    occurrences : ndarray of int32
        The pieces of all texts end to end, as indices into ``pieces``.
    offsets : ndarray of int64
        Where each text's pieces start in ``occurrences`` (one more than texts).
    pieces : pyarrow.StringArray
        The distinct pieces (a few may occur twice, or not at all in ``occurrences``).
    """
    split = pc.split_pattern(texts, " ")
    offsets = split.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
    offsets -= offsets[0]
    encoded = pc.dictionary_encode(split.flatten())
    raw = encoded.indices.to_numpy(zero_copy_only=False)
    tokens = encoded.dictionary
    spaced = pc.match_substring_regex(tokens, _other_whitespace())
    odd = np.flatnonzero(spaced.to_numpy(zero_copy_only=False))
    if len(odd) == 0:
        return raw, offsets, tokens

    pieces = [token.split() or [""] for token in tokens.take(odd).to_pylist()]
    n_pieces = np.ones(len(tokens), dtype=np.int64)
    n_pieces[odd] = [len(piece) for piece in pieces]
    first_piece = np.zeros(len(tokens), dtype=np.int64)
    first_piece[odd] = len(tokens) + np.cumsum(n_pieces[odd]) - n_pieces[odd]
    count = n_pieces[raw]
    end = np.cumsum(count)
    stream = np.repeat(raw, count)
    at = np.flatnonzero(first_piece[raw])
    repeat = count[at]
    within = positions_within(repeat)
    stream[np.repeat(end[at] - repeat, repeat) + within] = (
        np.repeat(first_piece[raw[at]], repeat) + within
    )
    offsets = np.r_[0, end][offsets]
    pieces = pa.array([piece for parts in pieces for piece in parts], type=tokens.type)
    return stream.astype(np.int32), offsets, pa.concat_arrays([tokens, pieces])


_BREAK = re.compile(CLAUSE_BREAK)
