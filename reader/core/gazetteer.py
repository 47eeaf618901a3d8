"""The gazetteer files: the built-in ``gazetteer.toml`` (the people, places and bodies of the
sample corpus's world) extended or overridden by the user's own file named in config.

Each TOML table is one entity: ``[key]`` with ``type`` (person, place, organisation), ``name``,
``name_ar`` and ``aliases`` in Latin and Arabic script; ``replace = true`` in the user's file
replaces a built-in entity's aliases instead of adding to them. Unusable files raise
:class:`GazetteerError` naming the file and the line.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from reader.core.entities import Entity, Gazetteer

ENTITY_TYPES = ("person", "place", "organisation")
_TYPE_SPELLINGS = {"organization": "organisation", "org": "organisation", "people": "person"}
_ENTRY_KEYS = frozenset(("type", "name", "name_ar", "aliases", "replace"))


class GazetteerError(Exception):
    """A gazetteer file that cannot be used; the message names the file and the line."""


def _entry_line(text: str, key: str) -> int:
    pattern = re.compile(rf"^\s*\[\s*[\"']?{re.escape(key)}[\"']?\s*\]")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


def _parse(text: str, path: str) -> dict[str, dict[str, Any]]:
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
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise fail("aliases must be a list of strings")
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
    return entries


@lru_cache(maxsize=1)
def _default_entries() -> dict[str, dict[str, Any]]:
    text = resources.files("reader.core").joinpath("gazetteer.toml").read_text(encoding="utf-8")
    return _parse(text, "reader/core/gazetteer.toml")


def load_gazetteer(path: Path | None = None, *, builtin: bool = True) -> Gazetteer:
    """The built-in gazetteer (unless ``builtin=False``) extended by the user's file at ``path``.

    A user entry with a built-in key adds its aliases (or replaces them with ``replace =
    true``) and overrides ``type``/``name``/``name_ar`` when given; a new key adds an entity
    (``type`` defaults to "place" when missing, ``name`` to the first alias). Raises
    GazetteerError naming the file and line for a missing, unreadable or invalid file.
    """
    merged: dict[str, dict[str, Any]] = {}
    if builtin:
        merged = {key: dict(entry) for key, entry in _default_entries().items()}
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise GazetteerError(f"{path}: cannot read gazetteer: {exc}") from exc
        for key, entry in _parse(text, str(path)).items():
            base = merged.get(key, {})
            aliases = list(entry.get("aliases", []))
            if base and not entry.get("replace", False):
                aliases = list(base.get("aliases", [])) + aliases
            merged[key] = {**base, **entry, "aliases": aliases}
    entities: list[Entity] = []
    for key, entry in merged.items():
        spellings = tuple(dict.fromkeys(a.strip() for a in entry.get("aliases", []) if a.strip()))
        name = entry.get("name") or (spellings[0] if spellings else key)
        entities.append(
            Entity(key, name, entry.get("type", "place"), spellings, entry.get("name_ar", ""))
        )
    return Gazetteer(entities)


@lru_cache(maxsize=8)
def _cached(path: Path | None, mtime: float) -> Gazetteer:
    return load_gazetteer(path)


def gazetteer_for(path: Path | None) -> Gazetteer:
    """:func:`load_gazetteer` for a config's ``gazetteer`` path, cached until the file changes."""
    mtime = 0.0
    if path is not None:
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = -1.0
    return _cached(path, mtime)
