"""The timeline measure: every per-article measure by outlet (and group) and by week or
month (:mod:`analysis.timeline`), with the events a study marks."""

from __future__ import annotations

import functools
import logging
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import stats, timeline
from analysis.measures.base import Context, MeasureBase, Partials, Partition, Tables
from analysis.measures.values import article_values
from analysis.settings import setting

log = logging.getLogger(__name__)


class UnplacedArticlesWarning(stats.ListedWarning):
    """Articles in no period (no date, too coarse a date, a date far outside): counted."""


@dataclass(frozen=True)
class TimelineSettings:
    """Whether and how measures are drawn over time."""

    draw: bool = setting(
        False, "bool", "every measure by outlet and week or month", flag="--timeline"
    )
    period: str = setting(
        "auto",
        "enum",
        "week, month, or auto (weeks when the dates span at most six months)",
        flag="--period",
        choices=timeline.PERIODS,
    )
    outlets: int = setting(6, "int", "outlets drawn (those with most dated articles)", minimum=1)
    smooth: int = setting(
        1, "int", "periods on either side of the smoothed line's window (0: none)", minimum=0
    )
    events: Path | None = setting(
        None,
        "path",
        "CSV file of events to mark (columns date, label); implies --timeline",
        flag="--events",
        optional=True,
        metavar="FILE",
    )

    @property
    def on(self) -> bool:
        return self.draw or self.events is not None


@functools.lru_cache(maxsize=4)
def events_of(path) -> pd.DataFrame:
    """The event file, read once (a bad file fails before any work)."""
    return timeline.read_events(path)


class Timeline(MeasureBase):
    """``timeline`` and ``timeline_events``."""

    name = "timeline"

    def enabled(self, settings) -> bool:
        return settings.timeline.on

    def map(self, partition: Partition, settings) -> dict:
        articles = partition.articles
        return {
            "dates": pd.DataFrame(
                {
                    "article_id": articles["article_id"].astype(str).to_numpy(),
                    "published": pd.to_datetime(articles["published"]).to_numpy(),
                    "precision": articles["published_precision"].astype(object).to_numpy()
                    if "published_precision" in articles
                    else None,
                }
            )
        }

    def reduce(self, partials: Partials, context: Context) -> Tables:
        started = time.perf_counter()
        settings = context.settings
        chosen, group_by = settings.timeline, settings.compare.group_by
        values, families = article_values(context, measure="timeline")
        index = context.articles.assign(article_id=context.articles["article_id"].astype(str))
        data = index.merge(partials.concat("dates"), on="article_id").merge(values, on="article_id")
        period = chosen.period
        if period == "auto":
            usable = timeline.unplaced(data["published"], period="month").isna().to_numpy()
            period = timeline.choose_period(
                data.loc[usable, "published"], data.loc[usable, "precision"]
            )
        reason = timeline.unplaced(data["published"], data["precision"], period=period)
        _warn_unplaced(data, reason)
        data["published"] = data["published"].where(reason.isna())
        dated = data[data["published"].notna()]
        top = dated["outlet"].astype(str).value_counts()
        top = sorted(top.index, key=lambda o: (-top[o], o))[: chosen.outlets]
        options = {"period": period, "smooth": chosen.smooth, **settings.resampling.options}
        parts = [timeline.timeline(data, families, by="outlet", units=top, **options)]
        if group_by != "outlet":
            parts.append(
                timeline.timeline(data, families, by=group_by, cluster="outlet", **options)
            )
        made = (
            pd.concat([p for p in parts if len(p)], ignore_index=True)
            if any(len(p) for p in parts)
            else timeline.empty_timeline()
        )
        _warn_no_intervals(made)
        out = {"timeline": made}
        log.info("timeline: %d rows (%.1f s)", len(made), time.perf_counter() - started)
        if chosen.events is not None:
            out["timeline_events"] = events_of(chosen.events)
        return out


def _warn_unplaced(data: pd.DataFrame, reason: pd.Series) -> None:
    """One warning listing the articles in no period, by outlet and reason."""
    left = data.assign(reason=reason)[reason.notna()]
    if left.empty:
        return
    counts = (
        left.groupby(["outlet", "reason"], observed=True)
        .size()
        .rename("n_articles")
        .reset_index()
        .astype({"outlet": str})
    )
    far = left[left["reason"] == "far from the others"]
    dates = ", ".join(str(d)[:10] for d in sorted(far["published"])[:3])
    why = "; ".join(
        f"{n:,} {reason}" + (f" ({dates})" if reason == "far from the others" else "")
        for reason, n in left["reason"].value_counts().sort_index().items()
    )
    warnings.warn(
        UnplacedArticlesWarning(
            f"timeline: {len(left):,} of {len(data):,} articles are in no period ({why}); "
            "they are counted (n_unplaced) and not drawn",
            counts,
        ),
        stacklevel=2,
    )


def _warn_no_intervals(made: pd.DataFrame) -> None:
    """One warning when some of the timeline's means have no interval (too few articles, or
    outlets for a group, in the period), with the count per unit."""
    cells = made[made["n_articles"] > 0]
    missing = cells[cells["ci_low"].isna()]
    if missing.empty:
        return
    counts = (
        missing.groupby(["level", "unit"], observed=True).size().rename("n_cells").reset_index()
    )
    bands = int(made["smooth_low"].notna().sum())
    warnings.warn(
        stats.UndefinedIntervalWarning(
            f"timeline: no interval for {len(missing):,} of {len(cells):,} period means "
            f"(fewer than {stats.MIN_UNITS_MEAN} articles in the period, or "
            f"{stats.MIN_CLUSTERS} outlets for a group); {bands:,} of {len(made):,} smoothed "
            "values have a band ("
            + ("try --period month, or " if (made["period_length"] == "week").any() else "try ")
            + "a wider timeline.smooth)",
            counts,
        ),
        stacklevel=2,
    )


def manifest_entry(settings, tables) -> dict | None:
    """What the manifest records of the timeline (None without one): the period, the
    smoothing, the units drawn, the undated articles and the events."""
    chosen = settings.timeline
    if not chosen.on or "timeline" not in tables:
        return None
    found = tables["timeline"]
    undated = found.drop_duplicates(["level", "unit"])
    events = tables.get("timeline_events")
    return {
        "period": str(found["period_length"].iloc[0]) if len(found) else chosen.period,
        "period_setting": chosen.period,
        "smooth": chosen.smooth,
        "levels": sorted(set(found["level"])),
        "outlets": sorted(set(found.loc[found["level"] == "outlet", "unit"])),
        "first_period": str(found["period"].min())[:10] if len(found) else None,
        "last_period": str(found["period"].max())[:10] if len(found) else None,
        "n_unplaced_drawn": int(undated.loc[undated["level"] == "outlet", "n_unplaced"].sum())
        if len(found)
        else None,
        "events": None if chosen.events is None else str(chosen.events),
        "n_events": None if events is None else len(events),
        "cells": int((found["n_articles"] > 0).sum()),
        "cells_with_interval": int(found["ci_low"].notna().sum()),
        "smoothed": len(found),
        "smoothed_with_band": int(found["smooth_low"].notna().sum()),
        "min_articles": stats.MIN_UNITS_MEAN,
        "min_outlets": stats.MIN_CLUSTERS,
    }
