"""Uncertainty: intervals, tests, adjusted p-values and outlet summaries.

Every interval method here was chosen by its coverage in the simulation of ``make
calibrate`` (benchmarks/calibration.py) and is reported only from the unit count where a
nominal 95% interval covered 0.93-0.97 there; below it the interval is missing, with an
:class:`UndefinedIntervalWarning`. Means: studentized bootstrap (:func:`bootstrap_ci`, from
:data:`MIN_UNITS_MEAN` units); pooled ratios: a linearised t interval (:func:`ratio_ci`, from
:data:`MIN_UNITS_RATIO` articles or :data:`MIN_CLUSTERS` outlets); differences: a symmetric
bootstrap-t (:func:`difference_ci`, from :data:`MIN_UNITS_DIFFERENCE` units a side). Random
draws come from a stream per cell (:func:`cell_rng`), so the same input gives the same
interval whatever else is in the run. The unit resampled matters:

- ``"article"`` (the default): an outlet's estimate is the mean over its articles of an
  article-level measure, and the interval resamples articles. This treats each article as
  one independent observation of the outlet, which is what a claim about the outlet needs.
- ``"sentence"``: the estimate is the mean over all the outlet's sentences, and the interval
  resamples sentences. Sentences of one article are not independent (same writer, topic,
  sources), so this interval is too narrow as a statement about the outlet; it describes the
  sampled articles only. :data:`SENTENCE_CAVEAT` says so, and figures print it.

Groups of outlets (a bias rating, a country) are summarised by :func:`summarize_clustered`:
the estimate pools the group's articles, and the interval's units are whole outlets, since
articles of one outlet share its writers, editors and sources.

Word tests: :func:`presence_test` (Fisher's exact test on the units using a term) and
:func:`adjust_p` (Benjamini-Hochberg or Holm over one stated family).

The code is split by topic: :mod:`.limits` (units, minimums, warnings), :mod:`.seeds`
(:func:`cell_rng`), :mod:`.bootstrap` (bootstrap-t intervals of means and differences),
:mod:`.summaries` (means per group), :mod:`.ratios` (pooled ratios, per group and per group
of outlets) and :mod:`.significance` (tests and adjusted p-values); every name is imported
here, so ``stats.bootstrap_ci`` and the like work as they always did.
"""

from analysis.stats.bootstrap import (
    bootstrap_ci,
    difference_ci,
    resampled_sums,
    studentized_intervals,
)
from analysis.stats.limits import (
    INTERVAL_METHOD,
    MIN_CLUSTERS,
    MIN_QUOTING_ARTICLES,
    MIN_UNITS_DIFFERENCE,
    MIN_UNITS_MEAN,
    MIN_UNITS_RATIO,
    SENTENCE_CAVEAT,
    SUMMARY_COLUMNS,
    UNITS,
    ListedWarning,
    UndefinedIntervalWarning,
    few,
    warn_missing_intervals,
)
from analysis.stats.ratios import ratio_ci, summarize_clustered, summarize_ratio
from analysis.stats.seeds import cell_rng
from analysis.stats.significance import adjust_p, compare_outlets, permutation_test, presence_test
from analysis.stats.summaries import summarize, summarize_columns

__all__ = [
    "INTERVAL_METHOD",
    "ListedWarning",
    "MIN_CLUSTERS",
    "MIN_QUOTING_ARTICLES",
    "MIN_UNITS_DIFFERENCE",
    "MIN_UNITS_MEAN",
    "MIN_UNITS_RATIO",
    "SENTENCE_CAVEAT",
    "SUMMARY_COLUMNS",
    "UNITS",
    "UndefinedIntervalWarning",
    "adjust_p",
    "bootstrap_ci",
    "cell_rng",
    "compare_outlets",
    "difference_ci",
    "few",
    "permutation_test",
    "presence_test",
    "ratio_ci",
    "resampled_sums",
    "studentized_intervals",
    "summarize",
    "summarize_clustered",
    "summarize_columns",
    "summarize_ratio",
    "warn_missing_intervals",
]
