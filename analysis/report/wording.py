"""How the page words what it writes from the run: counts, lists, shares of the outlets, and
the words of the glossary, linked to their entries."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from analysis.report.markdown import slug

GLOSSARY_ANCHOR = "glossary-"
"""Prefix of the ids of the glossary's entries on the page."""

MAX_OUTLETS_NAMED = 6
"""The opening names the outlets (and the limits the groups) when there are at most this
many."""


def counted(count, word: str, plural: str | None = None) -> str:
    """``count`` and ``word``, in the plural unless ``count`` is 1: "1 input", "3 inputs"."""
    count = int(count)
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def listed(items: list[str]) -> str:
    """``items`` as one list in a sentence, without a serial comma: "a, b and c"."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def how_many(few: int, total: int) -> str:
    """ "all 4 outlets", "the only outlet" or "3 of the 20 outlets"."""
    if few == total:
        return "the only outlet" if total == 1 else f"all {total:,} outlets"
    return f"{few:,} of the {total:,} outlets"


def glossary_entries(text: str | None) -> dict[str, str]:
    """Each term the glossary explains, in lower case -> the id of its entry on the page.

    An entry ``## confidence interval (CI)`` is found as "confidence interval (ci)",
    "confidence interval" and "ci"; ``## q-value / q`` as "q-value" and "q".
    """
    found: dict[str, str] = {}
    for line in (text or "").splitlines():
        heading = re.match(r"##\s+(.*\S)", line)
        if not heading or line.startswith("###"):
            continue
        title = heading.group(1)
        anchor = GLOSSARY_ANCHOR + slug(title)
        names = [title, re.sub(r"\s*\(.*?\)", "", title), *re.findall(r"\((.*?)\)", title)]
        for name in list(names):
            names += re.split(r"\s*/\s*|,\s+|;\s*|\s+or\s+", name)
        for name in names:
            key = " ".join(name.lower().replace("*", "").replace("`", "").split())
            if key:
                found.setdefault(key, anchor)
    return found


class Terms:
    """Writes a word as a link to its glossary entry, in italics, at its first use when the
    glossary has it; else (and at later uses) as plain escaped text.

    Parameters
    ----------
    entries : mapping
        The glossary's terms, as :func:`glossary_entries` finds them.
    """

    def __init__(self, entries: Mapping[str, str]):
        self.entries = entries
        self.used: list[str] = []

    def __call__(self, word: str, *also: str) -> str:
        """``word``, linked to the first of ``word`` and ``also`` the glossary explains."""
        for key in (word, *also):
            anchor = self.entries.get(key.lower())
            if anchor in self.used:
                break
            if anchor:
                self.used.append(anchor)
                return f'<a href="#{html.escape(anchor)}"><em>{html.escape(word)}</em></a>'
        return html.escape(word)
