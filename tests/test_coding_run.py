"""A run given coders' codes (--codes): tables, figure, report section, methods paragraph."""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

from analysis import actors, paths, pipeline
from analysis.__main__ import main
from analysis.measures import SEED_DICTIONARY
from analysis.settings import Resampling

SEED_CODES = paths.PACKAGE / "codebooks" / "seed_coding"


@pytest.fixture(scope="module")
def coded_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("coded")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # four articles: the outlet intervals are missing
        result = pipeline.run(
            out=out / "tables",
            figures_dir=out / "figures",
            figure_names=["measures_vs_coders", "corpus_overview"],
            resampling=Resampling(n_resamples=199),
            codes=SEED_CODES,
            jobs=1,
        )
    return out, result


def test_the_run_writes_the_coding_tables(coded_run):
    out, result = coded_run
    reliability = pd.read_parquet(out / "tables" / "coding_reliability.parquet")
    assert len(reliability) == 11  # every variable but the free-text speaker
    tone = reliability.set_index("variable").loc["tone"]
    assert 0.9 < tone["alpha"] <= 1 and tone["ci_low"] < tone["alpha"] < tone["ci_high"]
    validation = pd.read_csv(out / "tables" / "coding_validation.csv")
    headline = validation[validation["headline"]].set_index("variable")
    assert headline.loc["frame_violence", "estimate"] == pytest.approx(1.0)
    assert headline.loc["tone", "ceiling"] > headline.loc["tone", "estimate"]
    assert (out / "tables" / "coding_disagreements.csv").is_file()
    assert set(result.manifest["parameters"]["coding"]["units"]) == {"paragraph", "sentence"}


def test_the_figure_report_and_methods_show_the_check(coded_run):
    out, _ = coded_run
    assert (out / "figures" / "measures_vs_coders.png").is_file()
    page = (out / "figures" / "report.html").read_text(encoding="utf-8")
    assert '<section id="coding">' in page and 'href="#coding"' in page
    assert 'id="measures_vs_coders"' in page
    methods = (out / "figures" / "methods.md").read_text(encoding="utf-8")
    section = methods[methods.index("## Checked against coders") :]
    assert "2 coders coded 4 articles from 4 outlets (51 paragraphs and 78 sentences)" in section
    assert "tone 0.95 [" in section and "Krippendorff, K. (2004)" in methods


def test_codes_of_another_corpus_are_refused(tmp_path, capsys):
    corpus = tmp_path / "other.csv"
    pd.DataFrame({"text": ["One text. Two sentences."] * 2, "outlet": ["A", "B"]}).to_csv(
        corpus, index=False
    )
    argv = ["run", str(corpus), "--codes", str(SEED_CODES), "--out", str(tmp_path / "o"), "-q"]
    assert main(argv) == 2  # the other corpus's run has the generic dictionary and no actors
    error = capsys.readouterr().err
    assert "the codebook 'seed_story' checks measures this run does not compute" in error
    assert "frame_religion checks the frame 'religion_and_the_sacred', which the run's " in error
    assert "tone_facebook checks the tone toward 'Facebook', not an actor of the run" in error
    assert not (tmp_path / "o").exists()
    seed_files = ["--dictionary", str(SEED_DICTIONARY), "--actors", str(actors.SEED_ACTORS)]
    assert main([*argv, *seed_files]) == 2
    assert "4 coded articles are not in this run's corpus" in capsys.readouterr().err
    assert not (tmp_path / "o" / "manifest.json").exists()  # refused before the map


def test_malformed_codes_fail_before_any_work(tmp_path, capsys):
    codes = tmp_path / "codes"
    shutil.copytree(SEED_CODES, codes)
    sheet = pd.read_csv(codes / "coder_a_paragraph.csv", dtype=str, keep_default_na=False)
    sheet.loc[3, "tone"] = "7"
    sheet.to_csv(codes / "coder_a_paragraph.csv", index=False, encoding="utf-8-sig")
    assert main(["run", "--codes", str(codes), "--out", str(tmp_path / "o"), "-q"]) == 2
    error = capsys.readouterr().err
    assert "coder_a_paragraph.csv, row 5, column 'tone': '7' is not one of -2 (very" in error
    assert not (tmp_path / "o").exists()


def test_the_output_folder_cannot_be_the_codes_folder(tmp_path, capsys):
    codes = tmp_path / "codes"
    shutil.copytree(SEED_CODES, codes)
    assert main(["run", "--codes", str(codes), "--out", str(codes), "-q"]) == 2
    assert "coding sheets" in capsys.readouterr().err


def test_cells_read_otherwise_and_uncoded_units_are_warned_and_listed(tmp_path, capsys):
    codes = tmp_path / "codes"
    shutil.copytree(SEED_CODES, codes)
    sheet = pd.read_csv(codes / "coder_b_paragraph.csv", dtype=str, keep_default_na=False)
    sheet.loc[0, "tone"] = "Very negative"  # a label for -2
    sheet.drop(index=5).to_csv(codes / "coder_b_paragraph.csv", index=False, encoding="utf-8-sig")
    out = tmp_path / "o"
    argv = ["run", "--codes", str(codes), "--out", str(out), "--figures", str(out / "f"), "-q"]
    assert main([*argv, "--format", "png"]) == 0
    error = capsys.readouterr().err
    assert (
        "coding: 1 cell of the coders' sheets read other than written (first: "
        "coder_b_paragraph.csv, row 2, column 'tone': 'Very negative' read as -2)" in error
    )
    assert "coding: 1 unit given to coders was not coded (coder_b 1)" in error
    listed = pd.read_csv(out / "warnings.csv")
    gaps = listed[listed["message"].str.startswith("coding: 1 unit ")]
    assert gaps["reason"].tolist() == ["missing from the sheet"]
    methods = (out / "f" / "methods.md").read_text(encoding="utf-8")
    assert "1 unit given to a coder was left uncoded (listed in warnings.csv)" in methods
