"""How much of each outlet's coverage each topic takes: the outlet's mean proportion with a
bootstrap interval over its articles, and its difference from the other outlets' articles
with a permutation test, adjusted over every outlet and topic tested."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.settings import N_RESAMPLES
from analysis.stats import adjust_p, cell_rng, summarize_columns
from analysis.stats.limits import MIN_UNITS_MEAN

OUTLET_COLUMNS = [
    "outlet",
    "topic",
    "label",
    "estimate",
    "ci_low",
    "ci_high",
    "n_articles",
    "rest",
    "difference",
    "p",
    "q",
]
MIN_TESTED = MIN_UNITS_MEAN
"""Fewest articles with proportions an outlet needs to be tested against the rest (the
same floor as a mean's interval)."""


def article_proportions(
    theta: np.ndarray, articles: np.ndarray, weights: np.ndarray
) -> pd.DataFrame:
    """Each article's topic proportions from its documents' (``theta``: documents x
    topics; ``articles``: each document's article): the documents' mean weighted by
    ``weights`` (their word counts; one document per article: its own proportions). An
    article none of whose documents has proportions has NaN."""
    codes, ids = pd.factorize(pd.Series(articles, dtype=object), sort=False)
    known = np.isfinite(theta).all(axis=1) & (weights > 0)
    w = np.where(known, weights, 0.0)
    sums = np.zeros((len(ids), theta.shape[1]))
    np.add.at(sums, codes[known], theta[known] * w[known, None])
    totals = np.bincount(codes, weights=w, minlength=len(ids))
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(
            totals[:, None] > 0, sums / np.where(totals > 0, totals, 1)[:, None], np.nan
        )
    single = np.bincount(codes, minlength=len(ids)) == 1
    first = np.full(len(ids), -1)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    values[single] = theta[first[single]]
    frame = pd.DataFrame(values, columns=[str(t) for t in range(1, theta.shape[1] + 1)])
    frame.insert(0, "article_id", np.asarray(ids, dtype=object))
    return frame


def long_proportions(wide: pd.DataFrame, k: int) -> pd.DataFrame:
    """``article_topics`` rows (article by article, topics 1..k) from the wide form."""
    values = wide[[str(t) for t in range(1, k + 1)]].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "article_id": np.repeat(wide["article_id"].to_numpy(dtype=object), k),
            "outlet": np.repeat(wide["outlet"].to_numpy(dtype=object), k),
            "topic": np.tile(np.arange(1, k + 1, dtype=np.int64), len(wide)),
            "proportion": values.ravel(),
        }
    )


def outlet_topics(
    proportions: pd.DataFrame,
    labels: list[str],
    *,
    confidence: float = 0.95,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
    map_fn=map,
) -> pd.DataFrame:
    """Each outlet's mean topic proportions, and each against the rest.

    Parameters
    ----------
    proportions : DataFrame
        One row per article: ``article_id``, ``outlet`` and a column ``"1"`` ... ``"k"`` per
        topic (NaN for an article with none of the model's words).
    labels : list of str
        The topics' labels, in order.
    map_fn : callable
        ``map`` or an executor's, for the blocks of shuffles of :func:`permutation_p`.

    Returns
    -------
    DataFrame
        ``outlet_topics``: ``outlet``, ``topic`` (1..k), ``label``, ``estimate`` (mean
        proportion over the outlet's articles), ``ci_low``, ``ci_high`` (studentized
        bootstrap over them, :func:`analysis.stats.summarize_columns`; missing below
        :data:`~analysis.stats.limits.MIN_UNITS_MEAN` articles), ``n_articles``, ``rest``
        (the mean over every other article), ``difference`` (estimate - rest), ``p`` (two
        sided: :func:`permutation_p`) and ``q`` (``p`` adjusted by Benjamini-Hochberg over
        every outlet and topic tested). Outlets with fewer than :data:`MIN_TESTED` articles
        are not tested (``p`` and ``q`` missing).
    """
    topics = [str(t) for t in range(1, len(labels) + 1)]
    usable = proportions.dropna(subset=topics).reset_index(drop=True)
    means = summarize_columns(
        usable,
        topics,
        by="outlet",
        confidence=confidence,
        n_resamples=n_resamples,
        seed=seed,
    )
    means = means.rename(columns={"measure": "topic"})
    means["topic"] = means["topic"].astype("int64")
    values = usable[topics].to_numpy(dtype=float)
    codes, outlets = pd.factorize(usable["outlet"], sort=True)
    sizes = np.bincount(codes, minlength=len(outlets))
    difference, rest = _differences(values, codes, len(outlets))
    tested = sizes >= MIN_TESTED
    p = np.full(difference.shape, np.nan)
    if tested.any() and len(outlets) > 1:
        p[tested] = permutation_p(
            values,
            codes,
            len(outlets),
            rows=np.flatnonzero(tested),
            n_resamples=n_resamples,
            seed=seed,
            map_fn=map_fn,
        )
    q = np.full(p.shape, np.nan)
    finite = np.isfinite(p)
    q[finite] = adjust_p(p[finite])
    tests = pd.DataFrame(
        {
            "outlet": np.repeat(np.asarray(outlets, dtype=object), len(topics)),
            "topic": np.tile(np.arange(1, len(topics) + 1), len(outlets)),
            "rest": rest.ravel(),
            "difference": difference.ravel(),
            "p": p.ravel(),
            "q": q.ravel(),
        }
    )
    out = means.merge(tests, on=["outlet", "topic"], how="left")
    out["label"] = [labels[t - 1] for t in out["topic"]]
    out = out.sort_values(["outlet", "topic"], ignore_index=True)
    return out[OUTLET_COLUMNS].astype({"outlet": str, "n_articles": "int64"})


def _differences(values: np.ndarray, codes: np.ndarray, n_groups: int):
    """(groups x topics) each group's mean minus the mean of every other row, and that
    other mean."""
    n = len(values)
    indicator = sparse.csr_matrix(
        (np.ones(n), codes, np.arange(n + 1)), shape=(n, n_groups)
    ).T.tocsr()
    sums = indicator @ values
    sizes = np.bincount(codes, minlength=n_groups)[:, None].astype(float)
    total = values.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = sums / sizes
        rest = (total - sums) / (n - sizes)
    return own - rest, rest


def permutation_p(
    values: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    *,
    rows: np.ndarray,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
    map_fn=map,
) -> np.ndarray:
    """Two-sided permutation p-values of each group's mean against the rest, per column.

    The group labels are shuffled across the rows ``n_resamples`` times, in blocks of
    :data:`SHUFFLES_PER_BLOCK`, each block with its own stream
    (:func:`analysis.stats.cell_rng` of ``"topics"``, ``"permutation"`` and the block), so
    that the blocks can run on several cores (``map_fn``) and give the same p-values; a
    p-value is ``(1 + shuffles with an absolute difference at least the observed) / (1 +
    n_resamples)`` (Phipson & Smyth 2010), so it is never 0 and holds its level exactly
    when the rows are exchangeable.

    Parameters
    ----------
    values : ndarray
        (rows x columns).
    codes : ndarray of int
        Each row's group, 0..n_groups-1.
    rows : ndarray of int
        The groups tested.
    map_fn : callable
        ``map`` or an executor's: the blocks are independent.

    Returns
    -------
    ndarray
        (len(rows) x columns).
    """
    blocks = [
        (values, codes, n_groups, rows, start, min(SHUFFLES_PER_BLOCK, n_resamples - start), seed)
        for start in range(0, n_resamples, SHUFFLES_PER_BLOCK)
    ]
    exceed = sum(map_fn(_exceeding, blocks), np.zeros((len(rows), values.shape[1]), np.int64))
    return (1 + exceed) / (1 + n_resamples)


SHUFFLES_PER_BLOCK = 1000
"""Shuffles per block of :func:`permutation_p` (each block has its own random stream)."""


def _exceeding(block) -> np.ndarray:
    """How many of one block's shuffles give each tested group and column an absolute
    difference at least the observed one."""
    values, codes, n_groups, rows, start, size, seed = block
    difference, _ = _differences(values, codes, n_groups)
    observed = np.abs(difference[rows])
    n = len(codes)
    tested = np.isin(codes, rows)
    position = np.full(n_groups, -1)
    position[rows] = np.arange(len(rows))
    # shuffling the labels is shuffling the rows under fixed labels: each tested group's
    # sum is then one sparse product with the shuffled rows
    indicator = sparse.csr_matrix(
        (np.ones(tested.sum()), (position[codes[tested]], np.flatnonzero(tested))),
        shape=(len(rows), n),
    )
    sizes = np.bincount(codes, minlength=n_groups)[rows][:, None].astype(float)
    total = values.sum(axis=0)
    rng = cell_rng(seed, "topics", "permutation", start // SHUFFLES_PER_BLOCK)
    exceed = np.zeros(observed.shape, np.int64)
    tolerance = 1e-12 * np.maximum(1.0, observed)
    for _ in range(size):
        sums = indicator @ values[rng.permutation(n)]
        shuffled = sums / sizes - (total - sums) / (n - sizes)
        exceed += np.abs(shuffled) >= observed - tolerance
    return exceed


def topic_shares(outlet_topics: pd.DataFrame) -> pd.Series:
    """Each topic's share of all articles' words: the outlets' means (``outlet_topics``)
    weighted by their articles; indexed by topic."""
    known = outlet_topics.dropna(subset=["estimate"])
    weight = known["n_articles"].astype(float)
    total = (known["estimate"] * weight).groupby(known["topic"]).sum()
    return total / weight.groupby(known["topic"]).sum().replace(0, np.nan)


def community_shares(
    proportions: pd.DataFrame,
    communities: pd.DataFrame,
    *,
    confidence: float = 0.95,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
) -> pd.DataFrame:
    """Each outlet's share of coverage in each community of topics (the sum of the
    community's topic proportions), with bootstrap intervals over the outlet's articles.

    Parameters
    ----------
    proportions : DataFrame
        As :func:`outlet_topics` reads it.
    communities : DataFrame
        ``topic`` (1..k) and ``community`` (1..c).

    Returns
    -------
    DataFrame
        ``topic_communities``: ``outlet``, ``community``, ``topics`` (its topics, comma
        separated), ``estimate``, ``ci_low``, ``ci_high``, ``n_articles``.
    """
    members = communities.groupby("community", sort=True)["topic"].apply(list)
    usable = proportions.dropna(subset=[str(t) for t in communities["topic"]])
    shares = usable[["article_id", "outlet"]].copy()
    for community, topics in members.items():
        shares[str(community)] = usable[[str(t) for t in topics]].sum(axis=1)
    out = summarize_columns(
        shares,
        [str(c) for c in members.index],
        by="outlet",
        confidence=confidence,
        n_resamples=n_resamples,
        seed=seed,
    ).rename(columns={"measure": "community"})
    out["community"] = out["community"].astype("int64")
    out["topics"] = out["community"].map(
        {c: ", ".join(map(str, topics)) for c, topics in members.items()}
    )
    out = out.sort_values(["outlet", "community"], ignore_index=True)
    return out[["outlet", "community", "topics", "estimate", "ci_low", "ci_high", "n_articles"]]
