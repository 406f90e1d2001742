"""Every notebook runs top to bottom, is committed without outputs and takes parameters."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import papermill
import pytest

from analysis import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(autouse=True)
def _this_environments_kernel(monkeypatch):
    # A user-wide "python3" kernel could point at another Python; use this environment's.
    monkeypatch.setenv("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))


def test_there_are_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert names[:7] == [
        "00-start-here.ipynb",
        "01-corpus.ipynb",
        "02-tone.ipynb",
        "03-frames.ipynb",
        "04-distinctive-words.ipynb",
        "05-voices.ipynb",
        "06-paper-figures.ipynb",
    ]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert "parameters" in code[0]["metadata"].get("tags", [])
    assert "corpus_path" in "".join(code[0]["source"])
    assert "config_path" in "".join(code[0]["source"])
    assert not any("def " in "".join(c["source"]) for c in code), "notebooks define no functions"
    assert not any("figures/" in "".join(c["source"]) for c in code)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_written_for_a_student(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    opening = "".join(cells[0]["source"]).lower()
    assert "../docs/glossary.md" in opening, "the first cell links the glossary"
    assert (paths.ROOT / "docs" / "glossary.md").is_file()
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown").lower()
    assert "exercise" in text
    answers = paths.NOTEBOOKS / "answers" / notebook.with_suffix(".md").name
    assert answers.is_file() and answers.name in text, "exercises say where their answers are"
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    # under each figure: its caption and how to read it
    assert code.count("figures.draw(") == code.count("figures.describe(")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_the_seed_corpus(notebook, tmp_path):
    before = sorted(paths.FIGURES.iterdir()) if paths.FIGURES.exists() else []
    papermill.execute_notebook(
        str(notebook),
        str(tmp_path / notebook.name),
        cwd=str(paths.NOTEBOOKS),
        progress_bar=False,
        kernel_name="python3",
    )
    after = sorted(paths.FIGURES.iterdir()) if paths.FIGURES.exists() else []
    assert before == after, "notebooks never write into figures/"
    # every figure a cell draws is displayed, once
    ran = json.loads((tmp_path / notebook.name).read_text(encoding="utf-8"))["cells"]
    shown = []
    for cell in ran:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        images = [
            out["data"]["image/png"]
            for out in cell["outputs"]
            if "image/png" in out.get("data", {})
        ]
        shown.extend(images)
        if "Image(" in source:  # a cell showing saved figure files: at least one
            assert images, source
        else:  # a figure cell shows each figure it draws once; no other cell shows an image
            assert len(images) == source.count("figures.draw("), source
        if images and "figures.describe(" in source:  # how to read it comes under the figure
            kinds = [
                "image"
                if "image/png" in out.get("data", {})
                else "how"
                if "How to read this" in "".join(out.get("text", ""))
                else ""
                for out in cell["outputs"]
            ]
            assert kinds.index("image") < kinds.index("how"), source
    assert len(set(shown)) == len(shown), "no figure is shown twice"


def test_corpus_notebook_takes_another_corpus(tmp_path):
    corpus = tmp_path / "mine.csv"
    pd.DataFrame(
        {
            "text": ["A short text. “Quoted words here,” she said.", "Other words."],
            "outlet": ["Paper A", "Paper B"],
        }
    ).to_csv(corpus, index=False)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(paths.NOTEBOOKS / "01-corpus.ipynb"),
        str(out),
        parameters={"corpus_path": str(corpus)},
        cwd=str(paths.NOTEBOOKS),
        progress_bar=False,
        kernel_name="python3",
    )
    text = out.read_text(encoding="utf-8")
    assert "Paper A" in text and "Paper B" in text


def test_tone_notebook_on_a_corpus_with_article_level_intervals(tmp_path):
    corpus = tmp_path / "mine.csv"
    pd.DataFrame(
        {
            "text": [
                "Officials praised the wonderful plan. Critics called it a disaster.",
                "The ministry welcomed the good news. Facebook agreed.",
                "Activists condemned the terrible arrests. The court refused bail.",
                "Bloggers were threatened with death. Twitter said nothing.",
            ],
            "outlet": ["Paper A", "Paper A", "Paper B", "Paper B"],
        }
    ).to_csv(corpus, index=False)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(paths.NOTEBOOKS / "02-tone.ipynb"),
        str(out),
        parameters={"corpus_path": str(corpus), "n_resamples": 199},
        cwd=str(paths.NOTEBOOKS),
        progress_bar=False,
        kernel_name="python3",
    )
    text = out.read_text(encoding="utf-8")
    assert "Paper A" in text and "Paper B" in text
    assert "interval undefined" not in text  # two articles per outlet: intervals defined


def test_frames_notebook_with_another_corpus_and_dictionary(tmp_path):
    corpus = tmp_path / "mine.csv"
    pd.DataFrame(
        {
            "text": [
                "The tax cut helps the economy. Voters in the poll disagreed.",
                "Police arrested the suspect. The court will rule on the crime.",
                "The budget deficit grew. Jobs and wages fell.",
            ],
            "outlet": ["Paper A", "Paper B", "Paper A"],
        }
    ).to_csv(corpus, index=False)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(paths.NOTEBOOKS / "03-frames.ipynb"),
        str(out),
        parameters={"corpus_path": str(corpus), "dictionary": "policy_frames", "n_resamples": 99},
        cwd=str(paths.NOTEBOOKS),
        progress_bar=False,
        kernel_name="python3",
    )
    text = out.read_text(encoding="utf-8")
    assert "crime_and_punishment" in text and "Paper B" in text


def test_voices_notebook_with_a_study_file_and_its_column_mapping(tmp_path):
    pd.DataFrame(
        {
            "body": [
                '"We will not back down," the minister said. Critics called it "censorship".',
                'Activists said the ban was wrong. "It is a disaster," one activist said.',
            ],
            "paper": ["Paper A", "Paper B"],
        }
    ).to_csv(tmp_path / "mine.csv", index=False)
    study = tmp_path / "study.yml"
    study.write_text("corpus:\n  path: mine.csv\n  text: body\n  outlet: paper\n", encoding="utf-8")
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(paths.NOTEBOOKS / "05-voices.ipynb"),
        str(out),
        parameters={"config_path": str(study), "n_resamples": 99},
        cwd=str(paths.NOTEBOOKS),
        progress_bar=False,
        kernel_name="python3",
    )
    text = out.read_text(encoding="utf-8")
    assert "Paper A" in text and "censorship" in text and "government" in text
