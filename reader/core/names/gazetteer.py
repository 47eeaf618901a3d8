"""The gazetteer files: the built-in ``gazetteer.toml`` (the people, places and bodies of the
sample corpus's world) extended or overridden by the user's own file named in config.

Each TOML table is one entity: ``[key]`` with ``type`` (person, place, organisation), ``name``,
``name_ar`` and ``aliases`` in Latin and Arabic script, ``aliases_in_context`` (spellings other
stories use for something else, which name it only in an article that names it another way
or names one of the entities of ``context``); ``replace = true`` in the user's file replaces a
built-in entity's aliases (both lists, and its context) instead of adding to them. Unusable
files raise :class:`GazetteerError` naming the file and the line.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from reader.core.names.entities import Entity, Gazetteer
from reader.core.names.entity_words import _words
from reader.core.names.gazetteer_file import (
    ENTITY_TYPES,
    GazetteerError,
    parse_gazetteer,
    read_gazetteer,
)

__all__ = [
    "ENTITY_TYPES",
    "GazetteerError",
    "builtin_version",
    "gazetteer_for",
    "load_gazetteer",
    "may_be_alias",
]


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
    return parse_gazetteer(_default_text(), "reader/core/names/gazetteer.toml", ())


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
        for key, entry in read_gazetteer(path, tuple(merged)).items():
            base = merged.get(key, {})
            lists = {field: list(entry.get(field, [])) for field in _LISTS}
            if base and not entry.get("replace", False):
                lists = {field: list(base.get(field, [])) + lists[field] for field in _LISTS}
            merged[key] = {**base, **entry, **lists}
    entities: list[Entity] = []
    for key, entry in merged.items():
        plain = _spellings(entry.get("aliases", []))
        bound = tuple(a for a in _spellings(entry.get("aliases_in_context", [])) if a not in plain)
        spellings = plain + bound
        name = entry.get("name") or (spellings[0] if spellings else key)
        entities.append(
            Entity(
                key,
                name,
                entry.get("type", "place"),
                spellings,
                entry.get("name_ar", ""),
                frozenset(bound),
                tuple(dict.fromkeys(entry.get("context", []))),
            )
        )
    return Gazetteer(entities)


_LISTS = ("aliases", "aliases_in_context", "context")


def _spellings(aliases: list[str]) -> tuple[str, ...]:
    """``aliases`` stripped, without blanks and repeats, in order."""
    return tuple(dict.fromkeys(a.strip() for a in aliases if a.strip()))


@lru_cache(maxsize=8)
def _cached(path: Path | None, mtime: float) -> Gazetteer:
    return load_gazetteer(path)


def gazetteer_for(path: Path | None) -> Gazetteer:
    """:func:`load_gazetteer` for a config's ``gazetteer`` path, cached until the file changes."""
    return _cached(path, _stamp(path))


def _stamp(path: Path | None) -> float:
    """The user's file's change time (0.0 without one, -1.0 when it cannot be read)."""
    if path is None:
        return 0.0
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


@lru_cache(maxsize=8)
def _folded_texts(path: Path | None, mtime: float) -> tuple[str, str] | None:
    """The text of the gazetteer files folded as alias words are for matching: Latin
    (lower case, no diacritics, ’ as ') and Arabic (letters folded, marks dropped); None when
    a file cannot be read or holds a backslash (a TOML escape: an alias may read otherwise
    than it is written)."""
    from reader.core.names.transliterate import strip_latin_marks
    from reader.core.text.arabic import fold_name

    text = _default_text()
    if path is not None:
        try:
            text += "\n" + path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
    if "\\" in text:
        return None
    return strip_latin_marks(text).replace("’", "'"), fold_name(text)


def may_be_alias(phrase: str, path: Path | None) -> bool:
    """Whether an alias of :func:`gazetteer_for` ``path`` may be the whole of ``phrase`` (a
    word or a name) or, for a Latin one of up to six letters, of the same in capitals (what
    :func:`reader.core.names.other_spellings.cross_script_terms` looks up): False only when
    :meth:`Gazetteer.lookup` surely finds no entity for either, decided without building
    the gazetteer. An alias's words are matched by keys that are their folded forms
    (:func:`reader.core.names.entity_words._words`), each a part of the gazetteer's text as
    folded here: when none of the forms of the phrase's first word is found in that text,
    no alias starts with it."""
    folded = _folded_texts(path, _stamp(path))
    if folded is None:
        return True
    latin, arabic = folded
    for text in (phrase.strip(), phrase.strip().upper()):
        words = _words(text)
        if not words or words[0] is None:
            continue
        for form in words[0].forms:
            if form in latin or form in arabic:
                return True
    return False
