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
import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import classify, stats
from analysis.classify.model import LEARNING_COLUMNS, dictionary_hits
from analysis.classify.quantify import MIN_ARTICLES, MIN_CODED_ARTICLES, MIN_SEPARATION
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
        "a frame classifier saved by an earlier run (OUT/models/NAME.model), applied to "
        "every article",
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
        return settings.learned.model is not None

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
        hits = dictionary_hits(counts, model.links, model.categories, len(units))
        long["dictionary"] = hits.ravel()
        sums = classify.article_sums(long).drop(columns="outlet")
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
        warn_missing(prevalence)
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


def warn_missing(prevalence: pd.DataFrame) -> None:
    """One warning for the corrected shares without an interval, one for the frames whose
    corrected share is withheld; their ``details`` list the cells and the reasons."""
    headline = prevalence[prevalence["estimator"] == classify.HEADLINE]
    no_interval = headline[headline["estimate"].notna() & headline["ci_low"].isna()]
    if len(no_interval):
        warnings.warn(
            stats.UndefinedIntervalWarning(
                f"learned frames: no interval for {len(no_interval)} outlet-frame cells of "
                f"{stats.few(no_interval['outlet'].unique(), 'outlet')} (fewer than "
                f"{MIN_ARTICLES} articles of the outlet or {MIN_CODED_ARTICLES} coded articles)",
                no_interval[["outlet", "category", "n_articles", "note"]],
            ),
            stacklevel=2,
        )
    withheld = headline[headline["estimate"].isna()]
    if len(withheld):
        frames = sorted(withheld["category"].unique())
        warnings.warn(
            stats.ListedWarning(
                f"learned frames: no corrected share of {', '.join(frames)}: the classifier "
                f"hardly separates {'it' if len(frames) == 1 else 'them'} (tpr - fpr below "
                f"{MIN_SEPARATION}); only the counted share is given",
                withheld[["outlet", "category", "note"]],
            ),
            stacklevel=2,
        )


def manifest_entry(settings, tables, *, path, trained: bool, run_dictionary: str) -> dict:
    """What the manifest records of the classifier a run applied: its training, how well it
    did (macro F1 of it and of the dictionary, with intervals), where it is (``path``: where
    the run leaves it) and its SHA-256, whether this run ``trained`` it, the run's own
    dictionary, and the corrected shares reported, with an interval and withheld."""
    model = model_of(settings)
    digest = hashlib.sha256(Path(settings.learned.model).read_bytes()).hexdigest()
    headline = tables["frame_prevalence"]
    headline = headline[headline["estimator"] == classify.HEADLINE]
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
        "trained_in_run": trained,
        "sha256": digest,
        "run_dictionary": run_dictionary,
        "shares": int(headline["estimate"].notna().sum()),
        "shares_with_interval": int(headline["ci_low"].notna().sum()),
        "withheld": sorted(headline.loc[headline["estimate"].isna(), "category"].unique()),
        "outlets": int(headline["outlet"].nunique()),
    }


def _number(value):
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)
