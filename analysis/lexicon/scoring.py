"""Counting dictionary matches with sparse matrices.

Texts are tokenized once with the project's tokenizer (:mod:`analysis.tokens`), lower-cased.
Phrases are matched first, longest first, and their words are then taken out of the text, so
"freedom of expression" is not also counted as "freedom" and "expression". Single words are
counted with scikit-learn's ``CountVectorizer`` into a sparse document-term matrix, and a
sparse term-by-category matrix turns term counts into category counts: no Python loop runs
per token. A token in two categories counts once in each.

With ``negation=True``, a match with a negator ("not", "no", "never", "without", ...,
or a word ending in "n't") among the three tokens before it is counted separately as
negated, and not in the plain count. A negator's scope ends at the end of its clause: at
clause punctuation (``,`` ``;`` ``:`` an em dash, a spaced en dash) or a sentence end (``.``
``!`` ``?`` ``…``), and at a contrastive conjunction (:data:`CONTRASTIVE_CONJUNCTIONS`). So in
"free speech is not absolute, and security matters" and "without a warrant, security forces
acted" *security* is not negated, nor is *free* in "not absolute but free". One function,
:func:`_negation_scopes`, decides the scope for words and phrases alike.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.lexicon.model import Dictionary, Pattern
from analysis.tokens import (
    PLAIN_TOKEN_PATTERN,
    TOKEN_PATTERN,
    TextTokens,
    count_matrix,
    strip_possessives,
    text_tokens,
)

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
_TOKEN_WITHOUT_MARKS = re.compile(PLAIN_TOKEN_PATTERN)
_NEGATED = "xnegx_"  # marks a negated token inside the counting step only
# a negator is a whole word: one of NEGATORS, or a word ending in n't (also "n't" alone, as in
# text split the Penn Treebank way: "do n't")
_NEGATOR = re.compile(r"(?<![\w'’\-])(?:" + "|".join(sorted(NEGATORS)) + r"|\w*n['’]t)(?![\w'’\-])")
_SCOPE_BREAK = re.compile(NEGATION_SCOPE_BREAK)


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


def _phrase_regex(phrases: list[Pattern]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    alternatives = []
    for pattern in sorted(phrases, key=lambda p: (-len(p.words), -len(p.text))):
        words = [re.escape(w) for w in pattern.words]
        last = words[-1] + (r"[\w'’\-]*" if pattern.wildcard else "")
        # words of a phrase are separated by white space or a hyphen, not by punctuation
        alternatives.append(r"(?:\s+|\s*[-‐–]\s*)".join([*words[:-1], last]))
    # an apostrophe continues a word only between letters ("don't"); next to a phrase it is a
    # single quotation mark (‘freedom of expression’), which does not stop the match
    return re.compile(
        r"(?<![\w\-#@])(?<!\w['’])(?:" + "|".join(alternatives) + r")(?![\w\-]|['’]\w)"
    )


def _phrase_texts(phrases: list[Pattern], tokenized: TextTokens) -> np.ndarray | None:
    """The texts where a phrase can match, from their tokens; None when that cannot be told.

    A phrase match starts where a token starts (the regex's lookbehind allows no word
    character, hyphen, ``#`` or ``@`` before it), and that token is either the phrase's
    first word followed by a token that starts its second word, or that first word joined
    by a hyphen to the next ("freedom-of-expression"). The second word's token is that word
    (the last word's lookahead allows no word character or hyphen after it), the word
    joined by a hyphen to the next, or, for a wildcard last word, a word it begins. A second
    word of digits or of one letter is not trusted to be a token of its own (in "19,000"
    and "u.s." it is not), so its phrase is looked for wherever its first word is. In a text
    with a combining mark a word can start inside a token (after the mark), so such texts
    are always searched.
    """
    first_words = {p.words[0] for p in phrases}
    if any(_TOKEN.fullmatch(word) is None for word in first_words):
        return None
    # a first word -> (second word, may it be followed by more letters); None: any token
    second_words: dict[str, list[tuple[str, bool]] | None] = {}
    for pattern in phrases:
        first, second = pattern.words[0], pattern.words[1]
        own_token = second.isalpha() and len(second) > 1
        if not own_token or second_words.get(first, []) is None:
            second_words[first] = None
        else:
            last_wildcard = pattern.wildcard and len(pattern.words) == 2
            second_words.setdefault(first, []).append((second, last_wildcard))
    vocabulary = tokenized.vocabulary.tolist()
    words = pd.Index(tokenized.vocabulary, dtype=object)
    is_first = np.asarray(words.isin(first_words), dtype=bool)
    hyphen_joined = np.zeros(len(vocabulary), dtype=bool)
    for at in (k for k, word in enumerate(vocabulary) if "-" in word):
        word = vocabulary[at]
        hyphen_joined[at] = any(word[:i] in first_words for i, c in enumerate(word) if c == "-")
    loose = {first for first, allowed in second_words.items() if allowed is None}
    is_loose = np.asarray(words.isin(loose), dtype=bool)
    codes, text_of = tokenized.codes, tokenized.text_of
    found = [text_of[(hyphen_joined | is_loose)[codes]], tokenized.with_marks]
    # a first word and the token after it (in the same text): each distinct pair checked once
    at = np.flatnonzero(is_first[codes[:-1]] & (text_of[:-1] == text_of[1:]))
    pairs, pair_of = np.unique(codes[at] * len(vocabulary) + codes[at + 1], return_inverse=True)

    def can_start(pair: int) -> bool:
        first, after = vocabulary[pair // len(vocabulary)], vocabulary[pair % len(vocabulary)]
        allowed = second_words[first] or []  # None: its texts are already in
        return any(
            after == word or after.startswith(word + "-") or (wildcard and after.startswith(word))
            for word, wildcard in allowed
        )

    starts = np.fromiter(map(can_start, pairs.tolist()), bool, len(pairs))
    found.append(text_of[at[starts[pair_of]]])
    return np.unique(np.concatenate(found))


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

    # 1. phrases, in all texts at once (a phrase never spans the NUL between two texts)
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
    extra_rows = np.repeat(np.fromiter(blanked, np.int64, len(blanked)),
                           [len(found) for found in extra_tokens])  # fmt: skip
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
    matched_rows = np.concatenate([
        rows[~np.isnan(word_terms)],
        extra_rows[~np.isnan(extra_terms)],
        np.asarray([row for row, _, _ in phrase_hits], dtype=np.int64),
    ])  # fmt: skip
    matched_terms = np.concatenate([
        word_terms[~np.isnan(word_terms)],
        extra_terms[~np.isnan(extra_terms)],
        np.asarray([term_index[w] for _, w, _ in phrase_hits], dtype=np.int64),
    ]).astype(np.int64)  # fmt: skip
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


def _phrase_words(text: str) -> list[str]:
    """The words of a phrase or of its match, split at spaces, hyphens and punctuation, so
    "gun control" and "Gun-control" compare equal."""
    return re.findall(r"[\w'’#@]+", text)


def _phrase_lookup(dictionary: Dictionary, index: dict[str, int]):
    """A function from a matched phrase's words to the (category, pattern) pairs it matches."""
    exact: dict[str, list[tuple[int, Pattern]]] = {}
    wildcards: list[tuple[int, list[str], Pattern]] = []
    for category, patterns in dictionary.categories.items():
        for pattern in patterns:
            if not pattern.is_phrase:
                continue
            parts = _phrase_words(" ".join(pattern.words))
            if pattern.wildcard:
                wildcards.append((index[category], parts, pattern))
            else:
                exact.setdefault(" ".join(parts), []).append((index[category], pattern))

    def lookup(words: str) -> list[tuple[int, Pattern]]:
        found = dict(exact.get(words, ()))
        parts = words.split()
        for category, wanted, pattern in wildcards:
            n = len(wanted)
            if (
                len(parts) >= n
                and parts[: n - 1] == wanted[:-1]
                and parts[n - 1].startswith(wanted[-1])
            ):
                found.setdefault(category, pattern)
        return list(found.items())

    return lookup


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
