"""The vectorised matching path: BM25F top-k of ORs and ANDs of terms, in numpy, exact.

Whoosh walks an OR of many terms (a prefix's expansion, a name's other spellings, each word's
title and body) as a tree of union matchers, one document and one Python call at a time, and
counts the matches by running the query again. This path reads each term's postings without
their positions (:mod:`reader.core.search.postings`), scores a whole posting list at once with
the searcher's BM25F (the very formula, parameters, IDF and average lengths Whoosh uses, in the
same floating-point operations, so each term's scores are Whoosh's to the last bit), and adds,
intersects and ranks them with numpy:

- a term: its postings in each segment, scored; the scored lists of terms (and phrases) are
  kept per index generation, within :data:`CACHE_BYTES`;
- ``Or``: the scores of every part added per document; ``And``: the documents of every part,
  their scores added (a ``Not`` part removes its documents and, as in Whoosh, adds 1);
  ``AndNot``: the positive part without the documents of the negative one; ``AndMaybe``: the
  first part, plus the second's scores where it matches too; a boost multiplies as in Whoosh;
- a phrase: the documents its words share (numpy, from their scored lists), then the positions
  of those documents only, checked and scored as Whoosh's ``Phrase``
  (:mod:`reader.core.search.vector_phrases`), kept in the same cache;
- a term of an unscored field (``lang:ar``): its postings' weights, as Whoosh scores it;
- any other leaf (a range, a wildcard on an id) through Whoosh's matcher for it,
  stepped over every document it matches: its documents and scores are Whoosh's own.

:meth:`VectorIndex.top` returns the top ``limit`` (score, document number) pairs ordered as
Whoosh orders them (score descending, then index order) and the exact count of matches, or
None for a query it does not handle (``Not`` outside ``AndNot``, ``Every``, ``DisjunctionMax``,
an ``Or`` with ``scale`` or ``minmatch``, a weighting other than BM25F): the caller runs those
through Whoosh. The documents matched are exactly those Whoosh matches; scores are sums of the
same terms, possibly added in another order (equal up to rounding, ~1e-15).

This module imports numpy; the searcher imports it only for queries that need it (see
:func:`reader.core.search.vector_gate.worth_it`), so a new process searching one word never
loads numpy.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import BM25F

from reader.core.search.guard import GuardedMatcher
from reader.core.search.postings import EMPTY_DOCS as _EMPTY_DOCS
from reader.core.search.postings import EMPTY_SCORES as _EMPTY_SCORES
from reader.core.search.postings import DirectTerms, blocks, field_lengths
from reader.core.search.vector_gate import Unsupported as Unsupported
from reader.core.search.vector_gate import supported
from reader.core.search.vector_phrases import phrase, phrase_key

Docs = Any  # numpy int64 array of global document numbers, sorted, unique
Scores = Any  # numpy float64 array, one score per document
CACHE_BYTES = 48 * 1024 * 1024  # scored posting lists kept per index generation


class VectorIndex:
    """The scored posting lists of one open Whoosh searcher (one index generation).
    Thread-safe for :meth:`top` (a lock guards the caches); made again when the searcher is."""

    def __init__(self, searcher: Any, tick: Callable[[int], None] | None = None) -> None:
        weighting = searcher.weighting
        if type(weighting) is not BM25F:
            raise Unsupported(f"weighting {type(weighting).__name__}")
        self._searcher = searcher
        self._weighting = weighting
        self._leaves: list[tuple[Any, int]] = list(searcher.leaf_searchers())
        self._direct = DirectTerms(searcher, self._leaves)
        self._avgfl: dict[str, float] = {}
        self._lengths: dict[tuple[int, str], Any] = {}
        self._cache: OrderedDict[tuple[str, str], tuple[Docs, Scores]] = OrderedDict()
        self._cached_bytes = 0
        self._filters: dict[str, Docs] = {}
        self._lock = threading.Lock()
        # Called with the postings about to be read (or 1 for a lookup): cancel, time limit.
        self.tick: Callable[[int], None] = tick or (lambda steps: None)
        self.lists_read = 0  # posting lists decoded (not from the cache): for tests

    # ------------------------------------------------------------------ terms

    def _field_lengths(self, leaf: int, fieldname: str) -> Any:
        """Each document's length of the field in one segment, as Whoosh's scorer reads it."""
        key = (leaf, fieldname)
        found = self._lengths.get(key)
        if found is None:
            found = self._lengths[key] = field_lengths(self._leaves[leaf][0], fieldname)
        return found

    def warm(self, fields: tuple[str, ...]) -> None:
        """Read every segment's lengths of the scored ``fields`` now: what the first search
        of them would read (:mod:`reader.core.search.warm`)."""
        schema = self._searcher.schema
        with self._lock:
            for leaf in range(len(self._leaves)):
                for fieldname in fields:
                    if fieldname in schema and schema[fieldname].scorable:
                        self._field_lengths(leaf, fieldname)

    def read_ahead(self, fieldname: str, text: str) -> None:
        """Read and cache a term's scored list now, as a search would (warming; not counted
        against any search's guard)."""
        with self._lock:
            tick, self.tick = self.tick, lambda steps: None
            try:
                self._term(fieldname, text)
            finally:
                self.tick = tick

    def holds(self, q: wq.Phrase) -> bool:
        """Whether any document holds the phrase ``q``: its documents and scores computed and
        cached as a search of it would (not counted against any search's guard). Raises
        :class:`Unsupported` when this path cannot read it."""
        with self._lock:
            tick, self.tick = self.tick, lambda steps: None
            try:
                docs, _scores = self._phrase(q)
            finally:
                self.tick = tick
        return bool(len(docs))

    def _postings(self, sub: Any, fieldname: str, btext: bytes) -> tuple[Any, Any]:
        """(segment document numbers, weights) of a term in one segment, opened through the
        searcher (a guarded searcher counts it towards its search's guard)."""
        ids, weights, _values = self._read(sub, fieldname, btext, values=False)
        return ids, weights

    def _read(
        self, sub: Any, fieldname: str, btext: bytes, *, values: bool
    ) -> tuple[Any, Any, list[Any] | None]:
        """(segment document numbers, weights, and with ``values`` each posting's encoded
        value: its positions) of a term in one segment, a block at a time."""
        matcher = sub.postings(fieldname, btext)
        if isinstance(matcher, GuardedMatcher):
            matcher = matcher.child
        if type(matcher) is W3LeafMatcher and (not values or matcher._fixedsize is None):
            return blocks(matcher, values=values)
        # Another codec, or deleted documents filtered out: step through it.
        found_ids: list[int] = []
        found_weights: list[float] = []
        found_values: list[Any] = []
        while matcher.is_active():
            found_ids.append(matcher.id())
            found_weights.append(matcher.weight())
            if values:
                found_values.append(matcher.value())
            matcher.next()
        return (
            np.array(found_ids, dtype=np.int64),
            np.array(found_weights, dtype=np.float64),
            found_values if values else None,
        )

    def _phrase(self, q: Any) -> tuple[Docs, Scores]:
        """A phrase's documents and scores (:func:`reader.core.search.vector_phrases.phrase`),
        cached with the terms' scored lists: a name's other spellings bring the same
        phrases back."""
        key = phrase_key(q)
        found = self._cached(key)
        if found is None:
            found = phrase(
                q,
                searcher=self._searcher,
                leaves=self._leaves,
                direct=self._direct,
                term=self._term,
                tick=self.tick,
            )
            self._remember(key, found)
        return found

    def _term(self, fieldname: str, text: Any) -> tuple[Docs, Scores]:
        """Every document of a term and its BM25F score (no boost)."""
        schema = self._searcher.schema
        if fieldname not in schema:
            return _EMPTY_DOCS, _EMPTY_SCORES
        field = schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return _EMPTY_DOCS, _EMPTY_SCORES
        key = (fieldname, btext.decode("utf-8", "surrogateescape"))
        cached = self._cached(key)
        if cached is not None:
            return cached
        searcher = self._searcher
        if field.scorable and self._direct.usable:
            result = self._term_direct(fieldname, btext)
            self._remember(key, result)
            return result
        self.tick(1 + searcher.doc_frequency(fieldname, btext))
        if not field.scorable:  # Whoosh's WeightScorer: the posting's weight is its score
            parts = []
            for sub, offset in self._leaves:
                if (fieldname, btext) in sub.reader():
                    ids, weights = self._postings(sub, fieldname, btext)
                    parts.append((ids + offset, weights))
            self.lists_read += 1
            unscored = (
                (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))
                if parts
                else (_EMPTY_DOCS, _EMPTY_SCORES)
            )
            self._remember(key, unscored)
            return unscored
        weighting = self._weighting
        B = weighting._field_B.get(fieldname, weighting.B)
        K1 = weighting.K1
        idf = searcher.idf(fieldname, btext)
        avgfl = searcher.avg_field_length(fieldname) or 1
        parts_docs, parts_scores = [], []
        for leaf, (sub, offset) in enumerate(self._leaves):
            if (fieldname, btext) not in sub.reader():
                continue
            ids, tf = self._postings(sub, fieldname, btext)
            fl = self._field_lengths(leaf, fieldname)[ids]
            # whoosh.scoring.bm25, operation for operation
            scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
            parts_docs.append(ids + offset)
            parts_scores.append(scores)
        self.lists_read += 1
        if parts_docs:
            result = (np.concatenate(parts_docs), np.concatenate(parts_scores))
        else:
            result = (_EMPTY_DOCS, _EMPTY_SCORES)
        self._remember(key, result)
        return result

    def _term_direct(self, fieldname: str, btext: bytes) -> tuple[Docs, Scores]:
        """A scored term read with one look-up per segment (:mod:`reader.core.search.postings`):
        the same postings, IDF and scores as :meth:`_term`'s way through Whoosh's reader."""
        direct = self._direct
        infos = direct.infos(fieldname, btext)
        self.tick(1 + sum(info.doc_frequency() for _leaf, info in infos))
        self.lists_read += 1
        if not infos:
            return _EMPTY_DOCS, _EMPTY_SCORES
        weighting = self._weighting
        B = weighting._field_B.get(fieldname, weighting.B)
        K1 = weighting.K1
        idf = direct.idf(infos)
        avgfl = self._avgfl.get(fieldname)
        if avgfl is None:
            avgfl = self._avgfl[fieldname] = self._searcher.avg_field_length(fieldname) or 1
        parts_docs, parts_scores = [], []
        for leaf, info in infos:
            ids, tf = direct.postings(leaf, info, fieldname, btext)
            fl = self._field_lengths(leaf, fieldname)[ids]
            # whoosh.scoring.bm25, operation for operation
            scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
            parts_docs.append(ids + self._leaves[leaf][1])
            parts_scores.append(scores)
        if len(parts_docs) == 1:
            return parts_docs[0], parts_scores[0]
        return np.concatenate(parts_docs), np.concatenate(parts_scores)

    def _cached(self, key: tuple[str, str]) -> tuple[Docs, Scores] | None:
        """A scored list kept in the cache (counted as one step, kept longest), or None."""
        found = self._cache.get(key)
        if found is not None:
            self.tick(1)
            self._cache.move_to_end(key)
        return found

    def _remember(self, key: tuple[str, str], value: tuple[Docs, Scores]) -> None:
        size = value[0].nbytes + value[1].nbytes
        if size > CACHE_BYTES // 4:
            return
        self._cache[key] = value
        self._cached_bytes += size
        while self._cached_bytes > CACHE_BYTES and self._cache:
            _, (docs, scores) = self._cache.popitem(last=False)
            self._cached_bytes -= docs.nbytes + scores.nbytes

    # ------------------------------------------------------------------ queries

    def _whoosh_leaf(self, q: wq.Query) -> tuple[Docs, Scores]:
        """A leaf this path does not compute itself, through Whoosh's matcher for it."""
        self.tick(1)
        docs: list[int] = []
        scores: list[float] = []
        for sub, offset in self._leaves:
            matcher = q.matcher(sub)
            while matcher.is_active():
                docs.append(offset + matcher.id())
                scores.append(matcher.score())
                matcher.next()
        order = np.argsort(np.array(docs, dtype=np.int64), kind="stable")
        return (
            np.array(docs, dtype=np.int64)[order],
            np.array(scores, dtype=np.float64)[order],
        )

    def _eval(self, q: wq.Query) -> tuple[Docs, Scores]:
        """(sorted unique documents, their scores) of a query tree."""
        if q is wq.NullQuery:
            return _EMPTY_DOCS, _EMPTY_SCORES
        boost = float(getattr(q, "boost", 1.0))
        if isinstance(q, wq.Term):
            docs, scores = self._term(q.fieldname, q.text)
        elif isinstance(q, wq.Or):
            parts = [self._eval(child) for child in q.subqueries]
            parts = [p for p in parts if len(p[0])]
            if not parts:
                return _EMPTY_DOCS, _EMPTY_SCORES
            if len(parts) == 1:
                docs, scores = parts[0]
            else:
                every = np.concatenate([p[0] for p in parts])
                docs, inverse = np.unique(every, return_inverse=True)
                scores = np.bincount(
                    inverse, weights=np.concatenate([p[1] for p in parts]), minlength=len(docs)
                )
        elif type(q) is wq.And:
            docs, scores = None, None
            positive = [c for c in q.subqueries if not isinstance(c, wq.Not)]
            negative = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
            parts = sorted((self._eval(child) for child in positive), key=lambda p: len(p[0]))
            for part_docs, part_scores in parts:
                if docs is None:
                    docs, scores = part_docs, part_scores
                    continue
                docs, mine, theirs = np.intersect1d(
                    docs, part_docs, assume_unique=True, return_indices=True
                )
                scores = scores[mine] + part_scores[theirs]
                if not len(docs):
                    break
            if docs is None:
                return _EMPTY_DOCS, _EMPTY_SCORES
            for excluded in negative:  # Whoosh: its inverse matcher scores 1 where it matches
                keep = ~np.isin(docs, self._docs_of(excluded), assume_unique=True)
                docs, scores = docs[keep], scores[keep] + 1.0
        elif isinstance(q, wq.AndNot):
            docs, scores = self._eval(q.a)
            if len(docs):
                excluded = self._docs_of(q.b)
                keep = ~np.isin(docs, excluded, assume_unique=True)
                docs, scores = docs[keep], scores[keep]
        elif isinstance(q, wq.AndMaybe):
            docs, scores = self._eval(q.a)
            if len(docs):
                maybe_docs, maybe_scores = self._eval(q.b)
                _, mine, theirs = np.intersect1d(
                    docs, maybe_docs, assume_unique=True, return_indices=True
                )
                scores = scores.copy()
                scores[mine] += maybe_scores[theirs]
        elif type(q) is wq.Phrase:
            docs, scores = self._phrase(q)
        elif q.is_leaf():
            docs, scores = self._whoosh_leaf(q)
        else:
            raise Unsupported(type(q).__name__)
        if boost != 1.0:
            scores = scores * boost
        return docs, scores

    def _docs_of(self, q: wq.Query) -> Docs:
        """The documents a query matches (for an exclusion or a filter), through Whoosh."""
        self.tick(1)
        return np.fromiter(sorted(self._searcher.docs_for_query(q)), dtype=np.int64)

    def _filter(self, filter_q: wq.Query) -> Docs:
        key = repr(filter_q)
        found = self._filters.get(key)
        if found is None:
            found = self._filters[key] = self._docs_of(filter_q)
        return found

    def top(
        self, q: wq.Query, limit: int, filter_q: wq.Query | None = None
    ) -> tuple[list[tuple[float, int]], int] | None:
        """The best ``limit`` (score, document number) pairs of ``q`` among the documents
        ``filter_q`` matches (all when None), score descending then index order, and how many
        documents match in all (exact); None when ``q`` holds a node this path does not
        compute."""
        if not supported(q):
            return None
        with self._lock:
            try:
                docs, scores = self._eval(q)
            except Unsupported:
                return None
            if filter_q is not None and len(docs):
                keep = np.isin(docs, self._filter(filter_q), assume_unique=True)
                docs, scores = docs[keep], scores[keep]
        total = len(docs)
        if not total or limit <= 0:
            return [], total
        if total > limit:
            # Everything scoring at least the limit-th best (ties at the cut included).
            cut = np.partition(scores, total - limit)[total - limit]
            chosen = np.flatnonzero(scores >= cut)
            docs, scores = docs[chosen], scores[chosen]
        order = np.lexsort((docs, -scores))[:limit]
        return [(float(scores[i]), int(docs[i])) for i in order], total
