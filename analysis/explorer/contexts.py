"""Which contexts the explorer keeps for each term: a capped, reproducible sample.

Per term, at most ``max_contexts`` matches: first, in turn, from the groups whose comparisons
chose the term (up to half the cap, or all of it when no other group uses the term), then from
every group in turn; within a group, the first match of each article (articles in
``article_id`` order) before the second of any. Only the texts that contain every run of word
characters of the term are searched, found with one pass over the texts (:class:`_Index`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd

from analysis import concordance
from analysis.lexicon import parse_pattern

_RUN = re.compile(r"\w+")


class _Index:
    """Which texts contain which runs of word characters (lower case), for the runs of the
    terms only. Every text a term matches contains all the runs of :func:`_term_runs`, so the
    texts that have them all are the only ones the term's pattern need search."""

    def __init__(self, texts: list[str], words: set[str]):
        self.postings = text_runs(texts, words)

    def candidates(self, words: list[str], n_texts: int) -> np.ndarray:
        result = np.arange(n_texts, dtype=np.int64)
        for word in words:
            if word in self.postings:
                result = np.intersect1d(result, self.postings[word], assume_unique=True)
        return result


_CHUNK_BYTES = 1 << 20
""":func:`text_runs` takes the texts in chunks of about this many characters."""
_ASCII_WORD = np.zeros(256, dtype=bool)
_ASCII_WORD[[ord(c) for c in map(chr, range(128)) if _RUN.match(c)]] = True
_SPACE_BITS = np.uint64(0x2020202020202020)
_FIRST_BYTES = np.array([(1 << 8 * n) - 1 for n in range(9)], dtype=np.uint64)
"""The bits of the first ``n`` bytes of a little-endian 64-bit number, ``n`` up to 8."""
_ASCII_LOWER = np.array([ord(chr(b).lower()) if b < 128 else b for b in range(256)], np.uint8)


def text_runs(texts: list, words: set[str]) -> dict[str, np.ndarray]:
    """For each of ``words``, the positions (ascending) of the texts in which it is a run of
    word characters of the lower-cased text: the word is in ``set(re.findall(r"\\w+",
    text.lower()))``. A text that is not a string has no runs.

    The texts are split into runs once, on their UTF-8 bytes with numpy, instead of by a
    regular expression over each: runs of ASCII characters are compared byte for byte,
    runs with other characters are lower-cased by Python, and the few texts with a
    character that lower-casing changes otherwise (one that becomes two characters, or
    ASCII, or stops being a word character, or the capital sigma, whose lower case depends
    on the letters around it) are done by the regular expression. On news text this is
    about 3.5 times faster than the regular expression over each text, and than Arrow's
    regex engine with Python's word class (whose large character class makes it slow);
    tests/test_explorer.py checks it against the regular expression.
    """
    strings = [text if isinstance(text, str) else "" for text in texts]
    found: list[tuple[np.ndarray, np.ndarray]] = []
    ordered = sorted(words)
    start = 0
    while start < len(strings):
        end, size = start, 0
        while end < len(strings) and (end == start or size + len(strings[end]) <= _CHUNK_BYTES):
            size += len(strings[end])
            end += 1
        try:
            chunk = _chunk_runs(strings[start:end], ordered)
        except UnicodeEncodeError:  # a lone surrogate: no UTF-8 for it
            chunk = _regex_runs(strings[start:end], ordered, range(end - start))
        found.append((chunk[0] + start, chunk[1]))
        start = end
    positions = np.concatenate([p for p, _ in found]) if found else np.zeros(0, np.int64)
    word_ids = np.concatenate([w for _, w in found]) if found else np.zeros(0, np.int64)
    pairs = np.unique(word_ids * max(len(strings), 1) + positions)
    ids, positions = np.divmod(pairs, max(len(strings), 1))
    bounds = np.searchsorted(ids, np.arange(len(ordered) + 1))
    return {w: positions[bounds[i] : bounds[i + 1]] for i, w in enumerate(ordered)}


def _regex_runs(texts: list[str], ordered: list[str], which) -> tuple[np.ndarray, np.ndarray]:
    """``(position, word id)`` of every word of ``ordered`` that is a run of the texts at
    positions ``which``, found by the regular expression."""
    word_id = {w: i for i, w in enumerate(ordered)}
    pairs = [
        (position, word_id[run])
        for position in which
        for run in set(_RUN.findall(texts[position].lower()))
        if run in word_id
    ]
    array = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    return array[:, 0], array[:, 1]


def _changed_by_lower(char: str) -> bool:
    """Whether lower-casing ``char`` (not ASCII) gives anything but one character that is
    not ASCII and is a word character when ``char`` is, or depends on the text around it."""
    lower = char.lower()
    return (
        len(lower) != 1
        or char == "\u03a3"
        or lower.isascii()
        or bool(_RUN.match(char)) != bool(_RUN.match(lower))
    )


def _chunk_runs(texts: list[str], ordered: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(position, word id)`` of every word of ``ordered`` that is a run of a text of
    ``texts`` (see :func:`text_runs`)."""
    encoded = [text.encode("utf-8") for text in texts]
    # a line break before and after each text, so that no run goes on into the next
    starts_at = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(b) + 1 for b in encoded], out=starts_at[1:])
    padded = np.frombuffer(b"\n" + b"\n".join(encoded) + b"\n" + bytes(7), dtype=np.uint8)
    data = padded[:-7]
    word = _ASCII_WORD[data]
    # the characters that are not ASCII: the position of their first byte, and their length
    lead = np.flatnonzero(data >= 0xC0)
    first = data[lead].astype(np.int64)
    size = 2 + (first >= 0xE0) + (first >= 0xF0)
    code = first & np.where(size == 2, 0x1F, np.where(size == 3, 0x0F, 0x07))
    for k in (1, 2, 3):
        following = data.take(lead + k, mode="clip").astype(np.int64) & 0x3F
        code = np.where(size > k, (code << 6) | following, code)
    chars, which = np.unique(code, return_inverse=True)
    is_word = np.array([bool(_RUN.match(chr(c))) for c in chars], dtype=bool)[which]
    changed = np.array([_changed_by_lower(chr(c)) for c in chars], dtype=bool)[which]
    for k in range(4):
        covered = size > k
        word[lead[covered] + k] = is_word[covered]
    edges = np.flatnonzero(word[1:] != word[:-1]) + 1
    run_start, run_end = edges[0::2], edges[1::2]
    # runs with a character that is not ASCII are lower-cased by Python
    other = np.zeros(len(run_start), dtype=bool)
    other[np.searchsorted(run_start, lead[is_word], side="right") - 1] = True
    word_id = {w: i for i, w in enumerate(ordered)}
    pairs: list[tuple[int, int]] = []
    seen: dict[bytes, list[int]] = {}
    for run in np.flatnonzero(other).tolist():
        raw = data[run_start[run] : run_end[run]].tobytes()
        if raw not in seen:
            lower = raw.decode("utf-8").lower()
            seen[raw] = [word_id[r] for r in set(_RUN.findall(lower)) if r in word_id]
        pairs.extend((run, found) for found in seen[raw])
    runs = [np.array([run for run, _ in pairs], dtype=np.int64)]
    word_ids = [np.array([found for _, found in pairs], dtype=np.int64)]
    # ASCII runs: their first 8 bytes as one number, ORed with 0x20 (which lower-cases a
    # letter and turns no word character into another), the bytes past the run's end
    # cleared, and the top bit set when the run is longer; equal to a word's, the run is the
    # word (up to 8 bytes) or is compared byte for byte. A run with other characters has a
    # byte of 0x80 or more among its first 8, or is longer: no word's number.
    length = run_end - run_start
    window = np.ndarray(len(data), dtype="<u8", buffer=padded, strides=(1,))
    number = (window[run_start] | _SPACE_BITS) & _FIRST_BYTES[np.minimum(length, 8)]
    number[length > 8] |= np.uint64(0x80)
    ascii_words = [w.encode() for w in ordered if w.isascii()]
    if ascii_words:
        numbers = np.array(
            [
                (int.from_bytes(w[:8], "little") | 0x2020202020202020)
                & ((1 << 8 * min(len(w), 8)) - 1)
                | (0x80 if len(w) > 8 else 0)
                for w in ascii_words
            ],
            dtype=np.uint64,
        )
        known = np.unique(numbers)
        index = np.minimum(np.searchsorted(known, number), len(known) - 1)
        hit = np.flatnonzero(known[index] == number)
        by_number = {int(n): word_id[w.decode()] for n, w in zip(numbers, ascii_words)}
        exact = hit[length[hit] <= 8]
        runs.append(exact)
        word_ids.append(np.array([by_number[int(n)] for n in known], dtype=np.int64)[index[exact]])
        longer = hit[length[hit] > 8]
        for n in sorted({len(w) for w in ascii_words if len(w) > 8}):
            some = longer[length[longer] == n]
            spelled = _ASCII_LOWER[data[run_start[some, None] + np.arange(n)]]
            spelled = np.ascontiguousarray(spelled).view(f"S{n}").ravel()
            same = np.array(sorted(w for w in ascii_words if len(w) == n))
            where = np.minimum(np.searchsorted(same, spelled), len(same) - 1)
            equal = same[where] == spelled
            runs.append(some[equal])
            word_ids.append(np.array([word_id[w.decode()] for w in same])[where[equal]])
    run = np.concatenate(runs)
    position = np.searchsorted(starts_at, run_start[run], side="right") - 1
    found = np.concatenate(word_ids)
    # texts with a character that lower-casing changes otherwise: by the regular expression
    irregular = np.unique(np.searchsorted(starts_at, lead[changed], side="right") - 1)
    keep = ~np.isin(position, irregular)
    by_regex = _regex_runs(texts, ordered, irregular.tolist())
    return (
        np.concatenate([position[keep], by_regex[0]]).astype(np.int64),
        np.concatenate([found[keep], by_regex[1]]).astype(np.int64),
    )


def _walk(matcher: concordance.Matcher, texts: list[str], positions) -> Iterator[tuple]:
    """Matches in the texts at ``positions``: the first of each text (in order) before the
    second of any, and so on."""
    found = []
    for position in positions:
        spans = matcher.spans(texts[position])
        if spans:
            found.append((position, spans))
            yield position, *spans[0]
    turn = 1
    while True:
        more = [(p, spans[turn]) for p, spans in found if len(spans) > turn]
        if not more:
            return
        for position, (start, end) in more:
            yield position, start, end
        turn += 1


def _sample(walkers: dict[str, Iterator], order: list[str], limit: int, chosen: list) -> None:
    """Take matches from the groups in ``order`` in turn until ``limit`` are chosen."""
    active = [g for g in order if g in walkers]
    while active and len(chosen) < limit:
        for group in list(active):
            if len(chosen) >= limit:
                return
            found = next(walkers[group], None)
            if found is None:
                active.remove(group)
                del walkers[group]
            else:
                chosen.append(found)


def _term_runs(term: str) -> list[str]:
    """The runs of word characters a text must contain for ``term`` to match in it (the last
    run of a wildcard word is left out: it may go on)."""
    pattern = parse_pattern(term, where="explorer term")
    runs = [run for word in pattern.words for run in _RUN.findall(word)]
    return runs[:-1] if pattern.wildcard else runs


def sample_contexts(
    articles: pd.DataFrame,
    group_of: np.ndarray,
    focus: dict[str, set[str]],
    groups: list[str],
    *,
    max_contexts: int,
    window: int,
) -> pd.DataFrame:
    """Up to ``max_contexts`` contexts of each term (see the module's docstring for which).

    Parameters
    ----------
    articles : DataFrame
        ``article_id``, ``outlet``, ``title`` and ``text_clean``, sorted by ``article_id``.
    group_of : numpy.ndarray
        The compared group of each article (same order).
    focus : dict of str to set of str
        Each term, with the groups whose comparisons chose it.
    groups : list of str
        All compared groups, in the order they take turns.
    max_contexts, window : int
        The cap per term, and the tokens shown on either side.

    Returns
    -------
    DataFrame
        One row per context: ``term, group, article_id, outlet, title, left, match, right,
        start`` (``start``: offset of the match in ``text_clean``).
    """
    texts = articles["text_clean"].tolist()
    words = {w for term in focus for w in _term_runs(term)}
    index = _Index(texts, words)
    rows = []
    for term in sorted(focus):
        matcher = concordance.compile_pattern(term)
        positions = index.candidates(_term_runs(term), len(texts))
        by_group = {g: positions[group_of[positions] == g] for g in groups}
        walkers = {g: _walk(matcher, texts, p) for g, p in by_group.items() if len(p)}
        first = [g for g in groups if g in focus[term]]
        others = [g for g in groups if g not in focus[term] and g in walkers]
        chosen: list[tuple] = []
        _sample(walkers, first, math.ceil(max_contexts / 2) if others else max_contexts, chosen)
        _sample(walkers, first + others, max_contexts, chosen)
        rows.extend((term, *found) for found in chosen)
    table = pd.DataFrame(rows, columns=["term", "_position", "_start", "_end"])
    pieces = [
        concordance.window_around(texts[p], s, e, window)
        for p, s, e in zip(table["_position"], table["_start"], table["_end"])
    ]
    positions = table["_position"].to_numpy(np.int64)
    return pd.DataFrame(
        {
            "term": table["term"],
            "group": group_of[positions],
            "article_id": articles["article_id"].to_numpy()[positions],
            "outlet": articles["outlet"].to_numpy()[positions],
            "title": articles["title"].to_numpy()[positions],
            "left": [p[0] for p in pieces],
            "match": [p[1] for p in pieces],
            "right": [p[2] for p in pieces],
            "start": table["_start"].to_numpy(np.int64),
        }
    )
