"""Reading one lexicon file: the words facts are read by (qualifiers, roles, counted nouns), in
TOML, checked entry by entry (so config can check a user's lexicon when it is read, cheaply).

The form is that of ``reader/core/events/lexicon.toml`` (which documents it): tables
``[qualifiers.before]``/``[qualifiers.after]`` (qualifier name -> words), ``[roles.<role>]``
(``after``, ``before``, ``verbs`` -> words), ``[nouns]`` and ``[parts]`` (an English name ->
words) and the lists ``linking``, ``companions``, ``cumulative`` and ``part_markers``. Anything
else raises :class:`LexiconError` naming the file and the line.
:mod:`reader.core.events.lexicon` ships the lexicon, merges a user's and compiles it.

Callers may rely on: every word of a lexicon is folded as the text it is matched against is
(:func:`fold_words`); :class:`LexiconError` messages are one line, ``path:line: problem``; a
lexicon is immutable and hashable.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.core.files.nesting import too_deep
from reader.core.text.arabic import Fold, fold_same_length, strip_marks

QUALIFIER_NAMES = ("at least", "more than", "about", "nearly", "up to", "less than")
"""The qualifiers a fact may carry (``Fact.qualifier``); :data:`facts.QUALIFIER_RANGES` gives
each its range."""
ROLE_NAMES = ("killed", "wounded", "displaced", "detained", "missing")
"""The roles a figure of people may have; each is a fact kind."""
_PLACES = ("before", "after")
_ROLE_KEYS = ("after", "before", "verbs")
_MAX_WORD = 80
_TABLES = (
    *("qualifiers", "roles", "nouns", "parts", "linking", "companions"),
    *("cumulative", "part_markers"),
)

SEPARATORS = Fold({ord("٫"): ".", ord("٬"): ",", ord("’"): "'"})
"""The Arabic decimal and thousands separators and the typographic apostrophe, to ASCII."""


def fold_words(text: str) -> str:
    """``text`` as facts reads it: lower case, Arabic marks and tatweel removed, Arabic letters
    folded (:func:`fold_same_length`), Arabic separators to ASCII."""
    return SEPARATORS(fold_same_length(strip_marks(text.lower())))


class LexiconError(Exception):
    """A lexicon file that cannot be used; the message names the file and the line."""


Words = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Words by use, each folded (:func:`fold_words`) and in the order first given.

    ``qualifiers``: (place, name) -> words, place "before" or "after" the figure. ``roles``:
    (role, place) -> words, place "before" (right before the figure), "verbs" (before it, with a
    subject of up to three words between: "اعتقلت الشرطة 15") or "after" (after the figure, what
    it counts and "were"). ``nouns``: counted noun name -> its words. ``linking``: words that may
    stand between a figure and its role ("were", "have been"). ``companions``: one person
    counted on top of a figure ("six aid workers and their driver were killed": seven).
    ``cumulative``: words that make a figure in their sentence a running total ("since October
    7", "منذ بدء الحرب"), not one incident's. ``part_markers``: words right before a figure
    that make it part of a group ("including 4", "بينهم ثلاثة"); ``parts``: part name -> the
    words of a group that is part of another ("sons", "أبناء").
    """

    qualifiers: tuple[tuple[tuple[str, str], Words], ...] = ()
    roles: tuple[tuple[tuple[str, str], Words], ...] = ()
    nouns: tuple[tuple[str, Words], ...] = ()
    linking: Words = ()
    companions: Words = ()
    cumulative: Words = ()
    part_markers: Words = ()
    parts: tuple[tuple[str, Words], ...] = ()

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with the words of ``other`` added (each word once)."""

        def merge(
            mine: tuple[tuple[Any, Words], ...], theirs: tuple[tuple[Any, Words], ...]
        ) -> tuple[tuple[Any, Words], ...]:
            table = dict(mine)
            for key, words in theirs:
                table[key] = tuple(dict.fromkeys((*table.get(key, ()), *words)))
            return tuple(table.items())

        return Lexicon(
            merge(self.qualifiers, other.qualifiers),
            merge(self.roles, other.roles),
            merge(self.nouns, other.nouns),
            tuple(dict.fromkeys((*self.linking, *other.linking))),
            tuple(dict.fromkeys((*self.companions, *other.companions))),
            tuple(dict.fromkeys((*self.cumulative, *other.cumulative))),
            tuple(dict.fromkeys((*self.part_markers, *other.part_markers))),
            merge(self.parts, other.parts),
        )


def _line_of(text: str, needle: str) -> int:
    """The first line of ``text`` that holds ``needle`` (1 when none does)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 1


def parse_lexicon(text: str, path: str) -> Lexicon:
    """The lexicon in TOML ``text`` (read from ``path``, named in errors). Raises LexiconError
    naming the file and the line for invalid TOML, an unknown table or key, a qualifier or role
    reader does not know, or a word that is not a short non-empty string."""
    deep = too_deep(text, "toml")  # checked first: the parser recurses once per level
    if deep is not None:
        raise LexiconError(f"{path}:{deep}: invalid TOML: values nested too deeply")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(where.group(1)) if where else max(1, len(text.splitlines()))
        raise LexiconError(f"{path}:{line}: invalid TOML: {exc}") from exc

    def fail(needle: str, message: str) -> LexiconError:
        return LexiconError(f"{path}:{_line_of(text, needle)}: {message}")

    def words(value: object, where: str, needle: str) -> Words:
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise fail(needle, f"{where} must be a list of strings")
        for word in value:
            if not word.strip() or len(word) > _MAX_WORD or word.strip() == "...":
                raise fail(word or needle, f"{where}: {word!r} is not a word or phrase")
            if word.split()[0] == "...":
                raise fail(word, f"{where}: {word!r} cannot start with '...'")
        return tuple(dict.fromkeys(fold_words(" ".join(w.split())) for w in value))

    def table(value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise fail(where.split(".")[-1], f"{where} must be a table")
        return value

    tables = _TABLES
    unknown = set(raw) - set(tables)
    if unknown:
        name = sorted(unknown)[0]
        known = ", ".join(tables)
        raise fail(name, f"unknown table {name!r} (known: {known})")
    qualifiers: list[tuple[tuple[str, str], Words]] = []
    for place, names in table(raw.get("qualifiers", {}), "qualifiers").items():
        if place not in _PLACES:
            raise fail(place, f"qualifiers.{place}: expected qualifiers.before or .after")
        for name, value in table(names, f"qualifiers.{place}").items():
            if name not in QUALIFIER_NAMES:
                known = ", ".join(QUALIFIER_NAMES)
                raise fail(name, f"unknown qualifier {name!r} (known: {known})")
            qualifiers.append(((place, name), words(value, f"qualifiers.{place}.{name}", name)))
    roles: list[tuple[tuple[str, str], Words]] = []
    for role, places in table(raw.get("roles", {}), "roles").items():
        if role not in ROLE_NAMES:
            raise fail(role, f"unknown role {role!r} (known: {', '.join(ROLE_NAMES)})")
        for place, value in table(places, f"roles.{role}").items():
            if place not in _ROLE_KEYS:
                known = ", ".join(_ROLE_KEYS)
                raise fail(place, f"roles.{role}: unknown key {place!r} (known: {known})")
            roles.append(((role, place), words(value, f"roles.{role}.{place}", place)))
    nouns = tuple(
        (name, words(value, f"nouns.{name}", name))
        for name, value in table(raw.get("nouns", {}), "nouns").items()
    )
    parts = tuple(
        (name, words(value, f"parts.{name}", name))
        for name, value in table(raw.get("parts", {}), "parts").items()
    )
    for table_name, named in (("nouns", nouns), ("parts", parts)):
        for noun, _words in named:
            if not re.fullmatch(r"[a-z][a-z -]{0,30}", noun):
                raise fail(noun, f"{table_name}: {noun!r} must be an English name in lower case")
    linking = words(raw.get("linking", []), "linking", "linking")
    companions = words(raw.get("companions", []), "companions", "companions")
    for word in companions:
        if len(word.split()) != 1:
            raise fail(word, f"companions: {word!r} must be one word (a person: driver, سائق)")
    cumulative = words(raw.get("cumulative", []), "cumulative", "cumulative")
    markers = words(raw.get("part_markers", []), "part_markers", "part_markers")
    return Lexicon(
        tuple(qualifiers), tuple(roles), nouns, linking, companions, cumulative, markers, parts
    )


def read_lexicon(path: Path) -> Lexicon:
    """:func:`parse_lexicon` of the file at ``path``; raises LexiconError naming the file when
    it is missing, unreadable or not UTF-8."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else exc.strerror or str(exc)
        raise LexiconError(f"{path}: cannot read the lexicon: {reason}") from exc
    return parse_lexicon(text, str(path))
