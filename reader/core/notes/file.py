"""The notes file of one article: its name, and reading and validating it.

One TOML file per article in ``config.notes_dir``; the schema is in the README ("Notes files").
Reading uses :mod:`tomllib` and checks every note; any problem is a :class:`NotesFileError`
naming the file, line and column. Writing (see :mod:`reader.core.notes.toml_format`) goes through
:mod:`reader.core.files.safe_write`.

File names: an article id maps to a file name that is the id with every character outside
``a-z 0-9 _ . -`` percent-escaped as UTF-8 (``/`` becomes ``%2f``), upper-case letters written
as ``!`` and the lower-case letter (so two ids that differ in case never share a file on a
case-insensitive disk), a leading ``.`` escaped (no hidden files, no ``..``), then ``.toml``.
``000_7b206ec7414ebb17`` stays ``000_7b206ec7414ebb17.toml``; ``Reuters/a b`` becomes
``!reuters%2fa%20b.toml``. A name that would look like a rescue file (``x.rescue``) gets its
last dot escaped (``x%2erescue.toml``), and the id ``events`` its first letter
(``%65vents.toml``): ``events.toml`` holds the user's decisions over events. Names longer than
180 characters are cut and end in ``~`` and a hash of the id; those are not decodable, and the
file's ``article`` key names the article.
"""

from __future__ import annotations

import glob
import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from reader.core.files.nesting import MAX_NESTING, too_deep_at
from reader.core.files.regular import read_regular
from reader.core.files.text_form import TextForm
from reader.core.notes.anchoring import TextPositionSelector, TextQuoteSelector
from reader.core.notes.note import UNVERIFIED, Evidence, Note

FORMAT_VERSION = 1
SUFFIX = ".toml"

DECISIONS_FILE = "events.toml"
"""The one file of the notes folder that holds no article's notes: the user's decisions over
events (:func:`reader.core.events.decisions.decisions_path`; a test checks they agree). No
article's notes file takes its name, and the notes store never reads it as notes."""

_RESCUE_STEM = re.compile(r"\.rescue(?:-\d+)?$")
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.-")
_MAX_NAME = 180


class NotesFileError(Exception):
    """A notes file that cannot be read or does not follow the schema.

    ``line`` and ``column`` are 1-based; 0 for an error of the whole file (it cannot be read
    or written: no line of it is at fault). When unsaved notes were written to a rescue file
    because of this error, ``rescue`` is its path. The file itself is never written while it
    has an error.
    """

    def __init__(
        self, path: Path, line: int, column: int, message: str, rescue: Path | None = None
    ) -> None:
        super().__init__(path, line, column, message)
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.rescue = rescue

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else str(self.path)
        text = f"{where}: {self.message}"
        if self.rescue is not None:
            text += f" (unsaved notes kept in {self.rescue})"
        return text


def file_name_for(article_id: str) -> str:
    """The notes file name of an article (see the module docstring); never empty, never hidden,
    never containing a path separator."""
    parts: list[str] = []
    for index, char in enumerate(article_id):
        if char in _SAFE and not (index == 0 and char == "."):
            parts.append(char)
        elif "A" <= char <= "Z":
            parts.append("!" + char.lower())
        else:
            parts.append("".join(f"%{byte:02x}" for byte in char.encode("utf-8", "surrogatepass")))
    stem = "".join(parts) or "%"
    rescue_like = _RESCUE_STEM.search(stem)
    if rescue_like:  # keep "<id>.rescue" apart from the rescue file of "<id>"
        stem = stem[: rescue_like.start()] + "%2e" + stem[rescue_like.start() + 1 :]
    if stem + SUFFIX == DECISIONS_FILE:  # the article "events": its first letter escaped
        stem = f"%{ord(stem[0]):02x}{stem[1:]}"
    if len(stem) > _MAX_NAME:
        digest = hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=12)
        stem = stem[: _MAX_NAME - 25] + "~" + digest.hexdigest()
    return stem + SUFFIX


def article_id_from_file_name(name: str) -> str | None:
    """The article id a notes file name stands for, or None for a shortened (hashed) name or a
    name that is not a notes file."""
    if not name.endswith(SUFFIX) or "~" in name or name == DECISIONS_FILE:
        return None
    stem = name[: -len(SUFFIX)]
    if stem == "%":
        return ""
    stem = re.sub(r"!([a-z])", lambda m: m.group(1).upper(), stem)
    try:
        return unquote(stem, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:  # a name reader did not make
        return None


def is_rescue_file(path: Path) -> bool:
    """True for a rescue file (``<name>.rescue.toml``, ``<name>.rescue-2.toml``, ...); no
    article's notes file has such a name."""
    return path.name.endswith(SUFFIX) and _RESCUE_STEM.search(path.name[: -len(SUFFIX)]) is not None


def rescue_files(path: Path) -> list[Path]:
    """The rescue files that exist next to the notes file ``path``, oldest name first."""
    stem = path.name[: -len(SUFFIX)]
    pattern = re.compile(re.escape(stem) + r"\.rescue(?:-(\d+))?\.toml$")
    found: list[tuple[int, Path]] = []
    for candidate in path.parent.glob(f"{glob.escape(stem)}.rescue*.toml"):
        match = pattern.match(candidate.name)
        if match:
            found.append((int(match.group(1) or 1), candidate))
    return [p for _n, p in sorted(found)]


# -- reading and validating -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotesData:
    """What a notes (or rescue) file holds: its ``article`` key, its notes, and (rescue files
    only) the ``base`` notes the unsaved changes were made against."""

    article: str | None
    notes: tuple[Note, ...]
    base: tuple[Note, ...] = ()


def read_text(path: Path) -> str | None:
    """The file's text, or None when it does not exist. Raises NotesFileError when it is not
    UTF-8, cannot be read or is not a regular file (a FIFO or a device is never waited on)."""
    return read_text_and_form(path)[0]


def read_text_and_form(path: Path) -> tuple[str | None, TextForm]:
    """:func:`read_text`, and how the file is written (its byte order mark and line ends: a
    save keeps them; the default form when there is no file). Raises NotesFileError."""
    try:
        data = read_regular(path)
    except FileNotFoundError:
        return None, TextForm()
    except OSError as exc:
        raise NotesFileError(path, 0, 0, f"cannot read: {exc.strerror or exc}") from exc
    return _decoded(path, data), TextForm.of(data)


def _decoded(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise NotesFileError(path, line, column, "not UTF-8 text") from exc


def parse_notes(
    text: str, path: Path, article_id: str | None = None, *, rescue: bool = False
) -> NotesData:
    """Parse and validate a notes file's text. ``article_id``, when given, must agree with the
    file's ``article`` key; notes get this article id (else the key's, else the file name's).
    Raises NotesFileError with the line and column of the problem."""
    if too_deep_at(text, "toml") is not None:  # checked first: parsers recurse per level
        raise nesting_error(path, text)
    try:
        raw = tomllib.loads(text)
    except RecursionError as exc:
        raise nesting_error(path, text) from exc
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()]
        else:  # "(at end of document)"
            line = text.count("\n") + 1
            column = len(text) - (text.rfind("\n") + 1) + 1
            message = re.sub(r"\s*\(at end of document\)$", " at the end of the file", message)
        raise NotesFileError(path, line, column, f"invalid TOML: {message}") from exc
    return _Validator(text, path).validate(raw, article_id, rescue=rescue)


def nesting_error(path: Path, text: str) -> NotesFileError:
    """The error for a file whose arrays, inline tables or table headers nest deeper than
    :data:`reader.core.files.nesting.MAX_NESTING` levels (or too deeply for a parser's stack): at
    the first bracket past that depth."""
    line, column = too_deep_at(text, "toml") or (1, 1)
    message = f"nested too deeply (over {MAX_NESTING} levels of [ ] or {{ }}) to be read"
    return NotesFileError(path, line, column, message)


class _Validator:
    """Checks the parsed TOML against the schema; errors point at the offending key."""

    def __init__(self, text: str, path: Path) -> None:
        self.text = text
        self.path = path
        self._places: dict[tuple[str, int, int, str], tuple[int, int]] | None = None

    def fail(
        self, message: str, key: str = "", note: int = -1, evidence: int = -1, table: str = ""
    ) -> NotesFileError:
        if self._places is None:
            self._places = _key_places(self.text)
        where = self._places.get((table, note, evidence, key)) or self._places.get(
            (table, note, evidence, "")
        )
        line, column = where or (1, 1)
        return NotesFileError(self.path, line, column, message)

    def validate(self, raw: dict[str, Any], article_id: str | None, *, rescue: bool) -> NotesData:
        version = raw.get("version", FORMAT_VERSION)
        if isinstance(version, bool) or not isinstance(version, int):
            raise self.fail("version must be a whole number", "version")
        if version > FORMAT_VERSION:
            raise self.fail(
                f"written by a newer reader (version {version}; this reads {FORMAT_VERSION})",
                "version",
            )
        article = raw.get("article")
        if article is not None and not isinstance(article, str):
            raise self.fail("article must be a string (the article's id)", "article")
        if article is not None and article_id is not None and article != article_id:
            raise self.fail(
                f"this file holds the notes of article {article!r}, not {article_id!r}",
                "article",
            )
        owner = article_id if article_id is not None else article
        if owner is None:
            owner = article_id_from_file_name(self.path.name) or ""
        notes = self._notes(raw, "notes", owner)
        base = self._notes(raw, "base", owner) if rescue else ()
        return NotesData(article, notes, base)

    def _notes(self, raw: dict[str, Any], table: str, owner: str) -> tuple[Note, ...]:
        entries = raw.get(table, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise self.fail(f"{table} must be an array of tables ([[{table}]])", table)
        seen: set[str] = set()
        notes: list[Note] = []
        for index, entry in enumerate(entries):
            note = self._note(entry, index, table, owner)
            if note.id in seen:
                raise self.fail(f"duplicate note id {note.id!r}", "id", index, table=table)
            seen.add(note.id)
            notes.append(note)
        return tuple(notes)

    def _note(self, entry: dict[str, Any], index: int, table: str, owner: str) -> Note:
        def fail(message: str, key: str = "") -> NotesFileError:
            return self.fail(message, key, index, table=table)

        def get(key: str, kind: type, what: str, default: Any = None) -> Any:
            if key not in entry:
                if default is None:
                    raise fail(f"[[{table}]] number {index + 1} has no {key} ({what})")
                return default
            value = entry[key]
            if isinstance(value, bool) or not isinstance(value, kind):
                raise fail(f"{key} must be {what}", key)
            return value

        note_id = get("id", str, "a string")
        if not note_id:
            raise fail("id must not be empty", "id")
        exact = get("exact", str, "a string: the quoted passage")
        start = get("start", int, "a whole number (code point offset)")
        end = get("end", int, "a whole number (code point offset)")
        if start < 0:
            raise fail("start must not be negative", "start")
        if end < start:
            raise fail("end must not be before start", "end")
        stamps = []
        for key in ("created", "updated"):
            value = get(key, datetime, "a date-time with offset, e.g. 2024-05-01T10:00:00+02:00")
            if value.tzinfo is None:
                raise fail(f"{key} needs a UTC offset, e.g. 2024-05-01T10:00:00+02:00", key)
            stamps.append(value)
        verdict = get("verdict", str, "a verdict name", UNVERIFIED)
        if not verdict:
            raise fail("verdict must not be empty", "verdict")
        tags = get("tags", list, "a list of strings", [])
        if not all(isinstance(t, str) for t in tags):
            raise fail("tags must be a list of strings", "tags")
        evidence = get("evidence", list, "an array of tables ([[notes.evidence]])", [])
        return Note(
            id=note_id,
            article_id=owner,
            quote=TextQuoteSelector(
                exact=exact,
                prefix=get("prefix", str, "a string", ""),
                suffix=get("suffix", str, "a string", ""),
            ),
            position=TextPositionSelector(start, end),
            created=stamps[0],
            updated=stamps[1],
            claim=get("claim", str, "a string", exact),
            verdict=verdict,
            evidence=tuple(self._evidence(e, index, j, table) for j, e in enumerate(evidence)),
            note=get("note", str, "a string", ""),
            tags=tuple(tags),
            author=get("author", str, "a string", ""),
            conflict_of=get("conflict_of", str, "a string (a note id)", ""),
            claimant=get("claimant", str, "a string: who made the claim", ""),
            claimant_url=get("claimant_url", str, "a string: a URL about the claimant", ""),
            review_url=get("review_url", str, "a string: the URL of the published check", ""),
        )

    def _evidence(self, entry: Any, index: int, number: int, table: str) -> Evidence:
        if not isinstance(entry, dict):
            raise self.fail("evidence must be an array of tables", "evidence", index, table=table)
        values: dict[str, str] = {}
        for key in ("url", "article", "quote", "comment"):
            value = entry.get(key, "")
            if not isinstance(value, str):
                raise self.fail(f"evidence {key} must be a string", key, index, number, table)
            values[key] = value
        if not values["url"] and not values["article"]:
            message = "evidence needs a url or an article (another article's id)"
            raise self.fail(message, "", index, number, table)
        return Evidence(**values)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^(\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


def _key_places(text: str) -> dict[tuple[str, int, int, str], tuple[int, int]]:
    """Line and column of each key, by (array table, note index, evidence index, key); the
    header of each table under key "". Best effort: it follows headers and multi-line strings,
    which is all a notes file written by reader (or edited by a person) needs."""
    places: dict[tuple[str, int, int, str], tuple[int, int]] = {}
    counters: dict[str, int] = {}
    table, note, evidence = "", -1, -1
    open_string = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if open_string:
            if line.count(open_string) % 2 == 1:
                open_string = ""
            continue
        header = _HEADER.match(line)
        if header:
            name = re.sub(r"""[\s"']""", "", header.group(2))
            if header.group(1) == "[[" and "." not in name:
                table, evidence = name, -1
                note = counters[name] = counters.get(name, -1) + 1
            elif header.group(1) == "[[" and name == f"{table}.evidence":
                evidence += 1
            else:
                table, note, evidence = name, -1, -1
            places.setdefault((table, note, evidence, ""), (number, 1))
            continue
        key = _KEY.match(line)
        if not key:
            continue
        name = key.group(2).strip("\"'")
        places.setdefault((table, note, evidence, name), (number, len(key.group(1)) + 1))
        value = line[key.end() :]
        for delimiter in ('"""', "'''"):
            if delimiter in value:
                if value.count(delimiter) % 2 == 1:
                    open_string = delimiter
                break
    return places
