"""The regular expressions that find a speaker next to a quote or in reported speech.

Kept apart from the extraction logic so the patterns read as a list: a *mention* (a
capitalised name, a description such as ``an interior ministry spokesperson``, or a
pronoun), a *speech verb* (``said``, ``told``, ``added``, ...), and the shapes that join
them to a quote: ``"…," X said``, ``"…," said X``, ``X said: "…"``, ``X said that …``,
``…, X said.``, ``according to X``, ``X told Y …``, ``X quoted Y as saying that …``.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analysis import tokens
from analysis.quotes.speakers import ORGANISATION_NOUNS, PERSON_NOUNS, _alternatives

CASELESS_ASCII_LOOKALIKES = frozenset("\u0130\u0131\u017f\u212a")
"""The characters outside ASCII that an ignore-case regex matches to an ASCII letter (İ, ı, ſ,
the Kelvin sign K); a text holding one goes straight to the regex."""


# A capitalised word (initials, titles such as Sen., hyphens allowed; a word ending in a full
# stop is not part of a name, so a name never runs into the next sentence) and the small
# words inside names.
_TITLES = "Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|St|Prof|Jr|Sr|Rev|Hon"
_CAP = rf"(?:{_alternatives(_TITLES)}\.|(?:[A-Z]\.){{1,3}}|[A-Z][\w’'-]*)"
_NAME_WORDS = "of|the|al|bin|de|van|von|for|and|la|le|du|da"
_NAME = rf"{_CAP}(?:\s+(?:{_alternatives(_NAME_WORDS)}\s+)*{_CAP})*"
_PLURALS = (
    "officials|authorities|sources|activists|campaigners|users|experts|analysts|critics|"
    "people|residents|voters|protesters|lawmakers|leaders|members|workers|supporters|alumni|"
    "students|parents|witnesses"
)
# (?:nouns)s? tries each noun with its "s", then without
_HEAD_WORDS = "|".join(f"{noun}s|{noun}" for noun in PERSON_NOUNS.split("|"))
_HEAD_WORDS += f"|{ORGANISATION_NOUNS}|{_PLURALS}"
_HEAD = _alternatives(_HEAD_WORDS)
# [\w-]*+ gives nothing back: \s+ could not match what it gave
_MODIFIER = r"(?:(?:[a-z][\w-]*+|[A-Z][\w-]*+)\s+)"
_MAX_MODIFIERS = 3
_PREPOSITIONS = "of|at|for|in|from"
_PP = rf"(?:\s+(?:{_PREPOSITIONS})\s+(?:the\s+)?{_NAME})?"
_DETERMINERS = "the|a|an|one|another|two|three|several|some"
_DESCRIPTION = (
    rf"(?:(?i:{_alternatives(_DETERMINERS)})\s+|{_NAME}['’]s\s+)?"
    rf"{_MODIFIER}{{0,{_MAX_MODIFIERS}}}?{_HEAD}{_PP}"
)
PRONOUNS = ("he", "she", "they", "it", "we")
_PRONOUN = rf"(?i:{_alternatives('|'.join(PRONOUNS))})"
PERSON_NAME = re.compile(rf"\b{_CAP}(?:\s+{_CAP}){{1,3}}\b")
"""Two to four capitalised words: a candidate person's name in running prose."""
MENTION = rf"(?:{_DESCRIPTION}|(?:(?i:the)\s+)?{_NAME}|{_PRONOUN})"
"""A speaker as written: a description, a capitalised name or a pronoun."""

WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_AUX_WORDS = "has|have|had|was|were|is|would|will|also|later|then|further|previously|reportedly"
_AUX = rf"(?:(?:{_alternatives(_AUX_WORDS)}|on\s+{WEEKDAYS}|{WEEKDAYS}|[a-z]+ly)\s+)"
SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|continued|stated|states|explained|explains|wrote|"
    "writes|tweeted|warned|warns|vowed|vows|observed|noted|notes|insisted|insists|argued|"
    "argues|claimed|claims|asked|asks|replied|declared|announced|acknowledged|admitted|"
    "stressed|emphasised|emphasized|maintained|recalled|commented|remarked|reported|"
    "informed|described|promised|pledged|urged|suggested|confirmed|denied|responded|"
    "concluded|posted|branded|dubbed|alleged|revealed|pointed out|conceded|complained|"
    "cautioned|predicted|assured|believes|shouted|yelled|screamed|joked|quipped|describes|"
    "add|recalls|explains|insist|argue|claim|note|warn|tweets|posted|testified|texted|"
    "emailed|whispered|sighed|laughed|boasted|bragged|conceded|countered|retorted"
)
"""Verbs that attribute words to a speaker, the quoted words however short."""
WEAK_VERBS = r"called(?:\s+(?:on|upon|for))?|demanded|labelled|labeled|termed|criticised|criticized"
"""Verbs that attribute a quote only when it is four words or longer (shorter quoted words
after them are usually the writer's own scare quotes: ``called on X to remove "blasphemous"
content``)."""
# the word each of them starts with (its groups left out: "called(?:\s+(?:on|…))?" gives called)
_WEAK_FIRST_WORDS = frozenset(re.sub(r"\(.*?\)+\??", "", WEAK_VERBS).split("|"))

_VERB = _alternatives(SPEECH_VERBS)
_ANY_VERB = rf"(?:{_VERB}|{WEAK_VERBS})"
_APPOSITION = r"(?:,\s+[^,\"“”\n]{1,150}?,)?"

AFTER_QUOTE = re.compile(
    rf"^[\s,;:—–-]*(?:(?P<mention>{MENTION}){_APPOSITION}\s+{_AUX}*(?P<verb>{_VERB})\b"
    rf"|(?P<verb2>{_VERB})\s+(?P<mention2>{MENTION}))"
)
"""``"…," X said`` / ``"…," X, the minister, said`` / ``"…," said X`` right after a quote."""

VERB_BEFORE = re.compile(rf"\b(?P<verb>{_ANY_VERB})\b")
SUBJECT_BEFORE_VERB = re.compile(
    rf"(?P<mention>{MENTION})(?:{_APPOSITION}\s+|\s*[,—–]\s*(?:which|who)\s+){_AUX}*$"
)
"""The subject of a speech verb (``X said``, ``X — which claims``), matched at the end of
the text before the verb (search from :func:`subject_search_start`)."""

_NAMED_WORDS = frozenset(
    word.lower()
    for alternation in (
        _DETERMINERS,
        "|".join(PRONOUNS),
        _NAME_WORDS,
        _PREPOSITIONS,
        _HEAD_WORDS,
        _AUX_WORDS,
        "on|which|who",
    )
    for alternative in alternation.split("|")
    for word in alternative.split()
)
"""The words that the parts of :data:`SUBJECT_BEFORE_VERB` other than a description's
modifiers match (``the``, ``he``, ``of``, ``minister``, ``has``, ``who``, ...), in small
letters."""
_NOT_IN_MENTION = re.compile(r"[^\w\s’'.\-]")
_OUT_OF_PLACE = re.compile(
    rf"^[^A-Za-z{''.join(sorted(CASELESS_ASCII_LOOKALIKES))},—–]|[^\w’'.\-,—–]"
)
"""A word that no part of :data:`SUBJECT_BEFORE_VERB` but an apposition matches: one that
starts with neither a letter (as its ignore-case parts see letters) nor a separator, or
holds a character that no mention, separator or auxiliary holds."""


def subject_search_start(head: str) -> int:
    """Where :data:`SUBJECT_BEFORE_VERB`'s first match in ``head`` starts at the earliest: the
    search from there finds that match, sooner.

    A match is a mention, then an apposition (between the last two commas of ``head``), or
    *which* or *who*, or nothing, then auxiliaries (``has``, ``reportedly``), to the end.
    Outside the apposition, each word of it but the one it starts in fits
    (:data:`_OUT_OF_PLACE`), and those in small letters are :data:`_NAMED_WORDS`, adverbs in
    *-ly*, or at most three modifiers of a description (``the newly appointed interior
    minister``): so it starts at or after a word that does not fit, and at or after the
    fourth of the others from the end.
    """
    marks = [match.start() for match in _NOT_IN_MENTION.finditer(head)]
    apposition = (-1, -1)  # the characters an apposition could take up, if any
    if marks and head[marks[-1]] == ",":
        commas = [at for at in marks if head[at] == ","]
        if len(commas) > 1:
            apposition = (commas[-2], commas[-1])
    others, end = 0, len(head)
    for word in reversed(head.split()):
        end = head.rfind(word, 0, end)  # where the word starts
        if end <= apposition[1] and end + len(word) > apposition[0]:
            continue
        if _OUT_OF_PLACE.search(word):
            return end
        if _is_modifier(word):
            others += 1
            if others > _MAX_MODIFIERS:
                return end
    return 0


def _is_modifier(word: str) -> bool:
    """Whether a word of small letters (``[a-z][\\w-]*``) is none of :data:`_NAMED_WORDS`
    nor an adverb in *-ly* (``[a-z]+ly``): in a mention, it can only be a modifier."""
    if not ("a" <= word[0] <= "z") or word.lower() in _NAMED_WORDS:
        return False
    if word.isascii() and word.isalpha() and word.islower():  # letters only
        return not (len(word) > 2 and word.endswith("ly"))
    return all(c.isalnum() or c in "_-" for c in word)  # [\w-] beyond the first letter


PARTICIPLE_BEFORE = re.compile(
    r",\s+(?:saying|adding|noting|vowing|telling|writing|declaring|insisting|arguing|"
    r"warning|explaining|calling|stressing)\b(?![^\"“”]*[.!?]\s)"
)
"""``…, saying`` before a quote: the speaker is the subject of the sentence."""
SENTENCE_SUBJECT = re.compile(rf"^\s*(?:[^,\"“”]{{0,60}},\s+)?(?P<mention>{MENTION})\s+[a-z]")
"""The subject that opens a sentence (after an introductory phrase)."""


def _first_words(*alternations: str) -> frozenset[str]:
    """The first word of every alternative (``"said|pointed out"`` gives said, pointed)."""
    return frozenset(a.split()[0] for alternation in alternations for a in alternation.split("|"))


# Reported speech without quotation marks, on one sentence.
_INTRO = r"(?:[^,\"“”]{0,80},\s+)?"
_OBJECT = rf"(?:(?:the\s+)?{_NAME}|reporters|journalists|parliament|lawmakers|{_DESCRIPTION})"
_BARE_CLAUSE_VERB = (
    "said|says|added|warned|claimed|stated|insisted|argued|noted|believes|vowed|explained|"
    "stressed|maintained|reported"
)
_THAT_CLAUSE_VERB = (
    "announced|acknowledged|admitted|confirmed|denied|alleged|suggested|revealed|predicted|"
    "agreed|promised|pointed out|observed|recalled|conceded|complained|cautioned"
)
_TOLD_VERB = "told|informed|assured|warned|reminded"
_COORDINATED_VERB = "said|announced|claimed|warned|insisted|stated"
_TRAILING_VERB = "said|says|added|reported|claimed|stated|noted|explained|warned"
_TRAILING_VERB_FIRST = "said|says|added"
_TRAILING_TAIL = rf"(?:\s+(?:on\s+)?{WEEKDAYS})?(?:\s*[.!?]|,\s.*)?\s*"
INDIRECT_SUBJECT = re.compile(
    rf"^{_INTRO}(?P<mention>{MENTION}){_APPOSITION}\s+{_AUX}*"
    rf"(?:(?P<verb>{_alternatives(_BARE_CLAUSE_VERB)})(?:,\s+adding)?"
    rf"|(?P<verb_that>{_alternatives(_THAT_CLAUSE_VERB)})(?=\s+that\b)"
    rf"|(?P<told>{_alternatives(_TOLD_VERB)})\s+{_OBJECT}"
    rf"|quoted\s+(?P<quoted>{MENTION})\s+as\s+saying)"
    rf"\s+(?P<that>that\s+)?(?P<clause>\S.*)$",
    re.DOTALL,
)
"""``X said (that) …``, ``X announced that …``, ``X told Y (that) …``, ``X quoted Y as
saying that …``, at the start of a sentence (after an introductory phrase)."""
INDIRECT_ADDING = re.compile(
    rf"(?P<mention>{MENTION})\s+{_AUX}*(?:{_VERB}),\s+adding\s+(?:that\s+)?(?P<clause>\S.*)$",
    re.DOTALL,
)
"""``"…," X said, adding that …``: the clause after *adding*."""
ADDING_CUE = re.compile(rf"\s(?:{_VERB}),\s+adding\s+(?:that\s+)?\S")
"""The end of every match of :data:`INDIRECT_ADDING` (its mention left out)."""
INDIRECT_COORDINATED = re.compile(
    rf"^(?P<mention>{MENTION})\s[^\"“”]*?,?\s+and\s+(?:has\s+|had\s+|have\s+)?"
    rf"{_alternatives(_COORDINATED_VERB)}\s+that\s+(?P<clause>\S.*)$",
    re.DOTALL,
)
"""``X wants …, and has announced that …``: the subject of the sentence reports."""
COORDINATED_CUE = re.compile(
    rf"\sand\s+(?:has\s+|had\s+|have\s+)?(?:{_COORDINATED_VERB})\s+that\s+\S"
)
"""The end of every match of :data:`INDIRECT_COORDINATED` (its mention and more left out)."""
INDIRECT_QUESTION = re.compile(
    rf"(?P<mention>{MENTION})(?:,\s+(?:which|who))?\s+(?:asking|asked)\s+"
    rf"(?:(?:the\s+)?[\w’'-]+\s+)?(?P<clause>(?:if|whether|why|how|what|when)\b.*)$",
    re.DOTALL,
)
"""``X asked Y whether …`` / ``an inquiry from X asking Y if …``: a reported question."""
QUESTION_CUE = re.compile(
    r"\s(?:asking|asked)\s+(?:(?:the\s+)?[\w’'-]+\s+)?(?:if|whether|why|how|what|when)\b"
)
"""The end of every match of :data:`INDIRECT_QUESTION` (its mention and more left out)."""
INDIRECT_TRAILING = re.compile(
    rf"^(?P<clause>.{{15,}}?),\s+(?:(?P<mention>{MENTION})\s+{_AUX}*"
    rf"(?P<verb>{_alternatives(_TRAILING_VERB)})"
    rf"|(?P<verb2>{_alternatives(_TRAILING_VERB_FIRST)})\s+(?P<mention2>{MENTION}))"
    rf"(?P<tail>{_TRAILING_TAIL})$",
    re.DOTALL,
)
"""``…, X said.`` / ``…, said X.`` / ``…, the statement said, and …``."""
TRAILING_TAIL = re.compile(rf"{_TRAILING_TAIL}$", re.DOTALL)
"""What follows the verb of :data:`INDIRECT_TRAILING` when its speaker comes first."""
TRAILING_VERBS_FIRST = _first_words(_TRAILING_VERB_FIRST)
"""The verbs of :data:`INDIRECT_TRAILING` that may come before the speaker, right after a
comma."""
ACCORDING_FIRST = re.compile(r"^According to (?P<mention>[^,\"“”]{2,80}),\s+(?P<clause>\S.*)$")
ACCORDING_LAST = re.compile(
    r"^(?P<clause>.{15,}?),\s+according to (?P<mention>[^,.\"“”]{2,80})\s*[.!?]?\s*$",
    re.DOTALL,
)
"""``According to X, …`` and ``…, according to X.``"""

REPORTING_WORD = re.compile(
    rf"\b(?:{SPEECH_VERBS}|told|informed|assured|reminded|quoted|according|adding|asking|"
    r"announced|acknowledged|admitted|confirmed|denied|alleged|suggested|revealed|agreed|"
    r"promised|pointed)\b",
    re.IGNORECASE,
)
"""Any word that can introduce reported speech: sentences without one are skipped."""
_REPORTING_ALTERNATIVES = re.sub(r"\\b|\(\?:|\)", "", REPORTING_WORD.pattern).split("|")
_REPORTING_WORDS = frozenset(a for a in _REPORTING_ALTERNATIVES if " " not in a)
_REPORTING_FIRST_WORDS = frozenset(
    alternative.split()[0] for alternative in _REPORTING_ALTERNATIVES
)
_WORD = re.compile(r"\w+")


def has_reporting_word(text: str) -> bool:
    """Whether :data:`REPORTING_WORD` occurs in ``text``, as its ``search`` says, but faster.

    Without a character of :data:`CASELESS_ASCII_LOOKALIKES`, lower-casing keeps every
    character's place and the regex matches exactly the lower-cased whole words equal to
    one of its alternatives: a set lookup of the words answers, unless only the first word
    of a longer alternative (``pointed out``) is there.
    """
    if not CASELESS_ASCII_LOOKALIKES.isdisjoint(text):
        return REPORTING_WORD.search(text) is not None
    words = set(_WORD.findall(text.lower()))
    if not _REPORTING_WORDS.isdisjoint(words):
        return True
    if _REPORTING_FIRST_WORDS.isdisjoint(words):
        return False
    return REPORTING_WORD.search(text) is not None


SPAN_WORDS = _REPORTING_FIRST_WORDS | _WEAK_FIRST_WORDS
"""The words :func:`reporting_word_spans` finds: the first words of :data:`REPORTING_WORD`'s
alternatives (reported speech) and of :data:`WEAK_VERBS` (with them, of every match of
:data:`VERB_BEFORE`)."""
_SPAN_WORDS_RE2 = "(?i)" + "|".join(sorted(SPAN_WORDS, key=lambda w: (-len(w), w)))
""":data:`SPAN_WORDS`, in any case, whole words or not, for Arrow's regex engine (RE2, which
finds them all in one pass over a text); the longest first, so that a whole word is found
whole."""
_SPAN_MARK = "\ue000"
_UNREADABLE = (*CASELESS_ASCII_LOOKALIKES, _SPAN_MARK)


def reporting_word_spans(
    texts: list[str], array: pa.Array | pa.ChunkedArray | None = None
) -> list[list[tuple[int, int]] | None]:
    """Where each text may hold a reporting word: spans ``(start, end)`` of the text, in
    order and apart, such that every occurrence of a word of :data:`SPAN_WORDS` (whole word
    or not, in any case) overlaps one of them. A piece of the text for which
    :func:`has_reporting_word` is true overlaps one, and a whole word of them that follows a
    character other than a letter starts one.

    ``array`` is the same texts held by Arrow, when they are (read without a copy). A text
    this cannot tell about gives None: one holding a character of
    :data:`CASELESS_ASCII_LOOKALIKES` (where Python's regex and Arrow's ignore case
    differently) or a lone surrogate, or not a string.

    >>> reporting_word_spans(["He SAID so, unsaid.", "Nothing here."])
    [[(3, 7), (14, 18)], []]
    """
    readable = [_readable(text) for text in texts]
    if array is None:
        try:
            array = pa.array(readable, pa.string())
        except UnicodeEncodeError:  # a lone surrogate
            array = pa.array([_readable(t, check_utf8=True) for t in readable], pa.string())
    # each match between two marks: the pieces of a text alternate between text and a match
    marked = pc.replace_substring_regex(array, _SPAN_WORDS_RE2, _SPAN_MARK + r"\0" + _SPAN_MARK)
    pieces = pc.split_pattern(marked, _SPAN_MARK)
    chunks = pieces.chunks if isinstance(pieces, pa.ChunkedArray) else [pieces]
    found = [spans for chunk in chunks for spans in _match_spans(chunk)]
    return [spans if text is not None else None for spans, text in zip(found, readable)]


def _match_spans(pieces: pa.ListArray) -> list[list[tuple[int, int]] | None]:
    """The spans of every other piece (the matches) of each text, None for a null text."""
    lengths = pc.utf8_length(pieces.flatten()).to_numpy(zero_copy_only=False)
    offsets = pieces.offsets.to_numpy(zero_copy_only=False)
    n_pieces = np.diff(offsets)
    piece_start = np.cumsum(lengths) - lengths  # in all the texts end to end
    first_piece = (offsets[:-1] - offsets[0])[n_pieces > 0]
    piece_start -= np.repeat(piece_start[first_piece], n_pieces[n_pieces > 0])
    is_match = tokens.positions_within(n_pieces) % 2 == 1
    starts, ends = piece_start[is_match], (piece_start + lengths)[is_match]
    bounds = np.concatenate([[0], np.cumsum(n_pieces // 2)]).tolist()
    starts, ends = starts.tolist(), ends.tolist()
    return [
        list(zip(starts[a:b], ends[a:b])) if valid else None
        for valid, a, b in zip(pieces.is_valid().to_pylist(), bounds, bounds[1:])
    ]


def _readable(text, *, check_utf8: bool = False) -> str | None:
    """``text`` when :func:`reporting_word_spans` can read it, else None."""
    if not isinstance(text, str) or any(c in text for c in _UNREADABLE):
        return None
    if check_utf8:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return None
    return text


NEEDED_WORDS = {
    INDIRECT_SUBJECT: _first_words(_BARE_CLAUSE_VERB, _THAT_CLAUSE_VERB, _TOLD_VERB, "quoted"),
    INDIRECT_ADDING: _first_words("adding"),
    INDIRECT_COORDINATED: _first_words(_COORDINATED_VERB),
    INDIRECT_QUESTION: _first_words("asking|asked"),
    INDIRECT_TRAILING: _first_words(_TRAILING_VERB, _TRAILING_VERB_FIRST),
    ACCORDING_LAST: _first_words("according"),
}
"""For each pattern of reported speech (but :data:`ACCORDING_FIRST`), words one of which its
every match holds as written, after white space and not followed by a letter inside the
sentence: each is one of :data:`SPAN_WORDS` and begins no other, so
:func:`reporting_word_spans` finds it as one span of exactly its text. A sentence whose spans
hold none of them cannot match the pattern."""


CLAUSE_START = re.compile(
    rf"(?:{_PRONOUN}\b|(?i:the|a|an|this|that|there|all|no|its?|his|her|their|our|my|"
    rf"some|many|most|every|any|if|when|while)\b|[A-Z])"
)
"""What a reported clause starts with (so ``X said on Thursday.`` is no report)."""
WEAK_VERB = re.compile(rf"(?:{WEAK_VERBS})")

ANAPHOR = re.compile(
    rf"^(?:{_PRONOUN}|(?i:the|this)\s+(?P<noun>{_HEAD})|(?i:a|an)\s+(?P<new>statement|report))$",
)
"""A mention that points back (``he``, ``it``, ``the minister``, ``the company``)."""
