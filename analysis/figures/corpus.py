"""Figures about the corpus itself."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure

from analysis import plots
from analysis.figures.spec import (
    SINGLE_COLUMN,
    register,
    shown_outlets,
    shown_outlets_note,
    with_outlets,
)
from analysis.tokens import count_words_many

VOICES = ["narrative", "quote", "social"]


def corpus_overview_table(
    articles: pd.DataFrame, sentences: pd.DataFrame, *, words: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per outlet: articles, words and sentences by voice.

    Parameters
    ----------
    articles : DataFrame
        ``article_id``, ``outlet``, ``text_clean``.
    sentences : DataFrame
        ``article_id``, ``voice``.
    words : DataFrame, optional
        ``article_id, n_words``: each article's tokens of the cleaned text, when already
        counted (:func:`analysis.quotes.article_voices`); counted here otherwise.

    Returns
    -------
    DataFrame
        One row per outlet (sorted by name): ``outlet``, ``articles``, ``words`` (tokens of
        the cleaned text), ``sentences``, and ``sentences_narrative``, ``sentences_quote``,
        ``sentences_social``.
    """
    if words is None:
        words = articles.assign(words=count_words_many(articles["text_clean"]))
    else:
        counted = words.set_index("article_id")["n_words"]
        words = articles.assign(words=articles["article_id"].map(counted).to_numpy())
    per_outlet = words.groupby("outlet", sort=True).agg(
        articles=("article_id", "size"), words=("words", "sum")
    )
    voice = with_outlets(sentences[["article_id", "voice"]], articles)
    counts = (
        pd.crosstab(voice["outlet"], voice["voice"].astype(str))
        .reindex(columns=VOICES, fill_value=0)
        .add_prefix("sentences_")
    )
    out = per_outlet.join(counts, how="left").fillna(0)
    out.insert(2, "sentences", out[[f"sentences_{v}" for v in VOICES]].sum(axis=1))
    return out.astype("int64").reset_index()


def _thousands(value: float, _position) -> str:
    """Tick labels short enough for a narrow panel: 1500 -> 1.5k, 2000000 -> 2M."""
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


@register(
    "corpus_overview",
    caption=lambda tables: (
        "The corpus at a glance. Left: words per outlet (after cleaning), with the number of "
        "articles. Right: sentences per outlet by voice: narrative (the outlet's own prose), "
        "quote (mostly inside quotation marks) and social (embedded social-media posts)."
        + shown_outlets_note(tables)
    ),
    needs=("articles", "sentences"),
    reads=("article_voices",),
)
def corpus_overview(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Words and articles per outlet, and sentences by voice, side by side."""
    data = corpus_overview_table(
        tables["articles"], tables["sentences"], words=tables.get("article_voices")
    )
    data = data[data["outlet"].isin(shown_outlets(tables))].reset_index(drop=True)
    colors = plots.outlet_colors(data["outlet"])
    height = 0.9 + 0.42 * len(data)
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(SINGLE_COLUMN, height), sharey=True, layout="constrained"
    )
    fig.get_layout_engine().set(wspace=0.05)
    notes = data.assign(note=[plots.counts_label(int(n)) for n in data["articles"]])
    plots.outlet_bars(notes, x="words", annotate="note", colors=colors, ax=left)
    left.set_xlabel("words")
    # the panels touch: the last tick label of the left one would run into the first on the
    # right
    left.xaxis.set_major_locator(ticker.MaxNLocator(nbins=2, prune="upper"))
    left.xaxis.set_major_formatter(ticker.FuncFormatter(_thousands))
    plots.stacked_bars(
        data.rename(columns={f"sentences_{v}": v for v in VOICES}),
        index="outlet",
        columns=VOICES,
        colors=plots.VOICE_COLORS,
        ax=right,
    )
    right.set_xlabel("sentences")
    right.tick_params(axis="y", left=False)
    # above both panels: above the narrow right one alone, "social" ran past the edge
    fig.legend(
        *right.get_legend_handles_labels(),
        loc="outside upper right",
        ncols=3,
        handlelength=0.9,
        columnspacing=0.7,
        handletextpad=0.3,
        borderaxespad=0.2,
    )
    for ax in (left, right):
        ax.xaxis.grid(True)
        ax.set_axisbelow(True)
    return fig, data
