"""Framing dictionaries: read every common format, count matches, audit them, validate them.

- :mod:`.model`: the dictionary model (categories -> patterns with wildcards and phrases).
- :mod:`.readers`: YAML (nested, quanteda-style), JSON, LIWC ``.dic``, Lexicoder ``.lc3``, CSV
  (the last three in :mod:`.wordlists`).
- :mod:`.scoring`: sparse counting, phrases before words (:mod:`.phrases`), optional negation
  (:mod:`.negation`); the result, :class:`Matches`, in :mod:`.matching`.
- :mod:`.frames`: per article and voice, per outlet with intervals, and the audit.
- :mod:`.validation`: agreement with human frame labels.
"""

from analysis.lexicon.frames import frame_audit, outlet_frames, score_frames
from analysis.lexicon.model import Dictionary, DictionaryError, Pattern, parse_pattern
from analysis.lexicon.readers import BUILTIN, builtin_dictionaries, read_dictionary
from analysis.lexicon.scoring import NEGATORS, Matches, count_matches
from analysis.lexicon.validation import compare_to_labels

__all__ = [
    "BUILTIN",
    "NEGATORS",
    "Dictionary",
    "DictionaryError",
    "Matches",
    "Pattern",
    "builtin_dictionaries",
    "compare_to_labels",
    "count_matches",
    "frame_audit",
    "outlet_frames",
    "parse_pattern",
    "read_dictionary",
    "score_frames",
]
