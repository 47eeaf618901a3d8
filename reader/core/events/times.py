"""Times of day written the Arabic way: an hour by its ordinal word with the part of the day
("الساعة الخامسة مساءً" 17:00, "العاشرة والنصف صباحاً" 10:30, "الثانية عشرة ليلاً" 00:00), and a
clock time in digits followed by the part of the day ("11:59 مساءً" 23:59).

:func:`arabic_times` finds the first kind in the text facts reads dates and times in (lower case,
Arabic letters folded, marks kept: :func:`reader.core.events.numbers.same_length_shadow`);
:func:`part_of_day` reads the part of the day after a clock time that
:mod:`reader.core.events.facts` found. A word hour counts only with the word الساعة before it
or a part of the day after it (الثانية alone is "the second").

Callers may rely on: offsets are those of the text given; hours are 0..23, minutes 0..59.
"""

from __future__ import annotations

import re

from reader.core.events.patterns import WORD_START, after_non_word, at_word_starts
from reader.core.text.arabic import WORD_MARKS

_MARK = f"[{WORD_MARKS}]*"  # harakat (and the like) that may follow a letter
_HOURS = (
    "الواحده",
    "الثانيه",
    "الثالثه",
    "الرابعه",
    "الخامسه",
    "السادسه",
    "السابعه",
    "الثامنه",
    "التاسعه",
    "العاشره",
    "الحاديه عشره",
    "الثانيه عشره",
)
# The part of the day: how an hour of 1..12 reads on a 24-hour clock.
_PARTS = {
    "صباحا": "am",
    "فجرا": "am",
    "ظهرا": "noon",
    "بعد الظهر": "pm",
    "عصرا": "pm",
    "مساء": "pm",
    "ليلا": "night",
}
_PART = (
    r"(?P<part>"
    + "|".join(
        r"\s+".join(_MARK.join(map(re.escape, word)) + _MARK for word in part.split())
        for part in sorted(_PARTS, key=len, reverse=True)
    )
    + r")(?!\w)"
)
_WORD_HOUR = re.compile(
    WORD_START
    + rf"(?P<clock>(?:ا{_MARK}ل{_MARK})?{_MARK.join('ساعه')}{_MARK}\s+)?"  # harakat anywhere
    + r"(?:[وب])?(?P<hour>"
    + "|".join(
        r"\s+".join(_MARK.join(map(re.escape, word)) + _MARK for word in hour.split())
        for hour in sorted(_HOURS, key=len, reverse=True)
    )
    + r")(?P<minutes>\s+و"
    + _MARK
    + r"(?:ال)?(?:نصف|ربع)"
    + _MARK
    + r")?"
    + r"(?P<less>\s+[اإ]لا\s+ربع"
    + _MARK
    + r"ا?"
    + _MARK
    + r")?"
    + r"(?:\s*"
    + _PART
    + r")?(?!\w)"
)
# _WORD_HOUR after a non-word character (see at_word_starts): read from its groups.
_WORD_HOUR_AFTER = after_non_word(_WORD_HOUR.pattern)
_PART_AFTER = re.compile(r"\s*" + _PART)
_BARE = re.compile(_MARK)


def _hour_of(word: str) -> int:
    return _HOURS.index(" ".join(_BARE.sub("", word).split())) + 1


def on_clock(hour: int, part: str) -> int:
    """An hour of 1..12 said with a part of the day (:data:`_PARTS` word), on a 24-hour
    clock; an hour of 13..23 as it is."""
    kind = _PARTS.get(" ".join(_BARE.sub("", part).split()), "")
    if hour > 12 or not kind:
        return hour % 24
    if kind == "am":
        return 0 if hour == 12 else hour
    if kind == "noon":
        return hour if hour >= 11 else hour + 12
    if kind == "night":
        return 0 if hour == 12 else hour + 12 if hour >= 6 else hour
    return hour if hour == 12 else hour + 12


def part_of_day(same: str, end: int) -> str:
    """The part of the day written right after ``end`` ("صباحاً", "مساء"), or ""."""
    match = _PART_AFTER.match(same, end)
    return match.group("part") if match else ""


# A quick test: every hour :func:`arabic_times` reads has the clock word or a part of the day,
# so one of these stems, harakat allowed between its letters ("صَباحاً"), is in the text.
_MAYBE_HOUR = re.compile(
    "|".join(_MARK.join(stem) for stem in ("ساع", "صباح", "مساء", "ظهر", "فجر", "ليل", "عصر"))
)


# And every one has an hour: the ordinal of one, harakat allowed between its letters, is in the
# text too (most Arabic news names a morning, a night or an era, عصر; far fewer an hour).
_MAYBE_ORDINAL = re.compile("|".join(_MARK.join(hour.split()[0][2:6]) for hour in _HOURS))


def arabic_times(same: str) -> list[tuple[int, int, int, int]]:
    """(start, end, hour, minute) of every hour written in words in ``same``."""
    if same.isascii() or not (_MAYBE_HOUR.search(same) and _MAYBE_ORDINAL.search(same)):
        return []
    found = []
    for match in at_word_starts(_WORD_HOUR, _WORD_HOUR_AFTER, same):
        if not (match.group("clock") or match.group("part")):
            continue  # الثانية alone: "the second"
        hour, minute = _hour_of(match.group("hour")), 0
        if match.group("minutes"):
            minute = 30 if "نصف" in match.group("minutes") else 15
        if match.group("less"):
            hour, minute = (hour - 2) % 12 + 1, 45
        hour = on_clock(hour, match.group("part") or "")
        start = match.start("clock") if match.group("clock") else match.start("hour")
        found.append((start, match.end(), hour, minute))
    return found
