"""Where things live, computed from the package location (never from the working directory).

``ROOT`` is the checkout that holds the package; ``RAW`` the immutable inputs (the bundled seed
corpus), ``PROCESSED`` the generated tables and ``FIGURES`` the generated figures.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
FIGURES = ROOT / "figures"
NOTEBOOKS = ROOT / "notebooks"
SEED_CORPUS = RAW
