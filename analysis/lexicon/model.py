"""The dictionary model every format is read into: categories -> patterns."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.yamlfile import excerpt


class DictionaryError(ValueError):
    """A dictionary file that cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class Pattern:
    """One dictionary entry: a word or phrase, maybe ending in a ``*`` wildcard.

    ``words`` are lower case; ``wildcard`` means the last word matches any ending
    (``protest*`` matches protest, protests, protesters). ``weight`` is 1 unless the
    dictionary gives one.
    """

    text: str
    words: tuple[str, ...]
    wildcard: bool = False
    weight: float = 1.0

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


def parse_pattern(text: str, weight: float = 1.0, *, where: str = "") -> Pattern:
    """Turn ``"freedom of expression"`` or ``"protest*"`` into a :class:`Pattern`.

    Matching ignores case. A ``*`` may only end the last word; anything else is an error.

    >>> parse_pattern("Protest*")
    Pattern(text='protest*', words=('protest',), wildcard=True, weight=1.0)
    """
    cleaned = " ".join(str(text).split()).lower()
    wildcard = cleaned.endswith("*")
    body = cleaned.rstrip("*").strip()
    if not body or "*" in body:
        raise DictionaryError(
            f"{where}: {excerpt(text)} is not a pattern (a word or phrase; '*' only at the end)"
        )
    return Pattern(cleaned, tuple(body.split()), wildcard, float(weight))


@dataclass
class Dictionary:
    """Categories (``parent.child`` for nested ones) mapped to their patterns.

    ``meta`` holds what the file says about itself (source, licence, intended use).
    """

    name: str
    categories: dict[str, list[Pattern]]
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def weighted(self) -> bool:
        """True when any pattern has a weight other than 1."""
        return any(p.weight != 1.0 for patterns in self.categories.values() for p in patterns)

    def at_level(self, level: int) -> Dictionary:
        """Merge nested categories into their ancestors at depth ``level`` (1 = top).

        ``security.military`` and ``security.terrorism`` become ``security`` at level 1.
        """
        if level < 1:
            raise DictionaryError(f"level must be 1 or more, not {level}")
        merged: dict[str, list[Pattern]] = {}
        for key, patterns in self.categories.items():
            top = ".".join(key.split(".")[:level])
            seen = {p.text for p in merged.setdefault(top, [])}
            merged[top].extend(p for p in patterns if p.text not in seen)
        return Dictionary(self.name, merged, dict(self.meta))

    def pattern_table(self):
        """One row per (category, pattern): ``category, pattern, weight, phrase, wildcard``."""
        import pandas as pd

        rows = [
            (category, p.text, p.weight, p.is_phrase, p.wildcard)
            for category, patterns in self.categories.items()
            for p in patterns
        ]
        return pd.DataFrame(rows, columns=["category", "pattern", "weight", "phrase", "wildcard"])
