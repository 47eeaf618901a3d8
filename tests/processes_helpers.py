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
