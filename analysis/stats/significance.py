"""Tests: the permutation test of a difference of means (:func:`permutation_test`),
Fisher's exact test of how many units use a term (:func:`presence_test`), p-values adjusted
over one family (:func:`adjust_p`), and two outlets compared (:func:`compare_outlets`)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as scipy_stats

from analysis.settings import N_RESAMPLES
from analysis.stats.bootstrap import difference_ci
from analysis.stats.limits import MIN_UNITS_DIFFERENCE, UndefinedIntervalWarning
from analysis.stats.seeds import cell_rng


def _mean_difference(first, second, axis=-1):
    return np.mean(first, axis=axis) - np.mean(second, axis=axis)


def permutation_test(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
    cell: tuple = (),
) -> tuple[float, float]:
    """Difference of means ``mean(a) - mean(b)`` and its two-sided permutation p-value.

    Units are shuffled between the two groups (:func:`scipy.stats.permutation_test`, an
    exact test when there are fewer distinct permutations than ``n_resamples``), with the
    stream of ``cell`` (:func:`cell_rng`). NaN values are left out; when a group has no
    value both results are NaN, and when it has one, scipy's test raises ValueError
    (:func:`compare_outlets` reports such a comparison missing instead).
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
    n_resamples: int = N_RESAMPLES,
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
        none), and one :class:`UndefinedIntervalWarning` names the outlet(s); with fewer
        than :data:`MIN_UNITS_DIFFERENCE` on a side, the interval alone is NaN, with a
        warning too.
    """
    a = data.loc[data[outlet] == first, value].to_numpy(dtype=float)
    b = data.loc[data[outlet] == second, value].to_numpy(dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    too_few = [f"{name} has {len(x)}" for name, x in ((first, a), (second, b)) if len(x) < 2]
    if too_few:
        # scipy's permutation test needs two units per outlet: report missing, not raise
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
