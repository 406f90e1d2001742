"""Tone, frames and voices per group when the groups compared are not the outlets (a bias
rating, a country): intervals resample outlets (:func:`analysis.groups.group_measures`)."""

from __future__ import annotations

from analysis import groups, quotes
from analysis.measures.base import Context, MeasureBase, Partials, Partition, Tables
from analysis.sentiment.summaries import ARTICLE_MEASURES


class Groups(MeasureBase):
    """``group_measures``, from the article tables the other measures made."""

    name = "groups"

    def enabled(self, settings) -> bool:
        return settings.compare.group_by != "outlet"

    def map(self, partition: Partition, settings) -> dict:
        return {}

    def reduce(self, partials: Partials, context: Context) -> Tables:
        compare, made = context.settings.compare, context.tables
        found = groups.group_measures(
            context.articles,
            compare.group_by,
            groups=compare.groups,
            max_groups=compare.max_groups,
            tone=made.get("article_tone"),
            frame_rates=made.get("_frame_rates"),
            voices=made.get("article_voices"),
            tone_measures=ARTICLE_MEASURES,
            voice_measures=quotes.OUTLET_MEASURES,
            **context.settings.resampling.options,
        )
        return {"group_measures": found} if len(found) else {}
