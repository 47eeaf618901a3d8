"""Times of day written the Arabic way (reader/core/events/times.py): an hour in words with the
part of the day, and a clock time in digits followed by it. Every sentence here was written for
this test."""

from __future__ import annotations

import pytest

from reader.core.events.facts import find_facts
from reader.core.events.times import on_clock


def times(text: str) -> list[tuple[str, str]]:
    return [(f.label, f.text) for f in find_facts(text) if f.kind == "time"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("سُمع الانفجار عند الساعة الخامسة مساءً في طرابلس.", ("17:00", "الساعة الخامسة مساءً")),
        ("سقطت الصواريخ في العاشرة والنصف صباحاً على المطار.", ("10:30", "العاشرة والنصف صباحاً")),
        ("بدأ القصف عند الساعة الثانية عشرة ليلاً.", ("00:00", "الساعة الثانية عشرة ليلاً")),
        ("وصلت القافلة الساعة الرابعة إلا ربعاً عصراً.", ("15:45", "الساعة الرابعة إلا ربعاً عصراً")),
        ("وقعت الهزة عند الساعة الواحدة ظهراً.", ("13:00", "الساعة الواحدة ظهراً")),
        ("وقع الزلزال الساعة 11:59 مساءً يوم الاثنين.", ("23:59", "11:59 مساءً")),
        ("بدأ القصف عند الساعة 6:20 صباحا، بحسب السكان.", ("06:20", "6:20 صباحا")),
        ("The quake struck at 11:59 p.m. on Monday.", ("23:59", "11:59 p.m.")),
        # Harakat inside the part of the day (found by helper prof13: the quick test missed it)
        ("وصل الوفد في الخامسة صَباحاً إلى المطار.", ("05:00", "الخامسة صَباحاً")),
        ("انطلقت القافلة السّاعة الثالثة.", ("03:00", "السّاعة الثالثة")),
    ],
)
def test_a_time_of_day_is_read(text: str, expected: tuple[str, str]) -> None:
    assert times(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "حلت القوات في المرتبة الثانية بعد الجيش.",  # "the second": no clock, no part of day
        "قالت الوزارة صباحاً إن القافلة وصلت.",  # a part of the day, no hour
        "خاض الفريق المباراة الخامسة.",
    ],
)
def test_an_ordinal_is_not_a_time(text: str) -> None:
    assert times(text) == []


def test_the_part_of_the_day_sets_the_hour() -> None:
    assert [on_clock(h, "مساء") for h in (1, 11, 12, 13)] == [13, 23, 12, 13]
    assert [on_clock(h, "صباحا") for h in (1, 11, 12)] == [1, 11, 0]
    assert [on_clock(h, "ليلا") for h in (2, 10, 12)] == [2, 22, 0]
    assert [on_clock(h, "ظهرا") for h in (12, 1)] == [12, 13]
    assert on_clock(5, "") == 5
