"""Framing over time: every per-article measure by outlet (or group) and by week or month,
with intervals, a smoothed line with its band, and the events a user marks.

The period is a week (starting on Monday) when the dated articles span at most
:data:`WEEKS_UP_TO_DAYS` days, a month otherwise, unless a study names one. Each cell (unit,
period) is the mean of its articles with the studentized bootstrap interval over the
articles (:func:`analysis.stats.summarize_columns`, missing below 50 articles). The smoothed
line is the same mean over the articles of the period and the ``smooth`` periods either
side (a moving window of whole articles, so its band is the same calibrated interval, over
more articles). For groups of outlets the interval resamples outlets
(:func:`analysis.stats.summarize_clustered`, missing below 30 outlets in the cell).
Articles without a date are counted (``n_undated``) and in no period.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import stats
from analysis.settings import N_RESAMPLES

PERIODS = ("auto", "week", "month")
WEEKS_UP_TO_DAYS = 183
"""Longest span of dates (days) drawn by week; a longer one is drawn by month."""
TIMELINE_COLUMNS = [
    "level",
    "unit",
    "period",
    "period_length",
    "family",
    "measure",
    "estimate",
    "ci_low",
    "ci_high",
    "n_articles",
    "smoothed",
    "smooth_low",
    "smooth_high",
    "smooth_articles",
    "n_undated",
]
"""The columns of :func:`timeline`."""


class EventFileError(ValueError):
    """An event file that cannot be read: the message names the file, row and column."""


def choose_period(published: pd.Series) -> str:
    """``week`` when the dates span at most :data:`WEEKS_UP_TO_DAYS` days, else ``month``
    (``month`` without any date)."""
    dates = pd.to_datetime(published, errors="coerce").dropna()
    if dates.empty:
        return "month"
    return "week" if (dates.max() - dates.min()).days <= WEEKS_UP_TO_DAYS else "month"


def period_starts(published: pd.Series, period: str) -> pd.Series:
    """The first day of each date's week (Monday) or month; NaT stays NaT."""
    dates = pd.to_datetime(published, errors="coerce")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert(None)
    code = {"week": "W-SUN", "month": "M"}[period]
    starts = dates.dt.to_period(code).dt.start_time
    return starts.astype("datetime64[ns]")


def read_events(path: str | Path) -> pd.DataFrame:
    """Events to mark on the timeline, from a CSV file with columns ``date`` and ``label``.

    Returns
    -------
    DataFrame
        ``date`` (datetime64[ns]) and ``label`` (str), sorted by date.

    Raises
    ------
    EventFileError
        When the file is missing or unreadable, lacks a column, or a row has no label or a
        date that cannot be read; the message names the file, the row (as a spreadsheet
        numbers it, the header being row 1) and the column.
    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
            columns = rows[0].keys() if rows else []
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise EventFileError(f"{path}: cannot read the event file ({error})") from None
    missing = [c for c in ("date", "label") if c not in columns]
    if not rows or missing:
        raise EventFileError(
            f"{path}: an event file needs the columns date and label"
            + (f" (missing: {', '.join(missing)})" if rows else " and at least one row")
        )
    dates, labels = [], []
    for number, row in enumerate(rows, start=2):
        label = (row.get("label") or "").strip()
        date = pd.to_datetime((row.get("date") or "").strip(), errors="coerce")
        if pd.isna(date):
            raise EventFileError(
                f"{path}, row {number}, column date: {row.get('date')!r} is not a date "
                "(write it as YYYY-MM-DD)"
            )
        if not label:
            raise EventFileError(f"{path}, row {number}, column label: the event has no label")
        dates.append(date.tz_convert(None) if date.tzinfo else date)
        labels.append(label)
    out = pd.DataFrame({"date": pd.to_datetime(dates).astype("datetime64[ns]"), "label": labels})
    return out.sort_values("date", kind="stable", ignore_index=True)


def _windows(frame: pd.DataFrame, index: pd.Series, smooth: int) -> pd.DataFrame:
    """Each row repeated for every period whose window (``smooth`` periods either side)
    holds it, with ``_centre`` the window's period number."""
    copies = [frame.assign(_centre=index + offset) for offset in range(-smooth, smooth + 1)]
    return pd.concat(copies, ignore_index=True)


def timeline(
    values: pd.DataFrame,
    measures: Mapping[str, Sequence[str]],
    *,
    by: str = "outlet",
    units: Sequence[str] | None = None,
    period: str = "auto",
    smooth: int = 1,
    cluster: str | None = None,
    confidence: float = 0.95,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
) -> pd.DataFrame:
    """Every measure by unit and period, with its interval and smoothed line.

    Parameters
    ----------
    values : DataFrame
        One row per article: ``article_id``, ``published`` (NaT when undated), ``by``,
        ``cluster`` when given, and the measure columns.
    measures : mapping of str to list of str
        Family -> its measure columns of ``values``.
    by : str
        The column whose units are drawn (``outlet``, or a group column).
    units : sequence of str, optional
        The units kept (default every unit).
    period : {"auto", "week", "month"}
        ``auto`` chooses by :func:`choose_period`.
    smooth : int
        Periods on either side in the smoothed line's window (0: no smoothing).
    cluster : str, optional
        The column whose values the intervals resample (``outlet`` for groups of outlets);
        by default the articles.

    Returns
    -------
    DataFrame
        :data:`TIMELINE_COLUMNS`, one row per unit, period (its first day; ``period_length``
        says week or month), family and measure, for every period from the first to the
        last date of the corpus in which the unit has an article or a smoothed value;
        ``level`` is ``by``; ``n_undated`` counts the unit's undated articles.
    """
    chosen = choose_period(values["published"]) if period == "auto" else period
    data = values.assign(period=period_starts(values["published"], chosen))
    data[by] = data[by].astype(str)
    if units is not None:
        data = data[data[by].isin([str(u) for u in units])]
    undated = data.loc[data["period"].isna(), by].value_counts()
    data = data[data["period"].notna()]
    columns = [c for family in measures.values() for c in family]
    family_of = {c: family for family, cs in measures.items() for c in cs}
    if data.empty or not columns:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    every = pd.period_range(
        data["period"].min(), data["period"].max(), freq={"week": "W-SUN", "month": "M"}[chosen]
    ).start_time
    number = pd.Series(np.arange(len(every)), index=every)
    data = data.assign(_period=number.reindex(data["period"]).to_numpy())
    options = {"confidence": confidence, "n_resamples": n_resamples, "seed": seed}
    cells = _summaries(data, columns, by=by, key="_period", cluster=cluster, **options)
    windows = _windows(data, data["_period"], smooth)
    windows = windows[(windows["_centre"] >= 0) & (windows["_centre"] < len(every))]
    smoothed = _summaries(windows, columns, by=by, key="_centre", cluster=cluster, **options)
    smoothed = smoothed.rename(
        columns={
            "_centre": "_period",
            "estimate": "smoothed",
            "ci_low": "smooth_low",
            "ci_high": "smooth_high",
            "n_articles": "smooth_articles",
        }
    )
    out = smoothed.merge(cells, on=[by, "_period", "measure"], how="left")
    out["n_articles"] = out["n_articles"].fillna(0).astype("int64")
    out["period"] = every[out["_period"].to_numpy(dtype=np.int64)]
    out["period_length"] = chosen
    out["family"] = out["measure"].map(family_of)
    out["level"] = by
    out["unit"] = out[by].astype(str)
    out["n_undated"] = out["unit"].map(undated).fillna(0).astype("int64")
    out["smooth_articles"] = out["smooth_articles"].astype("int64")
    floats = ["estimate", "ci_low", "ci_high", "smoothed", "smooth_low", "smooth_high"]
    out = out.astype({c: "float64" for c in floats} | {"period": "datetime64[ns]"})
    rank = {c: i for i, c in enumerate(columns)}
    out = out.assign(_measure=out["measure"].map(rank)).sort_values(
        ["_measure", "unit", "period"], kind="stable", ignore_index=True
    )
    return out[TIMELINE_COLUMNS]


def _summaries(
    data: pd.DataFrame, columns: list[str], *, by: str, key: str, cluster: str | None, **options
) -> pd.DataFrame:
    """Each measure's mean per (unit, ``key``) with its interval: over articles, or over
    ``cluster`` (outlets) for groups of outlets. Long form: ``by``, ``key``, ``measure``,
    ``estimate``, ``ci_low``, ``ci_high``, ``n_articles`` (articles with a value)."""
    keep = ["estimate", "ci_low", "ci_high", "n_articles"]
    if cluster is None:
        found = stats.summarize_columns(data, columns, by=[by, key], **options)
        return found[[by, key, "measure", *keep]]
    parts = []
    for column in columns:
        rows = data[np.isfinite(data[column].to_numpy(dtype=float))]
        part = stats.summarize_clustered(
            rows, by=[by, key], cluster=cluster, value=column, confidence=options["confidence"]
        )
        parts.append(part.assign(measure=column)[[by, key, "measure", *keep]])
    return pd.concat(parts, ignore_index=True)
