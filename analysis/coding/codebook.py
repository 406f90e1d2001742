"""Codebooks: the variables people code, read from YAML and checked.

A codebook file has a ``codebook`` section (``name``, ``description``, optional ``source``)
and a ``variables`` mapping; each variable::

    tone:
      unit: paragraph          # article | paragraph | sentence | quote
      type: ordinal            # categorical | binary | ordinal | text
      label: Tone of the paragraph
      instructions: >-
        How does the paragraph describe the events: ...
      scale: {-2: very negative, -1: negative, 0: neutral, 1: positive, 2: very positive}
      examples: ["'a brutal crackdown' -> -2"]
      validates: {tone: compound}   # which measure of a run it checks (optional)

``categories`` (a list) goes with ``type: categorical``; ``scale`` (value: label, whole
numbers) with ``type: ordinal``; ``binary`` is 0 (no) or 1 (yes). ``level`` (nominal,
ordinal, interval) sets Krippendorff's metric; it defaults to nominal for categorical,
binary and text variables and ordinal for scales.

``validates`` names what a run measures that the variable can check:

- ``{frame: CATEGORY}``: the dictionary's frame (binary variables);
- ``{tone: compound}``: VADER's mean compound of the unit's sentences (ordinal);
- ``{actor_tone: ACTOR}``: the mean compound of the unit's sentences that mention the actor;
- ``{quote: direct}``: whether the sentence holds a direct quote (binary, sentence units);
- ``{quote: speaker}``: who speaks in it (text, sentence or quote units).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths, yamlfile

CODEBOOKS = paths.PACKAGE / "codebooks"
SHIPPED = {
    "seed_story": CODEBOOKS / "seed_story.yml",
    "policy_frames": CODEBOOKS / "policy_frames.yml",
}
"""The codebooks that ship with the package, by name."""

UNITS = ("article", "paragraph", "sentence", "quote")
TYPES = ("categorical", "binary", "ordinal", "text")
LEVELS = ("nominal", "ordinal", "interval")
VALIDATES = {
    "frame": ("binary",),
    "tone": ("ordinal",),
    "actor_tone": ("ordinal",),
    "quote": ("binary", "text"),
}
BINARY_LABELS = {0: "no", 1: "yes"}
_VARIABLE_KEYS = (
    "unit",
    "type",
    "label",
    "instructions",
    "categories",
    "scale",
    "examples",
    "level",
    "validates",
)


class CodebookError(ValueError):
    """A codebook that cannot be used; the message names the file and the variable."""


@dataclass(frozen=True)
class Variable:
    """One coded variable.

    ``values`` are the allowed codes in order (categories, scale values, or 0 and 1), and
    ``labels`` their labels (the categories themselves, the scale's labels, no/yes); both are
    empty for a text variable.
    """

    name: str
    unit: str
    type: str
    label: str
    instructions: str
    values: tuple = ()
    labels: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    level: str = "nominal"
    validates: dict = field(default_factory=dict)

    @property
    def choices(self) -> tuple[str, ...]:
        """What a coder picks in a sheet's drop-down: the categories, or ``"2 = positive"``
        for a scale value and ``"1 = yes"`` for a binary one."""
        if self.type == "categorical":
            return tuple(self.values)
        return tuple(f"{value} = {label}" for value, label in zip(self.values, self.labels))


@dataclass(frozen=True)
class Codebook:
    """A named list of variables (:func:`read_codebook`)."""

    name: str
    description: str
    variables: tuple[Variable, ...]
    source: str = ""
    path: str = ""

    def __getitem__(self, name: str) -> Variable:
        for variable in self.variables:
            if variable.name == name:
                return variable
        raise KeyError(name)

    @property
    def units(self) -> tuple[str, ...]:
        """The units its variables are coded at, in :data:`UNITS` order."""
        used = {v.unit for v in self.variables}
        return tuple(u for u in UNITS if u in used)

    def at(self, unit: str) -> tuple[Variable, ...]:
        """The variables coded at ``unit``."""
        return tuple(v for v in self.variables if v.unit == unit)

    @property
    def levels(self) -> dict[str, str]:
        """``{variable: level}`` of every variable but the free-text ones."""
        return {v.name: v.level for v in self.variables if v.type != "text"}

    @property
    def orders(self) -> dict[str, list]:
        """``{variable: scale values in order}`` of the ordinal and interval variables."""
        return {v.name: list(v.values) for v in self.variables if v.level != "nominal"}


def read_codebook(source: str | Path) -> Codebook:
    """Read and check a codebook file, or a shipped codebook by name (:data:`SHIPPED`).

    Raises
    ------
    CodebookError
        Naming the file and the variable: no variables, an unknown key (with the closest
        known one), an unknown unit, type or level, a categorical variable without
        categories or with repeated ones, a scale whose values are not whole numbers, a
        ``validates`` link that does not fit the variable's type; a file over 10 MB, not
        UTF-8, or using YAML aliases.
    """
    path = SHIPPED.get(str(source), Path(source))
    label = str(path)

    def fail(message: str) -> CodebookError:
        return CodebookError(f"{label}: {message}")

    data = yamlfile.load(path, fail)
    if not isinstance(data, dict):
        raise fail("expected a mapping with 'codebook' and 'variables' keys")
    for problem in yamlfile.unknown_keys(data, ("codebook", "variables")):
        raise fail(problem)
    head = data.get("codebook") or {}
    if not isinstance(head, dict):
        raise fail("codebook: expected a mapping with name, description and source")
    for problem in yamlfile.unknown_keys(head, ("name", "description", "source")):
        raise fail(f"codebook: {problem}")
    specs = data.get("variables")
    if not isinstance(specs, dict) or not specs:
        raise fail("variables: expected a mapping of variable names to their definitions")
    variables = tuple(_variable(str(name), spec, fail) for name, spec in specs.items())
    return Codebook(
        name=str(head.get("name", path.stem)),
        description=str(head.get("description", "")).strip(),
        variables=variables,
        source=str(head.get("source", "")).strip(),
        path=label,
    )


def _variable(name: str, spec, fail) -> Variable:
    where = f"variables.{yamlfile.shorten(name)}"
    if not name.isidentifier():
        raise fail(f"{where}: a variable name is letters, digits and _ (it becomes a column)")
    if not isinstance(spec, dict):
        raise fail(f"{where}: expected a mapping with unit, type, label and instructions")
    for problem in yamlfile.unknown_keys(spec, _VARIABLE_KEYS):
        raise fail(f"{where}: {problem}")
    unit, kind = spec.get("unit"), spec.get("type")
    if unit not in UNITS:
        raise fail(f"{where}.unit: {yamlfile.excerpt(unit)} is not one of {', '.join(UNITS)}")
    if kind not in TYPES:
        raise fail(f"{where}.type: {yamlfile.excerpt(kind)} is not one of {', '.join(TYPES)}")
    for key in ("label", "instructions"):
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            raise fail(f"{where}.{key}: expected a non-empty text")
    values, labels = _values(kind, spec, where, fail)
    level = spec.get("level", "ordinal" if kind == "ordinal" else "nominal")
    if level not in LEVELS:
        raise fail(f"{where}.level: {yamlfile.excerpt(level)} is not one of {', '.join(LEVELS)}")
    if level != "nominal" and kind != "ordinal":
        raise fail(f"{where}.level: only a scale (type: ordinal) can be {level}")
    examples = spec.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise fail(f"{where}.examples: expected a list of texts")
    return Variable(
        name=name,
        unit=unit,
        type=kind,
        label=spec["label"].strip(),
        instructions=" ".join(spec["instructions"].split()),
        values=values,
        labels=labels,
        examples=tuple(examples),
        level=level,
        validates=_validates(spec.get("validates"), kind, unit, where, fail),
    )


def _values(kind: str, spec: dict, where: str, fail) -> tuple[tuple, tuple]:
    categories, scale = spec.get("categories"), spec.get("scale")
    if kind != "categorical" and categories is not None:
        raise fail(f"{where}.categories: only a categorical variable has categories")
    if kind != "ordinal" and scale is not None:
        raise fail(f"{where}.scale: only an ordinal variable has a scale")
    if kind == "binary":
        return tuple(BINARY_LABELS), tuple(BINARY_LABELS.values())
    if kind == "categorical":
        if not isinstance(categories, list) or len(categories) < 2:
            raise fail(f"{where}.categories: expected a list of at least two categories")
        names = [str(c).strip() for c in categories]
        repeated = sorted({n for n in names if names.count(n) > 1 or not n})
        if repeated:
            raise fail(f"{where}.categories: empty or repeated: {', '.join(map(repr, repeated))}")
        return tuple(names), tuple(names)
    if kind == "ordinal":
        if not isinstance(scale, dict) or len(scale) < 2:
            raise fail(f"{where}.scale: expected a mapping of whole numbers to labels")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in scale):
            raise fail(f"{where}.scale: the values must be whole numbers (-2, 0, 3), not labels")
        ordered = sorted(scale)
        return tuple(ordered), tuple(str(scale[v]).strip() for v in ordered)
    return (), ()


def _validates(link, kind: str, unit: str, where: str, fail) -> dict:
    if link is None:
        return {}
    if not isinstance(link, dict) or len(link) != 1:
        raise fail(f"{where}.validates: expected one measure, e.g. {{frame: security}}")
    ((measure, target),) = link.items()
    if measure not in VALIDATES:
        raise fail(
            f"{where}.validates: {yamlfile.excerpt(measure)} is not one of "
            f"{', '.join(VALIDATES)}" + yamlfile.suggestion(measure, VALIDATES)
        )
    if kind not in VALIDATES[measure]:
        raise fail(f"{where}.validates: a {kind} variable cannot check {measure}")
    if measure == "quote":
        wanted = {"binary": "direct", "text": "speaker"}[kind]
        if target != wanted:
            raise fail(f"{where}.validates: a {kind} variable checks {{quote: {wanted}}}")
        if unit not in ("sentence", "quote"):
            raise fail(f"{where}.validates: quotes are checked at sentence or quote units")
    elif not isinstance(target, str) or not target.strip():
        raise fail(f"{where}.validates.{measure}: expected a name")
    return {measure: str(target).strip()}


def unmet_links(codebook: Codebook, *, frames, actors) -> list[str]:
    """What the codebook's ``validates`` links need that a run does not have: a frame
    category not in its dictionary (``frames``), an actor not in its actor file
    (``actors``); one message per variable, with what would fix it."""
    problems = []
    for variable in codebook.variables:
        for measure, target in variable.validates.items():
            if measure == "frame" and target not in frames:
                problems.append(
                    f"{variable.name} checks the frame {target!r}, which the run's dictionary "
                    f"does not have{yamlfile.suggestion(target, frames)} (give the run the "
                    "dictionary the codebook was written for, e.g. --dictionary policy_frames "
                    "for the policy_frames codebook)"
                )
            if measure == "actor_tone" and target not in actors:
                where = "actor file" if actors else "run (it has no actor file: --actors FILE)"
                problems.append(
                    f"{variable.name} checks the tone toward {target!r}, not an actor of the "
                    f"{where}"
                )
    return problems
