"""The sentence splitter as it was before :mod:`analysis.segment` implemented Punkt itself.

nltk's ``PunktSentenceTokenizer``, untrained, with :data:`analysis.segment.NEWS_ABBREVIATIONS`
as its abbreviations, run per paragraph, then the same rules and voices as the package
(this module is the package's code of that time, quotation spans and paragraphs included,
kept as the reference the differential tests in ``tests/test_segment_punkt.py`` compare
against). Slow: for tests only.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from analysis.clean import SOCIAL_SIGNATURE
from analysis.segment import NEWS_ABBREVIATIONS, SENTENCE_COLUMNS, QuoteSpan

_PARAMETERS = PunktParameters()
_PARAMETERS.abbrev_types = set(NEWS_ABBREVIATIONS)
PUNKT = PunktSentenceTokenizer(_PARAMETERS)
"""nltk's tokenizer with the package's parameters."""

_SENTENCE_OPENER = re.compile(
    r"(?<=\b(?:[A-Z]\.){2})\s+(?=(?:He|She|It|They|We|I|The|This|That|These|Those|But|And|In|"
    r"A|An|His|Her|Their|Its|There|On|At|As|After|When|If)\b)"
)
_OPENING_QUOTES = '“„«"'
_CLOSING_QUOTES = '”»"'
_DOUBLE_QUOTE_MARK = re.compile(f"[{_OPENING_QUOTES}{_CLOSING_QUOTES}]")
_WHITESPACE_CODES = np.array([ord(c) for c in " \t\n\r\x0b\x0c\xa0"], dtype=np.uint32)


def punkt_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """nltk's sentence spans of ``text[start:end]``, in text coordinates."""
    return [(start + a, start + b) for a, b in PUNKT.span_tokenize(text[start:end])]


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


def quote_spans(text: str) -> list[QuoteSpan]:
    """:func:`analysis.segment.quote_spans` as it was, one search for marks per paragraph."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    paragraphs = _paragraph_spans(text)
    for index, (para_start, para_end) in enumerate(paragraphs):
        marks = [m.start() for m in _DOUBLE_QUOTE_MARK.finditer(text, para_start, para_end)]
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


def _starts_paragraph(text: str, para_start: int, position: int) -> bool:
    return not text[para_start:position].strip()


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = punkt_spans(text, start, end)
    pieces = [cut for a, b in pieces for cut in _split_after_initialism(text, a, b)]
    merged: list[list[int]] = []
    for a, b in pieces:
        piece = text[a:b]
        if merged:
            stranded = re.match(r"[”\"’»]+(?=\s|$)", piece)
            if stranded:
                merged[-1][1] = a + stranded.end()
                a = a + stranded.end()
                while a < b and text[a].isspace():
                    a += 1
                if a >= b:
                    continue
                piece = text[a:b]
            if piece[0].islower() or SOCIAL_SIGNATURE.match(piece):
                merged[-1][1] = b
                continue
        merged.append([a, b])
    return [(a, b) for a, b in merged]


def _split_after_initialism(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = list(_SENTENCE_OPENER.finditer(text, start, end))
    if not cuts:
        return [(start, end)]
    spans, a = [], start
    for match in cuts:
        spans.append((a, match.start()))
        a = match.end()
    spans.append((a, end))
    return spans


def _social_sentences(text: str, paragraph: tuple[int, int], sentences: list[tuple[int, int]]):
    """Indices (into ``sentences``) of the sentences that belong to an embedded post."""
    para_start, para_end = paragraph
    signature = None
    for match in SOCIAL_SIGNATURE.finditer(text, para_start, para_end):
        signature = match
    if signature is None:
        return set()
    last = next(
        (i for i, (a, b) in enumerate(sentences) if a <= signature.start() < b), len(sentences) - 1
    )
    # A paragraph closed by a signature is a whole post when it is no longer than a post
    # can be (280 characters) and holds at most two sentences; otherwise it is prose that
    # ends in a post, and only the sentence carrying the signature is the post (with the
    # sentence before it when the signature's own sentence is bare hashtags or emoji).
    if signature.start() - para_start <= 280 and last <= 1:
        return set(range(last + 1))
    body = text[sentences[last][0] : signature.start()]
    words = [w for w in body.split() if w[0] not in "#@" and any(c.isalpha() for c in w)]
    first = last - 1 if len(words) < 3 and last > 0 else last
    return set(range(first, last + 1))


def _sentences_with_voice(text: str) -> tuple[list[tuple[int, int]], list[int], list[str]]:
    spans: list[tuple[int, int]] = []
    paragraph_ids: list[int] = []
    social: set[int] = set()
    for paragraph_id, paragraph in enumerate(_paragraph_spans(text)):
        found = _split_paragraph(text, *paragraph)
        social |= {len(spans) + i for i in _social_sentences(text, paragraph, found)}
        spans.extend(found)
        paragraph_ids.extend([paragraph_id] * len(found))
    inside = np.zeros(len(text) + 1, dtype=np.int64)
    for span in quote_spans(text):
        inside[span.start] += 1
        inside[span.end] -= 1
    quoted = np.cumsum(inside)[:-1] > 0
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    visible = ~np.isin(codes, _WHITESPACE_CODES)
    quoted_chars = np.concatenate([[0], np.cumsum(quoted & visible)])
    visible_chars = np.concatenate([[0], np.cumsum(visible)])
    voices = []
    for i, (a, b) in enumerate(spans):
        share = (quoted_chars[b] - quoted_chars[a]) / max(visible_chars[b] - visible_chars[a], 1)
        voices.append("social" if i in social else "quote" if share >= 0.5 else "narrative")
    return spans, paragraph_ids, voices


def split_sentences(articles: pd.DataFrame) -> pd.DataFrame:
    """The sentences table of :func:`analysis.segment.split_sentences`, made with nltk."""
    ids: list[str] = []
    sentence_ids: list[np.ndarray] = []
    positions: list[np.ndarray] = []
    paragraph_ids: list[int] = []
    spans: list[tuple[int, int]] = []
    texts: list[str] = []
    voices: list[str] = []
    for article_id, text in zip(articles["article_id"], articles["text_clean"]):
        found, paragraphs, voice = _sentences_with_voice(text)
        n = len(found)
        ids.extend([article_id] * n)
        sentence_ids.append(np.arange(n, dtype=np.int64))
        positions.append(np.arange(n) / (n - 1) if n > 1 else np.zeros(n))
        paragraph_ids.extend(paragraphs)
        spans.extend(found)
        texts.extend(text[a:b] for a, b in found)
        voices.extend(voice)
    bounds = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    out = pd.DataFrame(
        {
            "article_id": pd.array(ids, dtype=object),
            "sentence_id": np.concatenate(sentence_ids) if sentence_ids else np.zeros(0, int),
            "paragraph_id": np.asarray(paragraph_ids, dtype=np.int64),
            "start": bounds[:, 0],
            "end": bounds[:, 1],
            "text": pd.array(texts, dtype=object),
            "voice": pd.Categorical(voices, categories=["narrative", "quote", "social"]),
            "speaker": pd.array([pd.NA] * len(texts), dtype="string"),
            "position": np.concatenate(positions) if positions else np.zeros(0),
        }
    )
    return out[SENTENCE_COLUMNS]
