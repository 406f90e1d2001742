"""The rules that drop whole lines: links to other stories (``READ MORE:``), and what
embedded media and page widgets leave (captions, "Advertisement", newsletter prompts)."""

from __future__ import annotations

import re

from analysis.clean.audited import _rule, _sub_audited
from analysis.clean.characters import _LAYOUT_RULES, compose_characters
from analysis.clean.fields import drop_repeated_field_after_separator, remove_urls


def _line_patterns(line: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The pattern of a whole ``line`` (anchored with ``^`` at every line start), and the
    same line after a line break, found by a fast search for the break."""
    return re.compile("^" + line, re.MULTILINE), re.compile("\n" + line)


def _sub_lines_audited(
    patterns: tuple[re.Pattern[str], re.Pattern[str]], text: str
) -> tuple[str, list[str]]:
    """:func:`_sub_audited` for line patterns, from the first line that matches (a regex
    anchored at every line start tries every position of the text, which is slow)."""
    at_line_start, after_break = patterns
    if at_line_start.match(text):
        start = 0
    elif first := after_break.search(text):
        start = first.start() + 1
    else:
        return text, []
    rest, removed = _sub_audited(at_line_start, "", text[start:])
    return text[:start] + rest, removed


_READ_MORE = _line_patterns(
    r"[ \t]*(?:READ MORE|Read more|Read More|RELATED|Related|SEE ALSO|See also|ALSO READ|"
    r"Also read|WATCH|Watch|MORE|Recommended)[ \t]*:[^\n]*\n?"
)


# Deleting whole lines, or the end of the text from a sentence end or line break on (and
# trimming what is left), brings no two characters together except a line break and what
# follows it, so these rules, which look within runs of characters, find nothing new.
_RUN_RULES = (
    *_LAYOUT_RULES,
    compose_characters,
    remove_urls,
    drop_repeated_field_after_separator,
)


@_rule(idempotent=True, settles=_RUN_RULES)
def remove_read_more_lines(text: str) -> tuple[str, list[str]]:
    """Drop whole lines that link to other stories (``READ MORE:``, ``Related:``, ...).

    >>> remove_read_more_lines("First.\\n\\nREAD MORE: Another story\\n\\nSecond.")
    'First.\\n\\n\\nSecond.'
    """
    return _sub_lines_audited(_READ_MORE, text)


_MEDIA_LINE = _line_patterns(
    r"[ \t]*(?:(?:(?i:Enlarge this image|toggle caption|hide caption|show caption)"
    r"|Image copyright|Image caption|Media caption|Media playback is unsupported"
    r"|Photos?(?=:)|JUST WATCHED|MUST WATCH|(?i:Sign up for [^\n]{0,60}Newsletters?)"
    r"|Manage Newsletters)\b[^\n]*"
    r"|(?:(?:Advertisement|ADVERTISEMENT|(?i:Story continue[sd] below(?: advertisement)?))"
    r":?[ \t]*)+(?=\n|\Z))[ \t]*\n?"  # a bare "Advertisement" only when it fills its line
)


@_rule(idempotent=True, settles=(*_RUN_RULES, remove_read_more_lines))
def remove_media_and_widget_lines(text: str) -> tuple[str, list[str]]:
    """Drop whole lines left by embedded media and page widgets: photo captions and credits
    ("Enlarge this image toggle caption ...", "Image copyright ... Image caption ...", a
    photo gallery "Photos: ... Hide Caption 1 of 24 Photos: ..."), video teasers ("JUST
    WATCHED ... Replay"), "Advertisement" lines and newsletter prompts.

    >>> remove_media_and_widget_lines("Text.\\nAdvertisement\\nImage copyright AP\\nMore.")
    'Text.\\nMore.'
    """
    return _sub_lines_audited(_MEDIA_LINE, text)


# Such deletions also keep every other line's start, so they make no line that these
# rules remove.
_LINE_RULES = (*_RUN_RULES, remove_read_more_lines, remove_media_and_widget_lines)
