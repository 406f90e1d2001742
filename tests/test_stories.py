"""analysis.stories: the hashed word counts and their TF-IDF against scikit-learn, the
similar pairs against a brute-force dense computation, the complete-linkage stories against
scipy's on the whole distance matrix (exact, independent of row order, still complete when
large components are cut), planted stories recovered from texts, the agreement measures
against a hand count and scikit-learn, and the story and coverage tables on a hand-made
corpus (the Wilson interval against scipy)."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy import stats as scipy_stats
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.metrics import adjusted_rand_score
from sklearn.utils import murmurhash3_32

from analysis.stories import (
    COVERAGE_COLUMNS,
    HASH_FEATURES,
    day_numbers,
    document_frequency,
    hashed_counts,
    match_stories,
    pairwise_agreement,
    similar_pairs,
    story_coverage,
    story_table,
    story_texts,
    tfidf_rows,
)
from analysis.tokens import text_tokens


def column(word: str) -> int:
    """The hashed column of a word, as the module docstring defines it."""
    return murmurhash3_32(word, seed=0, positive=True) % HASH_FEATURES


def unit_rows(n: int, n_terms: int = 40, density: float = 0.15, seed: int = 0):
    """Random non-negative sparse rows of unit length (a few of them empty)."""
    rng = np.random.default_rng(seed)
    dense = rng.random((n, n_terms)) * (rng.random((n, n_terms)) < density)
    dense[rng.choice(n, size=2, replace=False)] = 0.0
    norms = np.linalg.norm(dense, axis=1)
    dense[norms > 0] /= norms[norms > 0, None]
    return sparse.csr_matrix(dense)


def brute_pairs(vectors, days, threshold, window):
    """Every pair i < j with cosine >= threshold and |day difference| <= window, densely."""
    dense = vectors.toarray()
    similarity = dense @ dense.T
    near = np.abs(days[:, None] - days[None, :]) <= window
    first, second = np.nonzero(np.triu((similarity >= threshold) & near, k=1))
    return first, second, similarity[first, second]


def scipy_stories(vectors, days, threshold, window):
    """Complete linkage on the whole dense distance matrix (1 - cosine, pairs beyond the
    window at 1), cut at 1 - threshold."""
    dense = vectors.toarray()
    distance = np.clip(1.0 - dense @ dense.T, 0.0, 1.0)
    distance[np.abs(days[:, None] - days[None, :]) > window] = 1.0
    tree = linkage(distance[np.triu_indices(len(days), k=1)], method="complete")
    return fcluster(tree, t=1.0 - threshold, criterion="distance")


def assert_complete(vectors, days, labels, threshold, window):
    """Every pair of rows in one story reaches the threshold and is within the window."""
    dense = vectors.toarray()
    for story in np.unique(labels):
        rows = np.flatnonzero(labels == story)
        if len(rows) > 1:
            similarity = dense[rows] @ dense[rows].T
            assert similarity[np.triu_indices(len(rows), k=1)].min() >= threshold - 1e-12
        assert np.ptp(days[rows]) <= window


def canonical(labels) -> np.ndarray:
    """Labels renumbered 0, 1, ... in order of first appearance (a partition's own name)."""
    return pd.factorize(np.asarray(labels))[0]


# hashed word counts and TF-IDF


def test_hashed_counts_by_hand():
    texts = [
        "The Senate passed the bill; the SENATE's 2017 vote on COVID-19.",
        "",
        "Paris 3,000 42 paris",
    ]
    counts = hashed_counts(texts, stop_words=frozenset({"the", "on"}))
    assert counts.shape == (3, HASH_FEATURES)
    assert counts.dtype == np.float32
    expected = {
        0: {"senate": 2, "passed": 1, "bill": 1, "vote": 1, "covid-19": 1},
        1: {},
        2: {"paris": 2},
    }
    for row, words in expected.items():
        found = counts[row].tocoo()
        assert dict(zip(found.col.tolist(), found.data.tolist())) == {
            column(w): n for w, n in words.items()
        }


@pytest.mark.parametrize("seed", [0, 1])
def test_hashed_counts_are_the_tokenizers_lower_case_words(seed):
    rng = np.random.default_rng(seed)
    words = ["Storm", "storm", "the", "a", "2024", "3,5", "U.S.", "mayor's", "Zoë", "co-op", "!"]
    texts = [" ".join(rng.choice(words, size=rng.integers(0, 15))) for _ in range(30)]
    stop = frozenset({"the", "a"})
    found = text_tokens(pd.Series(texts, dtype=object))
    expected = np.zeros((len(texts), HASH_FEATURES))
    for text, code in zip(found.text_of, found.codes):
        word = str(found.vocabulary[code])
        if word not in stop and re.search(r"[^\W\d_]", word):  # a letter, as Python's re
            expected[text, column(word)] += 1
    counts = hashed_counts(texts, stop_words=stop)
    assert (counts != sparse.csr_matrix(expected)).nnz == 0
    assert counts.sum() > 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tfidf_rows_equal_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    dense = rng.poisson(0.4, size=(60, 25)).astype(float)
    dense[[4, 9]] = 0.0  # empty documents
    dense[:, 3] = 0.0  # a word in no document
    counts = sparse.csr_matrix(dense)
    ours = tfidf_rows(counts, document_frequency(counts), counts.shape[0])
    theirs = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    np.testing.assert_allclose(ours.toarray(), theirs.toarray(), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(document_frequency(counts), (dense > 0).sum(axis=0))


def test_tfidf_rows_of_a_partition_with_the_corpus_frequencies():
    rng = np.random.default_rng(3)
    counts = sparse.csr_matrix(rng.poisson(0.4, size=(50, 20)).astype(float))
    parts = [counts[:20], counts[20:]]
    frequency = sum(document_frequency(part) for part in parts)
    whole = tfidf_rows(counts, document_frequency(counts), 50)
    second = tfidf_rows(parts[1], frequency, 50)
    np.testing.assert_allclose(second.toarray(), whole[20:].toarray(), rtol=0, atol=1e-12)


# similar pairs


@pytest.mark.parametrize("block", [1, 7, 64, 500])
@pytest.mark.parametrize(("threshold", "window"), [(0.2, 1), (0.35, 0), (0.1, 3)])
def test_similar_pairs_equal_brute_force(block, threshold, window):
    n = 150
    vectors = unit_rows(n, seed=11)
    days = np.sort(np.random.default_rng(12).integers(0, 8, n))  # many rows a day
    first, second, similarity = similar_pairs(
        vectors, days, threshold=threshold, window=window, block=block
    )
    want_first, want_second, want_similarity = brute_pairs(vectors, days, threshold, window)
    assert len(want_first) > 50
    assert np.all(first < second)
    found = sorted(zip(first.tolist(), second.tolist(), similarity.tolist()))
    want = sorted(zip(want_first.tolist(), want_second.tolist(), want_similarity.tolist()))
    assert [(a, b) for a, b, _ in found] == [(a, b) for a, b, _ in want]
    np.testing.assert_allclose([s for *_, s in found], [s for *_, s in want], atol=1e-12)


def test_similar_pairs_of_no_rows():
    first, second, similarity = similar_pairs(sparse.csr_matrix((0, 5)), np.zeros(0, int))
    assert len(first) == len(second) == len(similarity) == 0


# match_stories: complete linkage


@pytest.mark.parametrize(
    ("seed", "threshold", "window"), [(0, 0.25, 1), (1, 0.3, 0), (2, 0.2, 2), (3, 0.4, 1)]
)
def test_match_stories_equal_scipy_complete_linkage(seed, threshold, window):
    n = 160
    vectors = unit_rows(n, seed=seed)
    days = np.random.default_rng(seed + 100).integers(0, 6, n)  # unsorted, repeated
    matched = match_stories(vectors, days, threshold=threshold, window=window)
    want = scipy_stories(vectors, days, threshold, window)
    np.testing.assert_array_equal(matched.labels, canonical(want))  # numbered by first row
    assert matched.split_components == 0
    assert matched.pairs == len(brute_pairs(vectors, days, threshold, window)[0])
    # not trivial: stories of several articles, and fewer than the connected components
    sizes = np.bincount(matched.labels)
    first, second, _ = brute_pairs(vectors, days, threshold, window)
    graph = sparse.coo_matrix((np.ones(len(first)), (first, second)), shape=(n, n))
    n_components = connected_components(graph, directed=False)[0]
    assert sizes.max() >= 3
    assert len(sizes) > n_components


@pytest.mark.parametrize(("seed", "threshold", "window"), [(4, 0.2, 1), (5, 0.3, 2)])
def test_every_pair_of_a_story_is_similar_and_near(seed, threshold, window):
    vectors = unit_rows(200, seed=seed)
    days = np.random.default_rng(seed).integers(0, 10, 200)
    labels = match_stories(vectors, days, threshold=threshold, window=window).labels
    assert_complete(vectors, days, labels, threshold, window)
    assert np.bincount(labels).max() >= 3


@pytest.mark.parametrize("max_component", [2, 5, 20])
def test_large_components_are_cut_and_stories_stay_complete(max_component):
    threshold, window = 0.15, 2
    vectors = unit_rows(200, seed=6)
    days = np.random.default_rng(6).integers(0, 4, 200)
    whole = match_stories(vectors, days, threshold=threshold, window=window)
    cut = match_stories(
        vectors, days, threshold=threshold, window=window, max_component=max_component
    )
    assert whole.split_components == 0
    assert cut.split_components > 0
    assert cut.pairs == whole.pairs
    assert_complete(vectors, days, cut.labels, threshold, window)
    np.testing.assert_array_equal(cut.labels, canonical(cut.labels))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stories_do_not_depend_on_row_order(seed):
    n = 160
    vectors = unit_rows(n, seed=seed + 20)
    days = np.random.default_rng(seed).integers(0, 5, n)
    labels = match_stories(vectors, days, threshold=0.25, window=1).labels
    order = np.random.default_rng(seed + 1).permutation(n)
    shuffled = match_stories(vectors[order], days[order], threshold=0.25, window=1).labels
    back = np.empty(n, dtype=np.int64)
    back[order] = shuffled
    np.testing.assert_array_equal(canonical(back), labels)
    assert len(np.unique(labels)) < n  # some stories hold several articles


def planted_corpus(seed: int = 0):
    """Articles of 12 events by 4 outlets: each event its own 10 words, every article 30
    words of a shared filler vocabulary; two events a day. The same event is told again,
    word for word, 3 days later (a different story with a window of 1 day)."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    pseudo = sorted({"".join(rng.choice(letters, size=7)) for _ in range(800)})
    event_words, filler = np.array(pseudo[:120]).reshape(12, 10), np.array(pseudo[120:])
    rows = []
    for event in range(12):
        day = pd.Timestamp("2024-05-01") + pd.Timedelta(days=event // 2)
        for outlet in "ABCD":
            own = rng.choice(event_words[event], size=8, replace=False)
            body = np.concatenate([own, rng.choice(filler, size=30)])
            rng.shuffle(body)
            title = " ".join(own[:3]).title()
            published = day + pd.Timedelta(hours=int(rng.integers(0, 20)))
            rows.append((event, outlet, title, " ".join(body), published))
    again = [
        (12, outlet, title, text, published + pd.Timedelta(days=3))
        for event, outlet, title, text, published in rows
        if event == 0
    ]
    return pd.DataFrame(
        rows + again, columns=["event", "outlet", "title", "text_clean", "published"]
    )


def test_planted_stories_are_recovered_from_texts():
    articles = planted_corpus()
    counts = hashed_counts(story_texts(articles))
    vectors = tfidf_rows(counts, document_frequency(counts), counts.shape[0])
    matched = match_stories(vectors, day_numbers(articles["published"]))
    np.testing.assert_array_equal(matched.labels, canonical(articles["event"]))
    # the retold event has the same texts as event 0, only further apart than the window
    first, again = articles["event"] == 0, articles["event"] == 12
    np.testing.assert_array_equal(
        articles.loc[first, "text_clean"].to_numpy(), articles.loc[again, "text_clean"].to_numpy()
    )
    assert set(matched.labels[first]).isdisjoint(matched.labels[again])
    merged = match_stories(vectors, day_numbers(articles["published"]), window=3).labels
    assert len(set(merged[first | again])) == 1


# what matching reads, and the days


def test_story_texts_title_twice_then_the_opening():
    articles = pd.DataFrame(
        {
            "title": ["Storm hits", None, "Vote"],
            "text_clean": ["abcdefghij", "klmnop", None],
        }
    )
    got = story_texts(articles, body_chars=4)
    assert got.tolist() == ["Storm hits .\nStorm hits .\nabcd", " .\n .\nklmn", "Vote .\nVote .\n"]
    assert story_texts(articles.drop(columns="title"), body_chars=3).tolist() == [
        "abc",
        "klm",
        "",
    ]
    assert story_texts(articles).iloc[0].endswith("abcdefghij")  # shorter than BODY_CHARS


def test_day_numbers():
    def day(text):
        return int((np.datetime64(text, "D") - np.datetime64("1970-01-01", "D")).astype(int))

    naive = pd.Series(pd.to_datetime(["2024-03-04 23:59", None, "1970-01-01 00:00"]))
    assert day_numbers(naive).tolist() == [day("2024-03-04"), -1, 0]
    utc = pd.to_datetime(["2024-03-04 01:30+05:00", "2024-03-04 23:30-02:00"], utc=True)
    aware = pd.Series(utc).dt.tz_convert("America/New_York")  # 03-03 15:30 and 03-04 20:30
    assert day_numbers(aware).tolist() == [day("2024-03-03"), day("2024-03-05")]  # in UTC
    assert day_numbers(pd.Series(["2024-03-04", "not a date"])).tolist() == [day("2024-03-04"), -1]


# agreement with known stories


def test_pairwise_agreement_by_hand():
    known = ["a", "a", "a", "b", "b", "c"]
    matched = [1, 1, 2, 2, 2, 3]
    # known pairs: (0,1) (0,2) (1,2) (3,4); matched pairs: (0,1) (2,3) (2,4) (3,4)
    got = pairwise_agreement(known, matched)
    assert got["pairs_known"] == 4 and got["pairs_matched"] == 4
    assert got["precision"] == pytest.approx(2 / 4)
    assert got["recall"] == pytest.approx(2 / 4)
    assert got["f1"] == pytest.approx(0.5)
    assert got["ari"] == pytest.approx(adjusted_rand_score(known, matched))
    none = pairwise_agreement(["a", "a", "b"], [0, 1, 2])
    assert np.isnan(none["precision"]) and none["recall"] == 0 and np.isnan(none["f1"])
    assert none["pairs_matched"] == 0 and none["pairs_known"] == 1


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pairwise_agreement_counts_every_pair(seed):
    rng = np.random.default_rng(seed)
    known, matched = rng.integers(0, 8, 60), rng.integers(0, 10, 60)
    matched[:20] = known[:20]
    pairs = list(itertools.combinations(range(60), 2))
    same_known = np.array([known[i] == known[j] for i, j in pairs])
    same_matched = np.array([matched[i] == matched[j] for i, j in pairs])
    got = pairwise_agreement(known, matched)
    precision = (same_known & same_matched).sum() / same_matched.sum()
    recall = (same_known & same_matched).sum() / same_known.sum()
    assert got["pairs_known"] == same_known.sum()
    assert got["pairs_matched"] == same_matched.sum()
    assert got["precision"] == pytest.approx(precision, abs=1e-12)
    assert got["recall"] == pytest.approx(recall, abs=1e-12)
    assert got["f1"] == pytest.approx(2 * precision * recall / (precision + recall), abs=1e-12)
    assert got["ari"] == pytest.approx(adjusted_rand_score(known, matched), abs=1e-12)


# the story and coverage tables


@pytest.fixture
def members() -> pd.DataFrame:
    """Twenty articles of eight stories by five outlets (X, Y left; Z, W, V right)."""
    rows = [
        ("s1", "a1", "X", "2024-01-01 08:00", "Storm hits coast"),
        ("s1", "a2", "Y", "2024-01-01 08:00", "Coast storm"),
        ("s1", "a3", "Z", "2024-01-02", "Storm aftermath"),
        ("s2", "a4", "X", "2024-01-05 12:00", "Budget vote"),
        ("s2", "a5", "Y", "2024-01-05 06:00", "Vote on budget"),
        ("s2", "a6", "Z", "2024-01-06", "Budget passes"),
        ("s2", "a7", "Z", "2024-01-06", "Budget: reactions"),
        ("s3", "a8", "Y", "2024-01-10", "Fire downtown"),
        ("s3", "a9", "Z", "2024-01-10", "Downtown fire"),
        ("s3", "a10", "W", "2024-01-10", "Fire"),
        ("s4", "a11", "X", "2024-01-03", "Local fair"),
        ("s5", "a12", "X", "2024-01-12", "Court ruling"),
        ("s5", "a13", "W", "2024-01-10", "Ruling"),
        ("s6", "a14", "Y", "2024-01-20", "Strike"),
        ("s6", "a15", "Z", "2024-01-20", "Strike ends"),
        ("s6", "a16", "W", "2024-01-20", "Strike over"),
        ("s7", "a17", "Y", None, None),
        ("s8", "a18", "Y", "2024-01-15", "Port closes"),
        ("s8", "a19", "Z", "2024-01-15", "Port closed"),
        ("s8", "a20", "V", "2024-01-15", "Ports"),
    ]
    out = pd.DataFrame(rows, columns=["story", "article_id", "outlet", "published", "title"])
    out["published"] = pd.to_datetime(out["published"], format="ISO8601")
    out["side"] = out["outlet"].map({"X": "left", "Y": "left"}).fillna("right")
    return out


def test_story_table_by_hand(members):
    table = story_table(members)
    t = pd.Timestamp
    expected = pd.DataFrame(
        [
            # s1: two earliest at the same time, the first in the corpus names it
            ("s1", "Storm hits coast", t("2024-01-01 08:00"), t("2024-01-02"), 3, 3, "X; Y; Z"),
            ("s4", "Local fair", t("2024-01-03"), t("2024-01-03"), 1, 1, "X"),
            # s2: the earliest article, not the first in the corpus
            ("s2", "Vote on budget", t("2024-01-05 06:00"), t("2024-01-06"), 4, 3, "X; Y; Z"),
            ("s3", "Fire downtown", t("2024-01-10"), t("2024-01-10"), 3, 3, "W; Y; Z"),
            ("s5", "Ruling", t("2024-01-10"), t("2024-01-12"), 2, 2, "W; X"),
            ("s8", "Port closes", t("2024-01-15"), t("2024-01-15"), 3, 3, "V; Y; Z"),
            ("s6", "Strike", t("2024-01-20"), t("2024-01-20"), 3, 3, "W; Y; Z"),
            ("s7", "", pd.NaT, pd.NaT, 1, 1, "Y"),  # undated: last, no title
        ],
        columns=[
            "story",
            "title",
            "first_published",
            "last_published",
            "n_articles",
            "n_outlets",
            "outlets",
        ],
    )
    assert table.columns.tolist() == expected.columns.tolist()
    for name in expected.columns:
        assert table[name].tolist() == expected[name].tolist() or (
            name.endswith("published")
            and table[name].isna().tolist() == expected[name].isna().tolist()
            and table[name].dropna().tolist() == expected[name].dropna().tolist()
        ), name
    assert table["n_articles"].dtype == "int64" and table["n_outlets"].dtype == "int64"


def wilson(hit: int, n: int) -> tuple[float, float]:
    ci = scipy_stats.binomtest(hit, n).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high


def test_story_coverage_by_hand(members):
    got = story_coverage(members, by=("outlet", "side"), major_outlets=3)
    assert got.columns.tolist() == COVERAGE_COLUMNS
    # major stories (3+ outlets): s1 (01-01), s2 (01-05), s3 (01-10), s8 (01-15), s6 (01-20).
    # A unit's major stories are those whose dates overlap its own first to last date:
    # X (01-01..01-12): s1 s2 s3; Z (01-02..01-20): all five (s1 began the day before Z's
    # first article, and Z covers it); W (01-10..01-20): s3 s8 s6; V (01-15): s8; Y: all.
    expected = {
        # level, unit: articles, stories, shared, own, major, major covered
        ("outlet", "V"): (1, 1, 1, 0, 1, 1),
        ("outlet", "W"): (3, 3, 3, 0, 3, 2),
        ("outlet", "X"): (4, 4, 3, 1, 3, 2),
        ("outlet", "Y"): (6, 6, 5, 1, 5, 5),
        ("outlet", "Z"): (6, 5, 5, 0, 5, 5),
        ("side", "left"): (10, 8, 6, 2, 5, 5),
        ("side", "right"): (10, 6, 6, 0, 5, 5),
    }
    assert list(zip(got["level"], got["unit"])) == list(expected)
    counts = got[COVERAGE_COLUMNS[2:8]].to_numpy().tolist()
    assert counts == [list(v) for v in expected.values()]
    for (_, unit), row in zip(expected, got.itertuples()):
        assert row.major_share == pytest.approx(row.n_major_covered / row.n_major_stories)
        low, high = wilson(row.n_major_covered, row.n_major_stories)
        assert (row.major_low, row.major_high) == pytest.approx((low, high), abs=1e-12), unit
    x = got.set_index("unit").loc["X"]
    assert x.major_low < 2 / 3 < x.major_high < 1
    ints = [c for c in COVERAGE_COLUMNS if c.startswith("n_")]
    assert (got[ints].dtypes == "int64").all()


def test_story_coverage_without_dates_counts_every_major_story(members):
    undated = members.assign(published=pd.NaT)
    got = story_coverage(undated, major_outlets=3).set_index("unit")
    assert (got["n_major_stories"] == 5).all()
    assert got["n_major_covered"].to_dict() == {"V": 1, "W": 2, "X": 2, "Y": 5, "Z": 5}
    low, high = wilson(1, 5)
    assert (got.loc["V", "major_low"], got.loc["V", "major_high"]) == pytest.approx((low, high))


def test_story_coverage_major_outlets(members):
    got = story_coverage(members, major_outlets=2).set_index("unit")
    # s5 (X and W, first 01-10) is major now
    assert got.loc["X", "n_major_stories"] == 4 and got.loc["X", "n_major_covered"] == 3
    assert got.loc["W", "n_major_stories"] == 4 and got.loc["W", "n_major_covered"] == 3
