"""Publication figures: one function per figure, a registry, and :func:`save`.

The figures live in topic modules (:mod:`analysis.figures.corpus`,
:mod:`analysis.figures.tone`, ...) and register themselves here.

A figure function takes the run's tables (a dict of DataFrames: ``articles``,
``sentences``, ...) and returns ``(figure, plotted)``, where ``plotted`` is the DataFrame
of the numbers drawn. :func:`save` writes the figure as PDF and PNG (SVG on request) plus
``plotted`` as CSV, with the dates stripped so that saving twice gives identical bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis import plots
from analysis.figures.spec import (
    DOUBLE_COLUMN,
    MAX_OUTLETS,
    REGISTRY,
    SINGLE_COLUMN,
    STYLE,
    Caption,
    FigureFunction,
    FigureSpec,
    register,
    shown_outlets,
    shown_outlets_note,
)

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
    written = [out_dir / f"{name}.{fmt}" for fmt in formats]
    with plt.style.context(STYLE):  # resolution, padding and font embedding apply at save time
        # The layout engine measures every text with the renderer of the file it writes; it
        # runs for the first file only (the PNG, so its layout is the one of its pixels), and
        # the other formats keep that layout.
        for path in sorted(written, key=lambda path: path.suffix != ".png"):
            fmt = path.suffix[1:]
            fig.savefig(path, format=fmt, metadata=_METADATA.get(fmt))
            fig.set_layout_engine("none")
    plt.close(fig)
    csv_path = out_dir / f"{name}.csv"
    plotted.to_csv(csv_path, index=False, lineterminator="\n")
    written.append(csv_path)
    return written


def _names(tables: dict[str, pd.DataFrame]) -> set[str]:
    """The outlet and group names a figure of ``tables`` may show (shortened together, so
    that no two look the same: :func:`analysis.plots.label_names`)."""
    names: set[str] = set()
    for table, column in (("articles", "outlet"), ("group_measures", "group")):
        found = tables.get(table)
        if found is not None and column in found:
            names.update(map(str, found[column].dropna().unique()))
    settings = tables.get("term_settings")
    articles = tables.get("articles")
    if settings is not None and len(settings) and "group_by" in settings and articles is not None:
        group_by = settings["group_by"].iloc[0]
        if group_by in articles:
            names.update(map(str, articles[group_by].dropna().unique()))
    return names


def _styled(name: str, tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Figure ``name`` drawn from ``tables`` in the project style."""
    spec = REGISTRY[name]
    with plt.style.context(STYLE), plots.label_names(_names(tables)):
        drawn = spec.draw(tables)
        # the first figure of a Jupyter session starts the inline backend, which turns
        # interactive mode on; leaving the style context would turn it off again, and no
        # later figure would be displayed
        interactive = matplotlib.is_interactive()
    matplotlib.interactive(interactive)
    return drawn


def draw(name: str, tables: dict[str, pd.DataFrame]) -> tuple[Figure, pd.DataFrame]:
    """Draw the registered figure ``name`` from ``tables`` in the project style.

    In a notebook (matplotlib's inline backend) the figure is displayed at once, so that
    what the cell prints next (:func:`describe`) appears under it, not above; the returned
    figure can still be saved.
    """
    drawn = _styled(name, tables)
    if "inline" in matplotlib.get_backend():
        plt.show()
    return drawn


def describe(name: str, tables: dict[str, pd.DataFrame]) -> str:
    """The caption of figure ``name`` for ``tables``, then how to read it in plain words.

    Notebooks print this under each figure; captions.md has the captions alone.
    """
    return f"{REGISTRY[name].caption_for(tables)}\n\nHow to read this: {HOW_TO_READ[name]}"


def build_all(
    tables: dict[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    formats: Iterable[str] = ("pdf", "png"),
    names: Iterable[str] | None = None,
) -> dict[str, list[Path]]:
    """Draw and save every registered figure whose tables are available (only those in
    ``names`` when given).

    Also writes ``captions.md``: each figure's caption for this run, ready for a paper.
    """
    wanted = None if names is None else set(names)
    unknown = sorted((wanted or set()) - set(REGISTRY))
    if unknown:
        raise ValueError(f"no figure named {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    written = {}
    captions = []
    for name, spec in REGISTRY.items():
        if wanted is not None and name not in wanted:
            continue
        if all(table in tables for table in spec.needs):
            fig, plotted = _styled(name, tables)
            written[name] = save(fig, plotted, name, out_dir, formats=formats)
            captions.append(f"## {name}\n\n{spec.caption_for(tables)}\n")
    if captions:
        path = Path(out_dir) / "captions.md"
        path.write_text("# Figure captions\n\n" + "\n".join(captions), encoding="utf-8")
        next(iter(written.values())).append(path)
    return written


# The figure modules register themselves on import.
from analysis.figures import corpus, frames, terms, tone, voices  # noqa: E402, F401
from analysis.figures.reading import HOW_TO_READ  # noqa: E402

# isort: split
# registered last, so drawn last: the figure of a run grouped by a metadata column
from analysis.figures import groups  # noqa: E402, F401

__all__ = [
    "DOUBLE_COLUMN",
    "HOW_TO_READ",
    "MAX_OUTLETS",
    "REGISTRY",
    "SINGLE_COLUMN",
    "STYLE",
    "Caption",
    "FigureFunction",
    "FigureSpec",
    "build_all",
    "describe",
    "draw",
    "register",
    "save",
    "shown_outlets",
    "shown_outlets_note",
]
