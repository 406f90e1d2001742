"""analysis.stories.within: the pooled difference splits exactly into selection and framing,
the three by hand on a tiny table, the within-story interval equal to the paired t interval
where it is one, outlets that differ only in which stories they cover found so (the issue's
"done means"), the intervals' coverage by simulation at the story counts where they are
reported, and the missing intervals and the registered columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from analysis import registry
from analysis.stories import MIN_STORIES, WITHIN_COLUMNS, within_story
from analysis.stories.within import compare_within

ESTIMATES = ("pooled", "within", "selection")


def random_values(seed: int, n_stories: int = 80, n_outlets: int = 5) -> pd.DataFrame:
    """Articles of random stories by random outlets (1-3 articles an outlet and story, some
    stories covered by one outlet only), two measures with a few missing values."""
    rng = np.random.default_rng(seed)
    rows = []
    for story in range(n_stories):
        for outlet in rng.choice(n_outlets, size=rng.integers(1, n_outlets + 1), replace=False):
            for _ in range(rng.integers(1, 4)):
                rows.append((f"s{story}", f"o{outlet}"))
    values = pd.DataFrame(rows, columns=["story", "outlet"])
    values["side"] = np.where(values["outlet"].isin(["o0", "o1"]), "left", "right")
    values["tone"] = rng.normal(size=len(values)) + values["outlet"].str[1:].astype(int) * 0.1
    values["quotes"] = rng.gamma(1.0, size=len(values))
    values.loc[rng.random(len(values)) < 0.05, "quotes"] = np.nan
    return values


def selection_corpus(rng, n_stories: int, framing: float = 0.0, skew: bool = False):
    """Stories with effects ``u``; outlet A covers the high-``u`` stories more often, B and C
    any story with probability 0.6; each covering outlet writes 1-3 articles, each article's
    value ``u`` + noise (+ ``framing`` for A). Noise normal, or exponential - 1 (skewed;
    the story effects gamma then too)."""
    u = rng.gamma(1.0, 1.0, n_stories) if skew else rng.normal(0.0, 1.0, n_stories)
    covers_a = 1.0 / (1.0 + np.exp(-2.0 * (u - 0.5)))
    parts = []
    for outlet, p in (
        ("A", covers_a),
        ("B", np.full(n_stories, 0.6)),
        ("C", np.full(n_stories, 0.6)),
    ):
        n = np.where(rng.random(n_stories) < p, rng.integers(1, 4, n_stories), 0)
        story = np.repeat(np.arange(n_stories), n)
        noise = rng.exponential(1.0, story.size) - 1.0 if skew else rng.normal(0.0, 1.0, story.size)
        y = u[story] + noise + (framing if outlet == "A" else 0.0)
        parts.append(pd.DataFrame({"story": story, "outlet": outlet, "y": y}))
    return pd.concat(parts, ignore_index=True)


# the decomposition


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_pooled_is_selection_plus_share_times_within(seed):
    values = random_values(seed)
    out = within_story(values, {"tone": ["tone"], "quotes": ["quotes"]}, by=("outlet", "side"))
    assert len(out) == (5 + 2) * 2
    assert out["within"].notna().all()
    np.testing.assert_allclose(
        out["pooled"], out["selection"] + out["shared_share"] * out["within"], atol=1e-12
    )
    assert ((out["shared_share"] > 0) & (out["shared_share"] <= 1)).all()
    assert (out["shared_share"] < 1).any()  # some outlets have stories of their own


def test_a_unit_sharing_no_story_is_all_selection():
    values = pd.DataFrame(
        {"story": ["s1", "s1", "s2", "s3"], "outlet": ["A", "A", "B", "B"], "y": [1.0, 2, 5, 7]}
    )
    a = compare_within(values, "y", by="outlet").set_index("unit").loc["A"]
    assert np.isnan(a.within) and a.shared_share == 0 and a.n_shared_stories == 0
    assert a.pooled == pytest.approx(1.5 - 6.0) and a.selection == a.pooled


def test_by_hand():
    values = pd.DataFrame(
        [
            ("s1", "A", 1.0), ("s1", "A", 3.0), ("s1", "B", 0.0), ("s1", "C", 4.0),
            ("s2", "A", 5.0), ("s2", "B", 1.0), ("s2", "B", 3.0),
            ("s3", "A", 6.0),
            ("s4", "B", 2.0), ("s4", "C", 0.0),
            ("s5", "C", np.nan),
        ],
        columns=["story", "outlet", "tone"],
    )  # fmt: skip
    out = within_story(values, {"tone": ["tone"]}).set_index("unit")
    # A: own mean 15/4, the others' 10/6. s1: 2 articles, mean 2 against (0 + 4) / 2 = 2;
    # s2: 1 article, 5 against 2. within = (2 * 0 + 1 * 3) / 3; 3 of A's 4 articles shared.
    # B: own mean 6/4, the others' 19/6. s1: 0 - 8/3; s2: 2 x (2 - 5); s4: 2 - 0; over 4.
    # C: own mean 4/2, the others' 21/8. s1: 4 - 4/3; s4: 0 - 2; over 2.
    expected = {
        # pooled, within, shared_share, articles, stories, shared stories
        "A": (15 / 4 - 10 / 6, 1.0, 3 / 4, 4, 3, 2),
        "B": (6 / 4 - 19 / 6, (-8 / 3 - 6 + 2) / 4, 1.0, 4, 3, 3),
        "C": (4 / 2 - 21 / 8, (4 - 4 / 3 - 2) / 2, 1.0, 2, 2, 2),
    }
    assert out.index.tolist() == list(expected)
    for unit, (pooled, within, share, articles, stories, shared) in expected.items():
        row = out.loc[unit]
        assert row.pooled == pytest.approx(pooled, abs=1e-12)
        assert row.within == pytest.approx(within, abs=1e-12)
        assert row.shared_share == pytest.approx(share, abs=1e-12)
        assert row.selection == pytest.approx(pooled - share * within, abs=1e-12)
        assert (row.n_articles, row.n_stories, row.n_shared_stories) == (articles, stories, shared)
        assert row.n_stories_all == 4  # s5 has no value
    assert out["pooled_low"].isna().all() and out["within_low"].isna().all()  # few stories
    assert out.loc["B", "selection"] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(("n_stories", "seed"), [(MIN_STORIES, 0), (90, 1)])
def test_one_article_a_story_is_the_paired_t_interval(n_stories, seed):
    """With one article of A and one of B in every story, the within-story difference and
    the pooled one are the mean paired difference, their intervals scipy's paired t
    interval, and nothing is owed to selection."""
    rng = np.random.default_rng(seed)
    u = rng.normal(size=n_stories)
    a, b = u + 0.4 + rng.exponential(size=n_stories), u + rng.normal(size=n_stories)
    values = pd.DataFrame(
        {
            "story": np.tile(np.arange(n_stories), 2),
            "outlet": np.repeat(["A", "B"], n_stories),
            "y": np.concatenate([a, b]),
        }
    )
    row = compare_within(values, "y", by="outlet").set_index("unit").loc["A"]
    paired = scipy_stats.ttest_rel(a, b).confidence_interval(0.95)
    for name in ("pooled", "within"):
        assert row[name] == pytest.approx(np.mean(a - b), abs=1e-12)
        assert row[f"{name}_low"] == pytest.approx(paired.low, abs=1e-10)
        assert row[f"{name}_high"] == pytest.approx(paired.high, abs=1e-10)
    assert row.selection == pytest.approx(0.0, abs=1e-12)
    assert row.selection_low == pytest.approx(0.0, abs=1e-10)
    assert row.selection_high == pytest.approx(0.0, abs=1e-10)


# the "done means": a difference of selection alone


@pytest.mark.parametrize("seed", [0, 1])
def test_outlets_differing_only_in_selection_differ_within_stories_by_nothing(seed):
    rng = np.random.default_rng(seed)
    values = selection_corpus(rng, 300, framing=0.0)
    a = within_story(values, {"tone": ["y"]}).set_index("unit").loc["A"]
    assert a.n_shared_stories >= 60
    # pooled: A covers the high stories, so it looks higher; that is all selection
    assert a.pooled > 0.5
    assert a.pooled_low > 0
    assert a.selection_low > 0
    # within the stories A shares: nothing, and clearly less than the pooled difference
    assert a.within_low < 0 < a.within_high
    assert abs(a.within) < a.pooled / 4
    assert a.within_high < a.pooled_low


# coverage of the intervals


@pytest.fixture(scope="module")
def truths() -> dict[bool, pd.Series]:
    """The pooled, within and selection values of A in one very large corpus (400,000
    stories), normal and skewed."""
    rng = np.random.default_rng(2024)
    return {
        skew: compare_within(selection_corpus(rng, 400_000, 0.3, skew), "y", by="outlet")
        .set_index("unit")
        .loc["A"]
        for skew in (False, True)
    }


@pytest.mark.parametrize(
    ("skew", "n_stories", "seed"),
    [
        (False, 140, 1),  # about 40 shared stories, near MIN_STORIES
        (True, 80, 2),  # about 40 shared stories
        (False, 500, 3),  # about 140
        (True, 300, 4),  # about 150
    ],
)
def test_intervals_cover_at_the_counts_they_are_reported_from(truths, skew, n_stories, seed):
    framing, replicates = 0.3, 500
    truth = truths[skew]
    # the framing effect is the within-story difference by construction
    assert truth.within == pytest.approx(framing, abs=0.01)
    true = {"pooled": truth.pooled, "within": framing, "selection": truth.selection}
    rng = np.random.default_rng(seed)
    hits = {name: 0 for name in ESTIMATES}
    shared, reported = [], 0
    for _ in range(replicates):
        out = compare_within(selection_corpus(rng, n_stories, framing, skew), "y", by="outlet")
        a = out.set_index("unit").loc["A"]
        if np.isnan(a.within_low):
            assert a.n_shared_stories < MIN_STORIES
            continue
        reported += 1
        shared.append(a.n_shared_stories)
        for name in ESTIMATES:
            hits[name] += a[f"{name}_low"] <= true[name] <= a[f"{name}_high"]
    coverage = {name: hits[name] / reported for name in ESTIMATES}
    seen = f"{reported} corpora, {np.mean(shared):.0f} shared stories: {coverage}"
    assert reported >= 400, seen
    if n_stories < 150:
        assert MIN_STORIES <= np.median(shared) <= 60
    assert 0.93 <= coverage["within"] <= 0.97, seen
    assert 0.92 <= coverage["pooled"] <= 0.98, seen
    assert 0.92 <= coverage["selection"] <= 0.98, seen


# missing intervals and the table


def covering(n_own: int, n_shared: int, seed: int = 0) -> pd.DataFrame:
    """A covers ``n_shared`` stories with B and ``n_own`` alone; B has 40 stories of its
    own besides."""
    rng = np.random.default_rng(seed)
    rows = [(f"s{s}", "A") for s in range(n_shared + n_own)]
    rows += [(f"s{s}", "B") for s in range(n_shared)]
    rows += [(f"b{s}", "B") for s in range(40)]
    values = pd.DataFrame(rows, columns=["story", "outlet"])
    values["y"] = rng.normal(size=len(values))
    return values


@pytest.mark.parametrize(
    ("n_own", "n_shared", "pooled", "within"),
    [
        (0, MIN_STORIES - 1, False, False),
        (0, MIN_STORIES, True, True),
        (5, MIN_STORIES - 1, True, False),  # 34 stories, 29 of them shared
        (MIN_STORIES - 1, 0, False, False),
    ],
)
def test_intervals_are_missing_below_min_stories(n_own, n_shared, pooled, within):
    out = compare_within(covering(n_own, n_shared), "y", by="outlet").set_index("unit")
    a = out.loc["A"]
    assert a.n_stories == n_own + n_shared and a.n_shared_stories == n_shared
    assert np.isfinite([a.pooled_low, a.pooled_high]).all() == pooled
    assert np.isnan([a.pooled_low, a.pooled_high]).all() == (not pooled)
    assert np.isfinite([a.within_low, a.within_high]).all() == within
    assert np.isnan([a.within_low, a.within_high]).all() == (not within)
    # the split needs both: the unit's stories and its shared ones
    assert np.isfinite([a.selection_low, a.selection_high]).all() == (pooled and within)
    assert np.isnan([a.selection_low, a.selection_high]).all() == (not (pooled and within))
    if pooled:
        assert a.pooled_low < a.pooled < a.pooled_high


def test_within_story_has_the_registered_columns(tmp_path):
    values = random_values(5)
    out = within_story(values, {"tone": ["tone"], "quotes": ["quotes"]}, by=("outlet", "side"))
    assert out.columns.tolist() == WITHIN_COLUMNS
    assert set(out["level"]) == {"outlet", "side"}
    assert set(out["family"]) == {"tone", "quotes"}
    out.to_parquet(tmp_path / "within_story.parquet", index=False)
    assert registry.check("within_story", pd.read_parquet(tmp_path / "within_story.parquet")) == []


def test_within_story_without_values_has_the_registered_columns(tmp_path):
    values = pd.DataFrame({"story": ["s1", "s1"], "outlet": ["A", "B"], "y": [np.nan, np.nan]})
    out = within_story(values, {"tone": ["y"]})
    assert out.empty and out.columns.tolist() == WITHIN_COLUMNS
    out.to_parquet(tmp_path / "within_story.parquet", index=False)
    assert registry.check("within_story", pd.read_parquet(tmp_path / "within_story.parquet")) == []
