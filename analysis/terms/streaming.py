"""Term counts reduced across partitions: the distinctive-word tables without ever holding
the whole article x term matrix.

Each partition gives its articles' term counts over its own vocabulary, every term
(:func:`analysis.terms.count_terms`, which is :func:`analysis.terms.document_terms` with
``min_count=1``). They are written to a spill
folder as they arrive; when every partition is in and the compared groups are known, three
passes over the spilled partitions give exactly what
:func:`analysis.terms.distinctive_terms` gives on the whole corpus's matrix:

1. the vocabulary: each term's count over the compared articles (summed per term with
   Arrow's hash aggregation), terms below ``min_count`` dropped, the rest sorted;
2. per group: term counts and token totals; per term: the articles using it (document
   frequency, for the smoothed idf of scikit-learn's ``TfidfTransformer``); each
   partition's compared rows over the vocabulary are left in the folder for pass 3;
3. each article's TF-IDF row (scikit-learn's own transform, with that idf), averaged per
   group by adding the rows one article after another, in corpus order, as the sparse
   product of the whole-corpus version does, so the sums are the same floats.

Log-odds and keyness need only the group counts: they are computed by
:func:`analysis.terms.log_odds` and :func:`analysis.terms.keyness` on a matrix with one row
per group. The unit test (:func:`analysis.stats.presence_test`) needs, per group and term,
the number of units using the term: pass 2 counts the articles using it, or, when the units
are outlets, adds up a sparse (group-outlet cell x term) count of articles using it, since an
outlet's articles can be in any partition; its q is adjusted over every comparison at once
(one family) before the first comparison is written. Memory: the group x vocabulary counts
and sums (dense), the vocabulary, and one partition at a time; the spill folder holds about
12 bytes per (article, term) pair.

The module is one algorithm (the three passes share the spilled parts' layout and the
vocabulary's order), kept whole so that it reads in the order it runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather as feather
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from analysis import progress, stats
from analysis.terms.counts import DocumentTerms
from analysis.terms.presence import UnitPresenceCounter, warn_untested
from analysis.terms.scores import (
    TERM_COLUMNS,
    _values_like,
    dirichlet_prior,
    keyness_arrays,
    log_odds_arrays,
)


@dataclass
class TermTables:
    """``scores``: the rows of ``term_scores``, one DataFrame per comparison (each group
    against the rest, in group order); ``pair``: ``term_pair``; ``n_terms``: the
    vocabulary after ``min_count``."""

    scores: Iterator[pd.DataFrame]
    pair: pd.DataFrame
    n_terms: int


@dataclass
class PartitionTerms:
    """One partition's term counts as the map makes them (:func:`analysis.terms.count_terms`):
    every term of its articles, sorted, as an Arrow array (the reduce selects them)."""

    counts: sparse.csr_matrix
    terms: pa.Array | np.ndarray
    article_ids: np.ndarray
    tokens: np.ndarray
    prefix: str = "terms"
    """The spilled files' name (:func:`part_path`): the topics spill theirs beside these."""

    def spill(self, folder: Path, index: int) -> SpilledTerms:
        """Write these counts to ``folder`` as partition ``index`` (see :func:`spill`)."""
        return spill(self, part_path(folder, index, self.prefix))

    def rename_ids(self, renamed: dict[str, str]) -> None:
        """Give articles new ids (an id repeated from an earlier shard)."""
        self.article_ids = np.asarray([renamed.get(i, i) for i in self.article_ids], dtype=object)


@dataclass
class SpilledTerms:
    """One partition's term counts, already written by :func:`spill` (in the map's worker,
    so that they do not travel to the reducing process and back to disk)."""

    path: Path
    rows: int


def spill(dtm: PartitionTerms | DocumentTerms, path: Path) -> SpilledTerms:
    """Write one partition's term counts to ``path`` (``.npy`` arrays one after another,
    and two Arrow files: the terms, the article ids) as :class:`TermCounts` reads them."""
    counts = dtm.counts.tocsr()
    with path.with_suffix(".npy").open("wb") as out:
        for array in (
            counts.data.astype(np.int64, copy=False),
            counts.indices,
            counts.indptr,
            np.asarray(counts.shape, dtype=np.int64),
            np.asarray(dtm.tokens, dtype=np.int64),
        ):
            np.save(out, array, allow_pickle=False)
    if isinstance(dtm.terms, pa.Array):
        names = dtm.terms.cast(pa.large_string())
    else:
        names = pa.array(np.asarray(dtm.terms, dtype=object), pa.large_string())
    feather.write_feather(
        pa.table({"term": names}), path.with_suffix(".terms.arrow"), compression="uncompressed"
    )
    feather.write_feather(
        pa.table({"article_id": pa.array(np.asarray(dtm.article_ids, dtype=object))}),
        path.with_suffix(".ids.arrow"),
        compression="uncompressed",
    )
    return SpilledTerms(path, counts.shape[0])


def part_path(folder: Path, index: int, prefix: str = "terms") -> Path:
    """Where partition ``index``'s term counts are spilled in ``folder`` (``prefix``: the
    measure's, when another measure spills its own counts in the same folder)."""
    return Path(folder) / f"{prefix}-{index:06d}"


class TermCounts:
    """Per-partition term counts, spilled to ``folder``, reduced by :meth:`distinctive`.

    Parameters
    ----------
    folder : Path
        An empty folder for the spilled partitions (a temporary one; removed by the caller).
    """

    def __init__(self, folder: Path, prefix: str = "terms"):
        self.folder = Path(folder)
        self.prefix = prefix
        self.parts: list[SpilledTerms] = []

    def add(self, dtm: PartitionTerms | DocumentTerms | SpilledTerms) -> None:
        """Keep one partition's counts (partitions must be added in corpus order): spill
        them, or take those a worker spilled."""
        if not isinstance(dtm, SpilledTerms):
            dtm = spill(dtm, part_path(self.folder, len(self.parts), self.prefix))
        self.parts.append(dtm)

    def read(self, part: SpilledTerms) -> dict:
        """One spilled partition: ``counts``, ``tokens``, ``terms`` and ``article_ids``."""
        with part.path.with_suffix(".npy").open("rb") as source:  # no pickles: the default
            data, indices, indptr, shape, tokens = (np.load(source) for _ in range(5))
        counts = sparse.csr_matrix((data, indices, indptr), shape=tuple(shape))
        terms_table = feather.read_table(part.path.with_suffix(".terms.arrow"))
        ids = feather.read_table(part.path.with_suffix(".ids.arrow"))["article_id"]
        return {
            "counts": counts,
            "tokens": tokens,
            "terms": terms_table["term"].combine_chunks(),
            "article_ids": np.asarray(ids.to_pylist(), dtype=object),
        }

    def _selected(self, payload: dict, labels: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the partition whose article is in a compared group, and their groups."""
        group = labels.reindex(payload["article_ids"]).to_numpy(dtype=object)
        rows = np.flatnonzero(pd.notna(group))
        return rows, group[rows]

    def vocabulary(self, labels: pd.Series, min_count: int) -> pa.Array:
        """Pass 1: the terms used ``min_count`` times or more by the compared articles,
        sorted (as :func:`analysis.terms.document_terms` sorts them).

        Each term's count is summed with Arrow's hash aggregation, a batch of partitions
        at a time into the running totals, so memory follows the vocabulary, not the
        number of partitions.
        """
        # 32-bit string offsets, in chunks: Arrow hashes them five times faster than
        # large_string (each chunk stays far below 2 GB)
        totals = pa.table({"term": pa.array([], pa.string()), "count": pa.array([], pa.int64())})
        pieces, counts, pending = [], [], 0

        def merge(totals):
            table = pa.concat_tables(
                [totals, pa.table({"term": pa.chunked_array(pieces, pa.string()),
                                   "count": pa.array(np.concatenate(counts))})]
            )  # fmt: skip
            # one thread: Arrow's threaded hash aggregation is twice as slow here, with the
            # other cores busy
            summed = table.group_by("term", use_threads=False).aggregate([("count", "sum")])
            return pa.table({"term": summed["term"], "count": summed["count_sum"]})

        for part in progress.bar(self.parts, desc="vocabulary", unit="part"):
            payload = self.read(part)
            rows, _ = self._selected(payload, labels)
            if not len(rows):
                continue
            sums = np.asarray(payload["counts"][rows].sum(axis=0)).ravel()
            used = np.flatnonzero(sums)
            pieces.append(payload["terms"].take(pa.array(used)).cast(pa.string()))
            counts.append(sums[used].astype(np.int64))
            pending += len(used)
            if pending >= max(2_000_000, len(totals)):
                totals = merge(totals)
                pieces, counts, pending = [], [], 0
        if pieces:
            totals = merge(totals)
        kept = totals.filter(pc.greater_equal(totals["count"], min_count))["term"]
        kept = kept.combine_chunks() if isinstance(kept, pa.ChunkedArray) else kept
        return kept.take(pc.sort_indices(kept))

    def _columns(self, payload: dict, vocabulary: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        """Local column -> position in ``vocabulary`` (-1 when dropped), and the kept local
        columns in vocabulary order: found by Arrow's binary search in the sorted
        vocabulary (no Python string per term, and no hash table of the whole vocabulary
        built again for every partition, which made this quadratic in the corpus). Not
        kept between passes: that would hold 16 bytes per local term of every partition."""
        local = payload["terms"].cast(pa.string())
        if len(vocabulary) == 0 or len(local) == 0:
            return np.full(len(local), -1, dtype=np.int64), np.zeros(0, dtype=np.int64)
        at = pc.search_sorted(vocabulary, local).to_numpy().astype(np.int64)
        candidate = pa.array(np.minimum(at, len(vocabulary) - 1))
        same = pc.equal(vocabulary.take(candidate), local).to_numpy(zero_copy_only=False)
        where = np.where((at < len(vocabulary)) & same, at, -1)
        kept = np.flatnonzero(where >= 0)
        return where, kept[np.argsort(where[kept], kind="stable")]

    def _restricted(self, payload, rows, vocabulary: pa.Array) -> sparse.csr_matrix:
        """The selected rows over the vocabulary, as the whole-corpus matrix has them."""
        where, kept = self._columns(payload, vocabulary)
        local = payload["counts"][rows][:, kept]
        # columns of ``local`` are kept local columns in vocabulary order: renumber them
        out = sparse.csr_matrix(
            (local.data, where[kept][local.indices], local.indptr),
            shape=(len(rows), len(vocabulary)),
        )
        out.sort_indices()
        return out

    def distinctive(
        self,
        labels: pd.Series,
        *,
        pair: tuple[str, str],
        min_count: int,
        units: pd.Series | None = None,
        correction: str = "bh",
        prior: str = "corpus",
        scale: float = 1.0,
        variance: str = "full",
    ) -> TermTables | None:
        """The ``term_scores`` (one comparison at a time) and ``term_pair`` tables.

        Parameters
        ----------
        labels : Series
            The group of each compared article, indexed by ``article_id`` (articles outside
            the compared groups left out).
        pair : (str, str)
            The pair of ``term_pair``.
        units : Series, optional
            The outlet of each compared article when the test's unit is the outlet
            (:func:`analysis.terms.unit_presence`); None: the unit is the article.
        correction : {"bh", "holm"}
            The adjusted p (``q``) over each table's family (:func:`analysis.stats.adjust_p`).
        min_count, prior, scale, variance
            As :func:`analysis.terms.document_terms` and
            :func:`analysis.terms.distinctive_terms`.

        Returns
        -------
        TermTables or None
            None when no term is used ``min_count`` times.
        """
        # Python strings in the index: a string-dtype index is converted to them again in
        # every reindex (three per partition), which grows with the corpus
        labels = pd.Series(
            labels.to_numpy(dtype=object),
            index=pd.Index(labels.index.to_numpy(dtype=object), dtype=object),
        )
        found = self.vocabulary(labels, min_count)
        if len(found) == 0:
            return None
        term_names = np.asarray(found.to_pylist(), dtype=object)
        vocabulary = found
        names = np.asarray(sorted(labels.unique()), dtype=object)
        code_of = {name: i for i, name in enumerate(names)}
        n_groups, n_terms = len(names), len(vocabulary)

        # pass 2: group counts, token totals, document frequencies
        grouped = np.zeros((n_groups, n_terms), dtype=np.int64)
        tokens = np.zeros(n_groups, dtype=np.float64)
        sizes = np.zeros(n_groups, dtype=np.float64)
        df = np.zeros(n_terms, dtype=np.int64)
        presence = UnitPresenceCounter(labels, units=units, n_terms=n_terms)
        n_rows = 0
        for part in progress.bar(self.parts, desc="term counts", unit="part"):
            payload = self.read(part)
            rows, groups = self._selected(payload, labels)
            if not len(rows):
                _restricted_path(part).unlink(missing_ok=True)
                continue
            codes = np.fromiter((code_of[g] for g in groups), dtype=np.int64, count=len(rows))
            matrix = self._restricted(payload, rows, vocabulary)
            with _restricted_path(part).open("wb") as out:  # for pass 3
                for array in (matrix.data, matrix.indices, matrix.indptr, codes):
                    np.save(out, array, allow_pickle=False)
            indicator = sparse.csr_matrix(
                (np.ones(len(rows), dtype=np.int64), (codes, np.arange(len(rows)))),
                shape=(n_groups, len(rows)),
            )
            grouped += (indicator @ matrix).toarray()
            np.add.at(tokens, codes, payload["tokens"][rows].astype(np.float64))
            np.add.at(sizes, codes, 1.0)
            df += np.bincount(matrix.indices, minlength=n_terms)
            presence.add(payload["article_ids"][rows], matrix)
            n_rows += len(rows)
        found_units = presence.result()  # groups in the order of ``names`` (sorted)
        using, n_units = found_units.using, found_units.group_units.to_numpy()
        test_unit = found_units.unit
        warn_untested(found_units.group_units, test_unit)

        # the smoothed idf of TfidfTransformer.fit on the whole matrix
        idf = np.full(n_terms, float(n_rows + 1)) / (df.astype(np.float64) + 1.0)
        np.log(idf, out=idf)
        idf += 1.0
        transformer = TfidfTransformer()
        transformer.idf_ = idf
        transformer.n_features_in_ = n_terms

        # pass 3: mean TF-IDF row per group, rows added in corpus order
        weights = 1.0 / sizes
        mean_article = np.zeros((n_groups, n_terms), dtype=np.float64)
        for part in progress.bar(self.parts, desc="tf-idf", unit="part"):
            path = _restricted_path(part)
            if not path.exists():  # no compared article
                continue
            with path.open("rb") as source:
                data, indices, indptr, codes = (np.load(source) for _ in range(4))
            path.unlink()
            matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(codes), n_terms))
            tfidf = sparse.csr_matrix(transformer.transform(matrix))
            row_of = np.repeat(codes, np.diff(tfidf.indptr))
            np.add.at(mean_article, (row_of, tfidf.indices), weights[row_of] * tfidf.data)

        counts = sparse.csr_matrix(grouped)
        tfidf = _tfidf_columns(counts, mean_article)
        del mean_article
        pooled = grouped.sum(axis=0).astype(np.float64)
        alpha = dirichlet_prior(
            pooled, prior=prior, scale=scale, pseudo_count=PSEUDO_COUNT, terms=term_names
        )

        def test(first: int, second: np.ndarray) -> dict[str, np.ndarray]:
            """The unit test's columns of group ``first`` against the groups ``second``,
            for the terms either side uses."""
            y_i, y_j = grouped[first], grouped[second].sum(axis=0)
            used = (y_i + y_j) > 0
            found = {
                "n_units": np.full(int(used.sum()), n_units[first]),
                "n_units_other": np.full(int(used.sum()), n_units[second].sum()),
                "units_using": using[first][used],
                "units_using_other": using[second].sum(axis=0)[used],
            }
            found["p"] = stats.presence_test(
                found["units_using"],
                found["n_units"],
                found["units_using_other"],
                found["n_units_other"],
            )
            return found

        # one family: every term of every comparison of term_scores (BH over all of them)
        tests = [test(at, np.arange(n_groups) != at) for at in range(n_groups)]
        q_all = stats.adjust_p(np.concatenate([t["p"] for t in tests]), method=correction)
        for t, q in zip(tests, np.split(q_all, np.cumsum([len(t["p"]) for t in tests])[:-1])):
            t["q"] = q

        def comparison(at: int, label: str) -> pd.DataFrame:
            """One comparison's rows of the term table: group ``at`` against the rest."""
            first = np.arange(n_groups) == at
            return _comparison_table(
                grouped[at].astype(np.float64),
                grouped[~first].sum(axis=0).astype(np.float64),
                tokens[at],
                tokens[~first].sum(),
                alpha,
                group=names[at],
                label=label,
                terms=term_names,
                tfidf=(tfidf[0][at], tfidf[1][at]),
                variance=variance,
                test=tests[at],
                test_unit=test_unit,
            )

        first_at, second_at = code_of[pair[0]], code_of[pair[1]]
        pair_test = test(first_at, np.arange(n_groups) == second_at)
        pair_test["q"] = stats.adjust_p(pair_test["p"], method=correction)
        pair_table = _comparison_table(
            grouped[first_at].astype(np.float64),
            grouped[second_at].astype(np.float64),
            tokens[first_at],
            tokens[second_at],
            alpha,
            group=names[first_at],
            label=f"{pair[0]} vs {pair[1]}",
            terms=term_names,
            tfidf=(tfidf[0][first_at], tfidf[1][first_at]),
            variance=variance,
            test=pair_test,
            test_unit=test_unit,
        )

        def each_against_the_rest():
            """Each group against all the others, one comparison in memory at a time."""
            for name, at in code_of.items():
                yield comparison(at, f"{name} vs rest")

        return TermTables(each_against_the_rest(), pair_table, n_terms)

    def close(self) -> None:
        """Remove the spilled partitions."""
        for part in self.parts:
            for suffix in (".npy", ".terms.arrow", ".ids.arrow", ".restricted.npy"):
                part.path.with_suffix(suffix).unlink(missing_ok=True)
        self.parts = []


def _restricted_path(part: SpilledTerms) -> Path:
    """Where pass 2 leaves a partition's compared rows over the vocabulary for pass 3."""
    return part.path.with_suffix(".restricted.npy")


def _tfidf_columns(counts: sparse.csr_matrix, mean_article: np.ndarray):
    """(group x term) arrays of the two TF-IDF views of :func:`analysis.terms.tfidf_by_group`:
    the concatenated view (scikit-learn's transformer on the group counts) and the mean of
    the articles' rows; NaN where the group does not use the term (as the term table's
    left join leaves them)."""
    grouped = counts.astype(np.float64)
    concatenated = TfidfTransformer().fit_transform(grouped).tocsr()
    for matrix in (grouped, concatenated):
        matrix.sum_duplicates()
        matrix.sort_indices()
    rows = np.repeat(np.arange(grouped.shape[0]), np.diff(grouped.indptr))
    first = np.full(grouped.shape, np.nan)
    first[rows, grouped.indices] = _values_like(concatenated, grouped)
    second = np.full(grouped.shape, np.nan)
    second[rows, grouped.indices] = mean_article[rows, grouped.indices]
    return first, second


PSEUDO_COUNT = 0.01
"""The uniform prior's pseudo-count (the default of :func:`analysis.terms.log_odds`)."""


def _comparison_table(
    y_i: np.ndarray,
    y_j: np.ndarray,
    tokens_i: float,
    tokens_j: float,
    alpha: np.ndarray,
    *,
    group: str,
    label: str,
    terms: np.ndarray,
    tfidf: tuple[np.ndarray, np.ndarray],
    variance: str,
    test: dict[str, np.ndarray],
    test_unit: str,
) -> pd.DataFrame:
    """The rows of :func:`analysis.terms.distinctive_terms` for one comparison, from the
    counts of its two sides: the same array functions (``log_odds_arrays``,
    ``keyness_arrays``) on the same values, without the table joins (the three parts
    share the vocabulary's order); ``test`` holds the unit test's columns, q included."""
    used = (y_i + y_j) > 0
    odds = log_odds_arrays(
        y_i[used], y_j[used], alpha[used], variance=variance, n_i=y_i.sum(), n_j=y_j.sum()
    )
    keys = keyness_arrays(y_i[used], y_j[used], n_a=tokens_i, n_b=tokens_j)
    return pd.DataFrame(
        {
            "group": group,
            "comparison": label,
            "term": terms[used],
            "count": y_i[used].astype(np.int64),
            "count_other": y_j[used].astype(np.int64),
            "rate": 1000 * y_i[used] / max(tokens_i, 1),
            "tfidf_concatenated": tfidf[0][used],
            "tfidf_mean_article": tfidf[1][used],
            "delta": odds["delta"],
            "variance": odds["variance"],
            "z": odds["z"],
            "p_pooled_tokens": odds["p"],
            "q_pooled_tokens": odds["q"],
            "chi2": keys["chi2"],
            "g2": keys["g2"],
            "log_ratio": keys["log_ratio"],
            "test_unit": test_unit,
            **test,
        }
    )[TERM_COLUMNS]
