"""Reading the word-list formats of dictionaries: LIWC ``.dic``, Lexicoder ``.lc3`` and
CSV/TSV (``term,category[,weight]``); and the checks every reader shares (:func:`_finish`,
:func:`_is_number`). :func:`analysis.lexicon.read_dictionary` chooses the reader."""

from __future__ import annotations

import csv
import io
import re
import warnings

from analysis import yamlfile
from analysis.lexicon.model import Dictionary, DictionaryError, Pattern, parse_pattern
from analysis.yamlfile import excerpt


def _is_number(text: str) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def _finish(dictionary: Dictionary, label: str) -> Dictionary:
    if not dictionary.categories:
        raise DictionaryError(f"{label}: no categories found")
    for category, patterns in dictionary.categories.items():
        seen: dict[str, Pattern] = {}
        for pattern in patterns:
            seen.setdefault(pattern.text, pattern)  # a pattern listed twice counts once
        dictionary.categories[category] = list(seen.values())
    return dictionary


# --- LIWC .dic ---------------------------------------------------------------------------------


def _read_liwc(text: str, name: str, label: str) -> Dictionary:
    lines = text.splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip() == "%"]
    if len(marks) < 2:
        raise DictionaryError(f"{label}: a LIWC .dic starts with a '%' block listing categories")
    names: dict[str, str] = {}
    for i in range(marks[0] + 1, marks[1]):
        fields = lines[i].split("\t") if "\t" in lines[i] else lines[i].split(maxsplit=1)
        fields = [f.strip() for f in fields if f.strip()]
        if not fields:
            continue
        if len(fields) < 2 or not fields[0].isdigit():
            raise DictionaryError(f"{label}, line {i + 1}: expected 'number<tab>category'")
        number = fields[0].lstrip("0") or "0"  # "03" and "3" are one number
        if number in names:
            raise DictionaryError(
                f"{label}, line {i + 1}: category number {fields[0]} is given twice "
                f"({excerpt(names[number])} and {excerpt(fields[1])})"
            )
        if fields[1] in names.values():
            raise DictionaryError(
                f"{label}, line {i + 1}: category {excerpt(fields[1])} is given twice"
            )
        names[number] = fields[1]
    categories: dict[str, list[Pattern]] = {category: [] for category in names.values()}
    skipped = []
    for i in range(marks[1] + 1, len(lines)):
        line = lines[i].rstrip()
        if not line.strip():
            continue
        if "\t" in line:
            term, _, rest = line.partition("\t")
            ids = rest.split()
        else:
            fields = line.split()
            split = next((k for k, f in enumerate(fields) if _is_number(f)), len(fields))
            term, ids = " ".join(fields[:split]), fields[split:]
        if any(not f.isdigit() for f in ids):
            skipped.append(i + 1)  # LIWC's conditional entries, e.g. "like (02 134)125/464"
            continue
        if not ids:
            raise DictionaryError(f"{label}, line {i + 1}: {excerpt(term.strip())} has no category")
        for number in (f.lstrip("0") or "0" for f in ids):
            if number not in names:
                raise DictionaryError(
                    f"{label}, line {i + 1}: category {number} is not in the '%' header"
                )
            categories[names[number]].append(parse_pattern(term, where=f"{label}, line {i + 1}"))
    if skipped:
        shown = ", ".join(map(str, skipped[:5])) + (" ..." if len(skipped) > 5 else "")
        warnings.warn(
            f"{label}: {len(skipped)} conditional LIWC entries skipped (lines {shown})",
            UserWarning,
            stacklevel=3,
        )
    return _finish(Dictionary(name, {k: v for k, v in categories.items() if v}), label)


# --- Lexicoder .lc3 ----------------------------------------------------------------------------


def _read_lexicoder(text: str, name: str, label: str) -> Dictionary:
    categories: dict[str, list[Pattern]] = {}
    current = None
    for i, line in enumerate(text.splitlines(), 1):
        entry = line.strip()
        if not entry:
            continue
        if entry.startswith("+"):
            current = entry[1:].strip()
            if not current:
                raise DictionaryError(f"{label}, line {i}: '+' must be followed by a category")
            categories.setdefault(current, [])
        elif current is None:
            raise DictionaryError(f"{label}, line {i}: pattern before the first '+category' line")
        else:
            categories[current].append(parse_pattern(entry, where=f"{label}, line {i}"))
    empty = [category for category, patterns in categories.items() if not patterns]
    if empty:
        raise DictionaryError(f"{label}: category {excerpt(empty[0])} has no patterns")
    return _finish(Dictionary(name, categories), label)


# --- CSV / TSV: term,category[,weight] ---------------------------------------------------------

_HEADER = re.compile(r"^(term|pattern|word)$", re.IGNORECASE)


def _read_table(text: str, name: str, label: str, delimiter: str) -> Dictionary:
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    start, term_at, category_at, weight_at = 0, 0, 1, 2
    if rows and any(_HEADER.match(cell.strip()) for cell in rows[0]):
        header = [cell.strip().lower() for cell in rows[0]]
        term_at = next(i for i, h in enumerate(header) if _HEADER.match(h))
        columns = (header[term_at], "category", "weight")
        for cell in header:
            if cell and cell not in columns:
                raise DictionaryError(
                    f"{label}, line 1: unknown column {excerpt(cell)}"
                    f"{yamlfile.suggestion(cell, columns[1:])} (columns: term, category, weight)"
                )
        if "category" not in header:
            raise DictionaryError(f"{label}, line 1: the header has no 'category' column")
        category_at = header.index("category")
        weight_at = header.index("weight") if "weight" in header else None
        start = 1
    categories: dict[str, list[Pattern]] = {}
    for i, row in enumerate(rows[start:], start + 1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(term_at, category_at):
            raise DictionaryError(
                f"{label}, line {i}: expected term{delimiter}category[{delimiter}weight]"
            )
        weight = 1.0
        if weight_at is not None and len(row) > weight_at and row[weight_at].strip():
            if not _is_number(row[weight_at]):
                raise DictionaryError(
                    f"{label}, line {i}: weight {excerpt(row[weight_at])} is not a number"
                )
            weight = float(row[weight_at])
        category = row[category_at].strip()
        if not category:
            raise DictionaryError(f"{label}, line {i}: empty category")
        pattern = parse_pattern(row[term_at], weight, where=f"{label}, line {i}")
        categories.setdefault(category, []).append(pattern)
    return _finish(Dictionary(name, categories), label)
