"""From settings to a run: command-line overrides, keyword options, defaults resolved once.

:func:`study_config` is the one place a run's settings are completed: from a study file, the
command line or Python keywords, the seed corpus when none is named, and the files chosen
for it (dictionary, actors, speakers; :meth:`analysis.measures.Settings.resolved`). The
main job (:func:`analysis.pipeline.run`) and the notebooks (:func:`analysis.study.open_study`)
both use it.
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import outputs, paths
from analysis.config.read import Problems
from analysis.config.schema import CLI_KEYS, SECTIONS, ConfigError, StudyConfig

RENAMED = {"figures_dir": ("output", "figures"), "figure_names": ("figures", "include")}
"""Python keywords of :func:`analysis.pipeline.run` named differently from their key."""
KEYED_SECTIONS = ("corpus", "figures", "compute", "output", "coding")
"""Sections whose keys :func:`study_config` takes one by one (each key is in one of them)."""


def overrides_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The config overrides of a parsed ``run`` command line: ``{dotted key: value}``.

    Flags must default to None (``store_true`` flags too: ``default=None``) so a flag that
    was not typed is None here and does not override the file.
    """
    return {key: getattr(args, dest) for dest, key in CLI_KEYS.items() if hasattr(args, dest)}


def is_seed_corpus(path) -> bool:
    """Whether ``path`` is the bundled seed corpus (None: it is)."""
    if path is None:
        return True
    if isinstance(path, pd.DataFrame):
        return False
    return Path(path).resolve() == paths.SEED_CORPUS.resolve()


def study_config(corpus=None, config: StudyConfig | None = None, **options) -> StudyConfig:
    """A run's settings, complete: ``config`` (default: every default) with ``corpus`` and
    ``options`` applied, the seed corpus when no corpus is named, and the dictionary, actor
    and speaker files chosen where none is named.

    Parameters
    ----------
    corpus : path or DataFrame, optional
        Replaces ``corpus.path``.
    config : StudyConfig, optional
    **options
        A section by name as its dataclass (``resampling=Resampling(...)``), or a key of
        the corpus, figures, compute or output section by its name (``text="body"``,
        ``jobs=1``, ``out=...``, ``formats=("png",)``; ``figures_dir`` is
        ``output.figures`` and ``figure_names`` ``figures.include``), or ``study_file``
        (the file the settings came from: protected from being overwritten).

    Raises
    ------
    ConfigError
        An input file or folder named does not exist (naming its key).
    TypeError
        An option that is no section and no key.
    ValueError
        ``scheduler`` without the Dask engine.
    """
    config = config or StudyConfig()
    study_file = options.pop("study_file", None)
    if study_file is not None:
        config = replace(config, source=Path(study_file))
    if corpus is not None:
        options["path"] = corpus
    changes: dict[str, dict] = {}
    for name, value in options.items():
        if name in SECTIONS and dataclasses.is_dataclass(value):
            config = replace(config, **{name: value})
            continue
        section, key = RENAMED.get(name) or (_section_of(name), name)
        changes.setdefault(section, {})[key] = tuple(value) if key == "formats" else value
    for section, keys in changes.items():
        config = replace(config, **{section: replace(getattr(config, section), **keys)})
    if config.compute.scheduler is not None and config.compute.engine != "dask":
        raise ValueError("scheduler= (--scheduler) needs engine='dask' (--engine dask)")
    check_paths(config)
    seed = is_seed_corpus(config.corpus.path)
    if config.corpus.path is None:
        config = replace(config, corpus=replace(config.corpus, path=paths.SEED_CORPUS))
    return config.resolved(seed_corpus=seed)


def _section_of(key: str) -> str:
    for section in KEYED_SECTIONS:
        if key in {f.name for f in fields(SECTIONS[section])}:
            return section
    raise TypeError(
        f"unknown setting {key!r}: give a section ({', '.join(SECTIONS)}) or a "
        f"key of {', '.join(KEYED_SECTIONS)}"
    )


def output_folders(config: StudyConfig) -> tuple[Path, Path]:
    """The run's table and figure folders, checked (:func:`analysis.outputs.check_outputs`):
    ``output.out`` (default ``data/processed``) and ``output.figures`` (default
    ``figures/``, or ``OUT/figures`` when ``output.out`` is given)."""
    out = config.output.out
    out_dir = Path(out) if out is not None else paths.PROCESSED
    figures = config.output.figures
    fig_dir = (
        Path(figures)
        if figures is not None
        else (out_dir / "figures" if out is not None else paths.FIGURES)
    )
    inputs = (
        config.corpus.path,
        config.corpus.metadata,
        config.frames.dictionary,
        config.voices.speakers,
        config.tone.actors,
        config.source,
        config.coding.codes,
        config.learned.model,
        config.topics.apply,
        config.timeline.events,
    )
    outputs.check_outputs(out_dir, fig_dir, dict(zip(outputs.INPUTS, inputs, strict=True)))
    return out_dir, fig_dir


def check_paths(config: StudyConfig) -> None:
    """Check that every input path of ``config`` exists.

    Raises
    ------
    ConfigError
        Naming the key and the resolved path of each missing input.
    """
    problems = Problems()
    inputs = {
        "corpus.path": config.corpus.path,
        "corpus.metadata": config.corpus.metadata,
        "tone.actors": config.tone.actors,
        "voices.speakers": config.voices.speakers,
        "coding.codes": config.coding.codes,
        "learned.model": config.learned.model,
        "topics.apply": config.topics.apply,
        "timeline.events": config.timeline.events,
    }
    if isinstance(config.frames.dictionary, Path):
        inputs["frames.dictionary"] = config.frames.dictionary
    for key, path in inputs.items():
        if path is not None and not isinstance(path, pd.DataFrame) and not Path(path).exists():
            problems.add(key, f"no such file or folder: {path}")
    if problems:
        raise ConfigError(list(problems))
