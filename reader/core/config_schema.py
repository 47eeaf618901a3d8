"""The keys a config file may hold, and the checks that need nothing but the key and its
value: known tables and keys, types, finite numbers, one-line text (:func:`check_keys`);
:func:`key_line` finds where a key is written, for messages. The checks of meaning (ranges,
paths, regular expressions, verdicts) are :mod:`reader.core.config`'s."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from reader.core.config_checks import brief, finite, shown

RTL_MODES = ("app", "terminal", "off")
HARAKAT_MODES = ("keep", "drop")

# Each known key: table -> key -> (expected python type(s), description for messages).
_Str = (str,)
SCHEMA: dict[str, dict[str, tuple[tuple[type, ...], str]]] = {
    "corpus": {
        "paths": ((list,), "a list of folders"),
        "max_file_mb": ((int, float), "a number"),
        "follow_links_outside": ((bool,), "true or false"),
    },
    "storage": {
        "data_dir": (_Str, "a path"),
        "notes_dir": (_Str, "a path"),
        "library_dir": (_Str, "a path"),
        "backend": (_Str, "whoosh or postgresql"),
        "postgresql": (_Str, 'a connection string, e.g. "host=db.example.org dbname=news"'),
    },
    "display": {
        "rtl": (_Str, f"one of {', '.join(RTL_MODES)}"),
        "harakat": (_Str, f"one of {', '.join(HARAKAT_MODES)}"),
        "theme": (_Str, "a theme name"),
    },
    "search": {
        "limit": ((int,), "a whole number"),
        "cross_script": ((bool,), "true or false"),
        "same_language_first": ((bool,), "true or false"),
        **dict.fromkeys(
            ("max_query_chars", "max_terms", "max_phrase_words", "max_nesting", "max_expansion"),
            ((int,), "a whole number"),
        ),
        "time_limit": ((int, float), "a number of seconds"),
    },
    "boilerplate": {
        "drop_lines": ((list,), "a list of regular expressions"),
        "drop_blocks": ((list,), "a list of regular expressions"),
        "block_lines": ((int,), "a whole number"),
        "breadcrumb": (_Str, "a regular expression"),
        "title_suffix": (_Str, "a regular expression"),
    },
    "notes": {
        "author": (_Str, "a name"),
        "verdicts": ((dict,), "a table of verdict = rating"),
        "labels": ((dict,), "a table of verdict = label"),
        "review_url": (_Str, 'a URL template, e.g. "https://example.org/checks/{article}#{note}"'),
        "language": (_Str, "a language tag such as en or ar"),
    },
    "entities": {"gazetteer": (_Str, "a path")},
    "facts": {"lexicon": (_Str, "a path")},
    "events": {"threshold": ((int, float), "a number between 0 and 1")},
    "compare": {"align_threshold": ((int, float), "a number between 0 and 1")},
    "session": {"restore": ((bool,), "true or false")},
    "keymap": {},
    "outlets": {},
}

# Text keys shown in the app or written into notes: printable, one line.
ONE_LINE = {("display", "theme"), ("notes", "author"), ("notes", "language")}


def key_line(text: str, table: str, key: str | None) -> int:
    """Best-effort 1-based line of ``[table] key`` (or of the table header) in a TOML text."""
    current = ""
    header_line = 0
    header = re.compile(r"^\s*\[\[?\s*([^\]\[]+?)\s*\]\]?\s*(?:#.*)?$")
    for number, line in enumerate(text.splitlines(), start=1):
        match = header.match(line)
        if match:
            parts = re.findall(r'"[^"]*"|\'[^\']*\'|[^.\s]+', match.group(1))
            current = ".".join(part.strip("\"'") for part in parts)  # [outlets."Al Jazeera"]
            if current == table:
                header_line = number
            elif key is not None and current == f"{table}.{key}":
                return number
            continue
        if key is None:
            continue
        stripped = line.strip()
        bare = stripped.split("=", 1)[0].strip().strip('"').strip("'") if "=" in stripped else ""
        if current == table and bare == key:
            return number
        if current == "" and bare == f"{table}.{key}":
            return number
    return header_line or 1


def check_keys(raw: dict[str, Any], fail: Callable[[str, str | None, str], Exception]) -> None:
    """Raise ``fail(table, key, message)`` for the first unknown table or key, a value of the
    wrong type, a number that is not finite or beyond 64 bits, or a text key of
    :data:`ONE_LINE` that is not one printable line."""
    for table, value in raw.items():
        if table not in SCHEMA:
            raise fail(table, None, f"unknown table [{shown(table)}]")
        if not isinstance(value, dict):
            raise fail(table, None, f"[{shown(table)}] must be a table")
        if table == "keymap":
            for key, keys in value.items():
                # A printable name: Textual draws key names raw in the footer.
                if not isinstance(keys, str) or not keys.strip() or not keys.isprintable():
                    raise fail(table, key, 'must be a key name such as "ctrl+f"')
            continue
        if table == "outlets":  # outlet names are the user's: read_outlets checks them
            continue
        for key, item in value.items():
            spec = SCHEMA[table].get(key)
            if spec is None:
                known = ", ".join(sorted(SCHEMA[table]))
                raise fail(table, key, f"unknown key (known keys: {known})")
            types, what = spec
            if isinstance(item, bool) and bool not in types:
                raise fail(table, key, f"must be {what}, not {brief(item)}")
            if not isinstance(item, types):
                raise fail(table, key, f"must be {what}, not {brief(item)}")
            if isinstance(item, int | float) and not finite(item):
                why = "out of range" if isinstance(item, int) else "not a finite number"
                raise fail(table, key, f"must be {what}, not {brief(item)} ({why})")
            if (table, key) in ONE_LINE and isinstance(item, str) and not item.isprintable():
                raise fail(table, key, f"must be {what} on one line, not {brief(item)}")
