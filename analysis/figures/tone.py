"""Tone figures: by outlet and voice, along the article, and toward actors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import plots, stats
from analysis.figures import (
    DOUBLE_COLUMN,
    SINGLE_COLUMN,
    register,
    shown_outlets,
    shown_outlets_note,
)

VOICE_MEASURES = {
    "all": "compound_mean",
    "narrative": "compound_narrative",
    "quote": "compound_quote",
    "social": "compound_social",
}
VOICE_MARKERS = {"all": "o", "narrative": "s", "quote": "^", "social": "D"}


def _unit(table: pd.DataFrame) -> str:
    units = table["unit"].dropna().unique() if len(table) else []
    return str(units[0]) if len(units) else "article"


def _interval_note(table: pd.DataFrame, unit: str, *, missing_mark: str = "Open markers") -> str:
    text = (
        f"Bars: 95% studentized bootstrap intervals resampling {unit}s "
        f"({'each article one unit' if unit == 'article' else 'each sentence one unit'})."
    )
    if unit == "sentence":
        text += " " + stats.SENTENCE_CAVEAT
    missing = table[(table["n_units"] > 0) & table["ci_low"].isna()] if len(table) else table
    if len(missing):
        text += (
            f" {missing_mark}: no interval (fewer than {stats.MIN_UNITS_MEAN} {unit}s, below "
            "which no interval covers as it should, e.g. one article per outlet)."
        )
    return text


def _tone_by_voice_caption(tables: dict[str, pd.DataFrame]) -> str:
    table = tables["outlet_tone"]
    table = table[table["outlet"].isin(shown_outlets(tables))]
    unit = _unit(table)
    return (
        "Tone by outlet and voice: mean VADER compound score (-1 most negative, +1 most "
        "positive) of all sentences and separately of the outlet's own narrative, of "
        "quotations and of embedded social-media posts. "
        + _interval_note(table[table["measure"].isin(VOICE_MEASURES.values())], unit)
        + shown_outlets_note(tables)
    )


@register("tone_by_voice", caption=_tone_by_voice_caption, needs=("articles", "outlet_tone"))
def tone_by_voice(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Per outlet, the mean compound of all sentences and of each voice, with intervals."""
    table = tables["outlet_tone"]
    data = table[table["measure"].isin(VOICE_MEASURES.values())].copy()
    data["voice"] = data["measure"].map({m: v for v, m in VOICE_MEASURES.items()})
    outlets = shown_outlets(tables)
    data = data[(data["n_units"] > 0) & data["outlet"].isin(outlets)]
    colors = plots.outlet_colors(outlets)
    fig, ax = plt.subplots(figsize=(SINGLE_COLUMN, 0.9 + 0.5 * len(outlets)), layout="constrained")
    offsets = dict(zip(VOICE_MEASURES, np.linspace(-0.27, 0.27, len(VOICE_MEASURES))))
    for row in data.itertuples(index=False):
        y = outlets.index(row.outlet) + offsets[row.voice]
        color = colors[row.outlet]
        has_interval = not np.isnan(row.ci_low)
        if has_interval:
            ax.errorbar(
                row.estimate,
                y,
                xerr=[[row.estimate - row.ci_low], [row.ci_high - row.estimate]],
                fmt="none",
                ecolor=color,
                elinewidth=0.8,
                capsize=0,
            )
        ax.plot(
            row.estimate,
            y,
            marker=VOICE_MARKERS[row.voice],
            markersize=4,
            linestyle="none",
            markerfacecolor=color if has_interval else "white",
            markeredgecolor=color,
            markeredgewidth=0.8,
        )
    ax.axvline(0, color="0.6", linewidth=0.5, zorder=0)
    ax.set_yticks(range(len(outlets)), [plots.wrap_label(o) for o in outlets])
    ax.set_ylim(len(outlets) - 0.5, -0.5)
    limit = max(0.25, float(np.nanmax(np.abs(data[["estimate", "ci_low", "ci_high"]].to_numpy()))))
    ax.set_xlim(-min(1.0, limit * 1.1), min(1.0, limit * 1.1))
    ax.set_xlabel("mean compound (VADER)")
    handles = [
        plt.Line2D(
            [], [], marker=VOICE_MARKERS[v], color="0.2", linestyle="none", markersize=4, label=v
        )
        for v in VOICE_MEASURES
    ]
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=4,
        handletextpad=0.2,
        columnspacing=0.8,
    )
    ax.xaxis.grid(True)
    plotted = data[
        ["outlet", "voice", "estimate", "ci_low", "ci_high", "n_units", "n_articles", "unit"]
    ].reset_index(drop=True)
    return fig, plotted


def _along_caption(tables: dict[str, pd.DataFrame]) -> str:
    table = tables["tone_by_position"]
    table = table[table["outlet"].isin(shown_outlets(tables))]
    unit = _unit(table)
    bins = int(table["bin"].max()) + 1 if len(table) else 0
    return (
        f"Tone along the article: mean VADER compound of the sentences in each of {bins} "
        "equal parts of the article (0 = first sentence, 1 = last), per outlet. "
        + _interval_note(table, unit, missing_mark="No band").replace("Bars", "Bands")
        + shown_outlets_note(tables)
    )


@register("tone_along_article", caption=_along_caption, needs=("articles", "tone_by_position"))
def tone_along_article(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Mean compound by position bin per outlet, with interval bands.

    Up to :data:`FACET_OVER` outlets share one panel with a colour legend; beyond that each
    outlet gets its own small panel (the others drawn in light grey for context), because
    colour alone cannot tell many outlets apart.
    """
    outlets = shown_outlets(tables)
    data = tables["tone_by_position"]
    data = data[data["outlet"].isin(outlets)].sort_values(["outlet", "bin"])
    data = data.assign(x=(data["bin_start"] + data["bin_end"]) / 2)
    colors = plots.outlet_colors(outlets)
    if len(outlets) <= FACET_OVER:
        fig, ax = plt.subplots(figsize=(SINGLE_COLUMN, 2.9), layout="constrained")
        for outlet, rows in data.groupby("outlet", sort=True):
            _position_line(ax, rows, colors[outlet], label=plots.wrap_label(outlet, 30))
        _position_axes(ax)
        ax.set_ylabel("mean compound (VADER)")
        fig.legend(loc="outside lower center", ncols=2, fontsize="small")
    else:
        ncols = 4
        nrows = -(-len(outlets) // ncols)
        fig, axes = plt.subplots(
            nrows,
            ncols,
            figsize=(DOUBLE_COLUMN, 0.3 + 1.25 * nrows),
            sharex=True,
            sharey=True,
            layout="constrained",
            squeeze=False,
        )
        for ax, outlet in zip(axes.flat, outlets):
            for other, rows in data.groupby("outlet", sort=True):
                if other != outlet:
                    ax.plot(rows["x"], rows["estimate"], color="0.85", linewidth=0.5)
            _position_line(ax, data[data["outlet"] == outlet], colors[outlet])
            _position_axes(ax)
            ax.set_title(plots.wrap_label(outlet, 32), fontsize="small")
            ax.set_xlabel("")
        for ax in axes.flat[len(outlets) :]:
            ax.set_visible(False)
        fig.supxlabel("position in the article (0 = start, 1 = end)", fontsize="medium")
        fig.supylabel("mean compound (VADER)", fontsize="medium")
    return fig, data.drop(columns="x").reset_index(drop=True)


FACET_OVER = 6
"""Above this many outlets, tone along the article is drawn as one small panel per outlet."""


def _position_line(ax, rows: pd.DataFrame, color: str, label: str | None = None) -> None:
    ax.fill_between(rows["x"], rows["ci_low"], rows["ci_high"], color=color, alpha=0.2, lw=0)
    ax.plot(rows["x"], rows["estimate"], color=color, marker="o", markersize=2.5, label=label)


def _position_axes(ax) -> None:
    ax.axhline(0, color="0.6", linewidth=0.5, zorder=0)
    ax.set_xlim(0, 1)
    # room above and below the lines, so that no tick label sits on a panel's edge where
    # the label of the panel below would meet it
    ax.margins(y=0.12)
    ax.set_xlabel("position in the article (0 = start, 1 = end)")
    ax.yaxis.grid(True)


HEATMAP_INTERVALS_UP_TO = 6
"""Up to this many outlets, heatmap cells also print their interval."""


def _actor_caption(tables: dict[str, pd.DataFrame]) -> str:
    table = tables["actor_tone"]
    unit = _unit(table)
    text = (
        "Tone toward actors: mean VADER compound of the sentences that mention each actor "
        "(all voices), per outlet, with its 95% bootstrap interval (low…high; in the CSV "
        "when more than six outlets are shown); n is the number of such sentences. Grey cells: "
        "the outlet never mentions the actor (not a tone of zero). The score is the tone of "
        "the whole sentence, which is not always tone toward the actor it mentions."
    )
    resampling = (
        " " + stats.SENTENCE_CAVEAT if unit == "sentence" else " Intervals resample articles."
    )
    return text + resampling + shown_outlets_note(tables)


@register("actor_tone_heatmap", caption=_actor_caption, needs=("articles", "actor_tone"))
def actor_tone_heatmap(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Actor x outlet heatmap of mean compound, annotated with the mention counts and, when
    there is room (up to :data:`HEATMAP_INTERVALS_UP_TO` outlets), the interval."""
    table = tables["actor_tone"]
    outlets = shown_outlets(tables)
    data = table[(table["voice"] == "all") & table["outlet"].isin(outlets)]
    actors = list(dict.fromkeys(data["actor"]))
    estimate = data.pivot(index="actor", columns="outlet", values="estimate").loc[actors, outlets]
    counts = data.pivot(index="actor", columns="outlet", values="n_sentences").loc[actors, outlets]
    lows = data.pivot(index="actor", columns="outlet", values="ci_low").loc[actors, outlets]
    highs = data.pivot(index="actor", columns="outlet", values="ci_high").loc[actors, outlets]
    with_intervals = len(outlets) <= HEATMAP_INTERVALS_UP_TO
    width = SINGLE_COLUMN if len(outlets) <= 5 else DOUBLE_COLUMN
    row_height = 0.46 if with_intervals else 0.36
    fig, ax = plt.subplots(figsize=(width, 1.15 + row_height * len(actors)), layout="constrained")
    values = estimate.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    limit = max(0.25, float(np.ceil(np.abs(finite).max() * 4) / 4)) if finite.size else 1.0
    # purple-orange: readable with colour blindness; grey where the actor is not mentioned
    cmap = plt.get_cmap("PuOr").with_extremes(bad="0.88")
    image = ax.imshow(
        np.ma.masked_invalid(values), cmap=cmap, vmin=-limit, vmax=limit, aspect="auto"
    )
    cells, shades = [], []
    for i in range(len(actors)):
        cells.append([])
        shades.append([])
        for j in range(len(outlets)):
            n = int(counts.iloc[i, j])
            label = "–" if n == 0 else f"{values[i, j]:+.2f}\nn={n}"
            if n and with_intervals:
                low, high = lows.iloc[i, j], highs.iloc[i, j]
                interval = "no interval" if np.isnan(low) else f"{low:.2f}…{high:.2f}"
                label = f"{values[i, j]:+.2f}\n{interval}\nn={n}"
            cells[-1].append(label)
            shades[-1].append(abs(values[i, j]) / limit if n else 0)
    plots.annotate_cells(ax, cells, shades)
    plots.heatmap_labels(
        ax, [plots.wrap_label(o, 24) for o in outlets], [plots.wrap_label(a, 18) for a in actors]
    )
    bar = fig.colorbar(image, ax=ax, shrink=0.6, pad=0.02, location="top", aspect=30)
    bar.set_label("mean compound")
    bar.outline.set_linewidth(0.4)
    plotted = data[
        ["actor", "outlet", "estimate", "ci_low", "ci_high", "n_sentences", "n_articles", "unit"]
    ].reset_index(drop=True)
    return fig, plotted
