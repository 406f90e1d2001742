"""Axes-level plots: ``f(data, *, ..., ax=None) -> Axes``. They draw; they never save.

Colours: every outlet keeps one colour in every figure (:func:`outlet_colors`), taken from
the Okabe-Ito palette, which stays distinguishable for the common forms of colour
blindness; beyond eight outlets Paul Tol's "muted" palette continues it. Categories
that are not outlets use greys, so they are never mistaken for one: a sentence's voice
(:data:`VOICE_COLORS`), and a speaker category (:func:`speaker_styles`: greys and hatch
patterns, which need no colour vision at all; 'unknown' a plain light grey).

Small samples: an estimate resting on fewer than :data:`FEW` sentences (or quotes) is
flagged on the plot, by its n printed beside it (:func:`note_n`) or a faded heatmap cell.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
TOL_MUTED = [  # without its pale grey, which vanishes on white
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
]
OUTLET_PALETTE = OKABE_ITO + TOL_MUTED
VOICE_COLORS = {"narrative": "#4D4D4D", "quote": "#999999", "social": "#D9D9D9"}

SPEAKER_INK = "#444444"
"""The dark grey of speaker categories: solid fills, hatch lines, and dots."""
SPEAKER_STYLES = [  # (fill, hatch, hatch colour): the first ones the most distinct
    ("#444444", "", None),
    ("#FFFFFF", "////", SPEAKER_INK),
    ("#888888", "", None),
    ("#FFFFFF", "....", SPEAKER_INK),
    ("#444444", "\\\\\\\\", "#FFFFFF"),
    ("#888888", "xxx", "#FFFFFF"),
    ("#FFFFFF", "xxx", SPEAKER_INK),
    ("#FFFFFF", "---", SPEAKER_INK),
    ("#888888", "////", "#FFFFFF"),
    ("#FFFFFF", "\\\\\\\\", SPEAKER_INK),
]
"""Speaker categories' looks, in greys and hatch patterns: nothing in them can be taken for
an outlet's colour, and they are told apart without colour vision."""
UNKNOWN_GREY = "#C4C4C4"
"""The plain light grey of the speaker category 'unknown'."""

FEW = 5
"""An estimate resting on fewer sentences (or quotes) than this is flagged on the plot: its
n printed beside its marker, or its heatmap cell faded."""

_HATCHCOLOR = hasattr(Patch, "set_hatchcolor")  # matplotlib 3.10 and later
_HATCH_LINEWIDTH = hasattr(Patch, "set_hatch_linewidth")  # matplotlib 3.10 and later


def hatch_cells(ax: Axes, cells: Iterable[tuple[int, int]], *, color: str = "0.7") -> Axes:
    """Hatch heatmap cells ``(row, column)`` of an ``imshow`` with thin diagonal lines."""
    thin = {"hatch_linewidth": 0.5} if _HATCH_LINEWIDTH else {}
    for i, j in cells:
        ax.add_patch(
            plt.Rectangle(
                (j - 0.5, i - 0.5),
                1,
                1,
                fill=False,
                hatch="//",
                edgecolor=color,
                linewidth=0,
                **thin,
            )
        )
    return ax


def speaker_styles(categories: Iterable[str]) -> dict[str, dict]:
    """The look of each speaker category, in the order given: ``{"color": fill, "hatch":
    pattern, "hatchcolor": colour of the pattern (or None), "ink": a dark grey for a dot}``.

    Greys and hatch patterns, never an outlet colour; 'unknown' is plain light grey.
    With more categories than :data:`SPEAKER_STYLES` has, looks repeat.
    """
    named = [str(c) for c in dict.fromkeys(categories) if str(c) != "unknown"]
    styles = {}
    for i, category in enumerate(named):
        fill, hatch, hatchcolor = SPEAKER_STYLES[i % len(SPEAKER_STYLES)]
        styles[category] = {
            "color": fill,
            "hatch": hatch,
            "hatchcolor": hatchcolor,
            "ink": SPEAKER_INK,
        }
    styles["unknown"] = {"color": UNKNOWN_GREY, "hatch": "", "hatchcolor": None, "ink": "#999999"}
    return styles


def style_patch_kwargs(style: dict) -> dict:
    """Keyword arguments of a bar or :class:`~matplotlib.patches.Rectangle` drawn in a
    :func:`speaker_styles` look (white outline; hatch lines in their own colour)."""
    kwargs = {"facecolor": style["color"], "edgecolor": "white", "hatch": style["hatch"] or None}
    if style["hatch"]:
        if _HATCHCOLOR:
            kwargs["hatchcolor"] = style["hatchcolor"]
        else:  # older matplotlib draws hatches in the edge colour
            kwargs["edgecolor"] = style["hatchcolor"]
    return kwargs


def outlet_colors(outlets: Iterable[str]) -> dict[str, str]:
    """One fixed colour per outlet: outlets sorted by name take the palette in turn.

    The same set of outlets always gets the same colours, whatever order they arrive in.
    With more outlets than the palette has colours, colours repeat (a warning is not
    useful here: such figures should facet by outlet instead of relying on colour).
    """
    names = sorted({str(o) for o in outlets})
    return {name: OUTLET_PALETTE[i % len(OUTLET_PALETTE)] for i, name in enumerate(names)}


MAX_LABEL = 40
"""Figures show at most this many characters of a name (an outlet's, a group's); the tables
keep names whole."""

_SHORT_NAMES: ContextVar[dict[str, str] | None] = ContextVar("short_names", default=None)


def _cut(text: str, tag: str = "", limit: int = MAX_LABEL) -> str:
    """``text`` cut to fewer than ``limit`` characters, ending in "…" and ``tag``."""
    return text[: limit - 2 - len(tag)].rstrip() + "…" + tag


def short_names(names: Iterable[str], limit: int = MAX_LABEL) -> dict[str, str]:
    """The name each of ``names`` is shown by: itself when it has at most ``limit``
    characters, else its start and "…"; names whose shortened forms would be the same are
    told apart by a number ("…~1", "…~2", in the order of their full names)."""
    full = sorted({str(name) for name in names})
    shown = {name: name if len(name) <= limit else _cut(name, limit=limit) for name in full}
    taken: dict[str, list[str]] = {}
    for name in full:
        taken.setdefault(shown[name], []).append(name)
    used = set(shown.values())
    for same in taken.values():
        if len(same) < 2:
            continue
        number = 0
        for name in same:
            if name == shown[name]:  # short enough to be shown whole: it keeps its form
                continue
            while True:
                number += 1
                candidate = _cut(name, f"~{number}", limit)
                if candidate not in used:
                    break
            shown[name] = candidate
            used.add(candidate)
    return shown


@contextmanager
def label_names(names: Iterable[str]) -> Iterator[dict[str, str]]:
    """Within this block :func:`short_label` (and so :func:`wrap_label`) shortens each of
    ``names`` so that no two of them look the same (see :func:`short_names`)."""
    token = _SHORT_NAMES.set(short_names(names))
    try:
        yield _SHORT_NAMES.get()
    finally:
        _SHORT_NAMES.reset(token)


def short_label(label, limit: int = MAX_LABEL) -> str:
    """``label`` as a figure shows it: at most ``limit`` characters (the start, then "…"),
    kept apart from the other names of the figure's run (:func:`label_names`)."""
    text = str(label)
    known = _SHORT_NAMES.get()
    if known is not None and text in known and limit == MAX_LABEL:
        return known[text]
    return text if len(text) <= limit else _cut(text, limit=limit)


def wrap_label(label: str, width: int = 22) -> str:
    """Wrap a category label over several lines, shortened first (:func:`short_label`): a
    name of thousands of characters would make a figure thousands of pixels tall."""
    text = short_label(label)
    return "\n".join(textwrap.wrap(text, width)) or text


def point_with_interval(ax: Axes, x: float, y: float, low: float, high: float, color) -> Axes:
    """An estimate as a dot with its interval as a horizontal bar; an open dot when the
    interval is missing (NaN)."""
    has_interval = not np.isnan(low)
    if has_interval:
        ax.errorbar(x, y, xerr=[[x - low], [high - x]], fmt="none", ecolor=color, elinewidth=0.8)
    ax.plot(
        x,
        y,
        marker="o",
        markersize=3.5,
        linestyle="none",
        markeredgecolor=color,
        markerfacecolor=color if has_interval else "white",
        markeredgewidth=0.8,
    )
    return ax


def note_n(ax: Axes, x: float, y: float, n: int, *, fontsize: float = 5) -> None:
    """Write ``n=<n>`` beside a marker at ``(x, y)``: to its right, or to its left when the
    marker is in the right fifth of the axis (so that the note stays inside it). Call after
    the x limits are set."""
    low, high = ax.get_xlim()
    left = (x - low) > 0.8 * (high - low)
    ax.annotate(
        f"n={n:,}",
        (x, y),
        xytext=(-4 if left else 4, 0),
        textcoords="offset points",
        ha="right" if left else "left",
        va="center",
        fontsize=fontsize,
        color="0.3",
    )


def counts_label(articles: int, sentences: int | None = None, what: str = "sentence") -> str:
    """'1 article, 19 sentences' (the second part only when ``sentences`` is given)."""
    text = f"{articles:,} article{'s' * (articles != 1)}"
    if sentences is not None:
        text += f", {sentences:,} {what}{'s' * (sentences != 1)}"
    return text


def outlet_bars(
    data: pd.DataFrame,
    *,
    x: str,
    outlet: str = "outlet",
    colors: dict[str, str] | None = None,
    annotate: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars, one per outlet, in the outlet's colour.

    Parameters
    ----------
    data : DataFrame
        One row per outlet with columns ``outlet`` and ``x``.
    x : str
        The column to plot as bar length.
    annotate : str, optional
        A column whose values are written at the end of each bar.
    """
    ax = ax or plt.gca()
    colors = colors or outlet_colors(data[outlet])
    y = np.arange(len(data))
    ax.barh(y, data[x], color=[colors[o] for o in data[outlet]], height=0.7)
    ax.set_yticks(y, [wrap_label(o) for o in data[outlet]])
    if not ax.yaxis_inverted():  # first row on top (a shared axis is inverted only once)
        ax.invert_yaxis()
    ax.set_xlabel(x)
    if annotate is not None:
        for yi, value, note in zip(y, data[x], data[annotate]):
            ax.annotate(
                str(note),
                (value, yi),
                xytext=(2, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize="small",
            )
        ax.margins(x=0.25)
    return ax


def stacked_bars(
    data: pd.DataFrame,
    *,
    index: str,
    columns: list[str],
    colors: dict[str, str] | None = None,
    styles: dict[str, dict] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal stacked bars: one bar per ``index`` value, one segment per column.

    Parameters
    ----------
    data : DataFrame
        One row per bar, with column ``index`` (the bar's label) and the ``columns``.
    colors : dict
        Colour of each segment column.
    styles : dict, optional
        Instead of ``colors``: the look of each column, as :func:`speaker_styles` gives it
        (a fill, and a hatch pattern in its own colour).
    """
    ax = ax or plt.gca()
    y = np.arange(len(data))
    left = np.zeros(len(data))
    for column in columns:
        values = data[column].to_numpy(dtype=float)
        look = (
            style_patch_kwargs(styles[column])
            if styles is not None
            else {"color": colors[column], "edgecolor": "white"}
        )
        ax.barh(y, values, left=left, height=0.7, label=column, linewidth=0.4, **look)
        left += values
    ax.set_yticks(y, [wrap_label(v) for v in data[index]])
    if not ax.yaxis_inverted():  # first row on top (a shared axis is inverted only once)
        ax.invert_yaxis()
    return ax


def heatmap_labels(
    ax: Axes,
    columns: list[str],
    rows: list[str],
    *,
    rotation: float = 35,
    column_size: float = 6,
    row_size: float | None = None,
) -> Axes:
    """Label a heatmap drawn with ``imshow``: slanted column labels, row labels, no frame."""
    ax.set_xticks(
        range(len(columns)),
        columns,
        rotation=rotation,
        ha="right",
        rotation_mode="anchor",
        fontsize=column_size,
    )
    ax.set_yticks(range(len(rows)), rows, fontsize=row_size)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    return ax


def annotate_cells(ax: Axes, labels, shades, *, fontsize: float = 5) -> Axes:
    """Write ``labels[i][j]`` in each heatmap cell, white on dark cells (shade > 0.6)."""
    for i, row in enumerate(labels):
        for j, label in enumerate(row):
            ax.text(
                j,
                i,
                label,
                ha="center",
                va="center",
                fontsize=fontsize,
                color="white" if shades[i][j] > 0.6 else "black",
            )
    return ax
