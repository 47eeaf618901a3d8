"""The event store of a library on the PostgreSQL server: kept in the database, read and
written by the events layer through a local copy.

The events layer (:mod:`reader.core.events.store`) computes a library's events and keeps them
as a few files in a folder (the automatic events, each article's features, the fields of the
articles they list, the similarity table), each stamped with the index state it is of; on
Whoosh that folder is the index generation's own. On the server the files live in the table
``reader_event_files`` (name, content, digest, and the library and generation they were
written for), so the events one member of a team computed are read by every other; the local
copy under ``config.index_dir / "gen-<library id>"`` is what the events layer reads and writes:

- :func:`events_folder`: the copy brought up to date with the database (a file is fetched only
  when its digest there differs from the one last fetched or kept), with an ``index.json``
  (the file the events layer's index stamp is a digest of) naming the server's library and its
  generation as they are now: the stamp changes with every commit of ``reader index`` to the
  server, as it changes with every commit to a Whoosh index, so events of an older state are
  never taken for current ones;
- :func:`keep_events`: the named files of the copy written to the database in one
  transaction, unless the library was rebuilt since or the database already holds files of a
  later generation.

This module knows nothing of what the files hold (the search layer is below the events
layer): the caller names them. Errors: ServerUnavailable / IndexUnavailable (one line) from the
server; a local copy that cannot be written is left as it is (the events layer then finds
nothing usable there and computes the events, as it does when a Whoosh index folder is
read-only).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

from reader.core.config import Config
from reader.core.files.safe_write import write_atomically
from reader.core.search.index_files import FINGERPRINT, IndexUnavailable
from reader.core.search.postgres.connect import connect, lost, read_meta, server_name

FETCHED = ".from-server.json"  # in the copy: file name -> digest last fetched or kept
KEEP_LOCK = 0x7265616465720002  # held by a transaction writing the event files ("reader" + 2)
PART = 16 * 1024 * 1024  # bytes of a file per row (a bytea holds at most 1 GB)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")  # a plain file name of the store


def _parts(path: Path) -> Iterator[bytes]:
    """The file's content, ``PART`` bytes at a time (at least one part, maybe empty)."""
    with path.open("rb") as handle:
        part = handle.read(PART)
        yield part
        while part := handle.read(PART):
            yield part


def _file_digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in _parts(path):
        digest.update(part)
    return digest.hexdigest()


def _state(conn: Any, config: Config) -> tuple[str, int]:
    """(the library's id, its generation) on the server; IndexUnavailable when nothing is
    indexed there yet."""
    meta = read_meta(conn)
    library = meta.get("library", "")
    if not re.fullmatch(r"[0-9a-f]{32}", library):
        raise IndexUnavailable(
            f"no library on the PostgreSQL server at {server_name(config)}: "
            "run `reader index` to build it"
        )
    try:
        return library, int(meta.get("generation", "0"))
    except ValueError:
        return library, 0


def _usable(name: str) -> bool:
    return bool(_NAME.fullmatch(name)) and name not in (FINGERPRINT, FETCHED)


def _fetched(folder: Path) -> dict[str, str]:
    try:
        found = json.loads((folder / FETCHED).read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str)}


def _note_fetched(folder: Path, fetched: dict[str, str]) -> None:
    with suppress(OSError):
        write_atomically(folder / FETCHED, json.dumps(fetched, sort_keys=True).encode("ascii"))


def _stamp_of(folder: Path) -> tuple[str, int] | None:
    """(library, generation) the copy in ``folder`` was last brought up to date with."""
    try:
        library, _, number = (folder / FINGERPRINT).read_text("ascii").strip().partition(":")
        return library, int(number)
    except (OSError, ValueError):
        return None


def events_folder(config: Config) -> Path:
    """The local copy of the library's event files, up to date with the database (see the
    module's docstring). ServerUnavailable / IndexUnavailable (one line)."""
    psycopg = __import__("psycopg")
    conn = connect(config)
    try:
        library, number = _state(conn, config)
        rows = conn.execute(
            "SELECT name, digest, count(*) FROM reader_event_files WHERE library = %s "
            "GROUP BY name, digest",
            (library,),
        ).fetchall()
        folder = config.index_dir / f"gen-{library}"
        with suppress(OSError):  # the copy stays as it is: checked when it is read
            _refresh_copy(conn, folder, library, number, rows)
    except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
        raise lost(config, exc, conn) from None
    finally:
        conn.close()
    return folder


def _refresh_copy(
    conn: Any, folder: Path, library: str, number: int, rows: Iterable[tuple[str, str, int]]
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for other in folder.parent.glob("gen-*"):  # copies of libraries rebuilt since
        if other != folder and other.is_dir() and len(other.name) == 36:
            for path in other.iterdir():
                with suppress(OSError):
                    path.unlink()
            with suppress(OSError):
                other.rmdir()
    stamp = f"{library}:{number}\n".encode("ascii")
    try:
        same = (folder / FINGERPRINT).read_bytes() == stamp
    except OSError:
        same = False
    if not same:
        write_atomically(folder / FINGERPRINT, stamp)
    fetched = _fetched(folder)
    changed = False
    for name, digest, parts in rows:
        if not _usable(name) or (fetched.get(name) == digest and (folder / name).is_file()):
            continue
        if _fetch(conn, folder / name, digest, int(parts)):
            fetched[name], changed = digest, True
    if changed:
        _note_fetched(folder, fetched)


def _fetch(conn: Any, path: Path, digest: str, parts: int) -> bool:
    """Write the stored file to ``path`` (atomically), a part at a time; False, leaving
    ``path`` as it was, when it was replaced on the server meanwhile."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    check = hashlib.blake2b(digest_size=16)
    try:
        with os.fdopen(handle, "wb") as out:
            for part in range(parts):
                row = conn.execute(
                    "SELECT content FROM reader_event_files WHERE name = %s AND digest = %s "
                    "AND part = %s",
                    (path.name, digest, part),
                ).fetchone()
                if row is None:
                    return False
                data = bytes(row[0])
                check.update(data)
                out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if check.hexdigest() != digest:
            return False
        os.replace(temp, path)
        temp = ""
        return True
    finally:
        if temp:
            with suppress(OSError):
                os.unlink(temp)


def keep_events(config: Config, folder: Path, names: Iterable[str]) -> None:
    """Write the files ``names`` of the copy in ``folder`` (from :func:`events_folder`) to
    the database, in one transaction: those whose content changed (a part at a time), and
    remove those the copy no longer has. Nothing is written when the library was rebuilt
    since the copy was brought up to date or the database holds event files of a later
    generation (a teammate's newer events are never replaced by older ones).
    ServerUnavailable / IndexUnavailable."""
    stamp = _stamp_of(folder)
    if stamp is None:
        return
    library, number = stamp
    digests: dict[str, str | None] = {}
    for name in names:
        if not _usable(name):
            raise ValueError(f"not a file name of the event store: {name!r}")
        try:
            digests[name] = _file_digest(folder / name)
        except FileNotFoundError:
            digests[name] = None
        except OSError:
            return  # cannot be read now: kept next time
    psycopg = __import__("psycopg")
    conn = connect(config)
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (KEEP_LOCK,))
            if _state(conn, config)[0] != library:
                return
            held = dict(
                conn.execute(
                    "SELECT name, max(generation) FROM reader_event_files WHERE library = %s "
                    "GROUP BY name",
                    (library,),
                ).fetchall()
            )
            if any(gen > number for gen in held.values()):
                return
            conn.execute("DELETE FROM reader_event_files WHERE library <> %s", (library,))
            fetched = _fetched(folder)
            for name, digest in digests.items():
                _keep_file(conn, folder / name, library, number, digest)
                if digest is None:
                    fetched.pop(name, None)
                else:
                    fetched[name] = digest
        _note_fetched(folder, fetched)
    except OSError:
        return  # a file changed or went while it was read: the transaction was rolled back
    except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
        raise lost(config, exc, conn) from None
    finally:
        conn.close()


def _keep_file(conn: Any, path: Path, library: str, number: int, digest: str | None) -> None:
    """One file of :func:`keep_events`, inside its transaction."""
    stored = conn.execute(
        "SELECT DISTINCT digest FROM reader_event_files WHERE name = %s", (path.name,)
    ).fetchall()
    if digest is not None and stored == [(digest,)]:
        conn.execute(
            "UPDATE reader_event_files SET generation = %s WHERE name = %s", (number, path.name)
        )
        return
    conn.execute("DELETE FROM reader_event_files WHERE name = %s", (path.name,))
    if digest is None:
        return
    check = hashlib.blake2b(digest_size=16)
    for part, data in enumerate(_parts(path)):
        check.update(data)
        conn.execute(
            "INSERT INTO reader_event_files (name, part, library, generation, digest, content) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (path.name, part, library, number, digest, data),
        )
    if check.hexdigest() != digest:
        raise OSError(f"{path} changed while it was kept")
