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
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis import progress, segment, tokens
from analysis.clean import SOCIAL_SIGNATURE
from analysis.quotes import patterns
from analysis.quotes.speakers import (
    PLURAL_WORD,
    UNKNOWN,
    Resolved,
    SpeakerTable,
    clean_mention,
    guess_kind,
    strip_determiner,
)

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
SCARE_MAX_WORDS = 3
MAX_WORDS_VERB_TO_QUOTE = 15
MAX_CONTEXT = 300
PRONOUN_WINDOW = 400
"""Characters before a quote searched for a person's name when *he* or *she* has no earlier
speaker to refer to."""
"""Characters before and after a quote searched for its speaker."""
"""A speech verb before a quote attributes it only when at most this many words lie
between them (``Facebook said it reviews all requests "with the goal …"``)."""

_SINGLE_CURLY = re.compile(r"(?<![\w’'])‘((?:[^‘’\n]|’(?=\w))+)’(?!\w)")
_SINGLE_STRAIGHT = re.compile(r"(?<![\w'])'((?:[^'\n]|'(?=\w))+)'(?!\w)")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’»]?\s+(?=[\"“‘«(]?[A-Z])")
_SIGNATURE_NAME = re.compile(r"[—–-]\s*(?P<name>[^\n—–()]{0,80}?)\s*\(@(?P<handle>\w{1,30})\)")
_OPEN_MARKS = '"“„«‘'


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


@dataclass
class _Memory:
    """Speakers named so far in an article, in order, to resolve pronouns, descriptions
    and surnames."""

    table: SpeakerTable
    named: list[tuple[str, Resolved]]
    text: str = ""
    position: int = 0

    def resolve(self, mention: str) -> Resolved | None:
        mention = clean_mention(mention)
        if mention.lower() in ("i", "we", "") or not mention[:1].isalnum():
            return None  # the writer, or nothing left of the mention
        anaphor = patterns.ANAPHOR.match(mention)
        if anaphor:
            if anaphor.group("new"):  # "according to a statement": an issuer not named
                return None
            earlier = self._antecedent(mention, anaphor.group("noun"))
            if earlier is None and anaphor.group("noun"):  # a description with no antecedent
                earlier = self.table.resolve(mention)
                self.named.append((mention.lower(), earlier))
            return earlier
        resolved = self.table.resolve(mention)
        if not resolved.known:
            resolved = self._earlier_mention(mention) or resolved
        self.named.append((mention.lower(), resolved))
        return resolved

    def _earlier_mention(self, mention: str) -> Resolved | None:
        """The earlier speaker a bare surname (``Khan``) or a definite description
        (``the interior minister``) refers to: one whose words contain it."""
        words = strip_determiner(mention).lower()
        surname = " " not in words and mention[:1].isupper()
        definite = mention.lower().startswith("the ") and mention[4:5].islower()
        if not (surname or definite):
            return None
        for earlier_mention, earlier in reversed(self.named):
            if surname and PLURAL_WORD.search(earlier_mention):
                continue  # "Ryan" is not "Trump and Ryan"
            if surname and earlier.name.split()[-1].lower() == words:
                return earlier
            if definite and re.search(rf"\b{re.escape(words)}\b", earlier_mention):
                return earlier
        return None

    def _antecedent(self, mention: str, noun: str | None) -> Resolved | None:
        word = mention.lower().split()[0]
        if noun:
            noun = noun.lower()
            if noun in ("statement", "report"):  # a statement speaks for whoever issued it
                issuers = [r for m, r in self.named if noun not in m and noun not in r.name]
                return issuers[-1] if issuers else None
            for earlier_mention, earlier in reversed(self.named):
                if noun in earlier_mention or noun in earlier.name.lower():
                    return earlier
            wanted = guess_kind(noun)
        elif word in ("he", "she"):
            wanted = "person"
        elif word == "it":
            wanted = "organisation"
        else:
            wanted = None
        singular = word in ("he", "she") or noun is not None
        for earlier_mention, earlier in reversed(self.named):
            if singular and PLURAL_WORD.search(earlier_mention):
                continue
            if wanted is None or earlier.kind == wanted:
                return earlier
            if word in ("he", "she") and earlier.kind is None and earlier.name[:1].isupper():
                return earlier  # a one-word name that spoke: a person, whoever it is
        return self._known_before(wanted)

    def _known_before(self, wanted: str | None) -> Resolved | None:
        """The last speaker of the alias table named in the text before ``position``, of a
        compatible kind: the antecedent when no earlier quote or report named a speaker
        (``Nisar arrived. "…," he said``)."""
        last, found = -1, None
        for speaker, start in self.table.mentions(self.text[: self.position]):
            if (wanted is None or speaker.kind == wanted) and start > last:
                last, found = start, speaker
        if found is not None:
            return Resolved(found.name, found.category, found.kind, True)
        if wanted != "person":
            return None
        # else the last person's name in the prose just before (two to four capitalised words)
        window = self.text[max(0, self.position - PRONOUN_WINDOW) : self.position]
        for match in reversed(list(patterns.PERSON_NAME.finditer(window))):
            resolved = self.table.resolve(match.group(0))
            if resolved.kind == "person" and not PLURAL_WORD.search(match.group(0)):
                return resolved
        return None


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


def _sentence_bounds(text: str, paragraph: tuple[int, int], position: int) -> int:
    """Start of the sentence holding ``position`` (a rough split, enough to bound a search)."""
    start = paragraph[0]
    for match in _SENTENCE_END.finditer(text, paragraph[0], position):
        start = match.end()
    return start


def _attribute_direct(text: str, quote: _Quote, following: int, previous: int) -> None:
    """Set ``mention`` and ``attribution`` of a direct quote from the words around it.

    ``following`` is where the text after the quote stops (the next quote's opening mark or
    the paragraph end); ``previous`` where the text before it starts.
    """
    outer_start, outer_end = quote.outer
    after = patterns.AFTER_QUOTE.match(text[outer_end : min(following, outer_end + MAX_CONTEXT)])
    if after:
        quote.mention = after.group("mention") or after.group("mention2")
        quote.attribution = "after"
        return
    before = text[max(previous, outer_start - MAX_CONTEXT) : outer_start]
    if re.search(r"[.!?]\s*$", before):
        return
    for verb in reversed(list(patterns.VERB_BEFORE.finditer(before))):
        between = before[verb.end() :]
        if len(between.split()) > MAX_WORDS_VERB_TO_QUOTE or re.search(r"[.!?][\"”’]?\s", between):
            continue
        subject = patterns.SUBJECT_BEFORE_VERB.search(before[: verb.start()])
        if subject:
            quote.mention = subject.group("mention")
            quote.attribution = "before"
            quote.weak = bool(patterns.WEAK_VERB.fullmatch(verb.group("verb")))
            return
    # "X lashed out at the press, saying "…"": the participle's subject opens the sentence
    participle = patterns.PARTICIPLE_BEFORE.search(before)
    if participle and previous <= outer_start - len(before) and quote.n_words > SCARE_MAX_WORDS:
        between = before[participle.end() :]
        subject = patterns.SENTENCE_SUBJECT.match(before)
        if subject and len(between.split()) <= MAX_WORDS_VERB_TO_QUOTE:
            quote.mention = subject.group("mention")
            quote.attribution = "before"


def _indirect(text: str, sentence) -> _Quote | None:
    """Reported speech in one sentence (the first pattern that matches), or None."""
    body = text[sentence.start : sentence.end]
    if not patterns.has_reporting_word(body):  # most sentences report nobody: skip the rest
        return None
    found = None
    match = patterns.INDIRECT_SUBJECT.match(body)
    if match and (match.group("that") or patterns.CLAUSE_START.match(match.group("clause"))):
        found = match.group("quoted") or match.group("mention"), match.start("clause"), None
    for pattern, how, needed in (
        (patterns.INDIRECT_ADDING, "search", "adding"),
        (patterns.INDIRECT_COORDINATED, "match", " that "),
        (patterns.ACCORDING_FIRST, "match", "According to"),
        (patterns.INDIRECT_QUESTION, "search", "ask"),
    ):
        if found is None and needed in body:
            match = getattr(pattern, how)(body)
            if match:
                found = match.group("mention"), match.start("clause"), None
    attribution = "according_to" if body.startswith("According to") else "reported"
    for pattern, name, needed in (
        (patterns.INDIRECT_TRAILING, "reported", ", "),
        (patterns.ACCORDING_LAST, "according_to", "according to"),
    ):
        if found is None and needed in body:
            match = pattern.match(body)
            if match:
                groups = match.groupdict()
                found = groups.get("mention") or groups.get("mention2"), 0, match.end("clause")
                attribution = name
    if found is None:
        return None
    mention, clause_start, clause_end = found
    if clause_end is None:
        clause_end = len(body.rstrip().rstrip(".!?"))
    start, end = _trim(body, clause_start, clause_end)
    return _Quote(
        "indirect",
        sentence.start + start,
        sentence.start + end,
        mention=mention,
        attribution=attribution,
    )


def _quoted_share(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> float:
    inside = sum(max(0, min(end, b) - max(start, a)) for a, b in spans)
    return inside / max(end - start, 1)


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


def _term(text: str) -> str:
    return " ".join(text.lower().strip(" .,;:!?").split())


def _keep_scare_quotes_scare(text: str, top: list[_Quote]) -> None:
    """Short quoted words that only inherited a speaker from a neighbouring quote lose it
    when the same words were scare-quoted (quoted with no speaker) earlier in the article:
    the writer's term stays the writer's (``informed the court that "almost 85 percent"
    of "blasphemous" material``)."""
    scare_terms: set[str] = set()
    for quote in top:
        term = _term(text[quote.start : quote.end])
        if quote.n_words > SCARE_MAX_WORDS:
            continue
        if quote.speaker is None:
            scare_terms.add(term)
        elif quote.attribution == "same_paragraph" and term in scare_terms:
            quote.speaker, quote.category, quote.mention = None, UNKNOWN, None
            quote.attribution = "none"


def _previous_paragraph_statement(
    text: str, quote: _Quote, top: list[_Quote], paragraph: tuple[int, int]
) -> list[_Quote]:
    """The last statement of the previous paragraph, when ``quote`` is the whole of its own
    paragraph (the news convention: a new paragraph that is only a quote goes on with the
    speaker of the quote before it)."""
    outside = text[paragraph[0] : quote.outer[0]] + text[quote.outer[1] : paragraph[1]]
    if any(ch.isalnum() for ch in outside):
        return []
    earlier = [q for q in top if q.outer[1] <= paragraph[0]]
    if not earlier or text[earlier[-1].outer[1] : paragraph[0]].count("\n") == 0:
        return []
    gap = text[earlier[-1].outer[1] : paragraph[0]]
    return earlier[-1:] if len(gap.split()) <= 25 and "\n\n\n" not in gap else []


def _inherit_within_paragraphs(
    text: str, top: list[_Quote], paragraphs: list[tuple[int, int]]
) -> None:
    """An unattributed quote takes the speaker of a neighbouring quote in its paragraph.

    The neighbour is the nearest quote before it in the same sentence (``"A," he said,
    "B."``; ``vowed to take "any steps necessary" to "eliminate"``), else the next quote
    in the same sentence, else, when both are full statements (four words or more), the
    quote before it in the paragraph (a statement that runs on after ``he said.``). Short
    quoted words in a later sentence keep no speaker: they are the writer's.
    """
    for index, quote in enumerate(top):
        if quote.speaker is not None or quote.attribution != "none":
            continue
        paragraph = next(p for p in paragraphs if p[0] <= quote.outer[0] < p[1])
        before = [q for q in top[:index] if q.outer[0] >= paragraph[0]][::-1]
        after = [q for q in top[index + 1 :] if q.outer[0] < paragraph[1]]
        same_sentence = [q for q in before + after if q.sentence == quote.sentence]
        statements = [
            q for q in before[:1] if q.n_words > SCARE_MAX_WORDS and quote.n_words > SCARE_MAX_WORDS
        ]
        if not same_sentence and not before and quote.n_words > SCARE_MAX_WORDS:
            statements = _previous_paragraph_statement(text, quote, top, paragraph)
        for other in (same_sentence or statements)[:1]:
            if other.speaker is None or other.attribution not in ("after", "before"):
                continue
            if other.weak and quote.n_words <= SCARE_MAX_WORDS:
                continue
            quote.speaker, quote.category = other.speaker, other.category
            quote.mention, quote.attribution = other.mention, "same_paragraph"


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
