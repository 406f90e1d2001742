"""The figures of a run that learns frames from people's codes: each outlet's use of each
frame, corrected for the classifier's errors, and how the classifier learned."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import plots
from analysis.classify.quantify import HEADLINE, PREVALENCE_COLUMNS
from analysis.figures.spec import (
    DOUBLE_COLUMN,
    MAX_OUTLETS,
    label_outlet_panels,
    outlet_panels,
    outlets_with_most_articles,
    register,
)

NAMES = {
    "acc": "adjusted count",
    "pacc": "adjusted probability",
    "cc": "counted predictions",
    "dictionary": "dictionary",
}
MARKS = {
    HEADLINE: {"marker": "o", "color": "0.1", "ms": 3.5},
    "cc": {"marker": "x", "color": "#D55E00", "ms": 3.5, "mew": 0.8},
    "dictionary": {"marker": "^", "color": "#0072B2", "ms": 3.0, "mfc": "none", "mew": 0.7},
}
COLUMNS = 3


def _prevalence_caption(tables: dict[str, pd.DataFrame]) -> str:
    prevalence = tables["frame_prevalence"]
    headline = prevalence[prevalence["estimator"] == HEADLINE]
    missing = headline["ci_low"].isna() & headline["estimate"].notna()
    withheld = headline[headline["estimate"].isna()]
    n_out = prevalence["outlet"].nunique()
    shown = (
        f" Shown: the {MAX_OUTLETS} outlets with the most articles, of {n_out}."
        if n_out > MAX_OUTLETS
        else ""
    )
    return (
        "Each outlet's share of units with each frame, by the classifier learned from "
        f"people's codes: corrected for its errors ({NAMES[HEADLINE]}, dots, with 95% "
        "intervals resampling the outlet's articles and the coded articles), its predictions "
        "counted as they are (crosses) and the dictionary's matches (open triangles). "
        "Counted predictions are biased toward the classifier's error rates; the corrected "
        "share is the estimate; n: the outlet's articles."
        + (
            f" {int(missing.sum())} outlet-frame cells have a corrected share but no interval "
            "(fewer than 30 articles of the outlet, or 100 coded articles)."
            if missing.any()
            else ""
        )
        + (
            f" No corrected share (marked n/a) for {len(withheld)} cells of "
            f"{', '.join(sorted(withheld['category'].unique()))}: the classifier hardly "
            "separates the frame."
            if len(withheld)
            else ""
        )
        + " frame_prevalence.csv says why each is missing."
        + shown
    )


@register("learned_prevalence", caption=_prevalence_caption, needs=("frame_prevalence",))
def learned_prevalence(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """One panel per category: each outlet's corrected share with its interval, the
    counted predictions and the dictionary's share."""
    prevalence = tables["frame_prevalence"]
    outlets = outlets_with_most_articles(prevalence)
    data = prevalence[
        prevalence["outlet"].astype(str).isin(outlets)
        & prevalence["estimator"].isin([HEADLINE, "cc", "dictionary"])
    ].reset_index(drop=True)
    categories = list(dict.fromkeys(prevalence["category"]))
    rows = math.ceil(len(categories) / COLUMNS)
    height = max(2.2, rows * (0.45 + 0.16 * len(outlets)))
    fig, axes, y = outlet_panels(len(categories), outlets, height=height, columns=COLUMNS)
    for ax, category in zip(axes.flat, categories):
        cell = data[data["category"] == category]
        at = cell["outlet"].astype(str).map(y).to_numpy()
        headline = (cell["estimator"] == HEADLINE).to_numpy()
        shown = headline & cell["ci_low"].notna().to_numpy()
        # one collection per panel and estimator: hundreds of outlet-frame cells draw fast
        if shown.any():
            ax.hlines(at[shown], cell["ci_low"][shown], cell["ci_high"][shown], color="0.3", lw=0.8)
        for name in (HEADLINE, "cc", "dictionary"):
            rows = (cell["estimator"] == name).to_numpy() & cell["estimate"].notna().to_numpy()
            if not rows.any():
                continue
            ax.plot(
                cell["estimate"][rows], at[rows], linestyle="none", clip_on=False, **MARKS[name]
            )
        for where in at[headline & cell["estimate"].isna().to_numpy()]:
            ax.text(1.0, where, "n/a", ha="right", va="center", fontsize="xx-small", color="0.3")
        ax.set_title(plots.short_label(str(category).replace("_", " ")), fontsize="small")
        ax.set_xlim(0, 1)
        ax.grid(axis="x")
    sizes = prevalence.groupby("outlet")["n_articles"].max()
    label_outlet_panels(fig, axes, len(categories), y, sizes, "share of units")
    handles = [
        plt.Line2D([], [], linestyle="none", **MARKS[name], label=NAMES[name])
        for name in (HEADLINE, "cc", "dictionary")
    ]
    fig.legend(
        handles=handles, loc="outside upper center", ncols=3, frameon=False, fontsize="x-small"
    )
    plotted = data[[c for c in PREVALENCE_COLUMNS if c != "note"]]
    return fig, plotted


def _learning_caption(tables: dict[str, pd.DataFrame]) -> str:
    learning = tables["classifier_learning"]
    macro = learning[learning["category"] == "macro"]
    most = int(round(macro["n_articles"].max())) if len(macro) else 0
    return (
        "How the classifier learned. Left: cross-validated F1 when it is trained on a share "
        f"of the coded articles (up to {most} per training fold), for each category (thin "
        "lines) and their mean (thick, with the folds' spread); the dashed line is the "
        "dictionary's mean F1 on the same units. A curve still rising at the right means "
        "coding more articles would help. Right: calibration, the share of units people "
        "coded with a category against the predicted probability, pooled over categories "
        "(marker area: units); on the diagonal the probabilities can be read as shares."
    )


@register(
    "learning_curve",
    caption=_learning_caption,
    needs=("classifier_learning", "classifier_calibration"),
    reads=("classifier_eval",),
)
def learning_curve(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Left: F1 against coded articles trained on; right: calibration."""
    learning = tables["classifier_learning"]
    calibration = tables["classifier_calibration"]
    fig, (left, right) = plt.subplots(
        1,
        2,
        figsize=(DOUBLE_COLUMN, 2.8),
        layout="constrained",
        gridspec_kw={"width_ratios": [1.4, 1]},
    )
    if not len(learning):
        left.text(
            0.5,
            0.5,
            "no learning curve:\nthe model was trained without one",
            ha="center",
            va="center",
            transform=left.transAxes,
            fontsize="small",
        )
    for category, part in learning.groupby("category", sort=False):
        if category == "macro":
            continue
        left.plot(part["fraction"], part["f1"], color="0.7", linewidth=0.7)
    macro = learning[learning["category"] == "macro"]
    left.fill_between(
        macro["fraction"],
        macro["f1"] - macro["fold_sd"],
        macro["f1"] + macro["fold_sd"],
        color="0.1",
        alpha=0.12,
        linewidth=0,
    )
    left.plot(
        macro["fraction"],
        macro["f1"],
        "o-",
        color="0.1",
        linewidth=1.6,
        ms=3,
        label="classifier, mean of categories",
    )
    evaluation = tables.get("classifier_eval")
    if evaluation is not None:
        dictionary = evaluation[
            (evaluation["category"] == "macro")
            & (evaluation["predictor"] == "dictionary")
            & (evaluation["statistic"] == "f1")
        ]
        if len(dictionary):
            left.axhline(
                dictionary["estimate"].iloc[0],
                color="#0072B2",
                linestyle="--",
                linewidth=1,
                label="dictionary, mean of categories",
            )
    left.set_ylim(0, 1)
    left.set_xlim(0, 1.05)
    left.set_xticks(
        macro["fraction"],
        [f"{f:.0%}\n{n:,.0f}" for f, n in zip(macro["fraction"], macro["n_articles"])],
    )
    left.set_xlabel("share (and number) of the coded articles trained on, per fold")
    left.set_ylabel("cross-validated F1")
    left.legend(loc="lower right", fontsize="x-small")
    pooled = (
        calibration.assign(
            bin=np.minimum((calibration["mean_probability"] * 10).astype(int), 9),
            weighted_p=calibration["mean_probability"] * calibration["n_units"],
            weighted_o=calibration["observed_share"] * calibration["n_units"],
        )
        .groupby("bin")
        .agg(n_units=("n_units", "sum"), p=("weighted_p", "sum"), o=("weighted_o", "sum"))
    )
    pooled = pooled.assign(
        mean_probability=pooled["p"] / pooled["n_units"],
        observed_share=pooled["o"] / pooled["n_units"],
    )
    right.plot([0, 1], [0, 1], color="0.6", linestyle="--", linewidth=0.7)
    right.scatter(
        pooled["mean_probability"],
        pooled["observed_share"],
        s=4 + 60 * pooled["n_units"] / max(pooled["n_units"].max(), 1),
        color="0.1",
        clip_on=False,
    )
    right.plot(pooled["mean_probability"], pooled["observed_share"], color="0.1", linewidth=0.8)
    right.set_xlim(0, 1)
    right.set_ylim(0, 1)
    right.set_aspect("equal")
    right.set_xlabel("predicted probability")
    right.set_ylabel("share coded with it")
    plotted = pd.concat(
        [
            learning.assign(panel="learning curve"),
            pooled.reset_index()[["mean_probability", "observed_share", "n_units"]].assign(
                panel="calibration", category="all"
            ),
        ],
        ignore_index=True,
    )
    return fig, plotted
