"""The warnings of a run: recorded while it computes, kept as a table, shown as one line each.

A warning that names many outlets or measures (:class:`analysis.stats.ListedWarning`) says in
one line how many, and carries the list in ``details``; :func:`warnings_table` turns the
run's warnings and their lists into the ``warnings`` table, and :func:`show` prints each
warning once, pointing to the table when it has a list.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from analysis import paths

WARNING_COLUMNS = ["warning", "message"]
"""The first columns of the ``warnings`` table; each warning's list adds its own (``outlet``,
``measure``, ``group``, ``n_units``, ...)."""


@contextmanager
def recording(caught: list[warnings.WarningMessage]) -> Iterator[None]:
    """Add every warning raised inside the block to ``caught`` instead of showing it."""
    with warnings.catch_warnings(record=True) as recorded:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            caught.extend(recorded)


def warnings_table(caught: list[warnings.WarningMessage]) -> pd.DataFrame:
    """One row per item a warning lists (one row for a warning without a list).

    Returns
    -------
    DataFrame
        ``warning`` (the class name), ``message``, then the columns of the warnings' lists.
        Repeated warnings (the same class and message) appear once.
    """
    parts, seen = [], set()
    for record in caught:
        key = (record.category.__name__, str(record.message))
        if key in seen:
            continue
        seen.add(key)
        details = getattr(record.message, "details", None)
        rows = details.copy() if details is not None and len(details) else pd.DataFrame(index=[0])
        rows.insert(0, "message", key[1])
        rows.insert(0, "warning", key[0])
        parts.append(rows)
    if not parts:
        return pd.DataFrame({column: pd.Series(dtype="string") for column in WARNING_COLUMNS})
    table = pd.concat(parts, ignore_index=True)
    for column in table.columns[len(WARNING_COLUMNS) :]:
        if table[column].dtype == object:
            table[column] = table[column].astype("string")
    return table


def _library(record: warnings.WarningMessage) -> str | None:
    """Where a library's warning comes from (``matplotlib``, or its class, such as numpy's
    ``RuntimeWarning`` raised at the line that divided), or None for the package's own: a
    warning class of its own, or a plain warning its code raised."""
    if record.category.__module__.split(".")[0] == "analysis":
        return None
    where = Path(record.filename).resolve()
    if record.category is UserWarning and where.is_relative_to(paths.PACKAGE):
        return None
    parts = where.parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts and parts.index(marker) + 1 < len(parts):
            return parts[parts.index(marker) + 1].split(".")[0]
    return record.category.__name__


def show(caught: list[warnings.WarningMessage], listed_in: str) -> None:
    """Issue each of the package's recorded warnings again, once, through the usual
    filters; a warning with a list says it is listed in ``listed_in``. Warnings raised
    inside libraries (numpy's division, matplotlib's layout and glyph warnings, one per
    character; numpy's RuntimeWarnings) are counted in one line instead: they are all in
    ``listed_in``."""
    seen, libraries = set(), {}
    for record in caught:
        message = record.message
        key = (record.category, str(message))
        if key in seen:
            continue
        seen.add(key)
        library = _library(record)
        if library is not None:
            libraries[library] = libraries.get(library, 0) + 1
            continue
        if len(getattr(message, "details", ())):
            message = record.category(f"{message}; listed in {listed_in}")
        warnings.warn_explicit(message, record.category, record.filename, record.lineno)
    if libraries:
        named = ", ".join(f"{name} {count}" for name, count in sorted(libraries.items()))
        warnings.warn(
            f"{sum(libraries.values())} warnings from libraries ({named}); listed in {listed_in}",
            UserWarning,
            stacklevel=2,
        )
