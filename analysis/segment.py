"""Sentences, with their offsets, paragraph, position and voice.

Sentence splitting is the Punkt algorithm (Kiss & Strunk 2006) as nltk's
``PunktSentenceTokenizer`` runs it *untrained*: its only parameters are a list of news
abbreviations given by hand (no collocations, no frequent sentence starters, no
orthographic statistics), so it needs no downloaded model. The algorithm is implemented
here with those parameters fixed, which lets it look at the text only where a sentence
may end (``.``, ``?``, ``!``) instead of annotating every word; nltk's tokenizer is the
reference it is tested against, decision for decision. A few rules run after it: a piece
that starts in lower case is joined to the sentence before (``"Why?" he asked.``), a
closing quotation mark stranded at the start of a piece goes back to the sentence it
closes, an embedded post's signature (``— Name (@handle) March 25, 2017``) stays with its
post, and an initialism such as ``U.S.`` ends a sentence when the next word is a typical
sentence opener (``He``, ``The``, ...). Punkt knows only ``.``, ``?`` and ``!``; the full
stops and question marks of other scripts end a sentence by a rule of their own (see
:data:`_SCRIPT_STOP`), before the joining rules run.

Each sentence gets a ``voice``:

- ``social`` for the text of an embedded social-media post (a paragraph closed by a post
  signature, see :data:`analysis.clean.SOCIAL_SIGNATURE`);
- ``quote`` when at least half of its non-space characters lie inside quotation marks
  (straight or curly, including quotes that run over several paragraphs, see
  :func:`quote_spans`);
- ``narrative`` otherwise.

Words are counted everywhere with the single tokenizer of :mod:`analysis.tokens`.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import progress
from analysis.clean import SOCIAL_SIGNATURE

# fmt: off
NEWS_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "mx", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm",
    "sgt", "cpl", "pvt", "gov", "sen", "rep", "rev", "fr", "hon", "pres", "supt", "insp",
    "det", "messrs", "mme", "mlle", "sr", "jr", "st", "ave", "blvd", "rd", "mt", "ft", "co",
    "corp", "inc", "ltd", "llc", "bros", "dept", "univ", "assn",
    "vs", "etc", "approx", "al", "cf", "ch", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "u.s.a", "e.u", "d.c", "n.y",
    "l.a", "e.g", "i.e", "a.m", "p.m", "ph.d", "b.a", "m.a",
)) | frozenset("abcdefghijklmnopqrstuvwxyz")
# fmt: on
"""Abbreviations (lower case, without the final dot) after which Punkt does not split.
Single letters are included so initials (``George W. Bush``) do not end a sentence."""

# Punkt's patterns (nltk's PunktLanguageVars), spelt for ``re``: nltk compiles them with the
# ``regex`` engine, whose ``\s`` leaves out the separators U+001C..U+001F.
_SPACE = r"[^\S\x1c-\x1f]"
_NON_SPACE = r"[\S\x1c-\x1f]"
_NON_WORD = r"[)\";}\]*:@'({\[‘’“”«»?!]"
_MULTI_CHAR = rf"(?:-{{2,}}|\.{{2,}}|(?:\.{_SPACE}){{2,}}\.)"
_PERIOD_CONTEXT = re.compile(
    rf"[.?!](?={_NON_WORD}|[^\S\n\x1c-\x1f]+"
    rf"(?P<next>(?P<plain>[^\s.?!]+(?!{_NON_SPACE}))|{_NON_SPACE}+))"
)
"""A possible sentence end: followed by punctuation, or by space and a token on the same
line (``next``; ``plain`` when that token holds no possible sentence end itself)."""
_WORD_TOKEN = re.compile(
    rf"{_MULTI_CHAR}|(?=[^(\"`{{\[:;&#*@)}}\]\-,]){_NON_SPACE}+?"
    rf"(?={_SPACE}|$|{_NON_WORD}|{_MULTI_CHAR}|,(?=$|{_SPACE}|{_NON_WORD}|{_MULTI_CHAR}))"
    rf"|{_NON_SPACE}"
)
_NUMBER = re.compile(r"-?[.,]?\d[\d,.-]*\.?")
_REALIGNED = frozenset("\"')]}‘’“”«»")
_PUNCTUATION = frozenset(";:,.!?")
# Letters that ``regex`` counts as word characters and ``str.isalpha`` does not (Unicode's
# Other_Alphabetic symbols: circled and squared Latin letters).
_SYMBOL_LETTERS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))


def _is_initial(token: str) -> bool:
    """Punkt's ``[^\\W\\d]\\.$``: one letter (or mark, or underscore) and a period."""
    if len(token) != 2 or token[1] != "." or token[0].isdecimal():
        return False
    char = token[0]
    return (
        char.isalpha()
        or unicodedata.category(char) in ("Mn", "Mc", "Me", "Nl", "Pc")
        or char in "\u200c\u200d"
        or any(low <= ord(char) <= high for low, high in _SYMBOL_LETTERS)
    )


def _is_sentbreak(token: str, following: str) -> bool:
    """Punkt's verdict on ``token`` followed by ``following``, with our parameters.

    The first pass marks ``.``, ``?``, ``!`` and any period-final token that is not a known
    abbreviation; the second pass takes the mark back from an initial or a number that the
    orthographic heuristic says is not followed by a sentence start. With no orthographic
    statistics that heuristic answers "no" for punctuation or a lower-case word, and the
    special rule for initials also unmarks an initial followed by an upper-case word. An
    abbreviation or an ellipsis is never marked (that would need statistics or sentence
    starters).
    """
    if token in (".", "?", "!"):
        return True
    if not token.endswith(".") or token.endswith(".."):
        return False
    body = token[:-1].lower()
    if body in NEWS_ABBREVIATIONS or body.split("-")[-1] in NEWS_ABBREVIATIONS:
        return False
    kind = "##number##" if _NUMBER.fullmatch(token.lower()) else token.lower()
    if len(kind) > 1 and kind[-1] == ".":
        kind = kind[:-1]
    initial = _is_initial(token)
    if initial or kind == "##number##":
        if following in _PUNCTUATION or following[0].islower():
            return False
        if initial and following[0].isupper():
            return False
    return True


def _contains_sentbreak(context: str) -> bool:
    """Punkt's ``text_contains_sentbreak``: a marked token that is not the last one."""
    tokens = _WORD_TOKEN.findall(context)
    return any(map(_is_sentbreak, tokens, tokens[1:]))


_TO_SPACE = str.maketrans("\t\r\x0b\x0c", "    ")


def _ascii_spaced(text: str) -> str:
    """``text`` with every ASCII space character but the line break made a plain space.

    Punkt looks back for the last ASCII space (``string.whitespace``) before a possible
    sentence end; in this copy (same length, same offsets) one ``rfind`` finds it.
    """
    return text.translate(_TO_SPACE) if any(c in text for c in "\t\r\x0b\x0c") else text


def _punkt_spans(
    text: str, spaced: str, start: int, end: int, matches: list[re.Match]
) -> list[tuple[int, int]]:
    """Punkt's ``span_tokenize`` of ``text[start:end]`` (one paragraph), in text coordinates.

    ``spaced`` is :func:`_ascii_spaced` of ``text``; ``matches`` are the paragraph's
    matches of ``_PERIOD_CONTEXT``. Like nltk, the word before a possible sentence end runs
    back to the last ASCII space; a possible end with no space since the previous one
    takes over that one's word, and the previous one is then not considered at all
    (unless its word was empty).
    """
    candidates: list[tuple[int, int, re.Match]] = []  # position, start of its word, match
    for match in matches:
        at = match.start()
        if not candidates:
            space = spaced.rfind(" ", start, at)
            word = space + 1 if space > start else start
        else:
            before, before_word, _ = candidates[-1]
            space = spaced.rfind(" ", before + 1, at)
            if space >= 0:
                word = space + 1
            else:
                word = before_word
                if before_word != before:
                    candidates.pop()
        candidates.append((at, word, match))
    last = _stripped_end(text, start, end)
    if not candidates:
        return [(start, last)]
    starts, ends = [start], []
    realign = False
    for at, word, match in candidates:
        following = match.start("next")
        if text[at] == ".":  # (a lone "?" or "!" token is never the context's last: a break)
            before = text[word:at]
            if (
                (following < 0 or match.group("plain") is not None)
                and before.isalpha()
                and before.isascii()
            ):  # one plain word, and nothing after the period that Punkt could mark
                if before.lower() in NEWS_ABBREVIATIONS:
                    continue
            elif not _contains_sentbreak(
                text[word : at + 2 if following < 0 else match.end("next")]
            ):
                continue
        ends.append(at + 1)
        if following < 0:
            following = at + 1
        starts.append(following)
        realign = realign or text[following] in _REALIGNED
    ends.append(last)
    if realign:
        return _realign(text, starts, ends)
    if starts[-1] >= last:  # the last token was made of separators (U+001C..) that strip drops
        del starts[-1], ends[-1]
    return list(zip(starts, ends))


def _stripped_end(text: str, start: int, end: int) -> int:
    if not text[end - 1].isspace():
        return end
    return start + len(text[start:end].rstrip())


def _realign(text: str, starts: list[int], ends: list[int]) -> list[tuple[int, int]]:
    """Punkt's ``_realign_boundaries``: closing quotes and brackets that open the next
    slice, up to a space, ``--`` or the slice's end, go to the slice before."""
    spans = []
    shift = 0
    for i in range(len(starts) - 1):
        a, b = starts[i] + shift, ends[i]
        shift = 0
        following, following_end = starts[i + 1], ends[i + 1]
        if text[following] in _REALIGNED:
            close = following
            while close < following_end and text[close] in _REALIGNED:
                close += 1
            if close == following_end or text.startswith("--", close, following_end):
                spans.append((a, close))
                shift = close - following
                continue
            space = close
            while (
                space < following_end
                and text[space].isspace()
                and not "\x1c" <= text[space] <= "\x1f"
            ):
                space += 1
            if space > close:
                spans.append((a, close))
                shift = space - following
                continue
        if a < b:
            spans.append((a, b))
    a, b = starts[-1] + shift, ends[-1]
    if a < b:
        spans.append((a, b))
    return spans


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
_OPENING_QUOTES = '“„«"'
_CLOSING_QUOTES = '”»"'
_DOUBLE_QUOTE_MARK = re.compile(f"[{_OPENING_QUOTES}{_CLOSING_QUOTES}]")


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted stretch of text: ``text[start:end]`` includes both quotation marks.

    ``balanced`` is False when the closing mark was missing (the span then ends at the end
    of its paragraph) and the quote was closed by this module rather than by the writer.
    """

    start: int
    end: int
    balanced: bool


_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The lines of ``text`` that are not blank."""
    return [m.span() for m in _PARAGRAPH.finditer(text)]


def quote_spans(text: str) -> list[QuoteSpan]:
    """Find the stretches of ``text`` inside double quotation marks.

    Straight quotes toggle; curly opening and closing marks pair up. A closing mark that
    appears where no quote is open opens one instead when another closing mark follows in
    the paragraph (writers and scrapers often turn ``“`` into ``”``); otherwise it is ignored.
    A quote still open at the end of a paragraph continues into the next paragraph when
    that paragraph starts with an opening mark (the news convention for a quote running
    over several paragraphs); otherwise it is closed at the paragraph end and flagged
    ``balanced=False``. Single quotation marks are not used: they double as apostrophes.

    Examples
    --------
    >>> [text[s.start:s.end] for text in ['He said "no" and “yes”.'] for s in quote_spans(text)]
    ['"no"', '“yes”']
    """
    return _quote_spans(text, _paragraph_spans(text))


def _quote_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    every_mark = [m.start() for m in _DOUBLE_QUOTE_MARK.finditer(text)]
    first = 0
    for index, (para_start, para_end) in enumerate(paragraphs):
        after = bisect.bisect_left(every_mark, para_end, first)
        marks = every_mark[first:after]
        first = after
        if not marks and open_at is None:
            continue
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
