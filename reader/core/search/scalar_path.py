"""The vectorised path's ranking in plain Python, for a process that has not loaded numpy.

A new ``reader search`` for a common word (or a prefix with a modest expansion) would spend
more time importing numpy (70-120 ms) than scoring its postings. :class:`ScalarIndex` computes
what :class:`reader.core.search.vector.VectorIndex` computes for the node kinds a word and a
prefix give (terms, ``Or``, ``And`` without ``Not``, boosts), one posting at
a time in Python, in the very floating-point operations the vectorised path uses (each term's
score is Whoosh's BM25F to the last bit; an ``Or`` adds its parts per document in the order of
its subqueries, an ``And`` adds them shortest part first), so its top hits, scores and count
are the vectorised path's, exactly. Anything else (a phrase, ``Not``, a leaf that is not a
term) makes :meth:`ScalarIndex.top` return None: the caller takes the
vectorised path.

The searcher chooses it (:func:`reader.core.search.vector_gate.scalar_first`) for its first
search that needs either path, while numpy is not loaded and the query reads at most
:data:`reader.core.search.vector_gate.SCALAR_POSTINGS` postings. Nothing is cached: a process
that keeps searching (the app) loads numpy on its next such search and takes the vectorised
path, with its posting-list cache, from then on (decoding the postings again at every keystroke
was 5-7 times slower).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from reader.core.search.guard import GuardedMatcher

Scored = dict[int, float]  # global document number -> score, in document order
_LENGTH_OF_BYTE = [float(byte_to_length(b) or 0) for b in range(256)]


class ScalarIndex:
    """Exact top hits of terms, ORs and ANDs of one open Whoosh searcher, without numpy.
    Not thread-safe (the searcher's callers hold its lock)."""

    def __init__(self, searcher: Any, tick: Callable[[int], None] | None = None) -> None:
        self._searcher = searcher
        self._leaves: list[tuple[Any, int]] = list(searcher.leaf_searchers())
        self._lengths: dict[tuple[int, str], bytes | None] = {}
        # Called with the postings about to be read (or 1 for a lookup): cancel, time limit.
        self.tick: Callable[[int], None] = tick or (lambda steps: None)

    @staticmethod
    def handles(q: wq.Query, searcher: Any) -> bool:
        """Whether every node of ``q`` is one this class computes (see the module doc)."""
        if type(searcher.weighting) is not BM25F:
            return False

        def ok(node: wq.Query) -> bool:
            if node is wq.NullQuery:
                return True
            if type(node) is wq.Term:
                return True
            if isinstance(node, wq.Or):
                return not node.scale and not node.minmatch and all(map(ok, node.subqueries))
            if type(node) is wq.And:
                return bool(node.subqueries) and all(
                    not isinstance(c, wq.Not) and ok(c) for c in node.subqueries
                )
            return False

        return ok(q)

    # ------------------------------------------------------------------ terms

    def _field_lengths(self, leaf: int, fieldname: str) -> bytes | None:
        """Each document's length byte of the field in one segment, when the codec keeps
        them as one byte a document in a row (else None: read per document)."""
        key = (leaf, fieldname)
        if key not in self._lengths:
            found = None
            reader = self._leaves[leaf][0].reader()
            perdoc = getattr(reader, "_perdoc", None)
            if perdoc is not None and hasattr(perdoc, "_cached_reader"):
                from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

                column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                if column is not None and getattr(column, "_fixedlen", None) == 1:
                    count = reader.doc_count_all()
                    stored = min(count, column._count)
                    raw = bytes(column._dbfile.get(column._basepos, stored))
                    found = raw + bytes(count - stored)  # past the stored ones: the default 0
            self._lengths[key] = found
        return self._lengths[key]

    def _postings(self, sub: Any, fieldname: str, btext: bytes) -> tuple[list[int], list[float]]:
        """(segment document numbers, weights) of a term in one segment, a block at a time,
        as :meth:`reader.core.search.vector.VectorIndex._read` reads them."""
        matcher = sub.postings(fieldname, btext)
        if isinstance(matcher, GuardedMatcher):
            matcher = matcher.child
        ids: list[int] = []
        weights: list[float] = []
        if type(matcher) is W3LeafMatcher:
            while matcher.is_active():
                if matcher._data is None:
                    matcher._read_data()
                data = matcher._data
                block = data[0]
                ids.extend(bytes(block) if matcher._byteids else itertools.accumulate(block))
                w = data[1]
                count = matcher._blocklength
                if w is None:
                    weights.extend(itertools.repeat(1.0, count))
                elif isinstance(w, float):
                    weights.extend(itertools.repeat(w, count))
                else:
                    weights.extend(map(float, w))
                if matcher._lastblock:
                    break
                matcher._goto(matcher._nextoffset)
            return ids, weights
        while matcher.is_active():  # another codec, or deleted documents filtered out
            ids.append(matcher.id())
            weights.append(float(matcher.weight()))
            matcher.next()
        return ids, weights

    def _term(self, fieldname: str, text: Any) -> Scored:
        """Every document of a term with its BM25F score (no boost)."""
        searcher = self._searcher
        if fieldname not in searcher.schema:
            return {}
        field = searcher.schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return {}
        self.tick(1 + searcher.doc_frequency(fieldname, btext))
        if not field.scorable:  # Whoosh's WeightScorer: the posting's weight is its score
            unscored: Scored = {}
            for sub, offset in self._leaves:
                if (fieldname, btext) in sub.reader():
                    ids, weights = self._postings(sub, fieldname, btext)
                    unscored.update(zip([i + offset for i in ids], weights, strict=True))
            return unscored
        weighting = searcher.weighting
        B = weighting._field_B.get(fieldname, weighting.B)
        K1 = weighting.K1
        K1_1 = K1 + 1
        idf = searcher.idf(fieldname, btext)
        avgfl = searcher.avg_field_length(fieldname) or 1
        found: Scored = {}
        for leaf, (sub, offset) in enumerate(self._leaves):
            if (fieldname, btext) not in sub.reader():
                continue
            ids, tfs = self._postings(sub, fieldname, btext)
            lengths = self._field_lengths(leaf, fieldname)
            if lengths is not None:
                fls = [_LENGTH_OF_BYTE[lengths[i]] for i in ids]
            else:
                fls = [float(sub.doc_field_length(i, fieldname, 1) or 0) for i in ids]
            # whoosh.scoring.bm25 as reader.core.search.vector computes it, operation for
            # operation: the same IEEE doubles as numpy's element-wise arithmetic.
            for docnum, tf, fl in zip(ids, tfs, fls, strict=True):
                norm = tf + K1 * ((1 - B) + B * fl / avgfl)
                found[docnum + offset] = idf * ((tf * K1_1) / norm)
        return found

    # ------------------------------------------------------------------ queries

    def _eval(self, q: wq.Query) -> Scored:
        if q is wq.NullQuery:
            return {}
        boost = float(getattr(q, "boost", 1.0))
        if type(q) is wq.Term:
            scores = self._term(q.fieldname, q.text)
        elif isinstance(q, wq.Or):
            parts = [p for p in map(self._eval, q.subqueries) if p]
            if not parts:
                return {}
            if len(parts) == 1:
                scores = parts[0]
            else:  # numpy's bincount: 0.0, then each part's score in the parts' order
                scores = dict.fromkeys(set().union(*parts), 0.0)
                for part in parts:
                    for docnum, score in part.items():
                        scores[docnum] += score
        elif type(q) is wq.And:
            # Sorted by length (stable), as the vectorised path intersects them.
            parts = sorted(map(self._eval, q.subqueries), key=len)
            scores = parts[0]
            for part in parts[1:]:
                scores = {d: s + part[d] for d, s in scores.items() if d in part}
                if not scores:
                    break
        else:  # handles() keeps every other node away
            raise TypeError(type(q).__name__)
        if boost != 1.0:
            scores = {d: s * boost for d, s in scores.items()}
        return scores

    def top(
        self, q: wq.Query, limit: int, filter_q: wq.Query | None = None
    ) -> tuple[list[tuple[float, int]], int] | None:
        """As :meth:`reader.core.search.vector.VectorIndex.top`: the best ``limit`` (score,
        document number) pairs of ``q`` within ``filter_q``, score descending then index
        order, and the exact count of matches; None when ``q`` holds a node this class does
        not compute."""
        if not self.handles(q, self._searcher):
            return None
        scores = self._eval(q)
        if filter_q is not None and scores:
            self.tick(1)
            allowed = set(self._searcher.docs_for_query(filter_q))
            scores = {d: s for d, s in scores.items() if d in allowed}
        total = len(scores)
        if not total or limit <= 0:
            return [], total
        best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))
        return [(score, docnum) for docnum, score in best], total
