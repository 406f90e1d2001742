"""A classifier learned from the GVFC's frame labels against the framing dictionary, on the
same cross-validation folds.

Usage::

    python -m benchmarks.learned_gvfc [--data DIR] [--n-resamples N] [--out DIR]

The units, labels and held-out fifth are :mod:`benchmarks.validate_gvfc`'s (relevant
headlines with a frame code; one 0/1 label per frame). Each unit is its own article, except
that repeated headlines (same text once normalised) are one article, so cross-validation
never splits them. :func:`analysis.classify.train` fits one logistic regression per frame
on TF-IDF word features and the dictionary's match counts, ``C`` chosen by inner
cross-validation, five outer folds; the dictionary predicts a frame when it matches at
least once. Both are scored on the outer folds' predictions of every unit, with 95%
intervals resampling units (:func:`analysis.classify.evaluation`).

The dictionary was revised on the units outside the held-out fifth, so on all units it is
scored partly on its own tuning data: the comparison to report is on the held-out fifth,
where neither has seen the units. Printed and written (``learned_gvfc.csv``): macro
precision, recall and F1 of both and their difference, on all units and on the held-out
fifth, for the headlines and for headline + lead.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from analysis import classify, paths
from analysis.classify.labels import TrainingSet
from analysis.lexicon import read_dictionary
from analysis.settings import N_RESAMPLES
from benchmarks.validate_gvfc import FILES, FRAMES, default_data_dir, load_units

DICTIONARY = "gun_violence_frames"


def training_set(units: pd.DataFrame) -> TrainingSet:
    """The GVFC units as a :class:`TrainingSet` (repeated headlines one article)."""
    normal = units["text"].str.lower().str.replace(r"\W+", " ", regex=True).str.strip()
    article = "h" + pd.Series(pd.factorize(normal)[0], index=units.index).astype(str)
    table = pd.DataFrame(
        {
            "unit_id": "u" + units.index.astype(str),
            "article_id": article,
            "outlet": "gvfc",
            "text": units["text"],
        }
    )
    labels = units[list(FRAMES.values())].reset_index(drop=True)
    return TrainingSet(table.reset_index(drop=True), labels, "frames", "article", "multi")


def compare(units: pd.DataFrame, dictionary, *, n_resamples: int, seed: int = 0):
    """Train, and score the classifier and the dictionary on the same folds.

    Returns
    -------
    model : FrameClassifier
    scores : DataFrame
        :func:`analysis.classify.evaluation`'s columns plus ``subset`` (``all`` or
        ``held_out``).
    """
    data = training_set(units)
    model = classify.train(data, dictionary=dictionary, learning_curve=False, seed=seed)
    held = set(data.units["unit_id"][units["held_out"].to_numpy()])
    tables = []
    for subset, rows in {
        "all": model.crossval,
        "held_out": model.crossval[model.crossval["unit_id"].isin(held)],
    }.items():
        scores = classify.evaluation(
            rows.reset_index(drop=True), n_resamples=n_resamples, seed=seed
        )
        tables.append(scores.assign(subset=subset))
    return model, pd.concat(tables, ignore_index=True)


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--n-resamples", type=int, default=N_RESAMPLES)
    parser.add_argument("--out", type=Path, default=paths.PROCESSED / "gvfc_validation")
    args = parser.parse_args(argv)
    dictionary = read_dictionary(DICTIONARY)
    tables = []
    for name, (file, columns) in FILES.items():
        if not (args.data / file).exists():
            continue
        start = time.perf_counter()
        model, scores = compare(
            load_units(args.data / file, columns), dictionary, n_resamples=args.n_resamples
        )
        seconds = time.perf_counter() - start
        tables.append(scores.assign(dataset=name))
        macro = scores[scores["category"] == "macro"].set_index(
            ["subset", "predictor", "statistic"]
        )
        print(
            f"\n{name}: {model.parameters['n_units']} units, trained and scored in {seconds:.1f} s"
        )
        print(macro[["estimate", "ci_low", "ci_high"]].round(3).to_string())
    if not tables:
        parser.error(f"{args.data}: none of {[f for f, _ in FILES.values()]}")
    out = pd.concat(tables, ignore_index=True)
    args.out.mkdir(parents=True, exist_ok=True)
    out.to_csv(args.out / "learned_gvfc.csv", index=False, lineterminator="\n")
    print(f"\nwrote {args.out / 'learned_gvfc.csv'}")
    return out


if __name__ == "__main__":
    main()
