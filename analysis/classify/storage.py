"""A trained classifier as a file that runs no code when read: a zip archive of JSON, NumPy
arrays (read with ``allow_pickle=False``) and Parquet tables.

Pickles (and joblib files, which are pickles) run code when loaded, so a model passed
around between researchers could run anything; the package unpickles nothing it is given
(``tests/test_malformed.py`` checks every module). What a model is, is small enough to
write out: each text part's vocabulary and IDF weights, each logistic regression's
coefficients, intercept and classes, the dictionary's patterns, the cross-validated
predictions and the learning curve. :func:`read_model` builds the same scikit-learn objects
again from them (``tests/test_classify.py`` checks that a loaded model gives the saved
model's probabilities exactly).

Archive members: ``model.json`` (format version, what was learned, parameters, the chosen
``C``, the features' settings and vocabularies, the dictionary), ``arrays.npz`` (IDF
weights, coefficients, intercepts) and ``crossval.parquet``, ``learning.parquet``.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from analysis.classify.features import DictionaryCounts
from analysis.lexicon.model import Dictionary, parse_pattern

FORMAT = 1
"""The archive's format version; a later package reads older versions or says it cannot."""
SUFFIX = ".model"
_DATE = (2020, 1, 1, 0, 0, 0)  # fixed member times: the same model gives the same bytes


class ModelFileError(ValueError):
    """A file that is not a frame classifier this package can apply."""


def save_model(model, path: str | Path) -> Path:
    """Write ``model`` (a :class:`~analysis.classify.model.FrameClassifier`) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    parts = []
    for name, part in model.features.transformer_list:
        if isinstance(part, TfidfVectorizer):
            arrays[f"idf/{name}"] = part.idf_
            terms = sorted(part.vocabulary_, key=part.vocabulary_.get)
            parts.append(
                {
                    "name": name,
                    "analyzer": part.analyzer,
                    "ngram_range": list(part.ngram_range),
                    "min_df": part.min_df,
                    "sublinear_tf": part.sublinear_tf,
                    "terms": terms,
                }
            )
        else:
            parts.append({"name": name})
    estimators = []
    for index, estimator in enumerate(model.estimators):
        if isinstance(estimator, LogisticRegression):
            arrays[f"coef/{index}"] = estimator.coef_
            arrays[f"intercept/{index}"] = estimator.intercept_
            arrays[f"classes/{index}"] = estimator.classes_
            estimators.append({"kind": "logistic", "params": _params(estimator)})
        else:
            estimators.append({"kind": "constant", "value": estimator})
    description = {
        "format": FORMAT,
        "variable": model.variable,
        "unit": model.unit,
        "kind": model.kind,
        "categories": list(model.categories),
        "links": model.links,
        "parameters": model.parameters,
        "chosen": model.chosen.to_dict(orient="list"),
        "features": parts,
        "estimators": estimators,
        "dictionary": _dictionary_json(model.dictionary),
    }
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    members = {
        "model.json": json.dumps(description, indent=1, default=_plain).encode(),
        "arrays.npz": buffer.getvalue(),
        "crossval.parquet": model.crossval.to_parquet(index=False),
        "learning.parquet": model.learning.to_parquet(index=False),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=_DATE), data)
    return path


def read_model(path: str | Path) -> dict:
    """What :func:`save_model` wrote: the keyword arguments of
    :class:`~analysis.classify.model.FrameClassifier` (:func:`analysis.classify.load_model`
    builds it).

    Raises
    ------
    ModelFileError
        When the file is a folder or not such an archive (the message names the file).
    """
    path = Path(path)
    if path.is_dir():
        raise ModelFileError(
            f"{path}: a folder; give the model file a run saved (OUT/models/NAME{SUFFIX})"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            description = json.loads(archive.read("model.json"))
            arrays = dict(np.load(io.BytesIO(archive.read("arrays.npz")), allow_pickle=False))
            crossval = pd.read_parquet(io.BytesIO(archive.read("crossval.parquet")))
            learning = pd.read_parquet(io.BytesIO(archive.read("learning.parquet")))
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ModelFileError(
            f"{path}: not a frame classifier saved by a run with --learn "
            f"(OUT/models/NAME{SUFFIX}): {type(error).__name__}"
        ) from None
    if description.get("format") != FORMAT:
        raise ModelFileError(
            f"{path}: a model file of format {description.get('format')!r}; this version "
            f"reads format {FORMAT}"
        )
    dictionary = _dictionary(description["dictionary"])
    return {
        "variable": description["variable"],
        "unit": description["unit"],
        "kind": description["kind"],
        "categories": description["categories"],
        "links": description["links"],
        "features": _features(description["features"], arrays, dictionary),
        "estimators": _estimators(description["estimators"], arrays),
        "chosen": pd.DataFrame(description["chosen"]),
        "crossval": crossval,
        "learning": learning,
        "parameters": description["parameters"],
        "dictionary": dictionary,
    }


def _features(parts: list[dict], arrays: dict, dictionary) -> FeatureUnion:
    built = []
    for spec in parts:
        if spec["name"] == "dictionary":
            built.append(("dictionary", DictionaryCounts(dictionary).fit([])))
            continue
        vectorizer = TfidfVectorizer(
            analyzer=spec["analyzer"],
            ngram_range=tuple(spec["ngram_range"]),
            min_df=spec["min_df"],
            sublinear_tf=spec["sublinear_tf"],
            vocabulary={term: i for i, term in enumerate(spec["terms"])},
        )
        vectorizer.idf_ = arrays[f"idf/{spec['name']}"]
        built.append((spec["name"], vectorizer))
    return FeatureUnion(built)


def _estimators(specs: list[dict], arrays: dict) -> list:
    out = []
    for index, spec in enumerate(specs):
        if spec["kind"] == "constant":
            out.append(spec["value"])
            continue
        estimator = LogisticRegression(**spec["params"])
        estimator.coef_ = arrays[f"coef/{index}"]
        estimator.intercept_ = arrays[f"intercept/{index}"]
        estimator.classes_ = arrays[f"classes/{index}"]
        estimator.n_features_in_ = estimator.coef_.shape[1]
        out.append(estimator)
    return out


def _params(estimator: LogisticRegression) -> dict:
    keep = ("C", "class_weight", "solver", "dual", "max_iter", "random_state")
    return {k: v for k, v in estimator.get_params().items() if k in keep}


def _dictionary_json(dictionary) -> dict | None:
    if dictionary is None:
        return None
    return {
        "name": dictionary.name,
        "meta": dict(dictionary.meta),
        "categories": [  # a list: the categories' order is the features' order
            [category, [[p.text, p.weight] for p in patterns]]
            for category, patterns in dictionary.categories.items()
        ],
    }


def _dictionary(data: dict | None):
    if data is None:
        return None
    categories = {
        category: [parse_pattern(text, weight) for text, weight in patterns]
        for category, patterns in data["categories"]
    }
    return Dictionary(data["name"], categories, data.get("meta") or {})


def _plain(value):
    """JSON for NumPy numbers and tuples in the parameters."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"not JSON: {type(value).__name__}")
