"""The notes panel: the open article's verification notes, with create, edit and delete.

Every change is saved at once by :class:`reader.core.notes.store.NotesStore` in a worker; the panel
says when it saved, and an unreadable notes file is reported with its path and line while the
app keeps running (the store keeps unsaved notes in memory and in a rescue file).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from reader.app.screens.note_editor import (
    Confirm,
    NoteDraft,
    NoteEditor,
    draft_of,
    note_from_draft,
    save_draft,
)
from reader.app.widgets.bidi_text import BidiText
from reader.core.config import Config
from reader.core.notes.store import Note, NotesFileError, NotesStore
from reader.core.sources.article import Article
from reader.core.text.sanitize import one_line

# Readable on dark and light themes: dark text on light tints (white on the dark red).
VERDICT_STYLES = {
    "true": "black on #a3d9a5",
    "mostly-true": "black on #c8e6a0",
    "mixed": "black on #ffd479",
    "misleading": "black on #f4a261",
    "mostly-false": "black on #f08a5d",
    "false": "white on #b03a2e",
    "unsupported": "black on #c3b1e1",
    "unverified": "black on #aec6cf",
}


def verdict_style(verdict: str) -> str:
    """The style that marks a passage with this verdict."""
    return VERDICT_STYLES.get(verdict, "black on #d0d0d0")


class NotesPanel(Vertical):
    """Notes of the open article. Enter edits the highlighted note, d deletes it."""

    BINDINGS = [Binding("d,delete", "delete", "Delete note", show=False)]

    class Changed(Message):
        """The article's notes changed: ``spans`` are (start, end, style) of their passages."""

        def __init__(self, spans: list[tuple[int, int, str]]) -> None:
            super().__init__()
            self.spans = spans

    class Loaded(Message):
        def __init__(self, article_id: str, notes: list[Note], error: str, saved: str) -> None:
            super().__init__()
            self.article_id, self.notes, self.error, self.saved = article_id, notes, error, saved

    def __init__(self, config: Config, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.store = NotesStore(config)
        self.article: Article | None = None
        self.notes: list[Note] = []
        self.anchors: dict[str, tuple[int, int] | None] = {}

    def compose(self) -> ComposeResult:
        yield Label(Text("Notes", style="bold"), id="notes-title")
        yield Static("", id="notes-status")
        yield OptionList(id="notes-list")

    def show_article(self, article: Article) -> None:
        """Load and show the notes of ``article``."""
        self.article = article
        self._load(article, "")

    @work(thread=True, exclusive=True, group="notes")
    def _load(self, article: Article, saved: str) -> None:
        try:
            notes = self.store.load(article.id)
            error = ""
        except NotesFileError as exc:
            notes, error = [], str(exc)
        self.anchors = {n.id: self.store.anchor(n, article).span for n in notes}
        self.post_message(self.Loaded(article.id, notes, error, saved))

    def on_notes_panel_loaded(self, message: Loaded) -> None:
        if self.article is None or message.article_id != self.article.id:
            return
        self.notes = message.notes
        status = self.query_one("#notes-status", Static)
        if message.error:
            status.update(Text(one_line(message.error), style="bold red"))
            self.app.notify(one_line(message.error), severity="error", markup=False, timeout=10)
        elif message.saved:
            status.update(Text(one_line(message.saved), style="green"))
        else:
            path = self.store.path_for(message.article_id)
            status.update(Text(f"{len(self.notes)} note(s) · {one_line(path.name)}", style="dim"))
        listing = self.query_one("#notes-list", OptionList)
        listing.clear_options()
        for note in self.notes:
            listing.add_option(Option(self._prompt(note), id=note.id))
        if self.notes:
            listing.highlighted = 0  # so Enter edits and d deletes without a click first
        spans = [
            (span[0], span[1], verdict_style(note.verdict))
            for note in self.notes
            if (span := self.anchors.get(note.id)) is not None
        ]
        self.post_message(self.Changed(spans))

    def _prompt(self, note: Note) -> Group:
        badge = Text(f" {one_line(note.verdict)} ", style=verdict_style(note.verdict))
        flags = []
        if self.anchors.get(note.id) is None:
            flags.append("orphaned: passage not found")
        if note.conflict_of:
            flags.append(f"conflict with {one_line(note.conflict_of)}")
        if flags:
            badge.append("  " + " · ".join(flags), style="bold red")
        lang = self.article.lang if self.article else None
        parts: list[RenderableType] = [
            badge,
            BidiText(note.claim or note.exact, self.config, max_lines=3, lang=lang),
        ]
        if note.note:
            parts.append(BidiText(note.note, self.config, max_lines=2, style="dim", lang=lang))
        return Group(*parts)

    # ----- create, edit, delete -----

    def annotate(self, article: Article, start: int, end: int) -> None:
        """Ask for a note on ``article.body[start:end]`` and save it."""
        passage = article.body[start:end]

        def done(draft: NoteDraft | None) -> None:
            if draft is not None:
                self._add(article, start, end, draft)

        self.app.push_screen(NoteEditor(self.config, passage, article.lang), done)

    # Saves are never exclusive: an exclusive worker cancels the one before it, and a save
    # cancelled before its thread started (two saves in one tick) would lose that note. The
    # store serialises saves itself.
    @work(thread=True, group="notes-save")
    def _add(self, article: Article, start: int, end: int, draft: NoteDraft) -> None:
        try:
            save_draft(self.store, article, start, end, draft)
        except NotesFileError as exc:
            self.app.call_from_thread(self._save_failed, exc)
            return
        self.app.call_from_thread(self._load, article, self._saved_text(article.id))

    def _saved_text(self, article_id: str) -> str:
        stamp = datetime.now().strftime("%H:%M:%S")
        return f"saved {stamp} → {self.store.path_for(article_id)}"

    def _save_failed(self, exc: NotesFileError) -> None:
        message = one_line(f"not saved: {exc} (kept in memory and in a rescue file)")
        self.query_one("#notes-status", Static).update(Text(message, style="bold red"))
        self.app.notify(message, severity="error", markup=False, timeout=15)

    def _highlighted(self) -> Note | None:
        listing = self.query_one("#notes-list", OptionList)
        if listing.highlighted is None or not self.notes:
            return None
        return self.notes[listing.highlighted]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        note, article = self._highlighted(), self.article
        if note is None or article is None:
            return
        draft = draft_of(note)

        def done(result: NoteDraft | None) -> None:
            if result is not None:
                self._update(article, note_from_draft(note, result))

        self.app.push_screen(NoteEditor(self.config, note.exact, article.lang, draft), done)

    @work(thread=True, group="notes-save")
    def _update(self, article: Article, note: Note) -> None:
        try:
            self.store.update(article.id, note)
        except NotesFileError as exc:
            self.app.call_from_thread(self._save_failed, exc)
            return
        self.app.call_from_thread(self._load, article, self._saved_text(article.id))

    def action_delete(self) -> None:
        note, article = self._highlighted(), self.article
        if note is None or article is None:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self._delete(article, note.id)

        excerpt = one_line((note.claim or note.exact)[:60])
        self.app.push_screen(Confirm(f"Delete the note “{excerpt}”?"), done)

    @work(thread=True, group="notes-save")
    def _delete(self, article: Article, note_id: str) -> None:
        try:
            self.store.delete(article.id, note_id)
        except NotesFileError as exc:
            self.app.call_from_thread(self._save_failed, exc)
            return
        self.app.call_from_thread(self._load, article, self._saved_text(article.id))
