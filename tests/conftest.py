"""Shared fixtures: the bundled seed corpus and tiny hand-written texts."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

from analysis import paths

matplotlib.use("Agg")

ALLSIDES = Path(
    os.environ.get(
        "FRAMING_ALLSIDES",
        paths.ROOT.parent / "shared" / "data" / "allsides_baly2020" / "articles_sample50.jsonl.xz",
    )
)


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return paths.RAW


@pytest.fixture(scope="session")
def seed_texts(seed_dir) -> dict[str, str]:
    """The four seed articles' raw texts, by file name."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(seed_dir.glob("*.txt"))}
