"""Progress bars for the long loops, shown on a terminal only.

A bar appears when standard error is a terminal (tqdm's ``disable=None``), so tests,
notebooks and logs stay quiet; ``python -m analysis run -q`` turns bars off everywhere by
setting tqdm's own ``TQDM_DISABLE`` environment variable, read here each time a bar is made
(tqdm itself reads it once, at import, and only as a default). The engines' worker
processes set it, so only the process that combines the partitions draws bars.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def enabled() -> bool | None:
    """False when ``TQDM_DISABLE`` is set, else None (tqdm: only on a terminal)."""
    return False if os.environ.get("TQDM_DISABLE", "") not in ("", "0") else None


def bar(
    items: Iterable[T] | None = None,
    *,
    total: int | None = None,
    desc: str = "articles",
    unit: str = "art",
) -> tqdm:
    """``items``, with a progress bar on a terminal (updated at most once a second).

    Without ``items``, a bar to advance by hand (``.update(n)``, then ``.close()``).
    """
    return tqdm(
        items,
        total=total,
        desc=desc,
        unit=unit,
        disable=None if enabled() is None else True,
        leave=False,
        mininterval=1.0,
        dynamic_ncols=True,
    )


class Stages:
    """Seconds per stage of a run, each logged in one line when it ends (shown by the
    command line unless ``-q``)::

        stages = Stages(log)
        with stages.timed("figures") as said:
            ...
            said.append(f"{n} figures")
    """

    def __init__(self, log: logging.Logger):
        self.log = log
        self.seconds: dict[str, float] = {}

    def record(self, stage: str, seconds: float, text: str) -> None:
        """A stage timed elsewhere (e.g. CPU seconds summed over workers)."""
        self.seconds[stage] = seconds
        self.log.info("%-18s %7.1f s  %s", stage, seconds, text)

    @contextlib.contextmanager
    def timed(self, stage: str) -> Iterator[list[str]]:
        """Time the block; what it appends to the list it is given is the stage's line."""
        said: list[str] = []
        started = time.perf_counter()
        yield said
        self.record(stage, time.perf_counter() - started, " ".join(said))
