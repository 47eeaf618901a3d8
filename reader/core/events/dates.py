"""Dates in news text, English and Arabic: ISO dates, "29 May 2020", "May 29", "April 14 to
16", "July of 2019", "29 مايو/أيار 2020", "يونيو 2020". Labels are ISO-like: "2020-05-29",
"--05-29" when no year is given, "2019-07" for a month.

Works on the *shadow* of a text (see :mod:`reader.core.events.facts`): same length, Arabic
folded and digits in ASCII, so offsets found here are offsets into the original.
"""

from __future__ import annotations

import re

from reader.core.events.patterns import (
    ascii_twin,
    at_word_starts,
    plain_ascii,
    words_at_word_start,
    words_longest_first,
)

_B = r"(?<![\w])"  # a word start that works for Arabic too
_E = r"(?![\w])"
_ALT = "|".join

_EN_MONTH_WORDS = """january february march april may june july august september october
november december"""
_EN_MONTHS = _EN_MONTH_WORDS.split()
_MONTHS: dict[str, int] = {m: i + 1 for i, m in enumerate(_EN_MONTHS)}
_MONTHS.update({m[:3]: i + 1 for i, m in enumerate(_EN_MONTHS) if m != "may"})
_MONTHS["sept"] = 9
for _number, _forms in enumerate(
    (
        "يناير|كانون الثاني",
        "فبراير|شباط",
        "مارس|اذار",
        "ابريل|نيسان",
        "مايو|ايار",
        "يونيو|يونيه|حزيران",
        "يوليو|يوليه|تموز",
        "اغسطس|اب",
        "سبتمبر|ايلول",
        "اكتوبر|تشرين الاول",
        "نوفمبر|تشرين الثاني",
        "ديسمبر|كانون الاول",
    ),
    start=1,
):
    _MONTHS.update(dict.fromkeys(_forms.split("|"), _number))
# "مايو/أيار". Both patterns start with a literal (see reader.core.events.patterns): the
# word start is tested after the first letter, the digit before an ISO date after "19"/"20".
_MONTH_WORD = re.compile(
    rf"({words_at_word_start(_MONTHS)})(?:\s*/\s*{words_longest_first(_MONTHS)})?" + _E
)
_MONTH = words_longest_first(_MONTHS)
_MONTH_AFTER = re.compile(rf"\W({_MONTH})(?:\s*/\s*{_MONTH})?" + _E)  # see at_word_starts
_MONTH_AFTER_ASCII = ascii_twin(_MONTH_AFTER)  # for an ASCII text (see ascii_twin)
_ISO_DATE = re.compile(r"((?:19|20)(?<!\d..)\d\d)-(\d\d)-(\d\d)(?!\d)")
_YEAR = r"(?:,?\s+(?:of\s+|عام\s+|سنه\s+|من\s+عام\s+)?((?:19|20)\d\d)(?!\d))?"
_DAY_BEFORE = re.compile(r"(?<![\d.,])(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+|من\s+)?(?:شهر\s+)?$")
# "Aug. 21": a dot only after an abbreviated month ("May." ends a sentence)
_ABBREVIATION_DOT = r"(?:(?<=\b[a-z]{3})(?<!may)\.|(?<=\bsept)\.)?"
_AFTER_MONTH = (
    re.compile(r"\s*" + _YEAR.removeprefix("(?:").removesuffix(")?")),  # (day before) + year
    re.compile(
        _ABBREVIATION_DOT
        + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d|[.,]\d)(?:\s*(?:-|–|to|and)\s*(\d{1,2})(?!\d))?"
        + _YEAR
    ),
    re.compile(_ABBREVIATION_DOT + r",?\s+(?:of\s+|من\s+)?(?:عام\s+)?((?:19|20)\d\d)(?!\d)"),
)


def human_date(label: str) -> str:
    """A date label for people: "2020-05-29" -> "29 May 2020", "--05-29" -> "29 May (no
    year given)", "2019-07" -> "July 2019"; anything else unchanged."""
    parts = label.split("-")
    try:
        if label.startswith("--") and len(parts) == 4:
            return f"{int(parts[3])} {_EN_MONTHS[int(parts[2]) - 1].title()} (no year given)"
        if len(parts) == 3:
            return f"{int(parts[2])} {_EN_MONTHS[int(parts[1]) - 1].title()} {parts[0]}"
        if len(parts) == 2:
            return f"{_EN_MONTHS[int(parts[1]) - 1].title()} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return label


def find_dates(text: str, shadow: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, labels) of every date: ISO, "29 May 2020", "May 29", "April 14 to 16",
    "July of 2019", "29 مايو/أيار 2020", "يونيو 2020"."""
    found = [(m.start(), m.end(), [f"{m[1]}-{m[2]}-{m[3]}"]) for m in _ISO_DATE.finditer(shadow)]
    month_after = _MONTH_AFTER_ASCII if plain_ascii(shadow) else _MONTH_AFTER
    for month in at_word_starts(_MONTH_WORD, month_after, shadow):
        number = _MONTHS[month.group(1)]
        start, end = month.start(1), month.end()
        if month.group(1) == "may" and not text[start].isupper():
            continue  # the verb
        days: list[str] = []
        year = ""
        before = _DAY_BEFORE.search(shadow, max(0, start - 16), start)
        if before:
            days, start = [before.group(1)], before.start()
            after = _AFTER_MONTH[0].match(shadow, end)
            if after and after.group(1):
                year, end = after.group(1), after.end()
        elif (after := _AFTER_MONTH[1].match(shadow, end)) is not None:
            days = [d for d in after.group(1, 2) if d]
            year, end = after.group(3) or "", after.end()
        elif (after := _AFTER_MONTH[2].match(shadow, end)) is not None:
            found.append((start, after.end(), [f"{after.group(1)}-{number:02d}"]))
            continue
        else:
            continue  # a month alone says too little ("in June")
        labels = [f"{year or '-'}-{number:02d}-{int(d):02d}" for d in days if 1 <= int(d) <= 31]
        if labels:
            found.append((start, end, labels))
    found.sort()
    return found
