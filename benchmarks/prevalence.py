"""Prevalence: are the corrected frame shares of :mod:`analysis.classify.quantify`
unbiased, and do their intervals cover?

Usage::

    python -m benchmarks.prevalence [--reps N] [--resamples N] [--seed S] [--out DIR]
        [--coded 30 100 300] [--outlet 30 100 500]

It is not a unit test: it simulates data with known frame shares, runs
:func:`analysis.classify.quantify.prevalence` on each simulated dataset exactly as a study
would, prints a Markdown table and writes it as CSV (``prevalence_simulation.csv``, one row
per cell, outlet and estimator, and ``prevalence_simulation.md``) to ``--out`` (default
``data/processed/prevalence_simulation``, outside the repository's tracked files).

**Design.** One frame; three outlets whose true shares of units carrying it are
:data:`OUTLETS` (0.05, 0.2, 0.5), and a coded sample in which it is
:data:`CODED_PREVALENCE` (0.3): the shares differ between the coded sample and the outlets
(prior shift), as in real use where the coded sample is drawn across outlets or
purposively.

The classifier is simulated at the score level, as an imperfect but stable one: a unit's
score is ``m1 + z`` if it carries the frame and ``m0 + z`` if not (``z`` standard
normal), its probability ``1 / (1 + exp(-SLOPE * score))`` and its prediction ``probability
>= 0.5`` (score >= 0), so that its true and false positive rates are ``Phi(m1)`` and
``Phi(m0)`` whatever the outlet: the assumption the correction rests on holds by
construction. Two classifiers (:data:`CLASSIFIERS`): tpr 0.75 / fpr 0.15 (``tpr - fpr``
0.6) and a weaker one, tpr 0.60 / fpr 0.25 (0.35, above ``MIN_SEPARATION`` 0.2 but not by
far). ``pcc`` is not corrected for the probabilities' miscalibration, so it is biased too.

Two levels (:data:`LEVELS`):

- ``article``: one unit per article, each unit independent.
- ``sentence``: :data:`UNITS_PER_ARTICLE` (8) units per article, correlated within the
  article twice over: the article's own share of framed units is drawn from
  ``Beta(p c, (1 - p) c)`` with ``c`` = :data:`CONCENTRATION` (intra-article correlation of
  the labels ``1 / (c + 1)`` = 0.33), and the scores share an article effect
  (``z = sqrt(rho) u_article + sqrt(1 - rho) e_unit``, ``rho`` = :data:`SCORE_CORRELATION`),
  so that the classifier errs on an article's units together. The bootstrap resamples
  articles, which is what these correlations need.

The coded sample gives ``crossval`` (truth, probability, prediction of each coded unit: the
cross-validated predictions of a real run); each outlet's articles give ``sums``. The truth
an estimate is compared with is the outlet's population share ``p`` (the interval resamples
articles, so it is an interval for the outlet, not for its sampled articles).

Grid: coded articles in :data:`CODED` x outlet articles in :data:`OUTLET_ARTICLES`, for
each classifier and level. Each replication (``--reps``, default 500) has its own stream
``cell_rng(seed, "rep", classifier, level, n_coded, n_outlet, rep)``, which draws the data
and the seed passed to ``prevalence`` (so no two replications share bootstrap draws);
``--resamples`` (default 999, not the package default 9999, for time) bootstrap
resamples. It runs on one core (one BLAS thread).

Reported per cell, outlet and estimator: the mean bias (estimate - truth) and the RMSE over
the replications with an estimate, the coverage of the nominal 95% interval (share of the
replications with an interval whose interval holds the truth; Monte Carlo error about 0.01
at 500 replications), its mean width, and the shares of replications with no estimate and
with no interval (the corrected estimators are missing when the measured ``tpr - fpr``
falls below ``MIN_SEPARATION``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm
from threadpoolctl import threadpool_limits

from analysis import paths
from analysis.classify.quantify import (
    ESTIMATORS,
    MIN_ARTICLES,
    MIN_SEPARATION,
    prevalence,
)
from analysis.stats import cell_rng

CONFIDENCE = 0.95
CODED_PREVALENCE = 0.3
OUTLETS = {"rare (0.05)": 0.05, "minor (0.2)": 0.2, "even (0.5)": 0.5}
"""Outlets and their true shares of units carrying the frame."""
CLASSIFIERS = {"tpr .75 fpr .15": (0.75, 0.15), "tpr .60 fpr .25": (0.60, 0.25)}
"""Classifiers: (true positive rate, false positive rate) at the 0.5 threshold."""
LEVELS = {"article": 1, "sentence": 8}
UNITS_PER_ARTICLE = 8
CONCENTRATION = 2.0
"""Of the Beta distribution of an article's own share at sentence level."""
SCORE_CORRELATION = 0.3
"""Share of the score noise's variance common to an article's units (sentence level)."""
SLOPE = 1.7
"""Of the logistic turning a score into a probability."""
CODED = (30, 100, 300)
OUTLET_ARTICLES = (30, 100, 500)
OUT = paths.ROOT / "data" / "processed" / "prevalence_simulation"
COLUMNS = [
    "classifier",
    "level",
    "n_coded",
    "n_outlet",
    "outlet",
    "truth",
    "estimator",
    "reps",
    "expected",
    "mean_estimate",
    "bias",
    "rmse",
    "coverage",
    "mean_width",
    "missing_estimate",
    "missing_interval",
]


def simulate(rng, n_articles, per, share, classifier):
    """Units of ``n_articles`` articles (``per`` units each) with frame share ``share``:
    (article index, truth, probability, predicted) per unit, as arrays."""
    tpr, fpr = classifier
    m1, m0 = norm.ppf(tpr), norm.ppf(fpr)
    n = n_articles * per
    article = np.repeat(np.arange(n_articles), per)
    if per == 1:
        truth = rng.random(n) < share
        noise = rng.standard_normal(n)
    else:
        own = rng.beta(share * CONCENTRATION, (1 - share) * CONCENTRATION, n_articles)
        truth = rng.random(n) < own[article]
        common = rng.standard_normal(n_articles)[article]
        noise = np.sqrt(SCORE_CORRELATION) * common + np.sqrt(
            1 - SCORE_CORRELATION
        ) * rng.standard_normal(n)
    score = np.where(truth, m1, m0) + noise
    probability = 1 / (1 + np.exp(-SLOPE * score))
    return article, truth.astype(int), probability, (probability >= 0.5).astype(int)


def dataset(rng, *, n_coded, n_outlet, per, classifier):
    """(sums, crossval) of one replication: the coded sample's cross-validated predictions
    (one row per coded unit) and each outlet's per-article sums."""
    article, truth, probability, predicted = simulate(
        rng, n_coded, per, CODED_PREVALENCE, classifier
    )
    crossval = pd.DataFrame(
        {
            "article_id": article,
            "category": "frame",
            "truth": truth,
            "probability": probability,
            "predicted": predicted,
        }
    )
    parts = []
    for number, (outlet, share) in enumerate(OUTLETS.items()):
        article, _, probability, predicted = simulate(rng, n_outlet, per, share, classifier)
        parts.append(
            pd.DataFrame(
                {
                    "article_id": np.arange(n_outlet) + (number + 1) * 1_000_000,
                    "outlet": outlet,
                    "category": "frame",
                    "n_units": np.bincount(article, minlength=n_outlet),
                    "n_predicted": np.bincount(article, predicted, minlength=n_outlet),
                    "probability": np.bincount(article, probability, minlength=n_outlet),
                }
            )
        )
    return pd.concat(parts, ignore_index=True), crossval


def expected_values(classifier, share):
    """What cc converges to (``fpr + (tpr - fpr) p``); the other estimators' targets are
    shown by their mean estimate."""
    tpr, fpr = classifier
    return {"cc": fpr + (tpr - fpr) * share, "pcc": np.nan, "acc": share, "pacc": share}


def run_cell(*, classifier_name, level, n_coded, n_outlet, reps, resamples, seed):
    """The rows of :data:`COLUMNS` of one cell."""
    classifier = CLASSIFIERS[classifier_name]
    per = LEVELS[level]
    found = []
    for rep in range(reps):
        rng = cell_rng(seed, "rep", classifier_name, level, n_coded, n_outlet, rep)
        sums, crossval = dataset(
            rng, n_coded=n_coded, n_outlet=n_outlet, per=per, classifier=classifier
        )
        table = prevalence(
            sums,
            crossval,
            n_resamples=resamples,
            seed=int(rng.integers(2**63)),
            confidence=CONFIDENCE,
        )
        found.append(table.assign(rep=rep))
    found = pd.concat(found, ignore_index=True)
    rows = []
    for outlet, share in OUTLETS.items():
        expected = expected_values(classifier, share)
        for name in ESTIMATORS:
            part = found[(found["outlet"] == outlet) & (found["estimator"] == name)]
            estimate = part["estimate"].to_numpy(float)
            low, high = part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float)
            has = np.isfinite(estimate)
            interval = np.isfinite(low) & np.isfinite(high)
            error = estimate[has] - share
            covered = (low[interval] <= share) & (share <= high[interval])
            rows.append(
                {
                    "classifier": classifier_name,
                    "level": level,
                    "n_coded": n_coded,
                    "n_outlet": n_outlet,
                    "outlet": outlet,
                    "truth": share,
                    "estimator": name,
                    "reps": reps,
                    "expected": expected[name],
                    "mean_estimate": float(estimate[has].mean()) if has.any() else np.nan,
                    "bias": float(error.mean()) if has.any() else np.nan,
                    "rmse": float(np.sqrt((error**2).mean())) if has.any() else np.nan,
                    "coverage": float(covered.mean()) if interval.any() else np.nan,
                    "mean_width": float((high - low)[interval].mean())
                    if interval.any()
                    else np.nan,
                    "missing_estimate": float(1 - has.mean()),
                    "missing_interval": float(1 - interval.mean()),
                }
            )
    return rows


def simulation(
    *, reps, resamples, seed, coded=CODED, outlet_articles=OUTLET_ARTICLES, log=print
) -> pd.DataFrame:
    """The whole grid (:data:`COLUMNS`)."""
    rows = []
    for classifier_name in CLASSIFIERS:
        for level in LEVELS:
            for n_coded in coded:
                for n_outlet in outlet_articles:
                    started = time.perf_counter()
                    rows.extend(
                        run_cell(
                            classifier_name=classifier_name,
                            level=level,
                            n_coded=n_coded,
                            n_outlet=n_outlet,
                            reps=reps,
                            resamples=resamples,
                            seed=seed,
                        )
                    )
                    log(
                        f"  {classifier_name}, {level}, {n_coded} coded, {n_outlet} outlet "
                        f"articles: {time.perf_counter() - started:.1f} s"
                    )
    return pd.DataFrame(rows, columns=COLUMNS)


def _cell(row) -> str:
    if not np.isfinite(row["bias"]):
        return "n/a"
    text = f"{row['bias']:+.3f} / {row['rmse']:.3f} / "
    text += "—" if not np.isfinite(row["coverage"]) else f"{row['coverage']:.2f}"
    missing = max(row["missing_estimate"], row["missing_interval"])
    if missing > 0:
        text += f" ({missing:.0%} n/a)"
    return text


def markdown(table: pd.DataFrame) -> str:
    """One Markdown table: rows classifier x level x coded x outlet articles x outlet,
    columns the estimators, each cell ``bias / RMSE / coverage``."""
    header = ["classifier", "level", "coded", "outlet n", "outlet (p)", *ESTIMATORS]
    lines = [header, ["---"] * 5 + ["---:"] * len(ESTIMATORS)]
    keys = ["classifier", "level", "n_coded", "n_outlet", "outlet"]
    for key, part in table.groupby(keys, sort=False):
        by = part.set_index("estimator")
        lines.append([str(k) for k in key] + [_cell(by.loc[name]) for name in ESTIMATORS])
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def summary(table: pd.DataFrame) -> str:
    """Coverage of the corrected estimators by coded x outlet articles (worst and mean over
    classifiers, levels and outlets), the table the minimums are read from."""
    part = table[table["estimator"].isin(["acc", "pacc"])]
    lines = [
        [
            "estimator",
            "coded",
            "outlet n",
            "min coverage",
            "mean coverage",
            "max |bias|",
            "max missing",
        ],
        ["---", "---:", "---:", "---:", "---:", "---:", "---:"],
    ]
    for (name, n_coded, n_outlet), cells in part.groupby(
        ["estimator", "n_coded", "n_outlet"], sort=True
    ):
        lines.append(
            [
                name,
                str(n_coded),
                str(n_outlet),
                f"{cells['coverage'].min():.3f}",
                f"{cells['coverage'].mean():.3f}",
                f"{cells['bias'].abs().max():.3f}",
                f"{cells[['missing_estimate', 'missing_interval']].max(axis=1).max():.3f}",
            ]
        )
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reps",
        type=int,
        default=500,
        help="replications per cell (Monte Carlo error of a coverage about 0.01 at 500)",
    )
    parser.add_argument(
        "--resamples", type=int, default=999, help="bootstrap resamples (package: 9999)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--coded", type=int, nargs="+", default=list(CODED))
    parser.add_argument("--outlet", type=int, nargs="+", default=list(OUTLET_ARTICLES))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"{args.reps} replications per cell, {args.resamples} resamples, seed {args.seed}; "
        f"MIN_ARTICLES {MIN_ARTICLES}, MIN_SEPARATION {MIN_SEPARATION}; {cores} cores",
        flush=True,
    )
    started = time.perf_counter()
    with threadpool_limits(1, user_api="blas"):  # one core; BLAS threads only slow it
        table = simulation(
            reps=args.reps,
            resamples=args.resamples,
            seed=args.seed,
            coded=tuple(args.coded),
            outlet_articles=tuple(args.outlet),
            log=lambda message: print(message, flush=True),
        )
    total = time.perf_counter() - started
    notes = (
        f"Each cell: bias / RMSE / coverage of the nominal {CONFIDENCE:.0%} interval over "
        f"{args.reps} replications ({args.resamples} bootstrap resamples each); '(x% n/a)': "
        "share of replications without an estimate or interval. Coded sample share "
        f"{CODED_PREVALENCE}; sentence level {UNITS_PER_ARTICLE} units per article."
    )
    body = "\n\n".join(
        [
            notes,
            markdown(table),
            "Corrected estimators by sample sizes:",
            summary(table),
            f"total {total:.1f} s",
        ]
    )
    print()
    print(body)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "prevalence_simulation.csv", index=False)
    (args.out / "prevalence_simulation.md").write_text(
        f"# Prevalence simulation\n\n{body}\n", encoding="utf-8"
    )
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
