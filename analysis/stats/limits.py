"""The units an interval resamples, the fewest of them each interval is reported from, and
the warnings that say an interval is missing.

The minimums are where the simulation of ``make calibrate`` (benchmarks/calibration.py) saw a
nominal 95% interval cover 0.93-0.97; below them an interval is reported missing, with an
:class:`UndefinedIntervalWarning`.
"""

from __future__ import annotations

import warnings

import pandas as pd

UNITS = ("article", "sentence", "quote")
SENTENCE_CAVEAT = (
    "Intervals resample sentences, which are not independent within an article: they "
    "describe these articles, not the outlet, and are too narrow for claims about the outlet."
)
SUMMARY_COLUMNS = [
    "outlet",
    "measure",
    "estimate",
    "ci_low",
    "ci_high",
    "n_articles",
    "n_units",
    "unit",
]


INTERVAL_METHOD = "studentized (bootstrap-t)"
"""The bootstrap interval of a mean (:func:`studentized_intervals`), as methods text names it."""
MIN_UNITS_MEAN = 50
"""Fewest units (articles, sentences) a mean's interval is reported for: below it, no method
simulated by ``make calibrate`` covers 0.93-0.97 on skewed or bursty data, and the interval
is reported missing."""
MIN_UNITS_RATIO = 500
"""Fewest articles a pooled ratio's interval (articles of different lengths) is reported for."""
MIN_QUOTING_ARTICLES = 100
"""Fewest articles a mean over quotes is reported for, the quotes of one article taken
together (:func:`summarize_clustered` with articles as clusters): at 50 articles the
simulation's bursty quote tone covered 0.92, from 100 articles 0.94-0.96."""
MIN_CLUSTERS = 30
"""Fewest outlets an interval that resamples outlets is reported for."""
MIN_UNITS_DIFFERENCE = 100
"""Fewest units on each side for a difference's interval and test."""


class ListedWarning(UserWarning):
    """A warning in one short line, with the long list behind it in :attr:`details`.

    ``details`` is a DataFrame with one row per item the warning is about (an outlet and
    measure, a group); a run writes them to its ``warnings`` table, so the terminal gets one
    line per warning however many outlets it names.
    """

    def __init__(self, message: str, details: pd.DataFrame | None = None):
        super().__init__(message)
        self.details = pd.DataFrame() if details is None else details.reset_index(drop=True)


class UndefinedIntervalWarning(ListedWarning):
    """An interval or test is reported missing: too few units for an honest one."""


def few(names, noun: str) -> str:
    """How many ``names`` there are, naming them when they fit in a short line.

    Examples
    --------
    >>> few(["A", "B"], "outlet")
    '2 outlets (A, B)'
    >>> few([f"outlet number {i}" for i in range(12)], "outlet")
    '12 outlets'
    """
    names = [str(name) for name in names]
    counted = f"{len(names):,} {noun}{'s' * (len(names) != 1)}"
    listed = ", ".join(names)
    return f"{counted} ({listed})" if len(names) <= 3 and len(listed) <= 60 else counted


def warn_missing_intervals(
    table: pd.DataFrame, what: str, *, unit: str, minimum: int, key: str = "measure"
) -> None:
    """One short :class:`UndefinedIntervalWarning` counting the outlets of ``table`` with a
    value but no interval; its ``details`` list the cells (``outlet``, ``key``, ``n_units``).

    ``what`` names the measures (``"tone"``, ``"frames"``), ``minimum`` the fewest ``unit``s
    the interval is reported from.
    """
    missing = table[(table["n_units"] > 0) & table["ci_low"].isna()]
    if not len(missing):
        return
    outlets = few(missing["outlet"].astype(str).unique(), "outlet")
    warnings.warn(
        UndefinedIntervalWarning(
            f"{what}: no interval for {outlets} with fewer than {minimum} {unit}s "
            f"({len(missing)} outlet-{key} cells reported as missing)",
            missing[["outlet", key, "n_units"]].astype({"outlet": str, key: str}),
        ),
        stacklevel=3,
    )
