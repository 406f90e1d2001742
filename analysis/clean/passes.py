"""The default pipeline (:data:`DEFAULT_RULES`) and how rules are applied: in passes until a
pass changes nothing, the confirming pass cut short where the rules' ``.idempotent`` and
``.settles`` allow (:func:`clean_text`, :func:`clean_text_audited`), and to a table of
articles, with the audit of every removal (:func:`clean_articles`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from analysis import progress
from analysis.clean.characters import compose_characters, normalize_line_endings, normalize_spaces
from analysis.clean.endings import remove_trailing_author_bio, remove_trailing_sign_off
from analysis.clean.fields import (
    drop_repeated_field_after_separator,
    leading_date,
    remove_leading_date_field,
    remove_urls,
)
from analysis.clean.lines import remove_media_and_widget_lines, remove_read_more_lines
from analysis.clean.paragraphs import (
    remove_stray_brackets,
    restore_lost_paragraph_breaks,
    separate_social_posts,
)
from analysis.clean.whitespace import normalize_whitespace

DEFAULT_RULES: tuple[Callable[[str], str], ...] = (
    normalize_line_endings,
    normalize_spaces,
    compose_characters,
    remove_urls,
    remove_leading_date_field,
    drop_repeated_field_after_separator,
    remove_read_more_lines,
    remove_media_and_widget_lines,
    remove_trailing_sign_off,
    remove_trailing_author_bio,
    restore_lost_paragraph_breaks,
    separate_social_posts,
    remove_stray_brackets,
    normalize_whitespace,
)
"""The default cleaning pipeline, applied in this order."""


MAX_PASSES = 3
"""Cleaning repeats the rules while a pass still changes the text, at most this many times."""


def clean_text(text: str, rules: Sequence[Callable[[str], str]] = DEFAULT_RULES) -> str:
    """Apply ``rules`` in order to one text, and again until a pass changes nothing.

    A rule can leave behind what an earlier rule removes (deleting a stray bracket can make
    a line start with ``READ MORE:``), so the rules are repeated until the text stops
    changing (at most :data:`MAX_PASSES`). Cleaning a cleaned text therefore changes
    nothing. The confirming pass reruns only the rules that the first pass's changes may
    have given work (see the module docstring).

    >>> clean_text(" date 2017-07-07 READ\\u00a0MORE   is  fine.\\r\\nREAD MORE: x\\r\\n")
    'READ MORE is fine.'
    """
    return _clean(text, rules, None)


def clean_text_audited(
    text: str, rules: Sequence[Callable[[str], str]] = DEFAULT_RULES
) -> tuple[str, list[tuple[str, str]]]:
    """Clean as :func:`clean_text` does and list what each rule removed, in order, as
    ``(rule_name, removed_text)``."""
    removed: list[tuple[str, str]] = []
    return _clean(text, rules, removed), removed


Change = tuple[int, str, str]


def _clean(
    text: str, rules: Sequence[Callable[[str], str]], removed: list[tuple[str, str]] | None
) -> str:
    """Clean ``text`` in passes; with ``removed``, append what each rule removed to it."""
    changes: list[Change] = []
    cleaned = _clean_pass(text, rules, removed, changes)
    if cleaned == text or _settled(cleaned, rules, changes):
        return cleaned
    for _ in range(MAX_PASSES - 1):
        text, cleaned = cleaned, _clean_pass(cleaned, rules, removed)
        if cleaned == text:
            break
    return cleaned


def _clean_pass(
    text: str,
    rules: Sequence[Callable[[str], str]],
    removed: list[tuple[str, str]] | None,
    changes: list[Change] | None = None,
) -> str:
    """Apply each rule once; with ``changes``, record ``(index, before, after)`` for each
    rule that changed the text."""
    for index, rule in enumerate(rules):
        before = text
        text, pieces = _apply(rule, text, removed is not None)
        if pieces:
            removed.extend((rule.__name__, piece) for piece in pieces)  # type: ignore[union-attr]
        if changes is not None and text != before:
            changes.append((index, before, text))
    return text


def _apply(rule: Callable[[str], str], text: str, audit: bool) -> tuple[str, list[str]]:
    """``rule(text)``, and what the rule removed when ``audit`` is set and it can tell."""
    audited = getattr(rule, "audited", None) if audit else None
    return audited(text) if audited else (rule(text), [])


def _settled(text: str, rules: Sequence[Callable[[str], str]], changes: list[Change]) -> bool:
    """Whether a second pass of ``rules`` over ``text``, the result of a first pass that
    made ``changes``, would change nothing (and remove nothing).

    A rule that changed the text need not be rerun when it is idempotent, nor an earlier
    rule when every later change settles it; the others are rerun on ``text`` alone.
    """
    unsettled: set[int] = set()
    for index, before, after in changes:
        rule = rules[index]
        if not getattr(rule, "idempotent", False):
            unsettled.add(index)
        settles = getattr(rule, "settles", None)
        kept = settles(before, after) if settles else ()
        unsettled.update(position for position in range(index) if rules[position] not in kept)
    return all(_apply(rules[position], text, True) == (text, []) for position in sorted(unsettled))


def clean_articles(
    articles: pd.DataFrame, *, rules: Sequence[Callable[[str], str]] = DEFAULT_RULES
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean every article's text and record what was removed.

    Parameters
    ----------
    articles : DataFrame
        The articles table (``article_id``, ``text``, ``published``, ...), as returned by
        :func:`analysis.corpus.load_corpus`.
    rules : sequence of ``str -> str``
        The cleaning rules, applied in order (default :data:`DEFAULT_RULES`).

    Returns
    -------
    articles : DataFrame
        A copy with ``text_clean`` added. Where ``published`` is missing and the raw text
        starts with a `` date YYYY-MM-DD `` field, that date fills it; ``published_source``
        says where each date came from (``metadata``, ``text`` or missing).
    audit : DataFrame
        One row per removal: ``article_id``, ``rule``, ``removed_text``.
    """
    cleaned: list[str] = []
    audit_rows: list[tuple[str, str, str]] = []
    for article_id, text in progress.bar(
        zip(articles["article_id"], articles["text"]), total=len(articles), desc="clean"
    ):
        new_text, removed = clean_text_audited(text, rules)
        cleaned.append(new_text)
        audit_rows.extend((article_id, rule, piece) for rule, piece in removed)
    out = articles.copy()
    out["text_clean"] = cleaned
    if "published" in out:
        source = pd.Series(pd.NA, index=out.index, dtype="string")
        source[out["published"].notna()] = "metadata"
        text_dates = pd.to_datetime(out["text"].map(leading_date), format="%Y-%m-%d")
        fill = out["published"].isna() & text_dates.notna()
        out.loc[fill, "published"] = text_dates[fill]
        if "published_precision" in out:
            out.loc[fill, "published_precision"] = "day"
        source[fill] = "text"
        out["published_source"] = source
    audit = pd.DataFrame(audit_rows, columns=["article_id", "rule", "removed_text"])
    return out, audit
