"""The app's structure, read from its source: children post messages, parents set attributes.

- no widget module imports a screen module (a widget asks with a message; its owner shows
  screens and hands back the answer);
- no widget reaches outside itself (another screen, its screen, its parent, the app's widgets);
- no worker changes the UI through ``call_from_thread``: workers post messages and the UI
  changes in the handler;
- nothing reaches into the app's private attributes with ``getattr(self.app, "_...")`` or
  ``self.app._...``;
- each module under ``widgets/`` and ``screens/`` defines at most one Widget or Screen class
  (message classes nested in it are fine).
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from textual.widget import Widget

from tests.conftest import ROOT

APP = ROOT / "reader" / "app"
APP_MODULES = sorted(p for p in APP.rglob("*.py"))
VIEW_MODULES = sorted(
    p
    for folder in ("widgets", "screens")
    for p in (APP / folder).glob("*.py")
    if p.stem != "__init__"
)


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported_modules(tree: ast.Module) -> list[str]:
    found: list[str] = []
    for node in ast.walk(tree):  # imports inside functions count too
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def _is_app(node: ast.expr) -> bool:
    """``self.app``, ``app`` or ``<anything>.app``."""
    return (isinstance(node, ast.Attribute) and node.attr == "app") or (
        isinstance(node, ast.Name) and node.id == "app"
    )


def _private_getattr(node: ast.AST) -> bool:
    """``getattr(self.app, "_x")`` (or setattr, hasattr)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("getattr", "setattr", "hasattr")
        and len(node.args) >= 2
        and _is_app(node.args[0])
        and isinstance(node.args[1], ast.Constant)
        and str(node.args[1].value).startswith("_")
    )


def _private_attribute(node: ast.AST) -> bool:
    """``self.app._x`` (dunders aside)."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and _is_app(node.value)
    )


def _reach_arounds(tree: ast.Module) -> list[int]:
    """Lines that read a private attribute of the app."""
    return [
        node.lineno for node in ast.walk(tree) if _private_getattr(node) or _private_attribute(node)
    ]


@pytest.mark.parametrize("path", sorted((APP / "widgets").glob("*.py")), ids=_name)
def test_widgets_import_no_screen(path: Path) -> None:
    screens = [m for m in _imported_modules(_tree(path)) if m.startswith("reader.app.screens")]
    assert screens == [], f"{_name(path)} imports {screens}: post a message to the owner instead"


def _reaches_out(tree: ast.Module) -> list[int]:
    """Lines where a widget looks outside itself: another screen (``screen_stack``), its own
    screen or parent (``self.screen``, ``self.parent``), or the app's widgets (``app.query``)."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and (
            node.attr == "screen_stack"
            or (node.attr in ("screen", "parent") and _is_self(node.value))
            or (node.attr in ("query", "query_one", "query_exactly_one") and _is_app(node.value))
        )
    ]


def _is_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


@pytest.mark.parametrize("path", sorted((APP / "widgets").glob("*.py")), ids=_name)
def test_widgets_do_not_reach_into_screens_or_siblings(path: Path) -> None:
    lines = _reaches_out(_tree(path))
    assert lines == [], f"{_name(path)} lines {lines} reach outside the widget: post a message"


@pytest.mark.parametrize("path", APP_MODULES, ids=_name)
def test_workers_post_messages_instead_of_calling_from_thread(path: Path) -> None:
    lines = [
        node.lineno
        for node in ast.walk(_tree(path))
        if (isinstance(node, ast.Attribute) and node.attr == "call_from_thread")
        or (isinstance(node, ast.Name) and node.id == "call_from_thread")
    ]
    assert lines == [], f"{_name(path)} lines {lines}: a worker should post a message"


@pytest.mark.parametrize("path", APP_MODULES, ids=_name)
def test_nothing_reaches_into_the_apps_privates(path: Path) -> None:
    lines = _reach_arounds(_tree(path))
    assert lines == [], f"{_name(path)} lines {lines} read the app's private attributes"


@pytest.mark.parametrize("path", VIEW_MODULES, ids=_name)
def test_one_widget_or_screen_per_module(path: Path) -> None:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    module = importlib.import_module(name)
    views = [
        cls.__name__
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == name and issubclass(cls, Widget)
    ]
    assert len(views) <= 1, f"{name} defines {views}: one widget or screen per module"


def test_the_checks_see_what_they_look_for() -> None:
    """Each check finds its pattern in a sample, so a passing run means something."""
    sample = ast.parse(
        "from reader.app.screens.note_editor import NoteEditor\n"
        "def f(self):\n"
        "    import reader.app.screens.help\n"
        "    self.app.call_from_thread(print)\n"
        "    getattr(self.app, '_search_lock', None)\n"
        "    self.app._search_lock\n"
        "    getattr(self.app, 'searcher', None)\n"
        "    self.app.screen_stack[0].query(NotesPanel)\n"
        "    self.app.query_one(NotesPanel)\n"
        "    self.screen.query_one(NotesPanel)\n"
    )
    imported = _imported_modules(sample)
    assert "reader.app.screens.note_editor" in imported and "reader.app.screens.help" in imported
    assert _reach_arounds(sample) == [5, 6]
    assert sorted(set(_reaches_out(sample))) == [8, 9, 10]
