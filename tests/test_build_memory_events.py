"""What the events step of a build holds at once (counted on synthetic sets, never the resident
size of the test process): no profile keeps its word counts while the events are grouped and
written, the word vectors of the similarity are packed, and the result is the same."""

from __future__ import annotations

import gc
import random
import sqlite3
import tracemalloc
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from reader.core.events import grouping, profiling, store, store_files
from reader.core.events.features import Profile
from reader.core.events.similarity import ALL_PAIRS_UP_TO, TERMS_KEPT, Similarity
from reader.core.events.store_files import PROFILES_FILE, write_files
from reader.core.events.store_header import EVENTS_FILE, store_settings
from reader.core.events.store_scores import SCORES_FILE
from reader.core.names.gazetteer import gazetteer_for
from reader.core.sources.article import Article

ARTICLES = ALL_PAIRS_UP_TO + 100  # the large-set path (candidate pairs, kept words)


def _synthetic(n: int) -> Profile:
    """The profile of synthetic article ``n``: words, names and entities drawn from small
    pools (so most are shared), stories of ten articles a few days apart."""
    rng = random.Random(n)
    story = n // 10
    words = [f"w{story}x{k}" for k in range(6)] + [f"w{rng.randrange(400)}" for _ in range(70)]
    entities = [f"Q{story % 30}", f"Q{30 + rng.randrange(40)}"]
    names = [_name(story), _name(100 + rng.randrange(200)), _name(400 + n)] if n % 3 else []
    day = date(2020, 1, 1) + timedelta(days=3 * story + n % 2)
    lang = "ar" if n % 4 == 0 else "en"
    return Profile(
        f"a{n:04}",
        lang,
        day,
        Counter(entities),
        Counter(words),
        frozenset({f"killed:{story}", f"count:{rng.randrange(50)}"}),
        frozenset({day}),
        frozenset({day}),
        frozenset(),
        Counter(names),
    )


def _name(n: int) -> str:
    """A made-up name, different for each ``n`` below 1,000."""
    syllables = ("ba", "ta", "ka", "mi", "ru", "so", "di", "lu", "ne", "fa")
    return "".join(syllables[int(d)] for d in f"{n:03}").capitalize()


def _profiles() -> list[Profile]:
    return [_synthetic(n) for n in range(ARTICLES)]


def _articles() -> list[Article]:
    return [Article(f"a{n:04}", f"Title {n}", "body", "en") for n in range(ARTICLES)]


def _profile(article: Article, _gazetteer: Any) -> Profile:
    return _synthetic(int(article.id[1:]))


def _holding_words() -> int:
    """How many profiles holding word counts are alive."""
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, Profile) and o.terms)


def test_no_profile_keeps_its_words_while_events_are_grouped_and_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profiling, "profile", _profile)
    held: list[int] = []
    real_init, real_cluster = Similarity.__init__, grouping._cluster
    real_scores = store_files.write_scores  # type: ignore[attr-defined]

    def init(self: Similarity, *args: Any) -> None:
        held.append(_holding_words())
        real_init(self, *args)

    def cluster(*args: Any) -> Any:
        held.append(_holding_words())
        return real_cluster(*args)

    def scores(*args: Any) -> None:
        held.append(_holding_words())
        real_scores(*args)

    monkeypatch.setattr(Similarity, "__init__", init)
    monkeypatch.setattr(grouping, "_cluster", cluster)
    monkeypatch.setattr(store_files, "write_scores", scores)
    gazetteer = gazetteer_for(None)
    folder = tmp_path / "new"
    events = store.refresh(folder, _articles(), gazetteer, "g", threshold=0.3, rebuild=True)
    # The word counts are most of a profile (337 MiB of profiles at 50,000 articles): all
    # 300 were alive while the similarity was built, the events clustered, the table written.
    assert held == [0, 0, 0]
    monkeypatch.undo()
    # The same files, byte for byte, as grouping and writing the whole profiles.
    profiles = _profiles()
    similarity = Similarity(profiles)
    titles = {a.id: a.title for a in _articles()}
    expected = grouping.group_profiles(
        profiles, titles, gazetteer, threshold=0.3, similarity=similarity
    )
    assert events == expected
    assert len({e.id for e in events if len(e.article_ids) > 1}) >= 10
    stamp = store_files.index_stamp(folder)
    settings = store_settings(0.3, "g")
    old = tmp_path / "old"
    by_id = {p.article_id: p for p in profiles}
    digests = {a.id: store_files.article_digest(a) for a in _articles()}
    write_files(old, stamp, settings, by_id, digests, expected, similarity=similarity)
    for name in (PROFILES_FILE, EVENTS_FILE):
        assert (folder / name).read_bytes() == (old / name).read_bytes()
    dumps = []
    for where in (folder, old):
        with sqlite3.connect(where / SCORES_FILE) as db:
            dumps.append(list(db.iterdump()))
    assert dumps[0] == dumps[1]
    # Nothing left behind (the spooled records are in an unnamed file).
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in old.iterdir())


def _traced_here(snapshot: tracemalloc.Snapshot) -> int:
    """Bytes still allocated by lines of the similarity module and its names part."""
    wanted = ("*/events/similarity.py", "*/events/names_part.py")
    chosen = snapshot.filter_traces([tracemalloc.Filter(True, name) for name in wanted])
    return sum(stat.size for stat in chosen.statistics("filename"))


def test_the_word_vectors_are_packed() -> None:
    profiles = _profiles()
    tracemalloc.start()
    try:
        similarity = Similarity(profiles)
        held = _traced_here(tracemalloc.take_snapshot())
    finally:
        tracemalloc.stop()
    df = Counter(k for p in profiles for k in (*p.terms, *p.entities))
    kept = [sum(df[k] >= 2 for k in p.terms) for p in profiles]
    entries = sum(min(k, TERMS_KEPT) for k in kept)
    entries += sum(df[k] >= 2 for p in profiles for k in p.entities)
    del similarity
    assert entries > 50 * ARTICLES
    # In dicts of floats, 49 bytes an entry here (218 MiB of vectors at 50,000 articles);
    # packed, 22: a word's weight is 8 bytes in an array and its key one pointer.
    assert held / entries < 32


def test_the_names_index_is_compact() -> None:
    profiles = _profiles()
    similarity = Similarity(profiles)
    english = [p.article_id for p in profiles if p.lang == "en" and p.names]
    arabic = [p.article_id for p in profiles if p.lang == "ar" and p.names]
    # Once untraced, then the indexes let go: what the module remembers of names it has
    # matched (bounded, shared by every index) is made before, whatever ran in this process
    # before this test, and only the indexes are counted.
    for a in english:
        for b in arabic[:3]:
            similarity.names_score(a, b)
    similarity.forget_names()
    tracemalloc.start()
    try:
        for a in english:
            for b in arabic[:3]:
                similarity.names_score(a, b)
        held = _traced_here(tracemalloc.take_snapshot())
    finally:
        tracemalloc.stop()
    keys = sum(len(similarity._names_of(i)) for i in english + arabic[:3])
    assert keys >= 3 * len(english)
    # With a list for each key, 124 bytes a key here (lists of one name, mostly); 38 now.
    assert held / keys < 70, held / keys


def test_the_names_indexes_the_pairs_scoring_made_are_let_go_before_grouping() -> None:
    # Before, every index made while the candidate pairs were scored (one for each article
    # of an English–Arabic pair) was held through the grouping, until the table was written.
    profiles = _profiles()
    similarity = Similarity(profiles)
    english = next(p.article_id for p in profiles if p.lang == "en" and p.names)
    arabic = next(p.article_id for p in profiles if p.lang == "ar" and p.names)
    before = similarity.names_score(english, arabic)
    edges = similarity.edges(minimum=grouping.EDGE_MINIMUM)
    assert edges and not similarity._name_index
    assert similarity.names_score(english, arabic) == before  # made again when asked


def test_the_candidate_search_holds_a_block_of_raw_pairs_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reader.core.events import pairs

    n = 3000
    ids = [f"id{i:05d}" for i in range(n)]
    rng = random.Random(7)
    postings = [rng.sample(ids, rng.randint(4, 60)) for _ in range(2000)]
    postings += [rng.sample(ids, rng.randint(2, 3)) for _ in range(2000)]
    raw = sum(len(p) * (len(p) - 1) // 2 for p in postings)
    whole = pairs.pairs_sharing(ids, postings, {})
    monkeypatch.setattr(pairs, "BLOCK_PAIRS", raw // 20, raising=False)
    tracemalloc.start()
    try:
        first, second = pairs.pairs_sharing(ids, postings, {})
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first.tolist() == whole[0].tolist()
    assert second.tolist() == whole[1].tolist()
    # Every raw pair at once took 37 bytes a raw pair (300 MB at 50,000 articles); a
    # twentieth of them at a time, with the lists and the result, less than 8.
    assert peak < 8 * raw, (peak, raw)


def test_a_kept_profile_leaves_its_words_in_the_spool(tmp_path: Path) -> None:
    from reader.core.events.store_scratch import ProfileSpool

    profiles = _profiles()
    digests = {p.article_id: "d" for p in profiles}
    words = sum(len(p.terms) for p in profiles)
    with ProfileSpool(tmp_path, digests) as spool:
        tracemalloc.start()
        try:
            lean = [spool.keep(p) for p in profiles]
            chosen = tracemalloc.Filter(True, "*/events/store_scratch.py")
            held = tracemalloc.take_snapshot().filter_traces([chosen])
        finally:
            tracemalloc.stop()
        # Packed in memory, 18.6 bytes a word here (80 MB at 50,000 articles); spooled, 5.4
        # (where each profile's pieces are in the spool, whatever its words).
        assert sum(s.size for s in held.statistics("filename")) < 8 * words
        assert all(not p.terms and not p.dates for p in lean)
        for p in profiles:
            counts = spool.terms[p.article_id]
            assert dict(zip(counts.words, counts.counts, strict=True)) == p.terms
            assert list(counts.words) == list(p.terms)  # in the counter's order
        assert len(spool.terms) == len(profiles)


def test_full_collections_do_not_go_through_the_profiles_while_events_are_grouped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python's full collections went through every profile again and again while events
    were grouped and written (0.9 s of a 10 s events step at 10,000 articles). The kept
    profiles are now out of their sight until the step ends, and back in sight after."""
    monkeypatch.setattr(profiling, "profile", _profile)
    seen: list[int] = []
    real_cluster = grouping._cluster

    def cluster(*args: Any) -> Any:
        kept = [o for o in gc.get_objects(generation=2) if isinstance(o, Profile)]
        seen.append(len(kept))  # profiles a full collection would look at now
        return real_cluster(*args)

    monkeypatch.setattr(grouping, "_cluster", cluster)
    gc.unfreeze()  # as in `reader index`: nothing frozen by anything else
    store.refresh(tmp_path, _articles(), gazetteer_for(None), "g", threshold=0.3, rebuild=True)
    assert seen == [0]  # all 300 were, before
    assert gc.get_freeze_count() == 0  # nothing left out of sight after
