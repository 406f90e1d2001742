"""benchmarks/topics_gvfc.py: the GVFC check of topic models (issue 25, part 6). The topic
that best matches each human frame on the training units recovers it on the held-out fifth
better than chance, less well than the dictionary, and the learned classifier beats both;
the matching never sees the held-out units; the weighted AUC of the intervals is
scikit-learn's.

The GVFC is needed (``FRAMING_GVFC`` or ``../shared/data/gvfc``): without it these tests
fail, as tests/test_classify.py's GVFC test does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from analysis.lexicon import read_dictionary
from benchmarks import topics_gvfc, validate_gvfc

FILE, COLUMNS = validate_gvfc.FILES["extension"]
FRAMES = list(validate_gvfc.FRAMES.values())


def gvfc_units() -> pd.DataFrame:
    path = validate_gvfc.default_data_dir() / FILE
    assert path.is_file(), (
        f"GVFC data not found at {path}: set FRAMING_GVFC to the folder holding {FILE} (CI has it)"
    )
    return validate_gvfc.load_units(path, COLUMNS)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    gvfc_units()  # fail with the message above, not argparse's exit
    out = tmp_path_factory.mktemp("topics_gvfc")
    argv = ["--dataset", "extension", "--k", "10", "--n-resamples", "999", "--out", str(out)]
    table = topics_gvfc.main(argv)
    return table, out


def macro(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["frame"] == "macro"].set_index("predictor")


def test_the_matched_topics_recover_the_frames_on_the_held_out_fifth(run):
    table, _ = run
    topic = macro(table).loc["topic"]
    # measured: 0.735 [0.700, 0.770] (NMF, k = 10, headline + lead)
    assert topic["estimate"] > 0.68
    assert topic["ci_low"] > 0.62
    per_frame = table[(table["predictor"] == "topic") & (table["frame"] != "macro")]
    assert (per_frame["estimate"] > 0.5).all()
    assert (per_frame["train_auc"] > 0.55).all()


def test_the_dictionary_beats_the_topics_and_the_classifier_beats_both(run):
    table, _ = run
    rows = macro(table)
    # measured: topic - dictionary -0.093 [-0.139, -0.048]; classifier - dictionary 0.111
    # [0.082, 0.140]; classifier - topic 0.203 [0.168, 0.241]
    assert rows.loc["topic - dictionary", "ci_high"] < 0
    assert rows.loc["classifier - dictionary", "ci_low"] > 0.04
    assert rows.loc["classifier - topic", "ci_low"] > 0.1
    assert rows.loc["classifier", "estimate"] > rows.loc["dictionary", "estimate"] + 0.05
    differences = rows.loc["topic - dictionary", "estimate"]
    assert differences == pytest.approx(
        rows.loc["topic", "estimate"] - rows.loc["dictionary", "estimate"]
    )


def test_every_frame_is_scored_on_the_held_out_fifth_and_the_table_is_written(run):
    table, out = run
    units = gvfc_units()
    assert set(table["frame"]) == {*FRAMES, "macro"}
    predictors = {*topics_gvfc.PREDICTORS, *topics_gvfc.DIFFERENCES}
    assert table.groupby("frame")["predictor"].apply(set).eq(predictors).all()
    assert table["estimate"].notna().all()  # every frame has 5+ held-out positives
    assert (table["n_units"] == units["held_out"].sum()).all()
    assert (table["n_empty"] >= 0).all()
    assert ((table["ci_low"] <= table["estimate"]) & (table["estimate"] <= table["ci_high"])).all()
    written = pd.read_csv(out / "topics_gvfc.csv", keep_default_na=False, na_values=[""])
    assert list(written.columns) == topics_gvfc.COLUMNS
    assert len(written) == len(table)
    np.testing.assert_allclose(written["estimate"], table["estimate"])
    text = (out / "topics_gvfc.md").read_text(encoding="utf-8")
    assert text.count("\n| macro |") == 1


def test_the_dictionary_scores_are_validate_gvfcs(run):
    table, _ = run
    units = gvfc_units()
    expected = validate_gvfc.validate(
        units[units["held_out"]], read_dictionary(topics_gvfc.DICTIONARY)
    ).set_index("category")["auc"]
    found = table[table["predictor"] == "dictionary"].set_index("frame")["estimate"]
    np.testing.assert_allclose(found[FRAMES], expected[FRAMES])


def test_the_topics_are_fitted_and_matched_on_the_training_units_only(run):
    table, _ = run
    units = gvfc_units()
    held = units["held_out"].to_numpy()
    changed = units.copy()
    rng = np.random.default_rng(0)
    changed.loc[held, FRAMES] = rng.permutation(changed.loc[held, FRAMES].to_numpy())
    # other words and word pairs in the held-out texts: new terms, other counts
    changed.loc[held, "text"] = changed.loc[held, "text"].map(
        lambda t: " ".join(reversed(t.split())) + " entirely novel wording"
    )
    fits = []
    for data in (units, changed):
        counts, terms = topics_gvfc.word_counts(data)
        model, proportions = topics_gvfc.topic_proportions(counts, terms, ~held, 10)
        matched = topics_gvfc.match_topics(proportions[~held], data.loc[~held, FRAMES])
        fits.append((model, matched))
    (model, matched), (other, other_matched) = fits
    np.testing.assert_array_equal(model.terms, other.terms)
    np.testing.assert_allclose(model.weights, other.weights)
    pd.testing.assert_frame_equal(matched, other_matched)
    reported = table[(table["predictor"] == "topic") & (table["frame"] != "macro")]
    assert reported["topic"].tolist() == (matched["topic"] + 1).tolist()
    np.testing.assert_allclose(reported["train_auc"], matched["train_auc"])


def test_the_weighted_auc_is_scikit_learns_on_the_weighted_sample():
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 2, 200)
    score = rng.integers(0, 5, 200).astype(float)  # many ties
    weights = rng.integers(0, 3, (4, 200)).astype(float)
    expected = [roc_auc_score(truth, score, sample_weight=w) for w in weights]
    np.testing.assert_allclose(topics_gvfc.weighted_auc(weights, truth, score), expected)
    assert np.isnan(topics_gvfc.weighted_auc(np.ones((1, 200)), np.zeros(200), score))[0]


def test_a_frame_with_few_held_out_positives_has_no_auc_and_is_left_out_of_macro():
    rng = np.random.default_rng(5)
    n = 120
    truth = pd.DataFrame({"common": (np.arange(n) % 3 == 0).astype(int), "rare": 0})
    truth.loc[:2, "rare"] = 1  # 3 positive units
    score = truth + rng.random((n, 2))
    scores = {"topic": score, "dictionary": truth * 0 + rng.random((n, 2))}
    table = topics_gvfc.held_out_aucs(
        truth, scores, np.arange(n), n_resamples=200, rng=np.random.default_rng(0)
    )
    rare = table[table["frame"] == "rare"]
    assert rare["estimate"].isna().all()
    assert rare["note"].str.contains("fewer than 5").all()
    rows = table.set_index(["frame", "predictor"])
    assert rows.loc[("macro", "topic"), "estimate"] == rows.loc[("common", "topic"), "estimate"]
    assert rows.loc[("common", "topic"), "estimate"] == 1.0
    assert set(table["predictor"]) == {"topic", "dictionary", "topic - dictionary"}
