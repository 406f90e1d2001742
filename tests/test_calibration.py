"""The calibration harness (benchmarks/calibration.py) runs end to end on the seed corpus
and a tiny simulation, and its tables have the expected rows and columns (not its numbers,
nor its timings: ``make calibrate`` is the measurement)."""

from __future__ import annotations

import argparse

import numpy as np
import pytest

from analysis import paths, stats, stories
from benchmarks import calibration


@pytest.fixture(scope="module")
def seed_tables():
    return calibration.load_tables(paths.SEED_CORPUS)


def test_term_calibration_rows(seed_tables):
    table = calibration.term_calibration(
        seed_tables, group_by="outlet_country", relabelings=3, seed=0, log=lambda _: None
    )
    assert list(table.columns) == calibration.TERM_TABLE_COLUMNS
    methods = [label for label, _ in calibration.TERM_METHODS]
    assert list(table["test"]) == ["outlet"] * len(methods) + ["outlet_country"] * len(methods)
    assert list(table["method"]) == methods * 2
    assert list(table["unit"]) == ["article"] * len(methods) + ["outlet"] * len(methods)
    assert (table["relabelings"] == 3).all()
    assert table["share_any"].between(0, 1).all()
    assert (table["mean_significant"] >= 0).all()
    assert (table["min_count"] == 2).all()  # fewer than 100 articles
    text = calibration.format_terms(table)
    assert "unit test (q, default)" in text and "outlet_country" in text


def test_group_relabeling_keeps_outlets_whole(seed_tables):
    test = calibration.group_test(seed_tables, "outlet_country")
    rng = np.random.default_rng(1)
    shuffled = test.relabel(rng)
    assert shuffled.index.equals(test.labels.index)
    outlets = test.units.reindex(shuffled.index)
    assert (shuffled.groupby(outlets).nunique() == 1).all()  # one group per outlet
    assert sorted(shuffled) == sorted(calibration.outlet_groups(test.labels, test.units))


def test_interval_coverage_rows():
    sizes = {
        "mean": (5, stats.MIN_UNITS_MEAN),
        "difference": (5, stats.MIN_UNITS_DIFFERENCE),
        "ratio": (5, stats.MIN_UNITS_RATIO),
        "clustered": (3, stats.MIN_CLUSTERS),
        "quotes": (5, stats.MIN_QUOTING_ARTICLES),
        "stories": (5, stories.MIN_STORIES),
    }
    table = calibration.interval_coverage(
        simulations=50, resamples=199, seed=0, sizes=sizes, log=lambda _: None
    )
    assert list(table.columns) == calibration.COVERAGE_COLUMNS
    expected = {
        "mean": len(calibration.MEAN_DISTRIBUTIONS),
        "difference": len(calibration.MEAN_DISTRIBUTIONS),
        "ratio": len(calibration.RATE_DISTRIBUTIONS),
        "clustered": len(calibration.CLUSTERED_KINDS),
        "quotes": len(calibration.QUOTE_KINDS),
        "stories": len(calibration.STORY_KINDS),
    }
    assert table["method"].value_counts().to_dict() == {m: 2 * n for m, n in expected.items()}
    for method, part in table.groupby("method"):
        assert sorted(set(part["units"])) == list(sizes[method])
    assert (table["datasets"] == 50).all()
    below = table[~table["reported"]]
    assert set(below["units"]) == {5, 3}  # each method's first size is below its minimum
    assert (below["nan_below_minimum"] == below["datasets"]).all()  # NaN, as documented
    assert below["coverage"].isna().all()
    reported = table[table["reported"]]
    assert reported["coverage"].between(0, 1).all()
    assert (reported["units"] >= reported["minimum"]).all()
    args = argparse.Namespace(simulations=50, resamples=199)
    results = {"coverage": table, "check": "", "coverage_seconds": 0.0}
    text = calibration.render(results, args, markdown=True)
    assert text.count("| distribution |") == 6


def test_vectorised_equals_bootstrap_ci():
    compared, worst = calibration.check_vectorised(seed=0, resamples=199, datasets=2)
    assert compared == 2 * len(calibration.MEAN_DISTRIBUTIONS)
    assert worst < 1e-12
    assert calibration.MINIMUMS["mean"] == stats.MIN_UNITS_MEAN
