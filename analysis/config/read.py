"""Reading and checking a configuration: YAML, unknown keys, types, overrides."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import yaml

from analysis import yamlfile
from analysis.config.schema import SECTIONS, ConfigError, StudyConfig, schema
from analysis.yamlfile import excerpt


class Problems(list):
    """Problems found while checking a file, each with the line of its key when known."""

    def __init__(self, lines: dict[str, int] | None = None):
        super().__init__()
        self.lines = lines or {}

    def add(self, key: str, message: str) -> None:
        line = self.lines.get(key)
        where = f"line {line}: " if line else ""
        self.append(f"{where}{yamlfile.shorten(key)}: {message}")


def _compose(text: str, label: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML safely; return the data and the line of every dotted key.

    Raises ConfigError for invalid YAML and for a key repeated in one mapping.
    """
    fail = lambda message: ConfigError(message, label)  # noqa: E731
    root = yamlfile.compose(text, fail)
    data = yamlfile.construct(root, fail)
    lines: dict[str, int] = {}
    repeated = []

    def walk(node, prefix: str) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            if key in lines:
                repeated.append(f"line {key_node.start_mark.line + 1}: {key}: given twice")
            lines.setdefault(key, key_node.start_mark.line + 1)
            if not prefix:
                walk(value_node, f"{key}.")

    walk(root, "")
    if repeated:
        raise ConfigError(repeated, label)
    return data, lines


def _suggest(key: str, known: list[str]) -> str:
    """``"; did you mean X?"`` for the closest known key, or an empty string."""
    if len(key) > 200:
        return ""
    name = key.rsplit(".", 1)[-1]
    by_name = {k.rsplit(".", 1)[-1]: k for k in reversed(known)}
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    if not close:
        close = [by_name[n] for n in difflib.get_close_matches(name, list(by_name), n=1)]
    return f"; did you mean {close[0]}?" if close else ""


def _describe(value: Any) -> str:
    return f"{excerpt(value)} ({type(value).__name__})"


_KIND_NAMES = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "path": "a path (string)",
    "dictionary": "a dictionary file or built-in name (string)",
    "list[str]": "a list of strings",
    "list[enum]": "a list",
    "list[figure]": "a list of figure names",
}


def _expected(meta: Mapping) -> str:
    """What a key accepts, in words, for error messages."""
    kind = meta["kind"]
    if "choices" in meta and kind in ("enum", "int"):
        text = "one of " + ", ".join(map(str, meta["choices"]))
    elif kind == "list[enum]":
        text = "a list of " + ", ".join(meta["choices"])
    else:
        text = _KIND_NAMES[kind]
    low, high = meta.get("length", (None, None))
    if low is not None and low == high:
        text += f" of exactly {low}"
    if "minimum" in meta:
        text += f" >= {meta['minimum']}"
    if "above" in meta and "below" in meta:
        text += f" between {meta['above']} and {meta['below']} (exclusive)"
    elif "above" in meta:
        text += f" > {meta['above']}"
    if meta.get("optional"):
        text += ", or null"
    return text


def _is_builtin_dictionary(value: str) -> bool:
    from analysis.lexicon import builtin_dictionaries

    return "/" not in value and "\\" not in value and value in builtin_dictionaries()


def _convert(key: str, value: Any, meta: Mapping, base: Path) -> Any:
    """Check ``value`` against the key's schema and convert it (lists to tuples, paths
    resolved against ``base``). Raises ValueError with the message for the key."""
    kind = meta["kind"]
    if value is None:
        if meta.get("optional"):
            return None
        raise ValueError(f"expected {_expected(meta)}, got null")
    wrong = ValueError(f"expected {_expected(meta)}, got {_describe(value)}")
    if kind == "bool":
        if not isinstance(value, bool):
            raise wrong
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise wrong
        value = float(value)
    elif kind in ("str", "enum", "path", "dictionary"):
        if isinstance(value, Path) and kind in ("path", "dictionary"):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise wrong
    elif kind.startswith("list["):
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise wrong
        low, high = meta.get("length", (None, None))
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            raise wrong
        seen: set[str] = set()
        for v in value:  # linear: a list of 160,000 groups is checked at once
            if v in seen:
                raise ValueError(f"{excerpt(v)} is listed twice")
            seen.add(v)
        value = tuple(value)
    choices = meta.get("choices")
    if choices is not None:
        bad = [v for v in (value if kind == "list[enum]" else (value,)) if v not in choices]
        if bad:
            hint = difflib.get_close_matches(str(bad[0]), [str(c) for c in choices], n=1)
            did = f"; did you mean {hint[0]}?" if hint else ""
            raise ValueError(f"expected {_expected(meta)}, got {_describe(bad[0])}{did}")
    if kind == "list[figure]":
        from analysis.figures import REGISTRY

        bad = [v for v in value if v not in REGISTRY]
        if bad:
            hint = difflib.get_close_matches(bad[0], list(REGISTRY), n=1)
            did = f"; did you mean {hint[0]}?" if hint else ""
            names = ", ".join(REGISTRY)
            raise ValueError(f"no figure named {excerpt(bad[0])}{did} (figures: {names})")
    if ("minimum" in meta and value < meta["minimum"]) or (
        ("above" in meta and value <= meta["above"]) or ("below" in meta and value >= meta["below"])
    ):
        raise wrong
    if kind == "path" or (kind == "dictionary" and not _is_builtin_dictionary(value)):
        return (base / Path(value).expanduser()).resolve()
    return value


def _check_consistency(config: StudyConfig, problems: Problems) -> None:
    """Checks across keys: the pair is among the compared groups; a scheduler address
    needs the dask engine."""
    pair, groups = config.compare.pair, config.compare.groups
    if pair and groups:
        outside = [g for g in pair if g not in groups]
        if outside:
            problems.add("compare.pair", f"{excerpt(outside[0])} is not one of compare.groups")
    if config.compute.scheduler is not None and config.compute.engine != "dask":
        problems.add(
            "compute.scheduler",
            f"set to {excerpt(config.compute.scheduler)}, but compute.engine is "
            f"{config.compute.engine!r}: a scheduler address needs engine dask",
        )


def from_mapping(data: Any, *, base: str | Path = ".", source: str | Path | None = None):
    """Check a parsed configuration mapping and build a :class:`StudyConfig`.

    Parameters
    ----------
    data : mapping
        Sections as in the YAML file. ``corpus.path`` is required.
    base : path
        Folder that relative paths are resolved against (the config file's folder).
    source : path, optional
        Where ``data`` came from, for messages and :attr:`StudyConfig.source`.

    Returns
    -------
    StudyConfig

    Raises
    ------
    ConfigError
        Listing every unknown key, wrong type or value, and a missing ``corpus.path``.
    """
    return _build(data, base=Path(base), source=source, lines={})


def _build(data: Any, *, base: Path, source, lines: dict[str, int]) -> StudyConfig:
    problems = Problems(lines)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"expected a mapping of sections ({', '.join(SECTIONS)}), got {_describe(data)}",
            source,
        )
    known = list(schema())
    sections = {}
    for name, body in data.items():
        name = str(name)
        if name not in SECTIONS:
            problems.add(name, "unknown key" + _suggest(name, list(SECTIONS) + known))
            continue
        if body is None:
            body = {}
        if not isinstance(body, Mapping):
            problems.add(name, f"expected a mapping of keys, got {_describe(body)}")
            continue
        values = {}
        metas = {f.name: f.metadata for f in fields(SECTIONS[name])}
        for key, value in body.items():
            dotted = f"{name}.{key}"
            if key not in metas:
                problems.add(dotted, "unknown key" + _suggest(dotted, known))
                continue
            try:
                values[key] = _convert(dotted, value, metas[key], base)
            except ValueError as error:
                problems.add(dotted, str(error))
        sections[name] = SECTIONS[name](**values)
    if "corpus.path" not in _problem_keys(problems) and (
        "corpus" not in sections or sections["corpus"].path is None
    ):
        problems.add("corpus.path", "required: the corpus this study analyses")
    config = StudyConfig(**sections, source=None if source is None else Path(source))
    _check_consistency(config, problems)
    if problems:
        raise ConfigError(sorted(problems, key=_line_number), source)
    return config


def _line_number(problem: str) -> int:
    """The line a problem message starts with (``line N: ...``), 0 when it has none."""
    return int(problem.split(":", 1)[0][5:]) if problem.startswith("line ") else 0


def _problem_keys(problems: list[str]) -> set[str]:
    """The dotted keys that ``problems`` (messages ``[line N: ]key: ...``) are about."""
    keys = set()
    for problem in problems:
        text = problem.split(": ", 1)[1] if problem.startswith("line ") else problem
        keys.add(text.split(":", 1)[0])
    return keys


def load_config(path: str | Path) -> StudyConfig:
    """Read and check a study configuration file.

    Parameters
    ----------
    path : path
        A YAML file (see ``config/seed-study.yml`` for every key, documented).

    Returns
    -------
    StudyConfig
        Paths resolved relative to the file's folder; lists as tuples.

    Raises
    ------
    ConfigError
        The file cannot be read, is not valid YAML, repeats a key, or has an unknown key, a
        value of the wrong type or a missing ``corpus.path``; every problem is listed with
        its line and dotted key.
    """
    path = Path(path)
    text = yamlfile.read_settings_text(path, lambda message: ConfigError(message, path))
    data, lines = _compose(text, str(path))
    return _build(data, base=path.resolve().parent, source=path, lines=lines)


def merge_overrides(
    config: StudyConfig, overrides: Mapping[str, Any], *, base: str | Path | None = None
) -> StudyConfig:
    """Apply values given on the command line over a configuration.

    Parameters
    ----------
    config : StudyConfig
        From :func:`load_config`, or ``StudyConfig()`` for the defaults.
    overrides : mapping
        Dotted key (``"resampling.n_resamples"``) -> value. A value of None means "not
        given" and leaves the configuration's value. Values are checked like the file's.
        A new ``output.out`` without ``output.figures`` moves the figures too, to
        ``OUT/figures`` (as on the command line without a file), so that ``--out`` never
        leaves figures in the folder the file names.
    base : path, optional
        Folder relative override paths are resolved against (default: the working
        directory, where the command was typed).

    Returns
    -------
    StudyConfig
        A new configuration; ``config`` is unchanged.

    Raises
    ------
    ConfigError
        An unknown key or a value of the wrong type, naming the key.
    """
    base = Path.cwd() if base is None else Path(base)
    known = schema()
    problems = Problems()
    changed: dict[str, dict[str, Any]] = {}
    for dotted, value in overrides.items():
        if value is None:
            continue
        if dotted not in known:
            problems.add(dotted, "unknown key" + _suggest(dotted, list(known)))
            continue
        try:
            converted = _convert(dotted, value, known[dotted], base)
        except ValueError as error:
            problems.add(dotted, str(error))
            continue
        section, key = dotted.split(".", 1)
        changed.setdefault(section, {})[key] = converted
    output = changed.get("output", {})
    if "out" in output and "figures" not in output:
        output["figures"] = None  # one output folder: figures go to OUT/figures
    sections = {name: replace(getattr(config, name), **values) for name, values in changed.items()}
    merged = replace(config, **sections)
    _check_consistency(merged, problems)
    if problems:
        raise ConfigError(list(problems))
    return merged
