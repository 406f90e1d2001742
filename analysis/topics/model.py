"""A topic model of the project's document-term matrix: scikit-learn's NMF (on TF-IDF) or
LDA (on counts), fitted once, and each document's topic proportions.

The words are those of every other measure (:func:`analysis.terms.count_terms`: the one
tokenizer, its stop words, bigrams within a sentence), cut to the ``max_terms`` used in the
most documents (``min_documents`` at least, at most ``max_share`` of them).

A document's proportions depend on that document alone, so a corpus gives the same
proportions however it is cut into partitions:

- NMF: the TF-IDF row (sublinear term frequency, the fitting documents' IDF, unit length)
  is projected on the topics by non-negative least squares (:func:`scipy.optimize.nnls`,
  exact for each row; scikit-learn's ``NMF.transform`` stops when the whole batch has
  converged, so a row's weights would depend on the rows beside it). The weights are scaled
  by each topic's total word weight and summed to one.
- LDA: scikit-learn's ``transform``, whose variational step runs document by document.

A document with none of the model's words has no proportions (NaN).
"""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import linalg, optimize, sparse
from scipy.special import psi
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.exceptions import ConvergenceWarning

KINDS = ("nmf", "lda")
FORMAT = 1
SUFFIX = ".topics"
_DATE = (2020, 1, 1, 0, 0, 0)  # fixed member times: the same model gives the same bytes
LDA_ITERATIONS = 20
"""Passes of LDA's batch variational EM (scikit-learn's default is 10)."""
NMF_ITERATIONS = 200
"""NMF's most coordinate-descent passes (scikit-learn's default)."""


MAX_SHARE = 0.5
"""Words in more than this share of the documents are left out (they separate nothing)."""


def min_documents_for(n_documents: int) -> int:
    """Fewest documents a word must be in to be read by the model: 2 below 100 documents,
    else 5."""
    return 2 if n_documents < 100 else 5


class TopicModelError(ValueError):
    """A file that is not a topic model this package can apply, or a corpus a model cannot
    be fitted on."""


@dataclass
class Vocabulary:
    """The terms a topic model reads, in order, and where each sits in a count matrix."""

    terms: np.ndarray

    @classmethod
    def chosen(
        cls,
        counts: sparse.csr_matrix,
        terms,
        *,
        max_terms: int,
        min_documents: int | None = None,
        max_share: float = MAX_SHARE,
    ) -> Vocabulary:
        """:meth:`from_document_counts` of a (documents x ``terms``) count matrix."""
        documents = np.asarray((counts > 0).sum(axis=0)).ravel()
        names = terms.to_pylist() if isinstance(terms, pa.Array) else list(terms)
        return cls.from_document_counts(
            pd.Series(documents, index=pd.Index(names, dtype=object)),
            counts.shape[0],
            max_terms=max_terms,
            min_documents=min_documents,
            max_share=max_share,
        )

    @classmethod
    def from_document_counts(
        cls,
        documents: pd.Series,
        n_documents: int,
        *,
        max_terms: int,
        min_documents: int | None = None,
        max_share: float = MAX_SHARE,
    ) -> Vocabulary:
        """The ``max_terms`` terms in most documents, among those in ``min_documents`` or
        more (by default :func:`min_documents_for`) and in at most ``max_share`` of them;
        ties go to the earlier term of ``documents``' index, and the terms keep that order.

        Parameters
        ----------
        documents : Series
            The number of documents using each term, indexed by term.
        n_documents : int
        """
        least = min_documents_for(n_documents) if min_documents is None else min_documents
        values = documents.to_numpy()
        usable = (values >= least) & (values <= max_share * n_documents)
        if not usable.any():
            raise TopicModelError(
                f"no word is in at least {least} of the {n_documents:,} documents and in at "
                f"most {max_share:.0%} of them: too few documents for a topic model"
            )
        order = np.argsort(-np.where(usable, values, -1), kind="stable")
        keep = np.sort(order[: min(max_terms, int(usable.sum()))])
        return cls(np.asarray(documents.index.to_numpy(dtype=object)[keep], dtype=object))

    def columns(self, counts: sparse.csr_matrix, terms) -> sparse.csr_matrix:
        """``counts`` (documents x ``terms``) as documents x this vocabulary (terms it does
        not hold dropped, terms it holds and ``terms`` lacks zero)."""
        names = terms.to_pylist() if isinstance(terms, pa.Array) else list(terms)
        where = pd.Index(self.terms).get_indexer(names)
        known = np.flatnonzero(where >= 0)
        pick = sparse.csr_matrix(
            (np.ones(len(known)), (known, where[known])), shape=(len(names), len(self.terms))
        )
        found = (counts @ pick).tocsr()
        found.sort_indices()  # sums over a row's words run in the vocabulary's order
        return found


@dataclass
class TopicModel:
    """A fitted topic model.

    Attributes
    ----------
    kind : {"nmf", "lda"}
    terms : ndarray of str
        The vocabulary, in column order.
    weights : ndarray
        (topics x terms) word weights: NMF's ``components_`` or LDA's.
    idf : ndarray or None
        NMF's IDF weights of the fitting documents.
    parameters : dict
        The fit: ``k``, ``seed``, ``level``, ``n_documents``, ``n_articles``, ...
    diagnostics : DataFrame
        The ``topic_k`` rows of the choice of k (empty when k was given).
    """

    kind: str
    terms: np.ndarray
    weights: np.ndarray
    idf: np.ndarray | None = None
    parameters: dict = field(default_factory=dict)
    diagnostics: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def k(self) -> int:
        return self.weights.shape[0]

    @property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.terms)

    def word_distribution(self) -> np.ndarray:
        """(topics x terms) each topic's word weights summed to one."""
        totals = self.weights.sum(axis=1, keepdims=True)
        return self.weights / np.where(totals > 0, totals, 1)

    def proportions(self, counts: sparse.csr_matrix) -> np.ndarray:
        """(documents x topics) proportions of documents given as counts over
        :attr:`terms`; NaN rows for documents with none of them."""
        counts = sparse.csr_matrix(counts, dtype=np.float64, copy=True)
        counts.sort_indices()
        if counts.shape[0] == 0:
            return np.zeros((0, self.k))
        empty = np.asarray(counts.sum(axis=1)).ravel() == 0
        if self.kind == "lda":
            theta = self._lda().transform(counts)
        else:
            theta = self._nnls(tfidf_rows(counts, self.idf))
        theta[empty] = np.nan
        return theta

    def _nnls(self, rows: sparse.csr_matrix) -> np.ndarray:
        gram = self.weights @ self.weights.T
        gram[np.diag_indices_from(gram)] += 1e-12 * max(np.trace(gram), 1.0)
        lower = linalg.cholesky(gram, lower=True)
        # L^-1 H x for each row x as one sparse product with a fixed (terms x topics)
        # matrix: each row's sums run over its own words only, so a row gets the same bits
        # in any batch (a triangular solve of the whole batch does not)
        projection = linalg.solve_triangular(lower, self.weights, lower=True).T
        targets = np.asarray(rows @ projection)
        upper = np.ascontiguousarray(lower.T)
        weight = np.zeros((rows.shape[0], self.k))
        for i in np.flatnonzero(np.diff(rows.indptr) > 0):
            weight[i] = optimize.nnls(upper, targets[i])[0]
        scaled = weight * self.weights.sum(axis=1)
        totals = scaled.sum(axis=1, keepdims=True)
        return np.divide(scaled, totals, out=np.full_like(scaled, np.nan), where=totals > 0)

    def _lda(self) -> LatentDirichletAllocation:
        p = self.parameters
        lda = LatentDirichletAllocation(
            n_components=self.k,
            doc_topic_prior=p["doc_topic_prior"],
            topic_word_prior=p["topic_word_prior"],
            random_state=p["seed"],
        )
        lda.components_ = self.weights
        lda.exp_dirichlet_component_ = np.exp(_dirichlet_expectation(self.weights))
        lda.doc_topic_prior_ = p["doc_topic_prior"]
        lda.topic_word_prior_ = p["topic_word_prior"]
        lda.n_features_in_ = len(self.terms)
        lda.n_batch_iter_ = 1
        lda.n_iter_ = p.get("iterations", 0)
        return lda

    def perplexity(self, counts: sparse.csr_matrix) -> float:
        """LDA's perplexity of documents given as counts over :attr:`terms` (NaN for NMF)."""
        if self.kind != "lda":
            return float("nan")
        return float(self._lda().perplexity(sparse.csr_matrix(counts, dtype=np.float64)))

    def save(self, path: str | Path) -> Path:
        """Write the model to ``path``: a zip of JSON and NumPy arrays (no pickle)."""
        return save_model(self, path)


def _dirichlet_expectation(weights: np.ndarray) -> np.ndarray:
    return psi(weights) - psi(weights.sum(axis=1))[:, None]


def tfidf_rows(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear TF-IDF rows of unit length: (1 + log tf) x idf, each row divided by its
    Euclidean norm (scikit-learn's ``TfidfTransformer(sublinear_tf=True)`` with ``idf``)."""
    rows = sparse.csr_matrix(counts, dtype=np.float64, copy=True)
    rows.data = 1.0 + np.log(rows.data)
    rows = rows @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(1 / np.where(norms > 0, norms, 1)) @ rows)


def smooth_idf(counts: sparse.csr_matrix) -> np.ndarray:
    """scikit-learn's smoothed IDF: ln((1 + n) / (1 + df)) + 1."""
    documents = np.asarray((counts > 0).sum(axis=0)).ravel()
    return np.log((1 + counts.shape[0]) / (1 + documents)) + 1


def fit_topics(
    counts: sparse.csr_matrix,
    vocabulary: Vocabulary,
    k: int,
    *,
    kind: str = "nmf",
    seed: int = 0,
    init: str = "nndsvda",
) -> TopicModel:
    """Fit a topic model on documents given as counts over ``vocabulary``.

    Parameters
    ----------
    counts : sparse matrix
        (documents x vocabulary terms) counts.
    k : int
        Number of topics.
    kind : {"nmf", "lda"}
        NMF on sublinear TF-IDF rows (Frobenius loss, coordinate descent) or LDA on counts
        (batch variational Bayes, priors 1/k, :data:`LDA_ITERATIONS` passes).
    seed : int
        The random state of the fit.
    init : {"nndsvda", "random"}
        NMF's start: ``nndsvda`` (Boutsidis & Gallopoulos 2008's SVD-based start, which
        converges in far fewer passes than a random one and depends on the documents only).

    Returns
    -------
    TopicModel
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if k < 2:
        raise TopicModelError(f"a topic model needs at least 2 topics, not {k}")
    if counts.shape[1] != len(vocabulary.terms):
        raise ValueError(
            f"counts has {counts.shape[1]} columns for {len(vocabulary.terms)} terms: give the "
            "counts over the vocabulary (Vocabulary.columns)"
        )
    if counts.shape[0] < k:
        raise TopicModelError(f"{counts.shape[0]} documents cannot be split into {k} topics")
    counts = sparse.csr_matrix(counts, dtype=np.float64, copy=True)
    counts.sort_indices()  # the same model from the same counts, however they are stored
    parameters = {"k": int(k), "seed": int(seed), "n_documents": int(counts.shape[0])}
    if kind == "lda":
        lda = LatentDirichletAllocation(
            n_components=k,
            learning_method="batch",
            max_iter=LDA_ITERATIONS,
            random_state=seed,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            lda.fit(counts)
        parameters.update(
            doc_topic_prior=float(lda.doc_topic_prior_),
            topic_word_prior=float(lda.topic_word_prior_),
            iterations=int(lda.n_iter_),
        )
        return TopicModel("lda", vocabulary.terms, lda.components_, None, parameters)
    idf = smooth_idf(counts)
    nmf = NMF(
        n_components=k,
        init=init,
        random_state=seed,
        max_iter=NMF_ITERATIONS,
        tol=1e-4,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # recorded: iterations
        nmf.fit(tfidf_rows(counts, idf))
    parameters.update(init=init, iterations=int(nmf.n_iter_))
    return TopicModel("nmf", vocabulary.terms, nmf.components_, idf, parameters)


def save_model(model: TopicModel, path: str | Path) -> Path:
    """Write ``model`` to ``path`` as a zip of ``model.json`` (kind, parameters,
    vocabulary, the choice of k) and ``arrays.npz`` (weights, IDF)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {"weights": model.weights}
    if model.idf is not None:
        arrays["idf"] = model.idf
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    description = {
        "format": FORMAT,
        "kind": model.kind,
        "terms": [str(t) for t in model.terms],
        "parameters": model.parameters,
        "diagnostics": json.loads(model.diagnostics.to_json(orient="split", index=False))
        if len(model.diagnostics.columns)
        else None,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("model.json", json.dumps(description, sort_keys=True).encode()),
            ("arrays.npz", buffer.getvalue()),
        ):
            archive.writestr(zipfile.ZipInfo(name, _DATE), data, zipfile.ZIP_DEFLATED)
    return path


def _diagnostics(table) -> pd.DataFrame:
    """The ``topic_k`` table saved in a model (JSON: missing values come back as None), with
    its registered types."""
    if not table:
        return pd.DataFrame()
    frame = pd.DataFrame(table["data"], columns=table["columns"])
    types = {"k": "int64", "seed": "int64", "n_documents": "int64", "chosen": bool}
    floats = {c: float for c in ("coherence", "stability", "perplexity")}
    return frame.astype({**types, **floats})


def load_model(path: str | Path) -> TopicModel:
    """The topic model saved at ``path`` (:func:`save_model`).

    Raises
    ------
    TopicModelError
        When the file is missing or not a topic model of a format this package reads.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            description = json.loads(archive.read("model.json"))
            with np.load(io.BytesIO(archive.read("arrays.npz")), allow_pickle=False) as arrays:
                weights = arrays["weights"]
                idf = arrays.get("idf")
    except FileNotFoundError:
        raise TopicModelError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise TopicModelError(
            f"{path}: not a topic model saved by this package ({error})"
        ) from None
    if (
        not isinstance(description, dict)
        or description.get("format") != FORMAT
        or description.get("kind") not in KINDS
        or not isinstance(description.get("terms"), list)
        or not isinstance(description.get("parameters"), dict)
        or weights.ndim != 2
        or weights.shape[1] != len(description["terms"])
    ):
        raise TopicModelError(f"{path}: not a topic model of a format this package reads")
    try:
        diagnostics = _diagnostics(description.get("diagnostics"))
    except (KeyError, TypeError, ValueError) as error:
        raise TopicModelError(f"{path}: the model's choice of k cannot be read ({error})") from None
    return TopicModel(
        description["kind"],
        np.asarray(description["terms"], dtype=object),
        weights,
        idf,
        description["parameters"],
        diagnostics,
    )
