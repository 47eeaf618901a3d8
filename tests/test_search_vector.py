"""The vectorised path matches what Whoosh matches, scores as Whoosh scores, ranks as the
exhaustive ranking does, counts exactly without running the query again, and is only loaded
(with numpy) when a query needs it."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import query as wq

from reader.core.config import load_config
from reader.core.search import hits, vector_gate
from reader.core.search import searcher as searcher_module
from reader.core.search.guard import Guard, SearchCancelled
from reader.core.search.index import update_index
from reader.core.search.scalar_path import ScalarIndex
from reader.core.search.searcher import Searcher
from reader.core.search.vector import VectorIndex
from reader.core.search.vector_gate import supported, worth_it
from tests.conftest import ROOT, write_config
from tests.test_search_topk import ARTICLES, exhaustive, write_articles

QUERIES = [
    "wor*",
    "wora*",
    "worb* OR worc*",
    "worak worb*",
    "wor* AND NOT worbk",
    "(worak OR worbl) AND filaab",
    "worak^3 OR worbl",
    "worbk ANDMAYBE worcl",
    "title:wor*",
    "nothingmatches*",
    '"worak worbl"',
    '"filaaa filaab" OR wor*',
    '"filaaa filaab filaba"',
    '"filaaa filaab"~3',
    'title:"worak worbl" filaaa',
    "worak lang:other",  # an unscored field: its weight is its score
    "(wor* OR filaab) AND NOT lang:en",
]


@pytest.fixture(scope="module")
def config_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("vector")
    write_articles(folder / "corpus", ARTICLES, 2, "v")
    path = write_config(folder)
    update_index(load_config(path))
    return path


@pytest.fixture(scope="module")
def searcher(config_file: Path) -> Any:
    with Searcher(load_config(config_file)) as opened:
        yield opened


def _whoosh_scores(searcher: Searcher, q: wq.Query) -> dict[int, float]:
    """Every document Whoosh's own matchers match, with Whoosh's score (no pruning)."""
    ws = searcher._searcher
    found: dict[int, float] = {}
    for sub, offset in ws.leaf_searchers():
        matcher = q.matcher(sub)
        while matcher.is_active():
            found[offset + matcher.id()] = matcher.score()
            matcher.next()
    return found


@pytest.mark.parametrize("text", QUERIES)
def test_matches_and_scores_what_whoosh_does(searcher: Searcher, text: str) -> None:
    q = searcher._expand(searcher.parse(text))
    assert supported(q)
    vector = VectorIndex(searcher._searcher)
    result = vector.top(q, limit=10**6)
    assert result is not None
    best, total = result
    want = _whoosh_scores(searcher, q)
    if text.startswith('"filaaa filaab"'):  # a phrase of common words: it does match
        assert want
    assert total == len(want) == len(set(searcher._searcher.docs_for_query(q)))
    assert {doc for _, doc in best} == set(want)
    for score, doc in best:
        assert score == pytest.approx(want[doc], rel=1e-12)
    # Ranked as the exhaustive ranking: score descending, then index order.
    assert best == sorted(best, key=lambda item: (-item[0], item[1]))


@pytest.mark.parametrize("text", ["wor*", "worak worb*", "worb* OR worc*"])
def test_search_takes_the_vectorised_path_exactly(searcher: Searcher, text: str) -> None:
    prepared = searcher.prepare(text, cross_script=False)
    expanded = searcher._expand(prepared.parsed)
    assert worth_it(expanded, searcher._searcher.reader())
    ranked = exhaustive(searcher, expanded)
    for limit in (1, 10, 25):
        found = searcher.search(prepared, limit=limit)
        assert [h.id for h in found.hits] == [doc for _, doc in ranked[:limit]]
        # The count is exact, from the one pass (Whoosh's estimate was an upper bound).
        assert (found.total, found.exact) == (len(ranked), True)
    assert searcher._top_hits.vector is not None and searcher._top_hits.vector.lists_read > 0


def test_posting_lists_are_read_once_per_generation(searcher: Searcher) -> None:
    vector = VectorIndex(searcher._searcher)
    q = searcher._expand(searcher.parse("wora*"))
    vector.top(q, 10)
    read = vector.lists_read
    assert read >= 10
    vector.top(q, 10)
    assert vector.lists_read == read


def test_a_filter_keeps_only_its_articles(searcher: Searcher) -> None:
    q = searcher._expand(searcher.parse("wor*"))
    vector = VectorIndex(searcher._searcher)
    only = wq.Term("title", "worak")
    result = vector.top(q, 10**6, only)
    assert result is not None
    allowed = set(searcher._searcher.docs_for_query(only))
    assert {doc for _, doc in result[0]} == allowed & set(_whoosh_scores(searcher, q))


def test_cancel_stops_the_vectorised_path(searcher: Searcher) -> None:
    cancel = threading.Event()
    cancel.set()
    vector = VectorIndex(searcher._searcher)
    vector.tick = Guard(cancel).work
    with pytest.raises(SearchCancelled):
        vector.top(searcher._expand(searcher.parse("worc*")), 10)


def test_what_the_path_does_not_compute_goes_to_whoosh(searcher: Searcher) -> None:
    reader = searcher._searcher.reader()
    for text in ("NOT worak", "*"):
        q = searcher._expand(searcher.parse(text))
        assert not worth_it(q, reader), text
    q = searcher._expand(searcher.parse("NOT worak"))
    assert VectorIndex(searcher._searcher).top(q, 10) is None
    # A rare single word (its title and body terms) stays with Whoosh's matchers.
    assert not worth_it(searcher._expand(searcher.parse("worak")), reader)


def test_a_new_process_searches_without_loading_numpy(config_file: Path) -> None:
    """In a new process a rare word (Whoosh's matchers) and the first search that needs the
    vectorised path (scored in plain Python) load no numpy; the next such search loads it and
    takes the vectorised path (its cache serves a process that keeps searching), with the
    same hits, scores and counts."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reader.core.config import load_config\n"
        "from reader.core.search.searcher import Searcher\n"
        "s = Searcher(load_config(Path(sys.argv[1])))\n"
        "def show(text):\n"
        "    found = s.search(text, limit=25)\n"
        "    print(found.total, [(h.id, h.score) for h in found.hits])\n"
        "    print('numpy' in sys.modules, s._top_hits.vector is not None)\n"
        "for text in sys.argv[2:]:\n"
        "    show(text)\n"
    )
    queries = ["worak", "worb* OR worc*", "worb* OR worc*", "wor*"]
    command = [sys.executable, "-c", script, str(config_file), *queries]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    lines = out.stdout.splitlines()
    found, state = lines[0::2], lines[1::2]
    assert state == ["False False", "False False", "True True", "True True"]
    assert found[1] == found[2]  # plain Python, then numpy: the same hits, scores, count
    assert int(found[0].split()[0]) > 0 and int(found[1].split()[0]) > 25


@pytest.mark.parametrize("text", QUERIES)
def test_plain_python_path_is_the_vectorised_path_exactly(searcher: Searcher, text: str) -> None:
    """For every query it computes, the plain-Python path gives the vectorised path's top
    hits, scores (to the last bit) and count, with and without a filter; for the others it
    answers None and the vectorised path takes them."""
    q = searcher._expand(searcher.parse(text))
    ws = searcher._searcher
    scalar, vector = ScalarIndex(ws), VectorIndex(ws)
    computes = ScalarIndex.handles(q, ws)
    assert computes == (not any(k in text for k in ('"', "NOT", "ANDMAYBE"))), text
    for filter_q in (None, wq.Term("lang", "en"), wq.Term("title", "worak")):
        for limit in (1, 10, 10**6):
            got = scalar.top(q, limit, filter_q)
            if not computes:
                assert got is None
                continue
            assert got == vector.top(q, limit, filter_q)


def test_plain_python_path_stops_when_cancelled(searcher: Searcher) -> None:
    cancel = threading.Event()
    cancel.set()
    scalar = ScalarIndex(searcher._searcher, Guard(cancel).work)
    with pytest.raises(SearchCancelled):
        scalar.top(searcher._expand(searcher.parse("worc*")), 10)


def test_plain_python_path_only_while_numpy_is_not_loaded_and_the_query_is_small(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = searcher._searcher.reader()
    q = searcher._expand(searcher.parse("wor*"))
    postings = vector_gate.postings_read(q, reader)
    assert postings == sum(reader.doc_frequency(t.fieldname, t.text) for t in q.leaves())
    monkeypatch.delitem(sys.modules, "numpy", raising=False)
    monkeypatch.setattr(vector_gate, "SCALAR_POSTINGS", postings)
    assert vector_gate.scalar_first(q, reader)
    monkeypatch.setattr(vector_gate, "SCALAR_POSTINGS", postings - 1)
    assert not vector_gate.scalar_first(q, reader)
    monkeypatch.setattr(vector_gate, "SCALAR_POSTINGS", postings)
    monkeypatch.setitem(sys.modules, "numpy", np)
    assert not vector_gate.scalar_first(q, reader)


def test_browse_sorts_once_per_index_generation(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The empty box's order is sorted once for the open index: later calls (any filter,
    any limit) read only the articles they show; a refresh sorts the new generation."""
    with Searcher(load_config(config_file)) as fresh:
        sorts: list[object] = []
        original = type(fresh._searcher).search

        def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
            sorts.append(kwargs.get("sortedby"))
            return original(self, *args, **kwargs)

        monkeypatch.setattr(type(fresh._searcher), "search", counting)
        ordering = hits.browse_order  # from whole columns (no sorted search)

        def ordered(*args: Any) -> Any:
            sorts.append("columns")
            return ordering(*args)

        monkeypatch.setattr(searcher_module, "browse_order", ordered)
        first = [h.id for h in fresh.browse(limit=25)]
        done = len(sorts)
        assert done >= 1
        every = [h.id for h in fresh.browse(limit=10**6)]
        assert [h.id for h in fresh.browse(limit=5)] == first[:5] == every[:5]
        lang = fresh.browse(limit=1)[0].lang
        assert len(fresh.browse(limit=7, lang=lang)) == 7
        assert fresh.browse(limit=7, lang="xx") == []
        assert len(sorts) == done  # no sort again
        # Undated articles by id (this corpus has no dates): the whole order, every article.
        assert every == sorted(every) and len(every) == ARTICLES
        fresh.refresh()
        fresh.browse(limit=3)
        assert len(sorts) == 2 * done
