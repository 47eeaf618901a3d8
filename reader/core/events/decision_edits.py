"""The changes to ``events.toml`` the user makes from reader: confirm, rename, split, merge,
move an article between events, forget an event (the file's reading and its shape:
:mod:`reader.core.events.decisions`).

Every change re-reads the file under its lock, refuses to touch a file that cannot be read or
has a wrong shape (:class:`~reader.core.events.decisions.DecisionsError`), keeps the user's
comments and formatting (tomlkit, imported only here, to write), checks that what it wrote
reads back, and writes it atomically. The ids a decision names that the user was not shown
(no article of the library) are kept: the article may come back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.events.decisions import _HEADER, DecisionsError, parse_decisions, read_with_form
from reader.core.events.event import Event, event_id
from reader.core.files.safe_write import locked, remove_stale_temp_files, write_atomically

if TYPE_CHECKING:  # tomlkit is imported to write, not to read: see _edit
    from tomlkit.items import InlineTable


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
        text, form = read_with_form(path)
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
        decided = parse_decisions(written, path)  # never write what could not be read back

        def reads_the_same(shaped: str) -> bool:
            try:
                return parse_decisions(shaped, path) == decided
            except DecisionsError:
                return False

        written = form.kept(written, reads_the_same)  # the file's own line ends and mark
        write_atomically(path, form.encoded(written))
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
    kept = list(dict.fromkeys([*wanted, *unseen, *carried]))
    table["members"] = _array(kept)
    # An article is never both a member and excluded (a file that says so is refused).
    excluded = [x for x in table.get("excluded", []) if x not in kept]
    excluded += [x for x in exclude if x not in excluded and x not in kept]
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
        _pin(events, new, moving, exclude=rest).comment(f"split from {_plain_id(event.id)}")
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
        table = _pin(events, new, [article_id])
        if source is not None:  # a person reading the file sees why it is there
            table.comment(f"taken out of {_plain_id(source.id)}: it stands alone")
        return new

    result: str = _edit(path, change)
    return result


def _plain_id(event: str) -> str:
    """An event id as a comment may show it: as it is when it is plain (``ev-…``, or a
    person's word), else quoted with every character that is not printable escaped."""
    if re.fullmatch(r"[\w.-]{1,80}", event):
        return event
    return json.dumps(event[:80])  # one line: no newline, no control character


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
