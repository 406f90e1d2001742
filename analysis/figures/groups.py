"""Group figure: tone, frames and voices per group of outlets (``--group-by`` a column)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure

from analysis import plots, stats
from analysis.figures.spec import DOUBLE_COLUMN, register

SHOWN = {
    "tone": ["compound_mean", "compound_narrative", "compound_quote", "share_negative"],
    "voices": [
        "quoted_word_share",
        "quotes_per_1000_words",
        "speakers_per_1000_words",
        "attributed_quote_share",
    ],
}
"""The tone and voice measures drawn (every frame is drawn); the table has them all."""
TITLES = {
    "compound_mean": "tone: all sentences",
    "compound_narrative": "tone: narrative",
    "compound_quote": "tone: quotations",
    "share_negative": "share of negative sentences",
    "quoted_word_share": "share of words in quotes",
    "quotes_per_1000_words": "quotes per 1,000 words",
    "speakers_per_1000_words": "speakers per 1,000 words",
    "attributed_quote_share": "share of quotes attributed",
}
NCOLS = 4


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    keep = (table["family"] == "frames") | table["measure"].isin(
        [m for measures in SHOWN.values() for m in measures]
    )
    return table[keep].reset_index(drop=True)


def _title(family: str, measure: str) -> str:
    if family == "frames":
        return plots.wrap_label("frame: " + measure.replace("_", " "), 24)
    return plots.wrap_label(TITLES.get(measure, measure.replace("_", " ")), 24)


def _caption(tables: dict[str, pd.DataFrame]) -> str:
    table = tables["group_measures"]
    column = tables["term_settings"]["group_by"].iloc[0] if "term_settings" in tables else None
    by = f" ({column})" if column else ""
    text = (
        f"Tone, frames and voices by group{by}. Each dot pools the group's articles: a tone "
        "measure is the mean of the articles' values (VADER compound, -1 to +1, or a share "
        "of sentences), a frame the mean of their matches per 1,000 tokens, a voice measure "
        "the ratio of their summed counts. "
        "Bars: 95% intervals over outlets (each outlet one unit with all its articles; "
        "linearised ratio interval with Student's t), since articles of one outlet are not "
        "independent."
    )
    if len(table) and ((table["n_units"] > 0) & table["ci_low"].isna()).any():
        text += (
            f" Open markers: no interval (fewer than {stats.MIN_CLUSTERS} outlets in the "
            "group: with so few, no interval covers as it should)."
        )
    return text + " Every measure is in group_measures.csv."


@register("group_measures", caption=_caption, needs=("group_measures",), reads=("term_settings",))
def group_measures(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """One small panel per measure: each group's estimate with its interval."""
    data = _shown(tables["group_measures"])
    groups = list(dict.fromkeys(data["group"].astype(str)))
    colors = plots.outlet_colors(groups)
    panels = list(dict.fromkeys(zip(data["family"], data["measure"])))
    nrows = max(1, -(-len(panels) // NCOLS))
    fig, axes = plt.subplots(
        nrows,
        NCOLS,
        figsize=(DOUBLE_COLUMN, 0.3 + (0.55 + 0.16 * len(groups)) * nrows),
        sharey=True,
        layout="constrained",
        squeeze=False,
    )
    for ax, (family, measure) in zip(axes.flat, panels):
        rows = data[(data["family"] == family) & (data["measure"] == measure)]
        for row in rows.itertuples(index=False):
            y = groups.index(str(row.group))
            color = colors[str(row.group)]
            plots.point_with_interval(ax, row.estimate, y, row.ci_low, row.ci_high, color)
        ax.set_title(_title(family, measure), fontsize="small")
        # ticks inside the panel only, none at its right edge, where a label would meet the
        # next panel's first (a locator also labels ticks beyond the limits)
        low, high = ax.get_xlim()
        locator = ticker.MaxNLocator(nbins=3, prune="upper")
        ax.set_xticks([t for t in locator.tick_values(low, high) if low <= t <= high])
        ax.set_xlim(low, high)
        ax.tick_params(axis="x", labelsize="x-small")
        ax.xaxis.grid(True)
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    fig.get_layout_engine().set(wspace=0.12)  # room between one panel's ticks and the next's
    axes[0, 0].set_yticks(range(len(groups)), [plots.wrap_label(g, 18) for g in groups])
    axes[0, 0].set_ylim(len(groups) - 0.5, -0.5)
    return fig, data
