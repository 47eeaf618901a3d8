"""The exhaustive ranking a search's top hits are checked against.

:func:`exhaustive_ranking` scores EVERY article a query matches, each with the searcher's own
BM25F weighting, through Whoosh's matchers stepped one document at a time with no top-k
pruning at all (no collector, no ``replace``, no block skipping: the paths where a bound that
is not a bound loses documents), then orders them as :meth:`Searcher.search` orders its hits:
the query as written, its top ``limit`` by score (ties: index order), then the articles only
its other spellings find, then, with ``same_language_first``, the language sort. The result is
what ``search(text, limit)`` must return; :func:`same_ranking` compares the two allowing only
the order of articles whose scores are equal up to rounding (a sum's order may differ).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def _all_scores(searcher: Any, q: Any, allowed: set[int] | None) -> list[tuple[float, int]]:
    """(score, global docnum) of every document ``q`` matches (within ``allowed`` when given),
    best first, ties by docnum."""
    ws = searcher._searcher
    found: list[tuple[float, int]] = []
    for sub, offset in ws.leaf_searchers():
        matcher = q.matcher(sub)  # no context: every matcher can give its current document
        while matcher.is_active():
            docnum = offset + matcher.id()
            if allowed is None or docnum in allowed:
                found.append((float(matcher.score()), docnum))
            matcher.next()
    found.sort(key=lambda item: (-item[0], item[1]))
    return found


def exhaustive_ranking(
    searcher: Any,
    text: str,
    *,
    limit: int,
    typing: bool = False,
    lang: str | None = None,
) -> list[tuple[str, float]]:
    """(id, score) of the hits ``searcher.search(text, limit=limit, typing=typing, lang=lang)``
    must return, computed without any pruning (see the module docstring)."""
    from reader.core.search.hits import ranking as _ranking
    from reader.core.search.query import expand

    config = searcher.config
    prepared = searcher.prepare(text, typing=typing)
    if prepared.empty:
        return []
    ws = searcher._searcher
    expanded = expand(prepared, searcher._load_vocabulary, ws.reader(), config.search_limits)
    filter_q = searcher._filter(lang, None)
    allowed = None if filter_q is None else set(ws.docs_for_query(filter_q))
    ranked: list[tuple[float, dict[str, Any], int]] = []
    if expanded.wider is None or config.same_language_first:
        for score, docnum in _all_scores(searcher, expanded.plain, allowed)[:limit]:
            ranked.append((score, ws.stored_fields(docnum), 0))
    if expanded.wider is not None:
        seen = {fields["id"] for _, fields, _tier in ranked}
        for score, docnum in _all_scores(searcher, expanded.wider, allowed)[:limit]:
            fields = ws.stored_fields(docnum)
            if fields["id"] not in seen:
                ranked.append((score, fields, 1))
    if config.same_language_first:
        ranked.sort(key=_ranking(prepared.logical))
    return [(fields["id"], score) for score, fields, _tier in ranked[:limit]]


def same_ranking(
    got: Sequence[tuple[str, float]], want: Sequence[tuple[str, float]], rel: float = 1e-9
) -> bool:
    """Whether two rankings agree: the same length, the same score at each place (up to
    ``rel``), and the same articles, except that articles of equal scores may come in any
    order among themselves (and, at the cut, any of them may be the one kept)."""
    if len(got) != len(want):
        return False
    for (_, a), (_, b) in zip(got, want, strict=True):
        if not math.isclose(a, b, rel_tol=rel, abs_tol=1e-12):
            return False
    got_ids = [doc for doc, _ in got]
    want_ids = [doc for doc, _ in want]
    if got_ids == want_ids:
        return True
    start = 0
    while start < len(want):  # each run of equal scores: the same articles, unless cut
        end = start + 1
        while end < len(want) and math.isclose(want[end][1], want[start][1], rel_tol=rel):
            end += 1
        if end < len(want) and set(got_ids[start:end]) != set(want_ids[start:end]):
            return False
        start = end
    return True


def overlap_at(ours: Sequence[str], theirs: Sequence[str], k: int = 10) -> float | None:
    """Share of the top ``k`` both engines return that they have in common (None when either
    returns nothing)."""
    a, b = list(ours[:k]), list(theirs[:k])
    if not a or not b:
        return None
    return len(set(a) & set(b)) / min(k, max(len(a), len(b)))
