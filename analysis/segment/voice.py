"""Each sentence's voice: ``social`` for the text of an embedded post, ``quote`` when at least
half of its non-space characters lie inside quotation marks, ``narrative`` otherwise (see
:mod:`analysis.segment`)."""

from __future__ import annotations

import bisect

from analysis.clean import SOCIAL_SIGNATURE
from analysis.segment.quoting import _DOUBLE_QUOTE_MARK, _quote_spans


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


_VOICES = ["narrative", "quote", "social"]
_NARRATIVE, _QUOTE, _SOCIAL = range(3)
_WHITESPACE = " \t\n\r\x0b\x0c\xa0"
"""The characters that do not count towards a sentence's share of quoted characters."""


def _voices(
    text: str,
    paragraphs: list[tuple[int, int]],
    spans: list[tuple[int, int]],
    social: set[int],
    plain: bool,
) -> list[int]:
    """Voice codes of the sentences ``spans`` (sorted, disjoint) of ``text``."""

    def visible(a: int, b: int) -> int:
        if plain:  # a sentence holds no line break
            return b - a - text.count(" ", a, b)
        return b - a - sum(text.count(char, a, b) for char in _WHITESPACE)

    voices = [_NARRATIVE] * len(spans)
    if _DOUBLE_QUOTE_MARK.search(text):
        quoted = [0] * len(spans)
        ends = [b for _, b in spans]
        for quote in _quote_spans(text, paragraphs):
            i = bisect.bisect_right(ends, quote.start)
            while i < len(spans) and spans[i][0] < quote.end:
                a, b = spans[i]
                quoted[i] += visible(max(a, quote.start), min(b, quote.end))
                i += 1
        for i, (a, b) in enumerate(spans):
            if quoted[i] and quoted[i] / max(visible(a, b), 1) >= 0.5:
                voices[i] = _QUOTE
    for i in social:
        voices[i] = _SOCIAL
    return voices
