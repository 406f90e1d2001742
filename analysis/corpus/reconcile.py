"""Reconciling article ids and outlet names: one set of rules for a table and for shards.

Three rules make a corpus's ids unique and its outlet names consistent:

- an article whose id was given before **with the same text** is that article again: it is
  rejected, ``"duplicate of article_id 'x' at row 2"``;
- an id given before **with a different text** is renamed ``x#2`` (``x#3``, ... skipping
  ids already used), with the repair ``"duplicate article_id 'x' with different text:
  renamed 'x#2'"``;
- outlet names that differ only in case are one outlet, spelled as most of its articles
  spell it (the first spelling seen on a tie), with one file-level repair per merged
  spelling, ``"outlet 'fox news' (1 article) merged into 'Fox News' (2): names that differ
  only in case are one outlet"``.

The loader (:func:`analysis.corpus.build.build_corpus`) applies them to one table, row by
row; the engine's reduce applies them across the shards of a sharded corpus, one shard at a
time (each shard already loaded, so its ids are unique), with an :class:`IdLedger` carrying
the ids of the earlier shards, and to the outlets of every shard at the end.

API
---
``IdLedger(shards=False)``
    The ids seen so far, and what they were given to.
``IdLedger.admit(article_id, text, source_file, source_row) -> Admission``
    One article, in input order: ``Admission(article_id, reason, note)``. Rejected: the
    ``article_id`` is None and ``reason`` says why. Admitted: ``article_id`` is its id
    (renamed or not), ``note`` the renaming's repair (None when kept), and the article is
    recorded, so every later article is checked against it.
``IdLedger.admit_all(articles, column=None) -> Reconciled``
    Every row of ``articles`` (columns ``article_id``, ``text``, ``source_file``,
    ``source_row``; others ignored), in order, as :meth:`IdLedger.admit` does. Returns
    ``repeated`` (``{article_id: where}``, the earlier article each rejected one repeats),
    ``renamed`` (``{old: new}``), ``rejected`` (:data:`REJECTED_COLUMNS`: the rejected rows,
    ``article_id`` as given) and ``repairs`` (:data:`REPAIR_COLUMNS`: the renamed rows,
    ``article_id`` the new one), both tables in input order, ``column`` the value given.
    ``repeated`` and ``renamed`` are keyed by id, so they list every row only when the ids
    are unique (a shard); the tables always do.
``merge_outlets(counts, shards=False) -> (chosen, notes)``
    ``counts`` maps each outlet spelling to its number of articles, in the order the
    spellings were first seen (a :class:`collections.Counter` of the outlets, kept up to date
    shard by shard with ``Counter.update``); returns ``chosen`` (``{spelling: winner}`` for
    every spelling merged into another) and ``notes`` (one repair per merged spelling).
``file_repairs(notes, source_file, column=None)``
    Repairs rows (:data:`REPAIR_COLUMNS`) about a whole file: ``article_id`` and
    ``source_row`` missing.
``account_table(rows, columns)``
    A ``rejected`` or ``repairs`` table from tuples in ``columns`` order: text columns as
    ``string[python]`` (<NA> for None), ``source_row`` as ``Int64``.

Within one table and across shards
----------------------------------
``shards=True`` gives the rules as the engine's reduce applies them across shards. They
differ from the loader's (``shards=False``) in five ways:

- compared with: within a table, every earlier article *given* the same id, renamed ones
  too (a later ``x`` with the text of the ``x`` renamed ``x#2`` is a duplicate of
  ``'x#2'``); across shards, the one earlier article whose id *is* this id (a later ``x``
  is compared with ``x`` only, and a later ``x#2`` with whichever article has the id
  ``x#2``, renamed or given it);
- where the earlier article is: ``row 2`` (``file a/1.txt`` without rows) within a table;
  ``a.jsonl, row 2`` (``a/1.txt``) across shards;
- the rename note: ``duplicate article_id 'x' with different text (in an earlier shard):
  renamed 'x#2'`` across shards;
- the new name skips the ids used so far; across shards also every id of the same call to
  :meth:`IdLedger.admit_all` (the shard's own ids, later ones included);
- the outlet note ends ``are one outlet (across shards)`` across shards.

A ledger across shards keeps 16-byte BLAKE2b digests of the texts (a shard's texts are
dropped once written); within one table it keeps the texts, which the loader holds anyway.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from analysis.corpus.tables import REJECTED_COLUMNS, REPAIR_COLUMNS

__all__ = [
    "Admission",
    "IdLedger",
    "Reconciled",
    "account_table",
    "file_repairs",
    "merge_outlets",
    "text_digest",
]

_STR = pd.StringDtype("python")  # <NA> for missing, the same with pandas 2 and 3


def text_digest(text: str) -> bytes:
    """A text's 16-byte BLAKE2b digest (unpaired surrogates included as they are)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Admission(NamedTuple):
    """What :meth:`IdLedger.admit` decided about one article."""

    article_id: str | None
    """The article's id, renamed when its id was used before; None when it is rejected."""
    reason: str | None
    """Why the article is rejected (it repeats an earlier one); None when admitted."""
    note: str | None
    """The repair saying that the article was renamed; None when it was not."""


@dataclass
class Reconciled:
    """What :meth:`IdLedger.admit_all` decided about a table's articles."""

    repeated: dict[str, str]
    """``{article_id: where}`` for each rejected article: where the one it repeats is."""
    renamed: dict[str, str]
    """``{old: new}`` for each renamed article."""
    rejected: pd.DataFrame
    """The rejected rows, :data:`REJECTED_COLUMNS`, in input order."""
    repairs: pd.DataFrame
    """The renamed rows, :data:`REPAIR_COLUMNS` (``article_id`` the new id), in input order."""


class IdLedger:
    """The article ids given so far, to reject repeated articles and rename repeated ids.

    Parameters
    ----------
    shards : bool, default False
        Apply the rules across shards, as the engine's reduce does, instead of within one
        table, as the loader does; see the module docstring for the differences.
    """

    def __init__(self, *, shards: bool = False):
        self.shards = shards
        self.used: set[str] = set()
        """Every id admitted so far (after renaming)."""
        # table: given id -> every article given it; shards: id -> the article with it.
        # Each as (article_id, text or digest, source_file, source_row).
        self._held: dict[str, list[tuple]] = {}

    def __len__(self) -> int:
        return len(self.used)

    def admit(self, article_id: str, text: str, source_file, source_row) -> Admission:
        """Reject an article repeated with the same text, rename one repeated with another.

        Parameters
        ----------
        article_id : str
            The id the article was given.
        text : str
            Its text.
        source_file : str
            Where it was read, for the message about an article repeating it.
        source_row : int or None
            Its row in ``source_file`` (None for a ``.txt`` file).

        Returns
        -------
        Admission
            ``(article_id, reason, note)``; an admitted article is recorded.
        """
        return self._admit(article_id, text, source_file, source_row, ())[0]

    def admit_all(self, articles: pd.DataFrame, column: str | None = None) -> Reconciled:
        """:meth:`admit` each row of ``articles``, in order; the outcome as tables.

        Parameters
        ----------
        articles : pandas.DataFrame
            ``article_id``, ``text``, ``source_file`` and ``source_row`` (missing: <NA>);
            other columns are ignored.
        column : str, optional
            The ``column`` of the rows of ``rejected`` and ``repairs`` (the input's id
            column), missing by default.

        Returns
        -------
        Reconciled
        """
        ids = articles["article_id"].tolist()
        reserved = set(ids) if self.shards else ()
        repeated, renamed, rejected, repairs = {}, {}, [], []
        for given, text, file, row in zip(
            ids,
            articles["text"].tolist(),
            articles["source_file"].tolist(),
            [None if pd.isna(r) else int(r) for r in articles["source_row"]],
            strict=True,
        ):
            (article_id, reason, note), where = self._admit(given, text, file, row, reserved)
            if reason:
                repeated[given] = where
                rejected.append((file, row, given, column, reason))
            elif note:
                renamed[given] = article_id
                repairs.append((article_id, file, row, column, note))
        return Reconciled(
            repeated,
            renamed,
            account_table(rejected, REJECTED_COLUMNS),
            account_table(repairs, REPAIR_COLUMNS),
        )

    def _admit(self, given: str, text: str, file, row, reserved) -> tuple[Admission, str]:
        """The admission, and where the article it repeats is ("" when none)."""
        fingerprint = None
        if held := self._held.get(given):
            fingerprint = text_digest(text) if self.shards else text
            if same := next((h for h in held if h[1] == fingerprint), None):
                where = self._where(same[2], same[3])
                reason = f"duplicate of article_id {same[0]!r} at {where}"
                return Admission(None, reason, None), where
        article_id, n = given, 1
        while article_id in self.used or (n > 1 and article_id in reserved):
            n += 1
            article_id = f"{given}#{n}"
        note = None
        if n > 1:
            scope = " (in an earlier shard)" if self.shards else ""
            note = (
                f"duplicate article_id {given!r} with different text{scope}: renamed {article_id!r}"
            )
        if fingerprint is None:
            fingerprint = text_digest(text) if self.shards else text
        self.used.add(article_id)
        key = article_id if self.shards else given
        self._held.setdefault(key, []).append((article_id, fingerprint, file, row))
        return Admission(article_id, None, note), ""

    def _where(self, file, row) -> str:
        if self.shards:
            return f"{file}, row {row}" if row is not None else str(file)
        return f"row {row}" if row is not None else f"file {file}"


def merge_outlets(
    counts: Mapping[str, int], *, shards: bool = False
) -> tuple[dict[str, str], list[str]]:
    """One spelling for outlet names that differ only in case.

    Parameters
    ----------
    counts : Mapping of str to int
        Articles per outlet spelling, in the order the spellings were first seen (white
        space already collapsed: ``"fox news "`` and ``"FOX  NEWS"`` are ``"fox news"`` and
        ``"FOX NEWS"`` here).
    shards : bool, default False
        The outlets come from several shards: the notes end ``(across shards)``.

    Returns
    -------
    chosen : dict of str to str
        ``{spelling: winner}`` for each spelling merged into another: the most frequent
        spelling of its name, the first seen on a tie. Spellings kept are not listed.
    notes : list of str
        One repair per merged spelling, in the order of ``chosen``.
    """
    names: dict[str, dict[str, int]] = {}
    for spelling, n in counts.items():
        names.setdefault(spelling.casefold(), {})[spelling] = n
    scope = " (across shards)" if shards else ""
    chosen, notes = {}, []
    for spellings in names.values():
        if len(spellings) < 2:
            continue
        winner = max(spellings, key=spellings.__getitem__)  # the first of the most frequent
        for spelling, n in spellings.items():
            if spelling != winner:
                chosen[spelling] = winner
                notes.append(
                    f"outlet {spelling!r} ({n} article{'s' * (n > 1)}) merged into "
                    f"{winner!r} ({spellings[winner]}): names that differ only in case "
                    f"are one outlet{scope}"
                )
    return chosen, notes


def file_repairs(notes: Iterable[str], source_file: str, column: str | None = None):
    """Rows of the ``repairs`` table about a whole file (no article, no row)."""
    return account_table([(None, source_file, None, column, n) for n in notes], REPAIR_COLUMNS)


def account_table(rows: list, columns: list[str]) -> pd.DataFrame:
    """A ``rejected`` or ``repairs`` table from tuples in ``columns`` order."""
    return pd.DataFrame(
        {
            c: pd.array([r[k] for r in rows], dtype="Int64" if c == "source_row" else _STR)
            for k, c in enumerate(columns)
        }
    )
