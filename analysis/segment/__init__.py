"""Sentences, with their offsets, paragraph, position and voice.

Sentence splitting is the Punkt algorithm (Kiss & Strunk 2006) as nltk's
``PunktSentenceTokenizer`` runs it *untrained*: its only parameters are a list of news
abbreviations given by hand (no collocations, no frequent sentence starters, no
orthographic statistics), so it needs no downloaded model. The algorithm is implemented
here with those parameters fixed, which lets it look at the text only where a sentence
may end (``.``, ``?``, ``!``) instead of annotating every word; nltk's tokenizer is the
reference it is tested against, decision for decision. A few rules run after it: a piece
that starts in lower case is joined to the sentence before (``"Why?" he asked.``), a
closing quotation mark stranded at the start of a piece goes back to the sentence it
closes, an embedded post's signature (``— Name (@handle) March 25, 2017``) stays with its
post, and an initialism such as ``U.S.`` ends a sentence when the next word is a typical
sentence opener (``He``, ``The``, ...). Punkt knows only ``.``, ``?`` and ``!``; the full
stops and question marks of other scripts end a sentence by a rule of their own (see
:data:`analysis.segment.sentences._SCRIPT_STOP`), before the joining rules run.

Each sentence gets a ``voice``:

- ``social`` for the text of an embedded social-media post (a paragraph closed by a post
  signature, see :data:`analysis.clean.SOCIAL_SIGNATURE`);
- ``quote`` when at least half of its non-space characters lie inside quotation marks
  (straight or curly, including quotes that run over several paragraphs, see
  :func:`quote_spans`);
- ``narrative`` otherwise.

Words are counted everywhere with the single tokenizer of :mod:`analysis.tokens`.

The code is split by topic: :mod:`.punkt` (the Punkt algorithm), :mod:`.quoting` (quotation
marks), :mod:`.voice` (each sentence's voice) and :mod:`.sentences` (the rules after Punkt,
and the sentence table). Every name is imported here, so ``segment.split_sentences`` and the
like work as they always did.
"""

from analysis.segment.punkt import _PERIOD_CONTEXT as _PERIOD_CONTEXT
from analysis.segment.punkt import NEWS_ABBREVIATIONS
from analysis.segment.punkt import _ascii_spaced as _ascii_spaced
from analysis.segment.punkt import _punkt_spans as _punkt_spans
from analysis.segment.quoting import QuoteSpan, quote_spans
from analysis.segment.quoting import _paragraph_spans as _paragraph_spans
from analysis.segment.sentences import _SCRIPT_STOP_MARKS as _SCRIPT_STOP_MARKS
from analysis.segment.sentences import SENTENCE_COLUMNS, sentence_table, split_sentences

# the private names above are for tests/test_segment_punkt.py
__all__ = [
    "NEWS_ABBREVIATIONS",
    "SENTENCE_COLUMNS",
    "QuoteSpan",
    "quote_spans",
    "sentence_table",
    "split_sentences",
]
