"""The settings of the code that the methods text reports, and how it finds the ones a
run used: recorded in the manifest, else this version's when the same version wrote it."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata

from analysis import segment, stats, terms, tokens

SENTENCE_SPLITTER = (
    "nltk's Punkt algorithm, untrained, with a list of {n} news abbreviations, then rules "
    "that rejoin a piece starting in lower case, return a stranded closing quotation mark, "
    "keep a social-media post's signature with the post and split after an initialism "
    "followed by a sentence opener"
)
"""The sentence splitter in words, with the number of abbreviations to fill in."""


def installed_version() -> str | None:
    """The version of the installed package, or None when it is not installed."""
    try:
        return metadata.version("framing-analysis")
    except metadata.PackageNotFoundError:
        return None


RATIO_INTERVAL = "linearised ratio (HC2, Student's t, log scale for rates)"
"""The interval of a pooled ratio (:func:`analysis.stats.ratio_ci`), as the manifest names it."""
DIFFERENCE_INTERVAL = "symmetric studentized bootstrap"
"""The interval of a difference of means (:func:`analysis.stats.difference_ci`)."""
WELCH_INTERVAL = "Welch's t"
"""The difference interval of earlier versions, as their manifests name it."""


def code_parameters() -> dict[str, str | int]:
    """Settings fixed in the code, not chosen per run, that the methods text reports.

    A run records them as ``manifest["parameters"]["methods"]``, so the text written from
    an old manifest stays true after the code changes: the tokenizer's ``token_pattern``,
    the ``sentence_splitter``, the ``stop_words_source``, the ``interval`` method of a
    mean, the ``ratio_interval`` of a pooled ratio, the ``difference_interval``, the
    fewest units each interval is reported for (``min_units_mean``, ``min_units_ratio``,
    ``min_clusters``, ``min_quoting_articles``, ``min_units_difference``) and the ``fdr``
    method of the q-values.
    """
    return {
        "token_pattern": tokens.TOKEN_PATTERN,
        "sentence_splitter": SENTENCE_SPLITTER.format(n=len(segment.NEWS_ABBREVIATIONS)),
        "stop_words_source": (
            f"scikit-learn's English list plus {len(terms.NEWS_STOP_WORDS)} news words"
        ),
        "interval": stats.INTERVAL_METHOD,
        "ratio_interval": RATIO_INTERVAL,
        "difference_interval": DIFFERENCE_INTERVAL,
        "min_units_mean": stats.MIN_UNITS_MEAN,
        "min_units_ratio": stats.MIN_UNITS_RATIO,
        "min_clusters": stats.MIN_CLUSTERS,
        "min_quoting_articles": stats.MIN_QUOTING_ARTICLES,
        "min_units_difference": stats.MIN_UNITS_DIFFERENCE,
        "fdr": "bh",
    }


def code_default(manifest: Mapping, recorded, key: str):
    """A setting of the code: ``recorded`` in its section, else in
    ``parameters.methods``, else from the installed package when the manifest was written
    by the same package version (the code that ran), else None (not recorded)."""
    if recorded is not None:
        return recorded
    methods = (manifest.get("parameters") or {}).get("methods") or {}
    if methods.get(key) is not None:
        return methods[key]
    if manifest.get("versions", {}).get("framing-analysis") == installed_version():
        return code_parameters()[key]
    return None


def interval_method(manifest: Mapping, section: Mapping) -> str | None:
    """The bootstrap interval method recorded in ``section``, else the code's default."""
    return code_default(manifest, section.get("interval"), "interval")


UNIT_PLURALS = {"article": "articles", "sentence": "sentences", "quote": "quotes"}
"""The plural of each resampling unit, as the text names it."""
