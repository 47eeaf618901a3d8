"""Exact top hits from Whoosh's own matchers.

Whoosh finds the top ``limit`` hits by pruning: every ten documents its collector asks the
matcher tree to replace itself given the lowest score still in the top list, and a union whose
two sides can no longer reach that score on their own becomes an intersection (or an "and
maybe"). That is only right when each matcher's ``max_quality`` is an upper bound of its
scores. Whoosh's preloading union (``ArrayUnionMatcher``, chosen for an OR of more than two
terms in a segment of up to 5,000 documents, or of more than 1,024 terms in any segment) adds
up the scores of the terms that match a document but reports as its ``max_quality`` the best
of ONE term (without its boost), and only of the terms not yet used up: it reads them ahead,
so in a small segment it reports 0 (nothing can score) as soon as it is made. An OR of prefix
expansions, of cross-script spellings, or the title/body pair of each word, then loses the
documents that match several of its terms: at 10,000 articles (two segments of 5,000) the top
10 of 12 of 15 three-letter prefixes was not the exhaustive ranking.

:func:`exact_query` gives a query whose ORs are :class:`ExactOr`: the same matching and the
same scores, with a preloading union whose ``max_quality`` is the sum of its parts' bounds
(times its boost), a true bound, so the pruning keeps every document that can still reach the
top. Callers may rely on: the documents matched and their scores are those of the query given;
only which documents the pruning may skip changes.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching.combo import ArrayUnionMatcher


class SummedArrayUnionMatcher(ArrayUnionMatcher):  # type: ignore[misc]
    """Whoosh's preloading union with a true upper bound of its scores: the sum of its parts'
    bounds, times its boost, taken when it is made (it reads its parts ahead, a part at a time,
    so later they may already be used up while their documents are still to come)."""

    def __init__(self, submatchers: list[Any], doccount: int, **kwargs: Any) -> None:
        boost = kwargs.get("boost", 1.0)
        active = [m.max_quality() for m in submatchers if m.is_active()]
        self._bound = float(sum(active)) * boost
        super().__init__(submatchers, doccount, **kwargs)

    def max_quality(self) -> float:
        """No document this matcher has yet to give scores more."""
        return float(self._bound)


class ExactOr(wq.Or):  # type: ignore[misc]
    """Whoosh's ``Or``, choosing its matcher as Whoosh does, with the preloading union's bound
    made true (:class:`SummedArrayUnionMatcher`)."""

    def _matcher(self, subs: Any, searcher: Any, context: Any) -> Any:
        needs_current = context.needs_current if context else True
        if len(subs) < self.TOO_MANY_CLAUSES and (
            needs_current or self.scale or len(subs) == 2 or searcher.doc_count_all() > 5000
        ):
            return super()._matcher(subs, searcher, context)  # a tree of unions: bounds hold
        scored = context.weighting is not None if context else True
        matchers = [sub.matcher(searcher, context) for sub in subs]
        return SummedArrayUnionMatcher(
            matchers, searcher.doc_count_all(), boost=self.boost, scored=scored
        )


def exact_query(q: wq.Query) -> wq.Query:
    """``q`` with every ``Or`` (at any depth) an :class:`ExactOr` of the same parts, boost,
    ``minmatch`` and ``scale``; anything else as it was (its children rewritten)."""
    if type(q) is wq.Or:
        parts = [exact_query(child) for child in q.subqueries]
        return ExactOr(parts, boost=q.boost, minmatch=q.minmatch, scale=q.scale)
    if q.is_leaf():
        return q
    return q.apply(exact_query)
