"""Voices: quotes and their speakers, the tone of quotes, scare quotes, and per-outlet voice
measures (:mod:`analysis.quotes`; quotes are scored by :mod:`analysis.sentiment`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from analysis import paths, quotes, sentiment
from analysis.measures.base import Context, MeasureBase, Partials, Partition, Tables
from analysis.settings import setting

GENERIC_SPEAKERS = paths.PACKAGE / "lexicons" / "speaker_categories.yml"
"""Speaker categories by role words, used on any corpus other than the seed corpus unless a
speaker file is given."""
QUOTE_SUMMARY_COLUMNS = [
    "article_id",
    "kind",
    "start",
    "end",
    "text",
    "n_words",
    "nested",
    "social",
    "speaker",
    "category",
    "scare",
    "compound",
]
"""The quote columns the voice summaries read (``text`` is kept for scare quotes only)."""


@dataclass(frozen=True)
class VoiceSettings:
    """Who is recognised as a speaker."""

    speakers: Path | None = setting(
        None,
        "path",
        "speaker YAML file naming and categorising who is quoted (null: the seed story's "
        "speakers on the seed corpus, role words only elsewhere)",
        flag="--speakers",
        optional=True,
        metavar="FILE",
    )

    def resolved(self, *, seed_corpus: bool) -> VoiceSettings:
        """The seed story's speakers on the seed corpus, role words elsewhere, when none
        are named."""
        if self.speakers is not None:
            return self
        return replace(self, speakers=quotes.SEED_SPEAKERS if seed_corpus else GENERIC_SPEAKERS)


@functools.lru_cache(maxsize=8)
def read_speaker_table(source) -> quotes.SpeakerTable:
    return quotes.read_speakers(source)


class Voices(MeasureBase):
    """Quotes, speakers and scare quotes, and the per-outlet voice measures."""

    name = "voices"

    def map(self, partition: Partition, settings) -> dict:
        """Fills the ``speaker`` of every quote sentence holding an attributed direct quote;
        the parts: ``quotes`` (streamed, each with its VADER ``compound``), ``quote_rows``
        (the columns the summaries read) and ``article_voices``."""
        speakers = read_speaker_table(settings.voices.speakers or GENERIC_SPEAKERS)
        found = quotes.extract_quotes(partition.articles, partition.sentences, speakers=speakers)
        scores = sentiment.score_texts(found["text"], quote_marks=settings.tone.quote_marks)
        found["compound"] = scores["compound"].to_numpy()
        partition.sentences = quotes.sentence_speakers(partition.sentences, found)
        kept = found[QUOTE_SUMMARY_COLUMNS].copy()
        kept.loc[~kept["scare"], "text"] = ""
        return {
            "quotes": found,
            "quote_rows": kept,
            "article_voices": quotes.article_voices(found, partition.articles),
        }

    def reduce(self, partials: Partials, context: Context) -> Tables:
        """``article_voices``, ``outlet_voices``, ``speaker_shares``, ``speaker_table``,
        ``quote_tone`` and ``scare_quotes``. With ``context.pool``, the scare quotes of half
        the outlets are counted on the pool while this process counts the others (they read
        every article's text again), and ``scare_quotes`` is a function that joins them."""
        settings, articles = context.settings, context.articles
        speakers = read_speaker_table(settings.voices.speakers or GENERIC_SPEAKERS)
        found = partials.concat("quote_rows")
        if found is None:
            found = pd.DataFrame(columns=QUOTE_SUMMARY_COLUMNS)
        voices = partials.concat("article_voices")
        options = settings.resampling.options
        tables = {
            "article_voices": voices,
            "outlet_voices": quotes.outlet_voices(voices, **options),
            "speaker_shares": quotes.speaker_shares(
                found, articles, categories=list(speakers.categories), **options
            ),
            "speaker_table": quotes.speaker_table(found, articles),
            "quote_tone": quotes.quote_tone(found, articles, **options),
        }
        scared = found.loc[found["scare"], "article_id"]
        outlets = articles.loc[articles["article_id"].isin(scared), "outlet"].value_counts()
        if context.pool is None or len(outlets) < 2:
            tables["scare_quotes"] = scare_quotes(found, articles, context.sink, set(outlets.index))
            return tables
        # two halves of about as many articles each, whole outlets in each
        outlets = outlets.sort_index()
        first = set(outlets.index[outlets.cumsum().to_numpy() <= outlets.sum() / 2])
        first = first or {outlets.index[0]}
        second = set(outlets.index) - first
        away = context.pool.submit(scare_quotes, found, articles, context.sink, first)

        def joined() -> pd.DataFrame:
            here = scare_quotes(found, articles, context.sink, second)
            parts = [part for part in (away.result(), here) if len(part)]
            both = pd.concat(parts, ignore_index=True) if parts else here
            order = ["outlet", "scare_quoted", "term"]
            both = both.sort_values(order, ascending=[True, False, True], ignore_index=True)
            return both

        return {**tables, "scare_quotes": joined}


def scare_quotes(found: pd.DataFrame, articles: pd.DataFrame, sink, outlets: set) -> pd.DataFrame:
    """:func:`analysis.quotes.scare_quotes` of the articles of ``outlets``, their texts read
    from ``sink``."""
    mine = articles.loc[articles["outlet"].isin(outlets), ["article_id", "outlet"]]
    texts = sink.rows("articles", ["article_id", "outlet", "text_clean"], "outlet", outlets)
    return quotes.scare_quotes(found[found["article_id"].isin(mine["article_id"])], texts)
