"""Frame salience: dictionary matches per article and voice, per outlet, and an audit.

The unit scored is the sentence (so every voice can be told apart); articles and voices are
sums of their sentences. A category's **rate** is its matches per 1,000 tokens of the unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import stats
from analysis.lexicon.model import Dictionary
from analysis.lexicon.scoring import Matches, count_matches
from analysis.settings import N_RESAMPLES
from analysis.tokens import TextTokens, positions_within

VOICES = ("narrative", "quote", "social")
SCORE_COLUMNS = [
    "article_id",
    "voice",
    "category",
    "count",
    "negated",
    "weighted",
    "tokens",
    "rate",
]


def _group_matrix(codes: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    """Sparse (groups x rows) indicator: row i belongs to group codes[i]."""
    return sparse.csr_matrix(
        (np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(n_groups, len(codes))
    )


def score_frames(
    sentences: pd.DataFrame,
    dictionary: Dictionary,
    *,
    negation: bool = False,
    tokenized: TextTokens | None = None,
) -> tuple[pd.DataFrame, Matches]:
    """Dictionary matches per article, overall and by voice.

    Parameters
    ----------
    sentences : DataFrame
        ``article_id``, ``voice``, ``text`` (see :func:`analysis.segment.split_sentences`).
    dictionary : Dictionary
        From :func:`analysis.lexicon.read_dictionary`.
    negation : bool
        Count negated matches separately (see :mod:`analysis.lexicon.scoring`).
    tokenized : TextTokens, optional
        :func:`analysis.tokens.text_tokens` of ``sentences["text"]``, if already found.

    Returns
    -------
    scores : DataFrame
        One row per article x voice (``all``, and each voice the article has) x category:
        ``article_id, voice, category, count`` (matches, negated ones excluded),
        ``negated``, ``weighted`` (the sum of the matched patterns' weights, negated matches
        excluded; equal to ``count`` for an unweighted dictionary), ``tokens`` (tokens of
        the article's sentences in that voice) and
        ``rate`` (``count`` per 1,000 tokens). Zero counts are kept: an article that never
        uses a frame has rate 0, which the outlet means need.
    matches : Matches
        The sentence-level matches, for the audit.
    """
    matches = count_matches(
        sentences["text"].tolist(), dictionary, negation=negation, tokenized=tokenized
    )
    article_codes, article_ids = pd.factorize(sentences["article_id"], sort=False)
    voice = sentences["voice"].astype(str).to_numpy()
    mapping = (matches.term_categories != 0).astype(float)
    plain = (matches.term_counts @ mapping).tocsr()
    negated = (matches.term_negated @ mapping).tocsr()
    weighted = (matches.term_counts @ matches.term_categories).tocsr()
    tables = []
    n_articles = len(article_ids)
    for label in ("all", *VOICES):
        chosen = np.ones(len(voice), bool) if label == "all" else voice == label
        if not chosen.any():
            continue
        group = _group_matrix(article_codes[chosen], n_articles)
        counts = np.asarray((group @ plain[chosen]).todense())
        negs = np.asarray((group @ negated[chosen]).todense())
        weights = np.asarray((group @ weighted[chosen]).todense())
        tokens = np.asarray(group @ matches.tokens[chosen]).ravel()
        present = np.bincount(article_codes[chosen], minlength=n_articles) > 0
        rows = np.repeat(np.flatnonzero(present), len(matches.categories))
        cols = np.tile(np.arange(len(matches.categories)), present.sum())
        tables.append(
            pd.DataFrame(
                {
                    "article_id": np.asarray(article_ids, dtype=object)[rows],
                    "voice": label,
                    "category": np.asarray(matches.categories, dtype=object)[cols],
                    "count": counts[rows, cols].astype(np.int64),
                    "negated": negs[rows, cols].astype(np.int64),
                    "weighted": weights[rows, cols],
                    "tokens": tokens[rows].astype(np.int64),
                }
            )
        )
    scores = (
        pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=SCORE_COLUMNS[:-1])
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        scores["rate"] = np.where(
            scores["tokens"] > 0, scores["count"] * 1000.0 / scores["tokens"], np.nan
        )
    return scores[SCORE_COLUMNS], matches


def frame_audit(matches: Matches, sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Which terms matched which category, how often, per outlet.

    Returns
    -------
    DataFrame
        ``outlet, category, term, pattern, count, negated``: ``term`` is the word or phrase
        as it appeared (lower case), ``pattern`` the dictionary entry it matched. The counts
        of a category, summed over its terms, equal that category's counts in
        :func:`score_frames`.
    """
    outlet_of = articles.set_index("article_id")["outlet"]
    codes, outlets = pd.factorize(sentences["article_id"].map(outlet_of), sort=True)
    group = _group_matrix(codes, len(outlets))
    plain = (group @ matches.term_counts).tocsr()
    negated = (group @ matches.term_negated).tocsr()
    # every (outlet, term) with a plain or a negated match, then one row per category of
    # the term: array operations over the CSR structure, no per-entry lookups
    either = (abs(plain) + abs(negated)).tocoo()
    outlet_at, term_at = either.row, either.col
    counts, negated_counts = (
        np.asarray(m[outlet_at, term_at]).ravel() if either.nnz else np.zeros(0, np.int64)
        for m in (plain, negated)
    )
    by_term = matches.term_categories.tocsr()
    per_term = np.diff(by_term.indptr)[term_at]
    starts = np.repeat(by_term.indptr[term_at], per_term)
    within = positions_within(per_term)
    rows = {
        "o": np.repeat(outlet_at, per_term),
        "t": np.repeat(term_at, per_term),
        "c": by_term.indices[starts + within],
        "count": np.repeat(counts, per_term),
        "negated": np.repeat(negated_counts, per_term),
    }
    out = pd.DataFrame(rows)
    out.insert(0, "outlet", np.asarray(outlets, dtype=object)[out["o"]])
    out.insert(1, "category", np.asarray(matches.categories, dtype=object)[out["c"]])
    out.insert(2, "term", np.asarray(matches.terms, dtype=object)[out["t"]])
    out.insert(3, "pattern", [matches.term_patterns[(t, c)] for t, c in zip(out["t"], out["c"])])
    out = out.drop(columns=["o", "t", "c"]).astype({"count": "int64", "negated": "int64"})
    return out.sort_values(
        ["outlet", "category", "count", "term"],
        ascending=[True, True, False, True],
        ignore_index=True,
    )


def _every_outlet(out: pd.DataFrame, articles: pd.DataFrame, unit: str) -> pd.DataFrame:
    """``out`` with a row (no estimate, no units) for each measure of every outlet of
    ``articles`` that has none: an outlet whose articles have no words at all (emoji, a
    link) is listed, as in the tone tables, not left out."""
    missing = sorted(set(articles["outlet"].dropna()) - set(out["outlet"]), key=str)
    if not missing or out.empty:
        return out
    measures = list(dict.fromkeys(out["measure"]))
    added = pd.DataFrame(
        [
            {"outlet": outlet, "measure": measure, "n_articles": 0, "n_units": 0, "unit": unit}
            for measure in measures
            for outlet in missing
        ]
    )
    out = pd.concat([out, added.reindex(columns=out.columns)], ignore_index=True)
    order = out["measure"].map({m: i for i, m in enumerate(measures)})
    out = out.assign(_order=order, _outlet=out["outlet"].astype(str))
    out = out.sort_values(["_order", "_outlet"], kind="stable").drop(columns=["_order", "_outlet"])
    return out.reset_index(drop=True).astype({"n_articles": int, "n_units": int})


def outlet_frames(
    scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    unit: str = "article",
    matches: Matches | None = None,
    sentences: pd.DataFrame | None = None,
    confidence: float = 0.95,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
) -> pd.DataFrame:
    """Frame salience per outlet (all voices) with bootstrap intervals, in long form.

    Parameters
    ----------
    scores : DataFrame
        :func:`score_frames`.
    articles : DataFrame
        ``article_id``, ``outlet``.
    unit : {"article", "sentence"}
        ``article`` (default): the estimate is the mean of the outlet's article rates (each
        article weighs the same) and the interval resamples articles; missing with fewer
        than :data:`analysis.stats.MIN_UNITS_MEAN` articles. ``sentence``: the outlet's
        pooled rate (all its matches per 1,000 of all its tokens) with an interval
        resampling sentences, which needs ``matches`` and ``sentences``; sentences of one
        article are not independent (see :data:`analysis.stats.SENTENCE_CAVEAT`).

    Returns
    -------
    DataFrame
        ``outlet, measure, estimate, ci_low, ci_high, n_articles, n_units, unit``;
        ``measure`` is the category. Missing intervals are counted in one
        :class:`analysis.stats.UndefinedIntervalWarning`.
    """
    options = {"confidence": confidence, "n_resamples": n_resamples, "seed": seed}
    parts = []
    if unit == "article":
        data = scores[scores["voice"] == "all"]
        categories = list(dict.fromkeys(data["category"]))
        wide = data.pivot(index="article_id", columns="category", values="rate")
        wide = wide.reindex(pd.unique(data["article_id"]))  # the articles in their order
        wide = wide.rename_axis("article_id").reset_index()
        wide = wide.merge(articles[["article_id", "outlet"]], on="article_id")
        # every category of an outlet's articles in one bootstrap call per outlet
        parts.append(stats.summarize_columns(wide, categories, unit="article", **options))
    elif unit == "sentence":
        if matches is None or sentences is None:
            raise ValueError("unit='sentence' needs the sentence matches and sentences")
        mapping = (matches.term_categories != 0).astype(float)
        plain = (matches.term_counts @ mapping).tocsc()
        outlet = sentences["article_id"].map(articles.set_index("article_id")["outlet"])
        for at, category in enumerate(matches.categories):
            frame = pd.DataFrame(
                {
                    "outlet": outlet.to_numpy(),
                    "article_id": sentences["article_id"].to_numpy(),
                    "count": plain[:, at].toarray().ravel(),
                    "tokens": matches.tokens,
                }
            )
            part = stats.summarize_ratio(
                frame, numerator="count", denominator="tokens", scale=1000.0, **options
            )
            parts.append(part.assign(measure=category))
    else:
        raise ValueError(f"unit must be one of {stats.UNITS}, not {unit!r}")
    if not parts:
        return pd.DataFrame(columns=stats.SUMMARY_COLUMNS)
    out = _every_outlet(pd.concat(parts, ignore_index=True)[stats.SUMMARY_COLUMNS], articles, unit)
    minimum = stats.MIN_UNITS_MEAN if unit == "article" else stats.MIN_UNITS_RATIO
    stats.warn_missing_intervals(out, "frames", unit=unit, minimum=minimum)
    return out
