"""Tone: VADER sentiment per sentence, rolled up per article.

Scoring uses **nltk's** implementation of VADER (Hutto & Gilbert 2014),
``nltk.sentiment.vader.SentimentIntensityAnalyzer``, with the lexicon file that ships inside
the ``vaderSentiment`` package, read from disk: nothing is downloaded and no ``nltk_data``
folder is needed. nltk 3.10 refuses to open files outside its data path, so the analyzer is
built around the lexicon text directly (:func:`analyzer`); every score is exactly what
nltk's own ``polarity_scores`` gives with that lexicon. Many sentences are scored together by
:mod:`.fast` (:func:`polarity_table`, behind :func:`score_texts`): array operations that
reproduce nltk's rules and quirks exactly, tens of times faster than nltk's loop, which is
kept as the reference (:func:`score_texts_reference`). The ``vaderSentiment`` package's own
class implements VADER slightly differently and gives different ``neg/neu/pos`` on many
sentences and a different ``compound`` on some (e.g. "no problem"); see docs/methods.md.

VADER is meant to be applied to single sentences and then aggregated: :mod:`.scoring`
scores sentences, :mod:`.articles` rolls them up per article, and :mod:`.summaries` per
outlet, along the article and toward actors, with intervals from :mod:`analysis.stats`.
"""

from analysis.sentiment.articles import (
    SENTENCE_MEASURES,
    VOICES,
    article_tone,
    lede_mask,
    sentence_features,
)
from analysis.sentiment.fast import polarity_table
from analysis.sentiment.scoring import (
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    QUOTE_MARKS,
    SCORE_COLUMNS,
    analyzer,
    lexicon_path,
    polarity_scores,
    score_sentences,
    score_texts,
    score_texts_reference,
    without_quote_marks,
)
from analysis.sentiment.summaries import (
    ACTOR_VOICES,
    ARTICLE_MEASURES,
    actor_tone,
    outlet_tone,
    tone_by_position,
)

__all__ = [
    "ACTOR_VOICES",
    "ARTICLE_MEASURES",
    "NEGATIVE_THRESHOLD",
    "POSITIVE_THRESHOLD",
    "QUOTE_MARKS",
    "SCORE_COLUMNS",
    "SENTENCE_MEASURES",
    "VOICES",
    "actor_tone",
    "analyzer",
    "article_tone",
    "lede_mask",
    "lexicon_path",
    "outlet_tone",
    "polarity_scores",
    "polarity_table",
    "score_sentences",
    "score_texts",
    "score_texts_reference",
    "sentence_features",
    "tone_by_position",
    "without_quote_marks",
]
