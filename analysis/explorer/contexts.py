"""Which contexts the explorer keeps for each term: a capped, reproducible sample.

Per term, at most ``max_contexts`` matches: first, in turn, from the groups whose comparisons
chose the term (up to half the cap, or all of it when no other group uses the term), then from
every group in turn; within a group, the first match of each article (articles in
``article_id`` order) before the second of any. Only the texts that contain every run of word
characters of the term are searched, found with one pass over the texts (:class:`_Index`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd

from analysis import concordance
from analysis.lexicon import parse_pattern

_RUN = re.compile(r"\w+")


class _Index:
    """Which texts contain which runs of word characters (lower case), for the runs of the
    terms only. Every text a term matches contains all the runs of :func:`_term_runs`, so the
    texts that have them all are the only ones the term's pattern need search."""

    def __init__(self, texts: list[str], words: set[str]):
        postings: dict[str, list[int]] = {w: [] for w in words}
        for position, text in enumerate(texts):
            found = set(_RUN.findall(text.lower())) if isinstance(text, str) else set()
            for word in found & words:
                postings[word].append(position)
        self.postings = {w: np.asarray(p, dtype=np.int64) for w, p in postings.items()}

    def candidates(self, words: list[str], n_texts: int) -> np.ndarray:
        result = np.arange(n_texts, dtype=np.int64)
        for word in words:
            if word in self.postings:
                result = np.intersect1d(result, self.postings[word], assume_unique=True)
        return result


def _walk(matcher: concordance.Matcher, texts: list[str], positions) -> Iterator[tuple]:
    """Matches in the texts at ``positions``: the first of each text (in order) before the
    second of any, and so on."""
    found = []
    for position in positions:
        spans = matcher.spans(texts[position])
        if spans:
            found.append((position, spans))
            yield position, *spans[0]
    turn = 1
    while True:
        more = [(p, spans[turn]) for p, spans in found if len(spans) > turn]
        if not more:
            return
        for position, (start, end) in more:
            yield position, start, end
        turn += 1


def _sample(walkers: dict[str, Iterator], order: list[str], limit: int, chosen: list) -> None:
    """Take matches from the groups in ``order`` in turn until ``limit`` are chosen."""
    active = [g for g in order if g in walkers]
    while active and len(chosen) < limit:
        for group in list(active):
            if len(chosen) >= limit:
                return
            found = next(walkers[group], None)
            if found is None:
                active.remove(group)
                del walkers[group]
            else:
                chosen.append(found)


def _term_runs(term: str) -> list[str]:
    """The runs of word characters a text must contain for ``term`` to match in it (the last
    run of a wildcard word is left out: it may go on)."""
    pattern = parse_pattern(term, where="explorer term")
    runs = [run for word in pattern.words for run in _RUN.findall(word)]
    return runs[:-1] if pattern.wildcard else runs


def sample_contexts(
    articles: pd.DataFrame,
    group_of: np.ndarray,
    focus: dict[str, set[str]],
    groups: list[str],
    *,
    max_contexts: int,
    window: int,
) -> pd.DataFrame:
    """Up to ``max_contexts`` contexts of each term (see the module's docstring for which).

    Parameters
    ----------
    articles : DataFrame
        ``article_id``, ``outlet``, ``title`` and ``text_clean``, sorted by ``article_id``.
    group_of : numpy.ndarray
        The compared group of each article (same order).
    focus : dict of str to set of str
        Each term, with the groups whose comparisons chose it.
    groups : list of str
        All compared groups, in the order they take turns.
    max_contexts, window : int
        The cap per term, and the tokens shown on either side.

    Returns
    -------
    DataFrame
        One row per context: ``term, group, article_id, outlet, title, left, match, right,
        start`` (``start``: offset of the match in ``text_clean``).
    """
    texts = articles["text_clean"].tolist()
    words = {w for term in focus for w in _term_runs(term)}
    index = _Index(texts, words)
    rows = []
    for term in sorted(focus):
        matcher = concordance.compile_pattern(term)
        positions = index.candidates(_term_runs(term), len(texts))
        by_group = {g: positions[group_of[positions] == g] for g in groups}
        walkers = {g: _walk(matcher, texts, p) for g, p in by_group.items() if len(p)}
        first = [g for g in groups if g in focus[term]]
        others = [g for g in groups if g not in focus[term] and g in walkers]
        chosen: list[tuple] = []
        _sample(walkers, first, math.ceil(max_contexts / 2) if others else max_contexts, chosen)
        _sample(walkers, first + others, max_contexts, chosen)
        rows.extend((term, *found) for found in chosen)
    table = pd.DataFrame(rows, columns=["term", "_position", "_start", "_end"])
    pieces = [
        concordance.window_around(texts[p], s, e, window)
        for p, s, e in zip(table["_position"], table["_start"], table["_end"])
    ]
    positions = table["_position"].to_numpy(np.int64)
    return pd.DataFrame(
        {
            "term": table["term"],
            "group": group_of[positions],
            "article_id": articles["article_id"].to_numpy()[positions],
            "outlet": articles["outlet"].to_numpy()[positions],
            "title": articles["title"].to_numpy()[positions],
            "left": [p[0] for p in pieces],
            "match": [p[1] for p in pieces],
            "right": [p[2] for p in pieces],
            "start": table["_start"].to_numpy(np.int64),
        }
    )
