"""Pairs of coders and their disagreements: agreement and Cohen's kappa per pair
(:func:`pairwise`), one pair's cross-table (:func:`confusion`) and the units to adjudicate
(:func:`disagreements`). ``codes`` as in :mod:`analysis.coding.agreement`: one row per unit
and coder, one column per variable.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from analysis.coding.agreement import _domain, _plain, _present, _sorted


def _by_unit(codes: pd.DataFrame, variable: str) -> pd.DataFrame:
    """``variable``'s values as units x coders (object, None where not coded)."""
    present = _present(codes, variable)
    table = present.pivot(index="unit_id", columns="coder", values="value")
    return table.reindex(columns=_sorted(present["coder"]))


def pairwise(codes: pd.DataFrame, variable: str) -> pd.DataFrame:
    """Agreement and Cohen's kappa of every pair of coders on one variable.

    Parameters
    ----------
    codes : DataFrame
        Wide codes: ``unit_id``, ``coder`` and the column ``variable``.
    variable : str
        The variable compared.

    Returns
    -------
    DataFrame
        One row per pair of coders who coded the variable (``coder_a`` before ``coder_b``
        in sorted order): ``coder_a, coder_b, n_units`` (units both coded),
        ``agreement`` (share of those units where they gave the same value) and
        ``cohen_kappa`` (``sklearn.metrics.cohen_kappa_score``, unweighted: values are
        taken as categories whatever the level). Both are NaN without a shared unit;
        kappa is NaN too when chance agreement is 1 (both coders gave one and the same
        value throughout).
    """
    table = _by_unit(codes, variable)
    rows = []
    for a, b in itertools.combinations(table.columns, 2):
        both = table[[a, b]].dropna()
        n = len(both)
        agreement = kappa = np.nan
        if n:
            first, second = both[a].tolist(), both[b].tolist()
            agreement = float(np.mean([x == y for x, y in zip(first, second)]))
            labels = _sorted(first + second)
            index = {value: at for at, value in enumerate(labels)}
            with warnings.catch_warnings():  # undefined kappa: NaN, as documented
                warnings.simplefilter("ignore")
                kappa = float(
                    cohen_kappa_score(
                        [index[x] for x in first],
                        [index[y] for y in second],
                        labels=list(range(len(labels))),
                        replace_undefined_by=np.nan,
                    )
                )
        rows.append(
            {"coder_a": a, "coder_b": b, "n_units": n, "agreement": agreement, "cohen_kappa": kappa}
        )
    return pd.DataFrame(rows, columns=["coder_a", "coder_b", "n_units", "agreement", "cohen_kappa"])


def confusion(
    codes: pd.DataFrame,
    variable: str,
    coder_a: str,
    coder_b: str,
    *,
    order: Sequence | None = None,
) -> pd.DataFrame:
    """Cross-table of two coders' values of one variable on the units both coded.

    Parameters
    ----------
    codes : DataFrame
        Wide codes: ``unit_id``, ``coder`` and the column ``variable``.
    variable : str
        The variable compared.
    coder_a, coder_b : str
        The coders: ``coder_a``'s values are the rows, ``coder_b``'s the columns.
    order : list, optional
        The values in scale order (it must hold every value either coder gave); without
        it they are sorted.

    Returns
    -------
    DataFrame
        Counts of units (int), with every value either coder gave on a shared unit as a
        row and as a column (named by the coders), zeros included.
    """
    table = _by_unit(codes, variable)
    for coder in (coder_a, coder_b):
        if coder not in table.columns:
            raise KeyError(f"coder {coder!r} did not code {variable!r}")
    both = table[[coder_a, coder_b]].dropna()
    values = both[coder_a].tolist() + both[coder_b].tolist()
    domain = _domain(values, order)
    crossed = pd.crosstab(both[coder_a], both[coder_b]) if len(both) else pd.DataFrame()
    crossed = crossed.reindex(index=domain, columns=domain, fill_value=0).astype(int)
    crossed.index.name, crossed.columns.name = coder_a, coder_b
    return crossed


def _text(value) -> str:
    return str(_plain(value))


def disagreements(codes: pd.DataFrame, variables: str | Sequence[str]) -> pd.DataFrame:
    """The units where coders gave one variable different values, for adjudication.

    Parameters
    ----------
    codes : DataFrame
        Wide codes: ``unit_id``, ``coder`` and the columns ``variables``.
    variables : str or list of str
        The variables to compare.

    Returns
    -------
    DataFrame
        One row per (unit, variable) whose coders disagree: ``unit_id, variable,
        values`` (each coder's value, coders sorted: ``"ana: 2; ben: -1"``) and
        ``n_coders`` (coders who coded it). Units in the order they first appear in
        ``codes``, variables in the order given.
    """
    if isinstance(variables, str):
        variables = [variables]
    first_seen = {unit: at for at, unit in enumerate(dict.fromkeys(codes["unit_id"]))}
    rows = []
    for rank, variable in enumerate(variables):
        present = _present(codes, variable)
        for unit, group in present.groupby("unit_id", sort=False):
            if group["value"].nunique() < 2:
                continue
            given = sorted(zip(group["coder"], group["value"]), key=lambda pair: str(pair[0]))
            rows.append(
                {
                    "unit_id": unit,
                    "variable": variable,
                    "values": "; ".join(f"{coder}: {_text(value)}" for coder, value in given),
                    "n_coders": len(group),
                    "_order": (first_seen[unit], rank),
                }
            )
    table = pd.DataFrame(rows, columns=["unit_id", "variable", "values", "n_coders", "_order"])
    table = table.sort_values("_order", kind="stable").drop(columns="_order")
    return table.reset_index(drop=True)
