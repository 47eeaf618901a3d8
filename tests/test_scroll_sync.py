"""The compare view's scroll-sync arithmetic, without a terminal (reader/app/scroll_sync.py)."""

from __future__ import annotations

from typing import Any

import pytest

from reader.app.scroll_sync import AlignmentMap, level_row, nearest, paragraph_span
from reader.core.events.alignment import AlignedRow, Alignment, Passage, PassageMatch


def passage(article: str, index: int) -> Passage:
    return Passage(article, index, index * 10, index * 10 + 5)


def match(article: str, index: int, score: float) -> PassageMatch:
    return PassageMatch(passage(article, index), score, ())


def alignment(rows: list[tuple[PassageMatch | None, ...]]) -> Alignment:
    articles: Any = ("pivot", "b", "c")  # only their number matters here
    return Alignment(articles, tuple(AlignedRow(passage("p", i), ms) for i, ms in enumerate(rows)))


def test_partners_of_a_pivot_paragraph_are_its_matches() -> None:
    amap = AlignmentMap(
        alignment([(match("b", 0, 0.9), None), (match("b", 2, 0.5), match("c", 1, 0.4))])
    )
    assert amap.partners(0, 0) == {0: [0], 1: [0]}
    assert amap.partners(0, 1) == {0: [1], 1: [2], 2: [1]}
    assert amap.partners(0, 5) == {} and amap.partners(7, 0) == {}


def test_a_paragraph_matched_by_several_pivots_lists_them_best_first() -> None:
    amap = AlignmentMap(
        alignment(
            [(match("b", 3, 0.2), match("c", 0, 0.1)), (match("b", 3, 0.8), None), (None, None)]
        )
    )
    assert amap.partners(1, 3) == {1: [3], 0: [1, 0], 2: [0]}
    assert amap.partners(2, 0) == {2: [0], 0: [0], 1: [3]}
    assert amap.partners(1, 9) == {}


def test_level_row_keeps_the_same_fraction_into_the_partner() -> None:
    # Driver shows row 15 of its paragraph [10, 20): half way. Partner [100, 140): row 120.
    assert level_row(15, (10, 20), [(100, 140)], scroll_y=0) == 120
    assert level_row(10, (10, 20), [(100, 140)], scroll_y=0) == 100
    # Of two partners, the one whose top is nearest where the column is now.
    assert level_row(15, (10, 20), [(0, 10), (100, 140)], scroll_y=90) == 120
    assert level_row(15, (10, 20), [(0, 10), (100, 140)], scroll_y=20) == 5


def test_nearest_takes_the_first_on_a_tie_and_needs_extents() -> None:
    assert nearest([(0, 4), (20, 24)], 10) == 0
    with pytest.raises(ValueError):
        nearest([], 0)


def test_paragraph_span() -> None:
    body = "one\ntwo three"  # one paragraph a line, as the column counts them
    assert body[slice(*paragraph_span(body, 1))] == "two three"
    assert paragraph_span(body, 5) == (0, 0) and paragraph_span(body, -1) == (0, 0)
