"""The best hits of a query over one open index and how many articles it matches, each query
the fastest of three exact ways.

:class:`TopHits` sends ORs and ANDs of more than two terms, phrases and common words
(:func:`reader.core.search.vector_gate.worth_it`) to the vectorised path
(:mod:`reader.core.search.vector`: exact top hits, exact count), or, in the first such search
of a process that has not loaded numpy and when the query is small enough, to its plain-Python
twin (:mod:`reader.core.search.scalar_path`, the same figures); the rest to Whoosh's matchers
with its exact collector (:mod:`reader.core.search.exact`), counted by
:func:`reader.core.search.hits.matched_count`. numpy, the vectorised path and the plain-Python
one are imported only by a query that takes them.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from reader.core.search.exact import exact_collector
from reader.core.search.guard import Guard, GuardedSearcher, TimeUp
from reader.core.search.hits import matched_count


class TopHits:
    """The ways to the top hits of one open (guarded) searcher, the vectorised and the
    plain-Python paths made on first use; :meth:`reopen` for a new index generation. Not
    thread-safe: its searcher's owner (a :class:`reader.core.search.searcher.Searcher`)
    calls it under its own lock."""

    def __init__(self, searcher: GuardedSearcher) -> None:
        self.searcher = searcher
        self.vector: Any = None  # the VectorIndex, made on first use (False: cannot score)
        self.scalar: Any = None  # its plain-Python twin (ScalarIndex), made on first use
        self._scalar_search: int | None = None  # the search that scored in plain Python

    def reopen(self, searcher: GuardedSearcher) -> None:
        """Answer from ``searcher`` now (a new index generation): the paths made over the old
        one are dropped. Plain Python stays the first search's way only."""
        self.searcher = searcher
        self.vector = self.scalar = None

    def whoosh(self, q: wq.Query, limit: int, filter_q: wq.Query | None) -> tuple[Any, bool]:
        """Whoosh's results for ``q`` and whether the time ran out first (then the results
        are those collected so far)."""
        collector = exact_collector(self.searcher, limit, filter_q)
        try:
            self.searcher.search_with_collector(q, collector)
        except TimeUp:
            return collector.results(), True
        return collector.results(), False

    def top(
        self, q: wq.Query, limit: int, filter_q: wq.Query | None, guard: Guard, search: int
    ) -> tuple[list[tuple[float, int]], int, bool, bool]:
        """The best ``limit`` (score, document number) of ``q`` among the documents
        ``filter_q`` matches (all when None), how many articles match, whether that count is
        exact, and whether the time ran out first; the work is counted by ``guard``.
        ``search``: the number of the search asking (its searcher's count, from 1): plain
        Python scores only the first search that takes a fast path (both of its passes)."""
        ws = self.searcher
        fast = None
        from reader.core.search.vector_gate import scalar_first, worth_it

        if worth_it(q, ws.reader()):
            try:
                # Plain Python for the first search only (a new process: `reader search`, the
                # app's first query); later ones load numpy and keep scored lists cached.
                first = self._scalar_search in (None, search)
                if first and scalar_first(q, ws.reader()):
                    self._scalar_search = search
                    if self.scalar is None:
                        from reader.core.search.scalar_path import ScalarIndex

                        self.scalar = ScalarIndex(ws)
                    self.scalar.tick = guard.work
                    fast = self.scalar.top(q, limit, filter_q)
                vector = None if fast is not None else self.vector_index()
                if vector is not None:
                    vector.tick = guard.work
                    fast = vector.top(q, limit, filter_q)
            except TimeUp:
                return [], 0, False, True
        if fast is not None:
            best, total = fast
            return best, total, True, False
        found, partial = self.whoosh(q, limit, filter_q)
        total, exact = matched_count(found, limit, partial)
        return [(hit.score or 0.0, hit.docnum) for hit in found], total, exact, partial

    def holds(self, phrase: wq.Phrase) -> bool | None:
        """Whether any document holds ``phrase``, by the vectorised path if it is made already
        (never made, nor numpy imported, for this), its documents kept for the search that
        runs it; None when it is not made or cannot read the phrase."""
        if not self.vector:
            return None
        from reader.core.search.vector_gate import Unsupported

        try:
            return bool(self.vector.holds(phrase))
        except Unsupported:
            return None

    def vector_index(self) -> Any:
        """The vectorised path over the open index (None when it cannot score it: numpy
        missing from this install, or a weighting other than BM25F)."""
        if self.vector is None:
            try:
                from reader.core.search.vector import Unsupported, VectorIndex
            except ImportError:  # numpy missing from this install: Whoosh's matchers answer
                self.vector = False
                return None
            try:
                self.vector = VectorIndex(self.searcher)
            except Unsupported:
                self.vector = False
        return self.vector or None
