"""Markdown pieces of the methods text: literal values, counts, lists, confidence levels,
and the citations a text collects."""

from __future__ import annotations

import re


def literal(value) -> str:
    """A value as literal Markdown text: one line, with the characters that Markdown would
    read as markup or raw HTML (``\\ * ` < > [ ]``) backslash-escaped."""
    text = " ".join(str(value).split())
    return re.sub(r"([\\*`<>\[\]])", r"\\\1", text)


def counted(n, word: str, plural: str | None = None) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is 1: "1 article", "2,000 articles"."""
    n = int(n)
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def joined(items: list[str]) -> str:
    """``items`` as one list in a sentence, with a serial comma: "a, b, and c"."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


class Citations:
    """Collects the references a text cites, in order of first citation."""

    def __init__(self):
        self.keys: list[str] = []
        self.explained: set[str] = set()  # methods described in full once, then named

    def first(self, method: str) -> bool:
        """True the first time ``method`` is described in this text."""
        found = method not in self.explained
        self.explained.add(method)
        return found

    def __call__(self, *keys: str) -> str:
        """Cite ``keys``; returns nothing, so a citation can sit inside an f-string."""
        for key in keys:
            if key not in self.keys:
                self.keys.append(key)
        return ""


def code_span(value) -> str:
    """A value as a Markdown code span (as escaped text when it holds a backtick)."""
    text = " ".join(str(value).split())
    return f"`{text}`" if "`" not in text else literal(text)


def confidence_level(confidence) -> str:
    """``95% `` for a recorded confidence level, else nothing."""
    return f"{confidence * 100:g}% " if confidence is not None else ""
