"""The notes panel: the open article's verification notes, with create, edit and delete.

The panel asks, its owner answers: Enter on a note posts :class:`NotesPanel.EditRequested` and
``d`` posts :class:`NotesPanel.DeleteRequested`; the owner shows the editor or the question and
hands the answer back (:meth:`NotesPanel.add_note`, :meth:`NotesPanel.update_note`,
:meth:`NotesPanel.delete_note`). Every change is saved at once by
:class:`reader.core.notes.store.NotesStore` in a worker that posts what happened; the panel says
when it saved, and an unreadable notes file is reported with its path and line while the app keeps
running (the store keeps unsaved notes in memory and in a rescue file). The open article's notes
file is watched (its size, time and inode, looked at every :data:`WATCH_SECONDS`): a note added
with `reader notes`, by hand or by `git pull` shows up without reopening the article.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from reader.app.actions import bindings
from reader.app.styles import verdict_style
from reader.app.widgets.bidi_text import BidiText, field_text
from reader.core.config import Config
from reader.core.notes.draft import NoteDraft, save_draft
from reader.core.notes.store import Note, NotesFileError, NotesStore
from reader.core.sources.article import Article
from reader.core.text.sanitize import one_line

WATCH_SECONDS = 1.0
Signature = tuple[int, int, int] | None  # a notes file's (mtime_ns, size, inode); None: absent


class NotesPanel(Vertical):
    """Notes of the open article. Enter edits the highlighted note, d deletes it."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("notes")]

    class Changed(Message):
        """The article's notes changed: ``spans`` are (start, end, style) of their passages."""

        def __init__(self, spans: list[tuple[int, int, str]]) -> None:
            super().__init__()
            self.spans = spans

    class Loaded(Message):
        """The notes of ``article_id`` were read (``error`` says why not), with their anchors."""

        def __init__(
            self,
            article_id: str,
            notes: list[Note],
            anchors: dict[str, tuple[int, int] | None],
            error: str,
            saved: str,
            signature: Signature = None,
        ) -> None:
            super().__init__()
            self.article_id, self.notes, self.anchors = article_id, notes, anchors
            self.error, self.saved, self.signature = error, saved, signature

    class Saved(Message):
        """A change to the notes of ``article`` was written (``saved`` says when and where)."""

        def __init__(self, article: Article, saved: str) -> None:
            super().__init__()
            self.article, self.saved = article, saved

    class SaveFailed(Message):
        """A change could not be written (the store kept it in memory and a rescue file)."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    class EditRequested(Message):
        """The user asked to edit ``note`` (of ``article``): the owner shows the editor and
        hands the result to :meth:`NotesPanel.update_note`."""

        def __init__(self, article: Article, note: Note) -> None:
            super().__init__()
            self.article, self.note = article, note

    class DeleteRequested(Message):
        """The user asked to delete ``note``: the owner asks to confirm, then calls
        :meth:`NotesPanel.delete_note`."""

        def __init__(self, article: Article, note: Note) -> None:
            super().__init__()
            self.article, self.note = article, note

    def __init__(self, config: Config, store: NotesStore, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.store = store  # the library's: one store keeps every unsaved note
        self.article: Article | None = None
        self.notes: list[Note] = []
        self.anchors: dict[str, tuple[int, int] | None] = {}
        self._seen: Signature = None  # the notes file as the panel last read it

    def on_mount(self) -> None:
        self.set_interval(WATCH_SECONDS, self._watch)

    def _signature(self, article_id: str) -> Signature:
        try:
            info = self.store.path_for(article_id).stat()
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size, info.st_ino)

    def _watch(self) -> None:
        """Read the notes again when their file changed since the panel read it."""
        article = self.article
        if article is None:
            return
        signature = self._signature(article.id)
        if signature != self._seen:
            self._seen = signature  # once per change, even while it loads
            self._load(article, "")

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
        signature = self._signature(article.id)  # before reading: a later change is seen next
        try:
            notes = self.store.load(article.id)
            error = ""
        except NotesFileError as exc:
            notes, error = [], str(exc)
        anchors = {n.id: self.store.anchor(n, article).span for n in notes}
        self.post_message(self.Loaded(article.id, notes, anchors, error, saved, signature))

    def on_notes_panel_loaded(self, message: Loaded) -> None:
        if self.article is None or message.article_id != self.article.id:
            return
        self.notes, self.anchors = message.notes, message.anchors
        self._seen = message.signature
        status = self.query_one("#notes-status", Static)
        if message.error:
            status.update(Text(one_line(message.error), style="bold red"))
            self.app.notify(one_line(message.error), severity="error", markup=False, timeout=10)
        elif message.saved:
            status.update(Text(one_line(message.saved), style="green"))
        else:
            path = self.store.path_for(message.article_id)
            status.update(
                Text(
                    f"{len(self.notes)} note(s) · {field_text(path.name, self.config)}", style="dim"
                )
            )
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
        badge = Text(
            f" {field_text(note.verdict, self.config)} ", style=verdict_style(note.verdict)
        )
        flags = []
        if self.anchors.get(note.id) is None:
            flags.append("orphaned: passage not found")
        if note.conflict_of:
            flags.append(f"conflict with {field_text(note.conflict_of, self.config)}")
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

    # Saves are never exclusive: an exclusive worker cancels the one before it, and a save
    # cancelled before its thread started (two saves in one tick) would lose that note. The
    # store serialises saves itself.
    @work(thread=True, group="notes-save")
    def add_note(self, article: Article, start: int, end: int, draft: NoteDraft) -> None:
        """Save a new note with the draft's fields on ``article.body[start:end]``, in a worker."""
        try:
            save_draft(self.store, article, start, end, draft)
        except NotesFileError as exc:
            self.post_message(self.SaveFailed(str(exc)))
            return
        self.post_message(self.Saved(article, self._saved_text(article.id)))

    @work(thread=True, group="notes-save")
    def update_note(self, article: Article, note: Note) -> None:
        """Save an edited note of ``article``, in a worker."""
        try:
            self.store.update(article.id, note)
        except NotesFileError as exc:
            self.post_message(self.SaveFailed(str(exc)))
            return
        self.post_message(self.Saved(article, self._saved_text(article.id)))

    @work(thread=True, group="notes-save")
    def delete_note(self, article: Article, note_id: str) -> None:
        """Delete a note of ``article``, in a worker."""
        try:
            self.store.delete(article.id, note_id)
        except NotesFileError as exc:
            self.post_message(self.SaveFailed(str(exc)))
            return
        self.post_message(self.Saved(article, self._saved_text(article.id)))

    def _saved_text(self, article_id: str) -> str:
        stamp = datetime.now().strftime("%H:%M:%S")
        return f"saved {stamp} → {self.store.path_for(article_id)}"

    def on_notes_panel_saved(self, message: Saved) -> None:
        # The panel's own write is not a change for the watcher to load again: that load
        # (exclusive) replaced this one now and then, and "saved … → file" never showed.
        self._seen = self._signature(message.article.id)
        self._load(message.article, message.saved)

    def on_notes_panel_save_failed(self, message: SaveFailed) -> None:
        text = one_line(f"not saved: {message.error} (kept in memory and in a rescue file)")
        self.query_one("#notes-status", Static).update(Text(text, style="bold red"))
        self.app.notify(text, severity="error", markup=False, timeout=15)

    def _highlighted(self) -> Note | None:
        listing = self.query_one("#notes-list", OptionList)
        if listing.highlighted is None or not self.notes:
            return None
        return self.notes[listing.highlighted]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        """Ask the owner to edit the highlighted note."""
        note, article = self._highlighted(), self.article
        if note is not None and article is not None:
            self.post_message(self.EditRequested(article, note))

    def action_delete(self) -> None:
        """Ask the owner to delete the highlighted note (it asks the user first)."""
        note, article = self._highlighted(), self.article
        if note is not None and article is not None:
            self.post_message(self.DeleteRequested(article, note))
