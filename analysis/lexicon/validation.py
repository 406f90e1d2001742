"""Checking a dictionary against human frame labels before trusting it."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats
from sklearn.metrics import precision_recall_fscore_support, roc_auc_score

VALIDATION_COLUMNS = [
    "category",
    "n_units",
    "n_labelled",
    "n_predicted",
    "precision",
    "recall",
    "f1",
    "spearman",
    "auc",
]


def compare_to_labels(
    scores: pd.DataFrame, labels: pd.DataFrame, *, threshold: float = 0.0
) -> pd.DataFrame:
    """Per-frame agreement between dictionary scores and human labels.

    Parameters
    ----------
    scores : DataFrame
        One row per unit (index = unit id), one column per category: counts or rates.
    labels : DataFrame
        Same index, one 0/1 (or boolean) column per category: 1 when coders gave the unit
        that frame. Only categories present in both are compared; only units in both.
    threshold : float
        A unit is *predicted* to carry a frame when its score is above ``threshold`` (the
        default: at least one match).

    Returns
    -------
    DataFrame
        One row per category: ``n_units``, ``n_labelled`` (units coders gave the frame),
        ``n_predicted``, ``precision``, ``recall``, ``f1`` (of predicted vs labelled),
        ``spearman`` (rank correlation of the score with the label) and ``auc`` (how well
        the score ranks labelled units above the others; 0.5 = chance). NaN where a measure
        is undefined (no labelled unit, or a constant score).
    """
    units = scores.index.intersection(labels.index)
    categories = [c for c in scores.columns if c in labels.columns]
    rows = []
    if len(units) == 0:
        return pd.DataFrame(columns=VALIDATION_COLUMNS)
    for category in categories:
        score = scores.loc[units, category].to_numpy(dtype=float)
        truth = labels.loc[units, category].astype(bool).to_numpy()
        predicted = score > threshold
        precision, recall, f1, _ = precision_recall_fscore_support(
            truth, predicted, average="binary", zero_division=np.nan
        )
        varied = np.ptp(score) > 0 and 0 < truth.sum() < len(truth)
        spearman = scipy_stats.spearmanr(score, truth).statistic if varied else np.nan
        auc = roc_auc_score(truth, score) if varied else np.nan
        rows.append(
            (
                category,
                len(units),
                int(truth.sum()),
                int(predicted.sum()),
                precision,
                recall,
                f1,
                spearman,
                auc,
            )
        )
    return pd.DataFrame(rows, columns=VALIDATION_COLUMNS)
