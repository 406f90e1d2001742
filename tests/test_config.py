"""Study configuration files: validation, paths, overrides and the run's keyword arguments."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from analysis import actors, config, paths, pipeline
from analysis.__main__ import build_parser
from analysis.config import (
    ConfigError,
    StudyConfig,
    config_to_run_kwargs,
    load_config,
    merge_overrides,
    overrides_from_args,
)

SEED_STUDY = paths.ROOT / "config" / "seed-study.yml"


@pytest.fixture
def study(tmp_path):
    """Write a config file (corpus.path pointing at a CSV beside it unless given)."""
    (tmp_path / "corpus.csv").write_text("text,outlet\nSome words.,A\n", encoding="utf-8")

    def write(text: str = "", *, corpus: bool = True) -> Path:
        if corpus:
            text = "corpus:\n  path: corpus.csv\n" + text.removeprefix("corpus:\n")
        path = tmp_path / "study.yml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def problems(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


# --- validation ----------------------------------------------------------------------------


def test_unknown_key_names_the_dotted_key_and_suggests_the_closest(study):
    message = problems(study("resampling:\n  n_resample: 99\n"))
    assert "resampling.n_resample: unknown key; did you mean resampling.n_resamples?" in message
    assert "line 4" in message


def test_unknown_key_in_the_wrong_section_points_to_the_right_one(study):
    message = problems(study("tone:\n  n_resample: 99\n"))
    assert "tone.n_resample: unknown key; did you mean resampling.n_resamples?" in message


def test_unknown_section_suggests_a_section(study):
    assert "tones: unknown key; did you mean tone?" in problems(study("tones:\n  seed: 1\n"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "resampling:\n  n_resamples: many\n",
            "resampling.n_resamples: expected an integer >= 1, got 'many' (str)",
        ),
        ("resampling:\n  n_resamples: 0\n", "resampling.n_resamples: expected an integer >= 1"),
        ("resampling:\n  seed: true\n", "resampling.seed: expected an integer"),
        ("resampling:\n  confidence: 95\n", "resampling.confidence: expected a number between"),
        ("corpus:\n  dayfirst: 'yes'\n", "corpus.dayfirst: expected true or false, got 'yes'"),
        ("compare:\n  groups: [A, 2017]\n", "compare.groups: expected a list of strings"),
        ("compare:\n  groups: A\n", "compare.groups: expected a list of strings"),
        ("compare:\n  pair: [A]\n", "compare.pair: expected a list of strings of exactly 2"),
        ("compare:\n  pair: [A, A]\n", "compare.pair: 'A' is listed twice"),
        ("compare:\n  groups: [A, B]\n  pair: [A, C]\n", "'C' is not one of compare.groups"),
        ("words:\n  prior_scale: 0\n", "words.prior_scale: expected a number > 0"),
        ("words:\n  ngram_max: 3\n", "words.ngram_max: expected one of 1, 2, got 3 (int)"),
        ("frames:\n  negation: null\n", "frames.negation: expected true or false, got null"),
        ("tone: 3\n", "tone: expected a mapping of keys, got 3 (int)"),
        ("figures:\n  formats: [png, jpg]\n", "figures.formats: expected a list of pdf, png"),
    ],
)
def test_wrong_type_or_value_names_the_key_the_expectation_and_the_value(study, text, expected):
    assert expected in problems(study(text))


def test_bad_enum_value_suggests_the_allowed_one(study):
    message = problems(study("resampling:\n  unit: articles\n"))
    assert (
        "resampling.unit: expected one of article, sentence, got 'articles' (str); "
        "did you mean article?"
    ) in message


def test_unknown_figure_name_lists_the_figures(study):
    message = problems(study("figures:\n  include: [tone_by_voise]\n"))
    assert "figures.include: no figure named 'tone_by_voise'; did you mean tone_by_voice?" in (
        message
    )


def test_missing_corpus_path_is_an_error(study):
    assert "corpus.path: required" in problems(study("tone:\n  quote_marks: drop\n", corpus=False))
    assert "corpus.path: required" in problems(study("", corpus=False))


def test_every_problem_is_reported_at_once(study):
    message = problems(study("resampling:\n  seed: x\n  unit: y\nwords:\n  prior: flat\n"))
    assert "3 problems" in message
    for key in ("resampling.seed", "resampling.unit", "words.prior"):
        assert key in message


def test_a_key_given_twice_is_an_error(study):
    assert "resampling.seed: given twice" in problems(study("resampling:\n  seed: 1\n  seed: 2\n"))


def test_invalid_yaml_names_the_line(study):
    message = problems(study("tone:\n  quote_marks: [keep\n"))
    assert "study.yml" in message and "not valid YAML" in message and "line" in message


def test_a_missing_config_file_is_a_config_error(tmp_path):
    assert "cannot read the file" in problems(tmp_path / "nope.yml")


def test_missing_corpus_file_is_named_when_the_run_is_prepared(tmp_path):
    path = tmp_path / "study.yml"
    path.write_text("corpus:\n  path: missing.csv\n", encoding="utf-8")
    cfg = load_config(path)
    with pytest.raises(ConfigError, match=r"corpus\.path: no such file or folder: .*missing\.csv"):
        config_to_run_kwargs(cfg)


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)


# --- paths ---------------------------------------------------------------------------------


def test_paths_are_relative_to_the_config_file_not_the_working_directory(tmp_path, monkeypatch):
    folder = tmp_path / "studies" / "one"
    folder.mkdir(parents=True)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "c.csv").write_text("text,outlet\nx,A\n", encoding="utf-8")
    (folder / "frames.yml").write_text("dictionary:\n  a: [word]\n", encoding="utf-8")
    (folder / "study.yml").write_text(
        "corpus:\n  path: ../../data/c.csv\n"
        "frames:\n  dictionary: frames.yml\n"
        "tone:\n  actors: ~/actors.yml\n"
        "output:\n  out: results\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    cfg = load_config("studies/one/study.yml")
    assert cfg.corpus.path == (tmp_path / "data" / "c.csv").resolve()
    assert cfg.frames.dictionary == (folder / "frames.yml").resolve()
    assert cfg.tone.actors == (Path.home() / "actors.yml").resolve()
    assert cfg.output.out == (folder / "results").resolve()
    assert cfg.output.figures is None


def test_a_built_in_dictionary_name_stays_a_name(study):
    cfg = load_config(study("frames:\n  dictionary: policy_frames\n"))
    assert cfg.frames.dictionary == "policy_frames"


# --- overrides -----------------------------------------------------------------------------


def test_overrides_replace_given_values_and_leave_the_rest(study, tmp_path):
    cfg = load_config(study("resampling:\n  n_resamples: 500\n  seed: 3\n"))
    merged = merge_overrides(
        cfg,
        {
            "resampling.n_resamples": 99,
            "resampling.seed": None,  # not given on the command line
            "compare.groups": ["A", "B"],
            "output.out": "out",
        },
        base=tmp_path / "cwd",
    )
    assert merged.resampling.n_resamples == 99
    assert merged.resampling.seed == 3
    assert merged.compare.groups == ("A", "B")
    assert merged.output.out == (tmp_path / "cwd" / "out").resolve()
    assert cfg.resampling.n_resamples == 500  # unchanged


def test_a_new_output_folder_takes_the_figures_with_it(tmp_path):
    cfg = load_config(SEED_STUDY)
    assert cfg.output.figures == paths.FIGURES
    moved = merge_overrides(cfg, {"output.out": tmp_path / "run"})
    assert moved.output.out == tmp_path / "run" and moved.output.figures is None
    both = merge_overrides(cfg, {"output.out": tmp_path, "output.figures": tmp_path / "f"})
    assert both.output.figures == tmp_path / "f"


def test_override_paths_default_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    merged = merge_overrides(StudyConfig(), {"corpus.path": "my.csv"})
    assert merged.corpus.path == (tmp_path / "my.csv").resolve()


def test_overrides_are_checked_like_the_file():
    with pytest.raises(ConfigError, match=r"resampling\.unit: expected one of"):
        merge_overrides(StudyConfig(), {"resampling.unit": "paragraph"})
    with pytest.raises(ConfigError, match=r"tone\.seed: unknown key; did you mean resampling"):
        merge_overrides(StudyConfig(), {"tone.seed": 1})
    with pytest.raises(ConfigError, match="not one of compare.groups"):
        merge_overrides(StudyConfig(), {"compare.groups": ["A", "B"], "compare.pair": ["A", "C"]})


def run_parser() -> argparse.ArgumentParser:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices["run"]


RUN_ONLY = {"help", "verbose", "quiet", "config"}
"""``run`` options that are not study settings."""


def test_every_run_flag_has_a_config_key():
    dests = {a.dest for a in run_parser()._actions} - RUN_ONLY
    assert dests <= set(config.CLI_KEYS), dests - set(config.CLI_KEYS)
    assert set(config.CLI_KEYS.values()) <= set(config.schema())


def test_cli_defaults_agree_with_the_config_defaults():
    keys = config.schema()
    for action in run_parser()._actions:
        if action.dest in config.CLI_KEYS and action.default is not None:
            default = keys[config.CLI_KEYS[action.dest]]["default"]
            given = tuple(action.default) if isinstance(action.default, list) else action.default
            assert given == default, action.dest


def test_overrides_from_args_keeps_what_was_typed():
    args = argparse.Namespace(
        command="run", path=None, n_resamples=199, seed=None, dayfirst=None, format=["png"]
    )
    overrides = overrides_from_args(args)
    assert overrides["resampling.n_resamples"] == 199
    merged = merge_overrides(StudyConfig(), overrides)
    assert merged.resampling.n_resamples == 199
    assert merged.resampling.seed == 0
    assert merged.figures.formats == ("png",)
    assert merged.corpus.path is None


# --- the run's keyword arguments -----------------------------------------------------------


def test_defaults_give_the_keyword_arguments_of_a_default_run():
    kwargs = config_to_run_kwargs(StudyConfig())
    assert kwargs["corpus"] is None and kwargs["out"] is None
    assert kwargs["tone"] == pipeline.ToneSettings()
    assert kwargs["frames"] == pipeline.FrameSettings()
    assert kwargs["words"] == pipeline.TermSettings()
    assert tuple(kwargs["formats"]) == ("pdf", "png")


def test_resampling_reaches_tone_and_frames(study):
    cfg = load_config(study("resampling:\n  unit: sentence\n  n_resamples: 42\n  seed: 7\n"))
    kwargs = config_to_run_kwargs(cfg)
    for settings in (kwargs["tone"], kwargs["frames"]):
        assert (settings.unit, settings.n_resamples, settings.seed) == ("sentence", 42, 7)


def test_seed_study_runs_what_the_default_command_runs():
    cfg = load_config(SEED_STUDY)
    defaults = config_to_run_kwargs(StudyConfig())
    # what pipeline.run does on its own when no corpus is given
    defaults.update(
        corpus=paths.SEED_CORPUS,
        out=paths.PROCESSED,
        figures_dir=paths.FIGURES,
        tone=replace(defaults["tone"], actors=actors.SEED_ACTORS),
        frames=replace(defaults["frames"], dictionary=pipeline.SEED_DICTIONARY),
    )
    if "voices" in defaults:
        from analysis import quotes

        defaults["voices"] = replace(defaults["voices"], speakers=quotes.SEED_SPEAKERS)
    assert config_to_run_kwargs(cfg) == defaults


def test_seed_study_writes_out_every_key():
    raw = yaml.safe_load(SEED_STUDY.read_text(encoding="utf-8"))
    written = {f"{section}.{key}" for section, body in raw.items() for key in body}
    assert written == set(config.schema())


def test_seed_study_comments_every_key():
    lines = SEED_STUDY.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.startswith("  ") and not line.lstrip().startswith("#") and ":" in line:
            commented = "#" in line or lines[number - 1].lstrip().startswith("#")
            assert commented, f"line {number + 1} has no comment: {line}"


def test_a_key_this_run_cannot_honour_is_an_error_not_ignored(study, monkeypatch):
    path = study("corpus:\n  encoding: cp1252\nvoices:\n  speakers: corpus.csv\n")
    cfg = load_config(path)

    def old_run(corpus=None, *, out=None, tone=None): ...

    monkeypatch.setattr(pipeline, "run", old_run)
    with pytest.raises(ConfigError) as caught:
        config_to_run_kwargs(cfg)
    assert "corpus.encoding: set to 'cp1252'" in str(caught.value)
    assert "voices.speakers: set to" in str(caught.value)

    def new_run(corpus=None, *, out=None, encoding=None, voices=None): ...

    monkeypatch.setattr(pipeline, "run", new_run)
    if hasattr(pipeline, "VoiceSettings"):
        kwargs = config_to_run_kwargs(cfg)
        assert kwargs["encoding"] == "cp1252"
        assert kwargs["voices"].speakers == path.parent.resolve() / "corpus.csv"
        assert "figure_names" not in kwargs  # not set, so not required of run


def test_resampling_choices_match_the_command_line():
    keys = config.schema()
    for action in run_parser()._actions:
        if action.dest in config.CLI_KEYS and action.choices:
            meta = keys[config.CLI_KEYS[action.dest]]
            assert tuple(action.choices) == tuple(meta["choices"]), action.dest
