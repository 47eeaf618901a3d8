"""Saving a few notes into a big notes file without re-parsing or re-writing the others.

:class:`NotesText` cuts a notes file's text into pieces: each ``[[notes]]`` table (its header
through its last key, with its ``[[notes.evidence]]`` and other sub-tables) is a piece, and so
is whatever lies between them (the head, comments, blank lines, other tables). A save then
re-renders only the pieces of the notes that changed, with tomlkit, from that piece's own
text (so a note keeps its comments, key order and the keys a person added), drops the pieces
of deleted notes, and adds the pieces of new notes after the last note. The cost of a save is
the size of the notes it changes, plus copying the file's text.

Nothing is trusted blindly: every piece that is replaced or dropped must parse on its own as
exactly the note the whole file held, and every new piece as exactly the note wanted, or
:meth:`NotesText.edited` returns None and the caller edits the whole document instead.
Cutting follows strings, comments and brackets, so a ``[[notes]]`` line inside a multi-line
string or a nested array is not taken for a header.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Final

import tomlkit
import tomlkit.exceptions
from tomlkit import items

from reader.core.notes.file import NotesFileError, parse_notes
from reader.core.notes.note import Note
from reader.core.notes.toml_format import note_table, update_table

# Strings and comments (whose brackets do not count), brackets, and line breaks.
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"{3,5}'
    r"|'''[\s\S]*?'{3,5}"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*"
    r"|[\[\]{}]"
)
_BARE = r"[A-Za-z0-9_-]+"
_PART = rf'(?:{_BARE}|"[^"\\\n]*"|\'[^\'\n]*\')'
_HEADER = re.compile(rf"(\[\[?)[ \t]*({_PART}(?:[ \t]*\.[ \t]*{_PART})*)[ \t]*(\]\]?)")
_NOTE, _SUB, _OTHER = "note", "sub", "other"


def _header_kind(text: str, at: int) -> tuple[str, int] | None:
    """(kind, end) of the table header that starts at ``at``; None when reader cannot tell."""
    match = _HEADER.match(text, at)
    if match is None or len(match.group(1)) != len(match.group(3)):
        return None
    parts = [p.strip().strip("\"'") for p in re.findall(_PART, match.group(2))]
    if parts == ["notes"]:
        return (_NOTE if match.group(1) == "[[" else _OTHER), match.end()
    if parts[0] == "notes":
        return _SUB, match.end()
    return _OTHER, match.end()


def _headers(text: str) -> list[tuple[int, str]] | None:
    """(line start, kind) of every table header, in order; None for a file reader cannot cut
    with confidence."""
    found: list[tuple[int, str]] = []
    depth = 0
    at = 0
    while (token := _TOKEN.search(text, at)) is not None:
        char = token.group()[0]
        at = token.end()
        if char in "]}":
            depth -= 1
        elif char in "{":
            depth += 1
        elif char == "[":
            line_start = text.rfind("\n", 0, token.start()) + 1
            if depth or text[line_start : token.start()].strip():
                depth += 1  # an array value
                continue
            header = _header_kind(text, token.start())
            if header is None:
                return None
            found.append((line_start, header[0]))
            at = header[1]
    return found


def _trailing_start(piece: str) -> int:
    """Where the blank and comment lines that end a note's piece begin (they stay in place
    when the note changes or goes: they are above the next table, often about it)."""
    lines = piece.splitlines(keepends=True)
    keep = len(lines)
    while keep > 1:
        line = lines[keep - 1].strip()
        if line and not (line.startswith("#") and '"""' not in line and "'''" not in line):
            break
        keep -= 1
    return sum(len(line) for line in lines[:keep])


class NotesText:
    """A notes file's text as pieces: ``ids[i]`` is the note id of piece ``i`` (None for text
    between notes). ``"".join(pieces)`` is the file's text."""

    def __init__(self, pieces: list[str], ids: list[str | None]) -> None:
        self.pieces = pieces
        self.ids = ids

    @classmethod
    def cut(cls, text: str, notes: Sequence[Note]) -> NotesText | None:
        """The pieces of ``text``, whose ``[[notes]]`` tables hold ``notes`` in this order;
        None when reader cannot cut it with confidence (the caller edits the whole file)."""
        headers = _headers(text)
        if headers is None:
            return None
        pieces: list[str] = []
        ids: list[str | None] = []
        in_note = False
        for _start, kind in headers:
            if kind == _SUB and not in_note:
                return None  # a [notes.x] table outside any note
            in_note = kind != _OTHER
        starts = [start for start, kind in headers if kind == _NOTE]
        if len(starts) != len(notes):
            return None
        ends = [start for start, kind in headers if kind != _SUB] + [len(text)]
        at = 0
        for start, note in zip(starts, notes, strict=True):
            end = ends[bisect.bisect_right(ends, start)]
            end = start + _trailing_start(text[start:end])
            pieces += [text[at:start], text[start:end]]
            ids += [None, note.id]
            at = end
        pieces.append(text[at:])
        ids.append(None)
        return cls(pieces, ids)

    def text(self) -> str:
        """The whole file's text."""
        return "".join(self.pieces)

    def edited(
        self,
        path: Path,
        notes: Sequence[Note],
        on_disk: Mapping[str, Note],
        unchanged: Collection[str],
    ) -> NotesText | None:
        """The pieces once the file holds exactly ``notes`` (the file holds ``on_disk`` now;
        ids in ``unchanged`` are known identical): changed notes re-rendered in place,
        deleted ones gone, new ones after the last note. Existing notes must keep their
        order. None when a piece does not check out (see the module docstring)."""
        wanted = {note.id: note for note in notes}
        order = [i for i in self.ids if i is not None and i in wanted]
        if order != [n.id for n in notes if n.id in on_disk]:
            return None
        pieces: list[str] = []
        ids: list[str | None] = []
        last_note = -1
        for piece, note_id in zip(self.pieces, self.ids, strict=True):
            if note_id is None:
                pieces.append(piece)
                ids.append(None)
                continue
            if note_id in unchanged:
                pieces.append(piece)
            else:
                old = on_disk[note_id]
                if not _holds(piece, path, old):
                    return None
                note = wanted.get(note_id)
                if note is None:  # deleted: its piece goes, with the blank lines after it
                    ids.append(note_id)
                    pieces.append("")
                    continue
                rendered = _rerendered(piece, note)
                if rendered is None or not _holds(rendered, path, note):
                    return None
                pieces.append(rendered)
            ids.append(note_id)
            last_note = len(pieces) - 1
        deleted = len(on_disk) > len(order)
        if deleted:
            _tidy_deleted(pieces, ids, wanted)
        new = [note for note in notes if note.id not in on_disk]
        if new:
            added = []
            for note in new:
                piece = _rendered(note)
                if not _holds(piece, path, note):
                    return None
                added.append(piece)
            _insert(pieces, ids, last_note, added, [n.id for n in new])
        if not deleted:
            return NotesText(pieces, ids)
        kept = [(p, i) for p, i in zip(pieces, ids, strict=True) if i is None or i in wanted]
        return NotesText([p for p, _i in kept], [i for _p, i in kept])


def _holds(piece: str, path: Path, note: Note) -> bool:
    """True when ``piece`` alone is one [[notes]] table holding exactly ``note``."""
    try:
        raw = tomllib.loads(piece)
        if set(raw) != {"notes"} or len(raw["notes"]) != 1:
            return False
        (found,) = parse_notes(piece, path, note.article_id).notes
    except (tomllib.TOMLDecodeError, NotesFileError, RecursionError, ValueError):
        return False
    return found.identical(note)


def _rerendered(piece: str, note: Note) -> str | None:
    try:
        doc = tomlkit.parse(piece)
        table = doc["notes"][0]
        if not isinstance(table, items.Table):
            return None
        update_table(table, note)
        return doc.as_string()
    except (tomlkit.exceptions.TOMLKitError, RecursionError, KeyError, IndexError, TypeError):
        return None


def _rendered(note: Note) -> str:
    doc = tomlkit.document()
    aot = tomlkit.aot()
    aot.append(note_table(note))
    doc.append("notes", aot)
    return doc.as_string()


def _blank_lines(text: str) -> int:
    """The length of the blank lines ``text`` starts with."""
    match = re.match(r"(?:[ \t]*\r?\n)*", text)
    return match.end() if match else 0


def _tidy_deleted(pieces: list[str], ids: list[str | None], wanted: Mapping[str, Note]) -> None:
    """Where a note's piece went, drop the blank lines that followed it (its separator), and
    at the end of the file those before it too."""
    for index, note_id in enumerate(ids):
        if note_id is None or note_id in wanted or index + 1 >= len(pieces):
            continue
        after = pieces[index + 1]
        pieces[index + 1] = after[_blank_lines(after) :]
        if "".join(pieces[index + 1 :]).strip():
            continue
        # The file ends here: no blank lines after the notes before it either.
        for before in range(index - 1, -1, -1):
            if ids[before] is not None and (ids[before] in wanted or pieces[before]):
                break
            if ids[before] is None:
                stripped = pieces[before].rstrip(" \t\r\n")
                pieces[before] = stripped + "\n" if stripped else ""
                if stripped:
                    break


def _insert(
    pieces: list[str], ids: list[str | None], after: int, added: list[str], new_ids: list[str]
) -> None:
    """Put new notes' pieces after piece ``after`` (the last note; -1: at the end of the file),
    a blank line between tables."""
    at = after + 1 if after >= 0 else len(pieces)
    before = "".join(pieces[max(0, at - 2) : at])
    sep = (
        "" if not before or before.endswith("\n\n") else ("\n" if before.endswith("\n") else "\n\n")
    )
    block: list[str] = []
    block_ids: list[str | None] = []
    for piece, note_id in zip(added, new_ids, strict=True):
        block += [sep, piece]
        block_ids += [None, note_id]
        sep = "\n"
    pieces[at:at] = block
    ids[at:at] = block_ids


class FileState:
    """A notes file's text as reader last read or wrote it, its notes, and (cut when first
    needed) its pieces."""

    _UNCUT: Final = object()

    def __init__(self, text: str, notes: tuple[Note, ...], pieces: NotesText | None = None):
        self.text = text
        self.notes = notes
        self._pieces: object = pieces if pieces is not None else self._UNCUT

    def cut(self) -> NotesText | None:
        """The text's pieces, or None when it cannot be cut (edit the whole document)."""
        if self._pieces is self._UNCUT:
            self._pieces = NotesText.cut(self.text, self.notes)
        return self._pieces if isinstance(self._pieces, NotesText) else None
