"""Outlets compared within the stories they share, next to the pooled comparison, and the
pooled difference split into selection and framing.

For a compared unit ``c`` (an outlet, or a group of outlets) and a per-article measure
``y``, with ``n_cs`` and ``ybar_cs`` the number and mean of ``c``'s articles in story
``s`` and ``ybar_-cs`` the mean of the other units' articles in ``s``:

- **pooled**: the mean of ``c``'s articles minus the mean of every other article;
- **within story** (framing): over the stories ``c`` shares with another unit, the mean of
  ``c``'s articles' differences from the others' mean on the same story,
  ``sum_s n_cs (ybar_cs - ybar_-cs) / sum_s n_cs`` (paired differences; with one article
  per outlet and story, the mean over stories of the story's difference). A difference
  that comes only from which stories ``c`` covers is 0 here;
- **selection**: ``pooled - share * within``, where ``share`` is the part of ``c``'s
  articles that are in shared stories (``share * within`` is the framing part of the
  pooled difference). It is what the pooled difference owes to the mix of stories, ``c``'s
  against the others': which stories each side covers and with how many articles,
  including the stories nobody else covers.

The three add up exactly (pooled = selection + share * within). Their intervals treat
stories as the units (articles about one event are not independent): each estimate is a
ratio of sums over stories, its standard error the linearised one over stories (Cochran
1977, 6.3, with the ``k / (k - 1)`` correction), and the interval uses Student's t with
``k - 1`` degrees of freedom, where ``k`` is the number of stories the unit covers (pooled,
selection) or shares (within story): the unit's own side, which has the fewest stories,
limits what is known. An interval is missing with fewer than :data:`MIN_STORIES` such
stories (the simulation in tests/test_stories_within.py covers 0.93-0.97 from there); the
selection's, unless both counts reach it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

MIN_STORIES = 30
"""Fewest stories an interval of :func:`within_story` is reported from."""

WITHIN_COLUMNS = [
    "level",
    "unit",
    "family",
    "measure",
    "pooled",
    "pooled_low",
    "pooled_high",
    "within",
    "within_low",
    "within_high",
    "selection",
    "selection_low",
    "selection_high",
    "shared_share",
    "n_articles",
    "n_stories",
    "n_shared_stories",
    "n_stories_all",
]
"""The columns of :func:`within_story`."""


def _interval(estimate, influence_sq, k, confidence, min_stories):
    """``estimate -/+ t se`` with ``se = sqrt(k / (k - 1) * sum z^2)``; NaN below
    ``min_stories`` stories."""
    estimate = np.asarray(estimate, dtype=float)
    k = np.asarray(k, dtype=float)
    ok = k >= max(min_stories, 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(np.where(ok, k / (k - 1) * influence_sq, np.nan))
        t = scipy_stats.t.ppf(0.5 + confidence / 2, np.where(ok, k - 1, 1))
    return np.where(ok, estimate - t * se, np.nan), np.where(ok, estimate + t * se, np.nan)


def compare_within(
    values: pd.DataFrame,
    measure: str,
    *,
    by: str,
    confidence: float = 0.95,
    min_stories: int = MIN_STORIES,
) -> pd.DataFrame:
    """:func:`within_story` of one measure column, for every unit of column ``by``.

    Parameters
    ----------
    values : DataFrame
        One row per article: ``story``, ``by`` and ``measure`` (NaN: no value, left out).
    min_stories : int
        Fewest stories an interval is reported from (:data:`MIN_STORIES`; the calibration
        harness lowers it to show what happens below).

    Returns
    -------
    DataFrame
        One row per unit with a value: ``unit`` and the estimate columns of
        :data:`WITHIN_COLUMNS` (without ``level``, ``family``, ``measure``).
    """
    data = values.loc[np.isfinite(values[measure].to_numpy(dtype=float)), ["story", by, measure]]
    if data.empty:
        return pd.DataFrame(columns=WITHIN_COLUMNS[1:2] + WITHIN_COLUMNS[4:])
    story = pd.factorize(data["story"])[0]
    y = data[measure].to_numpy(dtype=float)
    k_all = int(story.max()) + 1
    total_n = np.bincount(story, minlength=k_all).astype(float)
    total_y = np.bincount(story, weights=y, minlength=k_all)
    cells = (
        pd.DataFrame({"unit": data[by].to_numpy(), "story": story, "y": y})
        .groupby(["unit", "story"], sort=True, observed=True)["y"]
        .agg(["size", "sum"])
        .reset_index()
    )
    n_all, y_all = total_n.sum(), total_y.sum()
    sums_all = {
        "tt": np.sum(total_y**2),
        "tm": np.sum(total_y * total_n),
        "mm": np.sum(total_n**2),
    }
    rows = []
    for unit, cell in cells.groupby("unit", sort=True, observed=True):
        s = cell["story"].to_numpy()
        n_c, y_c = cell["size"].to_numpy(dtype=float), cell["sum"].to_numpy()
        m_o, y_o = total_n[s] - n_c, total_y[s] - y_c  # the others in c's stories
        N_c, N_o = n_c.sum(), n_all - n_c.sum()
        if N_o == 0:
            continue
        r_c, r_o = y_c.sum() / N_c, (y_all - y_c.sum()) / N_o
        pooled = r_c - r_o
        # linearised pooled difference per story: c's stories, then the stories c missed
        z_c = (y_c - r_c * n_c) / N_c - (y_o - r_o * m_o) / N_o
        missed_sq = (sums_all["tt"] - 2 * r_o * sums_all["tm"] + r_o**2 * sums_all["mm"]) - np.sum(
            (total_y[s] - r_o * total_n[s]) ** 2
        )
        missed_sq = max(missed_sq, 0.0) / N_o**2
        shared = m_o > 0
        n_shared = n_c[shared].sum()
        if n_shared > 0:
            gap = n_c[shared] * (y_c[shared] / n_c[shared] - y_o[shared] / m_o[shared])
            within = gap.sum() / n_shared
            z_w = (gap - within * n_c[shared]) / n_shared
            framing = np.zeros_like(n_c)
            framing[shared] = gap
            share = n_shared / N_c
            z_sel_c = z_c - (framing - share * within * n_c) / N_c
        else:
            within, share, z_w, z_sel_c = np.nan, 0.0, np.zeros(0), z_c
        rows.append(
            {
                "unit": unit,
                "pooled": pooled,
                "pooled_sq": np.sum(z_c**2) + missed_sq,
                "k_pooled": len(s),
                "within": within,
                "within_sq": np.sum(z_w**2),
                "k_within": int(shared.sum()),
                "selection": pooled - share * within if n_shared > 0 else pooled,
                "selection_sq": np.sum(z_sel_c**2) + missed_sq,
                "shared_share": share,
                "n_articles": int(N_c),
                "n_stories": len(s),
                "n_shared_stories": int(shared.sum()),
                "n_stories_all": k_all,
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=WITHIN_COLUMNS[1:2] + WITHIN_COLUMNS[4:])
    for name, k in (("pooled", "k_pooled"), ("within", "k_within"), ("selection", "k_pooled")):
        low, high = _interval(out[name], out[f"{name}_sq"], out[k], confidence, min_stories)
        out[f"{name}_low"], out[f"{name}_high"] = low, high
    # the within-story interval needs shared stories, the others any: fewer than
    # MIN_STORIES shared stories leave the split itself without interval
    few_shared = out["k_within"] < min_stories
    out.loc[few_shared, ["selection_low", "selection_high"]] = np.nan
    return out[WITHIN_COLUMNS[1:2] + WITHIN_COLUMNS[4:]]


def within_story(
    values: pd.DataFrame,
    measures: Mapping[str, Sequence[str]],
    *,
    by: Sequence[str] = ("outlet",),
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Every measure's pooled, within-story and selection differences for every unit.

    Parameters
    ----------
    values : DataFrame
        One row per article in a story: ``story``, the ``by`` columns and every measure
        column (NaN where an article has no value).
    measures : mapping of str to list of str
        Family (``tone``, ``frames``, ``voices``, ``topics``) -> its measure columns of
        ``values``.
    by : sequence of str
        The columns whose values are compared, each unit against all the others
        (``outlet``, and the compared groups' column).

    Returns
    -------
    DataFrame
        :data:`WITHIN_COLUMNS`, one row per level (``by`` column), unit, family and measure:
        the three differences with their intervals (see the module docstring),
        ``shared_share`` (the part of the unit's articles in shared stories),
        ``n_articles`` (the unit's articles with a value), ``n_stories`` (stories it
        covers), ``n_shared_stories`` (of them, those another unit covers too) and
        ``n_stories_all`` (stories with a value).
    """
    parts = []
    for level in by:
        for family, columns in measures.items():
            for measure in columns:
                part = compare_within(values, measure, by=level, confidence=confidence)
                if len(part):
                    parts.append(part.assign(level=level, family=family, measure=measure))
    if not parts:
        types = {c: "float64" for c in WITHIN_COLUMNS}
        types.update({c: "str" for c in ("level", "unit", "family", "measure")})
        types.update(
            {c: "int64" for c in ("n_articles", "n_stories", "n_shared_stories", "n_stories_all")}
        )
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in types.items()})
    out = pd.concat(parts, ignore_index=True)[WITHIN_COLUMNS]
    out["unit"] = out["unit"].astype(str)
    return out.astype(
        {c: "int64" for c in ("n_articles", "n_stories", "n_shared_stories", "n_stories_all")}
    )
