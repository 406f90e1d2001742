"""The topic model of a corpus's documents as the topics measure keeps them between its map
and its reduce (each partition's word counts spilled to disk): the vocabulary over every
document, a seeded sample, the choice of k, the fit."""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import sparse
from threadpoolctl import threadpool_limits

from analysis.stats import cell_rng
from analysis.topics.choose import MIN_STABILITY, k_diagnostics
from analysis.topics.model import TopicModel, TopicModelError, Vocabulary, fit_topics

DOCUMENTS_PER_TOPIC = 10
"""When k is chosen, only the k with at least this many documents per topic are tried."""


class DocumentCounts(Protocol):
    """Spilled documents (:class:`analysis.measures.topics.DocumentCounts`): ``parts``, each
    with its number of ``rows``, and ``read(part)``, which gives the part's ``counts``
    (documents x terms), ``terms`` and ``article_ids`` (each document's article)."""

    parts: list

    def read(self, part: Any) -> dict: ...


def fit_documents(
    documents: DocumentCounts,
    *,
    k: int,
    kind: str = "nmf",
    ks: Sequence[int] = (),
    seeds: int = 3,
    sample: int = 20000,
    k_sample: int = 4000,
    max_terms: int = 5000,
    seed: int = 0,
    map_fn=map,
) -> TopicModel:
    """The topic model of spilled documents: the vocabulary over all of them, a seeded
    sample of ``sample`` documents, k (when ``k`` is 0: :func:`analysis.topics.k_diagnostics`
    over ``ks`` on ``k_sample`` of the sampled documents, only the k with at least
    :data:`DOCUMENTS_PER_TOPIC` documents per topic), and the fit.

    Returns
    -------
    TopicModel
        With ``diagnostics`` (the ``topic_k`` table; empty when ``k`` was given) and, among
        its ``parameters``, ``n_corpus_documents``, ``n_terms``, ``k_chosen``, ``k_tried``,
        ``k_documents``, ``seconds_choosing`` and ``seconds_fitting`` (``k_tried``: the k
        tried, those of ``ks`` with enough documents).

    Raises
    ------
    TopicModelError
        When there are no documents, no usable word, or too few documents for any k.
    """
    vocabulary, n_documents = vocabulary_of(documents, max_terms)
    rng = cell_rng(seed, "topics", "sample")
    rows = np.sort(rng.permutation(n_documents)[: min(sample, n_documents)])
    counts = rows_of(documents, rows, vocabulary)
    diagnostics = pd.DataFrame()
    chosen_here, tried = k == 0, []
    started = time.perf_counter()
    with threadpool_limits(1, user_api="blas"):
        if k == 0:
            order = cell_rng(seed, "topics", "k-sample").permutation(len(rows))
            subset = np.sort(order[: min(k_sample, len(rows))])
            tried = [n for n in ks if n * DOCUMENTS_PER_TOPIC <= len(subset)]
            if not tried:
                raise TopicModelError(
                    f"{len(subset)} documents are too few to choose among k = "
                    f"{', '.join(map(str, ks))} (a k needs {DOCUMENTS_PER_TOPIC} "
                    "documents per topic): give k yourself (--topics K) or lower topics.k_min"
                )
            diagnostics = k_diagnostics(
                counts[subset], vocabulary, tried, kind=kind, seeds=seeds, seed=seed, map_fn=map_fn
            )
            k = int(diagnostics.loc[diagnostics["chosen"], "k"].iloc[0])
            _warn_about_the_choice(diagnostics, tried, ks, k)
        elif n_documents < k * DOCUMENTS_PER_TOPIC:
            warnings.warn(
                f"topics: {k} topics from {n_documents:,} documents (fewer than "
                f"{DOCUMENTS_PER_TOPIC} per topic): the topics may be single documents; "
                "try fewer topics or --topic-level paragraph",
                stacklevel=2,
            )
        choosing = time.perf_counter() - started
        model = fit_topics(
            counts,
            vocabulary,
            k,
            kind=kind,
            seed=int(cell_rng(seed, "topics", "fit").integers(2**31 - 1)),
        )
    model.diagnostics = diagnostics
    model.parameters.update(
        n_corpus_documents=int(n_documents),
        n_terms=len(vocabulary.terms),
        k_chosen=chosen_here,
        k_tried=tried,
        k_documents=int(min(k_sample, len(rows))) if chosen_here else 0,
        seconds_choosing=round(choosing, 3),
        seconds_fitting=round(time.perf_counter() - started - choosing, 3),
    )
    return model


def _warn_about_the_choice(diagnostics: pd.DataFrame, tried: list, ks, k: int) -> None:
    """Warnings when the choice of k was no real choice: one k could be tried, no k was
    stable, or the largest k tried won."""
    summary = diagnostics[diagnostics["seed"] == -1]
    if len(tried) == 1 and len(ks) > 1:
        warnings.warn(
            f"topics: only k = {k} could be tried (the others need "
            f"{DOCUMENTS_PER_TOPIC} documents per topic): it was not chosen among others; "
            "give k yourself (--topics K) or lower topics.k_min",
            stacklevel=3,
        )
    if summary["stability"].notna().any() and not (summary["stability"] >= MIN_STABILITY).any():
        warnings.warn(
            f"topics: no k reached stability {MIN_STABILITY} (the most stable, k = {k}, has "
            f"{summary['stability'].max():.2f}): its topics change with the sample of "
            "documents; read them with care",
            stacklevel=3,
        )
    if k == max(tried) and len(tried) > 1:
        warnings.warn(
            f"topics: k = {k} was chosen, the largest tried: more topics may fit "
            "better (raise topics.k_max) or give k yourself (--topics K)",
            stacklevel=3,
        )


def vocabulary_of(documents: DocumentCounts, max_terms: int) -> tuple[Vocabulary, int]:
    """The model's words from every document's counts, and the number of documents."""
    frequencies, n_documents = [], 0
    for part in documents.parts:
        payload = documents.read(part)
        present = np.asarray((payload["counts"] > 0).sum(axis=0)).ravel()
        frequencies.append(
            pd.Series(present, index=pd.Index(payload["terms"].to_pylist(), dtype=object))
        )
        n_documents += payload["counts"].shape[0]
    if not n_documents:
        raise TopicModelError("no documents to fit a topic model on")
    totals = pd.concat(frequencies).groupby(level=0, sort=True).sum()
    vocabulary = Vocabulary.from_document_counts(totals, n_documents, max_terms=max_terms)
    return vocabulary, n_documents


def rows_of(
    documents: DocumentCounts, rows: np.ndarray, vocabulary: Vocabulary
) -> sparse.csr_matrix:
    """The counts over ``vocabulary`` of the documents numbered ``rows`` (across parts)."""
    blocks, start = [], 0
    for part in documents.parts:
        inside = rows[(rows >= start) & (rows < start + part.rows)] - start
        if len(inside):
            payload = documents.read(part)
            blocks.append(vocabulary.columns(payload["counts"][inside], payload["terms"]))
        start += part.rows
    return sparse.vstack(blocks).tocsr()
