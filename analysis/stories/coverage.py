"""Which stories each outlet (or group) covers and misses: the selection side of framing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

COVERAGE_COLUMNS = [
    "level",
    "unit",
    "n_articles",
    "n_stories",
    "n_shared_stories",
    "n_own_stories",
    "n_major_stories",
    "n_major_covered",
    "major_share",
    "major_low",
    "major_high",
    "major_outlets",
]
"""The columns of :func:`story_coverage`."""


def story_table(members: pd.DataFrame) -> pd.DataFrame:
    """One row per story.

    Parameters
    ----------
    members : DataFrame
        One row per article: ``story``, ``article_id``, ``outlet``, ``published`` (may be
        NaT) and ``title`` (may be missing), in corpus order.

    Returns
    -------
    DataFrame
        ``story``, ``title`` (the title of the story's earliest article that has one, the
        first in the corpus among equals; empty when none has), ``first_published``,
        ``last_published``, ``n_articles``, ``n_outlets``, ``outlets`` (their names,
        sorted, joined by "; "), sorted by first date then story.
    """
    ordered = members.assign(_row=np.arange(len(members))).sort_values(
        ["published", "_row"], na_position="last", kind="stable"
    )
    grouped = ordered.groupby("story", sort=False, observed=True)
    out = pd.DataFrame(
        {
            "title": grouped["title"].first(),
            "first_published": grouped["published"].min(),
            "last_published": grouped["published"].max(),
            "n_articles": grouped.size().astype("int64"),
            "n_outlets": grouped["outlet"].nunique().astype("int64"),
            "outlets": grouped["outlet"].agg(lambda o: "; ".join(sorted(set(map(str, o))))),
        }
    ).reset_index()
    out["title"] = out["title"].astype(object).where(out["title"].notna(), "")
    return out.sort_values(
        ["first_published", "story"], na_position="last", kind="stable", ignore_index=True
    )


def story_coverage(
    members: pd.DataFrame,
    *,
    by: Sequence[str] = ("outlet",),
    major_outlets: int = 3,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """How many stories each unit covers, and how many of the major stories of its time.

    A story is *major* when at least ``major_outlets`` outlets cover it. A unit's major
    stories are those whose dates overlap the unit's own first to last article (an outlet
    that appears in the corpus for a month is not said to miss the stories of the other
    months, and a story it covers always counts); without dates, all of them.

    Parameters
    ----------
    members : DataFrame
        One row per article: ``story``, ``outlet``, ``published`` and the ``by`` columns.
    by : sequence of str
        The units' columns (``outlet``, and the compared groups' column).

    Returns
    -------
    DataFrame
        :data:`COVERAGE_COLUMNS`: ``n_stories`` covered, ``n_shared_stories`` (of them,
        those another unit covers too), ``n_own_stories`` (those no other unit covers),
        ``n_major_stories`` (in its time), ``n_major_covered``, ``major_share`` and its
        Wilson interval (scipy's ``binomtest``; the major stories of its time taken as the
        trials), and ``major_outlets``; one row per level and unit, units sorted by name.
    """
    outlets_per_story = members.groupby("story", observed=True)["outlet"].nunique()
    dates = members.groupby("story", observed=True)["published"]
    major = outlets_per_story.index[outlets_per_story >= major_outlets]
    major_first, major_last = dates.min().reindex(major), dates.max().reindex(major)
    rows = []
    for level in by:
        units_per_story = members.groupby("story", observed=True)[level].nunique()
        for unit, own in members.groupby(level, sort=True, observed=True):
            covered = pd.Index(own["story"].unique())
            start, end = own["published"].min(), own["published"].max()
            in_time = (
                major
                if pd.isna(start)
                else major[((major_last >= start) & (major_first <= end)).to_numpy()]
            )
            hit = int(in_time.isin(covered).sum())
            low, high = (np.nan, np.nan)
            if len(in_time):
                ci = scipy_stats.binomtest(hit, len(in_time)).proportion_ci(
                    confidence_level=confidence, method="wilson"
                )
                low, high = ci.low, ci.high
            n_units = units_per_story.reindex(covered)
            rows.append(
                [
                    level,
                    str(unit),
                    len(own),
                    len(covered),
                    int((n_units > 1).sum()),
                    int((n_units == 1).sum()),
                    len(in_time),
                    hit,
                    hit / len(in_time) if len(in_time) else np.nan,
                    low,
                    high,
                    major_outlets,
                ]
            )
    out = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    ints = ["n_articles", "n_stories", "n_shared_stories", "n_own_stories", "n_major_stories"]
    return out.astype({c: "int64" for c in [*ints, "n_major_covered", "major_outlets"]})
