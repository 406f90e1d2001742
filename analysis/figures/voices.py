"""Voice figures: who speaks, which terms are held at a distance, the tone of quotes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import plots, stats
from analysis.figures.spec import (
    DOUBLE_COLUMN,
    SINGLE_COLUMN,
    register,
    shown_outlets,
    with_outlets,
)
from analysis.figures.spec import shown_outlets_note as _shown_note

TOP_SCARE_TERMS = 12


def _label(text: str) -> str:
    return str(text).replace("_", " ")


def _interval_note(table: pd.DataFrame, what: str) -> str:
    if table["ci_low"].isna().all():
        return (
            f" No intervals: {what} needs at least {stats.MIN_UNITS_RATIO} units per outlet "
            "for an interval that covers as it should."
        )
    return f" Intervals: 95% linearised ratio intervals (Student's t) over {what}."


def _who_caption(tables: dict[str, pd.DataFrame]) -> str:
    return (
        "Who speaks: share of each outlet's voiced words (words inside attributed or "
        "unattributed quotation marks, scare quotes excepted, and the text of embedded "
        "social-media posts) by speaker category. Speakers are found by patterns and an "
        "alias table (analysis.quotes); 'unknown' is a speaker the table does not "
        "categorise or a quote with no speaker found. Numbers at the right: voiced words. "
        "Speaker categories are told apart by greys and hatch patterns, so that no category "
        "shares a colour with an outlet ('unknown': plain light grey)." + _shown_note(tables)
    )


@register("who_speaks", caption=_who_caption, needs=("articles", "speaker_shares"))
def who_speaks(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Stacked bars: the share of voiced words by speaker category, one bar per outlet."""
    outlets = shown_outlets(tables)
    shares = tables["speaker_shares"]
    shares = shares[shares["outlet"].isin(outlets)]
    categories = list(dict.fromkeys(shares["category"]))
    used = [c for c in categories if shares.loc[shares["category"] == c, "words"].sum() > 0]
    wide = shares.pivot_table(
        index="outlet", columns="category", values="estimate", aggfunc="first"
    ).reindex(index=outlets, columns=used)
    wide = wide.fillna(0.0).reset_index()
    words = shares.groupby("outlet")["words"].sum().reindex(outlets).fillna(0).astype(int)
    styles = plots.speaker_styles(categories)
    height = 0.9 + 0.3 * len(outlets)
    fig, ax = plt.subplots(figsize=(DOUBLE_COLUMN, max(height, 1.8)), layout="constrained")
    plots.stacked_bars(
        wide, index="outlet", columns=used, styles={c: styles[c] for c in used}, ax=ax
    )
    for y, total in enumerate(words):
        ax.text(
            1.01,
            y,
            f"{total:,}",
            va="center",
            ha="left",
            fontsize=6,
            transform=ax.get_yaxis_transform(),
        )
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of voiced words")
    if not used:
        ax.text(
            0.5,
            0.5,
            "no quotes or posts found",
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=7,
        )
        return fig, pd.DataFrame(columns=["outlet", "category", "share", "voiced_words"])
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(
        handles,
        [_label(lab) for lab in labels],
        loc="outside lower center",
        # rows of equal length (not 5 + a lone "courts"), swatches large enough to show
        # their hatch
        ncols=len(used) if len(used) <= 5 else -(-len(used) // 2),
        handlelength=2.4,
        handleheight=1.2,
        frameon=False,
        fontsize=6,
    )
    plotted = wide.melt(id_vars="outlet", var_name="category", value_name="share")
    plotted["voiced_words"] = plotted["outlet"].map(words)
    return fig, plotted


def _scare_caption(tables: dict[str, pd.DataFrame]) -> str:
    return (
        "Scare quotes: terms an outlet puts alone in quotation marks with no speaker (one to "
        f"three words; the {TOP_SCARE_TERMS} most scare-quoted terms over all outlets). "
        "Shade: the share of the outlet's uses of the term that are scare-quoted; label "
        "'k of n': k scare-quoted uses of the term's n uses in the outlet's own text "
        "(scare-quoted plus unquoted; uses inside a speaker's quotation are not counted). "
        "'–': the outlet never scare-quotes the term. These are "
        "candidates to read in context: on third-party news fewer than half of the flagged "
        "quotes were the writer's own distancing (see docs/methods.md)." + _shown_note(tables)
    )


@register("scare_quotes", caption=_scare_caption, needs=("articles", "scare_quotes"))
def scare_quote_terms(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Heatmap: scare-quoted terms by outlet, shaded by the share of uses in scare quotes."""
    outlets = shown_outlets(tables)
    table = tables["scare_quotes"]
    table = table[table["outlet"].isin(outlets)]
    totals = table.groupby("term")["scare_quoted"].sum()
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:TOP_SCARE_TERMS]
    terms = [term for term, _ in ranked]
    table = table[table["term"].isin(terms)]
    share = table.pivot_table(
        index="term", columns="outlet", values="scare_share", aggfunc="first"
    ).reindex(index=terms, columns=outlets)
    scare = table.pivot_table(
        index="term", columns="outlet", values="scare_quoted", aggfunc="first"
    ).reindex(index=terms, columns=outlets)
    plain = table.pivot_table(
        index="term", columns="outlet", values="unquoted", aggfunc="first"
    ).reindex(index=terms, columns=outlets)
    fig, ax = plt.subplots(
        figsize=(
            DOUBLE_COLUMN if len(outlets) > 4 else SINGLE_COLUMN * 1.4,
            0.9 + 0.22 * max(len(terms), 1),
        ),
        layout="constrained",  # room for the slanted outlet names inside the figure
    )
    values = share.to_numpy(dtype=float) if len(terms) else np.zeros((1, len(outlets)))
    image = ax.imshow(np.nan_to_num(values), cmap="Purples", vmin=0, vmax=1, aspect="auto")
    plots.heatmap_labels(
        ax,
        [plots.wrap_label(o, 24) for o in outlets],
        terms or ["(no scare quotes)"],
        rotation=30 if len(outlets) <= 6 else 50,
    )
    labels = [
        [
            "–"
            if np.isnan(scare.iloc[i, j])
            else f"{int(scare.iloc[i, j])} of {int(scare.iloc[i, j] + plain.iloc[i, j])}"
            for j in range(len(outlets))
        ]
        for i in range(len(terms))
    ]
    plots.annotate_cells(ax, labels, np.nan_to_num(values))
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("share scare-quoted", fontsize=6)
    bar.ax.tick_params(labelsize=5)
    plotted = table[["outlet", "term", "scare_quoted", "unquoted", "scare_share"]]
    plotted = plotted.assign(uses=plotted["scare_quoted"] + plotted["unquoted"])
    return fig, plotted.sort_values(["term", "outlet"]).reset_index(drop=True)


def _tone_caption(tables: dict[str, pd.DataFrame]) -> str:
    table = tables["quote_tone"]
    return (
        "Tone of quotes against the outlet's own narrative: mean VADER compound (−1 .. 1) of "
        "the quotes and posts each outlet gives each speaker category (dots, with 95% "
        "intervals over the articles that hold the quotes, an article's quotes taken "
        f"together; open dots: fewer than {stats.MIN_QUOTING_ARTICLES} such articles), and "
        "of the outlet's narrative "
        "sentences (grey bar). Under each outlet's name: its quotes and the articles they come "
        f"from; n beside a dot: the quotes it rests on, printed when fewer than {plots.FEW}. "
        "Dots are grey: the category is named on the left, and colours are kept for outlets. "
        "Quote tone says how the quoted words sound, not what the "
        "outlet thinks of the speaker."
        + ("" if table["ci_low"].notna().any() else " No intervals could be computed.")
        + _shown_note(tables)
    )


@register(
    "quote_tone",
    caption=_tone_caption,
    needs=("articles", "quote_tone", "sentences", "speaker_shares"),
)
def quote_vs_narrative_tone(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """One panel per outlet: quote tone by speaker category, and the narrative tone."""
    outlets = shown_outlets(tables)
    tone = tables["quote_tone"]
    tone = tone[tone["outlet"].isin(outlets)]
    categories = [c for c in dict.fromkeys(tables["speaker_shares"]["category"])]
    rows = ["all", *[c for c in categories if c in set(tone["category"])]]
    styles = plots.speaker_styles(categories)
    sentences = tables["sentences"]
    narrative = with_outlets(sentences[sentences["voice"] == "narrative"], tables["articles"])
    narrative_mean = narrative.groupby("outlet")["compound"].mean()
    columns = min(len(outlets), 4)
    lines = int(np.ceil(len(outlets) / columns))
    fig, axes = plt.subplots(
        lines,
        columns,
        sharex=True,
        sharey=True,
        squeeze=False,
        figsize=(DOUBLE_COLUMN, 0.5 + (0.22 * len(rows) + 0.6) * lines),
        layout="constrained",  # room for the two-line panel titles between rows
    )
    axes[0, 0].set_xlim(-1, 1)  # shared: set before the n notes pick their side
    plotted = []
    for index, outlet in enumerate(outlets):
        ax = axes.flat[index]
        mean = narrative_mean.get(outlet, np.nan)
        if not np.isnan(mean):
            ax.axvline(mean, color="0.6", linewidth=2.5, alpha=0.6, zorder=0)
        ax.axvline(0, color="0.85", linewidth=0.5, zorder=0)
        mine = tone[tone["outlet"] == outlet].set_index("category")
        for y, category in enumerate(rows):
            if category not in mine.index:
                continue
            row = mine.loc[category]
            color = styles[category]["ink"] if category in styles else plots.SPEAKER_INK
            plots.point_with_interval(ax, row["estimate"], y, row["ci_low"], row["ci_high"], color)
            if row["n_quotes"] < plots.FEW:
                plots.note_n(ax, row["estimate"], y, int(row["n_quotes"]))
            plotted.append(
                {
                    "outlet": outlet,
                    "category": category,
                    "estimate": row["estimate"],
                    "ci_low": row["ci_low"],
                    "ci_high": row["ci_high"],
                    "n_quotes": row["n_quotes"],
                    "narrative_mean": mean,
                }
            )
        ax.set_title(f"{plots.wrap_label(outlet, 30)}\n{_quote_counts(mine)}", fontsize=6.5)
        ax.set_yticks(range(len(rows)), [_label(r) for r in rows], fontsize=6)
    for ax in axes.flat[len(outlets) :]:
        ax.set_visible(False)
    axes[0, 0].invert_yaxis()
    for ax in axes[-1]:
        ax.set_xlabel("compound")
    return fig, pd.DataFrame(plotted)


def _quote_counts(mine: pd.DataFrame) -> str:
    """'5 quotes, 1 article' from an outlet's rows of quote_tone (its 'all' row)."""
    if "all" not in mine.index:
        return "no quotes"
    quotes, articles = int(mine.loc["all", "n_quotes"]), int(mine.loc["all", "n_articles"])
    return f"{quotes:,} quote{'s' * (quotes != 1)}, {plots.counts_label(articles)}"
