"""Calibration: do the package's tests and intervals hold their nominal error rates?

Usage::

    python -m benchmarks.calibration [CORPUS] [--group-by COL] [--relabelings N]
        [--simulations N] [--resamples N] [--seed S] [--skip-terms] [--skip-intervals]
        [--markdown FILE] [--text COL --outlet COL ...]

``make calibrate CORPUS=... CALIBRATE_ARGS="--group-by bias_text"`` runs it; without a
corpus, on the bundled seed corpus (:data:`analysis.paths.SEED_CORPUS`). It is not a unit
test: it prints two tables (and writes them as Markdown with ``--markdown``). Nothing is
cached or written in the repository.

**Part 1, distinctive words under shuffled labels.** The corpus is loaded and prepared as
the notebooks do in memory (:func:`analysis.corpus.load_corpus`,
:func:`analysis.pipeline.prepare`), and its article-term matrix built as the ``terms``
measure builds it (:mod:`analysis.measures.words`; :func:`analysis.terms.document_terms` of the
compared articles' sentences, words and bigrams, ``min_count`` 2 below 100 articles, else
5; at most 20 groups, chosen by :func:`analysis.groups.choose_groups`). Then, for each of
``--relabelings`` relabelings (each with its own :func:`analysis.stats.cell_rng` stream)
and once with the real labels, :func:`analysis.terms.distinctive_terms` (each group against
the rest) and :func:`analysis.terms.keyness`:

- outlets: the outlet labels are shuffled across the compared articles (unit: article);
- ``--group-by COL``: each outlet's group (its most common value) is shuffled across the
  outlets, every outlet keeping all its articles; the test's unit is the outlet
  (:func:`analysis.groups.test_units`).

Under shuffled labels no term differs between groups, so every term with q < 0.05 is a
false discovery. Reported per test: the mean number of such terms over the relabelings, the
share of relabelings with at least one (the target for the default test: at most 0.05),
and the number with the real labels; for the default unit test (``q``), the pooled-token
log-odds test (``q_pooled_tokens``), and the pooled keyness chi2 and G2 (their p-values
adjusted by :func:`analysis.stats.adjust_p` over the whole table, the family of ``q``).

**Part 2, interval coverage.** Data simulated with a known truth, and the share of nominal
95% intervals that cover it, from the package's own functions:
:func:`analysis.stats.bootstrap_ci` (through :func:`analysis.stats.studentized_intervals`,
many datasets per call, checked equal to ``bootstrap_ci`` one dataset at a time),
:func:`analysis.stats.difference_ci`, :func:`analysis.stats.ratio_ci` over articles and
:func:`analysis.stats.summarize_clustered` (a group's estimate, resampling outlets; and an
outlet's mean quote tone, the quotes of an article taken together). A cell
below the function's minimum number of units is not reported ("—"): the function returns
no interval there (checked on every dataset); the coverage it would have with the minimum
lowered to 2 is shown in brackets, for information. Reported cells outside [0.93, 0.97]
are flagged.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import groups, paths, pipeline, stats, stories, terms
from analysis.corpus import load_corpus

MAPPING = ("text", "outlet", "id", "date", "title")
MAX_GROUPS = 20
NGRAM_MAX = 2
ALPHA = 0.05
TARGET_SHARE = 0.05
"""The default test's target: at most this share of relabelings with any q < ALPHA."""
COVERAGE_BAND = (0.93, 0.97)
CONFIDENCE = 0.95
CHUNK = 100
"""Datasets per call of :func:`analysis.stats.studentized_intervals` (each call its own
stream, so that the datasets of a cell share few resamples)."""

TERM_METHODS = (
    ("unit test (q, default)", "q"),
    ("pooled log-odds (q_pooled_tokens)", "q_pooled_tokens"),
    ("pooled keyness chi2", "chi2"),
    ("pooled keyness G2", "g2"),
)
TERM_TABLE_COLUMNS = [
    "test",
    "unit",
    "groups",
    "articles",
    "units",
    "terms",
    "min_count",
    "method",
    "relabelings",
    "mean_significant",
    "share_any",
    "real",
    "tested",
    "flag",
    "dtm_seconds",
    "seconds_per_relabeling",
]
COVERAGE_COLUMNS = [
    "method",
    "distribution",
    "units",
    "minimum",
    "datasets",
    "reported",
    "coverage",
    "missing",
    "nan_below_minimum",
    "raw_coverage",
    "flag",
]


# --------------------------------------------------------------------------------------
# Part 1: distinctive words under shuffled labels


def load_tables(source, mapping: dict | None = None) -> dict[str, pd.DataFrame]:
    """The corpus loaded, cleaned and segmented in memory (as the notebooks do)."""
    corpus = load_corpus(source, **{k: v for k, v in (mapping or {}).items() if v})
    return pipeline.prepare(corpus)


@dataclass
class TermTest:
    """One comparison family: the real labels, the test unit, the matrix and a relabeler."""

    name: str
    unit: str
    labels: pd.Series
    units: pd.Series | None
    dtm: terms.DocumentTerms
    min_count: int
    relabel: Callable[[np.random.Generator], pd.Series]
    dtm_seconds: float

    @property
    def n_units(self) -> int:
        if self.units is None:
            return len(self.labels)
        return int(self.units.reindex(self.labels.index).nunique())


def _matrix(tables: dict, labels: pd.Series) -> tuple[terms.DocumentTerms, int, float]:
    """The article-term matrix of the labelled articles, as the terms measure builds it."""
    started = time.perf_counter()
    min_count = 2 if len(labels) < 100 else 5
    sentences = tables["sentences"]
    dtm = terms.document_terms(
        sentences[sentences["article_id"].isin(labels.index)],
        ngram_range=(1, NGRAM_MAX),
        min_count=min_count,
    )
    return dtm, min_count, time.perf_counter() - started


def _chosen(articles: pd.DataFrame, group_by: str) -> pd.Series:
    labels, chosen = groups.choose_groups(articles, group_by, max_groups=MAX_GROUPS)
    return labels[labels.isin(chosen)]


def outlet_test(tables: dict) -> TermTest:
    """Outlets against the rest; relabeling shuffles the outlet labels across articles."""
    labels = _chosen(tables["articles"], "outlet")
    dtm, min_count, seconds = _matrix(tables, labels)
    values = labels.to_numpy()

    def relabel(rng: np.random.Generator) -> pd.Series:
        return pd.Series(rng.permutation(values), index=labels.index, name=labels.name)

    return TermTest("outlet", "article", labels, None, dtm, min_count, relabel, seconds)


def outlet_groups(labels: pd.Series, units: pd.Series) -> pd.Series:
    """Each outlet's group: its most common value among its labelled articles (ties: the
    first by name), indexed by outlet, outlets sorted."""
    frame = pd.DataFrame(
        {"outlet": units.reindex(labels.index).to_numpy(), "group": labels.to_numpy()}
    )
    counts = frame.value_counts(["outlet", "group"]).rename("n").reset_index()
    counts = counts.sort_values(["outlet", "n", "group"], ascending=[True, False, True])
    return counts.drop_duplicates("outlet").set_index("outlet")["group"]


def group_test(tables: dict, group_by: str) -> TermTest:
    """Values of ``group_by`` against the rest, the outlet as the unit; relabeling shuffles
    the outlets' groups across the outlets (each keeps all its articles)."""
    articles = tables["articles"]
    labels = _chosen(articles, group_by)
    units = groups.test_units(articles, group_by)
    dtm, min_count, seconds = _matrix(tables, labels)
    by_outlet = outlet_groups(labels, units)
    article_outlets = units.reindex(labels.index)
    outlets, values = by_outlet.index.to_numpy(), by_outlet.to_numpy()

    def relabel(rng: np.random.Generator) -> pd.Series:
        shuffled = pd.Series(rng.permutation(values), index=outlets)
        found = article_outlets.map(shuffled).astype(labels.dtype)
        return found.rename(labels.name)

    return TermTest(group_by, "outlet", labels, units, dtm, min_count, relabel, seconds)


def significance(
    dtm: terms.DocumentTerms, labels: pd.Series, units: pd.Series | None
) -> tuple[dict[str, int], dict[str, int]]:
    """(terms with q < :data:`ALPHA`, terms with a q at all) for each method of
    :data:`TERM_METHODS` (a q is missing where the test is undefined: fewer than two units
    on a side)."""
    with warnings.catch_warnings():
        # groups with too few units to test: the "tested" column counts what was tested
        warnings.simplefilter("ignore", terms.UntestedTermsWarning)
        table = terms.distinctive_terms(dtm, labels, units=units)
    keys = terms.keyness(dtm, labels)
    q = {key: table[key].to_numpy(dtype=float) for key in ("q", "q_pooled_tokens")}
    for test in ("chi2", "g2"):
        q[test] = stats.adjust_p(keys[f"{test}_p"].to_numpy(dtype=float))
    found = {key: int((values < ALPHA).sum()) for key, values in q.items()}
    tested = {key: int(np.isfinite(values).sum()) for key, values in q.items()}
    return found, tested


def run_term_test(test: TermTest, *, relabelings: int, seed: int, log=print) -> pd.DataFrame:
    """The rows of :data:`TERM_TABLE_COLUMNS` for one test."""
    real, tested = significance(test.dtm, test.labels, test.units)
    shuffled = []
    started = time.perf_counter()
    for r in range(relabelings):
        rng = stats.cell_rng(seed, "calibration relabeling", test.name, r)
        shuffled.append(significance(test.dtm, test.relabel(rng), test.units)[0])
        log(
            f"  {test.name}: relabeling {r + 1}/{relabelings} "
            f"({', '.join(f'{k} {v}' for k, v in shuffled[-1].items())})",
        )
    per = (time.perf_counter() - started) / relabelings if relabelings else float("nan")
    rows = []
    for label, key in TERM_METHODS:
        counts = np.array([s[key] for s in shuffled], dtype=float)
        share = float((counts > 0).mean()) if relabelings else float("nan")
        rows.append(
            {
                "test": test.name,
                "unit": test.unit,
                "groups": int(test.labels.nunique()),
                "articles": len(test.labels),
                "units": test.n_units,
                "terms": len(test.dtm.terms),
                "min_count": test.min_count,
                "method": label,
                "relabelings": relabelings,
                "mean_significant": float(counts.mean()) if relabelings else float("nan"),
                "share_any": share,
                "real": real[key],
                "tested": tested[key],
                "flag": bool(share > TARGET_SHARE),
                "dtm_seconds": test.dtm_seconds,
                "seconds_per_relabeling": per,
            }
        )
    return pd.DataFrame(rows, columns=TERM_TABLE_COLUMNS)


def term_calibration(
    tables: dict,
    *,
    group_by: str | None = None,
    relabelings: int = 20,
    seed: int = 0,
    log=print,
) -> pd.DataFrame:
    """Part 1: the outlet test, and the ``group_by`` test when given (not ``outlet``)."""
    builders = [("outlet", lambda: outlet_test(tables))]
    if group_by and group_by != "outlet":
        builders.append((group_by, lambda: group_test(tables, group_by)))
    parts = []
    for name, build in builders:
        test = build()
        log(
            f"{name}: {test.labels.nunique()} groups, {len(test.labels):,} articles, "
            f"{test.n_units:,} units ({test.unit}), {len(test.dtm.terms):,} terms "
            f"(min_count {test.min_count}); matrix {test.dtm_seconds:.1f} s"
        )
        if test.labels.nunique() < 2:
            log(f"{name}: fewer than two groups, skipped")
            continue
        parts.append(run_term_test(test, relabelings=relabelings, seed=seed, log=log))
    if not parts:
        return pd.DataFrame(columns=TERM_TABLE_COLUMNS)
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------------------
# Part 2: interval coverage


def _lognormal_sizes(rng: np.random.Generator, shape, mean: float = 500.0, sigma: float = 1.0):
    """Article lengths: lognormal with mean ``mean`` tokens, rounded, at least 1."""
    return np.maximum(1.0, np.rint(rng.lognormal(np.log(mean) - sigma**2 / 2, sigma, shape)))


def _bursty(rng: np.random.Generator, shape) -> np.ndarray:
    return np.where(rng.random(shape) < 0.6, 0.0, rng.gamma(0.7, 5.0, shape))


MEAN_DISTRIBUTIONS: dict[str, tuple[Callable, float]] = {
    "normal": (lambda rng, shape: rng.normal(0.0, 1.0, shape), 0.0),
    "skewed: gamma(2)": (lambda rng, shape: rng.gamma(2.0, 1.0, shape), 2.0),
    "strongly skewed: lognormal(1)": (
        lambda rng, shape: rng.lognormal(0.0, 1.0, shape),
        float(np.exp(0.5)),
    ),
    "bursty: 60% 0, gamma(0.7, 5)": (_bursty, 0.4 * 0.7 * 5.0),
    "tone-like: 2 Beta(2,3) - 1": (lambda rng, shape: 2 * rng.beta(2.0, 3.0, shape) - 1, -0.2),
    "share-like: Beta(0.5,2)": (lambda rng, shape: rng.beta(0.5, 2.0, shape), 0.2),
}
"""Article-level values: (sampler(rng, shape), true mean)."""
RATE_DISTRIBUTIONS = {"rates Beta(2,8)": (2.0, 8.0), "rates Beta(0.5,4)": (0.5, 4.0)}
"""Per-article rates of the pooled ratio over articles (lengths lognormal, mean 500)."""

SIZES = {
    "mean": (2, 5, 10, 30, 50, 100),
    "difference": (2, 10, 30, 100, 200),
    "ratio": (2, 5, 10, 30, 100, 200, 500, 1000),
    "clustered": (2, 3, 5, 10, 20, 30, 50),
    "quotes": (5, 20, 50, 100, 200, 500),
    "stories": (5, 10, 20, 30, 50, 100),
}
"""Unit counts simulated: articles of an outlet (mean, ratio), per side (difference),
outlets of a group (clustered)."""
METHOD_TITLES = {
    "mean": "mean of an outlet's articles: bootstrap_ci (studentized bootstrap-t), n = articles",
    "difference": "difference of two outlets' means: difference_ci (symmetric bootstrap-t), "
    "n = articles per side (second side: half the scale)",
    "ratio": "pooled rate over articles: ratio_ci (log-scale HC2 t), n = articles "
    "(lengths lognormal, mean 500, sigma 1; matches binomial)",
    "clustered": "group estimate resampling outlets: summarize_clustered, n = outlets "
    "(each 1 + Poisson(30) articles)",
    "quotes": "mean tone of an outlet's quotes: quote_tone (summarize_clustered over "
    "articles), n = articles (each 1 + Poisson(2) or 1 + Poisson(10) quotes)",
    "stories": "an outlet's within-story difference: within_story (linearised over "
    "stories, t), n = stories it shares (1 + Poisson(0.5) of its articles each)",
}
MINIMUMS = {
    "mean": stats.MIN_UNITS_MEAN,
    "difference": stats.MIN_UNITS_DIFFERENCE,
    "ratio": stats.MIN_UNITS_RATIO,
    "clustered": stats.MIN_CLUSTERS,
    "quotes": stats.MIN_QUOTING_ARTICLES,
    "stories": stories.MIN_STORIES,
}


def _cell(
    method: str,
    distribution: str,
    units: int,
    truth: float,
    low: np.ndarray,
    high: np.ndarray,
    raw: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict:
    """One cell of the coverage table from the intervals of its datasets."""
    minimum = MINIMUMS[method]
    reported = units >= minimum
    defined = np.isfinite(low) & np.isfinite(high)
    covered = defined & (low <= truth) & (truth <= high)
    coverage = float(covered.sum() / defined.sum()) if reported and defined.any() else np.nan
    raw_coverage = np.nan
    if raw is not None:
        raw_defined = np.isfinite(raw[0]) & np.isfinite(raw[1])
        if raw_defined.any():
            hit = raw_defined & (raw[0] <= truth) & (truth <= raw[1])
            raw_coverage = float(hit.sum() / raw_defined.sum())
    return {
        "method": method,
        "distribution": distribution,
        "units": units,
        "minimum": minimum,
        "datasets": len(low),
        "reported": bool(reported),
        "coverage": coverage,
        "missing": int((~defined).sum()) if reported else 0,
        "nan_below_minimum": 0 if reported else int((~np.isfinite(low) & ~np.isfinite(high)).sum()),
        "raw_coverage": raw_coverage,
        "flag": bool(
            reported
            and np.isfinite(coverage)
            and not COVERAGE_BAND[0] <= round(coverage, 3) <= COVERAGE_BAND[1]
        ),
    }


def _studentized(data: np.ndarray, *, seed: int, cell: tuple, resamples: int, min_units: int):
    """:func:`analysis.stats.studentized_intervals` of every row, :data:`CHUNK` rows per
    call, each call with its own stream."""
    low, high = np.empty(len(data)), np.empty(len(data))
    for at in range(0, len(data), CHUNK):
        low[at : at + CHUNK], high[at : at + CHUNK] = stats.studentized_intervals(
            data[at : at + CHUNK],
            rng=stats.cell_rng(seed, *cell, at),
            confidence=CONFIDENCE,
            n_resamples=resamples,
            min_units=min_units,
        )
    return low, high


def check_vectorised(
    *, seed: int, resamples: int, datasets: int = 3, units: int = 2 * stats.MIN_UNITS_MEAN
) -> tuple[int, float]:
    """:func:`analysis.stats.studentized_intervals` on several datasets at once against
    :func:`analysis.stats.bootstrap_ci` on each alone, with the same stream: (datasets
    compared, largest absolute difference of a bound). The resamples draw the units
    (columns) the same way whatever the number of rows, so each row's interval is
    ``bootstrap_ci``'s. ``units`` is above the minimum, so that intervals are compared,
    not two missing values."""
    worst, compared = 0.0, 0
    for name, (sample, _) in MEAN_DISTRIBUTIONS.items():
        rng = stats.cell_rng(seed, "calibration check", name)
        data = sample(rng, (datasets, units))
        cell = ("calibration check", name)
        low, high = stats.studentized_intervals(
            data,
            rng=stats.cell_rng(seed, *cell),
            confidence=CONFIDENCE,
            n_resamples=resamples,
        )
        for row in range(datasets):
            _, one_low, one_high = stats.bootstrap_ci(
                data[row], confidence=CONFIDENCE, n_resamples=resamples, seed=seed, cell=cell
            )
            gaps = np.abs(np.array([one_low - low[row], one_high - high[row]]))
            if np.isnan(gaps).any():
                gaps = np.where(
                    np.isnan([one_low, one_high]) == np.isnan([low[row], high[row]]), 0.0, np.inf
                )
            worst = max(worst, float(np.nanmax(gaps)))
            compared += 1
    return compared, worst


def mean_coverage(*, simulations: int, resamples: int, seed: int, sizes=None) -> list[dict]:
    """Coverage of :func:`analysis.stats.bootstrap_ci`'s interval of a mean."""
    rows = []
    for name, (sample, truth) in MEAN_DISTRIBUTIONS.items():
        for n in sizes or SIZES["mean"]:
            data = sample(
                stats.cell_rng(seed, "calibration data", "mean", name, n), (simulations, n)
            )
            cell = ("calibration resample", "mean", name, n)
            low, high = _studentized(
                data, seed=seed, cell=cell, resamples=resamples, min_units=stats.MIN_UNITS_MEAN
            )
            raw = None
            if n < stats.MIN_UNITS_MEAN:
                raw = _studentized(data, seed=seed, cell=cell, resamples=resamples, min_units=2)
            rows.append(_cell("mean", name, n, truth, low, high, raw))
    return rows


def difference_coverage(*, simulations: int, resamples: int, seed: int, sizes=None) -> list[dict]:
    """Coverage of :func:`analysis.stats.difference_ci` (bootstrap-t): one side from the
    distribution, the other from the same distribution at half the scale (unequal
    variances, and the skews do not cancel); the truth is half the mean."""
    rows = []
    for name, (sample, truth) in MEAN_DISTRIBUTIONS.items():
        for n in sizes or SIZES["difference"]:
            rng = stats.cell_rng(seed, "calibration data", "difference", name, n)
            a = sample(rng, (simulations, n))
            b = 0.5 * sample(rng, (simulations, n))
            options = {"confidence": CONFIDENCE, "n_resamples": resamples, "seed": seed}
            found = np.array(
                [
                    stats.difference_ci(x, y, cell=(name, n, at), **options)
                    for at, (x, y) in enumerate(zip(a, b))
                ]
            )
            raw = None
            if n < stats.MIN_UNITS_DIFFERENCE:
                lowered = np.array(
                    [
                        stats.difference_ci(x, y, cell=(name, n, at), min_units=2, **options)
                        for at, (x, y) in enumerate(zip(a, b))
                    ]
                )
                raw = (lowered[:, 1], lowered[:, 2])
            rows.append(_cell("difference", name, n, 0.5 * truth, found[:, 1], found[:, 2], raw))
    return rows


def ratio_coverage(*, simulations: int, seed: int, sizes=None) -> list[dict]:
    """Coverage of :func:`analysis.stats.ratio_ci` over articles: each article has its own
    rate, lengths are lognormal; the truth is the mean rate."""
    rows = []
    for name, (a, b) in RATE_DISTRIBUTIONS.items():
        truth = a / (a + b)
        for n in sizes or SIZES["ratio"]:
            rng = stats.cell_rng(seed, "calibration data", "ratio", name, n)
            lengths = _lognormal_sizes(rng, (simulations, n))
            matches = rng.binomial(lengths.astype(np.int64), rng.beta(a, b, (simulations, n)))
            found = np.array(
                [stats.ratio_ci(m, t, confidence=CONFIDENCE) for m, t in zip(matches, lengths)]
            )
            raw = None
            if n < stats.MIN_UNITS_RATIO:
                lowered = np.array(
                    [
                        stats.ratio_ci(m, t, confidence=CONFIDENCE, min_units=2)
                        for m, t in zip(matches, lengths)
                    ]
                )
                raw = (lowered[:, 1], lowered[:, 2])
            rows.append(_cell("ratio", name, n, truth, found[:, 1], found[:, 2], raw))
    return rows


def _clustered_data(kind: str, rng: np.random.Generator, simulations: int, outlets: int):
    """Articles of ``simulations`` groups of ``outlets`` outlets each (one group per
    dataset): ``group, outlet, article_id`` and ``value`` or ``top, bottom``; the truth."""
    per_outlet = 1 + rng.poisson(30, (simulations, outlets))
    n_outlets = simulations * outlets
    outlet = np.repeat(np.arange(n_outlets), per_outlet.ravel())
    n = len(outlet)
    frame = {
        "group": outlet // outlets,
        "outlet": outlet,
        "article_id": np.arange(n),
    }
    if kind == "mean, normal outlet effects":
        effect = rng.normal(0.1, 0.2, n_outlets)
        frame["value"] = effect[outlet] + rng.normal(0.0, 0.4, n)
        truth = 0.1
    elif kind == "mean, skewed outlet effects":
        effect = rng.gamma(2.0, 0.5, n_outlets)  # mean 1
        frame["value"] = rng.gamma(2.0, 1.0, n) * effect[outlet] / 2.0  # mean: the effect
        truth = 1.0
    else:
        if kind == "ratio, normal outlet effects":
            effect = np.clip(rng.normal(0.2, 0.04, n_outlets), 1e-6, 1 - 1e-6)
            truth = 0.2
        else:
            effect = np.clip(rng.beta(0.5, 4.0, n_outlets), 1e-6, 1 - 1e-6)
            truth = 0.5 / 4.5
        share = rng.beta(20 * effect[outlet], 20 * (1 - effect[outlet]))  # mean: the effect
        bottom = _lognormal_sizes(rng, n)
        frame["bottom"] = bottom
        frame["top"] = rng.binomial(bottom.astype(np.int64), share).astype(float)
    return pd.DataFrame(frame), truth


CLUSTERED_KINDS = (
    "mean, normal outlet effects",
    "mean, skewed outlet effects",
    "ratio, normal outlet effects",
    "ratio, skewed outlet effects",
)
"""Outlet effects N(0.1, 0.2) with articles N(effect, 0.4); gamma(2, 0.5) effects with
articles gamma(2) scaled to the effect; shares N(0.2, 0.04) or Beta(0.5, 4) per outlet,
articles' shares Beta around them (concentration 20), lengths lognormal (mean 500),
matches binomial."""


def clustered_coverage(*, simulations: int, seed: int, sizes=None) -> list[dict]:
    """Coverage of :func:`analysis.stats.summarize_clustered` (one group per dataset)."""
    rows = []
    for kind in CLUSTERED_KINDS:
        for n in sizes or SIZES["clustered"]:
            rng = stats.cell_rng(seed, "calibration data", "clustered", kind, n)
            data, truth = _clustered_data(kind, rng, simulations, n)
            columns = (
                {"value": "value"}
                if "value" in data
                else {"numerator": "top", "denominator": "bottom"}
            )
            found = stats.summarize_clustered(data, by="group", **columns, confidence=CONFIDENCE)
            found = found.set_index("group").reindex(np.arange(simulations))
            low, high = found["ci_low"].to_numpy(float), found["ci_high"].to_numpy(float)
            raw = None
            if n < stats.MIN_CLUSTERS:
                # what summarize_clustered does, with the minimum lowered: ratio_ci over
                # each outlet's two sums
                if "value" in data:
                    top, bottom = data["value"].to_numpy(), np.ones(len(data))
                else:
                    top, bottom = data["top"].to_numpy(), data["bottom"].to_numpy()
                outlet = data["outlet"].to_numpy()
                tops = np.bincount(outlet, weights=top).reshape(simulations, n)
                bottoms = np.bincount(outlet, weights=bottom).reshape(simulations, n)
                lowered = np.array(
                    [
                        stats.ratio_ci(t, b, confidence=CONFIDENCE, min_units=2)
                        for t, b in zip(tops, bottoms)
                    ]
                )
                raw = (lowered[:, 1], lowered[:, 2])
            rows.append(_cell("clustered", kind, n, truth, low, high, raw))
    return rows


def _quote_data(kind: str, rng: np.random.Generator, simulations: int, articles: int):
    """Quotes of ``simulations`` outlets of ``articles`` articles each: ``outlet,
    article_id, category, compound``; the true mean over quotes."""
    per_article = 1 + rng.poisson(2.0 if "few" in kind else 10.0, simulations * articles)
    article = np.repeat(np.arange(simulations * articles), per_article)
    n = len(article)
    if kind.startswith("bursty"):
        # an article either attacks (15%: strongly negative quotes) or reports mildly
        attacks = (rng.random(simulations * articles) < 0.15)[article]
        compound = np.where(attacks, rng.normal(-0.8, 0.1, n), rng.normal(0.2, 0.2, n))
        truth = 0.15 * -0.8 + 0.85 * 0.2
    else:
        # an article effect, quotes around it, clipped to VADER's range; 40% neutral (0)
        effect = rng.normal(0.0, 0.25, simulations * articles)[article]
        compound = np.clip(effect + rng.normal(0.0, 0.5, n), -1.0, 1.0)
        compound[rng.random(n) < 0.4] = 0.0
        truth = 0.0  # symmetric around 0
    frame = pd.DataFrame(
        {
            "article_id": article,
            "outlet": article // articles,
            "category": "all",
            "compound": compound,
        }
    )
    return frame, truth


QUOTE_KINDS = (
    "bursty articles, few quotes",
    "bursty articles, many quotes",
    "article effects with neutral quotes, few quotes",
    "article effects with neutral quotes, many quotes",
)
"""Quote tone within articles: 15% of articles N(-0.8, 0.1) quotes and the rest N(0.2, 0.2);
or article effects N(0, 0.25) with quotes N(effect, 0.5) clipped to [-1, 1], 40% of them 0;
1 + Poisson(2) ('few') or 1 + Poisson(10) ('many') quotes per article."""


def quote_coverage(*, simulations: int, seed: int, sizes=None) -> list[dict]:
    """Coverage of :func:`analysis.quotes.quote_tone`'s interval, ``summarize_clustered``
    with articles as clusters (one outlet per dataset)."""
    rows = []
    for kind in QUOTE_KINDS:
        for n in sizes or SIZES["quotes"]:
            rng = stats.cell_rng(seed, "calibration data", "quotes", kind, n)
            data, truth = _quote_data(kind, rng, simulations, n)
            intervals = {}
            # what quote_tone does; below its minimum, again with the minimum lowered
            for minimum in (
                {stats.MIN_QUOTING_ARTICLES, 2}
                if n < stats.MIN_QUOTING_ARTICLES
                else {stats.MIN_QUOTING_ARTICLES}
            ):
                found = stats.summarize_clustered(
                    data,
                    by="outlet",
                    cluster="article_id",
                    value="compound",
                    confidence=CONFIDENCE,
                    min_units=minimum,
                )
                found = found.set_index("outlet").reindex(np.arange(simulations))
                intervals[minimum] = (
                    found["ci_low"].to_numpy(float),
                    found["ci_high"].to_numpy(float),
                )
            low, high = intervals[stats.MIN_QUOTING_ARTICLES]
            raw = intervals.get(2)
            rows.append(_cell("quotes", kind, n, truth, low, high, raw))
    return rows


STORY_KINDS = ("normal story and article effects", "skewed story and article effects")
"""Story effects N(0, 1) and articles N(0, 1) around them; or story effects gamma(1) and
articles exponential(1), both centred. The outlet's articles are 0.3 above the others' on
every story it shares; the others also cover as many stories again, less grim (their effect
lowered by 1), which it misses: selection that the within-story difference must ignore."""
STORY_FRAMING = 0.3


def _story_data(kind: str, rng: np.random.Generator, simulations: int, shared: int):
    """``simulations`` datasets in one table: ``story``, ``unit`` (``A<k>``, ``B<k>``,
    ``C<k>`` of dataset k) and ``value``; A shares ``shared`` stories with B and C, who
    cover ``shared`` more without A."""
    skewed = kind.startswith("skewed")
    n_stories = simulations * 2 * shared
    effect = rng.gamma(1.0, 1.0, n_stories) - 1.0 if skewed else rng.normal(0, 1, n_stories)
    dataset = np.arange(n_stories) // (2 * shared)
    with_a = np.arange(n_stories) % (2 * shared) < shared
    effect = np.where(with_a, effect, effect - 1.0)
    parts = []
    for outlet, lam, covers in (("A", 0.5, with_a), ("B", 1.0, None), ("C", 1.0, None)):
        count = 1 + rng.poisson(lam, n_stories)
        if covers is not None:
            count = np.where(covers, count, 0)
        story = np.repeat(np.arange(n_stories), count)
        noise = rng.exponential(1.0, len(story)) - 1.0 if skewed else rng.normal(0, 1, len(story))
        value = effect[story] + noise + (STORY_FRAMING if outlet == "A" else 0.0)
        unit = np.char.add(outlet, dataset[story].astype(str))
        parts.append(pd.DataFrame({"story": story, "unit": unit, "value": value}))
    return pd.concat(parts, ignore_index=True)


def story_coverage(*, simulations: int, seed: int, sizes=None) -> list[dict]:
    """Coverage of the within-story difference of :func:`analysis.stories.within_story`
    (outlet A of each dataset against B and C): its truth is the framing effect, 0.3."""
    rows = []
    for kind in STORY_KINDS:
        for n in sizes or SIZES["stories"]:
            rng = stats.cell_rng(seed, "calibration data", "stories", kind, n)
            data = _story_data(kind, rng, simulations, n)
            names = [f"A{k}" for k in range(simulations)]
            intervals = {}
            for minimum in {stories.MIN_STORIES, min(n, stories.MIN_STORIES)}:
                found = (
                    stories.compare_within(
                        data, "value", by="unit", confidence=CONFIDENCE, min_stories=minimum
                    )
                    .set_index("unit")
                    .reindex(names)
                )
                intervals[minimum] = (
                    found["within_low"].to_numpy(float),
                    found["within_high"].to_numpy(float),
                )
            low, high = intervals[stories.MIN_STORIES]
            raw = intervals[n] if n < stories.MIN_STORIES else None
            rows.append(_cell("stories", kind, n, STORY_FRAMING, low, high, raw))
    return rows


def interval_coverage(
    *,
    simulations: int = 4000,
    resamples: int = 1999,
    seed: int = 0,
    sizes: dict[str, tuple[int, ...]] | None = None,
    log=print,
) -> pd.DataFrame:
    """Part 2: the coverage table (:data:`COVERAGE_COLUMNS`), one row per method x
    distribution x unit count; ``sizes`` replaces :data:`SIZES` per method."""
    sizes = {**SIZES, **(sizes or {})}
    rows = []
    steps = (
        ("mean", lambda: mean_coverage(
            simulations=simulations, resamples=resamples, seed=seed, sizes=sizes["mean"])),
        ("difference", lambda: difference_coverage(
            simulations=simulations, resamples=resamples, seed=seed, sizes=sizes["difference"])),
        ("ratio", lambda: ratio_coverage(
            simulations=simulations, seed=seed, sizes=sizes["ratio"])),
        ("clustered", lambda: clustered_coverage(
            simulations=simulations, seed=seed, sizes=sizes["clustered"])),
        ("quotes", lambda: quote_coverage(
            simulations=simulations, seed=seed, sizes=sizes["quotes"])),
        ("stories", lambda: story_coverage(
            simulations=simulations, seed=seed, sizes=sizes["stories"])),
    )  # fmt: skip
    for name, step in steps:
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", stats.UndefinedIntervalWarning)
            rows.extend(step())
        log(f"  {name}: {time.perf_counter() - started:.1f} s")
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


# --------------------------------------------------------------------------------------
# Tables


def _render(header: list[str], rows: list[list[str]], *, markdown: bool, left: int = 1) -> str:
    """A fixed-width table (the first ``left`` columns left-aligned), or a Markdown one."""
    if markdown:
        rule = ["---" if i < left else "---:" for i in range(len(header))]
        lines = [header, rule, *rows]
        return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for cells in [header, *rows]:
        out.append(
            "  ".join(
                c.ljust(w) if i < left else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths))
            ).rstrip()
        )
    return "\n".join(out)


def _paragraphs(lines: list[str], *, markdown: bool) -> str:
    """Lines of notes: one per line, or Markdown paragraphs."""
    return ("\n\n" if markdown else "\n").join(lines)


def format_terms(table: pd.DataFrame, *, markdown: bool = False) -> str:
    """Part 1's table: one row per test and method, then the timings."""
    if not len(table):
        return "Part 1: no test (fewer than two groups)"
    relabelings = int(table["relabelings"].iloc[0])
    title = (
        f"Part 1: distinctive-word tests under shuffled labels: terms with q < {ALPHA} "
        f"({relabelings} relabelings; target for the default test: share with any <= "
        f"{TARGET_SHARE})"
    )
    header = ["test", "method", "mean q<.05", "share any", "real labels", "tested", ""]
    rows = []
    for _, r in table.iterrows():
        test = (
            f"{r['test']} ({r['groups']} groups, {r['articles']:,} articles, "
            f"{r['units']:,} {r['unit']}s)"
        )
        default = r["method"] == TERM_METHODS[0][0]
        mark = ("FAIL" if default else "!") if r["flag"] else ("ok" if default else "")
        rows.append(
            [
                test,
                r["method"],
                f"{r['mean_significant']:,.2f}",
                f"{r['share_any']:.3f}",
                f"{r['real']:,}",
                f"{r['tested']:,}",
                mark,
            ]
        )
    notes = [
        "mean q<.05 and share any: over the relabelings; real labels: terms with q < "
        f"{ALPHA} with the real labels; tested: terms x comparisons with a q (the unit test "
        "needs two units on each side). '!': a pooled-token test marks terms in more than "
        f"{TARGET_SHARE:.0%} of relabelings.",
    ]
    for _, r in table.drop_duplicates("test").iterrows():
        notes.append(
            f"{r['test']}: {r['terms']:,} terms (min_count {r['min_count']}); matrix "
            f"{r['dtm_seconds']:.1f} s, {r['seconds_per_relabeling']:.1f} s per relabeling "
            "(distinctive_terms + keyness)"
        )
    return "\n\n".join(
        [
            title,
            _render(header, rows, markdown=markdown, left=2),
            _paragraphs(notes, markdown=markdown),
        ]
    )


def format_coverage(
    table: pd.DataFrame, *, simulations: int, resamples: int, markdown: bool = False
) -> str:
    """Part 2's tables: one per method, distributions x unit counts, then the notes."""
    low, high = COVERAGE_BAND
    parts = [
        _paragraphs(
            [
                f"Part 2: coverage of nominal {CONFIDENCE:.0%} intervals; {simulations:,} "
                f"simulated datasets per cell; bootstrap with {resamples:,} resamples (not the "
                "package default n_resamples=9999, for time)",
                f"'*': outside [{low}, {high}]; '—': below the method's minimum (the function "
                "returns no interval); in brackets, the coverage with the minimum lowered to "
                "2, for information only ('n/a': no interval even then)",
            ],
            markdown=markdown,
        )
    ]
    for method, part in table.groupby("method", sort=False):
        minimum = int(part["minimum"].iloc[0])
        parts.append(f"{METHOD_TITLES[method]}; minimum {minimum}")
        sizes = list(dict.fromkeys(part["units"]))
        header = ["distribution", *[f"n={n}" for n in sizes]]
        rows = []
        for name, cells in part.groupby("distribution", sort=False):
            row = [name]
            for n in sizes:
                c = cells[cells["units"] == n].iloc[0]
                if c["reported"]:
                    text = f"{c['coverage']:.3f}" + ("*" if c["flag"] else "")
                    if c["missing"]:
                        text += f" ({c['missing']} n/a)"
                else:
                    raw = c["raw_coverage"]
                    text = "—" + (f" ({raw:.3f})" if np.isfinite(raw) else " (n/a)")
                row.append(text)
            rows.append(row)
        parts.append(_render(header, rows, markdown=markdown))
    below = table[~table["reported"]]
    nan_ok = int(below["nan_below_minimum"].sum())
    total = int(below["datasets"].sum())
    notes = [
        f"below the minimum: {len(below)} cells, {nan_ok:,} of {total:,} intervals returned "
        f"as NaN ({'all' if nan_ok == total else 'NOT ALL'})"
    ]
    flagged = table[table["flag"]]
    notes.append(
        f"reported cells outside [{low}, {high}]: {len(flagged)} of "
        f"{int(table['reported'].sum())}"
        + (
            ": "
            + "; ".join(
                f"{r.method} {r.distribution} n={r.units} {r.coverage:.3f}"
                for r in flagged.itertuples()
            )
            if len(flagged)
            else ""
        )
    )
    missing = table[table["missing"] > 0]
    if len(missing):
        notes.append(
            "reported cells with intervals missing (n/a, left out of the coverage): "
            + "; ".join(
                f"{r.method} {r.distribution} n={r.units}: {r.missing}"
                for r in missing.itertuples()
            )
        )
    parts.append(_paragraphs(notes, markdown=markdown))
    return "\n\n".join(parts)


# --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "corpus", nargs="?", default=None, help="default: the seed corpus (data/raw)"
    )
    for name in MAPPING:
        parser.add_argument(f"--{name}", help=f"the input's {name} column")
    parser.add_argument("--group-by", help="also test groups of outlets by this column")
    parser.add_argument("--relabelings", type=int, default=20)
    parser.add_argument(
        "--simulations",
        type=int,
        default=4000,
        help="datasets per cell (Monte Carlo error of a coverage about 0.0035)",
    )
    parser.add_argument(
        "--resamples", type=int, default=1999, help="bootstrap resamples in the simulation"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-terms", action="store_true", help="skip part 1")
    parser.add_argument("--skip-intervals", action="store_true", help="skip part 2")
    parser.add_argument("--markdown", type=Path, help="also write the tables here")
    args = parser.parse_args(argv)

    source = args.corpus or paths.SEED_CORPUS
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"corpus: {source}; seed {args.seed}; {cores} cores", flush=True)
    started_all = time.perf_counter()
    results: dict = {}

    def log(message: str) -> None:
        print(message, flush=True)

    if not args.skip_terms:
        started = time.perf_counter()
        tables = load_tables(source, {name: getattr(args, name) for name in MAPPING})
        results["prepared"] = time.perf_counter() - started
        log(
            f"load + clean + segment: {results['prepared']:.1f} s "
            f"({len(tables['articles']):,} articles, {len(tables['sentences']):,} sentences)"
        )
        results["terms"] = term_calibration(
            tables, group_by=args.group_by, relabelings=args.relabelings, seed=args.seed, log=log
        )
        del tables
        results["terms_seconds"] = time.perf_counter() - started
    if not args.skip_intervals:
        started = time.perf_counter()
        compared, worst = check_vectorised(seed=args.seed, resamples=args.resamples)
        results["check"] = (
            "studentized_intervals on many datasets at once against bootstrap_ci one at a "
            f"time (same stream): {compared} datasets, largest difference of a bound {worst:.3g}"
        )
        log(results["check"])
        results["coverage"] = interval_coverage(
            simulations=args.simulations, resamples=args.resamples, seed=args.seed, log=log
        )
        results["coverage_seconds"] = time.perf_counter() - started
    total = time.perf_counter() - started_all
    print()
    print(render(results, args, markdown=False))
    print(f"\ntotal {total:.1f} s")
    if args.markdown:
        body = render(results, args, markdown=True)
        args.markdown.write_text(
            f"# Calibration\n\ncorpus: `{source}`; seed {args.seed}; {cores} cores; total "
            f"{total:.1f} s\n\n{body}\n",
            encoding="utf-8",
        )
        print(f"markdown: {args.markdown}")
    return 0


def render(results: dict, args: argparse.Namespace, *, markdown: bool) -> str:
    """Both parts' tables and notes, as text or Markdown."""
    parts = []
    if "terms" in results:
        parts.append(format_terms(results["terms"], markdown=markdown))
        parts.append(
            f"load + clean + segment {results['prepared']:.1f} s; part 1 in all "
            f"{results['terms_seconds']:.1f} s"
        )
    if "coverage" in results:
        parts.append(
            format_coverage(
                results["coverage"],
                simulations=args.simulations,
                resamples=args.resamples,
                markdown=markdown,
            )
        )
        parts.append(
            _paragraphs(
                [results["check"], f"part 2 in all {results['coverage_seconds']:.1f} s"],
                markdown=markdown,
            )
        )
    return "\n\n".join(parts)


if __name__ == "__main__":
    sys.exit(main())
