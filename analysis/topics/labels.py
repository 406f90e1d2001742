"""What a topic is about, in words a person can read: its most probable words, its FREX
words, and the articles it fills most."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from analysis.topics.model import TopicModel

FREX_WEIGHT = 0.5
"""Weight of exclusivity against frequency in FREX (stm's default ``frexw``)."""
LABEL_WORDS = 3
"""FREX words in a topic's label."""
TERM_COLUMNS = ["topic", "label", "ranking", "rank", "term", "probability", "exclusivity", "frex"]
OPENING = 300
"""Characters of an article's opening in ``topic_examples``."""


def frex_scores(model: TopicModel, *, weight: float = FREX_WEIGHT) -> tuple[np.ndarray, ...]:
    """Each word's FREX in each topic (Bischof & Airoldi 2012; stm's ``calcfrex``).

    A word's frequency in a topic is its probability there; its exclusivity is that
    probability over the word's probabilities summed across topics. Each is turned into its
    rank among the topic's words divided by the number of words (ties averaged), and FREX is
    their weighted harmonic mean: ``1 / (weight / exclusivity_rank + (1 - weight) /
    frequency_rank)``. stm further shrinks exclusivity towards the mean for rare words
    (James-Stein); here the vocabulary holds only words in several documents instead.

    Returns
    -------
    probability, exclusivity, frex : ndarray
        (topics x terms) each.
    """
    beta = model.word_distribution()
    column = beta.sum(axis=0, keepdims=True)
    exclusivity = np.divide(beta, column, out=np.zeros_like(beta), where=column > 0)
    n = beta.shape[1]
    frequency_rank = scipy_stats.rankdata(beta, axis=1) / n
    exclusivity_rank = scipy_stats.rankdata(exclusivity, axis=1) / n
    frex = 1 / (weight / exclusivity_rank + (1 - weight) / frequency_rank)
    return beta, exclusivity, frex


def topic_terms(model: TopicModel, *, n: int = 10) -> pd.DataFrame:
    """Each topic's ``n`` most probable words and ``n`` highest-FREX words.

    Returns
    -------
    DataFrame
        ``topic_terms``: ``topic`` (1..k), ``label`` (:func:`topic_labels`), ``ranking``
        (``probability`` or ``frex``), ``rank`` (1..n), ``term``, and the word's
        ``probability``, ``exclusivity`` and ``frex`` in the topic.
    """
    beta, exclusivity, frex = frex_scores(model)
    labels = topic_labels(model)
    rows = []
    for ranking, score in (("probability", beta), ("frex", frex)):
        order = np.argsort(-score, axis=1, kind="stable")[:, :n]
        for topic in range(model.k):
            for rank, column in enumerate(order[topic], start=1):
                rows.append(
                    (
                        topic + 1,
                        labels[topic],
                        ranking,
                        rank,
                        str(model.terms[column]),
                        beta[topic, column],
                        exclusivity[topic, column],
                        frex[topic, column],
                    )
                )
    return pd.DataFrame(rows, columns=TERM_COLUMNS)


def topic_labels(model: TopicModel, *, words: int = LABEL_WORDS) -> list[str]:
    """A short name per topic: its number (from 1) and its top FREX terms
    (``"3: gun, nra, rifle"``), each word once: a term whose words are all in the terms
    taken is left out ("las vegas" after "vegas" and "las"), and a term replaces the taken
    terms it contains ("white house" replaces "white")."""
    frex = frex_scores(model)[2]
    order = np.argsort(-frex, axis=1, kind="stable")
    labels = []
    for topic in range(model.k):
        taken: list[str] = []
        for column in order[topic]:
            term = str(model.terms[column])
            inside = set(term.split())
            if inside <= {w for t in taken for w in t.split()}:
                continue
            taken = [t for t in taken if not set(t.split()) <= inside] + [term]
            if len(taken) == words:
                break
        labels.append(f"{topic + 1}: " + ", ".join(taken))
    return labels


def top_articles(proportions: pd.DataFrame, *, n: int = 3) -> pd.DataFrame:
    """The ``n`` articles each topic fills most, per outlet.

    Parameters
    ----------
    proportions : DataFrame
        ``article_id``, ``outlet``, ``topic``, ``proportion`` (``article_topics``).

    Returns
    -------
    DataFrame
        ``topic``, ``outlet``, ``rank`` (1..n), ``article_id``, ``proportion``; ties go to
        the article first in ``proportions``.
    """
    found = proportions.dropna(subset=["proportion"])
    found = found.sort_values(
        ["topic", "outlet", "proportion"], ascending=[True, True, False], kind="stable"
    )
    found = found.groupby(["topic", "outlet"], sort=False, observed=True).head(n).copy()
    found["rank"] = found.groupby(["topic", "outlet"], sort=False, observed=True).cumcount() + 1
    return found[["topic", "outlet", "rank", "article_id", "proportion"]].reset_index(drop=True)


def opening(text: str, *, length: int = OPENING) -> str:
    """The first ``length`` characters of ``text``, cut at a space, with an ellipsis when
    cut."""
    text = " ".join(str(text).split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return cut + " …"


def articles_of(
    proportions: pd.DataFrame, topic: int, *, least: float = 0.3, outlet: str | None = None
) -> list[str]:
    """The articles whose words are at least ``least`` in ``topic``, the fullest first:
    what to read, or to give :func:`analysis.concordance.kwic`, to see a topic in its
    articles::

        ids = topics.articles_of(tables["article_topics"], 3)
        kwic(articles[articles["article_id"].isin(ids)], ["gun*", "nra"])

    Parameters
    ----------
    proportions : DataFrame
        ``article_topics``: ``article_id``, ``outlet``, ``topic``, ``proportion``.
    topic : int
        The topic's number (from 1).
    outlet : str, optional
        Only this outlet's articles.
    """
    rows = proportions[(proportions["topic"] == topic) & (proportions["proportion"] >= least)]
    if outlet is not None:
        rows = rows[rows["outlet"] == outlet]
    rows = rows.sort_values(["proportion", "article_id"], ascending=[False, True], kind="stable")
    return rows["article_id"].astype(str).tolist()
