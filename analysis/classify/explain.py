"""What a classifier has learned, to read: the words that weigh most for and against each
category, and the units it is surest carry one (to read with :func:`analysis.concordance.kwic`
or the explorer)."""

from __future__ import annotations

import numpy as np
import pandas as pd

FEATURE_COLUMNS = ["category", "direction", "rank", "feature", "weight"]
EXAMPLE_COLUMNS = ["category", "outlet", "rank", "unit_id", "article_id", "probability", "text"]


def top_features(model, *, n: int = 15) -> pd.DataFrame:
    """The ``n`` features with the largest positive and negative weights per category.

    Returns
    -------
    DataFrame
        :data:`FEATURE_COLUMNS`; ``feature`` is the word or word pair (``dictionary:NAME``
        for a dictionary category's count, ``characters:abc`` for a character n-gram),
        ``weight`` the logistic regression's coefficient on the TF-IDF scale.
    """
    names = np.array(
        [
            f.removeprefix("words__").replace("__", ":")
            for f in model.features.get_feature_names_out()
        ],
        dtype=object,
    )
    if model.kind == "multi":
        weights = {
            c: est.coef_[0]
            for c, est in zip(model.categories, model.estimators)
            if not isinstance(est, float)
        }
    else:
        (est,) = model.estimators
        coef = est.coef_ if len(est.classes_) > 2 else np.vstack([-est.coef_[0], est.coef_[0]])
        weights = {model.categories[k]: row for k, row in zip(est.classes_, coef)}
    rows = []
    for category, w in weights.items():
        order = np.argsort(-w, kind="stable")
        for direction, picked in (("for", order[:n]), ("against", order[::-1][:n])):
            rows.extend(
                [category, direction, rank + 1, names[i], float(w[i])]
                for rank, i in enumerate(picked)
                if (w[i] > 0) == (direction == "for") and w[i] != 0
            )
    return pd.DataFrame(rows, columns=FEATURE_COLUMNS)


def top_examples(predictions: pd.DataFrame, texts: pd.Series, *, n: int = 3) -> pd.DataFrame:
    """Per category and outlet, the ``n`` units with the highest probability of it.

    Parameters
    ----------
    predictions : DataFrame
        ``unit_id, article_id, outlet, category, probability``.
    texts : Series
        Unit id -> text.

    Returns
    -------
    DataFrame
        :data:`EXAMPLE_COLUMNS`, by category, outlet and rank (ties by unit id).
    """
    ranked = predictions.sort_values(
        ["category", "outlet", "probability", "unit_id"],
        ascending=[True, True, False, True],
        kind="stable",
    )
    top = ranked.groupby(["category", "outlet"], sort=False, observed=True).head(n).copy()
    top["rank"] = top.groupby(["category", "outlet"], sort=False, observed=True).cumcount() + 1
    top["text"] = top["unit_id"].map(texts).fillna("").astype(str)
    return top[EXAMPLE_COLUMNS].reset_index(drop=True)
