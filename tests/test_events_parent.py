"""The parent's side of the events step of a build (issue 13): what it holds and reads again,
counted; the files it writes are those it wrote before, byte for byte."""

from __future__ import annotations

import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reader.core.config import load_config
from reader.core.events import listing as listing_module
from reader.core.events import store, store_fields, store_files
from reader.core.events.features import Profile
from reader.core.events.listing import LISTING_FILE, Row, write_listing
from reader.core.events.scoring import inverse_df
from reader.core.events.similarity import Similarity
from reader.core.library import Library
from reader.core.library_listing import keep_listing
from reader.core.search.index import live_folder
from tests.conftest import write_config
from tests.test_events_timeline_cli import OUTLETS, write_corpus


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    calls = [0]
    original = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_build_writes_the_listing_from_the_events_it_stored_without_reading_them_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, the listing written at the end of a build decoded the events back from the
    # file just written (at 50,000 articles, a second or two); now it is made from them.
    write_corpus(tmp_path)
    config = load_config(write_config(tmp_path, corpus="news", extra=OUTLETS))
    events_read = _counting(monkeypatch, store_files, "read_events")
    with Library(config) as library:
        library.update()
        folder = live_folder(config)
        listing = (folder / LISTING_FILE).read_bytes()
        assert events_read[0] == 0
        # The same bytes as the listing made from the files read back.
        (folder / LISTING_FILE).unlink()
        keep_listing(config, folder, library.gazetteer_name())
    assert events_read[0] == 1
    assert (folder / LISTING_FILE).read_bytes() == listing


def test_a_build_stores_the_fields_before_profiling_and_lets_them_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, every article's fields (title, outlet, url, source...) were held from the
    # reading of the index to the end of the events step, through the grouping's peak
    # (some 30 MB at 50,000 articles); now they are written once read, and let go.
    write_corpus(tmp_path)
    config = load_config(write_config(tmp_path, corpus="news", extra=OUTLETS))
    order: list[str] = []
    held: list[int] = []
    write_fields = store_fields.write_fields

    def writing(folder: Path, stamp: str, articles: list[Any]) -> None:
        order.append("fields")
        write_fields(folder, stamp, articles)
        held.append(len(articles))
        kept.append(articles)

    kept: list[list[Any]] = []
    refresh = store.refresh

    def refreshing(*args: Any, **kwargs: Any) -> Any:
        order.append("refresh")
        events = refresh(*args, **kwargs)
        order.append("grouped")
        assert kept and not kept[0]  # the list of fields was emptied before the grouping
        return events

    monkeypatch.setattr(store_fields, "write_fields", writing)
    monkeypatch.setattr(store, "refresh", refreshing)
    with Library(config) as library:
        library.update()
    assert order == ["refresh", "fields", "grouped"]
    assert held[0] > 0


def test_the_listing_is_written_without_joining_its_records_into_one_more_copy(
    tmp_path: Path,
) -> None:
    # Before, the records were encoded, joined, and joined again behind the header: three
    # copies of every record at once (some 40 MB each at 50,000 articles).
    record = '{"id": "ev-%06d", "label": "' + "x" * 2000 + '"}'
    rows: list[Row] = [(date(2020, 5, 1), None, False, record % n) for n in range(400)]
    size = sum(len(r[3]) for r in rows)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        write_listing(tmp_path, "key", rows)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * size, (peak, size)
    # What was written reads back as the listing of these rows.
    found = listing_module.read_listing(tmp_path, "key")
    assert found is not None
    assert bytes(found.records) == b", ".join(r[3].encode() for r in rows)


def _profile(n: int) -> Profile:
    from collections import Counter

    return Profile(
        f"a{n:03}",
        "en",
        None,
        Counter({f"e{n % 7}": 1, f"e{n % 11}": 2, **{f"own{n}.{k}": 1 for k in range(5)}}),
        Counter({f"w{n % 5}": 1, f"w{n % 13}": 3, f"only{n}": 1}),
        frozenset(),
    )


def test_the_similarity_keeps_one_idf_per_document_frequency_not_one_per_feature() -> None:
    # Before, a dict of IDF floats for every entity, word and fact of the set (the words
    # of 50,000 articles: hundreds of thousands of entries); the IDF depends only on the
    # document frequency, so one list of n + 1 serves every feature, with the same floats.
    profiles = [_profile(n) for n in range(40)]
    similarity = Similarity(profiles)
    # No table by feature (200 entity keys are named once each) beside the counts.
    assert not [k for k, v in vars(similarity).items() if isinstance(v, dict) and len(v) >= 200]
    for key in ("e0", "e3", "e10", "missing"):
        df = sum(1 for p in profiles if key in p.entities)
        assert similarity.entity_weight(key) == inverse_df(df, len(profiles))


# ----- what the grouping holds of each profile -----


def test_the_profiles_kept_through_grouping_hold_their_names_apart_with_the_same_result(
    tmp_path: Path,
) -> None:
    # Before, each kept profile held its names in a counter (some 40 names an article: at
    # 50,000 articles about 50 MB); their counts are not read by grouping, so the spool keeps
    # each article's names as a tuple, and the similarity reads them from there.
    import dataclasses

    from reader.core.events.features import profile
    from reader.core.events.grouping import group_profiles
    from reader.core.events.store_scratch import ProfileSpool
    from reader.core.names.gazetteer import load_gazetteer
    from tests.test_events_build_work import _articles

    gazetteer = load_gazetteer()
    profiles = [profile(a, gazetteer) for a in _articles(260)]
    digests = {p.article_id: "d" for p in profiles}
    titles = {p.article_id: p.article_id for p in profiles}
    whole = Similarity(profiles)
    expected = group_profiles(profiles, titles, gazetteer, similarity=whole)
    with ProfileSpool(tmp_path, digests) as spool:
        lean = [spool.keep(p) for p in profiles]
        assert not any(p.names for p in lean)
        assert all(spool.names[p.article_id] == tuple(p.names) for p in profiles)
        apart = Similarity(lean, spool.terms, spool.names)
        found = group_profiles(lean, titles, gazetteer, similarity=apart)
        assert found == expected
        assert apart.edges(0.05) == whole.edges(0.05)
        named = whole.named_pairs()
        assert named and apart.named_pairs() == named
        assert [apart.names_score(a, b) for a, b in named] == [
            whole.names_score(a, b) for a, b in named
        ]
    assert dataclasses.replace(lean[0], names=profiles[0].names).names == profiles[0].names


def test_pairs_are_bounded_a_slice_at_a_time_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Before, every candidate pair's bound was worked out at once: a dozen arrays as long as
    # the candidates (millions at 50,000 articles, some 90 MB); now a slice at a time.
    from reader.core.events import pairs
    from reader.core.events.features import profile
    from reader.core.events.grouping import EDGE_MINIMUM
    from reader.core.events.similarity import ALL_PAIRS_UP_TO
    from reader.core.names.gazetteer import load_gazetteer
    from tests.test_events_build_work import _articles

    gazetteer = load_gazetteer()
    profiles = [profile(a, gazetteer) for a in _articles(ALL_PAIRS_UP_TO + 60)]
    whole = Similarity(profiles).edges(EDGE_MINIMUM)
    assert whole
    monkeypatch.setattr(pairs, "SLICE", 7)
    calls = _counting(monkeypatch, pairs, "_may_reach")
    assert Similarity(profiles).edges(EDGE_MINIMUM) == whole
    assert calls[0] > 1


def test_the_words_of_each_profile_are_read_back_once_and_counted_as_they_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, the similarity read every profile's words back from the spool twice (once to
    # count them, once for its vector: 100,000 reads and decodings at 50,000 articles,
    # after the profiling); now they are counted as each profile is kept.
    from collections import Counter

    from reader.core.events import store_scratch
    from reader.core.events.features import profile
    from reader.core.events.grouping import group_profiles
    from reader.core.events.store_scratch import ProfileSpool
    from reader.core.names.gazetteer import load_gazetteer
    from tests.test_events_build_work import _articles

    gazetteer = load_gazetteer()
    profiles = [profile(a, gazetteer) for a in _articles(260)]
    titles = {p.article_id: p.article_id for p in profiles}
    whole = Similarity(profiles)
    expected = group_profiles(profiles, titles, gazetteer, similarity=whole)
    reads = _counting(monkeypatch, store_scratch._SpooledCounts, "__getitem__")
    with ProfileSpool(tmp_path, {p.article_id: "d" for p in profiles}) as spool:
        lean = [spool.keep(p) for p in profiles]
        spool.keep(profiles[0])  # kept again (workers failing midway): counted once
        assert spool.term_df == Counter(w for p in profiles for w in p.terms)
        reads[0] = 0
        apart = Similarity(lean, spool.terms, spool.names, spool.term_df)
        assert reads[0] == len(profiles)
        assert group_profiles(lean, titles, gazetteer, similarity=apart) == expected
        assert apart.edges(0.05) == whole.edges(0.05)
