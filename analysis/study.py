"""A study as a notebook opens it: the corpus and the files chosen for it, from a config file,
a corpus path, or neither (the bundled seed corpus).

Every notebook takes the same two parameters, so ``papermill notebooks/02-tone.ipynb out.ipynb
-p corpus_path my.csv`` or ``-p config_path my-study.yml`` works on a user's corpus::

    from analysis.study import open_study
    study = open_study(config_path, corpus_path)
    study.corpus.summary()
    study.dictionary, study.actors, study.speakers   # with the seed corpus' defaults

A config file gives the corpus with its column mapping and the dictionary, actor and speaker
files (see ``config/seed-study.yml``); ``corpus_path`` replaces the file's corpus. On the seed
corpus (no config, no path) the seed story's dictionary, actors and speakers are chosen, as
``python -m analysis run`` does; on any other corpus, those the config names, else the Policy
Frames dictionary, no actors and the role-word speaker categories.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.config import StudyConfig, is_seed_corpus, load_config, study_config
from analysis.corpus import Corpus


@dataclass(frozen=True)
class Study:
    """A loaded corpus and the study settings it is analysed with.

    ``settings`` are complete, as a run completes them
    (:func:`analysis.config.study_config`): ``corpus.path`` is the corpus read, and the
    dictionary, actor and speaker files are chosen where the config names none.
    """

    corpus: Corpus
    settings: StudyConfig
    is_seed: bool

    @property
    def dictionary(self) -> str | Path:
        """The framing dictionary: the config's, else the seed story's on the seed corpus,
        else the Policy Frames dictionary."""
        return self.settings.frames.dictionary

    @property
    def actors(self) -> Path | None:
        """The actor file: the config's, else the seed story's on the seed corpus, else none."""
        return self.settings.tone.actors

    @property
    def speakers(self) -> Path:
        """The speaker file: the config's, else the seed story's on the seed corpus, else the
        role-word categories."""
        return self.settings.voices.speakers


def open_study(
    config_path: str | Path | None = None, corpus_path: str | Path | None = None
) -> Study:
    """Load the corpus of a study (see the module docstring).

    Parameters
    ----------
    config_path : path, optional
        A study configuration (YAML); its corpus, column mapping and files are used.
    corpus_path : path, optional
        A corpus replacing the configuration's (with the configuration's column mapping,
        if any); without either, the bundled seed corpus.

    Returns
    -------
    Study

    Raises
    ------
    analysis.config.ConfigError
        The configuration file is invalid.
    analysis.corpus.CorpusError
        The corpus cannot be read.
    """
    config = load_config(config_path) if config_path is not None else None
    if corpus_path is not None:
        corpus_path = Path(corpus_path)
    settings = study_config(corpus_path, config)
    corpus = settings.load_options().load(settings.corpus.path)
    return Study(corpus=corpus, settings=settings, is_seed=is_seed_corpus(settings.corpus.path))
