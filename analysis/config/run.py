"""From a configuration to a run: command-line overrides and :func:`analysis.pipeline.run`'s
keyword arguments."""

from __future__ import annotations

import argparse
import inspect
from dataclasses import fields
from pathlib import Path
from typing import Any

from analysis import pipeline
from analysis.config.read import Problems
from analysis.config.schema import CLI_KEYS, ConfigError, StudyConfig


def overrides_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The config overrides of a parsed ``run`` command line: ``{dotted key: value}``.

    Flags must default to None (``store_true`` flags too: ``default=None``) so a flag that
    was not typed is None here and does not override the file.
    """
    return {key: getattr(args, dest) for dest, key in CLI_KEYS.items() if hasattr(args, dest)}


_OPTIONAL_RUN_ARGUMENTS = {
    "encoding": "corpus.encoding",
    "metadata": "corpus.metadata",
    "figure_names": "figures.include",
}
"""Keyword arguments of :func:`analysis.pipeline.run` that not every version takes."""


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
    }
    if isinstance(config.frames.dictionary, Path):
        inputs["frames.dictionary"] = config.frames.dictionary
    for key, path in inputs.items():
        if path is not None and not Path(path).exists():
            problems.add(key, f"no such file or folder: {path}")
    if problems:
        raise ConfigError(list(problems))


def config_to_run_kwargs(config: StudyConfig) -> dict[str, Any]:
    """The keyword arguments of :func:`analysis.pipeline.run` for a configuration.

    ``pipeline.run(**config_to_run_kwargs(config))`` runs the study. The resampling
    settings go to both ``tone`` and ``frames``, as on the command line. Keys that only a
    newer ``run`` takes (``corpus.encoding``, ``corpus.metadata``, ``figures.include``,
    ``voices.speakers``) are passed when ``run`` has the parameter (``encoding``,
    ``metadata``, ``figure_names``, and ``voices`` as a ``VoiceSettings`` whose resampling
    and quotation-mark handling follow ``resampling`` and ``tone``).

    Raises
    ------
    ConfigError
        An input path does not exist, or a key is set that this version of ``run`` cannot
        honour (never silently ignored).

    Examples
    --------
    >>> kwargs = config_to_run_kwargs(StudyConfig())
    >>> kwargs["corpus"] is None, kwargs["tone"].n_resamples, kwargs["words"].prior
    (True, 9999, 'corpus')
    """
    check_paths(config)
    c = config.corpus
    resampling = {
        "unit": config.resampling.unit,
        "n_resamples": config.resampling.n_resamples,
        "seed": config.resampling.seed,
        "confidence": config.resampling.confidence,
    }
    kwargs: dict[str, Any] = {
        "corpus": c.path,
        "out": config.output.out,
        "figures_dir": config.output.figures,
        "formats": config.figures.formats,
        "text": c.text,
        "outlet": c.outlet,
        "id": c.id,
        "date": c.date,
        "title": c.title,
        "dayfirst": c.dayfirst,
        "max_chars": c.max_chars,
        "engine": config.compute.engine,
        "jobs": config.compute.jobs,
        "scheduler": config.compute.scheduler,
        "partition_size": config.compute.partition_size,
        "tone": pipeline.ToneSettings(
            actors=config.tone.actors,
            quote_marks=config.tone.quote_marks,
            position_bins=config.tone.position_bins,
            **resampling,
        ),
        "frames": pipeline.FrameSettings(
            dictionary=config.frames.dictionary,
            negation=config.frames.negation,
            level=config.frames.level,
            **resampling,
        ),
        "words": pipeline.TermSettings(
            group_by=config.compare.group_by,
            groups=config.compare.groups,
            pair=config.compare.pair,
            max_groups=config.compare.max_groups,
            min_count=config.words.min_count,
            ngram_max=config.words.ngram_max,
            prior=config.words.prior,
            prior_scale=config.words.prior_scale,
            variance=config.words.variance,
            correction=config.words.correction,
        ),
    }
    accepted = inspect.signature(pipeline.run).parameters
    unsupported = []
    voice_settings = getattr(pipeline, "VoiceSettings", None)
    if "voices" in accepted and voice_settings is not None:
        voices = {
            "speakers": config.voices.speakers,
            "quote_marks": config.tone.quote_marks,
            **{k: v for k, v in resampling.items() if k != "unit"},
        }
        names = {f.name for f in fields(voice_settings)}
        kwargs["voices"] = voice_settings(**{k: v for k, v in voices.items() if k in names})
    elif config.voices.speakers is not None:
        unsupported.append(
            f"voices.speakers: set to {str(config.voices.speakers)!r}, but this version of "
            "pipeline.run has no voices= parameter; remove the key"
        )
    for name, dotted in _OPTIONAL_RUN_ARGUMENTS.items():
        section, key = dotted.split(".")
        value = getattr(getattr(config, section), key)
        if name in accepted:
            kwargs[name] = value
        elif value is not None:
            unsupported.append(
                f"{dotted}: set to {str(value)!r}, but this version of pipeline.run has no "
                f"{name}= parameter; remove the key"
            )
    if unsupported:
        raise ConfigError(unsupported, config.source)
    return kwargs
