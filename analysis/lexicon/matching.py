"""What a count of dictionary matches gives (:class:`Matches`, :func:`matches_table`), and
the steps both ways of counting share: the dictionary prepared (:func:`_prepared`), words
matched against its patterns (:func:`_word_hits`) and the matched terms numbered
(:func:`_terms`)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.lexicon.model import Dictionary, Pattern
from analysis.lexicon.phrases import _phrase_lookup, _phrase_regex


@dataclass
class Matches:
    """What :func:`count_matches` found.

    ``term_counts`` and ``term_negated`` are sparse (texts x terms) counts of each matched
    term (a word or phrase as it appeared, lower case); ``term_categories`` is a sparse
    (terms x categories) matrix of pattern weights; ``term_patterns`` gives, per term and
    category, the pattern that matched; ``tokens`` the number of tokens of each text.
    """

    categories: list[str]
    terms: list[str]
    term_counts: sparse.csr_matrix
    term_negated: sparse.csr_matrix
    term_categories: sparse.csr_matrix
    term_patterns: dict[tuple[int, int], str]
    tokens: np.ndarray

    def category_counts(self, *, negated: bool = False, weighted: bool = False) -> np.ndarray:
        """Dense (texts x categories) counts, plain or negated, optionally weighted."""
        matrix = self.term_negated if negated else self.term_counts
        mapping = self.term_categories if weighted else (self.term_categories != 0).astype(float)
        return np.asarray((matrix @ mapping).todense())


def _prepared(dictionary: Dictionary):
    """The categories, their numbers, the phrase patterns, the phrase regex and the phrase
    lookup of ``dictionary``."""
    categories = list(dictionary.categories)
    index = {c: i for i, c in enumerate(categories)}
    phrases = [p for ps in dictionary.categories.values() for p in ps if p.is_phrase]
    return categories, index, phrases, _phrase_regex(phrases), _phrase_lookup(dictionary, index)


def _terms(hits: dict, words: list[str], phrase_hits: list, phrase_lookup, n_categories: int):
    """The matched terms: each word with a hit (``words[column]``, in column order), then each
    matched phrase, numbered; the pattern of every (term, category) pair; the sparse (terms x
    categories) matrix of pattern weights; and the term of each word column with a hit."""
    term_index: dict[str, int] = {}
    term_patterns: dict[tuple[int, int], str] = {}
    weights: dict[tuple[int, int], float] = {}
    term_of: dict[int, int] = {}
    for column, by_category in sorted(hits.items()):
        term = term_of[column] = term_index.setdefault(words[column], len(term_index))
        for category, pattern in by_category.items():
            term_patterns[(term, category)] = pattern.text
            weights[(term, category)] = pattern.weight
    for _, phrase, _ in phrase_hits:
        if phrase not in term_index:
            term = term_index.setdefault(phrase, len(term_index))
            for category, pattern in phrase_lookup(phrase):
                term_patterns[(term, category)] = pattern.text
                weights[(term, category)] = pattern.weight
    keys = list(weights)
    term_categories = sparse.csr_matrix(
        ([weights[k] for k in keys], ([k[0] for k in keys], [k[1] for k in keys])),
        shape=(len(term_index), n_categories),
    )
    return term_index, term_patterns, term_categories, term_of


def _word_hits(
    words: list[str], dictionary: Dictionary, index: dict[str, int]
) -> dict[int, dict[int, Pattern]]:
    """Which of ``words`` match which single-word patterns: word position -> {category:
    the first pattern of the category that matches it (exact words before wildcards)}."""
    exact: dict[str, list[tuple[int, Pattern]]] = {}
    wildcards: list[tuple[int, Pattern]] = []
    for category, patterns in dictionary.categories.items():
        for pattern in patterns:
            if pattern.is_phrase:
                continue
            if pattern.wildcard:
                wildcards.append((index[category], pattern))
            else:
                exact.setdefault(pattern.words[0], []).append((index[category], pattern))
    order = sorted(range(len(words)), key=words.__getitem__)
    sorted_words = [words[i] for i in order]
    hits: dict[int, dict[int, Pattern]] = {}
    for column, word in enumerate(words):
        for category, pattern in exact.get(word, ()):
            hits.setdefault(column, {}).setdefault(category, pattern)
    for category, pattern in wildcards:
        prefix = pattern.words[0]
        lo = bisect.bisect_left(sorted_words, prefix)
        hi = bisect.bisect_left(sorted_words, prefix + "\U0010ffff")
        for position in range(lo, hi):
            hits.setdefault(order[position], {}).setdefault(category, pattern)
    return hits


def matches_table(matches: Matches) -> pd.DataFrame:
    """Long table of per-text category counts: ``row, category, count, negated``."""
    plain = matches.category_counts()
    negated = matches.category_counts(negated=True)
    rows, cols = np.nonzero(plain + negated)
    return pd.DataFrame(
        {
            "row": rows,
            "category": np.asarray(matches.categories, dtype=object)[cols],
            "count": plain[rows, cols],
            "negated": negated[rows, cols],
        }
    )
