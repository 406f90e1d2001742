"""The schema of a study configuration: one frozen dataclass per section, and the error.

Each key is a dataclass field made with :func:`analysis.settings.setting`, whose metadata
says its kind, a one-line description, its rules (allowed values, minimum, length) and its
command-line flag; :func:`schema` lists them all by dotted key. The measures' sections are
the measures' own settings (:mod:`analysis.measures`), so the file, the command line and
Python never disagree on a default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from analysis.corpus.tables import MAX_CHARS
from analysis.engine import FeatureSettings
from analysis.engine.partitions import PARTITION_SIZE, LoadOptions
from analysis.measures import Settings
from analysis.settings import setting as _key


class ConfigError(ValueError):
    """A configuration file or override is invalid; the message names the file and key.

    Attributes
    ----------
    problems : list of str
        One message per problem, each starting with the dotted key it concerns.
    """

    def __init__(self, problems: list[str] | str, source: str | Path | None = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.source = None if source is None else str(source)
        prefix = f"{self.source}: " if self.source else ""
        if len(self.problems) == 1:
            message = prefix + self.problems[0]
        else:
            message = f"{prefix}{len(self.problems)} problems:\n" + "\n".join(
                f"  {problem}" for problem in self.problems
            )
        super().__init__(message)


def _column(what: str, flag: str):
    """A key of the column mapping: the input column holding ``what`` (None: detected)."""
    return _key(
        None, "str", f"the column holding {what}", flag=flag, optional=True, metavar="COLUMN"
    )


@dataclass(frozen=True)
class CorpusConfig:
    """Where the corpus is and how its columns map to the article table."""

    path: Path | None = _key(
        None, "path", "the corpus: folder of .txt, CSV/TSV, JSONL or Parquet", optional=True
    )
    text: str | None = _column("the text", "--text")
    outlet: str | None = _column("the outlet", "--outlet")
    id: str | None = _column("the article id", "--id")
    date: str | None = _column("the date", "--date")
    title: str | None = _column("the title", "--title")
    dayfirst: bool = _key(
        False, "bool", "read numeric dates as D/M/Y (default M/D/Y)", flag="--dayfirst"
    )
    encoding: str | None = _key(None, "str", "decode every file with this codec", optional=True)
    max_chars: int = _key(
        MAX_CHARS,
        "int",
        "reject texts longer than this many characters (none is cut)",
        flag="--max-chars",
        minimum=1,
        metavar="N",
    )
    metadata: Path | None = _key(
        None, "path", "metadata table of a .txt folder (default metadata.csv)", optional=True
    )


@dataclass(frozen=True)
class FiguresConfig:
    """Which figures are drawn, in which formats."""

    formats: tuple[str, ...] = _key(
        ("pdf", "png"),
        "list[enum]",
        "figure formats (the CSV of plotted numbers is always written)",
        flag="--format",
        choices=("pdf", "png", "svg"),
        length=(1, None),
    )
    include: tuple[str, ...] | None = _key(
        None,
        "list[figure]",
        "only these registered figures (null: all)",
        optional=True,
        length=(1, None),
    )


@dataclass(frozen=True)
class ComputeConfig:
    """Where and how the per-article work runs; the tables do not depend on it."""

    engine: str = _key(
        "local",
        "enum",
        "local: worker processes on this machine (default); dask: a Dask cluster, a "
        "LocalCluster unless a scheduler is given (pip install 'framing-analysis[scale]')",
        flag="--engine",
        choices=("local", "dask"),
    )
    jobs: int | None = _key(
        None,
        "int",
        "worker processes (null: every core; 1 runs everything in one process)",
        flag="--jobs",
        optional=True,
        minimum=1,
        metavar="N",
    )
    scheduler: str | None = _key(
        None,
        "str",
        "address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (engine dask)",
        flag="--scheduler",
        optional=True,
        metavar="ADDRESS",
    )
    partition_size: int = _key(
        PARTITION_SIZE,
        "int",
        "articles per partition of a corpus given as one file or folder (a folder of "
        "Parquet/JSON Lines shards is read one shard per partition)",
        flag="--partition-size",
        minimum=1,
        metavar="N",
    )


@dataclass(frozen=True)
class OutputConfig:
    """Where the run writes."""

    out: Path | None = _key(
        None,
        "path",
        "folder for tables and the manifest (null: data/processed)",
        flag="--out",
        optional=True,
    )
    figures: Path | None = _key(
        None,
        "path",
        "folder for figures (null: figures/, or OUT/figures)",
        flag="--figures",
        optional=True,
    )


@dataclass(frozen=True)
class CodingConfig:
    """People's codes to check the run's measures against."""

    codes: Path | None = _key(
        None,
        "path",
        "folder of filled coding sheets (python -m analysis code-sheet): the run checks "
        "its measures against the coders and reports how far they agree",
        flag="--codes",
        optional=True,
        metavar="FOLDER",
    )
    learn: str | None = _key(
        None,
        "str",
        "train a frame classifier on the coders' codes of this variable ('frames': every "
        "frame variable; or a variable's name) and apply it to every article (needs codes)",
        flag="--learn",
        optional=True,
        metavar="VARIABLE",
    )
    learn_folds: str = _key(
        "article",
        "enum",
        "what a cross-validation fold of the classifier holds whole: article (the scores say "
        "how it does on unseen articles) or outlet (on an outlet it never saw)",
        flag="--learn-folds",
        choices=("article", "outlet"),
    )


@dataclass(frozen=True)
class StudyConfig(Settings):
    """A whole study: one attribute per section of the YAML file.

    The measures' sections come from :class:`analysis.measures.Settings` (``compare``,
    ``resampling``, ``tone``, ``frames``, ``words``, ``voices``); the run's are the corpus,
    the figures, where the work runs, where the outputs go and the coders' codes to check
    the measures against. ``StudyConfig()`` holds the
    command line's defaults (``corpus.path`` None: the seed corpus); :func:`load_config`
    reads one from a file. ``source`` is the file it was read from (not a key of the file).
    """

    corpus: CorpusConfig = field(default_factory=CorpusConfig)
    figures: FiguresConfig = field(default_factory=FiguresConfig)
    compute: ComputeConfig = field(default_factory=ComputeConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    coding: CodingConfig = field(default_factory=CodingConfig)
    source: Path | None = field(default=None, compare=False)

    def load_options(self) -> LoadOptions:
        """How the corpus is read (the column mapping and the loader's options)."""
        c = self.corpus
        return LoadOptions(
            **{f.name: getattr(c, f.name) for f in fields(LoadOptions) if hasattr(c, f.name)}
        )

    def engine_options(self) -> dict[str, Any]:
        """The keyword arguments of :func:`analysis.engine.run` besides the corpus."""
        return {
            "features": FeatureSettings(settings=self.measure_settings()),
            "engine": self.compute.engine,
            "jobs": self.compute.jobs,
            "scheduler": self.compute.scheduler,
        }


_FILE_ORDER = (
    "corpus",
    *(f.name for f in fields(Settings)),
    "figures",
    "compute",
    "output",
    "coding",
)
SECTIONS: dict[str, type] = {
    name: next(f.default_factory for f in fields(StudyConfig) if f.name == name)
    for name in _FILE_ORDER
}
"""Section name -> its dataclass, in file order."""


def schema() -> dict[str, dict]:
    """Every key of the file as ``{"section.key": {"default", "kind", "doc", ...}}``.

    Examples
    --------
    >>> schema()["resampling.n_resamples"]["default"]
    9999
    """
    keys = {}
    for section, cls in SECTIONS.items():
        for f in fields(cls):
            keys[f"{section}.{f.name}"] = {"default": f.default, **f.metadata}
    return keys


CLI_KEYS: dict[str, str] = {
    "path": "corpus.path",
    **{
        meta["flag"].removeprefix("--").replace("-", "_"): key
        for key, meta in schema().items()
        if meta.get("flag")
    },
}
"""``argparse`` destination of each ``run`` flag -> the config key it overrides.

``-v/--verbose`` has no key: it changes what is logged, not what is computed."""
