"""The figures of a run with a topic model: each outlet's share of each topic, how the
number of topics was chosen, and the network of topics with its communities."""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from analysis import plots, topics
from analysis.figures.spec import (
    DOUBLE_COLUMN,
    MAX_OUTLETS,
    label_outlet_panels,
    outlet_panels,
    outlets_with_most_articles,
    register,
)

SIGNIFICANT = 0.05
"""Cells marked as differing from the rest: q below this."""
STRONG_LINKS = 0.75
"""The network draws the links above this quantile of the weights (all of them are there:
every pair of topics shares some articles)."""


def _outlets_caption(tables: dict[str, pd.DataFrame]) -> str:
    found = tables["outlet_topics"]
    n_out = found["outlet"].nunique()
    tested = found["p"].notna()
    marked = (found["q"] < SIGNIFICANT).sum()
    shown = (
        f" Shown: the {MAX_OUTLETS} outlets with the most articles, of {n_out}."
        if n_out > MAX_OUTLETS
        else ""
    )
    tests = (
        (
            f"A black dot marks the {int(marked)} cells whose outlet differs from all other "
            "articles"
            if marked
            else "No outlet differs from all other articles on any topic"
        )
        + " (permutation test, Benjamini-Hochberg "
        f"q < {SIGNIFICANT} over the {int(tested.sum()):,} outlet-topic cells tested: outlets "
        "with 50 articles or more). "
        if tested.any()
        else "No outlet has the 50 articles a test against the others needs. "
    )
    return (
        "Each outlet's mean share of its articles' words in each topic (colour), with the "
        "95% interval resampling the outlet's articles drawn inside the cell (the cell's "
        "height is the colour scale: bottom 0, top its largest value); no line where the "
        "outlet has fewer than 50 articles. "
        + tests
        + "Topics are named by their FREX words: read the words and the articles (the table "
        "topic_examples) before calling a topic a frame." + shown
    )


@register("topic_outlets", caption=_outlets_caption, needs=("outlet_topics",))
def topic_outlets(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Topics (rows) by outlets (columns): mean proportion as colour, interval as a line
    in the cell, a dot where the outlet differs from the rest."""
    found = tables["outlet_topics"]
    outlets = outlets_with_most_articles(found)
    data = found[found["outlet"].astype(str).isin(outlets)].reset_index(drop=True)
    topics = sorted(data["topic"].unique())
    labels = data.drop_duplicates("topic").set_index("topic")["label"]
    grid = data.pivot(index="topic", columns="outlet", values="estimate").reindex(
        index=topics, columns=outlets
    )
    top = max(float(np.nanmax(data[["estimate", "ci_high"]].to_numpy())), 1e-9)
    height = max(2.4, 0.9 + 0.15 * len(topics))
    fig, ax = plt.subplots(figsize=(DOUBLE_COLUMN, height), layout="constrained")
    image = ax.imshow(grid.to_numpy(), cmap="Blues", vmin=0, vmax=top, aspect="auto")
    column = {o: j for j, o in enumerate(outlets)}
    row = {t: i for i, t in enumerate(topics)}
    x = data["outlet"].astype(str).map(column).to_numpy()
    y = data["topic"].map(row).to_numpy()
    has = data["ci_low"].notna().to_numpy()

    def cell_y(value):
        return y[has] + 0.45 - 0.9 * np.asarray(value)[has] / top

    ax.vlines(
        x[has], cell_y(data["ci_low"]), cell_y(data["ci_high"]), color="#D55E00", linewidth=0.9
    )
    marked = (data["q"] < SIGNIFICANT).to_numpy()
    ax.plot(x[marked] + 0.3, y[marked] - 0.25, "o", color="black", ms=1.8, linestyle="none")
    sizes = data.groupby("outlet")["n_articles"].max()
    plots.heatmap_labels(
        ax,
        [f"{plots.short_label(o)} (n={sizes[o]:,})" for o in outlets],
        [plots.short_label(labels[t]) for t in topics],
        column_size=5,
        row_size=5,
    )
    bar = fig.colorbar(image, ax=ax, shrink=0.6, pad=0.01)
    bar.set_label("mean topic share of the outlet's articles", fontsize="x-small")
    bar.ax.tick_params(labelsize="x-small")
    plotted = data[["outlet", "topic", "label", "estimate", "ci_low", "ci_high", "n_articles", "q"]]
    return fig, plotted


def _k_caption(tables: dict[str, pd.DataFrame]) -> str:
    table = tables["topic_k"]
    summary = table[table["seed"] == -1]
    chosen = summary.loc[summary["chosen"], "k"]
    n_seeds = int((table["seed"] != -1).sum() / max(len(summary), 1))
    n_docs = int(summary["n_documents"].max()) if len(summary) else 0
    lda = summary["perplexity"].notna().any()
    stable = (summary["stability"] >= 0.6).any() or summary["stability"].isna().all()
    return (
        f"Choosing the number of topics on {n_docs:,} documents, {n_seeds} fits per k (each "
        "on its own 80% of the documents; grey dots: each fit, line: their mean). Left: "
        "coherence (mean NPMI of each topic's 10 top words over the documents; higher: the "
        "words appear together). Middle: stability (the top words of matched topics shared "
        "between fits; 1: the same topics every time; dotted: the 0.6 a k needs). "
        + (
            "Right: held-out perplexity (lower: the model predicts unseen documents "
            "better; it measures fit, which disagrees with people's judgement of topics, so "
            "it is shown, not used). "
            if lda
            else "Perplexity is LDA's only; this run fitted NMF. "
        )
        + (
            (
                f"Chosen (dashed): k = {int(chosen.iloc[0])}, the most coherent k among those "
                "with stability 0.6 or more."
                if stable
                else f"Chosen (dashed): k = {int(chosen.iloc[0])}, the most stable, since no "
                "k reached stability 0.6: these topics change with the sample, so read them "
                "with care."
            )
            if len(chosen)
            else ""
        )
    )


@register("topic_k", caption=_k_caption, needs=("topic_k",))
def topic_k(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Coherence, stability and perplexity against k, the chosen k marked."""
    table = tables["topic_k"]
    summary = table[table["seed"] == -1]
    fits = table[table["seed"] != -1]
    fig, axes = plt.subplots(1, 3, figsize=(DOUBLE_COLUMN, 2.3), layout="constrained")
    chosen = summary.loc[summary["chosen"], "k"]
    for ax, column, name in zip(
        axes,
        ("coherence", "stability", "perplexity"),
        ("coherence (NPMI)", "stability (top-word overlap)", "held-out perplexity"),
    ):
        ax.set_title(name, fontsize="small")
        if not summary[column].notna().any():
            ax.text(
                0.5,
                0.5,
                "LDA only" if column == "perplexity" else "one fit per k",
                ha="center",
                va="center",
                transform=ax.transAxes,
                fontsize="small",
            )
            ax.set_xticks([])
            ax.set_yticks([])
            continue
        if column != "stability":
            ax.plot(fits["k"], fits[column], "o", color="0.6", ms=2.5, linestyle="none")
        ax.plot(summary["k"], summary[column], "o-", color="0.1", ms=3, linewidth=1.2)
        for k in chosen:
            ax.axvline(k, color="#D55E00", linestyle="--", linewidth=0.9)
        if column == "stability":  # the bar a k must reach to be chosen
            ax.axhline(topics.choose.MIN_STABILITY, color="0.5", linestyle=":", linewidth=0.9)
        if len(summary) <= 8:
            ax.set_xticks(summary["k"].tolist())
        else:
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
        ax.set_xlabel("k (topics)", fontsize="small")
        ax.grid(axis="y")
    return fig, table


def _network_caption(tables: dict[str, pd.DataFrame]) -> str:
    network = tables["topic_network"]
    k = int(max(network["topic"].max(), network["other"].max())) if len(network) else 1
    communities = pd.concat([network["community"], network["community_other"]]).nunique()
    return (
        f"The {k} topics as a network (Walter & Ophir's ANTMN): two topics are linked as "
        "strongly as they share documents (cosine similarity of their proportions across "
        "the model's documents; drawn: the strongest quarter of the links). Colours: the "
        f"network's {communities} {'community' if communities == 1 else 'communities'} "
        "(Louvain), each a "
        "group of topics that tend to appear together and so a candidate frame, to be named "
        "by reading its topics' words and articles. Node area: the topic's share of all "
        "articles' words."
    )


@register(
    "topic_network",
    caption=_network_caption,
    needs=("topic_network", "topic_terms", "outlet_topics"),
)
def topic_network(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """The network of topics, coloured by community, sized by share."""
    network = tables["topic_network"]
    terms = tables["topic_terms"]
    found = tables["outlet_topics"]
    k = int(terms["topic"].max())
    community = terms.drop_duplicates("topic").set_index("topic")["community"]
    share = topics.topic_shares(found)
    first_word = (
        terms[terms["ranking"] == "frex"]
        .sort_values(["topic", "rank"])
        .groupby("topic")["term"]
        .first()
    )
    graph = nx.Graph()
    graph.add_nodes_from(range(1, k + 1))
    graph.add_weighted_edges_from(network[["topic", "other", "weight"]].itertuples(index=False))
    position = nx.spring_layout(graph, weight="weight", seed=0)
    fig, ax = plt.subplots(figsize=(DOUBLE_COLUMN, 4.2), layout="constrained")
    strong = network[network["weight"] >= network["weight"].quantile(STRONG_LINKS)]
    top = max(float(strong["weight"].max()), 1e-9) if len(strong) else 1.0
    for row in strong.itertuples(index=False):
        (x1, y1), (x2, y2) = position[row.topic], position[row.other]
        ax.plot([x1, x2], [y1, y2], color="0.75", linewidth=0.3 + 1.5 * row.weight / top, zorder=1)
    colours = {c: plots.OKABE_ITO[(c - 1) % len(plots.OKABE_ITO)] for c in community.unique()}
    nodes = np.arange(1, k + 1)
    xy = np.array([position[t] for t in nodes])
    area = 20 + 900 * share.reindex(nodes, fill_value=0).to_numpy()
    ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=area,
        c=[colours[community[t]] for t in nodes],
        edgecolors="white",
        linewidths=0.5,
        zorder=2,
    )
    for t, (x, y), size in zip(nodes, xy, area):
        ax.annotate(
            f"{t} {first_word.get(t, '')}",
            (x, y),
            xytext=(0, 2 + np.sqrt(size) / 2),  # above the node: its radius in points
            textcoords="offset points",
            ha="center",
            fontsize=6,
            zorder=3,
        )
    ax.set_axis_off()
    ax.margins(0.08)
    handles = [
        plt.Line2D([], [], marker="o", linestyle="none", color=colours[c], label=f"community {c}")
        for c in sorted(colours)
    ]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(len(handles), 6),
        fontsize="x-small",
        frameon=False,
    )
    plotted = pd.DataFrame(
        {
            "topic": nodes,
            "community": community.reindex(nodes).to_numpy(),
            "share": share.reindex(nodes, fill_value=0).to_numpy(),
            "x": xy[:, 0],
            "y": xy[:, 1],
        }
    )
    return fig, plotted


def _communities_caption(tables: dict[str, pd.DataFrame]) -> str:
    n_out = tables["topic_communities"]["outlet"].nunique()
    shown = (
        f" Shown: the {MAX_OUTLETS} outlets with the most articles, of {n_out}."
        if n_out > MAX_OUTLETS
        else ""
    )
    return (
        "Each outlet's share of its articles' words in each community of topics (the "
        "communities of the topic network), with 95% intervals resampling the outlet's "
        "articles (none below 50 articles); n: the outlet's articles with topic words. The "
        "panel titles list each community's topics." + shown
    )


@register("topic_communities", caption=_communities_caption, needs=("topic_communities",))
def topic_communities(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """One panel per community: each outlet's share with its interval."""
    found = tables["topic_communities"]
    outlets = outlets_with_most_articles(found)
    data = found[found["outlet"].astype(str).isin(outlets)].reset_index(drop=True)
    communities = sorted(data["community"].unique())
    rows = math.ceil(len(communities) / 3)
    height = max(2.0, rows * (0.5 + 0.13 * len(outlets)))
    fig, axes, y = outlet_panels(len(communities), outlets, height=height)
    for ax, community in zip(axes.flat, communities):
        cell = data[data["community"] == community]
        at = cell["outlet"].astype(str).map(y).to_numpy()
        has = cell["ci_low"].notna().to_numpy()
        ax.hlines(at[has], cell["ci_low"][has], cell["ci_high"][has], color="0.3", lw=0.8)
        colour = plots.OKABE_ITO[(community - 1) % len(plots.OKABE_ITO)]
        ax.plot(cell["estimate"], at, "o", color=colour, ms=3, linestyle="none")
        topics = cell["topics"].iloc[0] if len(cell) else ""
        ax.set_title(
            textwrap.fill(f"community {community}: topics {topics}", 48), fontsize="x-small"
        )
        ax.set_xlim(0, 1)
        ax.grid(axis="x")
    sizes = data.groupby("outlet")["n_articles"].max()
    label_outlet_panels(fig, axes, len(communities), y, sizes, "share of the outlet's words")
    return fig, data
