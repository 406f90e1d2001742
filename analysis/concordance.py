"""Keywords in context: every match of a dictionary-style pattern with the words around it.

Numbers about words are trusted once a reader has read the words in context. :func:`kwic`
finds a pattern (the dictionaries' syntax, parsed by :func:`analysis.lexicon.parse_pattern`:
``blasphem*``, ``freedom of expression``) in the cleaned texts and returns each match with
``window`` tokens of the project tokenizer (:mod:`analysis.tokens`) on either side, cut from the
cleaned text itself, so quotation marks and punctuation stay as the outlet wrote them
(``"blasphemous" content``).

Matching follows the counting features, so a concordance shows what was counted:

- case is ignored (the text is lower-cased, as the counters do);
- a match is whole tokens: ``blasphemy`` does not match inside ``anti-blasphemy`` or
  ``#blasphemy``, a ``*`` at the end takes any ending of the token (``blasphem*`` matches
  ``blasphemous``, ``blasphemer's``);
- the words of a phrase are separated by white space or a hyphen (``gun control``,
  ``gun-control``), as in :mod:`analysis.lexicon.scoring`;
- a possessive ``'s`` after a word is accepted (``facebook`` matches ``Facebook's``), because
  the counters strip possessives before counting (:func:`analysis.tokens.strip_possessives`);
- unlike the dictionary counter, a closing quotation mark after a match does not hide it
  (``‘freedom of expression’`` is found).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.lexicon import parse_pattern
from analysis.segment import split_sentences
from analysis.tokens import TOKEN_PATTERN

KWIC_COLUMNS = [
    "pattern",
    "article_id",
    "outlet",
    "voice",
    "left",
    "match",
    "right",
    "start",
    "end",
]
VOICES = ["narrative", "quote", "social"]

_TOKEN = re.compile(TOKEN_PATTERN)
_SEPARATOR = r"(?:\s+|\s*[-‐–]\s*)"  # between the words of a phrase, as in lexicon.scoring
_POSSESSIVE = r"(?:['’]s)?"
_ANY_ENDING = r"\w*(?:['’\-]\w+)*"  # the rest of a token, as in TOKEN_PATTERN
_TOKEN_END = r"(?!\w|['’\-]\w)"  # the match does not continue the token
_INSIDE_TOKEN = re.compile(r"(?:[\w#@]|\w['’\-])\Z")  # text before a start inside a token
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Matcher:
    """A compiled pattern: :meth:`spans` finds its matches in a text.

    Build it with :func:`compile_pattern`.
    """

    pattern: str
    expression: re.Pattern[str]
    """The regular expression, for lower-case text."""

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character ``(start, end)`` offsets of every match in ``text``, in order.

        >>> compile_pattern("blasphem*").spans('Remove "blasphemous" posts; anti-blasphemy law.')
        [(8, 19)]
        """
        if not isinstance(text, str) or not text:
            return []
        lower = text.lower()
        expression = self.expression
        if len(lower) != len(text):  # a few characters change length when lower-cased
            lower, expression = text, re.compile(expression.pattern, re.IGNORECASE)
        found, position = [], 0
        while True:
            match = expression.search(lower, position)
            if match is None:
                return found
            start, end = match.span()
            if start and _INSIDE_TOKEN.search(lower, max(0, start - 2), start):
                position = start + 1  # inside a longer token: look again one character on
                continue
            found.append((start, end))
            position = max(end, start + 1)


def compile_pattern(pattern: str) -> Matcher:
    """Compile a dictionary pattern (``blasphem*``, ``freedom of expression``) for matching.

    Parameters
    ----------
    pattern : str
        A word or phrase; a ``*`` may end the last word (see
        :func:`analysis.lexicon.parse_pattern`, which raises ``DictionaryError`` otherwise).

    Returns
    -------
    Matcher

    Examples
    --------
    >>> compile_pattern("Freedom of Expression").spans("Freedom-of-expression, freedom of speech")
    [(0, 21)]
    """
    parsed = parse_pattern(pattern, where="kwic pattern")
    words = [re.escape(w) for w in parsed.words]
    pieces = [w + _POSSESSIVE for w in words[:-1]]
    pieces.append(words[-1] + (_ANY_ENDING if parsed.wildcard else _POSSESSIVE))
    return Matcher(parsed.text, re.compile(_SEPARATOR.join(pieces) + _TOKEN_END))


def window_around(text: str, start: int, end: int, window: int = 8) -> tuple[str, str, str]:
    """The ``window`` tokens before and after ``text[start:end]``, as they stand in the text.

    ``left`` runs from the first of the ``window`` tokens before the match to the match, and
    ``right`` from the match to the last of the ``window`` tokens after it, punctuation and
    quotation marks included; where fewer than ``window`` tokens remain, they run to the
    start or the end of the text. Runs of white space (line breaks) are shown as one space.

    Returns
    -------
    (left, match, right) : tuple of str

    Examples
    --------
    >>> window_around('He said: "blasphemous" content was removed.', 10, 21, window=2)
    ('He said: "', 'blasphemous', '" content was')
    """
    if window < 0:
        raise ValueError(f"window must be 0 or more, not {window}")
    if window == 0:
        left_start, right_end = start, end
    else:
        reach = 16 * window + 64
        while True:  # left: cut just after a white space, which no token contains
            cut = max(0, start - reach)
            if cut:
                cut = max(text.rfind(" ", 0, cut), text.rfind("\n", 0, cut)) + 1
            before = [m.start() for m in _TOKEN.finditer(text, cut, start)]
            if len(before) > window or cut == 0:
                break
            reach *= 4
        # fewer tokens than the window: run to the start of the text
        left_start = before[-window] if len(before) > window else 0
        reach = 16 * window + 64
        while True:  # right: from the match's end, a token boundary
            stop = min(len(text), end + reach)
            after = [m.end() for m in _TOKEN.finditer(text, end, stop)]
            if len(after) > window or stop == len(text):
                break
            reach *= 4
        right_end = after[window - 1] if len(after) > window else len(text)
    return tuple(  # type: ignore[return-value]
        _WHITESPACE.sub(" ", piece)
        for piece in (text[left_start:start], text[start:end], text[end:right_end])
    )


def _round_robin(frame: pd.DataFrame, keys: list[str], limit: int) -> pd.DataFrame:
    """Keep at most ``limit`` rows per ``keys``: the first match of each article (in article
    order) before the second of any, so contexts come from as many articles as possible."""
    if frame.empty:
        return frame
    turn = frame.groupby([*keys, "article_id"], sort=False, dropna=False).cumcount()
    frame = frame.assign(_turn=turn)
    frame = frame.sort_values([*keys, "_turn", "article_id", "start"], kind="stable")
    kept = frame[frame.groupby(keys, sort=False, dropna=False).cumcount() < limit]
    return kept.drop(columns="_turn")


def add_voice(contexts: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Add the ``voice`` of the sentence each match starts in.

    Parameters
    ----------
    contexts : DataFrame
        ``article_id`` and ``start`` (an offset into ``text_clean``).
    sentences : DataFrame
        ``article_id``, ``start``, ``end`` and ``voice`` (see
        :func:`analysis.segment.split_sentences`).

    Returns
    -------
    DataFrame
        ``contexts`` in the same order, with ``voice`` (categorical: narrative, quote,
        social; missing where a match lies in no sentence).
    """
    out = contexts.drop(columns="voice", errors="ignore").reset_index(drop=True)
    if out.empty:
        return out.assign(voice=pd.Categorical([], categories=VOICES))
    ids = out["article_id"].astype(str)
    wanted = sentences[sentences["article_id"].astype(str).isin(set(ids))]
    left = pd.DataFrame(
        {"_row": np.arange(len(out)), "article_id": ids, "start": out["start"].astype(np.int64)}
    ).sort_values("start", kind="stable")
    right = pd.DataFrame(
        {
            "article_id": wanted["article_id"].astype(str).to_numpy(),
            "start": wanted["start"].astype(np.int64).to_numpy(),
            "_end": wanted["end"].astype(np.int64).to_numpy(),
            "voice": wanted["voice"].astype(object).to_numpy(),
        }
    ).sort_values("start", kind="stable")
    joined = pd.merge_asof(left, right, on="start", by="article_id", direction="backward")
    joined.loc[~(joined["start"] < joined["_end"]), "voice"] = None
    voice = joined.sort_values("_row")["voice"].to_numpy()
    return out.assign(voice=pd.Categorical(voice, categories=VOICES))


def kwic(
    data: pd.DataFrame,
    pattern: str | Sequence[str],
    window: int = 8,
    *,
    sentences: pd.DataFrame | None = None,
    articles: pd.DataFrame | None = None,
    max_per_outlet: int | None = None,
) -> pd.DataFrame:
    """Keywords in context: every match of ``pattern`` with ``window`` tokens either side.

    Parameters
    ----------
    data : DataFrame
        Either **articles** (``article_id``, ``text_clean``, and ``outlet`` if there is one;
        see :func:`analysis.clean.clean_articles`), searched whole; or **sentences**
        (``article_id``, ``start``, ``text``, ``voice``; see
        :func:`analysis.segment.split_sentences`), searched one by one, so a context never
        crosses a sentence boundary.
    pattern : str or sequence of str
        A dictionary pattern (``blasphem*``, ``freedom of expression``; case is ignored), or
        several, each searched on its own (their matches may overlap).
    window : int
        Tokens shown on either side of the match.
    sentences : DataFrame, optional
        With articles: the sentences table that gives each match its ``voice``. Omitted, the
        articles that have a match are segmented here (:func:`analysis.segment.split_sentences`).
    articles : DataFrame, optional
        With sentences that have no ``outlet`` column: ``article_id, outlet``, for the outlet.
    max_per_outlet : int, optional
        Keep at most this many matches per pattern and outlet: the first match of each article
        (articles in ``article_id`` order) before the second of any article.

    Returns
    -------
    DataFrame
        One row per match: ``pattern`` (as parsed: lower case), ``article_id``, ``outlet``
        (missing if unknown), ``voice`` (of the sentence the match starts in), ``left``,
        ``match``, ``right`` (the cleaned text, white-space runs shown as one space) and
        ``start``, ``end`` (offsets of the match in ``text_clean``). Sorted by pattern (in the
        order given), outlet, ``article_id`` and ``start``.

    Examples
    --------
    >>> articles = pd.DataFrame({
    ...     "article_id": ["a1", "a2"], "outlet": ["Dawn", "BBC"],
    ...     "text_clean": ['Facebook removed "blasphemous" posts.', "Blasphemy is a crime."]})
    >>> table = kwic(articles, "blasphem*", window=2)
    >>> table[["outlet", "voice", "left", "match", "right"]].to_numpy().tolist()
    [['BBC', 'narrative', '', 'Blasphemy', ' is a'], ['Dawn', 'narrative', 'Facebook removed "', \
'blasphemous', '" posts.']]
    """
    patterns = [pattern] if isinstance(pattern, str) else list(pattern)
    matchers = [compile_pattern(p) for p in patterns]
    by_sentence = "text_clean" not in data and {"text", "start"} <= set(data.columns)
    text_column = "text" if by_sentence else "text_clean"
    missing = {"article_id", text_column} - set(data.columns)
    if missing:
        raise ValueError(
            "kwic needs articles (article_id, text_clean) or sentences (article_id, start, "
            f"text); missing: {', '.join(sorted(missing))}"
        )
    texts = data[text_column].tolist()
    ids = data["article_id"].tolist()
    offsets = data["start"].to_numpy(np.int64) if by_sentence else np.zeros(len(data), np.int64)
    outlets = _outlets(data, articles)
    voices = data["voice"].astype(object).tolist() if "voice" in data else None

    rows = []
    for order, matcher in enumerate(matchers):
        for row, text in enumerate(texts):
            for start, end in matcher.spans(text):
                rows.append((order, row, start, end))
    found = pd.DataFrame(rows, columns=["_order", "_row", "_start", "_end"])
    found["article_id"] = pd.Series([ids[r] for r in found["_row"]], dtype=object)
    found["outlet"] = pd.Series([outlets[r] for r in found["_row"]], dtype=object)
    found["start"] = offsets[found["_row"].to_numpy(np.int64)] + found["_start"]
    found = found.sort_values(["_order", "outlet", "article_id", "start"], kind="stable")
    if max_per_outlet is not None:
        found = _round_robin(found, ["_order", "outlet"], max_per_outlet)
        found = found.sort_values(["_order", "outlet", "article_id", "start"], kind="stable")
    pieces = [
        window_around(texts[r], s, e, window)
        for r, s, e in zip(found["_row"], found["_start"], found["_end"])
    ]
    table = pd.DataFrame(
        {
            "pattern": [matchers[o].pattern for o in found["_order"]],
            "article_id": found["article_id"].to_numpy(),
            "outlet": found["outlet"].to_numpy(),
            "voice": [voices[r] for r in found["_row"]] if voices is not None else None,
            "left": [p[0] for p in pieces],
            "match": [p[1] for p in pieces],
            "right": [p[2] for p in pieces],
            "start": found["start"].to_numpy(np.int64),
            "end": (found["start"] + found["_end"] - found["_start"]).to_numpy(np.int64),
        }
    )
    if voices is not None:
        table["voice"] = pd.Categorical(table["voice"], categories=VOICES)
    elif table.empty:
        table["voice"] = pd.Categorical([], categories=VOICES)
    else:
        if sentences is None:
            matched = data[data["article_id"].isin(set(table["article_id"]))]
            sentences = split_sentences(matched[["article_id", "text_clean"]])
        table = add_voice(table, sentences)
    return table[KWIC_COLUMNS].reset_index(drop=True)


def _outlets(data: pd.DataFrame, articles: pd.DataFrame | None) -> list:
    if "outlet" in data:
        return data["outlet"].astype(object).where(data["outlet"].notna(), None).tolist()
    if articles is not None and {"article_id", "outlet"} <= set(articles.columns):
        lookup = articles.drop_duplicates("article_id").set_index("article_id")["outlet"]
        return [lookup.get(i) for i in data["article_id"]]
    return [None] * len(data)
