"""A run's outputs appear whole or not at all (analysis.staging)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from analysis import staging


def _previous_run(out, figures):
    """An output folder as an earlier run left it, plus a user's own file."""
    figures.mkdir(parents=True)
    (out / "articles.parquet").write_text("old articles")
    (out / "actor_tone.parquet").write_text("old actors")  # this run will not write it
    (figures / "tone.png").write_text("old figure")
    (out / "my notes.txt").write_text("mine")  # no run wrote it
    outputs = [out / "articles.parquet", out / "actor_tone.parquet", figures / "tone.png"]
    (out / "manifest.json").write_text(json.dumps({"outputs": [str(p) for p in outputs]}))


@pytest.mark.parametrize("inside", [True, False], ids=["figures inside out", "apart"])
def test_publish_replaces_the_previous_run_and_keeps_what_no_run_wrote(tmp_path, inside):
    out = tmp_path / "out"
    figures = out / "figures" if inside else tmp_path / "figs"
    out.mkdir()
    _previous_run(out, figures)
    with staging.staged(out, figures) as stage:
        assert stage.out != out and stage.figures != figures
        (stage.out / "articles.parquet").write_text("new articles")
        (stage.figures / "tone.png").write_text("new figure")
        (stage.out / "manifest.json").write_text("{}")
        # nothing is published before the run says so
        assert (out / "articles.parquet").read_text() == "old articles"
        published = stage.publish()
    assert published[-1] == out / "manifest.json"  # the manifest comes last
    assert (out / "articles.parquet").read_text() == "new articles"
    assert (figures / "tone.png").read_text() == "new figure"
    assert not (out / "actor_tone.parquet").exists()  # stale: the new manifest would not list it
    assert (out / "my notes.txt").read_text() == "mine"
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == (["out"] if inside else ["figs", "out"])  # no staging folder
    assert not (out / staging.LOCK_NAME).exists()


def test_a_run_that_fails_leaves_the_folders_as_they_were(tmp_path):
    out, figures = tmp_path / "out", tmp_path / "out" / "figures"
    out.mkdir()
    _previous_run(out, figures)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(KeyboardInterrupt), staging.staged(out, figures) as stage:
        (stage.out / "articles.parquet").write_text("half a run")
        raise KeyboardInterrupt
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_second_run_into_the_same_folder_stops_at_once(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    running = os.getppid()  # a live process that holds the folder, as another run would
    (out / staging.LOCK_NAME).write_text(f"{running}\n")
    busy = pytest.raises(staging.OutputFolderBusy, match=f"another run \\(process {running}\\)")
    with busy, staging.staged(out, out / "figures"):
        pass
    assert (out / staging.LOCK_NAME).read_text() == f"{running}\n"  # not taken from it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    (out / staging.LOCK_NAME).write_text(dead)
    with staging.staged(out, out / "figures") as stage:
        assert stage.out.is_dir()


# --- the main job, published whole -------------------------------------------------------


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_rerun_replaces_the_previous_run_and_keeps_the_users_files(tmp_path):
    from analysis import pipeline

    out = tmp_path / "out"
    pipeline.run(out=out, figure_names=["corpus_overview"])
    (out / "my notes.txt").write_text("mine")
    first = json.loads((out / "manifest.json").read_text())
    assert (out / "figures" / "corpus_overview.png").exists()
    pipeline.run(out=out, figure_names=["tone_by_voice"])
    second = json.loads((out / "manifest.json").read_text())
    assert not (out / "figures" / "corpus_overview.png").exists()  # the first run's, stale
    assert (out / "figures" / "tone_by_voice.png").exists()
    assert (out / "my notes.txt").read_text() == "mine"
    listed = {str(p) for p in second["outputs"]}
    on_disk = {str(p) for p in out.rglob("*") if p.is_file() and p.name != "my notes.txt"}
    assert listed == on_disk - {str(out / "manifest.json")} and first != second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder
    assert "partial" not in (out / "manifest.json").read_text()


def test_a_run_that_fails_late_leaves_the_previous_run_untouched(tmp_path, monkeypatch):
    from analysis import explorer, pipeline

    out = tmp_path / "out"
    pipeline.run(out=out, figure_names=[])
    before = _files(out)

    def broken(*args, **kwargs):
        raise RuntimeError("the explorer failed")

    monkeypatch.setattr(explorer, "write_explorer", broken)  # after every table is written
    with pytest.raises(RuntimeError, match="explorer failed"):
        pipeline.run(out=out, figure_names=["corpus_overview"])
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("after", [0.5, 3.0, 5.0, 12.0])  # imports, load, map, figures
def test_a_run_interrupted_at_any_point_leaves_the_folder_as_it_was(tmp_path, after):
    import signal
    import time

    import pandas as pd

    from benchmarks import synthetic
    from tests.test_outputs import MAPPING, _reset_sigint

    source = tmp_path / "corpus.parquet"
    pd.DataFrame(synthetic.generate(300, seed=3)).to_parquet(source, index=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"outputs": []}')  # an earlier run, as far as we know
    (out / "articles.parquet").write_text("earlier")
    before = _files(out)
    command = [sys.executable, "-m", "analysis", "run", str(source), "--out", str(out)]
    child = subprocess.Popen(
        [*command, *MAPPING, "--jobs", "2", "--partition-size", "50", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_reset_sigint,  # noqa: PLW1509 - nothing else runs threads here
    )
    time.sleep(after)
    os.killpg(child.pid, signal.SIGINT)
    _, err = child.communicate(timeout=180)
    if child.returncode == 0:  # it finished first: then the folder holds the new run, whole
        assert json.loads((out / "manifest.json").read_text())["outputs"]
        return
    # 130, or death by SIGINT itself (-2), which a shell also reports as 130
    assert child.returncode in (130, -signal.SIGINT), err
    assert "Traceback" not in err and err.strip().splitlines()[-1] == "interrupted"
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.parquet", "out"]


def test_the_staging_folder_of_a_killed_run_is_removed_by_the_next(tmp_path):
    out = tmp_path / "out"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    killed = tmp_path / f".out.partial-{dead}"
    killed.mkdir()
    (killed / "articles.parquet").write_text("half a run")
    running = tmp_path / f".out.partial-{os.getppid()}"  # a live process: not ours to remove
    running.mkdir()
    with staging.staged(out, out / "figures"):
        assert not killed.exists() and running.exists()
