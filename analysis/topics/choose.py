"""Choosing the number of topics: NPMI coherence of each topic's top words, stability of
the topics across seeds, and (LDA) held-out perplexity, for a range of k.

Each seed fits the model on its own random :data:`SUBSAMPLE` of the documents (Greene,
O'Callaghan & Cunningham 2014's stability): topics that come back whichever documents
happen to be in the sample are a property of the corpus, not of one fit. (NMF's start is
the documents' SVD, the same for every random seed, so seeds alone would show no
instability at all.)

The rule (:func:`chosen_k`): among the k whose topics are stable (mean matched top-word
overlap across seeds at least :data:`MIN_STABILITY`), the one with the highest mean NPMI
coherence; when no k is that stable, the most stable. Coherence alone favours few broad
topics and perplexity many fine ones (Chang et al. 2009 found it disagrees with people's
judgement), so perplexity is shown, not used.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import optimize, sparse

from analysis.stats import cell_rng
from analysis.topics.model import TopicModel, Vocabulary, fit_topics

TOP_WORDS = 10
"""Top words per topic read by coherence and stability."""
MIN_STABILITY = 0.6
"""Mean matched top-word overlap across seeds that a k needs to be chosen."""
SUBSAMPLE = 0.8
"""Share of the documents each seed's fit sees."""
HELD_OUT = 0.2
"""Share of the documents held out for LDA's perplexity."""
K_COLUMNS = [
    "k",
    "seed",
    "coherence",
    "stability",
    "perplexity",
    "n_documents",
    "chosen",
]


def top_word_indices(weights: np.ndarray, n: int = TOP_WORDS) -> np.ndarray:
    """(topics x n) column indices of each topic's ``n`` heaviest words, heaviest first
    (ties: the earlier column)."""
    order = np.argsort(-weights, axis=1, kind="stable")
    return order[:, :n]


def npmi_coherence(top: np.ndarray, counts: sparse.csr_matrix) -> np.ndarray:
    """Each topic's mean normalized pointwise mutual information over pairs of its top words
    (Bouma 2009; the document co-occurrence form of Röder et al. 2015's C_NPMI).

    Parameters
    ----------
    top : ndarray
        (topics x n) column indices of the top words.
    counts : sparse matrix
        (documents x terms): the reference documents (the corpus itself).

    Returns
    -------
    ndarray
        One value in [-1, 1] per topic: for words i, j with document shares p_i, p_j and
        p_ij, ``log(p_ij / (p_i p_j)) / -log(p_ij)``; -1 for a pair never together, 1 for a
        pair always together.
    """
    words = np.unique(top)
    present = sparse.csr_matrix((counts[:, words] > 0).astype(np.float64))
    n = counts.shape[0]
    together = (present.T @ present).toarray() / n
    alone = np.diag(together)
    where = {w: i for i, w in enumerate(words)}
    scores = []
    for row in top:
        values = []
        for a, b in itertools.combinations([where[w] for w in row], 2):
            joint = together[a, b]
            if joint == 0:
                values.append(-1.0)
            elif joint == 1:
                values.append(1.0)
            else:
                values.append(np.log(joint / (alone[a] * alone[b])) / -np.log(joint))
        scores.append(np.mean(values))
    return np.asarray(scores)


def matched_overlap(first: np.ndarray, second: np.ndarray) -> float:
    """Mean Jaccard overlap of the top-word sets of two fits' topics, each topic of one
    matched to one of the other to maximise the total (the Hungarian method,
    :func:`scipy.optimize.linear_sum_assignment`; Greene et al. 2014's agreement)."""
    sets_a = [set(row) for row in first]
    sets_b = [set(row) for row in second]
    jaccard = np.array([[len(a & b) / len(a | b) for b in sets_b] for a in sets_a])
    rows, cols = optimize.linear_sum_assignment(-jaccard)
    return float(jaccard[rows, cols].mean())


def k_diagnostics(
    counts: sparse.csr_matrix,
    vocabulary: Vocabulary,
    ks: Sequence[int],
    *,
    kind: str = "nmf",
    seeds: int = 3,
    seed: int = 0,
    map_fn=map,
) -> pd.DataFrame:
    """Fit ``seeds`` models per k and measure them.

    Parameters
    ----------
    counts : sparse matrix
        (documents x vocabulary) counts of the documents k is chosen on.
    ks : sequence of int
    kind : {"nmf", "lda"}
    seeds : int
        Fits per k, each on its own :data:`SUBSAMPLE` of the documents and with its own
        seed (streams of :func:`analysis.stats.cell_rng`).
    map_fn : callable
        ``map`` or an executor's: the fits are independent.

    Returns
    -------
    DataFrame
        ``topic_k``: one row per k and seed (``coherence``: mean NPMI of the topics' top
        words over all the documents; ``perplexity``: LDA's on the :data:`HELD_OUT` share,
        NaN for NMF) and one row per k with ``seed`` -1: the means, and ``stability``, the
        mean :func:`matched_overlap` over pairs of seeds (NaN with one seed). ``chosen`` is
        true on the summary row of :func:`chosen_k`.
    """
    n = counts.shape[0]
    held = np.zeros(n, dtype=bool)
    if kind == "lda":
        order = cell_rng(seed, "topics", "held-out").permutation(n)
        held[order[: int(round(HELD_OUT * n))]] = True
    fitting = counts[~held] if held.any() else counts
    heldout = counts[held] if held.any() else None
    jobs = [
        (_subsample(fitting, seed, run), vocabulary, k, kind, _seed_of(seed, k, run), heldout)
        for k in ks
        for run in range(seeds)
    ]
    results = list(map_fn(_fit_and_measure, jobs))
    rows, tops = [], {}
    for (_, _, k, _, fit_seed, _), (top, perplexity) in zip(jobs, results):
        tops.setdefault(k, []).append(top)
        rows.append(
            {
                "k": k,
                "seed": fit_seed,
                "coherence": float(npmi_coherence(top, counts).mean()),
                "stability": np.nan,
                "perplexity": perplexity,
                "n_documents": n,
            }
        )
    per_seed = pd.DataFrame(rows)
    summary = per_seed.groupby("k", sort=True)[["coherence", "perplexity"]].mean().reset_index()
    summary["stability"] = [
        float(np.mean([matched_overlap(a, b) for a, b in itertools.combinations(tops[k], 2)]))
        if len(tops[k]) > 1
        else np.nan
        for k in summary["k"]
    ]
    summary["seed"] = -1
    summary["n_documents"] = n
    table = pd.concat([summary, per_seed], ignore_index=True)
    table["chosen"] = (table["seed"] == -1) & (table["k"] == chosen_k(summary))
    return table.sort_values(["k", "seed"], ignore_index=True)[K_COLUMNS].astype(
        {"k": "int64", "seed": "int64", "n_documents": "int64", "perplexity": float}
    )


def _seed_of(seed: int, k: int, run: int) -> int:
    return int(cell_rng(seed, "topics", "k", k, run).integers(2**31 - 1))


def _subsample(counts: sparse.csr_matrix, seed: int, run: int) -> sparse.csr_matrix:
    n = counts.shape[0]
    rows = cell_rng(seed, "topics", "subsample", run).permutation(n)[: int(round(SUBSAMPLE * n))]
    return counts[np.sort(rows)]


def _fit_and_measure(job) -> tuple[np.ndarray, float]:
    fitting, vocabulary, k, kind, fit_seed, held = job
    model: TopicModel = fit_topics(fitting, vocabulary, k, kind=kind, seed=fit_seed)
    perplexity = np.nan
    if held is not None and held.shape[0]:
        perplexity = model.perplexity(held)
    return top_word_indices(model.weights), perplexity


def chosen_k(summary: pd.DataFrame) -> int:
    """The k of :func:`k_diagnostics`' summary rows (one per k: ``k``, ``coherence``,
    ``stability``) that the module's rule picks."""
    stable = summary[summary["stability"].fillna(1.0) >= MIN_STABILITY]
    if len(stable):
        return int(stable.sort_values(["coherence", "k"], ascending=[False, True])["k"].iloc[0])
    return int(summary.sort_values(["stability", "k"], ascending=[False, True])["k"].iloc[0])
