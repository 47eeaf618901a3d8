"""Denials against confirmations, "no fighting" against "a fierce battle": yes-or-no statements
compared across articles and languages. Every sentence here was written for this test."""

from __future__ import annotations

from reader.core.events.divergences import find_divergences
from reader.core.events.predicates import find_predicates
from reader.core.names.gazetteer import load_gazetteer
from reader.core.sources.article import Article

GAZETTEER = load_gazetteer()


def test_denials_confirmations_and_fighting_are_found_in_both_languages() -> None:
    cases = {
        "Turkey denied sending troops to Misrata.": [("stance", -1.0, "denied")],
        "أكدت تركيا إرسال جنود إلى مصراتة.": [("stance", 1.0, "أكدت")],
        "نفى الجيش استهداف المطار.": [("stance", -1.0, "نفى")],
        "لم تُسجل أي اشتباكات في القاعدة.": [("fighting", -1.0, "لم تُسجل أي اشتباكات")],
        "There was no recorded fighting at the base.": [("fighting", -1.0, "no recorded fighting")],
        "They took the base after a fierce battle.": [("fighting", 1.0, "a fierce battle")],
        "There was no heavy fighting.": [("fighting", -1.0, "no heavy fighting")],
        "Shelling on Sirte killed 12 people on Sunday.": [],
        "The confirmation hearing was postponed.": [],  # a word that starts like one
    }
    for text, expected in cases.items():
        found = find_predicates(text)
        assert [(f.unit, f.value, f.text) for f in found] == expected, text
        assert all(text[f.start : f.end] == f.text for f in found)


def predicate_statuses(a: str, lang_a: str, b: str, lang_b: str) -> list[str]:
    articles = [Article("a", "t", a, lang_a), Article("b", "t", b, lang_b)]
    return [d.status for d in find_divergences(articles, GAZETTEER) if d.kind == "predicate"]


def test_a_denial_against_a_confirmation_is_a_conflict() -> None:
    assert predicate_statuses(
        "Turkey denied sending troops to Misrata.", "en", "أكدت تركيا إرسال جنود إلى مصراتة.", "ar"
    ) == ["conflict"]
    assert predicate_statuses(
        "The LNA denied targeting Mitiga airport.",
        "en",
        "نفى الجيش الوطني الليبي استهداف مطار معيتيقة.",
        "ar",
    ) == ["shared"]


def test_no_fighting_against_a_battle_is_a_conflict_and_two_battles_are_nothing() -> None:
    assert predicate_statuses(
        "There was no recorded fighting at al-Watiya air base on Sunday.",
        "en",
        "سيطرت قوات الوفاق على قاعدة الوطية بعد معركة عنيفة يوم الأحد.",
        "ar",
    ) == ["conflict"]
    assert (
        predicate_statuses(
            "Heavy fighting was reported at al-Watiya air base.",
            "en",
            "There was fierce fighting at al-Watiya air base on Sunday.",
            "en",
        )
        == []
    )


def test_a_denial_in_one_article_only_is_not_listed() -> None:
    assert (
        predicate_statuses(
            "Turkey denied sending troops to Misrata.",
            "en",
            "Shelling hit Misrata on Sunday.",
            "en",
        )
        == []
    )
