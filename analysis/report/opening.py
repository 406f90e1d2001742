"""The opening of ``report.html`` and the glossary it ends with: the corpus in one sentence,
what each section of the figures shows, and the glossary's text; the limits box is
:mod:`analysis.report.limits`."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from markupsafe import Markup

from analysis import paths
from analysis.report.limits import GENERIC_SPEAKER_LIST, MIN_UNITS_TEST, SEED_STORY_LISTS
from analysis.report.markdown import markdown_to_html
from analysis.report.wording import (
    GLOSSARY_ANCHOR,
    MAX_OUTLETS_NAMED,
    Terms,
    counted,
    glossary_entries,
    listed,
)

__all__ = [
    "FIGURE_TOPICS",
    "GENERIC_SPEAKER_LIST",
    "GLOSSARY",
    "GLOSSARY_ANCHOR",
    "MAX_OUTLETS_NAMED",
    "MIN_UNITS_TEST",
    "SEED_STORY_LISTS",
    "TOPIC_TITLES",
    "Topic",
    "corpus_sentence",
    "glossary_entries",
    "glossary_html",
    "read_glossary",
    "topic_lines",
]

GLOSSARY = paths.ROOT / "docs" / "glossary.md"
"""The glossary the page ends with: the repository's ``docs/glossary.md`` (an installed
wheel has none, and the page then says where to find it)."""

FIGURE_TOPICS = {
    "corpus_overview": "corpus",
    "frame_salience": "frames",
    "frame_profile": "frames",
    "frame_top_terms": "frames",
    "distinctive_terms": "words",
    "fightin_words": "words",
    "tfidf_heatmap": "words",
    "tone_by_voice": "tone",
    "tone_along_article": "tone",
    "actor_tone_heatmap": "tone",
    "who_speaks": "voices",
    "scare_quotes": "voices",
    "quote_tone": "voices",
    "group_measures": "groups",
    "measures_vs_coders": "coding",
    "learned_prevalence": "learned",
    "learning_curve": "learned",
    "topic_outlets": "topics",
    "topic_k": "topics",
    "topic_network": "topics",
    "topic_communities": "topics",
    "story_differences": "stories",
    "stories_covered": "stories",
    "measures_over_time": "time",
}
"""The topic of each figure, for the opening's list of sections."""

TOPIC_TITLES = {
    "corpus": "The corpus",
    "frames": "Frames",
    "words": "Distinctive words",
    "tone": "Tone",
    "voices": "Voices",
    "groups": "Groups",
    "coding": "Checked against coders",
    "learned": "Frames learned from coders",
    "topics": "Topics",
    "stories": "Same story, different frame",
    "time": "Over time",
    "other": "Other figures",
}
"""The title of each topic in the opening's list of sections."""


class Topic(NamedTuple):
    """A topic of the figures drawn, in the opening's list of sections."""

    figure: str
    """The first figure of the topic, which the line links to."""
    title: str
    text: Markup
    """What its figures show, as HTML."""


def read_glossary(path: str | Path | None = None) -> str | None:
    """The glossary's Markdown (:data:`GLOSSARY` unless ``path``), or None when absent."""
    path = Path(path) if path is not None else GLOSSARY
    return path.read_text(encoding="utf-8") if path.is_file() else None


def glossary_html(text: str | None) -> Markup | None:
    """The glossary ``text`` without its own title, as HTML whose headings have the ids
    the page links to (:data:`GLOSSARY_ANCHOR`); None when there is no glossary."""
    if text is None:
        return None
    body = re.sub(r"\A\s*#\s[^\n]*\n", "", text)
    return Markup(markdown_to_html(body, shift=1, anchors=GLOSSARY_ANCHOR))


def corpus_sentence(manifest: Mapping, term: Terms) -> Markup:
    """The corpus in one sentence (and the rejected inputs in a second), as HTML."""
    counts = manifest.get("counts") or {}
    outlets = manifest.get("outlets") or []
    n_articles = counts.get("articles", sum(int(o.get("articles") or 0) for o in outlets))
    text = f"This report describes {n_articles:,} " + term(
        "article" if n_articles == 1 else "articles", "article"
    )
    if outlets:
        text += f" from {len(outlets):,} " + term(
            "outlet" if len(outlets) == 1 else "outlets", "outlet"
        )
    days = [
        str(o[key])[:10]
        for o in outlets
        for key in ("first_published", "last_published")
        if o.get(key)
    ]
    undated = sum(int(o.get("undated") or 0) for o in outlets)
    if days and min(days) == max(days):
        text += f", all dated {min(days)}" if not undated else f", dated {min(days)}"
    elif days:
        text += f", published between {min(days)} and {max(days)}"
    if days and undated:
        text += f" ({counted(undated, 'article')} without a date)"
    elif outlets and not days:
        text += " (none has a date)"
    if outlets and len(outlets) <= MAX_OUTLETS_NAMED:
        ranked = sorted(outlets, key=lambda o: str(o.get("outlet")))
        text += ": " + listed([html.escape(str(o.get("outlet"))) for o in ranked])
    text += "."
    groups = (manifest.get("parameters") or {}).get("groups")
    if groups:
        names = [str(g) for g in groups.get("groups") or []]
        text += (
            f" The outlets are also compared in {counted(len(names), 'group')} by "
            f"<code>{html.escape(str(groups.get('group_by')))}</code>"
            + (f": {listed([html.escape(g) for g in names])}." if names else ".")
        )
    rejected = int(counts.get("rejected") or 0)
    if rejected:
        text += (
            f" {counted(rejected, 'input')} could not be used and "
            f"{'is' if rejected == 1 else 'are'} left out (see "
            '<a href="#rejections">Rejected inputs</a>).'
        )
    return Markup(text)


def topic_lines(names: list[str], term: Terms) -> list[Topic]:
    """One line per topic of the figures ``names`` drawn, in the order of their first
    figures."""
    text = {
        "corpus": lambda: "how much text each outlet has, and how much of it is quoted",
        "frames": lambda: f"how often each outlet uses the words of each {term('frame')}",
        "words": lambda: (
            "the words each outlet (or group) uses more than the others, and whether they "
            "passed the test"
        ),
        "tone": lambda: (
            f"how negative or positive the sentences are, by {term('voice')}, along the "
            f"article and near each {term('actor')}"
        ),
        "voices": lambda: (
            f"who is quoted, how much and in what tone, and {term('scare quotes', 'scare quote')}"
        ),
        "groups": lambda: "the same measures for each group of outlets",
        "coding": lambda: "how far the measures agree with people who coded the same texts",
        "learned": lambda: (
            "a classifier trained on the coders' frames, and each outlet's use of each frame "
            "corrected for its mistakes"
        ),
        "topics": lambda: (
            "the topics a topic model found in the words, each outlet's share of each, and "
            "topics grouped by the articles they share: candidate frames to be read"
        ),
        "stories": lambda: (
            "each outlet compared with the others on the same stories only, and which "
            "stories it covers and misses"
        ),
        "time": lambda: "how every measure moved, by week or month, around the events marked",
        "other": lambda: "other figures",
    }
    first: dict[str, str] = {}
    for name in names:
        first.setdefault(FIGURE_TOPICS.get(name, "other"), name)
    return [
        Topic(name, TOPIC_TITLES[topic], Markup(text[topic]())) for topic, name in first.items()
    ]
