"""Reading a file a person keeps (a notes file, the event decisions) without hanging on what is
not one: in a folder that came from elsewhere (a ``git pull``, a shared disk) the name may be a
FIFO, where a read waits until some process writes, or a link to a device such as
``/dev/zero``, which never ends. Such a name is refused at once, before anything is read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_FLAGS |= getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20


def read_regular(path: Path) -> bytes:
    """The bytes of the regular file ``path`` names (links followed). FileNotFoundError when
    there is none; OSError with strerror ``"not a regular file"`` for a FIFO, a device, a
    socket or a folder (found without blocking: the name is opened without waiting and
    checked before any read); any other OSError as the system raises it."""
    fd = os.open(path, _FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        chunks = []
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
