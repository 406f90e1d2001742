"""Records: input parsed from a file, folder or DataFrame but not yet validated.

Also the small helpers that read input values the same way everywhere: a column's values,
a selection of rows, missing values, and values used as labels (ids, outlets, titles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Records:
    """Input parsed into records, before validation.

    ``columns`` maps each input column to its values (a dict of lists, or a DataFrame);
    ``rows``/``files`` give each record's source_row/source_file. A folder's texts come from
    its files (``texts``), with per-file repairs, fallback ids (the file's path without
    ``.txt``) and, without metadata, fallback outlets (the file's subfolder, None at the top).
    """

    columns: dict | pd.DataFrame
    rows: list
    files: list
    n_input: int
    rejected: list = field(default_factory=list)
    repairs: list = field(default_factory=list)
    texts: list | None = None
    row_repairs: list | None = None
    fallback_ids: list | None = None
    fallback_outlets: list | None = None


def column_values(columns, name) -> list:
    """One input column's values as a list."""
    values = columns[name]
    return values.tolist() if isinstance(values, pd.Series) else values


def take_rows(columns, positions: list, names: list) -> pd.DataFrame:
    """The rows at ``positions`` of the input columns ``names``, as a DataFrame."""
    if isinstance(columns, pd.DataFrame):
        return columns.iloc[positions][names].reset_index(drop=True)
    return pd.DataFrame(
        {c: [columns[c][i] for i in positions] for c in names},
        index=range(len(positions)),
        columns=names,
    )


def format_names(columns) -> str:
    """Column names for an error message."""
    return ", ".join(map(str, columns)) or "none"


def is_missing(value) -> bool:
    """True for None, NaN, <NA> and NaT."""
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, np.datetime64) and np.isnat(value))
    )


def not_scalar(value) -> bool:
    """True for a value that is a collection (dict, list, array, ...) or bytes, not one value."""
    return isinstance(value, (dict, list, tuple, set, frozenset, np.ndarray, bytes, bytearray))


def as_label(value) -> str | None:
    """An id/outlet/title value as a stripped string (numbers converted), None when missing."""
    if isinstance(value, str):
        return value.strip() or None
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def too_long(n_chars: int, max_chars: int, exact: bool = True) -> str:
    """The reason a text over the size limit is rejected."""
    size = f"{n_chars:,} characters" if exact else f"a file of {n_chars:,} bytes"
    return (
        f"text longer than {max_chars:,} characters ({size}); raise --max-chars "
        "(corpus.max_chars) to load it"
    )
