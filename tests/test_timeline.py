"""analysis.timeline: the period chosen by the span of the dates, the periods' first days,
the event file and its errors (naming file, row and column), and the timeline itself: the
hand means per unit and period, the smoothed mean over neighbouring periods, the intervals
from 50 articles (30 outlets for groups), the undated articles counted, the units kept, and
the registered columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import registry
from analysis.stories import day_numbers
from analysis.timeline import (
    TIMELINE_COLUMNS,
    EventFileError,
    choose_period,
    period_starts,
    read_events,
    timeline,
    unplaced,
)

RESAMPLES = 199  # enough for an interval to exist; its coverage is analysis.stats' concern


# the period


@pytest.mark.parametrize(
    ("span_days", "expected"),
    [(0, "week"), (30, "week"), (183, "week"), (184, "month"), (900, "month")],
)
def test_choose_period_by_the_span_of_the_dates(span_days, expected):
    start = pd.Timestamp("2023-11-20 10:00")
    dates = pd.Series([start, pd.NaT, start + pd.Timedelta(days=span_days)])
    assert choose_period(dates) == expected
    aware = dates.dt.tz_localize("Asia/Kolkata")  # no summer time to shorten the span
    assert choose_period(aware) == expected


@pytest.mark.parametrize("dates", [[], [None, None], ["not a date"]])
def test_choose_period_without_dates_is_month(dates):
    assert choose_period(pd.Series(dates, dtype=object)) == "month"


@pytest.mark.parametrize(
    ("date", "week", "month"),
    [
        ("2024-03-06 15:00", "2024-03-04", "2024-03-01"),  # Wednesday
        ("2024-03-10 23:59", "2024-03-04", "2024-03-01"),  # Sunday: the week since Monday
        ("2024-03-11 00:00", "2024-03-11", "2024-03-01"),  # Monday
        ("2024-02-29 12:00", "2024-02-26", "2024-02-01"),  # leap day
        ("2024-01-01 00:00", "2024-01-01", "2024-01-01"),
        ("2023-12-31 08:00", "2023-12-25", "2023-12-01"),  # a week across the new year
    ],
)
def test_period_starts(date, week, month):
    dates = pd.Series([pd.Timestamp(date), pd.NaT])
    for period, first in (("week", week), ("month", month)):
        got = period_starts(dates, period)
        assert got.dtype == "datetime64[ns]"
        assert got.iloc[0] == pd.Timestamp(first)
        assert pd.isna(got.iloc[1])


def test_period_starts_of_timezone_aware_dates_are_those_of_the_utc_day():
    utc = pd.Series(pd.to_datetime(["2024-03-11 01:30+05:00", "2024-03-31 23:30-02:00"], utc=True))
    aware = utc.dt.tz_convert("Asia/Kolkata")
    week, month = period_starts(aware, "week"), period_starts(aware, "month")
    assert week.dtype == month.dtype == "datetime64[ns]"
    # 2024-03-10 20:30 UTC (a Sunday) and 2024-04-01 01:30 UTC
    assert week.tolist() == [pd.Timestamp("2024-03-04"), pd.Timestamp("2024-04-01")]
    assert month.tolist() == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-04-01")]
    # the stories' day numbers are of the UTC day too: each in its period's week
    offset = day_numbers(aware) - week.to_numpy(dtype="datetime64[D]").astype(np.int64)
    assert offset.tolist() == [6, 0]


# the event file


def write(path, text: str, encoding: str = "utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_read_events(tmp_path):
    path = write(
        tmp_path / "events.csv",
        "\ufeffdate,label,note\n2024-03-10, Second vote ,x\n2024-01-05,Election,\n"
        '2024-02-01T10:00:00+02:00,"Debate, first",\n',
    )
    events = read_events(path)
    assert events.columns.tolist() == ["date", "label"]
    assert events["date"].dtype == "datetime64[ns]"
    assert events["date"].tolist() == [
        pd.Timestamp("2024-01-05"),
        pd.Timestamp("2024-02-01 08:00"),  # in UTC
        pd.Timestamp("2024-03-10"),
    ]
    assert events["label"].tolist() == ["Election", "Debate, first", "Second vote"]
    assert registry.check("timeline_events", events) == []


@pytest.mark.parametrize(
    ("text", "row", "column"),
    [
        ("date,label\n2024-01-05,Election\n2024-02-30,Debate\n", 3, "date"),
        ("date,label\n2024-01-05,Election\n2024-01-06,Debate\nsoon,Vote\n", 4, "date"),
        ("date,label\n2024-01-05,Election\n,Debate\n", 3, "date"),
        ("date,label\n2024-01-05,Election\n2024-01-06,  \n", 3, "label"),
        ("date,label\n2024-01-05\n", 2, "label"),
        ('date,label\n2024-01-05,"two\nlines"\n2024-01-06,\n', 3, "label"),  # a spreadsheet row
    ],
)
def test_read_events_names_the_row_and_column(tmp_path, text, row, column):
    path = write(tmp_path / "events.csv", text)
    with pytest.raises(EventFileError) as raised:
        read_events(path)
    message = str(raised.value)
    assert str(path) in message
    assert f"row {row}," in message
    assert f"column {column}" in message


def test_read_events_row_numbers_count_blank_lines(tmp_path):
    path = write(tmp_path / "events.csv", "date,label\n2024-01-05,Election\n\n2024-01-07,\n")
    with pytest.raises(EventFileError, match=r"row 4, column label"):
        read_events(path)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("when,label\n2024-01-05,Election\n", "missing: date"),
        ("date,title\n2024-01-05,Election\n", "missing: label"),
        ("Date,Label\n2024-01-05,Election\n", "missing: date, label"),
        ("date,label\n", "at least one row"),
        ("", "at least one row"),
    ],
)
def test_read_events_names_a_missing_column_or_an_empty_file(tmp_path, text, named):
    path = write(tmp_path / "events.csv", text)
    with pytest.raises(EventFileError) as raised:
        read_events(path)
    assert str(path) in str(raised.value)
    assert named in str(raised.value)
    assert "date and label" in str(raised.value)


def test_read_events_of_a_missing_or_unreadable_file(tmp_path):
    with pytest.raises(EventFileError, match="cannot read the event file") as raised:
        read_events(tmp_path / "nowhere.csv")
    assert str(tmp_path / "nowhere.csv") in str(raised.value)
    latin = write(tmp_path / "latin.csv", "date,label\n2024-01-05,Élection\n", encoding="latin-1")
    with pytest.raises(EventFileError, match="cannot read the event file") as raised:
        read_events(latin)
    assert str(latin) in str(raised.value)


# the timeline


def articles_of(rng, unit: str, week: str, n: int, *, nan_every: int = 0) -> pd.DataFrame:
    """``n`` articles of ``unit`` spread over the week starting on ``week``."""
    published = pd.Timestamp(week) + pd.to_timedelta(rng.integers(0, 7 * 24 * 60, n), unit="min")
    frame = pd.DataFrame(
        {
            "outlet": unit,
            "published": published,
            "tone": rng.normal(size=n),
            "frame_a": rng.random(n).round(2),
        }
    )
    if nan_every:
        frame.loc[frame.index % nan_every == 0, "frame_a"] = np.nan
    return frame


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    """Two outlets over four weeks from Monday 2024-01-01. X: 3 articles in week 0, 60 in
    week 1, none in week 2, 2 in week 3, 2 undated. Y: 49 in week 1, 50 in week 2 and 1
    undated. Every fifth frame_a missing."""
    rng = np.random.default_rng(7)
    parts = [
        articles_of(rng, "X", "2024-01-01", 3),
        articles_of(rng, "X", "2024-01-08", 60, nan_every=5),
        articles_of(rng, "X", "2024-01-22", 2),
        articles_of(rng, "Y", "2024-01-08", 49),
        articles_of(rng, "Y", "2024-01-15", 50, nan_every=5),
        pd.DataFrame({"outlet": ["X", "X", "Y"], "published": pd.NaT, "tone": 1.0, "frame_a": 0.5}),
    ]
    out = pd.concat(parts, ignore_index=True)
    out["article_id"] = [f"a{i}" for i in range(len(out))]
    out["week"] = ((out["published"] - pd.Timestamp("2024-01-01")).dt.days // 7).astype("Int64")
    return out.sample(frac=1.0, random_state=1).reset_index(drop=True)


MEASURES = {"tone": ["tone"], "frames": ["frame_a"]}


@pytest.fixture(scope="module")
def drawn(values) -> pd.DataFrame:
    return timeline(values, MEASURES, n_resamples=RESAMPLES)


def hand(values, unit, measure, weeks) -> tuple[float, int]:
    """The mean and number of ``unit``'s articles with a value in ``weeks``."""
    chosen = values[(values["outlet"] == unit) & values["week"].isin(weeks)][measure].dropna()
    return (chosen.mean() if len(chosen) else np.nan), len(chosen)


def test_timeline_rows(drawn):
    assert drawn.columns.tolist() == TIMELINE_COLUMNS
    assert (drawn["period_length"] == "week").all() and (drawn["level"] == "outlet").all()
    assert drawn["family"].tolist() == ["tone"] * 6 + ["frames"] * 6  # measures in order
    assert drawn["measure"].tolist() == ["tone"] * 6 + ["frame_a"] * 6
    weeks = pd.date_range("2024-01-01", periods=4, freq="7D").tolist()
    # a unit's line runs from its first week with an article to its last: Y's from the 8th
    assert drawn["unit"].tolist() == (["X"] * 4 + ["Y"] * 2) * 2
    assert drawn["period"].tolist() == (weeks + weeks[1:3]) * 2


@pytest.mark.parametrize("measure", ["tone", "frame_a"])
@pytest.mark.parametrize("unit", ["X", "Y"])
def test_timeline_means_per_unit_and_period(values, drawn, unit, measure):
    rows = drawn[(drawn["unit"] == unit) & (drawn["measure"] == measure)]
    for row in rows.itertuples():
        week = (row.period - pd.Timestamp("2024-01-01")).days // 7
        mean, n = hand(values, unit, measure, [week])
        assert row.n_articles == n
        if n:
            assert row.estimate == pytest.approx(mean, abs=1e-12)
        else:
            assert np.isnan(row.estimate)
        mean, n = hand(values, unit, measure, [week - 1, week, week + 1])
        assert row.smoothed == pytest.approx(mean, abs=1e-12)
        assert row.smooth_articles == n


def test_timeline_without_smoothing_is_the_period_mean(values):
    flat = timeline(values, MEASURES, smooth=0, n_resamples=RESAMPLES)
    # only the periods with an article of the unit
    assert (flat["n_articles"] > 0).all()
    assert sorted(set(zip(flat["unit"], flat["period"].dt.day))) == [
        ("X", 1), ("X", 8), ("X", 22), ("Y", 8), ("Y", 15)
    ]  # fmt: skip
    np.testing.assert_allclose(flat["smoothed"], flat["estimate"], rtol=0, atol=0)
    np.testing.assert_array_equal(flat["smooth_articles"], flat["n_articles"])
    np.testing.assert_array_equal(flat["smooth_low"], flat["ci_low"])
    wide = timeline(values, MEASURES, smooth=3, n_resamples=RESAMPLES)
    for row in wide.itertuples():  # every period's window holds every period
        assert row.smoothed == pytest.approx(hand(values, row.unit, row.measure, range(4))[0])


def test_timeline_intervals_from_50_articles(drawn):
    n = drawn["n_articles"].to_numpy()
    has = drawn["ci_low"].notna().to_numpy()
    np.testing.assert_array_equal(has, n >= 50)
    assert set(n[has]) == {50, 60} and 49 in set(n[~has])  # both sides of the limit
    assert has.sum() == 2  # tone of X in week 1 (60) and of Y in week 2 (50)
    band = drawn["smooth_low"].notna().to_numpy()
    np.testing.assert_array_equal(band, drawn["smooth_articles"].to_numpy() >= 50)
    assert (drawn["ci_high"].notna() == drawn["ci_low"].notna()).all()
    for low, estimate, high in drawn.loc[has, ["ci_low", "estimate", "ci_high"]].to_numpy():
        assert low < estimate < high
    for low, estimate, high in drawn.loc[
        band, ["smooth_low", "smoothed", "smooth_high"]
    ].to_numpy():
        assert low < estimate < high


def test_timeline_counts_undated_articles(drawn):
    assert drawn.groupby("unit")["n_unplaced"].unique().map(list).to_dict() == {
        "X": [2],
        "Y": [1],
    }


def test_timeline_keeps_the_units_asked_for(values, drawn):
    only = timeline(values, MEASURES, units=["Y"], n_resamples=RESAMPLES)
    assert set(only["unit"]) == {"Y"} and len(only)
    both = drawn[drawn["unit"] == "Y"]
    same = only.merge(both, on=["unit", "period", "measure"], suffixes=("", "_all"))
    assert len(same) == len(only)
    for name in ("estimate", "smoothed", "n_articles", "smooth_articles", "n_unplaced"):
        np.testing.assert_array_equal(same[name], same[f"{name}_all"], err_msg=name)
    for name in ("ci_low", "smooth_low"):  # the bootstrap draws may differ (see below)
        np.testing.assert_array_equal(same[name].isna(), same[f"{name}_all"].isna())
    assert timeline(values, MEASURES, units=["Z"]).empty


def test_timeline_of_some_units_spans_the_corpus(values, drawn):
    only = timeline(values, MEASURES, units=["Y"], n_resamples=RESAMPLES)
    both = drawn[drawn["unit"] == "Y"].reset_index(drop=True)
    pd.testing.assert_frame_equal(only.reset_index(drop=True), both)


def test_timeline_by_month(values):
    monthly = timeline(values, MEASURES, period="month", n_resamples=RESAMPLES)
    assert (monthly["period_length"] == "month").all()
    assert set(monthly["period"]) == {pd.Timestamp("2024-01-01")}
    tone = monthly[monthly["measure"] == "tone"].set_index("unit")
    for unit in ("X", "Y"):
        assert tone.loc[unit, "estimate"] == pytest.approx(hand(values, unit, "tone", range(4))[0])
    late = values.assign(published=values["published"] + pd.Timedelta(days=200))
    spread = pd.concat([values, late.assign(article_id=late["article_id"] + "b")])
    assert (timeline(spread, MEASURES, n_resamples=RESAMPLES)["period_length"] == "month").all()


def test_timeline_of_groups_resamples_outlets():
    """A group of 30 outlets has an interval, one of 29 does not, however many articles."""
    rng = np.random.default_rng(3)
    parts = []
    for group, n_outlets in (("big", 30), ("small", 29)):
        for outlet in range(n_outlets):
            frame = articles_of(rng, f"{group}{outlet}", "2024-01-08", 4)
            parts.append(frame.assign(side=group))
    data = pd.concat(parts, ignore_index=True)
    data["article_id"] = [f"a{i}" for i in range(len(data))]
    drawn = timeline(data, {"tone": ["tone"]}, by="side", cluster="outlet", smooth=0)
    drawn = drawn.set_index("unit")
    assert (drawn["level"] == "side").all()
    assert drawn.loc["big", "n_articles"] == 120 and drawn.loc["small", "n_articles"] == 116
    for group in ("big", "small"):
        mean = data.loc[data["side"] == group, "tone"].mean()
        assert drawn.loc[group, "estimate"] == pytest.approx(mean, abs=1e-12)
    assert drawn.loc["big", "ci_low"] < drawn.loc["big", "estimate"] < drawn.loc["big", "ci_high"]
    assert np.isnan(drawn.loc["small", ["ci_low", "ci_high"]].to_numpy(dtype=float)).all()


def test_timeline_has_the_registered_columns(drawn, tmp_path):
    drawn.to_parquet(tmp_path / "timeline.parquet", index=False)
    assert registry.check("timeline", pd.read_parquet(tmp_path / "timeline.parquet")) == []


def test_timeline_without_dates_has_the_registered_columns(tmp_path):
    undated = pd.DataFrame(
        {"article_id": ["a1"], "published": [pd.NaT], "outlet": ["X"], "tone": [0.5]}
    )
    drawn = timeline(undated, {"tone": ["tone"]})
    assert drawn.empty
    drawn.to_parquet(tmp_path / "timeline.parquet", index=False)
    assert registry.check("timeline", pd.read_parquet(tmp_path / "timeline.parquet")) == []


# articles in no period


def test_unplaced_names_why_each_article_is_in_no_period():
    published = pd.Series(
        pd.to_datetime(
            ["2019-01-03", None, "2019-02-01", "2019-03-01", "2050-09-30"]
            + [f"2019-{m:02d}-15" for m in range(1, 13)] * 20
        )
    )
    precision = pd.Series(["day", None, "month", "year", "day"] + ["day"] * 240)
    weeks = unplaced(published, precision, period="week")
    assert weeks.iloc[:5].tolist() == [
        None,
        "no date",
        "only a month",
        "only a year",
        "far from the others",
    ]
    assert weeks.iloc[5:].isna().all()
    months = unplaced(published, precision, period="month")
    assert months.iloc[:5].tolist() == [None, "no date", None, "only a year", "far from the others"]
    assert unplaced(published, period="week").iloc[2] is None  # no precision: placed


def test_a_small_corpus_keeps_its_extreme_dates():
    published = pd.Series(pd.to_datetime(["2017-03-01", "2017-03-02", "2017-07-07"]))
    assert unplaced(published, period="month").isna().all()


def test_dates_given_to_the_month_make_the_period_a_month():
    dates = pd.Series(pd.to_datetime(["2017-03-01"] * 3 + ["2017-07-07"] * 7))
    assert choose_period(dates) == "week"
    precision = pd.Series(["month"] * 3 + ["day"] * 7)
    assert choose_period(dates, precision) == "month"
    assert choose_period(dates, pd.Series(["month"] + ["day"] * 9)) == "week"  # 10%: weeks
