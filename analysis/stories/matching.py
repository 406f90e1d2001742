"""Articles about the same event, grouped into stories by their words and dates.

An article's words for matching are its title (counted twice: a headline names the event)
and the opening of its cleaned text (``body_chars`` characters: news puts the event first,
and the rest wanders to background that other events share). They are counted with the
project's tokenizer (:func:`analysis.tokens.text_tokens`), lower case, stop words and
tokens without a letter left out, and each word is hashed to one of
:data:`HASH_FEATURES` columns (:func:`sklearn.utils.murmurhash3_32`), so that every
partition counts into the same columns without a shared vocabulary.

:func:`match_stories` weighs the counts by TF-IDF over the whole corpus (sublinear term
frequency, scikit-learn's smoothed idf, rows of unit length), finds every pair of articles
dated at most ``window`` days apart whose cosine similarity reaches ``threshold`` (sparse
products of date-sorted blocks of rows, so a corpus is never compared with itself whole),
and clusters them by complete linkage: two articles are in one story only if every pair of
the story's articles reaches the threshold. This is exact on the pairs' graph alone, because
a complete-linkage cluster at a threshold lies within one connected component of the graph
of pairs above it; each component is clustered on its own (scipy's ``linkage``), from its
similar pairs alone (every other pair at distance 1: the clusters below the cut do not
depend on distances above it). A component larger than ``max_component`` articles is first
cut into the components of a higher threshold (0.05 higher, as often as needed), so that its
dense distance matrix stays small; this is the one approximation, counted in
:attr:`Matched.split_components`.

Single linkage (the components themselves) chains unrelated events through a few similar
articles; average linkage did worse than complete linkage on the AllSides roundups
(benchmarks/stories_roundups.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

from analysis.tokens import text_tokens, words_with_letter

HASH_FEATURES = 2**20
"""Columns words are hashed into: with news vocabularies of some 10^5 words, few collide."""
THRESHOLD = 0.1
"""Default cosine similarity every pair of a story's articles reaches (chosen on half of the
AllSides roundups' events; see docs/methods.md, "Stories")."""
ROUNDUPS_CHECK = {"held_out_f1": 0.81, "all_f1": 0.83, "all_ari": 0.83}
"""Pairwise F1 and adjusted Rand index of the default threshold and window on the AllSides
roundups (benchmarks/stories_roundups.py, which tests/test_stories_roundups.py reruns and
compares with these): on the later half of the events, which took no part in choosing the
threshold, and on all of them."""
WINDOW_DAYS = 1
"""Default most days between two articles of one story."""
BODY_CHARS = 1000
"""Default characters of the cleaned text read after the title."""
MAX_COMPONENT = 2000
"""Largest group of connected articles clustered at once (its distance matrix is dense)."""
ROW_BLOCK = 2000
"""Rows of the similarity product computed at once."""


def story_texts(articles: pd.DataFrame, *, body_chars: int = BODY_CHARS) -> pd.Series:
    """What matching reads of each article: its title twice, then the first ``body_chars``
    characters of ``text_clean``.

    Parameters
    ----------
    articles : DataFrame
        ``text_clean`` and, when there is one, ``title`` (missing titles read as empty).

    Returns
    -------
    Series of str, on ``articles``' index.
    """
    body = articles["text_clean"].fillna("").astype(str).str.slice(0, body_chars)
    if "title" not in articles:
        return body
    title = articles["title"].fillna("").astype(str)
    return title + " .\n" + title + " .\n" + body


def hashed_counts(texts: Iterable[str], *, stop_words: frozenset[str] = frozenset()):
    """Word counts of each text in :data:`HASH_FEATURES` hashed columns.

    Parameters
    ----------
    texts : iterable of str
    stop_words : set of str
        Lower-case words left out (the distinctive words' stop words, in a run).

    Returns
    -------
    scipy.sparse.csr_matrix
        (texts x HASH_FEATURES) float32 counts; a word's column is the unsigned murmurhash3
        of the word (seed 0) modulo :data:`HASH_FEATURES`.
    """
    texts = list(texts)
    found = text_tokens(pd.Series(texts, dtype=object))
    vocabulary = pd.Index(found.vocabulary, dtype=object)
    usable = words_with_letter(vocabulary) & ~np.asarray(vocabulary.isin(stop_words), dtype=bool)
    column = np.fromiter(
        (murmurhash3_32(str(word), seed=0, positive=True) % HASH_FEATURES for word in vocabulary),
        dtype=np.int64,
        count=len(vocabulary),
    )
    keep = usable[found.codes] if len(found.codes) else np.zeros(0, dtype=bool)
    counts = sparse.coo_matrix(
        (
            np.ones(int(keep.sum()), dtype=np.float32),
            (found.text_of[keep], column[found.codes[keep]]),
        ),
        shape=(len(texts), HASH_FEATURES),
    )
    return counts.tocsr()


def tfidf_rows(counts: sparse.csr_matrix, document_frequency: np.ndarray, n_documents: int):
    """Rows of unit length of ``(1 + log tf) * idf``, with scikit-learn's smoothed
    ``idf = ln((1 + n) / (1 + df)) + 1`` (``TfidfTransformer(sublinear_tf=True)``, which a
    test checks this against); the document frequencies are the whole corpus's, summed over
    its partitions."""
    weighted = counts.astype(np.float64, copy=True).tocsr()
    weighted.data = 1.0 + np.log(weighted.data)
    idf = np.log((1.0 + n_documents) / (1.0 + document_frequency)) + 1.0
    weighted = weighted @ sparse.diags(idf)
    return normalize(weighted.tocsr(), norm="l2", copy=False)


def document_frequency(counts: sparse.csr_matrix) -> np.ndarray:
    """Number of rows in which each column is non-zero."""
    return np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)


def similar_pairs(
    vectors: sparse.csr_matrix,
    days: np.ndarray,
    *,
    threshold: float = THRESHOLD,
    window: int = WINDOW_DAYS,
    block: int = ROW_BLOCK,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of rows at most ``window`` days apart whose cosine similarity (the product
    of their unit rows) reaches ``threshold``.

    Parameters
    ----------
    vectors : csr_matrix
        Rows of unit length, sorted by ``days``.
    days : array of int
        Each row's day number, ascending.

    Returns
    -------
    (first, second, similarity)
        Row numbers with ``first < second``, and their similarity.
    """
    n = vectors.shape[0]
    found = ([], [], [])
    for start in range(0, n, block):
        stop = min(start + block, n)
        last = np.searchsorted(days, days[stop - 1] + window, side="right")
        product = (vectors[start:stop] @ vectors[start:last].T).tocoo()
        first, second = product.row + start, product.col + start
        keep = (
            (second > first)
            & (product.data >= threshold)
            & (np.abs(days[second] - days[first]) <= window)
        )
        for into, values in zip(found, (first[keep], second[keep], product.data[keep])):
            into.append(values)
    if not found[0]:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return tuple(np.concatenate(values) for values in found)


@dataclass
class Matched:
    """The stories of :func:`match_stories`.

    Attributes
    ----------
    labels : ndarray of int
        Each row's story number (0, 1, ...; numbered in row order of first appearance).
    pairs : int
        Pairs of articles found similar enough.
    split_components : int
        Groups of connected articles larger than ``max_component``, cut at a higher
        threshold before clustering.
    """

    labels: np.ndarray
    pairs: int
    split_components: int


def match_stories(
    vectors: sparse.csr_matrix,
    days: np.ndarray,
    *,
    threshold: float = THRESHOLD,
    window: int = WINDOW_DAYS,
    max_component: int = MAX_COMPONENT,
) -> Matched:
    """Stories of articles: complete-linkage clusters of cosine similarity at least
    ``threshold`` among articles at most ``window`` days apart (see the module docstring).

    Parameters
    ----------
    vectors : csr_matrix
        :func:`tfidf_rows` of the articles (rows of unit length), in any order.
    days : array of int
        Each row's day number (days since 1970-01-01). For a corpus without dates give the
        same day to every row: every pair is then compared.

    Returns
    -------
    Matched
        ``labels`` in the rows' order given.
    """
    n = vectors.shape[0]
    order = np.argsort(days, kind="stable")
    sorted_vectors, sorted_days = vectors[order], np.asarray(days)[order]
    first, second, similarity = similar_pairs(
        sorted_vectors, sorted_days, threshold=threshold, window=window
    )
    graph = sparse.coo_matrix((similarity, (first, second)), shape=(n, n)).tocsr()
    n_groups, group = connected_components(graph, directed=False)
    sizes = np.bincount(group, minlength=n_groups)
    split = 0
    for large in np.flatnonzero(sizes > max_component):
        split += 1
        for piece in _cut(graph, np.flatnonzero(group == large), threshold, max_component):
            group[piece] = n_groups
            n_groups += 1
    sizes = np.bincount(group, minlength=n_groups)
    # an article similar to no other is a story of its own, numbered at once; each group of
    # similar articles is clustered with its own pairs (sorted by group, sliced), so that
    # the work grows with the pairs, not with groups x pairs
    labels = np.where(sizes[group] == 1, group, -1).astype(np.int64)
    next_label = n_groups
    inside = group[first] == group[second]
    pair_group = np.where(inside, group[first], -1)
    pair_order = np.argsort(pair_group, kind="stable")
    bounds = np.searchsorted(pair_group[pair_order], np.arange(n_groups + 1))
    grouped = np.flatnonzero(sizes[group] > 1)
    for number, found in pd.Series(grouped).groupby(group[grouped]).indices.items():
        rows = grouped[found]  # ascending
        at = pair_order[bounds[number] : bounds[number + 1]]
        clusters = _complete_linkage(rows, first[at], second[at], similarity[at], threshold)
        labels[rows] = clusters + next_label
        next_label += int(clusters.max()) + 1
    out = np.empty(n, dtype=np.int64)
    out[order] = labels
    return Matched(_renumbered(out), pairs=len(first), split_components=split)


def _cut(graph, rows: np.ndarray, threshold: float, max_component: int) -> list[np.ndarray]:
    """``rows`` cut into the components of ever higher thresholds until each piece has at
    most ``max_component`` rows."""
    pieces, done = [rows], []
    level = threshold
    while pieces:
        level += 0.05
        still = []
        for piece in pieces:
            sub = graph[piece][:, piece]
            sub.data[sub.data < level] = 0
            sub.eliminate_zeros()
            _, part = connected_components(sub, directed=False)
            for found in pd.Series(piece).groupby(part).indices.values():
                chunk = piece[found]
                (done if len(chunk) <= max_component or level >= 1 else still).append(chunk)
        pieces = still
    return done


def _complete_linkage(rows, first, second, similarity, threshold: float) -> np.ndarray:
    """Complete-linkage clusters (0, 1, ...) of ``rows`` (ascending) at distance
    ``1 - threshold``, from their similar pairs (``first``, ``second``, ``similarity``; pairs
    with an article outside ``rows`` are ignored). Every other pair is at the largest
    distance, 1: the clusters below the cut are the same whatever the distances above it
    (a cluster pair with one member pair above the cut is above it either way), and this
    spares a product of the rows (which cost a transpose of 2^20 columns per group)."""
    size = len(rows)
    if size == 1:
        return np.zeros(1, dtype=np.int64)
    i = np.searchsorted(rows, first).clip(max=size - 1)
    j = np.searchsorted(rows, second).clip(max=size - 1)
    inside = (rows[i] == first) & (rows[j] == second)
    distance = np.ones((size, size))
    distance[i[inside], j[inside]] = np.clip(1.0 - similarity[inside], 0.0, 1.0)
    distance[j[inside], i[inside]] = distance[i[inside], j[inside]]
    upper = distance[np.triu_indices(size, k=1)]
    tree = linkage(upper, method="complete")
    return fcluster(tree, t=1.0 - threshold + 1e-12, criterion="distance").astype(np.int64) - 1


def _renumbered(labels: np.ndarray) -> np.ndarray:
    """Labels numbered 0, 1, ... in order of first appearance."""
    return pd.factorize(labels, sort=False)[0].astype(np.int64)


def day_numbers(published: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 of each date (NaT -> -1, which no real date gives here)."""
    dates = pd.to_datetime(published, errors="coerce")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert(None)
    days = dates.dt.floor("D").to_numpy(dtype="datetime64[D]").astype(np.int64)
    return np.where(dates.isna().to_numpy(), -1, days)


def assign_stories(
    counts: sparse.csr_matrix,
    published: pd.Series,
    *,
    threshold: float = THRESHOLD,
    window: int = WINDOW_DAYS,
    max_component: int = MAX_COMPONENT,
) -> tuple[np.ndarray, np.ndarray, Matched]:
    """Each article's story, from its :func:`hashed_counts` and date.

    The counts are weighed by :func:`tfidf_rows` over the dated articles and matched by
    :func:`match_stories`. An article without a date, among dated ones, is in no story
    (``how`` is ``undated``); when no article has a date, every pair is compared.

    Returns
    -------
    (story, how, Matched)
        ``story``: object array of story names (numbers from 1, zero-padded, in order of
        the stories' first day and then of their first article), None for an undated
        article; ``how``: ``text`` or ``undated``; and the matching's account.
    """
    days = day_numbers(published)
    undated = days < 0
    if undated.all():
        days, undated = np.zeros_like(days), np.zeros_like(undated)
    rows = np.flatnonzero(~undated)
    chosen = counts[rows]
    vectors = tfidf_rows(chosen, document_frequency(chosen), len(rows))
    found = match_stories(
        vectors, days[rows], threshold=threshold, window=window, max_component=max_component
    )
    first_day = pd.Series(days[rows]).groupby(found.labels).transform("min").to_numpy()
    ranked = pd.unique(found.labels[np.lexsort((np.arange(len(rows)), first_day))])
    number = np.empty(len(ranked), dtype=np.int64)
    number[ranked] = np.arange(len(ranked))
    width = len(str(len(number)))
    story = np.full(len(days), None, dtype=object)
    story[rows] = [f"{number[label] + 1:0{width}d}" for label in found.labels]
    return story, np.where(undated, "undated", "text"), found
