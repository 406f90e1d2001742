"""The record of a run, ``manifest.json``: inputs with their checksums, counts, settings,
warnings, timings, versions and outputs (read back by :mod:`analysis.report.manifest`)."""

from __future__ import annotations

import dataclasses
import hashlib
import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis import notices, quotes, sentiment
from analysis.corpus.tables import outlet_summary
from analysis.report.manifest import json_records
from analysis.report.methods import code_parameters


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_files(source) -> list[dict]:
    """Path, SHA-256 and size of every file of a corpus (none for a DataFrame)."""
    if isinstance(source, pd.DataFrame):
        return []
    path = Path(source)
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    return [{"path": str(p), "sha256": sha256(p), "bytes": p.stat().st_size} for p in files]


VERSIONED = (
    "framing-analysis",
    "pandas",
    "numpy",
    "nltk",
    "vaderSentiment",
    "matplotlib",
    "pyarrow",
    "scikit-learn",
    "scipy",
    "krippendorff",
)
"""The packages whose versions a manifest records."""


def versions() -> dict[str, str]:
    """Python's version and those of :data:`VERSIONED` that are installed."""
    found = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def _file(path) -> dict | None:
    return None if path is None else {"path": str(path), "sha256": sha256(Path(path))}


def build_manifest(config, done, tables, warned, timings, written) -> dict:
    """What a run took in, what it made, how and how long: ``manifest.json``.

    Parameters
    ----------
    config : analysis.config.StudyConfig
        The run's settings, files resolved (dictionary, actors, speakers).
    done : analysis.engine.EngineRun
        The engine's run: counts (``account``), workers, partitions, the corpus's plan.
    tables : Mapping of DataFrame
        The run's :class:`analysis.engine.Tables` (``rejected``, ``repairs``,
        ``frame_dictionary``, ``article_counts``, and ``term_settings``/``group_measures``
        when made).
    warned : DataFrame
        The warnings table (:func:`analysis.notices.warnings_table`).
    timings : dict
        Seconds per stage.
    written : list of Path
        The files written so far (where the report finds the tables).
    """
    account, c, s = done.account, config.corpus, config
    resampling = s.resampling
    compared = tables.in_memory.get("term_settings")
    dictionary = s.frames.dictionary
    bootstrap = {
        "n_resamples": resampling.n_resamples,
        "seed": resampling.seed,
        "confidence": resampling.confidence,
    }
    return {
        "input": {
            "source": done.plan.source,
            "files": input_files(c.path),
            "column_mapping": {
                "encoding": c.encoding,
                "metadata": None if c.metadata is None else str(c.metadata),
                **{key: getattr(c, key) for key in ("text", "outlet", "id", "date", "title")},
                "dayfirst": c.dayfirst,
            },
        },
        "counts": {
            "input_rows": account.inputs,
            "articles": account.articles,
            "rejected": account.rejected,
            "repairs": len(tables["repairs"]),
            "sentences": account.sentences,
            "quotes": account.quotes,
            "cleaning_removals": account.cleaning_removals,
        },
        "accounting": {
            "inputs": account.inputs,
            "loaded": account.articles,
            "rejected": account.rejected,
            "unaccounted": account.unaccounted,
        },
        "rejections": tables["rejected"]["reason"].value_counts().to_dict(),
        "outlets": json_records(outlet_summary(tables.article_counts)),
        "engine": {
            "name": s.compute.engine,
            "jobs": done.jobs,
            "scheduler": s.compute.scheduler,
            "partitions": done.partitions,
            "partition_size": None if done.plan.sharded else s.compute.partition_size,
            "sharded": done.plan.sharded,
        },
        "parameters": {
            "settings": dataclasses.asdict(config.measure_settings()),
            "methods": code_parameters(),
            "distinctive_words": compared.iloc[0].to_dict() if compared is not None else None,
            "frames": {
                "dictionary": str(dictionary),
                "negation": s.frames.negation,
                "level": s.frames.level,
                "resampling_unit": resampling.unit,
                **bootstrap,
                "sha256": sha256(Path(dictionary)) if Path(dictionary).is_file() else None,
                "description": json_records(tables["frame_dictionary"])[0],
            },
            "tone": {
                "implementation": (
                    "nltk.sentiment.vader's algorithm with the vaderSentiment lexicon file, "
                    "scored in arrays by analysis.sentiment.polarity_table and tested equal to "
                    "nltk's scores"
                ),
                "negative_threshold": sentiment.NEGATIVE_THRESHOLD,
                "positive_threshold": sentiment.POSITIVE_THRESHOLD,
                "resampling_unit": resampling.unit,
                **bootstrap,
                "position_bins": s.tone.position_bins,
                "quote_marks": s.tone.quote_marks,
                "actors": _file(s.tone.actors),
            },
            "groups": (
                {
                    "group_by": s.compare.group_by,
                    "groups": list(dict.fromkeys(tables["group_measures"]["group"].astype(str))),
                    "resampling_unit": "outlet",
                    **bootstrap,
                }
                if "group_measures" in tables
                else None
            ),
            "voices": {
                "speakers": str(s.voices.speakers),
                "speakers_sha256": sha256(Path(s.voices.speakers)),
                "extraction": "patterns (analysis.quotes), offline",
                "scare_quote_max_words": quotes.extract.SCARE_MAX_WORDS,
                "resampling_unit": "article",
                **bootstrap,
            },
        },
        "warnings": [
            {"warning": name, "message": message, "rows_in_warnings_table": len(rows)}
            for (name, message), rows in warned.groupby(notices.WARNING_COLUMNS, sort=False)
        ],
        "seconds": {stage: round(seconds, 3) for stage, seconds in timings.items()},
        "versions": versions(),
        "outputs": [str(p) for p in written],
    }
