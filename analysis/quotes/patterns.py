"""The regular expressions that find a speaker next to a quote or in reported speech.

Kept apart from the extraction logic so the patterns read as a list: a *mention* (a
capitalised name, a description such as ``an interior ministry spokesperson``, or a
pronoun), a *speech verb* (``said``, ``told``, ``added``, ...), and the shapes that join
them to a quote: ``"…," X said``, ``"…," said X``, ``X said: "…"``, ``X said that …``,
``…, X said.``, ``according to X``, ``X told Y …``, ``X quoted Y as saying that …``.
"""

from __future__ import annotations

import re

from analysis.quotes.speakers import ORGANISATION_NOUNS, PERSON_NOUNS

# A capitalised word (initials, titles such as Sen., hyphens allowed; a word ending in a full
# stop is not part of a name, so a name never runs into the next sentence) and the small
# words inside names.
_CAP = (
    r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|St|Prof|Jr|Sr|Rev|Hon)\."
    r"|(?:[A-Z]\.){1,3}|[A-Z][\w’'-]*)"
)
_NAME = rf"{_CAP}(?:\s+(?:(?:of|the|al|bin|de|van|von|for|and|la|le|du|da)\s+)*{_CAP})*"
_PLURALS = (
    "officials|authorities|sources|activists|campaigners|users|experts|analysts|critics|"
    "people|residents|voters|protesters|lawmakers|leaders|members|workers|supporters|alumni|"
    "students|parents|witnesses"
)
_HEAD = rf"(?:(?:{PERSON_NOUNS})s?|{ORGANISATION_NOUNS}|{_PLURALS})"
_MODIFIER = r"(?:(?:[a-z][\w-]*|[A-Z][\w-]*)\s+)"
_PP = rf"(?:\s+(?:of|at|for|in|from)\s+(?:the\s+)?{_NAME})?"
_DESCRIPTION = (
    rf"(?:(?i:the|a|an|one|another|two|three|several|some)\s+|{_NAME}['’]s\s+)?"
    rf"{_MODIFIER}{{0,3}}?{_HEAD}{_PP}"
)
PRONOUNS = ("he", "she", "they", "it", "we")
_PRONOUN = r"(?i:he|she|they|it|we)"
PERSON_NAME = re.compile(rf"\b{_CAP}(?:\s+{_CAP}){{1,3}}\b")
"""Two to four capitalised words: a candidate person's name in running prose."""
MENTION = rf"(?:{_DESCRIPTION}|(?:(?i:the)\s+)?{_NAME}|{_PRONOUN})"
"""A speaker as written: a description, a capitalised name or a pronoun."""

WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_AUX = (
    r"(?:(?:has|have|had|was|were|is|would|will|also|later|then|further|previously|"
    rf"reportedly|on\s+{WEEKDAYS}|{WEEKDAYS}|[a-z]+ly)\s+)"
)
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

_VERB = rf"(?:{SPEECH_VERBS})"
_ANY_VERB = rf"(?:{SPEECH_VERBS}|{WEAK_VERBS})"
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
the text before the verb."""

PARTICIPLE_BEFORE = re.compile(
    r",\s+(?:saying|adding|noting|vowing|telling|writing|declaring|insisting|arguing|"
    r"warning|explaining|calling|stressing)\b(?![^\"“”]*[.!?]\s)"
)
"""``…, saying`` before a quote: the speaker is the subject of the sentence."""
SENTENCE_SUBJECT = re.compile(rf"^\s*(?:[^,\"“”]{{0,60}},\s+)?(?P<mention>{MENTION})\s+[a-z]")
"""The subject that opens a sentence (after an introductory phrase)."""

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
INDIRECT_SUBJECT = re.compile(
    rf"^{_INTRO}(?P<mention>{MENTION}){_APPOSITION}\s+{_AUX}*"
    rf"(?:(?P<verb>{_BARE_CLAUSE_VERB})(?:,\s+adding)?"
    rf"|(?P<verb_that>{_THAT_CLAUSE_VERB})(?=\s+that\b)"
    rf"|(?P<told>told|informed|assured|warned|reminded)\s+{_OBJECT}"
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
INDIRECT_COORDINATED = re.compile(
    rf"^(?P<mention>{MENTION})\s[^\"“”]*?,?\s+and\s+(?:has\s+|had\s+|have\s+)?"
    rf"(?:said|announced|claimed|warned|insisted|stated)\s+that\s+(?P<clause>\S.*)$",
    re.DOTALL,
)
"""``X wants …, and has announced that …``: the subject of the sentence reports."""
INDIRECT_QUESTION = re.compile(
    rf"(?P<mention>{MENTION})(?:,\s+(?:which|who))?\s+(?:asking|asked)\s+"
    rf"(?:(?:the\s+)?[\w’'-]+\s+)?(?P<clause>(?:if|whether|why|how|what|when)\b.*)$",
    re.DOTALL,
)
"""``X asked Y whether …`` / ``an inquiry from X asking Y if …``: a reported question."""
INDIRECT_TRAILING = re.compile(
    rf"^(?P<clause>.{{15,}}?),\s+(?:(?P<mention>{MENTION})\s+{_AUX}*"
    rf"(?P<verb>said|says|added|reported|claimed|stated|noted|explained|warned)"
    rf"|(?P<verb2>said|says|added)\s+(?P<mention2>{MENTION}))"
    rf"(?P<tail>(?:\s+(?:on\s+)?{WEEKDAYS})?(?:\s*[.!?]|,\s.*)?\s*)$",
    re.DOTALL,
)
"""``…, X said.`` / ``…, said X.`` / ``…, the statement said, and …``."""
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
_REPORTING_FIRST_WORDS = frozenset(
    alternative.split()[0]
    for alternative in re.sub(r"\\b|\(\?:|\)", "", REPORTING_WORD.pattern).split("|")
)
_WORD = re.compile(r"\w+")
CASELESS_ASCII_LOOKALIKES = frozenset("\u0130\u0131\u017f\u212a")
"""The characters outside ASCII that an ignore-case regex matches to an ASCII letter (İ, ı, ſ,
the Kelvin sign K); a text holding one goes straight to the regex."""


def has_reporting_word(text: str) -> bool:
    """Whether :data:`REPORTING_WORD` occurs in ``text``, as its ``search`` says, but faster:
    most sentences hold no word that starts one of its alternatives, which a set lookup of
    their lower-cased words shows without the regex."""
    if CASELESS_ASCII_LOOKALIKES.isdisjoint(text) and _REPORTING_FIRST_WORDS.isdisjoint(
        _WORD.findall(text.lower())
    ):
        return False
    return REPORTING_WORD.search(text) is not None


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
