"""Writing notes files with tomlkit: edit the document a person may have edited, in place.

:func:`apply_notes` makes a parsed document hold exactly the given notes while touching as
little as it can: a note that did not change is left byte for byte as it was, a changed note
gets only its changed keys replaced (their end-of-line comments stay), a new note is appended.
Comments, key order, unknown keys and layout a person chose all survive.

Strings are written with explicit escapes for control characters, bidi controls and line
separators, so a notes file shows no invisible characters in an editor (``\\u202E``, not an
actual override) while every value reads back exactly as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import tomlkit
from tomlkit import items
from tomlkit.toml_document import TOMLDocument

from reader.core.notes.file import FORMAT_VERSION
from reader.core.notes.note import UNVERIFIED, Evidence, Note

# What TOML forbids raw (C0 but tab, DEL) plus what an editor would not show: C1 controls,
# bidi marks/embeddings/overrides/isolates, line/paragraph separators, BOM.
_INVISIBLE = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
_SINGLE = re.compile(f'[\\\\"{_INVISIBLE}]')
_SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_INVISIBLE_CHAR = re.compile(f"[{_INVISIBLE}]")
# Fields a person writes in prose: written as multi-line strings when they hold a newline.
_PROSE = frozenset({"claim", "note", "quote", "comment"})


def _escape(char: str) -> str:
    return _SHORT.get(char) or f"\\u{ord(char):04X}"


def string_item(value: str, *, multiline: bool = False) -> items.String:
    """A TOML basic string for ``value``; multi-line (opening with a newline, for readability)
    when ``multiline`` is asked for and the value has a line break."""
    if not (multiline and "\n" in value):
        raw = _SINGLE.sub(lambda m: _escape(m.group()), value)
        return items.String(items.StringType.SLB, value, raw, items.Trivia())
    out: list[str] = []
    quotes = 0
    for char in value:
        if char == '"':
            # Three quotes in a row would close the string: escape every third.
            out.append('\\"' if quotes == 2 else '"')
            quotes = 0 if quotes == 2 else quotes + 1
            continue
        quotes = 0
        if char == "\n":
            out.append("\n")
        elif char == "\\" or _INVISIBLE_CHAR.match(char):
            out.append(_escape(char))
        else:
            out.append(char)
    # A quote right before the closing delimiter would be read as part of it.
    at = len(out)
    while at and out[at - 1] == '"':
        out[at - 1] = '\\"'
        at -= 1
    # The parser drops a newline right after the opening delimiter.
    return items.String(items.StringType.MLB, value, "\n" + "".join(out), items.Trivia())


def _item(key: str, value: Any) -> Any:
    if isinstance(value, str):
        return string_item(value, multiline=key in _PROSE)
    if isinstance(value, tuple | list):
        array = tomlkit.array()
        for entry in value:
            array.append(string_item(entry))
        return array
    return tomlkit.item(value)


def _fields(note: Note) -> list[tuple[str, Any, Any]]:
    """(key, value, value when the key is absent), in the order a new note is written."""
    return [
        ("id", note.id, None),
        ("verdict", note.verdict, UNVERIFIED),
        ("claim", note.claim, note.quote.exact),
        ("note", note.note, ""),
        ("tags", note.tags, ()),
        ("exact", note.quote.exact, None),
        ("prefix", note.quote.prefix, ""),
        ("suffix", note.quote.suffix, ""),
        ("start", note.position.start, None),
        ("end", note.position.end, None),
        ("author", note.author, ""),
        ("claimant", note.claimant, ""),
        ("claimant_url", note.claimant_url, ""),
        ("review_url", note.review_url, ""),
        ("created", note.created, None),
        ("updated", note.updated, None),
        ("conflict_of", note.conflict_of, ""),
    ]


_EVIDENCE_KEYS = ("url", "article", "quote", "comment")


def _evidence_fields(evidence: Evidence) -> list[tuple[str, str]]:
    return [
        ("url", evidence.url),
        ("article", evidence.article),
        ("quote", evidence.quote),
        ("comment", evidence.comment),
    ]


def _plain(value: Any) -> Any:
    value = value.unwrap() if hasattr(value, "unwrap") else value
    return list(value) if isinstance(value, tuple) else value


def _equal(current: Any, wanted: Any) -> bool:
    current, wanted = _plain(current), _plain(wanted)
    if isinstance(current, datetime) and isinstance(wanted, datetime):
        return current == wanted and current.utcoffset() == wanted.utcoffset()
    return type(current) is type(wanted) and bool(current == wanted)


def note_table(note: Note) -> items.Table:
    """A new ``[[notes]]`` table for ``note``; empty optional keys other than ``note`` and
    ``tags`` are left out."""
    table = tomlkit.table()
    for key, value, absent in _fields(note):
        if key not in ("note", "tags", "claim", "verdict") and absent is not None and not value:
            continue
        table.append(key, _item(key, value))
    if note.evidence:
        table.append("evidence", _evidence_aot(note.evidence))
    return table


def _evidence_table(evidence: Evidence) -> items.Table:
    table = tomlkit.table()
    for key, value in _evidence_fields(evidence):
        if value or key in ("quote", "comment"):
            table.append(key, _item(key, value))
    return table


def _evidence_aot(evidence: Sequence[Evidence]) -> items.AoT:
    aot = tomlkit.aot()
    for entry in evidence:
        aot.append(_evidence_table(entry))
    return aot


def uneditable_reason(doc: TOMLDocument) -> tuple[str, str] | None:
    """(message, key) when reader cannot edit this (valid) document in place, else None."""
    notes = doc.get("notes")
    if notes is not None and not isinstance(notes, items.AoT):
        message = "reader edits notes only as [[notes]] tables; please rewrite notes = [...] so"
        return message, "notes"
    return None


def apply_notes(
    doc: TOMLDocument, notes: Sequence[Note], unchanged: Collection[str] = frozenset()
) -> None:
    """Make ``doc``'s ``[[notes]]`` hold exactly ``notes``: existing tables (matched by id)
    keep their place and get only changed keys replaced; tables of notes not in ``notes`` go;
    new notes are appended in the given order. Ids in ``unchanged`` are known to match their
    table already and are not compared (a speed-up for big files)."""
    wanted = {note.id for note in notes}
    aot = doc.get("notes")
    if aot is not None:
        for index in reversed(range(len(aot))):
            if str(aot[index].get("id", "")) not in wanted:
                _delete_table(aot, index)
    elif notes:
        aot = tomlkit.aot()
        doc.append("notes", aot)
    if aot is None:
        return
    tables: dict[str, items.Table] = {}
    for table in aot:
        tables.setdefault(str(table.get("id", "")), table)
    for note in notes:
        table = tables.get(note.id)
        if table is None:
            _append_table(aot, note_table(note))
        elif note.id not in unchanged:
            update_table(table, note)
    if not len(aot):
        del doc["notes"]


def _append_table(aot: items.AoT, table: items.Table) -> None:
    """Append with the layout of the file: a blank line between tables, and after the new one
    too when the tables before it end with one."""
    if len(aot):
        if aot[-1].as_string().endswith("\n\n"):
            table.add(tomlkit.nl())
        elif "\n" not in table.trivia.indent:
            table.trivia.indent = "\n" + table.trivia.indent
    aot.append(table)


def _delete_table(aot: items.AoT, index: int) -> None:
    """Remove one note table. Comments after its last key sit just above the next note's
    header and are more likely about that note: move them to the table before, which keeps
    them in place. (Before the first note there is no table to carry them; they go.)"""
    body = aot[index].value.body
    trailing: list[Any] = []
    for key, entry in reversed(body):
        if key is not None or not isinstance(entry, items.Comment | items.Whitespace):
            break
        trailing.append(entry)
    if index > 0 and any(isinstance(entry, items.Comment) for entry in trailing):
        previous = aot[index - 1]
        for entry in reversed(trailing):
            previous.add(entry)
    del aot[index]


def update_table(table: items.Table, note: Note) -> None:
    """Make an existing ``[[notes]]`` table hold ``note``, replacing only the keys that
    changed (other keys, comments and layout stay)."""
    for key, value, absent in _fields(note):
        if key not in table:
            if absent is not None and _equal(value, absent):
                continue
            table[key] = _item(key, value)
        elif not _equal(table[key], value):
            if key == "conflict_of" and not value:
                del table[key]
            else:
                table[key] = _item(key, value)
    _update_evidence(table, note.evidence)


def _read_evidence(current: Any) -> list[Evidence]:
    found: list[Evidence] = []
    for entry in current:
        if not hasattr(entry, "get"):
            return []
        found.append(Evidence(**{key: str(entry.get(key, "")) for key in _EVIDENCE_KEYS}))
    return found


def _update_evidence(table: items.Table, evidence: tuple[Evidence, ...]) -> None:
    current = table.get("evidence")
    if current is None:
        if evidence:
            table.append("evidence", _evidence_aot(evidence))
        return
    if _read_evidence(current) == list(evidence):
        return
    if not isinstance(current, items.AoT) or not evidence:
        del table["evidence"]
        if evidence:
            table.append("evidence", _evidence_aot(evidence))
        return
    # Each wanted entry takes the table that holds it already, else the table at its place
    # (an edited entry), so the keys a person added to an entry stay with that entry.
    old = _read_evidence(current)
    used: set[int] = set()
    chosen: list[int | None] = []
    for entry in evidence:
        same = next((j for j, o in enumerate(old) if j not in used and o == entry), None)
        chosen.append(same)
        if same is not None:
            used.add(same)
    for index, entry in enumerate(evidence):
        if chosen[index] is None and index < len(old) and index not in used:
            chosen[index] = index
            used.add(index)
            _update_evidence_table(current[index], entry)
    kept = [j for j in chosen if j is not None]
    in_order = kept == sorted(kept) and chosen[: len(kept)] == kept
    if not in_order:  # reordered: rebuild the array from the same tables
        tables = [
            current[j] if j is not None else _evidence_table(e)
            for j, e in zip(chosen, evidence, strict=True)
        ]
        del table["evidence"]
        aot = tomlkit.aot()
        for entry_table in tables:
            aot.append(entry_table)
        table.append("evidence", aot)
        return
    for index in reversed(range(len(current))):
        if index not in used:
            del current[index]
    for entry, j in zip(evidence, chosen, strict=True):
        if j is None:
            _append_table(current, _evidence_table(entry))


def _update_evidence_table(target: Any, entry: Evidence) -> None:
    for key, value in _evidence_fields(entry):
        if key in target and _equal(target[key], value):
            continue
        if key not in target and not value:
            continue
        target[key] = _item(key, value)


def _comment_safe(text: str) -> str:
    return " ".join(_INVISIBLE_CHAR.sub(" ", text).split())


def new_document(article_id: str, title: str = "") -> TOMLDocument:
    """An empty notes file for one article, with a short explanation for a person opening it."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment("Verification notes on one article, kept by reader."))
    if title:
        doc.add(tomlkit.comment(f"Article: {_comment_safe(title)[:200]}"))
    doc.add(tomlkit.comment("You may edit this file: reader keeps comments, key order and layout."))
    doc.add(tomlkit.comment('Schema: README, "Notes files". Times carry a UTC offset.'))
    doc.add("version", FORMAT_VERSION)
    doc.add("article", string_item(article_id))
    doc.add(tomlkit.nl())
    return doc


def rescue_document(
    article_id: str, file_name: str, notes: Sequence[Note], base: Sequence[Note]
) -> TOMLDocument:
    """A rescue file: the notes reader could not save (``[[notes]]``) and the notes the file held
    when reader read it (``[[base]]``), which the next successful save merges back."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"reader could not save these notes to {file_name}: that file has"))
    doc.add(tomlkit.comment("an error. Fix it; the next save merges these notes back into it and"))
    doc.add(tomlkit.comment("deletes this file. [[notes]]: the notes as reader wanted to save"))
    doc.add(tomlkit.comment("them. [[base]]: the notes as reader last read them, used to merge."))
    doc.add("version", FORMAT_VERSION)
    doc.add("article", string_item(article_id))
    doc.add("rescue_of", string_item(file_name))
    doc.add(tomlkit.nl())
    for key, group in (("notes", notes), ("base", base)):
        if group:
            aot = tomlkit.aot()
            for note in group:
                aot.append(note_table(note))
            doc.append(key, aot)
    return doc
