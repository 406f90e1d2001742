"""Tone per article: sentence scores averaged over voices, the lede and the rest."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.sentiment.scoring import NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD, score_texts

VOICES = ("narrative", "quote", "social")


def lede_mask(sentences: pd.DataFrame) -> pd.Series:
    """True for the sentences of each article's lede.

    The lede is the first paragraph when the article has more than one paragraph, else
    (a text whose paragraph breaks were lost) its first two sentences.

    Parameters
    ----------
    sentences : DataFrame
        ``article_id``, ``sentence_id``, ``paragraph_id``.
    """
    paragraphs = sentences.groupby("article_id", sort=False)["paragraph_id"].transform("max")
    return pd.Series(
        np.where(
            paragraphs > 0,
            sentences["paragraph_id"].to_numpy() == 0,
            sentences["sentence_id"].to_numpy() < 2,
        ),
        index=sentences.index,
    )


def sentence_features(scored: pd.DataFrame) -> pd.DataFrame:
    """Per-sentence indicators that the tone measures average.

    Returns
    -------
    DataFrame
        ``article_id``, ``voice``, ``compound``, ``negative`` and ``positive`` (1.0/0.0 by
        the thresholds), ``lede`` (bool).
    """
    compound = scored["compound"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "article_id": scored["article_id"].to_numpy(),
            "voice": scored["voice"].astype(str).to_numpy(),
            "compound": compound,
            "negative": (compound <= NEGATIVE_THRESHOLD).astype(float),
            "positive": (compound >= POSITIVE_THRESHOLD).astype(float),
            "lede": lede_mask(scored).to_numpy(),
        },
        index=scored.index,
    )


SENTENCE_MEASURES = {
    "compound_mean": ("compound", None),
    "compound_narrative": ("compound", ("voice", "narrative")),
    "compound_quote": ("compound", ("voice", "quote")),
    "compound_social": ("compound", ("voice", "social")),
    "share_negative": ("negative", None),
    "share_positive": ("positive", None),
    "compound_lede": ("compound", ("lede", True)),
    "compound_rest": ("compound", ("lede", False)),
}
"""Each sentence-based measure: the column averaged and the sentences it is averaged over."""


def article_tone(scored: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tone measures per article.

    Parameters
    ----------
    scored : DataFrame
        Scored sentences (:func:`score_sentences`): ``article_id``, ``sentence_id``,
        ``paragraph_id``, ``voice``, ``compound``.
    articles : DataFrame, optional
        The articles table; when given, every article appears (even one without sentences)
        with its ``outlet``, and a non-missing ``title`` is scored as ``compound_title``.

    Returns
    -------
    DataFrame
        One row per article: ``article_id``, ``outlet`` (when ``articles`` is given),
        ``n_sentences`` and ``n_narrative``, ``n_quote``, ``n_social``; ``compound_mean``
        (mean compound of all sentences), ``compound_narrative``, ``compound_quote``,
        ``compound_social`` (NaN when the article has no sentence in that voice);
        ``share_negative`` and ``share_positive`` (shares of sentences with compound <= -0.05
        and >= 0.05); ``compound_lede`` and ``compound_rest`` (lede: first paragraph, or the
        first two sentences of a text without paragraphs), ``lede_minus_rest``; and
        ``compound_title`` (NaN without a title).
    """
    features = sentence_features(scored)
    grouped = features.groupby("article_id", sort=False)
    out = pd.DataFrame({"n_sentences": grouped.size()})
    for voice in VOICES:
        out[f"n_{voice}"] = (features["voice"] == voice).groupby(features["article_id"]).sum()
    for measure, (column, subset) in SENTENCE_MEASURES.items():
        chosen = features if subset is None else features[features[subset[0]] == subset[1]]
        out[measure] = chosen.groupby("article_id", sort=False)[column].mean()
    out["lede_minus_rest"] = out["compound_lede"] - out["compound_rest"]
    out = out.rename_axis("article_id").reset_index()
    if articles is None:
        return out
    base = articles[["article_id", "outlet"]].copy()
    if "title" in articles:
        base["compound_title"] = score_texts(articles["title"])["compound"].to_numpy()
    else:
        base["compound_title"] = np.nan
    out = base.merge(out, on="article_id", how="left")
    counts = ["n_sentences", *(f"n_{voice}" for voice in VOICES)]
    out[counts] = out[counts].fillna(0).astype("int64")
    return out
