"""Framing over time: every per-article measure by outlet (or group) and by week or month,
with intervals, a smoothed line with its band, and the events a user marks.

The period is a week (starting on Monday) when the dated articles span at most
:data:`WEEKS_UP_TO_DAYS` days and few are dated only to the month, a month otherwise, unless a
study names one. Each cell (unit,
period) is the mean of its articles with the studentized bootstrap interval over the
articles (:func:`analysis.stats.summarize_columns`, missing below 50 articles). The smoothed
line is the same mean over the articles of the period and the ``smooth`` periods either
side (a moving window of whole articles, so its band is the same calibrated interval, over
more articles). For groups of outlets the interval resamples outlets
(:func:`analysis.stats.summarize_clustered`, missing below 30 outlets in the cell).
An article is placed in no period (:func:`unplaced`) when it has no date, a date less precise
than the period (a month for weeks, a year for weeks or months), or a date far outside the
others' (more than a year beyond the corpus's 0.5th to 99.5th percentiles: a typo such as
2050 in a corpus of 2012-2020 would stretch every line across decades); each unit's are
counted (``n_unplaced``) and listed in a warning.
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
FAR_DAYS = 365
"""Days beyond the 0.5th and 99.5th percentiles of the dates that make a date far outside."""
COARSER = {"week": {"month", "year"}, "month": {"year"}}
"""Date precisions too coarse for each period."""
COARSE_SHARE = 0.1
"""Largest share of dates given only to the month or year for weeks to be chosen."""
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
    "smooth",
    "n_unplaced",
]
"""The columns of :func:`timeline`."""


class EventFileError(ValueError):
    """An event file that cannot be read: the message names the file, row and column."""


def unplaced(published: pd.Series, precision: pd.Series | None = None, *, period: str) -> pd.Series:
    """Why each article is in no period of ``period`` (None: it is placed).

    Parameters
    ----------
    published : Series of datetime
    precision : Series of str, optional
        ``published_precision`` (``year``, ``month``, ``day``, ``time``; missing: as precise
        as needed).
    period : {"week", "month"}

    Returns
    -------
    Series of object, on ``published``'s index
        ``no date``; ``only a month`` or ``only a year`` when the date is coarser than the
        period (:data:`COARSER`); ``far from the others`` when it is more than
        :data:`FAR_DAYS` days beyond the 0.5th to 99.5th percentiles of the dates; None.
    """
    dates = pd.to_datetime(published, errors="coerce")
    reason = np.full(len(dates), None, dtype=object)
    reason[dates.isna().to_numpy()] = "no date"
    if precision is not None:
        given = precision.astype(object).to_numpy()
        coarse = pd.Series(given).isin(COARSER[period]).to_numpy() & pd.isna(reason)
        reason[coarse] = ["only a " + str(p) for p in given[coarse]]
    placed = pd.isna(reason)
    if placed.any():
        known = dates[placed]
        low, high = known.quantile(0.005), known.quantile(0.995)
        margin = pd.Timedelta(days=FAR_DAYS)
        far = ((dates < low - margin) | (dates > high + margin)).to_numpy() & placed
        reason[far] = "far from the others"
    return pd.Series(reason, index=published.index, dtype=object)


def choose_period(published: pd.Series, precision: pd.Series | None = None) -> str:
    """``week`` when the dates span at most :data:`WEEKS_UP_TO_DAYS` days and at most
    :data:`COARSE_SHARE` of them are given only to the month or year (``precision``), else
    ``month`` (``month`` without any date)."""
    dates = pd.to_datetime(published, errors="coerce")
    known = dates.notna()
    if not known.any():
        return "month"
    if precision is not None:
        coarse = precision.astype(object)[known.to_numpy()].isin(COARSER["week"]).mean()
        if coarse > COARSE_SHARE:
            return "month"
    dates = dates[known]
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
            reader = csv.DictReader(handle)
            rows = list(_spreadsheet_rows(reader))
            columns = reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise EventFileError(f"{path}: cannot read the event file ({error})") from None
    missing = [c for c in ("date", "label") if c not in columns]
    if not rows or missing:
        raise EventFileError(
            f"{path}: an event file needs the columns date and label"
            + (f" (missing: {', '.join(missing)})" if rows else " and at least one row")
        )
    dates, labels = [], []
    for number, row in rows:
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


def _spreadsheet_rows(reader: csv.DictReader):
    """Each record with its row number as a spreadsheet shows it (the header is row 1): the
    blank lines the reader skips count, the line breaks inside a quoted field do not."""
    number, previous_end = 1, 1
    for row in reader:
        inside = sum(str(v).count("\n") for v in row.values() if v)
        start = reader.line_num - inside
        number += 1 + max(start - previous_end - 1, 0)
        previous_end = reader.line_num
        yield number, row


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
        says week or month), family and measure, for every period from the unit's first
        period with an article to its last in which it has an article or a smoothed value;
        ``level`` is ``by``; ``smooth`` is the window's periods on either side;
        ``n_unplaced`` counts the unit's articles whose ``published`` is NaT (see
        :func:`unplaced`).
    """
    chosen = choose_period(values["published"]) if period == "auto" else period
    data = values.assign(period=period_starts(values["published"], chosen))
    data[by] = data[by].astype(str)
    dated = data["period"].dropna()
    if units is not None:
        data = data[data[by].isin([str(u) for u in units])]
    undated = data.loc[data["period"].isna(), by].value_counts()
    data = data[data["period"].notna()]
    columns = [c for family in measures.values() for c in family]
    family_of = {c: family for family, cs in measures.items() for c in cs}
    if data.empty or not columns:
        return empty_timeline()
    # every period of the corpus (not only the kept units'), each cell's stream named by
    # its period's first day, so that a unit's rows do not depend on the others
    every = pd.period_range(
        dated.min(), dated.max(), freq={"week": "W-SUN", "month": "M"}[chosen]
    ).start_time
    number = pd.Series(np.arange(len(every)), index=every)
    data = data.assign(_period=number.reindex(data["period"]).to_numpy())
    options = {"confidence": confidence, "n_resamples": n_resamples, "seed": seed}
    day = pd.Series(every.strftime("%Y-%m-%d"))
    data["_day"] = day.to_numpy()[data["_period"].to_numpy()]
    cells = _summaries(data, columns, by=by, key="_day", cluster=cluster, **options)
    windows = _windows(data, data["_period"], smooth)
    windows = windows[(windows["_centre"] >= 0) & (windows["_centre"] < len(every))]
    windows["_centre"] = day.to_numpy()[windows["_centre"].to_numpy()]
    smoothed = _summaries(windows, columns, by=by, key="_centre", cluster=cluster, **options)
    smoothed = smoothed.rename(
        columns={
            "_centre": "_day",
            "estimate": "smoothed",
            "ci_low": "smooth_low",
            "ci_high": "smooth_high",
            "n_articles": "smooth_articles",
        }
    )
    out = smoothed.merge(cells, on=[by, "_day", "measure"], how="left")
    out["n_articles"] = out["n_articles"].fillna(0).astype("int64")
    out["period"] = pd.to_datetime(out["_day"]).astype("datetime64[ns]")
    out["period_length"] = chosen
    out["smooth"] = smooth
    out["family"] = out["measure"].map(family_of)
    out["level"] = by
    out["unit"] = out[by].astype(str)
    out["n_unplaced"] = out["unit"].map(undated).fillna(0).astype("int64")
    out["smooth_articles"] = out["smooth_articles"].astype("int64")
    # a unit's line runs from its first period with an article to its last
    span = out[out["n_articles"] > 0].groupby("unit")["period"].agg(["min", "max"])
    first, last = out["unit"].map(span["min"]), out["unit"].map(span["max"])
    out = out[(out["period"] >= first) & (out["period"] <= last)]
    floats = ["estimate", "ci_low", "ci_high", "smoothed", "smooth_low", "smooth_high"]
    out = out.astype({c: "float64" for c in floats} | {"period": "datetime64[ns]"})
    rank = {c: i for i, c in enumerate(columns)}
    out = out.assign(_measure=out["measure"].map(rank)).sort_values(
        ["_measure", "unit", "period"], kind="stable", ignore_index=True
    )
    return out[TIMELINE_COLUMNS]


def empty_timeline() -> pd.DataFrame:
    """A :func:`timeline` without rows, with its columns' types."""
    types = {c: "float64" for c in TIMELINE_COLUMNS}
    types.update({c: "str" for c in ("level", "unit", "period_length", "family", "measure")})
    types.update({c: "int64" for c in ("n_articles", "smooth_articles", "smooth", "n_unplaced")})
    types["period"] = "datetime64[ns]"
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in types.items()})


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
