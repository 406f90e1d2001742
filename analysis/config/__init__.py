"""A study configuration: one YAML file naming the corpus and every choice of a run.

``python -m analysis run --config study.yml`` reads a file like ``config/seed-study.yml``
(which documents every key). The file has one mapping per section::

    corpus:     path, text, outlet, id, date, title, dayfirst, encoding, metadata
    compare:    group_by, groups, pair, max_groups
    resampling: unit, n_resamples, seed, confidence
    tone:       quote_marks, position_bins, actors
    frames:     dictionary, negation, level
    words:      min_count, ngram_max, prior, prior_scale, variance
    voices:     speakers
    figures:    formats, include
    compute:    engine, jobs, scheduler, partition_size
    output:     out, figures

Every section and key is optional except ``corpus.path``; a missing key takes the default of
the command line (which is the default of :func:`analysis.pipeline.run`). The file is read
with :func:`analysis.yamlfile.compose` (PyYAML's safe loader: no tags, no aliases; a file over
10 MB is refused before it is read), and checked before anything runs:

- an unknown key is an error naming the full dotted key, with the closest known key
  (``tone.n_resample: unknown key; did you mean resampling.n_resamples?``);
- a value of the wrong type or outside its allowed values is an error naming the key, what
  was expected and the value given (``resampling.n_resamples: expected an integer >= 1, got
  'many' (str)``); YAML reads ``yes``, ``no``, ``on`` and bare numbers as booleans and
  numbers, so a column or group named like that must be quoted;
- a key given twice in one mapping is an error (plain YAML would keep the last silently).

All problems in a file are reported together, each with its line. Paths in the file (the
corpus, its metadata table, dictionary, actor and speaker files, output folders) are
resolved relative to the folder of the config file, so a study folder can be moved as a
whole; paths given on the command line are relative to the working directory, as usual.

:func:`merge_overrides` applies the flags given explicitly on the command line over the
file, and :func:`study_config` completes it (overrides, the seed corpus's files) for
:func:`analysis.pipeline.run`.

Modules: :mod:`~analysis.config.schema` (the sections as frozen dataclasses, defaults,
:data:`CLI_KEYS`), :mod:`~analysis.config.read` (YAML, checks, overrides) and
:mod:`~analysis.config.run` (command-line overrides, the run's keyword arguments).
"""

from analysis.config.read import from_mapping, load_config, merge_overrides
from analysis.config.run import (
    check_paths,
    is_seed_corpus,
    output_folders,
    overrides_from_args,
    study_config,
)
from analysis.config.schema import (
    CLI_KEYS,
    SECTIONS,
    ComputeConfig,
    ConfigError,
    CorpusConfig,
    FiguresConfig,
    OutputConfig,
    StudyConfig,
    schema,
)

__all__ = [
    "CLI_KEYS",
    "SECTIONS",
    "ComputeConfig",
    "ConfigError",
    "CorpusConfig",
    "FiguresConfig",
    "OutputConfig",
    "StudyConfig",
    "check_paths",
    "is_seed_corpus",
    "output_folders",
    "study_config",
    "from_mapping",
    "load_config",
    "merge_overrides",
    "overrides_from_args",
    "schema",
]
