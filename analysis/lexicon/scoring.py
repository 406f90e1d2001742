"""Counting dictionary matches with sparse matrices.

Texts are tokenized with the project's tokenizer (:mod:`analysis.tokens`), lower-cased and
without possessive ``'s``. Phrases are matched first, longest first, by one regular
expression, and their words are then taken out of the text, so "freedom of expression" is not
also counted as "freedom" and "expression". Single words are counted from the tokens of
:func:`analysis.tokens.text_tokens`, found once for all the texts (or given by the caller);
only the texts holding a phrase are tokenized again, with the phrase taken out. Each distinct
word is looked up once among the dictionary's words and wildcards, the matched tokens' (text,
term) pairs make a sparse (texts x terms) count matrix, and a sparse term-by-category matrix
turns term counts into category counts: apart from the texts holding a phrase, no Python
loop runs per token. A token in two categories counts once in each.

With ``negation=True``, a match with a negator ("not", "no", "never", "without", ...,
or a word ending in "n't") among the three tokens before it is counted separately as
negated, and not in the plain count. A negator's scope ends at the end of its clause: at
clause punctuation (``,`` ``;`` ``:`` an em dash, a spaced en dash) or a sentence end (``.``
``!`` ``?`` ``…``), and at a contrastive conjunction (:data:`CONTRASTIVE_CONJUNCTIONS`). So in
"free speech is not absolute, and security matters" and "without a warrant, security forces
acted" *security* is not negated, nor is *free* in "not absolute but free". One function,
:func:`~analysis.lexicon.negation._negation_scopes`, decides the scope for words and phrases
alike. With negation, matches are counted text by text: each text is tokenized again by the
regular expression, the tokens in a negator's scope are marked, and the marked tokens are
counted into a sparse document-term matrix.

The steps live in :mod:`analysis.lexicon.phrases` (finding phrases),
:mod:`analysis.lexicon.negation` (negation scopes, and the text-by-text count) and
:mod:`analysis.lexicon.matching` (the :class:`Matches` result, and the dictionary lookups);
this module holds :func:`count_matches`, and the names it imports from them (``NEGATORS``,
``Matches``, ``matches_table``, ...) can be imported from here as before.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.lexicon.matching import Matches, _prepared, _terms, _word_hits, matches_table
from analysis.lexicon.model import Dictionary
from analysis.lexicon.negation import (
    CONTRASTIVE_CONJUNCTIONS,
    NEGATION_SCOPE_BREAK,
    NEGATION_WINDOW,
    NEGATORS,
    _count_matches_by_text,
)
from analysis.lexicon.phrases import _phrase_texts, _phrase_words
from analysis.tokens import PLAIN_TOKEN_PATTERN, TOKEN_PATTERN, TextTokens, text_tokens

__all__ = [
    "CONTRASTIVE_CONJUNCTIONS",
    "NEGATION_SCOPE_BREAK",
    "NEGATION_WINDOW",
    "NEGATORS",
    "Matches",
    "count_matches",
    "matches_table",
]

_TOKEN = re.compile(TOKEN_PATTERN)
_TOKEN_WITHOUT_MARKS = re.compile(PLAIN_TOKEN_PATTERN)


def count_matches(
    texts, dictionary: Dictionary, *, negation: bool = False, tokenized: TextTokens | None = None
) -> Matches:
    """Count every category's matches in every text.

    Parameters
    ----------
    texts : sequence of str
        The units to score (sentences or articles).
    dictionary : Dictionary
        From :func:`analysis.lexicon.read_dictionary`.
    negation : bool
        Count matches preceded by a negator (within three tokens, in the same clause)
        separately.
    tokenized : TextTokens, optional
        :func:`analysis.tokens.text_tokens` of ``texts``, when the caller has it already
        (distinctive words count the same tokens). Without negation, single words are
        counted from these tokens; with it, each text is tokenized again and the tokens in
        a negator's scope are marked.

    Returns
    -------
    Matches
    """
    if not negation:
        return _count_matches_plain(texts, dictionary, tokenized)
    return _count_matches_by_text(texts, dictionary, negation=negation)


def _count_matches_plain(texts, dictionary: Dictionary, tokenized: TextTokens | None) -> Matches:
    """:func:`count_matches` without negation, from tokens of all texts found at once.

    The result equals the text-by-text method's (the tests compare them): phrases are
    searched only in the texts whose tokens show one can start there
    (:func:`_phrase_texts`), only the texts with a phrase are tokenized again, with the
    phrase taken out, and the other texts' words are the given tokens.
    """
    if tokenized is None:
        tokenized = text_tokens(texts)
    n_texts = tokenized.n_texts
    categories, index, phrases, phrase_regex, phrase_lookup = _prepared(dictionary)

    # 1. phrases, text by text, in the texts where one can start (:func:`_phrase_texts`)
    phrase_hits: list[tuple[int, str, bool]] = []
    phrase_tokens = np.zeros(n_texts, dtype=np.int64)
    blanked: dict[int, str] = {}  # a text with a phrase, the phrase blanked out
    if phrase_regex is not None and n_texts:
        candidates = _phrase_texts(phrases, tokenized)
        rows_searched = range(n_texts) if candidates is None else candidates.tolist()
        for row in rows_searched:
            pieces, last, lowered = [], 0, tokenized.lowered(row)
            for match in phrase_regex.finditer(lowered):
                words = " ".join(_phrase_words(match.group(0)))
                if not phrase_lookup(words):
                    continue
                phrase_hits.append((row, words, False))
                phrase_tokens[row] += len(_TOKEN.findall(match.group(0)))
                pieces += [lowered[last : match.start()], " "]
                last = match.end()
            if pieces:
                blanked[row] = "".join([*pieces, lowered[last:]])

    # 2. single words: every token of the texts without a phrase, and the tokens of the
    # blanked texts
    has_phrase = np.zeros(n_texts, dtype=bool)
    has_phrase[np.fromiter(blanked, np.int64, len(blanked))] = True
    keep = ~has_phrase[tokenized.text_of]
    rows = tokenized.text_of[keep]
    codes = tokenized.codes[keep]
    marked = set(tokenized.with_marks.tolist())
    extra_tokens = [
        (_TOKEN if row in marked else _TOKEN_WITHOUT_MARKS).findall(text)
        for row, text in blanked.items()
    ]
    extra_rows = np.repeat(
        np.fromiter(blanked, np.int64, len(blanked)), [len(found) for found in extra_tokens]
    )
    extra_words = np.asarray([t for found in extra_tokens for t in found], dtype=object)
    totals = np.bincount(rows, minlength=n_texts) + np.bincount(extra_rows, minlength=n_texts)

    # 3. which words match which patterns: each distinct word once
    used = np.flatnonzero(np.bincount(codes, minlength=len(tokenized.vocabulary)))
    words = sorted(set(tokenized.vocabulary[used].tolist()) | set(extra_words.tolist()))
    hits = _word_hits(words, dictionary, index)

    # 4. terms = matched words (in alphabetical order) + matched phrases
    term_index, term_patterns, term_categories, _ = _terms(
        hits, words, phrase_hits, phrase_lookup, len(categories)
    )
    n_terms = len(term_index)
    term_of_word = pd.Series(term_index, dtype=np.int64)
    vocabulary_terms = term_of_word.reindex(tokenized.vocabulary).to_numpy()
    word_terms = vocabulary_terms[codes] if len(codes) else np.zeros(0)
    extra_terms = term_of_word.reindex(extra_words).to_numpy()
    matched_rows = np.concatenate(
        [
            rows[~np.isnan(word_terms)],
            extra_rows[~np.isnan(extra_terms)],
            np.asarray([row for row, _, _ in phrase_hits], dtype=np.int64),
        ]
    )
    matched_terms = np.concatenate(
        [
            word_terms[~np.isnan(word_terms)],
            extra_terms[~np.isnan(extra_terms)],
            np.asarray([term_index[w] for _, w, _ in phrase_hits], dtype=np.int64),
        ]
    ).astype(np.int64)
    term_counts = sparse.csr_matrix(
        (np.ones(len(matched_rows)), (matched_rows, matched_terms)), shape=(n_texts, n_terms)
    )
    term_counts.sum_duplicates()
    return Matches(
        categories=categories,
        terms=list(term_index),
        term_counts=term_counts,
        term_negated=sparse.csr_matrix((n_texts, n_terms)),
        term_categories=term_categories,
        term_patterns=term_patterns,
        tokens=totals.astype(np.int64) + phrase_tokens,
    )
