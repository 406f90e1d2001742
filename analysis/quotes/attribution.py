"""Who said a quote: the words around a direct quote, reported speech, and the neighbouring
quotes of the same paragraph (see :mod:`analysis.quotes.extract` for the order of the rules).
"""

from __future__ import annotations

import re

from analysis.quotes import patterns
from analysis.quotes.spans import _Quote, _trim
from analysis.quotes.speakers import UNKNOWN

SCARE_MAX_WORDS = 3
"""A direct, un-nested quote of one to this many words with no speaker is a scare quote;
quotes this short are attributed more cautiously (after weak verbs, from neighbouring quotes)."""
MAX_WORDS_VERB_TO_QUOTE = 15
"""A speech verb before a quote attributes it only when at most this many words lie
between them (``Facebook said it reviews all requests "with the goal …"``)."""
MAX_CONTEXT = 300
"""Characters before and after a quote searched for its speaker."""

_SENTENCE_END = re.compile(r"[.!?]+[\"”’»]?\s+(?=[\"“‘«(]?[A-Z])")


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
