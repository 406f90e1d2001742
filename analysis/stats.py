"""Uncertainty: intervals, tests, adjusted p-values and outlet summaries.

Every interval method here was chosen by its coverage in the simulation of ``make
calibrate`` (benchmarks/calibration.py) and is reported only from the unit count where a
nominal 95% interval covered 0.93-0.97 there; below it the interval is missing, with an
:class:`UndefinedIntervalWarning`. Means: studentized bootstrap (:func:`bootstrap_ci`, from
:data:`MIN_UNITS_MEAN` units); pooled ratios: a linearised t interval (:func:`ratio_ci`, from
:data:`MIN_UNITS_RATIO` articles or :data:`MIN_CLUSTERS` outlets); differences: a symmetric
bootstrap-t (:func:`difference_ci`, from :data:`MIN_UNITS_DIFFERENCE` units a side). Random
draws come from a stream per cell (:func:`cell_rng`), so the same input gives the same
interval whatever else is in the run. The unit resampled matters:

- ``"article"`` (the default): an outlet's estimate is the mean over its articles of an
  article-level measure, and the interval resamples articles. This treats each article as
  one independent observation of the outlet, which is what a claim about the outlet needs.
- ``"sentence"``: the estimate is the mean over all the outlet's sentences, and the interval
  resamples sentences. Sentences of one article are not independent (same writer, topic,
  sources), so this interval is too narrow as a statement about the outlet; it describes the
  sampled articles only. :data:`SENTENCE_CAVEAT` says so, and figures print it.

Groups of outlets (a bias rating, a country) are summarised by :func:`summarize_clustered`:
the estimate pools the group's articles, and the interval's units are whole outlets, since
articles of one outlet share its writers, editors and sources.

Word tests: :func:`presence_test` (Fisher's exact test on the units using a term) and
:func:`adjust_p` (Benjamini-Hochberg or Holm over one stated family).
"""

from __future__ import annotations

import functools
import hashlib
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special
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


INTERVAL_METHOD = "studentized (bootstrap-t)"
"""The bootstrap interval of a mean (:func:`studentized_intervals`), as methods text names it."""
MIN_UNITS_MEAN = 50
"""Fewest units (articles, sentences) a mean's interval is reported for: below it, no method
simulated by ``make calibrate`` covers 0.93-0.97 on skewed or bursty data, and the interval
is reported missing."""
MIN_UNITS_RATIO = 500
"""Fewest articles a pooled ratio's interval (articles of different lengths) is reported for."""
MIN_CLUSTERS = 30
"""Fewest outlets an interval that resamples outlets is reported for."""
MIN_UNITS_DIFFERENCE = 100
"""Fewest units on each side for a difference's interval and test."""


class ListedWarning(UserWarning):
    """A warning in one short line, with the long list behind it in :attr:`details`.

    ``details`` is a DataFrame with one row per item the warning is about (an outlet and
    measure, a group); a run writes them to its ``warnings`` table, so the terminal gets one
    line per warning however many outlets it names.
    """

    def __init__(self, message: str, details: pd.DataFrame | None = None):
        super().__init__(message)
        self.details = pd.DataFrame() if details is None else details.reset_index(drop=True)


class UndefinedIntervalWarning(ListedWarning):
    """An interval or test is reported missing: too few units for an honest one."""


def few(names, noun: str) -> str:
    """How many ``names`` there are, naming them when they fit in a short line.

    Examples
    --------
    >>> few(["A", "B"], "outlet")
    '2 outlets (A, B)'
    >>> few([f"outlet number {i}" for i in range(12)], "outlet")
    '12 outlets'
    """
    names = [str(name) for name in names]
    counted = f"{len(names):,} {noun}{'s' * (len(names) != 1)}"
    listed = ", ".join(names)
    return f"{counted} ({listed})" if len(names) <= 3 and len(listed) <= 60 else counted


def warn_missing_intervals(
    table: pd.DataFrame, what: str, *, unit: str, minimum: int, key: str = "measure"
) -> None:
    """One short :class:`UndefinedIntervalWarning` counting the outlets of ``table`` with a
    value but no interval; its ``details`` list the cells (``outlet``, ``key``, ``n_units``).

    ``what`` names the measures (``"tone"``, ``"frames"``), ``minimum`` the fewest ``unit``s
    the interval is reported from.
    """
    missing = table[(table["n_units"] > 0) & table["ci_low"].isna()]
    if not len(missing):
        return
    outlets = few(missing["outlet"].astype(str).unique(), "outlet")
    warnings.warn(
        UndefinedIntervalWarning(
            f"{what}: no interval for {outlets} with fewer than {minimum} {unit}s "
            f"({len(missing)} outlet-{key} cells reported as missing)",
            missing[["outlet", key, "n_units"]].astype({"outlet": str, key: str}),
        ),
        stacklevel=3,
    )


def cell_rng(seed: int, *cell) -> np.random.Generator:
    """The random stream of one cell (an outlet, a measure, a comparison), derived from the
    run's ``seed`` and the cell's names by :class:`numpy.random.SeedSequence`: the same cell
    gets the same draws whatever else the run holds or the order it is computed in, and no
    two cells share draws."""
    key = tuple(
        int.from_bytes(hashlib.blake2b(str(name).encode("utf-8"), digest_size=8).digest(), "big")
        for name in cell
    )
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=key))


def bootstrap_ci(
    values: Sequence[float] | np.ndarray,
    *,
    confidence: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
    cell: tuple = (),
    min_units: int = MIN_UNITS_MEAN,
) -> tuple[float, float, float]:
    """Mean of ``values`` with a studentized (bootstrap-t) confidence interval.

    Parameters
    ----------
    values : array-like of float
        One value per resampling unit; NaN values are left out.
    confidence : float
        Confidence level of the interval.
    n_resamples : int
        Bootstrap resamples.
    seed, cell
        The run's seed and the names of this cell (:func:`cell_rng`).
    min_units : int
        Fewest values an interval is reported for (:data:`MIN_UNITS_MEAN`).

    Returns
    -------
    (estimate, low, high) : tuple of float
        ``low`` and ``high`` are NaN with fewer than ``min_units`` values, or when the
        resamples leave the interval unbounded; the mean of no value is NaN. When every
        value is the same, the interval is that value.
    """
    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    if len(data) == 0:
        return np.nan, np.nan, np.nan
    low, high = studentized_intervals(
        data[None, :],
        rng=cell_rng(seed, *cell),
        confidence=confidence,
        n_resamples=n_resamples,
        min_units=min_units,
    )
    return float(data.mean()), float(low[0]), float(high[0])


@functools.cache
def _blas() -> ThreadpoolController:
    """The thread pools of the native libraries loaded (found once: it takes milliseconds)."""
    return ThreadpoolController()


def studentized_intervals(
    rows: np.ndarray,
    *,
    rng: np.random.Generator,
    confidence: float = 0.95,
    n_resamples: int = 9999,
    min_units: int = MIN_UNITS_MEAN,
) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap-t intervals of the mean of each row of ``rows`` (units x in columns, NaN
    where a unit has no value), all rows from the same resamples of the units.

    Each resample draws the units (columns) with replacement; a row's resampled mean and
    standard error are over its drawn units that have a value. The interval is
    ``mean - t*_(1-a/2) se, mean - t*_(a/2) se``, with ``t*`` the resamples' studentized
    means (Efron & Tibshirani 1993, ch. 12.5). scipy's bootstrap offers percentile, basic
    and BCa only, which under-cover skewed data badly at every unit count ``make
    calibrate`` simulates (0.84 and 0.90 at 10 articles on bursty rates); bootstrap-t is
    the method that reaches 0.93-0.97 there, from :data:`MIN_UNITS_MEAN` units.

    The resampled sums are one matrix product of the draw counts with the rows (on one
    BLAS thread, so that the sums are added in the same order on every machine).

    Returns
    -------
    (low, high) : arrays of float, one per row
        NaN for a row with fewer than ``min_units`` values, or when a bound is unbounded
        (resamples without spread, from very few non-zero values); a row without spread
        has the interval [mean, mean].
    """
    rows = np.atleast_2d(np.asarray(rows, dtype=float))
    present = np.isfinite(rows)
    values = np.where(present, rows, 0.0)
    k = present.sum(axis=1).astype(float)
    n_rows, n = rows.shape
    low, high = np.full(n_rows, np.nan), np.full(n_rows, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = values.sum(axis=1) / k
        spread = np.nanmax(np.where(present, rows, np.nan), axis=1, initial=-np.inf) > np.nanmin(
            np.where(present, rows, np.nan), axis=1, initial=np.inf
        )
    flat = (k >= max(min_units, 2)) & ~spread
    low[flat], high[flat] = mean[flat], mean[flat]
    todo = np.flatnonzero((k >= max(min_units, 2)) & spread)
    if not len(todo):
        return low, high
    x, w = values[todo], present[todo].astype(float)
    k, mean = k[todo], mean[todo]
    se = np.sqrt(((x - mean[:, None]) ** 2 * w).sum(axis=1) / (k - 1) / k)
    sums = resampled_sums(np.concatenate([x, x * x, w]).T, rng=rng, n_resamples=n_resamples)
    t_star = _studentized(*np.split(sums.T, 3), mean[:, None])
    a, b = _t_bounds(mean, se, t_star, confidence)
    low[todo], high[todo] = a, b
    return low, high


def resampled_sums(columns: np.ndarray, *, rng: np.random.Generator, n_resamples: int):
    """For each of ``n_resamples`` resamples of the rows of ``columns`` (units x k) drawn
    with replacement, the column sums over the drawn rows: an (n_resamples x k) array.

    The sums are one matrix product of how often each unit was drawn with the columns,
    instead of gathering the drawn values; it runs on one BLAS thread, so that the sums
    are added in the same order on every machine. About a million draws are held at once.
    """
    columns = np.asarray(columns, dtype=float)
    n = columns.shape[0]
    out = np.empty((n_resamples, columns.shape[1]))
    batch = max(1, min(n_resamples, 1_000_000 // max(n, 1)))
    with _blas().limit(limits=1, user_api="blas"):
        for start in range(0, n_resamples, batch):
            size = min(batch, n_resamples - start)
            drawn = rng.integers(0, n, size=(size, n))
            first = np.arange(size, dtype=np.int64)[:, None] * n
            counts = np.bincount((first + drawn).ravel(), minlength=size * n)
            out[start : start + size] = counts.reshape(size, n).astype(float) @ columns
    return out


def _moments(s1, s2, k):
    """Means and sample variances from sums of values ``s1``, of squares ``s2`` and counts
    ``k`` (arrays of one shape)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s1 / k
        return mean, np.maximum((s2 - k * mean**2) / (k - 1), 0.0)


def _studentize(gap, se, estimate):
    """``gap / se`` for resampled estimates ``gap`` away from ``estimate``; a resample
    without spread (``se`` 0) gives 0 when it is the estimate and an infinite value
    otherwise (the interval is then unbounded)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        t = gap / se
    still = np.abs(gap) <= 1e-12 * (1 + np.abs(estimate))
    return np.where(se > 0, t, np.where(still, 0.0, np.copysign(np.inf, gap)))


def _studentized(s1, s2, k, mean):
    """Studentized resampled means ``(m* - mean) / se*`` from the resamples' sums of values
    ``s1``, of squares ``s2`` and counts ``k`` (:func:`_studentize`); a resample with fewer
    than two values gives an infinite one."""
    m_star, var = _moments(s1, s2, k)
    with np.errstate(invalid="ignore"):
        se_star = np.sqrt(var / k)
    return np.where(k >= 2, _studentize(m_star - mean, se_star, mean), np.inf)


def _t_bounds(estimate, se, t_star, confidence: float, *, symmetric: bool = False):
    """The bootstrap-t interval ``estimate - t*_(1-a/2) se, estimate - t*_(a/2) se`` from
    the studentized resamples (one row per estimate), by order statistics; with
    ``symmetric``, ``estimate -/+ |t*|_(1-a) se`` (Hall 1988). NaN where a bound is
    unbounded."""
    alpha = 1 - confidence
    t_star = np.where(np.isnan(t_star), np.inf, np.atleast_2d(t_star))
    if symmetric:
        upper_t = np.quantile(np.abs(t_star), confidence, axis=1, method="inverted_cdf")
        lower_t = -upper_t
    else:
        upper_t = np.quantile(t_star, 1 - alpha / 2, axis=1, method="inverted_cdf")
        lower_t = np.quantile(t_star, alpha / 2, axis=1, method="inverted_cdf")
    with np.errstate(invalid="ignore"):
        low, high = estimate - upper_t * se, estimate - lower_t * se
    bounded = np.isfinite(low) & np.isfinite(high)
    return np.where(bounded, low, np.nan), np.where(bounded, high, np.nan)


def difference_ci(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    confidence: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
    cell: tuple = (),
    min_units: int = MIN_UNITS_DIFFERENCE,
) -> tuple[float, float, float]:
    """``mean(a) - mean(b)`` with a symmetric studentized bootstrap interval (Hall 1988):
    each side resampled on its own, each resample's difference studentized by Welch's
    standard error, and the interval ``d -/+ |t*|_(0.95) se``. In the simulation of ``make
    calibrate`` Welch's t interval under-covered skewed and bursty sides of different
    scale (0.88-0.91 with 10 to 30 units a side), and so did the equal-tailed bootstrap-t
    (0.84-0.89); the symmetric one covered best, from :data:`MIN_UNITS_DIFFERENCE` units.

    NaN values are left out; the interval is NaN unless both sides have ``min_units``
    values (:data:`MIN_UNITS_DIFFERENCE`), or when it is unbounded. ``seed`` and ``cell``
    give the stream (:func:`cell_rng`).
    """
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    x, y = x[np.isfinite(x)], y[np.isfinite(y)]
    if len(x) == 0 or len(y) == 0:
        return np.nan, np.nan, np.nan
    difference = float(x.mean() - y.mean())
    if len(x) < max(min_units, 2) or len(y) < max(min_units, 2):
        return difference, np.nan, np.nan
    if np.all(x == x[0]) and np.all(y == y[0]):
        return difference, difference, difference
    rng = cell_rng(seed, "difference", *cell)

    def resampled_moments(side: np.ndarray):
        sums = resampled_sums(
            np.column_stack([side, side * side]), rng=rng, n_resamples=n_resamples
        )
        return _moments(sums[:, 0], sums[:, 1], len(side))

    (ma, va), (mb, vb) = resampled_moments(x), resampled_moments(y)
    se = np.sqrt(x.var(ddof=1) / len(x) + y.var(ddof=1) / len(y))
    se_star = np.sqrt(va / len(x) + vb / len(y))
    t_star = _studentize((ma - mb) - difference, se_star, difference)
    low, high = _t_bounds(
        np.array([difference]), np.array([se]), t_star[None, :], confidence, symmetric=True
    )
    return difference, float(low[0]), float(high[0])


def _mean_difference(first, second, axis=-1):
    return np.mean(first, axis=axis) - np.mean(second, axis=axis)


def permutation_test(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    n_resamples: int = 9999,
    seed: int = 0,
    cell: tuple = (),
) -> tuple[float, float]:
    """Difference of means ``mean(a) - mean(b)`` and its two-sided permutation p-value.

    Units are shuffled between the two groups (:func:`scipy.stats.permutation_test`, an
    exact test when there are fewer distinct permutations than ``n_resamples``), with the
    stream of ``cell`` (:func:`cell_rng`). NaN values are left out; with fewer than one
    value in either group the p-value is NaN.
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
        rng=cell_rng(seed, "permutation", *cell),
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
        ``unit``. A group with fewer than :data:`MIN_UNITS_MEAN` units has a missing
        interval, and one :class:`UndefinedIntervalWarning` names every such group.
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
    undefined = out[(out["n_units"] > 0) & out["ci_low"].isna()]
    if warn and len(undefined):
        named = few(undefined[keys[0]].unique(), keys[0] if len(keys) == 1 else "group")
        warnings.warn(
            UndefinedIntervalWarning(
                f"{value}: no interval for {named} with fewer than "
                f"{MIN_UNITS_MEAN} {unit}s, or too few non-zero values (reported as missing)",
                undefined[[*keys, "n_units"]],
            ),
            stacklevel=2,
        )
    return out


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

    Each group's units are resampled once for all the columns (:func:`studentized_intervals`:
    a column's resampled mean is over the drawn units that have a value), with the group's
    own stream (:func:`cell_rng` of the seed, the group and the columns), so that no two
    groups share draws and a group's interval does not depend on the others.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``measure`` (the column), ``estimate``, ``ci_low``, ``ci_high``,
        ``n_units``, ``n_articles``, ``unit``; one row per column and group, column by
        column, groups sorted. The interval is missing below :data:`MIN_UNITS_MEAN` units.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    keys = [by] if isinstance(by, str) else list(by)
    values = list(values)
    rows: list[list[list]] = [[] for _ in values]
    for group, frame in data.groupby(keys, sort=True, observed=True):
        group = group if isinstance(group, tuple) else (group,)
        matrix = frame[values].to_numpy(dtype=float).T
        finite = np.isfinite(matrix)
        ids = frame[article].to_numpy()
        low, high = studentized_intervals(
            matrix,
            rng=cell_rng(seed, unit, *group, *values),
            confidence=confidence,
            n_resamples=n_resamples,
        )
        for at in range(len(values)):
            present = finite[at]
            n_units = int(present.sum())
            estimate = float(matrix[at][present].mean()) if n_units else np.nan
            n_articles = int(pd.unique(ids[present]).size)
            rows[at].append([*group, estimate, low[at], high[at], n_units, n_articles])
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
    by: str,
    cluster: str = "outlet",
    value: str | None = None,
    numerator: str | None = None,
    denominator: str | None = None,
    scale: float = 1.0,
    article: str = "article_id",
    confidence: float = 0.95,
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
    the clusters' pairs. It is missing with fewer than :data:`MIN_CLUSTERS` clusters with
    data: a group of a few outlets has no honest interval, however many articles it has.
    ``n_resamples`` and ``seed`` are accepted and unused: the interval is analytic.

    Parameters
    ----------
    data : DataFrame
        One row per article: ``by``, ``cluster``, ``article`` and the measure's columns.
    by : str
        The group column (e.g. ``bias_text``).
    cluster : str
        The column whose values are the units of the interval (``outlet``).
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
            min_units=MIN_CLUSTERS,
        )
        n_clusters = int(((sums["top"] != 0) | (sums["bottom"] != 0)).sum())
        rows.append((group, estimate, low, high, n_clusters, int(part["article"].nunique())))
    out = pd.DataFrame(rows, columns=[by, "estimate", "ci_low", "ci_high", "n_units", "n_articles"])
    out["unit"] = cluster
    return out


def _log_choose(n: np.ndarray, k: np.ndarray) -> np.ndarray:
    return special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)


def presence_test(
    using: Sequence[float] | np.ndarray,
    units: Sequence[float] | np.ndarray,
    using_other: Sequence[float] | np.ndarray,
    units_other: Sequence[float] | np.ndarray,
    *,
    min_units: int = 2,
) -> np.ndarray:
    """Two-sided p-values of Fisher's exact test that a term is used by as large a share of
    one side's units as of the other's: ``using`` of ``units`` against ``using_other`` of
    ``units_other`` (units are articles, or outlets).

    The test conditions on how many units use the term; under shuffled unit labels the
    number on the first side is hypergeometric, so the test is exact whatever the words do
    within a unit (bursts, repeats): it is the permutation test of the unit labels, counted
    instead of sampled. Two-sided by doubling the smaller tail (capped at 1), which is never
    below the minimum-likelihood p of :func:`scipy.stats.fisher_exact`.

    Written here rather than calling :data:`scipy.stats.hypergeom` because that took 10 s
    per 200,000 tests (the term table holds millions); this sums each tail from the
    observed count outwards by the pmf's ratio recurrence, stopping when the terms no
    longer change the sum, 30 times faster. tests/test_stats.py checks it against scipy.

    Returns
    -------
    ndarray of float
        NaN where either side has fewer than ``min_units`` units; 1 where no unit or every
        unit uses the term.
    """
    x = np.asarray(using, dtype=float)
    n = np.broadcast_to(np.asarray(units, dtype=float), x.shape)
    y = np.broadcast_to(np.asarray(using_other, dtype=float), x.shape)
    m = np.broadcast_to(np.asarray(units_other, dtype=float), x.shape)
    total, uses = n + m, x + y
    p = np.full(x.shape, np.nan)
    defined = (n >= min_units) & (m >= min_units)
    p[defined] = 1.0
    at = np.flatnonzero(defined & (uses > 0) & (uses < total))
    if not len(at):
        return p
    x, n, k_all, n_all = x[at], n[at], uses[at], total[at]
    pmf = np.exp(_log_choose(k_all, x) + _log_choose(n_all - k_all, n - x) - _log_choose(n_all, n))
    upper = x * n_all >= n * k_all  # at or above the mean: sum the upper tail
    end = np.where(upper, np.minimum(n, k_all), np.maximum(0.0, k_all - (n_all - n)))
    tail = np.ones_like(x)  # the tail's sum in units of pmf(x)
    term = np.ones_like(x)
    count = x.copy()
    live = np.arange(len(x))
    while len(live):
        c, k, s, big = count[live], k_all[live], n[live], n_all[live]
        up = upper[live]
        stop = c == end[live]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(
                up,
                (k - c) * (s - c) / ((c + 1) * (big - k - s + c + 1)),
                c * (big - k - s + c) / ((k - c + 1) * (s - c + 1)),
            )
        term[live] *= np.where(stop, 0.0, ratio)
        tail[live] += term[live]
        count[live] += np.where(up, 1.0, -1.0)
        done = stop | (term[live] <= 1e-17 * tail[live]) | (pmf[live] * tail[live] >= 0.5)
        live = live[~done]
    p[at] = np.minimum(1.0, 2.0 * pmf * tail)
    return p


def adjust_p(p: Sequence[float] | np.ndarray, *, method: str = "bh") -> np.ndarray:
    """Adjusted p-values over one family: Benjamini-Hochberg q-values (``"bh"``, by
    :func:`scipy.stats.false_discovery_control`) or Holm's step-down family-wise adjusted
    p-values (``"holm"``). Missing p-values stay missing and are not counted in the family."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    defined = np.isfinite(p)
    if not defined.any():
        return out
    if method == "bh":
        out[defined] = scipy_stats.false_discovery_control(p[defined], method="bh")
        return out
    if method != "holm":
        raise ValueError(f"method must be 'bh' or 'holm', not {method!r}")
    values = p[defined]
    order = np.argsort(values, kind="stable")
    steps = (len(values) - np.arange(len(values))) * values[order]
    adjusted = np.empty_like(values)
    adjusted[order] = np.minimum(1.0, np.maximum.accumulate(steps))
    out[defined] = adjusted
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
        ``first``, ``second``, ``measure``, ``difference``, ``ci_low``, ``ci_high`` (symmetric
        bootstrap-t, :func:`difference_ci`), ``p`` (two-sided permutation test),
        ``n_first``, ``n_second``. When an outlet has fewer than two units with a value,
        ``ci_low``, ``ci_high`` and ``p`` are NaN (``difference`` too when an outlet has
        none), and one :class:`UndefinedIntervalWarning` names the outlet(s).
    """
    a = data.loc[data[outlet] == first, value].to_numpy(dtype=float)
    b = data.loc[data[outlet] == second, value].to_numpy(dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    too_few = [f"{name} has {len(x)}" for name, x in ((first, a), (second, b)) if len(x) < 2]
    if too_few:
        # scipy's resampling needs two units per outlet: report missing instead of raising
        both = len(a) > 0 and len(b) > 0
        difference = float(a.mean() - b.mean()) if both else np.nan
        low = high = p = np.nan
        missing = "interval and p-value" if both else "difference, interval and p-value"
        warnings.warn(
            f"{value}, {first} - {second}: too few units with a value to resample "
            f"({', '.join(too_few)}; 2 needed); {missing} reported as missing",
            UndefinedIntervalWarning,
            stacklevel=2,
        )
    else:
        difference, p = permutation_test(
            a, b, n_resamples=n_resamples, seed=seed, cell=(value, first, second)
        )
        _, low, high = difference_ci(
            a,
            b,
            confidence=confidence,
            n_resamples=n_resamples,
            seed=seed,
            cell=(value, first, second),
        )
        if np.isnan(low):
            warnings.warn(
                f"{value}, {first} - {second}: interval reported as missing (it needs "
                f"{MIN_UNITS_DIFFERENCE} units on each side to cover as it should; {first} has "
                f"{len(a)}, {second} has {len(b)})",
                UndefinedIntervalWarning,
                stacklevel=2,
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
