"""Speakers: the alias table that names and categorises who speaks, and mention patterns.

A speaker file (YAML, read with :func:`analysis.yamlfile.load`: safe, no aliases, at most
10 MB) lists known speakers with their
aliases, kind and category, and optionally words that put an unknown speaker in a
category (``analysis/lexicons/speakers_pakistan_2017.yml`` ships for the seed story)::

    categories: [government, courts, platform_companies, rights_groups, religious_groups,
                 social_media_users, media, other]
    post_category: social_media_users    # the category of an embedded post's author
    speakers:
      - name: Chaudhry Nisar Ali Khan
        kind: person                     # person | organisation
        category: government
        aliases: [Nisar, Ch Nisar Ali Khan, interior minister]
    category_words:                      # for speakers not in the list above
      government: [minister*, ministry, official*, government, authorities]

A mention (``Interior Minister Ch Nisar Ali Khan``, ``the interior minister``, ``Nisar``)
resolves to the speaker whose longest alias (or name) it contains as whole words,
case-insensitively. A mention that matches no alias keeps its own words as the name
(without a leading article) and gets its category from ``category_words``, else
``unknown``: unknown speakers are kept, never dropped.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths, yamlfile

SEED_SPEAKERS = paths.PACKAGE / "lexicons" / "speakers_pakistan_2017.yml"
UNKNOWN = "unknown"
KINDS = ("person", "organisation")
FILE_KEYS = ("categories", "post_category", "speakers", "category_words")
SPEAKER_KEYS = ("name", "kind", "category", "aliases")
RESOLVED_KEPT = 100_000
"""Mentions whose speaker a :class:`SpeakerTable` keeps, so as not to resolve them again."""


class SpeakerFileError(ValueError):
    """A speaker file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Speaker:
    """A known speaker: canonical name, aliases, ``person`` or ``organisation``, category."""

    name: str
    kind: str
    category: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a mention resolved to. ``kind`` is None when the words cannot tell."""

    name: str
    category: str
    kind: str | None
    known: bool


@dataclass
class SpeakerTable:
    """Known speakers and the words that categorise unknown ones.

    Use :func:`read_speakers` to build one from a file; an empty table (the default)
    keeps every mention as its own speaker, categorised by nothing (``unknown``).
    """

    speakers: list[Speaker] = field(default_factory=list)
    categories: tuple[str, ...] = ()
    category_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    post_category: str = UNKNOWN

    def __post_init__(self) -> None:
        entries = []
        for speaker in self.speakers:
            for alias in (speaker.name, *speaker.aliases):
                entries.append((_alias_regex(alias), len(alias), speaker))
        entries.sort(key=lambda entry: -entry[1])
        self._aliases = [(re.compile(pattern, re.IGNORECASE), s) for pattern, _, s in entries]
        self._category_patterns = [
            (category, re.compile(_alias_regex(*words), re.IGNORECASE))
            for category, words in self.category_words.items()
            if words
        ]
        self._resolved: dict[str, Resolved] = {}

    def resolve(self, mention: str) -> Resolved:
        """The speaker a mention names (see the module docstring).

        The same mentions come up again and again (``he``, ``the spokesperson``), so each
        one's answer is kept (up to :data:`RESOLVED_KEPT` of them).

        >>> table = SpeakerTable([Speaker("Nawaz Sharif", "person", "government", ("Sharif",))])
        >>> table.resolve("Pakistan Prime Minister Nawaz Sharif").name
        'Nawaz Sharif'
        >>> table.resolve("a Twitter spokesperson")
        Resolved(name='Twitter spokesperson', category='unknown', kind='person', known=False)
        """
        resolved = self._resolved.get(mention)
        if resolved is None:
            if len(self._resolved) >= RESOLVED_KEPT:
                self._resolved.clear()
            resolved = self._resolved[mention] = self._resolve(mention)
        return resolved

    def _resolve(self, mention: str) -> Resolved:
        mention = clean_mention(mention)
        for pattern, speaker in self._aliases:
            if pattern.search(mention):
                return Resolved(speaker.name, speaker.category, speaker.kind, True)
        name = strip_determiner(clean_mention(mention))
        return Resolved(name, self.categorise(name), guess_kind(name), False)

    def mentions(self, text: str, end: int | None = None) -> list[tuple[Speaker, int]]:
        """Every known speaker named in ``text`` (up to ``end``), with the offset of its last
        mention."""
        found = []
        for pattern, speaker in self._aliases:
            starts = [
                match.start()
                for match in pattern.finditer(text, 0, len(text) if end is None else end)
            ]
            if starts:
                found.append((speaker, starts[-1]))
        return found

    def categorise(self, words: str) -> str:
        """The category whose words occur in ``words``; ``unknown`` when none does."""
        for category, pattern in self._category_patterns:
            if pattern.search(words):
                return category
        return UNKNOWN


def _alias_regex(*aliases: str) -> str:
    """A regex of any of ``aliases`` as whole words (the check before them made once, so
    that the regex engine tries the aliases only where a word can start)."""
    return r"(?<![\w@#])(?:" + "|".join(_alias_body(alias) for alias in aliases) + ")"


def _alias_body(alias: str) -> str:
    wildcard = alias.endswith("*")
    words = alias.rstrip("*").split()
    body = r"\s+".join(re.escape(word) for word in words)
    body = re.sub("['’]", "['’]", body)
    return body + (r"\w*" if wildcard else "") + r"(?!\w)"


_DETERMINER = re.compile(r"^(?:the|a|an|one|another)\s+", re.IGNORECASE)
_LEADING_FUNCTION_WORD = re.compile(
    r"^(?:after|before|when|while|and|but|as|since|because|then|that|so|if|of|in|on|at|by|"
    r"for|with|from|late|last|earlier|later|all|this|these|those|yet|once|now|here|there|"
    r"meanwhile|however|still|also|instead|indeed)\s+",
    re.IGNORECASE,
)
_TRAILING_DATE_WORD = re.compile(
    r"\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday)$"
)


def clean_mention(mention: str) -> str:
    """A mention without the words a pattern may catch around it: leading conjunctions
    and prepositions, a trailing weekday.

    >>> clean_mention("after a senior judge at the Islamabad High Court")
    'a senior judge at the Islamabad High Court'
    >>> clean_mention("Interior Minister Ch Nisar Ali Khan Friday")
    'Interior Minister Ch Nisar Ali Khan'
    """
    mention = mention.strip(" ,.;:—–-")
    while True:
        shorter = _TRAILING_DATE_WORD.sub("", _LEADING_FUNCTION_WORD.sub("", mention))
        if shorter == mention or not shorter:
            return mention
        mention = shorter


@functools.lru_cache(maxsize=65536)
def _clean_mention_kept(mention: str) -> str:
    """:func:`clean_mention`, its answers kept: the same mentions come up again and again."""
    return clean_mention(mention)


def strip_determiner(mention: str) -> str:
    """``mention`` without a leading article and surrounding punctuation or space.

    >>> strip_determiner("the Ministry of Interior")
    'Ministry of Interior'
    """
    return _DETERMINER.sub("", mention.strip(" ,.;:")).strip()


def _alternatives(alternation: str) -> str:
    """A regex of the words of ``alternation`` (``"said|says|pointed out"``: plain words,
    no regex syntax) that matches what ``(?:said|says|pointed out)`` matches, trying the
    words in the same order, but written as a tree of their shared beginnings
    (``(?:sa(?:id|ys)|pointed\\ out)``): the regex engine then compares a character once,
    not once per word, which makes the long lists of nouns and verbs fast.

    Only words that can both match at one place (one begins the other) are tried in an order
    at all; the tree keeps theirs, and a list whose order it cannot keep is refused.
    """
    words = alternation.split("|")
    first_rank: dict[str, int] = {}
    for rank, word in enumerate(words):
        first_rank.setdefault(word, rank)  # a word listed again is never tried again

    def tree(ranked: dict[str, int]) -> str:
        end = ranked.get("")
        branches: dict[str, dict[str, int]] = {}
        for rest, rank in ranked.items():
            if rest:
                branches.setdefault(rest[0], {}).setdefault(rest[1:], rank)
        options = [] if end is None else [(end, "")]
        for char, longer in branches.items():
            if end is not None and min(longer.values()) < end < max(longer.values()):
                raise ValueError(f"cannot keep the order of {alternation!r}")
            options.append((min(longer.values()), re.escape(char) + tree(longer)))
        options.sort()
        if len(options) == 1:
            return options[0][1]
        return "(?:" + "|".join(option for _, option in options) + ")"

    return "(?:" + tree(first_rank) + ")"


def head_noun(description: str) -> str:
    """The last word before a prepositional phrase (``spokesperson`` in ``spokesperson of
    the Interior Ministry``)."""
    words = re.split(r"\s+(?:of|at|for|in|from)\s+", description, maxsplit=1)[0].split()
    return words[-1] if words else ""


PERSON_NOUNS = (
    "minister|spokesperson|spokesman|spokeswoman|official|judge|president|prime minister|"
    "secretary|adviser|advisor|lawyer|activist|campaigner|analyst|expert|blogger|cleric|"
    "scholar|director|chief|leader|officer|representative|member|user|journalist|editor|"
    "professor|researcher|senator|governor|mayor|chairman|chairwoman|ambassador|founder|"
    "aide|executive|source|narrator|strategist|attorney|woman|man|voter|resident|witness|"
    "protester|staffer|contributor|correspondent|commentator|candidate|lawmaker|congressman|"
    "congresswoman|diplomat|economist|scientist|doctor|teacher|student|parent|owner|worker|"
    "organizer|organiser|negotiator|prosecutor|investigator|historian|author|writer|fan|"
    "supporter|critic|opponent|victim|survivor|farmer|soldier|veteran|coach|player"
)
ORGANISATION_NOUNS = (
    "company|ministry|government|court|statement|report|police|regulator|authority|"
    "agency|group|organisation|organization|foundation|commission|administration|party|"
    "firm|platform|network|website|newspaper|magazine|office|department|council|committee|"
    "embassy|university|association|union|army|military|board|bureau|channel|site"
)
_PLURAL_PEOPLE = (
    "officials|authorities|sources|activists|campaigners|users|experts|analysts|critics|"
    "people|residents|voters|protesters|lawmakers|leaders|members|workers|supporters|"
    "alumni|students|parents|witnesses"
)
PLURAL_WORD = re.compile(rf"\b{_alternatives(_PLURAL_PEOPLE)}\b|\band\b", re.IGNORECASE)
"""A mention naming several people (``officials``, ``Trump and Ryan``): never the antecedent
of *he* or *she*, nor of a bare surname."""
_PERSON_WORD = re.compile(rf"\b{_alternatives(PERSON_NOUNS)}s?\b", re.IGNORECASE)
_PLURAL_PERSON_WORD = re.compile(_alternatives(_PLURAL_PEOPLE), re.IGNORECASE)
_ORGANISATION_WORD = re.compile(rf"\b{_alternatives(ORGANISATION_NOUNS)}\b", re.IGNORECASE)
_ORGANISATION_NAMES = (
    "Ministry|Court|Office|Government|News|Press|Agency|Times|Post|Inc|Ltd|Committee|"
    "Council|Association|Foundation|Amnesty|University|Party|Department|Commission|"
    "Authority|Bank|Group|Network|Facebook|Twitter|Google|YouTube|Reuters|Embassy"
)
_ORGANISATION_NAME = re.compile(rf"\b{_alternatives(_ORGANISATION_NAMES)}\b")


def guess_kind(name: str) -> str | None:
    """``person``, ``organisation`` or None (cannot tell) from a mention's words.

    The head noun decides for a description (``interior ministry spokesperson`` is a
    person, ``the ministry`` an organisation); a capitalised name is an organisation when it
    holds an organisation word (``Ministry of Interior``) and a person when it has two to
    four words otherwise; a single capitalised word cannot tell.

    >>> names = ["Joel Kaplan", "Ministry of Interior", "Khan", "company",
    ...          "spokesperson of the Interior Ministry", "Vice President of Facebook"]
    >>> [guess_kind(n) for n in names]
    ['person', 'organisation', None, 'organisation', 'person', 'person']
    """
    words = name.split()
    if not words:
        return None
    if name[0].islower():
        head = head_noun(name)
        if _PERSON_WORD.fullmatch(head) or _PLURAL_PERSON_WORD.fullmatch(head):
            return "person"
        if _ORGANISATION_WORD.fullmatch(head):
            return "organisation"
        return None
    if _PERSON_WORD.search(name.split(" of ")[0]):
        return "person"
    if _ORGANISATION_NAME.search(name):
        return "organisation"
    return "person" if 2 <= len(words) <= 4 else None


def read_speakers(source: str | Path | dict | None = None) -> SpeakerTable:
    """Read a speaker file (YAML) or an already-parsed mapping into a :class:`SpeakerTable`.

    Parameters
    ----------
    source : path, dict or None
        A YAML file in the format of the module docstring, or its parsed content. None
        gives an empty table (every mention is its own speaker, category ``unknown``).

    Raises
    ------
    SpeakerFileError
        When the file is missing, over 10 MB, not UTF-8 or not YAML (aliases are refused),
        has an unknown key (at the top or in an entry, with the closest known key), or an
        entry lacks a name, has an unknown kind, or names a category not listed under
        ``categories`` (when that list is given).
    """
    if source is None:
        return SpeakerTable()
    where = str(source) if not isinstance(source, dict) else "speaker mapping"
    if isinstance(source, dict):
        data = source
    else:
        path = Path(source)
        if not path.is_file():
            raise SpeakerFileError(f"{path}: speaker file not found")
        data = yamlfile.load(path, lambda message: SpeakerFileError(f"{path}: {message}"))
    if not isinstance(data, dict) or not isinstance(data.get("speakers", []), list):
        raise SpeakerFileError(f"{where}: expected a mapping with a 'speakers' list")
    for problem in yamlfile.unknown_keys(data, FILE_KEYS):
        raise SpeakerFileError(f"{where}: {problem} (keys: {', '.join(FILE_KEYS)})")
    categories = tuple(str(c) for c in data.get("categories") or ())
    allowed = set(categories) | {UNKNOWN}

    def check_category(category: str, context: str) -> str:
        if categories and category not in allowed:
            raise SpeakerFileError(
                f"{where}: {context}: category {yamlfile.excerpt(category)} is not one of "
                f"{yamlfile.excerpt(list(categories), 200)}"
            )
        return category

    speakers = []
    for index, entry in enumerate(data.get("speakers") or []):
        context = f"speakers[{index}]"
        keys = entry if isinstance(entry, dict) else ()
        for problem in yamlfile.unknown_keys(keys, SPEAKER_KEYS):
            raise SpeakerFileError(f"{where}: {context}: {problem}")
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            raise SpeakerFileError(f"{where}: {context}: each speaker needs a 'name'")
        kind = str(entry.get("kind", "person"))
        if kind not in KINDS:
            raise SpeakerFileError(
                f"{where}: {context}: kind {yamlfile.excerpt(kind)} is not one of {KINDS}"
                + yamlfile.suggestion(kind, KINDS)
            )
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list):
            raise SpeakerFileError(f"{where}: {context}: 'aliases' must be a list")
        category = check_category(str(entry.get("category", UNKNOWN)), context)
        speakers.append(
            Speaker(str(entry["name"]).strip(), kind, category, tuple(str(a) for a in aliases))
        )
    words = data.get("category_words") or {}
    if not isinstance(words, dict):
        raise SpeakerFileError(f"{where}: 'category_words' must map categories to word lists")
    category_words = {
        check_category(str(c), "category_words"): tuple(str(w) for w in (ws or []))
        for c, ws in words.items()
    }
    post_category = check_category(str(data.get("post_category", UNKNOWN)), "post_category")
    return SpeakerTable(speakers, categories, category_words, post_category)
