"""Uncertainty: bootstrap intervals, permutation tests, and outlet summaries.

Resampling is done by :func:`scipy.stats.bootstrap` and :func:`scipy.stats.permutation_test`,
seeded, so the same input gives the same interval. The unit resampled matters:

- ``"article"`` (the default): an outlet's estimate is the mean over its articles of an
  article-level measure, and the interval resamples articles. This treats each article as
  one independent observation of the outlet, which is what a claim about the outlet needs.
  With fewer than two articles the interval is undefined: it is reported as missing, with a
  :class:`UndefinedIntervalWarning`.
- ``"sentence"``: the estimate is the mean over all the outlet's sentences, and the interval
  resamples sentences. Sentences of one article are not independent (same writer, topic,
  sources), so this interval is too narrow as a statement about the outlet; it describes the
  sampled articles only. :data:`SENTENCE_CAVEAT` says so, and figures print it.

Groups of outlets (a bias rating, a country) are summarised by :func:`summarize_clustered`:
the estimate pools the group's articles, and the interval resamples whole outlets, since
articles of one outlet share its writers, editors and sources.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats
from threadpoolctl import ThreadpoolController

UNITS = ("article", "sentence", "quote")
SENTENCE_CAVEAT = (
    "Intervals resample sentences, which are not independent within an article: they "
    "describe these articles, not the outlet, and are too narrow for claims about the outlet."
)
SUMMARY_COLUMNS = [
    "outlet",
    "measure",
    "estimate",
    "ci_low",
    "ci_high",
    "n_articles",
    "n_units",
    "unit",
]


class UndefinedIntervalWarning(UserWarning):
    """An interval could not be computed (fewer than two units) and is reported missing."""


def bootstrap_ci(
    values: Sequence[float] | np.ndarray,
    *,
    confidence: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
    method: str = "percentile",
) -> tuple[float, float, float]:
    """Mean of ``values`` with a bootstrap confidence interval.

    Parameters
    ----------
    values : array-like of float
        One value per resampling unit; NaN values are left out.
    confidence : float
        Confidence level of the interval.
    n_resamples : int
        Bootstrap resamples.
    seed : int
        Seed of the random generator: the same seed gives the same interval.
    method : {"percentile", "basic", "BCa"}
        Interval method of :func:`scipy.stats.bootstrap`.

    Returns
    -------
    (estimate, low, high) : tuple of float
        ``low`` and ``high`` are NaN when fewer than two values remain; the mean of NaN
        values is NaN. When every value is the same, the interval is that value.
    """
    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    if len(data) == 0:
        return np.nan, np.nan, np.nan
    estimate = float(data.mean())
    if len(data) < 2:
        return estimate, np.nan, np.nan
    if np.all(data == data[0]):
        return estimate, estimate, estimate
    low, high = _interval(
        (data,), np.mean, confidence=confidence, n_resamples=n_resamples, seed=seed, method=method
    )
    return estimate, low, high


def _interval(
    samples: tuple[np.ndarray, ...],
    statistic,
    *,
    confidence: float,
    n_resamples: int,
    seed: int,
    method: str = "percentile",
    paired: bool = False,
    batch: int = 1000,
) -> tuple[float, float]:
    """The seeded :func:`scipy.stats.bootstrap` interval every function here uses; arrays of
    lows and highs when the samples are 2-D (one interval per row)."""
    result = scipy_stats.bootstrap(
        samples,
        statistic,
        confidence_level=confidence,
        n_resamples=n_resamples,
        method=method,
        vectorized=True,
        paired=paired,
        batch=batch,
        axis=-1,
        rng=np.random.default_rng(seed),
    )
    low, high = result.confidence_interval
    if np.ndim(low):  # several samples, one row each (resampled along the last axis)
        return low, high
    return float(low), float(high)


def bootstrap_difference_ci(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    confidence: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
) -> tuple[float, float, float]:
    """``mean(a) - mean(b)`` with a percentile bootstrap interval, resampling each group
    independently. NaN values are left out; the interval is NaN unless both groups have
    at least two values."""
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    x, y = x[np.isfinite(x)], y[np.isfinite(y)]
    if len(x) == 0 or len(y) == 0:
        return np.nan, np.nan, np.nan
    difference = float(x.mean() - y.mean())
    if len(x) < 2 or len(y) < 2:
        return difference, np.nan, np.nan
    if np.all(x == x[0]) and np.all(y == y[0]):
        return difference, difference, difference
    low, high = _interval(
        (x, y), _mean_difference, confidence=confidence, n_resamples=n_resamples, seed=seed
    )
    return difference, low, high


def _mean_difference(first, second, axis=-1):
    return np.mean(first, axis=axis) - np.mean(second, axis=axis)


def permutation_test(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    n_resamples: int = 9999,
    seed: int = 0,
) -> tuple[float, float]:
    """Difference of means ``mean(a) - mean(b)`` and its two-sided permutation p-value.

    Units are shuffled between the two groups (:func:`scipy.stats.permutation_test`, an
    exact test when there are fewer distinct permutations than ``n_resamples``). NaN values
    are left out; with fewer than one value in either group the p-value is NaN.
    """
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    x, y = x[np.isfinite(x)], y[np.isfinite(y)]
    if len(x) == 0 or len(y) == 0:
        return np.nan, np.nan
    difference = float(x.mean() - y.mean())
    result = scipy_stats.permutation_test(
        (x, y),
        _mean_difference,
        permutation_type="independent",
        alternative="two-sided",
        n_resamples=n_resamples,
        vectorized=True,
        rng=np.random.default_rng(seed),
    )
    return difference, float(result.pvalue)


def summarize(
    data: pd.DataFrame,
    *,
    value: str,
    by: str | list[str] = "outlet",
    unit: str = "article",
    article: str = "article_id",
    confidence: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
    warn: bool = True,
) -> pd.DataFrame:
    """Mean of ``value`` per group with a bootstrap interval over the rows.

    Parameters
    ----------
    data : DataFrame
        One row per resampling unit (an article, or a sentence), with the ``by`` columns,
        ``value`` and ``article``.
    value : str
        The column to average.
    by : str or list of str
        Grouping columns (``outlet`` by default).
    unit : {"article", "sentence"}
        What one row is; recorded in the output and used in the warning.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``estimate``, ``ci_low``, ``ci_high``,
        ``n_units`` (rows with a value), ``n_articles`` (distinct articles among them),
        ``unit``. A group with fewer than two units has a missing interval, and one
        :class:`UndefinedIntervalWarning` names every such group.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    keys = [by] if isinstance(by, str) else list(by)
    out = summarize_columns(
        data,
        [value],
        by=keys,
        unit=unit,
        article=article,
        confidence=confidence,
        n_resamples=n_resamples,
        seed=seed,
    ).drop(columns="measure")
    undefined = out[(out["n_units"] > 0) & (out["n_units"] < 2)]
    if warn and len(undefined):
        names = ", ".join(" / ".join(map(str, r)) for r in undefined[keys].itertuples(index=False))
        warnings.warn(
            f"{value}: interval undefined (fewer than 2 {unit}s) for {names}; reported as "
            "missing"
            + (
                ". Sentence-level resampling is the named alternative."
                if unit == "article"
                else "."
            ),
            UndefinedIntervalWarning,
            stacklevel=2,
        )
    return out


@functools.cache
def _blas() -> ThreadpoolController:
    """The thread pools of the native libraries loaded (found once: it takes milliseconds)."""
    return ThreadpoolController()


def _mean_intervals(
    rows: np.ndarray, *, confidence: float, n_resamples: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """The :func:`_interval` of the mean of each row of ``rows`` (samples of one length),
    all from one :func:`scipy.stats.bootstrap` call, which draws the same resamples for
    each row as a call of its own would.

    scipy resamples the positions ``0 .. n - 1`` and the statistic takes every row's mean
    over the drawn positions at once: how often each position was drawn, times the rows
    (one matrix product), where gathering each row's resampled values would copy them all.
    The means equal ``np.mean`` of the resampled values up to the order of the sums (the
    last bit or so). The product runs on one BLAS thread: its sums are then added in the
    same order on any machine, whatever its cores or the number of workers (and it does not
    wait for a thread whose core another process is using).
    """
    n = rows.shape[1]

    def means(drawn: np.ndarray, axis: int = -1) -> np.ndarray:
        # drawn: one resample of the positions per row, (resamples, n)
        first = np.arange(drawn.shape[0], dtype=np.int64)[:, None] * n
        counts = np.bincount((first + drawn).ravel(), minlength=drawn.size)
        return rows @ counts.reshape(drawn.shape).T.astype(float) / n  # (rows, resamples)

    with _blas().limit(limits=1, user_api="blas"):
        low, high = _interval(
            (np.arange(n),),
            means,
            confidence=confidence,
            n_resamples=n_resamples,
            seed=seed,
            # resamples held at once: about a million positions (8 MB in each of the few
            # arrays made from them); the draws are the same whatever the batch
            batch=max(1, min(1000, 1_000_000 // n)),
        )
    return np.atleast_1d(low), np.atleast_1d(high)


def summarize_columns(
    data: pd.DataFrame,
    values: Sequence[str],
    *,
    by: str | list[str] = "outlet",
    unit: str = "article",
    article: str = "article_id",
    confidence: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`summarize` of several columns, with no warning, in long form.

    The same numbers as summarizing each column on its own, up to the last bits of a float
    (the resample means are summed in another order): every sample of the same length (a
    column of a group, without its missing values) is resampled by one
    :func:`scipy.stats.bootstrap` call with the same seed, which draws the same resamples
    for each sample as a call of its own would.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``measure`` (the column), ``estimate``, ``ci_low``, ``ci_high``,
        ``n_units``, ``n_articles``, ``unit``; one row per column and group, column by
        column, groups sorted.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    keys = [by] if isinstance(by, str) else list(by)
    values = list(values)
    rows: list[list[list]] = [[] for _ in values]
    # rows to resample, by their length: one call for all of a length, as the same seed
    # draws the same resamples for every sample of that length
    to_resample: dict[int, list[tuple[np.ndarray, list]]] = {}
    for group, frame in data.groupby(keys, sort=True, observed=True):
        group = group if isinstance(group, tuple) else (group,)
        matrix = frame[values].to_numpy(dtype=float).T
        finite = np.isfinite(matrix)
        ids = frame[article]
        patterns: dict[bytes, list[int]] = {}
        for at in range(len(values)):
            patterns.setdefault(finite[at].tobytes(), []).append(at)
        for members in patterns.values():
            present = finite[members[0]]
            sample = matrix[members][:, present]
            n_units, n_articles = int(present.sum()), int(ids[present].nunique())
            for row, at in zip(sample, members):
                estimate = float(row.mean()) if n_units else np.nan
                out = [*group, estimate, np.nan, np.nan, n_units, n_articles]  # ci_low at -4
                rows[at].append(out)
                if n_units >= 2 and np.all(row == row[0]):
                    out[-4] = out[-3] = estimate  # no spread: the interval is the value
                elif n_units >= 2:
                    to_resample.setdefault(n_units, []).append((row, out))
    for samples in to_resample.values():
        low, high = _mean_intervals(
            np.stack([row for row, _ in samples]),
            confidence=confidence,
            n_resamples=n_resamples,
            seed=seed,
        )
        for (_, out), a, b in zip(samples, low, high):
            out[-4], out[-3] = float(a), float(b)  # ci_low, ci_high
    columns = [*keys, "estimate", "ci_low", "ci_high", "n_units", "n_articles"]
    parts = [pd.DataFrame(r, columns=columns).assign(measure=v) for v, r in zip(values, rows)]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    out["unit"] = unit
    return out[[*keys, "measure", *columns[len(keys) :], "unit"]]


def ratio_ci(
    numerator: Sequence[float] | np.ndarray,
    denominator: Sequence[float] | np.ndarray,
    *,
    scale: float = 1.0,
    confidence: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
) -> tuple[float, float, float]:
    """``scale * sum(numerator) / sum(denominator)`` with a percentile bootstrap interval
    that resamples (numerator, denominator) pairs: a pooled rate, such as matches per 1,000
    tokens over units of different length. NaN when the denominator sums to 0; the interval
    is NaN with fewer than two units. Units with nothing in either sum (0 / 0: an article
    that quotes no one, for a share of quoted words) add nothing to the pooled rate and are
    left out of the resampling, so the interval is over the units the rate describes."""
    top = np.asarray(numerator, dtype=float)
    bottom = np.asarray(denominator, dtype=float)
    empty = (top == 0) & (bottom == 0)
    top, bottom = top[~empty], bottom[~empty]
    if bottom.sum() <= 0:
        return np.nan, np.nan, np.nan
    estimate = float(scale * top.sum() / bottom.sum())
    if len(top) < 2:
        return estimate, np.nan, np.nan

    def pooled(x, y, axis=-1):
        with np.errstate(divide="ignore", invalid="ignore"):
            return scale * np.sum(x, axis=axis) / np.sum(y, axis=axis)

    low, high = _interval(
        (top, bottom),
        pooled,
        confidence=confidence,
        n_resamples=n_resamples,
        seed=seed,
        paired=True,
        batch=200,
    )
    return estimate, low, high


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
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """Pooled rate per group (:func:`ratio_ci`), in the same form as :func:`summarize`."""
    keys = [by] if isinstance(by, str) else list(by)
    rows = []
    for group, frame in data.groupby(keys, sort=True, observed=True):
        estimate, low, high = ratio_ci(
            frame[numerator].to_numpy(dtype=float),
            frame[denominator].to_numpy(dtype=float),
            scale=scale,
            confidence=confidence,
            n_resamples=n_resamples,
            seed=seed,
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
    by: str,
    cluster: str = "outlet",
    value: str | None = None,
    numerator: str | None = None,
    denominator: str | None = None,
    scale: float = 1.0,
    article: str = "article_id",
    confidence: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """Per group, a pooled estimate over its articles with an interval that resamples
    clusters (outlets), not articles.

    Each cluster contributes two sums: for a mean (``value``), the sum of its articles'
    values and the number of articles with a value; for a ratio (``numerator`` /
    ``denominator``, e.g. quoted words / words), the sums of both columns. The estimate is
    ``scale * sum of the first / sum of the second`` over the group's clusters (the mean over
    the group's articles, or its pooled ratio), and the percentile interval comes from
    :func:`ratio_ci` over the clusters' pairs. It is missing when fewer than two clusters
    have data: a group of one outlet has no interval, however many articles it has.

    Parameters
    ----------
    data : DataFrame
        One row per article: ``by``, ``cluster``, ``article`` and the measure's columns.
    by : str
        The group column (e.g. ``bias_text``).
    cluster : str
        The column whose values are resampled whole (``outlet``).
    value : str, optional
        The column to average; or give ``numerator`` and ``denominator``.

    Returns
    -------
    DataFrame
        ``by``, ``estimate, ci_low, ci_high``, ``n_units`` (clusters with data),
        ``n_articles`` (articles with data), ``unit`` (the cluster column's name); groups
        sorted.
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
    frame = pd.DataFrame(
        {
            "group": data[by].to_numpy(),
            "cluster": data[cluster].to_numpy(),
            "top": top,
            "bottom": bottom,
            "article": np.where(present, data[article].to_numpy(dtype=object), None),
        }
    )
    rows = []
    for group, part in frame.groupby("group", sort=True, observed=True):
        sums = part.groupby("cluster", sort=True, observed=True)[["top", "bottom"]].sum()
        estimate, low, high = ratio_ci(
            sums["top"].to_numpy(),
            sums["bottom"].to_numpy(),
            scale=scale,
            confidence=confidence,
            n_resamples=n_resamples,
            seed=seed,
        )
        n_clusters = int(((sums["top"] != 0) | (sums["bottom"] != 0)).sum())
        rows.append((group, estimate, low, high, n_clusters, int(part["article"].nunique())))
    out = pd.DataFrame(rows, columns=[by, "estimate", "ci_low", "ci_high", "n_units", "n_articles"])
    out["unit"] = cluster
    return out


def compare_outlets(
    data: pd.DataFrame,
    first: str,
    second: str,
    *,
    value: str,
    outlet: str = "outlet",
    confidence: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.Series:
    """Difference in ``value`` between two outlets, with a bootstrap interval and a
    permutation p-value.

    Parameters
    ----------
    data : DataFrame
        One row per unit (article or sentence) with columns ``outlet`` and ``value``.
    first, second : str
        The outlets compared; the difference is ``first - second``.

    Returns
    -------
    Series
        ``first``, ``second``, ``measure``, ``difference``, ``ci_low``, ``ci_high`` (bootstrap
        over units within each outlet, independently), ``p`` (two-sided permutation test),
        ``n_first``, ``n_second``.
    """
    a = data.loc[data[outlet] == first, value].to_numpy(dtype=float)
    b = data.loc[data[outlet] == second, value].to_numpy(dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    difference, p = permutation_test(a, b, n_resamples=n_resamples, seed=seed)
    _, low, high = bootstrap_difference_ci(
        a, b, confidence=confidence, n_resamples=n_resamples, seed=seed
    )
    return pd.Series(
        {
            "first": first,
            "second": second,
            "measure": value,
            "difference": difference,
            "ci_low": float(low),
            "ci_high": float(high),
            "p": p,
            "n_first": len(a),
            "n_second": len(b),
        }
    )
