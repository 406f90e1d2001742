"""The figure registry: what a figure is, how it registers, and the sizes and outlet choice
every figure shares (imported by the topic modules, which :mod:`analysis.figures` imports)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import registry

STYLE = "analysis.paper"
SINGLE_COLUMN = 3.5
"""Width in inches of a single-column figure."""
DOUBLE_COLUMN = 7.2
"""Width in inches of a double-column figure."""

MAX_OUTLETS = 20
"""Figures show at most this many outlets: those with the most articles."""

FigureFunction = Callable[[dict[str, pd.DataFrame]], tuple[Figure, pd.DataFrame]]


Caption = str | Callable[[dict[str, pd.DataFrame]], str]


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: its name, the function that draws it, its caption (a string,
    or a function of the tables when it depends on the run's settings), the tables it
    needs and those it reads when they are there (``reads``)."""

    name: str
    draw: FigureFunction
    caption: Caption
    needs: tuple[str, ...]
    reads: tuple[str, ...] = ()

    def tables_of(self, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """The tables of ``tables`` this figure and its caption read."""
        return {name: tables[name] for name in (*self.needs, *self.reads) if name in tables}

    def caption_for(self, tables: dict[str, pd.DataFrame]) -> str:
        """The caption text for this run's tables."""
        return self.caption(tables) if callable(self.caption) else self.caption


REGISTRY: dict[str, FigureSpec] = {}


def register(name: str, *, caption: Caption, needs: Iterable[str], reads: Iterable[str] = ()):
    """Add a figure function to :data:`REGISTRY` under ``name``: drawn when every table
    of ``needs`` is there, reading those of ``reads`` too when they are.

    Raises
    ------
    ValueError
        When ``needs`` names a table that :mod:`analysis.registry` does not know (at
        import, so that a misspelt table name never makes a figure silently skipped).
    """
    needs, reads = tuple(needs), tuple(reads)
    unknown = [table for table in (*needs, *reads) if table not in registry.TABLES]
    if unknown:
        raise ValueError(
            f"figure {name!r} needs {', '.join(map(repr, unknown))}, not a table of "
            f"analysis.registry (its tables: {', '.join(registry.TABLES)}); register the "
            "table there or correct the name"
        )

    def add(func: FigureFunction) -> FigureFunction:
        REGISTRY[name] = FigureSpec(name, func, caption, needs, reads)
        return func

    return add


def shown_outlets(tables: dict[str, pd.DataFrame], limit: int = MAX_OUTLETS) -> list[str]:
    """The outlets a figure shows, sorted by name: the ``limit`` with the most articles.

    Every figure shows the same outlets, so each keeps its colour across figures.
    """
    counts = tables["articles"]["outlet"].value_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    return sorted(str(outlet) for outlet, _ in ranked[:limit])


def shown_outlets_note(tables: dict[str, pd.DataFrame], limit: int = MAX_OUTLETS) -> str:
    """A caption sentence saying which outlets are shown, when not all of them are."""
    total = tables["articles"]["outlet"].nunique()
    if total <= limit:
        return ""
    return (
        f" Shown: the {limit} outlets with the most articles, of {total}; the tables in the "
        "output folder have every outlet."
    )


def with_outlets(sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """``sentences`` with their article's ``outlet``: the rows and order of
    ``sentences.merge(articles[["article_id", "outlet"]], on="article_id")``, found by
    looking up each distinct article id once rather than every sentence's."""
    if not articles["article_id"].is_unique:  # a sentence would appear once per article
        return sentences.merge(articles[["article_id", "outlet"]], on="article_id")
    codes, ids = pd.factorize(sentences["article_id"])
    outlets = pd.Series(articles["outlet"].to_numpy(dtype=object), index=articles["article_id"])
    found = np.append(outlets.reindex(ids).to_numpy(dtype=object), np.nan)  # code -1: no id
    outlet = found[codes]
    known = pd.notna(outlet)
    return sentences[known].assign(outlet=outlet[known])


def outlets_with_most_articles(table: pd.DataFrame, limit: int = MAX_OUTLETS) -> list[str]:
    """The ``limit`` outlets of ``table`` (``outlet``, ``n_articles``) with the most articles,
    sorted by name: the outlets a figure of per-outlet estimates shows."""
    sizes = table.groupby("outlet")["n_articles"].max()
    ranked = sorted(sizes.items(), key=lambda item: (-item[1], str(item[0])))[:limit]
    return sorted(str(outlet) for outlet, _ in ranked)


def outlet_panels(n_panels: int, outlets: list[str], *, height: float, columns: int = 3):
    """A grid of panels sharing their axes, one row of each per outlet (the first outlet on
    top): ``(fig, axes, y)`` with ``y`` each outlet's row. :func:`label_outlet_panels`
    finishes it."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        math.ceil(n_panels / columns),
        min(columns, n_panels),
        figsize=(DOUBLE_COLUMN, height),
        layout="constrained",
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    y = {outlet: i for i, outlet in enumerate(reversed(outlets))}
    return fig, axes, y


def label_outlet_panels(fig, axes, n_panels: int, y: dict, sizes: pd.Series, xlabel: str) -> None:
    """Hide the unused panels, give the lowest panel of each column its x labels, the first
    column the outlets with their article counts (``sizes``), and the figure ``xlabel``."""
    from analysis import plots

    for ax in axes.flat[n_panels:]:
        ax.set_visible(False)
    for ax in axes.flat[n_panels - axes.shape[1] : n_panels]:
        ax.xaxis.set_tick_params(labelbottom=True)  # the lowest panel of its column
    for ax in axes[:, 0]:
        ax.set_yticks(list(y.values()), [f"{plots.short_label(o)} (n={sizes[o]:,})" for o in y])
    fig.supxlabel(xlabel, fontsize="small")
