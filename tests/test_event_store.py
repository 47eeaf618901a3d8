"""Events stored beside the index: equal to a fresh computation, updated incrementally (only new
or changed articles profiled), recomputed (never trusted, never a crash) when damaged or stale,
and what the library, `reader events` and the compare view read."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.core.config import Config, load_config
from reader.core.events import grouping, profiling
from reader.core.events import store as event_store
from reader.core.events.decision_edits import move_article, rename_event
from reader.core.events.decisions import decisions_path
from reader.core.events.grouping import Event, load_events
from reader.core.events.store import EVENTS_FILE, PROFILES_FILE
from reader.core.library import Library
from reader.core.search.index import live_folder
from reader.core.sources.article import Article
from tests.conftest import SEEDS, write_config

# Groups of places no other group names, so each group is one event whatever the words.
PLACES = (
    ("sirte", "Sirte", "Jufra", "Brega"),
    ("tarhuna", "Tarhuna", "Gharyan", "Zintan"),
    ("derna", "Derna", "Tobruk", "Ajdabiya"),
    ("sebha", "Sebha", "Ubari", "Kufra"),
    ("zuwara", "Zuwara", "Sabratha", "Regdalin"),
    ("misrata", "Misrata", "Abu Grein", "Zaltan"),
)
FILLER = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "said",
    "on",
    "for",
    "with",
    "was",
    "by",
    "that",
    "officials",
    "reported",
]


def _article_text(group: int, number: int, rng: random.Random) -> str:
    _key, *names = PLACES[group]
    words = [rng.choice(FILLER) for _ in range(60)]
    topic = [f"topic{chr(97 + group)}word{k}" for k in range(4)]
    body = " ".join(words[:20] + names + topic + words[20:40] + names[:2] + words[40:])
    return f"Report {number} from {names[0]}\n\n{body.capitalize()}.\n"


def write_group_article(folder: Path, group: int, number: int) -> Path:
    """One article of ``group`` (its places and topic words), as ``g<group>-<number>.txt``."""
    rng = random.Random(group * 1000 + number)
    path = folder / f"g{group}-{number:02d}.txt"
    path.write_text(_article_text(group, number, rng), encoding="utf-8")
    return path


def write_lone_article(folder: Path, number: int) -> Path:
    rng = random.Random(-number)
    words = " ".join(rng.choice(FILLER) + f"x{number}y{k}" for k in range(40))
    path = folder / f"lone-{number:02d}.txt"
    path.write_text(f"Lone note {number}\n\n{words}.\n", encoding="utf-8")
    return path


def generated_corpus(folder: Path) -> Path:
    """Six events of three to five articles each, and four articles about nothing else."""
    folder.mkdir(parents=True, exist_ok=True)
    for group in range(len(PLACES)):
        for number in range(3 + group % 3):
            write_group_article(folder, group, number)
    for number in range(4):
        write_lone_article(folder, number)
    return folder


@pytest.fixture
def generated(tmp_path: Path) -> Config:
    generated_corpus(tmp_path / "corpus")
    return load_config(write_config(tmp_path))


@pytest.fixture
def seeded(tmp_path: Path) -> Config:
    shutil.copytree(SEEDS, tmp_path / "corpus")
    return load_config(write_config(tmp_path))


@pytest.fixture
def profiled(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The ids of the articles profiled (every call to ``profile``, in the store or not)."""
    calls: list[str] = []
    real = grouping.profile

    def counting(article: Article, gazetteer: Any) -> grouping.Profile:
        calls.append(article.id)
        return real(article, gazetteer)

    monkeypatch.setattr(grouping, "profile", counting)
    monkeypatch.setattr(event_store, "profile", counting)
    monkeypatch.setattr(profiling, "profile", counting)  # what profile_all calls
    yield calls


def groups(events: list[Event]) -> set[tuple[str, ...]]:
    return {e.article_ids for e in events}


def event_of(events: list[Event], article_id: str) -> Event:
    return next(e for e in events if article_id in e.article_ids)


def id_of(library: Library, name: str) -> str:
    return next(a.id for a in library.articles() if Path(a.source).name == name)


@pytest.mark.parametrize("corpus", ["seeded", "generated"])
def test_stored_events_are_those_of_a_fresh_computation(
    corpus: str, request: pytest.FixtureRequest, profiled: list[str]
) -> None:
    config: Config = request.getfixturevalue(corpus)
    with Library(config) as library:
        library.update()
        assert (live_folder(config) / EVENTS_FILE).is_file()
        profiled.clear()
        stored = library.events()
        assert profiled == []  # read, not computed
        fresh = load_events(config, library.articles())
        assert stored == fresh
        if corpus == "generated":
            assert sum(len(e.article_ids) > 1 for e in stored) == len(PLACES)


def test_an_added_article_alone_is_profiled_and_joins_its_event(
    generated: Config, profiled: list[str]
) -> None:
    corpus = generated.corpus_paths[0]
    with Library(generated) as library:
        library.update()
        before = library.events()
        group_two = event_of(before, id_of(library, "g2-00.txt"))
        profiled.clear()
        write_group_article(corpus, 2, 9)
        library.update()
        library.open()
        added = id_of(library, "g2-09.txt")
        assert profiled == [added]
        after = library.events()
        assert event_of(after, added).article_ids == tuple(sorted((*group_two.article_ids, added)))
        assert groups(after) == groups(load_events(generated, library.articles()))


def test_a_lone_new_article_starts_its_own_event(generated: Config, profiled: list[str]) -> None:
    with Library(generated) as library:
        library.update()
        before = groups(library.events())
        profiled.clear()
        write_lone_article(generated.corpus_paths[0], 20)
        library.update()
        library.open()
        added = id_of(library, "lone-20.txt")
        assert profiled == [added]
        after = library.events()
        assert event_of(after, added).article_ids == (added,)
        assert groups(after) - {(added,)} == before


def test_a_removed_article_leaves_its_event_and_nothing_is_profiled(
    generated: Config, profiled: list[str]
) -> None:
    with Library(generated) as library:
        library.update()
        gone = id_of(library, "g2-01.txt")
        event = event_of(library.events(), gone)
        assert len(event.article_ids) == 5
        profiled.clear()
        (generated.corpus_paths[0] / "g2-01.txt").unlink()
        library.update()
        library.open()
        after = library.events()
        assert profiled == []
        assert gone not in {i for e in after for i in e.article_ids}
        rest = tuple(i for i in event.article_ids if i != gone)
        assert event_of(after, rest[0]).article_ids == rest
        assert groups(after) == groups(load_events(generated, library.articles()))


def test_a_changed_article_is_profiled_again_and_moves(
    generated: Config, profiled: list[str]
) -> None:
    corpus = generated.corpus_paths[0]
    with Library(generated) as library:
        library.update()
        moved = id_of(library, "g0-01.txt")
        profiled.clear()
        text = _article_text(3, 1, random.Random(7))  # now about group 3's places
        (corpus / "g0-01.txt").write_text(text, encoding="utf-8")
        library.update()
        library.open()
        moved = id_of(library, "g0-01.txt")
        assert profiled == [moved]
        events = library.events()
        assert event_of(events, moved) == event_of(events, id_of(library, "g3-00.txt"))
        assert groups(events) == groups(load_events(generated, library.articles()))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _rewrite(path: Path, change: Any) -> None:
    """Apply ``change`` to the file's JSON and write it back (for the events file: its header
    line and its events seen as one dict, the digest left as it was, as a hand edit would)."""
    if path.name != EVENTS_FILE:
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data), encoding="utf-8")
        return
    head, _, payload = path.read_bytes().partition(b"\n")
    header, body = json.loads(head), json.loads(payload)
    data = {**header, **body}
    change(data)
    body = {k: v for k, v in data.items() if k not in header}
    payload = json.dumps(body).encode("ascii")
    header = {k: v for k, v in data.items() if k in header}
    path.write_bytes(json.dumps(header).encode("ascii") + b"\n" + payload)


def _duplicate_member(data: dict[str, Any]) -> None:
    data["events"][1]["articles"].append(data["events"][0]["articles"][0])


DAMAGE = {
    "truncated": _truncate,
    "garbage": lambda p: p.write_bytes(b"\x00\xff{not json"),
    "empty": lambda p: p.write_bytes(b""),
    "a list": lambda p: p.write_text("[1, 2]", encoding="utf-8"),
    "other generation": lambda p: _rewrite(p, lambda d: d.update(index="gen-99:0")),
    "other threshold": lambda p: _rewrite(p, lambda d: d["settings"].update(threshold=0.9)),
    "wrong types": lambda p: _rewrite(p, lambda d: d["events"][0].update(cohesion="high")),
    "events not a list": lambda p: _rewrite(p, lambda d: d.update(events=7)),
    "an article twice": lambda p: _rewrite(p, _duplicate_member),
    "a lost article": lambda p: _rewrite(p, lambda d: d["events"].pop()),
    "deep nesting": lambda p: p.write_text("[" * 100_000, encoding="utf-8"),
}

PROFILE_DAMAGE = {
    **DAMAGE,
    "other generation": lambda p: _rewrite(p, lambda d: d["settings"].update(format="0")),
    "wrong types": lambda p: _rewrite(p, lambda d: d["articles"].update(x={"digest": 1})),
    "events not a list": lambda p: _rewrite(p, lambda d: d.update(groups={"a": 1})),
    "an article twice": lambda p: _rewrite(p, lambda d: d["groups"].append(d["groups"][0])),
    "a lost article": lambda p: _rewrite(p, lambda d: d["groups"].pop()),
}


def _seeds_after_a_lone_article(folder: Path) -> set[tuple[str, ...]]:
    """The groups the library keeps for the seeds after an update that adds
    :func:`write_lone_article` 1, nothing damaged (in a library of its own under ``folder``)."""
    shutil.copytree(SEEDS, folder / "corpus")
    config = load_config(write_config(folder))
    with Library(config) as library:
        library.update()
        write_lone_article(config.corpus_paths[0], 1)
        library.update()
        library.open()
        return groups(library.events())


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("name", [EVENTS_FILE, PROFILES_FILE])
def test_a_damaged_or_stale_events_file_is_recomputed_never_trusted(
    seeded: Config, damage: str, name: str, tmp_path: Path
) -> None:
    """A damaged listing is recomputed from the profiles (the next update goes on from them
    as if nothing had happened); damaged profiles are recomputed from scratch. An update
    places new articles in the events it has (see reader.core.events.store), so near the
    threshold it may differ from a computation from scratch: the seeds' 000-002 pair is at
    0.29, and an article naming nothing moves it past 0.3 from scratch."""
    undamaged = _seeds_after_a_lone_article(tmp_path / "twin")
    with Library(seeded) as library:
        library.update()
        fresh = load_events(seeded, library.articles())
        path = live_folder(seeded) / name
        (PROFILE_DAMAGE if name == PROFILES_FILE else DAMAGE)[damage](path)
        if name == EVENTS_FILE:
            assert library.events() == fresh
        write_lone_article(seeded.corpus_paths[0], 1)  # an update reads the stored files
        library.update()
        library.open()
        expected = undamaged
        if name == PROFILES_FILE:  # nothing stored is usable: everything from scratch
            expected = groups(load_events(seeded, library.articles()))
        assert groups(library.events()) == expected


def test_an_events_file_of_an_older_index_state_is_not_read(seeded: Config) -> None:
    """An events file left from before an update that failed to refresh it is stale."""
    with Library(seeded) as library:
        library.update()
        folder = live_folder(seeded)
        old = (folder / EVENTS_FILE).read_bytes()
        (seeded.corpus_paths[0] / "new.txt").write_text("Other\n\nAbout Tobruk only.\n")
        library.update()
        current = groups(library.events())
        (folder / EVENTS_FILE).write_bytes(old)
        library.open()
        events = library.events()
        assert groups(events) == current
        assert len({i for e in events for i in e.article_ids}) == 6


def test_decisions_win_over_the_stored_events(generated: Config) -> None:
    path = decisions_path(generated)
    with Library(generated) as library:
        library.update()
        events = library.events()
        first = event_of(events, id_of(library, "g1-00.txt"))
        rename_event(path, first, "the Tarhuna fighting")
        moved = id_of(library, "g1-01.txt")
        renamed = event_of(library.events(), moved)
        assert renamed.label == "the Tarhuna fighting" and renamed.decided
        assert renamed.id == first.id
        # a new article of that group joins the decided event on the next update
        write_group_article(generated.corpus_paths[0], 1, 9)
        library.update()
        library.open()
        added = id_of(library, "g1-09.txt")
        assert event_of(library.events(), added).label == "the Tarhuna fighting"
        # an article moved out never comes back, and stands alone
        move_article(path, moved, event_of(library.events(), moved), None)
        events = library.events()
        assert moved not in event_of(events, added).article_ids
        assert event_of(events, moved).article_ids == (moved,)


def test_an_update_that_changes_nothing_recomputes_nothing(
    generated: Config, profiled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []
    real = event_store.Similarity

    def counting(profiles: Any) -> Any:
        built.append(len(profiles))
        return real(profiles)

    monkeypatch.setattr(event_store, "Similarity", counting)
    with Library(generated) as library:
        library.update()
        events = library.events()
        profiled.clear()
        built.clear()
        # stamped for another index state (a commit that changed no article): restamped
        _rewrite(live_folder(generated) / EVENTS_FILE, lambda d: d.update(index="gen-1:0"))
        library.update()
        assert (profiled, built) == ([], [])
        assert library.events() == events


def test_events_of_articles_read_before_a_concurrent_update_are_not_trusted(
    generated: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.search.index import update_index

    corpus = generated.corpus_paths[0]
    real = event_store.refresh

    def racing(*args: Any, **kwargs: Any) -> Any:
        write_lone_article(corpus, 30)
        update_index(generated)  # another process commits after the articles were read
        return real(*args, **kwargs)

    with Library(generated) as library:
        library.update()
        monkeypatch.setattr(event_store, "refresh", racing)
        write_lone_article(corpus, 31)
        library.update()
        monkeypatch.setattr(event_store, "refresh", real)
        library.open()
        events = library.events()
        assert sorted(i for e in events for i in e.article_ids) == library.ids()
        assert "lone-30" in library.ids()


def test_another_threshold_regroups_the_stored_features_without_profiling(
    generated: Config, profiled: list[str], tmp_path: Path
) -> None:
    with Library(generated) as library:
        library.update()
    profiled.clear()
    config = load_config(write_config(tmp_path, extra="[events]\nthreshold = 0.95\n"))
    assert config.event_threshold == 0.95
    with Library(config) as library:
        events = library.events()
        assert profiled == []
        pool = library.articles()
        assert groups(events) == groups(load_events(config, pool, threshold=0.95))
        assert groups(events) != groups(load_events(generated, pool))


def test_incremental_events_of_a_large_set_are_those_of_the_full_pass(
    tmp_path: Path, profiled: list[str]
) -> None:
    """Above ALL_PAIRS_UP_TO articles the full pass scores only pairs found through inverted
    lists; an added article is scored against the same pairs and lands as the full pass puts
    it, profiling only itself."""
    from reader.core.events.grouping import ALL_PAIRS_UP_TO, group_events
    from reader.core.names.entities import Entity, Gazetteer

    def code(number: int) -> str:
        return "".join(chr(ord("a") + int(digit)) for digit in f"{number:03d}")

    groups_count = 50
    entities = [
        Entity(f"e{g}-{k}", f"Zed{code(g)}{code(k)}", "place", (f"Zed{code(g)}{code(k)}",))
        for g in range(groups_count)
        for k in range(3)
    ]
    gazetteer = Gazetteer(entities)

    def article(g: int, i: int) -> Article:
        names = " and ".join(f"Zed{code(g)}{code(k)}" for k in range(3) if (k + i) % 4 != 3)
        return Article(f"{g:02d}-{i}", "t", f"{names} met. Word{code(g)} said{code(g)}.", "en")

    everything = [article(g, i) for g in range(groups_count) for i in range(5)]
    first, added = everything[:-3], everything[-3:]
    assert len(first) > ALL_PAIRS_UP_TO
    event_store.refresh(tmp_path, first, gazetteer, "test", threshold=0.3)
    profiled.clear()
    incremental = event_store.refresh(tmp_path, everything, gazetteer, "test", threshold=0.3)
    assert sorted(profiled) == sorted(a.id for a in added)
    assert groups(incremental) == groups(group_events(everything, gazetteer))
    assert all(len(e.article_ids) == 5 for e in incremental)


def test_features_and_events_stored_by_the_previous_release_are_not_trusted(
    seeded: Config,
) -> None:
    """This release reads dates and groups differently (year-less dates, datelines, date
    spans): files stamped with format 1 hold what the old code computed and must be redone."""
    from reader.core.events.store_files import read_events, read_profiles

    with Library(seeded) as library:
        library.update()
        folder = live_folder(seeded)
        threshold = seeded.event_threshold
        name = library._gazetteer_name()
        assert read_profiles(folder, threshold, name) is not None
        for name in (EVENTS_FILE, PROFILES_FILE):
            _rewrite(
                folder / name,
                lambda d: d["settings"].update(format="1:" + d["settings"]["format"][2:]),
            )
        assert read_profiles(folder, threshold, name) is None
        assert read_events(folder, threshold, name) is None


def test_features_computed_with_another_built_in_gazetteer_are_not_trusted(
    seeded: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release that adds aliases to the built-in gazetteer finds other entities in the same
    articles: what the previous one stored is recomputed."""
    from reader.core.events.store_files import read_profiles
    from reader.core.names import gazetteer

    with Library(seeded) as library:
        library.update()
        folder = live_folder(seeded)
        assert read_profiles(folder, seeded.event_threshold, library._gazetteer_name()) is not None
        monkeypatch.setattr(gazetteer, "builtin_version", lambda: "another release")
        assert read_profiles(folder, seeded.event_threshold, library._gazetteer_name()) is None
