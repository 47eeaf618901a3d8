"""Where a cursor is drawn in a laid-out text, and which logical offset a screen cell or a
word move leads to: the geometry a multi-line field for right-to-left and mixed text needs.

Public API::

    cursor_cell(layout, offset, *, rtl_rows=True) -> tuple[int, int]
    offset_at(layout, row, column, *, rtl_rows=True) -> int
    row_of(layout, offset) -> int
    word_start(text, offset) -> int
    word_end(text, offset) -> int
    words(text) -> list[tuple[int, int]]

What callers may rely on:

- ``layout`` is a :class:`reader.core.text.layout.Layout` of the field's logical text laid out
  with ``paragraph_gap=0``; offsets are logical (0..len(text)), a cursor offset is the place
  between ``offset - 1`` and ``offset``: typing inserts before the character at ``offset``.
- :func:`row_of` is the row that holds the cursor: the last row starting at or before it (a
  cursor on the "\\n" ending a paragraph is on that paragraph's last row; on an empty
  paragraph, on its row).
- :func:`cursor_cell` is ``(row, column)`` of the cell to draw the cursor on, columns as in
  ``Layout.line_text`` (padding included): the cell showing the character at the cursor; when
  that character is not drawn on the row (the end of the text or of a paragraph, a space
  swallowed by a line break, a dropped haraka at the end), one cell past the row's text on
  the side its paragraph ends: right of a left-to-right row, left of a right-to-left one (the
  column may then be -1 for a row that fills the width: a field draws right-to-left rows one
  cell to the right to leave room for it). ``rtl_rows=False`` treats every row as
  left-to-right (modes "terminal" and "off", where rows are logical).
- :func:`offset_at` is the inverse for a click or a move up/down: the cursor offset for a
  cell; a cell past the row's text on the side the paragraph ends gives the row's end (for a
  row followed by another row of its paragraph, the offset just before the break, so the
  cursor stays on that row), on the side it starts the row's start.
- :func:`word_start` / :func:`word_end` move over a word in logical order (a word is a run of
  non-space characters; spaces next to it are skipped first): what ctrl+w deletes is
  ``text[word_start(text, i):i]``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from reader.core.text.layout import Layout

__all__ = ["cursor_cell", "offset_at", "row_of", "word_end", "word_start", "words"]


def row_of(layout: Layout, offset: int) -> int:
    """The row holding a cursor at ``offset`` (see the module docstring)."""
    starts = [layout.line_range(row)[0] for row in range(len(layout))]
    return max(0, bisect_right(starts, offset) - 1)


def _is_rtl(layout: Layout, row: int, rtl_rows: bool) -> bool:
    return rtl_rows and layout.lines[row].rtl


def _row_end(layout: Layout, row: int) -> int:
    """The cursor offset at the end of ``row``: before its swallowed break, if it has one."""
    start, end = layout.line_range(row)
    last = row + 1 >= len(layout) or layout.paragraph_of(row + 1) != layout.paragraph_of(row)
    if last or end <= start:
        return end
    return end - 1 if layout.text[end - 1].isspace() else end


def cursor_cell(layout: Layout, offset: int, *, rtl_rows: bool = True) -> tuple[int, int]:
    """Row and column of the cell to draw a cursor at ``offset`` on (see the module docstring)."""
    row = row_of(layout, offset)
    line = layout.lines[row]
    _, end = layout.line_range(row)
    for index in range(offset, end):
        found = layout.logical_to_visual(index)
        if found is not None and found[0] == row:
            return found
        if found is not None:
            break
    if _is_rtl(layout, row, rtl_rows):
        return row, line.indent - 1
    return row, line.indent + line.width


def offset_at(layout: Layout, row: int, column: int, *, rtl_rows: bool = True) -> int:
    """The cursor offset for the cell at ``row``, ``column`` (see the module docstring)."""
    row = min(max(0, row), len(layout) - 1)
    offsets = layout.cell_offsets(row, column)
    if offsets:
        return offsets[0]
    line = layout.lines[row]
    start, _ = layout.line_range(row)
    before_text = column < line.indent
    if before_text == _is_rtl(layout, row, rtl_rows):
        return _row_end(layout, row)
    return start


def word_start(text: str, offset: int) -> int:
    """Where the word before ``offset`` starts (spaces before ``offset`` skipped first)."""
    index = min(max(0, offset), len(text))
    while index > 0 and text[index - 1].isspace():
        index -= 1
    while index > 0 and not text[index - 1].isspace():
        index -= 1
    return index


def word_end(text: str, offset: int) -> int:
    """Where the word after ``offset`` ends (spaces after ``offset`` skipped first)."""
    index = min(max(0, offset), len(text))
    while index < len(text) and text[index].isspace():
        index += 1
    while index < len(text) and not text[index].isspace():
        index += 1
    return index


# A word to select: letters, digits and marks (harakat included), with a figure's inner
# separators ("1,200", "3.5", "٣٫٥") and an apostrophe inside a name kept in it.
_WORD = re.compile(
    r"(?:\w|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed])+"
    r"(?:[.,'\u2019\u066b\u066c](?:\w|[\u064b-\u065f\u0670])+)*"
)


def words(text: str) -> list[tuple[int, int]]:
    """The words of ``text`` as logical ``(start, end)`` ranges, in logical (reading) order: runs
    of letters, digits and their marks; a figure's inner "," "." "٫" "٬" and an apostrophe
    between letters stay inside; other punctuation and spaces are never part of a word."""
    return [match.span() for match in _WORD.finditer(text)]
