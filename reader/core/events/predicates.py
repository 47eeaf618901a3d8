"""Yes-or-no statements that two articles can contradict each other on, in English and Arabic.

Numbers are not the only thing outlets disagree on: one says a party *denied* a strike, another
that it *confirmed* it; one reports "no recorded fighting" at a base, another "a fierce battle".
:func:`find_predicates` finds two such predicates, from a small lexicon of phrasings in both
languages, as :class:`reader.core.events.facts.Fact` of kind ``"predicate"`` so they are paired
across articles like any fact (about the same place or party):

- unit ``"stance"``: value -1 for a denial (denied, نفى، نفت), +1 for a confirmation
  (confirmed, acknowledged, أكد، اعترف);
- unit ``"fighting"``: -1 for fighting said not to have happened (no fighting, without a fight,
  لم تسجل أي اشتباكات، دون قتال), +1 for fighting described (a fierce battle, heavy clashes,
  معركة عنيفة).

Two statements of one predicate with opposite values cannot both be true; the comparison shows
them as a conflict for the user to judge (rules reach only so far: "denied" may deny something
else than the other article confirms). Callers may rely on: facts sorted by ``start``, not
overlapping, offsets in code points into the text given, ``value`` is -1 or +1.
"""

from __future__ import annotations

import re

from reader.core.events.facts import Fact
from reader.core.events.metatext import arabic, shadow


def _alt(*phrases: str) -> str:
    """The phrases as one pattern; a mark may follow any Arabic letter (تُسجل, نفـى)."""
    return arabic("|".join(phrases))


_B = r"(?<![\w])"  # a word start that works for Arabic too
_E = r"(?![\w])"
# (unit, value, label, pattern over the text's shadow: reader.core.events.metatext.shadow)
_LEXICON: tuple[tuple[str, float, str, re.Pattern[str]], ...] = tuple(
    (unit, value, label, re.compile(_B + f"(?:{pattern})" + _E, re.IGNORECASE))
    for unit, value, label, pattern in (
        (
            "stance",
            -1.0,
            "denied",
            _alt(
                r"denied|denies|deny|denying|rejected (?:claims|reports)",
                "نفي",
                "نفت",
                "ينفي",
                "تنفي",
                "وينفي",
                "ونفي",
                "ونفت",
            ),
        ),
        (
            "stance",
            1.0,
            "confirmed",
            _alt(
                r"confirmed|confirms|confirming|acknowledged|admitted",
                "اكد",
                "اكدت",
                "يؤكد",
                "تؤكد",
                "واكد",
                "واكدت",
                "اعترف",
                "اعترفت",
            ),
        ),
        (
            "fighting",
            -1.0,
            "no fighting",
            _alt(
                r"no (?:recorded |reported |heavy |real )?(?:fighting|clashes|battle|resistance)"
                r"|without (?:a fight|fighting|resistance|a battle)|did not (?:fight|clash)",
                "لم تسجل اي اشتباكات",
                "لم تسجل اشتباكات",
                "لم يسجل اي قتال",
                "لم تسجل اي معارك",
                "دون قتال",
                "دون مقاومه",
                "بلا قتال",
                "دون اي مقاومه",
            ),
        ),
        (
            "fighting",
            1.0,
            "fighting",
            _alt(
                r"(?:a )?(?:fierce|heavy|intense|violent|bloody) (?:fighting|battle|clashes)",
                "معركه عنيفه",
                "معارك عنيفه",
                "اشتباكات عنيفه",
                "قتال عنيف",
                "معارك ضاريه",
            ),
        ),
    )
)


def find_predicates(text: str) -> list[Fact]:
    """The denials, confirmations and statements about fighting in ``text`` (see the module
    docs), sorted by offset, not overlapping."""
    folded = shadow(text)
    found: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for unit, value, label, pattern in _LEXICON:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append(
                Fact("predicate", value, unit, value, value, start, end, text[start:end], label)
            )
    found.sort(key=lambda f: f.start)
    return found
