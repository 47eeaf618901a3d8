"""A first prefix search while typing: its terms read with one look-up of each term per
segment (and the same scores, to the last bit, as Whoosh's way), and what the first searches
load, loaded before typing starts (:meth:`Searcher.warm_steps`)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh.filedb import filetables

from reader.core.config import load_config
from reader.core.search import vector as vector_module
from reader.core.search import warm
from reader.core.search.index import update_index
from reader.core.search.searcher import Searcher
from reader.core.search.vector import VectorIndex
from reader.core.search.vocabulary import Vocabulary
from tests.conftest import write_config
from tests.test_search_topk import write_articles
from tests.test_search_vector import config_file as config_file
from tests.test_search_vector import searcher as searcher

SCORED = ("title", "body")  # the scored fields a prefix expands into


def _count_lookups(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the look-ups of a key in Whoosh's on-disk hash tables (the terms table)."""
    calls = {"lookups": 0}
    original = filetables.HashReader.ranges_for_key

    def counting(self: Any, key: Any) -> Any:
        calls["lookups"] += 1
        return original(self, key)

    monkeypatch.setattr(filetables.HashReader, "ranges_for_key", counting)
    return calls


def test_a_prefix_looks_each_term_up_once_per_segment(
    searcher: Searcher,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whoosh's way looked a term up four to seven times a segment (in the reader, its
    document frequency, its IDF, opening its postings); read from its entry, once."""
    q = searcher._expand(searcher.parse("wor*"))
    vector = VectorIndex(searcher._searcher)
    segments = len(list(searcher._searcher.leaf_searchers()))
    calls = _count_lookups(monkeypatch)
    found = vector.top(q, 25)
    assert found is not None and found[1] > 25
    assert vector.lists_read >= 20  # a title and a body term for each word of wor*
    assert calls["lookups"] <= vector.lists_read * segments


def test_terms_read_from_their_entries_score_as_whoosh_s_way_to_the_last_bit(
    searcher: Searcher,
) -> None:
    direct = VectorIndex(searcher._searcher)
    assert direct._direct.usable
    through_whoosh = VectorIndex(searcher._searcher)
    through_whoosh._direct.usable = False
    vocabulary = searcher._load_vocabulary()
    terms = sorted(set(vocabulary.words().values()))
    assert len(terms) > 50
    for fieldname in ("title", "body"):
        for term in terms:
            docs, scores = direct._term(fieldname, term)
            want_docs, want_scores = through_whoosh._term(fieldname, term)
            assert np.array_equal(docs, want_docs)
            assert np.array_equal(scores, want_scores)  # bit for bit, not approximately
    assert direct._direct.lookups > 0


def test_a_segment_with_deleted_articles_is_read_from_its_entries_without_them(
    tmp_path: Path,
) -> None:
    """Whoosh filters deleted documents out of a segment's postings; a term's entry still
    lists them and counts them in its document frequency. The direct way leaves them out too:
    the same documents and scores, to the last bit, as Whoosh's way, and the same exact
    ranking."""
    corpus = tmp_path / "corpus"
    write_articles(corpus, 60, 5, "d")
    config = load_config(write_config(tmp_path))
    update_index(config)
    for number in range(0, 60, 7):
        (corpus / f"d{number:04d}.txt").unlink()
    update_index(config)
    with Searcher(config) as opened:
        reader = opened._searcher.reader()
        if not any(sub.has_deletions() for sub, _ in reader.leaf_readers()):
            pytest.skip("the update merged the deletions away")
        vector = VectorIndex(opened._searcher)
        assert vector._direct.usable
        q = opened._expand(opened.parse("wor*"))
        found = vector.top(q, 10**6)
        assert found is not None
        assert [doc for _, doc in found[0]] == [doc for _, doc in exhaustive_docnums(opened, q)]
        assert vector._direct.lookups > 0  # read from the entries, not through Whoosh
        deleted = {
            offset + doc
            for sub, offset in opened._searcher.leaf_searchers()
            for doc in sub.reader().deleted_docs_set
        }
        assert deleted
        through_whoosh = VectorIndex(opened._searcher)
        through_whoosh._direct.usable = False
        terms = {(leaf.fieldname, leaf.text) for leaf in q.leaves() if leaf.fieldname in SCORED}
        assert len(terms) >= 10
        seen: set[int] = set()
        for fieldname, term in sorted(terms):
            docs, scores = vector._term(fieldname, term)
            want_docs, want_scores = through_whoosh._term(fieldname, term)
            assert not deleted & set(docs.tolist())
            seen.update(docs.tolist())
            assert np.array_equal(docs, want_docs)
            assert np.array_equal(scores, want_scores)  # bit for bit
        assert len(seen) > 20


def exhaustive_docnums(opened: Searcher, q: Any) -> list[tuple[float, int]]:
    ws = opened._searcher
    scored: list[tuple[float, int]] = []
    for sub, offset in ws.leaf_searchers():
        matcher = q.matcher(sub)
        while matcher.is_active():
            scored.append((matcher.score(), offset + matcher.id()))
            matcher.next()
    scored.sort(key=lambda item: (-item[0], item[1]))
    return scored


def _first_typed_prefix(
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    warm: bool,
) -> tuple[dict[str, int], list[tuple[str, float]], int]:
    """What a new searcher's first typed prefix loads (the word list, the field lengths),
    with or without its warm steps run first; the hits and count it finds."""
    loads = {"words": 0, "lengths": 0}

    def counted(name: str, function: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            loads[name] += 1
            return function(*args, **kwargs)

        return call

    monkeypatch.setattr(Vocabulary, "load", counted("words", Vocabulary.load))
    lengths = counted("lengths", vector_module.field_lengths)
    monkeypatch.setattr(vector_module, "field_lengths", lengths)
    with Searcher(load_config(config_file)) as opened:
        assert opened.config.cross_script
        if warm:
            while opened.warm_step():
                pass
            assert opened._top_hits.vector  # the vectorised path made (numpy loaded)
            assert opened._parser()._gazetteer is not None  # the names' other spellings
            assert opened.config.same_language_first and opened._filters  # Arabic articles
            vocabulary = opened._vocabulary
            assert vocabulary is not None and vocabulary._layer is not None
            loads.update(words=0, lengths=0)
        found = opened.search("wor", limit=25, typing=True)
        assert opened._top_hits.vector  # the prefix took the vectorised path
    return loads, [(hit.id, hit.score) for hit in found.hits], found.total


def test_warm_steps_load_what_a_first_typed_prefix_needs(
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cold_loads, cold_hits, cold_total = _first_typed_prefix(config_file, monkeypatch, warm=False)
    assert cold_loads["words"] == 1 and cold_loads["lengths"] >= 2  # what warming moves
    warm_loads, warm_hits, warm_total = _first_typed_prefix(config_file, monkeypatch, warm=True)
    assert warm_loads == {"words": 0, "lengths": 0}
    assert (warm_hits, warm_total) == (cold_hits, cold_total)
    assert len(warm_hits) == 25


def test_warming_starts_again_for_a_new_generation(config_file: Path) -> None:
    with Searcher(load_config(config_file)) as opened:
        assert opened.warm_step()  # the word list
        opened.refresh()
        assert opened._vocabulary is None and opened._top_hits.vector is None
        steps = 1
        while opened.warm_step():
            steps += 1
        assert opened._vocabulary is not None and opened._top_hits.vector
        assert steps >= 4  # words, gazetteer, numpy and lengths, at least one scan
        assert not opened.warm_step()  # done for this generation


def _lists_a_typed_prefix_reads(config_file: Path, text: str) -> tuple[int, set[Any], Any]:
    """Warm a new searcher to the end, then search ``text`` as typed: the posting lists the
    search decoded, the terms read ahead, and the results."""
    with Searcher(load_config(config_file)) as opened:
        while opened.warm_step():
            pass
        vector = opened._top_hits.vector
        assert vector
        ahead = set(vector._cache)
        assert sum(len(docs) for docs, _scores in vector._cache.values()) <= warm.WARM_POSTINGS
        before = vector.lists_read
        found = opened.search(text, limit=25, typing=True)
        return vector.lists_read - before, ahead, found


def test_warming_reads_the_common_words_postings_ahead(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After warming, a typed prefix decodes none of the most frequent title and body terms
    it stands for (they were read ahead, within the budget), and finds the same."""
    monkeypatch.setattr(warm, "COMMON", 20)  # common here: 300 articles, not 10,000
    warm_read, ahead, found = _lists_a_typed_prefix_reads(config_file, "fil")
    monkeypatch.setattr(warm, "WARM_POSTINGS", 0)  # nothing read ahead
    cold_read, nothing, cold_found = _lists_a_typed_prefix_reads(config_file, "fil")
    assert not nothing and ahead
    assert found.total == cold_found.total > 25
    assert [(h.id, h.score) for h in found.hits] == [(h.id, h.score) for h in cold_found.hits]
    with Searcher(load_config(config_file)) as opened:
        expanded = opened._expand(opened.prepare("fil", typing=True).parsed)
        terms = {(leaf.fieldname, leaf.text) for leaf in expanded.leaves()}
    assert 0 < len(terms & ahead) < len(terms)  # some of its terms common, some rare
    assert warm_read == cold_read - len(terms & ahead)


def test_warming_in_the_background_frees_the_lock_and_waits_while_searches_are_made(
    config_file: Path,
) -> None:
    """Between two steps the lock is free and the thread sleeps; while searches are being
    made (the last less than ``QUIET`` ago) no step is taken; an index without a warm-up
    (another backend) is left alone."""
    lock = threading.Lock()
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        assert not lock.locked()  # searches may run between two steps
        sleeps.append(seconds)
        now[0] += seconds

    with Searcher(load_config(config_file)) as opened:
        opened.search("worak", limit=5)
        opened.searched_at = now[0] - 0.1  # a search 0.1 s ago: typing goes first
        steps = warm.run_warming(lock, lambda: opened, sleep=sleep, clock=lambda: now[0])
        assert sleeps[0] == pytest.approx(warm.QUIET - 0.1)
        assert steps >= 4 and not opened.warm_step()
        assert sleeps[1:] == [warm.BREATHE] * steps
    assert warm.run_warming(lock, lambda: object(), sleep=sleep) == 0


def test_warming_stops_as_soon_as_it_is_cancelled(config_file: Path) -> None:
    """The app's worker is cancelled when the app quits: warming takes no step after that."""
    lock = threading.Lock()
    calls = [0]

    def cancelled() -> bool:
        calls[0] += 1
        return calls[0] > 2  # two steps, then the app quits

    with Searcher(load_config(config_file)) as opened:
        steps = warm.run_warming(lock, lambda: opened, sleep=lambda _s: None, cancelled=cancelled)
        assert steps == 2
        assert opened.warm_step()  # work was left: it stopped because it was cancelled
