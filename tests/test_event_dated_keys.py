"""Pairs of a library of one beat (issue 13): above ALL_PAIRS_UP_TO articles, pairs are looked
for through features few articles share, and in a library about one war every name is more
common than that. A name with the days it was reported (pairs.dated_keys) is not: two
reports of one event, in English and Arabic, naming only the beat's names, are found and
grouped, from scratch and when one of them arrives in an update."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from reader.core.config import load_config
from reader.core.events.grouping import ALL_PAIRS_UP_TO, group_events
from reader.core.events.pairs import DATED_DAYS, DATED_NAMES, dated_keys
from reader.core.library import Library
from reader.core.names.gazetteer import load_gazetteer
from reader.core.sources.article import Article
from tests.conftest import write_config

GAZETTEER = load_gazetteer()
DAY = date(2020, 5, 18)
COMMON = "Haftar's forces and the militias of Misrata met again near Sirte and Tripoli."
EVENT_EN = "Haftar's forces shelled Misrata and Sirte from the outskirts of Tripoli."
EVENT_AR = "قصفت قوات حفتر مصراتة وسرت من ضواحي طرابلس."
# The same day's other news: each names one place only, so the day is stated by six articles
# (a date fact of six is no pair by itself).
SAME_DAY = ("Tunis", "Algeria", "Chad", "Qatar")


def _library_articles() -> list[Article]:
    """Some 250 reports of one beat, 20 days apart (none shares a week with another), all
    naming the same four names; four other reports of the event's day."""
    beat = [
        Article(
            f"beat-{n:03d}",
            "t",
            f"{COMMON} Report {n}.",
            "en",
            published=DAY + timedelta(days=20 * (n + 1)),
        )
        for n in range(240)
    ]
    other = [
        Article(f"day-{place.lower()}", "t", f"Officials in {place} spoke.", "en", published=DAY)
        for place in SAME_DAY
    ]
    return beat + other


def test_dated_keys_are_a_name_and_its_window_on_two_grids() -> None:
    df = {"haftar": 300, "misrata": 200, "sirte": 100, "tripoli": 400, "jufra": 60, "watiya": 5}
    keys = dated_keys(df, [DAY], df, cap=50)
    # The DATED_NAMES rarest of the names above the cap, each on two grids.
    names = {k.split("@")[0] for k in keys}
    assert names == set(sorted(df, key=lambda k: df[k])[1 : 1 + DATED_NAMES]) - {"watiya"}
    assert len(keys) == 2 * DATED_NAMES
    # Two days less than half a window apart share a window on one grid at least.
    near = dated_keys(df, [DAY + timedelta(days=DATED_DAYS // 2 - 1)], df, cap=50)
    assert keys & near
    far = dated_keys(df, [DAY + timedelta(days=2 * DATED_DAYS)], df, cap=50)
    assert not keys & far
    assert dated_keys(df, [], df, cap=50) == frozenset()  # undated: none


def test_an_event_told_only_with_the_beat_s_names_is_grouped_in_a_large_library() -> None:
    articles = _library_articles()
    articles += [
        Article("event-en", "t", EVENT_EN, "en", published=DAY),
        Article("event-ar", "t", EVENT_AR, "ar", published=DAY),
    ]
    assert len(articles) > ALL_PAIRS_UP_TO
    events = group_events(articles, GAZETTEER)
    event = next(e for e in events if "event-en" in e.article_ids)
    assert event.article_ids == ("event-ar", "event-en")
    # The beat's other reports, weeks apart, stay apart.
    assert all(len(e.article_ids) == 1 for e in events if e is not event)


def test_an_update_finds_the_report_of_the_same_event(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()

    def write(article: Article) -> None:
        (corpus / f"{article.id}.txt").write_text(
            f"{article.title}\n{article.body}\n", encoding="utf-8"
        )
        (corpus / f"{article.id}.toml").write_text(
            f'lang = "{article.lang}"\npublished = "{article.published}"\n', encoding="utf-8"
        )

    for article in [*_library_articles(), Article("event-en", "t", EVENT_EN, "en", published=DAY)]:
        write(article)
    config = load_config(write_config(tmp_path))
    with Library(config) as library:
        library.update()
        assert library.event_of("event-en").article_ids == ("event-en",)
        write(Article("event-ar", "t", EVENT_AR, "ar", published=DAY))
        library.update()  # an update: the new report placed among the events kept
        assert library.event_of("event-ar").article_ids == ("event-ar", "event-en")
