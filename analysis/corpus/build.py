"""Validating records into the ``articles``, ``rejected`` and ``repairs`` tables."""

from __future__ import annotations

import json
import re
from collections import Counter

import pandas as pd

from analysis.corpus.dates import order_note, parse_date
from analysis.corpus.reconcile import IdLedger, account_table, merge_outlets
from analysis.corpus.records import (
    Records,
    as_label,
    column_values,
    format_names,
    is_missing,
    not_scalar,
    take_rows,
    too_long,
)
from analysis.corpus.tables import (
    ARTICLE_COLUMNS,
    COLUMN_NAMES,
    MAX_CHARS,
    REJECTED_COLUMNS,
    REPAIR_COLUMNS,
    UNKNOWN_OUTLET,
    Corpus,
    CorpusError,
)

_STR = pd.StringDtype("python")  # <NA> for missing, the same with pandas 2 and 3
_DTYPES = {"source_row": "Int64", "published": "datetime64[ns]"}
_LABELS = ("id", "outlet", "title", "date")  # one value each: a dict or list is rejected
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")  # C0 controls that are not white space
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # only unpaired ones can be in a str
_TO_REPAIR = re.compile(r"[\x00-\x08\x0e-\x1b\x7f\ud800-\udfff]")  # either of the two
_VISIBLE = re.compile(r"[^\s\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")  # not space/invisible


def _map_columns(columns: list, label: str, mapping: dict, folder: bool) -> dict:
    """The input column (or None) for each role: text, id, outlet, date, title."""
    taken = {c for c in columns if folder and str(c).lower() == "file"}  # -> source_file
    cols = dict.fromkeys(("text", "id", "outlet", "date", "title"))
    for role in cols:
        if not (role == "text" and folder):  # a folder's text is in its files
            cols[role] = _find_column(columns, role, mapping[role], label, taken)
            taken.add(cols[role])
    if not folder and cols["text"] is None:
        raise CorpusError(
            f'{label}: no text column found (columns: {format_names(columns)}); pass text="..."'
        )
    return cols


def build_corpus(
    rec: Records,
    label: str,
    mapping: dict,
    folder: bool,
    dayfirst: bool = False,
    max_chars: int = MAX_CHARS,
) -> Corpus:
    """Validate records into the articles, rejected and repairs tables.

    Parameters
    ----------
    rec : Records
        The parsed input.
    label : str
        The source as the user gave it, for messages.
    mapping : dict
        The input column named by the user for each role (``text``, ``outlet``, ...), or None.
    folder : bool
        The records come from a folder of ``.txt`` files.
    dayfirst : bool
        Read ``N/N/Y`` dates as ``D/M/Y``.
    max_chars : int
        Texts longer than this are rejected.

    Returns
    -------
    Corpus
        Every record in ``articles`` or ``rejected``; changes made listed in ``repairs``.
    """
    rejected, repairs, columns = list(rec.rejected), list(rec.repairs), list(rec.columns)
    # nothing to map when no record survived parsing (e.g. every JSON line was invalid)
    cols = _map_columns(columns, label, mapping, folder) if rec.rows else dict.fromkeys(mapping)
    values = {role: column_values(rec.columns, c) for role, c in cols.items() if c is not None}
    texts = rec.texts if folder else values.get("text", [])
    out = {c: [] for c in ARTICLE_COLUMNS}
    kept, ids, date_cache = [], IdLedger(), {}
    for i, raw_text in enumerate(texts):
        file, row = rec.files[i], rec.rows[i]
        bad = next((r for r in _LABELS if r in values and not_scalar(values[r][i])), None)
        raw_id = as_label(values["id"][i]) if "id" in values and bad != "id" else None
        if not isinstance(raw_text, str) and not is_missing(raw_text):
            bad = "text"
        if bad:
            got = type(raw_text if bad == "text" else values[bad][i]).__name__
            rejected.append((file, row, raw_id, cols[bad], f"{bad} is not a string (got {got})"))
            continue
        if is_missing(raw_text) or not raw_text or raw_text.isspace():
            rejected.append((file, row, raw_id, cols["text"], "empty text"))
            continue
        if len(raw_text) > max_chars:
            rejected.append((file, row, raw_id, cols["text"], too_long(len(raw_text), max_chars)))
            continue
        body, notes = _repair_text(raw_text)
        if not _VISIBLE.search(body):
            reason = "empty text (only control or invisible characters)"
            rejected.append((file, row, raw_id, cols["text"], reason))
            continue
        pending = list(rec.row_repairs[i]) if rec.row_repairs else []
        pending += [(cols["text"], note) for note in notes]
        if raw_id is None:
            raw_id = rec.fallback_ids[i] if rec.fallback_ids else f"row-{row:06d}"
            if cols["id"] is not None:
                pending.append((cols["id"], f"empty id: assigned {raw_id!r}"))
        article_id, reason, note = ids.admit(raw_id, body, file, row)
        if reason:
            rejected.append((file, row, raw_id, cols["id"], reason))
            continue
        if note:
            pending.append((cols["id"], note))
        outlet = (
            " ".join((as_label(values["outlet"][i]) or "").split())
            if "outlet" in values
            else (rec.fallback_outlets and rec.fallback_outlets[i]) or UNKNOWN_OUTLET
        )
        if not outlet:
            outlet = UNKNOWN_OUTLET
            pending.append((cols["outlet"], f"empty outlet: assigned {UNKNOWN_OUTLET!r}"))
        published, precision, problem = (
            parse_date(values["date"][i], date_cache, dayfirst)
            if "date" in values
            else (pd.NaT, None, None)
        )
        if problem:
            pending.append((cols["date"], problem))
        kept.append(i)
        repairs.extend((article_id, file, row, c, note) for c, note in pending)
        title = as_label(values["title"][i]) if "title" in values else None
        for name, value in zip(
            ARTICLE_COLUMNS,
            (article_id, outlet, published, precision, title, body, file, row),
            strict=True,
        ):
            out[name].append(value)
    chosen, merged = merge_outlets(Counter(out["outlet"]))
    if chosen:
        out["outlet"] = [chosen.get(o, o) for o in out["outlet"]]
    notes = [(cols["outlet"], note) for note in merged]
    sub = rec.fallback_outlets or [None] * len(texts)  # a folder's subfolders, when no metadata
    n_unknown = sum(sub[i] is None for i in kept) if cols["outlet"] is None else 0
    if n_unknown:
        which = (
            "all articles"
            if n_unknown == len(kept)
            else f"{n_unknown} article{'s' * (n_unknown > 1)} not in a subfolder"
        )
        notes.append((None, f"no outlet column: {which} assigned to outlet {UNKNOWN_OUTLET!r}"))
    if "date" in values and (note := order_note((values["date"][i] for i in kept), dayfirst)):
        notes.append((cols["date"], note))
    extra = [
        c for c in columns if c not in cols.values() and not (folder and str(c).lower() == "file")
    ]
    extras = take_rows(rec.columns, kept, extra)
    notes += _mixed_types_as_text(extras)
    extras.columns = [f"{c}_original" if c in ARTICLE_COLUMNS else c for c in extra]
    repairs[len(rec.repairs) : len(rec.repairs)] = [(None, label, None, c, n) for c, n in notes]
    articles = pd.DataFrame(
        {name: pd.array(v, dtype=_DTYPES.get(name, _STR)) for name, v in out.items()}
    )
    return Corpus(
        pd.concat([articles, extras], axis=1),
        account_table(rejected, REJECTED_COLUMNS),
        account_table(repairs, REPAIR_COLUMNS),
        label,
        rec.n_input,
        dayfirst,
    )


def _repair_text(text: str) -> tuple[str, list[str]]:
    """The text with line endings ``\\n``, no control characters and no unpaired surrogates.

    Line endings are normalised silently; the other two changes come with a repair note.
    """
    notes = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _TO_REPAIR.search(text) is None:  # most texts: one scan, not two
        return text, notes
    if found := _CONTROL.findall(text):
        codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(set(found)))
        notes.append(f"removed {len(found)} control character{'s' * (len(found) > 1)} ({codes})")
        text = _CONTROL.sub("", text)
    if found := _SURROGATE.findall(text):
        n = len(found)
        notes.append(
            f"replaced {n} unpaired surrogate{'s' * (n > 1)} (invalid Unicode) with U+FFFD"
        )
        text = _SURROGATE.sub("\ufffd", text)
    return text, notes


def _mixed_types_as_text(extras: pd.DataFrame) -> list[tuple]:
    """Store an extra column whose values mix types (``1`` and ``"n/a"``) as text, in place.

    Parquet (and any typed table) needs one type per column, so such a column could not be
    written; each value becomes its JSON text (``1`` -> ``"1"``, a list -> ``'["a", "b"]'``;
    strings stay as they are, missing values stay missing), with a file-level note.
    """
    notes = []
    for column in [c for c in extras.columns if pd.api.types.is_object_dtype(extras[c])]:
        values = extras[column].tolist()
        kinds = {type(v).__name__ for v in values if not is_missing(v)}
        if len(kinds) > 1:
            extras[column] = [
                None if is_missing(v) else v if isinstance(v, str) else _as_json(v) for v in values
            ]
            notes.append(
                (
                    column,
                    f"mixed value types ({', '.join(sorted(kinds))}): every value kept as text",
                )
            )
    return notes


def _as_json(value) -> str:
    """A value as JSON text (numpy values and other objects through ``str``)."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def _find_column(columns: list, role: str, given, label: str, taken: set):
    """The input column for ``role``: the one named by the user, or the first detected."""
    if given is not None:
        if given in columns:
            return given
        folded = [c for c in columns if str(c).lower() == str(given).lower()]
        if len(folded) == 1:
            return folded[0]
        raise CorpusError(
            f"{label}, column {given!r}: no such column (columns: {format_names(columns)})"
        )
    for name in COLUMN_NAMES[role]:
        for column in columns:
            if column not in taken and str(column).lower() == name:
                return column
    return None
