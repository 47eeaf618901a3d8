"""What the layout gives to draw: rows of plain text with style spans, no UI library's objects.

:class:`Span` styles a range of characters with a style string that only the face interprets;
:class:`StyledRow` is one screen row (see :meth:`reader.core.text.layout.Layout.line_text`). The
app and the CLI turn a row into a ``rich.text.Text`` with :func:`reader.rich_rows.rich_text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from reader.core.text.cells import cell_len

__all__ = ["Span", "StyledRow"]


@dataclass(frozen=True, slots=True)
class Span:
    """Style the characters ``start..end`` (end excluded) with ``style``.

    Given to :func:`layout_text`, offsets are logical offsets into the text; in a
    :class:`StyledRow`, offsets into the row's ``plain``. ``style`` is opaque here: a string the
    face interprets (the app and the CLI use Rich style definitions such as ``"bold reverse"``).
    """

    start: int
    end: int
    style: str


@dataclass(frozen=True, slots=True)
class StyledRow:
    """One screen row ready to draw: ``plain`` (padding included) and the spans that style it.

    ``spans`` hold offsets into ``plain`` and come in the order they apply: where two overlap,
    the later one is drawn over the earlier (as Rich applies a Text's spans). No span is empty
    and none has an empty style.
    """

    plain: str
    spans: tuple[Span, ...] = ()

    @property
    def cell_len(self) -> int:
        """How many terminal cells the row takes (at most the layout's width)."""
        return cell_len(self.plain)

    def runs(self) -> list[tuple[str, tuple[str, ...]]]:
        """The row cut where its styling changes: (text, the styles on it, in order)."""
        cuts = sorted({0, len(self.plain), *(x for s in self.spans for x in (s.start, s.end))})
        return [
            (self.plain[a:b], tuple(s.style for s in self.spans if s.start <= a and b <= s.end))
            for a, b in pairwise(cuts)
            if a < b
        ]
