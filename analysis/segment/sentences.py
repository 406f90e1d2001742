"""Texts split into sentences (:func:`split_sentences`): Punkt (:mod:`.punkt`) in each
paragraph, the sentence ends of other scripts and initialisms before a sentence opener, then
the pieces joined back where a rule says so; each sentence with its paragraph, position and
voice (:mod:`.voice`)."""

from __future__ import annotations

import bisect
import re

import numpy as np
import pandas as pd

from analysis import progress
from analysis.clean import SOCIAL_SIGNATURE
from analysis.segment.punkt import _PERIOD_CONTEXT, _ascii_spaced, _punkt_spans, _stripped_end
from analysis.segment.quoting import _paragraph_spans
from analysis.segment.voice import _VOICES, _social_sentences, _voices

_SENTENCE_OPENER = re.compile(
    r"\.(?<=\b[A-Z]\.[A-Z]\.)(\s+)(?=(?:He|She|It|They|We|I|The|This|That|These|Those|But|"
    r"And|In|A|An|His|Her|Their|Its|There|On|At|As|After|When|If)\b)"
)
"""The space after an initialism (``U.S.``) that a sentence opener follows (group 1)."""
_CLOSERS = re.escape("”’»)]}」』）》〉】〕〗〙〛｣")
_SCRIPT_STOP = re.compile(
    rf"(?:(?:(?<!\d)\u06d4|[\u061f\u0964\u0965])[{_CLOSERS}\"']*(?=[^\S\n])"  # ۔ ؟ । ॥
    rf"|[\u3002\uff01\uff1f]+[{_CLOSERS}]*(?:[\"']+(?=\s|$))?)"  # 。 ！ ？
    r"(?P<space>[^\S\n]*)"
)
"""A sentence end that Punkt does not know, and the space after it (group ``space``): the
Urdu full stop ``۔`` (not after a digit: ``۱۔`` numbers a list), the Arabic question mark
``؟`` and the Devanagari dandas ``।`` ``॥``, each followed by white space; or a run of the
CJK full stop ``。`` and the fullwidth ``！`` ``？``, followed by anything, since Chinese and
Japanese put no space between sentences. Closing quotation marks and brackets after the mark
stay with its sentence (straight quotes after ``。`` only before white space or the end,
where they cannot open the next sentence)."""
_SCRIPT_STOP_MARKS = "\u06d4\u061f\u0964\u0965\u3002\uff01\uff1f"


def _split_paragraph(
    text: str,
    start: int,
    end: int,
    spaced: str,
    matches: list[re.Match],
    cuts: list[tuple[int, int]],
    posts: bool,
    stops: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (one paragraph), in text coordinates.

    ``spaced`` and ``matches`` are as for :func:`_punkt_spans`; ``cuts`` are the spaces
    after an initialism followed by a sentence opener, ``stops`` the (possibly empty) spaces
    after a :data:`_SCRIPT_STOP`; ``posts`` says whether the text may hold a post signature
    at all.
    """
    pieces = _punkt_spans(text, spaced, start, end, matches)
    if cuts:
        pieces = _split_at(pieces, cuts)
    if stops:
        pieces = _split_at(pieces, stops)
    if len(pieces) == 1:
        return pieces
    merged = [list(pieces[0])]
    for a, b in pieces[1:]:
        if text[a] in _STRANDED_MARKS:
            stranded = _STRANDED.match(text, a, b)
            if stranded:
                merged[-1][1] = stranded.end()
                a = stranded.end()
                while a < b and text[a].isspace():
                    a += 1
                if a >= b:
                    continue
        if text[a].islower() or (
            posts and text[a] in _SIGNATURE_STARTS and SOCIAL_SIGNATURE.match(text, a, b)
        ):
            merged[-1][1] = b
            continue
        merged.append([a, b])
    return [(a, b) for a, b in merged]


_STRANDED_MARKS = '”"’»'
_STRANDED = re.compile(f"[{_STRANDED_MARKS}]+(?=\\s|$)")
_SIGNATURE_STARTS = "—–-&A"  # the first characters SOCIAL_SIGNATURE can match


def _split_at(pieces: list[tuple[int, int]], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``pieces`` cut at each of the sorted ``cuts`` (spans of space, possibly empty) that
    lies inside one, with text on both sides: the space goes to neither piece."""
    split = []
    i = 0
    for a, b in pieces:
        while i < len(cuts) and cuts[i][1] < b:
            cut_start, cut_end = cuts[i]
            if a < cut_start:
                split.append((a, cut_start))
                a = cut_end
            i += 1
        split.append((a, b))
    return split


def _sentences_with_voice(text: str) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Sentence spans, their paragraph ids and voices (codes into ``_VOICES``), for one text."""
    plain = not any(char in text for char in "\t\r\x0b\x0c\xa0")
    spaced = _ascii_spaced(text)
    cuts = [m.span(1) for m in _SENTENCE_OPENER.finditer(text)]
    stops = (
        [m.span("space") for m in _SCRIPT_STOP.finditer(text)]
        if any(mark in text for mark in _SCRIPT_STOP_MARKS)
        else []
    )
    stop_starts = [stop[0] for stop in stops]
    posts = "(@" in text
    spans: list[tuple[int, int]] = []
    paragraph_ids: list[int] = []
    social: set[int] = set()
    paragraphs = _paragraph_spans(text)
    matches = list(_PERIOD_CONTEXT.finditer(text))
    positions = [match.start() for match in matches]
    first = 0
    for paragraph_id, (start, end) in enumerate(paragraphs):
        after = bisect.bisect_left(positions, end, first)
        own_stops = (
            stops[bisect.bisect_left(stop_starts, start) : bisect.bisect_left(stop_starts, end)]
            if stops
            else stops
        )
        if after == first and not own_stops:  # no possible sentence end: one sentence
            found = [(start, _stripped_end(text, start, end))]
        else:
            found = _split_paragraph(
                text,
                start,
                end,
                spaced,
                matches[first:after],
                [cut for cut in cuts if start <= cut[0] < end] if cuts else cuts,
                posts,
                own_stops,
            )
            first = after
        if posts and text.find("(@", start, end) >= 0:
            social |= {len(spans) + i for i in _social_sentences(text, (start, end), found)}
        spans.extend(found)
        paragraph_ids.extend([paragraph_id] * len(found))
    return spans, paragraph_ids, _voices(text, paragraphs, spans, social, plain)


def sentence_table(article_id: str, text: str) -> pd.DataFrame:
    """Sentences of one cleaned text; see :func:`split_sentences` for the columns."""
    return split_sentences(pd.DataFrame({"article_id": [article_id], "text_clean": [text]}))


SENTENCE_COLUMNS = [
    "article_id",
    "sentence_id",
    "paragraph_id",
    "start",
    "end",
    "text",
    "voice",
    "speaker",
    "position",
]


def split_sentences(articles: pd.DataFrame) -> pd.DataFrame:
    """Split every article's cleaned text into sentences.

    Parameters
    ----------
    articles : DataFrame
        Needs ``article_id`` and ``text_clean`` (see :func:`analysis.clean.clean_articles`).

    Returns
    -------
    DataFrame
        One row per sentence: ``article_id``; ``sentence_id`` (0, 1, ... within the
        article); ``paragraph_id`` (0, 1, ...); ``start`` and ``end``, character offsets into
        ``text_clean`` (``text_clean[start:end] == text``); ``text``; ``voice``
        (``narrative`` | ``quote`` | ``social``); ``speaker`` (missing until quote
        attribution fills it); ``position``, the sentence's rank scaled to 0 (first) .. 1
        (last), 0 for a one-sentence article.
    """
    ids: list[str] = []
    counts: list[int] = []
    paragraph_ids: list[int] = []
    spans: list[tuple[int, int]] = []
    texts: list[str] = []
    voices: list[int] = []
    for article_id, text in progress.bar(
        zip(articles["article_id"], articles["text_clean"]), total=len(articles), desc="sentences"
    ):
        found, paragraphs, voice = _sentences_with_voice(text)
        ids.extend([article_id] * len(found))
        counts.append(len(found))
        paragraph_ids.extend(paragraphs)
        spans.extend(found)
        texts.extend([text[a:b] for a, b in found])
        voices.extend(voice)
    per_sentence = np.repeat(np.asarray(counts, dtype=np.int64), counts)
    sentence_ids = np.arange(len(spans), dtype=np.int64) - np.repeat(
        np.cumsum(counts, dtype=np.int64) - counts, counts
    )
    positions = np.zeros(len(spans))
    several = per_sentence > 1
    positions[several] = sentence_ids[several] / (per_sentence[several] - 1)
    bounds = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    out = pd.DataFrame(
        {
            "article_id": pd.array(ids, dtype=object),
            "sentence_id": sentence_ids,
            "paragraph_id": np.asarray(paragraph_ids, dtype=np.int64),
            "start": bounds[:, 0],
            "end": bounds[:, 1],
            "text": pd.array(texts, dtype=object),
            "voice": pd.Categorical.from_codes(np.asarray(voices, dtype=np.int8), _VOICES),
            "speaker": pd.array([pd.NA] * len(texts), dtype="string"),
            "position": positions,
        }
    )
    return out[SENTENCE_COLUMNS]
