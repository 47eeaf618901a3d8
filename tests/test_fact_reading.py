"""How facts are read: exact figures, qualifiers, Arabic marks and compound numbers, roles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


# ---------------------------------------------------------------- Arabic marks, compounds --

MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("قُتل 15 شخصاً", "killed"),
        ("قُتِلَ 15 شخصاً", "killed"),
        ("جُرح 5 أشخاص", "wounded"),
        ("أُصيب 5 أشخاص", "wounded"),
        ("وأُصِيبَ 5 أشخاص", "wounded"),
        ("سقوط 12 قتيلاً", "killed"),
        ("سقوط 12 قَتِيلًا", "killed"),
        ("سقوط 12 قتيـــلا", "killed"),  # tatweel
    ],
)
def test_marks_do_not_hide_a_role(text: str, kind: str) -> None:
    fact = one(text)
    assert fact.kind == kind
    assert text[fact.start : fact.end] == fact.text


SENTENCES = [
    "قتل 15 شخصا في قصف على سرت",
    "أسفرت الاشتباكات عن مقتل ما لا يقل عن 14 شخصا وإصابة 30 آخرين",
    "وصلت القوات إلى أبو قرين على بعد 140 كلم غرب سرت",
    "أصيب خمسة عشر شخصا بجروح",
    "سقوط ثلاثة قتلى وعشرات الجرحى",
    "نشرت تشاد زهاء 500 جندي على الحدود",
]


@given(st.sampled_from(SENTENCES), st.lists(st.sampled_from(MARKS), min_size=1, max_size=40))
def test_marks_anywhere_after_letters_change_no_fact(sentence: str, marks: list[str]) -> None:
    plain = [(f.kind, f.value, f.low, f.high, f.qualifier) for f in find_facts(sentence)]
    assert plain
    letters = [i for i, c in enumerate(sentence) if "\u0621" <= c <= "\u064a"]
    marked = list(sentence)
    for k, mark in enumerate(marks):
        marked[letters[(k * 7919) % len(letters)]] += mark
    text = "".join(marked)
    facts = find_facts(text)
    assert [(f.kind, f.value, f.low, f.high, f.qualifier) for f in facts] == plain
    for fact in facts:
        assert text[fact.start : fact.end] == fact.text
        assert fact.text.strip() == fact.text and fact.text[0] not in MARKS


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("مقتل خمسة عشر شخصا", 15),
        ("مقتل خمسةَ عشرَ شخصاً", 15),
        ("مقتل خمس عشرة امرأة", 15),
        ("مقتل أحد عشر شخصا", 11),
        ("مقتل إحدى عشرة امرأة", 11),
        ("اثنا عشر جنديا", 12),
        ("اثني عشر جنديا", 12),
        ("ثلاثة عشر جنديا", 13),
        ("ثمانية عشر جنديا", 18),
        ("تسعة عشر جنديا", 19),
        ("خمسة وعشرون جنديا", 25),
        ("خمسة وعشرين جنديا", 25),
        ("ثلاثمئة جندي", 300),
        ("ثلاثمائة جندي", 300),
        ("ثلاث مئة جندي", 300),
        ("تسعمائة جندي", 900),
        ("مئة وعشرون جنديا", 120),
        ("مئة وخمسة وعشرون جنديا", 125),
        ("أرسلت ألفي مقاتل", 2000),
        ("one hundred and twenty soldiers", 120),
        ("two hundred soldiers", 200),
        ("a hundred soldiers", 100),
        ("a dozen soldiers", 12),
        ("twenty-five soldiers", 25),
    ],
)
def test_compound_number_words(text: str, value: float) -> None:
    fact = one(text)
    assert fact.value == value and fact.low == fact.high == value
