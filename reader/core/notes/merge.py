"""Merging two versions of an article's notes, by note id, so that no note is ever lost.

``base`` is what one side read, ``ours`` what it wants to save, ``theirs`` what the file holds
now (another window, a CLI command, a hand edit or a git pull changed it meanwhile).

For each note id:

- changed on one side only: that side's version;
- changed on both sides in the same way: that version;
- changed differently on both sides: theirs keeps the id, ours is kept as a conflict copy
  (id ``<id>-conflict``, ``conflict_of = "<id>"``) for a person to resolve;
- new on either side: kept;
- deleted on one side and unchanged on the other: deleted (a deletion is not undone);
- deleted on one side and changed on the other: the changed version is kept.

Merging is idempotent: merging the same ``ours`` again into the result changes nothing (a
conflict copy that already holds ours is recognised by its content).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reader.core.notes.note import Note

CONFLICT_SUFFIX = "-conflict"


def merge_notes(base: Sequence[Note], ours: Sequence[Note], theirs: Sequence[Note]) -> list[Note]:
    """The merged notes: theirs in their order (minus deletions), then ours' new notes and
    conflict copies in ours' order."""
    base_by_id = {note.id: note for note in base}
    ours_by_id = {note.id: note for note in ours}
    theirs_ids = {note.id for note in theirs}
    taken = set(base_by_id) | set(ours_by_id) | theirs_ids
    merged: list[Note] = []
    extra: list[Note] = []

    for their in theirs:
        original = base_by_id.get(their.id)
        mine = ours_by_id.get(their.id)
        if mine is None:
            # Deleted by us: stays deleted unless they changed it meanwhile.
            if original is None or not their.same_content(original):
                merged.append(their)
            continue
        if mine.same_content(their) or (original is not None and mine.same_content(original)):
            merged.append(their)
        elif original is not None and their.same_content(original):
            merged.append(mine)
        else:
            merged.append(their)
            if not any(other.conflict_of == their.id and other.same_text(mine) for other in theirs):
                copy = replace(mine, id=_free_id(their.id, taken), conflict_of=their.id)
                taken.add(copy.id)
                extra.append(copy)

    for mine in ours:
        if mine.id in theirs_ids:
            continue
        original = base_by_id.get(mine.id)
        # Deleted by them: stays deleted unless we changed it meanwhile.
        if original is None or not mine.same_content(original):
            merged.append(mine)
    return merged + extra


def _free_id(note_id: str, taken: set[str]) -> str:
    candidate = note_id + CONFLICT_SUFFIX
    number = 2
    while candidate in taken:
        candidate = f"{note_id}{CONFLICT_SUFFIX}-{number}"
        number += 1
    return candidate
