"""A bounded nesting check for JSON and TOML texts, run before parsing them.

Python's ``json`` and ``tomllib`` parse nested arrays and tables by recursion, so a few kilobytes
of ``[[[[…]]]]`` raise RecursionError (and can exhaust a worker thread's stack). Untrusted files
are therefore measured first: :func:`too_deep` scans brackets outside strings and comments in one
linear pass and never recurses.
"""

from __future__ import annotations

import re

MAX_NESTING = 100
"""Deepest nesting of arrays/objects (tables) accepted in an article, feed line or sidecar.

Real articles nest a few levels; both parsers handle several hundred, so this leaves headroom
for the caller's own stack depth (the app parses in a worker thread)."""

# A string (skipped whole, so brackets inside it do not count) or a bracket. A string never
# runs past the end of its line: an unterminated one cannot hide the rest of the file.
_JSON_TOKENS = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|[\[\]{}]')
_TOML_TOKENS = re.compile(
    r'"""[\s\S]*?(?<!\\)"""'  # multi-line basic string
    r"|'''[\s\S]*?'''"  # multi-line literal string
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # basic string
    r"|'[^'\n]*'"  # literal string
    r"|#[^\n]*"  # comment
    r"|[\[\]{}]"
)
_OPEN = frozenset("[{")
_CLOSE = frozenset("]}")


def _deepest(text: str, tokens: re.Pattern[str], limit: int) -> int | None:
    """The offset of the first bracket that opens a level past ``limit``, or None."""
    if text.count("[") + text.count("{") <= limit:  # the usual case: no scan needed
        return None
    depth = 0
    for match in tokens.finditer(text):
        token = match.group()
        if token in _OPEN:
            depth += 1
            if depth > limit:
                return match.start()
        elif token in _CLOSE:
            depth = max(0, depth - 1)
    return None


def _tokens(syntax: str) -> re.Pattern[str]:
    if syntax not in ("json", "toml"):
        raise ValueError(f"unknown syntax {syntax!r}")
    return _JSON_TOKENS if syntax == "json" else _TOML_TOKENS


def too_deep(text: str, syntax: str, limit: int = MAX_NESTING) -> int | None:
    """The 1-based line where ``text`` first nests deeper than ``limit``, or None if it never does.

    ``syntax`` is ``"json"`` or ``"toml"`` (which quoting and comments to skip). Brackets inside
    strings and comments do not count. The scan is linear in the length of ``text``.
    """
    place = too_deep_at(text, syntax, limit)
    return None if place is None else place[0]


def too_deep_at(text: str, syntax: str, limit: int = MAX_NESTING) -> tuple[int, int] | None:
    """Like :func:`too_deep`, with the 1-based (line, column) of the bracket that goes too deep."""
    offset = _deepest(text, _tokens(syntax), limit)
    if offset is None:
        return None
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
