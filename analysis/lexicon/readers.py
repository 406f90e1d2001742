"""Reading dictionaries: YAML, JSON, LIWC ``.dic``, Lexicoder ``.lc3`` and CSV.

Every format is read into one :class:`~analysis.lexicon.model.Dictionary`. Errors name the
file and the line (or, for JSON structure, the key path). Files are read through
:mod:`analysis.yamlfile`: at most 10 MB, UTF-8 only (a bad byte is an error naming its
line), YAML with the safe loader and no aliases. A file with a ``dictionary`` key may have
only ``dictionary`` and ``meta`` beside it; a ``meta`` without ``dictionary`` is an error
(a misspelt ``dictionary`` would otherwise become a category).
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from pathlib import Path

import yaml

from analysis import paths, yamlfile
from analysis.lexicon.model import Dictionary, DictionaryError, Pattern, parse_pattern
from analysis.yamlfile import excerpt

BUILTIN = paths.PACKAGE / "lexicons"
FORMATS = (".yml", ".yaml", ".json", ".dic", ".lc3", ".csv", ".tsv")
TOP_KEYS = ("dictionary", "meta")


def builtin_dictionaries() -> list[str]:
    """Names of the dictionaries shipped in ``analysis/lexicons/`` (not the actor and
    speaker lists)."""
    lists = ("actors_", "speaker")
    return sorted(p.stem for p in BUILTIN.glob("*.yml") if not p.stem.startswith(lists))


def read_dictionary(source: str | Path | dict, *, name: str | None = None) -> Dictionary:
    """Read a dictionary from a file, a built-in name, or an already-parsed mapping.

    Parameters
    ----------
    source : path, str or dict
        A ``.yml``/``.yaml``, ``.json``, LIWC ``.dic``, Lexicoder ``.lc3`` or ``.csv``/``.tsv``
        file; or the name of a built-in dictionary (``"policy_frames"``, see
        :func:`builtin_dictionaries`); or a mapping in the YAML layout.
    name : str, optional
        The dictionary's name (default: the file's stem).

    Returns
    -------
    Dictionary

    Raises
    ------
    DictionaryError
        The file is missing, of an unknown format, or malformed; the message names the file
        and the line.
    """
    if isinstance(source, dict):
        return _from_mapping(source, name or "dictionary", "<dict>")
    path = Path(source)
    if not path.exists() and path.suffix == "" and (BUILTIN / f"{source}.yml").exists():
        path = BUILTIN / f"{source}.yml"
    if not path.is_file():
        known = ", ".join(builtin_dictionaries())
        raise DictionaryError(f"{source}: no such file, nor a built-in dictionary ({known})")
    suffix = path.suffix.lower()
    label = str(path)
    name = name or path.stem
    text = yamlfile.read_settings_text(path, lambda message: _error(label, message))
    if suffix in (".yml", ".yaml"):
        return _read_yaml(text, name, label)
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DictionaryError(
                f"{label}, line {error.lineno}: not valid JSON ({error.msg})"
            ) from None
        return _from_mapping(data, name, label)
    if suffix == ".dic":
        return _read_liwc(text, name, label)
    if suffix == ".lc3":
        return _read_lexicoder(text, name, label)
    if suffix in (".csv", ".tsv"):
        return _read_table(text, name, label, "\t" if suffix == ".tsv" else ",")
    raise DictionaryError(
        f"{label}: unknown dictionary format {suffix!r}; expected one of {FORMATS}"
    )


# --- YAML: walk the node tree, so errors can name lines --------------------------------------


def _error(label: str, message: str) -> DictionaryError:
    """``label, line N: ...`` (the house style of dictionary errors)."""
    if message.startswith("line "):
        return DictionaryError(f"{label}, {message}")
    return DictionaryError(f"{label}: {message}")


def _check_top_keys(keys, label: str, line=lambda key: "") -> None:
    """With a ``dictionary`` key only ``meta`` may sit beside it; ``meta`` needs one."""
    keys = [str(k) for k in keys]
    if "dictionary" in keys:
        for key in keys:
            if key not in TOP_KEYS:
                raise DictionaryError(
                    f"{label}{line(key)}: unknown key {excerpt(key)}"
                    f"{yamlfile.suggestion(key, TOP_KEYS)} (beside 'dictionary' only 'meta' "
                    "is allowed)"
                )
    elif "meta" in keys:
        others = [k for k in keys if k != "meta"]
        close = [k for k in others if yamlfile.suggestion(k, ["dictionary"])]
        hint = f"; is {excerpt(close[0])} a misspelt 'dictionary'?" if close else ""
        raise DictionaryError(
            f"{label}{line('meta')}: 'meta' needs a 'dictionary' key beside it{hint}"
        )


def _read_yaml(text: str, name: str, label: str) -> Dictionary:
    root = yamlfile.compose(text, lambda message: _error(label, message))
    if not isinstance(root, yaml.MappingNode):
        raise DictionaryError(f"{label}: expected a mapping of categories to patterns")
    _check_tags(root, label)
    keys = {k.value: v for k, v in root.value}
    lines = {k.value: f", {_line(k)}" for k, _ in root.value}
    _check_top_keys(keys, label, lambda key: lines.get(key, ""))
    meta: dict[str, str] = {}
    body = root
    if "dictionary" in keys:
        body = keys["dictionary"]
        meta_node = keys.get("meta")
        if isinstance(meta_node, yaml.MappingNode):
            meta = {
                k.value: str(v.value) for k, v in meta_node.value if isinstance(v, yaml.ScalarNode)
            }
    categories: dict[str, list[Pattern]] = {}
    _walk_yaml(body, "", categories, label)
    return _finish(Dictionary(name, categories, meta), label)


def _line(node) -> str:
    return f"line {node.start_mark.line + 1}"


_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}


def _check_tags(node, label: str) -> None:
    """Refuse YAML tags outside the standard ones (``!!python/...`` and the like)."""
    if node.tag not in _STANDARD_TAGS:
        raise DictionaryError(
            f"{label}, {_line(node)}: YAML tag {excerpt(node.tag)} is not allowed"
        )
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _check_tags(key, label)
            _check_tags(value, label)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_tags(item, label)


def _walk_yaml(node, prefix: str, out: dict, label: str) -> None:
    if not isinstance(node, yaml.MappingNode):
        raise DictionaryError(f"{label}, {_line(node)}: expected categories (a mapping)")
    seen: set[str] = set()
    for key, value in node.value:
        category = f"{prefix}{key.value}"
        if key.value in seen:
            raise DictionaryError(
                f"{label}, {_line(key)}: category {excerpt(category)} appears twice"
            )
        seen.add(key.value)
        numbers = (
            [isinstance(v, yaml.ScalarNode) and _is_number(v.value) for _, v in value.value]
            if isinstance(value, yaml.MappingNode)
            else []
        )
        if any(numbers) and not all(numbers):
            raise DictionaryError(
                f"{label}, {_line(value)}: category {excerpt(category)} mixes 'pattern: weight' "
                "entries with other values; every weight must be a number"
            )
        if isinstance(value, yaml.SequenceNode):
            out[category] = [_yaml_entry(item, label) for item in value.value]
        elif isinstance(value, yaml.MappingNode) and all(
            isinstance(v, yaml.ScalarNode) and _is_number(v.value) for _, v in value.value
        ):
            out[category] = [
                parse_pattern(k.value, float(v.value), where=f"{label}, {_line(k)}")
                for k, v in value.value
            ]
        elif isinstance(value, yaml.MappingNode):
            _walk_yaml(value, f"{category}.", out, label)
        elif isinstance(value, yaml.ScalarNode) and value.value:
            out[category] = [parse_pattern(value.value, where=f"{label}, {_line(value)}")]
        else:
            raise DictionaryError(
                f"{label}, {_line(value)}: category {excerpt(category)} has no patterns"
            )


def _yaml_entry(item, label: str) -> Pattern:
    where = f"{label}, {_line(item)}"
    if isinstance(item, yaml.ScalarNode):
        return parse_pattern(item.value, where=where)
    if isinstance(item, yaml.MappingNode) and len(item.value) == 1:
        ((key, value),) = item.value
        if isinstance(value, yaml.ScalarNode) and _is_number(value.value):
            return parse_pattern(key.value, float(value.value), where=where)
    raise DictionaryError(f"{where}: expected a pattern, or 'pattern: weight'")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


# --- JSON (and dicts): the same layout, errors name the key path ------------------------------


def _from_mapping(data, name: str, label: str) -> Dictionary:
    if not isinstance(data, dict):
        raise DictionaryError(f"{label}: expected a mapping of categories to patterns")
    meta = {}
    _check_top_keys(data, label)
    if "dictionary" in data:
        meta = {k: str(v) for k, v in (data.get("meta") or {}).items()}
        data = data["dictionary"]
    categories: dict[str, list[Pattern]] = {}
    _walk_mapping(data, "", categories, label)
    return _finish(Dictionary(name, categories, meta), label)


def _walk_mapping(data, prefix: str, out: dict, label: str) -> None:
    if not isinstance(data, dict):
        raise DictionaryError(f"{label}, {prefix.rstrip('.') or 'top level'}: expected categories")
    for key, value in data.items():
        category = f"{prefix}{key}"
        where = f"{label}, {category}"
        if isinstance(value, list):
            out[category] = [_mapping_entry(item, f"{where}[{i}]") for i, item in enumerate(value)]
        elif (
            isinstance(value, dict)
            and value
            and all(isinstance(v, (int, float)) for v in value.values())
        ):
            out[category] = [parse_pattern(k, v, where=where) for k, v in value.items()]
        elif isinstance(value, dict):
            _walk_mapping(value, f"{category}.", out, label)
        elif isinstance(value, str) and value:
            out[category] = [parse_pattern(value, where=where)]
        else:
            raise DictionaryError(f"{where}: category has no patterns")


def _mapping_entry(item, where: str) -> Pattern:
    if isinstance(item, str):
        return parse_pattern(item, where=where)
    if isinstance(item, dict) and len(item) == 1:
        ((key, value),) = item.items()
        if isinstance(value, (int, float)):
            return parse_pattern(key, value, where=where)
    raise DictionaryError(f"{where}: expected a pattern, or {{pattern: weight}}")


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


def _finish(dictionary: Dictionary, label: str) -> Dictionary:
    if not dictionary.categories:
        raise DictionaryError(f"{label}: no categories found")
    for category, patterns in dictionary.categories.items():
        seen: dict[str, Pattern] = {}
        for pattern in patterns:
            seen.setdefault(pattern.text, pattern)  # a pattern listed twice counts once
        dictionary.categories[category] = list(seen.values())
    return dictionary
