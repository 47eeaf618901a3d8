"""The house stands on its layers: every import under ``reader/`` read from the source.

Each module is parsed with :mod:`ast` and every import is collected: at module level, inside
functions (a function-local import is still an import: one made to dodge a cycle is a cycle),
and under ``if TYPE_CHECKING:``. Then:

(a) the core's packages import only downwards, in this order from the bottom up: text, files,
    names, config (``reader.core.config`` and its ``config_*`` modules), sources, search,
    notes, events, library. A module may import its own package and the layers below it.
    Type-only imports count too: a name needed for a signature belongs to a layer below.
(b) the core imports nothing of reader outside ``reader.core`` (so neither the CLI nor the app);
    the app never imports the CLI; the CLI imports the app only where it launches it
    (:data:`APP_LAUNCHER`); nothing in ``reader`` imports ``tests`` (the benchmark lives there).
(c) no import cycles between modules, counting module-level and function-local imports
    (``TYPE_CHECKING``-only imports run at no import time, so they are left out of this one).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import ROOT

LAYERS = ("text", "files", "names", "config", "sources", "search", "notes", "events", "library")
LAYER_OF_MODULE = {
    "config_boilerplate": "config",
    "config_checks": "config",
    "config_notes": "config",
    "config_places": "config",
    "config_schema": "config",
    "config_session": "config",
    "config_storage": "config",
    "records": "library",
    "library_events": "library",
    "library_decisions": "library",
    "library_listing": "library",
}  # core-root modules that share a layer's name


APP_LAUNCHER = ("reader.cli", "reader.app.main")  # `reader` with no command opens the app


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement's target. ``kind``: "module" (runs when the module is imported),
    "local" (inside a function) or "typing" (under ``if TYPE_CHECKING:``)."""

    source: str
    target: str
    line: int
    kind: str

    def __str__(self) -> str:
        where = "" if self.kind == "module" else f" ({self.kind})"
        return f"{self.source}:{self.line} imports {self.target}{where}"


def module_names(root: Path) -> dict[str, tuple[Path, bool]]:
    """Every module under ``root/reader``: dotted name -> (file, is a package)."""
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted((root / "reader").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        package = parts[-1] == "__init__"
        if package:
            parts.pop()
        found[".".join(parts)] = (path, package)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(node: ast.AST, kind: str) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """The import statements under ``node``, each with the kind of place it is in."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, kind
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for statement in child.body:
                yield from _statements(ast.Module([statement], []), "typing")
            for statement in child.orelse:
                yield from _statements(ast.Module([statement], []), kind)
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _statements(child, "typing" if kind == "typing" else "local")
        else:
            yield from _statements(child, kind)


def imports_in(name: str, source: str, package: bool, known: Iterable[str]) -> list[Import]:
    """The imports of module ``name`` (``source`` is its text) of modules of reader or of
    ``tests``. ``from a import b`` names the module ``a.b`` when there is one, else ``a``."""
    modules = set(known)
    found = []
    for statement, kind in _statements(ast.parse(source), "module"):
        targets: list[str]
        if isinstance(statement, ast.Import):
            targets = [alias.name for alias in statement.names]
        else:
            base = statement.module or ""
            if statement.level:
                anchor = name.split(".") if package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (statement.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in statement.names
            ]
        for target in targets:
            if target.split(".")[0] in ("reader", "tests"):
                found.append(Import(name, target, statement.lineno, kind))
    return found


@cache
def all_imports() -> tuple[Import, ...]:
    modules = module_names(ROOT)
    found: list[Import] = []
    for name, (path, package) in modules.items():
        found += imports_in(name, path.read_text(encoding="utf-8"), package, modules)
    return tuple(dict.fromkeys(found))


def layer_of(module: str) -> int | None:
    """The layer of a core module (0 = text), None outside the core or for ``reader.core``
    itself. A core module in no layer raises, so a new package must be given its place."""
    parts = module.split(".")
    if parts[:2] != ["reader", "core"] or len(parts) == 2:
        return None
    name = LAYER_OF_MODULE.get(parts[2], parts[2])
    if name not in LAYERS:
        raise AssertionError(
            f"{module} is in no layer: add reader.core.{parts[2]} to LAYERS in {__name__}"
        )
    return LAYERS.index(name)


def layer_violations(imports: Iterable[Import]) -> list[str]:
    """Core imports of a higher layer."""
    bad = []
    for found in imports:
        mine, theirs = layer_of(found.source), layer_of(found.target)
        if mine is not None and theirs is not None and theirs > mine:
            bad.append(f"{found}: {LAYERS[theirs]} is above {LAYERS[mine]}")
    return bad


def boundary_violations(imports: Iterable[Import]) -> list[str]:
    """Imports across the core / CLI / app / tests boundaries (see the module docstring)."""
    bad = []
    for found in imports:
        source, target = found.source, found.target
        if target == "tests" or target.startswith("tests."):
            bad.append(f"{found}: reader never imports the tests (or the benchmark)")
        elif source.startswith("reader.core") and not (
            target == "reader" or target.startswith("reader.core")
        ):
            bad.append(f"{found}: the core imports only reader.core")
        elif source.startswith("reader.app") and target.startswith("reader.cli"):
            bad.append(f"{found}: the app never imports the CLI")
        elif (
            (source == "reader.cli" or source.startswith("reader.cli."))
            and (target == "reader.app" or target.startswith("reader.app."))
            and (source, target) != APP_LAUNCHER
        ):
            bad.append(f"{found}: only {APP_LAUNCHER[0]} imports the app, to launch it")
    return bad


def cycles(imports: Iterable[Import]) -> list[list[str]]:
    """The import cycles (strongly connected groups of two or more modules, and modules that
    import themselves), each sorted; TYPE_CHECKING-only imports left out."""
    graph: dict[str, set[str]] = defaultdict(set)
    for found in imports:
        if found.kind != "typing":
            graph[found.source].add(found.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm; the graph is a few hundred modules
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


# -- the rules, on the real source -----------------------------------------------------------


def test_core_packages_import_only_downwards() -> None:
    bad = layer_violations(all_imports())
    assert not bad, "\n".join(bad)


def test_core_cli_and_app_keep_their_boundaries() -> None:
    bad = boundary_violations(all_imports())
    assert not bad, "\n".join(bad)


def shortest_cycle(group: list[str], imports: Iterable[Import]) -> list[Import]:
    """The shortest chain of (non-typing) imports from ``group[0]`` back to itself, inside
    ``group``: what to break, named by file and line."""
    inside = set(group)
    edges: dict[str, list[Import]] = defaultdict(list)
    for found in imports:
        if found.kind != "typing" and found.source in inside and found.target in inside:
            edges[found.source].append(found)
    start = group[0]
    paths: dict[str, list[Import]] = {start: []}
    queue = [start]
    for node in queue:
        for found in edges[node]:
            if found.target == start:
                return [*paths[node], found]
            if found.target not in paths:
                paths[found.target] = [*paths[node], found]
                queue.append(found.target)
    raise AssertionError(f"no cycle through {start}")  # cycles() said there is one


def test_no_import_cycles() -> None:
    imports = all_imports()
    found = [shortest_cycle(group, imports) for group in cycles(imports)]
    assert not found, "import cycles:\n" + "\n".join(
        " -> ".join(str(i) for i in chain) for chain in found
    )


def test_every_core_module_has_a_layer() -> None:
    for name in module_names(ROOT):
        layer_of(name)  # raises for a core module in no layer


def test_the_launcher_is_the_cli_s_only_import_of_the_app() -> None:
    launches = [i for i in all_imports() if (i.source, i.target) == APP_LAUNCHER]
    assert launches, f"{APP_LAUNCHER[0]} no longer imports {APP_LAUNCHER[1]}: update APP_LAUNCHER"


# -- the checks catch what they must (so a broken parser cannot pass them) -------------------

SAMPLE = """
from __future__ import annotations
from typing import TYPE_CHECKING
import reader.core.text.bidi
from reader.core.names import entities
from . import layout
from ..search.index import open_index
if TYPE_CHECKING:
    from reader.core.events.event import Event
else:
    import reader.core.files.nesting

class Thing:
    import reader.core.sources.article

    def method(self) -> None:
        from reader.app.main import run_app
        def inner() -> None:
            import tests.conftest
"""


def test_imports_are_found_wherever_they_are() -> None:
    known = {"reader.core.names.entities", "reader.core.text.layout"}
    found = imports_in("reader.core.text.sample", SAMPLE, False, known)
    assert [(i.target, i.kind) for i in found] == [
        ("reader.core.text.bidi", "module"),
        ("reader.core.names.entities", "module"),
        ("reader.core.text.layout", "module"),
        ("reader.core.search.index", "module"),
        ("reader.core.events.event", "typing"),
        ("reader.core.files.nesting", "module"),
        ("reader.core.sources.article", "module"),
        ("reader.app.main", "local"),
        ("tests.conftest", "local"),
    ]


def test_the_rules_catch_new_violations() -> None:
    found = imports_in("reader.core.text.sample", SAMPLE, False, {"reader.core.names.entities"})
    layers = "\n".join(layer_violations(found))
    for above in ("names", "search", "events", "files", "sources"):
        assert f"{above} is above text" in layers
    boundaries = "\n".join(boundary_violations(found))
    assert "imports reader.app.main (local): the core imports only reader.core" in boundaries
    assert "tests.conftest (local): reader never imports the tests" in boundaries
    elsewhere = Import("reader.cli.show_cmd", "reader.app.app", 1, "local")
    launcher = Import("reader.cli", "reader.app.main", 1, "local")
    assert boundary_violations([elsewhere]) and not boundary_violations([launcher])
    assert boundary_violations([Import("reader.app.app", "reader.cli.visual", 1, "module")])


@pytest.mark.parametrize("kind", ["module", "local"])
def test_a_cycle_is_caught_through_function_local_imports_too(kind: str) -> None:
    edges = [
        Import("reader.core.events.a", "reader.core.events.b", 1, "module"),
        Import("reader.core.events.b", "reader.core.events.c", 1, "module"),
        Import("reader.core.events.c", "reader.core.events.a", 1, kind),
        Import("reader.core.events.c", "reader.core.text.d", 1, "module"),
    ]
    assert cycles(edges) == [
        ["reader.core.events.a", "reader.core.events.b", "reader.core.events.c"]
    ]
    type_only = [*edges[:2], Import("reader.core.events.c", "reader.core.events.a", 1, "typing")]
    assert cycles(type_only) == []
