"""The stories measure: articles matched into stories (:mod:`analysis.stories`), which
stories each outlet covers, and every per-article measure compared within stories.

The map counts each article's words for matching (hashed, so partitions need no shared
vocabulary) or, with a story column, reads it; the reduce weighs the counts over the whole
corpus, matches, and compares every measure the earlier reduces made
(:func:`analysis.measures.values.article_values`) within the stories.
"""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import stats, stories, terms
from analysis.corpus import CorpusError
from analysis.measures.base import Context, MeasureBase, Partials, Partition, Tables
from analysis.measures.values import article_values
from analysis.settings import setting

log = logging.getLogger(__name__)


class UnmatchedArticlesWarning(stats.ListedWarning):
    """Articles put in no story (undated, or without a value in the story column)."""


@dataclass(frozen=True)
class StorySettings:
    """Whether and how articles are matched into stories."""

    match: bool = setting(
        False,
        "bool",
        "match articles about the same event into stories, and compare outlets within them",
        flag="--stories",
    )
    column: str | None = setting(
        None,
        "str",
        "a column of the corpus that already names each article's story (no matching)",
        flag="--story-column",
        optional=True,
        metavar="COLUMN",
    )
    threshold: float = setting(
        stories.THRESHOLD,
        "float",
        "cosine similarity every pair of a story's articles reaches (higher: smaller, surer "
        "stories)",
        flag="--story-threshold",
        above=0,
        below=1,
    )
    window: int = setting(
        stories.WINDOW_DAYS,
        "int",
        "most days between two articles of one story",
        flag="--story-window",
        minimum=0,
    )
    body_chars: int = setting(
        stories.BODY_CHARS, "int", "characters of each text read after the title", minimum=0
    )
    major_outlets: int = setting(
        3, "int", "outlets that make a story major, for the coverage table", minimum=2
    )
    max_component: int = setting(
        stories.MAX_COMPONENT,
        "int",
        "largest group of connected articles clustered at once (larger ones are cut first)",
        minimum=2,
    )

    @property
    def on(self) -> bool:
        return self.match or self.column is not None


class Stories(MeasureBase):
    """``stories``, ``story_members``, ``story_coverage`` and ``within_story``."""

    name = "stories"

    def enabled(self, settings) -> bool:
        return settings.stories.on

    def map(self, partition: Partition, settings) -> dict:
        """Each article's id, outlet, date and title, and its hashed word counts (or, with
        a story column, its story)."""
        chosen, articles = settings.stories, partition.articles
        members = pd.DataFrame(
            {
                "article_id": articles["article_id"].astype(str).to_numpy(),
                "outlet": articles["outlet"].astype(str).to_numpy(),
                "published": pd.to_datetime(articles["published"]).to_numpy(),
                "title": articles["title"].to_numpy(dtype=object) if "title" in articles else None,
            }
        )
        if chosen.column is not None:
            if chosen.column not in articles:
                raise CorpusError(
                    f"stories.column (--story-column) {chosen.column!r}: the corpus has no "
                    f"such column (columns: {', '.join(map(str, articles.columns))})"
                )
            given = articles[chosen.column].astype(object)
            named = [None if pd.isna(v) or not str(v).strip() else str(v).strip() for v in given]
            members["story"] = np.array(named, dtype=object)
            return {"story_members": members}
        texts = stories.story_texts(articles, body_chars=chosen.body_chars)
        counts = stories.hashed_counts(texts, stop_words=terms.STOP_WORDS)
        return {"story_members": members, "story_counts": counts}

    def reduce(self, partials: Partials, context: Context) -> Tables:
        settings = context.settings
        chosen = settings.stories
        members = partials.concat("story_members")
        started = time.perf_counter()
        if chosen.column is not None:
            members["how"] = np.where(members["story"].isna(), "no story", "column")
        else:
            members = _matched(members, partials.values("story_counts"), chosen)
        log.info(
            "stories: %d articles in %d stories (%.1f s)",
            members["story"].notna().sum(),
            members["story"].nunique(),
            time.perf_counter() - started,
        )
        started = time.perf_counter()
        _warn_unmatched(members, chosen)
        group_by = settings.compare.group_by
        levels = ["outlet"] if group_by == "outlet" else ["outlet", group_by]
        if group_by != "outlet":
            groups = context.articles.set_index("article_id")[group_by]
            members[group_by] = groups.reindex(members["article_id"]).to_numpy()
        in_story = members[members["story"].notna()]
        values, families = article_values(context)
        compared = in_story.merge(values, on="article_id", how="left")
        within = stories.within_story(
            compared, families, by=levels, confidence=settings.resampling.confidence
        )
        _warn_few_stories(within)
        log.info(
            "stories: every measure compared within stories (%.1f s)", time.perf_counter() - started
        )
        return {
            "stories": stories.story_table(in_story),
            "story_members": members[["article_id", "outlet", "story", "published", "how"]],
            "story_coverage": stories.story_coverage(
                in_story,
                by=levels,
                major_outlets=chosen.major_outlets,
                confidence=settings.resampling.confidence,
            ),
            "within_story": within,
        }


def _matched(members: pd.DataFrame, counts: list, chosen: StorySettings) -> pd.DataFrame:
    """``members`` with ``story`` and ``how`` (:func:`analysis.stories.assign_stories`)."""
    matrix = sparse.vstack(counts).tocsr() if counts else sparse.csr_matrix((0, 1))
    story, how, found = stories.assign_stories(
        matrix,
        members["published"],
        threshold=chosen.threshold,
        window=chosen.window,
        max_component=chosen.max_component,
    )
    if found.split_components:
        log.warning(
            "stories: %d groups of more than %d connected articles were cut at a higher "
            "threshold before clustering (stories.max_component)",
            found.split_components,
            chosen.max_component,
        )
    return members.assign(story=story, how=how)


def _warn_unmatched(members: pd.DataFrame, chosen: StorySettings) -> None:
    left = members[members["story"].isna()]
    if left.empty:
        return
    counts = left.groupby("outlet", observed=True).size().rename("n_articles").reset_index()
    why = (
        "have no date and were matched into no story"
        if chosen.column is None
        else f"have no value in the story column {chosen.column!r}"
    )
    warnings.warn(
        UnmatchedArticlesWarning(
            f"stories: {len(left):,} articles {why}; they are in story_members with no "
            "story and are left out of the within-story comparison",
            counts,
        ),
        stacklevel=2,
    )


def _warn_few_stories(within: pd.DataFrame) -> None:
    covered = within.groupby(["level", "unit"], observed=True)["within_low"].count()
    none = covered.index[covered.to_numpy() == 0]
    units = within.set_index(["level", "unit"]).loc[none].reset_index()
    units = units.drop_duplicates(["level", "unit"])
    if units.empty:
        return
    warnings.warn(
        stats.UndefinedIntervalWarning(
            f"within_story: no within-story interval for "
            f"{stats.few(units['unit'].unique(), 'unit')} sharing fewer than "
            f"{stories.MIN_STORIES} stories with others (reported as missing)",
            units[["level", "unit", "n_shared_stories"]],
        ),
        stacklevel=2,
    )


def manifest_entry(settings, tables) -> dict | None:
    """What the manifest records of the stories (None when the run matched none): how
    they were made, how many, and how many articles are in none."""
    chosen = settings.stories
    if not chosen.on or "story_members" not in tables:
        return None
    members, found = tables["story_members"], tables["stories"]
    coverage = tables["story_coverage"]
    within = tables["within_story"]
    return {
        "how": "column" if chosen.column is not None else "text",
        "column": chosen.column,
        "threshold": chosen.threshold,
        "window_days": chosen.window,
        "body_chars": chosen.body_chars,
        "hash_features": stories.HASH_FEATURES,
        "max_component": chosen.max_component,
        "major_outlets": chosen.major_outlets,
        "min_stories": stories.MIN_STORIES,
        "n_articles": len(members),
        "n_in_stories": int(members["story"].notna().sum()),
        "n_undated": int((members["how"] == "undated").sum()),
        "n_no_story": int((members["how"] == "no story").sum()),
        "n_stories": len(found),
        "n_shared_stories": int((found["n_outlets"] > 1).sum()),
        "n_major_stories": int((found["n_outlets"] >= chosen.major_outlets).sum()),
        "levels": sorted(set(coverage["level"])),
        "units_with_interval": int(
            within.loc[within["within_low"].notna(), ["level", "unit"]].drop_duplicates().shape[0]
        ),
    }
