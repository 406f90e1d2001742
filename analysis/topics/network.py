"""Topics into frames, the ANTMN way (Walter & Ophir 2019): a network of topics linked by
how often they share articles, and its communities, each a candidate frame to be read.

The link between two topics is the cosine similarity of their proportions across the
model's documents (articles, or paragraphs; ANTMN's weight); the communities are networkx's
Louvain communities of the weighted network (Blondel et al. 2008), seeded. ANTMN used
igraph's spinglass method, which networkx does not have; Louvain optimises the same
modularity.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from analysis.stats import cell_rng

NETWORK_COLUMNS = ["topic", "other", "weight", "community", "community_other"]


def topic_similarity(values: np.ndarray) -> np.ndarray:
    """(topics x topics) cosine similarity of the topic columns of ``values`` (documents x
    topics, no NaN), the diagonal 0."""
    return similarity_of_products(values.T @ values)


def similarity_of_products(products: np.ndarray) -> np.ndarray:
    """:func:`topic_similarity` from the (topics x topics) products ``values.T @ values``,
    which add up over partitions of the documents."""
    norms = np.sqrt(np.diag(products))
    scale = np.where(norms > 0, norms, 1)
    similarity = products / scale[:, None] / scale[None, :]
    np.fill_diagonal(similarity, 0.0)
    return similarity


def topic_communities(similarity: np.ndarray, *, seed: int = 0) -> np.ndarray:
    """Each topic's community (1..c, numbered by their smallest topic) in the network of
    ``similarity``: Louvain (:func:`networkx.community.louvain_communities`), resolution 1,
    seeded from the stream ``("topics", "communities")``."""
    k = similarity.shape[0]
    graph = nx.Graph()
    graph.add_nodes_from(range(k))
    rows, cols = np.triu_indices(k, 1)
    graph.add_weighted_edges_from(
        (int(a), int(b), float(similarity[a, b]))
        for a, b in zip(rows, cols)
        if similarity[a, b] > 0
    )
    rng_seed = int(cell_rng(seed, "topics", "communities").integers(2**31 - 1))
    found = nx.community.louvain_communities(graph, weight="weight", seed=rng_seed)
    found = sorted((sorted(c) for c in found), key=lambda c: c[0])
    community = np.zeros(k, dtype=np.int64)
    for number, members in enumerate(found, start=1):
        community[members] = number
    return community


def topic_network(
    values: np.ndarray | None = None, *, products: np.ndarray | None = None, seed: int = 0
) -> pd.DataFrame:
    """The network's links and the communities.

    Parameters
    ----------
    values : ndarray, optional
        (documents x topics) proportions, documents with no proportions left out.
    products : ndarray, optional
        Instead of ``values``: ``values.T @ values``, summed over partitions.

    Returns
    -------
    DataFrame
        ``topic_network``: one row per pair of topics (``topic`` < ``other``, 1-based) with
        their ``weight`` (cosine similarity) and each one's ``community``.
    """
    similarity = similarity_of_products(values.T @ values if products is None else products)
    community = topic_communities(similarity, seed=seed)
    rows, cols = np.triu_indices(similarity.shape[0], 1)
    return pd.DataFrame(
        {
            "topic": rows + 1,
            "other": cols + 1,
            "weight": similarity[rows, cols],
            "community": community[rows],
            "community_other": community[cols],
        }
    ).astype({"topic": "int64", "other": "int64"})


def communities_of(network: pd.DataFrame, k: int) -> pd.DataFrame:
    """``topic`` (1..k) and its ``community``, from a ``topic_network`` table."""
    pairs = pd.concat(
        [
            network[["topic", "community"]],
            network[["other", "community_other"]].set_axis(["topic", "community"], axis=1),
        ]
    ).drop_duplicates("topic")
    found = pairs.set_index("topic")["community"].reindex(range(1, k + 1), fill_value=1)
    return found.rename_axis("topic").reset_index().astype("int64")
