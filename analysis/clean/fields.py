"""The rules that remove scraped fields and links: URLs, a leading ``date`` field, and a
field joined on with ``|||`` that repeats the article."""

from __future__ import annotations

import re

from analysis.clean.audited import _rule, _sub_audited
from analysis.clean.characters import _LAYOUT_RULES

_URL = re.compile(r"(?:\bhttps?:(?://\S*)?|\bwww\.\S+|\bpic\.twitter\.com/\S+)(?:\s+\.(?=\s))?")


@_rule(settles=_LAYOUT_RULES)
def remove_urls(text: str) -> tuple[str, list[str]]:
    """Drop URLs and the stubs scraping leaves of them (``https:  .``).

    >>> remove_urls("Milo. https:  .   — Christina")
    'Milo.    — Christina'
    >>> remove_urls("see https://example.com/a?b=1 now")
    'see  now'
    """
    if "http" not in text and "www." not in text and "pic.twitter" not in text:
        return text, []
    return _sub_audited(_URL, "", text)


_LEADING_DATE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\s+")


def leading_date(text: str) -> str | None:
    """The ``YYYY-MM-DD`` of a leading `` date YYYY-MM-DD `` field, or ``None``.

    >>> leading_date(" date 2017-07-07 Interior Minister said")
    '2017-07-07'
    """
    match = _LEADING_DATE.match(text)
    return match.group(1) if match else None


@_rule(settles=_LAYOUT_RULES)
def remove_leading_date_field(text: str) -> tuple[str, list[str]]:
    """Drop a scraped `` date YYYY-MM-DD `` field at the very start of the text.

    >>> remove_leading_date_field(" date 2017-07-07 Interior Minister said")
    'Interior Minister said'
    """
    return _sub_audited(_LEADING_DATE, "", text)


_FIELD_SEPARATOR = "|||"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@_rule(settles=_LAYOUT_RULES)
def drop_repeated_field_after_separator(text: str) -> tuple[str, list[str]]:
    """Drop a field joined on with ``|||`` when it repeats text already in the article.

    Scrapers often join page fields (body, standfirst, summary) with ``|||``. A field that
    repeats text found earlier is removed; one that is new is kept as its own paragraph.

    >>> drop_repeated_field_after_separator("Standfirst.\\n\\nBody text.|||Standfirst.")
    'Standfirst.\\n\\nBody text.'
    >>> drop_repeated_field_after_separator("Body text.|||A new summary.")
    'Body text.\\n\\nA new summary.'
    """
    if _FIELD_SEPARATOR not in text:
        return text, []
    fields = text.split(_FIELD_SEPARATOR)
    kept = [fields[0]]
    removed = []
    for field in fields[1:]:
        squashed = _squash(field)
        if not squashed:
            continue
        if squashed in _squash("\n".join(kept)):
            removed.append(field.strip())
        else:
            kept.append("\n\n" + field.strip())
    return "".join(kept).rstrip(), removed
