"""Scare quotes: which terms each outlet holds at a distance in quotation marks, and how often
it uses them without.

A scare quote is a direct, un-nested quote of one to three words with no speaker (the
``scare`` column of :func:`analysis.quotes.extract_quotes`). Scare quotes are the outlet's:
quotation marks inside an embedded post are its author's, so a scare quote there, and a use
of the term there, is not counted for the outlet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import tokens
from analysis.tokens.arrow import _RE2_TOKEN

_STRIP = " .,;:!?…—–-"
FUNCTION_WORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "than",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "me",
        "him",
        "her",
        "them",
        "us",
        "his",
        "their",
        "our",
        "my",
        "your",
        "not",
        "no",
        "so",
        "if",
    )
)
"""Words that make no scare quote on their own: a quoted ``"the"`` or ``"and"`` is a
fragment or a slip of the quotation marks, not a term held at a distance."""


def scare_term(text: str) -> str:
    """The normalised form of a scare-quoted term: lower case, single spaces, without the
    punctuation at its ends.

    >>> scare_term("Blasphemous, ")
    'blasphemous'
    """
    return " ".join(text.lower().split()).strip(_STRIP)


def _term_matches(
    text: str, wanted: dict[tuple[str, ...], str], firsts: set[str], lengths: list[int]
) -> list[tuple[str, int, int]]:
    """``(term, start, end)`` for every occurrence in ``text`` of a wanted token sequence
    (``firsts``: the sequences' first tokens; ``lengths``: their lengths)."""
    spans = tokens.token_spans(text)
    words = [text[a:b].lower() for a, b in spans]
    found = []
    for i, word in enumerate(words):
        if word not in firsts:
            continue
        for n in lengths:
            key = tuple(words[i : i + n])
            if len(key) == n and key in wanted:
                found.append((wanted[key], spans[i][0], spans[i + n - 1][1]))
    return found


_EDGE = "\x02"
"""Put around every token by Arrow's regex engine; a text holding it takes the Python path."""


def _token_offsets(texts: pa.Array) -> tuple[tuple[np.ndarray, ...], list[str]]:
    """Every token of every text by Arrow's regex engine (:data:`TOKEN_PATTERN` for RE2):
    the index of its text, its character offsets (start, end) and the index of its lower
    case into the returned list of distinct lower-case tokens."""
    edged = pc.replace_substring_regex(texts, _RE2_TOKEN, rf"{_EDGE}\0{_EDGE}")
    pieces = pc.split_pattern(edged, _EDGE)
    # a text with n tokens is 2 n + 1 pieces, the tokens at odd places within it
    first_piece = pieces.offsets.to_numpy()
    n_tokens = np.diff(first_piece) // 2
    text_of = np.repeat(np.arange(len(texts)), n_tokens)
    at = np.repeat(first_piece[:-1] + 1, n_tokens) + 2 * tokens.positions_within(n_tokens)
    lengths = pc.utf8_length(pieces.values).to_numpy(zero_copy_only=False).astype(np.int64)
    before = np.concatenate([[0], np.cumsum(lengths)])  # characters before each piece
    starts = before[at] - before[first_piece[:-1]][text_of]
    encoded = pc.dictionary_encode(pc.take(pieces.values, pa.array(at)))
    lowered, vocabulary = pd.factorize(
        np.array([w.lower() for w in encoded.dictionary.to_pylist()], dtype=object)
    )
    codes = lowered[encoded.indices.to_numpy()]
    return (text_of, starts, starts + lengths[at], codes), list(vocabulary)


def term_uses(
    texts: list[str], outlets: np.ndarray, wanted: dict[str, dict[tuple[str, ...], str]]
) -> pd.DataFrame:
    """Every occurrence in ``texts`` of a term wanted for the text's outlet.

    Parameters
    ----------
    texts : list of str
    outlets : array
        The outlet of each text.
    wanted : dict
        Outlet -> {sequence of lower-case tokens: term}.

    Returns
    -------
    DataFrame
        ``text`` (index into ``texts``), ``term``, ``start``, ``end`` (character offsets of
        the first and last token), in no particular order: the same occurrences as
        :func:`_term_matches` finds in each text, found for all texts at once without a
        Python loop per token (texts Arrow's engine cannot take go through
        :func:`_term_matches`).
    """
    columns = ["text", "term", "start", "end"]
    usable = np.array([isinstance(t, str) and _EDGE not in t for t in texts], dtype=bool)
    try:
        array = pa.array([t if ok else "" for t, ok in zip(texts, usable)], pa.string())
    except UnicodeEncodeError:  # a lone surrogate: every text by Python
        array, usable = None, np.zeros(len(texts), dtype=bool)
    parts = []
    for at in np.flatnonzero(~usable):
        terms = wanted.get(outlets[at])
        if terms and isinstance(texts[at], str):
            firsts = {key[0] for key in terms}
            lengths = sorted({len(key) for key in terms})
            found = _term_matches(texts[at], terms, firsts, lengths)
            parts.append(pd.DataFrame([(at, *f) for f in found], columns=columns))
    if array is not None and len(array):
        parts.append(_term_uses_by_arrow(array, np.asarray(outlets), wanted))
    parts = [p for p in parts if len(p)]
    if not parts:
        empty = {c: pd.Series(dtype=object if c == "term" else np.int64) for c in columns}
        return pd.DataFrame(empty)
    return pd.concat(parts, ignore_index=True)


CHUNK = 2_000
"""Texts tokenized at once by :func:`_term_uses_by_arrow`: their tokens' arrays take about
70 MB."""


def _term_uses_by_arrow(texts: pa.Array, outlets: np.ndarray, wanted) -> pd.DataFrame:
    """:func:`term_uses` of texts Arrow's regex engine can take, :data:`CHUNK` at a time."""
    # number only the words of wanted terms (from 1; every other token is 0), so that a
    # sequence of n numbers is one integer below base ** n
    words = sorted({word for terms in wanted.values() for sequence in terms for word in sequence})
    number = {word: at + 1 for at, word in enumerate(words)}
    base = len(words) + 1
    outlet_code = {outlet: at for at, outlet in enumerate(sorted(wanted))}
    by_length: dict[int, list] = {}  # n -> [(outlet code, key of the sequence, term)]
    for outlet, terms in wanted.items():
        for sequence, term in terms.items():
            key = 0
            for word in sequence:
                key = key * base + number[word]
            by_length.setdefault(len(sequence), []).append((outlet_code[outlet], key, term))
    lookups = {n: _Lookup(rows, n, base, len(outlet_code)) for n, rows in by_length.items()}
    text_outlet = np.array([outlet_code.get(o, -1) for o in outlets], dtype=np.int64)
    found = []
    for first in range(0, len(texts), CHUNK):
        (text_of, starts, ends, codes), vocabulary = _token_offsets(texts[first : first + CHUNK])
        codes = np.array([number.get(word, 0) for word in vocabulary], dtype=np.int64)[codes]
        token_outlet = text_outlet[first + text_of]
        for n, lookup in lookups.items():
            # positions where n words of wanted terms follow one another within a text
            last = len(codes) - n + 1
            if last <= 0:
                continue
            possible = (text_of[n - 1 : n - 1 + last] == text_of[:last]) & (
                token_outlet[:last] >= 0
            )
            for k in range(n):
                possible &= codes[k : k + last] > 0
            at, term = lookup.find(np.flatnonzero(possible), token_outlet, codes)
            found.append(
                pd.DataFrame(
                    {
                        "text": first + text_of[at],
                        "term": term,
                        "start": starts[at],
                        "end": ends[at + n - 1],
                    }
                )
            )
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame()


class _Lookup:
    """The wanted sequences of ``n`` words, ``wanted``: (outlet code, key, term), the key the
    words' numbers in base ``base``.

    The outlet and the first words (as many as fit in 63 bits) make one integer, looked up
    among the wanted ones' (sorted); longer sequences are then joined on every word.
    """

    def __init__(self, wanted: list[tuple[int, int, str]], n: int, base: int, n_outlets: int):
        width = n
        while width > 1 and n_outlets * base**width >= 2**63:
            width -= 1
        if n_outlets * base**width >= 2**63:
            raise ValueError("too many outlets and words in the scare-quoted terms to match")
        self.n, self.base, self.width = n, base, width
        known = sorted((self._prefix(o, self._digits(key)[:width]), t) for o, key, t in wanted)
        self.keys = np.array([key for key, _ in known], dtype=np.int64)
        self.terms = np.array([term for _, term in known], dtype=object)
        self.columns = [f"word{k}" for k in range(n)]
        self.table = pd.DataFrame(
            [(o, *self._digits(key), term) for o, key, term in wanted],
            columns=["outlet", *self.columns, "term"],
        )

    def _digits(self, key: int) -> list[int]:
        return [key // self.base ** (self.n - 1 - k) % self.base for k in range(self.n)]

    def _prefix(self, outlet, digits):
        key = outlet
        for digit in digits:
            key = key * self.base + digit
        return key

    def find(self, at: np.ndarray, token_outlet: np.ndarray, codes: np.ndarray):
        """The positions ``at`` where a wanted sequence of the token's outlet starts, and its
        term."""
        key = self._prefix(token_outlet[at], [codes[at + k] for k in range(self.width)])
        place = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
        hit = self.keys[place] == key
        at, place = at[hit], place[hit]
        if self.width == self.n:  # the key is the whole sequence: one term each
            return at, self.terms[place]
        candidates = pd.DataFrame(
            {
                "at": at,
                "outlet": token_outlet[at],
                **{c: codes[at + k] for k, c in enumerate(self.columns)},
            }
        )
        matched = candidates.merge(self.table, on=["outlet", *self.columns])
        return matched["at"].to_numpy(), matched["term"].to_numpy(dtype=object)


def _inside(uses: pd.DataFrame, spans: pd.DataFrame) -> np.ndarray:
    """Whether each use (``article_id, start, end``) lies within the last of the article's
    ``spans`` (``article_id, start, end``) that starts at or before it."""
    if uses.empty or spans.empty:
        return np.zeros(len(uses), dtype=bool)
    spans = spans.sort_values(["article_id", "start"], kind="stable")
    articles = pd.Index(pd.unique(spans["article_id"].to_numpy(dtype=object)))
    span_article = articles.get_indexer(spans["article_id"].to_numpy(dtype=object))
    use_article = articles.get_indexer(uses["article_id"].to_numpy(dtype=object))
    scale = int(max(spans["end"].max(), uses["end"].max())) + 1
    span_at = span_article.astype(np.int64) * scale + spans["start"].to_numpy(np.int64)
    use_at = use_article.astype(np.int64) * scale + uses["start"].to_numpy(np.int64)
    at = np.searchsorted(span_at, use_at, side="right") - 1
    safe = np.maximum(at, 0)
    return (
        (use_article >= 0)
        & (at >= 0)
        & (span_article[safe] == use_article)
        & (uses["end"].to_numpy(np.int64) <= spans["end"].to_numpy(np.int64)[safe])
    )


def scare_quotes(quotes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Which terms each outlet puts in scare quotes, and how often it uses them without.

    Parameters
    ----------
    quotes : DataFrame
        :func:`analysis.quotes.extract_quotes` output (``scare``, ``start``, ``end``).
    articles : DataFrame
        ``article_id``, ``outlet``, ``text_clean``.

    Returns
    -------
    DataFrame
        One row per outlet and scare-quoted term: ``outlet``, ``term`` (:func:`scare_term`),
        ``scare_quoted`` (times the outlet puts the term alone in quotation marks with no
        speaker), ``in_quotes`` (other uses inside quotation marks, e.g. in an attributed
        quote), ``unquoted`` (uses outside quotation marks, whole words,
        case-insensitive), ``scare_share`` (scare_quoted / (scare_quoted + unquoted)),
        ``n_articles`` (articles with a scare-quoted use); sorted by outlet, then most
        scare-quoted first. Terms made only of :data:`FUNCTION_WORDS` (``"the"``, ``"a"``)
        are left out. Embedded posts are left out altogether: their quotation marks and
        words are their authors', not the outlet's.
    """
    own = quotes[quotes["scare"] & ~quotes["social"]]
    scare = own.merge(articles[["article_id", "outlet"]], on="article_id")
    columns = [
        "outlet",
        "term",
        "scare_quoted",
        "in_quotes",
        "unquoted",
        "scare_share",
        "n_articles",
    ]
    if scare.empty:
        return pd.DataFrame(columns=columns)
    scare = scare.assign(term=scare["text"].map(scare_term))
    # a term is matched as its sequence of tokens (the one tokenizer), case-insensitively
    words = {term: tuple(tokens.tokenize(term, lower=True)) for term in set(scare["term"])}
    kept = {term for term, seq in words.items() if seq and not FUNCTION_WORDS.issuperset(seq)}
    scare = scare[scare["term"].isin(kept)]
    if scare.empty:
        return pd.DataFrame(columns=columns)
    # spellings that tokenize alike are one sequence to match: it counts for the last one
    # in sorted order (not in set order, which changes with each process's string hashing)
    terms_by_outlet = {
        outlet: {words[t]: t for t in sorted(set(frame["term"])) if words[t]}
        for outlet, frame in scare.groupby("outlet")
    }
    texts = articles[articles["outlet"].isin(list(terms_by_outlet))]
    uses = term_uses(
        texts["text_clean"].tolist(), texts["outlet"].to_numpy(dtype=object), terms_by_outlet
    )
    uses["article_id"] = texts["article_id"].to_numpy(dtype=object)[uses["text"].to_numpy()]
    uses["outlet"] = texts["outlet"].to_numpy(dtype=object)[uses["text"].to_numpy()]
    kind = quotes["kind"].astype(str)
    uses = uses[~_inside(uses, quotes[kind == "post"])]
    quoted = _inside(uses, quotes[(kind == "direct") & ~quotes["nested"]])
    counts = (
        uses.assign(quoted=quoted)
        .groupby(["outlet", "term", "quoted"])
        .size()
        .unstack("quoted", fill_value=0)
        .reindex(columns=[True, False], fill_value=0)
    )
    out = scare.groupby(["outlet", "term"], sort=True).agg(
        scare_quoted=("term", "size"), n_articles=("article_id", "nunique")
    )
    found = counts.reindex(out.index, fill_value=0)
    out["in_quotes"] = np.maximum(found[True].to_numpy() - out["scare_quoted"].to_numpy(), 0)
    out["unquoted"] = found[False].to_numpy()
    out["scare_share"] = out["scare_quoted"] / (out["scare_quoted"] + out["unquoted"])
    out = out.reset_index()[columns].astype(
        {"outlet": "str", **{c: np.int64 for c in [*columns[2:5], "n_articles"]}}
    )
    out = out.sort_values(["outlet", "scare_quoted", "term"], ascending=[True, False, True])
    return out.reset_index(drop=True)
