"""Tone: VADER per sentence, rolled up per article, per outlet, along the article and toward
named actors (:mod:`analysis.sentiment`, :mod:`analysis.actors`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import actors, sentiment
from analysis.measures.base import Context, MeasureBase, Partials, Partition, Tables
from analysis.settings import setting

SENTENCE_COLUMNS = ["article_id", "sentence_id", "paragraph_id", "voice", "position", "compound"]
"""The sentence columns kept for sentence-level resampling (``resampling.unit: sentence``)."""


@dataclass(frozen=True)
class ToneSettings:
    """How sentences are scored and rolled up, and toward whom."""

    quote_marks: str = setting(
        "keep",
        "enum",
        "keep: score sentences exactly as nltk's VADER does (default); drop: remove quotation "
        'marks first, so words next to them (disaster,") are not missed',
        flag="--quote-marks",
        choices=sentiment.QUOTE_MARKS,
    )
    position_bins: int = setting(5, "int", "bins along the article", minimum=1)
    actors: Path | None = setting(
        None,
        "path",
        "actor YAML file for tone toward actors (null: the seed story's actors on the bundled "
        "seed corpus only)",
        flag="--actors",
        optional=True,
        metavar="FILE",
    )

    def resolved(self, *, seed_corpus: bool) -> ToneSettings:
        """The seed story's actors on the seed corpus when none are named (their aliases,
        such as "the government", fit no other story)."""
        if self.actors is None and seed_corpus:
            return replace(self, actors=actors.SEED_ACTORS)
        return self


@functools.lru_cache(maxsize=8)
def actor_list(source) -> tuple:
    return tuple(actors.read_actors(source))


class Tone(MeasureBase):
    """Sentence, article and outlet tone; tone toward actors when an actor file is given."""

    name = "tone"

    def map(self, partition: Partition, settings) -> dict:
        """Scores every sentence (``partition.sentences`` gains ``neg, neu, pos,
        compound``); the parts: ``article_tone``, ``tone_bins`` (each article's mean per
        position bin), the scored sentences' few columns for sentence-level resampling, and
        the actor mentions with the mentioning sentences' tone."""
        tone = settings.tone
        scored = sentiment.score_sentences(
            partition.sentences, quote_marks=tone.quote_marks, tokenized=partition.tokenized
        )
        partition.sentences = scored
        part = {
            "article_tone": sentiment.article_tone(scored, partition.articles),
            "tone_bins": article_position_means(scored, tone.position_bins),
        }
        if settings.resampling.unit == "sentence":
            part["scored"] = scored[SENTENCE_COLUMNS].copy()
        if tone.actors is not None:
            mentions = actors.find_mentions(scored, list(actor_list(tone.actors)))
            keys = mentions[["article_id", "sentence_id"]].drop_duplicates()
            part["mentions"] = mentions
            part["mentioned"] = keys.merge(
                scored[["article_id", "sentence_id", "voice", "compound"]], how="inner"
            )
        return part

    def reduce(self, partials: Partials, context: Context) -> Tables:
        """``article_tone``, ``outlet_tone``, ``tone_by_position``, and with actors
        ``actor_mentions`` and ``actor_tone``."""
        settings = context.settings
        resampling, bins = settings.resampling, settings.tone.position_bins
        options = resampling.options
        tone = partials.concat("article_tone")
        scored = partials.concat("scored")
        out = {
            "article_tone": tone,
            "outlet_tone": sentiment.outlet_tone(tone, scored, unit=resampling.unit, **options),
            "tone_by_position": sentiment.tone_by_position(
                scored if resampling.unit == "sentence" else partials.concat("tone_bins"),
                tone,
                bins=bins,
                unit=resampling.unit,
                **options,
            ),
        }
        if settings.tone.actors is None:
            return out
        names = [a.name for a in actor_list(settings.tone.actors)]
        mentions = partials.concat("mentions")
        mentioned = partials.concat("mentioned")
        if mentions is None:
            empty = pd.DataFrame(columns=["article_id", "sentence_id", "text"])
            mentions = actors.find_mentions(empty, list(actor_list(settings.tone.actors)))
            mentioned = pd.DataFrame(columns=["article_id", "sentence_id", "voice", "compound"])
        mentions["actor"] = pd.Categorical(mentions["actor"].astype(str), categories=names)
        mentions = mentions.sort_values(["article_id", "sentence_id", "actor"], ignore_index=True)
        out["actor_mentions"] = mentions
        out["actor_tone"] = sentiment.actor_tone(mentioned, mentions, tone, actors=names, **options)
        return out


def article_position_means(scored: pd.DataFrame, bins: int) -> pd.DataFrame:
    """Each article's mean compound per position bin: the unit of the article-level
    :func:`analysis.sentiment.tone_by_position`, which gets these rows with ``position``
    the bin's middle (binning it again gives the same bin).

    Parameters
    ----------
    scored : DataFrame
        ``article_id``, ``position`` (0..1) and ``compound`` per sentence.
    bins : int

    Returns
    -------
    DataFrame
        ``article_id, position, compound``: one row per article and bin with a sentence.

    Notes
    -----
    The mean is a plain sum in sentence order divided by the count (blank sentences, with
    no score, left out), which depends on the article's sentences only: a partition's
    rows are those of the whole corpus. (pandas' grouped mean can differ from it in the
    last bit, and from itself depending on the other rows of the table.)
    """
    codes, ids = pd.factorize(scored["article_id"], sort=False)
    bin_of = np.minimum((scored["position"].to_numpy() * bins).astype(int), bins - 1)
    compound = scored["compound"].to_numpy(dtype=float)
    present = ~np.isnan(compound)
    key = codes.astype(np.int64) * bins + bin_of
    n_keys = len(ids) * bins
    sums = np.bincount(key[present], weights=compound[present], minlength=n_keys)
    counts = np.bincount(key[present], minlength=n_keys)
    seen = np.bincount(key, minlength=n_keys) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    used = np.flatnonzero(seen)
    return pd.DataFrame(
        {
            "article_id": np.asarray(ids, dtype=object)[used // bins],
            "position": (used % bins + 0.5) / bins,
            "compound": means[used],
        }
    )
