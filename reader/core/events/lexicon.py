"""The lexicon facts are read by: qualifiers, the roles of a figure (killed, wounded, displaced,
detained, missing) and counted nouns, in English and Arabic.

The words live in ``lexicon.toml`` beside this module (shipped with reader; read once, on first
use). A user lexicon of the same form (config ``[facts] lexicon``) adds words to it
(:func:`use_lexicon`, :func:`read_lexicon`, :meth:`Lexicon.merged`); it cannot remove any, nor
name a qualifier or a role reader does not know.
:func:`compiled` turns a lexicon into the regular expressions :mod:`facts` matches against its
shadow text (lower case, Arabic folded and without marks: :func:`fold_words`).

Callers may rely on: every word of a lexicon is folded as the text it is matched against is;
:class:`LexiconError` messages name the file and the line; a lexicon is immutable and hashable.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from reader.core.files.nesting import too_deep
from reader.core.text.arabic import fold_same_length

QUALIFIER_NAMES = ("at least", "more than", "about", "nearly", "up to", "less than")
"""The qualifiers a fact may carry (``Fact.qualifier``); :data:`facts.QUALIFIER_RANGES` gives
each its range."""
ROLE_NAMES = ("killed", "wounded", "displaced", "detained", "missing")
"""The roles a figure of people may have; each is a fact kind."""
_PLACES = ("before", "after")
_ROLE_KEYS = ("after", "before", "verbs")
_MAX_WORD = 80

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
SEPARATORS = str.maketrans({"٫": ".", "٬": ",", "’": "'"})
"""The Arabic decimal and thousands separators and the typographic apostrophe, to ASCII."""


def fold_words(text: str) -> str:
    """``text`` as facts reads it: lower case, Arabic marks and tatweel removed, Arabic letters
    folded (:func:`fold_same_length`), Arabic separators to ASCII."""
    return fold_same_length(_MARKS.sub("", text.lower())).translate(SEPARATORS)


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
    stand between a figure and its role ("were", "have been").
    """

    qualifiers: tuple[tuple[tuple[str, str], Words], ...] = ()
    roles: tuple[tuple[tuple[str, str], Words], ...] = ()
    nouns: tuple[tuple[str, Words], ...] = ()
    linking: Words = ()

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

    unknown = set(raw) - {"qualifiers", "roles", "nouns", "linking"}
    if unknown:
        name = sorted(unknown)[0]
        raise fail(name, f"unknown table {name!r} (known: qualifiers, roles, nouns, linking)")
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
    for name, _words in nouns:
        if not re.fullmatch(r"[a-z][a-z -]{0,30}", name):
            raise fail(name, f"nouns: {name!r} must be an English name in lower case")
    linking = words(raw.get("linking", []), "linking", "linking")
    return Lexicon(tuple(qualifiers), tuple(roles), nouns, linking)


def read_lexicon(path: Path) -> Lexicon:
    """:func:`parse_lexicon` of the file at ``path``; raises LexiconError naming the file when
    it is missing, unreadable or not UTF-8."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else exc.strerror or str(exc)
        raise LexiconError(f"{path}: cannot read the lexicon: {reason}") from exc
    return parse_lexicon(text, str(path))


@cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped with reader (``lexicon.toml`` beside this module), read once."""
    resource = files("reader.core.events").joinpath("lexicon.toml")
    return parse_lexicon(resource.read_text(encoding="utf-8"), "reader/core/events/lexicon.toml")


_active: list[Lexicon] = []  # the lexicon use_lexicon chose, when it chose one


def use_lexicon(path: Path | None) -> Lexicon:
    """Make the shipped lexicon plus the user lexicon at ``path`` (none: the shipped one alone)
    the one :func:`active_lexicon` returns, for this process; returns it. Raises LexiconError
    (naming the file and line) and changes nothing when the file cannot be used."""
    lexicon = default_lexicon() if path is None else default_lexicon().merged(read_lexicon(path))
    _active[:] = [lexicon]
    return lexicon


def active_lexicon() -> Lexicon:
    """The lexicon facts are read by unless a caller names one: the shipped lexicon, plus the
    user lexicon :func:`use_lexicon` was last given (config ``[facts] lexicon``)."""
    return _active[0] if _active else default_lexicon()


# ----------------------------------------------------------------------------------------------
# Regular expressions

_B = r"(?<![\w])"  # a word start that works for Arabic too
_E = r"(?![\w])"
# A word a gap may step over: no digits (never another figure) and no conjunction ("killed 4
# people and wounded 11": 4 are not wounded).
_WORD = r"(?!(?:and|or|but|while|whereas|then|as|و|او|ثم|بينما)(?!\w))[^\W\d]+"
_AR_PREFIX = r"(?:[وفبل]|[وفب]?ال|لل)?"
# A verb's subject ("اعتقلت الشرطة التونسية 45") holds no preposition: "قتل ... في 3 مدن" is not
# three killed.
_SUBJECT_WORD = r"\s+(?!(?:في|من|علي|الي|عن|منذ|بعد|قبل|خلال|مع|in|on|at|of|for|from|to)\s)" + _WORD


def _phrase(word: str) -> str:
    """A regular expression for one folded lexicon word or phrase ("..." = up to 3 words)."""
    parts: list[str] = []
    for token in word.split():
        if token == "...":
            parts.append(rf"(?:\s+{_WORD}){{0,8}}?")
        else:
            parts.append((r"\s+" if parts else "") + re.escape(token))
    first = word.split()[0]
    prefix = _AR_PREFIX if "\u0621" <= first[0] <= "\u064a" and len(first) > 2 else ""
    return _B + prefix + "".join(parts) + _E


def _alternatives(words: Words) -> str:
    # Longest first, so "ما يزيد عن" is tried before "يزيد عن" at the same place.
    return "|".join(_phrase(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Compiled:
    """A lexicon's regular expressions, for :mod:`facts`.

    ``qualifier_before`` is searched in the text before a figure and ends where it ends; its
    group ``q<i>`` says the qualifier ``qualifier_names[i]``; ``qualifier_after`` is matched
    where a fact ends, likewise. ``role_after`` is matched where a figure ends (its group
    named after a role says which), and
    ``role_before[role]`` searched in the text before it (ending where it ends). ``count``
    matches a counted noun after a figure (group 1, a key of ``nouns``, spaces single).
    Quick tests come first (:meth:`may_qualify`, :meth:`may_have_role_before`,
    :meth:`may_have_role_after`): a pattern can match only where a word it starts with (for a
    qualifier: ends with) is near the figure.
    """

    qualifier_names: tuple[str, ...]
    qualifier_before: re.Pattern[str]
    qualifier_after: re.Pattern[str]
    role_after: re.Pattern[str]
    role_before: tuple[tuple[str, re.Pattern[str]], ...]
    count: re.Pattern[str]
    nouns: dict[str, str]
    qualifier_last: frozenset[str]
    before_first: frozenset[str]
    after_first: frozenset[str]

    def may_qualify(self, before: str) -> bool:
        """Whether a qualifier may end at the end of ``before`` (a quick test)."""
        return _any_word(_WORDS_OF.findall(before[-40:])[-1:], self.qualifier_last)

    def may_have_role_before(self, before: str) -> bool:
        """Whether a role may be written in ``before`` (a quick test)."""
        return _any_word(_WORDS_OF.findall(before), self.before_first)

    def may_have_role_after(self, after: str) -> bool:
        """Whether a role may be written at the start of ``after`` (a quick test)."""
        return _any_word(_WORDS_OF.findall(after[:150])[:10], self.after_first)


_WORDS_OF = re.compile(r"[^\W\d_]+")


def _any_word(words: list[str], table: frozenset[str]) -> bool:
    """Whether a word, or the word without an Arabic prefix of up to 3 letters, is in table."""
    return any(word[i:] in table for word in words for i in range(4))


_NEVER = re.compile(r"(?!)")


@lru_cache(maxsize=8)
def compiled(lexicon: Lexicon) -> Compiled:
    """The regular expressions of ``lexicon`` (cached per lexicon)."""
    names = QUALIFIER_NAMES
    table = dict(lexicon.qualifiers)

    def qualifiers(place: str) -> str:
        return "|".join(
            f"(?P<q{i}>{_alternatives(table[place, name])})"
            for i, name in enumerate(names)
            if table.get((place, name))
        )

    before = qualifiers("before")
    after = qualifiers("after")
    roles = dict(lexicon.roles)
    linking = _alternatives(lexicon.linking) if lexicon.linking else "(?!)"
    after_roles = "|".join(
        f"(?P<{role}>{_alternatives(roles[role, 'after'])})"
        for role in ROLE_NAMES
        if roles.get((role, "after"))
    )
    # One pattern for every role: the nearest role word wins ("were" may be a linking word).
    role_after = (
        re.compile(rf"(?:\s+{_WORD}){{0,2}}?(?:\s+(?:{linking})){{0,3}}\s*(?:{after_roles})")
        if after_roles
        else _NEVER
    )
    role_before: list[tuple[str, re.Pattern[str]]] = []
    for role in ROLE_NAMES:
        direct = _alternatives(roles.get((role, "before"), ()))
        verbs = _alternatives(roles.get((role, "verbs"), ()))
        options = [f"(?:{direct})" if direct else "", f"(?:{verbs})(?:{_SUBJECT_WORD}){{0,3}}"]
        pattern = "|".join(o for o in options[: 2 if verbs else 1] if o)
        if pattern:
            role_before.append((role, re.compile(rf"(?:{pattern})\s*$")))
    nouns = {w: name for name, words in lexicon.nouns for w in words}
    noun = "|".join(
        r"\s+".join(map(re.escape, w.split())) for w in sorted(nouns, key=len, reverse=True)
    )
    count = re.compile(rf"\s*(?:[a-z]+\s+|من\s+)?({noun}){_E}") if nouns else _NEVER

    def tokens(table: tuple[tuple[tuple[str, str], Words], ...], keep: str, at: int) -> set[str]:
        return {_WORDS_OF.findall(w)[at] for (a, b), ws in table if keep in (a, b) for w in ws}

    return Compiled(
        names,
        re.compile(rf"(?:{before})\s*$") if before else _NEVER,
        re.compile(rf"\s*(?:{after})") if after else _NEVER,
        role_after,
        tuple(role_before),
        count,
        nouns,
        frozenset(tokens(lexicon.qualifiers, "before", -1)),
        frozenset(tokens(lexicon.roles, "before", 0) | tokens(lexicon.roles, "verbs", 0)),
        frozenset(tokens(lexicon.roles, "after", 0)),
    )
