"""The checks config uses on values from a config file: numbers TOML allows, regular
expressions that compile (alone and combined), folders reader can write in, and values shown
safely in one-line messages. Nothing here writes a file.
"""

from __future__ import annotations

import math
import os
import re
import reprlib
from pathlib import Path


def regex_alternation(patterns: list[str] | tuple[str, ...]) -> str:
    """The one regular expression that matches where any of ``patterns`` does (how
    [boilerplate] lists are applied; config checks that it compiles)."""
    return "|".join(f"(?:{p})" for p in patterns)


def regex_problem(pattern: str) -> str:
    """Why ``pattern`` does not compile, or "" when it does."""
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return ""


def folder_problem(folder: Path) -> str:
    """Why reader could not keep files in ``folder`` (creating it when missing), or "".

    The folder, or else its nearest existing parent, must be a folder reader may write in.
    Nothing is created or written."""
    current = folder
    try:
        while not current.exists() and current.parent != current:
            if current.is_symlink():
                return f"{shown(str(current))} is a broken symbolic link"
            current = current.parent
        if not current.is_dir():
            return f"{shown(str(current))} is not a folder"
    except OSError as exc:
        return f"cannot use {shown(str(folder))}: {exc.strerror or exc}"
    if not os.access(current, os.W_OK | os.X_OK):
        return f"cannot write in folder {shown(str(current))}"
    return ""


def corpus_problem(folder: Path) -> str:
    """Why ``folder`` cannot be read as a corpus folder ("does not exist", "is not a folder"),
    or "" when it is a folder."""
    try:
        if folder.is_dir():
            return ""
        return "is not a folder" if folder.exists() else "does not exist"
    except OSError as exc:  # a name too long, say
        return f"cannot be used: {exc.strerror or exc}"


# TOML integers are 64-bit; tomllib reads longer ones, which reader refuses like NaN.
_INT_LIMIT = 2**63


def finite(value: float) -> bool:
    """Whether ``value`` is a usable number: a float that is not NaN or infinite, or an int
    that TOML allows (64-bit)."""
    if isinstance(value, int):
        return -_INT_LIMIT <= value < _INT_LIMIT
    return math.isfinite(value)


def shown(text: str) -> str:
    """``text`` for a one-line message: as is when printable, else (or when empty) as a Python
    literal, so no control character or line break reaches the terminal."""
    return text if text and text.isprintable() else repr(text)


_BRIEF = reprlib.Repr()
_BRIEF.maxstring = 60
_BRIEF.maxother = 60
_BRIEF.maxlevel = 2


def brief(value: object) -> str:
    """A short, one-line, escaped rendering of a config value for a message."""
    return _BRIEF.repr(value)
