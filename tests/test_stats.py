"""Bootstrap intervals and permutation tests: reproducible, and right on known data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from analysis import stats


def test_bootstrap_is_seeded_and_reproducible():
    values = np.random.default_rng(1).normal(size=80)
    assert stats.bootstrap_ci(values, seed=3) == stats.bootstrap_ci(values, seed=3)
    assert stats.bootstrap_ci(values, seed=3) != stats.bootstrap_ci(values, seed=4)
    # a stream per cell: the same seed, another cell, other draws
    assert stats.bootstrap_ci(values, seed=3, cell=("A",)) != stats.bootstrap_ci(
        values, seed=3, cell=("B",)
    )


def test_bootstrap_interval_coverage_on_a_known_distribution():
    """About 95% of intervals from samples of N(0.3, 1) should contain 0.3."""
    rng = np.random.default_rng(7)
    hits = 0
    trials = 200
    for trial in range(trials):
        sample = rng.normal(0.3, 1.0, size=60)
        _, low, high = stats.bootstrap_ci(sample, n_resamples=999, seed=trial)
        hits += low <= 0.3 <= high
    assert 0.9 <= hits / trials <= 0.99


def test_bootstrap_edge_cases():
    assert np.isnan(stats.bootstrap_ci([])).all()
    estimate, low, high = stats.bootstrap_ci([0.4])
    assert estimate == 0.4 and np.isnan(low) and np.isnan(high)
    # below the fewest units the simulation covers, no interval
    estimate, low, high = stats.bootstrap_ci(np.arange(stats.MIN_UNITS_MEAN - 1.0))
    assert np.isfinite(estimate) and np.isnan(low) and np.isnan(high)
    assert stats.bootstrap_ci([0.2] * stats.MIN_UNITS_MEAN) == (pytest.approx(0.2),) * 3
    estimate, _, _ = stats.bootstrap_ci([1.0, np.nan, 3.0], n_resamples=99)
    assert estimate == 2.0
    # one non-zero value among 40: resamples without it have no spread, so the upper
    # bound is unbounded: reported missing, not as a misleading number
    _, low, high = stats.bootstrap_ci([0.0] * 39 + [5.0], n_resamples=999)
    assert np.isnan(low) and np.isnan(high)


def test_studentized_intervals_equal_resampling_the_values_themselves():
    rng = np.random.default_rng(4)
    rows = np.vstack([rng.gamma(2.0, size=65), rng.normal(size=65)])
    rows[1, :5] = np.nan  # a row with missing values: its mean is over the drawn values
    low, high = stats.studentized_intervals(rows, rng=np.random.default_rng(8), n_resamples=300)
    drawn = np.random.default_rng(8).integers(0, 65, size=(300, 65))  # the same draws
    for at, row in enumerate(rows):
        mean = np.nanmean(row)
        se = np.nanstd(row, ddof=1) / np.sqrt(np.isfinite(row).sum())
        sample = row[drawn]
        k = np.isfinite(sample).sum(axis=1)
        t = (np.nanmean(sample, axis=1) - mean) / (np.nanstd(sample, axis=1, ddof=1) / np.sqrt(k))
        expected = (
            mean - np.quantile(t, 0.975, method="inverted_cdf") * se,
            mean - np.quantile(t, 0.025, method="inverted_cdf") * se,
        )
        np.testing.assert_allclose((low[at], high[at]), expected, rtol=1e-9)


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
    values = [1.0] * 96 + [0.0] * 24 + [0.0] * 96 + [1.0] * 24
    data = pd.DataFrame({"outlet": ["A"] * 120 + ["B"] * 120, "v": values})
    row = stats.compare_outlets(data, "A", "B", value="v", n_resamples=999)
    assert row["difference"] == pytest.approx(72 / 120)
    assert row["p"] < 0.01
    assert row["ci_low"] <= row["difference"] <= row["ci_high"]
    assert (row["n_first"], row["n_second"]) == (120, 120)


def _outlets(sizes: dict[str, int], seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    outlets = [o for o, size in sizes.items() for _ in range(size)]
    return pd.DataFrame(
        {
            "outlet": outlets,
            "article_id": [f"a{i}" for i in range(len(outlets))],
            "x": rng.normal(size=len(outlets)),
            "y": rng.gamma(2.0, size=len(outlets)),
            "gaps": np.where(rng.random(len(outlets)) < 0.2, np.nan, rng.normal(size=len(outlets))),
        }
    )


def test_summarize_columns_gives_each_outlet_its_own_draws_whatever_the_others():
    data = _outlets({"A": 40, "B": 40, "C": 35}, seed=5)
    # B is A's values: with one seed shared by every outlet of a length, they would get
    # the same interval; with a stream per outlet they do not
    data.loc[data["outlet"] == "B", ["x", "y", "gaps"]] = data.loc[
        data["outlet"] == "A", ["x", "y", "gaps"]
    ].to_numpy()
    out = stats.summarize_columns(data, ["x", "y", "gaps"], n_resamples=499, seed=6)
    a, b = (out[out["outlet"] == o].reset_index(drop=True) for o in "AB")
    assert a["estimate"].tolist() == b["estimate"].tolist()
    assert not np.allclose(a["ci_low"], b["ci_low"])
    # an outlet's interval does not depend on which other outlets are in the table
    alone = stats.summarize_columns(
        data[data["outlet"] == "C"], ["x", "y", "gaps"], n_resamples=499, seed=6
    )
    pd.testing.assert_frame_equal(out[out["outlet"] == "C"].reset_index(drop=True), alone)
    # the mean over the values present, and n_units counts them
    gaps = out[(out["outlet"] == "C") & (out["measure"] == "gaps")].iloc[0]
    present = data.loc[data["outlet"] == "C", "gaps"].dropna()
    assert gaps["estimate"] == pytest.approx(present.mean()) and gaps["n_units"] == len(present)


def test_ratio_interval_is_the_linearised_hc2_interval_on_the_log_scale():
    rng = np.random.default_rng(3)
    n = stats.MIN_UNITS_RATIO
    words = rng.integers(100, 2000, size=n).astype(float)
    quoted = np.floor(words * rng.beta(2, 8, size=n))
    estimate, low, high = stats.ratio_ci(quoted, words, scale=100)
    ratio = quoted.sum() / words.sum()
    residual = quoted - ratio * words
    se = np.sqrt(np.sum(residual**2 / (1 - words / words.sum()))) / words.sum()
    t = scipy_stats.t.ppf(0.975, n - 1)
    assert estimate == pytest.approx(100 * ratio)
    assert low == pytest.approx(100 * ratio * np.exp(-t * se / ratio))
    assert high == pytest.approx(100 * ratio * np.exp(t * se / ratio))
    # a mean that can be negative stays on its own scale
    _, low, high = stats.ratio_ci(quoted - 0.3 * words, words)
    assert (high + low) / 2 == pytest.approx((quoted - 0.3 * words).sum() / words.sum())
    # too few units for an honest interval
    assert np.isnan(stats.ratio_ci(quoted[:50], words[:50])[1])
    assert not np.isnan(stats.ratio_ci(quoted[:50], words[:50], min_units=20)[1])


def test_clustered_summary_needs_enough_outlets():
    rng = np.random.default_rng(2)
    rows = []
    for group, n_outlets in (("few", 3), ("many", stats.MIN_CLUSTERS)):
        for outlet in range(n_outlets):
            for article in range(5):
                rows.append((group, f"{group}{outlet}", f"{group}{outlet}-{article}", rng.normal()))
    data = pd.DataFrame(rows, columns=["bias", "outlet", "article_id", "tone"])
    out = stats.summarize_clustered(data, by="bias", value="tone").set_index("bias")
    assert np.isnan(out.loc["few", "ci_low"]) and out.loc["few", "n_units"] == 3
    assert out.loc["many", "ci_low"] < out.loc["many", "estimate"] < out.loc["many", "ci_high"]
    assert out.loc["many", "estimate"] == pytest.approx(
        data.loc[data.bias == "many", "tone"].mean()
    )


def test_difference_ci_is_a_symmetric_bootstrap_t_near_welch_on_normal_data():
    rng = np.random.default_rng(1)
    a, b = rng.normal(1.0, 1.0, size=400), rng.normal(0.0, 2.0, size=300)
    difference, low, high = stats.difference_ci(a, b, n_resamples=1999, seed=2)
    welch = scipy_stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert difference == pytest.approx(a.mean() - b.mean())
    assert (low, high) == pytest.approx((welch.low, welch.high), abs=0.03)
    assert stats.difference_ci(a, b, n_resamples=1999, seed=2) == (difference, low, high)
    assert stats.difference_ci(a, b, n_resamples=1999, seed=3) != (difference, low, high)
    # symmetric (Hall 1988): |t*| sets both ends, wider than Welch's on skewed sides
    x, y = rng.lognormal(0, 1, size=150), rng.lognormal(0, 1, size=150) * 0.5
    difference, low, high = stats.difference_ci(x, y, n_resamples=1999)
    assert high - difference == pytest.approx(difference - low)
    welch = scipy_stats.ttest_ind(x, y, equal_var=False).confidence_interval(0.95)
    assert high - low > welch.high - welch.low
    assert np.isnan(stats.difference_ci(a, b[: stats.MIN_UNITS_DIFFERENCE - 1])[1])


def test_presence_test_equals_fishers_tails_from_scipy():
    rng = np.random.default_rng(0)
    total = rng.integers(4, 3000, size=3000)
    units = rng.integers(2, total - 1)
    using_all = np.minimum(np.maximum(1, (rng.random(3000) ** 3 * total).astype(int)), total - 1)
    low = np.maximum(0, using_all - (total - units))
    high = np.minimum(units, using_all)
    using = low + (rng.random(3000) * (high - low + 1)).astype(int).clip(max=high - low)
    p = stats.presence_test(using, units, using_all - using, total - units)
    tails = np.minimum(
        scipy_stats.hypergeom.cdf(using, total, using_all, units),
        scipy_stats.hypergeom.sf(using - 1, total, using_all, units),
    )
    expected = np.minimum(1.0, 2 * tails)
    small = (expected < 0.4) & (expected > 1e-290)
    assert small.sum() > 1000
    np.testing.assert_allclose(p[small], expected[small], rtol=1e-8)
    # far from significance the doubled tail is the one away from the mean: still large
    assert (p[expected >= 0.4] >= 0.2).all()
    # never below scipy's two-sided Fisher p (minimum likelihood)
    for at in np.flatnonzero(small)[:50]:
        other = using_all[at] - using[at]
        table = [[using[at], units[at] - using[at]], [other, total[at] - units[at] - other]]
        assert p[at] >= scipy_stats.fisher_exact(table).pvalue * (1 - 1e-9)
    # fewer than two units on a side: no test
    assert np.isnan(stats.presence_test([1], [1], [3], [10]))[0]
    assert stats.presence_test([5], [5], [10], [10])[0] == 1.0  # every unit uses it


@pytest.mark.parametrize(
    "p, method, expected",
    [
        ([0.01, 0.04, 0.03, np.nan], "holm", [0.03, 0.06, 0.06, np.nan]),
        ([0.01, 0.02, 0.03, 0.5], "holm", [0.04, 0.06, 0.06, 0.5]),
        ([0.01, 0.04, 0.03, np.nan], "bh", [0.03, 0.04, 0.04, np.nan]),
    ],
)
def test_adjust_p_over_one_family(p, method, expected):
    np.testing.assert_allclose(stats.adjust_p(p, method=method), expected)


def test_compare_outlets_with_too_few_articles_reports_missing_with_a_warning():
    def compare(data):
        return stats.compare_outlets(data, "Solo Times", "Daily B", value="v", n_resamples=99)

    # one article in one outlet: the difference is defined, the interval and p are not
    data = pd.DataFrame({"outlet": ["Solo Times"] + ["Daily B"] * 5, "v": [1.0, 0, 1, 0, 1, 0]})
    with pytest.warns(stats.UndefinedIntervalWarning, match="Solo Times") as caught:
        row = compare(data)
    assert len(caught) == 1 and "Daily B has" not in str(caught[0].message)
    assert "interval and p-value reported as missing" in str(caught[0].message)
    assert row["difference"] == pytest.approx(1.0 - 0.4)
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"]) and np.isnan(row["p"])
    assert (row["n_first"], row["n_second"]) == (1, 5)

    # no article (or only missing values): everything is missing
    data = pd.DataFrame({"outlet": ["Solo Times", "Daily B", "Daily B"], "v": [np.nan, 1.0, 0]})
    with pytest.warns(stats.UndefinedIntervalWarning, match="Solo Times has 0") as caught:
        row = compare(data)
    assert len(caught) == 1
    assert "difference, interval and p-value reported as missing" in str(caught[0].message)
    assert row[["difference", "ci_low", "ci_high", "p"]].isna().all()
    assert (row["n_first"], row["n_second"]) == (0, 2)

    # both outlets short: one warning naming both
    data = pd.DataFrame({"outlet": ["Solo Times", "Daily B"], "v": [1.0, 0.0]})
    with pytest.warns(stats.UndefinedIntervalWarning, match="Solo Times has 1, Daily B has 1"):
        row = compare(data)
    assert row["difference"] == 1.0 and np.isnan(row["p"])


def test_compare_outlets_with_enough_articles_is_unchanged_and_silent():
    import warnings

    rng = np.random.default_rng(2)
    a, b = rng.normal(1.0, 1.0, 120), rng.normal(0.0, 1.0, 120)
    data = pd.DataFrame({"outlet": ["A"] * 120 + ["B"] * 120, "v": np.concatenate([a, b])})
    with warnings.catch_warnings():
        warnings.simplefilter("error", stats.UndefinedIntervalWarning)
        row = stats.compare_outlets(data, "A", "B", value="v", n_resamples=999, seed=2)
    assert row["difference"] == pytest.approx(a.mean() - b.mean())
    assert row["ci_low"] < row["difference"] < row["ci_high"]
    assert 0 < row["p"] < 0.05
    assert (row["n_first"], row["n_second"]) == (120, 120)
