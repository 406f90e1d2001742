"""Completing a manifest from the same run's tables, for the methods text and the page."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.corpus import Corpus


def read_table(out_dir: Path, name: str, columns: list[str] | None = None) -> pd.DataFrame | None:
    """The run's table ``name`` from ``out_dir`` (Parquet, else CSV), or None if absent.

    ``columns`` reads only those columns (all must exist), so a large table is not read whole.
    """
    for suffix, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
        path = Path(out_dir) / f"{name}{suffix}"
        if path.is_file():
            if columns is None:
                return reader(path)
            try:
                return (
                    reader(path, columns=columns)
                    if suffix == ".parquet"
                    else reader(path, usecols=columns)
                )
            except (KeyError, ValueError):
                return None
    return None


def run_table(
    out_dir: str | Path,
    name: str,
    manifest: Mapping | None = None,
    columns: list[str] | None = None,
) -> pd.DataFrame | None:
    """The run's table ``name``: from ``out_dir`` (:func:`read_table`), else from the folder
    where the run wrote it, as ``manifest["outputs"]`` lists it (the report and the methods
    text sit with the figures, the tables in the output folder); None if neither has it.
    """
    found = read_table(Path(out_dir), name, columns)
    if found is not None:
        return found
    folders = []
    for output in (manifest or {}).get("outputs") or []:
        path = Path(str(output))
        found_here = path.stem == name and path.suffix in (".parquet", ".csv")
        if found_here and path.parent not in folders:
            folders.append(path.parent)
    for folder in folders:
        found = read_table(folder, name, columns)
        if found is not None:
            return found
    return None


def _date_text(value) -> str | None:
    """A timestamp as ISO text: the date alone at midnight, else date and time."""
    if pd.isna(value):
        return None
    value = pd.Timestamp(value)
    return value.date().isoformat() if value == value.normalize() else value.isoformat()


def _plain(value):
    """A table cell as a JSON value: None for missing, ISO text for a time, Python numbers."""
    if isinstance(value, (list, tuple, dict)):
        return value
    if pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return _date_text(value)
    return value.item() if hasattr(value, "item") else value


def json_records(table: pd.DataFrame) -> list[dict]:
    """A table as JSON-ready records for the manifest: missing values None, times as ISO
    text (the date alone at midnight), numpy numbers as Python numbers.

    Examples
    --------
    >>> json_records(pd.DataFrame({"a": [1, None], "t": pd.to_datetime(["2017-03-01", None])}))
    [{'a': 1.0, 't': '2017-03-01'}, {'a': None, 't': None}]
    """
    return [
        {str(k): _plain(v) for k, v in zip(table.columns, row)}
        for row in table.itertuples(index=False, name=None)
    ]


def _outlet_summary(out_dir: Path, manifest: Mapping) -> list[dict] | None:
    """Per-outlet summary rows of the run's ``articles`` table, as :meth:`Corpus.summary`."""
    articles = run_table(out_dir, "articles", manifest, columns=["outlet", "text", "published"])
    if articles is None:
        return None
    empty = pd.DataFrame()
    return json_records(Corpus(articles, empty, empty, source="", n_input=len(articles)).summary())


def complete_manifest(manifest: Mapping, out_dir: str | Path) -> dict:
    """``manifest`` with what it lacks filled in from the same run's tables in ``out_dir``.

    ``outlets`` (per-outlet summary rows) from the ``articles`` table, and
    ``parameters.frames.description`` from the ``frame_dictionary`` table, when the manifest
    does not record them, read from ``out_dir`` or where the manifest's ``outputs`` say the
    run wrote them (:func:`run_table`). Both tables are outputs of the run the manifest
    describes, so the methods text and the report stay true to it. Nothing is filled in
    from defaults.
    """
    out_dir = Path(out_dir)
    manifest = dict(manifest)
    if not manifest.get("outlets"):
        summary = _outlet_summary(out_dir, manifest)
        if summary:
            manifest["outlets"] = summary
    frames = (manifest.get("parameters") or {}).get("frames")
    if frames and not frames.get("description"):
        table = run_table(out_dir, "frame_dictionary", manifest)
        if table is not None and len(table):
            row = json_records(table.head(1))[0]
            parameters = {**manifest["parameters"], "frames": {**frames, "description": row}}
            manifest["parameters"] = parameters
    return manifest
