"""Pooled ratios with a linearised interval (:func:`ratio_ci`): per group over its units
(:func:`summarize_ratio`), and per group of outlets over its outlets
(:func:`summarize_clustered`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from analysis.stats.limits import MIN_CLUSTERS, MIN_UNITS_RATIO


def ratio_ci(
    numerator: Sequence[float] | np.ndarray,
    denominator: Sequence[float] | np.ndarray,
    *,
    scale: float = 1.0,
    confidence: float = 0.95,
    min_units: int = MIN_UNITS_RATIO,
) -> tuple[float, float, float]:
    """``scale * sum(numerator) / sum(denominator)`` with a linearised interval over the
    units: a pooled rate, such as matches per 1,000 tokens over units of different length,
    or a group's mean over outlets (each outlet's sum of values and count of articles).

    The standard error is the ratio estimator's (Cochran 1977, 6.3) with the HC2
    small-sample correction (each unit's residual ``y - R x`` divided by ``1 - x / sum(x)``),
    and the interval uses Student's t with ``units - 1`` degrees of freedom, on the log
    scale when no numerator is negative (a rate: the interval stays above 0 and follows its
    skew), on the ratio's own scale otherwise (a mean tone). Units with nothing in either
    sum (0 / 0: an article that quotes no one, for a share of quoted words) are left out.

    Returns
    -------
    (estimate, low, high)
        NaN when the denominator sums to 0; the interval is NaN with fewer than
        ``min_units`` units (:data:`MIN_UNITS_RATIO` for articles, :data:`MIN_CLUSTERS`
        for outlets: below them the simulation of ``make calibrate`` does not cover).
    """
    top = np.asarray(numerator, dtype=float)
    bottom = np.asarray(denominator, dtype=float)
    empty = (top == 0) & (bottom == 0)
    top, bottom = top[~empty], bottom[~empty]
    total = bottom.sum()
    if total <= 0:
        return np.nan, np.nan, np.nan
    ratio = top.sum() / total
    estimate = float(scale * ratio)
    n = len(top)
    if n < max(min_units, 2):
        return estimate, np.nan, np.nan
    residual = top - ratio * bottom
    leverage = bottom / total
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(np.sum(residual**2 / np.where(leverage < 1, 1 - leverage, np.inf))) / total
    quantile = scipy_stats.t.ppf(0.5 + confidence / 2, n - 1)
    if se == 0:
        return estimate, estimate, estimate
    if np.all(top >= 0) and ratio > 0:
        low, high = ratio * np.exp(-quantile * se / ratio), ratio * np.exp(quantile * se / ratio)
    else:
        low, high = ratio - quantile * se, ratio + quantile * se
    return estimate, float(scale * low), float(scale * high)


def summarize_ratio(
    data: pd.DataFrame,
    *,
    numerator: str,
    denominator: str,
    by: str | list[str] = "outlet",
    unit: str = "sentence",
    article: str = "article_id",
    scale: float = 1.0,
    confidence: float = 0.95,
    n_resamples: int | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Pooled rate per group (:func:`ratio_ci`), in the same form as :func:`summarize`.
    ``n_resamples`` and ``seed`` are accepted and unused: the interval is analytic."""
    keys = [by] if isinstance(by, str) else list(by)
    rows = []
    for group, frame in data.groupby(keys, sort=True, observed=True):
        estimate, low, high = ratio_ci(
            frame[numerator].to_numpy(dtype=float),
            frame[denominator].to_numpy(dtype=float),
            scale=scale,
            confidence=confidence,
        )
        group = group if isinstance(group, tuple) else (group,)
        rows.append((*group, estimate, low, high, len(frame), frame[article].nunique()))
    out = pd.DataFrame(
        rows, columns=[*keys, "estimate", "ci_low", "ci_high", "n_units", "n_articles"]
    )
    out["unit"] = unit
    return out


def summarize_clustered(
    data: pd.DataFrame,
    *,
    by: str | list[str],
    cluster: str = "outlet",
    value: str | None = None,
    numerator: str | None = None,
    denominator: str | None = None,
    scale: float = 1.0,
    article: str = "article_id",
    confidence: float = 0.95,
    min_units: int = MIN_CLUSTERS,
    unit: str | None = None,
    n_resamples: int | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Per group, a pooled estimate over its articles with an interval over clusters
    (outlets), not articles.

    Each cluster contributes two sums: for a mean (``value``), the sum of its articles'
    values and the number of articles with a value; for a ratio (``numerator`` /
    ``denominator``, e.g. quoted words / words), the sums of both columns. The estimate is
    ``scale * sum of the first / sum of the second`` over the group's clusters (the mean over
    the group's articles, or its pooled ratio), and the interval is :func:`ratio_ci` over
    the clusters' pairs. It is missing with fewer than ``min_units`` clusters with data
    (:data:`MIN_CLUSTERS` outlets by default): a group of a few outlets has no honest
    interval, however many articles it has. The clusters may be articles too: the mean tone
    of an outlet's quotes, with the quotes of one article resampled together.
    ``n_resamples`` and ``seed`` are accepted and unused: the interval is analytic.

    Parameters
    ----------
    data : DataFrame
        One row per article: ``by``, ``cluster``, ``article`` and the measure's columns.
    by : str or list of str
        The group column or columns (e.g. ``bias_text``).
    cluster : str
        The column whose values are the units of the interval (``outlet``).
    value : str, optional
        The column to average; or give ``numerator`` and ``denominator``.
    min_units : int
        Fewest clusters with data an interval is reported for.
    unit : str, optional
        What a cluster is, for the ``unit`` column (default: the cluster column's name).

    Returns
    -------
    DataFrame
        The ``by`` columns, ``estimate, ci_low, ci_high``, ``n_units`` (clusters with
        data), ``n_articles`` (articles with data), ``unit``; groups sorted.
    """
    if (value is None) == (numerator is None or denominator is None):
        raise ValueError("give value=, or numerator= and denominator=")
    if value is not None:
        values = data[value].to_numpy(dtype=float)
        present = np.isfinite(values)
        top, bottom = np.where(present, values, 0.0), present.astype(float)
    else:
        top = data[numerator].to_numpy(dtype=float)
        bottom = data[denominator].to_numpy(dtype=float)
        present = (top != 0) | (bottom != 0)
    keys = [by] if isinstance(by, str) else list(by)
    frame = pd.DataFrame(
        {
            **{f"group{i}": data[key].to_numpy() for i, key in enumerate(keys)},
            "cluster": data[cluster].to_numpy(),
            "top": top,
            "bottom": bottom,
            "article": np.where(present, data[article].to_numpy(dtype=object), None),
        }
    )
    groups = [f"group{i}" for i in range(len(keys))]
    sums = frame.groupby([*groups, "cluster"], sort=True, observed=True)[["top", "bottom"]].sum()
    sums = sums.reset_index()
    articles = frame.groupby(groups, sort=True, observed=True)["article"].nunique()
    # the clusters' sums are sorted by group: each group is one slice of the arrays (a
    # pandas groupby over the groups costs ~1 ms each, too much for a timeline's cells)
    starts = np.flatnonzero(~sums.duplicated(groups).to_numpy())
    stops = np.append(starts[1:], len(sums))
    tops, bottoms = sums["top"].to_numpy(), sums["bottom"].to_numpy()
    keys_of = sums[groups].iloc[starts].itertuples(index=False, name=None)
    rows = []
    for group, start, stop, n_articles in zip(keys_of, starts, stops, articles.to_numpy()):
        top, bottom = tops[start:stop], bottoms[start:stop]
        estimate, low, high = ratio_ci(
            top, bottom, scale=scale, confidence=confidence, min_units=min_units
        )
        n_clusters = int(((top != 0) | (bottom != 0)).sum())
        rows.append((*group, estimate, low, high, n_clusters, int(n_articles)))
    out = pd.DataFrame(
        rows, columns=[*keys, "estimate", "ci_low", "ci_high", "n_units", "n_articles"]
    )
    out["unit"] = cluster if unit is None else unit
    return out
