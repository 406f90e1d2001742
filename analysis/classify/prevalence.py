"""How often each outlet uses each frame, estimated from a classifier's predictions and
corrected for its errors.

Counting predicted labels (*classify and count*, ``cc``) is biased whenever the classifier
errs: with true positive rate ``tpr`` and false positive rate ``fpr`` the expected share
predicted is ``fpr + (tpr - fpr) * p`` for a true share ``p``, so a frame that is rare in
an outlet is over-counted and a common one under-counted. The estimators (Forman 2008;
Hopkins & King 2010; Bella et al. 2010):

========= ===================================================================
``cc``     the share of units predicted to carry the frame (shown, never alone)
``pcc``    the mean predicted probability (*probabilistic classify and count*)
``acc``    ``(cc - fpr) / (tpr - fpr)``, the rates from cross-validation
``pacc``   ``(pcc - fpr_soft) / (tpr_soft - fpr_soft)``: the same with the mean
           probability among coded positives and negatives
========= ===================================================================

``acc`` and ``pacc`` are the corrected ones; they assume that the classifier errs on every
outlet's units as it erred on the coded units (the texts of a frame look alike whichever
outlet printed them), and are clipped to [0, 1].

Intervals are percentile bootstrap intervals that resample both what the estimate rests on:
the outlet's articles (with all their units) and the coded articles the error rates were
measured on, so that a classifier measured on few coded units gets wide intervals. Below
:data:`MIN_ARTICLES` articles of the outlet or :data:`MIN_CODED_ARTICLES` coded ones (for
the corrected estimators), or where the classifier hardly separates the
frame (``tpr - fpr`` below :data:`MIN_SEPARATION`), the corrected value or its interval is
missing with the reason in ``note``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.coding.resample import article_weights
from analysis.settings import N_RESAMPLES
from analysis.stats import cell_rng

ESTIMATORS = ("cc", "pcc", "acc", "pacc")
CORRECTED = ("acc", "pacc")
HEADLINE = "acc"
"""The estimator figures and the report show first."""
MIN_ARTICLES = 30
"""Fewest articles of an outlet an interval is reported from. In the coverage simulation
of benchmarks/prevalence.py (docs/methods.md has its table) the corrected intervals
covered 0.916-0.95 at 30 outlet articles once the error rates rested on 100 coded
articles."""
MIN_CODED_ARTICLES = 100
"""Fewest coded articles the corrected estimates' intervals are reported from. In the same
simulation, at 30 coded articles (one unit each) ``acc`` covered as little as 0.856, at
50 0.918, from 100 at least 0.927."""
MIN_SEPARATION = 0.2
"""Smallest ``tpr - fpr`` the correction is made with: below it the division by
``tpr - fpr`` turns small errors in the rates into large errors in the estimate."""
PREVALENCE_COLUMNS = [
    "outlet",
    "category",
    "estimator",
    "estimate",
    "ci_low",
    "ci_high",
    "n_articles",
    "n_units",
    "note",
]
SUM_COLUMNS = ["article_id", "outlet", "category", "n_units", "n_predicted", "probability"]


def error_rates(crossval: pd.DataFrame, weights: np.ndarray | None = None) -> pd.DataFrame:
    """The classifier's error rates per category, from its cross-validated predictions.

    Parameters
    ----------
    crossval : DataFrame
        ``article_id, category, truth, probability, predicted`` per coded unit and category
        (:attr:`FrameClassifier.crossval`).
    weights : ndarray, optional
        (resamples x coded articles, in the order of ``pd.factorize(article_id)``): how often
        each article is drawn; one row of rates per resample. None: the rates themselves.

    Returns
    -------
    DataFrame
        ``category, tpr, fpr, tpr_soft, fpr_soft, n_positive, n_negative``; with weights,
        the four rates are arrays (one value per resample).
    """
    rows = []
    article, _ = pd.factorize(crossval["article_id"])
    position = np.arange(len(crossval))
    for category, rows_of in crossval.groupby("category", sort=False).indices.items():
        part = crossval.iloc[rows_of]
        w = np.ones((1, len(part))) if weights is None else weights[:, article[position[rows_of]]]
        truth = part["truth"].to_numpy() == 1
        with np.errstate(invalid="ignore", divide="ignore"):
            pos, neg = (w * truth).sum(1), (w * ~truth).sum(1)
            hard, soft = part["predicted"].to_numpy(), part["probability"].to_numpy()
            rates = {
                "tpr": (w * truth * hard).sum(1) / pos,
                "fpr": (w * ~truth * hard).sum(1) / neg,
                "tpr_soft": (w * truth * soft).sum(1) / pos,
                "fpr_soft": (w * ~truth * soft).sum(1) / neg,
            }
        if weights is None:
            rates = {k: float(v[0]) for k, v in rates.items()}
        rows.append(
            {
                "category": category,
                **rates,
                "n_positive": int(truth.sum()),
                "n_negative": int((~truth).sum()),
            }
        )
    return pd.DataFrame(rows)


def corrected(raw, low_rate, high_rate):
    """``(raw - low_rate) / (high_rate - low_rate)`` clipped to [0, 1] (NaN where the rates
    do not separate)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (np.asarray(raw, float) - low_rate) / (high_rate - low_rate)
    return np.where(np.asarray(high_rate - low_rate) > 0, np.clip(out, 0, 1), np.nan)


def prevalence(
    sums: pd.DataFrame,
    crossval: pd.DataFrame,
    *,
    by: str = "outlet",
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Each outlet's share of units with each category, by the four estimators.

    Parameters
    ----------
    sums : DataFrame
        Per article and category (:data:`SUM_COLUMNS`): ``n_units`` (the article's units),
        ``n_predicted`` (those predicted to carry it) and ``probability`` (the sum of their
        predicted probabilities), with the column ``by``.
    crossval : DataFrame
        The cross-validated predictions of the coded units (:func:`error_rates`).
    by : str
        The column whose values are compared (``outlet``, or a group column).

    Returns
    -------
    DataFrame
        :data:`PREVALENCE_COLUMNS` (``outlet`` holding the values of ``by``), one row per
        outlet, category and estimator of :data:`ESTIMATORS`.
    """
    crossval = crossval.reset_index(drop=True)
    n_coded = crossval["article_id"].nunique()
    coded_w = article_weights(cell_rng(seed, "prevalence", "coded"), n_coded, n_resamples)
    rates = error_rates(crossval).set_index("category")
    resampled = error_rates(crossval, coded_w).set_index("category")
    rows = []
    for (outlet, category), part in sums.groupby([by, "category"], sort=True, observed=True):
        if category not in rates.index:
            continue
        rows.extend(
            _outlet_rows(
                outlet,
                category,
                part,
                rates.loc[category],
                resampled.loc[category],
                n_coded=n_coded,
                n_resamples=n_resamples,
                seed=seed,
                confidence=confidence,
            )
        )
    return pd.DataFrame(rows, columns=PREVALENCE_COLUMNS)


def _outlet_rows(
    outlet, category, part, rate, resampled, *, n_coded, n_resamples, seed, confidence
):
    units = part["n_units"].to_numpy(float)
    hard, soft = part["n_predicted"].to_numpy(float), part["probability"].to_numpy(float)
    n_articles, n_units = len(part), int(units.sum())
    point = {"cc": hard.sum() / units.sum(), "pcc": soft.sum() / units.sum()}
    w = article_weights(cell_rng(seed, "prevalence", outlet, category), n_articles, n_resamples)
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = {"cc": (w @ hard) / (w @ units), "pcc": (w @ soft) / (w @ units)}
    point["acc"] = float(corrected(point["cc"], rate["fpr"], rate["tpr"]))
    point["pacc"] = float(corrected(point["pcc"], rate["fpr_soft"], rate["tpr_soft"]))
    boot["acc"] = corrected(boot["cc"], resampled["fpr"], resampled["tpr"])
    boot["pacc"] = corrected(boot["pcc"], resampled["fpr_soft"], resampled["tpr_soft"])
    separation = {
        "acc": rate["tpr"] - rate["fpr"],
        "pacc": rate["tpr_soft"] - rate["fpr_soft"],
    }
    alpha = (1 - confidence) / 2
    out = []
    for name in ESTIMATORS:
        estimate, note = point[name], ""
        low = high = np.nan
        if name in CORRECTED and not separation[name] >= MIN_SEPARATION:
            estimate = np.nan
            note = (
                f"the classifier hardly separates this category (tpr - fpr = "
                f"{separation[name]:.2f}, below {MIN_SEPARATION})"
            )
        elif n_articles < MIN_ARTICLES:
            note = f"fewer than {MIN_ARTICLES} articles ({n_articles})"
        elif name in CORRECTED and n_coded < MIN_CODED_ARTICLES:
            note = (
                f"the error rates rest on fewer than {MIN_CODED_ARTICLES} coded articles "
                f"({n_coded})"
            )
        else:
            finite = boot[name][np.isfinite(boot[name])]
            if len(finite) >= n_resamples / 2:
                low, high = (float(q) for q in np.quantile(finite, [alpha, 1 - alpha]))
            else:
                note = "undefined in most resamples"
        out.append([outlet, category, name, estimate, low, high, n_articles, n_units, note])
    return out
