"""The gazetteer files: the built-in ``gazetteer.toml`` (the people, places and bodies of the
sample corpus's world) extended or overridden by the user's own file named in config.

Each TOML table is one entity: ``[key]`` with ``type`` (person, place, organisation), ``name``,
``name_ar`` and ``aliases`` in Latin and Arabic script; ``replace = true`` in the user's file
replaces a built-in entity's aliases instead of adding to them. Unusable files raise
:class:`GazetteerError` naming the file and the line.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from reader.core.names.entities import Entity, Gazetteer
from reader.core.names.gazetteer_file import (
    ENTITY_TYPES,
    GazetteerError,
    parse_gazetteer,
    read_gazetteer,
)

__all__ = ["ENTITY_TYPES", "GazetteerError", "builtin_version", "gazetteer_for", "load_gazetteer"]


@lru_cache(maxsize=1)
def _default_text() -> str:
    # Read beside this module: importlib.resources (and what it imports) only when the package
    # is not a folder of files (a zip), as a search reads the file in every new process.
    try:
        return Path(__file__).with_name("gazetteer.toml").read_text(encoding="utf-8")
    except OSError:
        from importlib import resources

        names = resources.files("reader.core.names")
        return names.joinpath("gazetteer.toml").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _default_entries() -> dict[str, dict[str, Any]]:
    return parse_gazetteer(_default_text(), "reader/core/names/gazetteer.toml")


def builtin_version() -> str:
    """A short digest of the built-in gazetteer: what was computed with one release's
    gazetteer (stored event profiles) is recomputed when a release changes it."""
    return hashlib.blake2b(_default_text().encode("utf-8"), digest_size=8).hexdigest()


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
        for key, entry in read_gazetteer(path).items():
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
