"""Distinctive-word figures: top terms per group, a pairwise "fightin' words" plot, TF-IDF."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from adjustText import adjust_text
from matplotlib import ticker
from matplotlib.figure import Figure

from analysis import plots
from analysis.figures.spec import DOUBLE_COLUMN, SINGLE_COLUMN, register

TOP_TERMS = 8
LABELLED_TERMS = 12
SIGNIFICANT_Q = 0.05


def _groups(table: pd.DataFrame) -> list[str]:
    return sorted(table["group"].astype(str).unique())


def _unit_words(tables: dict[str, pd.DataFrame]) -> str:
    """What the test's unit is, in words (articles, or outlets)."""
    settings = tables.get("term_settings")
    unit = settings.iloc[0].get("test_unit", "article") if settings is not None else "article"
    return "outlets" if unit == "outlet" else "articles"


def _untested_note(table: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> str:
    """A sentence when no term of ``table`` could be tested (too few units per group)."""
    if len(table) and table["q"].isna().all():
        units = _unit_words(tables)
        return (
            f" No term could be tested here: a group has fewer than two {units}, the test's "
            "unit, so every term is shown as not significant."
        )
    return ""


def significance_note(table: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> str | None:
    """What the figure writes on itself when nothing is marked: no term could be tested (q
    all missing), or no term is significant; None when some term is."""
    if not len(table):
        return None
    if table["q"].isna().all():
        return f"no term could be tested (fewer than 2 {_unit_words(tables)} in a group)"
    if not significant_rows(table).any():
        return f"no term significant (q ≥ {SIGNIFICANT_Q})"
    return None


def _note_on(fig: Figure, note: str | None) -> None:
    """Write ``note`` on top of the figure (in the layout, so it overlaps nothing)."""
    if note:
        fig.suptitle(note, fontsize=7, color="0.2")


def _test_text(tables: dict[str, pd.DataFrame], family: str) -> str:
    units = _unit_words(tables)
    return (
        f"a larger share of the group's {units} uses the term than of the other {units} "
        f"(Fisher's exact test with the {units[:-1]} as the unit), at Benjamini-Hochberg "
        f"q < {SIGNIFICANT_Q} over {family}, and in the direction of z. Word tests that "
        "pool every token mark many terms even under shuffled labels, as words come in "
        "bursts (docs/methods.md)"
    )


def significant_rows(rows: pd.DataFrame) -> np.ndarray:
    """Rows marked significant: the unit test's q below :data:`SIGNIFICANT_Q`, and the
    share of units using the term differs in the direction of the log-odds z."""
    with np.errstate(divide="ignore", invalid="ignore"):
        share = rows["units_using"] / rows["n_units"]
        other = rows["units_using_other"] / rows["n_units_other"]
    same_way = np.sign(share - other) == np.sign(rows["z"])
    return ((rows["q"] < SIGNIFICANT_Q) & same_way).to_numpy()


def _distinctive_caption(tables: dict[str, pd.DataFrame]) -> str:
    settings = tables["term_settings"].iloc[0]
    return (
        f"The {TOP_TERMS} terms most distinctive of each group against all the others: "
        "z-scores of the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi "
        f"& Quinn 2008; prior: {settings['prior']}, {settings['variance']} variance). Filled "
        f"bars: {_test_text(tables, 'every term of every panel (one family)')}; hollow bars: "
        "not significant. Word counts pool each group's articles, so one long article can "
        "dominate a group with few articles. When no term is marked, the figure says so on "
        "top (no term significant, or none could be tested)."
        + _untested_note(tables["term_scores"], tables)
    )


@register(
    "distinctive_terms",
    caption=_distinctive_caption,
    needs=("term_scores", "term_settings"),
)
def distinctive_terms(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Facets per group: the top terms by log-odds z, non-significant ones hollow."""
    table = tables["term_scores"]
    table = table[table["comparison"].str.endswith(" vs rest")]
    groups = _groups(table)
    colors = plots.outlet_colors(groups)
    top = (
        table[table["count"] > 0]
        .sort_values(["group", "z", "term"], ascending=[True, False, True])
        .groupby("group", sort=True)
        .head(TOP_TERMS)
    )
    ncols = min(4, len(groups)) or 1
    nrows = -(-len(groups) // ncols) or 1
    width = SINGLE_COLUMN if ncols <= 2 else DOUBLE_COLUMN
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(width, 0.4 + 1.45 * nrows),
        sharex=True,
        layout="constrained",
        squeeze=False,
    )
    for ax, group in zip(axes.flat, groups):
        rows = top[top["group"] == group]
        y = np.arange(len(rows))
        significant = significant_rows(rows)
        color = colors[group]
        ax.barh(
            y,
            rows["z"],
            height=0.7,
            color=[color if s else "white" for s in significant],
            edgecolor=color,
            linewidth=0.7,
        )
        ax.set_yticks(y, rows["term"], fontsize=6)
        ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
        ax.set_title(plots.wrap_label(group, 18), fontsize=6.5)
        ax.axvline(0, color="0.6", linewidth=0.5)
        ax.tick_params(axis="x", labelsize=6)
        ax.xaxis.grid(True)
        if rows.empty:
            ax.text(
                0.5,
                0.5,
                "no term used",
                ha="center",
                va="center",
                transform=ax.transAxes,
                fontsize=6,
            )
    for ax in axes.flat[len(groups) :]:
        ax.set_visible(False)
    fig.supxlabel("z (log-odds, against all other groups)", fontsize="small")
    _note_on(fig, significance_note(table, tables))
    plotted = top[
        ["group", "term", "count", "rate", "delta", "z", "units_using", "n_units", "q"]
    ].reset_index(drop=True)
    return fig, plotted


def _pair_caption(tables: dict[str, pd.DataFrame]) -> str:
    pair = tables["term_pair"]
    label = _pair_label(tables)
    settings = tables["term_settings"].iloc[0] if "term_settings" in tables else None
    prior = (
        f" (prior: {settings['prior']}, scale {settings['prior_scale']}; "
        f"{settings['variance']} variance)"
        if settings is not None
        else ""
    )
    return (
        f"Fightin' words, {label}: each dot a term, by its total frequency in the two groups "
        "(log scale) and the z-score of its log-odds ratio with a Dirichlet prior"
        f"{prior}; above zero, more typical of the first group, below, of the second. The "
        f"{LABELLED_TERMS} terms with the largest |z| are labelled; coloured dots: "
        f"{_test_text(tables, 'the terms of this pair (one family)')}; grey dots: not "
        "significant; when none is coloured, the figure says so on top."
        + _untested_note(pair, tables)
    )


def _pair_label(tables: dict[str, pd.DataFrame]) -> str:
    """'A vs B': from the pair table, or from the settings when the pair has no terms."""
    pair = tables["term_pair"]
    if len(pair) and "comparison" in pair:
        return str(pair["comparison"].iloc[0])
    settings = tables.get("term_settings")
    if settings is not None and len(settings) and " vs " in str(settings.iloc[0].get("pair")):
        return str(settings.iloc[0]["pair"])
    return "no pair"


def _pair_text(first: str, second: str, joiner: str = "vs") -> str:
    """'A vs B' (or 'A + B') with each name shortened (:func:`analysis.plots.short_label`), over two
    lines when long."""
    if not second:
        return plots.short_label(first)
    first, second = plots.short_label(first), plots.short_label(second)
    joined = f"{first} {joiner} {second}"
    return joined if len(joined) <= plots.MAX_LABEL else f"{first}\n{joiner} {second}"


@register("fightin_words", caption=_pair_caption, needs=("term_pair",), reads=("term_settings",))
def fightin_words(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Log frequency against z for one pair of groups, with non-overlapping labels."""
    columns = ["term", "count", "count_other", "total", "delta", "z", "q"]
    pair = tables["term_pair"]
    label = _pair_label(tables)
    first, second = label.split(" vs ", 1) if " vs " in label else (label, "")
    colors = plots.outlet_colors([first, second])
    if pair.empty or not set(columns) - {"total"} <= set(pair.columns):
        data = pd.DataFrame(columns=columns)
    else:
        total = (pair["count"] + pair["count_other"]).to_numpy()
        keep = (total > 0) & np.isfinite(pair["z"].to_numpy(dtype=float))
        data = pair[keep].assign(total=total[keep]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(SINGLE_COLUMN, 3.0), layout="constrained")
    if data.empty:
        ax.text(
            0.5,
            0.5,
            f"no term used by either group\n({_pair_text(first, second)})",
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=7,
        )
        ax.set_xticks([])
        ax.set_yticks([])
        return fig, data[columns].assign(labelled=pd.Series(dtype=bool))
    significant = significant_rows(data)
    side = np.where(data["z"] > 0, colors[first], np.where(data["z"] < 0, colors[second], "0.5"))
    # every term is a dot: in the PDF, the dots are one 300 dpi image, not 100,000 shapes
    ax.scatter(
        data["total"][~significant],
        data["z"][~significant],
        s=4,
        color="0.75",
        linewidths=0,
        rasterized=True,
    )
    ax.scatter(
        data["total"][significant],
        data["z"][significant],
        s=6,
        c=side[significant],
        linewidths=0,
        rasterized=True,
    )
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}"))
    ax.xaxis.set_minor_formatter(ticker.NullFormatter())
    ax.axhline(0, color="0.6", linewidth=0.5)
    ax.set_xlabel(f"frequency in {_pair_text(first, second, '+')}")
    ax.set_ylabel("z (log-odds)")
    labelled = data.reindex(data["z"].abs().sort_values(ascending=False).index[:LABELLED_TERMS])
    # terms at the same point start fanned out, or the label placement cannot separate them
    repeat = labelled.groupby(["total", "z"]).cumcount().to_numpy()
    span = float(np.ptp(data["z"])) or 1.0
    texts = [
        ax.text(
            row.total,
            row.z + 0.06 * span * step * (1 if row.z >= 0 else -1),
            row.term,
            fontsize=6,
            color=colors[first] if row.z > 0 else colors[second] if row.z < 0 else "0.4",
            ha="center",
            va="center",
            zorder=3,
            # a white box hides the leader line under the label, so it seems to end at it
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4, "alpha": 0.85},
        )
        for row, step in zip(labelled.itertuples(), repeat)
    ]
    if texts:
        fig.canvas.draw()  # adjust_text needs the layout
        # a fixed number of iterations, not adjustText's default time limit: same bytes every run
        adjust_text(texts, ax=ax, expand=(1.2, 1.4), force_text=(0.3, 0.6), iter_lim=500)
        _separate(fig, texts)
        for text, row in zip(texts, labelled.itertuples()):  # leader lines to final positions
            x, y = text.get_position()
            ax.plot([row.total, x], [row.z, y], color="0.6", linewidth=0.4, zorder=1)
    handles = [
        plt.Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            color=colors[g],
            markersize=3,
            label=plots.wrap_label(g, 30),
        )
        for g in (first, second)
    ]
    ax.legend(
        handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize="small"
    )
    _note_on(fig, significance_note(data, tables))
    plotted = data[["term", "count", "count_other", "total", "delta", "z", "q"]]
    return fig, plotted.assign(labelled=plotted.index.isin(labelled.index))


def _separate(fig: Figure, texts: list) -> None:
    """Move any label still overlapping an earlier one (or outside the plotting area) down,
    or up when down leaves the plotting area, until it is clear."""
    renderer = fig.canvas.get_renderer()
    placed = []
    for text in texts:
        area = text.axes.get_window_extent(renderer)
        start = text.get_position()
        box = text.get_window_extent(renderer)
        to_data = text.axes.transData.inverted()
        _, step = to_data.transform((0, box.height * 1.1)) - to_data.transform((0, 0))
        for attempt in range(100):
            inside = area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0
            inside = inside and box.y1 <= area.y1
            if inside and not any(box.overlaps(other) for other in placed):
                break
            shift = (attempt // 2 + 1) * step * (-1 if attempt % 2 == 0 else 1)
            x = min(max(start[0], text.axes.get_xlim()[0]), text.axes.get_xlim()[1])
            text.set_position((x, start[1] + shift))
            box = text.get_window_extent(renderer)
            if box.x0 < area.x0 or box.x1 > area.x1:  # pull a label at the edge inside
                text.set_horizontalalignment("left" if box.x0 < area.x0 else "right")
                box = text.get_window_extent(renderer)
        placed.append(box)


def _tfidf_caption(tables: dict[str, pd.DataFrame]) -> str:
    return (
        "TF-IDF of each group's top terms (each group's articles joined into one document; "
        "scikit-learn's smoothed idf, each group's vector normalised). A term high in one column "
        "and low in "
        "the others is used by that group and few others. TF-IDF has no uncertainty attached: "
        "read the log-odds figure for which differences are more than noise."
    )


@register("tfidf_heatmap", caption=_tfidf_caption, needs=("term_scores",), reads=("term_settings",))
def tfidf_heatmap(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Term x group heatmap of TF-IDF (concatenated view), top terms of each group."""
    table = tables["term_scores"]
    table = table[table["comparison"].str.endswith(" vs rest")]
    groups = _groups(table)
    top = (
        table.dropna(subset=["tfidf_concatenated"])
        .sort_values(["group", "tfidf_concatenated", "term"], ascending=[True, False, True])
        .groupby("group", sort=True)
        .head(5)
    )
    chosen = list(dict.fromkeys(top["term"]))
    grid = (
        table[table["term"].isin(chosen)]
        .pivot_table(index="term", columns="group", values="tfidf_concatenated", aggfunc="first")
        .reindex(index=chosen, columns=groups)
    )
    width = SINGLE_COLUMN if len(groups) <= 5 else DOUBLE_COLUMN
    fig, ax = plt.subplots(figsize=(width, 1.2 + 0.13 * len(chosen)), layout="constrained")
    image = ax.imshow(grid.fillna(0).to_numpy(), cmap="Greys", aspect="auto", vmin=0)
    plots.heatmap_labels(ax, [plots.wrap_label(g, 24) for g in groups], chosen, row_size=6)
    bar = fig.colorbar(image, ax=ax, shrink=0.6, pad=0.02, aspect=25)
    bar.set_label("TF-IDF", fontsize=6)
    bar.ax.tick_params(labelsize=6)
    plotted = grid.stack(future_stack=True).rename("tfidf").reset_index()
    return fig, plotted
