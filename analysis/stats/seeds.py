"""The random stream of each cell of a run (:func:`cell_rng`), so that an interval does not
depend on what else the run computes."""

from __future__ import annotations

import hashlib

import numpy as np


def cell_rng(seed: int, *cell) -> np.random.Generator:
    """The random stream of one cell (an outlet, a measure, a comparison), derived from the
    run's ``seed`` and the cell's names by :class:`numpy.random.SeedSequence`: the same cell
    gets the same draws whatever else the run holds or the order it is computed in, and no
    two cells share draws."""
    key = tuple(
        int.from_bytes(hashlib.blake2b(str(name).encode("utf-8"), digest_size=8).digest(), "big")
        for name in cell
    )
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=key))
