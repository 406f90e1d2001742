"""The figure of a run given coders' codes: every measure against the coders."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import plots
from analysis.figures.spec import DOUBLE_COLUMN, register

STATISTIC_LABELS = {
    "f1": "F1",
    "spearman": "Spearman's rho",
    "speaker_agreement": "same speaker",
}


def _caption(tables: dict[str, pd.DataFrame]) -> str:
    validation = tables["coding_validation"]
    headline = validation[validation["headline"]]
    n_articles = headline["n_articles"].dropna()
    articles = f" on {int(n_articles.max())} coded articles" if len(n_articles) else ""
    no_interval = headline["ci_low"].isna().all()
    intervals = (
        " No intervals: too few coded articles for an interval that covers (the notes of "
        "coding_validation.csv say how many each statistic needs)."
        if no_interval
        else " Lines: 95% percentile intervals resampling articles, where there are enough."
    )
    return (
        "The run's measures against the coders" + articles + ". Left: how far each measure "
        "agrees with the coders' consensus (F1 for yes/no codes, Spearman's rho for tone, "
        "the share of quotes given the same speaker), with n coded units at the right; the "
        "grey bar is how far the coders agree with each other by the same statistic (the "
        "ceiling). Right: each outlet's share of coded units with each frame, by the "
        "coders (x) and by the dictionary (y); on the diagonal they agree." + intervals
    )


@register(
    "measures_vs_coders",
    caption=_caption,
    needs=("coding_validation", "coding_outlets"),
)
def measures_vs_coders(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Left: the headline statistic of each coded variable with its interval and the
    coders' ceiling; right: the frame shares per outlet, coders against dictionary."""
    validation = tables["coding_validation"]
    data = validation[validation["headline"]].reset_index(drop=True)
    labels = [
        variable if (data["variable"] == variable).sum() == 1 else f"{variable} ({measure})"
        for variable, measure in zip(data["variable"], data["measure"])
    ]
    data = data.assign(label=[label.replace("_", " ") for label in labels])
    height = max(2.6, 0.8 + 0.24 * len(data))
    fig, (left, right) = plt.subplots(
        1,
        2,
        figsize=(DOUBLE_COLUMN, height),
        layout="constrained",
        gridspec_kw={"width_ratios": [1.5, 1]},
    )
    y = np.arange(len(data))[::-1]
    left.barh(y, data["ceiling"], height=0.6, color="0.85", label="coders with each other")
    for row, at in zip(data.itertuples(index=False), y):
        if not np.isnan(row.ci_low):
            left.plot([row.ci_low, row.ci_high], [at, at], color="0.2", linewidth=0.9)
        left.plot(row.estimate, at, "o", color="0.1", markersize=3.5)
        left.annotate(
            f"n={row.n_units}",
            (1.02, at),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize="x-small",
        )
    left.plot([], [], "o", color="0.1", markersize=3.5, label="measure with the coders")
    left.set_yticks(y, data["label"])
    lowest = float(np.nanmin(data[["estimate", "ci_low", "ceiling"]].to_numpy(dtype=float)))
    left.set_xlim(min(0.0, lowest - 0.05), 1.04)
    left.axvline(0, color="0.5", linewidth=0.6)
    left.set_xlabel("agreement (F1, rho or share)")
    outlets = tables["coding_outlets"]
    shares = outlets[outlets["statistic"] == "share"]
    shares = shares[shares["variable"].str.startswith("frame")] if len(shares) else shares
    names = sorted(shares["outlet"].unique())
    colors = plots.outlet_colors(names)
    right.plot([0, 1], [0, 1], color="0.6", linewidth=0.7, linestyle="--")
    for outlet in names:
        rows = shares[shares["outlet"] == outlet]
        right.scatter(
            rows["coders"],
            rows["measure"],
            s=14,
            color=colors[outlet],
            label=plots.wrap_label(outlet, 40),
            clip_on=False,
        )
    right.set_xlim(0, 1.02)
    right.set_ylim(0, 1.02)
    right.set_aspect("equal")
    right.set_xlabel("share with the frame: coders")
    right.set_ylabel("share with the frame: dictionary")
    handles, texts = left.get_legend_handles_labels()
    more, more_texts = right.get_legend_handles_labels()
    fig.legend(
        handles + more,
        texts + more_texts,
        loc="outside lower center",
        ncols=3,
        fontsize="x-small",
        frameon=False,
    )
    plotted = pd.concat(
        [
            data[["variable", "measure", "statistic", "estimate", "ci_low", "ci_high"]].assign(
                panel="agreement", outlet="", ceiling=data["ceiling"], n_units=data["n_units"]
            ),
            shares.rename(columns={"coders": "estimate"}).assign(
                panel="outlet shares", measure_share=shares["measure"]
            )[["variable", "outlet", "estimate", "measure_share", "n_units", "panel"]],
        ],
        ignore_index=True,
    )
    return fig, plotted
