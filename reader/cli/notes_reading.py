"""Reading notes for the ``reader notes`` actions: every note or one article's, grouped by
article with the article itself (shared by listing and exporting)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.library import Library
    from reader.core.notes.export import ArticleNotes
    from reader.core.notes.note import Note
    from reader.core.notes.store import NotesFileError, NotesStore


def gather(notes: list[Note], library: Library) -> list[ArticleNotes]:
    """The notes grouped by article id (sorted), each with its article when in the corpus."""
    from reader.core.notes.export import ArticleNotes
    from reader.core.notes.store import notes_by_article

    grouped = notes_by_article(notes)
    return [
        ArticleNotes(article_id, library.get(article_id), tuple(group))
        for article_id, group in sorted(grouped.items())
    ]


def read_notes(
    store: NotesStore, article_id: str | None, errors: list[NotesFileError]
) -> list[Note]:
    """The notes of one article (or of all, for None); a file's error goes to ``errors``."""
    from reader.core.notes.store import NotesFileError

    if article_id is None:
        notes: list[Note] = store.all_notes(on_error=errors.append)
        return notes
    try:
        loaded: list[Note] = store.load(article_id)
    except NotesFileError as error:
        errors.append(error)
        return []
    return loaded
