"""The Punkt algorithm (Kiss & Strunk 2006) as nltk's ``PunktSentenceTokenizer`` runs it
untrained, with :data:`NEWS_ABBREVIATIONS` as its only parameters: :func:`_punkt_spans`
splits one paragraph. tests/test_segment_punkt.py checks it against nltk, decision for
decision."""

from __future__ import annotations

import re
import unicodedata

NEWS_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cmdr",
        "adm",
        "sgt",
        "cpl",
        "pvt",
        "gov",
        "sen",
        "rep",
        "rev",
        "fr",
        "hon",
        "pres",
        "supt",
        "insp",
        "det",
        "messrs",
        "mme",
        "mlle",
        "sr",
        "jr",
        "st",
        "ave",
        "blvd",
        "rd",
        "mt",
        "ft",
        "co",
        "corp",
        "inc",
        "ltd",
        "llc",
        "bros",
        "dept",
        "univ",
        "assn",
        "vs",
        "etc",
        "approx",
        "al",
        "cf",
        "ch",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "u.s.a",
        "e.u",
        "d.c",
        "n.y",
        "l.a",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "ph.d",
        "b.a",
        "m.a",
    ]
) | frozenset("abcdefghijklmnopqrstuvwxyz")
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
