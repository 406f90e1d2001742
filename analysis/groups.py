"""Tone, frames and voices per group of outlets (a bias rating, a country, an owner).

When a run compares the values of a metadata column (``--group-by bias_text``) rather than
outlets, distinctive words compare those groups directly (:mod:`analysis.terms`), and
:func:`group_measures` gives the other measures per group: every article-level tone
measure, every frame's rate and the voice measures. The estimate pools the group's
articles (the mean of their values, or for the voice measures the ratio of their sums);
the interval's units are outlets (:func:`analysis.stats.summarize_clustered`), because a
group is a sample of outlets, each with its own writers and sources: taking articles as the
units would treat a group of three outlets as thousands of independent observations. The
word test's unit is the outlet too (:func:`test_units`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis import stats
from analysis.corpus import CorpusError
from analysis.settings import N_RESAMPLES


class GroupsLeftOutWarning(stats.ListedWarning):
    """Only the largest groups are compared; the others are its ``details``."""


GROUP_COLUMNS = ["group", "family", *stats.SUMMARY_COLUMNS[1:]]
"""The columns of :func:`group_measures`; ``n_units`` counts outlets (``unit``)."""


def choose_groups(
    articles: pd.DataFrame,
    group_by: str,
    *,
    groups: list[str] | tuple[str, ...] | None = None,
    max_groups: int = 20,
) -> tuple[pd.Series, list[str]]:
    """Each article's group and the groups a run compares.

    Parameters
    ----------
    articles : DataFrame
        ``article_id`` and the ``group_by`` column.
    groups : sequence of str, optional
        The groups to compare; default the ``max_groups`` with most articles (ties by name),
        with a :class:`GroupsLeftOutWarning` listing the others when there are more.

    Returns
    -------
    (Series, list of str)
        The group (string) of every article that has one, indexed by ``article_id``, and
        the chosen groups.

    Raises
    ------
    CorpusError
        When the column is missing or a named group has no article.
    """
    if group_by not in articles:
        raise CorpusError(
            f"no column {group_by!r} to group articles by "
            f"(columns: {', '.join(map(str, articles.columns))})"
        )
    labels = articles.set_index("article_id")[group_by].astype("string").dropna()
    sizes = labels.value_counts()
    if groups:
        unknown = sorted(set(groups) - set(sizes.index))
        if unknown:
            raise CorpusError(f"no group named {', '.join(unknown)} in column {group_by!r}")
        return labels, list(groups)
    ranked = sorted(sizes.items(), key=lambda item: (-item[1], str(item[0])))
    if len(ranked) > max_groups:
        left_out = pd.DataFrame(ranked[max_groups:], columns=["group", "n_articles"])
        warnings.warn(
            GroupsLeftOutWarning(
                f"{group_by}: only the {max_groups} groups with most articles are compared, of "
                f"{len(ranked)} (name others with --groups or compare.groups)",
                left_out.astype({"group": str}),
            ),
            stacklevel=2,
        )
    return labels, [str(group) for group, _ in ranked[:max_groups]]


def test_units(articles: pd.DataFrame, group_by: str) -> pd.Series | None:
    """The unit of the distinctive-word test: None (each article) when the groups are the
    outlets; otherwise each article's outlet, indexed by ``article_id``, as a group of
    outlets is a sample of outlets, not of articles."""
    if group_by == "outlet":
        return None
    return articles.set_index("article_id")["outlet"].astype(object).rename("outlet")


def group_measures(
    articles: pd.DataFrame,
    group_by: str,
    *,
    groups: list[str] | tuple[str, ...] | None = None,
    max_groups: int = 20,
    tone: pd.DataFrame | None = None,
    frame_rates: pd.DataFrame | None = None,
    voices: pd.DataFrame | None = None,
    tone_measures: Sequence[str] = (),
    voice_measures: Mapping[str, tuple[str, str, float]] | None = None,
    confidence: float = 0.95,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
) -> pd.DataFrame:
    """Every tone, frame and voice measure per group, with intervals over outlets.

    Parameters
    ----------
    articles : DataFrame
        ``article_id``, ``outlet`` and the ``group_by`` column. Articles without a group
        value are left out.
    group_by : str
        The column whose values are the groups.
    groups, max_groups
        Which groups, as :func:`choose_groups` picks them (the groups distinctive words
        compare); with fewer than two, the table is empty.
    tone : DataFrame, optional
        :func:`analysis.sentiment.article_tone` (``article_id`` and the measures of
        :data:`analysis.sentiment.summaries.ARTICLE_MEASURES`).
    frame_rates : DataFrame, optional
        ``article_id, category, rate``: each article's matches per 1,000 tokens per frame
        (the ``voice == "all"`` rows of :func:`analysis.lexicon.score_frames`).
    voices : DataFrame, optional
        :func:`analysis.quotes.article_voices`.
    tone_measures : sequence of str
        The columns of ``tone`` summarised (:data:`analysis.sentiment.summaries.ARTICLE_MEASURES`).
    voice_measures : mapping, optional
        Each voice measure's ``(numerator, denominator, scale)`` columns of ``voices``
        (:data:`analysis.quotes.OUTLET_MEASURES`). This module does not import the tone and
        voice measures: their caller names what to summarise.

    Returns
    -------
    DataFrame
        :data:`GROUP_COLUMNS`: ``family`` is ``tone``, ``frames`` or ``voices``; tone first,
        then frames in the dictionary's order, then voices; within a measure, the groups in
        the order :func:`choose_groups` gives.
    """
    found, order = choose_groups(articles, group_by, groups=groups, max_groups=max_groups)
    if len(order) < 2:
        return pd.DataFrame(columns=GROUP_COLUMNS)
    labels = articles[["article_id", "outlet"]].merge(
        found[found.isin(order)].rename("group"), left_on="article_id", right_index=True
    )
    options = {"confidence": confidence, "n_resamples": n_resamples, "seed": seed}
    parts = []

    def add(family: str, measure: str, data: pd.DataFrame, **columns) -> None:
        data = labels.merge(data, on="article_id", how="inner", suffixes=("", "_measure"))
        part = stats.summarize_clustered(data, by="group", **columns, **options)
        parts.append(part.assign(family=family, measure=measure))

    if tone is not None:
        measures = tone.drop(columns=["outlet"], errors="ignore")
        for measure in tone_measures:
            if measure in measures:
                add("tone", measure, measures[["article_id", measure]], value=measure)
    if frame_rates is not None:
        for category, rates in frame_rates.groupby("category", sort=False):
            add("frames", str(category), rates[["article_id", "rate"]], value="rate")
    if voices is not None:
        counts = voices.drop(columns=["outlet"], errors="ignore")
        for measure, (top, bottom, scale) in (voice_measures or {}).items():
            add("voices", measure, counts, numerator=top, denominator=bottom, scale=scale)
    if not parts:
        return pd.DataFrame(columns=GROUP_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    rank = {group: i for i, group in enumerate(order)}
    out["_measure"] = out.groupby(["family", "measure"], sort=False).ngroup()
    out["_group"] = out["group"].map(rank)
    out = out.sort_values(["_measure", "_group"], ignore_index=True)
    return out[GROUP_COLUMNS]
