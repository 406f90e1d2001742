"""Per-outlet sourcing measures, from the quotes table; scare quotes per term are counted by
:mod:`analysis.quotes.scare` (imported here).

Which quotes count where:

- *quoted words* are the words inside quotation marks (direct quotes, nested ones not
  counted twice);
- *quotes* are direct quotes that are not scare quotes and not inside an embedded post;
- *voiced words* are the words of those quotes plus the text of embedded posts: the words
  an outlet lets someone else say verbatim, which :func:`speaker_shares` splits by
  category;
- *speakers* are the distinct named speakers of direct quotes, reported speech and posts;
- *scare quotes* are the outlet's: quotation marks inside an embedded post are its author's,
  so a scare quote there, and a use of the term there, is not counted for the outlet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import stats, tokens
from analysis.quotes.scare import FUNCTION_WORDS, scare_quotes, scare_term
from analysis.quotes.speakers import UNKNOWN
from analysis.settings import N_RESAMPLES

__all__ = [
    "ARTICLE_VOICE_COLUMNS",
    "FUNCTION_WORDS",
    "OUTLET_MEASURES",
    "article_voices",
    "outlet_voices",
    "quote_tone",
    "scare_quotes",
    "scare_term",
    "sentence_speakers",
    "speaker_shares",
    "speaker_table",
]

ARTICLE_VOICE_COLUMNS = [
    "article_id",
    "outlet",
    "n_words",
    "quoted_words",
    "voiced_words",
    "n_quotes",
    "n_attributed",
    "n_reported",
    "n_posts",
    "n_scare",
    "n_speakers",
]
OUTLET_MEASURES = {
    "quoted_word_share": ("quoted_words", "n_words", 1.0),
    "quotes_per_1000_words": ("n_quotes", "n_words", 1000.0),
    "speakers_per_1000_words": ("n_speakers", "n_words", 1000.0),
    "reported_per_1000_words": ("n_reported", "n_words", 1000.0),
    "scare_quotes_per_1000_words": ("n_scare", "n_words", 1000.0),
    "attributed_quote_share": ("n_attributed", "n_quotes", 1.0),
}
"""Measure name -> (numerator, denominator, scale) over :func:`article_voices` columns."""


def _voiced(quotes: pd.DataFrame) -> pd.Series:
    kind = quotes["kind"].astype(str)
    direct = (kind == "direct") & ~quotes["nested"] & ~quotes["social"] & ~quotes["scare"]
    return direct | (kind == "post")


def article_voices(quotes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Counts of quotes, speakers and quoted words per article.

    Parameters
    ----------
    quotes : DataFrame
        :func:`analysis.quotes.extract_quotes` output.
    articles : DataFrame
        ``article_id``, ``outlet``, ``text_clean``; every article gets a row, quoted or not.

    Returns
    -------
    DataFrame
        :data:`ARTICLE_VOICE_COLUMNS`: ``n_words`` (tokens of the cleaned text),
        ``quoted_words`` (words inside quotation marks), ``voiced_words`` (words of quotes
        and posts, see the module docstring), ``n_quotes``, ``n_attributed`` (of those, with
        a speaker), ``n_reported`` (reported speech), ``n_posts``, ``n_scare`` (scare
        quotes outside embedded posts), ``n_speakers`` (distinct named speakers).
    """
    kind = quotes["kind"].astype(str)
    quote_rows = (kind == "direct") & ~quotes["nested"] & ~quotes["social"] & ~quotes["scare"]
    table = pd.DataFrame(
        {
            "article_id": quotes["article_id"],
            "quoted_words": np.where((kind == "direct") & ~quotes["nested"], quotes["n_words"], 0),
            "voiced_words": np.where(_voiced(quotes), quotes["n_words"], 0),
            "n_quotes": quote_rows.astype(int),
            "n_attributed": (quote_rows & quotes["speaker"].notna()).astype(int),
            "n_reported": (kind == "indirect").astype(int),
            "n_posts": (kind == "post").astype(int),
            "n_scare": (quotes["scare"] & ~quotes["social"]).astype(int),
        }
    )
    sums = table.groupby("article_id", sort=False).sum()
    named = quotes[quotes["speaker"].notna() & ~quotes["nested"]]
    speakers = named.groupby("article_id", sort=False)["speaker"].nunique()
    out = articles[["article_id", "outlet"]].copy()
    out["n_words"] = tokens.count_words_many(articles["text_clean"])
    out = out.join(sums, on="article_id")
    out["n_speakers"] = out["article_id"].map(speakers)
    counts = [c for c in ARTICLE_VOICE_COLUMNS if c.startswith("n_") or c.endswith("_words")]
    out[counts] = out[counts].fillna(0).astype(np.int64)
    return out[ARTICLE_VOICE_COLUMNS].reset_index(drop=True)


def outlet_voices(
    voices: pd.DataFrame,
    *,
    confidence: float = 0.95,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
) -> pd.DataFrame:
    """Sourcing measures per outlet, pooled over articles, with intervals over articles.

    Each measure is a ratio of sums over an outlet's articles (:data:`OUTLET_MEASURES`:
    quoted words / words, quotes per 1,000 words, ...), so long articles weigh more, as
    every word does; its interval is the linearised ratio interval over articles
    (:func:`analysis.stats.ratio_ci`, from :data:`analysis.stats.MIN_UNITS_RATIO` articles).
    ``n_resamples`` and ``seed`` are accepted for the run's settings and unused: the interval
    is computed, not resampled.

    Parameters
    ----------
    voices : DataFrame
        :func:`article_voices` output.

    Returns
    -------
    DataFrame
        Long form: ``outlet, measure, estimate, ci_low, ci_high, n_units, n_articles,
        unit`` (``unit`` is ``article``).
    """
    parts = []
    for measure, (numerator, denominator, scale) in OUTLET_MEASURES.items():
        summary = stats.summarize_ratio(
            voices,
            numerator=numerator,
            denominator=denominator,
            scale=scale,
            unit="article",
            confidence=confidence,
            n_resamples=n_resamples,
            seed=seed,
        )
        summary.insert(1, "measure", measure)
        parts.append(summary)
    out = pd.concat(parts, ignore_index=True)
    stats.warn_missing_intervals(out, "voices", unit="article", minimum=stats.MIN_UNITS_RATIO)
    return out


def speaker_shares(
    quotes: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    categories: list[str] | None = None,
    confidence: float = 0.95,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
) -> pd.DataFrame:
    """Share of each outlet's voiced words spoken by each speaker category.

    Parameters
    ----------
    quotes : DataFrame
        :func:`analysis.quotes.extract_quotes` output (``category``, ``n_words``, ...).
    articles : DataFrame
        ``article_id``, ``outlet``.
    categories : list of str, optional
        The categories to report, in order (those of the speaker file); ``unknown`` is
        always added. By default, the categories found.

    Returns
    -------
    DataFrame
        ``outlet, category, estimate, ci_low, ci_high, n_units, n_articles, unit,
        words``: the pooled share of voiced words (quotes and posts) by the category, its
        linearised ratio interval over articles (:func:`analysis.stats.ratio_ci`), and the
        words behind it. The shares of an outlet
        sum to 1 over categories when it voices anyone at all.
    """
    voiced = quotes[_voiced(quotes)]
    found = sorted(set(voiced["category"].astype(str)))
    wanted = list(dict.fromkeys([*(categories or found), *found, UNKNOWN]))
    words = voiced.pivot_table(
        index="article_id", columns="category", values="n_words", aggfunc="sum", fill_value=0
    ).reindex(columns=wanted, fill_value=0)
    frame = articles[["article_id", "outlet"]].join(words, on="article_id").fillna(0)
    frame["total"] = frame[wanted].sum(axis=1)
    long = frame.melt(
        id_vars=["article_id", "outlet", "total"],
        value_vars=wanted,
        var_name="category",
        value_name="words",
    )
    long["category"] = pd.Categorical(long["category"], categories=wanted)
    out = stats.summarize_ratio(
        long,
        numerator="words",
        denominator="total",
        by=["outlet", "category"],
        unit="article",
        confidence=confidence,
        n_resamples=n_resamples,
        seed=seed,
    )
    totals = long.groupby(["outlet", "category"], observed=True)["words"].sum()
    out["words"] = [int(totals.get((o, c), 0)) for o, c in zip(out["outlet"], out["category"])]
    out["category"] = out["category"].astype(str)
    stats.warn_missing_intervals(
        out[out["words"] > 0],
        "speaker shares",
        unit="article",
        minimum=stats.MIN_UNITS_RATIO,
        key="category",
    )
    return out


def quote_tone(
    quotes: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    confidence: float = 0.95,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean VADER compound of the quotes (and posts) each outlet gives each category.

    The mean is over quotes; its interval takes the quotes of one article together, as
    they are not independent (one speaker quoted many times): the linearised interval of
    the ratio (sum of the compounds) / (number of quotes) over articles
    (:func:`analysis.stats.summarize_clustered` with articles as clusters), reported from
    :data:`analysis.stats.MIN_QUOTING_ARTICLES` articles. ``n_resamples`` and ``seed`` are
    accepted for the run's settings and unused: the interval is computed, not resampled.

    Parameters
    ----------
    quotes : DataFrame
        Quotes with a ``compound`` column (the pipeline scores each quote's text with
        :func:`analysis.sentiment.score_texts`; this module does not score).
    articles : DataFrame
        ``article_id``, ``outlet``.

    Returns
    -------
    DataFrame
        ``outlet, category, estimate, ci_low, ci_high, n_units, n_articles, unit,
        n_quotes``: ``n_units`` and ``n_articles`` count the articles with such quotes
        (``unit`` is ``article``), ``n_quotes`` the quotes; plus a row per outlet with
        category ``all``.
    """
    voiced = quotes[_voiced(quotes) & quotes["compound"].notna()]
    voiced = voiced[["article_id", "category", "compound"]].merge(
        articles[["article_id", "outlet"]], on="article_id"
    )
    both = pd.concat([voiced, voiced.assign(category="all")], ignore_index=True)
    out = stats.summarize_clustered(
        both,
        by=["outlet", "category"],
        cluster="article_id",
        value="compound",
        confidence=confidence,
        min_units=stats.MIN_QUOTING_ARTICLES,
        unit="article",
    )
    counts = both.groupby(["outlet", "category"], sort=True, observed=True).size()
    cells = pd.MultiIndex.from_frame(out[["outlet", "category"]])
    out["n_quotes"] = counts.reindex(cells).to_numpy(dtype=np.int64)
    return out


def sentence_speakers(sentences: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
    """``sentences`` with a ``speaker`` column: the speaker of the attributed direct quote a
    ``quote`` sentence holds (the first, when it holds several), missing for every other
    sentence.

    Parameters
    ----------
    sentences : DataFrame
        ``article_id, sentence_id, voice`` and any other columns (kept).
    quotes : DataFrame
        :func:`analysis.quotes.extract_quotes`.

    Returns
    -------
    DataFrame
        A copy of ``sentences`` with ``speaker`` (string dtype).
    """
    attributed = quotes[
        (quotes["kind"].astype(str) == "direct") & ~quotes["nested"] & quotes["speaker"].notna()
    ].drop_duplicates(["article_id", "sentence_id"])
    speaker = attributed.set_index(["article_id", "sentence_id"])["speaker"]
    keys = pd.MultiIndex.from_arrays([sentences["article_id"], sentences["sentence_id"]])
    sentences = sentences.copy()
    sentences["speaker"] = pd.array(speaker.reindex(keys).to_numpy(dtype=object), dtype="string")
    sentences.loc[sentences["voice"] != "quote", "speaker"] = pd.NA
    return sentences


def speaker_table(quotes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Who each outlet lets speak: one row per outlet and named speaker.

    Returns
    -------
    DataFrame
        ``outlet, speaker, category, n_quotes`` (direct quotes and posts), ``n_reported``,
        ``voiced_words``, ``n_articles``; sorted by outlet, then most words first.
    """
    named = quotes[quotes["speaker"].notna() & ~quotes["nested"]]
    named = named.merge(articles[["article_id", "outlet"]], on="article_id")
    voiced = _voiced(named)
    table = named.assign(
        n_quotes=voiced.astype(int),
        n_reported=(named["kind"].astype(str) == "indirect").astype(int),
        voiced_words=np.where(voiced, named["n_words"], 0),
    )
    out = (
        table.groupby(["outlet", "speaker", "category"], sort=True, observed=True)
        .agg(
            n_quotes=("n_quotes", "sum"),
            n_reported=("n_reported", "sum"),
            voiced_words=("voiced_words", "sum"),
            n_articles=("article_id", "nunique"),
        )
        .reset_index()
    )
    out = out.sort_values(
        ["outlet", "voiced_words", "n_reported", "speaker"], ascending=[True, False, False, True]
    )
    return out.reset_index(drop=True)
