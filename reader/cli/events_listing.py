"""``reader events --json`` served from a listing kept beside the events: each event's record
already rendered as JSON, in date order, so a new process prints tens of thousands of events
without building a record for each.

``events-listing.txt`` in the live index generation: a header line (layout, key, digest of
the rest), then one line per event: its start and end dates, whether only one side reported
it, and its record as :func:`reader.core.text.sanitize.json_line` renders it. The key
identifies everything the records are made from: the stored events (stamp and digest), the
stored article fields, the decisions file's bytes, the config's ``[outlets]`` and threshold,
and this layout. A listing whose key differs, or that is damaged, is not read (None): the
caller builds the records from the stored events and writes the listing anew.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from reader.core.config import Config
from reader.core.events.decisions import decisions_path
from reader.core.events.store_fields import FIELDS_FILE
from reader.core.events.store_files import events_header, index_stamp, store_settings
from reader.core.files.safe_write import write_atomically

LISTING_FILE = "events-listing.txt"
LISTING_LAYOUT = 1

Row = tuple[date | None, date | None, bool, str]  # start, end, one-sided, the record's JSON


def _blake(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _first_line(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.readline()


def listing_key(config: Config, folder: Path, gazetteer_name: str) -> str | None:
    """What a listing of the events stored in ``folder`` must have been written with to be
    read now; None when the stored events are not of the live index as it is now (or of
    another threshold or gazetteer), or their files cannot be read."""
    found = events_header(folder)
    if found is None:
        return None
    header = found[0]
    stamp = index_stamp(folder)
    settings = store_settings(config.event_threshold, gazetteer_name)
    if not stamp or header.get("index") != stamp or header.get("settings") != settings:
        return None
    try:
        decisions = decisions_path(config).read_bytes()
    except FileNotFoundError:
        decisions = b"(none)"
    except OSError:
        return None
    try:
        fields = _first_line(folder / FIELDS_FILE)
    except OSError:
        return None
    parts = [
        LISTING_LAYOUT,
        stamp,
        header.get("digest"),
        fields.decode("ascii", "replace"),
        _blake(decisions),
        repr(sorted(config.outlets.items())),
        config.event_threshold,
    ]
    return _blake(json.dumps(parts).encode("utf-8"))


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def read_listing(folder: Path, key: str) -> list[Row] | None:
    """The rows of the listing in ``folder`` when it was written with ``key`` and is whole;
    else None."""
    try:
        data = (folder / LISTING_FILE).read_bytes()
    except OSError:
        return None
    head, _, payload = data.partition(b"\n")
    try:
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("layout") != LISTING_LAYOUT:
            return None
        if header.get("key") != key or header.get("digest") != _blake(payload):
            return None
        rows: list[Row] = []
        for line in payload.decode("utf-8", "surrogatepass").split("\n")[:-1]:
            start, end, one_sided, record = line.split("\t", 3)
            rows.append((_day(start), _day(end), one_sided == "1", record))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return rows


def write_listing(folder: Path, key: str, rows: Sequence[Row]) -> None:
    """Keep ``rows`` (in date order) as the listing of ``key``; silently not when the folder
    cannot be written (the next run builds the records again)."""
    lines = [
        f"{s.isoformat() if s else ''}\t{e.isoformat() if e else ''}\t{int(one)}\t{record}\n"
        for s, e, one, record in rows
    ]
    payload = "".join(lines).encode("utf-8", "surrogatepass")
    header = {"layout": LISTING_LAYOUT, "key": key, "digest": _blake(payload)}
    try:
        write_atomically(
            folder / LISTING_FILE, json.dumps(header).encode("ascii") + b"\n" + payload
        )
    except OSError:
        return
