"""Facts a machine can compare: numbers with their unit and kind, dates and times, in English
and Arabic.

:func:`find_facts` reads figures (:mod:`reader.core.events.numbers`: digits in any script,
number words, compounds (خمسة عشر, "one hundred and twenty"), vague words (dozens, عشرات),
scale words) in the text without its Arabic marks (قُتِلَ reads as قتل);
recognises distances (km, kilometres, miles, كلم, كيلومترا, ميل - all converted to km), sums of
money, percentages, durations, ages, dates and times; the role of a figure of people (killed,
wounded, displaced, detained, missing - each a kind), written before it ("killed 12", مقتل 12,
اعتقلت الشرطة 45) or after it ("12 people were killed", 12 قتيلا, لقي 12 شخصا حتفهم); counts of
people and things ("300 civilians" = "300 مدنيين"); and qualifiers, by name, as a range
(:data:`QUALIFIER_RANGES`); who a figure of people counts (a companion on top, a long
subject, a list of groups that adds up) is :mod:`reader.core.events.people`. Roles, counted
nouns and qualifiers come from the lexicon
(:mod:`reader.core.events.lexicon`, a TOML file a user can extend). "140 km (87 miles)" is one
fact. Offsets are code points into the text given.

Callers may rely on: facts come sorted by ``start`` and do not overlap (except the two ends of a
date range, "April 14 to 16", which share their text); ``low <= value <= high``
for numeric kinds; dates are compared by ``label`` ("2020-05-29", "2019-07", "2019", "--05-29").
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from reader.core.events.dates import find_dates
from reader.core.events.lexicon import (
    PERSON_NOUNS,
    ROLE_NAMES,
    Compiled,
    Lexicon,
    active_lexicon,
    compiled,
)
from reader.core.events.numbers import Number, Shadow, numbers, same_length_shadow
from reader.core.events.patterns import ascii_twin, plain_ascii
from reader.core.events.people import addends, companion_end, earlier_addends, far_role
from reader.core.events.times import arabic_times, on_clock, part_of_day

NUMERIC_KINDS = (
    "distance",
    *ROLE_NAMES,  # killed wounded displaced detained missing: people, by what befell them
    "money",
    "percent",
    "duration",
    "age",
    "count",
)
KINDS = (*NUMERIC_KINDS, "date", "time")
KM_PER_MILE = 1.609344


@dataclass(frozen=True, slots=True)
class Fact:
    """One comparable statement of quantity or time found in a text.

    ``value``, ``low`` and ``high`` are in ``unit`` (km for every distance, people for
    casualties, days for durations, minutes after midnight for times). ``low``/``high``: an
    integer in digits or words is exact (``low == value == high``: "12" does not reach 13);
    a decimal keeps half a unit of its last digit ("2.5" gives 2.45..2.55, "1.5 million"
    1.45..1.55 million); a vague word keeps its range ("dozens" 24..99); a qualifier then sets
    the range by its name (:data:`QUALIFIER_RANGES`). Dates have value 0 and are told apart by
    ``label``.
    """

    kind: str
    value: float
    unit: str
    low: float
    high: float
    start: int
    end: int
    text: str
    label: str
    qualifier: str = ""
    direction: str = ""  # distances: "west", "south-east", "from" ...

    @property
    def key(self) -> str:
        """Equal for the same statement in any language ("distance:km:140")."""
        if self.kind == "date":
            return f"date:{self.label}"
        return f"{self.kind}:{self.unit}:{self.value:g}"


_B = r"(?<![\w])"  # a word start that works for Arabic too
_E = r"(?![\w])"
_UNIT_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, unit, re.compile(pattern))
    for kind, unit, pattern in (
        (
            "percent",
            "%",
            r"\s*(?:%|٪|per ?cent" + _E + r"|(?:بال|في ال)(?:مئه|مائه|ميه)" + _E + ")",
        ),
        (
            "distance",
            "km",
            r"\s*-?\s*(?:km|kms|kilo-?met(?:er|re)s?|كم|كلم|كيلو ?مترا?ت?|كيلو)" + _E,
        ),
        ("distance", "mi", r"\s*-?\s*(?:miles?|mi|ميلا?|اميال)" + _E),
        ("distance", "m", r"\s*-?\s*(?:met(?:er|re)s|مترا?|امتار)" + _E),
        ("age", "year", r"\s*-\s*years?\s*-\s*old|\s+years?\s+old" + _E),
        ("duration", "day", r"\s*(?:days?|يوم|يوما|ايام|يومين|يومان)" + _E),
        ("duration", "week", r"\s*(?:weeks?|اسبوع|اسبوعا|اسابيع|اسبوعين|اسبوعان)" + _E),
        ("duration", "month", r"\s*(?:months?|شهر|شهرا|اشهر|شهور|شهرين|شهران)" + _E),
        (
            "duration",
            "year",
            r"\s*(?:years?|سنه|سنوات|عام|عاما|اعوام|عامين|عامان|سنتين|سنتان)" + _E,
        ),
        ("duration", "hour", r"\s*(?:hours?|ساعه|ساعات|ساعتين|ساعتان)" + _E),
    )
)
# Every unit in one pattern, tried in the order above (the first alternative that matches
# wins, as a loop over them would): one match per figure instead of ten.
_UNIT_ANY = re.compile(
    "|".join(f"(?P<u{i}>{pattern.pattern})" for i, (_k, _u, pattern) in enumerate(_UNIT_PATTERNS))
)
_DAYS_PER = {"day": 1.0, "week": 7.0, "month": 30.0, "year": 365.0, "hour": 1 / 24}
_MONEY_BEFORE = re.compile(r"(?:us\s?\$|\$|usd|€|£)\s*$")
_MONEY_AFTER = re.compile(
    r"\s*(?:(dollars?|usd|دولار|دولارا|دولارات)|(euros?|يورو)|(pounds?|جنيه|جنيها)"
    r"|(dinars?|دينار|دينارا))" + _E
)
_CURRENCIES = ("USD", "EUR", "GBP", "LYD")


def _may_be_money(before: str) -> bool:
    """Whether :data:`_MONEY_BEFORE` may match in ``before`` (a quick test: each of its
    matches holds one of these)."""
    return "$" in before or "€" in before or "£" in before or "usd" in before


_MAYBE_TIME = re.compile(r"\d(?::\d|\s*[ap]\.?m)")  # what every time has: a quick test first
_MAYBE_TIME_ASCII = ascii_twin(_MAYBE_TIME)  # for an ASCII text (see ascii_twin)
_TIMES = re.compile(
    r"(?<![\d.:])([01]?\d|2[0-3]):([0-5]\d)(?:\s*([ap])\.?m\.?)?(?![\d:])"
    r"|(?<![\d.:])(1[0-2]|0?[1-9])\s*([ap])\.?m\.?(?![a-z])"
)
_DIRECTION = re.compile(
    r"\s*(?:\([^)]{0,30}\)\s*)?(?:to\s+the\s+|to\s+|الي\s+)?(?:ال)?(north|south|east|west|شمال|جنوب|شرق|غرب)"
    r"(?:[\s-]?(east|west|شرق|غرب))?|\s*(?:\([^)]{0,30}\)\s*)?(from|عن|من)" + _E
)
_DIRECTION_NAMES = {"شمال": "north", "جنوب": "south", "شرق": "east", "غرب": "west"}


QUALIFIER_RANGES: dict[str, Callable[[float, float], tuple[float, float]]] = {
    "at least": lambda low, high: (low, math.inf),
    "more than": lambda low, high: (low, math.inf),  # strictly above low: told by the name
    "about": lambda low, high: (0.85 * low, 1.15 * high),
    "nearly": lambda low, high: (0.85 * low, high),  # strictly below high: told by the name
    "up to": lambda low, high: (0.0, high),
    "less than": lambda low, high: (0.0, high),  # strictly below high: told by the name
}
"""Each qualifier's range from the figure it qualifies (low == high == v for a figure, the
range of a vague word such as "dozens"): "at least 12" is 12..inf, "about 100" 85..115."""


def _named(match: re.Match[str], names: tuple[str, ...]) -> str:
    return next(name for i, name in enumerate(names) if match.groupdict().get(f"q{i}"))


def _qualify(
    shadow: str, number: Number, start: int, end: int, words: Compiled
) -> tuple[str, float, float, int]:
    """The qualifier before (or after) a figure, its range, and where the fact starts."""
    before = (
        words.qualifier_before.search(shadow, max(0, start - 40), start)
        if words.may_qualify(shadow[max(0, start - 40) : start])
        else None
    )
    low, high, name = number.low, number.high, ""
    if before:
        name = _named(before, words.qualifier_names)
        start = before.start()
    else:
        after = words.qualifier_after.match(shadow, end)
        after = after or words.qualifier_after.match(shadow, number.end)
        if after:
            name = _named(after, words.qualifier_names)
    if name:
        exact = low == high or low < number.value < high  # not a vague word: a decimal's value
        low, high = QUALIFIER_RANGES[name](*((number.value,) * 2 if exact else (low, high)))
    return name, low, high, start


def _classify(shadow: str, n: Number, words: Compiled) -> tuple[str, str, float, int, int] | None:
    """(kind, unit, factor to the canonical unit, start, end) of the quantity a number states;
    it starts at the number, or at the currency sign before it ("$20 million")."""
    match = _UNIT_ANY.match(shadow, n.end)
    if match:
        kind, unit, _pattern = _UNIT_PATTERNS[int((match.lastgroup or "u0")[1:])]
        if kind == "distance":
            factor = {"km": 1.0, "mi": KM_PER_MILE, "m": 0.001}[unit]
            return kind, "km", factor, n.start, match.end()
        if kind == "duration":
            return kind, "day", _DAYS_PER[unit], n.start, match.end()
        return kind, unit, 1.0, n.start, match.end()
    money = _MONEY_AFTER.match(shadow, n.end)
    if money:
        currency = next(c for c, g in zip(_CURRENCIES, money.groups(), strict=True) if g)
        return "money", currency, 1.0, n.start, money.end()
    role = _role_after(shadow, n, words)
    if role:
        return role[0], "people", 1.0, n.start, role[1]
    left = shadow[max(0, n.start - 60) : n.start]
    qualifier = words.qualifier_before.search(left) if words.may_qualify(left) else None
    left = left[: qualifier.start()] if qualifier else left
    sign = _MONEY_BEFORE.search(left) if _may_be_money(left) else None
    if sign:
        currency = {"£": "GBP", "€": "EUR"}.get(left.rstrip()[-1:], "USD")
        return "money", currency, 1.0, n.start - len(left) + sign.start(), n.end
    count = words.count.match(shadow, n.end)
    before = _role_before(left, words)  # "killed at least eight (civilians)", "مقتل ٥ (أشخاص)"
    if before:
        return before, "people", 1.0, n.start, count.end() if count else n.end
    if count:
        noun = words.nouns[" ".join(count.group(1).split())]
        return "count", noun, 1.0, n.start, count.end()
    return None


def _role_after(shadow: str, n: Number, words: Compiled) -> tuple[str, int] | None:
    """The role written after a figure ("12 people were killed", "12 قتيلا", "Ten members of
    the family, including his sister, were killed") and its end."""
    year = 1900 <= n.value <= 2099 and shadow[n.start : n.end].isdigit()
    if words.may_have_role_after(shadow, n.end):
        match = words.role_after.match(shadow, n.end)
        match = match or words.role_after_companion.match(shadow, n.end)
        # "the 2019 attack killed": a year takes a role only from the word right after it.
        if match and not (year and len(shadow[n.end : match.end()].split()) > 1):
            return match.lastgroup or "", match.end()
    if year or not words.may_have_far_role(shadow, n.end):
        return None
    return far_role(shadow, n, words)


def _role_before(left: str, words: Compiled) -> str:
    """The role written before a figure (the nearest, when two are): "killed", "اعتقلت الشرطة"."""
    best, where = "", -1
    if not words.may_have_role_before(left):
        return best
    for role, pattern in words.role_before:
        match = pattern.search(left)
        if match and match.start() > where:
            best, where = role, match.start()
    return best


_PLURALS = {"people": "people", "aircraft": "aircraft", "family": "families", "body": "bodies"}
_PLURALS.update({"child": "children", "mercenary": "mercenaries"})


def _number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def _label(kind: str, unit: str, value: float, qualifier: str, up_to: float = 0.0) -> str:
    """How a fact reads in a list: "12 killed", "about 140 km"; a vague word by its range
    (``up_to`` its top: "dozens" reads "24 to 99 killed", عشرات "20 to 99 killed")."""
    shown = _number(value)
    if up_to > value and not qualifier:  # "at least dozens" reads "at least 24"
        shown = f"{shown} to {_number(up_to)}"
        value = up_to  # plural
    text = {
        "distance": f"{shown} km",
        **{role: f"{shown} {role}" for role in ROLE_NAMES},
        "money": f"{shown} {unit}",
        "percent": f"{shown}%",
        "duration": f"{shown} days",
        "age": f"aged {shown}",
    }.get(kind, f"{shown} {unit if value == 1 else _PLURALS.get(unit, unit + 's')}")
    return f"{qualifier} {text}" if qualifier else text


def _vague_top(number: Number, extra: float) -> float:
    """The top of a vague word's range ("dozens": 99), with what was added to it; 0 for a
    figure (an integer, or a decimal, whose value lies inside its range)."""
    vague = number.low != number.high and number.value == number.low
    return number.high + extra if vague and not math.isinf(number.high) else 0.0


def find_facts(text: str, lexicon: Lexicon | None = None) -> list[Fact]:
    """Every comparable fact in ``text`` (either language), sorted by offset, not overlapping,
    read with ``lexicon`` (by default :func:`~reader.core.events.lexicon.active_lexicon`)."""
    same = same_length_shadow(text)  # for dates and times: every offset kept
    bare = Shadow(text)  # for figures: Arabic marks removed (قُتِلَ reads as قتل)
    shadow = bare.text
    words = compiled(lexicon or active_lexicon())
    facts: list[Fact] = []
    starts: list[int] = []  # the spans taken, sorted; they never overlap (a date range's two
    ends: list[int] = []  # ends share one span), so their ends are sorted too

    def free(start: int, end: int) -> bool:
        i = bisect_left(starts, end)  # the spans that start before ``end``: [0, i)
        return i == 0 or ends[i - 1] <= start

    def add(fact: Fact) -> None:
        facts.append(fact)
        i = bisect_right(starts, fact.start)
        starts.insert(i, fact.start)
        ends.insert(i, fact.end)

    def drop(fact: Fact) -> None:
        facts.remove(fact)
        i = bisect_left(starts, fact.start)
        del starts[i], ends[i]

    counted: dict[int, Fact] = {}  # a count of people, by its figure's start in the shadow

    for start, end, labels in find_dates(text, same):
        if free(start, end):
            for label in labels:
                add(Fact("date", 0.0, "date", 0.0, 0.0, start, end, text[start:end], label))
    maybe_time = _MAYBE_TIME_ASCII if plain_ascii(same) else _MAYBE_TIME
    for match in _TIMES.finditer(same) if maybe_time.search(same) else ():
        if not free(*match.span()):
            continue
        hour = int(match.group(1) or match.group(4))
        minute = int(match.group(2) or 0)
        half = match.group(3) or match.group(5)
        end = match.end()
        if half == "p" and hour < 12:
            hour += 12
        elif half == "a" and hour == 12:
            hour = 0
        elif not half and (part := part_of_day(same, end)):  # "11:59 مساءً": 23:59
            hour, end = on_clock(hour, part), same.index(part, end) + len(part)
        add(_time(text, match.start(), end, hour, minute))
    for start, end, hour, minute in arabic_times(same):
        if free(start, end):  # "الساعة الخامسة مساءً": 17:00
            add(_time(text, start, end, hour, minute))
    figures = numbers(shadow)
    for index, number in enumerate(figures):
        at = bare.at  # offsets in the shadow -> offsets in the text
        if not free(at(number.start), at(number.end)):
            continue
        found = _classify(shadow, number, words)
        if found is None:
            digits = shadow[number.start : number.end]
            if digits.isdigit() and len(digits) == 4 and 1900 <= number.value <= 2099:
                year = str(int(number.value))  # a bare year: "the 2011 uprising"
                start, end = at(number.start), at(number.end)
                add(Fact("date", 0.0, "date", 0.0, 0.0, start, end, text[start:end], year))
            continue
        kind, unit, factor, start, end = found
        qualifier, low, high, start = _qualify(shadow, number, start, end, words)
        extra = 0.0
        plus = companion_end(shadow, number, end, words) if unit == "people" else None
        if plus is not None:  # "six aid workers and their driver were killed": seven
            end, extra = max(end, plus), 1.0
            low, high = low + 1, high + 1
        if unit == "people" and kind in ROLE_NAMES:  # "killed three sons and four grandchildren"
            for added, added_end in addends(shadow, figures, index, end, words, _classify):
                end, extra, low, high = added_end, extra + added, low + added, high + added
            # "Three sons and four grandsons ... were killed": the figures before it too
            first: Number | None = None
            for earlier in earlier_addends(shadow, figures, index, start, words):
                if earlier.start in counted:
                    drop(counted.pop(earlier.start))
                if free(at(earlier.start), at(start)):
                    start, extra, first = earlier.start, extra + earlier.value, earlier
                    low, high = low + earlier.value, high + earlier.value
            if first is not None:  # "At least three soldiers and four civilians": at least 7
                name, _low, _high, start = _qualify(shadow, first, start, end, words)
                if name:
                    total = number.value + extra
                    qualifier, (low, high) = name, QUALIFIER_RANGES[name](total, total)
        direction = ""
        if kind == "distance":
            end, direction = _distance_tail(shadow, end)
        start, end = at(start), at(end)
        if not free(start, end):
            start = at(number.start)
            if not free(start, end):
                continue
        value = (number.value + extra) * factor
        add(
            Fact(
                kind,
                value,
                unit,
                low * factor,
                high * factor,
                start,
                end,
                text[start:end],
                _label(kind, unit, value, qualifier, _vague_top(number, extra) * factor),
                qualifier,
                direction,
            )
        )
        if kind == "count" and unit in PERSON_NOUNS:
            counted[number.start] = facts[-1]
    facts.sort(key=lambda f: (f.start, f.end))
    return _merge_conversions(facts, same)


def _time(text: str, start: int, end: int, hour: int, minute: int) -> Fact:
    minutes = float(hour * 60 + minute)
    label = f"{hour:02d}:{minute:02d}"
    return Fact("time", minutes, "minute", minutes, minutes, start, end, text[start:end], label)


def _distance_tail(shadow: str, end: int) -> tuple[int, str]:
    """Where a distance's own text ends (after "(87 miles)") and its direction, if any."""
    paren = re.match(r"\s*\([^)]{0,30}\)", shadow[end:])
    own_end = end + paren.end() if paren else end
    match = _DIRECTION.match(shadow, end)
    if not match or match.end() - end > 40:
        return own_end, ""
    if match.group(3):
        return own_end, "from"
    parts = [_DIRECTION_NAMES.get(p, p) for p in match.group(1, 2) if p]
    return own_end, "-".join(parts)


def _merge_conversions(facts: list[Fact], shadow: str) -> list[Fact]:
    """Drop the converted copy in "140 km (87 miles)": the same fact written twice."""
    merged: list[Fact] = []
    for fact in facts:
        if merged and fact.kind == merged[-1].kind == "distance":
            previous = merged[-1]
            between = shadow[previous.end : fact.start]
            if fact.start < previous.end or re.fullmatch(r"\s*\(\s*(?:about\s*)?", between):
                continue
        merged.append(fact)
    return merged
