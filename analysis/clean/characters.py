"""The rules that normalise characters: line endings, spaces and invisible characters, and
letters with accents. They run first, so that every later rule sees one kind of space and of
line break."""

from __future__ import annotations

import re
import unicodedata

from analysis.clean.audited import _rule

_LINE_ENDINGS = re.compile(r"\r\n?")


@_rule(idempotent=True)
def normalize_line_endings(text: str) -> tuple[str, list[str]]:
    """Turn Windows (CRLF) and old Mac (CR) line endings into ``\\n``.

    >>> normalize_line_endings("one\\r\\ntwo\\rthree")
    'one\\ntwo\\nthree'
    """
    if "\r" not in text:
        return text, []
    return _LINE_ENDINGS.sub("\n", text), []


_OTHER_LINE_BREAKS = re.compile(r"[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_SPACE = re.compile(r"[^\S\n ]")  # \s is str.isspace(); a plain space needs no replacing
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BIDI_CONTROLS = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Marks that only steer the display direction of text; the overrides (U+202D, U+202E) can
make a text display differently from what it says, so each removal is recorded."""


@_rule(idempotent=True, settles=(normalize_line_endings,))
def normalize_spaces(text: str) -> tuple[str, list[str]]:
    """Make every line break ``\\n`` and every other white space a plain space, one for one,
    and drop invisible characters (zero-width spaces, soft hyphens, byte-order marks) and
    bidirectional controls (marks, embeddings, overrides, isolates), which only steer how
    text is displayed; each bidirectional control removed is reported, by its name.

    The line breaks are those of :meth:`str.splitlines` (vertical tab, form feed, file,
    group and record separators, NEL, U+2028, U+2029). Runs of spaces are kept (they are
    collapsed last, by :func:`normalize_whitespace`), so the rules in between see one kind
    of space and line break, and a second cleaning finds nothing more to do.

    >>> normalize_spaces("Advertisement\\u2028\\u00a0Read\\u200b more\\t")
    'Advertisement\\n Read more '
    """
    if not _needs_space_normalizing(text):
        return text, []
    removed = [unicodedata.name(c) for c in _BIDI_CONTROLS.findall(text)]
    text = _BIDI_CONTROLS.sub("", _OTHER_LINE_BREAKS.sub("\n", text))
    return _SPACE.sub(" ", _INVISIBLE.sub("", text)), removed


_ODD_SPACE_OR_INVISIBLE = re.compile(
    r"[^\S\n ]|" + _INVISIBLE.pattern + "|" + _BIDI_CONTROLS.pattern
)


def _needs_space_normalizing(text: str) -> bool:
    """Whether ``text`` holds white space other than ``" "`` and ``"\\n"``, or an invisible
    character.

    Every such character is unprintable (:meth:`str.isprintable`), and that test is much
    faster than a regex scan, so only texts with some unprintable character are scanned.
    """
    if text.replace("\n", " ").isprintable():
        return False
    return _ODD_SPACE_OR_INVISIBLE.search(text) is not None


# Every later rule only deletes text or inserts plain spaces and line breaks (or composes
# characters), so none brings back what these two rules took out.
_LAYOUT_RULES = (normalize_line_endings, normalize_spaces)


@_rule(idempotent=True, settles=_LAYOUT_RULES)
def compose_characters(text: str) -> tuple[str, list[str]]:
    """Compose letters and their accents into one character where Unicode has one (NFC).

    Text written as ``e`` + combining acute accent (decomposed, common in text that passed
    through macOS or PDF extraction) becomes ``é``, so the word is one token and matches
    dictionaries and the VADER lexicon like its composed spelling.

    >>> compose_characters("caf\\u0065\\u0301") == "caf\\u00e9"
    True
    """
    return unicodedata.normalize("NFC", text), []
