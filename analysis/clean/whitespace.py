"""The last rule, :func:`normalize_whitespace`. It has a module of its own because which
earlier rules it cannot give new work (:func:`_whitespace_settles`) is told in terms of
every other rule."""

from __future__ import annotations

import re
from collections.abc import Callable

from analysis.clean.audited import _rule
from analysis.clean.characters import (
    _INVISIBLE,
    _LAYOUT_RULES,
    _SPACE,
    _needs_space_normalizing,
    compose_characters,
)
from analysis.clean.endings import _TAIL, remove_trailing_author_bio, remove_trailing_sign_off
from analysis.clean.fields import (
    drop_repeated_field_after_separator,
    remove_leading_date_field,
    remove_urls,
)
from analysis.clean.lines import remove_media_and_widget_lines, remove_read_more_lines
from analysis.clean.paragraphs import remove_stray_brackets, restore_lost_paragraph_breaks

_MANY_NEWLINES = re.compile(r"\n{3,}")


_AFTER_WHITE_SPACE = frozenset({*_LAYOUT_RULES, remove_stray_brackets})
_AFTER_TRIMMING = _AFTER_WHITE_SPACE | {
    compose_characters,
    remove_urls,
    remove_leading_date_field,
    drop_repeated_field_after_separator,
    remove_read_more_lines,
    remove_media_and_widget_lines,
    restore_lost_paragraph_breaks,
}
_END_RULES = frozenset({remove_trailing_sign_off, remove_trailing_author_bio})


def _whitespace_settles(before: str, after: str) -> frozenset[Callable[[str], str]]:
    """The earlier rules that :func:`normalize_whitespace` cannot give new work.

    It changes white space only, and keeps every line that holds more than white space,
    so brackets pair up as before. When it only trimmed lines and dropped blank ones (no
    run of spaces inside a line collapsed, no invisible character dropped), no two
    characters became neighbours that were not and every line still starts and ends with
    the same words, so only the rules that measure back from the end of the text
    (sign-off, author bio) and the embedded-post signatures may find something new. Those
    measuring back find nothing new either when the text's last :data:`_TAIL` characters
    (and the one before them) are the same as before.
    """
    settled = _AFTER_WHITE_SPACE
    if after == before.strip() or ("  " not in before and not _needs_space_normalizing(before)):
        settled = _AFTER_TRIMMING
    if len(after) > _TAIL and after[-_TAIL - 1 :] == before[-_TAIL - 1 :]:
        settled |= _END_RULES
    return settled


@_rule(idempotent=True, settles=_whitespace_settles)
def normalize_whitespace(text: str) -> tuple[str, list[str]]:
    """Collapse runs of spaces (including no-break spaces), drop invisible characters, keep
    at most one blank line between paragraphs, and trim the ends.

    >>> normalize_whitespace("  Pakistan's\\u00a0 interior   minister\\n\\n\\n\\nsaid ")
    "Pakistan's interior minister\\n\\nsaid"
    """
    if _needs_space_normalizing(text):
        text = _SPACE.sub(" ", _INVISIBLE.sub("", text))
    while "  " in text:
        text = text.replace("  ", " ")
    # runs are single spaces now, so each line has at most one space at either end
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip(), []
