"""Who said a quote: the words around a direct quote, reported speech, and the neighbouring
quotes of the same paragraph (see :mod:`analysis.quotes.extract` for the order of the rules).
"""

from __future__ import annotations

import bisect
import re

from analysis.quotes import patterns
from analysis.quotes.spans import _paragraph_at, _Quote, _Sentences, _trim
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
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’]?\s")


def _sentence_bounds(text: str, paragraph: tuple[int, int], position: int) -> int:
    """Start of the sentence holding ``position`` (a rough split, enough to bound a search):
    the end of the last :data:`_SENTENCE_END` in its paragraph before it.

    That is the end of the last run of ``.!?`` from which the pattern matches (from any of
    its marks alike, as nothing but marks can follow a mark in a match), so the runs are
    tried from the last one back.
    """
    end = position
    while True:
        mark = max(text.rfind(".", paragraph[0], end), text.rfind("!", paragraph[0], end))
        mark = max(mark, text.rfind("?", paragraph[0], end))
        if mark < 0:
            return paragraph[0]
        while mark > paragraph[0] and text[mark - 1] in ".!?":
            mark -= 1
        match = _SENTENCE_END.match(text, mark, position)
        if match:
            return match.end()
        end = mark


def _attribute_direct(
    text: str,
    quote: _Quote,
    following: int,
    previous: int,
    reporting: list[tuple[int, int]] | None = None,
) -> None:
    """Set ``mention`` and ``attribution`` of a direct quote from the words around it.

    ``following`` is where the text after the quote stops (the next quote's opening mark or
    the paragraph end); ``previous`` where the text before it starts. ``reporting`` are the
    text's :func:`patterns.reporting_word_spans` (None: not known): a speech verb after the
    quote follows a character that is not a letter, so one of them starts there.
    """
    outer_start, outer_end = quote.outer
    after_end = min(following, outer_end + MAX_CONTEXT)
    after = None
    if reporting is None or _starts_within(reporting, outer_end, after_end):
        after = patterns.AFTER_QUOTE.match(text[outer_end:after_end])
    if after:
        quote.mention = after.group("mention") or after.group("mention2")
        quote.attribution = "after"
        return
    before_start = max(previous, outer_start - MAX_CONTEXT)
    before = text[before_start:outer_start]
    if before.rstrip().endswith((".", "!", "?")):  # a sentence ends right before the quote
        return
    for verb in reversed(_verbs(before, before_start, reporting)):
        between = before[verb.end() :]
        if len(between.split()) > MAX_WORDS_VERB_TO_QUOTE or _SENTENCE_BREAK.search(between):
            continue
        head = before[: verb.start()]
        subject = patterns.SUBJECT_BEFORE_VERB.search(head, patterns.subject_search_start(head))
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


def _verbs(before: str, start: int, reporting: list[tuple[int, int]] | None) -> list[re.Match]:
    """:data:`patterns.VERB_BEFORE` in ``before`` (the text from ``start``), in order.

    Its verbs are whole words of :data:`patterns.SPAN_WORDS`, so each starts one of
    ``reporting`` (:func:`patterns.reporting_word_spans`; None: not known), but one at
    the very start, where ``before`` may cut a word: only those places are tried.
    """
    if reporting is None:
        return list(patterns.VERB_BEFORE.finditer(before))
    first = bisect.bisect_left(reporting, (start + 1,))
    last = bisect.bisect_left(reporting, (start + len(before),))
    places = [0] + [span_start - start for span_start, _ in reporting[first:last]]
    found = (patterns.VERB_BEFORE.match(before, place) for place in places)
    return [verb for verb in found if verb]


def _starts_within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether one of ``spans`` (in order) starts in ``[start, end)``."""
    index = bisect.bisect_left(spans, (start,))
    return index < len(spans) and spans[index][0] < end


def _reported_speech(
    text: str, sentences: _Sentences, spans: list[tuple[int, int]] | None
) -> list[_Quote]:
    """The reported speech of every sentence but embedded posts' (:func:`_indirect`), in
    order.

    Every pattern of reported speech holds a reporting word, so only the sentences that
    overlap one of ``spans`` (:func:`patterns.reporting_word_spans` of ``text``) are read,
    each with the spans inside it; when ``spans`` is None, the sentences for which
    :func:`patterns.has_reporting_word` is true.
    """
    starts, ends = sentences.start, sentences.end
    if "social" in sentences.voice:
        own = [k for k, voice in enumerate(sentences.voice) if voice != "social"]
        starts, ends = [starts[k] for k in own], [ends[k] for k in own]
    if spans is None:
        found = [
            _indirect(text, start, end)
            for start, end in zip(starts, ends)
            if patterns.has_reporting_word(text[start:end])
        ]
    else:
        found = [
            _indirect(text, starts[k], ends[k], inside)
            for k, inside in _sentence_spans(starts, ends, spans)
        ]
    return [quote for quote in found if quote is not None]


def _sentence_spans(
    starts: list[int], ends: list[int], spans: list[tuple[int, int]]
) -> list[tuple[int, list[tuple[int, int]]]]:
    """The sentences (``starts[k]`` to ``ends[k]``) that overlap one of ``spans`` (in order,
    apart), as their positions ``k``, in order, each with the spans inside it."""
    found: dict[int, list[tuple[int, int]]] = {}
    if all(start <= end for start, end in zip(starts, ends)) and all(
        end <= start for end, start in zip(ends, starts[1:])
    ):  # sentences in order and apart, as usual: find the few of the spans
        for start, end in spans:
            k = max(bisect.bisect_right(starts, start) - 1, 0)
            while k < len(starts) and starts[k] < end:
                if ends[k] > start:
                    inside = found.setdefault(k, [])
                    if starts[k] <= start and end <= ends[k]:
                        inside.append((start, end))
                k += 1
        return sorted(found.items())
    span_starts, span_ends = [start for start, _ in spans], [end for _, end in spans]
    for k, (sentence_start, sentence_end) in enumerate(zip(starts, ends)):
        first = bisect.bisect_right(span_ends, sentence_start)  # spans ending after its start
        last = bisect.bisect_left(span_starts, sentence_end)  # and starting before its end
        if first < last:
            found[k] = [
                (start, end)
                for start, end in spans[first:last]
                if sentence_start <= start and end <= sentence_end
            ]
    return sorted(found.items())


def _trailing_verb_ends(
    text: str, spans: list[tuple[int, int]], sentence_start: int, sentence_end: int
) -> bool:
    """Whether a verb of :data:`patterns.INDIRECT_TRAILING` among ``spans`` (those inside the
    sentence) can be its: followed by the pattern's tail to the sentence end (``…, X said
    on Monday.``), or right after a comma (``…, said X``)."""
    for start, end in spans:
        verb = text[start:end]
        if verb in _TRAILING_WORDS and patterns.TRAILING_TAIL.match(text, end, sentence_end):
            return True
        if (
            verb in patterns.TRAILING_VERBS_FIRST
            and text[sentence_start:start].rstrip().endswith(",")
            and text[start - 1].isspace()
        ):
            return True
    return False


_SUBJECT_WORDS = patterns.NEEDED_WORDS[patterns.INDIRECT_SUBJECT]
_TRAILING_WORDS = patterns.NEEDED_WORDS[patterns.INDIRECT_TRAILING]
_ANY_NEEDED_WORD = frozenset().union(*patterns.NEEDED_WORDS.values())
_CLAUSE_PATTERNS = tuple(
    (pattern, how, needed, cue, patterns.NEEDED_WORDS.get(pattern))
    for pattern, how, needed, cue in (
        (patterns.INDIRECT_ADDING, "search", "adding", patterns.ADDING_CUE),
        (patterns.INDIRECT_COORDINATED, "match", " that ", patterns.COORDINATED_CUE),
        (patterns.ACCORDING_FIRST, "match", "According to", None),
        (patterns.INDIRECT_QUESTION, "search", "ask", patterns.QUESTION_CUE),
    )
)
"""The patterns tried after :data:`patterns.INDIRECT_SUBJECT`, in order, each with the text
it needs, a cue (text its match holds, found far faster than the match is tried) and its
:data:`patterns.NEEDED_WORDS`."""
_WHOLE_PATTERNS = tuple(
    (pattern, attribution, needed, patterns.NEEDED_WORDS.get(pattern), verb_check)
    for pattern, attribution, needed, verb_check in (
        (patterns.INDIRECT_TRAILING, "reported", ", ", _trailing_verb_ends),
        (patterns.ACCORDING_LAST, "according_to", "according to", None),
    )
)
"""The patterns whose clause is the sentence's start, tried last, in order, each with the
text it needs, its :data:`patterns.NEEDED_WORDS` and a check of the spans of those words."""


def _may_match(words: set[str] | None, needed: frozenset[str] | None) -> bool:
    """Whether a sentence of reporting words ``words`` (None: not known) holds one of the
    words a pattern ``needed`` (None: no such words)."""
    return words is None or needed is None or not needed.isdisjoint(words)


def _indirect(
    text: str,
    sentence_start: int,
    sentence_end: int,
    spans: list[tuple[int, int]] | None = None,
) -> _Quote | None:
    """Reported speech in one sentence (the first pattern that matches), or None.

    Each pattern holds a word of :data:`patterns.REPORTING_WORD` (a speech verb, *told*,
    *according*, ...) between characters that are not word characters, so a sentence
    without one (:func:`patterns.has_reporting_word`) never matches. ``spans`` are the
    sentence's :func:`patterns.reporting_word_spans` (None: not known); a pattern none of
    whose :data:`patterns.NEEDED_WORDS` is the text of one of them is not tried.
    """
    words = None if spans is None else {text[start:end] for start, end in spans}
    body = text[sentence_start:sentence_end]
    if (
        words is not None
        and words.isdisjoint(_ANY_NEEDED_WORD)
        and not body.startswith("According to")  # the one pattern that needs none
    ):
        return None
    found = None
    match = patterns.INDIRECT_SUBJECT.match(body) if _may_match(words, _SUBJECT_WORDS) else None
    if match and (match.group("that") or patterns.CLAUSE_START.match(match.group("clause"))):
        found = match.group("quoted") or match.group("mention"), match.start("clause"), None
    for pattern, how, needed, cue, needed_words in _CLAUSE_PATTERNS:
        if (
            found is None
            and needed in body
            and _may_match(words, needed_words)
            and (cue is None or cue.search(body))
        ):
            match = getattr(pattern, how)(body)
            if match:
                found = match.group("mention"), match.start("clause"), None
    attribution = "according_to" if body.startswith("According to") else "reported"
    for pattern, name, needed, needed_words, verb_check in _WHOLE_PATTERNS:
        if (
            found is None
            and needed in body
            and _may_match(words, needed_words)
            and (
                spans is None
                or verb_check is None
                or verb_check(text, spans, sentence_start, sentence_end)
            )
        ):
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
        sentence_start + start,
        sentence_start + end,
        mention=mention,
        attribution=attribution,
    )


def _quoted_share(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> float:
    """The share of ``text[start:end]`` inside ``spans`` (in order, apart)."""
    first = bisect.bisect_right(spans, (start,)) - 1  # the last span starting before start
    overlapping = spans[max(first, 0) : bisect.bisect_left(spans, (end,))]
    inside = sum(max(0, min(end, b) - max(start, a)) for a, b in overlapping)
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
        if quote.n_words > SCARE_MAX_WORDS:
            continue
        term = _term(text[quote.start : quote.end])
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
    opens = [q.outer[0] for q in top]  # in order: top quotes' marks enclose text apart
    for index, quote in enumerate(top):
        if quote.speaker is not None or quote.attribution != "none":
            continue
        paragraph = _paragraph_at(paragraphs, quote.outer[0])
        before = top[bisect.bisect_left(opens, paragraph[0], 0, index) : index][::-1]
        after = top[index + 1 : bisect.bisect_left(opens, paragraph[1], index + 1)]
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
