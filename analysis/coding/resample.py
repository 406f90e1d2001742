"""The cluster bootstrap of :mod:`analysis.coding.validate`: resampling articles, with a
unit's article and all its other units together (paragraphs of one article share a writer
and a topic), as weights, so that every resample's statistic is one array operation.

The weighted statistics equal scipy's on the sample the weights stand for (each unit
repeated as often as its article was drawn); ``tests/test_coding_validate.py`` checks it.
"""

from __future__ import annotations

import numpy as np

MIN_ARTICLES_INTERVAL = 30
"""Fewest articles the intervals of F1 and Spearman's rho are reported from. In the coverage
simulation of ``tests/test_coding_validate.py`` (its docstring has the numbers) their 95%
percentile cluster bootstrap covered 0.929-0.941 at 30 and 50 articles."""
MIN_ARTICLES_PEARSON = 75
"""Fewest articles the interval of Pearson's r is reported from: in the same simulation it
covered only 0.925-0.929 at 30 and 50 articles, 0.940-0.952 at 75 and 100."""


def article_interval(
    statistic, n_articles, rng, n_resamples, confidence, *, minimum=MIN_ARTICLES_INTERVAL, chunk=500
):
    """Percentile interval of ``statistic(weights)`` over resamples of articles.

    ``weights`` is (resamples x articles): how often each article was drawn. Returns
    ``(low, high, note)``; NaN with a note below ``minimum`` articles or when fewer than
    half the resamples give a value.
    """
    if n_articles < minimum:
        return np.nan, np.nan, f"fewer than {minimum} articles ({n_articles})"
    values = np.concatenate(
        [
            statistic(article_weights(rng, n_articles, min(chunk, n_resamples - done)))
            for done in range(0, n_resamples, chunk)
        ]
    )
    finite = values[np.isfinite(values)]
    if len(finite) < len(values) / 2:
        return np.nan, np.nan, "undefined in most resamples"
    alpha = (1 - confidence) / 2
    low, high = np.quantile(finite, [alpha, 1 - alpha])
    return float(low), float(high), ""


def article_weights(rng: np.random.Generator, n_articles: int, n_resamples: int) -> np.ndarray:
    """How often each of ``n_articles`` is drawn in each of ``n_resamples`` resamples with
    replacement (resamples x articles, rows summing to ``n_articles``)."""
    drawn = rng.integers(0, n_articles, size=(n_resamples, n_articles))
    offset = np.arange(n_resamples)[:, None] * n_articles
    counts = np.bincount((drawn + offset).ravel(), minlength=n_resamples * n_articles)
    return counts.reshape(n_resamples, n_articles).astype(float)


def weighted_pearson(w: np.ndarray, x, y) -> np.ndarray:
    """Pearson's r of each row's weighted sample (``w``: resamples x units, the number of
    times each unit was drawn), as if the units were repeated that many times."""
    x, y = np.broadcast_to(x, w.shape), np.broadcast_to(y, w.shape)
    total = w.sum(axis=1, keepdims=True)
    mx, my = (w * x).sum(1, keepdims=True) / total, (w * y).sum(1, keepdims=True) / total
    dx, dy = x - mx, y - my
    with np.errstate(invalid="ignore", divide="ignore"):
        return (w * dx * dy).sum(1) / np.sqrt((w * dx * dx).sum(1) * (w * dy * dy).sum(1))


def weighted_ranks(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Mid-ranks of ``x`` within each row's weighted sample (resamples x units)."""
    order = np.argsort(x, kind="stable")
    sorted_x = x[order]
    starts = np.flatnonzero(np.r_[True, sorted_x[1:] != sorted_x[:-1]])
    group = np.empty(len(x), dtype=int)
    group[order] = np.cumsum(np.r_[True, sorted_x[1:] != sorted_x[:-1]]) - 1
    sums = np.add.reduceat(w[:, order], starts, axis=1)
    mid = np.cumsum(sums, axis=1) - (sums - 1) / 2
    return mid[:, group]


def weighted_spearman(w: np.ndarray, x, y) -> np.ndarray:
    """Spearman's rho of each row's weighted sample: Pearson's r of the mid-ranks."""
    return weighted_pearson(w, weighted_ranks(w, x), weighted_ranks(w, y))
