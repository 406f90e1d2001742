"""Quotes with their offsets, their speakers and the speakers' categories.

:func:`extract_quotes` reads each article's cleaned text once and returns one row per
quote of three kinds:

- ``direct``: words inside quotation marks. Double marks (straight and curly, a quote
  running over several paragraphs included, see :func:`analysis.segment.quote_spans`)
  and curly single marks; single marks inside a double quote are ``nested``. A quote
  whose closing mark is missing ends at its paragraph's end and is flagged
  ``balanced=False``.
- ``indirect``: reported speech without marks (``X said that …``, ``…, X said.``,
  ``according to X, …``, ``X told Y …``); the span is the reported clause.
- ``post``: an embedded social-media post (sentences of voice ``social``), its speaker the
  name in its signature.

Attribution is by patterns (:mod:`analysis.quotes.patterns`): first ``"…," X said`` /
``said X`` right after the quote, then ``X said …`` before it in the same sentence, then
the speaker of another quote in the same paragraph (``"A," he said, "B."``). Pronouns and
anaphors (``he``, ``it``, ``the minister``, ``the company``) and a bare surname resolve to
the nearest earlier speaker of a compatible kind; names go through the alias table
(:mod:`analysis.quotes.speakers`). Short quotes (one to three words) after weak verbs
(``called on``, ``demanded``) stay unattributed, and a direct quote of one to three words
with no speaker is a *scare quote*.

The spans are found by :mod:`analysis.quotes.spans`, the speakers by
:mod:`analysis.quotes.attribution` (the words around each quote, and its neighbours) and
:mod:`analysis.quotes.mentions` (whom a pronoun, description or surname refers to); this
module puts them together, one article at a time (:func:`article_quotes`).
"""

from __future__ import annotations

import bisect

import numpy as np
import pandas as pd

from analysis import progress, segment, tokens
from analysis.quotes.attribution import (
    MAX_CONTEXT,
    MAX_WORDS_VERB_TO_QUOTE,
    SCARE_MAX_WORDS,
    _attribute_direct,
    _indirect,
    _inherit_within_paragraphs,
    _keep_scare_quotes_scare,
    _quoted_share,
    _sentence_bounds,
)
from analysis.quotes.mentions import PRONOUN_WINDOW, _Memory
from analysis.quotes.spans import (
    _paragraphs,
    _posts,
    _Quote,
    _Sentence,
    _sentence_rows,
    direct_spans,
)
from analysis.quotes.speakers import UNKNOWN, SpeakerTable

__all__ = [
    "KINDS",
    "MAX_CONTEXT",
    "MAX_WORDS_VERB_TO_QUOTE",
    "PRONOUN_WINDOW",
    "QUOTE_COLUMNS",
    "SCARE_MAX_WORDS",
    "article_quotes",
    "direct_spans",
    "extract_quotes",
]

QUOTE_COLUMNS = [
    "article_id",
    "quote_id",
    "kind",
    "start",
    "end",
    "text",
    "n_words",
    "sentence_id",
    "paragraph_id",
    "balanced",
    "nested",
    "social",
    "speaker",
    "mention",
    "category",
    "attribution",
    "scare",
]
KINDS = ("direct", "indirect", "post")


def article_quotes(text: str, sentences: list[_Sentence], table: SpeakerTable) -> list[_Quote]:
    """All quotes of one cleaned text, attributed, in text order (see the module doc)."""
    paragraphs = _paragraphs(text)
    social_spans = [(r.start, r.end) for r in sentences if r.voice == "social"]
    direct = direct_spans(text)
    sentence_starts = [r.start for r in sentences]
    for quote in direct:
        quote.n_words = len(tokens.tokenize(text[quote.start : quote.end]))
        quote.sentence = bisect.bisect_right(sentence_starts, quote.start) - 1
        quote.social = any(a <= quote.start < b for a, b in social_spans)
    outer_spans = [q.outer for q in direct if not q.nested]
    top = [q for q in direct if not q.nested and not q.social]

    for index, quote in enumerate(top):
        paragraph = next(p for p in paragraphs if p[0] <= quote.outer[0] < p[1])
        closing = next(p for p in paragraphs if p[0] < quote.outer[1] <= p[1])
        following = closing[1]  # a quote may run over several paragraphs
        later = [q.outer[0] for q in top[index + 1 :] if q.outer[0] < following]
        if later:
            following = later[0]
        sentence_start = _sentence_bounds(text, paragraph, quote.outer[0])
        earlier = [q.outer[1] for q in top[:index] if q.outer[1] > sentence_start]
        previous = max([sentence_start, *earlier])
        _attribute_direct(text, quote, following, previous)

    indirect = []
    for sentence in sentences:
        if sentence.voice == "social":
            continue
        found = _indirect(text, sentence)
        # a clause that is all one quote is that quote, introduced by "X said"
        if found and _quoted_share(text, found.start, found.end, outer_spans) < 0.9:
            indirect.append(found)

    memory = _Memory(table, [], text)
    for quote in sorted([*top, *indirect], key=lambda q: q.start):
        memory.position = quote.outer[0] if quote.outer else quote.start
        if quote.mention:
            resolved = memory.resolve(quote.mention)
            if resolved is not None:
                quote.speaker, quote.category = resolved.name, resolved.category
    _inherit_within_paragraphs(text, top, paragraphs)
    for quote in top:
        if quote.weak and quote.n_words <= SCARE_MAX_WORDS:
            quote.speaker, quote.category, quote.attribution = None, UNKNOWN, "none"
    _keep_scare_quotes_scare(text, top)
    for post in _posts(text, sentences):
        if post.mention:
            resolved = table.resolve(post.mention)
            post.speaker = resolved.name
            post.category = resolved.category if resolved.known else table.post_category
        direct.append(post)
    quotes = [q for q in direct if q.kind == "direct" and (q.nested or q.social)]
    return sorted(
        [*top, *indirect, *quotes, *[q for q in direct if q.kind == "post"]],
        key=lambda q: (q.start, q.end),
    )


def extract_quotes(
    articles: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    *,
    speakers: SpeakerTable | None = None,
) -> pd.DataFrame:
    """Every quote of every article, with its speaker and the speaker's category.

    Parameters
    ----------
    articles : DataFrame
        Needs ``article_id`` and ``text_clean``.
    sentences : DataFrame, optional
        The sentences table of :func:`analysis.segment.split_sentences` for these articles
        (``article_id, sentence_id, paragraph_id, start, end, voice``); split here when
        not given.
    speakers : SpeakerTable, optional
        Aliases and categories (:func:`analysis.quotes.read_speakers`); without one every
        speaker is named as written and categorised ``unknown``.

    Returns
    -------
    DataFrame
        One row per quote, in text order within each article: ``article_id``,
        ``quote_id`` (0, 1, ... within the article), ``kind`` (``direct`` | ``indirect`` |
        ``post``), ``start`` and ``end`` (offsets into ``text_clean``: inside the quotation
        marks for a direct quote, the reported clause for an indirect one, the post's text
        without its signature for a post), ``text``, ``n_words`` (tokens of
        :mod:`analysis.tokens`), ``sentence_id`` and ``paragraph_id`` (of the quote's
        first character), ``balanced`` (False when the closing mark was missing),
        ``nested`` (single quotes inside a double quote), ``social`` (inside an embedded
        post), ``speaker`` (canonical name, missing when none was found), ``mention`` (the
        words that named the speaker), ``category`` (``unknown`` when not known),
        ``attribution`` (the pattern that found the speaker: ``after``, ``before``,
        ``same_paragraph``, ``reported``, ``according_to``, ``post_signature`` or
        ``none``) and ``scare`` (a direct, un-nested quote of one to three words with no
        speaker).

    Examples
    --------
    >>> articles = pd.DataFrame({"article_id": ["a"], "text_clean": [
    ...     '"We will act," the minister said. Critics called it "censorship".']})
    >>> extract_quotes(articles)[["kind", "text", "speaker", "scare"]]
         kind          text   speaker  scare
    0  direct  We will act,  minister  False
    1  direct    censorship      <NA>   True
    """
    speakers = speakers or SpeakerTable()
    if sentences is None:
        sentences = segment.split_sentences(articles)
    by_article = _sentence_rows(sentences)
    rows = []
    for article_id, text in progress.bar(
        zip(articles["article_id"], articles["text_clean"]), total=len(articles), desc="quotes"
    ):
        own = by_article.get(article_id, [])
        starts = [row.start for row in own]
        for quote_id, quote in enumerate(article_quotes(text, own, speakers)):
            at = max(bisect.bisect_right(starts, quote.start) - 1, 0)
            sentence = own[at] if own else None
            words = text[quote.start : quote.end]
            n_words = len(tokens.tokenize(words))
            rows.append(
                (
                    article_id,
                    quote_id,
                    quote.kind,
                    quote.start,
                    quote.end,
                    words,
                    n_words,
                    -1 if sentence is None else int(sentence.sentence_id),
                    -1 if sentence is None else int(sentence.paragraph_id),
                    quote.balanced,
                    quote.nested,
                    quote.social,
                    quote.speaker,
                    quote.mention,
                    quote.category,
                    quote.attribution,
                    quote.kind == "direct"
                    and not quote.nested
                    and quote.speaker is None
                    and 1 <= n_words <= SCARE_MAX_WORDS,
                )
            )
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    out["article_id"] = out["article_id"].astype(object)
    for column in ("start", "end", "n_words", "quote_id", "sentence_id", "paragraph_id"):
        out[column] = out[column].astype(np.int64)
    for column in ("balanced", "nested", "social", "scare"):
        out[column] = out[column].astype(bool)
    for column in ("speaker", "mention"):
        out[column] = out[column].astype("string")
    out["kind"] = pd.Categorical(out["kind"], categories=list(KINDS))
    return out
