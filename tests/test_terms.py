"""Distinctive words: the formulas against hand and reference computations, scipy, sklearn."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy import stats as scipy_stats
from sklearn.feature_extraction.text import TfidfTransformer

from analysis import measures, pipeline, stats, terms
from analysis.corpus import load_corpus
from analysis.paths import SEED_CORPUS


def test_log_odds_against_a_hand_computed_example():
    y_i, y_j, alpha = np.array([10.0, 5.0]), np.array([2.0, 8.0]), np.array([1.0, 1.0])
    n_i, n_j, a0 = 15, 10, 2
    delta = math.log(11 / (n_i + a0 - 11)) - math.log(3 / (n_j + a0 - 3))
    var_full = 1 / 11 + 1 / 3 + 1 / (n_i + a0 - 11) + 1 / (n_j + a0 - 3)
    var_approx = 1 / 11 + 1 / 3
    full = terms.log_odds_arrays(y_i, y_j, alpha)
    approx = terms.log_odds_arrays(y_i, y_j, alpha, variance="approximate")
    assert full["delta"][0] == pytest.approx(delta)
    assert full["variance"][0] == pytest.approx(var_full)
    assert approx["variance"][0] == pytest.approx(var_approx)
    assert full["z"][0] == pytest.approx(delta / math.sqrt(var_full))
    assert full["p"][0] == pytest.approx(2 * scipy_stats.norm.sf(abs(delta / math.sqrt(var_full))))


@pytest.mark.parametrize("variance", ["full", "approximate"])
def test_log_odds_against_a_per_term_reference(variance):
    rng = np.random.default_rng(3)
    y_i = rng.poisson(3, size=400).astype(float)
    y_j = rng.poisson(2, size=400).astype(float)
    alpha = 0.5 * (y_i + y_j) + 0.01
    result = terms.log_odds_arrays(y_i, y_j, alpha, variance=variance)
    n_i, n_j, a0 = y_i.sum(), y_j.sum(), alpha.sum()
    for w in range(0, 400, 37):  # the formula written out term by term
        a, b, al = y_i[w], y_j[w], alpha[w]
        d = math.log((a + al) / (n_i + a0 - a - al)) - math.log((b + al) / (n_j + a0 - b - al))
        v = 1 / (a + al) + 1 / (b + al)
        if variance == "full":
            v += 1 / (n_i + a0 - a - al) + 1 / (n_j + a0 - b - al)
        assert result["delta"][w] == pytest.approx(d)
        assert result["z"][w] == pytest.approx(d / math.sqrt(v))


def test_benjamini_hochberg_on_a_known_table():
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.5])
    # sorted: .005 .01 .03 .04 .5 -> p*m/rank = .025 .025 .05 .05 .5, then monotone from the end
    expected = np.array([0.025, 0.05, 0.05, 0.025, 0.5])
    assert scipy_stats.false_discovery_control(p, method="bh") == pytest.approx(expected)


def dtm_of(rows: list[list[int]], groups: list[str]) -> tuple[terms.DocumentTerms, pd.Series]:
    counts = sparse.csr_matrix(np.array(rows, dtype=np.int64))
    ids = np.array([f"a{i}" for i in range(len(rows))], dtype=object)
    vocabulary = np.array([f"t{j}" for j in range(counts.shape[1])], dtype=object)
    return terms.DocumentTerms(counts, vocabulary, ids), pd.Series(groups, index=ids)


def test_n_way_equals_pairwise_when_there_are_two_groups():
    rng = np.random.default_rng(5)
    rows = rng.poisson(2, size=(6, 50)).tolist()
    dtm, groups = dtm_of(rows, ["A", "A", "A", "B", "B", "B"])
    versus_rest = terms.log_odds(dtm, groups).query("comparison == 'A vs rest'")
    pairwise = terms.log_odds(dtm, groups, pairs=[("A", "B")])
    for column in ("delta", "variance", "z", "p", "q"):
        assert versus_rest[column].to_numpy() == pytest.approx(pairwise[column].to_numpy())


def test_one_vs_rest_for_many_groups_and_unknown_pair():
    rng = np.random.default_rng(6)
    dtm, groups = dtm_of(rng.poisson(2, size=(8, 30)).tolist(), list("AABBCCDD"))
    table = terms.log_odds(dtm, groups)
    assert sorted(table["comparison"].unique()) == [f"{g} vs rest" for g in "ABCD"]
    a = table[table["comparison"] == "A vs rest"]
    assert (a["count"] + a["count_other"]).to_numpy() == pytest.approx(
        np.asarray(dtm.counts.sum(axis=0)).ravel()
    )
    with pytest.raises(ValueError, match="no group named"):
        terms.log_odds(dtm, groups, pairs=[("A", "Z")])


def test_keyness_against_scipy_contingency_functions():
    rng = np.random.default_rng(8)
    a = rng.poisson(4, size=60).astype(float)
    b = rng.poisson(6, size=60).astype(float)
    result = terms.keyness_arrays(a, b)
    n_a, n_b = a.sum(), b.sum()
    for w in range(0, 60, 7):
        table = np.array([[a[w], b[w]], [n_a - a[w], n_b - b[w]]])
        chi2, chi2_p, _, _ = scipy_stats.chi2_contingency(table, correction=True)
        g2, g2_p, _, _ = scipy_stats.chi2_contingency(
            table, correction=False, lambda_="log-likelihood"
        )
        assert abs(result["chi2"][w]) == pytest.approx(chi2)
        assert result["chi2_p"][w] == pytest.approx(chi2_p)
        assert abs(result["g2"][w]) == pytest.approx(g2)
        assert result["g2_p"][w] == pytest.approx(g2_p)
        sign = np.sign(a[w] / n_a - b[w] / n_b)
        assert np.sign(result["g2"][w]) == sign or result["g2"][w] == 0
    assert result["log_ratio"][0] == pytest.approx(
        math.log2((max(a[0], 0.5) / n_a) / (max(b[0], 0.5) / n_b))
    )


def test_document_terms_bigrams_stop_words_and_min_count():
    sentences = pd.DataFrame(
        {
            "article_id": ["x", "x", "y"],
            "text": [
                "Freedom of expression matters in 2017.",
                "Expression freedom rules.",
                "Blasphemy laws and blasphemy laws.",
            ],
        }
    )
    dtm = terms.document_terms(sentences, min_count=1)
    vocabulary = set(dtm.terms)
    assert "blasphemy laws" in vocabulary and "expression freedom" in vocabulary
    assert "freedom expression" not in vocabulary  # 'of' is a stop word: no bigram across it
    assert "matters expression" not in vocabulary  # no bigram across sentences
    assert "2017" not in vocabulary and "of" not in vocabulary
    row = dict(zip(dtm.terms, dtm.counts.toarray()[1]))
    assert row["blasphemy laws"] == 2 and row["blasphemy"] == 2
    assert "freedom" not in set(terms.document_terms(sentences, min_count=3).terms)
    unigrams = terms.document_terms(sentences, ngram_range=(1, 1), min_count=1)
    assert not any(" " in t for t in unigrams.terms)


def test_tfidf_views():
    dtm, groups = dtm_of([[2, 0, 1], [0, 1, 1], [3, 0, 0]], ["A", "A", "B"])
    table = terms.tfidf_by_group(dtm, groups).set_index(["group", "term"])
    expected = TfidfTransformer().fit_transform(np.array([[2, 1, 2], [3, 0, 0]])).toarray()
    assert table.loc[("A", "t0"), "tfidf_concatenated"] == pytest.approx(expected[0, 0])
    per_article = TfidfTransformer().fit_transform(dtm.counts).toarray()
    assert table.loc[("A", "t2"), "tfidf_mean_article"] == pytest.approx(per_article[:2, 2].mean())
    assert ("B", "t1") not in table.index  # a group's table lists the terms it uses


def test_priors():
    pooled = np.array([10.0, 0.0, 5.0])
    assert terms.dirichlet_prior(pooled, scale=0.5).tolist() == [5.0, 0.0, 2.5]
    assert terms.dirichlet_prior(pooled, prior="uniform").tolist() == [0.01] * 3
    background = pd.Series({"a": 3.0, "b": 1.0})
    alpha = terms.dirichlet_prior(
        pooled, prior=background, terms=np.array(["a", "b", "c"], dtype=object)
    )
    assert alpha.tolist() == pytest.approx([11.25, 3.75, 0.01])


def test_distinctive_terms_on_a_realistic_sparse_matrix():
    rng = np.random.default_rng(9)
    counts = sparse.random(3000, 20000, density=0.005, random_state=rng, format="csr")
    counts.data = rng.integers(1, 4, size=counts.nnz).astype(np.int64)
    counts = counts.astype(np.int64)
    ids = np.array([f"a{i}" for i in range(3000)], dtype=object)
    dtm = terms.DocumentTerms(counts, np.array([f"t{j}" for j in range(20000)], dtype=object), ids)
    groups = pd.Series(rng.choice(list("ABCDE"), size=3000), index=ids)
    table = terms.distinctive_terms(dtm, groups)
    assert len(table) == 5 * 20000
    assert table["q"].between(0, 1).all() and table["q_pooled_tokens"].between(0, 1).all()
    assert (table["q"] >= table["p"] - 1e-12).all()
    # the labels are random: the article-level test marks nothing
    assert (table["q"] < 0.05).sum() == 0
    assert (table["test_unit"] == "article").all()
    assert table["n_units"].groupby(table["group"]).first().sum() == 3000


def test_bigrams_stop_at_punctuation_and_possessives_are_the_word():
    sentences = pd.DataFrame(
        {"article_id": ["x"], "text": ["Security, security: Facebook's security team."]}
    )
    dtm = terms.document_terms(sentences, min_count=1)
    vocabulary = set(dtm.terms)
    assert "security security" not in vocabulary
    assert "facebook security" in vocabulary and "facebook's" not in vocabulary
    assert dtm.tokens.tolist() == [5]  # every token counts in the total, stop words too


def test_rates_and_keyness_use_token_totals_not_vocabulary_sums():
    sentences = pd.DataFrame(
        {
            "article_id": ["a", "b"],
            "text": ["The censorship of the press is the issue here today.", "Press freedom."],
        }
    )
    dtm = terms.document_terms(sentences, min_count=1)
    groups = pd.Series({"a": "A", "b": "B"})
    table = terms.distinctive_terms(dtm, groups).set_index(["comparison", "term"])
    row = table.loc[("A vs rest", "press")]
    assert row["rate"] == pytest.approx(1000 / 10)  # 10 tokens in A, not 4 kept terms
    observed = np.array([[1, 1], [10 - 1, 2 - 1]])
    g2, _, _, _ = scipy_stats.chi2_contingency(observed, correction=False, lambda_="log-likelihood")
    assert abs(row["g2"]) == pytest.approx(g2)
    # the pair comparison leaves out terms neither side uses
    pair = terms.log_odds(dtm, groups, pairs=[("A", "B")])
    assert ((pair["count"] + pair["count_other"]) > 0).all()


def test_a_group_that_never_uses_a_word_never_gets_a_positive_z():
    rng = np.random.default_rng(11)
    rows = rng.poisson(1.0, size=(4, 300))
    rows[0] = rng.poisson(0.3, size=300)  # a short article
    dtm, groups = dtm_of(rows.tolist(), list("ABCD"))
    dtm.tokens = np.asarray(rows.sum(axis=1) * 2.5)  # token totals exceed vocabulary sums
    table = terms.log_odds(dtm, groups)
    assert not ((table["count"] == 0) & (table["z"] > 0)).any()


def test_chi_squared_tail_with_one_degree_of_freedom_is_scipys():
    x = np.concatenate([np.linspace(0, 60, 2001), np.geomspace(1e-12, 1400, 2001)])
    expected = scipy_stats.chi2.sf(x, 1)
    got = terms.scores._chi2_sf_one_df(x)
    normal = expected > 1e-300  # scipy's subnormal tail is 0 here
    np.testing.assert_allclose(got[normal], expected[normal], rtol=1e-12, atol=0)
    assert np.all(got[~normal] < 1e-300)
    edges = terms.scores._chi2_sf_one_df(np.array([0.0, -1e-13, np.inf, np.nan]))
    np.testing.assert_array_equal(edges, [1.0, 1.0, 0.0, np.nan])


def test_the_word_test_is_exact_under_shuffled_labels_and_finds_a_planted_term():
    """Articles of 5 outlets share one vocabulary drawn in bursts (a term used in an
    article is used several times); one planted term is used by most articles of outlet
    A. Pooled-token tests mark bursty terms; the article test marks only the planted one,
    and its q over the family is Holm's when asked."""
    rng = np.random.default_rng(11)
    n_articles, n_terms = 1000, 3000
    used = sparse.random(n_articles, n_terms, density=0.02, random_state=rng, format="csr")
    used.data = rng.geometric(0.15, size=used.nnz).astype(np.int64)  # bursts of repeats
    outlets = rng.choice(list("ABCDE"), size=n_articles)
    counts = used.tolil()
    planted = np.flatnonzero(outlets == "A")[: int(0.8 * (outlets == "A").sum())]
    counts[planted, 0] = 2
    counts = counts.tocsr().astype(np.int64)
    ids = np.array([f"a{i}" for i in range(n_articles)], dtype=object)
    names = np.array([f"t{j}" for j in range(n_terms)], dtype=object)
    dtm = terms.DocumentTerms(counts, names, ids)
    table = terms.distinctive_terms(dtm, pd.Series(outlets, index=ids))
    marked = table[table["q"] < 0.05]
    assert set(marked["term"]) == {"t0"} and (marked["group"] == "A").any()
    assert (table["q_pooled_tokens"] < 0.05).sum() > len(marked)  # bursts fool pooled tests
    holm = terms.distinctive_terms(dtm, pd.Series(outlets, index=ids), correction="holm")
    np.testing.assert_allclose(holm["q"], stats.adjust_p(table["p"], method="holm"))
    assert (holm["q"] >= table["q"] - 1e-12).all()


def test_outlets_as_units_count_outlets_using_a_term():
    ids = np.array([f"a{i}" for i in range(8)], dtype=object)
    counts = sparse.csr_matrix(np.array([[1], [0], [3], [0], [0], [1], [0], [0]]))
    dtm = terms.DocumentTerms(counts, np.array(["w"], dtype=object), ids)
    groups = pd.Series(list("LLLLRRRR"), index=ids)
    outlets = pd.Series(["o1", "o1", "o2", "o3", "o4", "o4", "o5", "o6"], index=ids)
    table = terms.distinctive_terms(dtm, groups, units=outlets).set_index("group")
    # L: outlets o1, o2, o3 (o1 and o2 use w); R: o4, o5, o6 (o4 uses it)
    assert table.loc[
        "L", ["n_units", "units_using", "n_units_other", "units_using_other"]
    ].tolist() == [3, 2, 3, 1]
    assert (table["test_unit"] == "outlet").all()


@pytest.fixture(scope="module")
def region_corpus_tables():
    """The seed articles' paragraphs recombined into 24 articles of 4 outlets in 2 regions."""
    seed = load_corpus(SEED_CORPUS).articles
    paragraphs = [p for text in seed["text"] for p in text.split("\n\n") if p.strip()]
    rows = []
    for i in range(24):
        chosen = [paragraphs[(i * 5 + k * 7) % len(paragraphs)] for k in range(4)]
        rows.append(
            (f"a{i:02d}", f"outlet {i % 4}", "north" if i % 4 < 2 else "south", "\n\n".join(chosen))
        )
    frame = pd.DataFrame(rows, columns=["id", "outlet", "region", "text"])
    return pipeline.prepare(load_corpus(frame))


@pytest.mark.parametrize(
    "group_by, words",
    [
        ("outlet", {}),
        ("outlet", {"prior": "uniform", "correction": "holm", "min_count": 1}),
        ("outlet", {"variance": "approximate", "prior_scale": 0.5, "ngram_max": 1}),
        ("region", {}),
    ],
    ids=["default", "uniform-holm", "approximate-unigrams", "outlets-as-units"],
)
def test_the_measures_streamed_tables_equal_the_whole_matrix_reference(
    region_corpus_tables, group_by, words
):
    # the measure counts terms per partition and reduces them by streaming
    # (analysis.terms.streaming); terms.distinctive_terms is the whole-matrix reference
    settings = measures.WordSettings(**words)
    made = measures.measure(
        region_corpus_tables, "terms", words=settings, compare=measures.Compare(group_by=group_by)
    )
    tables = region_corpus_tables
    labels = tables["articles"].set_index("article_id")[group_by]
    units = tables["articles"].set_index("article_id")["outlet"] if group_by != "outlet" else None
    dtm = terms.document_terms(
        tables["sentences"],
        ngram_range=(1, settings.ngram_max),
        min_count=settings.min_count_for(len(labels)),
    )
    options = {
        "prior": settings.prior,
        "scale": settings.prior_scale,
        "variance": settings.variance,
        "correction": settings.correction,
    }
    whole = terms.distinctive_terms(dtm, labels, units=units, **options)
    pair = tuple(made["term_settings"]["pair"].iloc[0].split(" vs "))
    whole_pair = terms.distinctive_terms(dtm, labels, pairs=[pair], units=units, **options)
    for streamed, reference in ((made["term_scores"], whole), (made["term_pair"], whole_pair)):
        streamed, reference = streamed.reset_index(drop=True), reference.reset_index(drop=True)
        # TF-IDF's L2 norms add a row's entries in the order of scipy's product: the last
        # bits differ (the rows are summed one article at a time when streaming)
        pd.testing.assert_frame_equal(streamed[TFIDF], reference[TFIDF], rtol=1e-12)
        pd.testing.assert_frame_equal(
            streamed.drop(columns=TFIDF), reference.drop(columns=TFIDF), check_exact=True
        )


TFIDF = ["tfidf_concatenated", "tfidf_mean_article"]
