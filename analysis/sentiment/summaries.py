"""Tone per outlet, along the article and toward actors, with bootstrap intervals."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis import stats
from analysis.sentiment.articles import SENTENCE_MEASURES, VOICES, sentence_features
from analysis.settings import N_RESAMPLES

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


def outlet_tone(
    tone: pd.DataFrame,
    scored: pd.DataFrame | None = None,
    *,
    unit: str = "article",
    confidence: float = 0.95,
    n_resamples: int = N_RESAMPLES,
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
        options.pop("warn")
        parts.append(stats.summarize_columns(tone, ARTICLE_MEASURES, unit="article", **options))
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
    stats.warn_missing_intervals(out, "tone", unit=unit, minimum=stats.MIN_UNITS_MEAN)
    return out[stats.SUMMARY_COLUMNS]


def _lede_minus_rest_by_sentence(features: pd.DataFrame, options: dict) -> pd.DataFrame:
    rows = []
    for outlet, frame in features.groupby("outlet", sort=True):
        lede = frame.loc[frame["lede"], "compound"].to_numpy(dtype=float)
        rest = frame.loc[~frame["lede"], "compound"].to_numpy(dtype=float)
        estimate, low, high = stats.difference_ci(
            lede,
            rest,
            confidence=options["confidence"],
            n_resamples=options["n_resamples"],
            seed=options["seed"],
            cell=("lede_minus_rest", outlet),
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
    n_resamples: int = N_RESAMPLES,
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
    options = {"confidence": confidence, "n_resamples": n_resamples, "seed": seed}
    if unit == "article":
        data = data.groupby(["outlet", "bin", "article_id"], as_index=False)["compound"].mean()
        # an outlet's bins side by side, one article per row (in article_id order, as
        # grouping sorted them): one bootstrap call per outlet and pattern of empty bins
        wide = data.pivot(index=["outlet", "article_id"], columns="bin", values="compound")
        columns = list(wide.columns)
        long = stats.summarize_columns(wide.reset_index(), columns, unit=unit, **options)
        out = long.rename(columns={"measure": "bin"})
        out["bin"] = out["bin"].astype(data["bin"].dtype)
        present = data[["outlet", "bin"]].drop_duplicates()  # the bins the outlet has
        out = out.merge(present, on=["outlet", "bin"]).sort_values(["outlet", "bin"])
        out = out[["outlet", "bin", *out.columns.drop(["outlet", "bin"])]].reset_index(drop=True)
        out.insert(2, "bin_start", out["bin"] / bins)
        out.insert(3, "bin_end", (out["bin"] + 1) / bins)
        return out
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
    n_resamples: int = N_RESAMPLES,
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
