"""A run's outputs: never over an input, checked before any work, and every way a run can end
(a filesystem error, Ctrl-C, SIGTERM) is one line and an exit status, not a traceback."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis import outputs, paths, pipeline
from analysis.__main__ import main
from benchmarks import synthetic
from tests.test_pipeline import cli

MAPPING = ("--text", "text", "--outlet", "outlet", "--id", "id", "--date", "date")


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """12 synthetic articles in ``data/articles.parquet``."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "articles.parquet"
    pd.DataFrame(synthetic.generate(12, seed=5)).to_parquet(path, index=False)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(done: subprocess.CompletedProcess, *words: str) -> str:
    """The one ``error:`` line of a refused run (status 2), checked to contain ``words``."""
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def test_corpus_file_inside_out_is_refused_and_left_as_it_was(corpus):
    before = digest(corpus)
    done = cli("run", corpus, "--out", corpus.parent, *MAPPING)
    refused(done, "--out", "contains the corpus", str(corpus))
    assert digest(corpus) == before
    assert sorted(p.name for p in corpus.parent.iterdir()) == ["articles.parquet"]


def test_out_equal_to_the_corpus_folder_is_refused_even_spelled_otherwise(corpus):
    folder = corpus.parent
    roundabout = folder / ".." / folder.name / "."
    done = cli("run", folder, "--out", roundabout, *MAPPING)
    refused(done, "--out", "the corpus")
    link = folder.parent / "link"
    link.symlink_to(folder)
    refused(cli("run", corpus, "--out", link, *MAPPING), "--out", "the corpus")
    assert sorted(p.name for p in folder.iterdir()) == ["articles.parquet"]


def test_out_inside_the_corpus_folder_or_figures_over_it_is_refused(corpus, tmp_path):
    refused(cli("run", corpus.parent, "--out", corpus.parent / "results", *MAPPING), "is inside")
    done = cli("run", corpus, "--out", tmp_path / "out", "--figures", corpus.parent, *MAPPING)
    refused(done, "--figures", "the corpus")
    assert not (tmp_path / "out").exists()


def test_out_inside_data_raw_is_refused(corpus):
    target = paths.RAW / "never-written"
    done = cli("run", corpus, "--out", target, *MAPPING)
    refused(done, "--out", "raw data folder")
    assert not target.exists()


@pytest.mark.parametrize(
    ("flag", "builtin"),
    [("--dictionary", "policy_frames.yml"), ("--speakers", "speakers_pakistan_2017.yml")],
)
def test_a_dictionary_or_speakers_file_inside_out_is_refused(corpus, tmp_path, flag, builtin):
    folder = tmp_path / "settings"
    folder.mkdir()
    copy = folder / builtin
    shutil.copyfile(paths.PACKAGE / "lexicons" / builtin, copy)
    before = digest(copy)
    done = cli("run", corpus, "--out", folder, flag, copy, *MAPPING)
    refused(done, "--out", "contains the", str(copy))
    assert digest(copy) == before
    assert sorted(p.name for p in folder.iterdir()) == [builtin]


def test_the_study_file_inside_out_is_refused(corpus, tmp_path):
    folder = tmp_path / "settings"
    folder.mkdir()
    study = folder / "study.yml"
    study.write_text(f"corpus:\n  path: {corpus}\n", encoding="utf-8")
    done = cli("run", "--config", study, "--out", folder, *MAPPING)
    refused(done, "--out", "contains the study file", str(study))
    assert sorted(p.name for p in folder.iterdir()) == ["study.yml"]


def test_out_naming_an_existing_file_is_one_error_line(corpus, tmp_path):
    existing = tmp_path / "results"
    existing.write_text("not a folder\n", encoding="utf-8")
    refused(cli("run", corpus, "--out", existing, *MAPPING), "--out", "is a file, not a folder")
    assert existing.read_text(encoding="utf-8") == "not a folder\n"


def test_an_unwritable_figures_folder_is_found_before_any_table_is_written(corpus, tmp_path):
    out = tmp_path / "out"
    blocker = tmp_path / "somefile"
    blocker.write_text("", encoding="utf-8")
    done = cli("run", corpus, "--out", out, "--figures", blocker / "figs", *MAPPING)
    refused(done, "--figures", str(blocker), "is a file, not a folder")
    assert not out.exists()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not os.access(locked, os.W_OK):  # root writes anyway: the case above covers it
            done = cli("run", corpus, "--out", out, "--figures", locked / "figs", *MAPPING)
            refused(done, "--figures", "no permission to write in")
            assert not out.exists()
    finally:
        locked.chmod(0o700)


def test_check_outputs_skips_inputs_that_are_not_paths(tmp_path):
    frame = pd.DataFrame({"text": ["a"]})
    outputs.check_outputs(
        tmp_path / "out", tmp_path / "figs", {"corpus": frame, "dictionary": "policy_frames"}
    )
    with pytest.raises(outputs.OutputError, match="is inside the corpus"):
        pipeline.run(tmp_path, out=tmp_path / "out")


def test_a_filesystem_error_during_the_run_is_one_line(monkeypatch, corpus, capsys):
    def fail(**kwargs):
        raise PermissionError(13, "Permission denied", "/results/articles.parquet")

    monkeypatch.setattr(pipeline, "run", fail)
    assert main(["run", str(corpus), "--out", "/results"]) == 2
    assert capsys.readouterr().err == "error: /results/articles.parquet: Permission denied\n"


def _reset_sigint() -> None:
    """The child's Ctrl-C as in a terminal (a background job of a shell inherits it ignored),
    in a process group of its own, as a terminal's foreground job is."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.setsid()


@pytest.mark.parametrize(
    ("number", "status", "line"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_a_signal_stops_the_run_its_workers_and_leaves_no_temporary_folder(
    tmp_path, number, status, line
):
    source = tmp_path / "big.parquet"
    pd.DataFrame(synthetic.generate(400, seed=2)).to_parquet(source, index=False)
    temp = tmp_path / "tmp"
    temp.mkdir()
    command = [sys.executable, "-m", "analysis", "run", str(source), "--out", str(tmp_path / "o")]
    command += [*MAPPING, "--jobs", "2", "--partition-size", "50", "-q"]
    child = subprocess.Popen(
        command,
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_reset_sigint,  # noqa: PLW1509 - nothing else runs threads here
    )
    started = time.monotonic()
    while not list(temp.glob("pymp-*")) and time.monotonic() - started < 60:
        time.sleep(0.05)  # the fork server is starting: the workers come next
    assert list(temp.glob("pymp-*")), "the run never started its workers"
    time.sleep(1.5)
    os.killpg(child.pid, number)  # as a terminal's Ctrl-C: to every process of the group
    _, err = child.communicate(timeout=120)
    assert child.returncode == status, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == line
    assert list(temp.iterdir()) == []
    assert _alive_in_session(child.pid) == [], "worker processes outlived the run"


def _alive_in_session(session: int) -> list[str]:
    """The processes of ``session`` still running (not zombies) after up to 5 s: the fork
    server ends when it sees its parent gone."""
    for _ in range(50):
        listing = subprocess.run(
            ["ps", "-s", str(session), "-o", "stat=,args="], capture_output=True, text=True
        )
        alive = [row for row in listing.stdout.splitlines() if not row.startswith("Z")]
        if not alive:
            return []
        time.sleep(0.1)
    return alive


def test_max_chars_is_a_flag_and_a_study_file_key(tmp_path):
    corpus = tmp_path / "long.csv"
    pd.DataFrame({"text": ["word " * 20, "A short text."], "outlet": ["A", "B"]}).to_csv(
        corpus, index=False
    )
    checked = cli("validate", corpus, "--max-chars", "30")
    assert "text longer than 30 characters (100 characters); raise --max-chars" in checked.stdout
    study = tmp_path / "study.yml"
    study.write_text(
        f"corpus:\n  path: {corpus}\n  max_chars: 30\noutput:\n  out: {tmp_path / 'o'}\n"
    )
    done = cli("run", "--config", study, "-q", "--n-resamples", "99")
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(tmp_path / "o" / "rejected.csv")) == 1
    loose = cli("run", "--config", study, "--max-chars", "1000", "-q", "--n-resamples", "99")
    assert loose.returncode == 0 and pd.read_csv(tmp_path / "o" / "rejected.csv").empty
