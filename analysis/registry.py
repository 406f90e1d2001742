"""Every table a run writes: its name, the step that makes it, its columns and dtypes.

The table registry is the contract between the modules (see ``DESIGN.md``, "Tables"): a
measure declares here the tables it writes, the engine reads here which tables are streamed
(written partition by partition, never held in memory) and which are also written as CSV,
the figures name here the tables they need, and the tests check a run's files against it
(:func:`check`).

Column dtypes are written as pandas reports them after ``pd.read_parquet`` (``str(dtype)``):
``"str"`` is pandas' default string dtype (missing values are NaN), ``"string"`` the
nullable string dtype (missing values are ``<NA>``), ``"Int64"`` a nullable integer.

This module is at the bottom of the package: it imports nothing from :mod:`analysis`, so any
module may import it. It is long because it lists every table with its columns (one entry
per table, no logic beyond the lookups at the end).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

MADE_BY = (
    "corpus",
    "clean",
    "segment",
    "tone",
    "frames",
    "terms",
    "voices",
    "groups",
    "learned",
    "topics",
    "stories",
    "timeline",
    "coding",
    "run",
)
"""The steps that make tables, in the order a run takes them: ``learned`` applies a frame
classifier trained on people's codes (``--learn``, ``--apply-model``); ``topics`` fits or
applies a topic model (``--topics``, ``--apply-topics``); ``stories`` matches articles into
stories (``--stories``, ``--story-column``); ``timeline`` draws every measure over time
(``--timeline``, ``--events``); ``coding`` checks the
measures against people's codes (``--codes``); ``run`` is the main job itself (its
warnings)."""


@dataclass(frozen=True)
class TableSpec:
    """One table of a run.

    Attributes
    ----------
    name : str
        The table's name: its files are ``name.parquet`` (and ``name.csv``).
    made_by : str
        The step or measure that makes it, one of :data:`MADE_BY`.
    columns : Mapping of str to str
        Column -> dtype as pandas reports it after ``pd.read_parquet`` (``str(dtype)``), in
        the order written.
    streamed : bool
        Written partition by partition (or comparison by comparison), not kept in memory.
    csv : bool
        Also written as CSV (unless it has more rows than a spreadsheet opens).
    extra_columns : bool
        May carry more columns than ``columns`` (``articles`` keeps the user's metadata,
        ``warnings`` the columns of the warnings' lists); these are not checked.
    optional : tuple of str
        Columns of ``columns`` present only in some runs.
    doc : str
        One plain sentence: one row per what.
    """

    name: str
    made_by: str
    columns: Mapping[str, str] = field(hash=False)
    streamed: bool = False
    csv: bool = False
    extra_columns: bool = False
    optional: tuple[str, ...] = ()
    doc: str = ""

    def __post_init__(self) -> None:
        if self.made_by not in MADE_BY:
            raise ValueError(
                f"table {self.name!r}: made_by {self.made_by!r} is not one of {', '.join(MADE_BY)}"
            )
        unknown = [column for column in self.optional if column not in self.columns]
        if unknown:
            raise ValueError(
                f"table {self.name!r}: optional columns {', '.join(unknown)} are not among its "
                "columns"
            )
        object.__setattr__(self, "columns", MappingProxyType(dict(self.columns)))


_SUMMARY = {
    "outlet": "str",
    "measure": "str",
    "estimate": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
}
"""The leading columns of the long outlet summaries."""

_TERM_COLUMNS = {
    "group": "str",
    "comparison": "str",
    "term": "str",
    "count": "int64",
    "count_other": "int64",
    "rate": "float64",
    "tfidf_concatenated": "float64",
    "tfidf_mean_article": "float64",
    "delta": "float64",
    "variance": "float64",
    "z": "float64",
    "p_pooled_tokens": "float64",
    "q_pooled_tokens": "float64",
    "chi2": "float64",
    "g2": "float64",
    "log_ratio": "float64",
    "test_unit": "str",
    "n_units": "int64",
    "n_units_other": "int64",
    "units_using": "int64",
    "units_using_other": "int64",
    "p": "float64",
    "q": "float64",
}
"""The columns of both distinctive-word tables."""

_SPECS = (
    # the corpus, its cleaning and its sentences
    TableSpec(
        "articles",
        "corpus",
        {
            "article_id": "string",
            "outlet": "string",
            "published": "datetime64[ns]",
            "published_precision": "string",
            "title": "string",
            "text": "string",
            "source_file": "string",
            "source_row": "Int64",
            "text_clean": "str",
            "published_source": "string",
        },
        streamed=True,
        extra_columns=True,
        doc="One row per loaded article: its id, outlet, date, title, text as received and "
        "cleaned, and every metadata column the corpus supplied.",
    ),
    TableSpec(
        "rejected",
        "corpus",
        {
            "source_file": "string",
            "source_row": "Int64",
            "article_id": "string",
            "column": "string",
            "reason": "string",
        },
        csv=True,
        doc="One row per input row or file not loaded, with the reason.",
    ),
    TableSpec(
        "repairs",
        "corpus",
        {
            "article_id": "string",
            "source_file": "string",
            "source_row": "Int64",
            "column": "string",
            "repair": "string",
        },
        csv=True,
        doc="One row per change made while loading (a fallback encoding, characters "
        "removed, outlet spellings merged), saying what was done and where.",
    ),
    TableSpec(
        "clean_audit",
        "clean",
        {"article_id": "str", "rule": "str", "removed_text": "str"},
        streamed=True,
        csv=True,
        doc="One row per piece of boilerplate removed by cleaning: the article, the rule "
        "and the text removed.",
    ),
    TableSpec(
        "sentences",
        "segment",
        {
            "article_id": "str",
            "sentence_id": "int64",
            "paragraph_id": "int64",
            "start": "int64",
            "end": "int64",
            "text": "str",
            "voice": "category",
            "speaker": "string",
            "position": "float64",
            "neg": "float64",
            "neu": "float64",
            "pos": "float64",
            "compound": "float64",
        },
        streamed=True,
        doc="One row per sentence of a cleaned article: its span, voice, speaker, position "
        "and VADER scores.",
    ),
    # tone
    TableSpec(
        "article_tone",
        "tone",
        {
            "article_id": "str",
            "outlet": "string",
            "compound_title": "float64",
            "n_sentences": "int64",
            "n_narrative": "int64",
            "n_quote": "int64",
            "n_social": "int64",
            "compound_mean": "float64",
            "compound_narrative": "float64",
            "compound_quote": "float64",
            "compound_social": "float64",
            "share_negative": "float64",
            "share_positive": "float64",
            "compound_lede": "float64",
            "compound_rest": "float64",
            "lede_minus_rest": "float64",
        },
        csv=True,
        doc="One row per article: its tone measures (mean compound by voice, shares of "
        "negative and positive sentences, lede against the rest).",
    ),
    TableSpec(
        "outlet_tone",
        "tone",
        {**_SUMMARY, "n_articles": "int64", "n_units": "int64", "unit": "str"},
        csv=True,
        doc="One row per outlet and tone measure: the estimate and its interval.",
    ),
    TableSpec(
        "tone_by_position",
        "tone",
        {
            "outlet": "str",
            "bin": "int64",
            "bin_start": "float64",
            "bin_end": "float64",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n_units": "int64",
            "n_articles": "int64",
            "unit": "str",
        },
        csv=True,
        doc="One row per outlet and stretch of the article (position bin): the mean tone "
        "and its interval.",
    ),
    TableSpec(
        "actor_mentions",
        "tone",
        {
            "article_id": "str",
            "sentence_id": "int64",
            "actor": "category",
            "mentions": "int64",
            "matched": "str",
        },
        doc="One row per sentence and actor it mentions (runs with an actor file).",
    ),
    TableSpec(
        "actor_tone",
        "tone",
        {
            "outlet": "str",
            "actor": "str",
            "voice": "str",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n_sentences": "int64",
            "n_articles": "int64",
            "unit": "str",
        },
        csv=True,
        doc="One row per outlet, actor and voice: the tone of the sentences that mention "
        "the actor, with its interval (runs with an actor file).",
    ),
    # frames
    TableSpec(
        "frame_scores",
        "frames",
        {
            "article_id": "str",
            "voice": "str",
            "category": "str",
            "count": "int64",
            "negated": "int64",
            "weighted": "float64",
            "tokens": "int64",
            "rate": "float64",
        },
        streamed=True,
        doc="One row per article, voice and frame category: matches, words and the rate.",
    ),
    TableSpec(
        "outlet_frames",
        "frames",
        {**_SUMMARY, "n_articles": "int64", "n_units": "int64", "unit": "str"},
        csv=True,
        doc="One row per outlet and frame measure: the estimate and its interval.",
    ),
    TableSpec(
        "frame_audit",
        "frames",
        {
            "outlet": "str",
            "category": "str",
            "term": "str",
            "pattern": "str",
            "count": "int64",
            "negated": "int64",
        },
        csv=True,
        doc="One row per outlet, frame category and matched term: how often the dictionary "
        "pattern matched.",
    ),
    TableSpec(
        "frame_dictionary",
        "frames",
        {
            "name": "str",
            "categories": "int64",
            "patterns": "int64",
            "negation": "bool",
            "weighted": "bool",
            "source": "str",
            "licence": "str",
            "intended_use": "str",
        },
        csv=True,
        doc="One row describing the frame dictionary used.",
    ),
    # distinctive words
    TableSpec(
        "term_scores",
        "terms",
        _TERM_COLUMNS,
        streamed=True,
        csv=True,
        doc="One row per comparison (each group against the rest) and term: counts, "
        "TF-IDF, log-odds z, keyness and the word test.",
    ),
    TableSpec(
        "term_pair",
        "terms",
        _TERM_COLUMNS,
        csv=True,
        doc="One row per group and term of the chosen pair's comparison, as in term_scores.",
    ),
    TableSpec(
        "term_settings",
        "terms",
        {
            "group_by": "str",
            "groups": "str",
            "pair": "str",
            "articles": "int64",
            "terms": "int64",
            "ngram_max": "int64",
            "min_count": "int64",
            "stop_words": "int64",
            "test_unit": "str",
            "correction": "str",
            "prior": "str",
            "prior_scale": "float64",
            "variance": "str",
        },
        csv=True,
        doc="One row saying which groups the distinctive words compared, and how.",
    ),
    # voices
    TableSpec(
        "quotes",
        "voices",
        {
            "article_id": "str",
            "quote_id": "int64",
            "kind": "category",
            "start": "int64",
            "end": "int64",
            "text": "str",
            "n_words": "int64",
            "sentence_id": "int64",
            "paragraph_id": "int64",
            "balanced": "bool",
            "nested": "bool",
            "social": "bool",
            "speaker": "string",
            "mention": "string",
            "category": "str",
            "attribution": "str",
            "scare": "bool",
            "compound": "float64",
        },
        streamed=True,
        doc="One row per quotation (direct quote, scare quote, post) or reported statement "
        "found: its span, kind, speaker, speaker category and VADER compound.",
    ),
    TableSpec(
        "article_voices",
        "voices",
        {
            "article_id": "str",
            "outlet": "string",
            "n_words": "int64",
            "quoted_words": "int64",
            "voiced_words": "int64",
            "n_quotes": "int64",
            "n_attributed": "int64",
            "n_reported": "int64",
            "n_posts": "int64",
            "n_scare": "int64",
            "n_speakers": "int64",
        },
        doc="One row per article: its words, quoted words, quotes and speakers.",
    ),
    TableSpec(
        "outlet_voices",
        "voices",
        {**_SUMMARY, "n_units": "int64", "n_articles": "int64", "unit": "str"},
        csv=True,
        doc="One row per outlet and voice measure: the estimate and its interval.",
    ),
    TableSpec(
        "speaker_shares",
        "voices",
        {
            "outlet": "str",
            "category": "str",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n_units": "int64",
            "n_articles": "int64",
            "unit": "str",
            "words": "int64",
        },
        csv=True,
        doc="One row per outlet and speaker category: its share of the voiced words, with "
        "its interval.",
    ),
    TableSpec(
        "speaker_table",
        "voices",
        {
            "outlet": "string",
            "speaker": "string",
            "category": "str",
            "n_quotes": "int64",
            "n_reported": "int64",
            "voiced_words": "int64",
            "n_articles": "int64",
        },
        csv=True,
        doc="One row per outlet and named speaker: quotes, reported statements and words.",
    ),
    TableSpec(
        "quote_tone",
        "voices",
        {
            "outlet": "str",
            "category": "str",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n_units": "int64",
            "n_articles": "int64",
            "unit": "str",
            "n_quotes": "int64",
        },
        csv=True,
        doc="One row per outlet and speaker category (and 'all'): the mean tone of the "
        "quotes and posts it gives them, with its interval over the articles that hold them.",
    ),
    TableSpec(
        "scare_quotes",
        "voices",
        {
            "outlet": "str",
            "term": "str",
            "scare_quoted": "int64",
            "in_quotes": "int64",
            "unquoted": "int64",
            "scare_share": "float64",
            "n_articles": "int64",
        },
        csv=True,
        doc="One row per outlet and scare-quoted term: how often the outlet put it in scare "
        "quotes, used it inside other quotes and unquoted.",
    ),
    # groups
    TableSpec(
        "group_measures",
        "groups",
        {
            "group": "str",
            "family": "str",
            "measure": "str",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n_articles": "int64",
            "n_units": "int64",
            "unit": "str",
        },
        csv=True,
        doc="One row per group and measure (tone, frames, voices) when a run groups "
        "articles by another column than the outlet, with intervals over outlets.",
    ),
    # frames learned from people's codes (--learn, --apply-model)
    TableSpec(
        "frame_predictions",
        "learned",
        {
            "unit_id": "str",
            "article_id": "str",
            "outlet": "str",
            "category": "str",
            "probability": "float64",
            "predicted": "int8",
            "coded": "bool",
        },
        streamed=True,
        doc="One row per unit and category: the classifier's probability that the unit "
        "carries it and its prediction (coded units: the cross-validated ones).",
    ),
    TableSpec(
        "frame_prevalence",
        "learned",
        {
            "outlet": "str",
            "category": "str",
            "estimator": "str",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n_articles": "int64",
            "n_units": "int64",
            "note": "str",
        },
        csv=True,
        doc="One row per outlet, category and estimator: the share of the outlet's units "
        "with the category, counted (cc, pcc), corrected for the classifier's errors (acc, "
        "pacc) and by the dictionary, with intervals resampling articles.",
    ),
    TableSpec(
        "classifier_eval",
        "learned",
        {
            "category": "str",
            "predictor": "str",
            "statistic": "str",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n_units": "int64",
            "n_articles": "int64",
            "n_positive": "int64",
            "interval_note": "str",
        },
        csv=True,
        doc="One row per category (and macro), predictor (classifier, dictionary, their "
        "difference) and statistic: cross-validated precision, recall and F1.",
    ),
    TableSpec(
        "classifier_confusion",
        "learned",
        {"category": "str", "truth": "str", "predicted": "str", "n_units": "int64"},
        csv=True,
        doc="One row per category, coded label and predicted label (cross-validated): how "
        "many units.",
    ),
    TableSpec(
        "classifier_calibration",
        "learned",
        {
            "category": "str",
            "mean_probability": "float64",
            "observed_share": "float64",
            "n_units": "int64",
        },
        csv=True,
        doc="One row per category and bin of predicted probability: the share of units "
        "coded with the category.",
    ),
    TableSpec(
        "classifier_learning",
        "learned",
        {
            "fraction": "float64",
            "n_articles": "float64",
            "n_units": "float64",
            "category": "str",
            "f1": "float64",
            "fold_sd": "float64",
        },
        csv=True,
        doc="One row per share of the coded articles trained on and category (the learning "
        "curve): cross-validated F1.",
    ),
    TableSpec(
        "classifier_features",
        "learned",
        {
            "category": "str",
            "direction": "str",
            "rank": "int64",
            "feature": "str",
            "weight": "float64",
        },
        csv=True,
        doc="One row per category, direction and rank: the words (and dictionary counts) "
        "that weigh most for and against it.",
    ),
    TableSpec(
        "classifier_examples",
        "learned",
        {
            "category": "str",
            "outlet": "str",
            "rank": "int64",
            "unit_id": "str",
            "article_id": "str",
            "probability": "float64",
            "text": "str",
        },
        csv=True,
        doc="One row per category, outlet and rank: the units the classifier is surest "
        "carry the category.",
    ),
    # human coding (--codes)
    # topics
    TableSpec(
        "article_topics",
        "topics",
        {"article_id": "str", "outlet": "str", "topic": "int64", "proportion": "float64"},
        streamed=True,
        doc="One row per article and topic: the share of the article's words the topic "
        "accounts for (missing for an article with none of the model's words).",
    ),
    TableSpec(
        "outlet_topics",
        "topics",
        {
            "outlet": "str",
            "topic": "int64",
            "label": "str",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n_articles": "int64",
            "rest": "float64",
            "difference": "float64",
            "p": "float64",
            "q": "float64",
        },
        csv=True,
        doc="One row per outlet and topic: the outlet's mean topic proportion with its "
        "interval, and its difference from every other article with a permutation test.",
    ),
    TableSpec(
        "topic_terms",
        "topics",
        {
            "topic": "int64",
            "label": "str",
            "community": "int64",
            "ranking": "str",
            "rank": "int64",
            "term": "str",
            "probability": "float64",
            "exclusivity": "float64",
            "frex": "float64",
        },
        csv=True,
        doc="One row per topic, ranking (most probable or FREX) and rank: a top word of the topic.",
    ),
    TableSpec(
        "topic_k",
        "topics",
        {
            "k": "int64",
            "seed": "int64",
            "coherence": "float64",
            "stability": "float64",
            "perplexity": "float64",
            "n_documents": "int64",
            "chosen": "bool",
        },
        csv=True,
        doc="One row per number of topics tried and fit (seed -1: the mean over the fits, "
        "with the stability across them).",
    ),
    TableSpec(
        "topic_network",
        "topics",
        {
            "topic": "int64",
            "other": "int64",
            "weight": "float64",
            "community": "int64",
            "community_other": "int64",
        },
        csv=True,
        doc="One row per pair of topics: how much they fill the same documents (cosine "
        "similarity) and each one's community.",
    ),
    TableSpec(
        "topic_communities",
        "topics",
        {
            "outlet": "str",
            "community": "int64",
            "topics": "str",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n_articles": "int64",
        },
        csv=True,
        doc="One row per outlet and community of topics: the share of the outlet's coverage "
        "in the community's topics, with its interval.",
    ),
    TableSpec(
        "topic_examples",
        "topics",
        {
            "topic": "int64",
            "label": "str",
            "outlet": "str",
            "rank": "int64",
            "article_id": "str",
            "proportion": "float64",
            "title": "str",
            "opening": "str",
        },
        csv=True,
        doc="One row per topic, outlet and rank: an article the topic fills most, with its "
        "title and opening.",
    ),
    # stories and framing over time (--stories, --story-column, --timeline, --events)
    TableSpec(
        "stories",
        "stories",
        {
            "story": "str",
            "title": "str",
            "first_published": "datetime64[ns]",
            "last_published": "datetime64[ns]",
            "n_articles": "int64",
            "n_outlets": "int64",
            "outlets": "str",
        },
        csv=True,
        doc="One row per story: the title of its earliest article, its dates, articles and "
        "outlets.",
    ),
    TableSpec(
        "story_members",
        "stories",
        {
            "article_id": "str",
            "outlet": "str",
            "story": "str",
            "published": "datetime64[ns]",
            "how": "str",
        },
        csv=True,
        doc="One row per article: its story (missing when it is in none) and how it got it "
        "(matched by its text, given by the story column, or undated).",
    ),
    TableSpec(
        "story_coverage",
        "stories",
        {
            "level": "str",
            "unit": "str",
            "n_articles": "int64",
            "n_stories": "int64",
            "n_shared_stories": "int64",
            "n_own_stories": "int64",
            "n_major_stories": "int64",
            "n_major_covered": "int64",
            "major_share": "float64",
            "major_low": "float64",
            "major_high": "float64",
            "major_outlets": "int64",
        },
        csv=True,
        doc="One row per outlet (and group): the stories it covers, shares with others or "
        "alone, and the share of the major stories of its time it covers.",
    ),
    TableSpec(
        "within_story",
        "stories",
        {
            "level": "str",
            "unit": "str",
            "family": "str",
            "measure": "str",
            "pooled": "float64",
            "pooled_low": "float64",
            "pooled_high": "float64",
            "within": "float64",
            "within_low": "float64",
            "within_high": "float64",
            "selection": "float64",
            "selection_low": "float64",
            "selection_high": "float64",
            "shared_share": "float64",
            "n_articles": "int64",
            "n_stories": "int64",
            "n_shared_stories": "int64",
            "n_stories_all": "int64",
        },
        csv=True,
        doc="One row per outlet (and group) and measure: its difference from the others "
        "pooled, within the stories they share, and the part owed to which stories it "
        "covers, with intervals over stories.",
    ),
    TableSpec(
        "timeline",
        "timeline",
        {
            "level": "str",
            "unit": "str",
            "period": "datetime64[ns]",
            "period_length": "str",
            "family": "str",
            "measure": "str",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n_articles": "int64",
            "smoothed": "float64",
            "smooth_low": "float64",
            "smooth_high": "float64",
            "smooth_articles": "int64",
            "smooth": "int64",
            "n_unplaced": "int64",
        },
        csv=True,
        doc="One row per outlet (and group), period and measure: the mean with its interval, "
        "and the smoothed mean over the neighbouring periods with its band.",
    ),
    TableSpec(
        "timeline_events",
        "timeline",
        {"date": "datetime64[ns]", "label": "str"},
        csv=True,
        doc="One row per event the study marks on the timeline.",
    ),
    TableSpec(
        "coding_reliability",
        "coding",
        {
            "variable": "str",
            "level": "str",
            "alpha": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "n_units": "int64",
            "n_coders": "int64",
            "n_pairable": "int64",
            "percent_agreement": "float64",
            "interval_note": "str",
        },
        csv=True,
        doc="One row per coded variable: Krippendorff's alpha of the coders' agreement, "
        "with its interval over units, and their percent agreement.",
    ),
    TableSpec(
        "coding_validation",
        "coding",
        {
            "variable": "str",
            "measure": "str",
            "statistic": "str",
            "headline": "bool",
            "estimate": "float64",
            "ci_low": "float64",
            "ci_high": "float64",
            "ceiling": "float64",
            "n_units": "Int64",
            "n_articles": "Int64",
            "interval_note": "str",
        },
        csv=True,
        doc="One row per coded variable and statistic: how far the run's measure agrees "
        "with the coders, and (the ceiling) how far the coders agree with one another.",
    ),
    TableSpec(
        "coding_outlets",
        "coding",
        {
            "variable": "str",
            "outlet": "str",
            "statistic": "str",
            "coders": "float64",
            "measure": "float64",
            "n_units": "Int64",
        },
        csv=True,
        doc="One row per coded variable and outlet: the coders' mean (or share) and the "
        "measure's, over the same units.",
    ),
    TableSpec(
        "coding_disagreements",
        "coding",
        {"unit_id": "str", "variable": "str", "values": "str", "n_coders": "int64"},
        csv=True,
        doc="One row per unit and variable the coders disagree on, with each coder's code.",
    ),
    # the run
    TableSpec(
        "warnings",
        "run",
        {"warning": "str", "message": "str"},
        csv=True,
        extra_columns=True,
        doc="One row per item a warning of the run lists (one row for a warning without a list).",
    ),
)

TABLES: dict[str, TableSpec] = {table.name: table for table in _SPECS}
_TOPICS = "the run fits or applies a topic model (--topics, --apply-topics)"
_STORIES = "the run matches articles into stories (--stories, --story-column)"
_TIMELINE = "the run draws measures over time (--timeline, --events)"
_LEARNED = "the run learns or applies a frame classifier (--learn, --apply-model)"
WRITTEN_ONLY_WHEN = {
    "actor_mentions": "the run has an actor file",
    "actor_tone": "the run has an actor file",
    "term_scores": "at least two groups have words to compare",
    "term_pair": "at least two groups have words to compare",
    "term_settings": "at least two groups have words to compare",
    "group_measures": "the articles are grouped by a column other than the outlet",
    "frame_predictions": _LEARNED,
    "frame_prevalence": _LEARNED,
    "classifier_eval": _LEARNED,
    "classifier_confusion": _LEARNED,
    "classifier_calibration": _LEARNED,
    "classifier_learning": _LEARNED,
    "classifier_features": _LEARNED,
    "classifier_examples": _LEARNED,
    "article_topics": _TOPICS,
    "outlet_topics": _TOPICS,
    "topic_terms": _TOPICS,
    "topic_k": "the run chooses the number of topics (--topics 0)",
    "topic_network": _TOPICS,
    "topic_communities": _TOPICS,
    "topic_examples": _TOPICS,
    "stories": _STORIES,
    "story_members": _STORIES,
    "story_coverage": _STORIES,
    "within_story": _STORIES,
    "timeline": _TIMELINE,
    "timeline_events": "the run is given an event file (--events)",
    "coding_reliability": "the run is given coders' codes (--codes)",
    "coding_validation": "the run is given coders' codes (--codes)",
    "coding_outlets": "the run is given coders' codes (--codes)",
    "coding_disagreements": "the run is given coders' codes (--codes)",
}
"""The tables a run writes only in some runs, and when; every other table, every run."""
"""Every table a run writes, by name, in reading order: the corpus, its cleaning and
sentences, then each measure's tables, then the run's warnings."""


def spec(name: str) -> TableSpec:
    """The registered table ``name``.

    Raises
    ------
    KeyError
        When no table has that name; the message lists the closest names and every name.
    """
    try:
        return TABLES[name]
    except KeyError:
        close = difflib.get_close_matches(str(name), TABLES, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise KeyError(
            f"no table named {name!r}{hint}; the registered tables are {', '.join(TABLES)}"
        ) from None


def names(
    *,
    streamed: bool | None = None,
    csv: bool | None = None,
    made_by: str | None = None,
) -> tuple[str, ...]:
    """The names of the registered tables, in reading order, optionally only those that are
    (or are not) ``streamed``, (or are not) written as ``csv``, or made by ``made_by``."""
    if made_by is not None and made_by not in MADE_BY:
        raise ValueError(f"made_by {made_by!r} is not one of {', '.join(MADE_BY)}")
    return tuple(
        table.name
        for table in TABLES.values()
        if (streamed is None or table.streamed == streamed)
        and (csv is None or table.csv == csv)
        and (made_by is None or table.made_by == made_by)
    )


def check(name: str, frame: pd.DataFrame) -> list[str]:
    """What is wrong with ``frame`` as table ``name``: missing, unexpected or mistyped
    columns, one sentence each (an empty list: nothing).

    ``frame`` is the table as read back with ``pd.read_parquet``: the dtypes are compared
    as pandas reports them then. Column order is not checked. A column of the table's
    ``optional`` may be missing; columns beyond the registered ones are allowed (and not
    checked) only where the table has ``extra_columns``.

    Raises
    ------
    KeyError
        When no table is registered under ``name``.
    """
    table = spec(name)
    problems = []
    for column, dtype in table.columns.items():
        if column not in frame.columns:
            if column not in table.optional:
                problems.append(f"{name}: missing column {column!r} ({dtype})")
            continue
        found = str(frame[column].dtype)
        if found != dtype:
            problems.append(f"{name}: column {column!r} is {found}, registered as {dtype}")
    if not table.extra_columns:
        problems.extend(
            f"{name}: unregistered column {column!r} ({frame[column].dtype})"
            for column in frame.columns
            if column not in table.columns
        )
    return problems
