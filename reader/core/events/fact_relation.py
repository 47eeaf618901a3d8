"""How two facts of one kind and unit stand to each other (:func:`relation`): the same figure,
two statements that can both be true, or two that exclude each other. Used by
:mod:`reader.core.events.divergences` to mark what outlets agree, differ and contradict each
other on.
"""

from __future__ import annotations

import re

from reader.core.events.facts import Fact

SAME, COMPATIBLE, EXCLUSIVE = "same", "compatible", "exclusive"
# Qualifiers that say the same of one figure ("nearly 60" / قرابة 60).
_EQUIVALENT = {"nearly": "about"}
_STRICT_LOW = frozenset({"more than"})  # "more than 30" excludes 30
_STRICT_HIGH = frozenset({"nearly", "less than"})  # "nearly 100", "less than 20" exclude them
_TOLERANCE = 0.005  # relative: the same figure computed twice (87 miles = 140.01 km)
_CONVERTED = 3  # times more when one side was converted: "50 miles" / 80 km (80.47)
_OTHER_UNITS = re.compile(
    r"mile|\bmi\b|(?<!kilo)(?<!kilo-)met(?:er|re)|ميل|[اأ]ميال|(?<!كيلو)(?<!كيلو )متر|[اأ]متار"
)


def _dates_agree(a: str, b: str) -> bool:
    """ "2020-05-29" agrees with "--05-29", "2020-05" and "2020"."""
    if a.startswith("--") or b.startswith("--"):
        return a[-5:] == b[-5:] and len(a) >= 7 and len(b) >= 7 and a[-6:-5] == b[-6:-5] == "-"
    return a.startswith(b) or b.startswith(a)


def relation(a: Fact, b: Fact) -> str:
    """How two facts of one kind and unit stand: :data:`SAME` (the same figure, qualifiers
    that say the same, dates of compatible precision), :data:`EXCLUSIVE` (no value satisfies
    both: 12 / 15; "up to 20" / 25; 30 / "more than 30"; 3 / 4 March) or :data:`COMPATIBLE`
    (different statements that can both be true: "at least 12" / "at least 14")."""
    if a.kind == "date":
        return SAME if _dates_agree(a.label, b.label) else EXCLUSIVE
    slack = _TOLERANCE * max(abs(a.value), abs(b.value))
    if _converted(a) != _converted(b):  # "50 miles" is "80 km", rounded
        slack *= _CONVERTED
    if _below(a, b, slack) or _below(b, a, slack):
        return EXCLUSIVE
    if _vague(a) and _vague(b):
        return SAME  # dozens / عشرات
    qualifiers = (_EQUIVALENT.get(q, q) for q in (a.qualifier, b.qualifier))
    if abs(a.value - b.value) <= slack and len(set(qualifiers)) == 1:
        return SAME
    return COMPATIBLE


def _below(a: Fact, b: Fact, slack: float) -> bool:
    """True when every value ``a`` allows is below every value ``b`` allows."""
    if a.qualifier in _STRICT_HIGH or b.qualifier in _STRICT_LOW:
        return a.high <= b.low + slack
    return a.high < b.low - slack


def _converted(fact: Fact) -> bool:
    """A distance written in miles or metres (converted to km, which the other rounds)."""
    return fact.kind == "distance" and _OTHER_UNITS.search(fact.text.lower()) is not None


def _vague(fact: Fact) -> bool:
    """A range with no qualifier: "dozens", "hundreds", عشرات."""
    return not fact.qualifier and fact.high - fact.low > max(1.0, 0.2 * abs(fact.value))
