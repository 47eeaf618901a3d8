"""How two statements of one fact stand: the same, different but both possible, or
contradicting each other; and which statements of two articles are compared at all.

Every sentence here was written for this test."""

from __future__ import annotations

import itertools

import pytest

from reader.core.events.divergences import STATUSES, find_divergences
from reader.core.events.fact_relation import COMPATIBLE, EXCLUSIVE, SAME, relation
from reader.core.events.facts import Fact, find_facts
from reader.core.names.gazetteer import load_gazetteer
from reader.core.sources.article import Article

GAZETTEER = load_gazetteer()


def fact(text: str) -> Fact:
    found = [f for f in find_facts(text) if f.kind != "date" or "-" in f.label]
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("12 people were killed", "15 people were killed", EXCLUSIVE),
        ("at least 12 people were killed", "at least 14 people were killed", COMPATIBLE),
        ("12 people were killed", "at least 12 people were killed", COMPATIBLE),
        ("30 people were wounded", "more than 30 people were wounded", EXCLUSIVE),
        ("up to 20 people were killed", "25 people were killed", EXCLUSIVE),
        ("nearly 100 people were killed", "more than 100 people were killed", EXCLUSIVE),
        ("about 200 people were killed", "150 people were killed", EXCLUSIVE),
        ("more than 30 people were killed", "more than 40 people were killed", COMPATIBLE),
        ("about 130 km west of Sirte", "140 km west of Sirte", COMPATIBLE),
        ("87 miles west of Sirte", "140 km west of Sirte", SAME),
        ("50 miles east of Misrata", "80 km east of Misrata", SAME),
        ("about 60 people were killed", "nearly 60 people were killed", SAME),
        ("dozens of people were killed", "40 people were killed", COMPATIBLE),
        ("on 3 March 2020", "on 4 March 2020", EXCLUSIVE),
        ("in March 2020", "on 4 March 2020", SAME),
    ],
)
def test_how_two_statements_stand(a: str, b: str, expected: str) -> None:
    assert relation(fact(a), fact(b)) == expected
    assert relation(fact(b), fact(a)) == expected


def test_two_different_figures_are_never_the_same() -> None:
    # Every pairing of these figures and qualifiers, both ways round.
    qualifiers = ["", "at least ", "more than ", "about ", "nearly ", "up to ", "less than "]
    figures = [8, 9, 12, 13, 15, 100, 101, 140]
    statements = [f"{q}{n} people were killed" for q in qualifiers for n in figures]
    for a, b in itertools.permutations(statements, 2):
        fa, fb = fact(a), fact(b)
        if fa.value != fb.value:
            assert relation(fa, fb) != SAME, (a, b)


def statuses(a: str, b: str, kind: str, lang_b: str = "en") -> list[str]:
    found = find_divergences([Article("a", "t", a, "en"), Article("b", "t", b, lang_b)], GAZETTEER)
    return [d.status for d in found if d.kind == kind]


def test_the_only_figure_of_its_kind_in_each_article_is_compared() -> None:
    # No place named: one damage estimate each is the same estimate, disputed.
    assert statuses(
        "Damage to the port is estimated at $20 million.",
        "The damage was put at $25 million by the authority.",
        "money",
    ) == ["conflict"]
    # Two estimates in one article: which one is meant is not known, so none is paired.
    assert statuses(
        "Damage to the port is estimated at $20 million. Repairs will cost $5 million.",
        "The damage was put at $25 million by the authority.",
        "money",
    ) == ["only", "only", "only"]


def test_the_same_day_for_two_towns_is_two_facts() -> None:
    # Bani Walid is not in the gazetteer: its name, capitalised, still tells the towns apart.
    assert statuses(
        "Forces entered Tarhuna on June 5, the GNA said.",
        "Forces entered Bani Walid on June 5, local officials said.",
        "date",
    ) == ["only", "only"]


def test_a_name_the_gazetteer_does_not_know_ties_facts_across_scripts() -> None:
    # Seen on real coverage: the same day (and toll) in the leads, each article giving another
    # date too, and no name the gazetteer knows: the Arabic sentence spells the English one's
    # name (Zubaidi / الزبيدي), so the two are one fact.
    english = (
        "Five people were killed when the Zubaidi family home was hit on April 10, 2024."
        "\n\nThe area had been struck before, on November 21, 2023."
    )
    arabic = (
        "قتل خمسة أشخاص في قصف منزل عائلة الزبيدي يوم 10 أبريل 2024."
        "\n\nوكانت المنطقة قد تعرضت لقصف سابق في 21 نوفمبر 2023."
    )
    found = find_divergences(
        [Article("a", "t", english, "en"), Article("b", "t", arabic, "ar")], GAZETTEER
    )
    shared = [d for d in found if d.kind == "date" and d.status == "shared"]
    assert [[r.value for r in d.refs] for d in shared] == [["10 April 2024", "10 April 2024"]]
    # Another name in the Arabic sentence: nothing ties the two, no date is paired.
    other = arabic.replace("الزبيدي", "المصراتي")
    assert statuses(english, other, "date", "ar") == ["only"] * 4


def test_statuses_are_listed_conflicts_first_then_differences() -> None:
    found = find_divergences(
        [
            Article(
                "a", "t", "Shelling in Sirte killed 12 people. At least 30 were wounded.", "en"
            ),
            Article(
                "b", "t", "Shelling in Sirte killed 15 people. At least 35 were wounded.", "en"
            ),
        ],
        GAZETTEER,
    )
    facts = [d for d in found if d.kind != "entity"]
    assert [d.status for d in facts] == ["conflict", "differ"]
    order = [STATUSES.index(d.status) for d in found]
    assert order == sorted(order)
    assert "contradicts" in facts[0].description and "differs" in facts[1].description


def test_an_operation_named_in_other_words_is_one_entity() -> None:
    # Outlets translate "Burkan al-Ghadab" word by word or not at all.
    names = ["Volcano of Rage", "Anger Volcano", "Burkan al-Ghadhab"]
    articles = [
        Article(str(i), "t", f"{n} forces advanced on Friday.", "en") for i, n in enumerate(names)
    ]
    articles.append(Article("ar", "t", "تقدمت قوات بركان الغضب يوم الجمعة.", "ar"))
    found = [d for d in find_divergences(articles, GAZETTEER) if d.kind == "entity"]
    assert [(d.status, len(d.refs)) for d in found] == [("shared", 4)]


def test_dates_of_background_paragraphs_are_not_compared() -> None:
    # Seeds 000 and 002 (two long English pieces on the 2020 retreat) give background dates in
    # paragraphs about other things (Gharyan fell in July 2019; the offensive began on 4 April
    # 2019): sharing Haftar and Tripoli, they were reported as contradicting each other.
    from tests.test_corpus import SEEDS, read_all

    found, _skipped = read_all(SEEDS)
    articles = [found["000_7b206ec7414ebb17"], found["002_21aad2d8e00821f2"]]
    assert all(isinstance(a, Article) for a in articles)
    divergences = find_divergences(articles, GAZETTEER)  # type: ignore[arg-type]
    assert [d.description for d in divergences if d.status in ("conflict", "differ")] == []
    assert any(d.status == "shared" for d in divergences)


def test_the_places_and_outlets_of_a_dateline_are_not_the_storys() -> None:
    english = Article(
        "en",
        "t",
        "TRIPOLI, May 18 (Reuters) - Shelling on Sirte killed 12 people on Sunday.",
        "en",
    )
    arabic = Article("ar", "t", "قُتل 15 شخصاً في قصف على مدينة سرت يوم الأحد.", "ar")
    found = find_divergences([english, arabic], GAZETTEER)
    killed = [d for d in found if d.kind == "killed"]
    assert [d.status for d in killed] == ["conflict"]
    assert "Tripoli" not in killed[0].description
    assert all(d.refs[0].value != "Tripoli" for d in found if d.kind == "entity")


@pytest.mark.parametrize(
    ("sentence", "total"),
    [
        # Seen on real coverage: one person named on top of a group is counted with it.
        ("Six aid workers and a driver were killed.", 7),
        ("Four international aid workers and their Palestinian driver were killed.", 5),
        ("An airstrike killed four international aid workers and their Palestinian driver.", 5),
        ("قتل ستة من عمال الإغاثة الدوليين وسائق فلسطيني في الغارة", 7),
        ("أربعة عمّال إغاثة أجانب قتلوا مع سائقهم", 5),
        ("at least 6 workers and their driver were killed", 7),
        # Not a companion: another clause, another role, another figure, a thing.
        ("The strike killed 4 people and wounded a driver.", 4),
        ("killed 5 people with a bomb", 5),
        ("قتل 3 من أبناء هنية وطفلا", 3),
        ("killed 12 people. And their driver escaped.", 12),
    ],
)
def test_a_companion_named_on_top_of_a_figure_is_counted(sentence: str, total: int) -> None:
    killed = [f for f in find_facts(sentence) if f.kind == "killed"]
    assert killed[0].low == total


def test_a_group_and_its_companion_agree_with_their_sum() -> None:
    # "six workers and a driver" and "seven people" agree; "four and their driver" (five)
    # contradicts seven.
    assert statuses(
        "Six aid workers and a Palestinian driver were killed in the strike.",
        "The strike killed seven people, the ministry said.",
        "killed",
    ) == ["shared"]
    assert statuses(
        "The strike killed four aid workers and their driver.",
        "قتل سبعة من عمال الإغاثة في الغارة.",
        "killed",
        "ar",
    ) == ["conflict"]
