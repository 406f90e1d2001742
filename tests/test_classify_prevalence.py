"""analysis.classify.quantify: frame shares corrected for the classifier's errors.

The simulation test runs one cell of ``benchmarks/prevalence.py`` (tpr 0.75, fpr 0.15;
one unit per article; 100 coded articles with the frame in 30%, 200 articles per outlet
with it in 5%, 20% and 50%) with 150 replications and 499 resamples. Measured (seed 0):
``acc`` bias -0.006 to +0.010 (the rare outlet's +0.010 is the clipping at 0) and coverage
0.927-0.953, ``pacc`` bias -0.005 to +0.010 and coverage 0.933-0.947; ``cc`` bias +0.130
at the rare outlet, +0.067 at the 20% one and -0.052 at the 50% one (``fpr + (tpr - fpr)
p - p``), coverage 0.000, 0.447 and 0.687. The bounds below leave room for a change of
stream, not for a change of behaviour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import confusion_matrix
from threadpoolctl import threadpool_limits

from analysis.classify.quantify import (
    ESTIMATORS,
    MIN_ARTICLES,
    MIN_CODED_ARTICLES,
    MIN_SEPARATION,
    PREVALENCE_COLUMNS,
    corrected,
    error_rates,
    prevalence,
)
from analysis.stats import cell_rng
from benchmarks.prevalence import CLASSIFIERS, OUTLETS, dataset


def random_crossval(rng, n_articles=40, per=3, categories=("a", "b")):
    """Cross-validated predictions of ``n_articles`` x ``per`` units in ``categories``."""
    rows = []
    for category in categories:
        for article in range(n_articles):
            for _ in range(per):
                truth = int(rng.random() < 0.4)
                probability = float(np.clip(rng.normal(0.35 + 0.3 * truth, 0.2), 0, 1))
                rows.append(
                    {
                        "article_id": f"art{article}",
                        "category": category,
                        "truth": truth,
                        "probability": probability,
                        "predicted": int(probability >= 0.5),
                    }
                )
    return pd.DataFrame(rows)


def test_error_rates_equal_the_confusion_matrix():
    crossval = random_crossval(np.random.default_rng(1))
    rates = error_rates(crossval).set_index("category")
    for category, part in crossval.groupby("category"):
        tn, fp, fn, tp = confusion_matrix(part["truth"], part["predicted"], labels=[0, 1]).ravel()
        row = rates.loc[category]
        assert row["tpr"] == pytest.approx(tp / (tp + fn), abs=1e-12)
        assert row["fpr"] == pytest.approx(fp / (fp + tn), abs=1e-12)
        positive = part["truth"] == 1
        assert row["tpr_soft"] == pytest.approx(part.loc[positive, "probability"].mean())
        assert row["fpr_soft"] == pytest.approx(part.loc[~positive, "probability"].mean())
        assert (row["n_positive"], row["n_negative"]) == (tp + fn, fp + tn)


def test_weighted_error_rates_equal_rates_on_repeated_units():
    rng = np.random.default_rng(2)
    crossval = random_crossval(rng)
    article, names = pd.factorize(crossval["article_id"])
    weights = rng.integers(0, 4, size=(5, len(names))).astype(float)
    weighted = error_rates(crossval, weights).set_index("category")
    for r, w in enumerate(weights):
        repeated = crossval.loc[crossval.index.repeat(w[article].astype(int))]
        plain = error_rates(repeated.reset_index(drop=True)).set_index("category")
        for category in plain.index:
            for rate in ("tpr", "fpr", "tpr_soft", "fpr_soft"):
                assert weighted.loc[category, rate][r] == pytest.approx(
                    plain.loc[category, rate], abs=1e-12
                )


@pytest.mark.parametrize("tpr, fpr", [(0.75, 0.15), (0.6, 0.25), (0.9, 0.02), (0.3, 0.1)])
def test_corrected_inverts_the_expected_share_predicted(tpr, fpr):
    p = np.linspace(0, 1, 21)
    np.testing.assert_allclose(corrected(fpr + (tpr - fpr) * p, fpr, tpr), p, atol=1e-12)
    for value, share in zip(fpr + (tpr - fpr) * p, p):
        assert float(corrected(value, fpr, tpr)) == pytest.approx(share, abs=1e-12)


def test_corrected_clips_and_is_missing_without_separation():
    assert float(corrected(0.05, 0.15, 0.75)) == 0.0
    assert float(corrected(0.0, 0.15, 0.75)) == 0.0
    assert float(corrected(0.9, 0.15, 0.75)) == 1.0
    assert float(corrected(1.0, 0.15, 0.75)) == 1.0
    assert np.isnan(corrected(0.3, 0.4, 0.4))
    assert np.isnan(corrected(0.3, 0.5, 0.4))  # tpr below fpr: no correction either
    # resampled rates: an array, NaN exactly where they do not separate
    out = corrected(np.array([0.3, 0.3, 0.3]), np.array([0.1, 0.2, 0.3]), np.array([0.5, 0.2, 0.1]))
    np.testing.assert_allclose(out, [0.5, np.nan, np.nan])


def simulated_cell(reps=150, n_coded=100, n_outlet=200, resamples=499, seed=0):
    """One cell of the benchmark: every replication's rows, with the truth."""
    found = []
    with threadpool_limits(1, user_api="blas"):  # small products: threads only slow them
        for rep in range(reps):
            rng = cell_rng(seed, "test prevalence", rep)
            sums, crossval = dataset(
                rng,
                n_coded=n_coded,
                n_outlet=n_outlet,
                per=1,
                classifier=CLASSIFIERS["tpr .75 fpr .15"],
            )
            found.append(prevalence(sums, crossval, n_resamples=resamples, seed=rep))
    found = pd.concat(found, ignore_index=True)
    found["truth"] = found["outlet"].map(OUTLETS)
    found["error"] = found["estimate"] - found["truth"]
    found["covered"] = (found["ci_low"] <= found["truth"]) & (found["truth"] <= found["ci_high"])
    return found


def test_corrected_estimates_are_unbiased_and_cover_where_counting_does_not():
    found = simulated_cell()
    assert found[["estimate", "ci_low", "ci_high"]].notna().all().all()
    cell = found.groupby(["estimator", "outlet"]).agg(
        bias=("error", "mean"), coverage=("covered", "mean")
    )
    rare, minor = "rare (0.05)", "minor (0.2)"
    for name in ("acc", "pacc"):
        assert cell.loc[name, "bias"].abs().max() < 0.02, cell.loc[name]
        assert cell.loc[name, "coverage"].min() >= 0.9, cell.loc[name]
    # counting: biased by fpr (1 - p) - (1 - tpr) p (+0.13 at p = 0.05, +0.07 at 0.2)
    assert cell.loc[("cc", rare), "bias"] > 0.1
    assert cell.loc[("cc", minor), "bias"] > 0.05
    assert cell.loc[("cc", rare), "coverage"] < 0.05
    assert cell.loc[("cc", minor), "coverage"] < 0.5


def small_data(n_outlet=40, n_coded=MIN_CODED_ARTICLES, tpr=0.75, fpr=0.15, seed=3):
    rng = np.random.default_rng(seed)
    return dataset(rng, n_coded=n_coded, n_outlet=n_outlet, per=1, classifier=(tpr, fpr))


def rows_of(table, outlet):
    return table[table["outlet"] == outlet].set_index("estimator")


def test_too_few_outlet_articles_give_no_interval():
    sums, crossval = small_data()
    few = sums[sums["outlet"] == "rare (0.05)"].head(MIN_ARTICLES - 1)
    enough = sums[sums["outlet"] == "even (0.5)"].head(MIN_ARTICLES)
    table = prevalence(pd.concat([few, enough]), crossval, n_resamples=199)
    assert list(table.columns) == PREVALENCE_COLUMNS
    assert len(table) == 2 * len(ESTIMATORS)
    below = rows_of(table, "rare (0.05)")
    assert below[["ci_low", "ci_high"]].isna().all().all()
    assert below["estimate"].notna().all()
    assert below["note"].str.contains(f"fewer than {MIN_ARTICLES} articles").all()
    assert (below["n_articles"] == MIN_ARTICLES - 1).all()
    at = rows_of(table, "even (0.5)")
    assert at[["ci_low", "ci_high"]].notna().all().all()
    assert (at["note"] == "").all()


def test_too_few_coded_articles_give_no_corrected_interval():
    sums, crossval = small_data(n_coded=MIN_CODED_ARTICLES - 1)
    table = rows_of(prevalence(sums, crossval, n_resamples=199), "even (0.5)")
    for name in ("acc", "pacc"):
        assert np.isnan(table.loc[name, "ci_low"]) and np.isnan(table.loc[name, "ci_high"])
        assert np.isfinite(table.loc[name, "estimate"])
        assert f"fewer than {MIN_CODED_ARTICLES} coded articles" in table.loc[name, "note"]
    for name in ("cc", "pcc"):
        assert np.isfinite(table.loc[name, "ci_low"])


def test_poor_separation_gives_no_corrected_estimate():
    # tpr - fpr = 0.1 (and the soft rates closer still): below MIN_SEPARATION
    sums, crossval = small_data(n_coded=400, tpr=0.55, fpr=0.45)
    rates = error_rates(crossval).iloc[0]
    assert rates["tpr"] - rates["fpr"] < MIN_SEPARATION
    assert rates["tpr_soft"] - rates["fpr_soft"] < MIN_SEPARATION
    table = prevalence(sums, crossval, n_resamples=199)
    for outlet in OUTLETS:
        rows = rows_of(table, outlet)
        for name in ("acc", "pacc"):
            assert np.isnan(rows.loc[name, ["estimate", "ci_low", "ci_high"]].astype(float)).all()
            assert "hardly separates" in rows.loc[name, "note"]
        for name in ("cc", "pcc"):
            assert np.isfinite(
                rows.loc[name, ["estimate", "ci_low", "ci_high"]].astype(float)
            ).all()


def test_same_input_same_output_other_seed_other_intervals():
    sums, crossval = small_data(n_outlet=60, n_coded=80)
    first = prevalence(sums, crossval, n_resamples=199, seed=5)
    again = prevalence(sums.copy(), crossval.copy(), n_resamples=199, seed=5)
    pd.testing.assert_frame_equal(first, again)
    other = prevalence(sums, crossval, n_resamples=199, seed=6)
    pd.testing.assert_series_equal(first["estimate"], other["estimate"])
    assert not np.allclose(first["ci_low"], other["ci_low"])
    # an outlet's rows do not depend on the other outlets in the run
    alone = prevalence(sums[sums["outlet"] == "rare (0.05)"], crossval, n_resamples=199, seed=5)
    pd.testing.assert_frame_equal(
        alone.reset_index(drop=True),
        first[first["outlet"] == "rare (0.05)"].reset_index(drop=True),
    )
