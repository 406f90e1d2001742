"""Double quotation marks: the stretches of a text inside them (:func:`quote_spans`), also
over several paragraphs, and the paragraphs themselves (:func:`_paragraph_spans`)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_OPENING_QUOTES = '“„«"'
_CLOSING_QUOTES = '”»"'
_DOUBLE_QUOTE_MARK = re.compile(f"[{_OPENING_QUOTES}{_CLOSING_QUOTES}]")
_MARKS = sorted(set(_OPENING_QUOTES + _CLOSING_QUOTES))


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted stretch of text: ``text[start:end]`` includes both quotation marks.

    ``balanced`` is False when the closing mark was missing (the span then ends at the end
    of its paragraph) and the quote was closed by this module rather than by the writer.
    """

    start: int
    end: int
    balanced: bool


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The lines of ``text`` that are not blank (white space only)."""
    spans, start = [], 0
    for line in text.split("\n"):
        if line and not line.isspace():
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def quote_spans(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[QuoteSpan]:
    """Find the stretches of ``text`` inside double quotation marks (``paragraphs``: its
    :func:`_paragraph_spans`, found here when not given).

    Straight quotes toggle; curly opening and closing marks pair up. A closing mark that
    appears where no quote is open opens one instead when another closing mark follows in
    the paragraph (writers and scrapers often turn ``“`` into ``”``); otherwise it is ignored.
    A quote still open at the end of a paragraph continues into the next paragraph when
    that paragraph starts with an opening mark (the news convention for a quote running
    over several paragraphs); otherwise it is closed at the paragraph end and flagged
    ``balanced=False``. Single quotation marks are not used: they double as apostrophes.

    Examples
    --------
    >>> [text[s.start:s.end] for text in ['He said "no" and “yes”.'] for s in quote_spans(text)]
    ['"no"', '“yes”']
    """
    return _quote_spans(text, _paragraph_spans(text) if paragraphs is None else paragraphs)


def _quote_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    every_mark = _mark_positions(text)
    if not every_mark:
        return spans
    first = 0
    for index, (para_start, para_end) in enumerate(paragraphs):
        after = bisect.bisect_left(every_mark, para_end, first)
        marks = every_mark[first:after]
        first = after
        if not marks and open_at is None:
            continue
        for position, mark in enumerate(marks):
            char = text[mark]
            if (
                open_at is not None
                and open_at < para_start
                and mark == marks[0]
                and char in _OPENING_QUOTES
                and _starts_paragraph(text, para_start, mark)
            ):
                continue  # continuation mark of a multi-paragraph quote
            if open_at is None:
                if char in "”»" and not any(
                    text[m] in _CLOSING_QUOTES for m in marks[position + 1 :]
                ):
                    continue  # stray closing mark
                open_at = mark
            elif char in _CLOSING_QUOTES:
                spans.append(QuoteSpan(open_at, mark + 1, True))
                open_at = None
            else:  # an opening mark inside an open quote: the earlier one was never closed
                spans.append(QuoteSpan(open_at, mark, False))
                open_at = mark
        if open_at is not None:
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            continues = following is not None and text[following[0]] in _OPENING_QUOTES
            if not continues:
                spans.append(QuoteSpan(open_at, para_end, False))
                open_at = None
    return spans


def _mark_positions(text: str) -> list[int]:
    """Where ``text`` has a double quotation mark, in order (found a mark at a time: faster
    than a regex of them)."""
    found = []
    for mark in _MARKS:
        at = text.find(mark)
        while at >= 0:
            found.append(at)
            at = text.find(mark, at + 1)
    return sorted(found)


def _starts_paragraph(text: str, para_start: int, position: int) -> bool:
    return not text[para_start:position].strip()
