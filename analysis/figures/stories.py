"""The figures of a run that matches articles into stories and draws measures over time:
each unit's differences pooled and within the stories it shares, which major stories each
outlet covers, and the measures by week or month with the events a study marks."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from analysis import plots, stats, stories
from analysis.figures.spec import (
    DOUBLE_COLUMN,
    MAX_OUTLETS,
    outlets_with_most_articles,
    register,
    shown_outlets,
)

TONE = "compound_mean"
"""The measure every figure here shows first: the mean tone of the articles' sentences."""
WITHIN_MEASURES = 8
"""Measures (panels) the within-story figure draws: tone, then the clearest differences."""
WITHIN_OUTLETS = 12
"""Outlets the within-story figure draws (those with the most articles in stories)."""
COVERAGE_OUTLETS = MAX_OUTLETS
"""Outlets (rows) of the coverage grid: those covering the most stories."""
COVERAGE_STORIES = 40
"""Stories (columns) of the coverage grid: those covered by the most outlets."""
TIMELINE_FRAMES = 3
"""Frames drawn beside tone over time: those with the highest mean rate."""
TITLE_CHARACTERS = 34
"""Characters of a story's title shown under its column."""
SHARE_COLUMNS = (
    "unit",
    "level",
    "n_major_stories",
    "n_major_covered",
    "major_share",
    "major_low",
    "major_high",
)
"""The columns of story_coverage the coverage figure's CSV keeps beside the grid."""

TITLES = {
    "compound_mean": "tone: all sentences",
    "compound_narrative": "tone: narrative",
    "compound_quote": "tone: quotations",
    "compound_social": "tone: social posts",
    "compound_lede": "tone: lede",
    "compound_rest": "tone: after the lede",
    "lede_minus_rest": "tone: lede minus the rest",
    "compound_title": "tone: title",
    "share_negative": "share of negative sentences",
    "share_positive": "share of positive sentences",
    "quoted_word_share": "share of words in quotes",
    "quotes_per_1000_words": "quotes per 1,000 words",
    "reported_per_1000_words": "reported speech per 1,000 words",
    "scare_quotes_per_1000_words": "scare quotes per 1,000 words",
    "speakers_per_1000_words": "speakers per 1,000 words",
    "attributed_quote_share": "share of quotes attributed",
}


def plain(text) -> str:
    """``text`` as matplotlib must draw it: as written, a ``$`` never starting mathtext (an
    outlet, a story's title or an event may hold prices: "$5bn ... $2bn")."""
    return str(text).replace("$", r"\$")


def _title(family: str, measure: str, width: int = 24) -> str:
    if family == "frames":
        text = "frame: " + measure.replace("_", " ")
    elif family == "topics":
        text = "topic: " + measure
    else:
        text = TITLES.get(measure, measure.replace("_", " "))
    return plain(plots.wrap_label(text, width))


def _level(table: pd.DataFrame) -> str:
    """The level a figure compares: the groups' column when the run has groups, else
    ``outlet``."""
    levels = [str(level) for level in pd.unique(table["level"]) if str(level) != "outlet"]
    return levels[0] if levels else "outlet"


def _colours(tables: dict[str, pd.DataFrame], units: list[str], level: str) -> dict[str, str]:
    """Each unit's colour: an outlet keeps the one it has in every figure (the outlets of
    :func:`shown_outlets`), a group the one the group figure gives it."""
    if level != "outlet":
        return plots.outlet_colors(units)
    known = plots.outlet_colors(shown_outlets(tables)) if "articles" in tables else {}
    return {unit: known.get(unit, "0.35") for unit in units}


def _ticks_inside(ax, nbins: int = 3) -> None:
    """Value ticks inside the panel only, none at its right edge, where a label would meet
    the next panel's first."""
    low, high = ax.get_xlim()
    locator = ticker.MaxNLocator(nbins=nbins, prune="upper")
    ax.set_xticks([t for t in locator.tick_values(low, high) if low <= t <= high])
    ax.set_xlim(low, high)


# -- within_story --------------------------------------------------------------------------


def _within_units(table: pd.DataFrame) -> tuple[str, list[str]]:
    """The compared level and its units: every group, or the outlets with most articles."""
    level = _level(table)
    rows = table[table["level"] == level]
    if level != "outlet":
        return level, sorted(map(str, rows["unit"].unique()))
    return level, outlets_with_most_articles(
        rows.rename(columns={"unit": "outlet"}), WITHIN_OUTLETS
    )


def _within_measures(rows: pd.DataFrame) -> list[tuple[str, str]]:
    """Tone first, then the measures whose pooled difference is largest against its own
    interval (|pooled| over the interval's half-width, the largest among the units shown);
    measures without any interval follow in the table's order."""
    order = list(dict.fromkeys(zip(rows["family"].astype(str), rows["measure"].astype(str))))
    half = (rows["pooled_high"] - rows["pooled_low"]) / 2
    ratio = (
        (rows["pooled"].abs() / half.where(half > 0))
        .groupby([rows["family"].astype(str), rows["measure"].astype(str)], sort=False)
        .max()
    )
    first = [key for key in order if key[1] == TONE]
    rest = [key for key in order if key[1] != TONE]
    scored = sorted(
        rest,
        key=lambda key: (
            np.isnan(ratio.get(key, np.nan)),
            -np.nan_to_num(ratio.get(key, np.nan), nan=0.0),
            order.index(key),
        ),
    )
    return (first + scored)[:WITHIN_MEASURES]


def _within_data(tables: dict[str, pd.DataFrame]):
    table = tables["within_story"]
    level, units = _within_units(table)
    rows = table[(table["level"] == level) & table["unit"].astype(str).isin(units)]
    rows = rows.assign(unit=rows["unit"].astype(str))
    measures = _within_measures(rows)
    keys = list(zip(rows["family"].astype(str), rows["measure"].astype(str)))
    rows = rows[[key in measures for key in keys]].reset_index(drop=True)
    return level, units, measures, rows


def _within_caption(tables: dict[str, pd.DataFrame]) -> str:
    table = tables["within_story"]
    level, units, measures, rows = _within_data(tables)
    n_outlets = table.loc[table["level"] == "outlet", "unit"].nunique()
    who = (
        f"each group of outlets ({level})"
        if level != "outlet"
        else "each outlet"
        + (
            f" (the {len(units)} with the most articles in stories, of {n_outlets})"
            if n_outlets > len(units)
            else ""
        )
    )
    missing = rows["within_low"].isna() & rows["within"].notna()
    missing |= rows["pooled_low"].isna() & rows["pooled"].notna()
    no_shared = rows["within"].isna() & rows["pooled"].notna()
    text = (
        f"How {who} differs from all other articles on {len(measures)} "
        f"measure{'s' * (len(measures) != 1)}: pooled "
        "(square: the mean of its articles minus the mean of every other article) and within "
        "the stories it shares with others (circle: the mean over those stories of its "
        "articles' difference from the others' articles on the same story). A difference "
        "that remains within stories is one of framing; one that shrinks to 0 came from "
        "the mix of stories (which stories each side covers, and with how many articles: "
        "the selection part, in within_story.csv). "
        "Bars: 95% intervals over stories (articles about one event are not independent). "
        + _measures_rule(measures)
        + " In brackets: the stories the unit shares with others."
    )
    if missing.any():
        text += (
            f" Open markers: no interval, since the unit covers or shares fewer than "
            f"{stories.MIN_STORIES} stories (too few for an interval to cover as it should)."
        )
    if no_shared.any():
        text += " A unit without a circle shares no story with the others."
    return text


def _measures_rule(measures: list) -> str:
    """How the panels' measures were chosen, as many as there are."""
    tone = [m for _, m in measures if m == TONE]
    rest = len(measures) - len(tone)
    if not rest:
        return f"Measure: tone ({TITLES[TONE]})." if tone else ""
    chosen = (
        f"the {rest} whose pooled difference is largest against its interval (its absolute "
        "value over the interval's half-width, the largest among the units shown; this "
        "compares measures on different scales), then, when too few have an interval, the "
        "next in the table's order"
        if rest > 1
        else "the one whose pooled difference is largest against its interval"
    )
    return (
        f"Measures: tone ({TITLES[TONE]}) first, then {chosen}."
        if tone
        else (f"Measures: {chosen}.")
    )


@register("story_differences", caption=_within_caption, needs=("articles", "within_story"))
def within_story(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """One panel per measure: each unit's pooled and within-story differences with their
    intervals, around a zero line."""
    level, units, measures, rows = _within_data(tables)
    colours = _colours(tables, units, level)
    ncols = min(4, max(1, len(measures)))
    nrows = max(1, -(-len(measures) // ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(DOUBLE_COLUMN, 0.45 + (0.55 + 0.2 * len(units)) * nrows),
        sharey=True,
        layout="constrained",
        squeeze=False,
    )
    at = {unit: i for i, unit in enumerate(units)}
    kinds = (("pooled", "s", -0.17), ("within", "o", 0.17))
    for ax, (family, measure) in zip(axes.flat, measures):
        cell = rows[(rows["family"] == family) & (rows["measure"] == measure)]
        for row in cell.itertuples(index=False):
            for kind, marker, offset in kinds:
                estimate = getattr(row, kind)
                if np.isnan(estimate):
                    continue
                low, high = getattr(row, f"{kind}_low"), getattr(row, f"{kind}_high")
                colour = colours[row.unit] if kind == "within" else "0.55"
                y = at[row.unit] + offset
                if not np.isnan(low):
                    ax.hlines(y, low, high, color=colour, linewidth=0.8)
                ax.plot(
                    estimate,
                    y,
                    marker=marker,
                    markersize=3.2,
                    linestyle="none",
                    markeredgecolor=colour,
                    markerfacecolor="white" if np.isnan(low) else colour,
                    markeredgewidth=0.8,
                )
        ax.axvline(0, color="0.3", linewidth=0.6, zorder=0)
        ax.set_title(_title(family, measure), fontsize="small")
        low, high = ax.get_xlim()
        reach = max(abs(low), abs(high), 1e-9)
        ax.set_xlim(-reach * 1.05, reach * 1.05)  # zero in the middle of every panel
        _ticks_inside(ax)
        ax.tick_params(axis="x", labelsize="x-small")
        ax.xaxis.grid(True)
    for ax in axes.flat[len(measures) :]:
        ax.set_visible(False)
    for ax in axes.flat[max(0, len(measures) - ncols) : len(measures)]:
        ax.xaxis.set_tick_params(labelbottom=True)
    fig.get_layout_engine().set(wspace=0.12)
    shared = (
        rows.groupby("unit")["n_shared_stories"].max().reindex(units).fillna(0).astype(int)
        if len(rows)
        else pd.Series(0, index=units)
    )
    axes[0, 0].set_yticks(
        range(len(units)), [plain(f"{plots.short_label(u)} ({shared[u]:,})") for u in units]
    )
    axes[0, 0].set_ylim(len(units) - 0.5, -0.5)
    handles = [
        plt.Line2D(
            [], [], marker="s", linestyle="none", markersize=3.2, color="0.55", label="pooled"
        ),
        plt.Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=3.2,
            color="0.2",
            label="within shared stories (colour: the unit)",
        ),
    ]
    fig.legend(handles=handles, loc="outside upper center", ncols=2, fontsize="x-small")
    fig.supxlabel("difference from all other articles (0: none)", fontsize="small")
    plotted = rows[[c for c in stories.WITHIN_COLUMNS if c != "n_stories_all"]]
    return fig, plotted


# -- story_coverage ------------------------------------------------------------------------


def _coverage_data(tables: dict[str, pd.DataFrame]):
    """The grid's outlets and stories, the covered cells, and the rows of story_coverage
    drawn beside it (the outlets, then the groups)."""
    coverage = tables["story_coverage"]
    members = tables["story_members"]
    members = members[members["story"].notna()].assign(
        outlet=members["outlet"].astype(str), story=members["story"].astype(str)
    )
    counts = members.groupby("outlet")["story"].nunique()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:COVERAGE_OUTLETS]
    outlets = sorted(outlet for outlet, _ in ranked)
    table = tables["stories"].assign(story=tables["stories"]["story"].astype(str))
    top = table.assign(_row=np.arange(len(table))).sort_values(
        ["n_outlets", "n_articles", "_row"], ascending=[False, False, True], kind="stable"
    )
    chosen = top.head(COVERAGE_STORIES).sort_values("_row", kind="stable")  # by first date
    level = _level(coverage)
    groups: list[str] = []
    cells = members[["outlet", "story"]].rename(columns={"outlet": "unit"})
    cells = cells[cells["unit"].isin(outlets)]
    articles = tables.get("articles")
    if level != "outlet":
        groups = sorted(map(str, coverage.loc[coverage["level"] == level, "unit"].unique()))
        if articles is not None and level in articles:
            group_of = pd.Series(
                articles[level].astype(str).to_numpy(),
                index=articles["article_id"].astype(str).to_numpy(),
            )
            by_group = members.assign(
                unit=group_of.reindex(members["article_id"].astype(str)).to_numpy()
            )
            cells = pd.concat([cells, by_group[["unit", "story"]].dropna()], ignore_index=True)
    cells = cells[cells["story"].isin(chosen["story"])].drop_duplicates()
    shares = coverage.assign(unit=coverage["unit"].astype(str))
    shares = pd.concat(
        [
            shares[(shares["level"] == "outlet") & shares["unit"].isin(outlets)],
            shares[(shares["level"] == level) & (level != "outlet")],
        ]
    )
    return level, outlets, groups, chosen.reset_index(drop=True), cells, shares


def _story_label(row, one_year: bool) -> str:
    date = row.first_published
    when = "" if pd.isna(date) else f"{date.day} {date:%b}" + ("" if one_year else f" {date:%Y}")
    title = " ".join(str(row.title).split())
    if len(title) > TITLE_CHARACTERS:
        title = title[: TITLE_CHARACTERS - 1].rstrip() + "…"
    return plain(" ".join(part for part in (when, title or f"story {row.story}") if part))


def _coverage_caption(tables: dict[str, pd.DataFrame]) -> str:
    level, outlets, groups, chosen, _, shares = _coverage_data(tables)
    n_outlets = tables["story_members"]["outlet"].nunique()
    n_stories = len(tables["stories"])
    text = (
        f"Which stories each outlet covers. Left: the {len(chosen)} stories covered by the "
        f"most outlets (of {n_stories:,}; columns, by the date of their first article, "
        "labelled by it and by the title of that article) and the "
        + (
            f"{len(outlets)} outlets covering the most stories (of {n_outlets:,})"
            if n_outlets > len(outlets)
            else f"{len(outlets)} outlets"
        )
        + "; a filled cell: the outlet has an article in the story."
    )
    if groups:
        text += f" The last rows are the groups of outlets ({level}): any outlet of the group."
    text += (
        " Right: the share of the major stories of its time each covers (major: covered by "
        f"at least {_major_outlets(tables['story_coverage'])} outlets; its time: from its "
        "first to its last article), with the 95% Wilson interval, the major stories taken "
        "as the trials; beside it, how many of how many."
    )
    if shares["major_share"].isna().any():
        text += " No dot: no major story began in the unit's time."
    return text


def _major_outlets(coverage: pd.DataFrame) -> str:
    """The outlets that make a story major, as the coverage table records them."""
    if "major_outlets" in coverage and len(coverage):
        return str(int(coverage["major_outlets"].iloc[0]))
    return "the run's stories.major_outlets"


@register(
    "stories_covered",
    caption=_coverage_caption,
    needs=("story_coverage", "story_members", "stories"),
    reads=("articles",),
)
def story_coverage(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """A grid of outlets by major stories, filled where the outlet covers the story, and
    beside it each unit's share of the major stories of its time."""
    level, outlets, groups, chosen, cells, shares = _coverage_data(tables)
    rows = outlets + groups
    at = {unit: i for i, unit in enumerate(rows)}
    column = {story: j for j, story in enumerate(chosen["story"])}
    dates = chosen["first_published"].dropna()
    one_year = dates.dt.year.nunique() <= 1
    labels = [_story_label(row, one_year) for row in chosen.itertuples(index=False)]
    label_height = 0.05 * max([len(label) for label in labels] + [8]) * 0.62
    height = 0.6 + label_height + 0.14 * len(rows)
    fig, (grid, side) = plt.subplots(
        1,
        2,
        figsize=(DOUBLE_COLUMN, height),
        layout="constrained",
        sharey=True,
        gridspec_kw={"width_ratios": [max(len(chosen), 4), 12]},
    )
    for unit, story in cells.itertuples(index=False):
        if unit in at and story in column:
            colour = "0.45" if unit in groups and unit not in outlets else "0.2"
            grid.add_patch(
                Rectangle((column[story] - 0.42, at[unit] - 0.38), 0.84, 0.76, color=colour, lw=0)
            )
    grid.set_xlim(-0.5, len(chosen) - 0.5)
    grid.set_ylim(len(rows) - 0.5, -0.5)
    grid.set_xticks(range(len(chosen)), labels, rotation=90, fontsize=5)
    grid.set_xticks(np.arange(len(chosen) + 1) - 0.5, minor=True)
    grid.set_yticks(np.arange(len(rows) + 1) - 0.5, minor=True)
    grid.grid(which="minor", color="0.88", linewidth=0.4)
    grid.tick_params(which="both", length=0)
    for spine in grid.spines.values():
        spine.set_visible(False)
    if groups:
        grid.axhline(len(outlets) - 0.5, color="0.3", linewidth=0.8)
    grid.set_yticks(
        range(len(rows)),
        [plain(plots.short_label(u)) for u in rows],
        fontsize=6,
    )
    colours = {**_colours(tables, outlets, "outlet"), **_colours(tables, groups, level)}
    drawn = []
    for unit in rows:
        found = shares[shares["unit"] == unit]
        if found.empty:
            continue
        row = found.iloc[0]
        y = at[unit]
        if not np.isnan(row["major_share"]):
            plots.point_with_interval(
                side, row["major_share"], y, row["major_low"], row["major_high"], colours[unit]
            )
        drawn.append(row)
    side.set_xlim(-0.02, 1.02)
    side.set_xticks([0, 0.5, 1], ["0", "0.5", "1"])
    side.xaxis.grid(True)
    side.set_xlabel("share of the major\nstories of its time", fontsize="small")
    side.tick_params(axis="y", which="both", length=0)
    right = side.secondary_yaxis("right")
    plotted = pd.DataFrame(drawn).reset_index(drop=True)
    counts = {
        str(r.unit): f"{r.n_major_covered:,} of {r.n_major_stories:,}"
        if r.n_major_stories
        else "none in its time"
        for r in plotted.itertuples(index=False)
    }
    right.set_yticks(range(len(rows)), [counts.get(u, "") for u in rows], fontsize=5.5)
    right.tick_params(length=0)
    right.spines["right"].set_visible(False)
    if groups:
        side.axhline(len(outlets) - 0.5, color="0.3", linewidth=0.8)
    grid.set_xlabel("stories covered by the most outlets, by date", fontsize="small")
    covered = cells.assign(covered=True)
    grid_table = (
        pd.MultiIndex.from_product([rows, chosen["story"]], names=["unit", "story"])
        .to_frame(index=False)
        .merge(covered, on=["unit", "story"], how="left")
    )
    grid_table["covered"] = grid_table["covered"].fillna(False).astype(bool)
    grid_table = grid_table.merge(
        chosen[["story", "title", "first_published", "n_outlets"]], on="story", how="left"
    )
    if len(plotted):
        grid_table = grid_table.merge(
            plotted[[*SHARE_COLUMNS]],
            on="unit",
            how="left",
        )
    return fig, grid_table


# -- timeline ------------------------------------------------------------------------------


def _timeline_data(tables: dict[str, pd.DataFrame]):
    """The level drawn, its units, the measures (panels) and their rows."""
    table = tables["timeline"]
    level = _level(table) if len(table) else "outlet"
    rows = table[table["level"] == level]
    rows = rows.assign(unit=rows["unit"].astype(str), measure=rows["measure"].astype(str))
    units = sorted(rows["unit"].unique())
    order = list(dict.fromkeys(zip(rows["family"].astype(str), rows["measure"])))
    frames = [key for key in order if key[0] == "frames"]
    weighted = rows.assign(_w=rows["estimate"].fillna(0) * rows["n_articles"])
    totals = weighted.groupby("measure")[["_w", "n_articles"]].sum()
    mean = totals["_w"] / totals["n_articles"].where(totals["n_articles"] > 0)
    frames = sorted(
        frames, key=lambda key: (-np.nan_to_num(mean.get(key[1], np.nan)), order.index(key))
    )
    first = [key for key in order if key[1] == TONE]
    rest = [key for key in order if key[1] != TONE and key not in frames]
    measures = (first + frames[:TIMELINE_FRAMES] + rest)[: 1 + TIMELINE_FRAMES]
    rows = rows[rows["measure"].isin([m for _, m in measures])].reset_index(drop=True)
    return level, units, measures, rows


def _smoothing(rows: pd.DataFrame) -> int | None:
    """The periods on either side of the smoothed line's window (the table's ``smooth``)."""
    if rows.empty or "smooth" not in rows:
        return None
    return int(rows["smooth"].iloc[0])


def _with_gaps(line: pd.DataFrame, period: str) -> pd.DataFrame:
    """A unit's rows on every period from its first to its last (empty ones as NaN, so the
    line breaks there rather than bridging them), with ``middle``: the middle of each
    period, where its mean is drawn (a month's mean at the 1st would sit before the events
    of its second half)."""
    if line.empty:
        return line.assign(middle=line["period"])
    code = {"week": "W-SUN", "month": "M"}.get(period, "W-SUN")
    spans = pd.period_range(line["period"].min(), line["period"].max(), freq=code)
    full = line.set_index("period").reindex(spans.start_time).rename_axis("period")
    full = full.reset_index()
    full["middle"] = spans.start_time + (spans.end_time - spans.start_time) / 2
    return full


def _events(tables: dict[str, pd.DataFrame], rows: pd.DataFrame, period: str):
    """The events within the drawn dates (the first period to the end of the last), and
    how many fall outside."""
    events = tables.get("timeline_events")
    if events is None or events.empty:
        return pd.DataFrame(columns=["date", "label"]), 0
    if rows.empty:
        return events.iloc[:0], len(events)
    start = rows["period"].min()
    end = rows["period"].max() + (
        pd.Timedelta(days=7) if period == "week" else pd.offsets.MonthEnd(1)
    )
    inside = events[(events["date"] >= start) & (events["date"] <= end)].reset_index(drop=True)
    return inside, len(events) - len(inside)


def _period_name(rows: pd.DataFrame) -> str:
    if "period_length" in rows and len(rows):
        return str(rows["period_length"].iloc[0])
    return "period"


def _timeline_caption(tables: dict[str, pd.DataFrame]) -> str:
    level, units, measures, rows = _timeline_data(tables)
    if rows.empty:
        return (
            "Measures over time: no article has a date, so nothing is drawn "
            "(all articles are counted as n_unplaced in timeline.csv)."
            if "timeline" in tables
            else ""
        )
    period = _period_name(rows)
    smooth = _smoothing(rows)
    undated = int(rows.drop_duplicates("unit")["n_unplaced"].sum())
    who = f"group of outlets ({level})" if level != "outlet" else "outlet"
    window = (
        f"the mean over the articles of {2 * smooth + 1} {period}s (the {period} and "
        f"{smooth} on either side)"
        if smooth
        else f"the {period}'s mean (no smoothing)"
        if smooth == 0
        else f"the mean over the articles of the {period} and its neighbours"
    )
    frames = [m for f, m in measures if f == "frames"]
    text = (
        f"Measures by {period} ({period}s starting on "
        + ("Monday" if period == "week" else "the 1st")
        + f"), one line per {who}"
        + (" (the outlets with the most dated articles)" if level == "outlet" else "")
        + f": {window}, with its 95% band; faint points: each {period}'s own mean (area: its "
        f"articles); each {period} is drawn at its middle, and the line breaks where a "
        f"{period} has no article within its window. Panels: tone"
        + (
            f", then the {len(frames)} frame{'s' * (len(frames) != 1)} with the highest mean "
            "rate (matches per 1,000 words) over the units and periods drawn"
            if frames
            else ""
        )
        + "."
    )
    if rows["smooth_low"].isna().any():
        few = (
            f"fewer than {stats.MIN_CLUSTERS} outlets"
            if level != "outlet"
            else f"fewer than {stats.MIN_UNITS_MEAN} articles"
        )
        text += (
            " No band where the window has " + few + " (too few for an interval to cover as "
            "it should)"
            + (": here nowhere" if rows["smooth_low"].isna().all() else "")
            + "; the line is then drawn alone."
        )
    events, outside = _events(tables, rows, period)
    if len(events):
        text += " Dashed lines: the events the study marks (numbered as in the key)."
    if outside:
        text += f" {outside} marked event{'s' * (outside != 1)} outside these dates not drawn."
    if undated:
        text += (
            f" {undated:,} article{'s' * (undated != 1)} of the units drawn "
            f"{'are' if undated != 1 else 'is'} in no {period} (no date, a date less precise "
            f"than a {period}, or one far from the others) and not drawn."
        )
    return text


@register(
    "measures_over_time",
    caption=_timeline_caption,
    needs=("timeline",),
    reads=("articles", "timeline_events"),
)
def timeline(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """One panel per measure: each unit's smoothed line with its band and its per-period
    means, with the events marked."""
    level, units, measures, rows = _timeline_data(tables)
    period = _period_name(rows)
    colours = _colours(tables, units, level)
    n_panels = max(1, len(measures))
    ncols = 2 if n_panels > 1 else 1
    nrows = -(-n_panels // ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(DOUBLE_COLUMN, 0.9 + 1.7 * nrows),
        layout="constrained",
        sharex=True,
        squeeze=False,
    )
    events, _ = _events(tables, rows, period)
    levels = _event_levels(events, rows)
    biggest = max(int(rows["n_articles"].max()) if len(rows) else 1, 1)
    for ax, (family, measure) in zip(axes.flat, measures):
        cell = rows[rows["measure"] == measure]
        for unit in units:
            line = _with_gaps(cell[cell["unit"] == unit], period)
            if line.empty:
                continue
            colour = colours[unit]
            has = line["smooth_low"].notna().to_numpy()
            if has.any():
                ax.fill_between(
                    line["middle"],
                    line["smooth_low"].where(has),
                    line["smooth_high"].where(has),
                    color=colour,
                    alpha=0.18,
                    linewidth=0,
                )
            ax.plot(
                line["middle"],
                line["smoothed"],
                color=colour,
                linewidth=1.1,
                marker="o" if len(line) == 1 else None,
                markersize=2.5,
            )
            points = line[line["estimate"].notna()]
            ax.scatter(
                points["middle"],
                points["estimate"],
                s=1.5 + 10 * np.sqrt(points["n_articles"] / biggest),
                color=colour,
                alpha=0.35,
                linewidths=0,
            )
        for number, (date, height) in enumerate(zip(events["date"], levels), start=1):
            ax.axvline(date, color="0.4", linestyle="--", linewidth=0.6, zorder=0)
            ax.text(
                date,
                height,
                str(number),
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="top",
                fontsize=5.5,
                color="0.25",
                bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"},
            )
        ax.set_title(_title(family, measure, 40), fontsize="small")
        low, high = ax.get_ylim()
        locator = ticker.MaxNLocator(nbins=4)
        ax.set_yticks([t for t in locator.tick_values(low, high) if low <= t <= high])
        ax.set_ylim(low, high)
        ax.tick_params(labelsize="x-small")
        ax.yaxis.grid(True)
    if not measures:
        axes[0, 0].text(
            0.5,
            0.5,
            "no article has a date",
            ha="center",
            va="center",
            transform=axes[0, 0].transAxes,
            fontsize="small",
        )
        axes[0, 0].set_xticks([])
        axes[0, 0].set_yticks([])
    for ax in axes.flat[n_panels:]:
        ax.set_visible(False)
    for ax in axes.flat[max(0, n_panels - ncols) : n_panels]:
        ax.xaxis.set_tick_params(labelbottom=True)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    totals = rows[rows["measure"] == TONE] if (rows["measure"] == TONE).any() else rows
    dated = totals.groupby("unit")["n_articles"].sum()
    handles = [
        plt.Line2D(
            [],
            [],
            color=colours[u],
            linewidth=1.1,
            label=plain(f"{plots.short_label(u)} ({_articles(int(dated.get(u, 0)))})"),
        )
        for u in units
    ]
    if handles:
        fig.legend(
            handles=handles,
            loc="outside upper center",
            ncols=min(len(handles), 3),
            fontsize="x-small",
        )
    if len(events):
        keys = [
            plt.Line2D(
                [],
                [],
                color="0.4",
                linestyle="--",
                linewidth=0.6,
                label=plain(f"{n} {plots.short_label(label)} ({date.day} {date:%b %Y})"),
            )
            for n, (date, label) in enumerate(zip(events["date"], events["label"]), start=1)
        ]
        fig.legend(
            handles=keys,
            loc="outside lower center",
            ncols=min(len(keys), 3),
            fontsize="x-small",
            title="events",
            title_fontsize="x-small",
        )
    return fig, rows


def _articles(n: int) -> str:
    return f"{n:,} article{'s' * (n != 1)}"


def _event_levels(events: pd.DataFrame, rows: pd.DataFrame) -> list[float]:
    """The height (axes fraction, top of the text) of each event's number: the highest
    free row, a row lower when the previous number on that row is too close."""
    if events.empty or rows.empty:
        return []
    start = rows["period"].min()
    span = max((rows["period"].max() - start).days, 1)
    place = ((events["date"] - start).dt.days / span).to_numpy(dtype=float)
    last: list[float] = []
    levels = []
    for x in place:
        for i, previous in enumerate(last):
            if x - previous >= 0.045:
                last[i] = x
                levels.append(0.98 - 0.09 * i)
                break
        else:
            last.append(x)
            levels.append(0.98 - 0.09 * (len(last) - 1))
    return levels
