"""Reading dictionaries: YAML, JSON, LIWC ``.dic``, Lexicoder ``.lc3`` and CSV.

Every format is read into one :class:`~analysis.lexicon.model.Dictionary`. Errors name the
file and the line (or, for JSON structure, the key path). Files are read through
:mod:`analysis.yamlfile`: at most 10 MB, UTF-8 only (a bad byte is an error naming its
line), YAML with the safe loader and no aliases. A file with a ``dictionary`` key may have
only ``dictionary`` and ``meta`` beside it; a ``meta`` without ``dictionary`` is an error
(a misspelt ``dictionary`` would otherwise become a category).

YAML and JSON (the nested layout) are read here; the word-list formats (LIWC, Lexicoder,
CSV) in :mod:`analysis.lexicon.wordlists`.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from analysis import paths, yamlfile
from analysis.lexicon.model import Dictionary, DictionaryError, Pattern, parse_pattern
from analysis.lexicon.wordlists import (
    _finish,
    _is_number,
    _read_lexicoder,
    _read_liwc,
    _read_table,
)
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
