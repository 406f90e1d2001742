"""Publication figures: one function per figure, a registry, and :func:`save`.

The figures live in topic modules (:mod:`analysis.figures.corpus`,
:mod:`analysis.figures.tone`, ...) and register themselves here.

A figure function takes the run's tables (a dict of DataFrames: ``articles``,
``sentences``, ...) and returns ``(figure, plotted)``, where ``plotted`` is the DataFrame
of the numbers drawn. :func:`save` writes the figure as PDF and PNG (SVG on request) plus
``plotted`` as CSV, with the dates stripped so that saving twice gives identical bytes.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from concurrent.futures import Executor
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


def _styled(
    name: str, tables: dict[str, pd.DataFrame], names: set[str] | None = None
) -> tuple[Figure, pd.DataFrame]:
    """Figure ``name`` drawn from ``tables`` in the project style (``names``: the labels to
    shorten together, by default :func:`_names` of ``tables``)."""
    spec = REGISTRY[name]
    with plt.style.context(STYLE), plots.label_names(_names(tables) if names is None else names):
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
    pool: Executor | None = None,
) -> dict[str, list[Path]]:
    """Draw and save every registered figure whose tables are available (only those in
    ``names`` when given), on ``pool`` when given (each figure in a worker, from the tables
    it needs and reads, :meth:`FigureSpec.tables_of`; the warnings they raise are raised
    again here).

    Also writes ``captions.md``: each figure's caption for this run, ready for a paper.
    """
    wanted = None if names is None else set(names)
    unknown = sorted((wanted or set()) - set(REGISTRY))
    if unknown:
        raise ValueError(f"no figure named {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    chosen = [
        name
        for name, spec in REGISTRY.items()
        if (wanted is None or name in wanted) and all(table in tables for table in spec.needs)
    ]
    labels = _names(tables)
    formats = tuple(formats)
    if pool is None:
        drawn = [_drawn(name, tables, labels, out_dir, formats) for name in chosen]
    else:
        futures = [
            pool.submit(
                _drawn_recording,
                name,
                REGISTRY[name].tables_of(tables),
                labels,
                out_dir,
                formats,
            )
            for name in chosen
        ]
        drawn = []
        for future in futures:
            files, caption, caught = future.result()
            for message, category, filename, line in caught:
                warnings.warn_explicit(message, category, filename, line)
            drawn.append((files, caption))
    written = {name: files for name, (files, _) in zip(chosen, drawn)}
    captions = [f"## {name}\n\n{caption}\n" for name, (_, caption) in zip(chosen, drawn)]
    if captions:
        path = Path(out_dir) / "captions.md"
        path.write_text("# Figure captions\n\n" + "\n".join(captions), encoding="utf-8")
        next(iter(written.values())).append(path)
    return written


def _drawn(name: str, tables, labels: set[str], out_dir, formats) -> tuple[list[Path], str]:
    """Figure ``name`` drawn and saved: its files and its caption."""
    fig, plotted = _styled(name, tables, labels)
    return save(fig, plotted, name, out_dir, formats=formats), REGISTRY[name].caption_for(tables)


def _drawn_recording(name: str, tables, labels: set[str], out_dir, formats):
    """:func:`_drawn` in a worker, with the warnings it raised (message, category, file,
    line), for the parent to raise again."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        files, caption = _drawn(name, tables, labels, out_dir, formats)
    return files, caption, [(w.message, w.category, w.filename, w.lineno) for w in caught]


# The figure modules register themselves on import.
from analysis.figures import corpus, frames, terms, tone, voices  # noqa: E402, F401
from analysis.figures.reading import HOW_TO_READ  # noqa: E402

# isort: split
# registered last, so drawn last: the figure of a run grouped by a metadata column
from analysis.figures import groups  # noqa: E402, F401

# isort: split
# a run given coders' codes: its measures against them, and frames learned from them
from analysis.figures import coding, learned  # noqa: E402, F401

# isort: split
# a run with a topic model
from analysis.figures import topics  # noqa: E402, F401

# isort: split
# a run matching articles into stories, and measures over time
from analysis.figures import stories  # noqa: E402, F401

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
