"""Reading one gazetteer file: TOML parsed and checked entry by entry, without building the
entities (so config can check a user's gazetteer when it is read, cheaply).

Each TOML table is one entity: ``[key]`` with ``type`` (person, place, organisation), ``name``,
``name_ar``, ``aliases`` (a list of strings), ``aliases_in_context`` (spellings that name it
only in an article that names it another way or names one of ``context``: a list of
strings), ``context`` (entity keys) and ``replace`` (true or false). Anything else raises
:class:`GazetteerError` naming the file and the line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import Any

from reader.core.files.nesting import too_deep

ENTITY_TYPES = ("person", "place", "organisation")
_TYPE_SPELLINGS = {"organization": "organisation", "org": "organisation", "people": "person"}
_ENTRY_KEYS = frozenset(
    ("type", "name", "name_ar", "aliases", "aliases_in_context", "context", "replace")
)
_LISTS = ("aliases", "aliases_in_context", "context")


class GazetteerError(Exception):
    """A gazetteer file that cannot be used; the message names the file and the line."""


def _entry_line(text: str, key: str) -> int:
    pattern = re.compile(rf"^\s*\[\s*[\"']?{re.escape(key)}[\"']?\s*\]")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


def parse_gazetteer(
    text: str, path: str, keys: Collection[str] | None = None
) -> dict[str, dict[str, Any]]:
    """The entries of gazetteer ``text`` (read from ``path``, named in errors) by key, each
    checked: only known keys, strings where strings belong, a known ``type`` (spelling
    variants normalised); with ``keys`` (the entities known besides this file's), every key
    a ``context`` names is an entity's. Raises GazetteerError naming the file and line."""
    deep = too_deep(text, "toml")  # checked first: the parser recurses once per level
    if deep is not None:
        raise GazetteerError(f"{path}:{deep}: invalid TOML: values nested too deeply")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GazetteerError(f"{path}: invalid TOML: {exc}") from exc
    entries: dict[str, dict[str, Any]] = {}
    for key, entry in raw.items():

        def fail(message: str, key: str = key) -> GazetteerError:
            # The line is looked up only for an error: finding it costs more than parsing.
            return GazetteerError(f"{path}:{_entry_line(text, key)}: [{key}]: {message}")

        if not isinstance(entry, dict):
            raise fail("each entity must be a table")
        unknown = set(entry) - _ENTRY_KEYS
        if unknown:
            known = ", ".join(sorted(_ENTRY_KEYS))
            raise fail(f"unknown key {sorted(unknown)[0]!r} (known: {known})")
        for field in _LISTS:
            value = entry.get(field, [])
            if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
                raise fail(f"{field} must be a list of strings")
        for field in ("type", "name", "name_ar"):
            if field in entry and not isinstance(entry[field], str):
                raise fail(f"{field} must be a string")
        if "type" in entry:
            kind = _TYPE_SPELLINGS.get(entry["type"], entry["type"])
            if kind not in ENTITY_TYPES:
                raise fail(f"type must be one of {', '.join(ENTITY_TYPES)}")
            entry["type"] = kind
        if not isinstance(entry.get("replace", False), bool):
            raise fail("replace must be true or false")
        entries[key] = entry
    if keys is not None:
        for key, entry in entries.items():
            for other in entry.get("context", []):
                if other not in entries and other not in keys:
                    line = _entry_line(text, key)
                    raise GazetteerError(
                        f"{path}:{line}: [{key}]: context: no entity has the key {other!r}"
                    )
    return entries


def read_gazetteer(path: Path, keys: Collection[str] | None = None) -> dict[str, dict[str, Any]]:
    """:func:`parse_gazetteer` of the file at ``path`` (``keys``: as there); raises
    GazetteerError naming the file when it is missing, unreadable or not UTF-8."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{path}: cannot read gazetteer: {exc}") from exc
    return parse_gazetteer(text, str(path), keys)
