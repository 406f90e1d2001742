"""An interactive explorer of distinctive words and their contexts, in one self-contained file.

A reader picks a group (against the rest) or a pair of groups, sees the terms plotted
(frequency against log-odds z, from the run's ``term_scores``), hovers for counts, and clicks
or searches a term to read its contexts, grouped by outlet and voice. Everything is inline (no
network, no library), and the file is bounded on any corpus: the top terms of each comparison
and a capped number of contexts per term (:data:`MAX_TERMS`, :data:`MAX_CONTEXTS`), stated on
the page. When the run fitted a topic model, a topics view lists its topics (their words,
community and each outlet's share) and opens the articles each one fills most, grouped by
outlet, also capped (:data:`MAX_TOPICS`, :data:`MAX_TOPIC_OUTLETS`,
:data:`MAX_TOPIC_ARTICLES`).

- :mod:`.data`: :func:`explorer_data`, the page's data from the run's tables (pure).
- :mod:`.contexts`: the capped, reproducible sample of contexts of each term.
- :mod:`.page`: the page, laid out by ``templates/explorer.html.j2`` with its style and
  script, and safe embedding of the data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.explorer.data import (
    MAX_CONTEXTS,
    MAX_PAIR_GROUPS,
    MAX_TERMS,
    MAX_TOPIC_ARTICLES,
    MAX_TOPIC_OUTLETS,
    MAX_TOPICS,
    TOPIC_TABLES,
    WINDOW,
    explorer_data,
)
from analysis.explorer.page import embed_json, render

__all__ = [
    "MAX_CONTEXTS",
    "MAX_PAIR_GROUPS",
    "MAX_TERMS",
    "MAX_TOPICS",
    "MAX_TOPIC_ARTICLES",
    "MAX_TOPIC_OUTLETS",
    "TOPIC_TABLES",
    "WINDOW",
    "embed_json",
    "explorer_data",
    "render",
    "write_explorer",
]


def write_explorer(
    tables: dict[str, pd.DataFrame],
    path: str | Path,
    *,
    max_terms: int = MAX_TERMS,
    max_contexts: int = MAX_CONTEXTS,
    window: int = WINDOW,
    max_pair_groups: int = MAX_PAIR_GROUPS,
    max_topics: int = MAX_TOPICS,
    max_topic_outlets: int = MAX_TOPIC_OUTLETS,
    max_topic_articles: int = MAX_TOPIC_ARTICLES,
) -> Path:
    """Write the explorer page for a run's tables; the same tables give the same bytes.

    Parameters
    ----------
    tables : dict of DataFrame
        Needs ``articles`` (``article_id``, ``outlet``, ``text_clean``; ``title`` and the
        grouping column when there are any); uses ``term_scores``, ``term_pair``,
        ``term_settings`` and ``sentences`` when present (see :func:`explorer_data`). Without
        ``term_scores`` the page says there is nothing to compare. With ``topic_terms``,
        ``outlet_topics`` or ``topic_examples`` it has a topics view too; without them, the
        page is the one it was before that view existed.
    path : path
        The HTML file to write (its folder is created).
    max_terms, max_contexts, window, max_pair_groups : int
        The caps, see :func:`explorer_data`.
    max_topics, max_topic_outlets, max_topic_articles : int
        The topics view's caps, see :func:`analysis.explorer.data.topics_data`.

    Returns
    -------
    Path
        ``path``.
    """
    data = explorer_data(
        tables,
        max_terms=max_terms,
        max_contexts=max_contexts,
        window=window,
        max_pair_groups=max_pair_groups,
        max_topics=max_topics,
        max_topic_outlets=max_topic_outlets,
        max_topic_articles=max_topic_articles,
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(data).encode("utf-8"))
    return path
