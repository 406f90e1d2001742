"""Training a frame classifier on coded units, with nested cross-validation grouped by
article, and applying it.

One logistic regression (scikit-learn's, ``class_weight="balanced"``) per category for
multi-label sets, one multinomial logistic regression for single-label sets, on the
features of :func:`~analysis.classify.features.feature_union`. The regularisation ``C`` is
chosen among :data:`C_GRID` by an inner cross-validation (F1, or macro F1 for one
category per unit) inside each outer training fold; folds never split an article (nor an
outlet, with ``by_outlet``), so no text of a test fold is seen in training. The
vectorizer is fitted on each outer training fold; within it the inner folds share its
vocabulary and IDF weights (they choose ``C`` only).

What is reported about the classifier rests on the outer folds' predictions
(:attr:`FrameClassifier.crossval`): every coded unit predicted once by a model that never
saw its article. The model applied to the corpus is then fitted on every coded unit, with
``C`` chosen by the same inner cross-validation.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from sklearn.exceptions import ConvergenceWarning, UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold

from analysis.classify.features import feature_union, transform_with_counts
from analysis.classify.labels import LabelError, TrainingSet, training_set
from analysis.classify.storage import read_model, save_model
from analysis.lexicon import count_matches
from analysis.stats import cell_rng

C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
"""The regularisation strengths the inner cross-validation chooses among."""
DEFAULT_C = 1.0
"""``C`` when the inner folds are too few to choose (fewer than two articles, or a fold
without both classes)."""
THRESHOLD = 0.5
"""A multi-label unit is predicted to carry a category at this probability or above."""
LEARNING_FRACTIONS = (0.2, 0.4, 0.6, 0.8, 1.0)
"""Shares of each outer training fold's articles the learning curve trains on."""
LEARNING_COLUMNS = ["fraction", "n_articles", "n_units", "category", "f1", "fold_sd"]
CROSSVAL_COLUMNS = [
    "unit_id",
    "article_id",
    "outlet",
    "fold",
    "category",
    "truth",
    "probability",
    "predicted",
    "dictionary",
]


@dataclass
class FrameClassifier:
    """A trained classifier, what it was trained on and how well it did.

    Attributes
    ----------
    variable, unit, kind : str
        See :class:`~analysis.classify.labels.TrainingSet`.
    categories : list of str
    links : dict
        Category -> the dictionary frame it is compared with.
    features : FeatureUnion
        Fitted on every coded unit.
    estimators : list
        Multi-label: per category a fitted ``LogisticRegression``, or a float (the
        probability of a category every coded unit shares). Single-label: one estimator, or
        the index of the one category the training units had.
    chosen : DataFrame
        ``category, C, chosen_by``: the final model's regularisation.
    crossval : DataFrame
        :data:`CROSSVAL_COLUMNS`, one row per category and coded unit (but those the
        coders split on), category by category: the outer folds' predictions
        (``dictionary``: the dictionary's, 1 when it matches; NaN without one).
    learning : DataFrame
        ``fraction, n_articles, n_units, category, f1, fold_sd`` (see
        :func:`learning_curve`), empty when not computed.
    parameters : dict
        Every setting and count the training used (for the manifest and methods text).
    dictionary : Dictionary or None
        The dictionary it was compared with (and read as features, when
        ``"dictionary"`` is among ``parameters["features"]``).
    """

    variable: str
    unit: str
    kind: str
    categories: list
    links: dict
    features: object
    estimators: list
    chosen: pd.DataFrame
    crossval: pd.DataFrame
    learning: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LEARNING_COLUMNS))
    parameters: dict = field(default_factory=dict)
    dictionary: object = None

    def predict_proba(self, texts) -> np.ndarray:
        """(units x categories) probabilities of each text."""
        return _probabilities(
            self.features, self.estimators, list(texts), self.kind, len(self.categories)
        )

    def predict_with_counts(self, texts) -> tuple[np.ndarray, pd.DataFrame | None]:
        """:meth:`predict_proba`, and the dictionary's match counts per category of each
        text (None for a model without a dictionary), matched once for both."""
        texts = list(texts)
        X, counts = transform_with_counts(self.features, texts)
        if counts is None and self.dictionary is not None:
            counts = count_matches(texts, self.dictionary).category_counts()
        probabilities = _probabilities(
            self.features, self.estimators, texts, self.kind, len(self.categories), X=X
        )
        if counts is None:
            return probabilities, None
        return probabilities, pd.DataFrame(counts, columns=list(self.dictionary.categories))

    def predict(self, probabilities: np.ndarray) -> np.ndarray:
        """0/1 (units x categories) from :meth:`predict_proba`'s probabilities."""
        return _predicted(probabilities, self.kind)

    def save(self, path: str | Path) -> Path:
        """Write the classifier to ``path`` (:func:`~analysis.classify.storage.save_model`:
        a zip of JSON, arrays and tables, which runs no code when read back)."""
        return save_model(self, path)


def load_model(path: str | Path) -> FrameClassifier:
    """A classifier saved by :meth:`FrameClassifier.save` (``OUT/models/NAME.model``).

    Raises
    ------
    ModelFileError
        When the file is a folder or not a model file (the message names the file).
    """
    return FrameClassifier(**read_model(path))


def train(
    codes,
    tables=None,
    *,
    variable: str = "frames",
    dictionary=None,
    dictionary_features: bool = True,
    word_pairs: bool = False,
    char_ngrams: bool = False,
    folds: int = 5,
    inner_folds: int = 3,
    c_grid=C_GRID,
    by_outlet: bool = False,
    learning_curve: bool = True,
    seed: int = 0,
) -> FrameClassifier:
    """Train a classifier on coded units and measure it by nested cross-validation.

    Parameters
    ----------
    codes : Codes, DataFrame or TrainingSet
        People's codes (:func:`analysis.coding.read_codes`), a table of unit ids and
        labels, or a :class:`TrainingSet` (``tables`` and ``variable`` then unused); see
        :func:`~analysis.classify.labels.training_set`.
    tables : mapping or DataFrame
        The run's tables that hold the units' texts.
    variable : str
        What to learn: ``"frames"``, a variable's name, or names joined by commas.
    dictionary : Dictionary, optional
        The framing dictionary: compared with the classifier on the same folds (categories
        linked by ``validates``, or of the same name) and, with ``dictionary_features``,
        read as features.
    word_pairs, char_ngrams : bool
        Add pairs of adjacent words, character n-grams, to the features
        (:func:`~analysis.classify.features.feature_union`).
    folds, inner_folds : int
        Outer folds (the reported predictions) and inner folds (choosing ``C``); fewer when
        there are fewer articles.
    by_outlet : bool
        Folds hold whole outlets: the scores say how the classifier does on an outlet it
        never saw.
    learning_curve : bool
        Also compute :func:`learning_curve` (about five times the training's time).
    seed : int
        Fold assignment and the learning curve's subsamples.

    Returns
    -------
    FrameClassifier
    """
    data = (
        codes if isinstance(codes, TrainingSet) else training_set(codes, tables, variable=variable)
    )
    options = {
        "dictionary": dictionary if dictionary_features else None,
        "word_pairs": word_pairs,
        "char_ngrams": char_ngrams,
        "inner_folds": inner_folds,
        "c_grid": tuple(c_grid),
    }
    texts = np.asarray(data.units["text"].tolist(), dtype=object)
    labels = data.labels.to_numpy()
    groups = data.units["outlet" if by_outlet else "article_id"].astype(str).to_numpy()
    fold = assign_folds(groups, folds, seed)
    n_folds = int(fold.max()) + 1
    oof = np.zeros(labels.shape)
    fold_c = []
    for k in range(n_folds):
        test = fold == k
        fitted = _fit(texts[~test], labels[~test], groups[~test], data.kind, **options)
        oof[test] = _probabilities(*fitted[:2], list(texts[test]), data.kind, labels.shape[1])
        fold_c.append(fitted[2])
    features, estimators, chosen = _fit(texts, labels, groups, data.kind, **options)
    links = _links(data, dictionary)
    counts = None
    if dictionary is not None and links:
        matches = count_matches(list(texts), dictionary)
        counts = pd.DataFrame(matches.category_counts(), columns=matches.categories)
    hits = dictionary_hits(counts, links, data.categories, len(texts))
    crossval = _crossval_table(data, fold, oof, hits)
    chosen.insert(0, "category", data.categories if data.kind == "multi" else ["all"])
    model = FrameClassifier(
        variable=data.variable,
        unit=data.unit,
        kind=data.kind,
        categories=data.categories,
        links=links,
        features=features,
        estimators=estimators,
        chosen=chosen,
        crossval=crossval,
        dictionary=dictionary,
        parameters={
            "variable": data.variable,
            "unit": data.unit,
            "kind": data.kind,
            "categories": data.categories,
            "links": links,
            "n_units": len(texts),
            "n_articles": int(data.units["article_id"].nunique()),
            "n_outlets": int(data.units["outlet"].nunique()),
            "n_undecided": data.n_undecided,
            "folds": n_folds,
            "inner_folds": inner_folds,
            "folds_by": "outlet" if by_outlet else "article",
            "c_grid": list(c_grid),
            "threshold": THRESHOLD if data.kind == "multi" else "highest probability",
            "features": list(dict(features.transformer_list)),
            "word_pairs": word_pairs,
            "dictionary": getattr(dictionary, "name", None),
            "seed": seed,
            "scikit_learn": sklearn.__version__,
        },
    )
    if learning_curve:
        model.learning = _learning_curve(data, fold, groups, fold_c, options, seed)
    return model


def assign_folds(groups, folds: int, seed: int) -> np.ndarray:
    """The outer fold of each unit: whole groups (articles or outlets) assigned to ``folds``
    folds (fewer when there are fewer groups) in a seeded random order.

    Raises
    ------
    LabelError
        With fewer than two groups: nothing to hold out.
    """
    codes, uniques = pd.factorize(pd.Series(groups).astype(str), sort=True)
    if len(uniques) < 2:
        raise LabelError(
            f"the coded units come from {len(uniques)} article or outlet: cross-validation "
            "needs at least two"
        )
    n_folds = min(folds, len(uniques))
    order = cell_rng(seed, "classify", "folds").permutation(len(uniques))
    fold_of = np.empty(len(uniques), dtype=int)
    fold_of[order] = np.arange(len(uniques)) % n_folds
    return fold_of[codes]


def _fit(
    texts,
    labels,
    groups,
    kind,
    *,
    dictionary,
    word_pairs,
    char_ngrams,
    inner_folds,
    c_grid,
    fixed: pd.DataFrame | None = None,
):
    """Features and one estimator per target fitted on ``texts``, ``C`` chosen by the inner
    cross-validation, or taken from ``fixed`` (a ``chosen`` table) without a search."""
    features = feature_union(dictionary=dictionary, word_pairs=word_pairs, char_ngrams=char_ngrams)
    X = features.fit_transform(list(texts))
    estimators, chosen = [], []
    targets = (
        [labels[:, j] for j in range(labels.shape[1])]
        if kind == "multi"
        else [labels.argmax(axis=1)]
    )
    for index, y in enumerate(targets):
        known = ~np.isnan(y.astype(float))
        y, Xy, g = y[known].astype(int), X[known], groups[known]
        if len(np.unique(y)) < 2:  # the probability of the one label seen
            estimators.append(float(y[0]) if kind == "multi" else int(y[0]))
            chosen.append((np.nan, "none: every coded unit has the same label"))
            continue
        if fixed is None:
            C, how = _choose_c(Xy, y, g, kind, inner_folds, c_grid)
        else:
            C, how = fixed["C"].iloc[index], fixed["chosen_by"].iloc[index]
            C = DEFAULT_C if np.isnan(C) else float(C)
        estimators.append(_estimator(C, kind).fit(Xy, y))
        chosen.append((C, how))
    return features, estimators, pd.DataFrame(chosen, columns=["C", "chosen_by"])


def _estimator(C: float, kind: str) -> LogisticRegression:
    if kind == "multi":
        # the dual problem: text has more features than units, and it solves 20-50 times
        # faster than the primal on the GVFC headlines + leads (same objective); its
        # coordinate descent visits units in a random order, fixed here
        return LogisticRegression(
            C=C,
            class_weight="balanced",
            solver="liblinear",
            dual=True,
            max_iter=5000,
            random_state=0,
        )
    return LogisticRegression(C=C, class_weight="balanced", max_iter=2000)


def _choose_c(X, y, groups, kind, inner_folds, c_grid):
    """The inner cross-validation's ``C`` (F1, or macro F1), and how it was chosen."""
    n_groups = len(np.unique(groups))
    splits = (
        list(GroupKFold(n_splits=min(inner_folds, n_groups)).split(X, y, groups))
        if (n_groups >= 2)
        else []
    )
    if not splits or any(len(np.unique(y[train])) < len(np.unique(y)) for train, _ in splits):
        return DEFAULT_C, "default: too few coded articles in an inner fold to choose"
    search = GridSearchCV(
        _estimator(DEFAULT_C, kind),
        {"C": list(c_grid)},
        cv=splits,
        scoring="f1" if kind == "multi" else "f1_macro",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    return float(search.best_params_["C"]), f"inner {len(splits)}-fold cross-validation"


def _probabilities(features, estimators, texts, kind, n_categories, X=None) -> np.ndarray:
    X = features.transform(texts) if X is None else X
    out = np.zeros((len(texts), n_categories))
    if kind == "multi":
        for j, estimator in enumerate(estimators):
            out[:, j] = (
                estimator if isinstance(estimator, float) else estimator.predict_proba(X)[:, 1]
            )
        return out
    (estimator,) = estimators
    if isinstance(estimator, int):  # one category in training: it, for every unit
        out[:, estimator] = 1.0
        return out
    out[:, estimator.classes_] = estimator.predict_proba(X)
    return out


def _predicted(probabilities: np.ndarray, kind: str) -> np.ndarray:
    if kind == "multi":
        return (probabilities >= THRESHOLD).astype(int)
    out = np.zeros(probabilities.shape, dtype=int)
    out[np.arange(len(out)), probabilities.argmax(axis=1)] = 1
    return out


def _links(data: TrainingSet, dictionary) -> dict:
    if dictionary is None:
        return dict(data.links)
    known = set(dictionary.categories)
    links = {c: f for c, f in data.links.items() if f in known}
    links.update({c: c for c in data.categories if c not in links and c in known})
    return links


def dictionary_hits(counts: pd.DataFrame | None, links: dict, categories, n_units: int):
    """(units x categories) 1 where a category's linked dictionary frame matches the unit,
    0 where it does not, NaN for a category without a linked frame (all NaN without
    ``counts``, the dictionary's match counts per unit and dictionary category)."""
    out = np.full((n_units, len(categories)), np.nan)
    if counts is None:
        return out
    for j, category in enumerate(categories):
        if category in links:
            out[:, j] = (counts[links[category]].to_numpy() > 0).astype(float)
    return out


def _crossval_table(data: TrainingSet, fold, oof, dictionary) -> pd.DataFrame:
    predicted = _predicted(oof, data.kind)
    k, n = len(data.categories), len(data.units)
    units = data.units.reset_index(drop=True)
    table = pd.DataFrame(  # category by category, so that every table keeps their order
        {
            "unit_id": np.tile(units["unit_id"].to_numpy(), k),
            "article_id": np.tile(units["article_id"].to_numpy(), k),
            "outlet": np.tile(units["outlet"].to_numpy(), k),
            "fold": np.tile(fold, k),
            "category": np.repeat(data.categories, n),
            "truth": data.labels.to_numpy().T.ravel(),
            "probability": oof.T.ravel(),
            "predicted": predicted.T.ravel(),
            "dictionary": dictionary.T.ravel(),
        }
    )[CROSSVAL_COLUMNS]
    return table[table["truth"].notna()].astype({"truth": int}).reset_index(drop=True)


def _learning_curve(data, fold, groups, fold_c, options, seed) -> pd.DataFrame:
    """Pooled outer-fold F1 per category when each outer training fold keeps only a share of
    its articles (``C`` fixed at the one the fold's inner cross-validation chose, so that the
    whole fold gives the reported scores again; the folds' spread of macro F1 as
    ``fold_sd``)."""
    from analysis.classify.evaluate import f1_scores

    texts = np.asarray(data.units["text"].tolist(), dtype=object)
    labels = data.labels.to_numpy()
    rows = []
    for fraction in LEARNING_FRACTIONS:
        oof = np.zeros(labels.shape)
        kept_units, kept_groups, fold_macro = [], [], []
        for k in range(int(fold.max()) + 1):
            train = np.flatnonzero(fold != k)
            pool = np.unique(groups[train])
            n_keep = max(2, math.ceil(fraction * len(pool)))
            keep = cell_rng(seed, "classify", "learning", fraction, k).permutation(pool)[:n_keep]
            train = train[np.isin(groups[train], keep)]
            test = fold == k
            fitted = _fit(
                texts[train], labels[train], groups[train], data.kind, **options, fixed=fold_c[k]
            )
            oof[test] = _probabilities(*fitted[:2], list(texts[test]), data.kind, labels.shape[1])
            kept_units.append(len(train))
            kept_groups.append(len(keep))
            fold_macro.append(f1_scores(labels[test], _predicted(oof[test], data.kind)).mean())
        scores = f1_scores(labels, _predicted(oof, data.kind))
        for category, f1 in zip([*data.categories, "macro"], [*scores, scores.mean()]):
            rows.append(
                {
                    "fraction": fraction,
                    "n_articles": float(np.mean(kept_groups)),
                    "n_units": float(np.mean(kept_units)),
                    "category": category,
                    "f1": float(f1),
                    "fold_sd": float(np.std(fold_macro)) if category == "macro" else np.nan,
                }
            )
    return pd.DataFrame(rows, columns=LEARNING_COLUMNS)
