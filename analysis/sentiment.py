"""Tone: VADER sentiment per sentence, rolled up per article.

Scoring uses **nltk's** implementation of VADER (Hutto & Gilbert 2014),
``nltk.sentiment.vader.SentimentIntensityAnalyzer``, with the lexicon file that ships inside
the ``vaderSentiment`` package, read from disk: nothing is downloaded and no ``nltk_data``
folder is needed. nltk 3.10 refuses to open files outside its data path, so the analyzer is
built around the lexicon text directly (:func:`analyzer`); every score is exactly what
nltk's own ``polarity_scores`` gives with that lexicon. The ``vaderSentiment`` package's own
class implements VADER slightly differently and gives different ``neg/neu/pos`` on many
sentences and a different ``compound`` on some (e.g. "no problem"); see docs/methods.md.

VADER is meant to be applied to single sentences and then aggregated; this module scores
the sentences table and leaves aggregation with uncertainty to :mod:`analysis.stats`.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

from analysis import stats

NEGATIVE_THRESHOLD = -0.05
"""A sentence with ``compound <= -0.05`` counts as negative (Hutto & Gilbert's threshold)."""
POSITIVE_THRESHOLD = 0.05
"""A sentence with ``compound >= 0.05`` counts as positive."""
SCORE_COLUMNS = ["neg", "neu", "pos", "compound"]
VOICES = ("narrative", "quote", "social")


def lexicon_path() -> Path:
    """The VADER lexicon file shipped inside the ``vaderSentiment`` package."""
    import vaderSentiment

    return Path(vaderSentiment.__file__).resolve().parent / "vader_lexicon.txt"


@functools.lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    """nltk's VADER analyzer, built offline from the ``vaderSentiment`` lexicon file.

    nltk's constructor would fetch ``sentiment/vader_lexicon.zip`` through ``nltk.data``
    (and refuses absolute paths since nltk 3.10); instead the same three attributes its
    constructor sets are set here from the lexicon text, so every method is nltk's own.
    """
    scorer = SentimentIntensityAnalyzer.__new__(SentimentIntensityAnalyzer)
    scorer.lexicon_file = lexicon_path().read_text(encoding="utf-8").strip("\n")
    scorer.lexicon = scorer.make_lex_dict()
    scorer.constants = VaderConstants()
    return scorer


def polarity_scores(text: str) -> dict[str, float]:
    """VADER's ``neg, neu, pos, compound`` for one sentence (nltk's implementation).

    >>> polarity_scores("VADER is smart, handsome, and funny.")
    {'neg': 0.0, 'neu': 0.254, 'pos': 0.746, 'compound': 0.8316}
    """
    return analyzer().polarity_scores(text)


def score_texts(texts) -> pd.DataFrame:
    """Scores for an iterable of strings: one row each, columns ``neg, neu, pos, compound``."""
    score = analyzer().polarity_scores
    rows = [score(text) if isinstance(text, str) and text.strip() else None for text in texts]
    empty = dict.fromkeys(SCORE_COLUMNS, np.nan)
    return pd.DataFrame([row or empty for row in rows], columns=SCORE_COLUMNS, dtype=float)


def score_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Add VADER scores to every sentence.

    Parameters
    ----------
    sentences : DataFrame
        The sentences table (needs ``text``), see :func:`analysis.segment.split_sentences`.

    Returns
    -------
    DataFrame
        A copy with ``neg``, ``neu``, ``pos`` (shares of the sentence's sentiment, summing to
        1) and ``compound`` (normalised sum, -1 .. 1) added.
    """
    scores = score_texts(sentences["text"])
    out = sentences.copy()
    for column in SCORE_COLUMNS:
        out[column] = scores[column].to_numpy()
    return out


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


ARTICLE_MEASURES = [
    "compound_mean",
    "compound_narrative",
    "compound_quote",
    "compound_social",
    "share_negative",
    "share_positive",
    "compound_lede",
    "compound_rest",
    "lede_minus_rest",
    "compound_title",
]
"""The tone measures of :func:`article_tone`, in the order :func:`outlet_tone` reports them."""


def _warn_undefined(table: pd.DataFrame, unit: str) -> None:
    undefined = table[(table["n_units"] > 0) & (table["n_units"] < 2)]
    if len(undefined):
        outlets = ", ".join(sorted(undefined["outlet"].astype(str).unique()))
        alternative = (
            " Sentence-level resampling (unit='sentence') is the named alternative; see its caveat."
            if unit == "article"
            else ""
        )
        warnings.warn(
            f"interval undefined (fewer than 2 {unit}s) and reported as missing for: "
            f"{outlets}.{alternative}",
            stats.UndefinedIntervalWarning,
            stacklevel=3,
        )


def outlet_tone(
    tone: pd.DataFrame,
    scored: pd.DataFrame | None = None,
    *,
    unit: str = "article",
    confidence: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """Every tone measure per outlet, with bootstrap intervals, in long form.

    Parameters
    ----------
    tone : DataFrame
        :func:`article_tone` with ``articles`` given (needs ``outlet``).
    scored : DataFrame, optional
        Scored sentences; needed when ``unit="sentence"``.
    unit : {"article", "sentence"}
        What is resampled (see :mod:`analysis.stats`). With ``"article"`` an outlet's
        estimate is the mean of its articles' values; with ``"sentence"`` it is the mean over
        the outlet's sentences (``lede_minus_rest``: lede sentences' mean minus the other
        sentences' mean; ``compound_title`` is always per article).

    Returns
    -------
    DataFrame
        ``outlet, measure, estimate, ci_low, ci_high, n_articles, n_units, unit``; intervals
        are missing (with one :class:`analysis.stats.UndefinedIntervalWarning`) where an
        outlet has fewer than two units.
    """
    options = {"confidence": confidence, "n_resamples": n_resamples, "seed": seed, "warn": False}
    parts = []
    if unit == "article":
        for measure in ARTICLE_MEASURES:
            part = stats.summarize(tone, value=measure, unit="article", **options)
            parts.append(part.assign(measure=measure))
    elif unit == "sentence":
        if scored is None:
            raise ValueError("unit='sentence' needs the scored sentences")
        features = sentence_features(scored).merge(
            tone[["article_id", "outlet"]], on="article_id", how="inner"
        )
        for measure, (column, subset) in SENTENCE_MEASURES.items():
            chosen = features if subset is None else features[features[subset[0]] == subset[1]]
            part = stats.summarize(chosen, value=column, unit="sentence", **options)
            parts.append(part.assign(measure=measure))
        parts.append(_lede_minus_rest_by_sentence(features, options))
        title = stats.summarize(tone, value="compound_title", unit="article", **options)
        parts.append(title.assign(measure="compound_title"))
    else:
        raise ValueError(f"unit must be one of {stats.UNITS}, not {unit!r}")
    out = pd.concat(parts, ignore_index=True)
    out["measure"] = pd.Categorical(out["measure"], categories=ARTICLE_MEASURES)
    out = out.sort_values(["outlet", "measure"], ignore_index=True)
    out["measure"] = out["measure"].astype(str)
    _warn_undefined(out, unit)
    return out[stats.SUMMARY_COLUMNS]


def _lede_minus_rest_by_sentence(features: pd.DataFrame, options: dict) -> pd.DataFrame:
    rows = []
    for outlet, frame in features.groupby("outlet", sort=True):
        lede = frame.loc[frame["lede"], "compound"].to_numpy(dtype=float)
        rest = frame.loc[~frame["lede"], "compound"].to_numpy(dtype=float)
        estimate, low, high = stats.bootstrap_difference_ci(
            lede, rest, **{k: v for k, v in options.items() if k != "warn"}
        )
        units = len(lede) + len(rest) if len(lede) and len(rest) else 0
        rows.append((outlet, estimate, low, high, units, frame["article_id"].nunique()))
    columns = ["outlet", "estimate", "ci_low", "ci_high", "n_units", "n_articles"]
    return pd.DataFrame(rows, columns=columns).assign(unit="sentence", measure="lede_minus_rest")


def tone_by_position(
    scored: pd.DataFrame,
    tone: pd.DataFrame,
    *,
    bins: int = 5,
    unit: str = "article",
    confidence: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean compound along the article: sentences binned by ``position`` (0..1).

    Parameters
    ----------
    scored : DataFrame
        Scored sentences (``article_id``, ``position``, ``compound``).
    tone : DataFrame
        :func:`article_tone` with ``outlet`` (gives each article's outlet).
    bins : int
        Equal-width position bins; bin ``k`` holds positions in ``[k/bins, (k+1)/bins)``,
        the last bin including 1.
    unit : {"article", "sentence"}
        With ``"article"``, each article's mean in the bin is one unit.

    Returns
    -------
    DataFrame
        ``outlet, bin, bin_start, bin_end, estimate, ci_low, ci_high, n_units, n_articles,
        unit``.
    """
    data = scored[["article_id", "position", "compound"]].merge(
        tone[["article_id", "outlet"]], on="article_id", how="inner"
    )
    data["bin"] = np.minimum((data["position"].to_numpy() * bins).astype(int), bins - 1)
    if unit == "article":
        data = data.groupby(["outlet", "bin", "article_id"], as_index=False)["compound"].mean()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.UndefinedIntervalWarning)
        out = stats.summarize(
            data,
            value="compound",
            by=["outlet", "bin"],
            unit=unit,
            confidence=confidence,
            n_resamples=n_resamples,
            seed=seed,
            warn=False,
        )
    out.insert(2, "bin_start", out["bin"] / bins)
    out.insert(3, "bin_end", (out["bin"] + 1) / bins)
    return out


ACTOR_VOICES = ("all", *VOICES)


def actor_tone(
    scored: pd.DataFrame,
    mentions: pd.DataFrame,
    tone: pd.DataFrame,
    *,
    actors: list[str] | None = None,
    unit: str = "article",
    confidence: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """Tone toward each actor: the mean compound of the sentences that mention it.

    Parameters
    ----------
    scored : DataFrame
        Scored sentences (``article_id``, ``sentence_id``, ``voice``, ``compound``).
    mentions : DataFrame
        :func:`analysis.actors.find_mentions` (``article_id``, ``sentence_id``, ``actor``).
    tone : DataFrame
        :func:`article_tone` with ``outlet``.
    actors : list of str, optional
        Actor names to report (default: the categories of ``mentions["actor"]``, else the
        actors found).
    unit : {"article", "sentence"}
        With ``"article"``, each article's mean over its mentioning sentences is one unit.

    Returns
    -------
    DataFrame
        One row for every outlet x actor x voice (``all``, ``narrative``, ``quote``,
        ``social``): ``outlet, actor, voice, estimate, ci_low, ci_high, n_sentences,
        n_articles, unit``. An actor an outlet never mentions has ``n_sentences`` 0 and a
        missing estimate: "not mentioned", never a tone of zero.
    """
    if actors is None:
        column = mentions["actor"]
        actors = (
            list(column.cat.categories)
            if isinstance(column.dtype, pd.CategoricalDtype)
            else sorted(column.unique())
        )
    data = (
        mentions[["article_id", "sentence_id", "actor"]]
        .assign(actor=lambda m: m["actor"].astype(str))
        .merge(scored[["article_id", "sentence_id", "voice", "compound"]], how="inner")
        .merge(tone[["article_id", "outlet"]], on="article_id", how="inner")
    )
    data["voice"] = data["voice"].astype(str)
    data = pd.concat([data.assign(voice="all"), data], ignore_index=True)
    counts = data.groupby(["outlet", "actor", "voice"]).agg(
        n_sentences=("compound", "size"), n_articles=("article_id", "nunique")
    )
    if unit == "article":
        data = data.groupby(["outlet", "actor", "voice", "article_id"], as_index=False)[
            "compound"
        ].mean()
    summary = stats.summarize(
        data,
        value="compound",
        by=["outlet", "actor", "voice"],
        unit=unit,
        confidence=confidence,
        n_resamples=n_resamples,
        seed=seed,
        warn=False,
    )
    grid = pd.MultiIndex.from_product(
        [sorted(tone["outlet"].unique()), actors, ACTOR_VOICES], names=["outlet", "actor", "voice"]
    )
    summary = summary.set_index(["outlet", "actor", "voice"]).drop(
        columns=["n_units", "n_articles"]
    )
    out = summary.join(counts).reindex(grid).reset_index()
    out[["n_sentences", "n_articles"]] = out[["n_sentences", "n_articles"]].fillna(0).astype(int)
    out["unit"] = unit
    columns = [
        "outlet",
        "actor",
        "voice",
        "estimate",
        "ci_low",
        "ci_high",
        "n_sentences",
        "n_articles",
        "unit",
    ]
    return out[columns]
