"""Scare quotes: which terms each outlet holds at a distance in quotation marks, and how often
it uses them without.

A scare quote is a direct, un-nested quote of one to three words with no speaker (the
``scare`` column of :func:`analysis.quotes.extract_quotes`). Scare quotes are the outlet's:
quotation marks inside an embedded post are its author's, so a scare quote there, and a use
of the term there, is not counted for the outlet.
"""

from __future__ import annotations

import bisect

import pandas as pd

from analysis import tokens

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
    first_words = {
        outlet: ({key[0] for key in wanted}, sorted({len(key) for key in wanted}))
        for outlet, wanted in terms_by_outlet.items()
    }
    direct = quotes[(quotes["kind"].astype(str) == "direct") & ~quotes["nested"]]
    spans = {
        key: (frame["start"].to_list(), frame["end"].to_list())
        for key, frame in direct.sort_values("start").groupby("article_id")
    }
    posts = quotes[quotes["kind"].astype(str) == "post"]
    post_spans = {
        key: (frame["start"].to_list(), frame["end"].to_list())
        for key, frame in posts.sort_values("start").groupby("article_id")
    }
    counts: dict[tuple[str, str], list[int]] = {}
    for article_id, outlet, text in zip(
        articles["article_id"], articles["outlet"], articles["text_clean"]
    ):
        wanted = terms_by_outlet.get(outlet)
        if not wanted:
            continue
        firsts, lengths = first_words[outlet]
        starts, ends = spans.get(article_id, ([], []))
        post_starts, post_ends = post_spans.get(article_id, ([], []))
        for term, start, end in _term_matches(text, wanted, firsts, lengths):
            in_post = bisect.bisect_right(post_starts, start) - 1
            if in_post >= 0 and end <= post_ends[in_post]:
                continue
            at = bisect.bisect_right(starts, start) - 1
            quoted = at >= 0 and end <= ends[at]
            counts.setdefault((outlet, term), [0, 0])[0 if quoted else 1] += 1
    grouped = scare.groupby(["outlet", "term"], sort=True).agg(
        scare_quoted=("term", "size"), n_articles=("article_id", "nunique")
    )
    rows = []
    for (outlet, term), row in grouped.iterrows():
        inside_quotes, unquoted = counts.get((outlet, term), [0, 0])
        scare_quoted = int(row["scare_quoted"])
        rows.append(
            (
                outlet,
                term,
                scare_quoted,
                max(inside_quotes - scare_quoted, 0),
                unquoted,
                scare_quoted / (scare_quoted + unquoted),
                int(row["n_articles"]),
            )
        )
    out = pd.DataFrame(rows, columns=columns)
    out = out.sort_values(["outlet", "scare_quoted", "term"], ascending=[True, False, True])
    return out.reset_index(drop=True)
