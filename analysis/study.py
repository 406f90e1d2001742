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

from analysis import actors, pipeline, quotes
from analysis.config import StudyConfig, load_config
from analysis.corpus import Corpus, load_corpus


@dataclass(frozen=True)
class Study:
    """A loaded corpus and the study settings it is analysed with."""

    corpus: Corpus
    settings: StudyConfig
    is_seed: bool

    @property
    def dictionary(self) -> str | Path:
        """The framing dictionary: the config's, else the seed story's on the seed corpus,
        else the Policy Frames dictionary."""
        chosen = self.settings.frames.dictionary
        if chosen is not None:
            return chosen
        return pipeline.SEED_DICTIONARY if self.is_seed else pipeline.DEFAULT_DICTIONARY

    @property
    def actors(self) -> Path | None:
        """The actor file: the config's, else the seed story's on the seed corpus, else none."""
        chosen = self.settings.tone.actors
        return chosen if chosen is not None else actors.SEED_ACTORS if self.is_seed else None

    @property
    def speakers(self) -> Path:
        """The speaker file: the config's, else the seed story's on the seed corpus, else the
        role-word categories."""
        chosen = self.settings.voices.speakers
        if chosen is not None:
            return chosen
        return quotes.SEED_SPEAKERS if self.is_seed else pipeline.GENERIC_SPEAKERS


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
    settings = load_config(config_path) if config_path is not None else StudyConfig()
    source = Path(corpus_path) if corpus_path is not None else settings.corpus.path
    c = settings.corpus
    corpus = load_corpus(
        source if source is not None else pipeline.paths.SEED_CORPUS,
        text=c.text,
        outlet=c.outlet,
        id=c.id,
        date=c.date,
        title=c.title,
        dayfirst=c.dayfirst,
        encoding=c.encoding,
        metadata=c.metadata,
    )
    is_seed = source is None or Path(source).resolve() == pipeline.paths.SEED_CORPUS.resolve()
    return Study(corpus=corpus, settings=settings, is_seed=is_seed)
