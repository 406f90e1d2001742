"""Agreement between coders of a manual content analysis: Krippendorff's alpha per variable
with a bootstrap interval over units (:func:`alpha`, :func:`reliability`); pairs of coders
and the units to adjudicate are in :mod:`analysis.coding.pairs`.

Every function reads ``codes`` in wide form: one row per (unit, coder) with the columns
``unit_id``, ``coder`` and one column per variable; a missing value (NA, None, NaN) means
that coder did not code that variable for that unit. Alpha itself comes from the
maintained ``krippendorff`` package; only the bootstrap recomputes it, from each unit's
share of the coincidence matrix (see :func:`reliability`).

The interval's honesty was checked by simulation (``coverage`` in
``tests/test_coding_reliability.py``): two coders code a latent truth with independent
errors, as 5-point ordinal codes (truth N(0, 1) plus each coder's noise N(0, 0.6), cut at
-1.5, -0.5, 0.5, 1.5; population alpha 0.676) or as binary codes (present with probability
0.3, each coder flips it with probability 0.1; population alpha 0.599), the population alpha
computed on 200,000 units. Coverage is the share of 1,000 data sets per row whose 95%
percentile interval (1,000 resamples of units) held the population alpha, a data set
without an interval counting as a miss; "with" is the share that had one (binary data sets
of few units often have resamples without variation, see :func:`reliability`):

=====  ========  ====  ========  ====
units  ordinal   with  binary    with
=====  ========  ====  ========  ====
   10     0.924  0.99     0.232  0.25
   20     0.943  1.00     0.772  0.84
   30     0.943  1.00     0.927  0.99
   50     0.951  1.00     0.942  1.00
   75     0.936  1.00     0.936  1.00
  100     0.938  1.00     0.936  1.00
  200     0.937  1.00     0.948  1.00
=====  ========  ====  ========  ====

(A row's standard error is about 0.007.) From 30 units both kinds of code covered within
0.03 of 0.95, from 50 within 0.93-0.97, the band every other interval of the project is held
to (:mod:`analysis.stats.limits`); :data:`MIN_UNITS_INTERVAL` is 50, and below it
:func:`reliability` reports no interval and says why. Rarer categories than these need more
units: their resamples lose variation (the interval is then reported missing too).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np
import pandas as pd

from analysis.stats.bootstrap import resampled_sums
from analysis.stats.seeds import cell_rng

LEVELS = ("nominal", "ordinal", "interval", "ratio")
"""The levels of measurement Krippendorff's alpha has a distance metric for."""

MIN_UNITS_INTERVAL = 50
"""Fewest units coded by at least two coders for which :func:`reliability` reports an
interval: from here on the module's simulation saw the 95% percentile interval cover
0.93-0.97 on 5-point ordinal and on binary codes (0.951 and 0.942 at 50 units; binary 0.927
at 30, 0.772 at 20)."""

RELIABILITY_COLUMNS = [
    "variable",
    "level",
    "alpha",
    "ci_low",
    "ci_high",
    "n_units",
    "n_coders",
    "n_pairable",
    "percent_agreement",
    "interval_note",
]


class UndefinedAlphaWarning(UserWarning):
    """Alpha is NaN for a variable: fewer than two pairable values, or no variation."""


@dataclass(frozen=True)
class _Variable:
    """One variable's codes, ready for alpha.

    ``domain`` holds the distinct values in sorted or scale order; ``counts`` (units x
    values) how many coders gave each value to each unit that at least one coder coded;
    ``matrix`` (coders x units) the reliability data ``krippendorff.alpha`` reads: the
    values themselves for interval and ratio variables, their positions in ``domain``
    otherwise (NaN where missing); ``kripp_domain`` the matching value domain.
    """

    name: str
    level: str
    domain: list
    units: list
    coders: list
    counts: np.ndarray
    matrix: np.ndarray
    kripp_domain: np.ndarray


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")


def _present(codes: pd.DataFrame, variable: str) -> pd.DataFrame:
    """The rows of ``codes`` where ``variable`` was coded: ``unit_id, coder, value``, with
    each value a plain Python object (an ``int`` from an Int64 column, a ``str``)."""
    missing = [name for name in ("unit_id", "coder", variable) if name not in codes.columns]
    if missing:
        raise KeyError(f"codes has no column {', '.join(map(repr, missing))}")
    doubled = codes.duplicated(["unit_id", "coder"])
    if doubled.any():
        first = codes.loc[doubled, ["unit_id", "coder"]].iloc[0]
        raise ValueError(
            f"codes has {int(doubled.sum())} repeated (unit_id, coder) rows, e.g. "
            f"unit {first['unit_id']!r} by {first['coder']!r}: one row per unit and coder"
        )
    rows = codes.loc[codes[variable].notna(), ["unit_id", "coder", variable]]
    values = [_plain(value) for value in rows[variable].tolist()]
    return pd.DataFrame(
        {"unit_id": rows["unit_id"].tolist(), "coder": rows["coder"].tolist(), "value": values},
        dtype=object,
    )


def _plain(value):
    """A numpy scalar as the Python number it holds; a whole float as an int (2.0 -> 2), so
    that a float column with NaN and an Int64 column give the same categories."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _sorted(values: Iterable) -> list:
    """Distinct ``values`` in natural order, or by their text when types do not compare."""
    distinct = list(dict.fromkeys(values))
    try:
        return sorted(distinct)
    except TypeError:
        return sorted(distinct, key=str)


def _domain(values: list, order: Sequence | None) -> list:
    """The values in scale order: ``order`` when given (it must hold every value used),
    else sorted."""
    if order is None:
        return _sorted(values)
    domain = [_plain(value) for value in order]
    if len(set(domain)) != len(domain):
        raise ValueError("order lists a value twice")
    unknown = _sorted(set(values) - set(domain))
    if unknown:
        raise ValueError(f"values not in the order given: {', '.join(map(repr, unknown))}")
    return domain


def _prepare(
    codes: pd.DataFrame, variable: str, level: str, order: Sequence | None = None
) -> _Variable:
    _check_level(level)
    present = _present(codes, variable)
    values = present["value"].tolist()
    if level in ("interval", "ratio"):
        try:
            numbers = [float(value) for value in values]
        except (TypeError, ValueError) as error:
            raise ValueError(f"{variable}: {level} values must be numbers ({error})") from None
        if level == "ratio" and any(number < 0 for number in numbers):
            raise ValueError(f"{variable}: ratio values must not be negative")
        domain = _sorted(values)
    else:
        domain = _domain(values, order)
    position = {value: at for at, value in enumerate(domain)}
    units = list(dict.fromkeys(present["unit_id"]))
    coders = _sorted(present["coder"])
    unit_at = {unit: at for at, unit in enumerate(units)}
    coder_at = {coder: at for at, coder in enumerate(coders)}
    u = np.array([unit_at[unit] for unit in present["unit_id"]], dtype=np.int64)
    c = np.array([coder_at[coder] for coder in present["coder"]], dtype=np.int64)
    v = np.array([position[value] for value in values], dtype=np.int64)
    counts = np.zeros((len(units), len(domain)), dtype=np.int64)
    np.add.at(counts, (u, v), 1)
    if level in ("interval", "ratio"):
        kripp_domain = np.array(domain, dtype=float)
    else:
        kripp_domain = np.arange(len(domain), dtype=float)
    matrix = np.full((len(coders), len(units)), np.nan)
    matrix[c, u] = kripp_domain[v]
    return _Variable(variable, level, domain, units, coders, counts, matrix, kripp_domain)


def _pairable(counts: np.ndarray) -> np.ndarray:
    """The rows of ``counts`` (units) coded by at least two coders."""
    return counts[counts.sum(axis=1) >= 2]


def _undefined(counts: np.ndarray) -> str:
    """Why alpha is undefined on ``counts`` (units x values), or '' when it is defined."""
    pairable = _pairable(counts)
    if pairable.sum() < 2:
        return "alpha undefined: fewer than 2 pairable values (no unit coded twice)"
    if (pairable.sum(axis=0) > 0).sum() < 2:
        return "alpha undefined: no variation (every pairable value is the same)"
    return ""


def _alpha(prepared: _Variable) -> tuple[float, str]:
    """Alpha from ``krippendorff.alpha``, or NaN and the reason it is undefined."""
    reason = _undefined(prepared.counts)
    if reason:
        return np.nan, reason
    value = krippendorff.alpha(
        reliability_data=prepared.matrix,
        level_of_measurement=prepared.level,
        value_domain=prepared.kripp_domain,
    )
    return float(value), ""


def alpha(
    codes: pd.DataFrame, variable: str, *, level: str, order: Sequence | None = None
) -> float:
    """Krippendorff's alpha of one variable, from ``krippendorff.alpha``.

    Parameters
    ----------
    codes : DataFrame
        Wide codes: ``unit_id``, ``coder`` and the column ``variable`` (missing where that
        coder did not code it for that unit); one row per unit and coder.
    variable : str
        The column to compute alpha for.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement: the distance metric between two values.
    order : list, optional
        For an ordinal variable, its values in scale order (the whole scale, so that
        strings such as "low" < "mid" < "high" are ordered); without it the values used
        are sorted. Values nobody coded twice have no frequency in the coincidence matrix,
        so they do not change alpha: the order is what matters. Ignored for interval and
        ratio variables, whose values are numbers.

    Returns
    -------
    float
        Alpha, or NaN with an :class:`UndefinedAlphaWarning` saying why: where no unit has
        two values ``krippendorff.alpha`` raises ``ValueError`` ("There has to be at least
        one unit with values assigned by at least two coders"), with one value in the
        whole domain it raises "There has to be more than one value in the domain", and
        when every pairable value is the same (but the domain holds others) it divides
        0 by 0 and returns NaN with a ``RuntimeWarning``. Perfect agreement without
        variation says nothing about reliability, so all three are NaN here.

    Raises
    ------
    ValueError
        For an unknown level, repeated (unit, coder) rows, values outside ``order``,
        interval or ratio values that are not numbers, or negative ratio values.
    """
    value, reason = _alpha(_prepare(codes, variable, level, order))
    if reason:
        warnings.warn(UndefinedAlphaWarning(f"{variable}: {reason}"), stacklevel=2)
    return value


def _distances(prepared: _Variable) -> np.ndarray | None:
    """Krippendorff's distance between every two values of the domain, or None for an
    ordinal variable, whose distances depend on the values' frequencies."""
    values = prepared.kripp_domain
    if prepared.level == "nominal":
        return 1.0 - np.eye(len(values))
    if prepared.level == "interval":
        return (values[:, None] - values[None, :]) ** 2
    if prepared.level == "ratio":
        total = values[:, None] + values[None, :]
        difference = values[:, None] - values[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total != 0, difference / np.where(total != 0, total, 1), 0.0) ** 2
    return None


def _unit_columns(prepared: _Variable) -> np.ndarray:
    """Each pairable unit's share of what alpha is computed from, one row per unit, such
    that the column sums over any multiset of units give alpha of those units
    (:func:`_alpha_from_sums`).

    A unit with ``m`` values, ``c_v`` of them equal to ``v``, adds ``(c_v c_w - [v = w]
    c_v) / (m - 1)`` to the coincidence matrix ``o``. Where the distances are fixed
    (nominal, interval, ratio) the columns are the unit's values ``c`` (their sums are the
    marginals ``n_v``) and its disagreement ``sum(o_u * d)``; an ordinal variable's
    distances depend on the marginals, so its columns are the unit's whole ``o_u``.
    """
    counts = _pairable(prepared.counts).astype(float)
    m = counts.sum(axis=1)
    share = counts[:, :, None] * counts[:, None, :]
    share -= counts[:, :, None] * np.eye(counts.shape[1])[None]
    share /= (m - 1)[:, None, None]
    d = _distances(prepared)
    if d is None:
        return share.reshape(len(counts), -1)
    return np.column_stack([counts, (share * d).sum(axis=(1, 2))])


def _alpha_from_sums(sums: np.ndarray, prepared: _Variable) -> np.ndarray:
    """Alpha from column sums of :func:`_unit_columns` (one row of sums per data set):
    ``1 - D_o / D_e`` with ``D_o = sum(o * d)`` and ``D_e = n_v' d n_v / (n - 1)``
    (the diagonal of ``d`` is 0). An ordinal distance is the squared difference of the
    values' mid-ranks ``M_v = sum(n_g, g < v) + n_v / 2``. NaN where ``D_e`` is 0."""
    sums = np.atleast_2d(sums)
    v = len(prepared.domain)
    d = _distances(prepared)
    if d is None:
        o = sums.reshape(len(sums), v, v)
        n_v = o.sum(axis=2)
        midrank = np.cumsum(n_v, axis=1) - n_v / 2
        d = (midrank[:, :, None] - midrank[:, None, :]) ** 2
        observed = (o * d).sum(axis=(1, 2))
        expected = np.einsum("bi,bij,bj->b", n_v, d, n_v)
    else:
        n_v, observed = sums[:, :v], sums[:, v]
        expected = np.einsum("bi,ij,bj->b", n_v, d, n_v)
    n = n_v.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = expected / (n - 1)
        return np.where(expected > 0, 1.0 - observed / expected, np.nan)


def _percent_agreement(counts: np.ndarray) -> float:
    """Share of agreeing pairs among all pairs of values within units."""
    pairs = (counts.sum(axis=1) * (counts.sum(axis=1) - 1)).sum()
    agreeing = (counts * (counts - 1)).sum()
    return float(agreeing / pairs) if pairs else np.nan


def reliability(
    codes: pd.DataFrame,
    levels: Mapping[str, str],
    *,
    orders: Mapping[str, Sequence] | None = None,
    n_resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    min_units: int = MIN_UNITS_INTERVAL,
) -> pd.DataFrame:
    """Krippendorff's alpha of each variable with a percentile bootstrap interval over
    units, and the counts behind it.

    Parameters
    ----------
    codes : DataFrame
        Wide codes: ``unit_id``, ``coder`` and one column per variable of ``levels``.
    levels : mapping
        ``{variable: level}``, level one of ``nominal, ordinal, interval, ratio``; the
        table has one row per variable, in this order.
    orders : mapping, optional
        ``{variable: values in scale order}`` for ordinal variables (see :func:`alpha`).
    n_resamples : int
        Bootstrap resamples.
    seed : int
        The run's seed; each variable draws from its own stream
        (:func:`analysis.stats.seeds.cell_rng` of the seed, ``"reliability"`` and the
        variable's name, hashed with blake2b, not Python's salted ``hash``), so a
        variable's interval does not depend on which other variables are in the table.
    confidence : float
        Confidence level of the interval.
    min_units : int
        Fewest units coded by at least two coders an interval is reported for
        (:data:`MIN_UNITS_INTERVAL`, where the module's simulation covers).

    Returns
    -------
    DataFrame
        ``variable, level, alpha, ci_low, ci_high, n_units`` (units coded by at least two
        coders), ``n_coders`` (coders who coded the variable at least once),
        ``n_pairable`` (values in units coded at least twice), ``percent_agreement``
        (agreeing pairs of values within units among all such pairs) and
        ``interval_note``: '' or why ``ci_low`` and ``ci_high`` are NaN (alpha undefined,
        too few units, resamples without variation).

    Notes
    -----
    The bootstrap draws the units coded at least twice with replacement, each unit with
    all its coders' values, and takes the percentiles of the resamples' alphas. Alpha of
    a resample is not recomputed by ``krippendorff.alpha`` (a million calls would take
    minutes) but from the column sums of each unit's share of the coincidence matrix,
    which are one matrix product for all resamples (:func:`_unit_columns`,
    :func:`_alpha_from_sums`); the tests check that this equals ``krippendorff.alpha`` on
    many random data sets of all four levels, resampled ones included. When any resample
    has no variation (alpha undefined, e.g. a rare category drawn in no resample), the
    interval is reported missing: the percentiles would leave those resamples out.
    """
    orders = orders or {}
    rows = []
    for variable, level in levels.items():
        prepared = _prepare(codes, variable, level, orders.get(variable))
        pairable = _pairable(prepared.counts)
        value, note = _alpha(prepared)
        low = high = np.nan
        if not note and len(pairable) < min_units:
            note = f"fewer than {min_units} units coded twice: no interval covers honestly"
        if not note:
            columns = _unit_columns(prepared)
            rng = cell_rng(seed, "reliability", variable)
            sums = resampled_sums(columns, rng=rng, n_resamples=n_resamples)
            resampled = _alpha_from_sums(sums, prepared)
            undefined = int(np.isnan(resampled).sum())
            if undefined:
                note = (
                    f"{undefined} of {n_resamples} resamples had no variation "
                    "(alpha undefined): no percentile interval"
                )
            else:
                tail = (1 - confidence) / 2
                low, high = (float(q) for q in np.quantile(resampled, [tail, 1 - tail]))
        rows.append(
            {
                "variable": variable,
                "level": level,
                "alpha": value,
                "ci_low": low,
                "ci_high": high,
                "n_units": len(pairable),
                "n_coders": len(prepared.coders),
                "n_pairable": int(pairable.sum()),
                "percent_agreement": _percent_agreement(pairable),
                "interval_note": note,
            }
        )
    return pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)
