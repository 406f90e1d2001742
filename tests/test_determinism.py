"""Same corpus, same bytes: two runs, and a corpus folder listed or described in another order,
give identical tables, figures, captions, methods text and report; every input is accounted
for in the manifest."""

from __future__ import annotations

import json
import os
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths, pipeline
from analysis.measures import Resampling

SETTINGS = Resampling(n_resamples=199)


def _run(corpus: Path, out: Path) -> dict[str, bytes]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline.run(corpus, out=out, resampling=SETTINGS)
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != "manifest.json"
    }


def _seed_copy(folder: Path, *, metadata_reversed: bool = False) -> Path:
    folder.mkdir()
    names = sorted(p.name for p in paths.SEED_CORPUS.iterdir() if p.suffix == ".txt")
    for name in reversed(names):  # written in the other order
        shutil.copy(paths.SEED_CORPUS / name, folder / name)
    metadata = pd.read_csv(paths.SEED_CORPUS / "metadata.csv", dtype=str, keep_default_na=False)
    if metadata_reversed:
        metadata = metadata.iloc[::-1]
    metadata.to_csv(folder / "metadata.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("first")
    corpus = _seed_copy(root / "corpus")
    return _run(corpus, root / "out"), root


def test_two_runs_give_identical_files(first_run, tmp_path):
    files, root = first_run
    again = _run(root / "corpus", tmp_path / "out")
    assert sorted(files) == sorted(again)
    assert [name for name in files if files[name] != again[name]] == []
    assert any(name.endswith(".parquet") for name in files)
    assert any(name.endswith("report.html") for name in files)


def test_listing_and_metadata_order_do_not_matter(first_run, tmp_path, monkeypatch):
    files, root = first_run
    corpus = root / "corpus"  # the same folder (paths are recorded), rebuilt in another order
    shutil.rmtree(corpus)
    _seed_copy(corpus, metadata_reversed=True)
    real_walk = os.walk

    def reversed_walk(top, *args, **kwargs):
        for folder, dirs, names in real_walk(top, *args, **kwargs):
            yield folder, dirs[::-1], names[::-1]

    monkeypatch.setattr(os, "walk", reversed_walk)
    again = _run(corpus, tmp_path / "out")
    # the report lists metadata.csv's SHA-256, which the reordered rows change
    changed = [name for name in files if files[name] != again.get(name)]
    assert changed in ([], ["figures/report.html"])


def test_the_manifest_accounts_for_every_input(tmp_path):
    corpus = tmp_path / "corpus.csv"
    pd.DataFrame(
        {
            "text": ["A story. It was fine.", "", "Another story.", "A story. It was fine."],
            "outlet": ["A", "A", "B", "B"],
            "id": ["1", "2", "3", "1"],
        }
    ).to_csv(corpus, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline.run(corpus, out=tmp_path / "out", resampling=SETTINGS, figure_names=[])
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]
    assert counts["input_rows"] == 4
    assert counts["articles"] + counts["rejected"] == counts["input_rows"]
    assert sum(manifest["rejections"].values()) == counts["rejected"] >= 1
