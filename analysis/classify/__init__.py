"""Frames learned from people's codes: a classifier that extends a coded sample to the
whole corpus, and each outlet's use of each frame corrected for the classifier's errors.

The way of the data: :func:`training_set` pairs coded units with their texts;
:func:`train` fits a classifier with nested cross-validation grouped by article;
:func:`evaluation`, :func:`confusion_table`, :func:`calibration` and the model's
``learning`` table say how well it does, next to the dictionary on the same folds;
:meth:`FrameClassifier.predict_proba` applies it; :func:`article_sums` and
:func:`prevalence` turn its predictions into each outlet's share of units with each frame,
corrected (Forman 2008; Hopkins & King 2010); :func:`top_features` and
:func:`top_examples` show what it learned.
"""

from analysis.classify.evaluate import (
    EVAL_COLUMNS,
    calibration,
    confusion_table,
    evaluation,
    f1_scores,
)
from analysis.classify.explain import top_examples, top_features
from analysis.classify.labels import LabelError, TrainingSet, learnable, training_set
from analysis.classify.model import (
    CROSSVAL_COLUMNS,
    FrameClassifier,
    assign_folds,
    load_model,
    train,
)
from analysis.classify.quantify import (
    ESTIMATORS,
    HEADLINE,
    PREVALENCE_COLUMNS,
    article_sums,
    error_rates,
    prevalence,
)
from analysis.classify.storage import SUFFIX, ModelFileError, save_model

__all__ = [
    "CROSSVAL_COLUMNS",
    "ESTIMATORS",
    "EVAL_COLUMNS",
    "PREVALENCE_COLUMNS",
    "SUFFIX",
    "FrameClassifier",
    "HEADLINE",
    "LabelError",
    "ModelFileError",
    "TrainingSet",
    "article_sums",
    "assign_folds",
    "calibration",
    "confusion_table",
    "error_rates",
    "evaluation",
    "f1_scores",
    "learnable",
    "load_model",
    "prevalence",
    "save_model",
    "top_examples",
    "top_features",
    "train",
    "training_set",
]
