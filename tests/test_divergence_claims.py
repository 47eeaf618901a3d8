"""Main claims, running totals and parts of a group (reader/core/events/claims.py): which
figures of people the comparison sets against each other.

Every sentence here was written for this test, in the manner of what real English and Arabic
reports of one incident were seen to do: give the toll in their lead and go on in other orders
(their paragraphs do not align), quote a running total since a war began, or count part of the
dead ("three of his sons")."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.events.claims import PART, lead_end, scope_of
from reader.core.events.divergences import find_divergences
from reader.core.events.facts import find_facts
from reader.core.events.lexicon import LexiconError, default_lexicon, read_lexicon
from reader.core.names.gazetteer import load_gazetteer
from reader.core.sources.article import Article

GAZETTEER = load_gazetteer()

ENGLISH_REPORT = "\n".join(
    (
        "An air strike on an aid convoy killed five aid workers on a coastal road on Monday,"
        " 40 km from the port, the charity said.",
        "The convoy had left Misrata at dawn with 30 trucks of flour for the camps.",
        "The charity said it had suspended its work in the region until further notice.",
    )
)
ARABIC_REPORT = "\n".join(
    (
        "علّقت المنظمة الخيرية عملها في المنطقة حتى إشعار آخر.",
        "وكانت القافلة قد انطلقت من مصراتة فجراً محملة بالطحين.",
        "وقُتل سبعة من عمال الإغاثة في الغارة التي استهدفت القافلة.",
    )
)


def killed(a: str, b: str, lang_b: str = "ar", kind: str = "killed") -> list[str]:
    found = find_divergences([Article("a", "t", a, "en"), Article("b", "t", b, lang_b)], GAZETTEER)
    return [f"{d.status} {' / '.join(r.value for r in d.refs)}" for d in found if d.kind == kind]


def test_the_tolls_of_two_leads_are_compared_when_their_paragraphs_do_not_align() -> None:
    # The English lead and the Arabic third paragraph give the convoy's toll: 5 / 7.
    assert killed(ENGLISH_REPORT, ARABIC_REPORT) == ["conflict 5 killed / 7 killed"]


def test_a_later_sentence_of_the_lead_is_not_its_toll() -> None:
    # The second sentence gives one province's injured, not the quake's: not compared with the
    # other report's lead, which gives the whole.
    english = "\n".join(
        (
            "The earthquake killed at least 127 people across the region, officials said.",
            "In the northern province alone, 182 people were injured, the governor said.",
            "Rescuers worked through the night in freezing temperatures.",
        )
    )
    arabic = "\n".join(
        (
            "ضرب الزلزال المنطقة ليلاً وسط درجات حرارة متدنية.",
            "وأسفر الزلزال عن مقتل 127 شخصا على الأقل وإصابة 220 آخرين، بحسب المسؤولين.",
        )
    )
    assert killed(english, arabic) == ["shared at least 127 killed / at least 127 killed"]
    assert sorted(killed(english, arabic, kind="wounded")) == [
        "only 182 wounded",
        "only 220 wounded",
    ]


def test_two_leads_far_apart_are_not_one_toll() -> None:
    # 12 and 400 killed: not one incident's toll told twice (400 is more than four times 12).
    english = "A strike on the market killed 12 people on Monday.\nThe market had reopened."
    arabic = "افتتح السوق من جديد.\nوقتل 400 شخص في المعارك التي شهدتها المدينة."
    assert sorted(killed(english, arabic)) == ["only 12 killed", "only 400 killed"]


@pytest.mark.parametrize(
    ("incident", "total", "lang"),
    [
        (
            "The strike on Tarhuna killed 12 people, medics said.",
            "ارتفعت حصيلة القتلى في ترهونة منذ بدء الحرب إلى 350.",
            "ar",
        ),
        (
            "The strike on Tarhuna killed 12 people, medics said.",
            "More than 350 people have been killed in Tarhuna since the war began, medics said.",
            "en",
        ),
        (
            "The strike on Tarhuna killed 12 people, medics said.",
            "Since October, 350 people have been killed in Tarhuna, medics said.",
            "en",
        ),
    ],
)
def test_a_running_total_is_not_compared_with_one_incidents_toll(
    incident: str, total: str, lang: str
) -> None:
    found = killed(incident, total, lang)
    assert len(found) == 2 and all(row.startswith("only ") for row in found), found


def test_running_totals_are_compared_with_each_other() -> None:
    english = "More than 350 people have been killed in Tarhuna since the war began."
    arabic = "قتل 300 شخص في ترهونة منذ بدء الحرب."
    assert killed(english, arabic) == ["conflict more than 350 killed / 300 killed"]


@pytest.mark.parametrize(
    ("a", "b", "lang", "expected"),
    [
        # A part and the whole: both can be true, never a contradiction...
        (
            "Three of the mayor's sons were killed in the strike on Zliten.",
            "The strike on Zliten killed three sons and three grandchildren of the mayor.",
            "en",
            "differ 3 killed / 6 killed",
        ),
        (
            "Four international aid workers were killed in the strike.",
            "قتل ستة أشخاص في الغارة.",
            "ar",
            "differ 4 killed / 6 killed",
        ),
        # ... and never an agreement: three children are not said to be all the dead.
        (
            "Three children were killed in the strike on Zliten.",
            "The strike on Zliten killed three people.",
            "en",
            "differ 3 killed / 3 killed",
        ),
        # The same part in both: compared as any two figures.
        (
            "Three of the mayor's sons were killed in the strike on Zliten.",
            "قتل 4 من أبناء رئيس البلدية في الغارة على زليتن.",
            "ar",
            "conflict 3 killed / 4 killed",
        ),
        # A sum of parts, or a group with its companion, is a whole.
        (
            "The strike killed four international aid workers and their driver.",
            "قتل خمسة أشخاص في الغارة.",
            "ar",
            "shared 5 killed / 5 killed",
        ),
        (
            "The strike killed three sons and four grandchildren of the mayor.",
            "The strike killed seven people, the ministry said.",
            "en",
            "shared 7 killed / 7 killed",
        ),
    ],
)
def test_a_part_of_a_group_against_the_whole(a: str, b: str, lang: str, expected: str) -> None:
    assert killed(a, b, lang) == [expected]


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Three of Haniyeh's sons were killed.", "son"),
        ("قتل 3 من أبناء هنية.", "son"),
        ("قتل 4 من أحفاده في الغارة.", "grandchild"),
        ("قتل أربعة عمال إغاثة أجانب.", "foreigner"),
        ("Seven people were killed, including 5 killed in the market.", PART),
        ("Seven people were killed in the market.", ""),
        ("قتل 3 من أبناء هنية و4 من أحفاده.", ""),  # a sum: the whole
        ("An airstrike killed five people, including four aid workers.", ""),  # five: whole
    ],
)
def test_the_part_a_figure_counts(text: str, part: str) -> None:
    facts = [f for f in find_facts(text) if f.unit == "people"]
    scopes = scope_of(text, facts, [(0, len(text))] * len(facts), [(0, len(text))])
    assert scopes[-1].part == part  # the last figure of people


def test_a_running_total_and_the_lead_sentence() -> None:
    text = "\n".join(
        (
            "Some 44,000 people have been killed since October 7, the ministry said.",
            "A strike on a school killed 9 people and wounded 20, medics said.",
            "Later, 3 more people were killed nearby.",
        )
    )
    facts = find_facts(text)
    spans = [(0, 71), (72, 137), (138, len(text))]
    sentences = [next(s for s in spans if s[0] <= f.start < s[1]) for f in facts]
    scopes = scope_of(text, facts, sentences, spans)
    table = {f.label: (s.cumulative, s.main) for f, s in zip(facts, scopes, strict=True)}
    assert table["about 44,000 killed"] == (True, False)
    assert table["9 killed"] == (False, True)
    assert table["20 wounded"] == (False, True)
    assert table["3 killed"] == (False, False)  # another sentence: not the lead's toll


def test_the_lead_is_whole_paragraphs() -> None:
    assert lead_end([(0, 600), (601, 1200), (1201, 1500)]) == 1200
    assert lead_end([(0, 10), (11, 20)]) == 20
    assert lead_end([]) == 0


def test_a_user_lexicon_adds_cues_and_parts(tmp_path: Path) -> None:
    path = tmp_path / "words.toml"
    path.write_text(
        'cumulative = ["since the siege began"]\npart_markers = ["of whom"]\n'
        '[parts]\nnephew = ["nephews", "أبناء أخيه"]\n',
        encoding="utf-8",
    )
    lexicon = default_lexicon().merged(read_lexicon(path))
    assert "since the siege began" in lexicon.cumulative
    assert dict(lexicon.parts)["nephew"] == ("nephews", "ابناء اخيه")
    text = "Two of his nephews were killed. 90 were killed since the siege began."
    facts = find_facts(text, lexicon)
    scopes = scope_of(text, facts, [(0, 31), (32, len(text))], [(0, len(text))], lexicon)
    assert [(s.part, s.cumulative) for s in scopes] == [("nephew", False), ("", True)]


def test_a_part_with_a_name_that_is_not_english_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "words.toml"
    path.write_text('[parts]\n"أبناء" = ["أبناء"]\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"words\.toml:2: parts: .* English name"):
        read_lexicon(path)


def test_the_leads_tolls_are_paired_before_a_related_storys_headline() -> None:
    # A related story's headline further down gives the figure the Arabic report gives; the
    # two leads' tolls (7 / 5) are what the reports claim, and they contradict each other.
    english = "\n".join(
        (
            "Seven aid workers were killed in the strike on the convoy, the charity said.",
            "The charity suspended its work in the region.",
            "Related: Five workers with the charity killed in strike, group says",
        )
    )
    arabic = "\n".join(
        (
            "علقت المنظمة عملها في المنطقة.",
            "وقالت الوزارة إن خمسة شهداء وصلوا إلى المستشفى بعد الغارة على القافلة، بحسب المنظمة.",
        )
    )
    assert killed(english, arabic) == ["conflict 7 killed / 5 killed", "only 5 killed"]


def test_a_lead_that_counts_part_of_the_dead_is_not_set_against_a_whole() -> None:
    # The Arabic lead counts the charity's staff among the dead (3); its next sentence gives
    # all the dead (5, "among them 3 of its staff"), which the English report gives too.
    english = "Officials said five people were killed in the strike on Saturday.\nWork stopped."
    arabic = "\n".join(
        (
            "أدت الغارة إلى استشهاد 3 من موظفي المنظمة.",
            "وأفاد مصدر طبي باستشهاد 5 فلسطينيين بينهم 3 من موظفي المنظمة في الغارة.",
        )
    )
    assert killed(english, arabic) == ["only 3 killed", "shared 5 killed / 5 killed"]


@pytest.mark.parametrize(
    "text",
    [
        "استشهد 5 فلسطينيين بينهم 3 من موظفي المنظمة.",
        "Five people among them 3 children were killed in the strike.",
    ],
)
def test_a_whole_is_not_the_part_named_after_it(text: str) -> None:
    facts = [f for f in find_facts(text) if f.unit == "people"]
    scopes = scope_of(text, facts, [(0, len(text))] * len(facts), [(0, len(text))])
    assert facts[0].value == 5 and scopes[0].part == ""


def test_tolls_of_two_places_the_gazetteer_does_not_know_are_two_facts() -> None:
    # One province's toll and another's (names the gazetteer does not know): not one toll.
    english = "In Tal Nura, 113 people were killed as of Tuesday afternoon, officials said."
    other = "A further 14 people died in Wadi Sama, state media reported."
    assert sorted(killed(english, other, "en")) == ["only 113 killed", "only 14 killed"]
    # The same place named in both: compared.
    same = "A further 14 people died in Tal Nura, state media reported."
    assert killed(english, same, "en") == ["conflict 113 killed / 14 killed"]
