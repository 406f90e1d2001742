"""Frames: a dictionary's categories counted per article and voice, per outlet with intervals,
and which terms matched (:mod:`analysis.lexicon`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import lexicon
from analysis.measures.base import Context, MeasureBase, Partials, Partition, Tables
from analysis.settings import setting

SEED_DICTIONARY = "blasphemy_platforms_2017"
"""The story dictionary used on the bundled seed corpus."""
DEFAULT_DICTIONARY = "policy_frames"
"""The dictionary used on any other corpus unless one is given."""
VOICE_ORDER = {"all": 0, "narrative": 1, "quote": 2, "social": 3}
SENTENCE_COLUMNS = ["article_id", "sentence_id", "paragraph_id", "voice", "position"]
"""The sentence columns kept for sentence-level resampling."""


@dataclass(frozen=True)
class FrameSettings:
    """Which dictionary frames are scored with, and how."""

    dictionary: str | Path | None = setting(
        None,
        "dictionary",
        "framing dictionary: a .yml/.json/.dic/.lc3/.csv file or a built-in name (null: the "
        "story dictionary on the seed corpus, policy_frames elsewhere)",
        flag="--dictionary",
        optional=True,
        metavar="FILE_OR_NAME",
    )
    negation: bool = setting(
        False, "bool", "count matches after a negator separately", flag="--negation"
    )
    level: int | None = setting(
        None,
        "int",
        "merge nested dictionary categories to this depth (1 = top)",
        flag="--level",
        optional=True,
        minimum=1,
    )

    def resolved(self, *, seed_corpus: bool) -> FrameSettings:
        """The story dictionary on the seed corpus, the Policy Frames one elsewhere, when
        none is named."""
        if self.dictionary is not None:
            return self
        return replace(self, dictionary=SEED_DICTIONARY if seed_corpus else DEFAULT_DICTIONARY)


@functools.lru_cache(maxsize=8)
def read_dictionary(source, level: int | None) -> lexicon.Dictionary:
    """The dictionary ``source`` (a file or built-in name), merged to ``level`` when given."""
    dictionary = lexicon.read_dictionary(source)
    return dictionary.at_level(level) if level is not None else dictionary


@dataclass
class ArticleRates:
    """The ``voice == "all"`` frame rates of some articles: ``ids``, ``categories`` (in
    dictionary order) and the article x category array."""

    ids: np.ndarray
    categories: list[str]
    rates: np.ndarray

    def rename_ids(self, renamed: dict[str, str]) -> None:
        self.ids = np.asarray([renamed.get(i, i) for i in self.ids], dtype=object)


class Frames(MeasureBase):
    """Frame scores per article and voice, their outlet summary, the audit of matches."""

    name = "frames"

    def partials(self, scratch: Path) -> Partials:
        return Partials(compact={"frame_audit": lambda parts: sum_audit(pd.concat(parts))})

    def map(self, partition: Partition, settings) -> dict:
        """The parts: ``frame_scores`` (streamed), ``frame_rates`` (:class:`ArticleRates`),
        ``frame_audit`` (per outlet and term), and for sentence-level resampling each
        sentence's category counts with a few sentence columns."""
        frames = settings.frames
        dictionary = read_dictionary(frames.dictionary, frames.level)
        sentences, articles = partition.sentences, partition.articles
        scores, matches = lexicon.score_frames(
            sentences, dictionary, negation=frames.negation, tokenized=partition.tokenized
        )
        scores = _article_major(scores, articles["article_id"])
        everything = scores[scores["voice"] == "all"]
        categories = [str(c) for c in pd.unique(everything["category"])]
        ids = everything["article_id"].to_numpy(dtype=object)[:: max(len(categories), 1)]
        # the "all" rows are article by article, each with every category in dictionary order
        rates = everything["rate"].to_numpy().reshape(len(ids), len(categories))
        part = {
            "frame_scores": scores,
            "frame_rates": ArticleRates(ids, categories, rates),
            "frame_audit": lexicon.frame_audit(matches, sentences, articles),
        }
        if settings.resampling.unit == "sentence":
            mapping = (matches.term_categories != 0).astype(float)
            part["frame_sentences"] = ((matches.term_counts @ mapping).tocsr(), matches.tokens)
            part["scored"] = sentences[SENTENCE_COLUMNS].copy()
        return part

    def reduce(self, partials: Partials, context: Context) -> Tables:
        """``outlet_frames``, ``frame_audit``, ``frame_dictionary``, and the hidden
        ``_frame_rates`` (the ``voice == "all"`` rates, for the group measures)."""
        settings = context.settings
        frames, resampling = settings.frames, settings.resampling
        dictionary = read_dictionary(frames.dictionary, frames.level)
        rates = long_rates(partials.values("frame_rates"))
        matches = sentences = None
        if resampling.unit == "sentence":
            parts = partials.values("frame_sentences")
            categories = list(dictionary.categories)
            counts = sparse.vstack([p[0] for p in parts]).tocsr() if parts else None
            matches = lexicon.Matches(
                categories=categories,
                terms=categories,
                term_counts=counts,
                term_negated=sparse.csr_matrix(counts.shape),
                term_categories=sparse.identity(len(categories), format="csr"),
                term_patterns={},
                tokens=np.concatenate([p[1] for p in parts]),
            )
            sentences = partials.concat("scored")
        summary = lexicon.outlet_frames(
            rates,
            context.articles,
            unit=resampling.unit,
            matches=matches,
            sentences=sentences,
            **resampling.options,
        )
        audit = sum_audit(partials.concat("frame_audit")).sort_values(
            ["outlet", "category", "count", "term"],
            ascending=[True, True, False, True],
            ignore_index=True,
        )
        return {
            "outlet_frames": summary,
            "frame_audit": audit,
            "frame_dictionary": describe(dictionary, negation=frames.negation),
            "_frame_rates": rates,
        }


def describe(dictionary: lexicon.Dictionary, *, negation: bool) -> pd.DataFrame:
    """``frame_dictionary``: one row saying which dictionary was used and how."""
    return pd.DataFrame(
        [
            {
                "name": dictionary.name,
                "categories": len(dictionary.categories),
                "patterns": sum(len(p) for p in dictionary.categories.values()),
                "negation": negation,
                "weighted": dictionary.weighted,
                **{key: dictionary.meta.get(key) for key in ("source", "licence", "intended_use")},
            }
        ]
    )


def long_rates(parts: list[ArticleRates]) -> pd.DataFrame:
    """The ``voice == "all"`` rows of ``frame_scores`` that the article-level frame summary
    reads (``article_id, voice, category, rate``, article by article in corpus order, the
    categories in dictionary order), from the partitions' article x category arrays."""
    if not parts:
        return pd.DataFrame(columns=["article_id", "voice", "category", "rate"])
    ids = np.concatenate([p.ids for p in parts])
    categories = np.asarray(parts[0].categories, dtype=object)
    rates = np.concatenate([p.rates for p in parts]).ravel()
    return pd.DataFrame(
        {
            "article_id": np.repeat(ids, len(categories)),
            "voice": "all",
            "category": np.tile(categories, len(ids)),
            "rate": rates,
        }
    )


def sum_audit(audit: pd.DataFrame) -> pd.DataFrame:
    """Frame audit rows summed per outlet, category, term and pattern (a term matches one
    pattern per category, whatever the partition)."""
    keys = ["outlet", "category", "term", "pattern"]
    return (
        audit.groupby(keys, sort=False, observed=True)[["count", "negated"]]
        .sum()
        .reset_index()
        .astype({"count": "int64", "negated": "int64"})
    )


def _article_major(scores: pd.DataFrame, article_ids: pd.Series) -> pd.DataFrame:
    """``frame_scores`` ordered by article (input order), voice, then category (dictionary
    order): an order that does not depend on how the corpus was partitioned."""
    # factorizing numbers the categories in order of first appearance: dictionary order
    category_rank = pd.factorize(scores["category"], sort=False)[0]
    voice_codes, voices = pd.factorize(scores["voice"], sort=False)
    voice_rank = np.array([VOICE_ORDER[v] for v in voices], dtype=np.int64)[voice_codes]
    article_rank = pd.Index(article_ids.to_numpy()).get_indexer(scores["article_id"].to_numpy())
    order = np.lexsort((category_rank, voice_rank, article_rank))
    return scores.iloc[order].reset_index(drop=True)
