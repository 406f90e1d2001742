"""A configured run end to end: `python -m analysis run --config FILE` and its outputs."""

from __future__ import annotations

import json
import re

import pandas as pd

from tests.test_pipeline import cli

TEXTS = {
    "Daily A": [
        '"We will act," the minister said. Critics called it "censorship" and worse.',
        "The ban, the court said, is lawful. Officials welcomed it.",
    ],
    "Weekly B": [
        "Activists said the ban was a disaster. Users protested online.",
        '"It is wrong," an activist said. The "reform" went ahead anyway.',
    ],
}


def _study(tmp_path, extra: str = "") -> tuple:
    rows = [
        {"body": text, "paper": outlet, "key": f"{outlet[0]}{i}"}
        for outlet, texts in TEXTS.items()
        for i, text in enumerate(texts)
    ]
    pd.DataFrame(rows).to_csv(tmp_path / "corpus.csv", index=False)
    config = tmp_path / "study.yml"
    config.write_text(
        "corpus:\n  path: corpus.csv\n  text: body\n  outlet: paper\n  id: key\n"
        "resampling:\n  n_resamples: 99\n"
        "output:\n  out: results\n" + extra,
        encoding="utf-8",
    )
    return config, tmp_path / "results"


def test_a_csv_corpus_given_only_by_config_writes_everything(tmp_path):
    config, out = _study(tmp_path)
    done = cli("run", "--config", config)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["articles"] == 4 and manifest["counts"]["rejected"] == 0
    assert manifest["input"]["column_mapping"]["text"] == "body"
    assert manifest["parameters"]["tone"]["n_resamples"] == 99
    assert {"load", "tone", "voices", "report"} <= set(manifest["seconds"])
    assert manifest["input"]["files"][0]["sha256"]
    figures = out / "figures"
    for name in (
        "report.html",
        "explorer.html",
        "methods.md",
        "captions.md",
        "who_speaks.pdf",
        "scare_quotes.csv",
    ):
        assert (figures / name).exists(), name
    for name in ("quotes.parquet", "outlet_voices.csv", "speaker_shares.csv"):
        assert (out / name).exists(), name


def test_flags_override_the_file_and_change_the_methods_text(tmp_path):
    config, out = _study(tmp_path)
    assert cli("run", "--config", config).returncode == 0
    first = (out / "figures" / "methods.md").read_text(encoding="utf-8")
    done = cli("run", "--config", config, "--n-resamples", "199", "--prior", "uniform")
    assert done.returncode == 0, done.stderr
    second = (out / "figures" / "methods.md").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["tone"]["n_resamples"] == 199
    assert "199 resamples" in second and "199 resamples" not in first
    assert "99 resamples" in first
    assert re.search("uniform", second, re.IGNORECASE)


def test_report_has_no_external_references_and_escapes_outlets(tmp_path):
    rows = [
        {"text": "A quiet story. Nothing happened.", "outlet": "<script>alert(1)</script>"},
        {"text": "Another story. Still nothing.", "outlet": "Plain Outlet"},
    ]
    pd.DataFrame(rows).to_csv(tmp_path / "corpus.csv", index=False)
    config = tmp_path / "study.yml"
    config.write_text(
        "corpus:\n  path: corpus.csv\nresampling:\n  n_resamples: 99\noutput:\n  out: results\n",
        encoding="utf-8",
    )
    done = cli("run", "--config", config)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "results" / "figures" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<script" not in page.lower()


def test_config_errors_exit_2_naming_the_key(tmp_path):
    config, _ = _study(tmp_path, extra="tone:\n  n_resample: 5\n")
    done = cli("run", "--config", config)
    assert done.returncode == 2
    assert "tone.n_resample" in done.stderr and "resampling.n_resamples" in done.stderr
    assert "Traceback" not in done.stderr


def test_stage_lines_by_default_and_quiet_with_q(tmp_path):
    config, _ = _study(tmp_path)
    loud = cli("run", "--config", config)
    stages = [line.split()[0] for line in loud.stderr.splitlines() if line.endswith(")") is False]
    for stage in ("load", "clean+segment", "tone", "frames", "voices", "figures", "report"):
        assert any(line.startswith(stage) and " s " in line for line in loud.stderr.splitlines()), (
            stage,
            stages,
        )
    for quiet in (cli("-q", "run", "--config", config), cli("run", "--config", config, "-q")):
        assert quiet.returncode == 0
        assert not [line for line in quiet.stderr.splitlines() if not line.startswith("warning:")]
        assert quiet.stdout.strip().endswith("files")
    both = cli("-v", "run", "--config", config, "-q")
    assert both.returncode == 2 and "cannot be used together" in both.stderr


def test_warnings_are_one_short_line_each_with_their_lists_in_a_table(tmp_path):
    config, out = _study(tmp_path)  # two articles per outlet: no interval
    done = cli("run", "--config", config, "-q")
    warned = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert warned
    listed = str(out / "warnings.csv")
    assert all(len(line.replace(listed, "")) <= 160 for line in warned), warned
    table = pd.read_csv(out / "warnings.csv")
    tone = table[table["message"].str.startswith("tone:")]
    assert set(tone["outlet"]) == set(TEXTS) and tone["measure"].notna().all()
    recorded = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["warnings"]
    assert {w["message"] for w in recorded} == set(table["message"])
    assert sum(w["rows_in_warnings_table"] for w in recorded) == len(table)


def test_a_notebook_opens_the_study_the_run_would_run(tmp_path):
    from analysis import actors, paths, quotes
    from analysis.config import load_config, study_config
    from analysis.measures import DEFAULT_DICTIONARY, GENERIC_SPEAKERS, SEED_DICTIONARY
    from analysis.study import open_study

    config, _ = _study(tmp_path, extra="frames:\n  negation: true\n")
    study = open_study(config)
    assert len(study.corpus.articles) == 4 and not study.is_seed
    assert study.settings == study_config(config=load_config(config))
    assert study.settings.frames.negation is True
    assert study.dictionary == DEFAULT_DICTIONARY
    assert study.actors is None and study.speakers == GENERIC_SPEAKERS

    seed = open_study()
    assert seed.is_seed and seed.settings.corpus.path == paths.SEED_CORPUS
    assert seed.dictionary == SEED_DICTIONARY
    assert seed.actors == actors.SEED_ACTORS and seed.speakers == quotes.SEED_SPEAKERS

    elsewhere = open_study(config, tmp_path / "corpus.csv")  # the file's mapping, this corpus
    assert len(elsewhere.corpus.articles) == 4 and not elsewhere.is_seed
