"""A run that learns frames from coders' codes (--learn) or applies a saved classifier
(--apply-model): the model file, the tables, the figures, report and methods, the same
numbers on any number of workers, and the refusals."""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import classify, paths, pipeline
from analysis.__main__ import main
from analysis.classify.quantify import corrected
from analysis.corpus import load_corpus
from analysis.settings import Resampling

SEED_CODES = paths.PACKAGE / "codebooks" / "seed_coding"
FIGURES = ["learned_prevalence", "learning_curve"]


def learned_run(out, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # four articles: intervals are missing
        return pipeline.run(
            out=out / "tables",
            figures_dir=out / "figures",
            figure_names=FIGURES,
            resampling=Resampling(n_resamples=199),
            codes=SEED_CODES,
            learn="frames",
            **options,
        )


@pytest.fixture(scope="module")
def learned(tmp_path_factory):
    out = tmp_path_factory.mktemp("learned")
    result = learned_run(out, jobs=1)
    return out, result


def table(out, name):
    return pd.read_parquet(out / "tables" / f"{name}.parquet")


def test_the_model_is_saved_and_recorded(learned):
    out, result = learned
    path = out / "tables" / "models" / "frames.model"
    assert path.is_file() and str(path) in {str(p) for p in result.files}
    found = result.manifest["parameters"]["learned"]
    assert found["model"] == str(path)
    assert (found["unit"], found["n_units"], found["n_articles"]) == ("paragraph", 51, 4)
    assert set(found["macro_f1"]) == {"classifier", "dictionary", "difference"}
    assert str(result.manifest["parameters"]["settings"]["learned"]["model"]) == str(path)
    model = classify.load_model(path)
    assert model.categories == found["categories"] and len(model.categories) == 7


def test_every_paragraph_is_predicted_and_coded_ones_keep_their_cross_validated_value(learned):
    out, _ = learned
    predictions = table(out, "frame_predictions")
    sentences = table(out, "sentences")
    paragraphs = sentences.groupby(["article_id", "paragraph_id"]).ngroups
    assert len(predictions) == paragraphs * 7
    model = classify.load_model(out / "tables" / "models" / "frames.model")
    crossval = model.crossval.set_index(["unit_id", "category"])["probability"]
    coded = predictions[predictions["coded"]].set_index(["unit_id", "category"])
    assert coded.index.get_level_values("unit_id").nunique() == 51
    shared = coded.index.intersection(crossval.index)
    assert len(shared) == len(crossval)
    assert np.allclose(coded.loc[shared, "probability"], crossval.loc[shared])
    assert (predictions["predicted"] == (predictions["probability"] >= 0.5)).all()


def test_prevalence_counts_the_predictions_and_corrects_them_with_the_error_rates(learned):
    out, _ = learned
    predictions = table(out, "frame_predictions")
    prevalence = table(out, "frame_prevalence").set_index(["outlet", "category", "estimator"])
    counted = predictions.groupby(["outlet", "category"])["predicted"].mean()
    model = classify.load_model(out / "tables" / "models" / "frames.model")
    rates = classify.error_rates(model.crossval).set_index("category")
    for (outlet, category), share in counted.items():
        assert prevalence.loc[(outlet, category, "cc"), "estimate"] == pytest.approx(share)
        rate = rates.loc[category]
        acc = prevalence.loc[(outlet, category, "acc")]
        if rate["tpr"] - rate["fpr"] >= 0.2:
            assert acc["estimate"] == pytest.approx(
                float(corrected(share, rate["fpr"], rate["tpr"]))
            )
        else:
            assert np.isnan(acc["estimate"]) and "hardly separates" in acc["note"]
    estimators = set(prevalence.index.get_level_values("estimator"))
    assert estimators == {"cc", "pcc", "acc", "pacc", "dictionary"}
    assert prevalence["ci_low"].isna().all()  # one article per outlet, four coded


def test_missing_intervals_and_withheld_shares_are_warned_and_listed(learned):
    out, _ = learned
    warned = pd.read_csv(out / "tables" / "warnings.csv")
    learned_rows = warned[warned["message"].str.startswith("learned frames")]
    assert learned_rows["message"].str.contains("no interval for").any()
    withheld = table(out, "frame_prevalence")
    withheld = withheld[(withheld["estimator"] == "acc") & withheld["estimate"].isna()]
    if len(withheld):
        assert learned_rows["message"].str.contains("no corrected share of").any()


def test_the_figures_report_and_methods_show_the_classifier(learned):
    out, _ = learned
    for name in FIGURES:
        assert (out / "figures" / f"{name}.png").is_file()
    page = (out / "figures" / "report.html").read_text(encoding="utf-8")
    assert '<section id="learned">' in page and 'href="#learned"' in page
    methods = (out / "figures" / "methods.md").read_text(encoding="utf-8")
    section = methods[methods.index("## Frames learned from coders") :]
    assert "on 51 paragraphs of 4 articles" in section
    assert "Hopkins, D. J., & King, G. (2010)" in methods


def test_workers_and_partitions_do_not_change_the_numbers(learned, tmp_path):
    out, _ = learned
    learned_run(tmp_path, jobs=2, partition_size=1)
    for name in ("frame_predictions", "frame_prevalence", "classifier_eval", "classifier_examples"):
        pd.testing.assert_frame_equal(table(tmp_path, name), table(out, name))


def test_a_saved_model_applies_to_another_corpus(learned, tmp_path, capsys):
    out, _ = learned
    model_file = tmp_path / "frames.model"
    shutil.copy(out / "tables" / "models" / "frames.model", model_file)
    seed = load_corpus(paths.RAW).articles
    other = seed.assign(article_id="copy-" + seed["article_id"].astype(str))
    corpus = tmp_path / "other.csv"
    other[["article_id", "outlet", "title", "text"]].to_csv(corpus, index=False)
    argv = ["run", str(corpus), "--apply-model", str(model_file), "--out", str(tmp_path / "o")]
    assert main([*argv, "-q", "--n-resamples", "99", "--format", "png"]) == 0
    predictions = pd.read_parquet(tmp_path / "o" / "frame_predictions.parquet")
    assert not predictions["coded"].any()  # none of the coded paragraphs: all scored anew
    sentences = pd.read_parquet(tmp_path / "o" / "sentences.parquet")
    articles = pd.read_parquet(tmp_path / "o" / "articles.parquet")
    from analysis.coding import coding_units

    units = coding_units({"articles": articles, "sentences": sentences}, "paragraph")
    model = classify.load_model(model_file)
    methods = (tmp_path / "o" / "figures" / "methods.md").read_text(encoding="utf-8")
    assert "A classifier saved by an earlier run" in methods
    assert "not this run's `policy_frames`" in methods  # the model's own dictionary
    expected = model.predict_proba(units["text"])
    got = predictions.pivot(index="unit_id", columns="category", values="probability")
    assert np.allclose(got.loc[units["unit_id"], model.categories].to_numpy(), expected)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--learn", "frames"], "--learn frames: a classifier learns from people's codes"),
        (["--codes", str(SEED_CODES), "--learn", "tone"], "learn one categorical variable"),
        (
            ["--codes", str(SEED_CODES), "--learn", "frames", "--apply-model", "m.model"],
            "give one",
        ),
    ],
)
def test_what_cannot_be_learned_is_refused_before_any_work(extra, message, tmp_path, capsys):
    (tmp_path / "m.model").write_bytes(b"x")
    extra = [str(tmp_path / e) if e == "m.model" else e for e in extra]
    assert main(["run", "--out", str(tmp_path / "o"), "-q", *extra]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_file_that_is_not_a_model_is_refused(tmp_path, capsys):
    (tmp_path / "m.model").write_bytes(b"not a model")
    argv = ["run", "--apply-model", str(tmp_path / "m.model"), "--out", str(tmp_path / "o")]
    assert main([*argv, "-q"]) == 2
    assert "m.model: not a frame classifier" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_run_cannot_overwrite_the_model_it_applies(learned, tmp_path, capsys):
    out, _ = learned
    run_dir = tmp_path / "run"
    shutil.copytree(out / "tables", run_dir)
    model_file = run_dir / "models" / "frames.model"
    assert main(["run", "--apply-model", str(model_file), "--out", str(run_dir), "-q"]) == 2
    assert "frame classifier" in capsys.readouterr().err
    assert model_file.is_file()
