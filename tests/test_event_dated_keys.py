"""Pairs of a library of one beat (issue 13): above ALL_PAIRS_UP_TO articles, pairs are looked
for through features few articles share, and in a library about one war every name is more
common than that. A name with the days it was reported (pairs.dated_keys) is not: two
reports of one event, in English and Arabic, naming only the beat's names, are found and
grouped, from scratch and when one of them arrives in an update; and so are they when the
beat's names are none the gazetteer knows (a beat outside its world: Sudan's war with the
built-in gazetteer of Libya's), matched across scripts by transliteration."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.events.features import profile
from reader.core.events.grouping import ALL_PAIRS_UP_TO, group_events
from reader.core.events.pairs import DATED_DAYS, DATED_NAMES, dated_keys
from reader.core.events.similarity import Similarity
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


# A beat the built-in gazetteer (Libya's) knows no name of: every report names its four
# places, a quarter of them a camp too (in 60 of 246 articles: more than the candidate search
# looks at, and rare enough to tell the event's two reports alike).
SUDAN = "The fighting reached Omdurman and Khartoum as the militias moved from Fasher to Tawila."
CAMP = " Shells hit Zamzam camp again."
SUDAN_EN = "Drones struck Zamzam camp near Fasher and shells fell on Tawila."
SUDAN_AR = "ضربت مسيرات مخيم زمزم قرب الفاشر وسقطت قذائف على طويلة."


def _library_articles(common: str = COMMON, often: str = "") -> list[Article]:
    """Some 250 reports of one beat, 20 days apart (none shares a week with another), all
    naming the same four names (``common``), the first 60 of them ``often`` as well; four
    other reports of the event's day."""
    beat = [
        Article(
            f"beat-{n:03d}",
            "t",
            f"{common}{often if n < 60 else ''} Report {n}.",
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
    df = {"haftar": 300, "misrata": 200, "sirte": 100, "tripoli": 400, "jufra": 60}
    common = [(count, key) for key, count in df.items()]
    keys = dated_keys(common, [DAY])
    # The DATED_NAMES rarest of the article's common names, each on two grids.
    names = {k.split("@")[0] for k in keys}
    assert names == set(sorted(df, key=lambda k: df[k])[:DATED_NAMES])
    assert len(keys) == 2 * DATED_NAMES
    # Two days less than half a window apart share a window on one grid at least.
    near = dated_keys(common, [DAY + timedelta(days=DATED_DAYS // 2 - 1)])
    assert set(keys) & set(near)
    far = dated_keys(common, [DAY + timedelta(days=2 * DATED_DAYS)])
    assert not set(keys) & set(far)
    assert dated_keys(common, []) == ()  # undated: none
    # Each key once, and one copy of it shared by the articles that have it.
    week = dated_keys(common, [DAY, DAY + timedelta(days=1)])
    assert len(week) == len(set(week))
    again = dated_keys(list(common), [DAY])
    assert all(a is b for a, b in zip(keys, again, strict=True))


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


@pytest.mark.parametrize(
    ("beat", "english", "arabic"),
    [((COMMON, ""), EVENT_EN, EVENT_AR), ((SUDAN, CAMP), SUDAN_EN, SUDAN_AR)],
    ids=["entities", "names-the-gazetteer-does-not-know"],
)
def test_an_update_finds_the_report_of_the_same_event(
    tmp_path: Path, beat: tuple[str, str], english: str, arabic: str
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()

    def write(article: Article) -> None:
        (corpus / f"{article.id}.txt").write_text(
            f"{article.title}\n{article.body}\n", encoding="utf-8"
        )
        (corpus / f"{article.id}.toml").write_text(
            f'lang = "{article.lang}"\npublished = "{article.published}"\n', encoding="utf-8"
        )

    event_en = Article("event-en", "t", english, "en", published=DAY)
    for article in [*_library_articles(*beat), event_en]:
        write(article)
    config = load_config(write_config(tmp_path))
    with Library(config) as library:
        library.update()
        assert library.event_of("event-en").article_ids == ("event-en",)
        write(Article("event-ar", "t", arabic, "ar", published=DAY))
        library.update()  # an update: the new report placed among the events kept
        assert library.event_of("event-ar").article_ids == ("event-ar", "event-en")


def test_names_the_gazetteer_does_not_know_are_one_key_in_both_scripts() -> None:
    articles = _library_articles(SUDAN)
    arabic = [Article(f"ar-{n}", "t", f"{SUDAN_AR} {n}", "ar") for n in range(3)]
    articles += [*arabic, Article("rare", "t", "Officials in Kosti and Kassala spoke.", "en")]
    similarity = Similarity([profile(a, GAZETTEER) for a in articles])
    cap = 50
    common = similarity.common_names(cap)
    # 240 English reports spell Khartoum: one key, which the Arabic spelling shares (three
    # Arabic reports are too few to make their spelling common on its own).
    assert (240, "~khartoum") in common["beat-000"]
    assert {key for _df, key in common["ar-0"]} == {"~fasher", "~tawila"}
    assert (243, "~fasher") in common["ar-0"]
    # A name few articles have is no common name (Zamzam: 3 articles).
    assert "rare" not in common
    assert all(df > cap for keys in common.values() for df, _key in keys)
    # Rarest first; asked for the rarest alone, each article keeps its first.
    assert all(list(keys) == sorted(keys) for keys in common.values())
    assert similarity.common_names(cap, 1) == {i: keys[:1] for i, keys in common.items()}


def test_an_event_told_with_names_the_gazetteer_does_not_know_is_grouped() -> None:
    articles = _library_articles(SUDAN, CAMP)
    articles += [
        Article("event-en", "t", SUDAN_EN, "en", published=DAY),
        Article("event-ar", "t", SUDAN_AR, "ar", published=DAY),
    ]
    # The beat's names are none the gazetteer knows.
    assert not any(profile(a, GAZETTEER).entities for a in (articles[0], *articles[-2:]))
    events = group_events(articles, GAZETTEER)
    event = next(e for e in events if "event-en" in e.article_ids)
    assert event.article_ids == ("event-ar", "event-en")
    assert all(len(e.article_ids) == 1 for e in events if e is not event)
