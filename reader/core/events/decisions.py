"""The user's say over events: confirm, rename, split, merge, move an article between events.

Decisions live in ``notes_dir/events.toml``, a file people may edit by hand: one ``[events.ID]``
table per decided event with ``members`` (article ids), and optionally ``label``,
``confirmed`` and ``excluded`` (articles the event must never take back). This module only
reads and writes that file; it knows the :class:`~reader.core.events.event.Event` record and its
ids and nothing of how events are computed (the grouping applies the decisions, winning over
the automatic grouping on every recompute).

Reading checks every shape: any problem is a :class:`DecisionsError` naming the file, the line
and the key at fault with the shape expected (a ``[[events]]`` array, a string where a list
belongs, an unknown key, nesting past :data:`reader.core.files.nesting.MAX_NESTING`, bytes that
are not UTF-8, invalid TOML). Every change re-reads the file under its lock, refuses to touch
a file with such a problem, keeps the user's comments and formatting (tomlkit), checks that
what it wrote reads back, and writes it atomically: the changes are
:mod:`reader.core.events.decision_edits`'.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.core.config import Config
from reader.core.files.nesting import MAX_NESTING, too_deep_at
from reader.core.files.regular import read_regular
from reader.core.files.text_form import TextForm


class DecisionsError(Exception):
    """An events.toml that cannot be used. ``path``, 1-based ``line`` and the ``key`` at fault
    (``""`` for the whole file) are attributes; ``str()`` is one line: ``path:line: message``."""

    def __init__(self, path: Path, line: int, message: str, key: str = "") -> None:
        super().__init__(path, line, message, key)
        self.path, self.line, self.message, self.key = path, line, message, key

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class EventDecision:
    """One event the user has shaped: its pinned members, and what it must never take back."""

    id: str
    members: tuple[str, ...]
    label: str = ""
    confirmed: bool = False
    excluded: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Decisions:
    """Every decided event, in file order (an article pinned twice belongs to the first)."""

    events: tuple[EventDecision, ...]


_HEADER = """\
Events you have confirmed, renamed, split, merged or moved articles between, in reader.
These win over the automatic grouping. Each [events.ID] table: members (article ids), and
optionally label, confirmed = true, excluded (articles never to be added back).
"""
_SHAPES = {
    "members": 'a list of article ids, e.g. members = ["id-1", "id-2"]',
    "label": 'a string, e.g. label = "Flooding in Valencia"',
    "confirmed": "true or false",
    "excluded": 'a list of article ids, e.g. excluded = ["id-3"]',
}
_TABLE_SHAPE = '[events.ID] tables, e.g. [events.my-event] with members = ["id-1", "id-2"]'
_TABLE_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$")
_KEY_LINE = re.compile(r"""^\s*((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.\s-]+?)+)\s*=""")


def decisions_path(config: Config) -> Path:
    """Where the event decisions are kept: next to the notes."""
    return config.notes_dir / "events.toml"


def keep_unsaved_label(config: Config, event_id: str, before: str, label: str, why: str) -> Path:
    """Keep a label the user typed for an event that could not be saved to events.toml (the
    file became unreadable, the disk is full) in ``unsaved-event-label-<time>.txt`` beside
    it, as plain text for a person to copy back, so that nothing typed is lost when the app
    is left; returns the file written. Raises OSError when it cannot be written either."""
    from datetime import datetime

    from reader.core.files.safe_write import write_atomically

    folder = decisions_path(config).parent
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"unsaved-event-label-{stamp}.txt"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"unsaved-event-label-{stamp}-{n}.txt"
    lines = [
        f"A label typed for an event that could not be saved to {decisions_path(config)}.",
        f"event: {event_id}",
        f"label before: {before}",
        f"label typed: {label}",
        f"not saved because: {why.removeprefix('not saved: ')}",
    ]
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(path, ("\n".join(lines) + "\n").encode("utf-8"))
    return path


def _name(raw: str) -> str:
    """A table header's or key's dotted name without quotes and spaces (best effort)."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^.\s"\']+)', raw)
    return ".".join(next(p for p in part if p) if any(part) else "" for part in parts)


def _line_of(text: str, event: str | None, key: str = "") -> int:
    """The line of ``key`` in event ``event`` (its header when ``key`` is empty or not found;
    the [events] table when ``event`` is None), else 1. Best effort: follows headers, dotted
    keys and inline tables; multi-line strings are skipped."""
    return _line_in(_key_lines(text), event, key)


def _line_in(found: dict[str, int], event: str | None, key: str = "") -> int:
    """:func:`_line_of` from the :func:`_key_lines` of the text (made once for many)."""
    if event is None:
        return found.get("events", 1)
    place = f"events.{event}"
    return found.get(f"{place}.{key}") or found.get(place) or found.get("events", 1)


def _key_lines(text: str) -> dict[str, int]:
    """The first line of each table and dotted key of ``text`` (see :func:`_line_of`)."""
    found: dict[str, int] = {}
    table = ""
    in_string = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2 == 1:
                in_string = ""
            continue
        header = _TABLE_HEADER.match(line)
        if header:
            table = _name(header.group(2))
            found.setdefault(table, number)
            continue
        match = _KEY_LINE.match(line)
        if match:
            full = ".".join(p for p in (table, _name(match.group(1))) if p)
            found.setdefault(full, number)
            for part in range(1, full.count(".") + 1):  # dotted keys also name their tables
                found.setdefault(full.rsplit(".", part)[0], number)
            rest = line[match.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_string = quote
                    break
    return found


def _read(path: Path) -> str | None:
    """The file's text, or None when it does not exist; DecisionsError when it cannot be read,
    is not a regular file (a FIFO, a device) or is not UTF-8 (with the line of the first bad
    byte)."""
    return read_with_form(path)[0]


def read_with_form(path: Path) -> tuple[str | None, TextForm]:
    """:func:`_read`, and how the file is written (its byte order mark and line ends, which
    an edit keeps; the default form when there is no file). Raises DecisionsError."""
    try:
        data = read_regular(path)  # a FIFO or /dev/zero is refused, never waited on
    except FileNotFoundError:
        return None, TextForm()
    except OSError as exc:
        raise DecisionsError(
            path, 1, f"cannot read event decisions: {exc.strerror or exc}"
        ) from exc
    return _decoded(path, data), TextForm.of(data)


def _decoded(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DecisionsError(path, line, "not UTF-8 text") from exc


def parse_decisions(text: str, path: Path) -> Decisions:
    """Parse and check the text of an events.toml. Raises DecisionsError naming ``path``, the
    line and the key at fault, with the shape that was expected, for every wrong shape."""
    deep = too_deep_at(text, "toml")
    if deep is not None:  # before parsing: tomllib recurses once per level
        raise DecisionsError(path, deep[0], f"nested too deeply (over {MAX_NESTING} levels)")
    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except RecursionError as exc:
        raise DecisionsError(path, 1, "nested too deeply to be read") from exc
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
        line = int(match.group(1)) if match else text.count("\n") + 1
        message = message[: match.start()] if match else message
        raise DecisionsError(path, line, f"invalid TOML: {message}") from exc
    for key in raw:
        if key != "events":
            raise DecisionsError(
                path,
                _line_of_top(text, key),
                f"unknown key {_key(key)}: expected only {_TABLE_SHAPE}",
                key,
            )
    table = raw.get("events", {})
    if not isinstance(table, dict):
        shape = "an array of tables [[events]]" if isinstance(table, list) else "a value"
        raise DecisionsError(
            path, _line_of(text, None), f"events is {shape}; expected {_TABLE_SHAPE}", "events"
        )
    return Decisions(tuple(_event(text, path, event, entry) for event, entry in table.items()))


def _line_of_top(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_HEADER.match(line)
        match = header or _KEY_LINE.match(line)
        if match:
            name = _name(match.group(2) if header else match.group(1))
            if name == key or name.startswith(key + "."):
                return number
    return 1


def _quoted(name: str) -> str:
    """A table or key name as TOML writes it, every character that is not printable escaped
    and a long one cut: an error message stays one short line of plain text."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", name):
        return name if len(name) <= 60 else name[:60] + "…"
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in name)
    return f'"{escaped[:60]}…"' if len(escaped) > 60 else f'"{escaped}"'


def _key(key: str) -> str:
    """A key for an error message: quoted, escaped (repr) and cut when long."""
    return repr(key) if len(key) <= 60 else repr(key[:60]) + "…"


def _event(text: str, path: Path, event: str, entry: Any) -> EventDecision:
    table = f"[events.{_quoted(event)}]"

    def fail(message: str, key: str = "") -> DecisionsError:
        line = _line_of(text, event, key)
        return DecisionsError(path, line, f"{table}: {message}", key or event)

    if not event.strip():
        raise fail("an event id must not be empty")
    if not isinstance(entry, dict):
        raise fail(f"must be a table ({table} with members = [...]), not a value")
    for key, value in entry.items():
        shape = _SHAPES.get(key)
        if shape is None:
            raise fail(f"unknown key {_key(key)} (known: {', '.join(_SHAPES)})", key)
        if key in ("members", "excluded"):
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise fail(f"{key} must be {shape}", key)
        elif key == "label" and not isinstance(value, str):
            raise fail(f"label must be {shape}", key)
        elif key == "confirmed" and not isinstance(value, bool):
            raise fail(f"confirmed must be {shape}", key)
    both = set(entry.get("members", ())).intersection(entry.get("excluded", ()))
    if both:  # in and out of one event: which was meant cannot be told
        article = _key(min(both))
        raise fail(f"{article} is in both members and excluded: keep it in one", "excluded")
    return EventDecision(
        id=event,
        members=tuple(dict.fromkeys(entry.get("members", []))),
        label=entry.get("label", ""),
        confirmed=entry.get("confirmed", False),
        excluded=tuple(dict.fromkeys(entry.get("excluded", []))),
    )


def load_decisions(path: Path) -> Decisions:
    """The decisions in ``path`` (none when it does not exist). Raises DecisionsError naming
    the file, line and key for unreadable or invalid content (see :func:`parse_decisions`)."""
    text = _read(path)
    return Decisions(()) if text is None else parse_decisions(text, path)
