"""The coders' consensus on each unit, and how far the coders agree with one another
measured as a measure is measured against them (the ceiling): what
:func:`analysis.coding.validate` compares a run with.

Consensus, from the coders who coded a unit: binary, 1 when more than half of them said 1,
0 when more than half said 0, a tie *undecided* (NaN; counted and left out of every
statistic); ordinal, the mean of their values; text and categorical, the value when all of
them give the same after normalising case and spaces, else undecided. Speakers' names are
compared by :func:`same_speaker`.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from analysis.coding.codebook import Codebook, Variable

CEILING_COLUMNS = ["variable", "type", "statistic", "ceiling", "n_coders", "n_pairs", "n_units"]
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir"}


def consensus(codes: pd.DataFrame, variable: Variable) -> pd.DataFrame:
    """The coders' value of each unit they coded ``variable`` for (module docstring).

    Returns
    -------
    DataFrame
        ``unit_id, article_id, outlet, n_coders, undecided, coders`` (float, NaN when
        undecided) and ``coders_text`` (the agreed text of a text or categorical variable).
    """
    rows = codes[codes["unit"] == variable.unit] if "unit" in codes else codes
    rows = rows[rows[variable.name].notna()]
    keys = ["unit_id", "article_id", "outlet"]
    grouped = rows.groupby(keys, sort=False, observed=True)[variable.name]
    out = grouped.size().rename("n_coders").reset_index()
    if variable.type in ("text", "categorical"):
        normal = rows[variable.name].astype(str).map(_normal_text)
        agreed = normal.groupby([rows[k] for k in keys], sort=False).agg(
            lambda v: v.iloc[0] if v.nunique() == 1 else np.nan
        )
        out["coders_text"] = agreed.to_numpy()
        out["coders"] = np.nan
    else:
        values = rows[variable.name].astype(float)
        by_unit = values.groupby([rows[k] for k in keys], sort=False)
        if variable.type == "binary":
            share = by_unit.mean().to_numpy()
            out["coders"] = np.where(share > 0.5, 1.0, np.where(share < 0.5, 0.0, np.nan))
        else:
            out["coders"] = by_unit.mean().to_numpy()
        out["coders_text"] = None
    out["undecided"] = (out["coders"].isna() & out["coders_text"].isna()).to_numpy()
    out["unit_id"] = out["unit_id"].astype(str)
    out["article_id"] = out["article_id"].astype(str)
    return out


def same_speaker(coded, measured) -> bool | None:
    """Whether two names of a speaker name the same person or organisation.

    Both are normalised (case, spaces, punctuation but hyphens and apostrophes dropped, a
    leading title such as Mr or Dr removed). They match when equal, or when every word of the
    shorter name is a word of the longer: "Nisar" (a surname alone) and "Chaudhry Nisar Ali
    Khan" match, "Imran Khan" and "Chaudhry Nisar Ali Khan" do not (they share only "Khan").
    A shared surname alone is a match, so two people of one family named by their surname
    would be counted the same speaker.

    Returns
    -------
    bool or None
        None when either name is missing or empty (the pair is not compared).
    """
    a, b = (_name_words(name) for name in (coded, measured))
    if not a or not b:
        return None
    short, long = sorted((a, b), key=len)
    return a == b or set(short) <= set(long)


def coding_ceiling(codes: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """How far the coders agree with one another, measured as the measures are checked.

    For each variable and each pair of coders, on the units both coded: binary, F1 of one
    coder against the other (symmetric); ordinal, Spearman's rho; categorical, the share of
    units with the same code; text, the share with the same speaker (:func:`same_speaker`)
    among units both gave a value. ``ceiling`` is the mean over the pairs with at least two
    shared units (NaN with one coder, or when undefined); ``n_units`` counts the shared
    units of all pairs.

    Returns
    -------
    DataFrame
        :data:`CEILING_COLUMNS`, one row per variable.
    """
    rows = []
    statistic = {"binary": "f1", "ordinal": "spearman", "categorical": "agreement"}
    for variable in codebook.variables:
        if variable.name not in codes.columns:
            continue
        coded = codes[codes["unit"] == variable.unit] if "unit" in codes else codes
        coded = coded[coded[variable.name].notna()]
        wide = coded.pivot_table(
            index="unit_id", columns="coder", values=variable.name, aggfunc="first"
        )
        values, n_units = [], 0
        for a, b in itertools.combinations(wide.columns, 2):
            both = wide[[a, b]].dropna()
            n_units += len(both)
            if len(both) >= 2:
                values.append(_pair_agreement(variable, both[a], both[b]))
        finite = [v for v in values if np.isfinite(v)]
        rows.append(
            (
                variable.name,
                variable.type,
                statistic.get(variable.type, "speaker_agreement"),
                float(np.mean(finite)) if finite else np.nan,
                wide.shape[1],
                len(values),
                n_units,
            )
        )
    return pd.DataFrame(rows, columns=CEILING_COLUMNS)


def _pair_agreement(variable: Variable, a: pd.Series, b: pd.Series) -> float:
    if variable.type == "binary":
        x, y = a.astype(float).to_numpy() > 0, b.astype(float).to_numpy() > 0
        tp, differ = np.sum(x & y), np.sum(x != y)
        return 2 * tp / (2 * tp + differ) if tp + differ else np.nan
    if variable.type == "ordinal":
        x, y = a.astype(float).to_numpy(), b.astype(float).to_numpy()
        return scipy_stats.spearmanr(x, y).statistic if np.ptp(x) and np.ptp(y) else np.nan
    if variable.type == "categorical":
        return float(np.mean(a.astype(str).map(_normal_text) == b.astype(str).map(_normal_text)))
    matches = [same_speaker(x, y) for x, y in zip(a, b)]
    matches = [m for m in matches if m is not None]
    return float(np.mean(matches)) if matches else np.nan


def _normal_text(text) -> str:
    return " ".join(str(text).casefold().split())


def _name_words(name) -> tuple[str, ...]:
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ()
    words = re.sub(r"[^\w\s'-]", " ", str(name).casefold()).split()
    while words and words[0] in _TITLES:
        words = words[1:]
    return tuple(words)
