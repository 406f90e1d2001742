"""Progress bars for the long per-article loops, shown on a terminal only.

A bar appears when standard error is a terminal (tqdm's ``disable=None``), so tests,
notebooks and logs stay quiet; ``python -m analysis run -q`` turns bars off everywhere by
setting tqdm's own ``TQDM_DISABLE`` environment variable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def bar(items: Iterable[T], *, total: int | None = None, desc: str = "articles") -> Iterable[T]:
    """``items``, with a progress bar on a terminal (updated at most once a second)."""
    return tqdm(
        items,
        total=total,
        desc=desc,
        unit="art",
        disable=None,
        leave=False,
        mininterval=1.0,
        dynamic_ncols=True,
    )
