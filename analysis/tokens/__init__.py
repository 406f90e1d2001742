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

The code is split by topic: :mod:`.words` (the pattern, and the tokens of one text),
:mod:`.batch` (many texts at once, :func:`text_tokens`) and :mod:`.arrow` (the same items
found by Arrow's regex engine, and texts split at white space). Every name is imported here,
so ``tokens.text_tokens`` and the like work as they always did.
"""

from analysis.tokens.arrow import _RE2_DIGIT as _RE2_DIGIT
from analysis.tokens.arrow import _RE2_LETTER as _RE2_LETTER
from analysis.tokens.arrow import _RE2_MARK as _RE2_MARK
from analysis.tokens.arrow import _RE2_WORD as _RE2_WORD
from analysis.tokens.arrow import _items_by_re2 as _items_by_re2
from analysis.tokens.arrow import (
    arrow_strings,
    count_words_many,
    has_letter,
    positions_within,
    split_whitespace,
    words_with_letter,
)
from analysis.tokens.batch import TextTokens, text_tokens
from analysis.tokens.batch import _items_by_python as _items_by_python
from analysis.tokens.batch import _lowered_items as _lowered_items
from analysis.tokens.batch import _mark_positions as _mark_positions
from analysis.tokens.batch import _text_tokens_of_items as _text_tokens_of_items
from analysis.tokens.words import _MARKS as _MARKS
from analysis.tokens.words import _POSSESSIVE as _POSSESSIVE
from analysis.tokens.words import _WORD as _WORD
from analysis.tokens.words import (
    CLAUSE_BREAK,
    PLAIN_TOKEN_PATTERN,
    TOKEN_PATTERN,
    count_matrix,
    count_words,
    strip_possessives,
    token_spans,
    tokenize,
)

# the private names above are for tests/test_properties.py and tests/test_report.py
__all__ = [
    "CLAUSE_BREAK",
    "PLAIN_TOKEN_PATTERN",
    "TOKEN_PATTERN",
    "TextTokens",
    "arrow_strings",
    "count_matrix",
    "count_words",
    "count_words_many",
    "has_letter",
    "words_with_letter",
    "positions_within",
    "split_whitespace",
    "strip_possessives",
    "text_tokens",
    "token_spans",
    "tokenize",
]
