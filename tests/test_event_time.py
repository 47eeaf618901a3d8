"""Time in the event similarity: publication dates, datelines and dates written in the text,
resolved to days, lower the score of articles days apart, never raise it past the rest."""

from __future__ import annotations

from datetime import date

from reader.core.events.facts import find_facts
from reader.core.events.grouping import Similarity, group_events, profile
from reader.core.events.similarity import SAME_LANGUAGE
from reader.core.names.gazetteer import load_gazetteer
from reader.core.sources.article import Article

GAZETTEER = load_gazetteer()
BODY = "Haftar's forces and the GNA fought near Watiya and Tarhuna, Gnunu said."


def en(article_id: str, dateline: str, published: date | None = None) -> Article:
    return Article(article_id, "Watiya", f"{dateline} {BODY}", "en", published=published)


def test_datelines_date_articles_without_metadata() -> None:
    may = en("may", "TRIPOLI, May 18, 2020 (Reuters) -")
    july = en("july", "TRIPOLI, July 5, 2020 (Reuters) -")
    same = en("same", "TRIPOLI, May 19, 2020 (Reuters) -")
    similarity = Similarity([profile(a, GAZETTEER) for a in (may, july, same)])
    apart, close = similarity.score("may", "july"), similarity.score("may", "same")
    assert apart.days == 48 and close.days == 1
    assert apart.date_factor < 0.2 and close.date_factor == 1.0
    assert apart.score < close.score / 4
    events = group_events([may, july, same], GAZETTEER)
    assert sorted(e.article_ids for e in events) == [("july",), ("may", "same")]


def test_a_date_without_year_takes_the_year_nearest_the_publication() -> None:
    late = en("late", "TRIPOLI, Dec 30 (Reuters) -", published=date(2021, 1, 2))
    assert profile(late, GAZETTEER).dates == frozenset({date(2020, 12, 30)})
    assert profile(late, GAZETTEER).when == frozenset({date(2021, 1, 2), date(2020, 12, 30)})


def test_a_date_without_any_year_is_compared_by_month_and_day() -> None:
    may = en("may", "TRIPOLI, May 18 (Reuters) -")
    july = en("july", "TRIPOLI, July 5 (Reuters) -")
    dated = en("dated", "TRIPOLI -", published=date(2020, 5, 18))
    similarity = Similarity([profile(a, GAZETTEER) for a in (may, july, dated)])
    assert similarity.score("may", "july").days == 48
    assert similarity.score("july", "dated").days == 48
    assert similarity.score("may", "dated").days == 0


def test_time_never_raises_a_score_and_undated_articles_are_not_penalised() -> None:
    plain = [Article(x, "Watiya", BODY, "en") for x in "ab"]
    undated = Similarity([profile(a, GAZETTEER) for a in plain]).score("a", "b")
    dated = [en(x, "TRIPOLI, May 18, 2020 (Reuters) -") for x in "ab"]
    same_day = Similarity([profile(a, GAZETTEER) for a in dated]).score("a", "b")
    assert undated.date_factor == 1.0 and undated.days is None
    assert same_day.date_factor == 1.0
    apart = [en("a", "May 18, 2020 -"), en("b", "June 30, 2020 -")]
    far = Similarity([profile(a, GAZETTEER) for a in apart]).score("a", "b")
    w = SAME_LANGUAGE
    assert (
        far.score <= w["entities"] * far.entities + w["terms"] * far.terms + w["facts"] * far.facts
    )
    assert far.score < undated.score


def test_english_and_arabic_dates_are_one_fact() -> None:
    english = Article(
        "en",
        "Watiya",
        "TRIPOLI, May 18 (Reuters) - GNA forces took Watiya, 140 km away.",
        "en",
        published=date(2020, 5, 18),
    )
    arabic = Article(
        "ar", "الوطية", "طرابلس - 18 مايو 2020\nسيطرت قوات الوفاق على قاعدة الوطية.", "ar"
    )
    similarity = Similarity([profile(a, GAZETTEER) for a in (english, arabic)])
    assert "date:2020-05-18" in similarity.profiles["en"].facts & similarity.profiles["ar"].facts
    assert similarity.score("en", "ar").facts > 0


def test_abbreviated_months_with_a_dot_are_dates() -> None:
    labels = [
        f.label
        for f in find_facts("Officials said on Aug. 21, 2020 and Sept. 3 that")
        if f.kind == "date"
    ]
    assert labels == ["2020-08-21", "--09-03"]
    assert [
        f.label for f in find_facts("It ended in May. 18 people died.") if f.kind == "date"
    ] == []


def test_a_date_without_year_months_ahead_is_read_in_the_past() -> None:
    # Real war coverage keeps naming the day the war began ("since October 7") months later;
    # read as the coming October, it made stories of April, August and December share a day.
    april = Article(
        "april",
        "Strike on a car",
        "GAZA - A strike hit a car on Wednesday. More than 33,000 people have been killed "
        "since the start of the war on 7 October, the ministry said.",
        "en",
        published=date(2024, 4, 10),
    )
    assert date(2023, 10, 7) in profile(april, GAZETTEER).dates
    assert date(2024, 10, 7) not in profile(april, GAZETTEER).dates
    # A day a few weeks ahead is still read ahead: "the vote on December 24".
    vote = Article(
        "vote",
        "Vote",
        "The vote is set for December 24, officials said.",
        "en",
        published=date(2021, 11, 20),
    )
    assert profile(vote, GAZETTEER).dates == frozenset({date(2021, 12, 24)})


def test_an_older_date_in_a_photo_caption_does_not_date_the_story() -> None:
    # The caption before a Reuters story named an old meeting first, then the day it reports.
    caption = Article(
        "caption",
        "Leader killed",
        "The leader waves as he attends a meeting in Beirut on Sept 3, 2020. He was killed in "
        "Tehran on July 31, 2024. (Photo: Reuters)\nCAIRO - The leader was killed on Wednesday.",
        "en",
    )
    assert profile(caption, GAZETTEER).when == frozenset({date(2024, 7, 31)})


def test_undated_articles_do_not_bridge_two_stories_months_apart() -> None:
    # Real coverage of a charity's convoy hit in April and of its car hit in November: the
    # Arabic copies carry no date, match both stories on names, and joined them into one.
    def story(article_id: str, lang: str, text: str, published: date | None) -> Article:
        return Article(article_id, text.split(".")[0], text, lang, published=published)

    en_text = (
        "A Libyan Red Crescent car was hit in Misrata, killing its staff, the United Nations "
        "said. The Red Crescent paused its work in Misrata."
    )
    ar_text = (
        "قتل عاملون في الهلال الأحمر الليبي بقصف سيارة في مصراتة، وقالت الأمم المتحدة إن "
        "الهلال الأحمر الليبي علق عمله في مصراتة."
    )
    april = [story(f"apr-{n}", "en", en_text, date(2020, 4, 2)) for n in range(3)]
    november = [story(f"nov-{n}", "en", en_text, date(2020, 11, 30)) for n in range(3)]
    undated = [story(f"ar-{n}", "ar", ar_text, None) for n in range(4)]
    events = group_events([*april, *november, *undated], GAZETTEER)
    found = {a: e.id for e in events for a in e.article_ids}
    assert len({found[a.id] for a in april}) == 1
    assert len({found[a.id] for a in november}) == 1
    assert found["apr-0"] != found["nov-0"]


def test_a_fact_many_articles_state_counts_less() -> None:
    from reader.core.events.similarity import fact_rarity, facts_part

    # The coverage of one event (up to ten articles) states its figures: fully telling.
    assert fact_rarity(2, 60) == fact_rarity(10, 60) == 1.0
    # A figure a third of the library gives ("5 killed") may be a coincidence across events.
    assert fact_rarity(11, 60) < 1.0 and fact_rarity(30, 60) < 0.5
    # In a small set (a comparison of two articles) a shared fact is telling.
    assert fact_rarity(2, 2) == 1.0
    assert facts_part([]) == 0.0
    assert facts_part([1.0]) == 0.5 and facts_part([1.0, 1.0]) == 0.75
    assert facts_part([0.4]) < facts_part([1.0])
    assert facts_part([0.3, 0.9]) == facts_part([0.9, 0.3])  # order never changes the float
