"""A note as a person writes it, apart from where it is anchored: what the app's note editor
collects and what every part of the app saves through :func:`save_draft`.

Nothing is lost by turning a note into a draft and back: :func:`note_from_draft` of
:func:`draft_of` gives the note it started from. Keys a person added to the file by hand are not
in the draft; the store edits the note's table in place, so they stay.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reader.core.notes.note import Evidence, Note
from reader.core.notes.store import NotesStore
from reader.core.sources.article import Article


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """The fields of a note a person writes: claim, verdict, reasoning, evidence and tags."""

    claim: str
    verdict: str
    note: str
    evidence: tuple[Evidence, ...]
    tags: tuple[str, ...]


def draft_of(note: Note) -> NoteDraft:
    """The draft of an existing note (every field a person writes)."""
    return NoteDraft(note.claim, note.verdict, note.note, note.evidence, note.tags)


def note_from_draft(note: Note, draft: NoteDraft) -> Note:
    """``note`` with the draft's fields; ``note_from_draft(n, draft_of(n))`` equals ``n``."""
    return replace(
        note,
        claim=draft.claim,
        verdict=draft.verdict,
        note=draft.note,
        evidence=draft.evidence,
        tags=draft.tags,
    )


def save_draft(store: NotesStore, article: Article, start: int, end: int, draft: NoteDraft) -> Note:
    """Add a note with the draft's fields on ``article.body[start:end]`` and return it as saved.
    Raises NotesFileError when the article's notes file cannot be written (the store then keeps
    the note in memory and in a rescue file) and ValueError for a bad span or verdict."""
    return store.add(
        article,
        start,
        end,
        verdict=draft.verdict,
        claim=draft.claim,
        note=draft.note,
        evidence=draft.evidence,
        tags=draft.tags,
    )
