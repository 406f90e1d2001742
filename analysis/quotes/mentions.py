"""Who a mention of a speaker refers to, given the speakers named earlier in the article."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from analysis.quotes import patterns
from analysis.quotes.speakers import (
    PLURAL_WORD,
    Resolved,
    SpeakerTable,
    _clean_mention_kept,
    guess_kind,
    strip_determiner,
)

PRONOUN_WINDOW = 400
"""Characters before a quote searched for a person's name when *he* or *she* has no earlier
speaker to refer to."""


@functools.lru_cache(maxsize=65536)
def _names_several(mention: str) -> bool:
    """Whether a mention names several people (:data:`PLURAL_WORD`); kept, as each earlier
    mention of an article is asked again for every later one."""
    return PLURAL_WORD.search(mention) is not None


@functools.lru_cache(maxsize=1024)
def _noun_kind(noun: str) -> str | None:
    """:func:`guess_kind` of a description's head noun, kept: there are few of them."""
    return guess_kind(noun)


@functools.lru_cache(maxsize=4096)
def _whole_words(words: str) -> re.Pattern[str]:
    """A regex of ``words`` as whole words."""
    return re.compile(rf"\b{re.escape(words)}\b")


@dataclass
class _Memory:
    """Speakers named so far in an article, in order, to resolve pronouns, descriptions
    and surnames."""

    table: SpeakerTable
    named: list[tuple[str, Resolved]]
    text: str = ""
    position: int = 0

    def resolve(self, mention: str) -> Resolved | None:
        mention = _clean_mention_kept(mention)
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
        capitalised = mention[:1].isupper()
        definite = mention.lower().startswith("the ") and mention[4:5].islower()
        if not (capitalised or definite):
            return None
        words = strip_determiner(mention).lower()
        surname = capitalised and " " not in words
        if not (surname or definite):
            return None
        for earlier_mention, earlier in reversed(self.named):
            if surname and _names_several(earlier_mention):
                continue  # "Ryan" is not "Trump and Ryan"
            if surname and earlier.name.split()[-1].lower() == words:
                return earlier
            if definite and _whole_words(words).search(earlier_mention):
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
            wanted = _noun_kind(noun)
        elif word in ("he", "she"):
            wanted = "person"
        elif word == "it":
            wanted = "organisation"
        else:
            wanted = None
        singular = word in ("he", "she") or noun is not None
        for earlier_mention, earlier in reversed(self.named):
            if singular and _names_several(earlier_mention):
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
        for speaker, start in self.table.mentions(self.text, self.position):
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
