"""What a classifier reads of a unit: TF-IDF of its words (and, optionally, of its
characters) and the framing dictionary's match counts.

Everything is scikit-learn's (:class:`~sklearn.pipeline.FeatureUnion` of
:class:`~sklearn.feature_extraction.text.TfidfVectorizer`), fitted on training units only.
The dictionary's counts are ``log(1 + matches)`` per category, one column each, next to the
word weights: the classifier learns how much to trust each word list. On the GVFC
headlines (benchmarks/learned_gvfc.py) adding them to words and word pairs raised
cross-validated macro F1 from 0.71 to 0.80. Word pairs and character n-grams are off
unless asked for: on the GVFC headline + lead units pairs added 0.007 to macro F1 (0.731
against 0.724) and made applying a model to full articles about a third slower (TF-IDF of
4,000 AllSides articles: 1.9 s against 3.8 s); character n-grams added about 0.01 at three
to four times the fitting time.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from analysis.lexicon import count_matches


class DictionaryCounts(TransformerMixin, BaseEstimator):
    """``log(1 + matches)`` of each category of ``dictionary`` in each text."""

    def __init__(self, dictionary=None):
        self.dictionary = dictionary

    def fit(self, texts, y=None):
        self.categories_ = list(self.dictionary.categories)
        return self

    def counts(self, texts) -> np.ndarray:
        """(texts x categories) match counts."""
        return count_matches(list(texts), self.dictionary).category_counts()

    def transform(self, texts):
        return sparse.csr_matrix(np.log1p(self.counts(texts)))

    def get_feature_names_out(self, input_features=None):
        return np.array(self.categories_, dtype=object)


def feature_union(
    *, dictionary=None, word_pairs: bool = False, char_ngrams: bool = False, min_df: int = 2
) -> FeatureUnion:
    """The features of a unit, unfitted.

    Parameters
    ----------
    dictionary : Dictionary, optional
        Adds its categories' match counts (:class:`DictionaryCounts`).
    word_pairs : bool
        Adds pairs of adjacent words to the words.
    char_ngrams : bool
        Adds TF-IDF of character 3- to 5-grams within words.
    min_df : int
        Fewest training units a word or n-gram must occur in.

    Returns
    -------
    FeatureUnion
        ``words`` (TF-IDF of words, and of word pairs when asked; sublinear term
        frequency), then
        ``characters`` and ``dictionary`` when asked for; feature names are prefixed with
        the part's name (``words__gun control``).
    """
    parts = [
        (
            "words",
            TfidfVectorizer(
                ngram_range=(1, 2 if word_pairs else 1), min_df=min_df, sublinear_tf=True
            ),
        ),
    ]
    if char_ngrams:
        parts.append(
            (
                "characters",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(3, 5), min_df=min_df + 1, sublinear_tf=True
                ),
            )
        )
    if dictionary is not None:
        parts.append(("dictionary", DictionaryCounts(dictionary)))
    return FeatureUnion(parts)


def transform_with_counts(
    features: FeatureUnion, texts
) -> tuple[sparse.csr_matrix, np.ndarray | None]:
    """``features.transform(texts)``, and the dictionary's match counts it was made from
    (None without a ``dictionary`` part), so that a caller that also needs the counts does
    not match the texts twice (matching is the slowest part of applying a model)."""
    texts = list(texts)
    blocks, counts = [], None
    for name, part in features.transformer_list:
        if name == "dictionary":
            counts = part.counts(texts)
            blocks.append(sparse.csr_matrix(np.log1p(counts)))
        else:
            blocks.append(part.transform(texts))
    return sparse.hstack(blocks).tocsr(), counts
