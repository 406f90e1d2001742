"""The schema of a study configuration: one frozen dataclass per section, and the error.

Each key is a dataclass field whose metadata says its kind, a one-line description and its
rules (allowed values, minimum, length); :func:`schema` lists them all by dotted key.
Defaults are those of :mod:`analysis.pipeline`'s settings, so the file and the command line
never disagree on them.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from analysis import pipeline, sentiment
from analysis.corpus.tables import MAX_CHARS
from analysis.engine.partitions import PARTITION_SIZE

_TONE = pipeline.ToneSettings()
_FRAMES = pipeline.FrameSettings()
_WORDS = pipeline.TermSettings()


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


def _key(default: Any, kind: str, doc: str, **rules: Any) -> Any:
    """A schema field: its default, its kind (see :func:`_convert`), a one-line doc and rules
    (``choices``, ``optional``, ``minimum``, ``above``, ``below``, ``length``)."""
    return field(default=default, metadata={"kind": kind, "doc": doc, **rules})


@dataclass(frozen=True)
class CorpusConfig:
    """Where the corpus is and how its columns map to the article table."""

    path: Path | None = _key(
        None, "path", "the corpus: folder of .txt, CSV/TSV, JSONL or Parquet", optional=True
    )
    text: str | None = _key(None, "str", "column holding the text", optional=True)
    outlet: str | None = _key(None, "str", "column holding the outlet", optional=True)
    id: str | None = _key(None, "str", "column holding the article id", optional=True)
    date: str | None = _key(None, "str", "column holding the date", optional=True)
    title: str | None = _key(None, "str", "column holding the title", optional=True)
    dayfirst: bool = _key(False, "bool", "read numeric dates as D/M/Y")
    encoding: str | None = _key(None, "str", "decode every file with this codec", optional=True)
    max_chars: int = _key(
        MAX_CHARS, "int", "reject texts longer than this many characters", minimum=1
    )
    metadata: Path | None = _key(
        None, "path", "metadata table of a .txt folder (default metadata.csv)", optional=True
    )


@dataclass(frozen=True)
class CompareConfig:
    """Which groups of articles are compared (outlets by default)."""

    group_by: str = _key(_WORDS.group_by, "str", "article column whose values are the groups")
    groups: tuple[str, ...] | None = _key(
        _WORDS.groups, "list[str]", "compare only these groups", optional=True, length=(1, None)
    )
    pair: tuple[str, str] | None = _key(
        _WORDS.pair, "list[str]", "the pair of the fightin' words figure", optional=True,
        length=(2, 2),
    )  # fmt: skip
    max_groups: int = _key(_WORDS.max_groups, "int", "at most this many groups", minimum=2)


@dataclass(frozen=True)
class ResamplingConfig:
    """The bootstrap shared by tone and frames."""

    unit: str = _key(_TONE.unit, "enum", "unit resampled", choices=("article", "sentence"))
    n_resamples: int = _key(_TONE.n_resamples, "int", "bootstrap resamples", minimum=1)
    seed: int = _key(_TONE.seed, "int", "random seed", minimum=0)
    confidence: float = _key(_TONE.confidence, "float", "confidence level", above=0, below=1)


@dataclass(frozen=True)
class ToneConfig:
    """VADER tone."""

    quote_marks: str = _key(
        _TONE.quote_marks, "enum", "keep or drop quotation marks", choices=sentiment.QUOTE_MARKS
    )
    position_bins: int = _key(_TONE.position_bins, "int", "bins along the article", minimum=1)
    actors: Path | None = _key(_TONE.actors, "path", "actor YAML file", optional=True)


@dataclass(frozen=True)
class FramesConfig:
    """Framing dictionary."""

    dictionary: str | Path | None = _key(
        _FRAMES.dictionary, "dictionary", "dictionary file or built-in name", optional=True
    )
    negation: bool = _key(_FRAMES.negation, "bool", "count negated matches separately")
    level: int | None = _key(
        _FRAMES.level, "int", "merge nested categories to this depth", optional=True, minimum=1
    )


@dataclass(frozen=True)
class WordsConfig:
    """Distinctive words."""

    min_count: int | None = _key(
        _WORDS.min_count, "int", "drop rarer terms", optional=True, minimum=1
    )
    ngram_max: int = _key(_WORDS.ngram_max, "int", "1 words, 2 and bigrams", choices=(1, 2))
    prior: str = _key(_WORDS.prior, "enum", "Dirichlet prior", choices=("corpus", "uniform"))
    prior_scale: float = _key(_WORDS.prior_scale, "float", "scale of the corpus prior", above=0)
    variance: str = _key(
        _WORDS.variance, "enum", "log-odds variance", choices=("full", "approximate")
    )
    correction: str = _key(
        _WORDS.correction,
        "enum",
        "adjusted p over the family of every term tested: bh (false discovery rate) or holm",
        choices=("bh", "holm"),
    )


@dataclass(frozen=True)
class VoicesConfig:
    """Who speaks (carried for the quotes module)."""

    speakers: Path | None = _key(
        None, "path", "speaker aliases and categories (YAML)", optional=True
    )


@dataclass(frozen=True)
class FiguresConfig:
    """Which figures are drawn, in which formats."""

    formats: tuple[str, ...] = _key(
        ("pdf", "png"), "list[enum]", "figure formats", choices=("pdf", "png", "svg"),
        length=(1, None),
    )  # fmt: skip
    include: tuple[str, ...] | None = _key(
        None, "list[figure]", "only these registered figures (null: all)", optional=True,
        length=(1, None),
    )  # fmt: skip


@dataclass(frozen=True)
class ComputeConfig:
    """Where and how the per-article work runs; the tables do not depend on it."""

    engine: str = _key(
        "local", "enum", "local worker processes or a Dask cluster", choices=("local", "dask")
    )
    jobs: int | None = _key(
        None, "int", "worker processes (null: every core)", optional=True, minimum=1
    )
    scheduler: str | None = _key(
        None, "str", "address of a running Dask scheduler (engine dask)", optional=True
    )
    partition_size: int = _key(
        PARTITION_SIZE, "int", "articles per partition of a corpus given whole", minimum=1
    )


@dataclass(frozen=True)
class OutputConfig:
    """Where the run writes."""

    out: Path | None = _key(None, "path", "folder for tables and the manifest", optional=True)
    figures: Path | None = _key(None, "path", "folder for figures", optional=True)


@dataclass(frozen=True)
class StudyConfig:
    """A whole study: one attribute per section of the YAML file.

    ``StudyConfig()`` holds the command line's defaults (``corpus.path`` None: the seed
    corpus); :func:`load_config` reads one from a file. ``source`` is the file it was read
    from (not a key of the file).
    """

    corpus: CorpusConfig = field(default_factory=CorpusConfig)
    compare: CompareConfig = field(default_factory=CompareConfig)
    resampling: ResamplingConfig = field(default_factory=ResamplingConfig)
    tone: ToneConfig = field(default_factory=ToneConfig)
    frames: FramesConfig = field(default_factory=FramesConfig)
    words: WordsConfig = field(default_factory=WordsConfig)
    voices: VoicesConfig = field(default_factory=VoicesConfig)
    figures: FiguresConfig = field(default_factory=FiguresConfig)
    compute: ComputeConfig = field(default_factory=ComputeConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    source: Path | None = field(default=None, compare=False)


SECTIONS: dict[str, type] = {
    f.name: f.default_factory for f in fields(StudyConfig) if f.default_factory is not MISSING
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
    "text": "corpus.text",
    "outlet": "corpus.outlet",
    "id": "corpus.id",
    "date": "corpus.date",
    "title": "corpus.title",
    "dayfirst": "corpus.dayfirst",
    "max_chars": "corpus.max_chars",
    "group_by": "compare.group_by",
    "groups": "compare.groups",
    "pair": "compare.pair",
    "resample": "resampling.unit",
    "n_resamples": "resampling.n_resamples",
    "seed": "resampling.seed",
    "quote_marks": "tone.quote_marks",
    "actors": "tone.actors",
    "dictionary": "frames.dictionary",
    "negation": "frames.negation",
    "level": "frames.level",
    "min_count": "words.min_count",
    "ngram_max": "words.ngram_max",
    "prior": "words.prior",
    "prior_scale": "words.prior_scale",
    "variance": "words.variance",
    "correction": "words.correction",
    "format": "figures.formats",
    "out": "output.out",
    "figures": "output.figures",
    "speakers": "voices.speakers",
    "engine": "compute.engine",
    "jobs": "compute.jobs",
    "scheduler": "compute.scheduler",
    "partition_size": "compute.partition_size",
}
"""``argparse`` destination of each ``run`` flag -> the config key it overrides.

``-v/--verbose`` has no key: it changes what is logged, not what is computed."""
