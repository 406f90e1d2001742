"""Every per-article measure in one wide table, from the tables the measures' reduces made:
what the stories and the timeline compare (each reads it; neither imports the measures)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis import quotes
from analysis.measures.base import Context
from analysis.sentiment.summaries import ARTICLE_MEASURES

SOURCES = {"tone": "article_tone", "frames": "_frame_rates", "voices": "article_voices"}
"""The table each always-computed family is read from."""
KEPT = "_article_values"
"""Where the values are kept among ``context.tables`` once made (a private table: never
written), so that the stories and the timeline read the topic proportions once."""


def article_values(
    context: Context, *, measure: str = "stories"
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Each article's value of every measure the run computed.

    - tone: the columns of ``article_tone`` named by
      :data:`analysis.sentiment.summaries.ARTICLE_MEASURES`;
    - frames: each category's rate per 1,000 words (``_frame_rates``, all voices);
    - voices: each measure of :data:`analysis.quotes.OUTLET_MEASURES` as the article's own
      ratio (missing when its denominator is 0: an article without quotes has no share of
      attributed quotes);
    - topics, when the run has a topic model: each topic's proportion, named by its label.

    Returns
    -------
    (DataFrame, dict)
        ``article_id`` and one column per measure, one row per article of
        ``context.articles`` in its order (NaN where an article has no value); and the
        families with their columns, in the order above. A family whose table is missing
        (a notebook that computes ``measure`` alone) is left out with a warning that says
        to compute it in the same call. Made once per run: a later call returns the kept
        table (:data:`KEPT`).
    """
    kept = context.tables.get(KEPT)
    if kept is not None:
        return kept, kept.attrs["families"]
    absent = [family for family, table in SOURCES.items() if table not in context.tables]
    if absent:
        warnings.warn(
            f"{measure}: no {', '.join(absent)} among the tables, so they are not compared; "
            f"compute them in the same call: measures.measure(tables, "
            f"{', '.join(repr(f) for f in absent)}, {measure!r})",
            stacklevel=3,
        )
    made = context.tables
    ids = context.articles["article_id"].astype(str)
    out = pd.DataFrame({"article_id": ids.to_numpy()})
    families: dict[str, list[str]] = {}

    def add(family: str, wide: pd.DataFrame) -> None:
        wide = wide.reindex(out["article_id"])
        columns = [c for c in wide.columns if c not in out.columns]
        for column in columns:
            out[column] = wide[column].to_numpy(dtype=float)
        families[family] = columns

    tone = made.get("article_tone")
    if tone is not None:
        present = [m for m in ARTICLE_MEASURES if m in tone]
        add(
            "tone",
            tone.assign(article_id=tone["article_id"].astype(str)).set_index("article_id")[present],
        )
    rates = made.get("_frame_rates")
    if rates is not None and len(rates):
        wide = rates.assign(article_id=rates["article_id"].astype(str)).pivot_table(
            index="article_id", columns="category", values="rate", sort=False, observed=True
        )
        add("frames", wide[list(pd.unique(rates["category"]))])
    voices = made.get("article_voices")
    if voices is not None:
        counts = voices.assign(article_id=voices["article_id"].astype(str)).set_index("article_id")
        wide = pd.DataFrame(index=counts.index)
        for measure, (top, bottom, scale) in quotes.OUTLET_MEASURES.items():
            bottom_values = counts[bottom].to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                wide[measure] = np.where(
                    bottom_values > 0,
                    scale * counts[top].to_numpy(dtype=float) / bottom_values,
                    np.nan,
                )
        add("voices", wide)
    if "outlet_topics" in made:
        labels = made["outlet_topics"].drop_duplicates("topic").set_index("topic")["label"]
        long = context.sink.rows(
            "article_topics", ["article_id", "topic", "proportion"], "article_id", set(ids)
        )
        wide = long.assign(article_id=long["article_id"].astype(str)).pivot_table(
            index="article_id", columns="topic", values="proportion", sort=True
        )
        add("topics", wide.rename(columns=lambda t: str(labels.get(t, f"topic {t}"))))
    out.attrs["families"] = families
    context.tables[KEPT] = out
    return out, families
