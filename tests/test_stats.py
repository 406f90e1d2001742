"""Bootstrap intervals and permutation tests: reproducible, and right on known data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import stats


def test_bootstrap_is_seeded_and_reproducible():
    values = np.random.default_rng(1).normal(size=40)
    assert stats.bootstrap_ci(values, seed=3) == stats.bootstrap_ci(values, seed=3)
    assert stats.bootstrap_ci(values, seed=3) != stats.bootstrap_ci(values, seed=4)


def test_bootstrap_interval_coverage_on_a_known_distribution():
    """About 95% of intervals from samples of N(0.3, 1) should contain 0.3."""
    rng = np.random.default_rng(7)
    hits = 0
    trials = 200
    for trial in range(trials):
        sample = rng.normal(0.3, 1.0, size=60)
        _, low, high = stats.bootstrap_ci(sample, n_resamples=999, seed=trial)
        hits += low <= 0.3 <= high
    assert 0.88 <= hits / trials <= 0.99


def test_bootstrap_edge_cases():
    assert np.isnan(stats.bootstrap_ci([])).all()
    estimate, low, high = stats.bootstrap_ci([0.4])
    assert estimate == 0.4 and np.isnan(low) and np.isnan(high)
    assert stats.bootstrap_ci([0.2, 0.2, 0.2]) == (pytest.approx(0.2),) * 3
    estimate, _, _ = stats.bootstrap_ci([1.0, np.nan, 3.0], n_resamples=99)
    assert estimate == 2.0


def test_permutation_test_detects_a_shift_and_not_noise():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0.5, 1, 80), rng.normal(0.0, 1, 80)
    difference, p = stats.permutation_test(a, b, n_resamples=1999)
    assert difference == pytest.approx(a.mean() - b.mean()) and p < 0.05
    _, p_same = stats.permutation_test(a, rng.permutation(a), n_resamples=1999)
    assert p_same > 0.5
    assert np.isnan(stats.permutation_test([], [1.0])[1])


def test_summarize_reports_counts_and_warns_for_single_units():
    data = pd.DataFrame(
        {
            "outlet": ["A", "A", "A", "B"],
            "article_id": ["1", "2", "3", "4"],
            "v": [0.1, 0.2, 0.6, 0.5],
        }
    )
    with pytest.warns(stats.UndefinedIntervalWarning, match="B"):
        out = stats.summarize(data, value="v", n_resamples=99).set_index("outlet")
    assert out.loc["A", "estimate"] == pytest.approx(0.3)
    assert out.loc["A", "n_units"] == 3 and out.loc["A", "n_articles"] == 3
    assert np.isnan(out.loc["B", "ci_low"]) and out.loc["B", "estimate"] == 0.5
    with pytest.raises(ValueError, match="unit"):
        stats.summarize(data, value="v", unit="paragraph")


def test_compare_outlets():
    data = pd.DataFrame({"outlet": ["A"] * 30 + ["B"] * 30, "v": [1.0] * 30 + [0.0] * 29 + [1.0]})
    row = stats.compare_outlets(data, "A", "B", value="v", n_resamples=999)
    assert row["difference"] == pytest.approx(29 / 30)
    assert row["p"] < 0.01
    assert row["ci_low"] <= row["difference"] <= row["ci_high"]
    assert (row["n_first"], row["n_second"]) == (30, 30)


def test_summarize_columns_resamples_samples_of_one_length_together_correctly():
    # outlets of the same size share one bootstrap call; each keeps its own interval
    rng = np.random.default_rng(5)
    sizes = {"A": 12, "B": 12, "C": 12, "D": 7, "E": 7}
    outlets = [o for o, size in sizes.items() for _ in range(size)]
    data = pd.DataFrame(
        {
            "outlet": outlets,
            "article_id": [f"a{i}" for i in range(len(outlets))],
            "x": rng.normal(size=len(outlets)) * np.repeat([1, 5, 9, 2, 4], list(sizes.values())),
            "y": rng.gamma(2.0, size=len(outlets)),
        }
    )
    together = stats.summarize_columns(data, ["x", "y"], n_resamples=499, seed=6)
    for (outlet, column), frame in data.melt(["outlet", "article_id"]).groupby(
        ["outlet", "variable"]
    ):
        expected = stats.bootstrap_ci(frame["value"].to_numpy(), n_resamples=499, seed=6)
        got = together[(together["outlet"] == outlet) & (together["measure"] == column)]
        np.testing.assert_allclose(
            got[["estimate", "ci_low", "ci_high"]].to_numpy()[0], expected, rtol=1e-12
        )


def test_summarize_columns_equals_summarizing_each_column():
    # one bootstrap call per outlet and pattern of missing values gives each column's own
    # interval (the same resamples), up to the order in which floats are summed
    rng = np.random.default_rng(3)
    n = 60
    data = pd.DataFrame(
        {
            "outlet": rng.choice(["A", "B", "C", "D"], n),
            "article_id": [f"a{i}" for i in range(n)],
            "x": rng.normal(size=n),
            "y": rng.gamma(2.0, size=n),
            "same": 1.0,  # no spread: the interval is the value
            "gaps": np.where(rng.random(n) < 0.3, np.nan, rng.normal(size=n)),
        }
    )
    data.loc[data["outlet"] == "D", "gaps"] = np.nan  # an outlet without values
    columns = ["x", "y", "same", "gaps"]
    together = stats.summarize_columns(data, columns, n_resamples=499, seed=4)
    assert together["measure"].tolist() == [c for c in columns for _ in range(4)]
    for column in columns:
        alone = stats.summarize(data, value=column, n_resamples=499, seed=4, warn=False)
        mine = together[together["measure"] == column].reset_index(drop=True)
        pd.testing.assert_frame_equal(
            mine.drop(columns="measure"), alone, check_exact=False, rtol=1e-12, atol=1e-12
        )
        for outlet, frame in data.groupby("outlet"):
            values = frame[column].to_numpy()
            expected = stats.bootstrap_ci(values, n_resamples=499, seed=4)
            got = mine.loc[mine["outlet"] == outlet, ["estimate", "ci_low", "ci_high"]]
            np.testing.assert_allclose(got.to_numpy()[0], expected, rtol=1e-12, atol=1e-12)
