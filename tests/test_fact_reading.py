"""How facts are read: exact figures, qualifiers, Arabic marks and compound numbers, roles."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.events.facts import KINDS, NUMERIC_KINDS, Fact, find_facts
from reader.core.events.lexicon import ROLE_NAMES
from reader.core.events.numbers import Shadow, numbers, same_length_shadow


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


# ---------------------------------------------------------------- roles --------------------


@pytest.mark.parametrize(
    ("text", "role", "value"),
    [
        # killed, both word orders, both languages
        ("killed 12 people", "killed", 12),
        ("12 people were killed", "killed", 12),
        ("12 people lost their lives", "killed", 12),
        ("the death toll rose to 12", "killed", 12),
        ("مقتل 12 شخصاً", "killed", 12),
        ("قُتل 15 شخصاً", "killed", 15),
        ("قتلت القوات 15 مسلحا", "killed", 15),
        ("12 قتيلا", "killed", 12),
        ("سقوط 12 قتيلا", "killed", 12),
        ("لقي 12 شخصا حتفهم", "killed", 12),
        ("لقي 12 شخصا مصرعهم", "killed", 12),
        ("قضى 12 شخصا", "killed", 12),
        ("استشهد 5 فلسطينيين", "killed", 5),
        ("ارتفع عدد الشهداء إلى 5 شهداء", "killed", 5),
        ("12 ضحية", "killed", 12),
        ("أودى بحياة 12 شخصا", "killed", 12),
        ("ارتفعت حصيلة القتلى إلى 12", "killed", 12),
        ("23 migrants drowned", "killed", 23),
        ("غرق 23 مهاجراً قبالة صبراتة", "killed", 23),
        # wounded
        ("injured 12 people", "wounded", 12),
        ("12 people were injured", "wounded", 12),
        ("أصيب 12 شخصا", "wounded", 12),
        ("وإصابة 30 آخرين", "wounded", 30),
        ("12 مصابين", "wounded", 12),
        ("12 شخصا أصيبوا", "wounded", 12),
        # displaced
        ("displaced 12,000 people", "displaced", 12_000),
        ("12,000 people were displaced", "displaced", 12_000),
        ("3,000 families have fled their homes", "displaced", 3000),
        ("نزوح 12 ألف شخص", "displaced", 12_000),
        ("نزحت 3 آلاف عائلة", "displaced", 3000),
        ("بنزوح 4 آلاف عائلة", "displaced", 4000),
        ("12 ألف نازح", "displaced", 12_000),
        ("300 نازحين", "displaced", 300),
        ("شُرّد 300 شخص", "displaced", 300),
        ("300 مشردين", "displaced", 300),
        # detained
        ("police arrested 40 protesters", "detained", 40),
        ("police detained 40 protesters", "detained", 40),
        ("40 protesters were arrested", "detained", 40),
        ("40 people are being held", "detained", 40),
        ("40 soldiers were taken prisoner", "detained", 40),
        ("اعتقال 40 متظاهرا", "detained", 40),
        ("اعتقل 40 متظاهرا", "detained", 40),
        ("اعتقلت الشرطة التونسية 45 متظاهراً", "detained", 45),
        ("احتجز 40 شخصا", "detained", 40),
        ("أوقف 40 شخصا", "detained", 40),
        ("ألقت الشرطة القبض على ثلاثين شخصاً", "detained", 30),
        ("40 معتقلين", "detained", 40),
        ("40 موقوفين", "detained", 40),
        # missing
        ("12 migrants are missing", "missing", 12),
        ("12 people remain unaccounted for", "missing", 12),
        ("فقدان 12 مهاجرا", "missing", 12),
        ("فُقد 45 مهاجراً", "missing", 45),
        ("12 مفقودين", "missing", 12),
        ("12 شخصا في عداد المفقودين", "missing", 12),
    ],
)
def test_roles_in_both_word_orders(text: str, role: str, value: float) -> None:
    fact = one(text)
    assert (fact.kind, fact.value, fact.unit) == (role, value, "people")
    assert fact.label == f"{value:,.0f} {role}"


@pytest.mark.parametrize(
    "text",
    [
        "skilled 12 workers",  # "killed" inside a word
        "the 2019 attack killed",  # a year is no count of the killed
        "قتل الجنود في 3 مدن",  # a preposition: no subject between the verb and the figure
        "وفر 12 سيارة",  # وفر (provided) is not و + فر (fled)
        "12 people held a rally",  # held only with were/are/being
        "12 people gathered where protesters were killed",  # another clause's dead
        "12 people marched after soldiers were killed",
    ],
)
def test_no_role_where_there_is_none(text: str) -> None:
    assert all(f.kind not in ROLE_NAMES for f in find_facts(text)), find_facts(text)


def test_the_nearest_role_before_a_figure_wins() -> None:
    facts = find_facts("اعتقلت الشرطة 15 شخصاً وأصيب 4 من عناصرها")
    assert [(f.kind, f.value) for f in facts] == [("detained", 15), ("wounded", 4)]
    facts = find_facts("At least 12 people were killed and 30 wounded")
    assert [(f.kind, f.value) for f in facts] == [("killed", 12), ("wounded", 30)]


def test_every_role_is_a_numeric_kind() -> None:
    assert set(ROLE_NAMES) <= set(NUMERIC_KINDS) <= set(KINDS)
    assert {"displaced", "detained", "missing"} <= set(ROLE_NAMES)


@pytest.mark.parametrize(
    ("text", "value"),
    [  # found on real coverage: a subject of several words before its role
        ("Seven WCK aid workers were killed in the strike.", 7),
        ("Ten members of the Haniyeh family were killed on Wednesday.", 10),
        ("three of its staff members were killed", 3),
    ],
)
def test_a_subject_of_several_words_keeps_its_role(text: str, value: int) -> None:
    assert [(f.kind, f.value) for f in find_facts(text)] == [("killed", value)]


@pytest.mark.parametrize(
    ("text", "value"),
    [  # as real coverage writes them: a long subject, commas, a possessive, then "were killed"
        ("Seven members of the aid group World Central Kitchen were killed in a strike.", 7),
        ("Three Palestinian staff members of World Central Kitchen were killed.", 3),
        ("Ten members of the Haniyeh family, including his sister, were killed.", 10),
        ("Two of Haniyeh's grandchildren were also killed.", 2),
        (
            "Three sons of the head of the political bureau of Hamas, Ismail Haniyeh, were "
            "killed on Wednesday.",
            3,
        ),
        ("Five people, including two children, were killed on Monday.", 5),
        ("Seven aid workers, three of them foreigners, have been killed.", 7),
    ],
)
def test_a_long_subject_keeps_its_role(text: str, value: int) -> None:
    assert [(f.kind, f.value) for f in find_facts(text)] == [("killed", value)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # the figure is not the subject of "were killed", or another figure is nearer
        ("In addition to three soldiers, civilians were killed.", [("count", 3)]),
        ("Four soldiers guarded the gate while protesters were killed.", [("count", 4)]),
        ("Two officials said that the guards were killed.", []),
        ("Three days later, five people were killed.", [("duration", 3), ("killed", 5)]),
        ("Two officials and 12 guards were killed.", [("killed", 12)]),
        ("Six men of the unit that guarded the airport were killed.", []),
        # more than three, by how many it does not say
        ("Three sons of Haniyeh, along with several of his grandchildren, were killed.", []),
    ],
)
def test_a_long_subject_needs_a_subject(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(f.kind, f.value) for f in find_facts(text)] == expected


@pytest.mark.parametrize(
    ("text", "value", "words"),
    [  # seen on real coverage: a toll written as a list of groups of people
        (
            "An air raid killed three sons and three grandchildren of Haniyeh on Wednesday.",
            6,
            "three sons and three grandchildren",
        ),
        (
            "أدى القصف إلى استشهاد 3 من أبناء إسماعيل هنية، و4 من أحفاده.",
            7,
            "3 من أبناء إسماعيل هنية، و4 من أحفاده",
        ),
        (
            "قُتل 3 من أبناء هنية (حازم وأمير ومحمد) وثلاثة من أحفاده في القصف",
            6,
            "3 من أبناء هنية (حازم وأمير ومحمد) وثلاثة من أحفاده",
        ),
        ("The strike killed 3 soldiers and 2 civilians.", 5, "3 soldiers and 2 civilians"),
        ("قتل 4 جنود و3 مدنيين في الهجوم", 7, "4 جنود و3 مدنيين"),
        # the list before its role
        (
            "Three sons and four grandsons of Haniyeh were killed.",
            7,
            "Three sons and four grandsons of Haniyeh were killed",
        ),
        (
            "Three soldiers and four civilians were killed.",
            7,
            "Three soldiers and four civilians were killed",
        ),
    ],
)
def test_a_list_of_groups_of_people_adds_up(text: str, value: int, words: str) -> None:
    killed = [f for f in find_facts(text) if f.kind == "killed"]
    assert [(f.value, f.low, f.high, f.text) for f in killed] == [(value, value, value, words)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # the next figure has its own role or unit, is a part, or counts no people
        ("The car bomb killed 4 people and wounded 11.", [("killed", 4), ("wounded", 11)]),
        ("killed 12 people and 3 more were injured", [("killed", 12), ("wounded", 3)]),
        ("killed 3 soldiers and 2 tanks were destroyed", [("killed", 3), ("count", 2)]),
        ("killed 3 people and 2 days later", [("killed", 3), ("duration", 2)]),
        ("killed 5 people, and 2 of them were children", [("killed", 5)]),
        ("killed 3 people. And 4 children were rescued", [("killed", 3), ("count", 4)]),
        ("قتل 3 أشخاص بينهم نحو 4", [("killed", 3)]),
        ("مقتل 5 أشخاص وإصابة 11 آخرين", [("killed", 5), ("wounded", 11)]),
        ("In Sirte, 2 people died and 5 people were wounded.", [("killed", 2), ("wounded", 5)]),
        ("Between 3 tanks and 4 soldiers were killed", [("count", 3), ("killed", 4)]),
    ],
)
def test_a_list_ends_where_the_people_do(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(f.kind, f.value) for f in find_facts(text)] == expected


def test_a_qualifier_before_a_list_qualifies_its_sum() -> None:
    fact = one("At least three soldiers and four civilians were killed.")
    assert (fact.kind, fact.label, fact.low, fact.high) == (
        "killed",
        "at least 7 killed",
        7,
        math.inf,
    )


def test_a_figure_glued_to_a_one_letter_arabic_prefix_is_read() -> None:
    # و4, ب5: the conjunction or preposition is written on the figure; كل4 is no figure.
    facts = find_facts("وصل إلى المستشفيات 122 شهيدا و56 جريحا")
    assert [(f.kind, f.value) for f in facts] == [("killed", 122), ("wounded", 56)]
    facts = find_facts("استهدفت القوات المنطقة ب5 صواريخ")
    assert [(f.kind, f.value, f.unit) for f in facts] == [("count", 5, "missile")]
    assert [f.value for f in find_facts("F16 كل4")] == []


@pytest.mark.parametrize(
    ("text", "label"),
    [  # seen on real coverage: "dozens" and العشرات read "24 killed" and "20 killed", shared
        ("Dozens of people were killed in Sirte.", "24 to 99 killed"),
        ("قتل العشرات في سرت.", "20 to 99 killed"),
        ("hundreds of families were displaced", "200 to 999 displaced"),
        ("at least dozens were wounded", "at least 24 wounded"),
        ("about 12 people were killed", "about 12 killed"),  # a figure keeps its value
        ("$2.5 million in damage", "2,500,000 USD"),
    ],
)
def test_a_vague_word_reads_as_its_range(text: str, label: str) -> None:
    assert one(text).label == label


def test_a_gap_does_not_cross_and() -> None:
    facts = find_facts("The car bomb killed 4 people and wounded 11.")
    assert [(f.kind, f.value) for f in facts] == [("killed", 4), ("wounded", 11)]


def test_money_is_not_a_role() -> None:
    fact = one("خصصت الحكومة 1.5 مليون دولار لإغاثة النازحين")
    assert (fact.kind, fact.unit, fact.value) == ("money", "USD", 1.5e6)


@pytest.mark.parametrize(
    ("text", "kind", "value", "words"),
    [
        ("أسفر سقوط قذيفة عن سقوط قتيلين", "killed", 2, "قتيلين"),
        ("قُتل شخصان إثر سقوط قذيفة", "killed", 2, "شخصان"),
        ("قُتل مدنيان اثنان جراء القصف", "killed", 2, "مدنيان"),
        ("أصيب العشرات في الانفجار", "wounded", 20, "العشرات"),
        ("The death toll from the floods in Derna rose to 23", "killed", 23, "23"),
        ("أودت المعارك حول أوباري بحياة 100 شخص", "killed", 100, "100 شخص"),
    ],
)
def test_figures_written_without_a_number_or_far_from_their_role(
    text: str, kind: str, value: float, words: str
) -> None:
    fact = one(text)
    assert (fact.kind, fact.value, fact.text) == (kind, value, words)


def test_towns_and_drones_are_counted_alike_in_both_languages() -> None:
    assert one("they had taken 3 towns").key == one("سيطرت على ثلاث بلدات").key
    assert one("shot down 3 Turkish drones").key == one("أسقطت 3 طائرات مسيرة").key


@pytest.mark.parametrize(
    ("text", "qualifier", "words"),
    [
        ("estimated at no less than $20 million", "at least", "no less than $20 million"),
        ("will cost about $2 million", "about", "about $2 million"),
        ("more than £5", "more than", "more than £5"),
    ],
)
def test_a_currency_sign_between_qualifier_and_figure(
    text: str, qualifier: str, words: str
) -> None:
    fact = one(text)
    assert (fact.kind, fact.qualifier, fact.text) == ("money", qualifier, words)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("صمدت الهدنة أسبوعين", 14),
        ("خلال يومين", 2),
        ("بعد شهرين", 60),
        ("منذ عامين", 730),
    ],
)
def test_an_arabic_dual_duration(text: str, days: float) -> None:
    fact = one(text)
    assert (fact.kind, fact.value) == ("duration", days)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("قدمت الحكومة مليوناً ونصف مليون دولار", 1.5e6),
        ("مليون ونصف دولار", 1.5e6),
        ("نصف مليون دولار", 5e5),
        ("مليار دولار", 1e9),
    ],
)
def test_an_arabic_scale_word_alone_or_halved(text: str, value: float) -> None:
    fact = one(text)
    assert (fact.kind, fact.value, fact.low, fact.high) == ("money", value, value, value)
    assert overlap(fact, one("1.5 مليون دولار")) == (value == 1.5e6)


@given(st.text(alphabet=st.sampled_from("قتل ١2" + MARKS + "\u0640aİ"), max_size=30))
def test_the_shadow_maps_every_letter_back_to_the_text(text: str) -> None:
    shadow = Shadow(text)
    for i, char in enumerate(shadow.text):
        original = text[shadow.at(i)]
        assert original not in MARKS + "\u0640"
        assert same_length_shadow(original) == char
    assert shadow.at(len(shadow.text)) == len(text)


_NUMBER_WORDS = [
    "ثلاثة",
    "خمسة",
    "عشر",
    "أحد",
    "عشر",
    "اثنا",
    "عشرة",
    "عشرون",
    "خمسة",
    "وعشرون",
    "ثلاثمئة",
    "مئة",
    "مائتين",
    "ألف",
    "ألفين",
    "عشرات",
    "العشرات",
    "مئات",
    "الآلاف",
    "مليون",
    "مليونا",
    "نصف",
    "ونصف",
    "قتيلين",
    "شخصان",
    "اثنان",
    "يومين",
    "الجريحين",
    "twelve",
    "twenty-five",
    "a",
    "hundred",
    "dozens",
]
_PREFIXES = ("", "و", "ب", "ال", "وال", "بال", "ف", "ل")
_OTHER = ("قتل", "في", "غزة", "سنة", "ستة", "سبعين", "سبعة", "text", "-", "،", "/", "(", "5", "٣")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(_PREFIXES),
            st.sampled_from((*_NUMBER_WORDS, *_OTHER)),
            st.sampled_from((" ", "  ", "، ", "/", "-", "", "\n", ". ")),
        ),
        max_size=12,
    )
)
def test_skipping_the_word_patterns_a_text_cannot_match_changes_nothing(
    parts: list[tuple[str, str, str]],
) -> None:
    """numbers() runs an Arabic word pattern only when a word it can start with is in the
    text; on any text that gives what running every pattern gives."""
    shadow = Shadow("".join(p + w + s for p, w, s in parts)).text
    assert numbers(shadow) == numbers(shadow, every_pattern=True)
