"""Voices: who is quoted, how much, in what tone, and what is held at a distance.

- :mod:`analysis.quotes.extract`: direct quotes, reported speech and embedded posts, with
  their speakers (:func:`extract_quotes`);
- :mod:`analysis.quotes.speakers`: the alias table that names and categorises speakers
  (:func:`read_speakers`);
- :mod:`analysis.quotes.measures`: per-outlet measures and scare quotes.

Everything is pattern-based and offline: no parser or language model is downloaded.
"""

from analysis.quotes.evaluate import match_quotes, quote_scores
from analysis.quotes.extract import QUOTE_COLUMNS, direct_spans, extract_quotes
from analysis.quotes.measures import (
    OUTLET_MEASURES,
    article_voices,
    outlet_voices,
    quote_tone,
    scare_quotes,
    scare_term,
    sentence_speakers,
    speaker_shares,
    speaker_table,
)
from analysis.quotes.speakers import (
    SEED_SPEAKERS,
    Speaker,
    SpeakerFileError,
    SpeakerTable,
    read_speakers,
)

__all__ = [
    "OUTLET_MEASURES",
    "QUOTE_COLUMNS",
    "article_voices",
    "match_quotes",
    "outlet_voices",
    "quote_scores",
    "quote_tone",
    "scare_quotes",
    "scare_term",
    "sentence_speakers",
    "speaker_shares",
    "speaker_table",
    "SEED_SPEAKERS",
    "Speaker",
    "SpeakerFileError",
    "SpeakerTable",
    "direct_spans",
    "extract_quotes",
    "read_speakers",
]
