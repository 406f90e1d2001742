"""Frame figures: salience by outlet, the outlet-by-frame profile, and the terms behind them."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure

from analysis import plots, stats
from analysis.figures.spec import (
    DOUBLE_COLUMN,
    SINGLE_COLUMN,
    register,
    shown_outlets,
    shown_outlets_note,
)

DODGE_UP_TO = 6
"""Up to this many outlets share one salience panel; beyond, one panel per outlet."""
TOP_TERMS = 5


def _label(category: str) -> str:
    return plots.wrap_label(category.replace("_", " "), 26)


def _unit_note(table: pd.DataFrame) -> str:
    unit = str(table["unit"].iloc[0]) if len(table) else "article"
    if unit == "sentence":
        return (
            " Estimates pool each outlet's matches per 1,000 of its tokens; bars resample "
            "sentences. " + stats.SENTENCE_CAVEAT
        )
    if table["ci_low"].isna().all():
        return (
            " Estimates are the mean of the outlet's article rates. No interval could be "
            f"computed: every outlet has fewer than {stats.MIN_UNITS_MEAN} articles (below "
            "that no interval covers as it should), or too few articles using the frame, so "
            "nothing shows how far chance could move these rates. Open markers: no interval."
        )
    text = (
        " Estimates are the mean of the outlet's article rates; bars are 95% studentized "
        "bootstrap intervals resampling articles."
    )
    if table["ci_low"].isna().any():
        text += (
            f" Open markers: no interval (fewer than {stats.MIN_UNITS_MEAN} articles, below "
            "which no interval covers as it should; or too few articles using the frame)."
        )
    return text


def _salience_caption(tables: dict[str, pd.DataFrame]) -> str:
    table = tables["outlet_frames"]
    table = table[table["outlet"].isin(shown_outlets(tables))]
    return (
        "Frame salience: matches of each frame's dictionary terms per 1,000 tokens, by outlet "
        f"(dictionary: {tables['frame_dictionary']['name'].iloc[0]}); each outlet's label "
        "gives its number of articles. The legend's markers are drawn as the plot draws them "
        "(open when none of the outlet's markers has an interval)."
        + _unit_note(table)
        + shown_outlets_note(tables)
    )


@register(
    "frame_salience",
    caption=_salience_caption,
    needs=("articles", "outlet_frames", "frame_dictionary"),
)
def frame_salience(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Rate per 1,000 tokens of every frame, per outlet, with intervals."""
    outlets = shown_outlets(tables)
    colors = plots.outlet_colors(outlets)
    data = tables["outlet_frames"]
    data = data[data["outlet"].isin(outlets)].reset_index(drop=True)
    categories = list(dict.fromkeys(data["measure"]))
    articles = tables["articles"]["outlet"].astype(str).value_counts()
    counts = {o: plots.counts_label(int(articles.get(o, 0))) for o in outlets}
    if len(outlets) <= DODGE_UP_TO:
        fig, ax = plt.subplots(
            figsize=(SINGLE_COLUMN, 0.9 + 0.32 * len(categories) * max(1, len(outlets) / 3)),
            layout="constrained",
        )
        offsets = dict(zip(outlets, np.linspace(-0.3, 0.3, len(outlets))))
        for row in data.itertuples(index=False):
            y = categories.index(row.measure) + offsets[row.outlet]
            plots.point_with_interval(
                ax, row.estimate, y, row.ci_low, row.ci_high, colors[row.outlet]
            )
        ax.set_yticks(range(len(categories)), [_label(c) for c in categories])
        ax.set_ylim(len(categories) - 0.5, -0.5)
        ax.set_xlabel("matches per 1,000 tokens")
        ax.xaxis.grid(True)
        # each outlet's legend marker as its markers are drawn: open when none has an interval
        with_interval = data.groupby("outlet")["ci_low"].apply(lambda lows: lows.notna().any())
        rated = set(data.loc[data["estimate"].notna(), "outlet"])
        no_words = {o: ", no words" for o in outlets if o not in rated}
        handles = [
            plt.Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markersize=3.5,
                markeredgecolor=colors[o],
                markerfacecolor=colors[o] if with_interval.get(o, False) else "white",
                markeredgewidth=0.8,
                label=f"{plots.wrap_label(o, 30)} ({counts[o]}{no_words.get(o, '')})",
            )
            for o in outlets
        ]
        some_open = bool(data["ci_low"].isna().any())
        title = None
        if some_open:
            title = (
                "filled: with 95% interval; open: no interval"
                if data["ci_low"].notna().any()
                else "open markers: no interval"
            )
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=2,
            fontsize="small",
            title=title,
            title_fontsize="small",
        )
    else:
        ncols = 4
        nrows = -(-len(outlets) // ncols)
        fig, axes = plt.subplots(
            nrows,
            ncols,
            figsize=(DOUBLE_COLUMN, 0.5 + (0.4 + 0.28 * len(categories)) * nrows),
            sharex=True,
            sharey=True,
            layout="constrained",
            squeeze=False,
        )
        for ax, outlet in zip(axes.flat, outlets):
            for row in data[data["outlet"] == outlet].itertuples(index=False):
                y = categories.index(row.measure)
                plots.point_with_interval(
                    ax, row.estimate, y, row.ci_low, row.ci_high, colors[outlet]
                )
            ax.set_title(f"{plots.wrap_label(outlet, 26)}\n{counts[outlet]}", fontsize=6)
            ax.xaxis.grid(True)
        for ax in axes.flat[len(outlets) :]:
            ax.set_visible(False)
        axes[0, 0].set_yticks(range(len(categories)), [_label(c) for c in categories])
        axes[0, 0].set_ylim(len(categories) - 0.5, -0.5)
        axes[0, 0].set_xlim(left=0)  # rates: the panels' tick labels would otherwise touch
        axes[0, 0].xaxis.set_major_locator(ticker.MaxNLocator(nbins=3, prune="upper"))
        fig.supxlabel("matches per 1,000 tokens", fontsize="medium")
    return fig, data


def _profile_caption(tables: dict[str, pd.DataFrame]) -> str:
    return (
        "Frame profile: each outlet's rate for each frame (matches per 1,000 tokens, printed), "
        "shaded relative to the highest outlet on that frame (darkest = the outlet that uses "
        "the frame most), so frames of different overall frequency can be compared across "
        "outlets. Shading ignores uncertainty; see the salience figure for intervals."
        + shown_outlets_note(tables)
    )


@register("frame_profile", caption=_profile_caption, needs=("articles", "outlet_frames"))
def frame_profile(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Outlet x frame heatmap of rates, scaled per frame."""
    outlets = shown_outlets(tables)
    data = tables["outlet_frames"]
    data = data[data["outlet"].isin(outlets)]
    categories = list(dict.fromkeys(data["measure"]))
    # an outlet with no words has no rate: its row stays empty ('–'), never a KeyError
    rates = data.pivot(index="outlet", columns="measure", values="estimate").reindex(
        index=outlets, columns=categories
    )
    peak = rates.max(axis=0).replace(0, np.nan)
    scaled = rates / peak
    width = SINGLE_COLUMN if len(categories) <= 8 else DOUBLE_COLUMN
    fig, ax = plt.subplots(figsize=(width, 1.3 + 0.3 * len(outlets)), layout="constrained")
    image = ax.imshow(scaled.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    labels = [["–" if np.isnan(v) else f"{v:.1f}" for v in row] for row in rates.to_numpy()]
    plots.annotate_cells(ax, labels, np.nan_to_num(scaled.to_numpy(dtype=float)))
    plots.heatmap_labels(
        ax,
        [_label(c) for c in categories],
        [
            plots.wrap_label(o, 26) + ("\n(no words)" if rates.loc[o].isna().all() else "")
            for o in outlets
        ],
        rotation=40,
        column_size=5.5,
        row_size=6,
    )
    bar = fig.colorbar(image, ax=ax, shrink=0.7, pad=0.02, aspect=25)
    bar.set_label("share of the highest outlet's rate", fontsize=6)
    bar.ax.tick_params(labelsize=6)
    plotted = rates.stack().rename("rate").reset_index()
    plotted["scaled"] = scaled.stack().to_numpy()
    return fig, plotted


def _terms_caption(tables: dict[str, pd.DataFrame]) -> str:
    return (
        f"The terms behind each frame: the {TOP_TERMS} matched terms with the most matches "
        "per frame across the outlets shown, split by outlet. A frame driven by one or two "
        "terms (or by a name, such as 'Security Council' for security) deserves a look "
        "before its salience is read as framing. Counts, not rates: outlets with more text "
        "have longer bars; negated matches are not counted." + shown_outlets_note(tables)
    )


@register(
    "frame_top_terms", caption=_terms_caption, needs=("articles", "frame_audit", "outlet_frames")
)
def frame_top_terms(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Per frame, the most matched terms as bars stacked by outlet."""
    outlets = shown_outlets(tables)
    colors = plots.outlet_colors(outlets)
    audit = tables["frame_audit"]
    audit = audit[audit["outlet"].isin(outlets) & (audit["count"] > 0)]  # negated: not here
    in_order = dict.fromkeys(tables["outlet_frames"]["measure"])  # the dictionary's order
    matched = set(audit["category"])
    categories = [c for c in in_order if c in matched]
    totals = audit.groupby(["category", "term"], sort=False)["count"].sum()
    top = (
        totals.sort_values(ascending=False)
        .groupby(level="category", sort=False)
        .head(TOP_TERMS)
        .reset_index()
    )
    ncols = min(4, max(1, len(categories)))
    nrows = -(-len(categories) // ncols) if categories else 1
    legend_rows = -(-len(outlets) // 4)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(DOUBLE_COLUMN, 0.5 + 1.05 * nrows + 0.18 * legend_rows),
        layout="constrained",
        squeeze=False,
    )
    plotted = []
    for ax, category in zip(axes.flat, categories):
        terms = top.loc[top["category"] == category, "term"].tolist()
        counts = (
            audit[(audit["category"] == category) & audit["term"].isin(terms)]
            .pivot_table(index="term", columns="outlet", values="count", aggfunc="sum")
            .reindex(index=terms, columns=outlets)
            .fillna(0)
        )
        # one call for every outlet's segments, outlet by outlet as they are stacked
        widths = counts.to_numpy(dtype=float).T
        lefts = np.vstack([np.zeros(len(terms)), np.cumsum(widths, axis=0)[:-1]])
        ax.barh(
            np.tile(np.arange(len(terms)), len(outlets)),
            widths.ravel(),
            left=lefts.ravel(),
            color=np.repeat([colors[o] for o in outlets], len(terms)),
            height=0.7,
            linewidth=0,
        )
        ax.set_yticks(range(len(terms)), terms, fontsize=5.5)
        ax.set_ylim(len(terms) - 0.5, -0.5) if terms else None
        ax.set_title(_label(category), fontsize=6)
        ax.tick_params(axis="x", labelsize=5.5)
        ax.set_xlabel("matches", fontsize=5.5)
        plotted.append(counts.stack().rename("count").reset_index().assign(category=category))
    for ax in axes.flat[len(categories) :]:
        ax.set_visible(False)
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=colors[o], label=plots.wrap_label(o, 30)) for o in outlets
    ]
    fig.legend(
        handles=handles, loc="outside lower center", ncols=min(4, len(outlets)), fontsize="small"
    )
    data = (
        pd.concat(plotted, ignore_index=True)[["category", "term", "outlet", "count"]]
        if plotted
        else pd.DataFrame(columns=["category", "term", "outlet", "count"])
    )
    return fig, data
