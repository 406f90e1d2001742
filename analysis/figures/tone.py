"""Tone figures: by outlet and voice, along the article, and toward actors.

Their captions, and the notes and counts printed on them, are in
:mod:`analysis.figures.tone_captions`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from analysis import plots, stats
from analysis.figures.spec import DOUBLE_COLUMN, SINGLE_COLUMN, register, shown_outlets
from analysis.figures.tone_captions import (
    HEATMAP_INTERVALS_UP_TO,
    VOICE_MEASURES,
    _actor_caption,
    _along_caption,
    _legend_title,
    _outlet_counts,
    _position_counts,
    _tone_by_voice_caption,
    _unit,
    _voice_sentences,
)

__all__ = [
    "FACET_OVER",
    "FADED",
    "HEATMAP_INTERVALS_UP_TO",
    "VOICE_MARKERS",
    "VOICE_MEASURES",
    "actor_tone_heatmap",
    "tone_along_article",
    "tone_by_voice",
]

VOICE_MARKERS = {"all": "o", "narrative": "s", "quote": "^", "social": "D"}
FACET_OVER = 6
"""Above this many outlets, tone along the article is drawn as one small panel per outlet."""
FADED = 0.35
"""How much of its colour a heatmap cell resting on few sentences keeps (blended with white)."""


@register(
    "tone_by_voice",
    caption=_tone_by_voice_caption,
    needs=("articles", "outlet_tone"),
    reads=("article_tone", "outlet_tone"),
)
def tone_by_voice(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Per outlet, the mean compound of all sentences and of each voice, with intervals."""
    table = tables["outlet_tone"]
    data = table[table["measure"].isin(VOICE_MEASURES.values())].copy()
    data["voice"] = data["measure"].map({m: v for v, m in VOICE_MEASURES.items()})
    outlets = shown_outlets(tables)
    data = data[(data["n_units"] > 0) & data["outlet"].isin(outlets)]
    data = data.assign(n_sentences=_voice_sentences(tables, data))
    colors = plots.outlet_colors(outlets)
    counts = _outlet_counts(tables, outlets)
    fig, ax = plt.subplots(figsize=(SINGLE_COLUMN, 0.9 + 0.6 * len(outlets)), layout="constrained")
    offsets = dict(zip(VOICE_MEASURES, np.linspace(-0.27, 0.27, len(VOICE_MEASURES))))
    limit = max(0.25, float(np.nanmax(np.abs(data[["estimate", "ci_low", "ci_high"]].to_numpy()))))
    ax.set_xlim(-min(1.0, limit * 1.1), min(1.0, limit * 1.1))
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
        if row.n_sentences < plots.FEW:
            plots.note_n(ax, row.estimate, y, int(row.n_sentences))
    ax.axvline(0, color="0.6", linewidth=0.5, zorder=0)
    ax.set_yticks(
        range(len(outlets)),
        [f"{plots.wrap_label(o)}\n{plots.wrap_label(counts[o], 28)}" for o in outlets],
    )
    ax.set_ylim(len(outlets) - 0.5, -0.5)
    ax.set_xlabel("mean compound (VADER)")
    # the legend draws each voice's marker as the plot does: open when none has an interval
    with_interval = data.groupby("voice")["ci_low"].apply(lambda lows: lows.notna().any())
    voices = [v for v in VOICE_MEASURES if v in set(data["voice"])]
    handles = [
        plt.Line2D(
            [],
            [],
            marker=VOICE_MARKERS[v],
            linestyle="none",
            markersize=4,
            markeredgecolor="0.2",
            markerfacecolor="0.2" if with_interval.get(v, False) else "white",
            markeredgewidth=0.8,
            label=v,
        )
        for v in voices
    ]
    some_open = bool(data["ci_low"].isna().any())
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=4,
        handletextpad=0.2,
        columnspacing=0.8,
        title=_legend_title(some_open, bool(data["ci_low"].notna().any())),
        title_fontsize="small",
    )
    ax.xaxis.grid(True)
    plotted = data[
        [
            "outlet",
            "voice",
            "estimate",
            "ci_low",
            "ci_high",
            "n_units",
            "n_articles",
            "n_sentences",
            "unit",
        ]
    ].reset_index(drop=True)
    return fig, plotted


@register(
    "tone_along_article",
    caption=_along_caption,
    needs=("articles", "tone_by_position"),
    reads=("article_tone", "outlet_tone"),
)
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
    counts = _position_counts(tables, outlets, int(data["bin"].max()) + 1 if len(data) else 1)
    if len(outlets) <= FACET_OVER:
        fig, ax = plt.subplots(figsize=(SINGLE_COLUMN, 3.4), layout="constrained")
        for outlet, rows in data.groupby("outlet", sort=True):
            label = f"{plots.wrap_label(outlet, 30)}\n{counts[outlet]}"
            _position_line(ax, rows, colors[outlet], label=label)
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
            ax.set_title(f"{plots.wrap_label(outlet, 26)}\n{counts[outlet]}", fontsize=6)
            ax.set_xlabel("")
        for ax in axes.flat[len(outlets) :]:
            ax.set_visible(False)
        fig.supxlabel("position in the article (0 = start, 1 = end)", fontsize="medium")
        fig.supylabel("mean compound (VADER)", fontsize="medium")
    return fig, data.drop(columns="x").reset_index(drop=True)


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


@register(
    "actor_tone_heatmap",
    caption=_actor_caption,
    needs=("articles", "actor_tone"),
    reads=("article_tone", "outlet_tone"),
)
def actor_tone_heatmap(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Actor x outlet heatmap of mean compound, annotated with the mention counts and, when
    there is room (up to :data:`HEATMAP_INTERVALS_UP_TO` outlets), the interval. Cells
    resting on fewer than :data:`plots.FEW` sentences are faded towards white and hatched."""
    table = tables["actor_tone"]
    outlets = shown_outlets(tables)
    data = table[(table["voice"] == "all") & table["outlet"].isin(outlets)]
    actors = list(dict.fromkeys(data["actor"]))
    estimate = data.pivot(index="actor", columns="outlet", values="estimate").loc[actors, outlets]
    counts = data.pivot(index="actor", columns="outlet", values="n_sentences").loc[actors, outlets]
    lows = data.pivot(index="actor", columns="outlet", values="ci_low").loc[actors, outlets]
    highs = data.pivot(index="actor", columns="outlet", values="ci_high").loc[actors, outlets]
    with_intervals = len(outlets) <= HEATMAP_INTERVALS_UP_TO and lows.notna().any(axis=None)
    width = SINGLE_COLUMN if len(outlets) <= 5 else DOUBLE_COLUMN
    row_height = 0.46 if with_intervals else 0.36
    fig, ax = plt.subplots(figsize=(width, 1.3 + row_height * len(actors)), layout="constrained")
    values = estimate.to_numpy(dtype=float)
    n = counts.to_numpy(dtype=float)
    few = (n > 0) & (n < plots.FEW)
    finite = values[np.isfinite(values)]
    limit = max(0.25, float(np.ceil(np.abs(finite).max() * 4) / 4)) if finite.size else 1.0
    # purple-orange: readable with colour blindness; grey where the actor is not mentioned
    cmap = plt.get_cmap("PuOr").with_extremes(bad="0.88")
    norm = Normalize(vmin=-limit, vmax=limit)
    rgba = cmap(norm(np.ma.masked_invalid(values)))
    # few sentences: keep FADED of the colour, the rest white, so a lone sentence's extreme
    # score does not look as solid as a mean over many
    rgba[few, :3] = 1 - FADED * (1 - rgba[few, :3])
    ax.imshow(rgba, aspect="auto", interpolation="nearest")
    plots.hatch_cells(ax, zip(*np.nonzero(few)))
    cells, shades = [], []
    for i in range(len(actors)):
        cells.append([])
        shades.append([])
        for j in range(len(outlets)):
            k = int(n[i, j])
            label = "–" if k == 0 else f"{values[i, j]:+.2f}\nn={k}"
            low, high = lows.iloc[i, j], highs.iloc[i, j]
            if k and with_intervals and not np.isnan(low):
                label = f"{values[i, j]:+.2f}\n{low:.2f}…{high:.2f}\nn={k}"
            cells[-1].append(label)
            shade = abs(values[i, j]) / limit if k else 0
            shades[-1].append(shade * FADED if few[i, j] else shade)
    plots.annotate_cells(ax, cells, shades)
    article_counts = _outlet_counts({"articles": tables["articles"]}, outlets)
    plots.heatmap_labels(
        ax,
        [f"{plots.wrap_label(o, 24)}\n{article_counts[o]}" for o in outlets],
        [plots.wrap_label(a, 18) for a in actors],
        rotation=35 if len(outlets) <= HEATMAP_INTERVALS_UP_TO else 55,
    )
    bar = fig.colorbar(
        ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, pad=0.02, location="top", aspect=30
    )
    bar.set_label("mean compound")
    bar.outline.set_linewidth(0.4)
    notes = []
    if few.any():
        notes.append(f"hatched and faded: fewer than {plots.FEW} sentences")
    mentioned = n > 0
    if mentioned.any() and lows.isna().to_numpy()[mentioned].all():
        unit = _unit(data)
        notes.append(
            f"no cell has an interval (each rests on fewer than {stats.MIN_UNITS_MEAN} {unit}s)"
        )
    if notes:
        fig.supxlabel("\n".join(notes), fontsize=6, color="0.3")
    plotted = data[
        ["actor", "outlet", "estimate", "ci_low", "ci_high", "n_sentences", "n_articles", "unit"]
    ].reset_index(drop=True)
    plotted["faded"] = (plotted["n_sentences"] > 0) & (plotted["n_sentences"] < plots.FEW)
    return fig, plotted
