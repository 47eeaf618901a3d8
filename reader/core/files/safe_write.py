"""Writing files a person owns so that a crash never leaves half a file, and locking them.

:func:`write_atomically` replaces a file in one step (temp file in the same folder, flush,
fsync, os.replace, fsync of the folder); :func:`locked` serialises read-merge-write cycles of
several processes with a :mod:`filelock` lock (``flock`` on POSIX, ``msvcrt`` locking on
Windows) on a hidden ``.<name>.lock`` sibling of the file the path resolves to, so every path to
one file (through symlinks to it or to its folders) takes the same lock. The system releases
such a lock when the process holding it dies, so a killed writer never leaves a file locked.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


class LockBusy(Exception):
    """Another process held the lock for longer than the caller was willing to wait."""


def resolved(path: Path) -> Path:
    """``path`` with every symlink in it followed (the file it names, which may not exist yet),
    absolute. A symlink loop raises OSError (ELOOP)."""
    try:
        return path.resolve(strict=False)
    except RuntimeError as exc:  # a loop, on Pythons before 3.13
        raise OSError(errno.ELOOP, "too many levels of symbolic links", str(path)) from exc


def lock_path(path: Path) -> Path:
    """The lock file that guards ``path``: a hidden sibling, ``.<name>.lock``, of the file
    ``path`` resolves to (so two paths to one file share one lock), left in place on POSIX so
    that every waiter locks the same file. OSError (ELOOP) for a symlink loop."""
    target = resolved(path)
    return target.with_name(f".{target.name}.lock")


@contextmanager
def hold_lock(lock_file: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created with its folder when needed; a symlink
    is followed, so two paths to one lock file are one lock) for the ``with`` block.
    ``timeout=None`` waits as long as it takes; otherwise LockBusy after ``timeout`` seconds.
    Locks of other processes and of other threads of this one exclude each other; the system
    releases the lock when its holder dies, however it dies. OSError when the lock file cannot
    be made or opened."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with _held(resolved(lock_file), timeout):
        yield


@contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``path``'s lock file (:func:`lock_path`) for the ``with``
    block. Other processes and threads locking any path to the same file wait until it is
    released (or LockBusy after ``timeout`` seconds, when given). The folder of a plain path is
    created when needed (as :func:`write_atomically` does); a symlink's target folder never is:
    OSError when it is missing."""
    lock_file = lock_path(path)
    if not path.is_symlink():
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not lock_file.parent.is_dir():  # filelock would make it
        raise FileNotFoundError(errno.ENOENT, "the link's target folder does not exist", str(path))
    with _held(lock_file, timeout):
        yield


@contextmanager
def _held(lock_file: Path, timeout: float | None) -> Iterator[None]:
    from filelock import FileLock, Timeout  # with logging, hmac, ...: only where a lock is taken

    lock = FileLock(lock_file, timeout=-1 if timeout is None else max(timeout, 0.0))
    try:
        lock.acquire()
    except Timeout:
        raise LockBusy(str(lock_file)) from None
    try:
        yield
    finally:
        lock.release()


def write_target(path: Path) -> Path:
    """The file a write to ``path`` replaces: ``path`` itself, or, when it is a symlink (even
    a chain of them, or one whose target does not exist yet), the file it points to."""
    if not path.is_symlink():
        return path
    return path.resolve()


def write_atomically(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``data`` (bytes, or pieces of bytes written one after the other,
    so a large file need not be held whole) so that a crash at any moment leaves the old file
    or the new one: a temp file in the same folder, flush, fsync, os.replace, then fsync the
    folder.
    A symlink stays a link: its target is replaced (the temp file is made in the target's
    folder, so the rename stays on one file system). Keeps the permissions of the file it
    replaces. A file that is read-only (no write permission for anyone, or none for this user)
    is left as it is: PermissionError. A symlink loop raises OSError (ELOOP)."""
    if path.is_symlink():
        path = resolved(path)
        folder = path.parent  # the link's target folder must exist: never made here
    else:
        folder = path.parent
        folder.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    else:
        # A rename ignores the permissions of the file it replaces; honour them here (the
        # mode bits too, since root may write anything).
        if not mode & 0o222 or not os.access(path, os.W_OK):
            raise PermissionError(errno.EACCES, "the file is read-only", str(path))
    import tempfile

    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes | bytearray | memoryview):
                handle.write(data)
            else:
                for piece in data:
                    handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - file systems without directory fsync
        pass
    finally:
        os.close(fd)


def remove_stale_temp_files(path: Path) -> None:
    """Delete temp files a killed writer left next to ``path`` (or next to its target, when it
    is a symlink). Call only under :func:`locked`, when no other writer of ``path`` can be
    half-way."""
    import glob

    places = {path}
    with suppress(OSError, RuntimeError):
        places.add(write_target(path))
    for place in places:
        for stale in place.parent.glob(f".{glob.escape(place.name)}.*.tmp"):
            with suppress(OSError):
                stale.unlink()
