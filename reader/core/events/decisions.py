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
what it wrote reads back, and writes it atomically.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.config import Config
from reader.core.events.event import Event, event_id
from reader.core.files.nesting import MAX_NESTING, too_deep_at
from reader.core.files.regular import read_regular
from reader.core.files.safe_write import locked, remove_stale_temp_files, write_atomically

if TYPE_CHECKING:  # tomlkit is imported to write, not to read: see _edit
    from tomlkit.items import InlineTable


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
    try:
        data = read_regular(path)  # a FIFO or /dev/zero is refused, never waited on
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DecisionsError(
            path, 1, f"cannot read event decisions: {exc.strerror or exc}"
        ) from exc
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


def _edit(path: Path, change: Callable[[MutableMapping[str, Any]], Any]) -> Any:
    """Under the file's lock: remove the temp files of a save that was killed, re-read the file
    (refusing to touch an unreadable or invalid one), apply ``change`` to its [events] table
    keeping comments and formatting, check the result reads back and write it atomically. On
    any error the file is left as it was."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import InlineTable

    with locked(path):
        remove_stale_temp_files(path)  # what a writer killed half-way left (no one else can be)
        text = _read(path)
        if text is not None:
            parse_decisions(text, path)
            try:
                doc = tomlkit.parse(text)
            except (TOMLKitError, RecursionError) as exc:  # tomllib took it: should not happen
                raise DecisionsError(path, 1, f"cannot edit this file: {exc}") from exc
        else:
            doc = tomlkit.document()
            for line in _HEADER.splitlines():
                doc.add(tomlkit.comment(line))
        if "events" not in doc:
            doc.add("events", tomlkit.table(is_super_table=True))
        if isinstance(doc["events"], InlineTable):  # events = {...}: tables can take more
            doc["events"] = _as_tables(doc["events"])
        events = doc["events"]
        assert isinstance(events, MutableMapping)  # parse_decisions checked it is a table
        result = change(events)
        written = tomlkit.dumps(doc)
        parse_decisions(written, path)  # never write what could not be read back
        write_atomically(path, written.encode("utf-8"))
        return result


def _as_tables(inline: InlineTable) -> Any:
    """An inline table (and the inline tables in it) as a [events] super table with
    [events.ID] tables: the same values, in a form an event can be added to."""
    import tomlkit
    from tomlkit.items import InlineTable

    table = tomlkit.table(is_super_table=True)
    for key, value in inline.items():
        if isinstance(value, InlineTable):
            inner = tomlkit.table()
            for name, item in value.items():
                inner[name] = item
            value = inner
        table[key] = value
    return table


def _array(items: Iterable[str]) -> Any:
    import tomlkit

    array = tomlkit.array()
    array.extend(items)
    if len(array) > 2:
        array.multiline(True)
    return array


def _pin(
    events: MutableMapping[str, Any],
    event: str,
    members: Sequence[str],
    *,
    exclude: Iterable[str] = (),
    shown: Sequence[str] | None = None,
    carried: Sequence[str] = (),
) -> Any:
    """Make ``members`` exactly the pinned members of ``event`` (taking them out of any other
    decided event, which is dropped once empty) and add ``exclude`` to what it refuses.
    ``shown``: the articles of ``event`` as the user saw it; the members its decision had
    that were not among them (ids of no article of the library, which the decision was
    applied without) are kept after ``members``, then ``carried`` (such ids of events merged
    into it): the file keeps what the user wrote for articles that may come back."""
    unseen = [] if shown is None else _unseen(events, event, shown)
    wanted = list(dict.fromkeys(members))
    for other in list(events.keys()):
        if other == event:
            continue
        table = events[other]
        old = list(table.get("members", []))
        kept = [m for m in old if m not in wanted]
        if len(kept) != len(old):
            if kept:
                table["members"] = _array(kept)
            else:
                del events[other]
    if event not in events:
        import tomlkit

        events[event] = tomlkit.table()
    table = events[event]
    table["members"] = _array(dict.fromkeys([*wanted, *unseen, *carried]))
    excluded = [x for x in table.get("excluded", []) if x not in wanted]
    excluded += [x for x in exclude if x not in excluded and x not in wanted]
    if excluded:
        table["excluded"] = _array(excluded)
    elif "excluded" in table:
        del table["excluded"]
    return table


def _unseen(events: MutableMapping[str, Any], event: str, shown: Sequence[str]) -> list[str]:
    """The members the decision of ``event`` has that are not in ``shown``."""
    table = events.get(event)
    if table is None:
        return []
    return [str(m) for m in table.get("members", []) if m not in shown]


def _new_id(
    events: MutableMapping[str, Any], members: Sequence[str], taken: Iterable[str] = ()
) -> str:
    base = event_id(members)
    used = set(events.keys()) | set(taken)
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def confirm_event(path: Path, event: Event) -> None:
    """Mark the event as right: its current members are pinned under its id."""
    shown = event.article_ids
    _edit(path, lambda events: _pin(events, event.id, shown, shown=shown).update(confirmed=True))


def rename_event(path: Path, event: Event, label: str) -> None:
    """Give the event a label of the user's (and pin its current members)."""
    cleaned = " ".join(label.split())
    if not cleaned:
        raise ValueError("an event's label cannot be empty")
    shown = event.article_ids
    _edit(path, lambda events: _pin(events, event.id, shown, shown=shown).update(label=cleaned))


def split_event(path: Path, event: Event, article_ids: Sequence[str]) -> str:
    """Take ``article_ids`` out of the event into a new event; returns the new event's id."""
    moving = [a for a in dict.fromkeys(article_ids) if a in event.article_ids]
    rest = [a for a in event.article_ids if a not in moving]
    if not moving or not rest:
        raise ValueError("a split needs some, but not all, of the event's articles")

    def change(events: MutableMapping[str, Any]) -> str:
        _pin(events, event.id, rest, exclude=moving, shown=event.article_ids)
        new = _new_id(events, moving, taken=[event.id])
        _pin(events, new, moving, exclude=rest)
        return new

    result: str = _edit(path, change)
    return result


def merge_events(path: Path, events_to_merge: Sequence[Event]) -> str:
    """Merge events into the first one (which keeps its id, and its label when the user gave
    it one, else takes the first label the user gave one of the others); returns that id."""
    if len(events_to_merge) < 2:
        raise ValueError("a merge needs at least two events")
    first = events_to_merge[0]
    members = [a for e in events_to_merge for a in e.article_ids]

    def change(events: MutableMapping[str, Any]) -> str:
        labels = [
            events[e.id].get("label", "") for e in events_to_merge if e.id in events
        ]  # the names the user gave, the first event's first
        carried: list[str] = []
        for other in events_to_merge[1:]:
            if other.id in events and other.id != first.id:
                carried += _unseen(events, other.id, other.article_ids)
                del events[other.id]
        table = _pin(events, first.id, members, shown=first.article_ids, carried=carried)
        label = next((str(name) for name in labels if name), "")
        if label and not table.get("label"):
            table["label"] = label
        return first.id

    result: str = _edit(path, change)
    return result


def move_article(path: Path, article_id: str, source: Event | None, target: Event | None) -> str:
    """Move one article from ``source`` (which will never take it back) into ``target``, or
    into an event of its own when ``target`` is None; returns the id of its new event."""

    def change(events: MutableMapping[str, Any]) -> str:
        if source is not None:
            rest = [a for a in source.article_ids if a != article_id]
            shown = source.article_ids
            if rest or _unseen(events, source.id, shown):  # (what it names that may come back)
                _pin(events, source.id, rest, exclude=[article_id], shown=shown)
            elif source.id in events:
                del events[source.id]
        if target is not None:
            _pin(events, target.id, [*target.article_ids, article_id], shown=target.article_ids)
            return target.id
        new = _new_id(events, [article_id])
        _pin(events, new, [article_id])
        return new

    result: str = _edit(path, change)
    return result


def forget_event(path: Path, event: str) -> bool:
    """Drop the decisions about one event (it goes back to automatic grouping)."""
    if not path.exists():
        return False

    def change(events: MutableMapping[str, Any]) -> bool:
        if event in events:
            del events[event]
            return True
        return False

    result: bool = _edit(path, change)
    return result
