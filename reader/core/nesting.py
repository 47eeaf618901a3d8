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
    if text.count("[") + text.count("{") <= limit:  # the usual case: no scan needed
        return None
    depth = 0
    for match in tokens.finditer(text):
        token = match.group()
        if token in _OPEN:
            depth += 1
            if depth > limit:
                return text.count("\n", 0, match.start()) + 1
        elif token in _CLOSE:
            depth = max(0, depth - 1)
    return None


def too_deep(text: str, syntax: str, limit: int = MAX_NESTING) -> int | None:
    """The 1-based line where ``text`` first nests deeper than ``limit``, or None if it never does.

    ``syntax`` is ``"json"`` or ``"toml"`` (which quoting and comments to skip). Brackets inside
    strings and comments do not count. The scan is linear in the length of ``text``.
    """
    if syntax not in ("json", "toml"):
        raise ValueError(f"unknown syntax {syntax!r}")
    return _deepest(text, _JSON_TOKENS if syntax == "json" else _TOML_TOKENS, limit)
