"""The main job and the command line, run end to end into temporary folders."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pandas as pd
import pytest

from analysis import measures, pipeline, registry, stats
from analysis.__main__ import main
from analysis.measures import Resampling


def cli(*args: str) -> subprocess.CompletedProcess:
    """Run ``python -m analysis ARGS`` in a subprocess, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_run_on_seed_writes_tables_figures_and_manifest(tmp_path):
    with pytest.warns(
        stats.UndefinedIntervalWarning, match=f"fewer than {stats.MIN_UNITS_MEAN} articles"
    ):
        result = pipeline.run(out=tmp_path, resampling=Resampling(n_resamples=199))
    names = {p.name for p in result.files}
    # all but group_measures (the seed run groups by outlet), the coding tables (no codes)
    # the learned frames (no classifier), the topics (no topic model), the stories and
    # the timeline (off by default)
    absent = {
        *registry.names(made_by="stories"),
        *registry.names(made_by="timeline"),
        "group_measures",
        *registry.names(made_by="coding"),
        *registry.names(made_by="learned"),
        *registry.names(made_by="topics"),
    }
    for table in registry.names():
        assert (f"{table}.parquet" in names) == (table not in absent), table
    for figure in (
        "corpus_overview",
        "tone_by_voice",
        "tone_along_article",
        "actor_tone_heatmap",
        "frame_salience",
        "frame_profile",
        "frame_top_terms",
        "distinctive_terms",
        "fightin_words",
        "tfidf_heatmap",
    ):
        assert {f"{figure}.pdf", f"{figure}.png", f"{figure}.csv"} <= names
    assert "captions.md" in names
    outlet_tone = pd.read_csv(tmp_path / "outlet_tone.csv")
    assert set(outlet_tone["outlet"]) == set(result.tables["articles"]["outlet"])
    assert outlet_tone["ci_low"].isna().all()  # one article per outlet: no article interval
    assert (tmp_path / "figures" / "corpus_overview.pdf").exists()
    sentences = pd.read_parquet(tmp_path / "sentences.parquet")
    articles = pd.read_parquet(tmp_path / "articles.parquet")
    assert len(articles) == 4
    assert set(sentences["voice"]) == {"narrative", "quote", "social"}
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["counts"]["articles"] == 4
    assert manifest["counts"]["input_rows"] == 4
    assert manifest["counts"]["sentences"] == len(sentences)
    assert manifest["parameters"]["tone"]["resampling_unit"] == "article"
    assert manifest["parameters"]["frames"]["dictionary"] == "blasphemy_platforms_2017"
    # every measure's settings, whatever measures there are, as the run resolved them
    recorded = manifest["parameters"]["settings"]
    assert list(recorded) == [f.name for f in dataclasses.fields(measures.Settings)]
    assert recorded["resampling"]["n_resamples"] == 199
    assert recorded["voices"]["speakers"].endswith("speakers_pakistan_2017.yml")
    dictionary = pd.read_csv(tmp_path / "frame_dictionary.csv")
    assert dictionary.loc[0, "categories"] == 7 and "MIT" in dictionary.loc[0, "licence"]
    assert manifest["parameters"]["tone"]["actors"]["path"].endswith("actors_pakistan_2017.yml")
    assert "vaderSentiment" in manifest["versions"]
    assert {"neg", "neu", "pos", "compound"} <= set(sentences.columns)
    assert len(manifest["input"]["files"]) == 6  # 4 texts, metadata.csv, README.md
    assert all(len(f["sha256"]) == 64 for f in manifest["input"]["files"])


def test_run_takes_a_dataframe_with_a_column_mapping(tmp_path):
    frame = pd.DataFrame(
        {
            "story": ["Officials met on Monday. “We agree,” he said.", "Another text here."],
            "paper": ["Daily A", "Daily B"],
        }
    )
    with pytest.warns(stats.UndefinedIntervalWarning):
        result = pipeline.run(
            frame,
            out=tmp_path,
            text="story",
            outlet="paper",
            formats=("png",),
            resampling=Resampling(n_resamples=99),
        )
    assert result.tables["articles"]["outlet"].tolist() == ["Daily A", "Daily B"]
    assert result.tables["sentences"]["voice"].tolist() == ["narrative", "quote", "narrative"]
    assert (tmp_path / "figures" / "corpus_overview.png").exists()
    assert not (tmp_path / "figures" / "corpus_overview.pdf").exists()
    # the seed story's actors are not applied to another corpus
    assert "actor_tone" not in result.tables
    assert not (tmp_path / "figures" / "actor_tone_heatmap.png").exists()
    assert result.manifest["parameters"]["tone"]["actors"] is None
    # and frames use the general Policy Frames dictionary there
    assert set(result.tables["outlet_frames"]["measure"]) >= {"economic", "morality"}


def test_run_with_no_loadable_article_is_a_clear_error(tmp_path):
    corpus = tmp_path / "c.csv"
    corpus.write_text("id,text,outlet\n1,,A\n2,   ,B\n", encoding="utf-8")
    done = cli("run", str(corpus), "--out", str(tmp_path / "o"))
    assert done.returncode == 2, done.stderr
    assert "no article could be loaded" in done.stderr and "2 x empty text" in done.stderr
    assert "Traceback" not in done.stderr


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
    done = cli("validate", str(corpus), "--text", "txt")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and "c.csv" in done.stderr and "txt" in done.stderr


def test_cli_run_into_a_temporary_folder(tmp_path):
    done = cli(
        "run",
        "--out",
        str(tmp_path),
        "--format",
        "svg",
        "--resample",
        "sentence",
        "--n-resamples",
        "199",
    )
    assert done.returncode == 0, done.stderr
    assert "4 articles (0 rejected)" in done.stdout
    assert (tmp_path / "figures" / "corpus_overview.svg").exists()
    assert (tmp_path / "sentences.parquet").exists()
    assert "resample sentences" in (tmp_path / "figures" / "captions.md").read_text()
    assert "Traceback" not in done.stderr
    tone = pd.read_csv(tmp_path / "outlet_tone.csv")
    assert (tone.loc[tone["measure"] == "compound_mean", "unit"] == "sentence").all()
    # 11 to 27 sentences per outlet: too few even at sentence level, so no interval
    mean = tone[tone["measure"] == "compound_mean"]
    assert (mean["n_units"] < stats.MIN_UNITS_MEAN).all() and mean["ci_low"].isna().all()


def test_cli_bad_actor_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "actors.yml"
    bad.write_text("actors:\n  X: {}\n", encoding="utf-8")
    done = cli("run", "--out", str(tmp_path), "--actors", str(bad))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "actors.X.aliases" in done.stderr


def test_cli_frames_with_a_user_dictionary_and_negation(tmp_path):
    dictionary = tmp_path / "mine.dic"
    dictionary.write_text("%\n1\tfaith\n2\tlaw\n%\nblasphem*\t1\ncourt*\t2\n", encoding="utf-8")
    done = cli(
        "run",
        "--out",
        str(tmp_path / "o"),
        "--dictionary",
        str(dictionary),
        "--negation",
        "--n-resamples",
        "99",
        "--format",
        "png",
    )
    assert done.returncode == 0, done.stderr
    frames = pd.read_csv(tmp_path / "o" / "outlet_frames.csv")
    assert set(frames["measure"]) == {"faith", "law"}
    audit = pd.read_csv(tmp_path / "o" / "frame_audit.csv")
    assert set(audit["pattern"]) == {"blasphem*", "court*"}
    bad = tmp_path / "bad.dic"
    bad.write_text("%\n1\tfaith\n%\nblasphem*\t7\n", encoding="utf-8")
    done = cli("run", "--out", str(tmp_path / "p"), "--dictionary", str(bad))
    assert done.returncode == 2
    assert "line 4: category 7 is not in the '%' header" in done.stderr


def test_cli_distinctive_words_by_another_column(tmp_path):
    corpus = tmp_path / "c.csv"
    rows = ["text,outlet,lean"]
    for i in range(6):
        lean = "left" if i % 2 else "right"
        words = "tax cuts help families" if lean == "right" else "climate action now"
        rows.append(f'"{words} and more {words}. Paper {i} wrote.",Paper {i},{lean}')
    corpus.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = cli(
        "run",
        str(corpus),
        "--out",
        str(tmp_path / "o"),
        "--group-by",
        "lean",
        "--n-resamples",
        "99",
        "--format",
        "png",
    )
    assert done.returncode == 0, done.stderr
    scores = pd.read_csv(tmp_path / "o" / "term_scores.csv")
    assert set(scores["comparison"]) == {"left vs rest", "right vs rest"}
    right = scores[scores["comparison"] == "right vs rest"].set_index("term")
    assert right.loc["tax cuts", "z"] > 0 > right.loc["climate action", "z"]
    settings = pd.read_csv(tmp_path / "o" / "term_settings.csv")
    assert settings.loc[0, "group_by"] == "lean" and settings.loc[0, "pair"] == "left vs right"
    done = cli("run", str(corpus), "--out", str(tmp_path / "p"), "--group-by", "colour")
    assert done.returncode == 2 and "no column 'colour'" in done.stderr
