"""An interactive explorer of distinctive words and their contexts, in one self-contained file.

A reader picks a group (against the rest) or a pair of groups, sees the terms plotted
(frequency against log-odds z, from the run's ``term_scores``), hovers for counts, and clicks
or searches a term to read its contexts, grouped by outlet and voice. Everything is inline (no
network, no library), and the file is bounded on any corpus: the top terms of each comparison
and a capped number of contexts per term (:data:`MAX_TERMS`, :data:`MAX_CONTEXTS`), stated on
the page.

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
    WINDOW,
    explorer_data,
)
from analysis.explorer.page import embed_json, render

__all__ = [
    "MAX_CONTEXTS",
    "MAX_PAIR_GROUPS",
    "MAX_TERMS",
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
) -> Path:
    """Write the explorer page for a run's tables; the same tables give the same bytes.

    Parameters
    ----------
    tables : dict of DataFrame
        Needs ``articles`` (``article_id``, ``outlet``, ``text_clean``; ``title`` and the
        grouping column when there are any); uses ``term_scores``, ``term_pair``,
        ``term_settings`` and ``sentences`` when present (see :func:`explorer_data`). Without
        ``term_scores`` the page says there is nothing to compare.
    path : path
        The HTML file to write (its folder is created).
    max_terms, max_contexts, window, max_pair_groups : int
        The caps, see :func:`explorer_data`.

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
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(data).encode("utf-8"))
    return path
