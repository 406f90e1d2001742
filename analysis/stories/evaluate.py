"""How far matched stories agree with known ones: pairwise precision and recall of "same
story", and the adjusted Rand index (scikit-learn's pair counts)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.cluster import pair_confusion_matrix


def pairwise_agreement(known, matched) -> dict[str, float]:
    """Agreement of ``matched`` story labels with ``known`` ones, over every pair of articles.

    Parameters
    ----------
    known, matched : array-like
        One label per article, in the same order (any hashable values).

    Returns
    -------
    dict
        ``precision`` (of the pairs put in one story, the share that are in one known
        story), ``recall`` (of the pairs in one known story, the share put in one story),
        ``f1`` (their harmonic mean), ``ari`` (adjusted Rand index), ``pairs_known`` and
        ``pairs_matched`` (pairs in one story). Precision is NaN when no pair was matched.
    """
    known, matched = np.asarray(known), np.asarray(matched)
    confusion = pair_confusion_matrix(known, matched) // 2  # ordered pairs -> pairs
    both = float(confusion[1, 1])
    pairs_known = both + float(confusion[1, 0])
    pairs_matched = both + float(confusion[0, 1])
    precision = both / pairs_matched if pairs_matched else np.nan
    recall = both / pairs_known if pairs_known else np.nan
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else np.nan
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "ari": float(adjusted_rand_score(known, matched)),
        "pairs_known": int(pairs_known),
        "pairs_matched": int(pairs_matched),
    }
