"""The listing ``reader events --json`` prints, made from the events stored with the index:
its rows (:func:`listing_rows`, each event's record rendered once) and the listing kept
beside a live Whoosh generation after a build (:func:`keep_listing`), so the first listing
after a build is read, not built. The file itself (its layout, its key, reading it back) is
:mod:`reader.core.events.listing`'s.

Split from :mod:`reader.core.library_events` for size. Part of the library layer (the rows
are :class:`reader.core.records.EventRecord` s); it needs the config and the name of the
gazetteer, not a :class:`reader.core.library.Library`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.config import Config
from reader.core.search.index_files import generation
from reader.core.sources.article import Article

if TYPE_CHECKING:
    from reader.core.config_checks import OutletPlace
    from reader.core.events.grouping import Event
    from reader.core.events.listing import Row
    from reader.core.files.processes import Pending


def listing_rows(
    events: Sequence[Event], fields: Mapping[str, Article], outlets: Mapping[str, OutletPlace]
) -> list[Row]:
    """The rows of the listing ``reader events --json`` prints (see
    :mod:`reader.core.events.listing`): each event's record as one line of JSON
    (:meth:`reader.core.records.EventRecord.to_json`), in date order, with its dates and
    whether only one side reported it. ``fields`` holds (at least) every article of
    ``events``; ``outlets`` is the config's ``[outlets]``."""
    return list(_listing_rows(events, fields, outlets))


def _listing_rows(
    events: Sequence[Event], fields: Mapping[str, Article], outlets: Mapping[str, OutletPlace]
) -> Iterator[Row]:
    """:func:`listing_rows`, one row at a time."""
    from reader.core.events.timeline import in_date_order
    from reader.core.records import EventRecord

    for event in in_date_order(events):
        record = EventRecord.from_event(event, fields, outlets)
        one = bool(record.coverage.one_sided)
        yield (event.start, event.end, one, record.to_json())


def keep_listing(
    config: Config,
    folder: Path,
    gazetteer_name: str,
    stored: list[Event] | None = None,
    made: Pending | None = None,
) -> None:
    """Write the listing ``reader events --json`` prints for the events just stored in
    ``folder`` (see :mod:`reader.core.events.listing`), so the first listing after a
    build is read, not built (after a small update, the command builds it when first
    asked: rendering every event's record costs more than the update itself); only
    beside the live Whoosh generation of ``config`` (the command reads it from there), and
    silently not when the stored events, their fields or the decisions file cannot be read
    (the command then builds it, or says why). ``gazetteer_name``: what identifies the
    configured gazetteer as it is now
    (:meth:`reader.core.library_events.LibraryEvents.gazetteer_name`). ``stored``: the
    automatic events as reading them back from ``folder`` would give them, when the caller
    has just stored them (they are then not read back: at 50,000 articles, a second or
    two). ``made``: the :func:`listing_job` of these events, sent to a worker process
    while they were written (its rows are taken when the decisions are still as it read
    them). Writes nothing else."""
    from reader.core.events.listing import listing_key, write_listing, write_spooled_listing

    spooled: Spooled | None = None
    try:
        if folder != generation(config.index_dir):
            return
        key = listing_key(config, folder, gazetteer_name)
        if key is None:
            return
        spooled = _rows_made(config, made)  # made while the key above held
        if spooled is not None:
            if listing_key(config, folder, gazetteer_name) == key:  # nothing changed meanwhile
                write_spooled_listing(folder, key, *spooled)
            return
        rows = _rows(config, folder, gazetteer_name, stored)
        if rows is not None and listing_key(config, folder, gazetteer_name) == key:
            write_listing(folder, key, rows)  # nothing changed meanwhile
    finally:
        if spooled is None and made is not None and made.done:
            spooled = _spool_of(made)  # a job that ended here unread leaves no spool
        if spooled is not None:
            spooled[1].unlink(missing_ok=True)


Spooled = tuple[list[list[Any]], Path]  # see reader.core.events.listing.spool_rows


def listing_job(
    job: tuple[Config, Path, str, list[Event] | None],
) -> tuple[bytes | None, Spooled | None]:
    """In a worker process: the rows :func:`keep_listing` writes of ``(config, folder,
    gazetteer_name, stored)``, made while the parent writes the events and spooled to a
    file in ``folder`` as they are made (:func:`reader.core.events.listing.spool_rows`: at
    50,000 articles their JSON is some 40 MB, which this process would otherwise hold, and
    hold again pickled to send back), or None when it would write none; and the decisions
    file as read before (see :func:`_decisions`)."""
    from reader.core.events.listing import spool_rows

    config, folder, gazetteer_name, stored = job
    decisions = _decisions(config)
    rows = _row_source(config, folder, gazetteer_name, stored)
    return decisions, None if rows is None else spool_rows(folder, rows)


def _decisions(config: Config) -> bytes | None:
    """The bytes of the decisions file (b"" when there is none; None when unreadable)."""
    from reader.core.events.listing import decisions_file

    try:
        return decisions_file(config).read_bytes()
    except FileNotFoundError:
        return b""
    except OSError:
        return None


def _spool_of(made: Pending) -> Spooled | None:
    """The spool of a finished :func:`listing_job`, whatever the decisions (None when it
    failed or made none)."""
    from reader.core.files.processes import WorkerFailed

    try:
        found: Spooled | None = made.result()[1]
    except (OSError, WorkerFailed):
        return None
    return found


def _rows_made(config: Config, made: Pending | None) -> Spooled | None:
    """The rows :func:`listing_job` spooled, when it ran and the decisions are as it read
    them (else None, and no spool is left)."""
    from reader.core.files.processes import WorkerFailed

    if made is None:
        return None
    try:
        decisions, spooled = made.result()
    except (OSError, WorkerFailed):
        return None
    if spooled is not None and (decisions is None or decisions != _decisions(config)):
        spooled[1].unlink(missing_ok=True)
        return None
    found: Spooled | None = spooled
    return found


def _rows(
    config: Config, folder: Path, gazetteer_name: str, stored: list[Event] | None
) -> list[Row] | None:
    """The rows of the listing of the events in ``folder`` (``stored``: see
    :func:`keep_listing`), or None when they cannot be read."""
    rows = _row_source(config, folder, gazetteer_name, stored)
    return None if rows is None else list(rows)


def _row_source(
    config: Config, folder: Path, gazetteer_name: str, stored: list[Event] | None
) -> Iterator[Row] | None:
    """:func:`_rows`, made one at a time as they are read (what can keep them from being
    made is found first: then None)."""
    from reader.core.events.decisions import DecisionsError, decisions_path, load_decisions
    from reader.core.events.store import apply_decisions
    from reader.core.events.store_fields import read_fields
    from reader.core.events.store_files import index_stamp, read_events

    try:
        decisions = load_decisions(decisions_path(config))
    except DecisionsError:
        return None
    fields = read_fields(folder, index_stamp(folder))
    if fields is None:
        return None
    if stored is not None:
        events = stored
        published = {i: a.published for i, a in fields.items() if a.published is not None}
    else:
        found = read_events(folder, config.event_threshold, gazetteer_name)
        if found is None:
            return None
        events, published = found
    if any(i not in fields for e in events for i in e.article_ids):
        return None
    shown = apply_decisions(events, decisions, published)
    return _listing_rows(shown, fields, config.outlets)
