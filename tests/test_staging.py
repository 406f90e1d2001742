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
