"""The package's dependency rules (DESIGN.md, "The package"), asserted on its source.

Every module under ``analysis/`` is parsed with :mod:`ast`; every import of an ``analysis``
module counts, at the top of a file or inside a function (a lazy import is still a
dependency: it only hides a cycle until the function runs). An import of a submodule is an
edge to that submodule (``from analysis.corpus import tables`` and ``import
analysis.corpus.tables`` -> ``analysis.corpus.tables``), an import of a name from a package
an edge to the package's ``__init__`` (``from analysis.corpus import Corpus`` ->
``analysis.corpus``).

The rules:

- no import cycles at all;
- no module imports a module of a higher layer (:data:`LAYERS`): a module may import the
  modules of lower layers and those of its own layer;
- measures do not import one another (DESIGN.md, "Measures": where one combines two, it
  takes both tables as arguments), although they share a layer;
- every module is in a layer.
"""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from analysis import paths

# The layers, lowest first. A module belongs to the layer of its top-level name under
# analysis/ ("corpus" for analysis/corpus/readers.py, "__init__" for analysis/__init__.py).
LAYERS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "foundations",
        "Where things live, the table registry, the declaration of settings, progress bars, "
        "the run's warnings, YAML files, output folders and staging: they import nothing "
        "above them.",
        (
            "__init__",
            "paths",
            "registry",
            "settings",
            "progress",
            "notices",
            "yamlfile",
            "outputs",
            "staging",
        ),
    ),
    (
        "words",
        "The one tokenizer, a function of text alone: the corpus summary counts words with "
        "it, so it sits below the corpus.",
        ("tokens",),
    ),
    (
        "corpus",
        "Reading, validating and reconciling articles (ids, outlets).",
        ("corpus",),
    ),
    (
        "text",
        "Boilerplate removal with its audit, and sentences with their voice and position.",
        ("clean", "segment"),
    ),
    (
        "statistics",
        "Every interval and test: resampling units, seeds per cell, calibration, FDR.",
        ("stats",),
    ),
    (
        "measures",
        "One measure each (feature tables from articles and sentences), independent of one "
        "another; the last three are the ones DESIGN.md announces.",
        (
            "sentiment",
            "lexicon",
            "terms",
            "quotes",
            "actors",
            "groups",
            "topics",
            "stories",
            "timeline",
        ),
    ),
    (
        "human coding",
        "Codebooks, coding sheets, reliability, and every measure checked against the "
        "coders: it reads the measures' tables and scores units with their functions, so it "
        "sits above them (DESIGN.md lists it among the measures; it measures none). The "
        "classifier learns from the codes and reads the dictionary's counts as features, so "
        "it sits here too.",
        ("coding", "classify"),
    ),
    (
        "measure registry",
        "The Measure objects (map over a partition, reduce over the partials) that wrap the "
        "measures, combine them where a table needs two (actor tone) and list them.",
        ("measure", "measures"),
    ),
    (
        "engine",
        "Partitions, the map over them (local cores or Dask), the reduce, output files.",
        ("engine",),
    ),
    (
        "figures",
        "Axes-level plots, and one function per publication figure with their registry.",
        ("plots", "figures"),
    ),
    (
        "reading",
        "The manifest, methods text and report.html; explorer.html; words in context.",
        ("concordance", "report", "explorer"),
    ),
    (
        "study file",
        "The study file: its schema (derived from the settings), reading and checking it.",
        ("config",),
    ),
    (
        "main job",
        "The main job: corpus to tables, figures and report.",
        ("pipeline",),
    ),
    (
        "entry points",
        "The command line and the notebooks' study: they call the main job.",
        ("study", "__main__"),
    ),
]

MEASURES_LAYER = "measures"

LAYER_OF: dict[str, int] = {
    name: number for number, (_, _, names) in enumerate(LAYERS) for name in names
}


@dataclass(frozen=True)
class Import:
    """One import of an ``analysis`` module."""

    source: str
    target: str
    path: Path
    line: int
    lazy: bool

    def where(self) -> str:
        place = f"{self.path.relative_to(paths.ROOT)}:{self.line}"
        return f"{place}, inside a function" if self.lazy else place


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(paths.PACKAGE.rglob("*.py")):
        parts = path.relative_to(paths.PACKAGE.parent).with_suffix("").parts
        if "__pycache__" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def top_name(module: str) -> str:
    """The layer key of a module: its top-level name under ``analysis``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _resolve(name: str, modules: dict[str, Path]) -> str:
    """The module an import of ``name`` loads: the longest known prefix."""
    parts = name.split(".")
    while parts and ".".join(parts) not in modules:
        parts.pop()
    return ".".join(parts) or "analysis"


def _targets(node: ast.AST, module: str, path: Path, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [
            _resolve(alias.name, modules)
            for alias in node.names
            if alias.name.split(".")[0] == "analysis"
        ]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = package[: len(package) - node.level + 1]
        origin = ".".join(base + ([node.module] if node.module else []))
    else:
        origin = node.module or ""
    if origin.split(".")[0] != "analysis":
        return []
    targets = []
    for alias in node.names:
        submodule = f"{origin}.{alias.name}"
        targets.append(submodule if submodule in modules else _resolve(origin, modules))
    return targets


class _Visitor(ast.NodeVisitor):
    def __init__(self, module: str, path: Path, modules: dict[str, Path]):
        self.module, self.path, self.modules = module, path, modules
        self.depth = 0
        self.found: list[Import] = []

    def _function(self, node) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _import(self, node) -> None:
        for target in _targets(node, self.module, self.path, self.modules):
            if target != self.module:
                self.found.append(
                    Import(self.module, target, self.path, node.lineno, self.depth > 0)
                )

    visit_Import = visit_ImportFrom = _import


def imports() -> list[Import]:
    """Every import of an ``analysis`` module by an ``analysis`` module."""
    modules = module_files()
    found = []
    for module, path in modules.items():
        visitor = _Visitor(module, path, modules)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found.extend(visitor.found)
    return found


def graph(edges: list[Import]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {module: set() for module in module_files()}
    for edge in edges:
        out[edge.source].add(edge.target)
    return out


def strongly_connected(adjacent: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module (or a loop)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(adjacent.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in adjacent.get(node, ()):
                components.append(sorted(component))

    for node in sorted(adjacent):
        if node not in index:
            visit(node)
    return components


def shortest_cycle(adjacent: dict[str, set[str]], start: str, within: set[str]) -> list[str]:
    """The shortest import path from ``start`` back to itself within one component."""
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(adjacent[node] & within):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return []


def cycles(adjacent: dict[str, set[str]]) -> list[list[str]]:
    """For each import cycle, the shortest loop through each of its modules, without
    repeats (the same loop found from another of its modules)."""
    found, seen = [], set()
    for component in strongly_connected(adjacent):
        for start in component:
            loop = shortest_cycle(adjacent, start, set(component))
            key = frozenset(zip(loop, loop[1:]))
            if loop and key not in seen:
                seen.add(key)
                first = loop.index(min(loop[:-1]))  # read from its first module by name
                found.append([*loop[first:-1], *loop[:first], loop[first]])
    return found


def _layer(module: str) -> str:
    number = LAYER_OF[top_name(module)]
    return f"layer {number} {LAYERS[number][0]}"


# the parser itself


def test_the_parser_finds_lazy_and_relative_imports():
    modules = {
        "analysis": Path("analysis/__init__.py"),
        "analysis.a": Path("analysis/a/__init__.py"),
        "analysis.a.b": Path("analysis/a/b.py"),
        "analysis.c": Path("analysis/c.py"),
    }
    source = (
        "import numpy\n"
        "from . import b\n"
        "from analysis.c import thing\n"
        "def f():\n"
        "    import analysis.a.b\n"
        "    from ..c import other\n"
    )
    visitor = _Visitor("analysis.a.x", Path("analysis/a/x.py"), modules)
    visitor.visit(ast.parse(source))
    assert [(found.target, found.lazy) for found in visitor.found] == [
        ("analysis.a.b", False),
        ("analysis.c", False),
        ("analysis.a.b", True),
        ("analysis.c", True),
    ]


def test_cycles_are_read_from_their_first_module():
    adjacent = {"b": {"c"}, "c": {"a"}, "a": {"b"}, "d": {"a"}, "e": {"e"}}
    assert cycles(adjacent) == [["a", "b", "c", "a"], ["e", "e"]]


def test_the_package_is_parsed_and_the_layers_are_distinct():
    assert any(found.source == "analysis.pipeline" for found in imports())
    names = [name for _, _, layer in LAYERS for name in layer]
    assert len(names) == len(set(names)), "a name is in two layers"


# the rules


def test_every_module_is_in_a_layer():
    missing = sorted(
        f"{path.relative_to(paths.ROOT)} ({top_name(module)!r})"
        for module, path in module_files().items()
        if top_name(module) not in LAYER_OF
    )
    assert not missing, (
        "modules in no layer: "
        + "; ".join(missing)
        + ". Add each name to LAYERS at the top of tests/test_architecture.py: in the layer "
        "of what it is (a new measure in 'measures'), above every module it imports."
    )


def test_no_import_cycles():
    found = cycles(graph(imports()))
    assert not found, "import cycles (lazy imports included):\n" + "\n".join(
        " -> ".join(loop) for loop in found
    )


def test_no_module_imports_upward():
    upward = [
        f"{e.source} -> {e.target} ({_layer(e.source)} -> {_layer(e.target)}; {e.where()})"
        for e in imports()
        if top_name(e.source) in LAYER_OF
        and top_name(e.target) in LAYER_OF
        and LAYER_OF[top_name(e.target)] > LAYER_OF[top_name(e.source)]
    ]
    assert not upward, "imports of a higher layer:\n" + "\n".join(upward)


def test_measures_do_not_import_one_another():
    measures = {name for title, _, names in LAYERS if title == MEASURES_LAYER for name in names}
    crossing = [
        f"{e.source} -> {e.target} ({e.where()})"
        for e in imports()
        if top_name(e.source) in measures
        and top_name(e.target) in measures
        and top_name(e.source) != top_name(e.target)
    ]
    assert not crossing, (
        "a measure imports another (where one combines two, it takes both tables as "
        "arguments):\n" + "\n".join(crossing)
    )
