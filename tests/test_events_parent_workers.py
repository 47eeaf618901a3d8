"""The events step of a build uses its worker processes for more than profiling (issue 13):
they start while the articles are read, pack each profile as the parent keeps it, and link
the names of English and Arabic articles while the parent makes the similarity. The files
written are those written without workers, byte for byte."""

from __future__ import annotations

import dataclasses
import math
import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from reader.core import library_listing
from reader.core.events import names_part, profiling, scratch_jobs, store
from reader.core.events.features import lead, profile
from reader.core.events.listing import LISTING_FILE
from reader.core.events.scratch_jobs import lean_chunk
from reader.core.events.store_scratch import ProfileSpool
from reader.core.files.processes import Workers
from reader.core.library_listing import keep_listing
from reader.core.names.gazetteer import load_gazetteer
from reader.core.search.index import live_folder
from tests.test_events_build_work import _articles
from tests.test_events_parent import _counting


def test_a_chunk_packed_lean_by_a_worker_is_kept_as_each_profile_is_kept(tmp_path: Path) -> None:
    # Before, the parent unpacked every profile's words from the worker (interning each),
    # encoded its record and marshalled its words; now the worker does, and the parent
    # keeps the same profiles, records, word counts, names and counts of words.
    gazetteer = load_gazetteer()
    articles = _articles(60)
    sent = [(a.id, a.title, lead(a.body), a.lang, a.published) for a in articles]
    digests = {a.id: f"digest-{a.id}" for a in articles}
    with (
        ProfileSpool(tmp_path / "one", digests) as one,
        ProfileSpool(tmp_path / "two", digests) as two,
    ):
        kept = [one.keep(profile(a, gazetteer)) for a in articles]
        lean = two.keep_lean(lean_chunk((gazetteer, sent[:25])))
        lean += two.keep_lean(lean_chunk((gazetteer, sent[25:])))
        assert lean == kept
        assert [p.published for p in lean] == [p.published for p in kept]
        assert list(two.term_df.items()) == list(one.term_df.items())  # same order too
        assert b"".join(two.records()) == b"".join(one.records())
        assert two.names == one.names
        assert all(two.terms[a.id] == one.terms[a.id] for a in articles)


def _refreshed(folder: Path, workers: Workers | None) -> tuple[list[Any], dict[str, bytes]]:
    gazetteer = load_gazetteer()
    events = store.refresh(
        folder,
        _articles(320),
        gazetteer,
        "built-in",
        threshold=0.3,
        rebuild=True,
        stamp="gen-1:test",
        workers=workers,
    )
    return events, {f.name: f.read_bytes() for f in sorted(folder.iterdir()) if f.is_file()}


def _news_config(folder: Path) -> Any:
    """The config of a library in ``folder`` over the timeline tests' corpus (``news``, with
    its outlets)."""
    from reader.core.config import load_config
    from tests.conftest import write_config
    from tests.test_events_timeline_cli import OUTLETS, write_corpus

    write_corpus(folder)
    return load_config(write_config(folder, corpus="news", extra=OUTLETS))


def test_a_rebuild_on_started_workers_links_the_names_there_and_writes_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, the parent linked the names of English and Arabic articles itself (some
    # 0.7 s at 10,000 articles) while the workers, done profiling, stood idle.
    monkeypatch.setattr(profiling, "PARALLEL_FROM", 100)
    linked_here = _counting(monkeypatch, names_part, "linked_by_names")
    alone, alone_files = _refreshed(tmp_path / "alone", None)
    assert linked_here[0] == 1
    with Workers(2) as workers:
        helped, helped_files = _refreshed(tmp_path / "helped", workers)
    assert linked_here[0] == 1  # not once more here: on a worker
    assert helped == alone
    assert helped_files.keys() == alone_files.keys()
    assert "event-scores.sqlite" in helped_files
    for name, data in alone_files.items():
        assert helped_files[name] == data, name


def test_a_rebuild_starts_its_workers_before_reading_the_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, the workers were started once every article was read, then spent half a
    # second importing while the parent waited.
    from reader.core.library import Library

    config = _news_config(tmp_path)
    order: list[str] = []
    start_workers = profiling.start_workers
    read_leads = store.read_leads

    def starting(*args: Any) -> Workers | None:
        order.append("workers")
        return start_workers(*args)

    def reading(*args: Any) -> Any:
        for article in read_leads(*args):
            order.append("article")
            yield article

    monkeypatch.setattr(profiling, "PARALLEL_FROM", 1)
    monkeypatch.setattr(profiling, "start_workers", starting)
    monkeypatch.setattr(store, "read_leads", reading)
    rows_here = _counting(monkeypatch, library_listing, "_rows")
    with Library(config) as library:
        library.update()
        assert order[0] == "workers" and order.count("workers") == 1
        assert order.count("article") > 1
        # The listing's rows were made on a worker, and are those made here.
        assert rows_here[0] == 0
        folder = live_folder(config)
        listing = (folder / LISTING_FILE).read_bytes()
        (folder / LISTING_FILE).unlink()
        keep_listing(config, folder, library.gazetteer_name())
        assert rows_here[0] == 1
        assert (folder / LISTING_FILE).read_bytes() == listing
        order.clear()
        library.refresh_events(rebuild=False)  # nothing to profile: no workers
        assert "workers" not in order


def test_a_rebuild_makes_its_listing_on_a_new_process_not_on_an_event_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, the listing ran on an event worker, which held what the grouping had left it:
    # at 50,000 articles the process tree peaked while the parent wrote the table beside
    # that worker (777 MB); on a new process the peak was 665 MB.
    from reader.core.library import Library

    config = _news_config(tmp_path)
    made: list[Workers] = []
    listed_on: list[int] = []

    def sent(pool: Workers, function: Any, *_: Any) -> None:
        if function is library_listing.listing_job:
            listed_on.append(made.index(pool))

    monkeypatch.setattr(profiling, "PARALLEL_FROM", 1)
    _watching(monkeypatch, Workers, "__init__", lambda pool, *_: made.append(pool))
    _watching(monkeypatch, Workers, "later", sent)
    rows_here = _counting(monkeypatch, library_listing, "_rows")
    with Library(config) as library:
        library.update()
        folder = live_folder(config)
        listing = (folder / LISTING_FILE).read_bytes()
        keep_listing(config, folder, library.gazetteer_name())  # made here this time
    assert [w.size for w in made] == [0, 0]  # all ended with the rebuild
    assert listed_on == [1]  # the second pool: a process of its own
    assert rows_here[0] == 1  # not made in the parent during the rebuild
    assert (folder / LISTING_FILE).read_bytes() == listing


def test_jobs_given_for_later_go_in_order_to_the_workers_free_or_are_taken_back() -> None:
    made: list[int] = []

    def make(value: float) -> Any:
        def making(worker: int) -> float:
            made.append(worker)
            return value

        return making

    with Workers(1) as workers:
        first = workers.later(math.sqrt, make(16.0))  # sent at once: the worker is free
        second = workers.later(math.sqrt, make(25.0))
        third = workers.later(math.sqrt, make(36.0))
        assert made == [0]
        assert workers.take_back(third) and not workers.take_back(first)
        assert (second.result(), first.result()) == (5.0, 4.0)
        workers.poll()
        assert made == [0, 0]
        assert not third.done


def _fed(folder: Path, articles: list[Any], workers: Workers) -> tuple[list[Any], dict[str, bytes]]:
    gazetteer = load_gazetteer()
    digests: dict[str, str] = {}
    fields: list[Any] = []
    events = store.refresh(
        folder,
        store.read_leads(articles, fields, digests),
        gazetteer,
        "built-in",
        threshold=0.3,
        rebuild=True,
        stamp="gen-1:test",
        digests=digests,
        workers=workers,
    )
    return events, {f.name: f.read_bytes() for f in sorted(folder.iterdir()) if f.is_file()}


def test_a_rebuild_on_started_workers_profiles_the_articles_as_they_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, every article was read, then sent to the workers: while the parent read, the
    # workers stood idle. Now each chunk goes to them once read; the same files result,
    # an article read twice included (the workers profile both readings).
    monkeypatch.setattr(scratch_jobs, "CHUNK", 40)
    alone, alone_files = _refreshed(tmp_path / "alone", None)
    profiled_here = _counting(monkeypatch, profiling, "profile")
    sent: list[int] = []
    read_leads = store.read_leads

    def reading(*args: Any) -> Any:
        for n, article in enumerate(read_leads(*args)):
            if n == 100:
                sent.append(len(workers._busy) + len(workers._queue))
            yield article

    monkeypatch.setattr(store, "read_leads", reading)
    with Workers(2) as workers:
        fed, fed_files = _fed(tmp_path / "fed", _articles(320), workers)
    assert profiled_here[0] == 0
    assert sent and sent[0] > 0  # chunks were out before the articles were all read
    assert fed == alone
    assert fed_files == alone_files
    # An article read twice: the last one stands, as when the articles are gathered first;
    # the workers profile both (before, every article was profiled again here).
    twice = _articles(320)
    twice.insert(200, twice[7])
    twice.insert(45, twice[44])  # twice within one chunk
    with Workers(2) as workers:
        again, again_files = _fed(tmp_path / "twice", twice, workers)
    assert profiled_here[0] == 0
    assert again == alone
    assert again_files == alone_files


def test_an_article_read_again_with_other_text_stands_for_its_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first reading of a0007 is profiled, kept and counted, then replaced: its words are
    # counted no more, and the files are those of the articles without it.
    monkeypatch.setattr(scratch_jobs, "CHUNK", 40)
    articles = _articles(320)
    alone, alone_files = _refreshed(tmp_path / "alone", None)
    first = dataclasses.replace(articles[7], title="Other", body="Zanzibar ferry sinks, 12 dead.")
    # Read first with other text, in its place; read again as it is, chunks later.
    twice = [*articles[:7], first, *articles[8:130], articles[7], *articles[130:]]
    with Workers(2) as workers:
        again, again_files = _fed(tmp_path / "again", twice, workers)
    assert again == alone
    assert again_files == alone_files


def test_when_a_worker_fails_midway_only_the_chunks_not_kept_are_profiled_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, every article read was held to the end (some 70 MB at 50,000 articles) and,
    # when the workers failed, every one of them was profiled again here.
    monkeypatch.setattr(scratch_jobs, "CHUNK", 40)
    alone, alone_files = _refreshed(tmp_path / "alone", None)
    held: list[int] = []
    _watching(
        monkeypatch,
        scratch_jobs.Feed,
        "_take",
        lambda feed: held.append(sum(chunk is not None for chunk in feed._chunks[: feed._taken])),
    )
    monkeypatch.setattr(scratch_jobs, "lean_chunk", _failing_from_the_fifth_chunk)
    profiled_here = _counting(monkeypatch, profiling, "profile")
    with Workers(2) as workers:
        fed, fed_files = _fed(tmp_path / "fed", _articles(320), workers)
    assert 0 < profiled_here[0] <= 320 - 4 * 40  # four chunks were kept from the workers
    assert held and max(held) == 0  # a chunk kept is let go
    assert fed == alone
    assert fed_files == alone_files


def test_the_feed_reads_no_further_ahead_of_the_workers_than_a_few_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reading is some three times faster than profiling: without a bound, at 50,000
    # articles the parent held the leads of most of the set at once (some 140 MB).
    monkeypatch.setattr(scratch_jobs, "CHUNK", 20)
    monkeypatch.setattr(scratch_jobs, "AHEAD", 1)
    alone, alone_files = _refreshed(tmp_path / "alone", None)
    ahead: list[int] = []
    _watching(
        monkeypatch,
        scratch_jobs.Feed,
        "_send",
        lambda feed: ahead.append(sum(chunk is not None for chunk in feed._chunks)),
    )
    profiled_here = _counting(monkeypatch, profiling, "profile")
    with Workers(2) as workers:
        fed, fed_files = _fed(tmp_path / "fed", _articles(320), workers)
    assert len(ahead) == 16
    assert max(ahead) <= 2  # AHEAD chunks a worker, two workers
    assert profiled_here[0] == 0
    assert fed == alone
    assert fed_files == alone_files


def test_the_workers_end_once_their_last_job_for_the_grouping_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, both workers lived to the end of the rebuild, idle through the writing of the
    # table, the largest step of the parent (at 50,000 articles, some 200 MB each): now
    # they end once the names have arrived, even when the caller has a job of its own (the
    # listing), which it sends to a new process.
    from reader.core.events import store_scratch

    monkeypatch.setattr(profiling, "PARALLEL_FROM", 100)
    alone, alone_files = _refreshed(tmp_path / "alone", None)
    at_writing: list[int] = []
    _watching(monkeypatch, store_scratch, "write_files", lambda *_: at_writing.append(workers.size))
    with Workers(2) as workers:
        helped, helped_files = _refreshed(tmp_path / "helped", workers)
    assert at_writing == [0]
    assert helped == alone
    assert helped_files == alone_files
    # With the caller's last job (its listing, sent once the events are grouped): none kept.
    sent: list[Any] = []

    def grouped(events: list[Any]) -> None:
        assert workers.size == 0  # the names have arrived: no event worker is left
        own = stack.enter_context(Workers(1))
        sent.append(own.later(len, lambda _n: [e.id for e in events]))

    with Workers(2) as workers, ExitStack() as stack:
        events = store.refresh(
            tmp_path / "listed",
            _articles(320),
            load_gazetteer(),
            "built-in",
            threshold=0.3,
            rebuild=True,
            stamp="gen-1:test",
            workers=workers,
            grouped=grouped,
        )
        assert at_writing[1:] == [0]
        assert sent[0].result() == len(events)
    assert events == alone


def _watching(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, seen: Callable[..., object]
) -> None:
    """``owner.name`` as it is, ``seen`` called with its arguments after each call."""
    original = getattr(owner, name)

    def watched(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        seen(*args)
        return result

    monkeypatch.setattr(owner, name, watched)


def _failing_from_the_fifth_chunk(job: Any) -> bytes:
    """:func:`lean_chunk`, failing for the chunks from the fifth on (a0160 and later)."""
    if job[1][0][0] >= "a0160":
        raise RuntimeError("worker broke")
    return lean_chunk(job)


def test_a_rebuild_on_workers_scores_the_names_of_the_stored_pairs_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, the parent worked out the names part of every English–Arabic pair the
    # similarity table stores as it wrote the table (2.5 s of 6.5 at 50,000 articles) while
    # the workers stood idle; now a worker does while the parent groups: the same files.
    from reader.core.events import store_scores
    from reader.core.events.names_part import NamesPart

    monkeypatch.setattr(profiling, "PARALLEL_FROM", 100)
    alone, alone_files = _refreshed(tmp_path / "alone", None)
    matched = _counting(monkeypatch, NamesPart, "matched_names")
    in_table: list[int] = []
    names_rows = store_scores._names_rows

    def writing(*args: Any) -> Any:
        before = matched[0]
        rows = names_rows(*args)
        in_table.append(matched[0] - before)
        return rows

    monkeypatch.setattr(store_scores, "_names_rows", writing)
    with Workers(2) as workers:
        helped, helped_files = _refreshed(tmp_path / "helped", workers)
    assert in_table == [0]  # every pair's score came from the worker
    assert helped == alone
    assert helped_files == alone_files
    assert len(alone_files["event-scores.sqlite"]) > 0
    with Workers(2) as workers:  # the scoring fails: worked out here, the same files
        monkeypatch.setattr(scratch_jobs, "score_names", _failing)
        failed, failed_files = _refreshed(tmp_path / "failed", workers)
    assert in_table[-1] > 0
    assert failed == alone
    assert failed_files == alone_files


def _failing(job: Any) -> Any:
    raise RuntimeError("worker broke")


def test_a_rebuild_on_workers_scores_the_names_of_every_english_arabic_pair_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, the grouping's edges worked out the names part of each English–Arabic
    # candidate pair in the parent (some 40% of the edges' time at 10,000 articles) while
    # the workers stood idle; now a worker does, in one part (the other worker ends first:
    # one is enough, and the tree holds one worker's memory less), while the parent scores
    # the other pairs, and the parent matches no names at all: the same events and files.
    from reader.core.events.names_part import NamesPart

    monkeypatch.setattr(profiling, "PARALLEL_FROM", 100)
    matched = _counting(monkeypatch, NamesPart, "matched_names")
    alone, alone_files = _refreshed(tmp_path / "alone", None)
    assert matched[0] > 0
    sent: list[int] = []
    later = Workers.later

    def sending(self: Workers, function: Any, make: Any) -> Any:
        if function is names_part.score_names:
            sent.append(self.size)
        return later(self, function, make)

    monkeypatch.setattr(Workers, "later", sending)
    before = matched[0]
    with Workers(2) as workers:
        helped, helped_files = _refreshed(tmp_path / "helped", workers)
    assert matched[0] == before  # not one name matched here
    assert sent == [1]  # one part, sent once the other worker had ended
    assert helped == alone
    assert helped_files == alone_files


def test_a_worker_scores_the_names_article_by_article_holding_one_large_index_at_a_time() -> None:
    # Before, the pairs were scored in id order, and each Arabic article's names index (the
    # larger side: 130 names an article in the bench's Arabic, under one in its English)
    # lived from its first pair to its last: at 50,000 articles the worker grew by some
    # 120 MB. Now the pairs are taken by the article of the heavier script: the same scores.
    english: names_part.Named = [(f"e{k}", (f"Name{k}",)) for k in range(6)]
    arabic: names_part.Named = [(f"z{k}", tuple(f"اسم{k}{j}" for j in range(20))) for k in range(6)]
    pairs = sorted((min(e, a), max(e, a)) for e, _n in english for a, _m in arabic)
    df = {name: 1 for _i, names in english + arabic for name in names}
    job = (english, arabic, df, 12, pairs)
    held: list[int] = []
    names_of = names_part.NamesPart._names_of

    def watched(self: Any, article_id: str) -> Any:
        found = names_of(self, article_id)
        held.append(sum(1 for i in self._name_index if i.startswith("z")))
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(names_part.NamesPart, "_names_of", watched)
        scores = names_part.score_names(job)
    assert max(held) == 1  # in id order: all six at once
    one_by_one = names_part._NamesAlone(english, arabic, df, 12)
    assert list(scores) == [one_by_one.names_score(a, b) for a, b in pairs]


def test_the_listing_job_spools_its_rows_and_the_parent_writes_the_same_file_from_them(
    tmp_path: Path,
) -> None:
    # Before, the listing's worker sent its rows back pickled (at 50,000 articles some
    # 40 MB of JSON, held twice there and again here); now it writes them to a file in the
    # folder, which the parent copies into the listing and removes.
    from reader.core.events.listing import spool_rows
    from reader.core.library import Library

    config = _news_config(tmp_path)
    with Library(config) as library:
        library.update()
        folder = live_folder(config)
        name = library.gazetteer_name()
    listing = (folder / LISTING_FILE).read_bytes()
    assert not list(folder.glob(".events-listing-*"))  # the rebuild's spool is gone
    decisions, spooled = library_listing.listing_job((config, folder, name, None))
    assert spooled is not None and spooled[1].exists() and spooled[1].parent == folder

    class Made:
        def result(self) -> Any:
            return decisions, spooled

    (folder / LISTING_FILE).unlink()
    keep_listing(config, folder, name, made=Made())  # type: ignore[arg-type]
    assert (folder / LISTING_FILE).read_bytes() == listing
    assert not spooled[1].exists()
    # A spool a killed run left an hour ago goes with the next one; a newer one stays.
    old, new = folder / ".events-listing-old.rows", folder / ".events-listing-new.rows"
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    made = spool_rows(folder, [])
    assert made is not None and not old.exists() and new.exists()
    made[1].unlink()


def test_a_listing_made_while_the_index_changed_is_not_kept_and_its_spool_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The key (the index's state, the decisions, the settings) is taken before the worker's
    # rows are waited for: when it changed meanwhile, the rows are of the old state.
    from reader.core.events import listing as listing_module
    from reader.core.library import Library

    config = _news_config(tmp_path)
    with Library(config) as library:
        library.update()
        folder = live_folder(config)
        name = library.gazetteer_name()
    decisions, spooled = library_listing.listing_job((config, folder, name, None))
    assert spooled is not None
    state = [0]

    class Made:
        done = True

        def result(self) -> Any:
            state[0] += 1  # the index changes while the worker makes the rows
            return decisions, spooled

    monkeypatch.setattr(listing_module, "listing_key", lambda *_: f"key-{state[0]}")
    (folder / LISTING_FILE).unlink()
    keep_listing(config, folder, name, made=Made())  # type: ignore[arg-type]
    assert not (folder / LISTING_FILE).exists()
    assert not spooled[1].exists()
