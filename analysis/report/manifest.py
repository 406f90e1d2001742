"""Completing a manifest from the same run's tables, for the methods text and the page."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd


def read_table(out_dir: Path, name: str) -> pd.DataFrame | None:
    """The run's table ``name`` from ``out_dir`` (Parquet, else CSV), or None if absent."""
    for suffix, reader in ((".parquet", pd.read_parquet), (".csv", pd.read_csv)):
        path = out_dir / f"{name}{suffix}"
        if path.is_file():
            return reader(path)
    return None


def _outlet_summary(out_dir: Path) -> pd.DataFrame | None:
    """Per-outlet summary of the run's ``articles`` table, as :meth:`Corpus.summary`."""
    articles = read_table(out_dir, "articles")
    if articles is None or not {"outlet", "text", "published"} <= set(articles.columns):
        return None
    from analysis.corpus import Corpus

    empty = pd.DataFrame()
    summary = Corpus(articles, empty, empty, source="", n_input=len(articles)).summary()
    for column in ("first_published", "last_published"):
        summary[column] = summary[column].map(_date_text)
    return summary.astype(object).where(summary.notna(), None)


def _date_text(value) -> str | None:
    """A timestamp as ISO text: the date alone at midnight, else date and time."""
    if pd.isna(value):
        return None
    value = pd.Timestamp(value)
    return value.date().isoformat() if value == value.normalize() else value.isoformat()


def complete_manifest(manifest: Mapping, out_dir: str | Path) -> dict:
    """``manifest`` with what it lacks filled in from the same run's tables in ``out_dir``.

    ``outlets`` (per-outlet summary rows) from the ``articles`` table, and
    ``parameters.frames.description`` from the ``frame_dictionary`` table, when the manifest
    does not record them. Both tables are outputs of the run the manifest describes, so the
    methods text and the report stay true to it. Nothing is filled in from defaults.
    """
    out_dir = Path(out_dir)
    manifest = dict(manifest)
    if not manifest.get("outlets"):
        summary = _outlet_summary(out_dir)
        if summary is not None:
            manifest["outlets"] = summary.to_dict(orient="records")
    frames = (manifest.get("parameters") or {}).get("frames")
    if frames and not frames.get("description"):
        table = read_table(out_dir, "frame_dictionary")
        if table is not None and len(table):
            row = {k: _plain(v) for k, v in table.iloc[0].items()}
            parameters = {**manifest["parameters"], "frames": {**frames, "description": row}}
            manifest["parameters"] = parameters
    return manifest


def _plain(value):
    """A table cell as a JSON-like Python value (None for missing)."""
    if not isinstance(value, (list, tuple, dict)) and pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value
