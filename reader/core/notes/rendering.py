"""Writing a notes file's new text (:func:`render_file`): the notes that changed spliced into
the text as it is (:mod:`reader.core.notes.splice`), else the whole document edited with
tomlkit, keeping the user's comments and layout, and checked to read back as the notes given."""

from __future__ import annotations

from pathlib import Path

import tomlkit
import tomlkit.exceptions

from reader.core.files.text_form import TextForm
from reader.core.notes.file import NotesFileError, nesting_error, parse_notes
from reader.core.notes.note import Note
from reader.core.notes.splice import FileState, NotesText
from reader.core.notes.toml_format import apply_notes, new_document, uneditable_reason


def render_file(
    article_id: str, title: str, path: Path, state: FileState | None, merged: list[Note]
) -> tuple[str, NotesText | None]:
    """The file's new text, holding ``merged``: only the changed notes' pieces re-rendered
    when the file can be cut (see :mod:`reader.core.notes.splice`), else the whole
    document edited with tomlkit and checked. Raises NotesFileError."""
    on_disk = {note.id: note for note in state.notes} if state is not None else {}
    unchanged = {n.id for n in merged if n.id in on_disk and on_disk[n.id].identical(n)}
    if state is not None:
        pieces = state.cut()
        if pieces is not None:
            edited = pieces.edited(path, merged, on_disk, unchanged)
            if edited is not None:
                return edited.text(), edited
        doc = editable(path, state.text)
        reason = uneditable_reason(doc)
        if reason is not None:
            raise error_at(path, state.text, *reason)
    else:
        doc = new_document(article_id, title)
    try:
        apply_notes(doc, merged, unchanged)
        output = doc.as_string()
    except RecursionError as exc:
        raise nesting_error(path, state.text if state else "") from exc
    written = parse_notes(output, path, article_id).notes
    if len(written) != len(merged) or not all(
        a.identical(b) for a, b in zip(written, merged, strict=True)
    ):  # pragma: no cover - a tomlkit surprise: refuse rather than write wrong data
        raise NotesFileError(
            path, 1, 1, "reader could not edit this file faithfully; please report it"
        )
    return output, None


def editable(path: Path, text: str) -> tomlkit.TOMLDocument:
    """``text`` as a tomlkit document to edit; NotesFileError when tomlkit cannot read it."""
    try:
        return tomlkit.parse(text)
    except RecursionError as exc:
        raise nesting_error(path, text) from exc
    except tomlkit.exceptions.ParseError as exc:  # valid for tomllib, not for tomlkit
        raise NotesFileError(path, exc.line, exc.col, f"reader cannot edit this: {exc}") from exc


def error_at(path: Path, text: str, message: str, key: str) -> NotesFileError:
    """``message`` as an error at the first line of ``text`` that starts with ``key``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(key):
            return NotesFileError(path, number, len(line) - len(line.lstrip()) + 1, message)
    return NotesFileError(path, 1, 1, message)


def in_form(
    form: TextForm,
    output: str,
    pieces: NotesText | None,
    path: Path,
    article_id: str,
    merged: list[Note],
) -> tuple[str, NotesText | None]:
    """(the text to write for ``output`` in the file's ``form`` (its line ends: see
    :mod:`reader.core.files.text_form`), the pieces of that text when known). The text
    changed is read back first: when it would not give the ``merged`` notes exactly (a line
    end inside a value), ``output`` is written as rendered."""

    def reads_the_same(shaped: str) -> bool:
        try:
            back = parse_notes(shaped, path, article_id).notes
        except NotesFileError:
            return False
        return len(back) == len(merged) and all(
            a.identical(b) for a, b in zip(back, merged, strict=True)
        )

    shaped = form.kept(output, reads_the_same)
    # The pieces of a text made over are cut again from it when next needed.
    return (output, pieces) if shaped is output else (shaped, None)
