"""One line of untrusted text for a one-line widget (a label, a field, a printed column):
sanitized, shaped and reordered by the layout engine, with the maps an editable field needs.

Public API::

    field_line(text, *, lang=None, mode="app", harakat="keep", spans=()) -> FieldLine
    visual_field(text, *, lang=None, mode="app", harakat="keep") -> str
    visual_message(text, width, *, lang=None, mode="app", harakat="keep") -> str

What callers may rely on:

- The text is first made one line with :func:`reader.core.text.sanitize.one_line` (a newline
  shows as ``␤``, control characters as visible symbols), then laid out as ONE paragraph by
  :func:`reader.core.text.layout.layout_text` at a width it never wraps at, so the row is what
  the article pane would draw for that paragraph (direction from its first strong character,
  else ``lang``; Arabic shaped; runs reordered), without the right-alignment padding.
  ``rtl`` is the paragraph's direction in mode "app"; in modes "terminal" and "off" the row
  is the logical text, left-aligned, and ``rtl`` is False.
- :class:`FieldLine` maps both ways between logical offsets (into ``text``) and the columns of
  the row (0 = its leftmost cell): ``column_of[i]`` is the column of the cell that shows
  character ``i`` (-1 when it is not drawn: a bidi control, a zero-width character, a dropped
  haraka), ``offsets_at[c]`` the logical characters cell ``c`` shows (a wide character fills
  two cells, both listing it). Style spans given in logical offsets come back on the row's
  characters (``row.spans``).
- Text that is ASCII after :func:`one_line` is not laid out at all (it needs nothing): the row
  is the text, each character in its own column.
- :func:`visual_field` is the row's plain text: what to put in a label. Fields joined with
  separators (" · ") are each laid out alone, so an Arabic outlet cannot pull the words around
  it into its own direction.
- :func:`visual_message` lays a message out over rows of ``width`` cells (a toast, an error
  line) and joins them with "\\n": a widget that wraps by itself must get rows that fit.

Nothing here is ever stored: the logical text stays the value; this is only what is drawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from reader.core.text.cells import char_width
from reader.core.text.layout import Harakat, Mode, Span, StyledRow, layout_text
from reader.core.text.sanitize import one_line, sanitize

__all__ = ["FieldLine", "field_line", "visual_field", "visual_message"]


@dataclass(frozen=True, slots=True)
class FieldLine:
    """A one-line text laid out for the screen (see the module docstring)."""

    text: str  # the logical text given
    row: StyledRow  # what to draw, left to right, no padding
    rtl: bool  # the paragraph's direction (the side a right-to-left field aligns to)
    column_of: tuple[int, ...]  # per logical character: its cell's column, -1 if not drawn
    offsets_at: tuple[tuple[int, ...], ...]  # per column: the logical characters it shows

    @property
    def width(self) -> int:
        """Cells the row takes."""
        return len(self.offsets_at)


def field_line(
    text: str,
    *,
    lang: str | None = None,
    mode: Mode = "app",
    harakat: Harakat = "keep",
    spans: Iterable[Span] = (),
) -> FieldLine:
    """``text`` as one screen row with both maps (see the module docstring)."""
    return _field_line(text, lang, mode, harakat, tuple(spans))


@lru_cache(maxsize=256)
def _field_line(
    text: str, lang: str | None, mode: Mode, harakat: Harakat, spans: tuple[Span, ...]
) -> FieldLine:
    shown = one_line(text)
    if shown.isascii():
        cols = tuple(range(len(shown)))
        kept = tuple(s for s in spans if s.end > s.start and s.style)
        row = StyledRow(
            shown, tuple(Span(max(0, s.start), min(len(shown), s.end), s.style) for s in kept)
        )
        return FieldLine(text, row, False, cols, tuple((i,) for i in cols))
    width = 2 * len(shown) + 2  # every character takes at most 2 cells: the row never wraps
    layout = layout_text(
        shown, width, spans, lang=lang, mode=mode, harakat=harakat, paragraph_gap=0
    )
    line = layout.lines[0]
    styled = layout.line_text(0)
    pad = line.indent
    plain = styled.plain[pad:]
    row = StyledRow(
        plain,
        tuple(Span(s.start - pad, s.end - pad, s.style) for s in styled.spans if s.end > pad),
    )
    cells = sum(char_width(c) for c in plain)
    offsets_at = tuple(layout.cell_offsets(0, pad + col) for col in range(cells))
    column_of = [-1] * len(text)
    for col, offsets in enumerate(offsets_at):
        for offset in offsets:
            if column_of[offset] < 0:
                column_of[offset] = col
    # only the app's own layout right-aligns: in "terminal" and "off" modes the row is logical
    rtl = line.rtl and mode == "app"
    return FieldLine(text, row, rtl, tuple(column_of), offsets_at)


def visual_field(
    text: str, *, lang: str | None = None, mode: Mode = "app", harakat: Harakat = "keep"
) -> str:
    """What a one-line widget shows for ``text``: sanitized, shaped and in visual order."""
    return field_line(text, lang=lang, mode=mode, harakat=harakat).row.plain


def visual_message(
    text: str,
    width: int,
    *,
    lang: str | None = None,
    mode: Mode = "app",
    harakat: Harakat = "keep",
) -> str:
    """``text`` (several lines allowed) laid out in rows of at most ``width`` cells, joined by
    "\\n", right-to-left paragraphs right-aligned: for widgets that wrap by themselves."""
    shown = sanitize(text).replace("\t", " ")
    if shown.isascii():
        return shown
    layout = layout_text(
        shown, max(1, width), lang=lang, mode=mode, harakat=harakat, paragraph_gap=0
    )
    return "\n".join(layout.line_text(row).plain.rstrip() for row in range(len(layout.lines)))
