"""Functions the worker-process tests send to workers (workers import them by module name)."""

from __future__ import annotations

import errno
import os


def square(n: int) -> int:
    return n * n


def pid_of(_n: int) -> int:
    return os.getpid()


def fail_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three is not allowed")
    if n == 4:
        raise OSError(errno.ENOSPC, "No space left on device", "/tmp/x")
    return n


def die_on_two(n: int) -> int:
    if n == 2:
        os._exit(7)
    return n


def sleep_briefly(seconds: float) -> int:
    import time

    time.sleep(seconds)
    return os.getpid()


def sleep_long(_n: int) -> int:
    import time

    time.sleep(60)
    return 0


def run_and_wait() -> None:
    """A parent that starts two workers on long jobs (``python -c`` target of a test)."""
    from reader.core.files.processes import map_in_processes

    map_in_processes(sleep_long, [1, 2], 2)
