"""The main job: corpus -> articles -> sentences -> (features) -> tables and figures.

:func:`run` loads and validates the corpus, cleans and segments it, writes every table
(Parquet, and CSV for the small audit tables) and every registered figure, and a
``manifest.json`` saying what went in, what came out and how long each stage took.
Later measures add their stages here; modules never call one another's stages.
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis import (
    actors,
    clean,
    explorer,
    figures,
    groups,
    lexicon,
    notices,
    outputs,
    paths,
    progress,
    quotes,
    report,
    segment,
    sentiment,
    staging,
    terms,
)
from analysis.corpus import Corpus, CorpusError
from analysis.corpus.tables import MAX_CHARS, outlet_summary
from analysis.engine.combine import write_csv
from analysis.engine.partitions import PARTITION_SIZE

log = logging.getLogger(__name__)

SMALL_TABLES = (
    "rejected",
    "repairs",
    "clean_audit",
    "article_tone",
    "outlet_tone",
    "tone_by_position",
    "actor_tone",
    "outlet_frames",
    "frame_audit",
    "frame_dictionary",
    "term_scores",
    "term_pair",
    "term_settings",
    "outlet_voices",
    "speaker_shares",
    "speaker_table",
    "quote_tone",
    "scare_quotes",
    "group_measures",
    "warnings",
)
"""Tables also written as CSV, for reading in a spreadsheet."""
CSV_MAX_ROWS = 1_000_000


@dataclass
class RunResult:
    """What :func:`run` produced: the tables, the files written and the manifest."""

    tables: Mapping[str, pd.DataFrame]
    corpus: Corpus
    files: list[Path] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)


def prepare(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """Clean and segment a loaded corpus.

    Returns
    -------
    dict of DataFrame
        ``articles`` (with ``text_clean``), ``sentences``, ``clean_audit``, ``rejected``
        and ``repairs``.
    """
    articles, audit = clean.clean_articles(corpus.articles)
    sentences = segment.split_sentences(articles)
    return {
        "articles": articles,
        "sentences": sentences,
        "clean_audit": audit,
        "rejected": corpus.rejected,
        "repairs": corpus.repairs,
    }


@dataclass(frozen=True)
class ToneSettings:
    """How tone is rolled up: the resampling unit, the bootstrap and the actor list."""

    unit: str = "article"
    n_resamples: int = 9999
    seed: int = 0
    confidence: float = 0.95
    position_bins: int = 5
    quote_marks: str = "keep"
    """"keep": nltk-exact scores; "drop": remove quotation marks before scoring."""
    actors: str | Path | None = None
    """Actor YAML file; None: no actor tables (run() uses the seed story's actors on the
    seed corpus, and only there: its aliases, such as "the government", fit no other story)."""


def add_tone(tables: dict[str, pd.DataFrame], settings: ToneSettings) -> dict[str, pd.DataFrame]:
    """Score sentences with VADER and add the tone tables.

    Adds ``article_tone``, ``outlet_tone``, ``tone_by_position``, and, when
    ``settings.actors`` names an actor file, ``actor_mentions`` and ``actor_tone``;
    ``sentences`` gains ``neg, neu, pos, compound``.
    """
    options = {
        "unit": settings.unit,
        "n_resamples": settings.n_resamples,
        "seed": settings.seed,
        "confidence": settings.confidence,
    }
    scored = sentiment.score_sentences(tables["sentences"], quote_marks=settings.quote_marks)
    tone = sentiment.article_tone(scored, tables["articles"])
    added = {
        "sentences": scored,
        "article_tone": tone,
        "outlet_tone": sentiment.outlet_tone(tone, scored, **options),
        "tone_by_position": sentiment.tone_by_position(
            scored, tone, bins=settings.position_bins, **options
        ),
    }
    if settings.actors is None:
        log.info("tone toward actors: skipped (no actor file given)")
        return {**tables, **added}
    actor_list = actors.read_actors(settings.actors)
    mentions = actors.find_mentions(scored, actor_list)
    added["actor_mentions"] = mentions
    added["actor_tone"] = sentiment.actor_tone(
        scored, mentions, tone, actors=[a.name for a in actor_list], **options
    )
    return {**tables, **added}


SEED_DICTIONARY = "blasphemy_platforms_2017"
"""The story dictionary used on the bundled seed corpus."""
DEFAULT_DICTIONARY = "policy_frames"
"""The dictionary used on any other corpus unless one is given."""


@dataclass(frozen=True)
class FrameSettings:
    """Which dictionary frames are scored with, and how."""

    dictionary: str | Path | None = None
    """A dictionary file or built-in name; None: the story dictionary on the seed corpus,
    the Policy Frames dictionary elsewhere."""
    negation: bool = False
    level: int | None = None
    """Merge nested categories to this depth (1 = top level); None keeps the deepest."""
    unit: str = "article"
    n_resamples: int = 9999
    seed: int = 0
    confidence: float = 0.95


def add_frames(tables: dict[str, pd.DataFrame], settings: FrameSettings) -> dict[str, pd.DataFrame]:
    """Score the frames of a dictionary and add the frame tables.

    Adds ``frame_scores`` (article x voice x category), ``outlet_frames`` (long summary),
    ``frame_audit`` (which terms matched, per outlet) and ``frame_dictionary`` (one row
    describing the dictionary used).
    """
    dictionary = lexicon.read_dictionary(settings.dictionary or DEFAULT_DICTIONARY)
    if settings.level is not None:
        dictionary = dictionary.at_level(settings.level)
    scores, matches = lexicon.score_frames(
        tables["sentences"], dictionary, negation=settings.negation
    )
    summary = lexicon.outlet_frames(
        scores,
        tables["articles"],
        unit=settings.unit,
        matches=matches,
        sentences=tables["sentences"],
        confidence=settings.confidence,
        n_resamples=settings.n_resamples,
        seed=settings.seed,
    )
    described = pd.DataFrame(
        [
            {
                "name": dictionary.name,
                "categories": len(dictionary.categories),
                "patterns": sum(len(p) for p in dictionary.categories.values()),
                "negation": settings.negation,
                "weighted": dictionary.weighted,
                **{key: dictionary.meta.get(key) for key in ("source", "licence", "intended_use")},
            }
        ]
    )
    return {
        **tables,
        "frame_scores": scores,
        "outlet_frames": summary,
        "frame_audit": lexicon.frame_audit(matches, tables["sentences"], tables["articles"]),
        "frame_dictionary": described,
    }


@dataclass(frozen=True)
class TermSettings:
    """Which groups distinctive words compare, and how."""

    group_by: str = "outlet"
    """The article column whose values are the groups (an outlet, a bias rating, ...)."""
    groups: tuple[str, ...] | None = None
    """Compare only these groups; None: all, or the ``max_groups`` with most articles."""
    pair: tuple[str, str] | None = None
    """The pair of the fightin' words figure; None: the two groups with most articles."""
    max_groups: int = 20
    ngram_max: int = 2
    min_count: int | None = None
    """Drop rarer terms; None: 2 below 100 articles, else 5."""
    prior: str = "corpus"
    prior_scale: float = 1.0
    variance: str = "full"
    correction: str = "bh"
    """The q of the word test over its family: ``"bh"`` (Benjamini-Hochberg) or ``"holm"``."""


def add_terms(tables: dict[str, pd.DataFrame], settings: TermSettings) -> dict[str, pd.DataFrame]:
    """Distinctive words of each group against the rest, and for one pair.

    Adds ``term_scores`` (one row per comparison x term: counts, TF-IDF, log-odds, keyness),
    ``term_pair`` (the same for the chosen pair) and ``term_settings`` (one row saying what
    was compared and how).
    """
    articles = tables["articles"]
    labels, chosen = groups.choose_groups(
        articles, settings.group_by, groups=settings.groups, max_groups=settings.max_groups
    )
    sizes = labels.value_counts()
    labels = labels[labels.isin(chosen)]
    if len(chosen) < 2:
        log.info("distinctive words: skipped (fewer than two groups)")
        return tables
    pair = settings.pair or tuple(sorted(chosen, key=lambda g: (-sizes[g], g))[:2])
    min_count = settings.min_count or (2 if len(labels) < 100 else 5)
    sentences = tables["sentences"]
    dtm = terms.document_terms(
        sentences[sentences["article_id"].isin(labels.index)],
        ngram_range=(1, settings.ngram_max),
        min_count=min_count,
    )
    if len(dtm.terms) == 0:
        log.info("distinctive words: skipped (no term used %d times or more)", min_count)
        return tables
    options = {
        "prior": settings.prior,
        "scale": settings.prior_scale,
        "variance": settings.variance,
    }
    units = groups.test_units(articles, settings.group_by)
    described = pd.DataFrame(
        [
            {
                "group_by": settings.group_by,
                "groups": "; ".join(sorted(chosen)),
                "pair": " vs ".join(pair),
                "articles": len(labels),
                "terms": len(dtm.terms),
                "ngram_max": settings.ngram_max,
                "min_count": min_count,
                "stop_words": len(terms.STOP_WORDS),
                "test_unit": "article" if units is None else "outlet",
                "correction": settings.correction,
                **options,
            }
        ]
    ).rename(columns={"scale": "prior_scale"})
    return {
        **tables,
        "term_scores": terms.distinctive_terms(
            dtm, labels, units=units, correction=settings.correction, **options
        ),
        "term_pair": terms.distinctive_terms(
            dtm, labels, pairs=[pair], units=units, correction=settings.correction, **options
        ),
        "term_settings": described,
    }


def add_groups(
    tables: dict[str, pd.DataFrame],
    settings: TermSettings,
    *,
    n_resamples: int = 9999,
    seed: int = 0,
    confidence: float = 0.95,
) -> dict[str, pd.DataFrame]:
    """Tone, frames and voices per group, when the groups compared are not the outlets.

    Adds ``group_measures`` (:func:`analysis.groups.group_measures`: intervals resample
    outlets) when ``settings.group_by`` is another column and at least two groups are
    compared; reads whichever of ``article_tone``, ``frame_scores`` and ``article_voices``
    are present.
    """
    if settings.group_by == "outlet":
        return tables
    frame_rates = None
    if "frame_scores" in tables:
        scores = tables["frame_scores"]
        frame_rates = scores.loc[scores["voice"] == "all", ["article_id", "category", "rate"]]
    found = groups.group_measures(
        tables["articles"],
        settings.group_by,
        groups=settings.groups,
        max_groups=settings.max_groups,
        tone=tables.get("article_tone"),
        frame_rates=frame_rates,
        voices=tables.get("article_voices"),
        n_resamples=n_resamples,
        seed=seed,
        confidence=confidence,
    )
    return {**tables, "group_measures": found} if len(found) else tables


GENERIC_SPEAKERS = paths.PACKAGE / "lexicons" / "speaker_categories.yml"
"""Speaker categories by role words, used on any corpus other than the seed corpus unless a
speaker file is given."""


@dataclass(frozen=True)
class VoiceSettings:
    """Who speaks: the speaker file and the resampling of the voice measures."""

    speakers: str | Path | None = None
    """A speaker file (see :mod:`analysis.quotes.speakers`); None: the seed story's table on
    the seed corpus, role words only (:data:`GENERIC_SPEAKERS`) elsewhere."""
    n_resamples: int = 9999
    seed: int = 0
    confidence: float = 0.95
    quote_marks: str = "keep"


def add_voices(tables: dict[str, pd.DataFrame], settings: VoiceSettings) -> dict[str, pd.DataFrame]:
    """Quotes, speakers and scare quotes, and the per-outlet voice measures.

    Adds ``quotes`` (with each quote's VADER ``compound``), ``article_voices``,
    ``outlet_voices``, ``speaker_shares``, ``speaker_table``, ``quote_tone`` and
    ``scare_quotes``; fills the ``speaker`` of every ``quote`` sentence that holds an
    attributed direct quote.
    """
    table = quotes.read_speakers(settings.speakers or GENERIC_SPEAKERS)
    articles, sentences = tables["articles"], tables["sentences"]
    found = quotes.extract_quotes(articles, sentences, speakers=table)
    scores = sentiment.score_texts(found["text"], quote_marks=settings.quote_marks)
    found["compound"] = scores["compound"].to_numpy()
    options = {
        "n_resamples": settings.n_resamples,
        "seed": settings.seed,
        "confidence": settings.confidence,
    }
    voices = quotes.article_voices(found, articles)
    sentences = quotes.sentence_speakers(sentences, found)
    return {
        **tables,
        "sentences": sentences,
        "quotes": found,
        "article_voices": voices,
        "outlet_voices": quotes.outlet_voices(voices, **options),
        "speaker_shares": quotes.speaker_shares(
            found, articles, categories=list(table.categories), **options
        ),
        "speaker_table": quotes.speaker_table(found, articles),
        "quote_tone": quotes.quote_tone(found, articles, **options),
        "scare_quotes": quotes.scare_quotes(found, articles),
    }


def _finish(timings: dict[str, float], stage: str, started: float) -> None:
    timings[stage] = time.perf_counter() - started


def _summary(stage: str, timings: dict[str, float], text: str) -> None:
    """One line per stage, with its time (shown by the command line unless -q)."""
    log.info("%-18s %7.1f s  %s", stage, timings[stage], text)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _input_files(source) -> list[dict]:
    if isinstance(source, pd.DataFrame):
        return []
    path = Path(source)
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    return [{"path": str(p), "sha256": _sha256(p), "bytes": p.stat().st_size} for p in files]


def _versions() -> dict[str, str]:
    names = [
        "framing-analysis",
        "pandas",
        "numpy",
        "nltk",
        "vaderSentiment",
        "matplotlib",
        "pyarrow",
        "scikit-learn",
        "scipy",
    ]
    found = {"python": platform.python_version()}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write each table as Parquet, and the summary and audit tables as CSV as well (unless
    one has more than :data:`CSV_MAX_ROWS` rows: spreadsheets cannot open it anyway)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in progress.bar(tables.items(), total=len(tables), desc="tables", unit="table"):
        path = out_dir / f"{name}.parquet"
        table.to_parquet(path, index=False)
        written.append(path)
        if name in SMALL_TABLES and len(table) > CSV_MAX_ROWS:
            log.info("%s: %d rows, written as Parquet only", name, len(table))
        elif name in SMALL_TABLES:
            csv = out_dir / f"{name}.csv"
            write_csv(table, csv)
            written.append(csv)
    return written


def run(
    corpus=None,
    *,
    out: str | Path | None = None,
    figures_dir: str | Path | None = None,
    formats: Iterable[str] = ("pdf", "png"),
    text: str | None = None,
    outlet: str | None = None,
    id: str | None = None,  # noqa: A002 - the column-mapping keyword used everywhere
    date: str | None = None,
    title: str | None = None,
    dayfirst: bool = False,
    encoding: str | None = None,
    metadata: str | Path | None = None,
    max_chars: int = MAX_CHARS,
    figure_names: Iterable[str] | None = None,
    tone: ToneSettings | None = None,
    frames: FrameSettings | None = None,
    words: TermSettings | None = None,
    voices: VoiceSettings | None = None,
    engine: str = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    partition_size: int = PARTITION_SIZE,
    study_file: str | Path | None = None,
) -> RunResult:
    """Run the whole analysis on one corpus and write its tables and figures.

    The per-article steps (cleaning, sentences, tone, frames, term counts, quotes) run on
    partitions of the corpus, on every core by default (:mod:`analysis.engine`); the
    tables are the same whatever ``jobs``, ``engine`` and ``partition_size``.

    Parameters
    ----------
    corpus : path or DataFrame, optional
        The corpus (see :func:`analysis.corpus.load_corpus`), or a folder of Parquet or
        JSON Lines shards (see :mod:`analysis.engine.partitions`); the bundled seed corpus
        when omitted.
    out : path, optional
        Folder for the tables and ``manifest.json`` (default ``data/processed``).
    figures_dir : path, optional
        Folder for the figures (default ``figures/``, or ``OUT/figures`` when ``out`` is
        given).
    formats : iterable of str
        Figure formats besides the CSV of plotted numbers (``pdf``, ``png``, ``svg``).
    text, outlet, id, date, title : str, optional
        Column mapping, as in :func:`analysis.corpus.load_corpus`.
    dayfirst : bool
        Read numeric dates as D/M/Y.
    encoding : str, optional
        The corpus files' text encoding (guessed per file when omitted).
    metadata : path, optional
        A metadata file for a folder corpus (see :func:`analysis.corpus.load_corpus`).
    max_chars : int
        Texts longer than this many characters are rejected with a reason (never cut).
    figure_names : iterable of str, optional
        Draw only these registered figures (all by default; an empty list draws none).
    tone : ToneSettings, optional
        Resampling unit, bootstrap size and seed, and actor file for the tone tables.
    frames : FrameSettings, optional
        Dictionary and options for the frame tables (by default the resampling settings
        follow ``tone``).
    words : TermSettings, optional
        Groups and options for the distinctive-word tables.
    voices : VoiceSettings, optional
        Speaker file for the quote tables (by default the resampling settings follow
        ``tone``).
    engine : {"local", "dask"}
        ``local``: worker processes on this machine; ``dask``: a Dask cluster (see
        ``scheduler``).
    jobs : int, optional
        Worker processes (local) or LocalCluster workers (dask); default: every core this
        process may use. One job runs everything in this process. With more than one, a
        Python script (not a notebook) must call this under ``if __name__ == "__main__":``,
        as every script starting processes must: the workers import the script.
    scheduler : str, optional
        Address of a running Dask scheduler (``engine="dask"``); without one a
        LocalCluster of ``jobs`` workers is started for the run.
    partition_size : int
        Articles per partition of a corpus given as one file, folder or DataFrame (the
        memory of a worker grows with it; shards are partitions as they are).
    study_file : path, optional
        The study file the settings came from: protected, like every input, from being
        overwritten (see :func:`analysis.outputs.check_outputs`).
    """
    from analysis import engine as engines

    if scheduler is not None and engine != "dask":
        raise ValueError("scheduler= (--scheduler) needs engine='dask' (--engine dask)")
    words = words or TermSettings()
    tone = tone or ToneSettings()
    voices = voices or VoiceSettings(
        n_resamples=tone.n_resamples,
        seed=tone.seed,
        confidence=tone.confidence,
        quote_marks=tone.quote_marks,
    )
    frames = frames or FrameSettings(
        unit=tone.unit, n_resamples=tone.n_resamples, seed=tone.seed, confidence=tone.confidence
    )
    if corpus is None:
        corpus = paths.SEED_CORPUS
        if tone.actors is None:
            tone = replace(tone, actors=actors.SEED_ACTORS)
        if frames.dictionary is None:
            frames = replace(frames, dictionary=SEED_DICTIONARY)
        if voices.speakers is None:
            voices = replace(voices, speakers=quotes.SEED_SPEAKERS)
    quotes.read_speakers(voices.speakers or GENERIC_SPEAKERS)  # a bad file fails now
    lexicon.read_dictionary(frames.dictionary or DEFAULT_DICTIONARY)  # a bad file fails now
    if tone.actors is not None:
        actors.read_actors(tone.actors)  # a bad actor file fails now, not after the work
    out_dir = Path(out) if out is not None else paths.PROCESSED
    fig_dir = (
        Path(figures_dir)
        if figures_dir is not None
        else (out_dir / "figures" if out is not None else paths.FIGURES)
    )
    inputs = (corpus, metadata, frames.dictionary, voices.speakers, tone.actors, study_file)
    outputs.check_outputs(out_dir, fig_dir, dict(zip(outputs.INPUTS, inputs, strict=True)))
    # everything is written into staging folders and published whole at the end
    with staging.staged(out_dir, fig_dir) as stage:
        out_dir, fig_dir = stage.out, stage.figures
        timings: dict[str, float] = {}
        load = engines.LoadOptions(
            text=text,
            outlet=outlet,
            id=id,
            date=date,
            title=title,
            dayfirst=dayfirst,
            encoding=encoding,
            metadata=metadata,
            max_chars=max_chars,
        )

        started = time.perf_counter()
        planned = engines.plan(corpus, load, partition_size=partition_size)
        _finish(timings, "load", started)
        if planned.sharded:
            _summary("load", timings, f"{planned.n_partitions:,} shards, read by the workers")
        else:
            _check_loaded(planned, words)
            _summary(
                "load",
                timings,
                f"{planned.n_articles:,} articles, {len(planned.corpus.rejected):,} rejected",
            )

        features = engines.FeatureSettings(
            quote_marks=tone.quote_marks,
            position_bins=tone.position_bins,
            actors=tone.actors,
            dictionary=frames.dictionary or DEFAULT_DICTIONARY,
            negation=frames.negation,
            level=frames.level,
            ngram_max=words.ngram_max,
            tone_sentence_level=tone.unit == "sentence",
            frames_sentence_level=frames.unit == "sentence",
            speakers=voices.speakers or GENERIC_SPEAKERS,
            voices=True,
        )
        summaries = engines.SummarySettings(
            tone_unit=tone.unit,
            frames_unit=frames.unit,
            n_resamples=tone.n_resamples,
            seed=tone.seed,
            confidence=tone.confidence,
            frames_n_resamples=frames.n_resamples,
            frames_seed=frames.seed,
            frames_confidence=frames.confidence,
            voices_n_resamples=voices.n_resamples,
            voices_seed=voices.seed,
            voices_confidence=voices.confidence,
            position_bins=tone.position_bins,
            group_by=words.group_by,
            groups=words.groups,
            pair=words.pair,
            max_groups=words.max_groups,
            ngram_max=words.ngram_max,
            min_count=words.min_count,
            prior=words.prior,
            prior_scale=words.prior_scale,
            variance=words.variance,
            correction=words.correction,
        )
        caught: list = []
        with notices.recording(caught):
            done = engines.run(
                corpus,
                out_dir,
                features=features,
                summaries=summaries,
                engine=engine,
                jobs=jobs,
                scheduler=scheduler,
                small_tables=SMALL_TABLES,
                csv_max_rows=CSV_MAX_ROWS,
                loaded=planned,
            )
        account = done.account
        if account.articles == 0:
            rejected = done.tables["rejected"]
            reasons = "; ".join(
                f"{count} x {reason}" for reason, count in rejected["reason"].value_counts().items()
            )
            raise CorpusError(
                f"{planned.source}: no article could be loaded ({account.inputs} inputs rejected: "
                f"{reasons or 'none found'}); run 'python -m analysis validate' for details"
            )
        if account.unaccounted:
            raise RuntimeError(
                f"{account.unaccounted} inputs unaccounted for ({account.inputs} inputs, "
                f"{account.articles} articles, {account.rejected} rejected)"
            )
        cpu = done.cpu
        where = (
            "in one process"
            if done.jobs == 1
            else f"summed over {done.jobs} {'Dask workers' if engine == 'dask' else 'processes'}"
        )
        timings["clean+segment"] = cpu.get("clean", 0.0) + cpu.get("segment", 0.0)
        _summary(
            "clean+segment",
            timings,
            f"{account.cleaning_removals:,} pieces removed, {account.sentences:,} sentences "
            f"(CPU time, {where})",
        )
        timings["tone"] = cpu.get("tone", 0.0)
        _summary("tone", timings, f"{account.sentences:,} sentences scored")
        timings["frames"] = cpu.get("frames", 0.0)
        _summary("frames", timings, f"dictionary {frames.dictionary or DEFAULT_DICTIONARY}")
        timings["term counts"] = cpu.get("terms", 0.0)
        _summary("term counts", timings, "words and bigrams per article")
        timings["voices"] = cpu.get("voices", 0.0)
        _summary("voices", timings, f"{account.quotes:,} quotes")
        timings["map"] = done.wall["map"]
        _summary(
            "map",
            timings,
            f"wall time of the steps above: {account.articles:,} articles in "
            f"{done.partitions:,} partition{'s' * (done.partitions != 1)}, {done.jobs} "
            f"{'Dask worker' if engine == 'dask' else 'process'}{'es' if engine != 'dask' else 's'}"
            if done.jobs > 1
            else f"wall time of the steps above: {account.articles:,} articles in "
            f"{done.partitions:,} partition{'s' * (done.partitions != 1)}, one process",
        )
        tables = done.tables
        compared = tables.in_memory.get("term_settings")
        timings["summaries"] = done.wall["summaries"]
        _summary(
            "summaries",
            timings,
            "outlet summaries and intervals; distinctive words skipped"
            if compared is None
            else f"outlet summaries and intervals; {compared['terms'].iloc[0]:,} terms, groups by "
            f"{compared['group_by'].iloc[0]}",
        )

        started = time.perf_counter()
        memory = {n: table for n, table in tables.in_memory.items() if not n.startswith("_")}
        written = list(done.files)
        written.extend(write_tables(memory, out_dir))
        _finish(timings, "write tables", started)
        _summary("write tables", timings, f"{len(written):,} files in {stage.final_out}")

        started = time.perf_counter()
        figure_tables = _figure_tables(tables, figure_names)
        with notices.recording(caught):
            drawn = figures.build_all(
                figure_tables, fig_dir, formats=tuple(formats), names=figure_names
            )
        del figure_tables
        for files in drawn.values():
            written.extend(files)
        _finish(timings, "figures", started)
        _summary("figures", timings, f"{len(drawn)} figures in {stage.final_figures}")

        started = time.perf_counter()
        written.append(explorer.write_explorer(_explorer_tables(tables), fig_dir / "explorer.html"))
        _finish(timings, "explorer", started)
        _summary("explorer", timings, f"{stage.final_figures / 'explorer.html'}")

        warned = notices.warnings_table(caught)
        written.extend(write_tables({"warnings": warned}, out_dir))
        notices.show(caught, listed_in=str(stage.final_out / "warnings.csv"))
        summary = tables.in_memory["_summary"]
        rejected = tables["rejected"]
        manifest = {
            "input": {
                "source": planned.source,
                "files": _input_files(corpus),
                "column_mapping": {
                    "encoding": encoding,
                    "metadata": None if metadata is None else str(metadata),
                    "text": text,
                    "outlet": outlet,
                    "id": id,
                    "date": date,
                    "title": title,
                    "dayfirst": dayfirst,
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
            "rejections": rejected["reason"].value_counts().to_dict(),
            "outlets": report.json_records(outlet_summary(summary)),
            "engine": {
                "name": engine,
                "jobs": done.jobs,
                "scheduler": scheduler,
                "partitions": done.partitions,
                "partition_size": None if planned.sharded else partition_size,
                "sharded": planned.sharded,
            },
            "parameters": {
                "methods": report.code_parameters(),
                "distinctive_words": (compared.iloc[0].to_dict() if compared is not None else None),
                "frames": {
                    "dictionary": str(frames.dictionary or DEFAULT_DICTIONARY),
                    "negation": frames.negation,
                    "level": frames.level,
                    "resampling_unit": frames.unit,
                    "n_resamples": frames.n_resamples,
                    "seed": frames.seed,
                    "confidence": frames.confidence,
                    "sha256": (
                        _sha256(Path(frames.dictionary))
                        if frames.dictionary is not None and Path(frames.dictionary).is_file()
                        else None
                    ),
                    "description": report.json_records(tables["frame_dictionary"])[0],
                },
                "tone": {
                    "implementation": (
                        "nltk.sentiment.vader's algorithm with the vaderSentiment lexicon file, "
                        "scored in arrays by analysis.sentiment.polarity_table and tested equal to "
                        "nltk's scores"
                    ),
                    "negative_threshold": sentiment.NEGATIVE_THRESHOLD,
                    "positive_threshold": sentiment.POSITIVE_THRESHOLD,
                    "resampling_unit": tone.unit,
                    "n_resamples": tone.n_resamples,
                    "seed": tone.seed,
                    "confidence": tone.confidence,
                    "position_bins": tone.position_bins,
                    "quote_marks": tone.quote_marks,
                    "actors": (
                        {"path": str(tone.actors), "sha256": _sha256(Path(tone.actors))}
                        if tone.actors is not None
                        else None
                    ),
                },
                "groups": (
                    {
                        "group_by": words.group_by,
                        "groups": list(
                            dict.fromkeys(tables["group_measures"]["group"].astype(str))
                        ),
                        "resampling_unit": "outlet",
                        "n_resamples": tone.n_resamples,
                        "seed": tone.seed,
                        "confidence": tone.confidence,
                    }
                    if "group_measures" in tables
                    else None
                ),
                "voices": {
                    "speakers": str(voices.speakers or GENERIC_SPEAKERS),
                    "speakers_sha256": _sha256(Path(voices.speakers or GENERIC_SPEAKERS)),
                    "extraction": "patterns (analysis.quotes), offline",
                    "scare_quote_max_words": quotes.extract.SCARE_MAX_WORDS,
                    "resampling_unit": "article (quote tone: quote)",
                    "n_resamples": voices.n_resamples,
                    "seed": voices.seed,
                    "confidence": voices.confidence,
                },
            },
            "warnings": [
                {"warning": name, "message": message, "rows_in_warnings_table": len(rows)}
                for (name, message), rows in warned.groupby(notices.WARNING_COLUMNS, sort=False)
            ],
            "seconds": {stage: round(seconds, 3) for stage, seconds in timings.items()},
            "versions": _versions(),
            "outputs": [str(p) for p in written],
        }
        started = time.perf_counter()
        # the paper's folder: figures, their captions, the methods text and the report together
        written.append(report.write_methods(fig_dir, manifest))
        written.append(report.write_report(fig_dir, manifest=manifest, figures_dir=fig_dir))
        _finish(timings, "report", started)
        manifest["seconds"]["report"] = round(timings["report"], 3)
        _summary("report", timings, f"{stage.final_figures / 'report.html'}")
        manifest["outputs"] = [str(stage.final(p)) for p in written]
        manifest_path = out_dir / "manifest.json"
        manifest_path.write_text(
            json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8"
        )
        written.append(manifest_path)
        corpus_account = Corpus(
            tables.in_memory["_articles"],
            rejected,
            tables["repairs"],
            planned.source,
            account.inputs,
            dayfirst,
        )
        stage.publish()
        return RunResult(
            tables=tables.relocated(stage.final),
            corpus=corpus_account,
            files=[stage.final(p) for p in written],
            manifest=manifest,
        )


def _check_loaded(planned, words: TermSettings) -> None:
    """The checks that need the loaded articles, made before any work: something loaded,
    the group column exists, the named groups are among its values."""
    loaded = planned.corpus
    if not planned.n_articles:
        reasons = "; ".join(
            f"{count} x {reason}"
            for reason, count in loaded.rejected["reason"].value_counts().items()
        )
        raise CorpusError(
            f"{loaded.source}: no article could be loaded ({loaded.n_input} inputs rejected: "
            f"{reasons or 'none found'}); run 'python -m analysis validate' for details"
        )
    if words.group_by not in loaded.articles:
        raise CorpusError(
            f"no column {words.group_by!r} to group articles by "
            f"(columns: {', '.join(map(str, loaded.articles.columns))})"
        )
    available = set()
    for chunk in planned.chunks:
        available |= set(chunk[words.group_by].dropna().astype(str))
    if words.groups:
        available &= set(words.groups)
    for name in [*(words.groups or ()), *(words.pair or ())]:
        if name not in available:
            raise CorpusError(
                f"--groups/--pair: no group named {name!r} among the compared groups of "
                f"column {words.group_by!r}"
            )


FIGURE_SENTENCE_COLUMNS = ["article_id", "voice", "compound"]
"""The sentence columns the figures read."""


def _explorer_tables(tables) -> dict[str, pd.DataFrame]:
    """What the explorer reads: the term tables, the articles' ids, outlets, groups, titles
    and cleaned texts, and each sentence's span and voice (for the contexts' voices)."""
    out = {
        name: tables[name]
        for name in ("term_scores", "term_pair", "term_settings")
        if name in tables
    }
    articles = tables.in_memory["_articles"]
    text = tables.read("articles", ["article_id", "title", "text_clean"]).set_index("article_id")
    out["articles"] = articles.join(
        text.drop(columns=articles.columns, errors="ignore"), on="article_id"
    )
    out["sentences"] = tables.read("sentences", ["article_id", "start", "end", "voice"])
    return out


def _figure_tables(tables, names: Iterable[str] | None) -> dict[str, pd.DataFrame]:
    """The tables the figures read: the summaries, the articles (id, outlet; the cleaned
    text only for the corpus overview, which counts its words) and three sentence
    columns, read back from the written files only when a figure needs them."""
    wanted = set(figures.REGISTRY) if names is None else set(names)
    needs = {need for name in wanted for need in figures.REGISTRY[name].needs}
    out = {n: table for n, table in tables.in_memory.items() if not n.startswith("_")}
    if "term_scores" in needs and "term_scores" in tables:  # written one comparison at a time
        out["term_scores"] = tables["term_scores"]
    articles = tables.in_memory["_articles"]
    if "corpus_overview" in wanted:
        text = tables.read("articles", ["article_id", "text_clean"])
        articles = articles.assign(text_clean=text["text_clean"].to_numpy())
    out["articles"] = articles
    if "sentences" in needs:
        out["sentences"] = tables.read("sentences", FIGURE_SENTENCE_COLUMNS)
    return out
