"""Stories: articles about the same event matched across outlets (:mod:`.matching`),
outlets compared within the stories they share (:mod:`.within`), and which stories each
outlet covers (:mod:`.coverage`)."""

from analysis.stories.coverage import COVERAGE_COLUMNS, story_coverage, story_table
from analysis.stories.evaluate import pairwise_agreement
from analysis.stories.matching import (
    BODY_CHARS,
    HASH_FEATURES,
    MAX_COMPONENT,
    ROUNDUPS_CHECK,
    THRESHOLD,
    WINDOW_DAYS,
    Matched,
    assign_stories,
    day_numbers,
    document_frequency,
    hashed_counts,
    match_stories,
    similar_pairs,
    story_texts,
    tfidf_rows,
)
from analysis.stories.within import MIN_STORIES, WITHIN_COLUMNS, compare_within, within_story

__all__ = [
    "COVERAGE_COLUMNS",
    "MIN_STORIES",
    "WITHIN_COLUMNS",
    "story_coverage",
    "story_table",
    "within_story",
    "BODY_CHARS",
    "HASH_FEATURES",
    "MAX_COMPONENT",
    "ROUNDUPS_CHECK",
    "THRESHOLD",
    "WINDOW_DAYS",
    "Matched",
    "assign_stories",
    "compare_within",
    "day_numbers",
    "document_frequency",
    "hashed_counts",
    "match_stories",
    "pairwise_agreement",
    "similar_pairs",
    "story_texts",
    "tfidf_rows",
]
