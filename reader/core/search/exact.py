"""Exact top hits from Whoosh's own matchers: its collector without the pruning that loses them.

Whoosh finds the top ``limit`` hits by pruning, two ways, and both lose documents that belong
in the top (found by checking every search of the benchmark against an exhaustive ranking):

- every ten documents its collector asks the matcher tree to ``replace`` itself given the
  lowest score still in the top list. A union whose sides cannot reach that score alone
  becomes an intersection or an "and maybe" (``AndMaybeMatcher``), which is only right when
  every ``max_quality`` is a bound, and it is not: the preloading union (``ArrayUnionMatcher``,
  chosen for an OR of more than two terms in a segment of up to 5,000 documents) reports the
  best of ONE term (without its boost), and 0 once it has read its terms ahead, though it
  adds the scores of all its terms. And the "and maybe" matcher, after a ``skip_to``, leaves
  its optional side on the target instead of on the document it stopped at, so the optional
  side's score goes missing (a word's body score under an AND with another term). At 10,000
  articles the top 10 of 12 of 15 three-letter prefixes, and 21 of 30 one-word searches in
  one language, were not the exhaustive ranking.
- with ``optimize`` it skips whole blocks whose quality, added to the other side's CURRENT
  block quality, cannot reach the top; the other side's later blocks may score more.

:func:`exact_collector` gives Whoosh's collector for the top ``limit`` with neither: every
matching document is scored and the best kept. Queries that need speed take the vectorised
path (:mod:`reader.core.search.vector`); the ones left here (phrases, rare words, NOT alone,
everything) are the ones Whoosh answers from short posting lists.
"""

from __future__ import annotations

from typing import Any


def exact_collector(searcher: Any, limit: int, filter_q: Any = None) -> Any:
    """Whoosh's collector of the best ``limit`` documents (within ``filter_q``) with no
    block-quality skipping and no matcher replacement: exactly the top of the ranking of
    every matching document (score descending, then index order)."""
    collector = searcher.collector(limit=limit, filter=filter_q, optimize=False)
    inner = collector
    while hasattr(inner, "child"):  # a filter wraps the collector that ranks
        inner = inner.child
    inner.replace = 0  # never ask the matcher tree to replace itself
    return collector
