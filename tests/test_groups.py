"""Tone, frames and voices per group of outlets: pooled estimates, intervals over outlets."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from analysis import engine, groups, measures, pipeline, stats
from analysis.corpus import CorpusError, load_corpus
from analysis.measures import Compare, FrameSettings, Resampling, VoiceSettings
from tests.test_figure_layout import twelve_outlets


def clustered(values_by_outlet: dict[str, list[float]], group: str = "g") -> pd.DataFrame:
    rows = [
        {"article_id": f"{outlet}-{i}", "outlet": outlet, "group": group, "value": v}
        for outlet, values in values_by_outlet.items()
        for i, v in enumerate(values)
    ]
    return pd.DataFrame(rows)


def test_clustered_estimate_is_the_mean_over_the_groups_articles():
    data = clustered({"a": [0.0, 1.0, 2.0], "b": [4.0], "c": [np.nan, 6.0]})
    out = stats.summarize_clustered(data, by="group", value="value", n_resamples=99)
    row = out.iloc[0]
    assert row["estimate"] == pytest.approx(np.mean([0, 1, 2, 4, 6]))
    assert (row["n_units"], row["n_articles"], row["unit"]) == (3, 5, "outlet")


def test_clustered_interval_has_outlets_not_articles_as_units():
    # two outlets that always disagree: 100 articles say little about a third outlet, and
    # two outlets are too few for any interval that covers
    data = clustered({"left": [0.0] * 50, "right": [1.0] * 50})
    by_outlet = stats.summarize_clustered(data, by="group", value="value")
    by_article = stats.summarize(data, value="value", by="group", n_resamples=999, warn=False)
    assert by_outlet["n_units"].iloc[0] == 2 and np.isnan(by_outlet["ci_low"].iloc[0])
    assert (by_article["ci_high"] - by_article["ci_low"]).iloc[0] < 0.25
    # with enough outlets, the interval follows the spread between outlets, not articles
    rng = np.random.default_rng(0)
    means = rng.normal(0.0, 1.0, stats.MIN_CLUSTERS)
    data = clustered({f"o{i}": list(m + rng.normal(0, 0.01, 30)) for i, m in enumerate(means)})
    by_outlet = stats.summarize_clustered(data, by="group", value="value")
    by_article = stats.summarize(data, value="value", by="group", n_resamples=999, warn=False)
    outlet_width = (by_outlet["ci_high"] - by_outlet["ci_low"]).iloc[0]
    article_width = (by_article["ci_high"] - by_article["ci_low"]).iloc[0]
    expected = (
        2 * scipy_stats.t.ppf(0.975, len(means) - 1) * means.std(ddof=1) / np.sqrt(len(means))
    )
    assert outlet_width == pytest.approx(expected, rel=0.1)
    assert outlet_width > 2 * article_width


def test_clustered_interval_is_missing_for_a_group_of_one_outlet():
    data = clustered({"only": [0.1, 0.5, 0.9] * 20})
    out = stats.summarize_clustered(data, by="group", value="value", n_resamples=99)
    assert out["estimate"].iloc[0] == pytest.approx(0.5)
    assert np.isnan(out["ci_low"].iloc[0]) and np.isnan(out["ci_high"].iloc[0])


def test_clustered_ratio_pools_sums():
    data = pd.DataFrame(
        {
            "article_id": ["1", "2", "3", "4"],
            "outlet": ["a", "a", "b", "b"],
            "group": ["g"] * 4,
            "quoted": [10, 0, 30, 0],
            "words": [100, 100, 100, 0],
        }
    )
    out = stats.summarize_clustered(
        data, by="group", numerator="quoted", denominator="words", scale=1000, n_resamples=99
    )
    assert out["estimate"].iloc[0] == pytest.approx(1000 * 40 / 300)
    assert out["n_articles"].iloc[0] == 3  # the 0 / 0 article adds nothing


def test_clustered_needs_a_value_or_a_ratio():
    with pytest.raises(ValueError, match="value="):
        stats.summarize_clustered(clustered({"a": [1.0]}), by="group")


def test_choose_groups_names_the_missing_column_and_group():
    articles = pd.DataFrame({"article_id": ["1", "2"], "bias": ["left", None]})
    labels, chosen = groups.choose_groups(articles, "bias")
    assert list(labels.index) == ["1"] and chosen == ["left"]
    with pytest.raises(CorpusError, match="no column 'country'"):
        groups.choose_groups(articles, "country")
    with pytest.raises(CorpusError, match="no group named right"):
        groups.choose_groups(articles, "bias", groups=["left", "right"])


@pytest.fixture(scope="module")
def region_tables():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = pipeline.prepare(load_corpus(twelve_outlets()))
        return measures.measure(
            tables,
            "tone",
            "frames",
            "voices",
            "groups",
            compare=Compare(group_by="region"),
            resampling=Resampling(n_resamples=99),
            frames=FrameSettings(dictionary="policy_frames"),
            voices=VoiceSettings(speakers=measures.GENERIC_SPEAKERS),
        )


def test_group_measures_cover_tone_frames_and_voices_per_group(region_tables):
    found = region_tables["group_measures"]
    assert list(found.columns) == groups.GROUP_COLUMNS
    assert list(dict.fromkeys(found["family"])) == ["tone", "frames", "voices"]
    assert set(found["group"]) == {"north", "south", "west"}
    assert (found.groupby(["family", "measure"]).size() == 3).all()
    assert set(found["n_units"]) <= {0, 4}  # four outlets per region
    assert (found["unit"] == "outlet").all()


def test_group_tone_is_the_mean_of_the_groups_articles(region_tables):
    found = region_tables["group_measures"]
    tone = region_tables["article_tone"].merge(
        region_tables["articles"][["article_id", "region"]], on="article_id"
    )
    expected = tone.groupby("region")["compound_mean"].mean()
    got = found[found["measure"] == "compound_mean"].set_index("group")["estimate"]
    pd.testing.assert_series_equal(
        got.sort_index(), expected.sort_index(), check_names=False, check_index_type=False
    )
    frames = found[found["family"] == "frames"]
    assert list(dict.fromkeys(frames["measure"])) == list(
        dict.fromkeys(region_tables["frame_scores"]["category"])
    )


def test_no_group_table_when_the_groups_are_the_outlets(region_tables):
    tables = {k: v for k, v in region_tables.items() if k != "group_measures"}
    assert "group_measures" not in measures.measure(tables, "groups", compare=Compare())


def test_the_main_job_writes_group_measures_and_its_figure(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pipeline.run(
            twelve_outlets(),
            out=tmp_path / "tables",
            figures_dir=tmp_path / "figures",
            compare=Compare(group_by="region"),
            resampling=Resampling(n_resamples=99),
            frames=FrameSettings(dictionary="policy_frames"),
            figure_names=["group_measures"],
            jobs=1,
        )
    written = pd.read_csv(tmp_path / "tables" / "group_measures.csv")
    assert set(written["group"]) == {"north", "south", "west"}
    assert (tmp_path / "figures" / "group_measures.pdf").exists()
    caption = (tmp_path / "figures" / "captions.md").read_text()
    assert "by group (region)" in caption and "intervals over outlets" in caption
    methods = (tmp_path / "figures" / "methods.md").read_text()
    assert "## Groups" in methods and "per value of `region` (north, south, and west)" in methods
    assert "takes the outlets as the units" in methods and "99 resamples" in methods
    assert f"from {stats.MIN_CLUSTERS} outlets" in methods
    assert "group_measures" in result.tables


def test_engine_and_whole_table_steps_agree_on_group_measures(region_tables, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        done = engine.run(
            twelve_outlets(),
            tmp_path,
            features=engine.FeatureSettings(
                settings=measures.Settings(
                    compare=Compare(group_by="region"),
                    resampling=Resampling(n_resamples=99),
                    frames=FrameSettings(dictionary="policy_frames"),
                    voices=VoiceSettings(speakers=measures.GENERIC_SPEAKERS),
                )
            ),
            jobs=1,
            partition_size=7,
        )
    pd.testing.assert_frame_equal(
        done.tables["group_measures"], region_tables["group_measures"], check_dtype=False
    )


def test_choose_groups_says_which_groups_it_leaves_out():
    articles = pd.DataFrame({"article_id": [str(i) for i in range(10)], "bias": list("aaaabbbccd")})
    with pytest.warns(groups.GroupsLeftOutWarning, match="only the 2 groups .* of 4") as caught:
        _, chosen = groups.choose_groups(articles, "bias", max_groups=2)
    assert chosen == ["a", "b"]
    details = caught[0].message.details
    assert details.values.tolist() == [["c", 2], ["d", 1]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        groups.choose_groups(articles, "bias", max_groups=4)  # all compared: no warning
