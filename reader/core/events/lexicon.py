"""The lexicon facts are read by: qualifiers, the roles of a figure (killed, wounded, displaced,
detained, missing) and counted nouns, in English and Arabic.

The words live in ``lexicon.toml`` beside this module (shipped with reader; read once, on first
use; its form is read and checked by :mod:`reader.core.names.lexicon_file`). A user lexicon of
the same form (config ``[facts] lexicon``) adds words to it (:func:`use_lexicon`,
:func:`read_lexicon`, :meth:`Lexicon.merged`); it cannot remove any, nor name a qualifier or a
role reader does not know. :func:`compiled` turns a lexicon into the regular expressions
:mod:`facts` matches against its shadow text (lower case, Arabic folded and without marks:
:func:`fold_words`).

Callers may rely on: every word of a lexicon is folded as the text it is matched against is;
:class:`LexiconError` messages name the file and the line; a lexicon is immutable and hashable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

from reader.core.events.patterns import (
    AFTER_FIRST_LETTER,
    forms_in,
    words_at_word_start,
    words_of,
)
from reader.core.names.lexicon_file import (
    QUALIFIER_NAMES,
    ROLE_NAMES,
    SEPARATORS,
    Lexicon,
    LexiconError,
    Words,
    fold_words,
    parse_lexicon,
    read_lexicon,
)
from reader.core.text.arabic import is_arabic_letter

__all__ = [
    "NEVER",
    "QUALIFIER_NAMES",
    "ROLE_NAMES",
    "SEPARATORS",
    "Compiled",
    "Lexicon",
    "LexiconError",
    "active_lexicon",
    "compiled",
    "default_lexicon",
    "fold_words",
    "parse_lexicon",
    "phrase_alternatives",
    "read_lexicon",
    "use_lexicon",
]


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
# A word a gap may step over: no digits (never another figure), no conjunction ("killed 4
# people and wounded 11": 4 are not wounded) and no word that starts another clause ("12
# people gathered where protesters were killed": the 12 are not the dead).
_WORD = (
    r"(?!(?:and|or|but|while|whereas|then|as|where|when|after|before|because|since|until"
    r"|which|whose|if|than|said|says|told|و|او|ثم|بينما|حيث|عندما|بعد|قبل|الذي|التي)(?!\w))"
    r"[^\W\d]+"
)
# A word of a long English subject between a figure and "were killed" ("Ten members of the
# Haniyeh family, including his sister, were killed"): a word as above, possessive or
# hyphenated ("Haniyeh's", "U.S.-based"), in brackets ("(WCK)"), never a verb that would start
# another clause ("12 people said the soldiers were killed": the 12 are not the dead).
_FAR_WORD = (
    r"(?!(?:was|were|is|are|has|have|had|been|who|that|will|would|could|did|do|does)(?!\w))"
    + _WORD
    + r"(?:['’.-][^\W\d]+)*\.?\)?"
)
_FAR_GAP = rf"(?:,?\s+\(?{_FAR_WORD}){{1,24}}?,?"
_PASSIVE = r"\s+(?:were|have\s+been|had\s+been)(?:\s+(?:also|all|reportedly|later|then|now))?\s+"
_AR_PREFIX = r"(?:[وفبل]|[وفب]?ال|لل)?"
# A verb's subject ("اعتقلت الشرطة التونسية 45") holds no preposition: "قتل ... في 3 مدن" is not
# three killed.
_SUBJECT_WORD = r"\s+(?!(?:في|من|علي|الي|عن|منذ|بعد|قبل|خلال|مع|in|on|at|of|for|from|to)\s)" + _WORD


# The Arabic prefixes _AR_PREFIX allows, in the order it tries them (one letter; one and ال;
# ال; لل; none).
_AR_PREFIXES = ("و", "ف", "ب", "ل", "وال", "فال", "بال", "ال", "لل", "")


def _by_first_letter(prefixes: tuple[str, ...]) -> str:
    """The prefixes (none empty) as one group of alternatives: each first letter (a class of
    the first letters that are followed by the same rest) followed by the word-start test
    and then what may follow it, in the order given. The prefixes of one first letter are
    tried in their order, and prefixes of different first letters cannot both match at one
    place, so the prefixes are tried as in ``(?:p1|p2|...)``."""
    tails: dict[str, list[str]] = {}
    for prefix in prefixes:
        tails.setdefault(prefix[0], []).append(prefix[1:])
    letters: dict[tuple[str, ...], list[str]] = {}  # the same rests: one class of letters
    for first, rest in tails.items():
        letters.setdefault(tuple(rest), []).append(first)
    options = []
    for rests, firsts in letters.items():
        first = re.escape(firsts[0]) if len(firsts) == 1 else f"[{''.join(sorted(firsts))}]"
        options.append(f"{first}{AFTER_FIRST_LETTER}(?:{'|'.join(map(re.escape, rests))})")
    return "(?:" + "|".join(options) + ")"


_PREFIXED = _by_first_letter(tuple(p for p in _AR_PREFIXES if p))


def _phrase(word: str) -> str:
    """A regular expression for one folded lexicon word or phrase ("..." = up to 3 words):
    ``_B + _AR_PREFIX + words + _E`` (the prefix for an Arabic first word of three letters or
    more), written so that each alternative starts with a literal letter and tests the word
    start after it (see :mod:`reader.core.events.patterns`): the regex engine rules out an
    alternative on its first letter instead of running a look-behind for each. An Arabic
    word is written twice, after its prefixes (:data:`_PREFIXED`, tried first as
    :data:`_AR_PREFIXES` are) and alone (tried last, as the empty prefix is): the same
    matches as one alternative per prefix, at a fifth of the size to compile."""
    tokens = word.split()
    if tokens[0] == "...":
        return _B + _phrase_rest(tokens) + _E
    first = tokens[0]
    rest = _phrase_rest(tokens[1:], after_first=True)
    alone = re.escape(first[0]) + AFTER_FIRST_LETTER + re.escape(first[1:]) + rest
    if not (is_arabic_letter(first[0]) and len(first) > 2):
        return "(?:" + alone + ")" + _E
    return "(?:" + _PREFIXED + re.escape(first) + rest + "|" + alone + ")" + _E


def _phrase_rest(tokens: list[str], *, after_first: bool = False) -> str:
    """The pattern of a phrase's tokens (the tokens after its first when ``after_first``)."""
    parts: list[str] = []
    for token in tokens:
        if token == "...":
            parts.append(rf"(?:\s+{_WORD}){{0,8}}?")
        else:
            parts.append((r"\s+" if parts or after_first else "") + re.escape(token))
    return "".join(parts)


def phrase_alternatives(words: Words) -> str:
    """The alternatives of ``words`` (folded lexicon words and phrases, see :func:`_phrase`),
    longest first, for a regular expression."""
    # Longest first, so "ما يزيد عن" is tried before "يزيد عن" at the same place.
    return "|".join(_phrase(w) for w in sorted(words, key=len, reverse=True))


NEVER = re.compile(r"(?!)")  # a pattern that matches nothing
# The counted nouns (lexicon names) that count people, and English words for people that a
# figure may count besides the companions' plurals ("three grandchildren").
PERSON_NOUNS = frozenset(
    (
        *("people", "civilian", "soldier", "fighter", "mercenary", "officer", "citizen"),
        *("migrant", "protester", "worker", "lawmaker", "child", "prisoner"),
    )
)
_PEOPLE_WORDS = ("children", "grandchildren", "men", "women", "relatives", "members", "staff")


def _person_after(lexicon: Lexicon) -> re.Pattern[str]:
    """The people a figure counts, matched where it ends: a counted noun of people, a
    companion in the plural or another word for people (one word may come first in English:
    "three Palestinian workers"), or in Arabic من and what follows ("4 من أحفاده")."""
    nouns = [w for name, words in lexicon.nouns if name in PERSON_NOUNS for w in words]
    latin = [w for w in (*lexicon.companions, *nouns) if not is_arabic_letter(w[0])]
    latin += [w + "s" for w in lexicon.companions if not is_arabic_letter(w[0])]
    latin += _PEOPLE_WORDS
    arabic = [w for w in (*lexicon.companions, *nouns) if is_arabic_letter(w[0])]
    options = [r"\s*من\s+[^\W\d]+"]
    if latin:
        alternatives = "|".join(map(re.escape, sorted(set(latin), key=len, reverse=True)))
        options.append(rf"\s+(?:[^\W\d]+\s+)??(?:{alternatives}){_E}")
    if arabic:
        alternatives = "|".join(map(re.escape, sorted(set(arabic), key=len, reverse=True)))
        options.append(rf"\s*(?:ال)?(?:{alternatives})(?:هما|هم|ها|ه)?{_E}")
    return re.compile("|".join(f"(?:{o})" for o in options))


_DETERMINERS = "their|its|his|her|a|an|one|the"


def _companion(words: Words) -> re.Pattern[str]:
    """One person counted with a figure: "and their (Palestinian) driver", "along with a
    colleague", وسائق, مع سائقهم, والسائق."""
    latin = [w for w in words if not is_arabic_letter(w[0])]
    arabic = [w for w in words if is_arabic_letter(w[0])]
    options = []
    if latin:
        nouns = "|".join(map(re.escape, sorted(latin, key=len, reverse=True)))
        options.append(
            rf"{_B}(?:and|along\s+with|together\s+with|with|plus)\s+(?:{_DETERMINERS})\s+"
            rf"(?:[^\W\d]+\s+)??(?:{nouns}){_E}"
        )
    if arabic:
        nouns = "|".join(map(re.escape, sorted(arabic, key=len, reverse=True)))
        options.append(rf"{_B}(?:و|مع\s+)(?:ال)?(?:{nouns})(?:هما|هم|ها|ه)?{_E}")
    return re.compile("|".join(options)) if options else NEVER


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
    qualifier: ends with) is near the figure. ``companion`` is searched after a figure of
    people for one more person counted with it ("and their driver", وسائق);
    ``role_after_companion`` is ``role_after`` with such a companion in the gap.
    ``person_after`` matches where a figure of people ends: the people it counts ("three
    grandchildren", "4 من أحفاده", "5 مدنيين").
    ``role_after_far`` is an English passive after a long subject ("Seven members of the aid
    group World Central Kitchen were killed"): up to 24 words and commas, then were/have been
    and a role; :meth:`may_have_far_role` is its quick test. The caller checks that the gap
    holds no other figure.
    The patterns of a figure's scope in a claim (running totals, parts of a group) are
    :mod:`reader.core.events.claim_words`'s.
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
    companion: re.Pattern[str] = NEVER
    role_after_companion: re.Pattern[str] = NEVER
    role_after_far: re.Pattern[str] = NEVER
    person_after: re.Pattern[str] = NEVER
    after_words: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    def may_qualify(self, before: str) -> bool:
        """Whether a qualifier may end at the end of ``before`` (a quick test)."""
        return _any_word(words_of(before[-40:])[-1:], self.qualifier_last)

    def may_have_role_before(self, before: str) -> bool:
        """Whether a role may be written in ``before`` (a quick test)."""
        return _any_word(words_of(before), self.before_first)

    def may_have_role_after(self, text: str, at: int) -> bool:
        """Whether a role may be written at the start of ``text[at:]`` (a quick test): a word
        a role starts with is among its first words, and every other word of that role is
        written somewhere after ``at`` (``after_words``: the words of each role by its first;
        a first word missing from it passes)."""
        words = words_of(text[at : at + 150])[:10]
        for forms in forms_in(words, self.after_first):
            for first in forms:
                roles = self.after_words.get(first)
                if roles is None or any(all(text.find(w, at) >= 0 for w in r) for r in roles):
                    return True
        return False

    def may_have_far_role(self, text: str, at: int) -> bool:
        """Whether ``text`` may hold a long subject's passive role soon after ``at`` (a quick
        test)."""
        return _PASSIVE_NEAR.search(text, at, at + _FAR_CHARS) is not None


_FAR_CHARS = 260  # how far after a figure a long subject's passive may end
# \b(?:were|been)\s, starting with a literal (see reader.core.events.patterns).
_PASSIVE_NEAR = re.compile(words_at_word_start(("were", "been")) + r"\s")


def _any_word(words: list[str], table: frozenset[str]) -> bool:
    """Whether a word, or the word without an Arabic prefix of up to 3 letters, is in table."""
    return any(forms_in(words, table))


@lru_cache(maxsize=8)
def compiled(lexicon: Lexicon) -> Compiled:
    """The regular expressions of ``lexicon`` (cached per lexicon)."""
    names = QUALIFIER_NAMES
    table = dict(lexicon.qualifiers)

    def qualifiers(place: str) -> str:
        return "|".join(
            f"(?P<q{i}>{phrase_alternatives(table[place, name])})"
            for i, name in enumerate(names)
            if table.get((place, name))
        )

    before = qualifiers("before")
    after = qualifiers("after")
    roles = dict(lexicon.roles)
    linking = phrase_alternatives(lexicon.linking) if lexicon.linking else "(?!)"
    after_roles = "|".join(
        f"(?P<{role}>{phrase_alternatives(roles[role, 'after'])})"
        for role in ROLE_NAMES
        if roles.get((role, "after"))
    )
    # One pattern for every role: the nearest role word wins ("were" may be a linking word).
    role_after = (
        re.compile(rf"(?:\s+{_WORD}){{0,5}}?(?:\s+(?:{linking})){{0,3}}\s*(?:{after_roles})")
        if after_roles
        else NEVER
    )
    companion = _companion(lexicon.companions)
    role_after_companion = (
        re.compile(
            rf"(?:\s+{_WORD}){{0,5}}?\s+(?:{companion.pattern})(?:\s+{_WORD}){{0,2}}?"
            rf"(?:\s+(?:{linking})){{0,3}}\s*(?:{after_roles})"
        )
        if after_roles and companion is not NEVER
        else NEVER
    )
    role_after_far = re.compile(rf"{_FAR_GAP}{_PASSIVE}(?:{after_roles})") if after_roles else NEVER
    person_after = _person_after(lexicon)
    role_before: list[tuple[str, re.Pattern[str]]] = []
    for role in ROLE_NAMES:
        direct = phrase_alternatives(roles.get((role, "before"), ()))
        verbs = phrase_alternatives(roles.get((role, "verbs"), ()))
        options = [f"(?:{direct})" if direct else "", f"(?:{verbs})(?:{_SUBJECT_WORD}){{0,3}}"]
        pattern = "|".join(o for o in options[: 2 if verbs else 1] if o)
        if pattern:
            role_before.append((role, re.compile(rf"(?:{pattern})\s*$")))
    nouns = {w: name for name, words in lexicon.nouns for w in words}
    noun = "|".join(
        r"\s+".join(map(re.escape, w.split())) for w in sorted(nouns, key=len, reverse=True)
    )
    count = re.compile(rf"\s*(?:[a-z]+\s+|من\s+)?({noun}){_E}") if nouns else NEVER

    def tokens(table: tuple[tuple[tuple[str, str], Words], ...], keep: str, at: int) -> set[str]:
        return {words_of(w)[at] for (a, b), ws in table if keep in (a, b) for w in ws}

    return Compiled(
        names,
        re.compile(rf"(?:{before})\s*$") if before else NEVER,
        re.compile(rf"\s*(?:{after})") if after else NEVER,
        role_after,
        tuple(role_before),
        count,
        nouns,
        frozenset(tokens(lexicon.qualifiers, "before", -1)),
        frozenset(tokens(lexicon.roles, "before", 0) | tokens(lexicon.roles, "verbs", 0)),
        frozenset(tokens(lexicon.roles, "after", 0)),
        companion,
        role_after_companion,
        role_after_far,
        person_after,
        _words_by_first(lexicon.roles, "after"),
    )


def _words_by_first(
    table: tuple[tuple[tuple[str, str], Words], ...], place: str
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The words of each phrase of ``table`` at ``place`` ("..." left out), by the phrase's
    first word (as :meth:`Compiled.may_have_role_after` reads words): every one of them is
    in the text wherever the phrase matches."""
    found: dict[str, set[tuple[str, ...]]] = {}
    for (_role, at), phrases in table:
        if at == place:
            for phrase in phrases:
                words = tuple(w for w in phrase.split() if w != "...")
                found.setdefault(words_of(phrase)[0], set()).add(words)
    return {first: tuple(sorted(options)) for first, options in found.items()}
