"""Events: grouping articles about one story, and the user's decisions winning over it."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.events.decision_edits import (
    confirm_event,
    forget_event,
    merge_events,
    move_article,
    rename_event,
    split_event,
)
from reader.core.events.decisions import DecisionsError, decisions_path, load_decisions
from reader.core.events.grouping import (
    ALL_PAIRS_UP_TO,
    DEFAULT_THRESHOLD,
    Event,
    Similarity,
    event_id,
    group_events,
    load_events,
    profile,
)
from reader.core.events.similarity import CROSS_LANGUAGE
from reader.core.library import Library
from reader.core.names.entities import Entity, Gazetteer, find_entities
from reader.core.names.gazetteer import load_gazetteer
from reader.core.sources.article import Article
from tests.conftest import SEEDS, write_config

GAZETTEER = load_gazetteer()
S000, S001, S002, S003, S004 = (
    "000_7b206ec7414ebb17",
    "001_629cc8aa1a0900a3",
    "002_21aad2d8e00821f2",
    "003_cf72655655ca3791",
    "004_9e772252006eaafa",
)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> list[Article]:
    folder = tmp_path_factory.mktemp("seeds-config")
    with Library(load_config(write_config(folder, corpus=str(SEEDS)))) as library:
        library.update()
        return library.articles()


def event_of(events: list[Event], article_id: str) -> Event:
    return next(e for e in events if article_id in e.article_ids)


def test_seeds_group_003_with_004_and_leave_000_001_002_alone(seeds: list[Article]) -> None:
    events = group_events(seeds, GAZETTEER)
    assert sorted(a for e in events for a in e.article_ids) == sorted(a.id for a in seeds)
    # 003 (Arabic) and 004 (English) report the LNA spokesman's claims in the spring 2020
    # fighting: one event across the two languages.
    assert event_of(events, S003).article_ids == (S003, S004)
    # 000 (the spokesman admits defeat), 001 (the GNA advance on Sirte after Egypt's truce
    # offer) and 002 (an opinion piece on Haftar's mobilisation) are other stories: each alone.
    for lone in (S000, S001, S002):
        assert event_of(events, lone).article_ids == (lone,)
    assert len(events) == 4


def test_seed_similarities_explain_the_grouping(seeds: list[Article]) -> None:
    """Grouping reads the title and the lead: 003 and 004 name the same rare people and
    parties there and are the only pair at the threshold; 000 names Sirte, Jufra and Gnunu
    only deep in its body, so it no longer meets 001 (the Sirte story) on them."""
    similarity = Similarity([profile(a, GAZETTEER) for a in seeds])
    ids = sorted(a.id for a in seeds)
    linked = {
        (a, b)
        for n, a in enumerate(ids)
        for b in ids[n + 1 :]
        if similarity.score(a, b).score >= DEFAULT_THRESHOLD
    }
    assert linked == {(S003, S004)}
    cross = similarity.score(S003, S004)  # Arabic and English: through entities only
    assert cross.terms == 0 and cross.facts == 0
    assert cross.score == pytest.approx(CROSS_LANGUAGE["entities"] * cross.entities)
    assert {"mismari", "turkey", "gna", "lna"} <= set(cross.shared_entities)
    apart = similarity.score(S000, S001)
    assert apart.score < DEFAULT_THRESHOLD
    assert not {"sirte", "jufra", "gnunu"} & set(apart.shared_entities)
    s000 = next(a for a in seeds if a.id == S000)
    in_body = {m.key for m in find_entities(s000.body, GAZETTEER)}
    assert {"sirte", "jufra", "gnunu"} <= in_body  # named in 000, past its lead
    assert not {"sirte", "jufra", "gnunu"} & set(profile(s000, GAZETTEER).entities)
    assert similarity.score(S000, S002).score < DEFAULT_THRESHOLD


def test_events_have_labels_ids_and_date_spans() -> None:
    a = Article("a", "Out of Tarhuna", "Haftar's forces left Tarhuna and Gharyan.", "en")
    a = dataclasses.replace(a, published=_d(5))
    b = Article("b", "خارج ترهونة", "انسحبت قوات حفتر من ترهونة وغريان", "ar", published=_d(7))
    c = Article("c", "Unrelated", "The Mediterranean was calm.", "en", published=_d(1))
    events = group_events([a, b, c], GAZETTEER)
    pair = event_of(events, "a")
    assert pair.article_ids == ("a", "b")
    assert pair.id == event_id(["b", "a"]) and pair.id.startswith("ev-")
    # Labelled by the title of its central report (of two alike, the earlier).
    assert pair.label == "Out of Tarhuna"
    assert set(pair.entities) >= {"tarhuna", "haftar"}
    assert (pair.start, pair.end) == (_d(5), _d(7))
    assert event_of(events, "c").label == "Unrelated"  # one article: its title


def test_publication_dates_far_apart_weaken_the_link() -> None:
    a = Article("a", "t", "Haftar's forces left Tarhuna and Gharyan.", "en", published=_d(1))
    b = Article("b", "t", "Haftar's forces left Tarhuna and Gharyan.", "en", published=_d(1))
    c = Article("c", "t", "Haftar's forces left Tarhuna and Gharyan.", "en", published=_d(200))
    similarity = Similarity([profile(x, GAZETTEER) for x in (a, b, c)])
    assert similarity.score("a", "c").score < similarity.score("a", "b").score
    assert similarity.score("a", "c").date_factor < 1


def _d(day: int) -> date:
    return date(2020, 1, 1) + timedelta(days=day)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "notes" / "events.toml"


def test_confirm_and_rename_survive_a_recompute(seeds: list[Article], path: Path) -> None:
    events = group_events(seeds, GAZETTEER)
    mismari = event_of(events, S003)
    confirm_event(path, mismari)
    rename_event(path, mismari, "  Mismari's claims, May 2020 ")
    again = event_of(group_events(seeds, GAZETTEER, load_decisions(path)), S004)
    assert (again.id, again.label, again.confirmed, again.decided, again.article_ids) == (
        mismari.id,
        "Mismari's claims, May 2020",
        True,
        True,
        (S003, S004),
    )
    with pytest.raises(ValueError):
        rename_event(path, mismari, "   ")


def test_split_wins_over_automatic_grouping(seeds: list[Article], path: Path) -> None:
    events = group_events(seeds, GAZETTEER)
    mismari = event_of(events, S003)
    new_id = split_event(path, mismari, [S004])
    after = group_events(seeds, GAZETTEER, load_decisions(path))
    assert event_of(after, S003).article_ids == (S003,)
    assert event_of(after, S003).id == mismari.id
    assert event_of(after, S004).id == new_id != mismari.id
    with pytest.raises(ValueError):
        split_event(path, event_of(after, S003), [S003])  # not all of it


def test_merge_wins_over_automatic_grouping(seeds: list[Article], path: Path) -> None:
    events = group_events(seeds, GAZETTEER)
    mismari, lone = event_of(events, S003), event_of(events, S002)
    kept = merge_events(path, [mismari, lone])
    after = event_of(group_events(seeds, GAZETTEER, load_decisions(path)), S002)
    assert kept == mismari.id == after.id
    assert after.article_ids == (S002, S003, S004)


def test_a_moved_article_is_never_taken_back(seeds: list[Article], path: Path) -> None:
    events = group_events(seeds, GAZETTEER)
    mismari = event_of(events, S003)
    target = move_article(path, S004, mismari, None)  # out, on its own
    after = group_events(seeds, GAZETTEER, load_decisions(path))
    assert event_of(after, S004).article_ids == (S004,) and event_of(after, S004).id == target
    assert event_of(after, S003).article_ids == (S003,)
    # into the event of 000 and 001, which the user made one, instead
    sirte = merge_events(path, [event_of(after, S000), event_of(after, S001)])
    after = group_events(seeds, GAZETTEER, load_decisions(path))
    moved = move_article(path, S004, event_of(after, S004), event_of(after, S000))
    final = group_events(seeds, GAZETTEER, load_decisions(path))
    assert event_of(final, S004).id == moved == sirte
    assert event_of(final, S004).article_ids == (S000, S001, S004)
    assert event_of(final, S003).article_ids == (S003,)


def test_a_decided_event_takes_in_new_similar_articles(seeds: list[Article], path: Path) -> None:
    mismari = event_of(group_events(seeds, GAZETTEER), S003)
    confirm_event(path, mismari)
    s004 = next(a for a in seeds if a.id == S004)
    copy = Article("new", "Haftar vows to end Turkish intervention", s004.body, "en")
    after = event_of(group_events([*seeds, copy], GAZETTEER, load_decisions(path)), "new")
    assert after.id == mismari.id and after.article_ids == (S003, S004, "new")


def test_two_decided_events_never_merge(path: Path) -> None:
    a = Article("a", "t", "Haftar's forces left Tarhuna and Gharyan.", "en")
    b = Article("b", "t", "Haftar's forces left Tarhuna and Gharyan.", "en")
    events = group_events([a, b], GAZETTEER)
    assert len(events) == 1
    split_event(path, events[0], ["b"])
    assert len(group_events([a, b], GAZETTEER, load_decisions(path))) == 2
    forget_event(path, events[0].id)
    forget_event(path, event_id(["b"]))
    assert len(group_events([a, b], GAZETTEER, load_decisions(path))) == 1


def test_decisions_file_keeps_user_comments_and_is_reread(seeds: list[Article], path: Path) -> None:
    events = group_events(seeds, GAZETTEER)
    confirm_event(path, event_of(events, S000))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#")
    path.write_text(text + "\n# my own remark, keep it\n", encoding="utf-8")
    rename_event(path, event_of(events, S003), "Mismari's claims")
    written = path.read_text(encoding="utf-8")
    assert "# my own remark, keep it" in written
    decided = {d.id: d for d in load_decisions(path).events}
    assert decided[event_of(events, S000).id].confirmed  # the earlier decision is still there
    assert decided[event_of(events, S003).id].label == "Mismari's claims"
    assert not list(path.parent.glob("*.tmp"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[events.x\n", "invalid TOML"),
        (
            '\n[events.ev-1]\nmembers = ["a"]\ncolour = "red"\n',
            ":4: [events.ev-1]: unknown key 'colour'",
        ),
        (
            "[events.ev-1]\nmembers = [1]\n",
            ":2: [events.ev-1]: members must be a list of article ids",
        ),
        ("[other]\n", ":1: unknown key 'other'"),
    ],
)
def test_an_invalid_decisions_file_is_reported_and_never_overwritten(
    seeds: list[Article], path: Path, content: str, message: str
) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DecisionsError) as error:
        load_decisions(path)
    assert str(path) in str(error.value) and message in str(error.value)
    with pytest.raises(DecisionsError):
        confirm_event(path, group_events(seeds, GAZETTEER)[0])
    assert path.read_text(encoding="utf-8") == content


def test_the_library_serves_the_events_of_its_articles_with_decisions(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, corpus=str(SEEDS)))
    assert decisions_path(config) == config.notes_dir / "events.toml"
    with Library(config) as library:
        library.update()
        events = library.events()
        assert sorted(i for e in events for i in e.article_ids) == library.ids()
        lone = event_of(events, S002)
        rename_event(decisions_path(config), lone, "Haftar's mobilization")
        assert event_of(library.events(), S002).label == "Haftar's mobilization"
        assert load_events(config, library.articles()) == library.events()


def test_large_corpora_score_only_pairs_that_share_something() -> None:
    """Above ALL_PAIRS_UP_TO articles, pairs come from an inverted index: related articles are
    found, unrelated ones never compared."""
    groups = 60

    def code(number: int) -> str:  # letters only: names and words are made of letters
        return "".join(chr(ord("a") + int(digit)) for digit in f"{number:03d}")

    entities = [
        Entity(f"e{g}-{k}", f"Zed{code(g)}{code(k)}", "place", (f"Zed{code(g)}{code(k)}",))
        for g in range(groups)
        for k in range(3)
    ]
    gazetteer = Gazetteer(entities)
    articles = [
        Article(
            f"{g:02d}-{i}",
            "t",
            f"Zed{code(g)}{code(0)} and Zed{code(g)}{code(1)} met near Zed{code(g)}{code(2)}. "
            f"Word{code(g)} said{code(g)} more{code(g)}.",
            "en",
        )
        for g in range(groups)
        for i in range(5)
    ]
    assert len(articles) > ALL_PAIRS_UP_TO
    similarity = Similarity([profile(a, gazetteer) for a in articles])
    pairs = similarity.candidate_pairs()
    assert len(pairs) == groups * 10  # exactly the pairs within each group
    assert all(a[:2] == b[:2] for a, b in pairs)
    events = group_events(articles, gazetteer)
    assert len(events) == groups and all(len(e.article_ids) == 5 for e in events)


def test_stories_the_gazetteer_knows_nothing_of_are_grouped_on_their_words() -> None:
    # Real coverage from outside the gazetteer's world (no name it knows): the entity part,
    # more than half the score, was 0 for every pair, so even close copies never grouped.
    flood = [
        "Floodwaters swept through the river valley overnight, destroying bridges and "
        "farmland; rescuers in boats searched flooded villages for stranded families.",
        "Rescuers in boats searched villages of the river valley after floodwaters destroyed "
        "bridges overnight; stranded families waited on rooftops above flooded farmland.",
        "Overnight floodwaters destroyed bridges across the valley and rescuers searched the "
        "flooded villages by boat for families stranded on rooftops.",
    ]
    strike = [
        "Dock workers walked out at the container port, halting cranes and leaving ships "
        "waiting offshore as the union demanded higher wages.",
        "The union's dock workers halted the port's cranes in a walkout over wages, leaving "
        "container ships waiting offshore.",
    ]
    articles = [
        Article(f"{name}-{n}", text.split(",")[0], text, "en")
        for name, texts in (("flood", flood), ("strike", strike))
        for n, text in enumerate(texts)
    ]
    assert not any(profile(a, GAZETTEER).entities for a in articles)
    events = group_events(articles, GAZETTEER)
    assert sorted(e.article_ids for e in events) == [
        ("flood-0", "flood-1", "flood-2"),
        ("strike-0", "strike-1"),
    ]


def test_events_are_labelled_by_their_central_report() -> None:
    # Outside the gazetteer's world most events name one country: two events of a war in
    # Sudan were both labelled "Sudan", and on a real library of the Gaza war the names the
    # built-in gazetteer knows labelled Biden's visit to Israel "United States · Egypt".
    # Each takes the title of its central article, an event with names of its own too.
    airport = [
        "Fighters seized the airport in Khartoum, Sudan, on Monday and the army answered "
        "with air strikes on the runway, witnesses said.",
        "Witnesses said fighters seized Khartoum airport in Sudan on Monday; the army answered "
        "with air strikes on the runway.",
        "The army answered with air strikes after fighters seized the Khartoum airport in "
        "Sudan on Monday, witnesses said.",
    ]
    flood = [
        "Floods washed away homes and bridges in Kassala, Sudan, and families sheltered on "
        "the roofs of schools.",
        "In Kassala, Sudan, floods washed away bridges and homes; families sheltered on "
        "school roofs.",
    ]
    libya = [
        "Haftar's forces left Tarhuna and Gharyan overnight.",
        "انسحبت قوات حفتر من ترهونة وغريان",
    ]
    articles = [
        Article(f"airport-{n}", f"Airport report {n}", text, "en", published=_d(3))
        for n, text in enumerate(airport)
    ]
    articles += [
        Article(f"flood-{n}", f"Flood report {n}", text, "en", published=_d(9))
        for n, text in enumerate(flood)
    ]
    articles += [
        Article(f"libya-{n}", "t", text, lang, published=_d(5))
        for n, (text, lang) in enumerate(zip(libya, ("en", "ar"), strict=True))
    ]
    events = group_events(articles, GAZETTEER)
    assert sorted(e.article_ids for e in events) == [
        ("airport-0", "airport-1", "airport-2"),
        ("flood-0", "flood-1"),
        ("libya-0", "libya-1"),
    ]
    assert event_of(events, "flood-0").entities == ("sudan",)
    # The central report: the one most like the others (of two alike, the earlier, then the
    # smaller id).
    assert event_of(events, "airport-0").label in {f"Airport report {n}" for n in range(3)}
    assert event_of(events, "flood-0").label == "Flood report 0"
    assert event_of(events, "libya-0").label == "t"  # its names tell it apart: still a title
    assert "tarhuna" in event_of(events, "libya-0").entities
