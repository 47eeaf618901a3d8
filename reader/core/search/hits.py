"""What a search gives back (:class:`Hit`, :class:`Results`), how many articles it matched
(:func:`matched_count`) and the order hits are shown in (:func:`ranking`; without a query,
:func:`browse_order`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reader.core.text.arabic import has_arabic

_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_NOT_WORDS = re.compile(r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|TO)\b|\w+:")


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result. ``snippet_marks`` and ``title_marks`` are (start, end) offsets of
    matched words in ``snippet`` and ``title``; all text is logical Unicode."""

    id: str
    title: str
    outlet: str
    lang: str
    published: date | None
    score: float
    snippet: str
    snippet_marks: tuple[tuple[int, int], ...]
    title_marks: tuple[tuple[int, int], ...]


@dataclass(slots=True)
class Results:
    """Hits for one query, best first. ``total`` counts every match, not just those shown;
    when ``exact`` is False it is Whoosh's estimate (an upper bound), which costs nothing,
    where counting exactly would mean visiting every matching article. ``partial`` is True
    when the search ran out of time: the hits are the best of the articles looked at, and
    ``total`` (not exact) counts those found, a lower bound."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    exact: bool = True
    partial: bool = False


def matched_count(found: Any, limit: int, partial: bool) -> tuple[int, bool]:
    """How many articles matched: exact when Whoosh knows it or the hits are all there (never
    counted by running the query again)."""
    if partial:
        return found.scored_length(), False
    if found.has_exact_length():
        return len(found), True
    if found.scored_length() < limit:  # fewer than asked for: every match was collected
        return found.scored_length(), True
    return max(found.estimated_length(), found.scored_length()), False


def ranking(
    query: str, in_arabic: Callable[[Any], bool] | None = None
) -> Callable[[tuple[float, Any, int]], tuple[int, int, float]]:
    """The order of hits (score, article, tier) for ``same_language_first``: articles in the
    query's script first (a query with both scripts, or none, prefers neither), then those
    the query matched as written (tier 0), then by score. ``in_arabic(article)`` says
    whether an article is in Arabic; by default the article is its stored fields, whose
    ``lang`` says."""
    words = _NOT_WORDS.sub(" ", query)  # operators and field names are in Latin letters
    arabic, latin = has_arabic(words), bool(_LATIN_LETTER.search(words))
    if in_arabic is None:
        in_arabic = lambda fields: fields.get("lang") == "ar"  # noqa: E731

    def key(hit: tuple[float, Any, int]) -> tuple[int, int, float]:
        score, article, tier = hit
        other = 0
        if arabic != latin:
            other = int(in_arabic(article) != arabic)
        return other, tier, -score

    return key


def browse_order(searcher: Any) -> list[int] | None:
    """The document numbers of every article of an open Whoosh ``searcher``, as the article
    list shows them without a query: dated articles newest first (the same date: by id),
    then the undated ones by id; the same order as Whoosh's sorted search by the facets
    (published reversed, id) over ``dated:yes`` then (id) over ``dated:no``, made from whole
    columns (one read of each column per segment, two sorts) where that search calls a key
    per document (at 50,000 articles 460 ms of CPU, now 120 ms). None when the index has
    no ``published`` and ``id`` columns or its segments' numbers do not follow each other:
    the caller then sorts with Whoosh."""
    from whoosh import query as wq

    reader = searcher.reader()
    if not (reader.has_column("published") and reader.has_column("id")):
        return None
    published: list[Any] = []
    ids: list[Any] = []
    for sub, offset in searcher.leaf_searchers():
        if offset != len(ids):
            return None
        leaf = sub.reader()
        # The stored forms (bytes, numbers), in the order of the values: what Whoosh sorts by
        ids += list(leaf.column_reader("id", translate=False))
        published += list(leaf.column_reader("published", translate=False))
        if len(ids) != len(published):
            return None
    dated = sorted(searcher.docs_for_query(wq.Term("dated", "yes")), key=ids.__getitem__)
    dated.sort(key=published.__getitem__, reverse=True)  # stable: the same date keeps id order
    undated = sorted(searcher.docs_for_query(wq.Term("dated", "no")), key=ids.__getitem__)
    return dated + undated
