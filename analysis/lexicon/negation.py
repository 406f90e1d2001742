"""Negation: which tokens a negator negates (:func:`_negation_scopes`, the one place that
decides it, for words and phrases alike), and the count of matches text by text with the
negated ones apart (:func:`_count_matches_by_text`). See :mod:`analysis.lexicon.scoring`."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.lexicon.matching import Matches, _prepared, _terms, _word_hits
from analysis.lexicon.model import Dictionary
from analysis.lexicon.phrases import _phrase_words
from analysis.tokens import TOKEN_PATTERN, count_matrix, strip_possessives

NEGATORS = frozenset(
    {"not", "no", "never", "without", "nor", "neither", "nobody", "none", "nothing", "nowhere"}
    | {"cannot", "hardly"}
)
NEGATION_WINDOW = 3
"""A negator negates at most this many tokens after it (fewer when its clause ends first)."""
CONTRASTIVE_CONJUNCTIONS = frozenset({"but", "however", "yet", "although", "though", "whereas"})
"""Words that end a negator's scope ("not absolute but free": *free* is not negated). The
word itself is not negated. "yet" right after the negator is the adverb of "not yet", which
keeps the scope open ("not yet free": *free* is negated)."""
NEGATION_SCOPE_BREAK = r"[,;:.!?…—]|\s–|–\s"
"""Punctuation between two tokens that ends a negator's scope: a comma, semicolon or colon,
a sentence end (``.`` ``!`` ``?`` ``…``), an em dash, or an en dash used as a dash (with
white space on a side; "1990–95" is no break). Only the text between tokens is searched, so
the full stops inside a token ("u.s.", "3.5") end nothing; an abbreviation's own full stop
("mr. free") does."""


_TOKEN = re.compile(TOKEN_PATTERN)
_NEGATED = "xnegx_"  # marks a negated token inside the counting step only
# a negator is a whole word: one of NEGATORS, or a word ending in n't (also "n't" alone, as in
# text split the Penn Treebank way: "do n't")
_NEGATOR = re.compile(r"(?<![\w'’\-])(?:" + "|".join(sorted(NEGATORS)) + r"|\w*n['’]t)(?![\w'’\-])")
_SCOPE_BREAK = re.compile(NEGATION_SCOPE_BREAK)


def _negation_scopes(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` character spans of the tokens of ``text`` that a negator negates.

    The only place where negation scope is decided (words and phrases alike): after each
    negator, up to :data:`NEGATION_WINDOW` tokens, stopping before the first token that
    :data:`NEGATION_SCOPE_BREAK` punctuation separates from the one before it, and at a word
    of :data:`CONTRASTIVE_CONJUNCTIONS` (but not at "yet" right after the negator: "not yet").
    """
    spans: list[tuple[int, int]] = []
    for negator in _NEGATOR.finditer(text):
        position = negator.end()
        for count, token in enumerate(_TOKEN.finditer(text, position)):
            if count == NEGATION_WINDOW or _SCOPE_BREAK.search(text, position, token.start()):
                break
            word = token.group(0)
            if word in CONTRASTIVE_CONJUNCTIONS and not (count == 0 and word == "yet"):
                break
            spans.append(token.span())
            position = token.end()
    return spans


def _marked_tokens(text: str, scopes: list[tuple[int, int]]) -> list[str]:
    """The tokens of ``text``, those in a negator's scope prefixed with the negation marker.

    ``scopes`` are :func:`_negation_scopes` of ``text``, or of the text that ``text`` was
    made from by blanking matched phrases (each character replaced by a space): a scope then
    counts the phrase's tokens, and the blanked tokens are gone. The tokens are marked, not
    the text: a marker written into the text would split a token such as "33,000",
    "#pakistan" or "u.s." in two when the text is tokenized again.
    """
    starts = {start for start, _ in scopes}
    return [
        _NEGATED + token.group(0) if token.start() in starts else token.group(0)
        for token in _TOKEN.finditer(text)
    ]


def _token_matrix(found: list[list[str]]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sparse (texts x terms) counts of each text's ``found`` tokens and the terms, sorted:
    what :func:`analysis.tokens.count_matrix` gives for texts."""
    lengths = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    flat = np.asarray([token for tokens in found for token in tokens], dtype=object)
    codes, vocabulary = pd.factorize(flat, sort=True)
    counts = sparse.csr_matrix(
        (np.ones(len(codes), dtype=np.int64), (np.repeat(np.arange(len(found)), lengths), codes)),
        shape=(len(found), len(vocabulary)),
    )
    counts.sum_duplicates()
    return counts, np.asarray(vocabulary, dtype=object)


def _negated_before(text: str, start: int, scopes: list[tuple[int, int]] | None = None) -> bool:
    """Whether the match starting at ``start`` in ``text`` lies in a negator's scope
    (``scopes``: :func:`_negation_scopes` of ``text``, when the caller has them)."""
    if scopes is None:
        scopes = _negation_scopes(text)
    return any(low <= start < high for low, high in scopes)


def _count_matches_by_text(texts, dictionary: Dictionary, *, negation: bool) -> Matches:
    """:func:`count_matches` text by text: each text is tokenized again and, with negation,
    its tokens in a negator's scope are marked (:func:`_marked_tokens`). Without negation it
    gives what :func:`_count_matches_plain` gives, slower."""
    texts = ["" if not isinstance(t, str) else t for t in texts]
    categories, index, phrases, phrase_regex, phrase_lookup = _prepared(dictionary)

    # 1. phrases, longest first; their words are then blanked out of the text
    phrase_hits: list[tuple[int, str, bool]] = []
    phrase_tokens = np.zeros(len(texts), dtype=np.int64)
    remaining = []
    for row, text in enumerate(texts):
        lower = strip_possessives(text.lower())
        # negation scopes are found in the whole text, before phrases are blanked out, so a
        # phrase's tokens count in the window of the words after it
        scopes = _negation_scopes(lower) if negation else []
        if phrase_regex is not None and phrase_regex.search(lower):
            pieces, last = [], 0
            for match in phrase_regex.finditer(lower):
                words = " ".join(_phrase_words(match.group(0)))
                if not phrase_lookup(words):
                    continue
                negated = negation and _negated_before(lower, match.start(), scopes)
                phrase_hits.append((row, words, negated))
                phrase_tokens[row] += len(_TOKEN.findall(match.group(0)))
                pieces.append(lower[last : match.start()])
                # blanked to as many spaces, so the scopes' offsets still hold
                pieces.append(" " * (match.end() - match.start()))
                last = match.end()
            pieces.append(lower[last:])
            lower = "".join(pieces)
        remaining.append(_marked_tokens(lower, scopes) if negation else lower)

    # 2. single words: a sparse document-term matrix
    word_counts, vocabulary = (
        _token_matrix(remaining) if negation else count_matrix(remaining, lower=False)
    )
    word_counts = word_counts.tocsc()
    vocabulary = vocabulary.tolist()

    # 3. which vocabulary terms match which single-word patterns
    bases = [v.removeprefix(_NEGATED) for v in vocabulary]
    hits = _word_hits(bases, dictionary, index)

    # 4. terms = matched words (plain and negated merged) + matched phrases
    term_index, term_patterns, term_categories, term_of = _terms(
        hits, bases, phrase_hits, phrase_lookup, len(categories)
    )
    plain_cols, plain_terms, neg_cols, neg_terms = [], [], [], []
    for column, term in term_of.items():
        (neg_cols if vocabulary[column].startswith(_NEGATED) else plain_cols).append(column)
        (neg_terms if vocabulary[column].startswith(_NEGATED) else plain_terms).append(term)
    n_terms = len(term_index)

    def gather(columns: list[int], terms: list[int], negated_phrases: bool) -> sparse.csr_matrix:
        words = (
            word_counts[:, columns]
            @ sparse.csr_matrix(
                (np.ones(len(columns)), (np.arange(len(columns)), terms)),
                shape=(len(columns), n_terms),
            )
            if columns
            else sparse.csr_matrix((len(texts), n_terms))
        )
        chosen = [(row, term_index[w]) for row, w, neg in phrase_hits if neg == negated_phrases]
        rows = [r for r, _ in chosen]
        cols = [c for _, c in chosen]
        found = sparse.csr_matrix((np.ones(len(chosen)), (rows, cols)), shape=(len(texts), n_terms))
        return (words + found).tocsr()

    return Matches(
        categories=categories,
        terms=list(term_index),
        term_counts=gather(plain_cols, plain_terms, False),
        term_negated=gather(neg_cols, neg_terms, True),
        term_categories=term_categories,
        term_patterns=term_patterns,
        tokens=np.asarray(word_counts.sum(axis=1)).ravel() + phrase_tokens,
    )
