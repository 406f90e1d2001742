"""Publication figures: one function per figure, a registry, and :func:`save`.

A figure function takes the run's tables (a dict of DataFrames: ``articles``,
``sentences``, ...) and returns ``(figure, plotted)``, where ``plotted`` is the DataFrame
of the numbers drawn. :func:`save` writes the figure as PDF and PNG (SVG on request) plus
``plotted`` as CSV, with the dates stripped so that saving twice gives identical bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis import plots
from analysis.tokens import count_words_many

STYLE = "analysis.paper"
SINGLE_COLUMN = 3.5
"""Width in inches of a single-column figure."""
DOUBLE_COLUMN = 7.2
"""Width in inches of a double-column figure."""

FigureFunction = Callable[[dict[str, pd.DataFrame]], tuple[Figure, pd.DataFrame]]


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: its name, the function that draws it, and its caption."""

    name: str
    draw: FigureFunction
    caption: str
    needs: tuple[str, ...]


REGISTRY: dict[str, FigureSpec] = {}


def register(name: str, *, caption: str, needs: Iterable[str]):
    """Add a figure function to :data:`REGISTRY` under ``name``."""

    def add(func: FigureFunction) -> FigureFunction:
        REGISTRY[name] = FigureSpec(name, func, caption, tuple(needs))
        return func

    return add


_METADATA = {
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
}


def save(
    fig: Figure,
    plotted: pd.DataFrame,
    name: str,
    out_dir: str | Path,
    *,
    formats: Iterable[str] = ("pdf", "png"),
) -> list[Path]:
    """Write ``fig`` as ``name.<format>`` for each format, and ``plotted`` as ``name.csv``.

    Dates and software versions are left out of the files' metadata, so the same figure
    saved twice gives identical bytes. The figure is closed afterwards.

    Returns
    -------
    list of Path
        The files written, the CSV last.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with plt.style.context(STYLE):  # resolution, padding and font embedding apply at save time
        for fmt in formats:
            path = out_dir / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, metadata=_METADATA.get(fmt))
            written.append(path)
    plt.close(fig)
    csv_path = out_dir / f"{name}.csv"
    plotted.to_csv(csv_path, index=False, lineterminator="\n")
    written.append(csv_path)
    return written


def draw(name: str, tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Draw the registered figure ``name`` from ``tables`` in the project style."""
    spec = REGISTRY[name]
    with plt.style.context(STYLE):
        return spec.draw(tables)


def build_all(
    tables: dict[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    formats: Iterable[str] = ("pdf", "png"),
) -> dict[str, list[Path]]:
    """Draw and save every registered figure whose tables are available."""
    written = {}
    for name, spec in REGISTRY.items():
        if all(table in tables for table in spec.needs):
            fig, plotted = draw(name, tables)
            written[name] = save(fig, plotted, name, out_dir, formats=formats)
    return written


# ---------------------------------------------------------------------------------------------
# The figures

VOICES = ["narrative", "quote", "social"]


def corpus_overview_table(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: articles, words and sentences by voice.

    Parameters
    ----------
    articles : DataFrame
        ``article_id``, ``outlet``, ``text_clean``.
    sentences : DataFrame
        ``article_id``, ``voice``.

    Returns
    -------
    DataFrame
        One row per outlet (sorted by name): ``outlet``, ``articles``, ``words`` (tokens of
        the cleaned text), ``sentences``, and ``sentences_narrative``, ``sentences_quote``,
        ``sentences_social``.
    """
    words = articles.assign(words=count_words_many(articles["text_clean"]))
    per_outlet = words.groupby("outlet", sort=True).agg(
        articles=("article_id", "size"), words=("words", "sum")
    )
    voice = sentences.merge(articles[["article_id", "outlet"]], on="article_id")
    counts = (
        pd.crosstab(voice["outlet"], voice["voice"].astype(str))
        .reindex(columns=VOICES, fill_value=0)
        .add_prefix("sentences_")
    )
    out = per_outlet.join(counts, how="left").fillna(0)
    out.insert(2, "sentences", out[[f"sentences_{v}" for v in VOICES]].sum(axis=1))
    return out.astype("int64").reset_index()


@register(
    "corpus_overview",
    caption=(
        "The corpus at a glance. Left: words per outlet (after cleaning), with the number of "
        "articles. Right: sentences per outlet by voice: narrative (the outlet's own prose), "
        "quote (mostly inside quotation marks) and social (embedded social-media posts)."
    ),
    needs=("articles", "sentences"),
)
def corpus_overview(tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Words and articles per outlet, and sentences by voice, side by side."""
    data = corpus_overview_table(tables["articles"], tables["sentences"])
    colors = plots.outlet_colors(data["outlet"])
    height = 0.9 + 0.42 * len(data)
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(SINGLE_COLUMN, height), sharey=True, layout="constrained"
    )
    fig.get_layout_engine().set(wspace=0.05)
    notes = data.assign(note=[f"{n} art." if n != 1 else "1 art." for n in data["articles"]])
    plots.outlet_bars(notes, x="words", annotate="note", colors=colors, ax=left)
    left.set_xlabel("words")
    plots.stacked_bars(
        data.rename(columns={f"sentences_{v}": v for v in VOICES}),
        index="outlet",
        columns=VOICES,
        colors=plots.VOICE_COLORS,
        ax=right,
    )
    right.set_xlabel("sentences")
    right.tick_params(axis="y", left=False)
    right.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
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
