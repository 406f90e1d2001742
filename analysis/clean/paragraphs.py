"""The rules that work on paragraphs: a paragraph break after each embedded post's signature
(:data:`SOCIAL_SIGNATURE`, which :mod:`analysis.segment` uses too), paragraph breaks restored
where a scraper turned them into spaces, and brackets with no partner in their paragraph
removed."""

from __future__ import annotations

import re

from analysis.clean.audited import _rule
from analysis.clean.characters import _LAYOUT_RULES

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
SOCIAL_SIGNATURE = re.compile(
    r"(?:(?:[—–-]|&mdash;)\s*[^\n—–()]{0,80}?\(@\w{1,30}\)\s*(?:on\s+)?"
    + _MONTH
    + r"\.? \d{1,2},? \d{4}"
    r"|A post shared by [^\n()]{0,80}\(@[\w.]{1,30}\)\s+on\s+" + _MONTH + r"\.? \d{1,2},? \d{4}"
    r"(?: at \d{1,2}:\d{2}\s*[ap]m(?: [A-Z]{2,4})?)?)(?!\w)"  # never ends inside a word
)
"""The signature that closes an embedded post: ``— Name (@handle) March 25, 2017``."""

_SIGNATURE_TAIL = re.compile(r"[ \t]*,?[ \t]*(?=\S)")


@_rule(settles=_LAYOUT_RULES)
def separate_social_posts(text: str) -> tuple[str, list[str]]:
    """End a paragraph after each embedded social-media post's signature.

    Flattened embeds run on into the next post or into the prose; a paragraph break after
    ``— Name (@handle) Month D, YYYY`` puts each post in a paragraph of its own.

    >>> separate_social_posts("Hang him. — Ann (@ann) March 25, 2017,  Western users reacted.")
    'Hang him. — Ann (@ann) March 25, 2017\\n\\nWestern users reacted.'
    """
    if "(@" not in text:
        return text, []
    pieces, last = [], 0
    # each signature is matched in full first ("... at 3:42am PDT"), then followed or not:
    # one regex for both would cut a shorter signature short ("3:42am" + break + "PDT")
    for signature in SOCIAL_SIGNATURE.finditer(text):
        if tail := _SIGNATURE_TAIL.match(text, signature.end()):
            pieces += [text[last : signature.end()], "\n\n"]
            last = tail.end()
    return "".join([*pieces, text[last:]]), []


_LOST_PARAGRAPH = re.compile(r"(?<=[.!?…\"”’)])[ \t\u00a0]{2,}(?=[\"“‘(\[]?[A-Z0-9])")


@_rule(settles=_LAYOUT_RULES)
def restore_lost_paragraph_breaks(text: str) -> tuple[str, list[str]]:
    """Turn a double space after a sentence end into a paragraph break, in one-line texts.

    Applies only to a long text with no line breaks at all, where a scraper has replaced
    the paragraph breaks with spaces; elsewhere two spaces may just be typing habit.

    >>> restore_lost_paragraph_breaks("First paragraph ends.  Second starts here. " * 20)[:46]
    'First paragraph ends.\\n\\nSecond starts here. Fir'
    """
    if "\n" in text.strip() or len(text) < 500:
        return text, []
    return _LOST_PARAGRAPH.sub("\n\n", text), []


_BRACKETS = {"[": "]", "(": ")", "{": "}"}
_CLOSERS = {v: k for k, v in _BRACKETS.items()}
_BRACKET = re.compile(r"[\[\](){}]")


@_rule(idempotent=True, settles=_LAYOUT_RULES)
def remove_stray_brackets(text: str) -> tuple[str, list[str]]:
    """Drop brackets that have no partner within their paragraph.

    >>> remove_stray_brackets("Said so. [Late last week, officials (in Islamabad) met.")
    'Said so. Late last week, officials (in Islamabad) met.'
    """
    stray: list[int] = []
    stack: list[tuple[str, int]] = []
    previous = 0
    for match in _BRACKET.finditer(text):
        position, char = match.start(), match.group()
        if stack and text.find("\n", previous, position) != -1:  # pairs within a paragraph
            stray.extend(p for _, p in stack)
            stack = []
        previous = position
        if char in _BRACKETS:
            stack.append((char, position))
        elif stack and stack[-1][0] == _CLOSERS[char]:
            stack.pop()
        else:
            stray.append(position)
    stray.extend(p for _, p in stack)
    if not stray:
        return text, []
    stray.sort()
    kept = [text[start + 1 : end] for start, end in zip([-1, *stray], [*stray, len(text)])]
    return "".join(kept), [text[i] for i in stray]
