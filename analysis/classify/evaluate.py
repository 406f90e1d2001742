"""How well a classifier does, measured on its cross-validated predictions
(:attr:`~analysis.classify.model.FrameClassifier.crossval`): every coded unit predicted by a
model that never saw its article.

- :func:`evaluation`: precision, recall and F1 per category and their macro average, for the
  classifier and for the dictionary on the same units, and the classifier's F1 minus the
  dictionary's, with percentile intervals that resample coded articles (all units of an
  article together; the same resamples for both, so the difference is paired). Undefined
  precision or F1 (nothing predicted, nothing coded) counts 0 in the macro average, as in
  benchmarks/validate_gvfc.py. Intervals from :data:`MIN_ARTICLES_INTERVAL` coded
  articles, where the coverage simulation of ``tests/test_coding_validate.py`` found the
  percentile cluster bootstrap of F1 covering 0.93-0.94.
- :func:`confusion_table`: the cross-table of coded and predicted labels.
- :func:`calibration`: the share of units coded with a category per bin of predicted
  probability (scikit-learn's :func:`~sklearn.calibration.calibration_curve`).

The intervals describe the coded sample's articles; they leave out the variation from one
training run to another (each resample reuses the outer folds' predictions).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve

from analysis.coding.resample import MIN_ARTICLES_INTERVAL, article_weights
from analysis.settings import N_RESAMPLES
from analysis.stats import cell_rng

EVAL_COLUMNS = [
    "category",
    "predictor",
    "statistic",
    "estimate",
    "ci_low",
    "ci_high",
    "n_units",
    "n_articles",
    "n_positive",
    "interval_note",
]
STATISTICS = ("precision", "recall", "f1")


def f1_scores(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """F1 of each column of 0/1 arrays (units x categories); 0 where undefined, as
    scikit-learn's ``f1_score(..., zero_division=0)``."""
    return _scores(truth, predicted, np.ones((1, len(truth))))["f1"][0]


def _scores(truth, predicted, w) -> dict[str, np.ndarray]:
    """Weighted precision, recall and F1: (resamples x categories) each; ``w`` is
    (resamples x units), how often each unit is drawn."""
    truth, predicted = np.asarray(truth, float), np.asarray(predicted, float)
    known = ~np.isnan(truth)  # units the coders split on count for no category they split on
    truth, predicted = np.nan_to_num(truth), np.nan_to_num(predicted) * known
    tp = w @ (truth * predicted)
    fp = w @ ((1 - truth) * known * predicted)
    fn = w @ (truth * (1 - predicted))
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    return {"precision": precision, "recall": recall, "f1": f1}


def evaluation(
    crossval: pd.DataFrame,
    *,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Precision, recall and F1 per category and macro, classifier and dictionary.

    Parameters
    ----------
    crossval : DataFrame
        :attr:`FrameClassifier.crossval`: ``unit_id, article_id, category, truth`` (0/1),
        ``predicted`` (0/1) and ``dictionary`` (0/1, NaN for a category without a linked
        frame), one row per coded unit and category.

    Returns
    -------
    DataFrame
        ``category, predictor, statistic, estimate, ci_low, ci_high, n_units, n_articles,
        n_positive, interval_note``: ``predictor`` is ``classifier``, ``dictionary`` (where
        a category is linked to one) or ``difference`` (classifier minus dictionary, F1
        only); ``statistic`` ``precision``, ``recall`` or ``f1``; ``category`` ``macro``
        averages the categories; ``n_units`` the units scored for the category (those the
        coders split on left out), ``n_positive`` those coded with it.
    """
    categories = list(dict.fromkeys(crossval["category"]))
    wide = {col: _wide(crossval, col, categories) for col in ("truth", "predicted", "dictionary")}
    units = crossval.drop_duplicates("unit_id")
    article, _ = pd.factorize(units["article_id"])
    n_articles = int(article.max()) + 1
    linked = crossval["dictionary"].notna().groupby(crossval["category"]).all()
    linked = linked.reindex(categories).to_numpy(dtype=bool)
    predictors = {"classifier": wide["predicted"]}
    if linked.any():
        predictors["dictionary"] = wide["dictionary"]

    def statistics(w_units):
        out = {}
        for name, predicted in predictors.items():
            for stat, values in _scores(wide["truth"], predicted, w_units).items():
                out[(name, stat)] = values
        if "dictionary" in predictors:
            out[("difference", "f1")] = out[("classifier", "f1")] - out[("dictionary", "f1")]
        macro = {}
        for (name, stat), values in out.items():
            keep = linked if name != "classifier" else np.ones(len(categories), bool)
            macro[(name, stat)] = values[:, keep].mean(axis=1, keepdims=True)
        return {key: np.hstack([values, macro[key]]) for key, values in out.items()}

    point = statistics(np.ones((1, len(units))))
    note = ""
    if n_articles < MIN_ARTICLES_INTERVAL:
        note = f"fewer than {MIN_ARTICLES_INTERVAL} coded articles ({n_articles})"
        bounds = {key: (np.full(v.shape[1], np.nan),) * 2 for key, v in point.items()}
    else:
        rng = cell_rng(seed, "classify", "evaluation")
        drawn = {key: [] for key in point}
        for done in range(0, n_resamples, 500):
            w = article_weights(rng, n_articles, min(500, n_resamples - done))[:, article]
            for key, values in statistics(w).items():
                drawn[key].append(values)
        alpha = (1 - confidence) / 2
        bounds = {
            key: tuple(np.quantile(np.vstack(v), [alpha, 1 - alpha], axis=0))
            for key, v in drawn.items()
        }
    positives = np.r_[np.nansum(wide["truth"], axis=0), np.nansum(wide["truth"])]
    scored = np.r_[(~np.isnan(wide["truth"])).sum(axis=0), len(units)]
    by_category = crossval.groupby("category", sort=False)["article_id"].nunique()
    articles = np.r_[by_category.reindex(categories).to_numpy(), n_articles]
    names = [*categories, "macro"]
    rows = []
    for (name, stat), values in point.items():
        keep = np.r_[linked if name != "classifier" else np.ones(len(categories), bool), True]
        for j in np.flatnonzero(keep):
            rows.append(
                [
                    names[j],
                    name,
                    stat,
                    float(values[0, j]),
                    float(bounds[(name, stat)][0][j]),
                    float(bounds[(name, stat)][1][j]),
                    int(scored[j]),
                    int(articles[j]),
                    int(positives[j]),
                    note,
                ]
            )
    return pd.DataFrame(rows, columns=EVAL_COLUMNS)


def _wide(crossval: pd.DataFrame, column: str, categories: list) -> np.ndarray:
    """(units x categories) of one column, units in first-appearance order."""
    table = crossval.pivot(index="unit_id", columns="category", values=column)
    order = list(dict.fromkeys(crossval["unit_id"]))
    return table.loc[order, categories].to_numpy(dtype=float)


def confusion_table(crossval: pd.DataFrame, kind: str = "multi") -> pd.DataFrame:
    """Coded against predicted labels: ``category, truth, predicted, n_units``.

    Multi-label: per category, ``yes``/``no`` against ``yes``/``no``. Single-label
    (``kind="single"``): ``category`` is ``all`` and ``truth``, ``predicted`` are the
    categories (every pair, zeros included).
    """
    if kind == "single":
        categories = list(dict.fromkeys(crossval["category"]))
        truth = crossval[crossval["truth"] == 1].set_index("unit_id")["category"].rename("truth")
        predicted = crossval[crossval["predicted"] == 1].set_index("unit_id")["category"]
        predicted = predicted.reindex(truth.index).rename("predicted")
        table = pd.crosstab(truth, predicted).reindex(
            index=categories, columns=categories, fill_value=0
        )
        long = table.stack().rename("n_units").reset_index()
        long.columns = ["truth", "predicted", "n_units"]
        return long.assign(category="all")[["category", "truth", "predicted", "n_units"]]
    yes = {1: "yes", 0: "no"}
    counts = (
        crossval.assign(truth=crossval["truth"].map(yes), predicted=crossval["predicted"].map(yes))
        .groupby(["category", "truth", "predicted"], sort=False)
        .size()
    )
    full = pd.MultiIndex.from_product(
        [list(dict.fromkeys(crossval["category"])), ["yes", "no"], ["yes", "no"]],
        names=["category", "truth", "predicted"],
    )
    return counts.reindex(full, fill_value=0).rename("n_units").reset_index()


def calibration(crossval: pd.DataFrame, *, bins: int = 10) -> pd.DataFrame:
    """Per category and bin of predicted probability (``bins`` equal-width bins): the mean
    probability, the share of units coded with the category and the units in the bin.

    Returns
    -------
    DataFrame
        ``category, mean_probability, observed_share, n_units`` (empty bins left out).
    """
    rows = []
    edges = np.linspace(0, 1, bins + 1)
    for category, part in crossval.groupby("category", sort=False):
        truth, probability = part["truth"].to_numpy(), part["probability"].to_numpy()
        if len(np.unique(truth)) < 2:
            continue
        observed, mean = calibration_curve(truth, probability, n_bins=bins)
        counts = np.bincount(np.searchsorted(edges[1:-1], probability), minlength=bins)
        rows.extend(
            {"category": category, "mean_probability": m, "observed_share": o, "n_units": int(n)}
            for m, o, n in zip(mean, observed, counts[counts > 0])
        )
    return pd.DataFrame(rows, columns=["category", "mean_probability", "observed_share", "n_units"])
