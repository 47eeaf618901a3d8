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
