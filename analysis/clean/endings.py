"""The rules that drop what closes an article: a sign-off ("You can follow X on Twitter",
"Email tips to ...") and author bios. Both look only at the last :data:`_TAIL` characters
(before any closing bios, for the sign-off)."""

from __future__ import annotations

import re

from analysis.clean.audited import _rule, _sub_audited
from analysis.clean.lines import _LINE_RULES

_SIGN_OFF = re.compile(
    r"(?:(?<=[.!?\"”’])|(?<=\n))[ \t]*"
    r"(?:You can follow [^\n]{1,200}? on (?:Twitter|Facebook|Instagram|X)\b"
    r"|Follow (?:him|her|them|us|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}) on (?:Twitter|X)\b"
    r"|(?:Email|Send) (?:your )?(?:news |story )?tips\b[^\n]{0,80}?@"
    r"|(?:Contact|Reach|Email) (?:him|her|them|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}) at \S+@"
    r"|Copyright (?:©|\(c\))? ?\d{4}\b[^\n]{0,120}?(?:All rights reserved|reprint permission)"
    r")[^\n]*\s*\Z",
)


def _may_hold_sign_off(text: str) -> bool:
    """False when ``text`` has none of the words every sign-off holds ("follow", "@",
    "Copyright"), so the sign-off pattern need not be tried."""
    return "ollow " in text or "@" in text or "Copyright" in text


_TAIL = 1000


@_rule(idempotent=True, settles=_LINE_RULES)
def remove_trailing_sign_off(text: str) -> tuple[str, list[str]]:
    """Drop a closing sign-off ("You can follow X on Twitter", "Email tips to ...").

    Only text from the sign-off's sentence to the end of the article is removed, and only
    when nothing but the sign-off follows on its line.

    >>> remove_trailing_sign_off("The end. You can follow Ann Lee on Twitter. Email tips to a@b.")
    'The end.'
    """
    removed: list[str] = []
    while True:  # until no sign-off is left, also before an author bio that closes the text
        end = _bios_start(text)
        head, tail = text[: max(end - _TAIL, 0)], text[max(end - _TAIL, 0) : end]
        if not _may_hold_sign_off(tail):
            return text, removed
        new, found = _sub_audited(_SIGN_OFF, "", tail)  # a sign-off closes the text: its end
        if not found:
            return text, removed
        removed.extend(found)
        text = (head + new).rstrip() + text[end:]


_BIO_ROLES = (
    "correspondent",
    "reporter",
    "writer",
    "editor",
    "journalist",
    "columnist",
    "contributor",
    "producer",
    "author",
    "fellow",
    "analyst",
    "photographer",
    "intern",
)
_BIO_ROLE = "(?:" + "|".join(_BIO_ROLES) + ")"
_AUTHOR_BIO = re.compile(
    r"\n\s*(?:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,3} (?:is|was|has been) [^\n]{0,160}?\b"
    + _BIO_ROLE
    + r"\b[^\n]{0,200}|[^\n]{0,120}\b(?:tweets|is on Twitter) (?:at )?@\w+[^\n]{0,80})\s*\Z",
    re.IGNORECASE,
)


@_rule(idempotent=True, settles=_LINE_RULES)
def remove_trailing_author_bio(text: str) -> tuple[str, list[str]]:
    """Drop a short closing paragraph that introduces the author.

    The last paragraph is removed when it reads like a bio: "Name is a/an/the ...
    correspondent/reporter/editor ...", or it gives the author's social-media handle.

    >>> remove_trailing_author_bio("Story.\\n\\nAsad Hashim is our Correspondent. He tweets @ah.")
    'Story.'
    """
    removed: list[str] = []
    while match := _bio_at_end(text, len(text)):  # two authors, two bios
        removed.append(match.group(0).strip())
        text = text[: match.start()].rstrip()
    return text, removed


def _bio_at_end(text: str, end: int) -> re.Match[str] | None:
    """The author bio closing ``text[:end]``, if any."""
    start = max(end - _TAIL, 0)
    if not _may_hold_bio(text[start:end]):
        return None
    match = _AUTHOR_BIO.search(text, start, end)
    return match if match and len(match.group(0)) <= 400 else None


# the non-ASCII letters that re.IGNORECASE matches to ASCII ones, which str.lower() does not
_CASE_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def _may_hold_bio(window: str) -> bool:
    """False when ``window`` cannot hold an author bio: it has no line break, or neither an
    ``@`` nor a role word (a substring test, much cheaper than the bio pattern)."""
    if "\n" not in window:
        return False
    if "@" in window or any(char in window for char in _CASE_FOLDS_TO_ASCII):
        return True
    lowered = window.lower()
    return any(role in lowered for role in _BIO_ROLES)


def _bios_start(text: str) -> int:
    """Where the author bios that close ``text`` start (``len(text)`` when there are none)."""
    end = len(text)
    while match := _bio_at_end(text, end):
        end = match.start()
    return end
