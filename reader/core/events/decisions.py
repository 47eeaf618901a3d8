"""The user's say over events: confirm, rename, split, merge, move an article between events.

Decisions live in ``notes_dir/events.toml`` (one ``[events.ID]`` table each: ``members``, and
optionally ``label``, ``confirmed``, ``excluded``) and
:func:`reader.core.events.grouping.group_events` lets them win over the automatic grouping on every
recompute. Every change re-reads the file under its lock, keeps the user's comments and formatting
(tomlkit) and writes it atomically; an invalid file raises :class:`DecisionsError` naming the file
and line and is never overwritten.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Table

from reader.core.config import Config
from reader.core.events.event import Event, event_id
from reader.core.files.safe_write import locked, write_atomically


class DecisionsError(Exception):
    """An events.toml that cannot be used; the message names the file and the line."""


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
_FIELDS = {"members": list, "label": str, "confirmed": bool, "excluded": list}


def decisions_path(config: Config) -> Path:
    """Where the event decisions are kept: next to the notes."""
    return config.notes_dir / "events.toml"


def _line_of(text: str, event: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().replace('"', "").startswith(f"[events.{event}]"):
            return number
    return 1


def load_decisions(path: Path) -> Decisions:
    """The decisions in ``path`` (none when it does not exist). Raises DecisionsError naming
    the file and line for unreadable or invalid content."""
    if not path.exists():
        return Decisions(())
    try:
        text = path.read_text(encoding="utf-8-sig")
        raw: dict[str, Any] = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise DecisionsError(f"{path}: cannot read event decisions: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DecisionsError(f"{path}: invalid TOML: {exc}") from exc
    unknown = set(raw) - {"events"}
    if unknown:
        raise DecisionsError(f"{path}: unknown table [{sorted(unknown)[0]}] (expected [events.ID])")
    events: list[EventDecision] = []
    for event, entry in raw.get("events", {}).items():
        where = f"{path}:{_line_of(text, event)}: [events.{event}]"
        if not isinstance(entry, dict):
            raise DecisionsError(f"{where}: must be a table")
        for key, value in entry.items():
            kind = _FIELDS.get(key)
            if kind is None:
                raise DecisionsError(f"{where}: unknown key {key!r} (known: {', '.join(_FIELDS)})")
            if not isinstance(value, kind) or (
                isinstance(value, list) and not all(isinstance(v, str) for v in value)
            ):
                raise DecisionsError(f"{where}: {key} has the wrong type")
        events.append(
            EventDecision(
                id=event,
                members=tuple(entry.get("members", [])),
                label=entry.get("label", ""),
                confirmed=entry.get("confirmed", False),
                excluded=tuple(entry.get("excluded", [])),
            )
        )
    return Decisions(tuple(events))


def _edit(path: Path, change: Callable[[Table], Any]) -> Any:
    """Under the file's lock: re-read it (refusing to touch an invalid one), apply ``change`` to
    its [events] table keeping comments and formatting, and write it back atomically."""
    with locked(path):
        load_decisions(path)
        if path.exists():
            doc = tomlkit.parse(path.read_text(encoding="utf-8-sig"))
        else:
            doc = tomlkit.document()
            for line in _HEADER.splitlines():
                doc.add(tomlkit.comment(line))
        if "events" not in doc:
            doc.add("events", tomlkit.table(is_super_table=True))
        events = doc["events"]
        assert isinstance(events, Table)
        result = change(events)
        write_atomically(path, tomlkit.dumps(doc).encode("utf-8"))
        return result


def _array(items: Iterable[str]) -> Any:
    array = tomlkit.array()
    array.extend(items)
    if len(array) > 2:
        array.multiline(True)
    return array


def _pin(
    events: Table, event: str, members: Sequence[str], *, exclude: Iterable[str] = ()
) -> Table:
    """Make ``members`` exactly the pinned members of ``event`` (taking them out of any other
    decided event, which is dropped once empty) and add ``exclude`` to what it refuses."""
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
        events[event] = tomlkit.table()
    table = events[event]
    assert isinstance(table, Table)
    table["members"] = _array(wanted)
    excluded = [x for x in table.get("excluded", []) if x not in wanted]
    excluded += [x for x in exclude if x not in excluded and x not in wanted]
    if excluded:
        table["excluded"] = _array(excluded)
    elif "excluded" in table:
        del table["excluded"]
    return table


def _new_id(events: Table, members: Sequence[str], taken: Iterable[str] = ()) -> str:
    base = event_id(members)
    used = set(events.keys()) | set(taken)
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def confirm_event(path: Path, event: Event) -> None:
    """Mark the event as right: its current members are pinned under its id."""
    _edit(path, lambda events: _pin(events, event.id, event.article_ids).update(confirmed=True))


def rename_event(path: Path, event: Event, label: str) -> None:
    """Give the event a label of the user's (and pin its current members)."""
    cleaned = " ".join(label.split())
    if not cleaned:
        raise ValueError("an event's label cannot be empty")
    _edit(path, lambda events: _pin(events, event.id, event.article_ids).update(label=cleaned))


def split_event(path: Path, event: Event, article_ids: Sequence[str]) -> str:
    """Take ``article_ids`` out of the event into a new event; returns the new event's id."""
    moving = [a for a in dict.fromkeys(article_ids) if a in event.article_ids]
    rest = [a for a in event.article_ids if a not in moving]
    if not moving or not rest:
        raise ValueError("a split needs some, but not all, of the event's articles")

    def change(events: Table) -> str:
        _pin(events, event.id, rest, exclude=moving)
        new = _new_id(events, moving, taken=[event.id])
        _pin(events, new, moving, exclude=rest)
        return new

    result: str = _edit(path, change)
    return result


def merge_events(path: Path, events_to_merge: Sequence[Event]) -> str:
    """Merge events into the first one (which keeps its id and label); returns that id."""
    if len(events_to_merge) < 2:
        raise ValueError("a merge needs at least two events")
    first = events_to_merge[0]
    members = [a for e in events_to_merge for a in e.article_ids]

    def change(events: Table) -> str:
        for other in events_to_merge[1:]:
            if other.id in events and other.id != first.id:
                del events[other.id]
        _pin(events, first.id, members)
        return first.id

    result: str = _edit(path, change)
    return result


def move_article(path: Path, article_id: str, source: Event | None, target: Event | None) -> str:
    """Move one article from ``source`` (which will never take it back) into ``target``, or
    into an event of its own when ``target`` is None; returns the id of its new event."""

    def change(events: Table) -> str:
        if source is not None:
            rest = [a for a in source.article_ids if a != article_id]
            if rest:
                _pin(events, source.id, rest, exclude=[article_id])
            elif source.id in events:
                del events[source.id]
        if target is not None:
            _pin(events, target.id, [*target.article_ids, article_id])
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

    def change(events: Table) -> bool:
        if event in events:
            del events[event]
            return True
        return False

    result: bool = _edit(path, change)
    return result
