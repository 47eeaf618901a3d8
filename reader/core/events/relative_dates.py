"""Dates said relative to when a story was published, English and Arabic: "yesterday", "on
Sunday", "last month", "six years ago", أمس، يوم الأحد الماضي، الشهر الماضي، قبل ست سنوات.

:func:`relative_dates` finds them and resolves each against the publication date. A label is
what :mod:`reader.core.events.dates` would give the same date written out: "2020-05-17" for a
day, "2020-05" for a month, "2014" for a year. A week (or "two weeks ago") is labelled by the
narrowest calendar unit that holds it whole - its month, else its year - so it never claims a
day it does not name.

Resolution rules callers may rely on:

- today / tonight / this morning / اليوم / فجر اليوم = the publication date; yesterday / last
  night / أمس / مساء أمس / البارحة / الليلة الماضية = the day before; the day before yesterday
  / أول أمس / أمس الأول = two days before; tomorrow / غدا = the day after;
- a weekday ("on Monday", "Monday", يوم الاثنين, مساء الاثنين, منذ الاثنين) = the most recent such
  day on or before the publication date ("on Monday" in a story published on a Wednesday is
  that week's Monday, in one published on a Monday that very day); "last Monday", "this past
  Monday", الاثنين الماضي = the most recent one strictly before it;
- last week/month/year, الأسبوع/الشهر/العام الماضي = the previous one; this (or earlier this)
  week/month/year, الشهر الجاري, هذا العام = the current one;
- N days/weeks/months/years ago, قبل N أيام/أسابيع/أشهر/سنوات (digits, Arabic-Indic digits,
  number words, duals: قبل يومين، قبل عامين), منذ ... when it means "ago" (not after ما زال,
  لا يزال, يعيش ... which make it "for") = the publication date moved back; "about"/نحو keeps
  the label for months and years but not for days and weeks; "more than"/أكثر من gives None.

The label is None when ``published`` is None, and for what cannot be placed (hours ago, a
week that straddles a new year). Offsets are code points into the text given; ``text[start:
end]`` is the phrase (without a leading و/ف/ب or منذ). Sorted, not overlapping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from reader.core.events.metatext import (
    AR_WEEKDAYS,
    DATE,
    EN_WEEKDAYS,
    LETTER,
    MONTH,
    B,
    E,
    arabic,
    shadow,
)
from reader.core.text.arabic import strip_marks

__all__ = ["PHRASE_KINDS", "RelativeDate", "relative_dates"]

PHRASE_KINDS = ("day", "weekday", "period", "ago")


@dataclass(frozen=True, slots=True)
class RelativeDate:
    """``text[start:end]`` names a day or period relative to the publication date.

    ``label`` is the date it resolves to ("2020-05-17", "2020-05", "2014") or None; ``kind`` is
    one of :data:`PHRASE_KINDS`: "day" (yesterday, أمس), "weekday" (on Monday), "period" (last
    month, العام الماضي), "ago" (six years ago, قبل ست سنوات).
    """

    start: int
    end: int
    label: str | None
    kind: str


# --- resolving -------------------------------------------------------------------------------


def _day(published: date, days: int) -> str:
    return (published + timedelta(days=days)).isoformat()


def _weekday(published: date, weekday: int, strict: bool) -> str:
    back = (published.weekday() - weekday) % 7
    if strict and back == 0:
        back = 7
    return _day(published, -back)


def _span_label(first: date, last: date) -> str | None:
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year:04d}-{first.month:02d}"
    return f"{first.year:04d}" if first.year == last.year else None


def _period(published: date, unit: str, offset: int) -> str | None:
    """The week, month or year ``offset`` units from the one holding ``published``."""
    if unit == "week":
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
        last = min(monday + timedelta(days=6), published)
        return _span_label(monday, last if offset == 0 else monday + timedelta(days=6))
    if unit == "weekend":
        saturday = published - timedelta(days=(published.weekday() - 5) % 7 or 7)
        return _span_label(saturday, saturday + timedelta(days=1))
    if unit == "month":
        months = published.year * 12 + published.month - 1 + offset
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    if unit == "year":
        return f"{published.year + offset:04d}"
    return None


def _ago(published: date, count: int, unit: str) -> str | None:
    if unit == "day":
        return _day(published, -count)
    if unit == "week":
        day = published - timedelta(weeks=count)
        monday = day - timedelta(days=day.weekday())
        return _span_label(monday, monday + timedelta(days=6))
    if unit in ("month", "year"):
        return _period(published, unit, -count)
    if unit == "decade":
        return None
    return None


# --- English -----------------------------------------------------------------------------------

_EN_NUMBER_WORDS = """one two three four five six seven eight nine ten eleven twelve thirteen
fourteen fifteen sixteen seventeen eighteen nineteen twenty"""
_EN_NUMBERS = {w: i + 1 for i, w in enumerate(_EN_NUMBER_WORDS.split())}
_EN_NUMBERS.update({"a": 1, "an": 1, "thirty": 30, "forty": 40, "fifty": 50})
_EN_WD = "|".join(EN_WEEKDAYS)
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_LESS_SURE = r"about|around|nearly|almost|some|roughly|approximately|more\s+than|over|less\s+than"
_EN = re.compile(
    r"(?=[a-z0-9])"
    + B
    + r"(?:(?P<dby>the\s+day\s+before\s+yesterday)"
    + rf"|(?P<ago>(?:(?P<q>{_LESS_SURE})\s+)?(?P<n>\d{{1,4}}|"
    + "|".join(sorted(_EN_NUMBERS, key=len, reverse=True))
    + r")\s+(?P<u>day|week|month|year|hour|decade)s?\s+ago)"
    + rf"|(?P<yday>(?:late\s+|early\s+)?(?:yesterday|last\s+night){_PART})"
    + r"|(?P<today>(?:earlier\s+|later\s+)?(?:today|tonight|this\s+(?:morning|afternoon|evening)))"
    + rf"|(?P<tmrw>tomorrow{_PART})"
    + r"|(?P<period>(?P<pw>last|this\s+past|(?:earlier|later)\s+this|this|(?:late|early|earlier"
    r"|later)\s+last)\s+(?P<pu>week|weekend|month|year))"
    + rf"|(?P<wdp>(?:(?P<last>last|this\s+past)\s+|(?:late\s+|early\s+)?on\s+)?(?P<wd>{_EN_WD})"
    + rf"{_PART}))"
    + E,
    re.I,
)
# "Monday, 18 May 2020", "Monday, May 18", "الاثنين 18 مايو": a date written out, not relative
_AFTER_WEEKDAY = re.compile(
    rf"[ \t]*[,،]?[ \t]*(?:the[ \t]+)?(?:{DATE}|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+of[ \t]+{MONTH})"
)
_NOT_BEFORE_WEEKDAY = re.compile(r"(?:next|every|coming|following|this)\s+$", re.I)
_NOT_BEFORE_PERIOD = re.compile(r"(?:the|over|past|within|for)\s+$", re.I)


def _english(folded: str, published: date | None) -> Iterable[RelativeDate]:
    for m in _EN.finditer(folded):
        start, end = m.span()
        label: str | None = None
        before = folded[max(0, start - 12) : start]
        if m["wdp"]:
            if _NOT_BEFORE_WEEKDAY.search(before) or _AFTER_WEEKDAY.match(folded, end):
                continue  # next Monday; Monday, 18 May 2020 (a date written out)
            kind = "weekday"
            if published:
                weekday = EN_WEEKDAYS.index(m["wd"].lower())
                label = _weekday(published, weekday, strict=bool(m["last"]))
        elif m["period"]:
            if _NOT_BEFORE_PERIOD.search(before):
                continue  # "over the last week": a duration, not a date
            kind = "period"
            if published:
                which = m["pw"].lower()
                offset = -1 if "last" in which or "past" in which else 0
                label = _period(published, m["pu"].lower(), offset)
        elif m["ago"]:
            kind = "ago"
            count = m["n"].lower()
            number = int(count) if count.isdigit() else _EN_NUMBERS[count]
            label = _sure(published, number, m["u"].lower(), (m["q"] or "").lower())
        else:
            kind = "day"
            shift = -2 if m["dby"] else -1 if m["yday"] else 1 if m["tmrw"] else 0
            label = _day(published, shift) if published else None
        yield RelativeDate(start, end, label, kind)


def _sure(published: date | None, count: int, unit: str, qualifier: str) -> str | None:
    """The label of "N units ago" with a qualifier, or None when it cannot be placed."""
    if published is None or unit == "hour" or count > 5000:
        return None
    if any(q in qualifier for q in ("more", "over", "less", "أكثر", "اكثر", "اقل", "يزيد")):
        return None
    if qualifier and unit in ("day", "week"):
        return None
    try:
        return _ago(published, count, unit)
    except OverflowError:
        return None


# --- Arabic ------------------------------------------------------------------------------------

_AR_NUMBERS: dict[str, int] = {}
for _value, _forms in enumerate(
    (
        "واحد واحده",
        "اثنين اثنتين اثنان اثنتان",
        "ثلاث ثلاثه",
        "اربع اربعه",
        "خمس خمسه",
        "ست سته",
        "سبع سبعه",
        "ثمان ثماني ثمانيه",
        "تسع تسعه",
        "عشر عشره",
    ),
    start=1,
):
    _AR_NUMBERS.update(dict.fromkeys(_forms.split(), _value))
_AR_NUMBERS.update({"عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30})
# unit word -> (unit, how many it says by itself: 1 singular, 2 dual, 0 plural)
_AR_UNITS: dict[str, tuple[str, int]] = {}
for _unit, _singular, _dual, _plural in (
    ("day", "يوم يوما", "يومين يومان", "ايام"),
    ("week", "اسبوع اسبوعا", "اسبوعين اسبوعان", "اسابيع"),
    ("month", "شهر شهرا", "شهرين شهران", "اشهر شهور"),
    ("year", "عام عاما سنه", "عامين عامان سنتين سنتان", "سنوات سنين اعوام"),
    ("hour", "ساعه", "ساعتين ساعتان", "ساعات"),
    ("decade", "عقد", "عقدين عقدان", "عقود"),
):
    for _forms, _says in ((_singular, 1), (_dual, 2), (_plural, 0)):
        _AR_UNITS.update(dict.fromkeys(_forms.split(), (_unit, _says)))


def _words(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_AR_WD = "|".join(AR_WEEKDAYS)
_TIME_OF_DAY = r"(?:فجر|صباح|ظهر|ظهيره|عصر|مساء|ليل|ليله|منتصف\s+ليل)"
_AR_LESS_SURE = r"نحو|حوالي|قرابه|زهاء|ما\s+يقارب|ما\s+يزيد\s+(?:عن|علي)|اكثر\s+من|اقل\s+من"
_AR = re.compile(
    f"(?={LETTER})"
    + B
    + f"(?:(?:و|ف|ب)(?={LETTER}))?"
    + arabic(
        r"(?:(?P<dby>اول\s+(?:من\s+)?امس|امس\s+الاول)"
        rf"|(?P<ago>(?:قبل|منذ)\s+(?:(?P<q>{_AR_LESS_SURE})\s+)?(?:(?P<n>\d{{1,4}}|"
        + _words(_AR_NUMBERS)
        + rf")\s+)?(?P<u>{_words(_AR_UNITS)}))"
        rf"|(?P<yday>(?:{_TIME_OF_DAY}\s+)?(?:يوم\s+)?(?:ال)?امس(?:\s+(?P<ywd>{_AR_WD}))?"
        r"|البارحه|الليله\s+الماضيه)"
        rf"|(?P<today>(?:{_TIME_OF_DAY}\s+)?اليوم|هذه\s+الليله)"
        r"|(?P<tmrw>(?:يوم\s+)?غدا|(?:يوم|صباح|مساء)\s+(?:الغد|غد))"
        r"|(?P<period>(?P<pu>الاسبوع|الشهر|العام|السنه)\s+(?P<pw>الماضي|الماضيه|المنصرم|المنصرمه"
        r"|الفائت|الفائته|الجاري|الجاريه|الحالي|الحاليه)"
        r"|(?:(?:في\s+وقت\s+سابق|مطلع|اوائل|بدايه|منتصف|اواخر|اواسط)\s+(?:من\s+)?)?"
        r"(?P<this>هذا|هذه)\s+(?P<tu>الاسبوع|الشهر|العام|السنه))"
        rf"|(?P<wdp>(?P<pre>(?:(?:يوم|{_TIME_OF_DAY})\s+){{1,2}})?(?P<wd>{_AR_WD})"
        r"(?P<past>\s+(?:الماضي|المنصرم|الفائت))?))"
    )
    + E
)
_AR_NOT_TODAY = re.compile(
    arabic(
        r"\s+(?:التالي|نفسه|ذاته|السابق|الاول|الثاني|الثالث|الرابع|الخامس|الوطني|العالمي"
        r"|الدولي|الاخير|الذي|الموعود)"
    )
    + E
)
_AR_THAT = re.compile(arabic(r"(?:ذلك|تلك|هذا|نفس|ذات)\s*$"))
_AR_SINCE = re.compile(arabic(r"(?:منذ|حتي)\s+(?:يوم\s+)?$"))
_AR_CLAUSE_END = re.compile(r"[ \t]*(?:$|[.,،؛:\n])")  # "... جنوب طرابلس السبت."
_AR_FUTURE = re.compile(arabic(r"\s+(?:المقبل|القادم|المقبله|القادمه)") + E)
# "قبل يومين من الانتخابات": before something else, not before publication; "منذ عام 2011"
_AR_NOT_AGO = re.compile(arabic(r"\s*\d|\s+(?:من|علي|ان)(?!\w)"))
_AR_SINGLE_END = re.compile(arabic(r"\s*(?:$|[.,،؛:)\n]|و|بحسب|وفق|حسب|تقريبا|فقط)"))
# What makes منذ "for" rather than "ago": the state still goes on.
_AR_DURING = re.compile(
    arabic(
        r"(?:ما\s*زال|مازال|لا\s+يزال|لا\s+تزال|ما\s*زالت|يعيش|تعيش|مستمر|متواصل|يستمر|تستمر"
        r"|ظل|ظلت|بقي|بقيت|يقيم|تقيم|يعمل|تعمل|يسيطر|تسيطر|تحاصر|يحاصر|طوال|علي\s+مدي)"
    )
    + E
)
_CLAUSE_START = re.compile(r"[.!?؟؛،,\n]")


def _arabic(folded: str, published: date | None) -> Iterable[RelativeDate]:
    for m in _AR.finditer(folded):
        start, end = m.span()
        while folded[start] in "وفب" and start + 1 < end and not _phrase_at(m, start):
            start += 1
        label: str | None = None
        before = folded[max(0, start - 12) : start]
        if m["ago"]:
            unit, says = _AR_UNITS[_plain(m["u"])]
            number = _plain(m["n"] or "")
            count = (int(number) if number.isdigit() else _AR_NUMBERS[number]) if number else says
            tail = folded[end : end + 40]
            if not count or _AR_NOT_AGO.match(tail):
                continue
            if m["n"] is None and says == 1 and not _AR_SINGLE_END.match(tail):
                continue  # قبل شهر رمضان: "before the month of Ramadan"
            if m["ago"].startswith("منذ") and _goes_on(folded, start):
                continue
            kind = "ago"
            label = _sure(published, count, unit, _plain(m["q"] or ""))
        elif m["wdp"]:
            said = (
                m["pre"]
                or m["past"]
                or _AR_SINCE.search(before)
                or _AR_CLAUSE_END.match(folded, end)
            )
            if not said or _AR_FUTURE.match(folded, end):
                continue  # "بين الاثنين والثلاثة": the two; الاثنين المقبل: next Monday
            if _AFTER_WEEKDAY.match(folded, end):
                continue  # الاثنين 18 مايو: a date written out
            kind = "weekday"
            if published:
                weekday = AR_WEEKDAYS.index(_plain(m["wd"]))
                label = _weekday(published, weekday, strict=bool(m["past"]))
        elif m["period"]:
            kind = "period"
            unit = _plain(m["pu"] or m["tu"])
            which = _plain(m["pw"] or "")
            offset = -1 if which.startswith(("الماضي", "المنصرم", "الفائت")) else 0
            named = {"الاسبوع": "week", "الشهر": "month", "العام": "year", "السنه": "year"}
            label = _period(published, named[unit], offset) if published else None
        else:
            if m["today"] and (_AR_NOT_TODAY.match(folded, end) or _AR_THAT.search(before)):
                continue  # اليوم التالي: the next day; ذلك اليوم: that day
            kind = "day"
            shift = -2 if m["dby"] else -1 if m["yday"] else 1 if m["tmrw"] else 0
            label = _day(published, shift) if published else None
        yield RelativeDate(start, end, label, kind)


def _phrase_at(m: re.Match[str], offset: int) -> bool:
    """Whether a named part of the match starts at ``offset`` (the letter is not a prefix)."""
    return any(m.start(name) == offset for name, value in m.groupdict().items() if value)


def _plain(word: str) -> str:
    return " ".join(strip_marks(word).split())


def _goes_on(folded: str, start: int) -> bool:
    """Whether the clause before ``start`` says the state still lasts (منذ = "for")."""
    window = folded[max(0, start - 120) : start]
    cut = max((m.end() for m in _CLAUSE_START.finditer(window)), default=0)
    return _AR_DURING.search(window, cut) is not None


_PARTS: tuple[Callable[[str, date | None], Iterable[RelativeDate]], ...] = (_english, _arabic)


def relative_dates(text: str, published: date | None) -> list[RelativeDate]:
    """Every relative date in ``text`` (either language, or mixed), resolved against
    ``published`` (a datetime counts by its date); see the module docstring for the rules."""
    if isinstance(published, datetime):
        published = published.date()
    folded = shadow(text)
    found = [r for part in _PARTS for r in part(folded, published)]
    found.sort(key=lambda r: (r.start, -r.end))
    kept: list[RelativeDate] = []
    for relative in found:
        if not kept or relative.start >= kept[-1].end:
            kept.append(relative)
    return kept
