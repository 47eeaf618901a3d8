"""Numbers with units, casualties, money, dates and times, in English and Arabic."""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.events.dates import human_date
from reader.core.events.facts import KINDS, Fact, find_facts

EXAMPLES = int(os.environ.get("READER_FUZZ_EXAMPLES", "200"))


def one(text: str) -> Fact:
    facts = find_facts(text)
    assert len(facts) == 1, facts
    return facts[0]


@pytest.mark.parametrize(
    "text",
    ["3 km", "3 kilometres", "3 kilometers", "3-km", "٣ كلم", "3 كم", "٣ كيلومترات", "3كيلومترا"],
)
def test_one_distance_many_spellings(text: str) -> None:
    fact = one(text)
    assert (fact.kind, fact.unit, fact.value, fact.key) == ("distance", "km", 3, "distance:km:3")


def test_miles_become_km_and_a_conversion_in_brackets_is_one_fact() -> None:
    assert one("5 miles").value == pytest.approx(8.047, abs=0.001)
    assert one("تبعد 10 أميال").value == pytest.approx(16.09, abs=0.01)
    fact = one("Abu Grein, 140 km (87 miles) to the west of Sirte")
    assert fact.value == 140 and fact.text == "140 km (87 miles)"
    assert fact.direction == "west"
    thirty = one("the town of Thalatheen, 30 km (18 miles) west of Sirte.")
    assert thirty.value == 30 and thirty.direction == "west"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("على بعد ١٤٠ كلم غرب سرت", 140),  # Arabic-Indic digits
        ("على بعد ۱۴۰ کیلومتر غرب سرت", 140),  # Persian digits and letters
        ("على بعد 1٬200 كلم", 1200),  # Arabic thousands separator
        ("نحو 2٫5 كلم", 2.5),  # Arabic decimal separator
        ("خمسة وعشرين كيلومترا جنوب مصراتة", 25),  # number words
        ("عشرة كيلومترات", 10),
    ],
)
def test_arabic_digits_and_number_words(text: str, value: float) -> None:
    fact = one(text)
    assert fact.kind == "distance" and fact.value == value


def test_arabic_direction() -> None:
    assert one("على بعد 120 كيلومترا غرب سرت").direction == "west"
    assert one("30 كلم جنوب شرق طرابلس").direction == "south-east"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("killed at least eight civilians on Monday", "killed", 8),
        ("12 people were killed", "killed", 12),
        ("the attack left 4 dead", "killed", 4),
        ("and injured six others", "wounded", 6),
        ("30 wounded", "wounded", 30),
        ("سقوط ثلاثة قتلى", "killed", 3),
        ("مقتل ٨ مدنيين", "killed", 8),
        ("وأصيب ستة آخرون", "wounded", 6),
        ("15 جريحا", "wounded", 15),
        ("أربعة جرحى", "wounded", 4),
    ],
)
def test_casualties(text: str, kind: str, value: float) -> None:
    fact = one(text)
    assert (fact.kind, fact.value, fact.unit) == (kind, value, "people")


def test_qualifiers_become_ranges() -> None:
    at_least = one("killed at least eight civilians")
    assert at_least.qualifier == "at least" and at_least.low == 8 and math.isinf(at_least.high)
    more = one("more than 500 kilometers to the east")
    assert more.qualifier == "more than" and more.direction == "east" and math.isinf(more.high)
    about = one("about 3 km from the lines")
    assert about.low < 3 < about.high and about.direction == "from"
    arabic = one("مقتل 5 أشخاص على الأقل")
    assert arabic.qualifier == "at least" and math.isinf(arabic.high)
    assert one("نحو خمسين كيلومترا").qualifier == "about"
    vague = one("dozens of civilians were killed")
    assert vague.kind == "killed" and (vague.low, vague.high) == (24, 99)
    tens = find_facts("سقوط ثلاثة قتلى وعشرات الجرحى")
    assert [(f.kind, f.low, f.high) for f in tens] == [("killed", 3, 3), ("wounded", 20, 99)]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("$ 9 billion", 9e9, "USD"),
        ("$9bn", 9e9, "USD"),
        ("9 billion dollars", 9e9, "USD"),
        ("9 مليارات دولار", 9e9, "USD"),
        ("٣ ملايين دولار", 3e6, "USD"),
        ("500 ألف دينار", 5e5, "LYD"),
        ("€20 million", 2e7, "EUR"),
    ],
)
def test_money(text: str, value: float, unit: str) -> None:
    fact = one(text)
    assert (fact.kind, fact.value, fact.unit) == ("money", value, unit)


@pytest.mark.parametrize("text", ["5%", "5 percent", "5 per cent", "5٪", "5 بالمئة", "5 في المائة"])
def test_percentages(text: str) -> None:
    fact = one(text)
    assert (fact.kind, fact.value) == ("percent", 5)


def test_counts_of_people_and_things_compare_across_languages() -> None:
    assert one("destroy 25 units of enemy equipment").key == one("تدمير 25 وحدة").key
    assert one("more than 300 thousand citizens").value == 300_000
    assert one("300 مدنيين").key == one("300 civilians").key


def test_durations_and_ages() -> None:
    assert (one("in just nine days").kind, one("in just nine days").value) == ("duration", 9)
    assert one("خلال ثلاثة أيام").value == 3
    assert one("a 76-year-old former loyalist").kind == "age"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("on May 29, after", "--05-29"),
        ("on April 4, 2019, using", "2019-04-04"),
        ("in July of 2019,he fled", "2019-07"),
        ("In March 2019, the", "2019-03"),
        ("on 4 June 2020 at", "2020-06-04"),
        ("في 29 مايو/أيار 2020", "2020-05-29"),
        ("في يونيو 2020", "2020-06"),
        ("يوم 3 حزيران", "--06-03"),
        ("on 2020-06-08", "2020-06-08"),
        ("since the 2011 uprising", "2011"),
    ],
)
def test_dates(text: str, label: str) -> None:
    fact = one(text)
    assert (fact.kind, fact.label) == ("date", label)


def test_a_date_range_gives_both_ends() -> None:
    assert [f.label for f in find_facts("from April 14 to 16")] == ["--04-14", "--04-16"]


def test_the_verb_may_is_not_a_month() -> None:
    assert find_facts("they may 29 times say so") == []


def test_times() -> None:
    assert [f.label for f in find_facts("at 10:30 and at 3 pm, الساعة 22:15")] == [
        "10:30",
        "15:00",
        "22:15",
    ]


def test_numbers_inside_names_are_not_facts() -> None:
    assert find_facts("COVID-19 and F-16 jets") == []
    assert find_facts("Image: 311609949") == []


def test_human_dates() -> None:
    assert human_date("2020-05-29") == "29 May 2020"
    assert human_date("--05-29") == "29 May (no year given)"
    assert human_date("2019-07") == "July 2019"
    assert human_date("2011") == "2011"


def test_offsets_point_at_the_fact() -> None:
    text = "قال إن ١٤٠ كلم تفصلهم، and 12 people were killed on May 29."
    for fact in find_facts(text):
        assert text[fact.start : fact.end] == fact.text
        assert fact.low <= fact.value <= fact.high or fact.kind == "date"


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "140",
                "٣",
                " km",
                " كلم",
                " miles",
                "(",
                ")",
                " killed",
                " قتلى",
                "at least ",
                "May ",
                "29",
                ", 2020",
                "$",
                " million",
                "%",
                "-",
                " ",
                "خمسة",
                "و",
                "عشرين",
            ]
        )
        | st.text(max_size=4),
        max_size=25,
    )
)
def test_fuzz_facts_are_sorted_in_bounds_and_point_at_their_text(parts: list[str]) -> None:
    text = "".join(parts)
    facts = find_facts(text)
    assert facts == sorted(facts, key=lambda f: (f.start, f.end))
    for fact in facts:
        assert 0 <= fact.start < fact.end <= len(text)
        assert text[fact.start : fact.end] == fact.text
        assert fact.kind in KINDS
