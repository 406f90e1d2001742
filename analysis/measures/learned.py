"""The learned frames measure: a frame classifier trained on people's codes
(:mod:`analysis.classify`) applied to every article, partition by partition, and each
outlet's use of each frame corrected for the classifier's errors.

The classifier is a file (``learned.model``, ``--apply-model``; a run with ``--learn``
trains one before the map and applies it the same way), so every worker, local or Dask,
loads the same model. Coded units are not scored by the final model, which was trained on
them: they keep their cross-validated prediction (``coded`` true in ``frame_predictions``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import classify
from analysis.classify.model import LEARNING_COLUMNS
from analysis.coding.units import coding_units
from analysis.measures.base import Context, MeasureBase, Partition, Tables
from analysis.settings import setting

EXAMPLES = 3
"""Units per category and outlet in ``classifier_examples``."""
PREDICTION_COLUMNS = [
    "unit_id",
    "article_id",
    "outlet",
    "category",
    "probability",
    "predicted",
    "coded",
]


@dataclass(frozen=True)
class LearnedSettings:
    """A trained frame classifier to apply to every article."""

    model: Path | None = setting(
        None,
        "path",
        "a frame classifier saved by an earlier run (OUT/models/NAME.joblib), applied to "
        "every article; a joblib file runs code when loaded: give only your own",
        flag="--apply-model",
        optional=True,
        metavar="FILE",
    )

    def resolved(self, *, seed_corpus: bool) -> LearnedSettings:
        return self


@functools.lru_cache(maxsize=2)
def load(path: str, modified: float) -> classify.FrameClassifier:
    """The model at ``path`` (read once per process and modification time)."""
    return classify.load_model(path)


def model_of(settings) -> classify.FrameClassifier:
    path = Path(settings.learned.model)
    return load(str(path), path.stat().st_mtime)


class Learned(MeasureBase):
    """``frame_predictions`` per unit, ``frame_prevalence`` per outlet, and what the
    classifier is and how well it did (the ``classifier_*`` tables)."""

    name = "learned"

    def enabled(self, settings) -> bool:
        return getattr(settings, "learned", None) is not None and settings.learned.model is not None

    def map(self, partition: Partition, settings) -> dict:
        """The parts: ``frame_predictions`` (streamed), ``sums`` (per article and category:
        units, predicted units, summed probability, units the dictionary matches) and
        ``examples`` (the likeliest units per category and outlet)."""
        model = model_of(settings)
        articles = partition.articles
        if "title" not in articles:
            articles = articles.assign(title="")
        units = coding_units({"articles": articles, "sentences": partition.sentences}, model.unit)
        probability, counts = model.predict_with_counts(units["text"])
        crossval = model.crossval
        coded = units["unit_id"].isin(set(crossval["unit_id"])).to_numpy()
        if coded.any():
            oof = crossval.pivot(index="unit_id", columns="category", values="probability")
            ids = units.loc[coded, "unit_id"]
            held = oof.reindex(index=ids, columns=model.categories).to_numpy()
            # a category the coders split on keeps the final model's probability
            probability[coded] = np.where(np.isnan(held), probability[coded], held)
        predicted = model.predict(probability)
        k = len(model.categories)
        long = pd.DataFrame(
            {
                "unit_id": np.repeat(units["unit_id"].to_numpy(), k),
                "article_id": np.repeat(units["article_id"].to_numpy(), k),
                "outlet": np.repeat(units["outlet"].to_numpy(), k),
                "category": np.tile(model.categories, len(units)),
                "probability": probability.ravel(),
                "predicted": predicted.ravel().astype("int8"),
                "coded": np.repeat(coded, k),
            }
        )
        long["n_dictionary"] = _dictionary_matches(model, counts, len(units)).ravel()
        sums = (
            long.groupby(["article_id", "category"], sort=False)
            .agg(
                n_units=("unit_id", "size"),
                n_predicted=("predicted", "sum"),
                probability=("probability", "sum"),
                n_dictionary=("n_dictionary", "sum"),
            )
            .reset_index()
        )
        sums.loc[~sums["category"].isin(linked_categories(model)), "n_dictionary"] = np.nan
        examples = classify.top_examples(long, units.set_index("unit_id")["text"], n=EXAMPLES)
        return {
            "frame_predictions": long[PREDICTION_COLUMNS],
            "sums": sums,
            "examples": examples,
        }

    def reduce(self, partials, context: Context) -> Tables:
        """``frame_prevalence`` and the ``classifier_*`` tables."""
        model = model_of(context.settings)
        options = context.settings.resampling.options
        outlets = context.articles.set_index("article_id")["outlet"]
        sums = partials.concat("sums")
        sums["outlet"] = sums["article_id"].map(outlets).astype(str)
        prevalence = classify.prevalence(sums, model.crossval, **options)
        examples = partials.concat("examples")
        examples["outlet"] = examples["article_id"].map(outlets).astype(str)
        texts = examples.drop_duplicates("unit_id").set_index("unit_id")["text"]
        examples = classify.top_examples(examples.drop(columns=["rank"]), texts, n=EXAMPLES)
        return {
            "frame_prevalence": prevalence,
            "classifier_eval": classify.evaluation(model.crossval, **options),
            "classifier_confusion": classify.confusion_table(model.crossval, model.kind),
            "classifier_calibration": classify.calibration(model.crossval),
            "classifier_learning": model.learning.reindex(columns=LEARNING_COLUMNS).astype(
                {
                    "fraction": float,
                    "n_articles": float,
                    "n_units": float,
                    "f1": float,
                    "fold_sd": float,
                    "category": str,
                }
            ),
            "classifier_features": classify.top_features(model),
            "classifier_examples": examples,
        }


def linked_categories(model) -> list[str]:
    """The categories compared with a dictionary frame (none without a dictionary)."""
    return list(model.links) if getattr(model, "dictionary", None) is not None else []


def _dictionary_matches(model, counts: pd.DataFrame | None, n_units: int) -> np.ndarray:
    """(units x categories) 1 where the linked dictionary frame matches the unit (``counts``:
    the dictionary's match counts per unit); NaN for categories without a linked frame or a
    model without a dictionary."""
    out = np.full((n_units, len(model.categories)), np.nan)
    if counts is None or not model.links:
        return out
    for j, category in enumerate(model.categories):
        if category in model.links:
            out[:, j] = (counts[model.links[category]].to_numpy() > 0).astype(float)
    return out


def manifest_entry(settings, tables, *, path) -> dict:
    """What the manifest records of the classifier a run applied: its training, how well it
    did (macro F1 of it and of the dictionary, with intervals) and where it is (``path``:
    where the run leaves it)."""
    model = model_of(settings)
    evaluation = tables["classifier_eval"]
    macro = evaluation[(evaluation["category"] == "macro") & (evaluation["statistic"] == "f1")]
    scores = {
        row.predictor: {
            "f1": _number(row.estimate),
            "ci_low": _number(row.ci_low),
            "ci_high": _number(row.ci_high),
        }
        for row in macro.itertuples(index=False)
    }
    notes = evaluation["interval_note"].dropna()
    return {
        **model.parameters,
        "model": str(path),
        "chosen_c": {
            str(c): _number(value) for c, value in zip(model.chosen["category"], model.chosen["C"])
        },
        "macro_f1": scores,
        "interval_note": str(notes.iloc[0]) if len(notes) and notes.iloc[0] else "",
        "headline_estimator": classify.HEADLINE,
    }


def _number(value):
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)
