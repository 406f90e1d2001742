"""Checks on a run's output folders, made before any work: an output folder never holds, equals
or lies inside an input (the run would overwrite it), and it can be created and written.

:func:`check_outputs` raises :class:`OutputError` with a one-line message naming the folder,
the input and why; the command line prints it as ``error: ...`` with exit status 2.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from analysis import paths

INPUTS = (
    "corpus",
    "metadata file",
    "dictionary",
    "speakers file",
    "actors file",
    "study file",
    "coding sheets",
    "frame classifier",
    "topic model",
    "event file",
)
"""The inputs :func:`analysis.pipeline.run` protects, in the order it passes them."""


class OutputError(ValueError):
    """An output folder that would overwrite an input, or that cannot be written."""


def check_outputs(out_dir, figures_dir, inputs: Mapping[str, object]) -> None:
    """Refuse output folders that overlap an input or cannot be written.

    Parameters
    ----------
    out_dir, figures_dir : path
        The folders for the tables and for the figures.
    inputs : mapping of str to path or None
        Each input by what it is (``"corpus"``, ``"dictionary"``, ...). Values that are not
        paths (a DataFrame, a mapping) or that do not exist (a built-in dictionary's name)
        are skipped; the project's ``data/raw`` is always protected.

    Raises
    ------
    OutputError
        An output folder contains, equals or is inside an input, names an existing file, or
        sits where no folder can be written.
    """
    protected = {**inputs, "project's raw data folder": paths.RAW}
    for flag, folder in (("--out", out_dir), ("--figures", figures_dir)):
        target = Path(folder).resolve()
        for what, source in protected.items():
            if not isinstance(source, (str, os.PathLike)) or not Path(source).exists():
                continue
            where = Path(source).resolve()
            if where == target:
                why = "is"
            elif where.is_relative_to(target):
                why = "contains"
            elif target.is_relative_to(where):
                why = "is inside"
            else:
                continue
            raise OutputError(
                f"{flag} {folder} {why} the {what} {source}: the run would overwrite its "
                "inputs; choose an output folder apart from them"
            )
        _check_writable(Path(folder), flag)


def _check_writable(folder: Path, flag: str) -> None:
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{flag} {folder} is a file, not a folder")
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{flag} {folder} cannot be created: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(
            f"{flag} {folder} cannot be written: no permission to write in {existing}"
        )
