"""The main job and the command line, run end to end into temporary folders."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from analysis import pipeline
from analysis.__main__ import main


def test_run_on_seed_writes_tables_figures_and_manifest(tmp_path):
    result = pipeline.run(out=tmp_path)
    names = {p.name for p in result.files}
    for table in ("articles", "sentences", "clean_audit", "rejected", "repairs"):
        assert f"{table}.parquet" in names
    assert {"corpus_overview.pdf", "corpus_overview.png", "corpus_overview.csv"} <= names
    assert (tmp_path / "figures" / "corpus_overview.pdf").exists()
    sentences = pd.read_parquet(tmp_path / "sentences.parquet")
    articles = pd.read_parquet(tmp_path / "articles.parquet")
    assert len(articles) == 4
    assert set(sentences["voice"]) == {"narrative", "quote", "social"}
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["counts"]["articles"] == 4
    assert manifest["counts"]["input_rows"] == 4
    assert manifest["counts"]["sentences"] == len(sentences)
    assert len(manifest["input"]["files"]) == 6  # 4 texts, metadata.csv, README.md
    assert all(len(f["sha256"]) == 64 for f in manifest["input"]["files"])


def test_run_takes_a_dataframe_with_a_column_mapping(tmp_path):
    frame = pd.DataFrame(
        {
            "story": ["Officials met on Monday. “We agree,” he said.", "Another text here."],
            "paper": ["Daily A", "Daily B"],
        }
    )
    result = pipeline.run(frame, out=tmp_path, text="story", outlet="paper", formats=("png",))
    assert result.tables["articles"]["outlet"].tolist() == ["Daily A", "Daily B"]
    assert result.tables["sentences"]["voice"].tolist() == ["narrative", "quote", "narrative"]
    assert (tmp_path / "figures" / "corpus_overview.png").exists()
    assert not (tmp_path / "figures" / "corpus_overview.pdf").exists()


def test_validate_prints_outlets_and_every_rejection(tmp_path, capsys):
    corpus = tmp_path / "c.csv"
    corpus.write_text(
        "id,text,outlet,date\n1,Some text.,Daily A,2020-01-02\n2,,Daily B,2020-01-03\n"
        "3,More text.,Daily B,not a date\n",
        encoding="utf-8",
    )
    assert main(["validate", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "Daily A" in out and "Daily B" in out
    assert "inputs: 3  loaded: 2  rejected: 1  unaccounted: 0" in out
    assert "c.csv, row 3" in out and "empty" in out
    assert "not a date" in out


def test_cli_error_is_one_clear_line_without_traceback(tmp_path):
    corpus = tmp_path / "c.csv"
    corpus.write_text("id,body2\n1,x\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "validate", str(corpus), "--text", "txt"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and "c.csv" in done.stderr and "txt" in done.stderr


def test_cli_run_into_a_temporary_folder(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--out", str(tmp_path), "--format", "svg"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "4 articles (0 rejected)" in done.stdout
    assert (tmp_path / "figures" / "corpus_overview.svg").exists()
    assert (tmp_path / "sentences.parquet").exists()
