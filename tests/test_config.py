"""Study configuration files: validation, paths, overrides, flags and the run's settings."""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import pkgutil
from dataclasses import fields
from pathlib import Path

import pytest
import yaml

import analysis.measures
import analysis.settings
from analysis import actors, config, paths, quotes
from analysis.__main__ import build_parser
from analysis.config import (
    ConfigError,
    StudyConfig,
    check_paths,
    load_config,
    merge_overrides,
    overrides_from_args,
    study_config,
)
from analysis.measures import (
    DEFAULT_DICTIONARY,
    GENERIC_SPEAKERS,
    SEED_DICTIONARY,
    Resampling,
    Settings,
    ToneSettings,
    WordSettings,
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
        check_paths(cfg)


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


def test_every_study_flag_defaults_to_none_so_an_untyped_flag_overrides_nothing():
    for action in run_parser()._actions:
        if action.dest in config.CLI_KEYS and action.dest != "path":
            assert action.default is None, action.dest


OLD_DESTS = {
    "path", "text", "outlet", "id", "date", "title", "dayfirst", "max_chars", "group_by",
    "groups", "pair", "resample", "n_resamples", "seed", "quote_marks", "actors", "dictionary",
    "negation", "level", "min_count", "ngram_max", "prior", "prior_scale", "variance",
    "correction", "format", "out", "figures", "speakers", "engine", "jobs", "scheduler",
    "partition_size",
}  # fmt: skip
"""The ``run`` flags' destinations when they were written by hand: none may disappear."""


def test_every_key_with_a_flag_is_a_run_option_made_from_its_metadata():
    actions = {a.dest: a for a in run_parser()._actions}
    flagged = {key: meta for key, meta in config.schema().items() if meta.get("flag")}
    assert flagged
    for key, meta in flagged.items():
        dest = meta["flag"].removeprefix("--").replace("-", "_")
        assert config.CLI_KEYS[dest] == key
        action = actions[dest]
        assert meta["flag"] in action.option_strings, key
        assert meta["doc"].split(" (")[0].replace("null: ", "") in action.help, key
        if meta.get("choices"):
            assert tuple(action.choices) == tuple(meta["choices"]), key
        if meta["kind"] == "bool":
            assert action.nargs == 0 and action.const is True, key
        if meta["kind"] in ("int", "float"):
            assert action.type is {"int": int, "float": float}[meta["kind"]], key
        if meta["kind"].startswith("list["):
            assert action.nargs == (2 if meta.get("length") == (2, 2) else "+"), key
        if meta.get("metavar"):
            assert action.metavar == meta["metavar"], key
    assert set(config.CLI_KEYS) >= OLD_DESTS  # a new measure may add flags; none may go
    assert set(actions) >= OLD_DESTS
    assert "-j" in actions["jobs"].option_strings


def test_the_help_lists_every_flag_and_its_default():
    shown = run_parser().format_help()
    for meta in config.schema().values():
        if meta.get("flag"):
            assert meta["flag"] in shown
    assert "bootstrap resamples (default 9999)" in " ".join(shown.split())
    assert "default 1,000,000" in " ".join(shown.split())


def test_typed_flags_reach_the_settings():
    args = run_parser().parse_args(
        ["x.csv", "--pair", "A", "B", "--groups", "A", "B", "--dayfirst", "--prior-scale",
         "0.5", "-j", "2", "--format", "svg", "--resample", "sentence"]
    )  # fmt: skip
    merged = merge_overrides(StudyConfig(), overrides_from_args(args))
    assert merged.compare.pair == ("A", "B") and merged.compare.groups == ("A", "B")
    assert merged.corpus.dayfirst is True and merged.words.prior_scale == 0.5
    assert merged.compute.jobs == 2 and merged.figures.formats == ("svg",)
    assert merged.resampling.unit == "sentence"
    assert merged.frames.negation is False  # not typed: the default stays


def _settings_classes() -> set[type]:
    """Every dataclass of the measures (and the shared settings) with a ``setting()`` field."""
    modules = [analysis.settings, analysis.measures] + [
        importlib.import_module(f"analysis.measures.{m.name}")
        for m in pkgutil.iter_modules(analysis.measures.__path__)
    ]
    found = set()
    for module in modules:
        for value in vars(module).values():
            is_class = dataclasses.is_dataclass(value) and isinstance(value, type)
            if is_class and any("kind" in f.metadata for f in fields(value)):
                found.add(value)
    return found


def test_every_measure_setting_is_a_key_of_the_study_file():
    classes = _settings_classes()
    assert {Resampling, ToneSettings, WordSettings} <= classes
    sections = {cls: name for name, cls in config.SECTIONS.items()}
    keys = config.schema()
    for cls in classes:
        assert cls in sections, f"{cls.__name__} is no section of the study file"
        for f in fields(cls):
            if "kind" in f.metadata:
                assert f"{sections[cls]}.{f.name}" in keys, f"{cls.__name__}.{f.name}"
    assert {f.name for f in fields(Settings)} <= set(config.SECTIONS)


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


# --- the run's settings --------------------------------------------------------------------


def test_defaults_are_the_seed_corpus_with_the_seed_story_files():
    settings = study_config()
    assert settings.corpus.path == paths.SEED_CORPUS
    assert settings.tone == ToneSettings(actors=actors.SEED_ACTORS)
    assert settings.frames.dictionary == SEED_DICTIONARY
    assert settings.voices.speakers == quotes.SEED_SPEAKERS
    assert settings.words == WordSettings()
    assert settings.figures.formats == ("pdf", "png")
    assert settings.output.out is None and settings.output.figures is None


def test_another_corpus_gets_the_general_files_unless_named(tmp_path):
    (tmp_path / "c.csv").write_text("text,outlet\nWords.,A\n", encoding="utf-8")
    (tmp_path / "a.yml").write_text("", encoding="utf-8")
    settings = study_config(tmp_path / "c.csv")
    assert settings.frames.dictionary == DEFAULT_DICTIONARY
    assert settings.tone.actors is None
    assert settings.voices.speakers == GENERIC_SPEAKERS
    named = study_config(tmp_path / "c.csv", tone=ToneSettings(actors=tmp_path / "a.yml"))
    assert named.tone.actors == tmp_path / "a.yml"


def test_python_options_are_keys_or_sections():
    settings = study_config(jobs=1, formats=["png"], figures_dir="f", text="body")
    assert settings.compute.jobs == 1 and settings.figures.formats == ("png",)
    assert settings.output.figures == "f" and settings.corpus.text == "body"
    with pytest.raises(TypeError, match="unknown setting 'n_resample'"):
        study_config(n_resample=5)
    with pytest.raises(ConfigError, match="corpus.path: no such file"):
        study_config("no-such-corpus.csv")
    with pytest.raises(ValueError, match="scheduler"):
        study_config(scheduler="tcp://x:1")


def test_resampling_reaches_the_measures(study):
    cfg = load_config(study("resampling:\n  unit: sentence\n  n_resamples: 42\n  seed: 7\n"))
    measured = study_config(config=cfg).engine_options()["features"].settings
    assert measured.resampling == Resampling(unit="sentence", n_resamples=42, seed=7)


def test_seed_study_runs_what_the_default_command_runs():
    from_file = study_config(config=load_config(SEED_STUDY))
    plain = study_config()
    assert from_file.measure_settings() == plain.measure_settings()
    assert from_file.corpus == plain.corpus
    assert (from_file.figures, from_file.compute) == (plain.figures, plain.compute)
    assert from_file.output.out == paths.PROCESSED and from_file.output.figures == paths.FIGURES
    assert plain.load_options() == from_file.load_options()


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


def test_resampling_choices_match_the_command_line():
    keys = config.schema()
    for action in run_parser()._actions:
        if action.dest in config.CLI_KEYS and action.choices:
            meta = keys[config.CLI_KEYS[action.dest]]
            assert tuple(action.choices) == tuple(meta["choices"]), action.dest
