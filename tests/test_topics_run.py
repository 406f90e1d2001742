"""A run with a topic model (--topics, --apply-topics): the model file, the tables, the
figures, report and methods, the same numbers when the saved model is applied again, and
the refusals."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import pipeline, topics
from analysis.__main__ import main
from analysis.measures import TopicSettings
from analysis.settings import Resampling

FIGURES = ["topic_outlets", "topic_k", "topic_network", "topic_communities"]
SETTINGS = TopicSettings(k=0, k_min=2, k_max=4, k_step=1, level="paragraph")


def topic_run(out, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # four articles: intervals are missing
        return pipeline.run(
            out=out / "tables",
            figures_dir=out / "figures",
            figure_names=FIGURES,
            resampling=Resampling(n_resamples=199),
            **options,
        )


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    out = tmp_path_factory.mktemp("topics")
    return out, topic_run(out, topics=SETTINGS)


def table(out, name):
    return pd.read_parquet(out / "tables" / f"{name}.parquet")


def test_the_model_is_saved_and_recorded(fitted):
    out, result = fitted
    path = out / "tables" / "models" / f"topics{topics.SUFFIX}"
    assert path.is_file() and str(path) in {str(p) for p in result.files}
    found = result.manifest["parameters"]["topics"]
    model = topics.load_model(path)
    assert found["model"] == str(path) and found["fitted_in_run"]
    assert (found["kind"], found["level"], found["k"]) == ("nmf", "paragraph", model.k)
    assert found["k_chosen"] and found["k_tried"] == [2, 3, 4]
    assert found["n_documents"] == found["n_documents_fitted"] == 51  # the seed's paragraphs
    chosen = table(out, "topic_k")
    chosen = chosen[chosen["chosen"]]
    assert len(chosen) == 1 and int(chosen["k"].iloc[0]) == model.k
    assert found["stability"] == pytest.approx(float(chosen["stability"].iloc[0]))


def test_every_article_has_proportions_summing_to_one(fitted):
    out, _ = fitted
    proportions = table(out, "article_topics")
    articles = table(out, "articles")
    assert set(proportions["article_id"]) == set(articles["article_id"])
    sums = proportions.groupby("article_id")["proportion"].sum()
    assert np.allclose(sums, 1.0)
    k = proportions["topic"].nunique()
    assert len(proportions) == len(articles) * k


def test_the_outlet_shares_are_the_means_of_their_articles(fitted):
    out, _ = fitted
    proportions = table(out, "article_topics")
    shares = table(out, "outlet_topics")
    means = proportions.groupby(["outlet", "topic"])["proportion"].mean()
    found = shares.set_index(["outlet", "topic"])["estimate"]
    assert np.allclose(found.sort_index(), means.sort_index())
    assert shares["ci_low"].isna().all()  # one article per outlet: no interval
    assert shares["p"].isna().all()  # and no test


def test_the_figures_methods_and_report_describe_the_topics(fitted):
    out, result = fitted
    for name in FIGURES:
        assert (out / "figures" / f"{name}.png").is_file(), name
    k = result.manifest["parameters"]["topics"]["k"]
    methods = (out / "figures" / "methods.md").read_text(encoding="utf-8")
    assert "## Topics" in methods
    assert f"The number of topics, {k}, was chosen among k = 2, 3, 4 on 51 paragraphs" in methods
    assert "No outlet had the 50 articles" in methods
    assert "Walter & Ophir" in methods and "Bischof, J. M." in methods
    report = (out / "figures" / "report.html").read_text(encoding="utf-8")
    assert 'id="topics"' in report and "topic_examples.csv" in report


def test_the_saved_model_applied_again_gives_the_same_tables(fitted, tmp_path):
    out, _ = fitted
    path = out / "tables" / "models" / f"topics{topics.SUFFIX}"
    again = topic_run(tmp_path, topics=TopicSettings(apply=path))  # paragraphs: the model's
    found = again.manifest["parameters"]["topics"]
    assert not found["fitted_in_run"] and found["model"] == str(path)
    assert not (tmp_path / "tables" / "models").exists()
    for name in ("article_topics", "outlet_topics", "topic_terms", "topic_network"):
        pd.testing.assert_frame_equal(table(out, name), table(tmp_path, name), obj=name)
    methods = (tmp_path / "figures" / "methods.md").read_text(encoding="utf-8")
    assert "A topic model saved by an earlier run" in methods


def test_the_command_line_fits_a_given_number_of_topics(tmp_path):
    argv = ["run", "--topics", "3", "--topic-level", "paragraph", "--out", str(tmp_path / "o")]
    assert main([*argv, "-q", "--n-resamples", "99", "--format", "png"]) == 0
    terms = pd.read_parquet(tmp_path / "o" / "topic_terms.parquet")
    assert sorted(terms["topic"].unique()) == [1, 2, 3]
    assert not (tmp_path / "o" / "topic_k.parquet").exists()  # k was given
    labels = terms.drop_duplicates("topic")["label"]
    assert labels.str.match(r"^\d+: \S").all()


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--topics", "0"], "4 articles are too few for a topic model whose k is chosen"),
        (["--topics", "5"], "4 articles are too few for a topic model of 5 topics"),
        (["--apply-topics", "missing.topics"], "no such file"),
    ],
)
def test_what_cannot_be_fitted_is_refused_before_any_work(extra, message, tmp_path, capsys):
    assert main(["run", "--out", str(tmp_path / "o"), "-q", *extra]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_file_that_is_not_a_topic_model_is_refused(tmp_path, capsys):
    (tmp_path / "m.topics").write_bytes(b"not a model")
    argv = ["run", "--apply-topics", str(tmp_path / "m.topics"), "--out", str(tmp_path / "o")]
    assert main([*argv, "-q"]) == 2
    assert "not a topic model" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_run_cannot_overwrite_the_topic_model_it_applies(fitted, tmp_path, capsys):
    out, _ = fitted
    path = out / "tables" / "models" / f"topics{topics.SUFFIX}"
    before = path.read_bytes()
    argv = ["run", "--apply-topics", str(path), "--out", str(out / "tables"), "-q"]
    assert main(argv) == 2
    assert "topic model" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_k_chosen_at_the_largest_tried_is_warned_about(monkeypatch, tmp_path):
    from analysis.topics import choose

    monkeypatch.setattr(choose, "chosen_k", lambda summary: int(summary["k"].max()))
    topic_run(
        tmp_path,
        topics=TopicSettings(k=0, k_min=2, k_max=3, k_step=1, level="paragraph", seeds=2),
    )
    listed = table(tmp_path, "warnings")["message"]
    assert listed.str.contains("k = 3 was chosen, the largest tried").any()


def test_a_range_of_k_that_is_empty_is_refused_before_any_work(tmp_path):
    with pytest.raises(topics.TopicModelError, match=r"k_min \(5\) is above k_max \(3\)"):
        topic_run(tmp_path, topics=TopicSettings(k=0, k_min=5, k_max=3, level="paragraph"))
    assert not (tmp_path / "tables").exists()


def test_a_topic_model_and_a_number_of_topics_together_are_refused(fitted, tmp_path, capsys):
    out, _ = fitted
    path = out / "tables" / "models" / f"topics{topics.SUFFIX}"
    argv = ["run", "--apply-topics", str(path), "--topics", "3", "--out", str(tmp_path / "o")]
    assert main([*argv, "-q"]) == 2
    assert "give one" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_choice_of_k_that_was_no_choice_is_said_so(tmp_path):
    # 51 paragraphs: of 5..40, only k = 5 has 10 documents per topic, and it is not stable
    result = topic_run(tmp_path, topics=TopicSettings(k=0, level="paragraph"))
    found = result.manifest["parameters"]["topics"]
    assert found["k_tried"] == [5] and found["k"] == 5 and found["k_stable"] == 0
    listed = table(tmp_path, "warnings")["message"]
    assert listed.str.contains("only k = 5 could be tried").any()
    assert listed.str.contains("no k reached stability 0.6").any()
    methods = (tmp_path / "figures" / "methods.md").read_text(encoding="utf-8")
    assert "Only k = 5 could be tried" in methods
    report = (tmp_path / "figures" / "report.html").read_text(encoding="utf-8")
    assert "the number was not a real choice: only one k could be tried" in report


def test_topic_options_without_a_topic_model_are_said_to_do_nothing(tmp_path, caplog):
    with caplog.at_level("WARNING", logger="analysis.pipeline"):
        result = pipeline.run(
            out=tmp_path / "t",
            figure_names=[],
            resampling=Resampling(n_resamples=99),
            topics=TopicSettings(model="lda", level="paragraph"),
        )
    assert "--topic-model and --topic-level: no topic model is fitted" in caplog.text
    assert "topics" not in result.manifest["parameters"]
