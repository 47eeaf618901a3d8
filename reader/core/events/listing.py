"""``reader events --json`` served from a listing kept beside the events: each event's record
already rendered as JSON, in date order, so a new process prints tens of thousands of events
without building a record for each.

``events-listing.txt`` in the live index generation: a header line (layout, key, digest of
the rest), a line indexing the events (start and end dates, whether only one side reported
it, where its record is), then every event's record as
:func:`reader.core.text.sanitize.json_line` renders it, joined as a JSON list joins them (so
with no filter the list is printed as it is stored). The key
identifies everything the records are made from: the stored events (stamp and digest), the
stored article fields, the decisions file's bytes, the config's ``[outlets]`` and threshold,
and this layout. A listing whose key differs, or that is damaged, is not read (None): the
caller builds the records from the stored events and writes the listing anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reader.core.config import Config
from reader.core.events.store_fields import FIELDS_FILE
from reader.core.events.store_header import (
    blake,
    header_line,
    index_stamp,
    read_headed,
    store_settings,
)
from reader.core.events.timeline import span_overlaps
from reader.core.files.regular import read_regular
from reader.core.files.safe_write import write_atomically

LISTING_FILE = "events-listing.txt"
LISTING_LAYOUT = 5  # 3: a decided event of one article has no label or names of its own;
# 4: nor one the user made of articles that stood alone; on a tie, the label of the event of
# more articles; 5: an event the decisions reshaped has no cohesion of the event it came from

Row = tuple[date | None, date | None, bool, str]  # start, end, one-sided, the record's JSON
SEPARATOR = b", "  # between the records of a JSON list, as json.dumps writes it


def decisions_file(config: Config) -> Path:
    """reader.core.events.decisions.decisions_path (a test checks they agree), without
    importing the TOML editing machinery that module needs."""
    return config.notes_dir / "events.toml"


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
        decisions = read_regular(decisions_file(config))
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
        blake(decisions),
        repr(sorted(config.outlets.items())),
        config.event_threshold,
    ]
    return blake(json.dumps(parts).encode("utf-8"))


class Listing:
    """A listing read back: the records' JSON joined as the events list prints them, and
    where each event's record is in it with its dates and whether it is one-sided."""

    def __init__(self, records: memoryview, index: bytes) -> None:
        self.records = records  # b'{...}, {...}, ...' in date order (UTF-8)
        self._index = index

    def select(self, since: date | None, until: date | None, one_sided: bool) -> list[memoryview]:
        """The records of the events overlapping ``since`` .. ``until`` (and reported by
        one side only, with ``one_sided``), in date order: the whole list when nothing is
        filtered. Raises ValueError for an index this module did not write."""
        if since is None and until is None and not one_sided:
            return [self.records]
        chosen = []
        for start, end, one, at, size in json.loads(self._index):
            if one_sided and not one:
                continue
            if span_overlaps(day_of(start), day_of(end), since, until):
                chosen.append(self.records[at : at + size])
        return chosen


def read_listing(folder: Path, key: str) -> Listing | None:
    """The listing in ``folder`` when it was written with ``key`` and is whole; else None."""
    found = read_headed(folder / LISTING_FILE)
    if found is None:
        return None
    header, rest = found
    if header.get("layout") != LISTING_LAYOUT or header.get("key") != key:
        return None
    index, _, records = rest.partition(b"\n")
    return Listing(memoryview(records), index)


def day_of(text: str | None) -> date | None:
    """A stored start or end date."""
    return date.fromisoformat(text) if text else None


SPOOL_BLOCK = 1 << 20  # bytes of a spooled listing read at a time
_SPOOL_PREFIX, _SPOOL_SUFFIX = ".events-listing-", ".rows"
_SPOOL_STALE = 3600.0  # seconds after which a spool left in the folder is a killed run's


def _laid_out(rows: Iterable[Row], index: list[list[Any]]) -> Iterator[bytes]:
    """The pieces of the records part of a listing of ``rows`` (each record's UTF-8, with
    :data:`SEPARATOR` between them), one at a time, noting each record's [start, end,
    one-sided, offset, length] in ``index`` as it goes. Raises UnicodeEncodeError for a record
    UTF-8 cannot encode (a lone surrogate)."""
    at = 0
    for start, end, one, record in rows:
        data = record.encode("utf-8")
        if index:
            yield SEPARATOR
        yield data
        iso = (start.isoformat() if start else None, end.isoformat() if end else None)
        index.append([*iso, one, at, len(data)])
        at += len(data) + len(SEPARATOR)


def _write_laid_out(
    folder: Path, key: str, index: list[list[Any]], records: Callable[[], Iterable[bytes]]
) -> None:
    """Write the listing of ``key``: its header, ``index``, then the pieces ``records()``
    gives (called twice: for the digest, then to write), atomically. Raises OSError."""
    head = json.dumps(index).encode("ascii") + b"\n"
    digest = hashlib.blake2b(head, digest_size=16)  # as store_header.blake over the whole
    for piece in records():
        digest.update(piece)
    header = {"layout": LISTING_LAYOUT, "key": key, "digest": digest.hexdigest()}
    top = json.dumps(header).encode("ascii") + b"\n"
    write_atomically(folder / LISTING_FILE, itertools.chain((top, head), records()))


def spool_rows(folder: Path, rows: Iterable[Row]) -> tuple[list[list[Any]], Path] | None:
    """Write the records part of a listing of ``rows`` (in date order) to a new file in
    ``folder``, one record at a time, and return (the records' index, the file) for
    :func:`write_spooled_listing`; the caller removes the file. None, leaving no file, when
    a record holds what UTF-8 cannot encode (as :func:`write_listing` writes nothing then).
    Raises OSError."""
    import os
    import tempfile
    import time

    # The spools of runs killed before they removed theirs (not those of a run going on).
    for stale in folder.glob(f"{_SPOOL_PREFIX}*{_SPOOL_SUFFIX}"):
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > _SPOOL_STALE:
                stale.unlink()
    handle, name = tempfile.mkstemp(dir=folder, prefix=_SPOOL_PREFIX, suffix=_SPOOL_SUFFIX)
    path = Path(name)
    index: list[list[Any]] = []
    try:
        with os.fdopen(handle, "wb") as out:
            out.writelines(_laid_out(rows, index))
    except UnicodeEncodeError:
        path.unlink(missing_ok=True)
        return None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return index, path


def write_spooled_listing(folder: Path, key: str, index: list[list[Any]], spool: Path) -> None:
    """Keep the records :func:`spool_rows` wrote to ``spool`` (with their ``index``) as the
    listing of ``key``: the same file :func:`write_listing` writes of the same rows, read
    from the spool a block at a time (never whole); silently not when the folder cannot be
    written or the spool read. Leaves ``spool`` to the caller."""

    def blocks() -> Iterator[bytes]:
        with spool.open("rb") as source:
            while block := source.read(SPOOL_BLOCK):
                yield block

    with contextlib.suppress(OSError):
        _write_laid_out(folder, key, index, blocks)


def write_listing(folder: Path, key: str, rows: Sequence[Row]) -> None:
    """Keep ``rows`` (in date order) as the listing of ``key``; silently not when the folder
    cannot be written, or a record holds what UTF-8 cannot encode (a lone surrogate: printing
    it fails as it did), so the next run builds the records again."""
    index: list[list[Any]] = []
    try:
        # Held once, as encoded, not joined into one more copy of them all.
        pieces = list(_laid_out(rows, index))
    except UnicodeEncodeError:
        return
    with contextlib.suppress(OSError):
        _write_laid_out(folder, key, index, lambda: pieces)
