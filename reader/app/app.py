"""The Textual app: search, read and annotate in one window. This module wires; it holds no logic.

Slow work (opening and updating the index, searching, loading notes) runs in thread workers
that post messages; the handlers here change the UI.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.widgets import Footer, Input, ProgressBar, Static

from reader.app.actions import ACTIONS, bindings, unknown_keymap_ids
from reader.app.commands import ActionCommands
from reader.app.hangup import leave_when_the_terminal_goes
from reader.app.heap import HeapKeeper
from reader.app.messages import (
    ArticleLoaded,
    IndexBroken,
    IndexProgress,
    IndexReady,
    IndexUpdated,
    SearchDone,
)
from reader.app.note_dialogs import ask_for_note, ask_to_delete, ask_to_edit
from reader.app.screens.help import HelpScreen
from reader.app.search_status import filters_text, found_text
from reader.app.session import SessionKeeper
from reader.app.terminal import terminal_hint
from reader.app.widgets.article_view import ArticleView
from reader.app.widgets.bidi_text import field_text, message_text
from reader.app.widgets.header import ArticleHeader
from reader.app.widgets.notes_panel import NotesPanel
from reader.app.widgets.results import ResultsList
from reader.app.widgets.search_box import SearchBox
from reader.app.workers import Asked, LibraryWorkers
from reader.core.config import Config
from reader.core.library import Library
from reader.core.text.sanitize import one_line

if TYPE_CHECKING:
    from reader.app.widgets.column_view import ColumnView

LANGUAGES = (None, "en", "ar")
NOTES_MIN_WIDTH = 130
DEBOUNCE_SECONDS = 0.04  # keystrokes closer than this are searched together, once they stop
TOAST_WIDTH = 60  # cells of a toast (Textual's Toast: width 60, at most half the screen)


class ReaderApp(LibraryWorkers):
    """reader's window: a search bar and results, the article, and its notes."""

    CSS_PATH = "reader.tcss"
    TITLE = "reader"
    BINDINGS: ClassVar[list[BindingType]] = [*bindings()]
    COMMANDS = App.COMMANDS | {ActionCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config
        known = {a.id for a in ACTIONS}
        self.set_keymap({k: v for k, v in config.keymap.items() if k in known})
        self.library = Library(config)  # its index is opened in a worker
        self._search_cancel = threading.Event()  # set: the running search is not wanted
        self.searches_cancelled = 0  # searches stopped by a newer one
        self._debounce: Timer | None = None
        self._last_keystroke = float("-inf")  # time.monotonic() of the last query change
        self._filters_line: tuple[str | None, str | None, str] | None = None  # shown under the box
        self.language: str | None = None
        self.outlet: str | None = None
        self.outlets: list[str] = []
        self.search_text = ""
        self._index_checked = False
        self._repairing = False  # a damaged index is being rebuilt (the library must not be used)
        self._shown_query: str | None = None
        self._notes_toggled = False  # once the user shows/hides notes, width no longer decides
        self._open_when_found = False  # enter was pressed in the search bar before its results
        self.session = SessionKeeper(self)
        self.heap = HeapKeeper()  # full garbage collections while idle, not while typing
        self._asked_searches, self._asked_articles = Asked(), Asked()  # (the warm-up waits)

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield SearchBox(
                    placeholder='Search  (/)  e.g. Sirte, حفتر, "operations room"', id="search"
                )
                yield Static("", id="filters")
                yield ResultsList(self.config, id="results")
            with Vertical(id="reading"):
                yield ArticleHeader(self.config, id="header")
                yield ArticleView(self.config, id="article")
            yield NotesPanel(self.config, self.library.notes, id="notes")
        with Horizontal(id="status"):
            yield Static("opening the index…", id="status-text")
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer(compact=True)  # every key fits 80 columns

    def on_mount(self) -> None:
        leave_when_the_terminal_goes(self, self.library.notes, self.config.notes_dir)
        self.heap.start(self)
        hint = terminal_hint(os.environ, self.config.rtl)  # Konsole: a profile setting
        if hint:
            self.notify(hint, severity="warning", timeout=15, markup=False)
        self.theme = self.config.theme if self.config.theme in self.available_themes else self.theme
        unknown = unknown_keymap_ids(self.config.keymap)
        if unknown:
            self.notify(
                one_line(
                    f"{self.config.source}: [keymap] has unknown action(s): {', '.join(unknown)}"
                ),
                severity="error",
                markup=False,
                timeout=10,
            )
        self.query_one("#progress", ProgressBar).display = False
        self.query_one(NotesPanel).display = self.size.width >= NOTES_MIN_WIDTH
        self.query_one("#search", Input).focus()
        self.session.restore()  # the last query, article and filters, unless turned off
        self._show_filters()
        self._open_index()

    def on_unmount(self) -> None:
        self.heap.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.heap.input_seen()
        await super().on_event(event)

    # ----- message handlers -----

    def on_reader_app_index_ready(self, message: IndexReady) -> None:
        if message.error:
            self._status(message.error)
            self.notify(one_line(message.error), severity="warning", markup=False)
            return
        if not self._index_checked:
            self._status("index open · checking for changes…")
        self._outlets()
        self._run_search()
        self.session.index_ready()

    def on_reader_app_index_broken(self, message: IndexBroken) -> None:
        if self._repairing:
            return
        self._repairing = True
        self._status(f"{message.error}; rebuilding it")
        self.notify(f"{message.error}; rebuilding it", severity="warning", markup=False)
        self._repair_index()

    def on_reader_app_index_progress(self, message: IndexProgress) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=message.total, progress=message.done)
        self._status(f"indexing {message.done}/{message.total}")

    def on_reader_app_index_updated(self, message: IndexUpdated) -> None:
        self._index_checked = True
        self.query_one("#progress", ProgressBar).display = False
        self._status(message.summary)
        for problem in message.problems[:5]:
            self.notify(one_line(problem), severity="warning", markup=False, timeout=8)
        if message.changed or not self.library.is_open or self._repairing:
            self._repairing = False
            self._reopen()

    def on_reader_app_search_done(self, message: SearchDone) -> None:
        if message.query != self.search_text:
            return  # a newer query is on its way
        results = self.query_one(ResultsList)
        if (
            message.typing
            and not (message.hits or message.error or message.partial)
            and results.option_count
        ):
            # A word half typed that matches nothing yet (Kunu of Kununu): the list stays.
            word = message.query.split()[-1] if message.query.split() else message.query
            kept = f"no match for {word} yet: the list is kept"
            self._show_filters(field_text(kept, self.config))
            return
        results.show(message.hits, keep_place=message.query == self._shown_query)
        self._shown_query = message.query
        if self._open_when_found:
            self._open_when_found = False
            self._open_best()
        if message.error:
            # shown whole (the line wraps), a quoted Arabic query laid out
            self._show_filters(field_text(f"query: {message.error}", self.config))
        else:
            limit = self.config.search_limits.time_limit
            self._show_filters(found_text(message.total, message.exact, message.partial, limit))

    def on_reader_app_article_loaded(self, message: ArticleLoaded) -> None:
        article = message.article
        if article is None:
            self.notify("that article is no longer in the index", severity="warning", markup=False)
            return
        self.query_one(ArticleHeader).article = article
        view = self.query_one(ArticleView)
        view.show(article, message.matcher, top=self.session.place_of(article))
        self.query_one(NotesPanel).show_article(article)
        self.session.save()

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        """A keystroke after a pause of DEBOUNCE_SECONDS starts its search at once; one sooner
        (a burst: a paste, a held key) waits until the keys stop, and only the last is
        searched. Either way a newer search cancels the one running."""
        self.search_text = event.value
        now = time.monotonic()
        paused = now - self._last_keystroke >= DEBOUNCE_SECONDS
        self._last_keystroke = now
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        if paused:
            self._run_typed_search()
        else:
            self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._run_typed_search)

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        """Enter in the search bar opens the best result of the query typed (once its search
        is done, if it is still running) and moves to the results."""
        results = self.query_one(ResultsList)
        results.focus()
        if self._shown_query == self.search_text and results.option_count:
            self._open_best()
            return
        self._open_when_found = True
        self._run_search()

    def open_article(self, article_id: str) -> None:
        """Open the article ``article_id`` (its matches of the current query marked)."""
        self._load_article(article_id, self.search_text)

    def _open_best(self) -> None:
        results = self.query_one(ResultsList)
        if results.option_count:
            index = results.highlighted if results.highlighted is not None else 0
            option_id = results.get_option_at_index(index).id
            if option_id is not None:
                self._load_article(option_id, self.search_text)

    @on(ResultsList.Opened)
    def _open(self, event: ResultsList.Opened) -> None:
        self._load_article(event.article_id, self.search_text)

    def on_article_view_match_moved(self, message: ArticleView.MatchMoved) -> None:
        self._status(f"hit {message.index + 1} of {message.total} (n next, p previous)")

    def on_notes_panel_changed(self, event: NotesPanel.Changed) -> None:
        self.query_one(ArticleView).set_note_spans(event.spans)

    # ----- actions (named in the action table) -----

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        self.query_one(ResultsList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_search":  # escape means something only in the search bar
            return isinstance(self.focused, SearchBox)
        if action == "word_step":  # not under a dialog: it would move the passage behind it
            return self.screen is self.screen_stack[0]
        return True

    def action_scroll_article(self, lines: int) -> None:
        focused = self.focused
        if isinstance(focused, ResultsList):
            focused.action_cursor_down() if lines > 0 else focused.action_cursor_up()
            return
        self.query_one(ArticleView).scroll_relative(y=lines, animate=False)

    def action_move_sentence(self, step: int) -> None:
        view = self.query_one(ArticleView)
        view.move_sentence(step)

    def action_word_step(self, visual: int, extend: bool = False) -> None:
        self.query_one(ArticleView).word_step(visual, extend)

    def action_jump_match(self, step: int) -> None:
        self.query_one(ArticleView).jump_match(step)

    def action_annotate(self) -> None:
        view = self.query_one(ArticleView)
        passage, article = view.selected_passage(), view.article
        if article is None or passage is None:
            self.notify(
                "open an article and select a passage first ([ ] or the mouse)", markup=False
            )
            return
        panel = self.query_one(NotesPanel)
        panel.display = True  # the new note should be seen being saved
        ask_for_note(
            self, self.config, article, passage, partial(panel.add_note, article, *passage)
        )

    @on(NotesPanel.EditRequested)
    def _edit_note(self, event: NotesPanel.EditRequested) -> None:
        panel, article = self.query_one(NotesPanel), event.article
        ask_to_edit(self, self.config, article, event.note, partial(panel.update_note, article))

    @on(NotesPanel.DeleteRequested)
    def _delete_note(self, event: NotesPanel.DeleteRequested) -> None:
        panel, article = self.query_one(NotesPanel), event.article
        ask_to_delete(self, event.note, partial(panel.delete_note, article, event.note.id))

    def on_column_view_note_saved(self, message: ColumnView.NoteSaved) -> None:
        """A note was saved in the compare view: the main window's panel shows it too."""
        for panel in self.screen_stack[0].query(NotesPanel):
            if panel.article is not None and panel.article.id == message.article.id:
                panel.show_article(panel.article)

    def action_toggle_notes(self) -> None:
        panel = self.query_one(NotesPanel)
        panel.display = not panel.display
        self._notes_toggled = True

    def on_resize(self, event: events.Resize) -> None:
        # Three panes need room: on a narrow terminal the notes start hidden (N shows them).
        if not self._notes_toggled:
            self.query_one(NotesPanel).display = event.size.width >= NOTES_MIN_WIDTH

    def action_compare(self) -> None:
        view = self.query_one(ArticleView)
        if view.article is None:
            self.notify("open an article first", markup=False)
            return
        from reader.app.screens.compare import CompareScreen

        self.push_screen(CompareScreen(self.config, view.article, self.library))

    def action_cycle_language(self) -> None:
        index = LANGUAGES.index(self.language)
        self.language = LANGUAGES[(index + 1) % len(LANGUAGES)]
        self._run_search()

    def action_cycle_outlet(self) -> None:
        choices: list[str | None] = [None, *self.outlets]
        index = choices.index(self.outlet) if self.outlet in choices else 0
        self.outlet = choices[(index + 1) % len(choices)]
        if len(choices) == 1:
            self.notify("the articles carry no outlet names (add NAME.toml sidecars)", markup=False)
        self._run_search()

    async def action_quit(self) -> None:
        self.session.save()
        await super().action_quit()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.config.keymap))

    # ----- helpers -----

    def _run_search(self, typing: bool = False) -> None:
        if self._filters_line is None or self._filters_line[:2] != (self.language, self.outlet):
            self._show_filters()  # the count shown was for other filters
        # else the line (the count of the results still listed) stays until the new results:
        # a line changing height would resize the list, which then measures every entry again
        self._search_cancel.set()  # the running search (if any) stops and frees the library
        self._search_cancel = threading.Event()
        asked = self._asked_searches.ask()  # the warm-up leaves the lock to it
        self._search(
            self.search_text, self.language, self.outlet, self._search_cancel, typing, asked
        )

    def _run_typed_search(self) -> None:
        """A search as the query is typed: its last word is a prefix too (Enter: a word)."""
        self._run_search(typing=True)

    def _outlets(self) -> None:
        from reader.core.library import IndexDamaged

        if self.library.is_open:
            self._search_cancel.set()  # not to wait here, on the UI thread, for a search
            try:
                self.outlets = self.library.outlets()
            except IndexDamaged as exc:
                self.post_message(IndexBroken(str(exc)))

    def _status(self, text: str) -> None:
        from rich.text import Text

        self.query_one("#status-text", Static).update(Text(field_text(text, self.config)))

    def _show_filters(self, extra: str = "") -> None:
        from rich.text import Text

        text = filters_text(self.language, self.outlet, extra)
        line = (self.language, self.outlet, text)
        if line == self._filters_line:
            return
        self._filters_line = line
        shown = self.query_one("#filters", Static)
        rows = len(Text(text).wrap(self.console, shown.content_region.width or 1))
        # the screen is laid out again only when the line's height changes
        shown.update(Text(text), layout=rows != shown.content_region.height)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Textual's toast, its message always plain text (never markup: the app's messages
        quote files), laid out by the right-to-left engine at the toast's width (an error may
        quote an Arabic path, claim or outlet)."""
        width = min(TOAST_WIDTH, self.size.width // 2) - 4  # padding and border
        shown = message_text(message, max(10, width), self.config)
        super().notify(shown, title=title, severity=severity, timeout=timeout, markup=False)

    def visible_actions(self) -> Iterable[str]:
        """Action ids, for tests."""
        return (a.id for a in ACTIONS)
