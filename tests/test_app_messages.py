"""Messages up, attributes down: what the app's widgets and workers tell their owners.

A note saved in a compare column reaches the main window's notes panel through a message the
app handles (the column does not reach into the main screen); a save that fails is reported by
the handler of the message its worker posted; the notes panel asks its owner to show the editor
and the question rather than pushing screens itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.message import Message

import reader.app.app as app_module
from reader.app.app import ReaderApp
from reader.app.screens.compare import CompareScreen
from reader.app.screens.confirm import Confirm
from reader.app.screens.note_editor import NoteEditor
from reader.app.widgets.column_view import ColumnView
from reader.app.widgets.compare_column import CompareColumn
from reader.app.widgets.notes_panel import NotesPanel
from reader.core.config import Config, load_config
from reader.core.notes.store import NotesStore
from reader.core.search.index import update_index
from tests.test_app import search_and_open, settle

S000, S003, S004 = "000_7b206ec7414ebb17", "003_cf72655655ca3791", "004_9e772252006eaafa"
BROKEN_TOML = "[[notes]\nid = 'x'\n"


class RecordingApp(ReaderApp):
    """The app, noting the messages that bubble up to it and what it notifies. (Textual calls
    each class's handler, so ReaderApp's own handlers run as well.)"""

    CSS_PATH = str(Path(app_module.__file__).parent / "reader.tcss")

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        self.seen: list[Message] = []
        self.notices: list[tuple[str, str]] = []

    def on_column_view_note_saved(self, message: Message) -> None:
        self.seen.append(message)

    def on_column_view_note_not_saved(self, message: Message) -> None:
        self.seen.append(message)

    def on_notes_panel_save_failed(self, message: Message) -> None:
        self.seen.append(message)

    def on_notes_panel_edit_requested(self, message: Message) -> None:
        self.seen.append(message)

    def on_notes_panel_delete_requested(self, message: Message) -> None:
        self.seen.append(message)

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        self.notices.append((message, kwargs.get("severity", "information")))
        super().notify(message, *args, **kwargs)


@pytest.fixture
def indexed_config(config_path: Path) -> Path:
    update_index(load_config(config_path))
    return config_path


async def note_in_column(pilot: Any, app: ReaderApp, column: int) -> str:
    """Open 004, compare it (with 003, the Arabic article of its event), write a note on the
    first sentence of ``column``; the sentence."""
    await search_and_open(pilot, app, "Turkish", S004)
    await pilot.press("c")
    await settle(pilot, app)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CompareScreen)
    view = list(screen.query(CompareColumn))[column].view
    view.focus()
    await pilot.press("right_square_bracket")
    passage = view.selected_passage()
    assert passage is not None and view.article is not None
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(app.screen, NoteEditor)
    await pilot.press("ctrl+s")
    await settle(pilot, app)
    return view.article.body[passage[0] : passage[1]]


async def test_a_note_saved_in_a_column_reaches_the_main_panel_by_message(
    indexed_config: Path,
) -> None:
    app = RecordingApp(load_config(indexed_config))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        sentence = await note_in_column(pilot, app, 0)  # column 0 is the main window's article
        saved = [m for m in app.seen if isinstance(m, ColumnView.NoteSaved)]
        assert [m.article.id for m in saved] == [S004]
        assert isinstance(app.screen, CompareScreen)
        panel = app.screen_stack[0].query_one(NotesPanel)
        assert [n.exact for n in panel.notes] == [sentence]  # refreshed by the app's handler
        await pilot.press("escape")
        await settle(pilot, app)
        assert [n.exact for n in app.query_one(NotesPanel).notes] == [sentence]


async def test_a_column_save_that_fails_is_reported_by_its_message(indexed_config: Path) -> None:
    config = load_config(indexed_config)
    path = NotesStore(config).path_for(S003)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BROKEN_TOML, encoding="utf-8")
    app = RecordingApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await note_in_column(pilot, app, 1)  # the Arabic column
        failed = [m for m in app.seen if isinstance(m, ColumnView.NoteNotSaved)]
        assert len(failed) == 1 and path.name in failed[0].error
        assert not [m for m in app.seen if isinstance(m, ColumnView.NoteSaved)]
        errors = [text for text, severity in app.notices if severity == "error"]
        assert any(text.startswith("not saved:") and path.name in text for text in errors)
        # The unsaved note is held by the one store the app's library keeps (a column's own
        # store, dropped when its worker ended, took the note with it).
        assert [len(notes) for notes in app.library.notes.unsaved().values()] == [1]
        assert app.query_one(NotesPanel).store is app.library.notes
    assert path.read_text(encoding="utf-8") == BROKEN_TOML  # never overwritten


async def test_a_panel_save_that_fails_is_reported_by_its_message(indexed_config: Path) -> None:
    config = load_config(indexed_config)
    path = NotesStore(config).path_for(S000)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BROKEN_TOML, encoding="utf-8")
    app = RecordingApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Sirte", S000)
        await pilot.press("tab", "tab")  # the article
        await pilot.press("right_square_bracket", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        failed = [m for m in app.seen if isinstance(m, NotesPanel.SaveFailed)]
        assert len(failed) == 1 and path.name in failed[0].error
        status = str(app.query_one("#notes-status").render())
        assert status.startswith("not saved:") and path.name in status
    assert path.read_text(encoding="utf-8") == BROKEN_TOML


async def test_the_panel_asks_its_owner_to_edit_and_delete(indexed_config: Path) -> None:
    config = load_config(indexed_config)
    app = RecordingApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Sirte", S000)
        view_article = app.query_one(NotesPanel)
        NotesStore(config).add(app.query_one("#article").article, 0, 20)  # type: ignore[attr-defined]
        view_article.show_article(view_article.article)  # type: ignore[arg-type]
        await settle(pilot, app)
        view_article.action_edit()
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape")
        view_article.action_delete()
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot, app)
        kinds = [type(m) for m in app.seen]
        assert kinds == [NotesPanel.EditRequested, NotesPanel.DeleteRequested]
    assert NotesStore(config).load(S000) == []


async def test_the_panel_s_own_save_is_not_loaded_again_by_its_watcher(
    indexed_config: Path,
) -> None:
    """The watcher reads the notes again when their file changes. The panel's own save
    changed it too, and the watcher's load (exclusive in its group) could replace the load
    that shows "saved … → file": the confirmation never showed (seen in a real terminal
    under load). The save's own load is the only one."""
    app = RecordingApp(load_config(indexed_config))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Turkish", S004)
        panel = app.query_one(NotesPanel)
        article = panel.article
        assert article is not None
        loads: list[str] = []
        real_load = panel._load

        def counting(shown: Any, saved: str) -> Any:
            loads.append(saved)
            return real_load(shown, saved)

        panel._load = counting  # type: ignore[method-assign]
        path = app.library.notes.path_for(article.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'version = 1\narticle = "{article.id}"\n', encoding="utf-8")
        saved = f"saved 12:00:00 → {path}"
        panel.on_notes_panel_saved(NotesPanel.Saved(article, saved))
        panel._watch()  # the watcher's tick, before the save's load has reported
        await settle(pilot, app)
        assert loads == [saved]
        status = str(panel.query_one("#notes-status").render())
        assert status.startswith("saved 12:00:00")
