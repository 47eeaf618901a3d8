"""The questions asked before a note changes: the note editor for a new or an edited note, and
"delete it?". The main window and the compare view ask them the same way; each hands the
answer to the widget that saves it (only when the user did not cancel).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from reader.app.screens.confirm import Confirm
from reader.app.screens.note_editor import NoteEditor
from reader.core.config import Config
from reader.core.notes.draft import NoteDraft, draft_of, note_from_draft
from reader.core.notes.note import Note
from reader.core.sources.article import Article
from reader.core.text.sanitize import one_line


def ask_for_note(
    app: App[Any],
    config: Config,
    article: Article,
    passage: tuple[int, int],
    then: Callable[[NoteDraft], object],
) -> None:
    """Show the editor for a new note on ``article.body[start:end]``; ``then(draft)`` on save."""
    start, end = passage

    def done(draft: NoteDraft | None) -> None:
        if draft is not None:
            then(draft)

    app.push_screen(NoteEditor(config, article.body[start:end], article.lang), done)


def ask_to_edit(
    app: App[Any], config: Config, article: Article, note: Note, then: Callable[[Note], object]
) -> None:
    """Show the editor for ``note``; ``then(edited note)`` on save."""

    def done(draft: NoteDraft | None) -> None:
        if draft is not None:
            then(note_from_draft(note, draft))

    app.push_screen(NoteEditor(config, note.exact, article.lang, draft_of(note)), done)


def ask_to_delete(app: App[Any], note: Note, then: Callable[[], object]) -> None:
    """Ask whether to delete ``note``; ``then()`` on yes."""

    def done(yes: bool | None) -> None:
        if yes:
            then()

    excerpt = one_line((note.claim or note.exact)[:60])
    app.push_screen(Confirm(f"Delete the note “{excerpt}”?"), done)
