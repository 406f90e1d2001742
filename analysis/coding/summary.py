"""The coders' codes against a run, as the run's tables: what ``--codes DIR`` writes.

:func:`check_against_coders` reads nothing and draws nothing: it takes codes read with
:func:`analysis.coding.read_codes` and a run's tables and returns four tables (columns in
:mod:`analysis.registry`):

- ``coding_reliability``: Krippendorff's alpha per variable (:func:`~analysis.coding.reliability`);
- ``coding_validation``: every measure against the coders, in long form, one row per
  variable and statistic, with the coders' own agreement by the same statistic as the
  ``ceiling`` on the row of the statistic a reader should look at first (``headline``);
- ``coding_outlets``: per outlet and variable, the coders' mean (a share for yes/no codes)
  and the measure's, with the units they rest on;
- ``coding_disagreements``: the units the coders disagree on, for adjudication.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis.coding.agreement import reliability
from analysis.coding.consensus import coding_ceiling
from analysis.coding.pairs import disagreements
from analysis.coding.read import Codes
from analysis.coding.validate import validate
from analysis.settings import N_RESAMPLES
from analysis.stats import ListedWarning


class CodingWarning(ListedWarning):
    """Cells of the coders' sheets read other than written, or units left uncoded."""


VALIDATION_COLUMNS = [
    "variable",
    "measure",
    "statistic",
    "headline",
    "estimate",
    "ci_low",
    "ci_high",
    "ceiling",
    "n_units",
    "n_articles",
    "interval_note",
]
_HEADLINES = {"f1", "spearman", "speaker_agreement"}


def check_against_coders(
    coded: Codes,
    tables,
    *,
    dictionary=None,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
    confidence: float = 0.95,
) -> dict[str, pd.DataFrame]:
    """Reliability of the coders and every measure checked against them.

    Parameters
    ----------
    coded : Codes
        :func:`analysis.coding.read_codes`.
    tables : mapping
        The run's tables (see :func:`analysis.coding.validate`).
    dictionary : Dictionary, optional
        The run's framing dictionary; needed for frame variables coded below the article.

    Returns
    -------
    dict of DataFrame
        ``coding_reliability``, ``coding_validation``, ``coding_outlets`` and
        ``coding_disagreements`` (see the module docstring).
    """
    warn_repairs_and_gaps(coded)
    codes, codebook = coded.codes, coded.codebook
    options = {"n_resamples": n_resamples, "seed": seed, "confidence": confidence}
    agreement = reliability(
        codes,
        {n: level for n, level in codebook.levels.items() if n in codes},
        orders=codebook.orders,
        **options,
    )
    checked = validate(codes, tables, codebook=codebook, dictionary=dictionary, **options)
    ceiling = coding_ceiling(codes, codebook)
    coded_variables = [v.name for v in codebook.variables if v.name in codes]
    return {
        "coding_reliability": agreement,
        "coding_validation": validation_table(checked, ceiling),
        "coding_outlets": checked["outlets"].reset_index(drop=True),
        "coding_disagreements": disagreements(codes, coded_variables),
    }


def warn_repairs_and_gaps(coded: Codes) -> None:
    """One :class:`CodingWarning` for the cells read other than written (a label for a
    value, another case, a row given twice) and one for the units given to a coder and not
    coded, each listing them (a run writes the lists to its ``warnings`` table)."""
    repairs, uncoded = coded.repairs, coded.uncoded
    if len(repairs):
        first = repairs.iloc[0]
        warnings.warn(
            CodingWarning(
                f"coding: {_counted(len(repairs), 'cell')} of the coders' sheets read other than "
                f"written (first: {first['sheet']}, row {first['row']}, column "
                f"{first['column']!r}: {first['repair']}); check that they mean what was read",
                repairs,
            ),
            stacklevel=2,
        )
    if len(uncoded):
        per_coder = uncoded.groupby("coder", sort=True).size()
        who = ", ".join(f"{coder} {n}" for coder, n in per_coder.items())
        warnings.warn(
            CodingWarning(
                f"coding: {_counted(len(uncoded), 'unit')} given to coders "
                f"{'was' if len(uncoded) == 1 else 'were'} not coded ({who}); "
                "reliability and validation use the units that were",
                uncoded,
            ),
            stacklevel=2,
        )


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def validation_table(checked: dict[str, pd.DataFrame], ceiling: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.coding.validate`'s ``frames``, ``tone`` and ``quotes`` in one long
    table (:data:`VALIDATION_COLUMNS`), with the coders' ceiling beside each headline
    statistic."""
    rows = []
    for row in checked["frames"].to_dict("records"):
        base = _base(row, row["frame"])
        rows.append({**base, **_stat("f1", row, "f1_ci_low", "f1_ci_high")})
        for name in ("precision", "recall", "auc", "ranking_rho"):
            rows.append({**base, **_stat(name, row)})
    for row in checked["tone"].to_dict("records"):
        base = _base(row, row["measure"])
        rows.append({**base, **_stat("spearman", row, "spearman_ci_low", "spearman_ci_high")})
        rows.append({**base, **_stat("pearson", row, "pearson_ci_low", "pearson_ci_high")})
        rows.append({**base, **_stat("auc_negative", row)})
    for row in checked["quotes"].to_dict("records"):
        base = _base(row, row["predictor"])
        if pd.notna(row.get("speaker_agreement")):
            rows.append({**base, **_stat("speaker_agreement", row)})
            continue
        for name in ("f1", "precision", "recall"):
            rows.append({**base, **_stat(name, row)})
    table = pd.DataFrame(rows, columns=[c for c in VALIDATION_COLUMNS if c != "ceiling"])
    ceilings = ceiling.set_index("variable")
    table["ceiling"] = [
        float(ceilings.loc[variable, "ceiling"])
        if headline
        and variable in ceilings.index
        and ceilings.loc[variable, "statistic"] == statistic
        else np.nan
        for variable, statistic, headline in zip(
            table["variable"], table["statistic"], table["headline"]
        )
    ]
    for column in ("n_units", "n_articles"):
        table[column] = table[column].astype("Int64")
    table["interval_note"] = table["interval_note"].fillna("").astype(str)
    return table[VALIDATION_COLUMNS]


def _base(row: dict, measure) -> dict:
    return {
        "variable": row["variable"],
        "measure": str(measure),
        "n_units": row.get("n_units"),
        "n_articles": row.get("n_articles", pd.NA),
    }


def _stat(name: str, row: dict, low: str | None = None, high: str | None = None) -> dict:
    note = row.get("interval_note", "") if low else ""
    return {
        "statistic": name,
        "headline": name in _HEADLINES,
        "estimate": float(row[name]) if pd.notna(row.get(name)) else np.nan,
        "ci_low": float(row[low]) if low and pd.notna(row.get(low)) else np.nan,
        "ci_high": float(row[high]) if high and pd.notna(row.get(high)) else np.nan,
        "interval_note": note if isinstance(note, str) else "",
    }


def coding_parameters(coded: Codes, tables, folder) -> dict:
    """What the manifest records of the coders' codes (read from ``folder``) and what they
    showed (the methods text and the report write from it).

    ``tables`` holds the run's ``coding_reliability`` and ``coding_validation``.
    """
    key, codes = coded.key, coded.codes
    sample = key.drop_duplicates("article_id")
    return {
        "codebook": coded.codebook.name,
        "codes": str(folder),
        "coders": sorted(codes["coder"].unique().tolist()),
        "articles": int(len(sample)),
        "outlets": int(sample["outlet"].nunique()),
        "units": {str(u): int(n) for u, n in key["unit"].value_counts(sort=False).items()},
        "overlap_articles": int(sample["coders"].str.contains(";").sum()),
        "uncoded": int(len(coded.uncoded)),
        "repairs": int(len(coded.repairs)),
        "reliability": _records(tables["coding_reliability"], RELIABILITY_SHOWN),
        "validation": _records(tables["coding_validation"].query("headline"), VALIDATION_SHOWN),
    }


RELIABILITY_SHOWN = ["variable", "level", "alpha", "ci_low", "ci_high", "n_units"]
VALIDATION_SHOWN = [c for c in VALIDATION_COLUMNS if c not in ("headline", "interval_note")]


def _records(table: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows as plain Python values, NaN and NA as None (JSON's null)."""
    rows = []
    for row in table[columns].to_dict("records"):
        rows.append(
            {
                k: None
                if v is None or (not isinstance(v, str) and pd.isna(v))
                else (
                    float(v) if isinstance(v, float) else int(v) if isinstance(v, np.integer) else v
                )
                for k, v in row.items()
            }
        )
    return rows
