"""Relative dates resolved against the publication date, and the facts the comparison keeps
(:func:`content_facts`): metadata dropped, "six years ago" a date, not a duration."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.events.facts import find_facts
from reader.core.events.metadata import content_facts, relative_dates

WEDNESDAY = date(2020, 5, 20)
MONDAY = date(2020, 5, 18)


def resolved(text: str, published: date | None = WEDNESDAY) -> list[tuple[str, str | None]]:
    return [(text[r.start : r.end], r.label) for r in relative_dates(text, published)]


# (text, the phrase, its label when published on Wednesday 20 May 2020)
EXAMPLES = [
    ("The airstrike happened yesterday, the ministry said.", "yesterday", "2020-05-19"),
    ("It happened the day before yesterday.", "the day before yesterday", "2020-05-18"),
    ("Talks resume today in Geneva.", "today", "2020-05-20"),
    ("Talks resume tomorrow in Geneva.", "tomorrow", "2020-05-21"),
    ("Rockets fell on the port last night.", "last night", "2020-05-19"),
    ("Forces seized the base on Monday.", "on Monday", "2020-05-18"),
    ("Forces seized the base last Monday.", "last Monday", "2020-05-18"),
    ("Forces seized the base on Wednesday.", "on Wednesday", "2020-05-20"),
    ("Forces seized the base last Wednesday.", "last Wednesday", "2020-05-13"),
    ("The envoy resigned last week.", "last week", "2020-05"),
    ("The envoy resigned last month.", "last month", "2020-04"),
    ("The envoy resigned last year.", "last year", "2019"),
    ("The militia took control of the town six years ago.", "six years ago", "2014"),
    ("The convoy entered Kufra two days ago.", "two days ago", "2020-05-18"),
    ("The convoy entered Kufra 3 months ago.", "3 months ago", "2020-02"),
    ("Fighting resumed earlier this month.", "earlier this month", "2020-05"),
    ("Fighting resumed earlier this year.", "earlier this year", "2020"),
    ("وقعت الغارة اليوم.", "اليوم", "2020-05-20"),
    ("وقعت الغارة فجر اليوم، بحسب الوزارة.", "فجر اليوم", "2020-05-20"),
    ("اندلعت الاشتباكات في الزاوية أمس.", "أمس", "2020-05-19"),
    ("اندلعت الاشتباكات أول أمس.", "أول أمس", "2020-05-18"),
    ("اندلعت الاشتباكات أمس الأول.", "أمس الأول", "2020-05-18"),
    ("تستأنف المحادثات غداً في جنيف.", "غداً", "2020-05-21"),
    ("سقطت صواريخ على الميناء الليلة الماضية.", "الليلة الماضية", "2020-05-19"),
    ("سقطت صواريخ على الميناء مساء أمس.", "مساء أمس", "2020-05-19"),
    ("سيطرت القوات على القاعدة يوم الاثنين.", "يوم الاثنين", "2020-05-18"),
    ("سيطرت القوات على القاعدة يوم الإثنين الماضي.", "يوم الإثنين الماضي", "2020-05-18"),
    ("سيطرت القوات على القاعدة الأربعاء الماضي.", "الأربعاء الماضي", "2020-05-13"),
    ("نزحت 3 آلاف أسرة منذ الاثنين.", "الاثنين", "2020-05-18"),
    ("قُتل ثلاثة مقاتلين جنوب طرابلس السبت.", "السبت", "2020-05-16"),
    ("استقال المبعوث الأسبوع الماضي.", "الأسبوع الماضي", "2020-05"),
    ("استقال المبعوث الشهر الماضي.", "الشهر الماضي", "2020-04"),
    ("استقال المبعوث العام الماضي.", "العام الماضي", "2019"),
    ("استقال المبعوث في وقت سابق من هذا الشهر.", "في وقت سابق من هذا الشهر", "2020-05"),
    ("سيطرت الميليشيا على البلدة قبل ست سنوات.", "قبل ست سنوات", "2014"),
    ("سيطرت الميليشيا على البلدة قبل 6 سنوات.", "قبل 6 سنوات", "2014"),
    ("سيطرت الميليشيا على البلدة قبل ٦ سنوات.", "قبل ٦ سنوات", "2014"),
    ("دخلت القافلة الكفرة قبل يومين.", "قبل يومين", "2020-05-18"),
    ("سيطرت الميليشيا على البلدة قبل عامين.", "قبل عامين", "2018"),
    ("سيطرت الميليشيا على البلدة منذ ثلاثة أشهر، بحسب السكان.", "منذ ثلاثة أشهر", "2020-02"),
    ("انسحبت القوات قبل أسبوعين.", "قبل أسبوعين", "2020-05"),
]


@pytest.mark.parametrize(("text", "phrase", "label"), EXAMPLES)
def test_a_relative_date_resolves_against_the_publication_date(
    text: str, phrase: str, label: str
) -> None:
    assert resolved(text) == [(phrase, label)]


@pytest.mark.parametrize(("text", "phrase", "_label"), EXAMPLES)
def test_without_a_publication_date_it_is_found_but_not_resolved(
    text: str, phrase: str, _label: str
) -> None:
    assert resolved(text, None) == [(phrase, None)]


def test_a_weekday_is_the_most_recent_on_or_before_publication() -> None:
    assert resolved("They met on Monday.", MONDAY) == [("on Monday", "2020-05-18")]
    assert resolved("They met last Monday.", MONDAY) == [("last Monday", "2020-05-11")]
    assert resolved("They met on Tuesday.", MONDAY) == [("on Tuesday", "2020-05-12")]
    assert resolved("التقيا يوم الثلاثاء.", MONDAY) == [("يوم الثلاثاء", "2020-05-12")]
    # a datetime counts by its date
    assert resolved("They met yesterday.", datetime(2020, 5, 18, 23, 59)) == [
        ("yesterday", "2020-05-17")
    ]


def test_periods_across_the_turn_of_a_year() -> None:
    assert resolved("It fell last month.", date(2020, 1, 10)) == [("last month", "2019-12")]
    assert resolved("It fell last year.", date(2020, 1, 10)) == [("last year", "2019")]
    # the week of 28 Dec 2020 - 3 Jan 2021 is in no one month or year
    assert resolved("It fell last week.", date(2021, 1, 6)) == [("last week", None)]


def test_a_weekday_before_a_number_that_is_no_date_stays_relative() -> None:
    assert resolved("On Monday, 12 people were killed.") == [("On Monday", "2020-05-18")]
    assert resolved("قالت يوم الاثنين، 12 شخصا قتلوا.") == [("يوم الاثنين", "2020-05-18")]
    assert resolved("It ended on Monday, May 18.") == []
    assert resolved("It ended on Monday the 18th of May.") == []


def test_spelling_variants_fold_and_keep_offsets() -> None:
    for text, phrase in (
        ("وقعت أمـــس.", "أمـــس"),
        ("وقعت أَمْسِ.", "أَمْسِ"),
        ("وقعت امس.", "امس"),
        ("وقعت الغارة قبل سِتِّ سنوات.", "قبل سِتِّ سنوات"),
        ("جرت في الاسبوع الماضى.", "الاسبوع الماضى"),
        ("جرت في السنة الماضية.", "السنة الماضية"),
    ):
        assert [p for p, _l in resolved(text)] == [phrase], text


def test_a_leading_conjunction_is_not_part_of_the_phrase() -> None:
    assert resolved("وقعت الغارة وأمس سقطت قذائف.") == [("أمس", "2020-05-19")]


@pytest.mark.parametrize(
    "text",
    [
        "Casualties rose over the last week.",
        "In the last year 40 people died.",
        "The talks will resume next Monday.",
        "The ceasefire took effect on Monday, 18 May 2020.",
        "Talks are held every Monday.",
        "سيطرت الميليشيا على البلدة قبل عام 2014.",
        "قتل 12 شخصا قبل يومين من الانتخابات.",
        "يعيش في ليبيا منذ ست سنوات.",
        "ما زالت الميليشيا تسيطر على البلدة منذ ست سنوات.",
        "وفي اليوم التالي انسحبت القوات.",
        "وفي ذلك اليوم انسحبت القوات.",
        "تستأنف المحادثات الاثنين المقبل.",
        "وقع الاتفاق الاثنين 18 مايو 2020.",
        "انعقد الاجتماع قبل شهر رمضان.",
        "The militia took control in 2014.",
    ],
)
def test_not_relative_to_publication(text: str) -> None:
    assert resolved(text) == []


def test_imprecise_ago_is_found_but_not_resolved() -> None:
    assert resolved("It fell more than six years ago.") == [("more than six years ago", None)]
    assert resolved("سقطت قبل أكثر من ست سنوات.") == [("قبل أكثر من ست سنوات", None)]
    assert resolved("It fell about two days ago.") == [("about two days ago", None)]
    assert resolved("It fell about six years ago.") == [("about six years ago", "2014")]
    assert resolved("It fell two hours ago.") == [("two hours ago", None)]


# --- content_facts ---------------------------------------------------------------------------


def facts_of(text: str, published: date | None) -> list[tuple[str, str, str]]:
    return [(f.kind, f.text, f.label) for f in content_facts(text, find_facts(text), published)]


def test_a_datelines_date_is_not_a_fact_and_on_sunday_is() -> None:
    text = "TRIPOLI, May 18 (Reuters) - Shelling on Sirte killed 12 people on Sunday."
    assert [f.kind for f in find_facts(text)] == ["date", "killed"]  # before: the dateline's
    assert facts_of(text, MONDAY) == [
        ("killed", "12 people", "12 killed"),
        ("date", "on Sunday", "2020-05-17"),
    ]
    assert facts_of(text, None) == [("killed", "12 people", "12 killed")]


def test_six_years_ago_is_a_date_not_a_duration() -> None:
    for text, phrase in (
        ("The militia took control of Tarhuna six years ago.", "six years ago"),
        ("سيطرت الميليشيا على ترهونة قبل ست سنوات.", "قبل ست سنوات"),
        ("سيطرت الميليشيا على ترهونة قبل 6 سنوات.", "قبل 6 سنوات"),
    ):
        assert [f.kind for f in find_facts(text)] == ["duration"]
        assert facts_of(text, MONDAY) == [("date", phrase, "2014")]
        assert facts_of(text, None) == []  # unresolved: left out of comparisons


def test_a_duration_that_is_not_ago_stays() -> None:
    text = "The truce lasted six years. يعيش في ليبيا منذ ست سنوات."
    assert [k for k, _t, _l in facts_of(text, MONDAY)] == ["duration", "duration"]


def test_update_times_bylines_and_copyright_years_are_not_facts() -> None:
    text = (
        "Updated 3:00 P.M. - Rockets struck Mitiga airport at 10:30 a.m.\n"
        "آخر تحديث: 15:00 - سقطت قذائف على المطار عند الساعة 10:00 صباحاً.\n"
        "Copyright 2020 The Associated Press. All rights reserved."
    )
    assert [f.label for f in find_facts(text)].count("15:00") == 2
    assert [label for _k, _t, label in facts_of(text, None)] == ["10:30", "10:00"]


FRAGMENTS = [
    "TRIPOLI, May 18 (Reuters) - ",
    "killed 12 people ",
    "on Sunday ",
    "six years ago ",
    "قبل ست سنوات ",
    "أمس ",
    "يوم الاثنين ",
    "140 km west of Sirte ",
    "Updated 3:00 P.M. - ",
    "at 10:30 a.m. ",
    "\n",
    "© 2020 Reuters. ",
    "yesterday ",
    "2014 ",
    "مقتل 15 شخصا ",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=12),
    st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31))),
)
def test_content_facts_are_sorted_apart_and_point_into_the_text(
    parts: list[str], published: date | None
) -> None:
    text = "".join(parts)
    facts = content_facts(text, find_facts(text), published)
    assert facts == sorted(facts, key=lambda f: (f.start, f.end))
    for fact, after in itertools.pairwise(facts):
        assert fact.end <= after.start or (fact.start, fact.end) == (after.start, after.end)
    for fact in facts:
        assert text[fact.start : fact.end] == fact.text
        if fact.kind == "duration":
            assert "ago" not in text[fact.end : fact.end + 5]
    if published is None:  # nothing is resolved: only facts find_facts gave
        found = find_facts(text)
        assert all(fact in found for fact in facts)


@pytest.mark.parametrize(
    "text",
    [
        "قبل " * 250_000,
        "منذ ست سنوات " * 80_000,
        "yesterday " * 100_000,
        "six years ago " * 70_000,
        "يوم " * 250_000,
        "\n" * 1_000_000,
        "".join(map(chr, range(32))) * 30_000 + "أمس",
    ],
    ids=lambda t: f"{t[:6]!r}x{len(t)}",
)
def test_hostile_input_gives_valid_relative_dates(text: str) -> None:
    found = relative_dates(text, MONDAY)
    assert all(0 <= r.start < r.end <= len(text) for r in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    phrases = {text[r.start : r.end].strip() for r in found}
    assert phrases <= {"yesterday", "six years ago", "منذ ست سنوات", "أمس"}


def test_the_number_of_sources_is_not_a_fact() -> None:
    for text in (
        "Two Sirte residents told Reuters the city was quiet on Saturday.",
        "Two Sirte residents said 5 people were killed in the strike.",
        "Three residents of Sirte said the city was quiet.",
        "قال 3 مواطنين إن المدينة هادئة.",
    ):
        assert "count" in [f.kind for f in find_facts(text)], text
        assert "count" not in [k for k, _t, _l in facts_of(text, None)], text
    text = "Two Sirte residents said 5 people were killed in the strike."
    assert facts_of(text, None) == [("killed", "5 people were killed", "5 killed")]
    for text in ("Turkey sent 2,000 fighters to Libya.", "Two residents were wounded."):
        assert facts_of(text, None) == [(f.kind, f.text, f.label) for f in find_facts(text)]


def test_relative_dates_of_their_own_only_when_asked() -> None:
    text = "Militias clashed yesterday; the militia took the town six years ago."
    facts = content_facts(text, find_facts(text), MONDAY, add_relative=False)
    assert [(f.text, f.label) for f in facts] == [("six years ago", "2014")]
    facts = content_facts(text, find_facts(text), MONDAY)
    assert [(f.text, f.label) for f in facts] == [
        ("yesterday", "2020-05-17"),
        ("six years ago", "2014"),
    ]
