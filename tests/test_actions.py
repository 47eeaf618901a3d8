"""One action table (reader/app/actions.py) feeds the bindings of every screen, the palette and
the help: no screen or widget declares a key of its own, and a key moved in ``[keymap]`` moves
on every screen that has the action."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

from reader.app.actions import ACTIONS, actions_of, bindings
from reader.app.app import ReaderApp
from reader.app.screens.compare import CompareScreen
from reader.core.config import load_config
from reader.core.search.index import update_index
from tests.conftest import ROOT, write_config
from tests.test_app import search_and_open, settle

APP = ROOT / "reader" / "app"


def declared_bindings() -> list[tuple[str, Binding]]:
    """(class name, binding) of every BINDINGS list a class under reader/app declares."""
    found = []
    for path in sorted(APP.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name or not issubclass(cls, DOMNode):
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding), f"{cls.__name__}: {binding!r} is not a Binding"
                found.append((cls.__name__, binding))
    return found


def test_every_binding_comes_from_the_action_table() -> None:
    ids = {a.id for a in ACTIONS}
    found = declared_bindings()
    assert {name for name, _ in found} >= {"ReaderApp", "CompareScreen", "NotesPanel", "NoteEditor"}
    strays = [(name, b.key, b.action) for name, b in found if b.id not in ids]
    assert strays == [], "declare these keys in reader/app/actions.py"


def test_action_ids_are_unique_and_every_action_is_somewhere() -> None:
    ids = [a.id for a in ACTIONS]
    assert len(ids) == len(set(ids))
    places = {"main", "notes", "compare", "picker", "editor", "confirm", "help", "label"}
    places |= {"event_picker"}
    assert all(a.screens and set(a.screens) <= places for a in ACTIONS)


def test_compare_blocks_the_main_actions_it_has_no_use_for_under_their_ids() -> None:
    compare = {b.id: b for b in bindings("compare")}
    for action_id in ("search", "language", "notes", "compare"):
        assert compare[action_id].action == "nothing"
    assert "palette" not in compare  # ctrl+p lists the compare view's own actions there
    moved = {b.id: b for b in bindings("compare", {"search": "ctrl+f"})}
    assert moved["search"].key == "ctrl+f"
    shared = {a.id for a in actions_of("main")} & {a.id for a in actions_of("compare")}
    assert {"annotate", "next_sentence", "scroll_down"} <= shared


async def test_a_main_key_moved_in_the_keymap_does_nothing_in_the_compare_view(
    tmp_path: Path, corpus_dir: Path
) -> None:
    """A moved key of a main-window action is blocked in the compare view under its own id, and
    still works in the main window."""
    config = load_config(write_config(tmp_path, extra='\n[keymap]\nsearch = "ctrl+f"\n'))
    update_index(config)
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Turkish", "004_9e772252006eaafa")  # with 003: an event
        await pilot.press("c")
        await settle(pilot, app)
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, CompareScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+f")  # and in the main window it is the search key
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "search"
