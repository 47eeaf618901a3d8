"""The arithmetic of the compare view's synchronised scrolling, apart from any widget.

:class:`AlignmentMap` says which paragraphs of the other columns are aligned to a paragraph of one
column; :func:`level_row` says where a column must scroll for its aligned passage to be as far
into view as the driving column's; :func:`paragraph_span` gives a paragraph's character span.
Rows and extents are plain numbers (``[top, bottom)`` of a paragraph with its gap), so all of it
can be tested without a terminal. Imports no Textual.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.core.events.alignment import Alignment, paragraph_spans


class AlignmentMap:
    """Which paragraphs of the other columns are aligned to a paragraph of one column.

    Column 0 is the pivot: each of its paragraphs has at most one partner per other column.
    A paragraph of another column may be the partner of several pivot paragraphs (best score
    first), so it may have several partners in the pivot and in the other columns.
    """

    def __init__(self, alignment: Alignment) -> None:
        self.rows = alignment.rows
        self.columns = len(alignment.articles)

    def partners(self, column: int, paragraph: int) -> dict[int, list[int]]:
        """Column -> aligned paragraphs (best first), the column itself included; {} if none."""
        if not 0 <= column < self.columns:
            return {}
        if column == 0:
            if not 0 <= paragraph < len(self.rows):
                return {}
            row = self.rows[paragraph]
            found = {k: [m.passage.index] for k, m in enumerate(row.matches, 1) if m is not None}
            return {0: [paragraph], **found} if found else {}
        pivots = [
            row
            for row in self.rows
            if (m := row.matches[column - 1]) is not None and m.passage.index == paragraph
        ]
        pivots.sort(key=lambda row: -(row.matches[column - 1].score))  # type: ignore[union-attr]
        if not pivots:
            return {}
        result = {column: [paragraph], 0: [row.pivot.index for row in pivots]}
        for other in range(1, self.columns):
            if other != column:
                seen = [m.passage.index for row in pivots if (m := row.matches[other - 1])]
                if seen:
                    result[other] = list(dict.fromkeys(seen))
        return result


def fraction_into(row: int, extent: tuple[int, int]) -> float:
    """How far ``row`` is into the paragraph spanning rows ``extent`` (0 at its top)."""
    start, end = extent
    return (row - start) / max(1, end - start)


def nearest(extents: Sequence[tuple[int, int]], scroll_y: float) -> int:
    """The index of the extent whose top is nearest ``scroll_y`` (the first on a tie): a column
    with several passages aligned to one goes to the nearest rather than jumping about."""
    if not extents:
        raise ValueError("no extents to choose from")
    return min(range(len(extents)), key=lambda i: abs(extents[i][0] - scroll_y))


def level_row(
    top: int,
    driver: tuple[int, int],
    partners: Sequence[tuple[int, int]],
    scroll_y: float,
) -> int:
    """The row a following column scrolls to when the driving column shows row ``top`` inside
    its paragraph ``driver``: as far into the partner paragraph nearest its ``scroll_y`` as
    ``top`` is into ``driver``. ``partners`` are the extents of the aligned paragraphs."""
    lo, hi = partners[nearest(partners, scroll_y)]
    return round(lo + fraction_into(top, driver) * (hi - lo))


def paragraph_span(body: str, paragraph: int) -> tuple[int, int]:
    """Characters ``[start, end)`` of paragraph ``paragraph`` of ``body`` ((0, 0) if none)."""
    spans = paragraph_spans(body)
    return spans[paragraph] if 0 <= paragraph < len(spans) else (0, 0)
