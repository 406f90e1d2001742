"""Where the quotes of a text are: spans between quotation marks and embedded posts.

The quote record (:class:`_Quote`) that :mod:`analysis.quotes.attribution` and
:func:`analysis.quotes.extract.article_quotes` fill in, and the sentences and paragraphs of a
text as columns of plain tuples and offsets.
"""

from __future__ import annotations

import bisect
import math
import operator
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis import segment
from analysis.clean import SOCIAL_SIGNATURE
from analysis.quotes.speakers import UNKNOWN

# the opening mark first and the check of the character before it after, so that the regex
# engine jumps from mark to mark (much faster than trying the check everywhere)
_SINGLE_CURLY = re.compile(r"‘(?<![\w’']‘)((?:[^‘’\n]|’(?=\w))+)’(?!\w)")
_SINGLE_STRAIGHT = re.compile(r"'(?<![\w']')((?:[^'\n]|'(?=\w))+)'(?!\w)")
_SIGNATURE_NAME = re.compile(r"[—–-]\s*(?P<name>[^\n—–()]{0,80}?)\s*\(@(?P<handle>\w{1,30})\)")


@dataclass(slots=True)
class _Quote:
    kind: str
    start: int
    end: int
    balanced: bool = True
    nested: bool = False
    social: bool = False
    outer: tuple[int, int] | None = None  # the span with its marks, for direct quotes
    mention: str | None = None
    speaker: str | None = None
    category: str = UNKNOWN
    attribution: str = "none"
    weak: bool = False
    n_words: int = 0
    sentence: int = -1


class _Sentences(NamedTuple):
    """The sentences of one article, column by column, in the table's order."""

    start: tuple[int, ...]
    end: tuple[int, ...]
    voice: tuple[str, ...]
    sentence_id: tuple[int, ...]
    paragraph_id: tuple[int, ...]


class _SentenceRows:
    """The sentences of each article (pandas row access is too slow here), as columns.

    The columns are kept in tuples: a tuple of strings and numbers drops out of Python's
    cyclic garbage collector, which would otherwise walk these long lists on every full
    collection.
    """

    def __init__(self, sentences: pd.DataFrame):
        self._columns = [_values(sentences[column]) for column in _Sentences._fields]
        self._rows = _rows_of_each(sentences["article_id"])

    def get(self, article_id) -> _Sentences:
        """The sentences of one article (none when it has none)."""
        rows = self._rows.get(article_id, range(0))
        if isinstance(rows, range):  # an article's rows together, as usual
            return _Sentences(*(column[rows.start : rows.stop] for column in self._columns))
        return _Sentences(*(tuple(column[row] for row in rows) for column in self._columns))


def _values(column: pd.Series) -> tuple:
    """The values of a column as Python objects (through an object array for a categorical
    one, whose own ``tolist`` is slow)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(object)
    return tuple(column.tolist())


def _rows_of_each(article_ids: pd.Series) -> dict[str, range | tuple[int, ...]]:
    """The rows of each article: a range when they follow one another (found for all
    articles at once when every article's do, as usual), else a tuple."""
    codes, firsts = pd.factorize(article_ids)
    runs = np.flatnonzero(np.diff(codes)) + 1
    if len(runs) + 1 == len(firsts) and (codes >= 0).all():
        bounds = [0, *runs.tolist(), len(codes)]
        return {
            article_id: range(start, stop)
            for article_id, start, stop in zip(firsts.tolist(), bounds, bounds[1:])
        }
    rows: dict[str, list[int]] = {}
    for row, article_id in enumerate(article_ids.tolist()):
        rows.setdefault(article_id, []).append(row)
    return {
        article_id: range(own[0], own[-1] + 1) if own[-1] - own[0] + 1 == len(own) else tuple(own)
        for article_id, own in rows.items()
    }


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """The paragraphs of ``text``: its lines that are not blank."""
    return segment._paragraph_spans(text)


def _paragraph_at(paragraphs: list[tuple[int, int]], position: int) -> tuple[int, int]:
    """The paragraph (of :func:`_paragraphs`, in order) that holds ``position``."""
    index = bisect.bisect_right(paragraphs, (position, math.inf)) - 1
    if index >= 0 and position < paragraphs[index][1]:
        return paragraphs[index]
    return next(p for p in paragraphs if p[0] <= position < p[1])


def _paragraph_ending(paragraphs: list[tuple[int, int]], position: int) -> tuple[int, int]:
    """The paragraph (of :func:`_paragraphs`, in order) that a span ending at ``position``
    ends in."""
    index = bisect.bisect_left(paragraphs, (position,)) - 1
    if index >= 0 and position <= paragraphs[index][1]:
        return paragraphs[index]
    return next(p for p in paragraphs if p[0] < position <= p[1])


def direct_spans(text: str) -> list[_Quote]:
    """Direct quotes of one text, inner offsets, in text order: double-quoted spans and
    the single-quoted spans nested inside them; in a text with no double quotation marks
    (the British style), curly single-quoted spans (``‘…’``; a ``’`` followed by a letter is
    an apostrophe)."""
    return [
        _Quote("direct", start, end, balanced, nested, outer=outer)
        for start, end, balanced, nested, outer in _direct_marks(text)
    ]


def _direct_marks(
    text: str, paragraphs: list[tuple[int, int]] | None = None
) -> list[tuple[int, int, bool, bool, tuple[int, int]]]:
    """:func:`direct_spans` as plain tuples ``(start, end, balanced, nested, outer)``: they
    drop out of Python's cyclic garbage collector, so many can be kept cheaply
    (``paragraphs``: the text's :func:`_paragraphs`, found here when not given)."""
    found = []
    doubles = segment.quote_spans(text, paragraphs)
    for span in doubles:
        end = span.end - 1 if span.balanced else span.end
        start, end = _trim(text, span.start + 1, end)
        if end > start:
            found.append((start, end, span.balanced, False, (span.start, span.end)))
    inside = [(s.start, s.end) for s in doubles]
    for match in _SINGLE_CURLY.finditer(text) if "‘" in text else ():
        nested = _within(inside, *match.span())
        if nested or not doubles:  # single marks are primary only in a text without doubles
            start, end = _trim(text, *match.span(1))
            if end > start:
                found.append((start, end, True, nested, match.span()))
    for a, b in inside if "'" in text else ():
        for match in _SINGLE_STRAIGHT.finditer(text, a + 1, b - 1):
            start, end = _trim(text, *match.span(1))
            if end > start:
                found.append((start, end, True, True, match.span()))
    return sorted(found, key=operator.itemgetter(0, 1))


def _within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``(start, end)`` lies inside one of ``spans`` (in order, not overlapping), its
    start strictly inside."""
    index = bisect.bisect_left(spans, (start,)) - 1  # the last span starting before start
    return index >= 0 and end <= spans[index][1]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _posts(text: str, sentences: _Sentences) -> list[_Quote]:
    """One ``post`` per run of ``social`` sentences in a paragraph; speaker from its
    signature (``— Name (@handle) date``)."""
    posts: list[_Quote] = []
    runs: list[list[int]] = []
    last_paragraph, last_id = None, None
    for start, end, voice, sentence_id, paragraph_id in zip(*sentences):
        if voice != "social":
            continue
        if paragraph_id == last_paragraph and sentence_id == last_id + 1:
            runs[-1][1] = end
        else:
            runs.append([start, end])
        last_paragraph, last_id = paragraph_id, sentence_id
    for start, end in runs:
        signatures = list(SOCIAL_SIGNATURE.finditer(text, start, end))
        body_end = signatures[-1].start() if signatures else end
        body_start, body_end = _trim(text, start, body_end)
        while body_end > body_start and text[body_end - 1] in ", ":  # left by flattened embeds
            body_end -= 1
        post = _Quote("post", body_start, max(body_end, body_start), social=True)
        name = _SIGNATURE_NAME.search(text, signatures[-1].start()) if signatures else None
        if name:
            post.mention = name.group("name").strip() or "@" + name.group("handle")
            post.attribution = "post_signature"
        posts.append(post)
    return posts
