"""Means per group with their bootstrap intervals, as tables: :func:`summarize` (one
column, with a warning for the missing intervals) and :func:`summarize_columns` (many)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.settings import N_RESAMPLES
from analysis.stats.bootstrap import studentized_intervals
from analysis.stats.limits import MIN_UNITS_MEAN, UNITS, UndefinedIntervalWarning, few
from analysis.stats.seeds import cell_rng


def summarize(
    data: pd.DataFrame,
    *,
    value: str,
    by: str | list[str] = "outlet",
    unit: str = "article",
    article: str = "article_id",
    confidence: float = 0.95,
    n_resamples: int = N_RESAMPLES,
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
    n_resamples: int = N_RESAMPLES,
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
