"""How facts are read: exact figures, qualifiers, Arabic marks and compound numbers, roles."""

from __future__ import annotations

import pytest

from reader.core.events.facts import Fact, find_facts


def one(text: str) -> Fact:
    facts = find_facts(text)
    assert len(facts) == 1, facts
    return facts[0]


def overlap(a: Fact, b: Fact) -> bool:
    return a.low <= b.high and b.low <= a.high


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12 people were killed", 12),
        ("twelve people were killed", 12),
        ("مقتل 15 شخصاً", 15),
        ("مقتل ١٥ شخصاً", 15),
        ("3,000 families", 3000),
        ("3 آلاف أسرة", 3000),
        ("300 thousand citizens", 300_000),
    ],
)
def test_an_integer_is_exact(text: str, value: float) -> None:
    fact = one(text)
    assert fact.low == fact.value == fact.high == value


def test_two_different_integers_do_not_overlap() -> None:
    assert not overlap(one("12 people were killed"), one("13 people were killed"))
    assert not overlap(one("twelve civilians"), one("thirteen civilians"))


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("2.5 km", 2.45, 2.55),
        ("نحو 2٫5 كلم", 2.5 * 0.85, 2.5 * 1.15),  # a qualifier sets the range
        ("$1.5 million", 1.45e6, 1.55e6),
        ("1.25 km", 1.245, 1.255),
    ],
)
def test_a_decimal_keeps_half_a_unit_of_its_last_digit(text: str, low: float, high: float) -> None:
    fact = one(text)
    assert (fact.low, fact.high) == (pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("dozens of civilians were killed", 24, 99), ("عشرات الجرحى", 20, 99)],
)
def test_a_vague_word_keeps_its_range(text: str, low: float, high: float) -> None:
    fact = one(text)
    assert (fact.low, fact.high) == (low, high)


INF = float("inf")


@pytest.mark.parametrize(
    ("text", "qualifier", "low", "high"),
    [
        ("at least 12 people were killed", "at least", 12, INF),
        ("no fewer than 12 people were killed", "at least", 12, INF),
        ("مقتل ما لا يقل عن 12 شخصا", "at least", 12, INF),
        ("مقتل 12 شخصا على الأقل", "at least", 12, INF),
        ("more than 200 people", "more than", 200, INF),
        ("over 200 people", "more than", 200, INF),
        ("أكثر من 200 شخص", "more than", 200, INF),
        ("أزيد من 180 شخصا", "more than", 180, INF),
        ("ما يزيد على 200 شخص", "more than", 200, INF),
        ("about 100 people", "about", 85, 115),
        ("some 100 people", "about", 85, 115),
        ("زهاء 100 شخص", "about", 85, 115),
        ("بنحو 100 شخص", "about", 85, 115),
        ("100 شخص تقريبا", "about", 85, 115),
        ("nearly 100 people", "nearly", 85, 100),
        ("almost 100 people", "nearly", 85, 100),
        ("close to 100 people", "nearly", 85, 100),
        ("just under 100 people", "nearly", 85, 100),
        ("up to 20 people", "up to", 0, 20),
        ("as many as 20 people", "up to", 0, 20),
        ("no more than 20 people", "up to", 0, 20),
        ("ما يصل إلى 20 شخصا", "up to", 0, 20),
        ("ما لا يزيد عن 20 شخصا", "up to", 0, 20),
        ("less than 20 people", "less than", 0, 20),
        ("fewer than 20 people", "less than", 0, 20),
        ("under 20 people", "less than", 0, 20),
        ("أقل من 20 شخصا", "less than", 0, 20),
    ],
)
def test_each_qualifier_has_its_name_and_range(
    text: str, qualifier: str, low: float, high: float
) -> None:
    fact = one(text)
    assert fact.qualifier == qualifier
    assert (fact.low, fact.high) == (pytest.approx(low), pytest.approx(high))


def test_nearly_and_up_to_exclude_more_than() -> None:
    # "nearly 100" and "more than 100" do not share a figure above 100; "up to 20" and "25" none.
    assert one("nearly 100 people").high <= one("more than 100 people").low
    assert not overlap(one("up to 20 people"), one("25 people"))
    assert not overlap(one("less than 20 people"), one("25 people"))


def test_a_qualifier_is_a_whole_word() -> None:
    # "moreover" holds "over", "handsome" holds "some", "thunder" holds "under".
    for text in ("moreover 12 people", "handsome 12 people", "thunder 12 people"):
        assert one(text).qualifier == "", text
