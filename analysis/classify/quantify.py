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
from analysis.stats import cell_rng, resampled_sums

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


def article_sums(predictions: pd.DataFrame) -> pd.DataFrame:
    """What :func:`prevalence` reads, from predictions per unit.

    Parameters
    ----------
    predictions : DataFrame
        ``unit_id, article_id, outlet, category, probability, predicted`` per unit and
        category (a run's ``frame_predictions``), optionally ``dictionary`` (1 where the
        dictionary's linked frame matches the unit, NaN for a category without one).

    Returns
    -------
    DataFrame
        ``article_id, outlet, category, n_units, n_predicted, probability`` (the sum of the
        units' probabilities) and, with ``dictionary``, ``n_dictionary``: one row per article
        and category, in the order they first appear.
    """
    _require(
        predictions,
        ["unit_id", "article_id", "outlet", "category", "probability", "predicted"],
        "predictions",
    )
    spec = {
        "outlet": ("outlet", "first"),
        "n_units": ("unit_id", "size"),
        "n_predicted": ("predicted", "sum"),
        "probability": ("probability", "sum"),
    }
    if "dictionary" in predictions:
        spec["n_dictionary"] = ("dictionary", "sum")
    sums = predictions.groupby(["article_id", "category"], sort=False).agg(**spec).reset_index()
    if "dictionary" in predictions:
        unlinked = predictions.groupby("category", sort=False)["dictionary"].apply(
            lambda values: values.isna().all()
        )
        sums.loc[sums["category"].map(unlinked).to_numpy(bool), "n_dictionary"] = np.nan
    return sums


def _require(table: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in table]
    if missing:
        raise ValueError(
            f"{what} lacks the column{'s' * (len(missing) > 1)} {', '.join(missing)} "
            f"(it has {', '.join(map(str, table.columns))})"
        )


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
    article, ids = pd.factorize(crossval["article_id"])
    w = np.ones((1, len(ids))) if weights is None else weights
    for category, rows_of in crossval.groupby("category", sort=False).indices.items():
        part = crossval.iloc[rows_of]
        truth = part["truth"].to_numpy() == 1
        hard, soft = part["predicted"].to_numpy(float), part["probability"].to_numpy(float)
        # each article's sums, then one product with the weights: the rates of each resample
        columns = [truth, ~truth, truth * hard, ~truth * hard, truth * soft, ~truth * soft]
        per_article = np.column_stack(
            [np.bincount(article[rows_of], weights=c, minlength=len(ids)) for c in columns]
        )
        pos, neg, tp, fp, tp_soft, fp_soft = (w @ per_article).T
        with np.errstate(invalid="ignore", divide="ignore"):
            rates = {
                "tpr": tp / pos,
                "fpr": fp / neg,
                "tpr_soft": tp_soft / pos,
                "fpr_soft": fp_soft / neg,
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
    """Each outlet's share of units with each category, by the four estimators (and by the
    dictionary, when ``sums`` has its matches).

    Parameters
    ----------
    sums : DataFrame
        Per article and category (:func:`article_sums` makes it from predictions per unit):
        ``article_id, category, n_units`` (the article's units), ``n_predicted`` (those
        predicted to carry it), ``probability`` (the sum of their predicted probabilities)
        and the column ``by``; optionally ``n_dictionary`` (units the dictionary's linked
        frame matches; NaN for a category without one).
    crossval : DataFrame
        The cross-validated predictions of the coded units (:func:`error_rates`).
    by : str
        The column whose values are compared (``outlet``, or a group column).

    Returns
    -------
    DataFrame
        ``outlet`` (the values of ``by``), ``category, estimator, estimate, ci_low, ci_high,
        n_articles, n_units, note`` (why a value or interval is missing), one row per
        outlet, category and estimator of :data:`ESTIMATORS`, and ``dictionary`` rows
        (uncorrected, like ``cc``) for the categories with dictionary matches. One
        resample of an outlet's articles serves all its categories; each outlet has its own
        stream, so its rows do not depend on the other outlets.
    """
    _require(
        sums,
        ["article_id", "category", "n_units", "n_predicted", "probability", by],
        "sums (see article_sums)",
    )
    _require(crossval, ["article_id", "category", "truth", "probability", "predicted"], "crossval")
    crossval = crossval.reset_index(drop=True)
    n_coded = crossval["article_id"].nunique()
    coded_w = article_weights(cell_rng(seed, "prevalence", "coded"), n_coded, n_resamples)
    rates = error_rates(crossval).set_index("category")
    resampled = error_rates(crossval, coded_w).set_index("category")
    categories = [c for c in dict.fromkeys(sums["category"]) if c in rates.index]
    values = ["n_units", "n_predicted", "probability"]
    if "n_dictionary" in sums:
        values.append("n_dictionary")
    rows = []
    wide = sums[sums["category"].isin(categories)].pivot(
        index=[by, "article_id"], columns="category", values=values
    )
    outlets = wide.index.get_level_values(by)
    starts = np.flatnonzero(np.r_[True, outlets[1:] != outlets[:-1]])
    ends = np.r_[starts[1:], len(outlets)]
    rate_rows = {c: (rates.loc[c], resampled.loc[c]) for c in categories}
    matrices = {v: wide[v].reindex(columns=categories).to_numpy(float) for v in values}
    for start, end in zip(starts, ends):
        outlet = outlets[start]
        block = {v: m[start:end] for v, m in matrices.items()}
        present = [j for j in range(len(categories)) if not np.isnan(block["n_units"][:, j]).all()]
        units = np.nanmax(block["n_units"][:, present], axis=1)
        blocks = [block[v][:, present] for v in values[1:]]
        if len(units) >= MIN_ARTICLES:  # below it no interval is reported: nothing to draw
            stacked = np.column_stack([units, *[np.nan_to_num(b) for b in blocks]])
            drawn = resampled_sums(
                stacked, rng=cell_rng(seed, "prevalence", outlet), n_resamples=n_resamples
            )
        else:
            drawn = None
        k = len(present)
        for j, index in enumerate(present):
            category = categories[index]
            point = [b[:, j].sum() / units.sum() for b in blocks]
            boot = (
                [drawn[:, 1 + i * k + j] / drawn[:, 0] for i in range(len(blocks))]
                if drawn is not None
                else None
            )
            if "n_dictionary" in values and np.isnan(blocks[2][:, j]).all():
                point, boot = point[:2], None if boot is None else boot[:2]
            rows.extend(
                _rows(
                    outlet,
                    category,
                    point,
                    boot,
                    *rate_rows[category],
                    n_articles=len(units),
                    n_units=int(units.sum()),
                    n_coded=n_coded,
                    n_resamples=n_resamples,
                    confidence=confidence,
                )
            )
    return pd.DataFrame(rows, columns=PREVALENCE_COLUMNS)


def _rows(
    outlet,
    category,
    point,
    boot,
    rate,
    resampled,
    *,
    n_articles,
    n_units,
    n_coded,
    n_resamples,
    confidence,
):
    """The rows of one outlet and category: ``point`` and ``boot`` hold the share predicted,
    the mean probability and (optionally) the dictionary's share, and their resamples (None
    when the outlet has too few articles for an interval)."""
    estimates = {"cc": point[0], "pcc": point[1]}
    estimates["acc"] = float(corrected(point[0], rate["fpr"], rate["tpr"]))
    estimates["pacc"] = float(corrected(point[1], rate["fpr_soft"], rate["tpr_soft"]))
    names = list(ESTIMATORS)
    if len(point) > 2:
        estimates["dictionary"] = point[2]
        names.append("dictionary")
    resamples = {}
    if boot is not None:  # None: too few articles for an interval
        resamples = {"cc": boot[0], "pcc": boot[1]}
        resamples["acc"] = corrected(boot[0], resampled["fpr"], resampled["tpr"])
        resamples["pacc"] = corrected(boot[1], resampled["fpr_soft"], resampled["tpr_soft"])
        if len(point) > 2:
            resamples["dictionary"] = boot[2]
    separation = {
        "acc": rate["tpr"] - rate["fpr"],
        "pacc": rate["tpr_soft"] - rate["fpr_soft"],
    }
    alpha = (1 - confidence) / 2
    out = []
    for name in names:
        estimate, reasons = estimates[name], []
        low = high = np.nan
        if name in CORRECTED and not separation[name] >= MIN_SEPARATION:
            estimate = np.nan
            reasons.append(
                f"the classifier hardly separates this category (tpr - fpr = "
                f"{separation[name]:.2f}, below {MIN_SEPARATION})"
            )
        if n_articles < MIN_ARTICLES:
            reasons.append(f"fewer than {MIN_ARTICLES} articles ({n_articles})")
        if name in CORRECTED and n_coded < MIN_CODED_ARTICLES:
            reasons.append(
                f"the error rates rest on fewer than {MIN_CODED_ARTICLES} coded articles "
                f"({n_coded})"
            )
        note = "; ".join(reasons)
        if not reasons:
            finite = resamples[name][np.isfinite(resamples[name])]
            if len(finite) >= n_resamples / 2:
                low, high = (float(q) for q in np.quantile(finite, [alpha, 1 - alpha]))
            else:
                note = "undefined in most resamples"
        out.append([outlet, category, name, float(estimate), low, high, n_articles, n_units, note])
    return out
