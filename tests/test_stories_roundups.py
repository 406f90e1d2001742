"""benchmarks/stories_roundups.py: story matching on the AllSides headline roundups (issue
26's measure of done). Each roundup is one event covered by up to three outlets; the default
threshold is the one chosen on the earlier half of the events, and matching with it finds
the events with pairwise F1 of at least 0.8, on the later half and on all of them.

The roundups are needed (``FRAMING_ROUNDUPS`` or ``../shared/data/allsides_roundups_neus``):
without them these tests fail, as the GVFC tests do.
"""

from __future__ import annotations

import pytest

from analysis import stories
from benchmarks import stories_roundups


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    path = stories_roundups.default_path()
    assert path.is_file(), f"roundups not found at {path}: set FRAMING_ROUNDUPS (CI has them)"
    out = tmp_path_factory.mktemp("roundups")
    return stories_roundups.main(["--out", str(out)]), out


def row(table, half, window=stories.WINDOW_DAYS):
    found = table[(table["half"] == half) & (table["window"] == window)]
    assert len(found) == 1
    return found.iloc[0]


def test_the_default_threshold_is_the_one_chosen_on_the_tuning_half(scored):
    table, _ = scored
    tuning = table[table["half"] == "tuning"]
    best = tuning.sort_values(["f1", "threshold"], ascending=[False, True]).iloc[0]
    assert best["threshold"] == pytest.approx(stories.THRESHOLD)
    assert set(table.loc[table["half"] != "tuning", "threshold"]) == {best["threshold"]}


@pytest.mark.parametrize("half", ["held-out", "all"])
def test_matching_finds_the_events(scored, half):
    found = row(scored[0], half)
    assert found["f1"] >= 0.8
    assert found["ari"] >= 0.8
    assert 0.7 <= found["precision"] <= 1 and 0.7 <= found["recall"] <= 1


def test_the_halves_split_the_events_in_time(scored):
    table, _ = scored
    tuning = table.loc[table["half"] == "tuning", "n_articles"].iloc[0]
    held_out, everything = (row(table, h)["n_articles"] for h in ("held-out", "all"))
    assert tuning + held_out == everything == 1479
    assert abs(tuning - held_out) < 0.1 * everything


def test_a_wider_window_compares_more_events_and_loses_precision(scored):
    table, _ = scored
    found = table[table["half"] == "all"].set_index("window")
    assert found.loc[0, "precision"] > found.loc[1, "precision"] > found.loc[3, "precision"]
    assert found.loc[0, "recall"] >= found.loc[3, "recall"] - 0.05


def test_the_report_files_are_written(scored):
    _, out = scored
    assert (out / "stories_roundups.csv").is_file()
    text = (out / "stories_roundups.md").read_text(encoding="utf-8")
    assert "Threshold chosen on the tuning half: 0.100" in text


def test_the_methods_text_quotes_what_the_benchmark_measured(scored):
    table, _ = scored
    check = stories.ROUNDUPS_CHECK
    assert round(row(table, "held-out")["f1"], 2) == check["held_out_f1"]
    assert round(row(table, "all")["f1"], 2) == check["all_f1"]
    assert round(row(table, "all")["ari"], 2) == check["all_ari"]
