"""Scores that set groups apart: TF-IDF by group, log-odds with an informative Dirichlet
prior, keyness, and the table of every score (:func:`distinctive_terms`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse, special
from scipy import stats as scipy_stats
from sklearn.feature_extraction.text import TfidfTransformer

from analysis import stats
from analysis.terms.counts import DocumentTerms
from analysis.terms.presence import unit_presence, warn_untested


def tfidf_by_group(
    dtm: DocumentTerms, groups: pd.Series, *, top: int | None = None
) -> pd.DataFrame:
    """TF-IDF of every term for every group, two ways.

    ``tfidf_concatenated``: each group's articles joined into one document, TF-IDF across the
    group documents (a term scores high when a group uses it a lot and few groups use it).
    ``tfidf_mean_article``: TF-IDF across articles, averaged over the group's articles (a
    term scores high when it is typical of many of the group's articles). Both use
    scikit-learn's ``TfidfTransformer`` (smoothed idf, l2-normalised rows).

    Returns
    -------
    DataFrame
        ``group, term, count, tfidf_concatenated, tfidf_mean_article``; only terms the group
        uses; with ``top``, the ``top`` terms per group by ``tfidf_concatenated``.
    """
    grouped, names = dtm.group_counts(groups)
    concatenated = TfidfTransformer().fit_transform(grouped).tocsr()
    per_article = TfidfTransformer().fit_transform(dtm.counts).tocsr()
    labels = groups.reindex(dtm.article_ids)
    codes = pd.Categorical(labels, categories=names).codes
    sizes = np.bincount(codes[codes >= 0], minlength=len(names)).astype(float)
    indicator = sparse.csr_matrix(
        (1.0 / sizes[codes[codes >= 0]], (codes[codes >= 0], np.flatnonzero(codes >= 0))),
        shape=(len(names), len(codes)),
    )
    mean_article = (indicator @ per_article).tocsr()
    # all three matrices have the same non-zero pattern: read their values side by side
    for matrix in (grouped, concatenated, mean_article):
        matrix.sum_duplicates()
        matrix.sort_indices()
    rows = np.repeat(np.arange(grouped.shape[0]), np.diff(grouped.indptr))
    out = pd.DataFrame(
        {
            "group": names[rows],
            "term": dtm.terms[grouped.indices],
            "count": grouped.data.astype(np.int64),
            "tfidf_concatenated": _values_like(concatenated, grouped),
            "tfidf_mean_article": _values_like(mean_article, grouped),
        }
    )
    out = out.sort_values(["group", "tfidf_concatenated", "term"], ascending=[True, False, True])
    if top is not None:
        out = out.groupby("group", sort=False).head(top)
    return out.reset_index(drop=True)


def _values_like(matrix: sparse.csr_matrix, pattern: sparse.csr_matrix) -> np.ndarray:
    """The entries of ``matrix`` at the non-zeros of ``pattern`` (both sorted CSR)."""
    if np.array_equal(matrix.indptr, pattern.indptr) and np.array_equal(
        matrix.indices, pattern.indices
    ):
        return matrix.data
    rows = np.repeat(np.arange(pattern.shape[0]), np.diff(pattern.indptr))
    return np.asarray(matrix[rows, pattern.indices]).ravel()


def dirichlet_prior(
    pooled: np.ndarray,
    *,
    prior: str | pd.Series = "corpus",
    scale: float = 1.0,
    pseudo_count: float = 0.01,
    terms: np.ndarray | None = None,
) -> np.ndarray:
    """The prior pseudo-counts ``alpha_w`` of the log-odds.

    ``prior="corpus"``: ``scale`` times the pooled count of each word (the empirical-Bayes
    choice of tidylo; ``scale`` < 1 weakens the prior). ``"uniform"``: ``pseudo_count`` for
    every word (jmhessel/FightingWords' default 0.01). A Series (term -> frequency) is a
    background table: its relative frequencies times ``scale`` times the pooled total, with
    ``pseudo_count`` for terms it lacks.
    """
    pooled = np.asarray(pooled, dtype=float)
    if isinstance(prior, pd.Series):
        if terms is None:
            raise ValueError("a background table needs the terms")
        background = prior.astype(float)
        share = background.reindex(terms).to_numpy() / background.sum()
        alpha = scale * pooled.sum() * share
        return np.where(np.isfinite(alpha) & (alpha > 0), alpha, pseudo_count)
    if prior == "corpus":
        return scale * pooled
    if prior == "uniform":
        return np.full_like(pooled, pseudo_count)
    raise ValueError(f"prior must be 'corpus', 'uniform' or a Series, not {prior!r}")


def log_odds_arrays(
    y_i: np.ndarray,
    y_j: np.ndarray,
    alpha: np.ndarray,
    *,
    variance: str = "full",
    n_i: float | None = None,
    n_j: float | None = None,
) -> dict[str, np.ndarray]:
    """The log-odds ratio with an informative Dirichlet prior, for count vectors ``y_i`` and
    ``y_j`` over the same terms (Monroe, Colaresi & Quinn 2008, eq. 16 and 18-22).

    ``variance="full"`` adds the two terms of the complement counts (scattertext's form);
    ``"approximate"`` is the paper's ``1/(y_i+a) + 1/(y_j+a)``. ``n_i`` and ``n_j`` are the
    two sides' token totals (default: the sums of ``y_i`` and ``y_j``).
    """
    y_i, y_j, alpha = (np.asarray(a, dtype=float) for a in (y_i, y_j, alpha))
    n_i = y_i.sum() if n_i is None else float(n_i)
    n_j = y_j.sum() if n_j is None else float(n_j)
    alpha_0 = alpha.sum()
    rest_i = n_i + alpha_0 - y_i - alpha
    rest_j = n_j + alpha_0 - y_j - alpha
    if variance not in ("full", "approximate"):
        raise ValueError(f"variance must be 'full' or 'approximate', not {variance!r}")
    # a term that is every token of both sides (rest = 0) has no odds: NaN, not a warning
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((y_i + alpha) / rest_i) - np.log((y_j + alpha) / rest_j)
        var = 1 / (y_i + alpha) + 1 / (y_j + alpha)
        if variance == "full":
            var = var + 1 / rest_i + 1 / rest_j
        z = delta / np.sqrt(var)
    z = np.where(np.isfinite(z), z, np.nan)
    p = 2 * scipy_stats.norm.sf(np.abs(z))
    q = np.full_like(p, np.nan)
    defined = np.isfinite(p)  # a term that is every token of both sides has no odds
    if defined.any():
        q[defined] = scipy_stats.false_discovery_control(p[defined], method="bh")
    return {"delta": delta, "variance": var, "z": z, "p": p, "q": q}


def _comparisons(names: np.ndarray, pairs) -> list[tuple[str, list[int], list[int]]]:
    if pairs is None:
        return [
            (f"{name} vs rest", [i], [j for j in range(len(names)) if j != i])
            for i, name in enumerate(names)
        ]
    index = {str(n): i for i, n in enumerate(names)}
    found = []
    for first, second in pairs:
        missing = [g for g in (first, second) if str(g) not in index]
        if missing:
            raise ValueError(f"no group named {missing}; groups: {', '.join(map(str, names))}")
        found.append((f"{first} vs {second}", [index[str(first)]], [index[str(second)]]))
    return found


def log_odds(
    dtm: DocumentTerms,
    groups: pd.Series,
    *,
    pairs=None,
    prior: str | pd.Series = "corpus",
    scale: float = 1.0,
    pseudo_count: float = 0.01,
    variance: str = "full",
) -> pd.DataFrame:
    """Log-odds ratios with an informative Dirichlet prior for every comparison.

    Parameters
    ----------
    dtm : DocumentTerms
    groups : Series
        Group of each article, indexed by ``article_id`` (an outlet, a bias rating, ...).
    pairs : list of (str, str), optional
        Compare these pairs; by default each group against all the others together.
    prior, scale, pseudo_count
        See :func:`dirichlet_prior`; the prior comes from the pooled counts of all groups
        compared (the whole corpus), or from the background table.
    variance : {"full", "approximate"}

    Returns
    -------
    DataFrame
        One row per comparison x term: ``group``, ``comparison``, ``term``, ``count`` (in the
        group), ``count_other``, ``rate`` (per 1,000 of the group's tokens), ``delta``,
        ``variance``, ``z``, ``p``, ``q`` (Benjamini-Hochberg across the comparison's terms).
    """
    grouped, names = dtm.group_counts(groups)
    dense = grouped.toarray().astype(float)
    totals = dtm.group_tokens(groups)
    alpha_all = dirichlet_prior(
        dense.sum(axis=0), prior=prior, scale=scale, pseudo_count=pseudo_count, terms=dtm.terms
    )
    tables = []
    for label, first, second in _comparisons(names, pairs):
        y_i = dense[first].sum(axis=0)
        y_j = dense[second].sum(axis=0)
        used = (y_i + y_j) > 0  # a term neither side uses is not tested
        # the model is a multinomial over the vocabulary, so its totals are vocabulary sums
        # (mixing in token totals would let a group that never uses a word get z > 0);
        # the reported rate is per 1,000 real tokens
        n_i = totals[first].sum()
        result = log_odds_arrays(
            y_i[used],
            y_j[used],
            alpha_all[used],
            variance=variance,
            n_i=y_i.sum(),
            n_j=y_j.sum(),
        )
        tables.append(
            pd.DataFrame(
                {
                    "group": names[first[0]],
                    "comparison": label,
                    "term": dtm.terms[used],
                    "count": y_i[used].astype(np.int64),
                    "count_other": y_j[used].astype(np.int64),
                    "rate": 1000 * y_i[used] / max(n_i, 1),
                    **result,
                }
            )
        )
    return pd.concat(tables, ignore_index=True)


def _chi2_sf_one_df(x: np.ndarray) -> np.ndarray:
    """``scipy.stats.chi2.sf(x, 1)``, ten times faster: with one degree of freedom the
    chi-squared tail is ``erfc(sqrt(x / 2))``. The two agree to 2e-13 (relative) down to
    p = 1e-300, below which scipy's gives subnormal numbers and this gives 0; negative
    rounding errors count as 0, so their p-value is 1."""
    return special.erfc(np.sqrt(np.maximum(x, 0.0) / 2.0))


def keyness_arrays(
    a: np.ndarray, b: np.ndarray, *, n_a: float | None = None, n_b: float | None = None
) -> dict[str, np.ndarray]:
    """Keyness of every term: counts ``a`` in the target and ``b`` in the reference.

    Per term, the 2x2 table [[a, b], [n_a - a, n_b - b]]: Yates-corrected chi-squared and
    log-likelihood G2 (both with 1 degree of freedom), their p-values, and the log ratio
    (binary log of the ratio of relative frequencies, 0.5 added to zero counts; Hardie 2014).
    ``n_a`` and ``n_b`` are the token totals (default: the sums of ``a`` and ``b``).
    The sign of ``chi2`` and ``g2`` is positive when the term is relatively more frequent in
    the target.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n_a = a.sum() if n_a is None else float(n_a)
    n_b = b.sum() if n_b is None else float(n_b)
    c, d = n_a - a, n_b - b
    n = n_a + n_b
    row1, row2, col1, col2 = a + b, c + d, n_a, n_b
    difference = np.abs(a * d - b * c)
    corrected = np.maximum(difference - n / 2, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = n * corrected**2 / (row1 * row2 * col1 * col2)
        expected = np.stack([row1 * col1 / n, row1 * col2 / n, row2 * col1 / n, row2 * col2 / n])
        observed = np.stack([a, b, c, d])
        terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
        g2 = 2 * terms.sum(axis=0)
        log_ratio = np.log2((np.where(a > 0, a, 0.5) / n_a) / (np.where(b > 0, b, 0.5) / n_b))
    sign = np.sign(a / n_a - b / n_b)
    chi2 = np.nan_to_num(chi2)
    return {
        "chi2": sign * chi2,
        "chi2_p": _chi2_sf_one_df(chi2),
        "g2": sign * g2,
        "g2_p": _chi2_sf_one_df(g2),
        "log_ratio": log_ratio,
    }


def keyness(dtm: DocumentTerms, groups: pd.Series, *, pairs=None) -> pd.DataFrame:
    """Keyness of every term for every comparison (each group against the rest by default).

    Returns
    -------
    DataFrame
        ``comparison, term, chi2, chi2_p, g2, g2_p, log_ratio, chi2_q_pooled_tokens,
        g2_q_pooled_tokens``; q-values are Benjamini-Hochberg across the comparison's terms.
        These tests pool every token of a side as if tokens were independent draws; words
        come in bursts within articles, so under shuffled article labels they mark
        thousands of terms (docs/methods.md). Read chi2 and G2 as effect sizes.
    """
    grouped, names = dtm.group_counts(groups)
    dense = grouped.toarray().astype(float)
    totals = dtm.group_tokens(groups)
    tables = []
    for label, first, second in _comparisons(names, pairs):
        a, b = dense[first].sum(axis=0), dense[second].sum(axis=0)
        used = (a + b) > 0
        result = keyness_arrays(a[used], b[used], n_a=totals[first].sum(), n_b=totals[second].sum())
        frame = pd.DataFrame({"comparison": label, "term": dtm.terms[used], **result})
        for test in ("chi2", "g2"):
            frame[f"{test}_q_pooled_tokens"] = scipy_stats.false_discovery_control(
                frame[f"{test}_p"].to_numpy(), method="bh"
            )
        tables.append(frame)
    return pd.concat(tables, ignore_index=True)


TERM_COLUMNS = [
    "group",
    "comparison",
    "term",
    "count",
    "count_other",
    "rate",
    "tfidf_concatenated",
    "tfidf_mean_article",
    "delta",
    "variance",
    "z",
    "p_pooled_tokens",
    "q_pooled_tokens",
    "chi2",
    "g2",
    "log_ratio",
    "test_unit",
    "n_units",
    "n_units_other",
    "units_using",
    "units_using_other",
    "p",
    "q",
]
"""The columns of :func:`distinctive_terms` (the ``term_scores`` table)."""


def distinctive_terms(
    dtm: DocumentTerms,
    groups: pd.Series,
    *,
    pairs=None,
    units: pd.Series | None = None,
    correction: str = "bh",
    prior: str | pd.Series = "corpus",
    scale: float = 1.0,
    variance: str = "full",
) -> pd.DataFrame:
    """The long term table: log-odds, keyness, TF-IDF and the unit-level test side by side,
    one row per comparison x term.

    Parameters
    ----------
    dtm : DocumentTerms
    groups : Series
        Group of each article, indexed by ``article_id``.
    pairs : list of (str, str), optional
        As :func:`log_odds`.
    units : Series, optional
        The unit the test resamples, indexed by ``article_id`` (the outlet of each article
        when the groups are a metadata column over outlets); None: each article is a unit.
    correction : {"bh", "holm"}
        How ``q`` adjusts ``p`` over the family (:func:`analysis.stats.adjust_p`).
    prior, scale, variance
        As :func:`log_odds`.

    Returns
    -------
    DataFrame
        :data:`TERM_COLUMNS`. ``z`` is the log-odds z of Monroe et al. (an effect size);
        ``p_pooled_tokens`` and ``q_pooled_tokens`` its pooled-token test, which is not
        calibrated (words come in bursts) and is kept for parity with Monroe et al. and
        scattertext. ``chi2``, ``g2`` and ``log_ratio`` are keyness effect sizes. ``p`` and
        ``q`` are the default test (:func:`analysis.stats.presence_test` on
        ``units_using`` of ``n_units`` against ``units_using_other`` of
        ``n_units_other``, the unit named in ``test_unit``); ``q`` is Benjamini-Hochberg
        (or Holm's) over every row of the table (one family: every term of every comparison).
    """
    odds = log_odds(dtm, groups, pairs=pairs, prior=prior, scale=scale, variance=variance)
    odds = odds.rename(columns={"p": "p_pooled_tokens", "q": "q_pooled_tokens"})
    keys = keyness(dtm, groups, pairs=pairs)[["comparison", "term", "chi2", "g2", "log_ratio"]]
    tfidf = tfidf_by_group(dtm, groups).drop(columns="count")
    table = odds.merge(keys, on=["comparison", "term"]).merge(
        tfidf, on=["group", "term"], how="left"
    )
    presence = unit_presence(dtm, groups, units=units)
    warn_untested(presence.group_units, presence.unit)
    names = list(presence.group_units.index)
    parts = []
    for label, first, second in _comparisons(np.asarray(names, dtype=object), pairs):
        parts.append(
            pd.DataFrame(
                {
                    "comparison": label,
                    "term": dtm.terms,
                    "n_units": presence.group_units.iloc[first].sum(),
                    "n_units_other": presence.group_units.iloc[second].sum(),
                    "units_using": presence.using[first].sum(axis=0),
                    "units_using_other": presence.using[second].sum(axis=0),
                }
            )
        )
    table = table.merge(pd.concat(parts, ignore_index=True), on=["comparison", "term"])
    table["test_unit"] = presence.unit
    table["p"] = stats.presence_test(
        table["units_using"],
        table["n_units"],
        table["units_using_other"],
        table["n_units_other"],
    )
    table["q"] = stats.adjust_p(table["p"].to_numpy(), method=correction)
    return table[TERM_COLUMNS]
