"""The entries of the profiles file (``event-profiles.json``, see
:mod:`reader.core.events.store_files`) that an incremental update writes again unchanged:
copied from the file it read, not encoded again (at 50,000 articles, 500 changed, encoding
every record took some 6 of the update's 64 s).

The file holds one ``"id": record`` entry a line. When the profiles are read, where each
entry lies in the file is noted (:func:`locate`); when the file is written again,
:meth:`StoredRecords.pieces` reads the entries of the profiles kept from the old file, if it is
still that file (same device, inode, size and modification time: the store's files are
replaced whole, never changed in place), and encodes the others (every one, when the old file
is gone or another). The bytes are those encoding each profile gives: the file read was
written by the same encoding, and a kept profile is the one read from it, with its digest.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

PIECE = 500  # entries written at a time
Identity = tuple[int, int, int, int]  # device, inode, size, modification time (ns)


def identity(stat: os.stat_result) -> Identity:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


@dataclass(frozen=True)
class StoredRecords:
    """Where each entry of a profiles file read lies in it (see the module's docstring)."""

    path: Path
    identity: Identity
    spans: dict[str, tuple[int, int]]  # id -> (start, end) of its entry, without the comma

    def pieces(
        self, ids: Sequence[str], kept: Collection[str], encode: Callable[[str], bytes]
    ) -> Iterator[bytes]:
        """The entries of ``ids`` (sorted) joined as the profiles file holds them, in pieces
        of :data:`PIECE`: those of ``kept`` copied from the file read, the others
        ``encode(id)``; every one encoded when the file is no longer the one read. Raises
        OSError."""
        try:
            source = self.path.open("rb")
        except OSError:
            yield from joined(ids, encode)  # gone: every entry encoded
            return
        with source:
            fd = source.fileno()
            same = identity(os.fstat(fd)) == self.identity

            def entry(i: str) -> bytes:
                span = self.spans.get(i) if same and i in kept else None
                if span is None:
                    return encode(i)
                start, end = span
                data = os.pread(fd, end - start, start)
                if len(data) != end - start:
                    raise OSError(f"{self.path}: shorter than when it was read")
                return data

            yield from joined(ids, entry)


def joined(ids: Sequence[str], entry: Callable[[str], bytes]) -> Iterator[bytes]:
    """The entries of ``ids``, one a line, in pieces of :data:`PIECE`."""
    for start in range(0, len(ids), PIECE):
        text = b",\n".join(map(entry, ids[start : start + PIECE]))
        yield b",\n" + text if start else text


def locate(path: Path, stat: os.stat_result, text: str, ids: Sequence[str]) -> StoredRecords | None:
    """Where the entries of ``ids`` (the file's, in its order) lie in ``text`` (the profiles
    file at ``path`` as ``stat`` found it, read without translating line ends): after the
    first line, one entry a line, each but the last followed by a comma, then the line that
    closes them. None when the file is not laid out so (an older layout, an edit by hand) or
    holds anything but ASCII (the offsets are then not those of its bytes): then nothing is
    copied."""
    if not ids or not text.isascii():
        return None
    spans: dict[str, tuple[int, int]] = {}
    find = text.find
    at = find("\n") + 1
    if at == 0:
        return None
    last = len(ids) - 1
    for n, i in enumerate(ids):
        end = find("\n", at)
        if end < 0 or not text.startswith(json.dumps(i) + ": ", at):
            return None
        comma = text[end - 1 : end] == ","
        if comma != (n < last):
            return None
        spans[i] = (at, end - 1 if comma else end)
        at = end + 1
    if not text.startswith("}", at):
        return None
    return StoredRecords(path, identity(stat), spans)
