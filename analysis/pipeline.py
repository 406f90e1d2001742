"""The main job: corpus -> articles -> sentences -> measures -> tables, figures and report.

:func:`run` loads and checks the corpus, runs every measure (:mod:`analysis.measures`) on
its partitions (:mod:`analysis.engine`), writes every table (Parquet, and CSV for the tables
:mod:`analysis.registry` marks), every registered figure, the explorer, the methods text,
the report and ``manifest.json`` (:mod:`analysis.report.record`), all into staging folders
published whole at the end (:mod:`analysis.staging`). A notebook computes the same tables
with :func:`prepare` and :func:`analysis.measures.measure`.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from analysis import (
    classify,
    clean,
    coding,
    engine,
    explorer,
    figures,
    measures,
    notices,
    progress,
    report,
    segment,
    staging,
    topics,
)
from analysis.config import StudyConfig, output_folders, study_config
from analysis.corpus import Corpus, CorpusError
from analysis.engine.io import write_tables
from analysis.report.record import build_manifest

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    """What :func:`run` produced: the tables, the corpus's account, the files written and
    the manifest."""

    tables: engine.Tables
    corpus: Corpus
    files: list[Path] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)


def prepare(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """Clean and segment a loaded corpus (what the engine's map does before the measures).

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


def run(corpus=None, *, config: StudyConfig | None = None, **options) -> RunResult:
    """Run the whole analysis on one corpus and write its tables, figures and report.

    Parameters
    ----------
    corpus : path or DataFrame, optional
        The corpus (see :func:`analysis.corpus.load_corpus`), or a folder of Parquet or
        JSON Lines shards (see :mod:`analysis.engine.partitions`); the bundled seed corpus
        when omitted (and when ``config`` names none).
    config : StudyConfig, optional
        Every setting (:func:`analysis.config.load_config` reads one from a study file).
    **options
        Any setting, overriding ``config``'s: a section as its dataclass
        (``resampling=Resampling(n_resamples=999)``, ``tone=ToneSettings(...)``), or a key
        of the corpus, figures, compute or output sections by name (the column mapping
        ``text=``, ``outlet=``, ``id=``, ``date=``, ``title=``; ``jobs=``, ``engine=``,
        ``partition_size=``; ``formats=``, ``figure_names=``; ``out=``, ``figures_dir=``;
        ``study_file=``): see :func:`analysis.config.study_config`.

    Returns
    -------
    RunResult
        The tables are the same whatever ``jobs``, ``engine`` and ``partition_size``.
    """
    config = study_config(corpus, config, **options)
    _check_learning(config)
    measures.read_files(config)  # a bad dictionary, actor or speaker file fails now
    config = _topic_model_level(config)
    coded = _read_codes(config)
    out_dir, fig_dir = output_folders(config)
    stages, caught = progress.Stages(log), []
    with stages.timed("load") as said:
        planned = engine.plan(
            config.corpus.path, config.load_options(), partition_size=config.compute.partition_size
        )
        said.append(_check_loaded(planned, config.compare))
        _check_topics(planned, config.topics)
        _check_stories(planned, config.stories)
        _check_coded_articles(coded, planned, config.coding.codes)
    with staging.staged(out_dir, fig_dir) as stage:
        model = _learn(coded, planned, config, stage, stages)
        applied = config if model is None else _applying(config, model)
        with notices.recording(caught):
            done = engine.run(None, stage.out, loaded=planned, **applied.engine_options())
        _check_accounted(done, planned.source)
        _log_map(stages, done)
        tables, written = done.tables, list(done.files)
        if model is not None:
            written.append(model)
        if coded is not None:
            with notices.recording(caught):
                tables = tables.added(_checked_against_coders(coded, tables, config, stages))
        with stages.timed("write tables") as said:
            written += write_tables(tables.in_memory, stage.out)
            said.append(f"{len(written):,} files in {stage.final_out}")
        written += _draw(tables, config, stage, stages, caught, jobs=done.jobs)
        warned = notices.warnings_table(caught)
        written += write_tables({"warnings": warned}, stage.out)
        notices.show(caught, listed_in=str(stage.final_out / "warnings.csv"))
        final = config if model is None else _applying(config, stage.final(model))
        manifest = build_manifest(final, done, tables, warned, stages.seconds, written)
        if applied.learned.model is not None:
            manifest["parameters"]["learned"] = measures.learned.manifest_entry(
                applied,
                tables,
                path=final.learned.model,
                trained=model is not None,
                run_dictionary=_run_dictionary(config).name,
            )
        topic_model = _topic_model(applied, stage)
        if topic_model is not None:
            manifest["parameters"]["topics"] = measures.topics.manifest_entry(
                applied,
                tables,
                path=topic_model,
                fitted=applied.topics.apply is None,
            )
            if applied.topics.apply is None:
                manifest["parameters"]["topics"]["model"] = str(stage.final(topic_model))
        for section in (measures.stories, measures.timeline):
            entry = section.manifest_entry(applied, tables)
            if entry is not None:
                manifest["parameters"][section.__name__.rsplit(".", 1)[-1]] = entry
        if coded is not None:
            manifest["parameters"]["coding"] = coding.coding_parameters(
                coded, tables, config.coding.codes
            )
        with stages.timed("report") as said:
            written.append(report.write_methods(stage.figures, manifest))
            written.append(
                report.write_report(stage.figures, manifest=manifest, figures_dir=stage.figures)
            )
            said.append(str(stage.final_figures / "report.html"))
        manifest["seconds"]["report"] = round(stages.seconds["report"], 3)
        written.append(_write_manifest(manifest, stage, written))
        stage.publish()
    account = Corpus(
        tables.article_index,
        tables["rejected"],
        tables["repairs"],
        planned.source,
        done.account.inputs,
        config.corpus.dayfirst,
    )
    written = [stage.final(p) for p in written]
    return RunResult(tables.relocated(stage.final), account, written, manifest)


def _topic_model_level(config: StudyConfig) -> StudyConfig:
    """A topic model applied (``--apply-topics``) reads the documents it was fitted on:
    articles or paragraphs, whatever ``--topic-level`` says; ``--topics K`` with it is
    refused (the model has its own k). Topic options without a topic model are said to do
    nothing."""
    chosen = config.topics
    if chosen.apply is None:
        unused = [
            flag
            for flag, value, default in (
                ("--topic-model", chosen.model, "nmf"),
                ("--topic-level", chosen.level, "article"),
            )
            if value != default
        ]
        if chosen.k is None and unused:
            log.warning(
                "%s: no topic model is fitted without --topics K (0 chooses K)",
                " and ".join(unused),
            )
        return config
    if chosen.k is not None:
        raise topics.TopicModelError(
            f"--apply-topics applies a saved model (its own k) and --topics {chosen.k} fits a "
            "new one: give one"
        )
    model = measures.topics.model_of(config)
    level = model.parameters.get("level", chosen.level)
    log.info("topics: applying %s (%s, %d topics of %ss)", chosen.apply, model.kind, model.k, level)
    return replace(config, topics=replace(chosen, level=level))


def _check_topics(planned, chosen) -> None:
    """A range of k to choose from, and, for a topic model of articles, enough of them:
    checked before the map when the corpus is loaded whole (paragraphs are counted only by
    the map)."""
    if chosen.k == 0 and not chosen.ks:
        raise topics.TopicModelError(
            f"--topics 0 chooses k among topics.k_min..k_max, but k_min ({chosen.k_min}) is "
            f"above k_max ({chosen.k_max})"
        )
    if chosen.k is None or chosen.apply is not None or chosen.level != "article":
        return
    if planned.n_articles is None:
        return
    needed = chosen.k if chosen.k else chosen.k_min * topics.DOCUMENTS_PER_TOPIC
    if planned.n_articles < needed:
        raise topics.TopicModelError(
            f"--topics {chosen.k}: {planned.n_articles:,} articles are too few for a topic "
            + (
                f"model of {chosen.k} topics"
                if chosen.k
                else f"model whose k is chosen from {chosen.k_min} (10 articles per topic)"
            )
            + "; try --topic-level paragraph, or a smaller k"
        )


def _check_stories(planned, chosen) -> None:
    """The story column (``--story-column``) is one of the corpus's, checked before the map
    when the corpus is loaded whole (a sharded corpus's map checks each shard); the
    matching options are said to do nothing beside it."""
    if chosen.column is None:
        return
    defaults = measures.StorySettings()
    unused = [
        flag
        for flag, key in (
            ("--story-threshold", "threshold"),
            ("--story-window", "window"),
            ("stories.body_chars", "body_chars"),
            ("stories.max_component", "max_component"),
        )
        if getattr(chosen, key) != getattr(defaults, key)
    ]
    if unused:
        log.warning(
            "%s: nothing is matched with --story-column %s (the column names the stories)",
            " and ".join(unused),
            chosen.column,
        )
    if planned.sharded or chosen.column in planned.corpus.articles:
        return
    raise CorpusError(
        f"stories.column (--story-column) {chosen.column!r}: the corpus has no such column "
        f"(columns: {', '.join(map(str, planned.corpus.articles.columns))})"
    )


def _check_learning(config: StudyConfig) -> None:
    """``--learn`` needs codes, and is not given with ``--apply-model``."""
    if config.coding.learn is not None and config.coding.codes is None:
        raise coding.CodingError(
            f"--learn {config.coding.learn}: a classifier learns from people's codes; give "
            "the folder of filled coding sheets with --codes"
        )
    if config.coding.learn is not None and config.learned.model is not None:
        raise coding.CodingError(
            "--learn trains a classifier and --apply-model applies a saved one: give one"
        )


def _read_codes(config: StudyConfig) -> coding.Codes | None:
    """The coders' codes (``--codes``), read and checked before any work: every cell, and
    every measure the codebook checks is one the run computes."""
    if config.coding.codes is None:
        return None
    coded = coding.read_codes(config.coding.codes)
    if config.coding.learn is not None:
        try:
            classify.learnable(coded, config.coding.learn)
        except classify.LabelError as error:
            raise coding.CodingError(
                f"{config.coding.codes}: --learn {config.coding.learn}: {error}"
            ) from None
    frames = _run_dictionary(config).categories
    named = (
        [a.name for a in measures.tone.actor_list(config.tone.actors)] if config.tone.actors else []
    )
    problems = coding.unmet_links(coded.codebook, frames=list(frames), actors=named)
    if problems:
        raise coding.CodingError(
            f"{config.coding.codes}: the codebook {coded.codebook.name!r} checks measures "
            "this run does not compute:\n  " + "\n  ".join(problems)
        )
    return coded


def _learn(coded, planned, config: StudyConfig, stage, stages) -> Path | None:
    """Train the classifier ``--learn`` asks for on the coded articles (cleaned and cut as
    the map will), before the map, and save it in the staging folder's ``models/``."""
    variable = config.coding.learn
    if variable is None:
        return None
    if planned.sharded:
        raise coding.CodingError(
            f"--learn {variable}: train on a corpus loaded whole (a file or a table), then "
            "apply the saved model to the shards with --apply-model"
        )
    with stages.timed("learn") as said:
        ids = set(coded.codes["article_id"])
        rows = pd.concat(
            [chunk[chunk["article_id"].astype(str).isin(ids)] for chunk in planned.chunks]
        )
        articles, _ = clean.clean_articles(rows.reset_index(drop=True))
        tables = {"articles": articles, "sentences": segment.split_sentences(articles)}
        try:
            model = classify.train(
                coded,
                tables,
                variable=variable,
                dictionary=_run_dictionary(config),
                by_outlet=config.coding.learn_folds == "outlet",
                seed=config.resampling.seed,
            )
        except classify.LabelError as error:
            raise coding.CodingError(
                f"{config.coding.codes}: --learn {variable}: {error}"
            ) from None
        name = "frames" if variable == "frames" else variable.replace(",", "+")
        path = model.save(stage.out / "models" / f"{name}{classify.SUFFIX}")
        said.append(
            f"{len(model.categories)} categories on {model.parameters['n_units']:,} coded "
            f"{model.unit}s of {model.parameters['n_articles']:,} articles"
        )
    return path


def _topic_model(config: StudyConfig, stage) -> Path | None:
    """The topic model the run applied: the one ``--apply-topics`` names, or the one it
    fitted (in the staging folder's ``models/``); None without topics."""
    if config.topics.apply is not None:
        return Path(config.topics.apply)
    fitted = stage.out / "models" / f"topics{topics.SUFFIX}"
    return fitted if config.topics.k is not None and fitted.is_file() else None


def _applying(config: StudyConfig, model: Path) -> StudyConfig:
    """``config`` applying the classifier at ``model``."""
    return replace(config, learned=replace(config.learned, model=Path(model)))


def _run_dictionary(config: StudyConfig):
    """The framing dictionary as the run's frames measure reads it (at its level; cached)."""
    return measures.frames.read_dictionary(config.frames.dictionary, config.frames.level)


def _check_coded_articles(coded, planned, folder) -> None:
    """Coded articles must be this corpus's: checked before the map when the corpus is
    loaded whole (a sharded corpus's ids are known only after it, and checked then)."""
    if coded is None or planned.sharded:
        return
    loaded = set().union(*(set(chunk["article_id"].astype(str)) for chunk in planned.chunks))
    _refuse_missing(set(coded.codes["article_id"]) - loaded, folder)


def _refuse_missing(missing: set, folder) -> None:
    if missing:
        raise coding.CodingError(
            f"{folder}: {len(missing)} coded articles are not in this run's corpus (first: "
            f"{sorted(missing)[0]!r}); give code sheets drawn from this corpus"
        )


def _checked_against_coders(coded, tables, config: StudyConfig, stages) -> dict:
    """The ``coding_*`` tables: the coders' reliability and every measure against them,
    on the coded articles' rows of the run's tables."""
    with stages.timed("coding") as said:
        ids = set(coded.codes["article_id"])
        names = [name for name in coding.RUN_TABLES if name in tables]
        rows = {name: tables.rows(name, "article_id", ids) for name in names}
        _refuse_missing(ids - set(rows["articles"]["article_id"]), config.coding.codes)
        options = config.resampling.options
        checked = coding.check_against_coders(
            coded, rows, dictionary=_run_dictionary(config), **options
        )
        said.append(f"{len(ids)} coded articles, {len(checked['coding_reliability'])} variables")
    return checked


def _draw(
    tables, config: StudyConfig, stage, stages: progress.Stages, caught: list, *, jobs: int
) -> list[Path]:
    """Every figure (their warnings recorded in ``caught``; on ``jobs`` local processes when
    the map had several) and the explorer, in the staging folder; the files written."""
    with (
        stages.timed("figures") as said,
        notices.recording(caught),
        engine.local_pool(jobs) if jobs > 1 else contextlib.nullcontext() as pool,
    ):
        drawn = figures.build_all(
            _figure_tables(tables, config.figures.include),
            stage.figures,
            formats=config.figures.formats,
            names=config.figures.include,
            pool=pool,
        )
        said.append(f"{len(drawn)} figures in {stage.final_figures}")
    written = [f for files in drawn.values() for f in files]
    with stages.timed("explorer") as said:
        written.append(
            explorer.write_explorer(_explorer_tables(tables), stage.figures / "explorer.html")
        )
        said.append(str(stage.final_figures / "explorer.html"))
    return written


def _write_manifest(manifest: dict, stage, written: list[Path]) -> Path:
    manifest["outputs"] = [str(stage.final(p)) for p in written]
    path = stage.out / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def _check_accounted(done, source: str) -> None:
    """Something was loaded, and every input is an article or a rejection."""
    account = done.account
    if account.articles == 0:
        reasons = "; ".join(
            f"{count} x {reason}"
            for reason, count in done.tables["rejected"]["reason"].value_counts().items()
        )
        raise CorpusError(
            f"{source}: no article could be loaded ({account.inputs} inputs rejected: "
            f"{reasons or 'none found'}); run 'python -m analysis validate' for details"
        )
    if account.unaccounted:
        raise RuntimeError(
            f"{account.unaccounted} inputs unaccounted for ({account.inputs} inputs, "
            f"{account.articles} articles, {account.rejected} rejected)"
        )


def _log_map(stages: progress.Stages, done) -> None:
    """One line per measure (CPU seconds summed over workers), the map's wall time and the
    summaries'."""
    cpu, account = done.cpu, done.account
    workers = "Dask workers" if done.engine == "dask" else "processes"
    where = "in one process" if done.jobs == 1 else f"summed over {done.jobs} {workers}"
    stages.record(
        "clean+segment",
        cpu.get("clean", 0.0) + cpu.get("segment", 0.0) + cpu.get("tokens", 0.0),
        f"{account.cleaning_removals:,} pieces removed, {account.sentences:,} sentences, "
        f"tokenized (CPU time, {where})",
    )
    for name in done.measures:
        stages.record(name, cpu.get(name, 0.0), f"CPU time, {where}")
    parts = f"{done.partitions:,} partition{'s' * (done.partitions != 1)}"
    jobs = "one process" if done.jobs == 1 else f"{done.jobs} {workers}"
    stages.record(
        "map", done.wall["map"], f"wall time: {account.articles:,} articles in {parts}, {jobs}"
    )
    compared = done.tables.in_memory.get("term_settings")
    words = (
        "distinctive words skipped"
        if compared is None
        else f"{compared['terms'].iloc[0]:,} terms, groups by {compared['group_by'].iloc[0]}"
    )
    stages.record("summaries", done.wall["summaries"], f"every measure's reduce; {words}")


def _check_loaded(planned, words) -> str:
    """The checks that need the loaded articles, made before any work: something loaded,
    the group column exists, the named groups are among its values. Returns the load's
    line for the log."""
    if planned.sharded:
        return f"{planned.n_partitions:,} shards, read by the workers"
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
    return f"{planned.n_articles:,} articles, {len(loaded.rejected):,} rejected"


FIGURE_SENTENCE_COLUMNS = ["article_id", "voice", "compound"]
"""The sentence columns the figures read."""


def _explorer_tables(tables) -> dict[str, pd.DataFrame]:
    """What the explorer reads: the term tables, the topic tables (never the long
    ``article_topics``), the articles' ids, outlets, groups, titles and cleaned texts, and
    each sentence's span and voice (for the contexts' voices)."""
    present = set(tables)  # the names only: ``in`` would read a streamed table's file
    out = {
        name: tables[name]
        for name in ("term_scores", "term_pair", "term_settings", *explorer.TOPIC_TABLES)
        if name in present
    }
    articles = tables.article_index
    text = tables.read("articles", ["article_id", "title", "text_clean"]).set_index("article_id")
    out["articles"] = articles.join(
        text.drop(columns=articles.columns, errors="ignore"), on="article_id"
    )
    out["sentences"] = tables.read("sentences", ["article_id", "start", "end", "voice"])
    return out


def _figure_tables(tables, names: Iterable[str] | None) -> dict[str, pd.DataFrame]:
    """The tables the figures read: the summaries, the articles (id, outlet; the cleaned
    text only for the corpus overview to count its words, when the voices have not) and
    three sentence columns, read back from the written files only when a figure needs
    them."""
    wanted = set(figures.REGISTRY) if names is None else set(names)
    needs = {need for name in wanted for need in figures.REGISTRY[name].needs}
    out = tables.in_memory
    if "term_scores" in needs and "term_scores" in tables:  # written one comparison at a time
        out["term_scores"] = tables["term_scores"]
    articles = tables.article_index
    if "corpus_overview" in wanted and "article_voices" not in tables:  # to count words
        text = tables.read("articles", ["article_id", "text_clean"])
        articles = articles.assign(text_clean=text["text_clean"].to_numpy())
    out["articles"] = articles
    if "sentences" in needs:
        out["sentences"] = tables.read("sentences", FIGURE_SENTENCE_COLUMNS)
    return out
