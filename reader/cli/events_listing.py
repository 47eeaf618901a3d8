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
from reader.core.events.store_fields import FIELDS_FILE
from reader.core.events.store_header import header_line, index_stamp, store_settings
from reader.core.files.safe_write import write_atomically

LISTING_FILE = "events-listing.txt"
LISTING_LAYOUT = 1

Row = tuple[date | None, date | None, bool, str]  # start, end, one-sided, the record's JSON
Line = tuple[bytes, bytes, bool, bytes]  # a Row as stored: dates in ISO (or empty), UTF-8


def decisions_file(config: Config) -> Path:
    """reader.core.events.decisions.decisions_path (a test checks they agree), without
    importing the TOML editing machinery that module needs."""
    return config.notes_dir / "events.toml"


def _blake(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _first_line(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.readline()


def listing_key(config: Config, folder: Path, gazetteer_name: str) -> str | None:
    """What a listing of the events stored in ``folder`` must have been written with to be
    read now; None when the stored events are not of the live index as it is now (or of
    another threshold or gazetteer), or their files cannot be read."""
    header = header_line(folder)  # the events themselves were checked when listed
    if header is None:
        return None
    stamp = index_stamp(folder)
    settings = store_settings(config.event_threshold, gazetteer_name)
    if not stamp or header.get("index") != stamp or header.get("settings") != settings:
        return None
    try:
        decisions = decisions_file(config).read_bytes()
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


def read_listing(folder: Path, key: str) -> list[Line] | None:
    """The rows of the listing in ``folder`` when it was written with ``key`` and is whole,
    as stored (ISO dates, the record's JSON in UTF-8); else None."""
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
        rows: list[Line] = []
        for line in payload.split(b"\n")[:-1]:
            start, end, one_sided, record = line.split(b"\t", 3)
            rows.append((start, end, one_sided == b"1", record))
    except (ValueError, RecursionError):
        return None
    return rows


def day_of(text: bytes) -> date | None:
    """A stored start or end date."""
    return date.fromisoformat(text.decode("ascii")) if text else None


def write_listing(folder: Path, key: str, rows: Sequence[Row]) -> None:
    """Keep ``rows`` (in date order) as the listing of ``key``; silently not when the folder
    cannot be written, or a record holds what UTF-8 cannot encode (a lone surrogate: printing
    it fails as it did), so the next run builds the records again."""
    lines = [
        f"{s.isoformat() if s else ''}\t{e.isoformat() if e else ''}\t{int(one)}\t{record}\n"
        for s, e, one, record in rows
    ]
    try:
        payload = "".join(lines).encode("utf-8")
    except UnicodeEncodeError:
        return
    header = {"layout": LISTING_LAYOUT, "key": key, "digest": _blake(payload)}
    try:
        write_atomically(
            folder / LISTING_FILE, json.dumps(header).encode("ascii") + b"\n" + payload
        )
    except OSError:
        return
