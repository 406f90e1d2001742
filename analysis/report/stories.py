"""The report's section on stories: the within-story comparison and each outlet's coverage,
rounded for reading."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.report.manifest import run_table

COVERAGE_SHOWN = [
    "level",
    "unit",
    "n_stories",
    "n_shared_stories",
    "n_major_covered",
    "n_major_stories",
    "major_share",
]
SHOWN_ROWS = 20
"""Rows of the within-story table shown in the report (all are in within_story.csv)."""


def story_tables(out_dir: Path, manifest: Mapping) -> dict | None:
    """What the report shows of the stories, when the run matched them: among the compared
    units' differences with a within-story interval, the mean tone's first, then the largest
    pooled differences against their intervals (measures are on different scales); and every
    unit's coverage of the major stories (the groups' first)."""
    found = manifest.get("parameters", {}).get("stories")
    within = run_table(out_dir, "within_story", manifest)
    coverage = run_table(out_dir, "story_coverage", manifest)
    if not found or within is None or coverage is None:
        return None
    level = next((lv for lv in found.get("levels") or [] if lv != "outlet"), "outlet")
    rows = within[(within["level"] == level) & within["within_low"].notna()]
    half_width = (rows["pooled_high"] - rows["pooled_low"]) / 2
    rows = rows.assign(
        _tone=rows["measure"] != "compound_mean",
        _size=rows["pooled"].abs() / half_width.where(half_width > 0),
    ).sort_values(
        ["_tone", "_size", "unit", "measure"],
        ascending=[True, False, True, True],
        kind="stable",
        na_position="last",
    )
    shown = pd.DataFrame(
        {
            level: rows["unit"],
            "measure": rows["family"] + ": " + rows["measure"],
            "pooled": rows["pooled"].round(3),
            "pooled interval": _interval(rows, "pooled"),
            "within stories": rows["within"].round(3),
            "within interval": _interval(rows, "within"),
            "selection": rows["selection"].round(3),
            "shared stories": rows["n_shared_stories"],
        }
    )
    covered = coverage.assign(_outlet=coverage["level"] == "outlet").sort_values(
        ["_outlet", "n_stories", "unit"], ascending=[True, False, True], kind="stable"
    )
    return {
        "found": found,
        "level": level,
        "within": shown.head(SHOWN_ROWS),
        "n_within": len(shown),
        "coverage": covered.head(SHOWN_ROWS)[COVERAGE_SHOWN].round(2),
        "n_coverage": len(covered),
    }


def _interval(rows: pd.DataFrame, name: str) -> pd.Series:
    return (
        rows[f"{name}_low"].round(3).astype(str)
        + " to "
        + rows[f"{name}_high"].round(3).astype(str)
    )
