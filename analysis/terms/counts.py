"""The document-term matrix: the project tokenizer's words and bigrams per article, stop
words out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analysis.tokens import TextTokens, has_letter, text_tokens, words_with_letter

NEWS_STOP_WORDS = frozenset(
    {
        "said",
        "says",
        "say",
        "told",
        "tells",
        "according",
        "reported",
        "reports",
        "also",
        "would",
        "could",
        "mr",
        "mrs",
        "ms",
        "dr",
        "just",
        "like",
        "new",
        "year",
        "years",
        "week",
        "day",
        "time",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "percent",
        "including",
        "added",
        "asked",
        "people",
        "going",
        "want",
        "know",
        "think",
        "make",
        "way",
        "don't",
        "it's",
        "i'm",
    }
)
"""Words frequent in any news text and rarely distinctive of an outlet (added to
scikit-learn's English list). Pass ``stop_words=`` to change them."""
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | NEWS_STOP_WORDS


@dataclass
class DocumentTerms:
    """A sparse (articles x terms) count matrix, its labels, and each article's token total
    (every word token, stop words and numbers included: the denominator of rates)."""

    counts: sparse.csr_matrix
    terms: np.ndarray
    article_ids: np.ndarray
    tokens: np.ndarray | None = None

    def group_tokens(self, groups: pd.Series) -> np.ndarray:
        """Token totals per group (groups sorted as in :meth:`group_counts`)."""
        totals = self.tokens if self.tokens is not None else np.asarray(self.counts.sum(axis=1))
        labels = groups.reindex(self.article_ids)
        codes, names = pd.factorize(labels, sort=True)
        keep = codes >= 0
        return np.bincount(codes[keep], weights=np.ravel(totals)[keep], minlength=len(names))

    def group_counts(self, groups: pd.Series) -> tuple[sparse.csr_matrix, np.ndarray]:
        """(groups x terms) counts, summing articles by ``groups`` (indexed by article_id).

        Returns the matrix and the group labels, sorted.
        """
        labels = groups.reindex(self.article_ids)
        codes, names = pd.factorize(labels, sort=True)
        keep = codes >= 0
        indicator = sparse.csr_matrix(
            (np.ones(keep.sum()), (codes[keep], np.flatnonzero(keep))),
            shape=(len(names), len(codes)),
        )
        return (indicator @ self.counts).tocsr(), np.asarray(names, dtype=object)


def document_terms(
    sentences: pd.DataFrame,
    *,
    ngram_range: tuple[int, int] = (1, 2),
    stop_words: frozenset[str] | set[str] = STOP_WORDS,
    min_count: int = 3,
    tokenized: TextTokens | None = None,
) -> DocumentTerms:
    """Count unigrams and bigrams per article from its sentences.

    Parameters
    ----------
    sentences : DataFrame
        ``article_id`` and ``text``: one row per sentence (see
        :func:`analysis.segment.split_sentences`).
    ngram_range : (int, int)
        Smallest and largest n-gram; (1, 1) for words only, (1, 2) adds bigrams.
    stop_words : set of str
        Lower-case words left out: a unigram that is a stop word, and a bigram with a stop
        word on either side, are not counted (so "freedom of expression" gives no bigram
        "freedom expression").
    min_count : int
        Terms used fewer times than this in the whole corpus are dropped.
    tokenized : TextTokens, optional
        :func:`analysis.tokens.text_tokens` of ``sentences["text"]``, when the caller has
        it already (the frame counts use the same tokens).

    Returns
    -------
    DocumentTerms
        Terms are lower case; tokens without a letter (numbers) are left out; bigrams never
        cross a sentence boundary.
    """
    counts, names, article_ids, token_totals = count_terms(
        sentences, ngram_range=ngram_range, stop_words=stop_words, tokenized=tokenized
    )
    keep = np.flatnonzero(np.asarray(counts.sum(axis=0)).ravel() >= min_count)
    if isinstance(names, pa.Array):
        vocabulary = np.asarray(names.take(pa.array(keep)).to_pylist(), dtype=object)
    else:
        vocabulary = names[keep]
    return DocumentTerms(
        counts=counts[:, keep].tocsr(),
        terms=vocabulary,
        article_ids=article_ids,
        tokens=token_totals,
    )


def count_terms(
    sentences: pd.DataFrame,
    *,
    ngram_range: tuple[int, int] = (1, 2),
    stop_words: frozenset[str] | set[str] = STOP_WORDS,
    tokenized: TextTokens | None = None,
) -> tuple[sparse.csr_matrix, pa.Array | np.ndarray, np.ndarray, np.ndarray]:
    """:func:`document_terms` before ``min_count``, with the terms as an Arrow array: every
    term, sorted (the map of :mod:`analysis.engine`, whose reduce selects the terms).

    Returns
    -------
    counts : scipy.sparse.csr_matrix
        (articles x terms) counts, int64.
    terms : pyarrow.StringArray
        The term of each column, sorted by code point (an object array of str when a term
        cannot be encoded as UTF-8: it holds a lone surrogate).
    article_ids : ndarray of object
        The article of each row, in order of first appearance in ``sentences``.
    tokens : ndarray of int64
        Each article's token total.
    """
    if tokenized is None:
        tokenized = text_tokens(sentences["text"])
    token_codes, clause_of = tokenized.codes, tokenized.clause_of
    tokens = pd.Index(tokenized.vocabulary, dtype=object)
    try:
        words = pa.array(tokenized.vocabulary, pa.string())
    except UnicodeEncodeError:  # a lone surrogate
        words = np.asarray(tokens, dtype=object)
        letters = words_with_letter(tokens)
    else:
        letters = has_letter(words)
    usable_token = letters & ~np.asarray(tokens.isin(stop_words), dtype=bool)
    usable = usable_token[token_codes] if len(token_codes) else np.zeros(0, bool)
    article_codes, article_ids = pd.factorize(sentences["article_id"], sort=False)
    article_codes = article_codes[tokenized.text_of]  # the article of each token
    token_totals = np.bincount(article_codes, minlength=len(article_ids)).astype(np.int64)
    keys, rows = [], []
    low, high = ngram_range
    if low <= 1 <= high:
        keys.append(token_codes[usable].astype(np.int64))
        rows.append(article_codes[usable])
    n_tokens = len(tokens)
    if low <= 2 <= high and len(token_codes) > 1:
        pair = usable[:-1] & usable[1:] & (clause_of[:-1] == clause_of[1:])
        # a bigram is numbered after all unigrams: n + first * n + second
        first = token_codes[:-1][pair].astype(np.int64)
        second = token_codes[1:][pair].astype(np.int64)
        keys.append(n_tokens + first * n_tokens + second)
        rows.append(article_codes[:-1][pair])
    every_key = np.concatenate(keys) if keys else np.zeros(0, np.int64)
    article_rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    codes, unique_keys = pd.factorize(every_key, sort=False)
    unique_keys = np.asarray(unique_keys, dtype=np.int64)
    is_bigram = unique_keys >= n_tokens
    first = np.where(is_bigram, (unique_keys - n_tokens) // max(n_tokens, 1), unique_keys)
    second = np.where(is_bigram, (unique_keys - n_tokens) % max(n_tokens, 1), 0)
    if isinstance(words, pa.Array):
        word_order = pc.sort_indices(words).to_numpy()  # code point order, as numpy's
    else:
        word_order = np.argsort(words.astype(str), kind="stable")
    rank = np.empty(n_tokens, dtype=np.int64)
    rank[word_order] = np.arange(n_tokens)
    # the terms in string order without comparing strings: a space sorts before every
    # character a token can hold, so "w1 w2" sorts as the pair (w1, w2), after "w1" alone
    order = np.argsort(rank[first] * (n_tokens + 1) + np.where(is_bigram, rank[second] + 1, 0))
    first, second, is_bigram = first[order], second[order], is_bigram[order]
    if isinstance(words, pa.Array):
        # a unigram joined to a null second word is the word alone
        names = pc.binary_join_element_wise(
            words.take(pa.array(first)),
            words.take(pa.array(second, mask=~is_bigram)),
            " ",
            null_handling="skip",
        )
    else:
        names = words[first]
        names[is_bigram] = (names[is_bigram] + " ") + words[second[is_bigram]]
    column = np.empty(len(order), dtype=np.int64)
    column[order] = np.arange(len(order))  # the sorted place of each term
    counts = sparse.csr_matrix(
        (np.ones(len(codes), dtype=np.int64), (article_rows, column[codes])),
        shape=(len(article_ids), len(unique_keys)),
    )
    counts.sum_duplicates()
    return counts, names, np.asarray(article_ids, dtype=object), token_totals
