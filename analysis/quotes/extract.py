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
import contextlib
import gc
import itertools
import operator

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis import progress, segment, tokens
from analysis.quotes import patterns
from analysis.quotes.attribution import (
    MAX_CONTEXT,
    MAX_WORDS_VERB_TO_QUOTE,
    SCARE_MAX_WORDS,
    _attribute_direct,
    _inherit_within_paragraphs,
    _keep_scare_quotes_scare,
    _quoted_share,
    _reported_speech,
    _sentence_bounds,
)
from analysis.quotes.mentions import PRONOUN_WINDOW, _Memory
from analysis.quotes.spans import (
    _direct_marks,
    _paragraph_at,
    _paragraph_ending,
    _paragraphs,
    _posts,
    _Quote,
    _SentenceRows,
    _Sentences,
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
BATCH = 2000
"""Articles whose quotes are found together: the words of their quotes are counted, and
their reporting words found, in one go; their quotes become rows before the next batch."""


def article_quotes(
    text: str,
    sentences: _Sentences,
    table: SpeakerTable,
    direct: list[_Quote] | None = None,
    reporting: list[tuple[int, int]] | None = None,
    paragraphs: list[tuple[int, int]] | None = None,
) -> list[_Quote]:
    """All quotes of one cleaned text, attributed, in text order (see the module doc).

    ``direct`` is :func:`direct_spans` of ``text`` with each quote's ``n_words`` set and
    ``paragraphs`` its paragraphs (:func:`analysis.quotes.spans._paragraphs`), found here
    when not given; ``reporting`` is :func:`patterns.reporting_word_spans` of ``text``, which
    spares reading the sentences and the words around quotes that hold no reporting word
    (every sentence is read when it is None). :func:`extract_quotes` finds them for many
    texts at once. The ``n_words`` of the other quotes are left at 0.
    """
    if paragraphs is None:
        paragraphs = _paragraphs(text)
    if direct is None:
        direct = direct_spans(text)
        for quote in direct:
            quote.n_words = tokens.count_words(text[quote.start : quote.end])
    direct = list(direct)  # the posts join them below
    social_spans = [
        (start, end)
        for start, end, voice in zip(sentences.start, sentences.end, sentences.voice)
        if voice == "social"
    ]
    sentence_starts = sentences.start
    for quote in direct:
        quote.sentence = bisect.bisect_right(sentence_starts, quote.start) - 1
        quote.social = any(a <= quote.start < b for a, b in social_spans)
    outer_spans = [q.outer for q in direct if not q.nested]
    top = [q for q in direct if not q.nested and not q.social]

    # the marks of top quotes enclose text apart, in order: the next quote opens after this
    # one closes, and the one before closed before this one opens
    for index, quote in enumerate(top):
        paragraph = _paragraph_at(paragraphs, quote.outer[0])
        following = _paragraph_ending(paragraphs, quote.outer[1])[1]  # may be a later one
        if index + 1 < len(top):
            following = min(following, top[index + 1].outer[0])
        previous = _sentence_bounds(text, paragraph, quote.outer[0])
        if index:
            previous = max(previous, top[index - 1].outer[1])
        _attribute_direct(text, quote, following, previous, reporting)

    indirect = [
        found
        for found in _reported_speech(text, sentences, reporting)
        # a clause that is all one quote is that quote, introduced by "X said"
        if _quoted_share(text, found.start, found.end, outer_spans) < 0.9
    ]

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
        key=operator.attrgetter("start", "end"),
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
    sentence_rows = _SentenceRows(sentences)
    ids, texts = articles["article_id"].tolist(), articles["text_clean"].tolist()
    held = _held_by_arrow(articles["text_clean"])
    batches = []
    bar = progress.bar(total=len(texts), desc="quotes")
    with _collector_paused(), contextlib.closing(bar):
        for first in range(0, len(texts), BATCH):
            batch = slice(first, first + BATCH)
            batches.append(
                _batch_columns(
                    ids[batch],
                    texts[batch],
                    sentence_rows,
                    speakers,
                    None if held is None else held[batch],
                )
            )
            bar.update(len(texts[batch]))
    return _quote_table(batches)


@contextlib.contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused, then left as it was.

    Finding quotes makes many small objects that live a while (a batch's spans, an article's
    sentences and quotes) and no reference cycles: reference counting frees them all, and
    the collector's passes over them would only take time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _held_by_arrow(texts: pd.Series) -> pa.ChunkedArray | None:
    """The texts as Arrow holds them (pandas' ``str`` dtype), in its chunks: without the copy
    that putting them in one array would make; None when Arrow does not hold them."""
    values = texts.array
    if not hasattr(values, "__arrow_array__"):
        return None
    held = pa.chunked_array(pa.array(values))
    if pa.types.is_string(held.type) or pa.types.is_large_string(held.type):
        return held
    return None


def _batch_columns(
    ids: list, texts: list[str], sentence_rows: _SentenceRows, table: SpeakerTable, held
) -> list[list]:
    """The columns (:data:`QUOTE_COLUMNS`) of the rows of some articles' quotes
    (:func:`article_quotes`), the words of their direct quotes counted and their reporting
    words found for all at once (``held``: the texts held by Arrow, or None); the other
    quotes' ``n_words`` are left at 0 (:func:`_quote_table` counts them)."""
    paragraphs = [_paragraphs(text) for text in texts]
    marks = [_direct_marks(text, own) for text, own in zip(texts, paragraphs)]
    counts = iter(
        _word_counts([text[m[0] : m[1]] for text, found in zip(texts, marks) for m in found])
    )
    reporting = patterns.reporting_word_spans(texts, held)
    articles = []
    for article_id, text, found, reported, lines in zip(ids, texts, marks, reporting, paragraphs):
        direct = [
            _Quote("direct", start, end, balanced, nested, outer=outer, n_words=next(counts))
            for start, end, balanced, nested, outer in found
        ]
        own = sentence_rows.get(article_id)
        quotes = article_quotes(text, own, table, direct, reported, lines)
        articles.append((article_id, text, quotes, _places(own, quotes)))
    return _columns(articles)


def _word_counts(pieces: list[str]) -> list[int]:
    """The number of tokens of each piece of text (:func:`analysis.tokens.count_words`)."""
    return tokens.count_words_many(pieces).tolist()


def _columns(articles: list[tuple]) -> list[list]:
    """The columns (:data:`QUOTE_COLUMNS`) of the rows of the quotes of ``articles``: each an
    article's id, text, quotes and their places (:func:`_places`)."""
    quotes = [quote for _, _, found, _ in articles for quote in found]
    places = [place for _, _, _, placed in articles for place in placed]
    return [
        [article_id for article_id, _, found, _ in articles for _ in found],
        [quote_id for _, _, found, _ in articles for quote_id in range(len(found))],
        [q.kind for q in quotes],
        [q.start for q in quotes],
        [q.end for q in quotes],
        [text[q.start : q.end] for _, text, found, _ in articles for q in found],
        [q.n_words for q in quotes],
        [sentence_id for sentence_id, _ in places],
        [paragraph_id for _, paragraph_id in places],
        [q.balanced for q in quotes],
        [q.nested for q in quotes],
        [q.social for q in quotes],
        [q.speaker for q in quotes],
        [q.mention for q in quotes],
        [q.category for q in quotes],
        [q.attribution for q in quotes],
        [
            q.kind == "direct"
            and not q.nested
            and q.speaker is None
            and 1 <= q.n_words <= SCARE_MAX_WORDS
            for q in quotes
        ],
    ]


def _places(sentences: _Sentences, quotes: list[_Quote]) -> list[tuple[int, int]]:
    """The ``sentence_id`` and ``paragraph_id`` of the sentence each quote starts in (the
    first sentence for a quote before it; -1 when the article has no sentences)."""
    if not sentences.start:
        return [(-1, -1)] * len(quotes)
    places = []
    for quote in quotes:
        at = max(bisect.bisect_right(sentences.start, quote.start) - 1, 0)
        places.append((int(sentences.sentence_id[at]), int(sentences.paragraph_id[at])))
    return places


_INTEGER_COLUMNS = ("start", "end", "n_words", "quote_id", "sentence_id", "paragraph_id")
_BOOLEAN_COLUMNS = ("balanced", "nested", "social", "scare")


def _quote_table(batches: list[list[list]]) -> pd.DataFrame:
    """The table of :func:`extract_quotes` from the columns of each batch of its rows, the
    words of the quotes other than direct ones counted here, all at once."""
    columns = dict(
        zip(QUOTE_COLUMNS, (list(itertools.chain.from_iterable(c)) for c in zip(*batches)))
    )
    if not columns or not columns["kind"]:
        out = pd.DataFrame([], columns=QUOTE_COLUMNS)
    else:
        others = [k for k, kind in enumerate(columns["kind"]) if kind != "direct"]
        counts = _word_counts([columns["text"][k] for k in others])
        for k, count in zip(others, counts):
            columns["n_words"][k] = count
        # the types set below, given at once: pandas need not guess them first
        for column in _INTEGER_COLUMNS:
            columns[column] = np.array(columns[column], dtype=np.int64)
        for column in _BOOLEAN_COLUMNS:
            columns[column] = np.array(columns[column], dtype=bool)
        columns["article_id"] = pd.Series(columns["article_id"], dtype=object)
        for column in ("speaker", "mention"):
            columns[column] = pd.array(columns[column], dtype="string")
        out = pd.DataFrame(columns, columns=QUOTE_COLUMNS)
    out["article_id"] = out["article_id"].astype(object)
    for column in _INTEGER_COLUMNS:
        out[column] = out[column].astype(np.int64)
    for column in _BOOLEAN_COLUMNS:
        out[column] = out[column].astype(bool)
    for column in ("speaker", "mention"):
        out[column] = out[column].astype("string")
    out["kind"] = pd.Categorical(out["kind"], categories=list(KINDS))
    return out
