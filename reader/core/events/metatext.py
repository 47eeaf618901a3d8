"""The shared pieces of :mod:`reader.core.events.metadata` and
:mod:`reader.core.events.relative_dates`: the shadow they read and the regular expressions of
dates, weekdays and times they are built from.

The shadow of a text (:func:`shadow`) has the text's length, so an offset found in it is an
offset into the text: Arabic letter variants folded by :func:`reader.core.text.arabic.
fold_same_length` (أ إ آ -> ا, ة -> ه, ى -> ي), Arabic-Indic digits in ASCII, tatweel turned into
a mark, case kept. Patterns written with plain Arabic letters pass through :func:`arabic` so a
mark (haraka or tatweel) may follow any letter: "نُشر" and "نشـر" match "نشر".

May import: the standard library and :mod:`reader.core.text.arabic`.
"""

from __future__ import annotations

import re

from reader.core.text.arabic import HARAKAT, LETTER_CLASS, TATWEEL, fold_same_length

_MARKS = f"[{HARAKAT}]*"
_STAND_IN = "\u0652"  # sukun: what tatweel becomes in the shadow (a mark, not a space)
LETTER = f"[{LETTER_CLASS}]"
"""One Arabic letter (reader.core.text.arabic's class), for patterns outside :func:`arabic`."""
AR_WORD = f"{LETTER}[{LETTER_CLASS}{HARAKAT}]*"
"""An Arabic word of the shadow: letters, and the marks between and after them."""
_AR_LETTER = re.compile(LETTER)


def shadow(text: str) -> str:
    """``text`` folded for matching, same length (see the module docstring)."""
    if TATWEEL in text:
        text = text.replace(TATWEEL, _STAND_IN)
    return fold_same_length(text)


def arabic(pattern: str) -> str:
    """``pattern`` with an optional run of marks after each Arabic letter (patterns must not put
    Arabic letters inside a ``[...]`` class)."""
    return _AR_LETTER.sub(lambda m: m.group(0) + _MARKS, pattern)


B = r"(?<!\w)"  # a word start that works for Arabic (and after a mark)
E = r"(?!\w)"
SEP = r"(?:[ \t]*(?:--|[-–—|])(?!\w|-))"  # a separator dash, without the space after it
EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
AR_WEEKDAYS = ("الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد")
"""Folded; index = ``date.weekday()``."""
EN_WEEKDAY = (
    r"(?i:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?)" + E
)
AR_WEEKDAY = arabic("(?:" + "|".join(AR_WEEKDAYS) + ")") + E
WEEKDAY = f"(?:{EN_WEEKDAY}|{AR_WEEKDAY})"

_EN_MONTH = (
    r"(?i:(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)" + E + r"\.?)"
)
_AR_MONTH_NAMES = (
    "يناير|كانون الثاني|فبراير|شباط|مارس|اذار|ابريل|نيسان|مايو|ايار|يونيو|يونيه|حزيران|يوليو"
    "|يوليه|تموز|اغسطس|اب|سبتمبر|ايلول|اكتوبر|تشرين الاول|نوفمبر|تشرين الثاني|ديسمبر|كانون الاول"
)
_AR_MONTH = arabic(f"(?:{_AR_MONTH_NAMES})") + E
MONTH = f"(?:{_EN_MONTH}|{_AR_MONTH}(?:[ \\t]*/[ \\t]*{_AR_MONTH})?)"
YEAR = r"(?:19|20)\d\d(?!\d)"
_DAY = r"(?<!\d)(?:[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
DATE = (
    rf"(?:{_DAY}[ \t]+{MONTH}(?:,?[ \t]*{YEAR})?"
    rf"|{MONTH}[ \t]+{_DAY}(?:,?[ \t]*{YEAR})?"
    rf"|{MONTH},?[ \t]+{YEAR}"
    rf"|(?<!\d)[0-3]?\d[/.][01]?\d[/.](?:{YEAR}|\d\d)(?!\d)"
    rf"|(?<!\d){YEAR}-[01]\d-[0-3]\d(?!\d))"
)
_CLOCK = r"(?<![\d.:])(?:[01]?\d|2[0-3])[:.][0-5]\d(?![\d:])"
_HALF = r"(?i:[ap]\.?[ \t]?m\.?(?!\w))"
_ZONE = (
    r"(?:[ \t]*(?i:gmt|utc|et|edt|est|cet|cest|bst|eet|eest|local time)"
    + E
    + arabic(r"|[ \t]*(?:بتوقيت|بالتوقيت)[ \t]+\w+(?:[ \t]+\w+)?")
    + ")?"
)
_AR_HALF = arabic(r"[ \t]*(?:مساء|صباحا|ظهرا|عصرا|ليلا|فجرا|م|ص)") + E
TIME = (
    rf"(?:(?:{_CLOCK}(?:[ \t]*{_HALF}|{_AR_HALF})?|(?<![\d.:])(?:1[0-2]|0?[1-9])[ \t]*{_HALF})"
    rf"{_ZONE})"
)
GAP = r"[ \t]*[,،]?[ \t]*"  # between the parts of a date line
