"""The run's warnings: one line each for the package's own, one line for all of the libraries'."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis import notices, stats


def _recorded() -> list[warnings.WarningMessage]:
    caught: list = []
    with notices.recording(caught):
        stats.warn_missing_intervals(
            pd.DataFrame({"outlet": ["A", "B"], "measure": "m", "n_units": 1, "ci_low": np.nan}),
            "tone",
            unit="article",
            minimum=50,
        )
        with np.errstate(divide="warn"):
            np.log(np.zeros(1))  # numpy's own RuntimeWarning
        for glyph in "ab":  # like matplotlib's one warning per missing glyph
            warnings.warn_explicit(
                f"Glyph {glyph} missing", UserWarning, "/x/site-packages/matplotlib/text.py", 1
            )
    return caught


def test_the_table_keeps_every_warning_and_its_list():
    table = notices.warnings_table(_recorded())
    assert table["outlet"].dropna().tolist() == ["A", "B"]
    assert table["message"].str.contains("Glyph").sum() == 2
    assert table["message"].str.contains("divide").sum() == 1


def test_library_warnings_are_one_line_and_the_packages_own_keep_theirs():
    caught = _recorded()
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        notices.show(caught, listed_in="warnings.csv")
    lines = [str(w.message) for w in shown]
    assert lines == [
        "tone: no interval for 2 outlets (A, B) with fewer than 50 articles "
        "(2 outlet-measure cells reported as missing); listed in warnings.csv",
        "3 warnings from libraries (RuntimeWarning 1, matplotlib 2); listed in warnings.csv",
    ]
