"""Where the quotes of a text are: spans between quotation marks and embedded posts.

The quote record (:class:`_Quote`) that :mod:`analysis.quotes.attribution` and
:func:`analysis.quotes.extract.article_quotes` fill in, and the sentences and paragraphs of a
text as plain tuples and offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from analysis import segment
from analysis.clean import SOCIAL_SIGNATURE
from analysis.quotes.speakers import UNKNOWN

_SINGLE_CURLY = re.compile(r"(?<![\w’'])‘((?:[^‘’\n]|’(?=\w))+)’(?!\w)")
_SINGLE_STRAIGHT = re.compile(r"(?<![\w'])'((?:[^'\n]|'(?=\w))+)'(?!\w)")
_SIGNATURE_NAME = re.compile(r"[—–-]\s*(?P<name>[^\n—–()]{0,80}?)\s*\(@(?P<handle>\w{1,30})\)")


@dataclass
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


class _Sentence(NamedTuple):
    start: int
    end: int
    voice: str
    sentence_id: int
    paragraph_id: int


def _sentence_rows(sentences: pd.DataFrame) -> dict[str, list[_Sentence]]:
    """The sentences of each article as plain tuples (pandas row access is too slow here)."""
    columns = [
        sentences[c].tolist() for c in ("start", "end", "voice", "sentence_id", "paragraph_id")
    ]
    rows = [_Sentence(*values) for values in zip(*columns)]
    grouped: dict[str, list[_Sentence]] = {}
    for article_id, row in zip(sentences["article_id"].tolist(), rows):
        grouped.setdefault(article_id, []).append(row)
    return grouped


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


def direct_spans(text: str) -> list[_Quote]:
    """Direct quotes of one text, inner offsets, in text order: double-quoted spans and
    the single-quoted spans nested inside them; in a text with no double quotation marks
    (the British style), curly single-quoted spans (``‘…’``; a ``’`` followed by a letter is
    an apostrophe)."""
    found = []
    doubles = segment.quote_spans(text)
    for span in doubles:
        end = span.end - 1 if span.balanced else span.end
        start, end = _trim(text, span.start + 1, end)
        if end > start:
            found.append(_Quote("direct", start, end, span.balanced, outer=(span.start, span.end)))
    inside = [(s.start, s.end) for s in doubles]
    for match in _SINGLE_CURLY.finditer(text):
        nested = any(a < match.start() and match.end() <= b for a, b in inside)
        if nested or not doubles:  # single marks are primary only in a text without doubles
            start, end = _trim(text, *match.span(1))
            if end > start:
                found.append(_Quote("direct", start, end, nested=nested, outer=match.span()))
    for a, b in inside:
        for match in _SINGLE_STRAIGHT.finditer(text, a + 1, b - 1):
            start, end = _trim(text, *match.span(1))
            if end > start:
                found.append(_Quote("direct", start, end, nested=True, outer=match.span()))
    return sorted(found, key=lambda q: (q.start, q.end))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _posts(text: str, sentences: list[_Sentence]) -> list[_Quote]:
    """One ``post`` per run of ``social`` sentences in a paragraph; speaker from its
    signature (``— Name (@handle) date``)."""
    posts: list[_Quote] = []
    social = [row for row in sentences if row.voice == "social"]
    runs: list[list[int]] = []
    last_paragraph, last_id = None, None
    for row in social:
        if row.paragraph_id == last_paragraph and row.sentence_id == last_id + 1:
            runs[-1][1] = row.end
        else:
            runs.append([row.start, row.end])
        last_paragraph, last_id = row.paragraph_id, row.sentence_id
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
