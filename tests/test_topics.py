"""analysis.topics: coherence, stability, FREX and the proportions against direct computations
and scikit-learn/SciPy, proportions independent of the batch, the model file (no pickle), the
choice of k on topics known in advance, the outlet tests under the null, the topic network,
and the topics measure in memory on the seed corpus."""

from __future__ import annotations

import io
import itertools
import json
import math
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from scipy import optimize, sparse
from scipy import stats as scipy_stats
from sklearn.decomposition import LatentDirichletAllocation
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.metrics.pairwise import cosine_similarity

from analysis import measures, paths, pipeline, registry, topics
from analysis.corpus import load_corpus
from analysis.measures import Resampling, TopicSettings
from analysis.stats import adjust_p, cell_rng
from analysis.topics import choose, effects, network
from analysis.topics import model as topic_model


def block_corpus(
    n_documents: int = 200,
    k: int = 4,
    block: int = 20,
    length: int = 40,
    purity: float = 0.9,
    seed: int = 0,
) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Documents from ``k`` true topics, each with its own block of ``block`` words (Zipf
    probabilities inside the block, so a topic's top words are well defined): a document's
    words come from its topic with probability ``purity``, else from any topic. The counts,
    the terms and each document's topic."""
    rng = np.random.default_rng(seed)
    within = 1 / np.arange(1, block + 1)
    within /= within.sum()
    truth = np.arange(n_documents) % k
    rows = []
    for topic in truth:
        own = rng.random(length) < purity
        drawn = np.where(own, topic, rng.integers(k, size=length))
        words = drawn * block + rng.choice(block, size=length, p=within)
        rows.append(np.bincount(words, minlength=k * block))
    terms = np.array([f"w{i:03d}" for i in range(k * block)], dtype=object)
    return sparse.csr_matrix(np.array(rows, dtype=float)), terms, truth


def random_counts(n_documents: int, n_terms: int, seed: int) -> sparse.csr_matrix:
    """Sparse Poisson counts with a few empty documents."""
    rng = np.random.default_rng(seed)
    dense = rng.poisson(0.3, size=(n_documents, n_terms)).astype(float)
    dense[[3, 17]] = 0.0
    return sparse.csr_matrix(dense)


def random_model(kind: str, k: int, n_terms: int, seed: int) -> topics.TopicModel:
    """A topic model with random non-negative weights (and the IDF of random counts)."""
    rng = np.random.default_rng(seed)
    weights = rng.gamma(0.5, size=(k, n_terms))
    terms = np.array([f"t{i}" for i in range(n_terms)], dtype=object)
    if kind == "nmf":
        idf = topic_model.smooth_idf(random_counts(150, n_terms, seed + 1))
        return topics.TopicModel("nmf", terms, weights, idf, {"k": k, "seed": 0})
    parameters = {"k": k, "seed": 0, "doc_topic_prior": 1 / k, "topic_word_prior": 1 / k}
    return topics.TopicModel("lda", terms, weights * 50, None, parameters)


@pytest.fixture(scope="module")
def blocks():
    counts, terms, truth = block_corpus()
    vocabulary = topics.Vocabulary.chosen(counts, terms, max_terms=1000)
    mapped = vocabulary.columns(counts, terms)
    mapped.sort_indices()
    return mapped, vocabulary, truth


@pytest.fixture(scope="module")
def nmf_model(blocks):
    counts, vocabulary, _ = blocks
    return topics.fit_topics(counts, vocabulary, 4, kind="nmf", seed=1)


@pytest.fixture(scope="module")
def small_blocks():
    counts, terms, truth = block_corpus(n_documents=100, block=12, seed=5)
    vocabulary = topics.Vocabulary.chosen(counts, terms, max_terms=1000)
    mapped = vocabulary.columns(counts, terms)
    mapped.sort_indices()
    return mapped, vocabulary, truth


@pytest.fixture(scope="module")
def lda_model(small_blocks):
    counts, vocabulary, _ = small_blocks
    return topics.fit_topics(counts, vocabulary, 4, kind="lda", seed=3)


# NPMI coherence


def direct_npmi(present: list[set[int]], n: int, a: int, b: int) -> float:
    """NPMI of words a and b from the sets of documents holding each."""
    p_a, p_b = len(present[a]) / n, len(present[b]) / n
    p_ab = len(present[a] & present[b]) / n
    if p_ab == 0:
        return -1.0
    if p_ab == 1:
        return 1.0
    return math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)


def test_npmi_coherence_equals_the_direct_computation_from_document_frequencies():
    # 8 documents x 6 words; counts above 1 count as presence
    dense = np.array(
        [
            # w0 w1 w2 w3 w4 w5
            [2, 1, 0, 1, 1, 0],
            [1, 3, 0, 0, 1, 0],
            [1, 1, 0, 1, 1, 1],
            [0, 0, 1, 1, 1, 0],
            [0, 0, 2, 0, 1, 1],
            [0, 0, 1, 0, 1, 0],
            [0, 0, 0, 1, 1, 1],
            [0, 0, 0, 0, 1, 0],
        ],
        dtype=float,
    )
    counts = sparse.csr_matrix(dense)
    present = [set(np.flatnonzero(dense[:, j] > 0)) for j in range(dense.shape[1])]
    n = dense.shape[0]
    # w0 and w1 always together: 1; w0 and w2 never: -1
    assert topics.npmi_coherence(np.array([[0, 1]]), counts) == pytest.approx([1.0])
    assert topics.npmi_coherence(np.array([[0, 2]]), counts) == pytest.approx([-1.0])
    assert direct_npmi(present, n, 0, 1) == pytest.approx(1.0)
    top = np.array([[0, 1, 3], [2, 3, 5], [5, 0, 2], [3, 4, 1]])
    expected = [
        np.mean([direct_npmi(present, n, a, b) for a, b in itertools.combinations(row, 2)])
        for row in top
    ]
    found = topics.npmi_coherence(top, counts)
    np.testing.assert_allclose(found, expected, rtol=1e-12)
    assert np.all((found >= -1) & (found <= 1))
    # a word in every document (w4) is together with itself everywhere: p_ij = 1 -> 1
    assert topics.npmi_coherence(np.array([[4, 4]]), counts) == pytest.approx([1.0])


def test_top_word_indices_are_heaviest_first_ties_to_the_earlier_column():
    weights = np.array([[0.1, 0.5, 0.5, 0.0, 0.9], [1.0, 0.0, 0.2, 0.2, 0.1]])
    assert topics.top_word_indices(weights, n=3).tolist() == [[4, 1, 2], [0, 2, 3]]


# stability


def test_matched_overlap_of_identical_and_permuted_topics_is_one():
    top = np.array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]])
    assert topics.matched_overlap(top, top) == 1.0
    permuted = top[[2, 0, 1]][:, ::-1]  # topics reordered, words within a topic too
    assert topics.matched_overlap(top, permuted) == 1.0
    assert topics.matched_overlap(top, top + 100) == 0.0


def test_matched_overlap_finds_the_best_matching():
    first = np.array([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]])
    second = np.array([[4, 5, 6, 12], [0, 1, 2, 3], [8, 9, 13, 14]])
    # first 1 <-> second 2 (4/4 = 1), 2 <-> 1 (3/5), 3 <-> 3 (2/6)
    assert topics.matched_overlap(first, second) == pytest.approx((1 + 3 / 5 + 2 / 6) / 3)
    # against every matching
    rng = np.random.default_rng(4)
    for _ in range(20):
        a = np.array([rng.choice(12, 4, replace=False) for _ in range(4)])
        b = np.array([rng.choice(12, 4, replace=False) for _ in range(4)])
        jaccard = np.array([[len(set(x) & set(y)) / len(set(x) | set(y)) for y in b] for x in a])
        best = max(
            np.mean([jaccard[i, j] for i, j in enumerate(perm)])
            for perm in itertools.permutations(range(4))
        )
        assert topics.matched_overlap(a, b) == pytest.approx(best)


# FREX


def stm_frex(beta: np.ndarray, weight: float = 0.5) -> np.ndarray:
    """stm's calcfrex without the James-Stein shrinkage, topic by topic: the ranks (ties
    averaged) over the number of words of the word probability and of its exclusivity."""
    n_terms = beta.shape[1]
    exclusivity = beta / beta.sum(axis=0)
    frex = np.empty_like(beta)
    for topic in range(beta.shape[0]):
        frequency_score = scipy_stats.rankdata(beta[topic]) / n_terms
        exclusivity_score = scipy_stats.rankdata(exclusivity[topic]) / n_terms
        frex[topic] = 1 / (weight / exclusivity_score + (1 - weight) / frequency_score)
    return frex


@pytest.mark.parametrize("weight", [0.5, 0.3])
def test_frex_equals_a_reimplementation_of_stms_calcfrex(weight):
    model = random_model("nmf", 6, 40, seed=2)
    model.weights[:, 5] = model.weights[:, 6]  # a tie in both rankings
    probability, exclusivity, frex = topics.frex_scores(model, weight=weight)
    beta = model.weights / model.weights.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(probability, beta, rtol=1e-12)
    np.testing.assert_allclose(exclusivity, beta / beta.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(exclusivity.sum(axis=0), 1.0)
    np.testing.assert_allclose(frex, stm_frex(beta, weight), rtol=1e-12)


def test_an_exclusive_frequent_word_ranks_first_in_frex_a_shared_one_does_not():
    weights = np.full((3, 8), 1.0)
    weights[:, 1] = 10.0  # the most probable word of every topic: shared
    weights[0, 0] = 8.0  # frequent in topic 1 and in no other
    terms = np.array([f"t{i}" for i in range(8)], dtype=object)
    model = topics.TopicModel("nmf", terms, weights, np.ones(8), {"k": 3})
    _, _, frex = topics.frex_scores(model)
    assert int(np.argmax(frex[0])) == 0
    table = topics.topic_terms(model, n=3)
    first = table[(table["topic"] == 1) & (table["rank"] == 1)].set_index("ranking")["term"]
    assert (first["probability"], first["frex"]) == ("t1", "t0")
    assert topics.topic_labels(model)[0].startswith("1: t0, ")


# NMF proportions


def test_tfidf_rows_and_idf_equal_scikit_learns_tfidf_transformer():
    counts = random_counts(60, 25, seed=3)
    counts[5, 2] = 7.0  # a count above 1: sublinear
    transformer = TfidfTransformer(sublinear_tf=True).fit(counts)
    idf = topic_model.smooth_idf(counts)
    np.testing.assert_allclose(idf, transformer.idf_, rtol=1e-14)
    np.testing.assert_allclose(
        topic_model.tfidf_rows(counts, idf).toarray(),
        transformer.transform(counts).toarray(),
        rtol=1e-12,
        atol=1e-15,
    )


def test_nmf_proportions_are_the_nnls_projection_of_each_tfidf_row(blocks, nmf_model):
    counts, _, _ = blocks
    model = nmf_model
    theta = model.proportions(counts)
    rows = topic_model.tfidf_rows(counts, model.idf).toarray()
    for i, row in enumerate(rows):
        weight = optimize.nnls(model.weights.T, row)[0]
        scaled = weight * model.weights.sum(axis=1)
        np.testing.assert_allclose(theta[i], scaled / scaled.sum(), rtol=1e-7, atol=1e-9)


def test_nmf_proportions_recover_the_true_topics(blocks, nmf_model):
    counts, _, truth = blocks
    found = np.argmax(nmf_model.proportions(counts), axis=1)
    # each true topic is one fitted topic
    crossed = pd.crosstab(truth, found)
    assert crossed.shape == (4, 4)
    assert (crossed.max(axis=1) >= 0.95 * crossed.sum(axis=1)).all()


@pytest.mark.parametrize(("kind", "k"), [("nmf", 4), ("nmf", 20), ("lda", 4), ("lda", 20)])
def test_proportions_of_a_document_do_not_depend_on_the_batch(kind, k):
    model = random_model(kind, k, 60, seed=k)
    counts = random_counts(200, 60, seed=k + 1)
    together = model.proportions(counts)
    one_by_one = np.vstack([model.proportions(counts[i]) for i in range(counts.shape[0])])
    order = np.random.default_rng(k).permutation(counts.shape[0])
    shuffled = np.empty_like(together)
    shuffled[order] = model.proportions(counts[order])
    cuts = [0, 7, 8, 150, 157, 200]  # partitions of several sizes
    parts = np.vstack([model.proportions(counts[a:b]) for a, b in itertools.pairwise(cuts)])
    assert np.array_equal(together, shuffled, equal_nan=True)
    assert np.array_equal(together, parts, equal_nan=True)
    assert np.array_equal(together, one_by_one, equal_nan=True)


@pytest.mark.parametrize("kind", ["nmf", "lda"])
def test_a_document_without_a_model_word_has_no_proportions_the_others_sum_to_one(kind):
    model = random_model(kind, 5, 30, seed=9)
    counts = random_counts(40, 30, seed=10)
    theta = model.proportions(counts)
    empty = np.asarray(counts.sum(axis=1)).ravel() == 0
    assert empty.sum() == 2 and np.isnan(theta[empty]).all()
    assert np.isfinite(theta[~empty]).all() and (theta[~empty] >= 0).all()
    np.testing.assert_allclose(theta[~empty].sum(axis=1), 1.0, rtol=1e-12)
    # a document whose words are all outside the vocabulary
    outside = model.vocabulary.columns(sparse.csr_matrix([[3.0, 1.0]]), ["elsewhere", "other"])
    assert np.isnan(model.proportions(outside)).all()


# LDA


def test_lda_is_scikit_learns_and_the_rebuilt_model_transforms_as_the_fitted_one(
    small_blocks, lda_model
):
    counts, _, _ = small_blocks
    fitted = LatentDirichletAllocation(
        n_components=4,
        learning_method="batch",
        max_iter=topic_model.LDA_ITERATIONS,
        random_state=3,
    ).fit(counts)
    assert np.array_equal(lda_model.weights, fitted.components_)
    assert lda_model.parameters["doc_topic_prior"] == fitted.doc_topic_prior_ == 0.25
    assert lda_model.parameters["topic_word_prior"] == fitted.topic_word_prior_ == 0.25
    rebuilt = lda_model._lda()
    np.testing.assert_allclose(
        rebuilt.exp_dirichlet_component_, fitted.exp_dirichlet_component_, rtol=1e-8
    )  # SciPy's digamma against scikit-learn's own
    np.testing.assert_allclose(
        lda_model.proportions(counts), fitted.transform(counts), rtol=0, atol=1e-8
    )
    np.testing.assert_allclose(rebuilt.perplexity(counts), fitted.perplexity(counts), rtol=1e-10)


def test_fitting_leaves_the_counts_unchanged_and_gives_the_same_model_twice():
    raw, terms, _ = block_corpus(n_documents=100, block=12, seed=5)
    vocabulary = topics.Vocabulary.chosen(raw, terms, max_terms=1000)
    problems = []
    for kind in topics.KINDS:
        counts = vocabulary.columns(raw, terms)  # as the measure gives them (unsorted)
        before = (counts.indptr.copy(), counts.indices.copy(), counts.data.copy())
        first = topics.fit_topics(counts, vocabulary, 4, kind=kind, seed=3)
        after = (counts.indptr, counts.indices, counts.data)
        if not all(np.array_equal(a, b) for a, b in zip(before, after)):
            problems.append(f"{kind}: the counts were changed")
        again = topics.fit_topics(counts, vocabulary, 4, kind=kind, seed=3)
        if not np.array_equal(first.weights, again.weights):
            problems.append(f"{kind}: a second fit differs")
    assert problems == []


# save and load


@pytest.mark.parametrize("kind", ["nmf", "lda"])
def test_a_loaded_model_gives_exactly_the_same_proportions(kind, tmp_path, nmf_model, lda_model):
    model = nmf_model if kind == "nmf" else lda_model
    model = topics.TopicModel(
        model.kind, model.terms, model.weights, model.idf, dict(model.parameters)
    )
    model.diagnostics = pd.DataFrame(
        {
            "k": [2, 2],
            "seed": [-1, 7],
            "coherence": [0.5, 0.25],
            "stability": [0.75, np.nan],
            "perplexity": [np.nan, np.nan],
            "n_documents": [10, 10],
            "chosen": [True, False],
        }
    )
    path = model.save(tmp_path / f"model{topics.SUFFIX}")
    loaded = topics.load_model(path)
    counts = random_counts(50, len(model.terms), seed=1)
    assert loaded.kind == kind
    assert list(loaded.terms) == list(model.terms)
    assert loaded.parameters == model.parameters
    assert np.array_equal(loaded.weights, model.weights)
    assert np.array_equal(model.proportions(counts), loaded.proportions(counts), equal_nan=True)
    pd.testing.assert_frame_equal(loaded.diagnostics, model.diagnostics)
    again = topics.save_model(loaded, tmp_path / "again" / f"model{topics.SUFFIX}")
    assert again.read_bytes() == path.read_bytes()


class _Trap:
    """Unpickling it records that something was unpickled."""

    sprung: list[str] = []

    def __reduce__(self):
        return (_Trap.sprung.append, ("unpickled",))


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


GOOD_JSON = json.dumps(
    {"format": 1, "kind": "nmf", "terms": ["a", "b"], "parameters": {}, "diagnostics": None}
).encode()


def test_a_file_that_is_not_a_model_is_refused_and_never_unpickled(tmp_path):
    trap = np.empty(2, dtype=object)
    trap[:] = [_Trap(), _Trap()]
    bad = {
        "missing": tmp_path / "missing.topics",
        "random bytes": tmp_path / "random.topics",
        "zip without members": _zip(tmp_path / "other.topics", {"readme.txt": b"hello"}),
        "no arrays": _zip(tmp_path / "noarrays.topics", {"model.json": GOOD_JSON}),
        "json not json": _zip(
            tmp_path / "garbage.topics",
            {"model.json": b"\xff\x00{", "arrays.npz": _npz(weights=np.ones((2, 2)))},
        ),
        "arrays not npz": _zip(
            tmp_path / "notnpz.topics", {"model.json": GOOD_JSON, "arrays.npz": b"PK nothing"}
        ),
        "no weights": _zip(
            tmp_path / "noweights.topics",
            {"model.json": GOOD_JSON, "arrays.npz": _npz(idf=np.ones(2))},
        ),
        "object array": _zip(
            tmp_path / "pickle.topics", {"model.json": GOOD_JSON, "arrays.npz": _npz(weights=trap)}
        ),
        "another format": _zip(
            tmp_path / "format.topics",
            {
                "model.json": GOOD_JSON.replace(b'"format": 1', b'"format": 2'),
                "arrays.npz": _npz(weights=np.ones((2, 2))),
            },
        ),
        "another kind": _zip(
            tmp_path / "kind.topics",
            {
                "model.json": GOOD_JSON.replace(b'"nmf"', b'"svm"'),
                "arrays.npz": _npz(weights=np.ones((2, 2))),
            },
        ),
    }
    bad["random bytes"].write_bytes(np.random.default_rng(0).bytes(500))
    for case, path in bad.items():
        with pytest.raises(topics.TopicModelError):
            topics.load_model(path)
        assert _Trap.sprung == [], case
    # the good members load
    good = _zip(
        tmp_path / "good.topics",
        {"model.json": GOOD_JSON, "arrays.npz": _npz(weights=np.ones((2, 2)), idf=np.ones(2))},
    )
    assert topics.load_model(good).k == 2


@pytest.mark.parametrize(
    "description",
    [
        b"[1, 2]",  # JSON, but not an object
        b'{"format": 1, "kind": "nmf"}',  # no terms, no parameters
    ],
)
def test_a_model_file_with_a_malformed_description_is_refused(tmp_path, description):
    path = _zip(
        tmp_path / "odd.topics",
        {"model.json": description, "arrays.npz": _npz(weights=np.ones((2, 2)))},
    )
    with pytest.raises(topics.TopicModelError):
        topics.load_model(path)


# vocabulary

DOCUMENTS = [1, 2, 6, 3, 3, 5, 2, 4]
"""Documents using each of the terms t0..t7 among 10."""


def counts_with(documents: list[int], n: int = 10) -> sparse.csr_matrix:
    dense = np.zeros((n, len(documents)))
    for j, d in enumerate(documents):
        dense[:d, j] = 1 + (j % 3)  # counts above 1 are one document each
    return sparse.csr_matrix(dense)


@pytest.mark.parametrize(
    ("max_terms", "expected"),
    [
        (1, ["t5"]),
        (3, ["t3", "t5", "t7"]),  # t3 and t4 tie at 3: the earlier
        (4, ["t3", "t4", "t5", "t7"]),
        (5, ["t1", "t3", "t4", "t5", "t7"]),  # t1 and t6 tie at 2
        (100, ["t1", "t3", "t4", "t5", "t6", "t7"]),  # t0: 1 document; t2: 6 of 10 > 50%
    ],
)
def test_the_vocabulary_is_the_terms_in_most_documents_within_the_bounds(max_terms, expected):
    terms = [f"t{i}" for i in range(8)]
    chosen = topics.Vocabulary.chosen(counts_with(DOCUMENTS), terms, max_terms=max_terms)
    assert list(chosen.terms) == expected
    from_arrow = topics.Vocabulary.chosen(
        counts_with(DOCUMENTS), pa.array(terms), max_terms=max_terms
    )
    assert list(from_arrow.terms) == expected
    series = pd.Series(DOCUMENTS, index=pd.Index(terms, dtype=object))
    direct = topics.Vocabulary.from_document_counts(series, 10, max_terms=max_terms)
    assert list(direct.terms) == expected


def test_the_vocabulary_bounds_can_be_set():
    terms = [f"t{i}" for i in range(8)]
    counts = counts_with(DOCUMENTS)
    at_least_4 = topics.Vocabulary.chosen(counts, terms, max_terms=100, min_documents=4)
    assert list(at_least_4.terms) == ["t5", "t7"]
    up_to_60 = topics.Vocabulary.chosen(counts, terms, max_terms=100, max_share=0.6)
    assert list(up_to_60.terms) == ["t1", "t2", "t3", "t4", "t5", "t6", "t7"]
    # 100 documents and more: 5 documents at least
    series = pd.Series([4, 5, 30, 60], index=pd.Index(["a", "b", "c", "d"], dtype=object))
    assert list(topics.Vocabulary.from_document_counts(series, 100, max_terms=9).terms) == [
        "b",
        "c",
    ]


def test_a_corpus_with_no_usable_word_is_refused():
    terms = ["a", "b", "c"]
    with pytest.raises(topics.TopicModelError, match="too few documents"):
        topics.Vocabulary.chosen(counts_with([1, 1, 1]), terms, max_terms=10)
    with pytest.raises(topics.TopicModelError):
        topics.Vocabulary.chosen(counts_with([9, 10, 8]), terms, max_terms=10)


def test_vocabulary_columns_maps_counts_of_other_terms_in_another_order():
    vocabulary = topics.Vocabulary(np.array(["b", "d", "a", "z"], dtype=object))
    names = ["a", "x", "b", "c", "d"]  # another order, extra terms, no "z"
    dense = np.arange(15, dtype=float).reshape(3, 5)
    dense[1, 2] = 0
    expected = np.zeros((3, 4))
    for j, term in enumerate(vocabulary.terms):
        if term in names:
            expected[:, j] = dense[:, names.index(term)]
    for given in (names, pa.array(names)):
        mapped = vocabulary.columns(sparse.csr_matrix(dense), given)
        assert sparse.issparse(mapped) and mapped.shape == (3, 4)
        assert np.array_equal(mapped.toarray(), expected)


# the choice of k


@pytest.fixture(scope="module")
def nmf_diagnostics(blocks):
    counts, vocabulary, _ = blocks
    return topics.k_diagnostics(counts, vocabulary, [2, 3, 4, 6], kind="nmf", seeds=3, seed=0)


def test_k_diagnostics_has_a_summary_and_a_row_per_seed(nmf_diagnostics, blocks):
    table = nmf_diagnostics
    assert list(table.columns) == topics.K_COLUMNS
    assert registry.check("topic_k", round_trip(table)) == []
    assert len(table) == 4 * (1 + 3)
    summary = table[table["seed"] == -1]
    assert summary["k"].tolist() == [2, 3, 4, 6]
    for k, rows in table[table["seed"] != -1].groupby("k"):
        assert len(rows) == 3 and rows["seed"].nunique() == 3
        assert rows["stability"].isna().all()
        row = summary.set_index("k").loc[k]
        assert row["coherence"] == pytest.approx(rows["coherence"].mean())
        assert 0 <= row["stability"] <= 1
    assert (table["n_documents"] == blocks[0].shape[0]).all()
    assert table["perplexity"].isna().all()  # NMF has none
    assert table["chosen"].sum() == 1
    assert table.loc[table["chosen"], "seed"].item() == -1


def test_k_diagnostics_chooses_the_true_number_of_topics(nmf_diagnostics):
    summary = nmf_diagnostics[nmf_diagnostics["seed"] == -1].set_index("k")
    assert nmf_diagnostics.loc[nmf_diagnostics["chosen"], "k"].item() == 4
    assert topics.chosen_k(summary.reset_index()) == 4
    assert summary.loc[4, "stability"] > 0.8
    # too few topics merge blocks: less coherent and less stable
    assert summary.loc[2, "coherence"] < summary.loc[4, "coherence"]
    assert summary.loc[2, "stability"] < summary.loc[4, "stability"]


def test_k_diagnostics_is_seeded_and_the_same_on_an_executor(nmf_diagnostics, blocks):
    counts, vocabulary, _ = blocks
    with ThreadPoolExecutor(2) as pool:
        again = topics.k_diagnostics(
            counts, vocabulary, [2, 3, 4, 6], kind="nmf", seeds=3, seed=0, map_fn=pool.map
        )
    pd.testing.assert_frame_equal(again, nmf_diagnostics)
    other = topics.k_diagnostics(counts, vocabulary, [2, 3], kind="nmf", seeds=2, seed=1)
    assert not set(other["seed"]) - {-1} & set(nmf_diagnostics["seed"])


def test_lda_k_diagnostics_report_a_held_out_perplexity(small_blocks):
    counts, vocabulary, _ = small_blocks
    table = topics.k_diagnostics(counts, vocabulary, [2, 4], kind="lda", seeds=2, seed=0)
    assert len(table) == 2 * 3 and table["chosen"].sum() == 1
    assert np.isfinite(table["perplexity"]).all() and (table["perplexity"] > 1).all()
    assert np.isfinite(table["coherence"]).all()


def summary_table(stability, coherence, ks=(2, 4, 6, 8)):
    return pd.DataFrame({"k": list(ks), "coherence": coherence, "stability": stability})


def test_chosen_k_rule():
    # the most coherent among the stable: k=6 is more coherent but unstable
    assert topics.chosen_k(summary_table([0.9, 0.7, 0.5, 0.65], [0.3, 0.5, 0.9, 0.4])) == 4
    # stable exactly at the threshold counts
    at = choose.MIN_STABILITY
    assert topics.chosen_k(summary_table([0.9, 0.5, at, 0.65], [0.3, 0.5, 0.9, 0.4])) == 6
    # none stable: the most stable
    assert topics.chosen_k(summary_table([0.3, 0.55, 0.5, 0.2], [0.9, 0.1, 0.5, 0.4])) == 4
    # ties go to the smaller k
    assert topics.chosen_k(summary_table([0.9, 0.8, 0.7, 0.9], [0.3, 0.5, 0.2, 0.5])) == 4
    assert topics.chosen_k(summary_table([0.3, 0.5, 0.2, 0.5], [0.9, 0.1, 0.5, 0.4])) == 4
    # one seed (no stability): the most coherent
    assert topics.chosen_k(summary_table([np.nan] * 4, [0.3, 0.5, 0.9, 0.4])) == 6


# outlets' shares and tests

SIZES = [60, 70, 80, 100]


def wide_frame(theta: np.ndarray, outlets: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(theta, columns=[str(t) for t in range(1, theta.shape[1] + 1)])
    frame.insert(0, "outlet", outlets)
    frame.insert(0, "article_id", [f"a{i:04d}" for i in range(len(frame))])
    return frame


def test_permutation_p_holds_its_level_under_the_null():
    """Proportions drawn independently of the outlet: p <= 0.05 in at most about 5% of the
    tests, and some q < 0.05 in at most about 5% of the data sets."""
    codes = np.repeat(np.arange(len(SIZES)), SIZES)
    rng = np.random.default_rng(11)
    n_sets, k = 200, 4
    ps, any_q = [], 0
    for data_set in range(n_sets):
        theta = rng.dirichlet(np.full(k, 0.5), size=len(codes))
        p = topics.permutation_p(
            theta, codes, len(SIZES), rows=np.arange(len(SIZES)), n_resamples=499, seed=data_set
        ).ravel()
        ps.append(p)
        any_q += bool((adjust_p(p) < 0.05).any())
    ps = np.concatenate(ps)
    assert (ps > 0).all() and (ps <= 1).all()
    assert 0.03 <= (ps <= 0.05).mean() <= 0.07
    assert any_q / n_sets <= 0.07


def test_permutation_p_equals_shuffling_the_labels_directly():
    rng = np.random.default_rng(2)
    codes = np.repeat(np.arange(3), [20, 25, 30])
    values = rng.dirichlet(np.ones(3), size=len(codes))
    values[:20, 0] += 0.3  # group 0: more of column 0
    rows = np.array([0, 2])
    found = topics.permutation_p(values, codes, 3, rows=rows, n_resamples=99, seed=5)

    def differences(labels):
        frame = pd.DataFrame(values)
        return np.array([frame[labels == g].mean() - frame[labels != g].mean() for g in rows])

    observed = np.abs(differences(codes))
    stream = cell_rng(5, "topics", "permutation", 0)  # the first block of shuffles
    exceed = np.zeros_like(observed)
    for _ in range(99):
        # shuffling the rows under fixed labels is shuffling the labels
        order = stream.permutation(len(codes))
        labels = np.empty_like(codes)
        labels[order] = codes
        exceed += np.abs(differences(labels)) >= observed - 1e-12
    np.testing.assert_array_equal(found, (1 + exceed) / 100)
    assert found[0, 0] <= 0.02


def test_permutation_p_is_the_same_whoever_runs_its_blocks():
    rng = np.random.default_rng(4)
    codes = np.repeat(np.arange(3), [60, 70, 80])
    values = rng.dirichlet(np.ones(4), size=len(codes))
    rows = np.array([0, 1, 2])
    options = {"rows": rows, "n_resamples": 2500, "seed": 1}  # three blocks, the last short
    one = topics.permutation_p(values, codes, 3, **options)
    calls = []

    def reversed_map(function, jobs):  # the blocks in another order, as workers finish
        jobs = list(jobs)
        calls.append(len(jobs))
        return [function(job) for job in reversed(jobs)][::-1]

    assert np.array_equal(
        one, topics.permutation_p(values, codes, 3, **options, map_fn=reversed_map)
    )
    assert calls == [3]


def test_outlet_topics_finds_a_real_difference():
    rng = np.random.default_rng(3)
    outlets = np.repeat(["A", "B", "C"], 80)
    theta = rng.dirichlet(np.ones(4), size=len(outlets))
    theta[:80] = rng.dirichlet([3, 1, 1, 1], size=80)  # A: more of topic 1
    labels = [f"{t}: words" for t in range(1, 5)]
    out = topics.outlet_topics(wide_frame(theta, outlets), labels, n_resamples=199, seed=1)
    cell = out.set_index(["outlet", "topic"]).loc[("A", 1)]
    assert cell["difference"] > 0.15
    assert cell["p"] == 1 / 200 and cell["q"] < 0.05
    assert cell["ci_low"] > cell["rest"]


def test_outlet_topics_estimates_rests_and_untested_outlets():
    rng = np.random.default_rng(8)
    few = effects.MIN_TESTED - 1
    outlets = np.repeat(["Big", "Other", "Small"], [70, 60, few])
    theta = rng.dirichlet(np.ones(3), size=len(outlets))
    theta[[4, 90]] = np.nan  # articles without proportions are left out
    frame = wide_frame(theta, outlets)
    labels = ["1: a", "2: b", "3: c"]
    out = topics.outlet_topics(frame, labels, n_resamples=199, seed=0)
    assert list(out.columns) == topics.OUTLET_COLUMNS
    assert registry.check("outlet_topics", round_trip(out)) == []
    assert len(out) == 3 * 3
    usable = frame.dropna()
    for (outlet, topic), row in out.set_index(["outlet", "topic"]).iterrows():
        own = usable.loc[usable["outlet"] == outlet, str(topic)]
        rest = usable.loc[usable["outlet"] != outlet, str(topic)]
        assert row["estimate"] == pytest.approx(own.mean(), rel=1e-12)
        assert row["rest"] == pytest.approx(rest.mean(), rel=1e-12)
        assert row["difference"] == pytest.approx(own.mean() - rest.mean(), abs=1e-12)
        assert row["n_articles"] == len(own)
        assert row["label"] == labels[topic - 1]
        assert np.isnan(row["p"]) == (outlet == "Small")
        assert np.isnan(row["q"]) == (outlet == "Small")
    # p and q: the permutation test and Benjamini-Hochberg over the tested cells
    usable = usable.reset_index(drop=True)
    codes = pd.factorize(usable["outlet"], sort=True)[0]
    p = topics.permutation_p(
        usable[["1", "2", "3"]].to_numpy(), codes, 3, rows=np.array([0, 1]), n_resamples=199
    )
    tested = out[out["outlet"] != "Small"]
    np.testing.assert_array_equal(tested["p"].to_numpy(), p.ravel())
    np.testing.assert_allclose(tested["q"].to_numpy(), adjust_p(p.ravel()))


# the network of topics


def test_topic_similarity_is_scikit_learns_cosine_with_a_zero_diagonal():
    values = np.random.default_rng(1).dirichlet(np.ones(5), size=40)
    values[:, 3] = 0.0  # a topic no article has
    expected = cosine_similarity(values.T)
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(network.topic_similarity(values), expected, atol=1e-14)


def two_blocks(seed: int = 0) -> np.ndarray:
    """Articles mixing topics 1, 4 and 5 or 2, 3 and 6, never across."""
    rng = np.random.default_rng(seed)
    values = np.zeros((120, 6))
    values[:60, [0, 3, 4]] = rng.dirichlet(np.ones(3), size=60)
    values[60:, [1, 2, 5]] = rng.dirichlet(np.ones(3), size=60)
    return values


def test_topics_that_share_articles_only_within_blocks_make_two_communities():
    values = two_blocks()
    table = topics.topic_network(values, seed=3)
    assert registry.check("topic_network", round_trip(table)) == []
    assert len(table) == 6 * 5 // 2 and (table["topic"] < table["other"]).all()
    similarity = network.topic_similarity(values)
    np.testing.assert_array_equal(
        table["weight"], similarity[table["topic"] - 1, table["other"] - 1]
    )
    communities = topics.communities_of(table, 6)
    # numbered by their smallest topic
    assert communities["community"].tolist() == [1, 2, 2, 1, 1, 2]
    assert communities["topic"].tolist() == [1, 2, 3, 4, 5, 6]
    assert network.topic_communities(similarity, seed=3).tolist() == [1, 2, 2, 1, 1, 2]


def test_communities_are_seeded():
    rng = np.random.default_rng(5)
    values = rng.dirichlet(np.full(10, 0.3), size=200)  # no clear structure
    first = network.topic_communities(network.topic_similarity(values), seed=4)
    again = network.topic_communities(network.topic_similarity(values), seed=4)
    assert np.array_equal(first, again)
    assert set(first) == set(range(1, first.max() + 1))


# labels and examples


def test_topic_terms_and_labels(nmf_model):
    model = nmf_model
    table = topics.topic_terms(model, n=5)
    assert list(table.columns) == topics.TERM_COLUMNS
    assert len(table) == model.k * 2 * 5
    labels = topics.topic_labels(model)
    probability, exclusivity, frex = topics.frex_scores(model)
    for (topic, ranking), rows in table.groupby(["topic", "ranking"]):
        assert rows["rank"].tolist() == [1, 2, 3, 4, 5]
        assert (rows["label"] == labels[topic - 1]).all()
        score = probability if ranking == "probability" else frex
        columns = [list(model.terms).index(t) for t in rows["term"]]
        expected = np.argsort(-score[topic - 1], kind="stable")[:5]
        assert columns == expected.tolist()
        assert rows[ranking].is_monotonic_decreasing
        np.testing.assert_array_equal(rows["exclusivity"], exclusivity[topic - 1, columns])
    for topic, label in enumerate(labels, start=1):
        assert re.fullmatch(rf"{topic}: \w+, \w+, \w+", label)
        top = np.argsort(-frex[topic - 1], kind="stable")[:3]
        assert label == f"{topic}: " + ", ".join(model.terms[top])


def test_top_articles_ranks_each_topic_within_each_outlet():
    proportions = pd.DataFrame(
        {
            "article_id": ["a", "a", "b", "b", "c", "c", "d", "d", "e", "e"],
            "outlet": ["X", "X", "X", "X", "X", "X", "Y", "Y", "Y", "Y"],
            "topic": [1, 2] * 5,
            "proportion": [0.2, 0.8, 0.6, 0.4, 0.6, 0.4, np.nan, np.nan, 0.1, 0.9],
        }
    )
    found = topics.top_articles(proportions, n=2)
    assert list(found.columns) == ["topic", "outlet", "rank", "article_id", "proportion"]
    rows = [tuple(r) for r in found[["topic", "outlet", "rank", "article_id"]].to_numpy()]
    assert rows == [
        (1, "X", 1, "b"),  # b and c tie: the first
        (1, "X", 2, "c"),
        (1, "Y", 1, "e"),  # d has no proportions
        (2, "X", 1, "a"),
        (2, "X", 2, "b"),
        (2, "Y", 1, "e"),
    ]


def test_opening_cuts_at_a_space_with_an_ellipsis_only_when_cut():
    assert topics.opening("Short  text,\n here.", length=30) == "Short text, here."
    exact = "x" * 10 + " " + "y" * 9
    assert topics.opening(exact, length=20) == exact
    text = "The council met on Tuesday to discuss the budget for next year."
    cut = topics.opening(text, length=30)
    assert cut == "The council met on Tuesday to …"
    assert text.startswith(cut[:-2]) and text[len(cut) - 2] == " "
    assert len(cut) <= 30 + 2


# the measure on the seed corpus


def round_trip(table: pd.DataFrame) -> pd.DataFrame:
    buffer = io.BytesIO()
    table.to_parquet(buffer, index=False)
    return pd.read_parquet(io.BytesIO(buffer.getvalue()))


TOPIC_TABLES = {
    "article_topics",
    "outlet_topics",
    "topic_terms",
    "topic_network",
    "topic_communities",
    "topic_examples",
}


@pytest.fixture(scope="module")
def prepared():
    return pipeline.prepare(load_corpus(paths.SEED_CORPUS))


def run_topics(prepared, **settings):
    return measures.measure(
        prepared,
        "topics",
        topics=TopicSettings(level="paragraph", **settings),
        resampling=Resampling(n_resamples=199),
    )


def test_the_topics_measure_makes_registered_tables(prepared):
    made = run_topics(prepared, k=3)
    assert set(made) >= TOPIC_TABLES and "topic_k" not in made
    for name in TOPIC_TABLES:
        assert registry.check(name, round_trip(made[name])) == [], name
    article_topics = made["article_topics"]
    assert set(article_topics["article_id"]) == set(prepared["articles"]["article_id"])
    assert all(
        sorted(found) == [1, 2, 3] for _, found in article_topics.groupby("article_id")["topic"]
    )
    sums = article_topics.groupby("article_id")["proportion"].sum()
    np.testing.assert_allclose(sums, 1.0, rtol=1e-12)


def test_the_topics_measure_chooses_k(prepared):
    made = run_topics(prepared, k=0, k_min=2, k_max=4, k_step=1)
    table = made["topic_k"]
    assert registry.check("topic_k", round_trip(table)) == []
    assert sorted(set(table["k"])) == [2, 3, 4]
    assert table["chosen"].sum() == 1
    chosen = table.loc[table["chosen"], "k"].item()
    assert made["article_topics"]["topic"].max() == chosen


def test_a_saved_model_applied_gives_the_same_article_topics(prepared, tmp_path, monkeypatch):
    saved = []

    def keep(self, name, save):
        saved.append(save(tmp_path / name))
        return saved[-1]

    monkeypatch.setattr(measures.MemorySink, "keep", keep)
    fitted = run_topics(prepared, k=3)
    assert len(saved) == 1 and saved[0].suffix == topics.SUFFIX
    applied = run_topics(prepared, apply=saved[0])
    pd.testing.assert_frame_equal(applied["article_topics"], fitted["article_topics"])
    pd.testing.assert_frame_equal(applied["topic_terms"], fitted["topic_terms"])


def test_a_saved_model_that_chose_k_applied_gives_a_registered_topic_k(
    prepared, tmp_path, monkeypatch
):
    saved = []
    monkeypatch.setattr(
        measures.MemorySink, "keep", lambda self, name, save: saved.append(save(tmp_path / name))
    )
    fitted = run_topics(prepared, k=0, k_min=2, k_max=3, k_step=1)
    applied = run_topics(prepared, apply=saved[0])
    assert registry.check("topic_k", round_trip(applied["topic_k"])) == []
    pd.testing.assert_frame_equal(applied["topic_k"], fitted["topic_k"])


def test_articles_of_a_topic_are_the_fullest_first_above_the_floor():
    proportions = pd.DataFrame(
        {
            "article_id": ["a", "a", "b", "b", "c", "c", "d", "d"],
            "outlet": ["X", "X", "Y", "Y", "X", "X", "Y", "Y"],
            "topic": [1, 2, 1, 2, 1, 2, 1, 2],
            "proportion": [0.9, 0.1, 0.4, 0.6, 0.2, 0.8, 0.9, 0.1],
        }
    )
    assert topics.articles_of(proportions, 1) == ["a", "d", "b"]  # ties by id; c below 0.3
    assert topics.articles_of(proportions, 1, least=0.5) == ["a", "d"]
    assert topics.articles_of(proportions, 2, outlet="X") == ["c"]
    assert topics.articles_of(proportions, 3) == []


def test_a_label_names_each_word_once():
    terms = np.array(["white", "white house", "jen", "house", "psaki", "other"], dtype=object)
    weights = np.array([[9.0, 8.0, 7.0, 6.0, 5.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]])
    model = topics.TopicModel("nmf", terms, weights, np.ones(6))
    # FREX order white, white house, jen, house, psaki: "white house" replaces "white" and
    # "house" adds no word
    assert topics.topic_labels(model)[0] == "1: white house, jen, psaki"
