"""Screen layout of article text in English and Arabic: bidi, shaping, wrapping and styling.

Public API (everything else is internal)::

    layout_text(text, width, spans=(), *, lang=None, harakat="keep", mode="app",
                paragraph_gap=1) -> Layout
    stream_lines(text, width, *, lang=None, ...) -> Iterator[VisualLine]  # for printing
    row_text(row) -> StyledRow               # an unstyled row, padding included
    Span(start, end, style)                  # style: a name the face understands (a string)
    StyledRow(plain, spans)                  # a row to draw: text and style spans over it
    Layout.lines: Sequence[VisualLine]       # one per screen row, top to bottom (lazy)
    Layout.line_text(line) -> StyledRow      # styled, padding included, <= width cells
    Layout.with_spans(spans) -> Layout       # same geometry, other styles (cheap)
    Layout.visual_to_logical(line, col) -> int | None
    Layout.cell_offsets(line, col) -> tuple[int, ...]
    Layout.logical_to_visual(offset) -> tuple[int, int] | None
    Layout.line_range(line) -> tuple[int, int]
    Layout.paragraph_of(line) -> int | None
    Layout.paragraph_count, Layout.paragraph_top(paragraph), Layout.paragraph_at(line)
    Layout.bidi_controls, Layout.control_chars, Layout.warnings (TextWarnings)
    scan_text(text) -> TextWarnings, clear_caches()

What callers may rely on:

- Offsets are logical character offsets into the ``text`` given. Paragraphs are separated
  by "\\n" (a CR before it is ignored); ``paragraph_gap`` blank rows separate paragraphs (gap
  rows have ``paragraph_of() is None`` and the empty range ``(n, n)``, n the offset of the
  "\\n"). Every paragraph, even an empty one, has at least one row.
- mode "app": per paragraph, the direction comes from the first strong character (else from
  ``lang``: "ar", "fa", "he", "ur"... give RTL), levels are resolved over the whole paragraph
  (UAX #9, python-bidi), Arabic is shaped (lam-alef is one cell for both letters; the ALLAH
  ligature is off), the paragraph is wrapped in logical order at spaces by cell width (a word
  wider than the row is folded), then each row is reordered (L1-L4: trailing spaces to the
  paragraph level, runs reversed, marks kept after their base, brackets mirrored at odd
  levels). RTL rows are right-aligned: ``VisualLine.indent`` cells of padding come first and
  are part of ``line_text``. mode "terminal": logical order, unshaped, left-aligned, harakat
  per option (for terminals that do bidi themselves). mode "off": the text as is, wrapped.
- Every mode sanitizes: control characters and escape sequences are drawn as visible symbols
  (``reader.core.text.sanitize``); bidi controls and zero-width characters are never drawn.
- A row is never wider than ``width`` cells (a character wider than the row is drawn as '…').
- Each cell shows one cluster: ``cell_offsets`` lists the logical characters it shows (a base
  letter and its kept marks; both letters of a lam-alef; a wide character fills two cells).
  Padding maps to nothing. ``visual_to_logical`` gives the first of them.
- ``logical_to_visual`` gives the row and first column of the cell that shows a character,
  or None for characters not drawn: bidi controls, zero-width characters, dropped harakat,
  the "\\n"/CR, and whitespace swallowed by a line break (all spaces between the last word of
  one row and the first word of the next; trailing spaces of a paragraph that do not fit).
- Row ranges (``line_range``) of a paragraph are contiguous and cover it; whitespace swallowed
  by a break belongs to the row above.
- A style span styles exactly the cells that show at least one of its characters.
- Rows are plain strings with style spans (:class:`StyledRow`), never markup: article text can
  never inject Rich markup. Styles are strings the face gives and interprets (the app and the
  CLI turn a row into a ``rich.text.Text`` with :func:`reader.rich_rows.rich_text`); this module
  imports no UI library. Widths are in terminal cells as Rich counts them
  (:mod:`reader.core.text.cells`).
- Memory does not grow with the text (``reader.core.text.layout_blocks``): a layout keeps a few
  numbers per block of text and its row count; rows, cluster maps and prepared paragraphs
  are laid out when read and kept in caches bounded by characters, as are the styled rows of
  a Layout. ``len(layout.lines)`` is known at once; reading a row lays out its block.
- A paragraph longer than 65,536 characters is laid out in chunks of at most 32,768, each
  ending where a row starts (see ``reader.core.text.layout_blocks``): its rows break where they
  would in the whole paragraph, but each chunk is shaped and resolved for bidi on its own
  (with the whole paragraph's direction), so near a cut an Arabic letter may take another
  form and an embedding or isolate does not carry over. Shorter paragraphs are laid out
  whole, as described above.
- Layouts are cached per (text, width, options), prepared paragraphs (shaping, levels) per
  paragraph and shaped words per word, so a new width of a text of normal size only
  re-wraps and re-orders. The caches are shared and guarded by a lock: ``layout_text`` and
  the methods of a Layout may be called from any thread.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Literal, overload

from reader.core.text import shaping
from reader.core.text.layout_blocks import LOCK, Block, Geometry, VisualLine, clear_blocks
from reader.core.text.rows import Span, StyledRow
from reader.core.text.sanitize import TextWarnings, scan_text
from reader.core.text.shaping import Paragraph

__all__ = [
    "Layout",
    "Span",
    "StyledRow",
    "TextWarnings",
    "VisualLine",
    "clear_caches",
    "layout_text",
    "row_text",
    "scan_text",
    "stream_lines",
]

Mode = Literal["app", "terminal", "off"]
Harakat = Literal["keep", "drop"]
_STYLED_ROWS = 512  # styled rows a Layout keeps


class _Lines(Sequence[VisualLine]):
    """The rows of a geometry, laid out when asked for (a block at a time)."""

    __slots__ = ("_geo",)

    def __init__(self, geometry: Geometry) -> None:
        self._geo = geometry

    def __len__(self) -> int:
        return len(self._geo)

    @overload
    def __getitem__(self, index: int) -> VisualLine: ...

    @overload
    def __getitem__(self, index: slice) -> list[VisualLine]: ...

    def __getitem__(self, index: int | slice) -> VisualLine | list[VisualLine]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        size = len(self)
        if not -size <= index < size:
            raise IndexError(index)
        block, row = self._geo.row(index % size)
        return block.lines[row]

    def __iter__(self) -> Iterator[VisualLine]:
        for index in range(self._geo.block_count):
            yield from self._geo.block(index).lines


_LAYOUTS: OrderedDict[tuple[str, int, str | None, bool, str, int], tuple[Geometry, _Lines]] = (
    OrderedDict()
)
_LAYOUT_CACHE = 32
_SCANS: OrderedDict[str, TextWarnings] = OrderedDict()


def _scan(text: str) -> TextWarnings:
    found = _SCANS.get(text)
    if found is None:
        found = _SCANS[text] = scan_text(text)
        if len(_SCANS) > _LAYOUT_CACHE:
            _SCANS.popitem(last=False)
    return found


def _geometry(
    text: str, width: int, lang: str | None, keep: bool, mode: str, gap: int
) -> tuple[Geometry, _Lines]:
    key = (text, width, lang, keep, mode, gap)
    found = _LAYOUTS.get(key)
    if found is None:
        geometry = Geometry.counted(text, width, lang, keep, mode, gap)
        found = _LAYOUTS[key] = (geometry, _Lines(geometry))
        if len(_LAYOUTS) > _LAYOUT_CACHE:
            _LAYOUTS.popitem(last=False)
    else:
        _LAYOUTS.move_to_end(key)
    return found


def clear_caches() -> None:
    """Forget cached layouts, laid-out blocks, prepared paragraphs and shaped words."""
    with LOCK:
        _LAYOUTS.clear()
        _SCANS.clear()
        clear_blocks()
        shaping.clear_caches()


class Layout:
    """A laid-out text: rows, index maps and styled rows (see the module docstring)."""

    __slots__ = (
        "_by_start",
        "_geo",
        "_lines",
        "_reach",
        "_spans",
        "_starts",
        "_styled",
        "_warnings",
        "text",
    )

    def __init__(
        self,
        text: str,
        geometry: Geometry,
        lines: _Lines,
        warnings: TextWarnings,
        spans: Iterable[Span] = (),
    ) -> None:
        self.text = text
        self._geo = geometry
        self._lines = lines
        self._warnings = warnings
        self._spans = tuple(span for span in spans if span.end > span.start)
        self._styled: OrderedDict[int, StyledRow] = OrderedDict()
        # the spans sorted by start, with the furthest end reached so far, to find a row's
        self._by_start = sorted(range(len(self._spans)), key=lambda i: self._spans[i].start)
        self._starts = [self._spans[i].start for i in self._by_start]
        self._reach = list(accumulate((self._spans[i].end for i in self._by_start), max))

    @property
    def width(self) -> int:
        """The width the text was laid out for, in cells."""
        return self._geo.width

    @property
    def lines(self) -> Sequence[VisualLine]:
        """The screen rows, top to bottom (laid out when read: ``len`` costs nothing)."""
        return self._lines

    @property
    def spans(self) -> tuple[Span, ...]:
        """The style spans of this layout (empty ones dropped)."""
        return self._spans

    @property
    def warnings(self) -> TextWarnings:
        """What :func:`scan_text` found in the text."""
        return self._warnings

    @property
    def bidi_controls(self) -> int:
        """How many bidi formatting characters the text holds (applied, never drawn)."""
        return self._warnings.bidi_controls

    @property
    def control_chars(self) -> int:
        """How many control characters the text holds (drawn as visible symbols)."""
        return self._warnings.control_chars

    @property
    def paragraph_count(self) -> int:
        """How many paragraphs ("\\n"-separated) the text has."""
        return self._geo.paragraphs

    def __len__(self) -> int:
        return len(self._geo)

    def with_spans(self, spans: Iterable[Span]) -> Layout:
        """The same layout (shared, not recomputed) styled with other spans."""
        return Layout(self.text, self._geo, self._lines, self._warnings, spans)

    def line_range(self, line: int) -> tuple[int, int]:
        """The logical range ``(start, end)`` that row ``line`` covers."""
        row = self._lines[line]
        return row.start, row.end

    def paragraph_of(self, line: int) -> int | None:
        """The paragraph (0-based, "\\n"-separated) of row ``line``; None for a gap row."""
        return self._lines[line].paragraph

    def paragraph_top(self, paragraph: int) -> int:
        """The first row of ``paragraph`` (0 <= paragraph < paragraph_count)."""
        if not 0 <= paragraph < self._geo.paragraphs:
            raise IndexError(paragraph)
        return self._geo.paragraph_top(paragraph)

    def paragraph_at(self, line: int) -> int:
        """The paragraph shown on row ``line``; a gap row belongs to the paragraph above."""
        if not 0 <= line < len(self._geo):
            raise IndexError(line)
        return self._geo.paragraph_at(line)

    def _row(self, line: int) -> tuple[Block, int, VisualLine]:
        block, local = self._geo.row(line)
        return block, local, block.lines[local]

    @staticmethod
    def _cells(block: Block, local: int, limit: int) -> list[int]:
        """Cluster index shown in each column of a row (-1 for padding)."""
        cells = block.cells.get(local)
        if cells is None:
            row = block.lines[local]
            cells = [-1] * row.indent
            unit = block.unit_of[local]
            if unit >= 0:
                widths = block.units[unit].widths
                for index in row.order:
                    cells.extend([index] * min(widths[index], limit))
            block.cells[local] = cells
        return cells

    def cell_offsets(self, line: int, col: int) -> tuple[int, ...]:
        """The logical characters the cell shows, ascending (empty for padding/outside)."""
        if not 0 <= line < len(self._geo):
            return ()
        block, local, _ = self._row(line)
        cells = self._cells(block, local, self._geo.width)
        if not 0 <= col < len(cells) or cells[col] < 0:
            return ()
        unit = block.unit_of[local]
        par, base = block.units[unit], block.bases[unit]
        lo, hi = par.starts[cells[col]], par.starts[cells[col] + 1]
        return tuple(base + i for i in range(lo, hi) if par.drawn[i] == "1")

    def visual_to_logical(self, line: int, col: int) -> int | None:
        """The first logical character the cell shows, or None (padding, outside the rows)."""
        offsets = self.cell_offsets(line, col)
        return offsets[0] if offsets else None

    def logical_to_visual(self, offset: int) -> tuple[int, int] | None:
        """``(row, column)`` of the first cell showing the character; None if not drawn."""
        geo = self._geo
        index = geo.block_of_offset(offset)
        if index < 0:
            return None
        block = geo.block(index)
        unit = bisect_right(block.bases, offset) - 1
        par = block.units[unit]
        rel = offset - block.bases[unit]
        if rel >= len(par.text) or par.drawn[rel] != "1":
            return None
        cluster = bisect_right(par.starts, rel) - 1
        first = block.first_line[unit]
        rows = block.lines[first : first + block.row_count[unit]]
        found = bisect_right([row.first for row in rows], cluster) - 1
        if cluster not in rows[found].order:
            return None  # whitespace swallowed by a line break
        local = first + found
        column = self._cells(block, local, geo.width).index(cluster)
        return geo.first[index] + local, column

    def line_text(self, line: int) -> StyledRow:
        """Row ``line`` styled: padding then content, at most ``width`` cells."""
        text = self._styled.get(line)
        if text is None:
            text = self._styled[line] = self._build(line)
            if len(self._styled) > _STYLED_ROWS:
                self._styled.popitem(last=False)
        else:
            self._styled.move_to_end(line)
        return text

    def _build(self, line: int) -> StyledRow:
        block, local, row = self._row(line)
        text = row_text(row)
        if not self._spans or row.paragraph is None or row.start == row.end:
            return text
        styled: list[Span] = []
        unit = block.unit_of[local]
        par, base = block.units[unit], block.bases[unit]
        where: dict[int, tuple[int, int]] = {}  # cluster -> its characters in ``text``
        pos = row.indent
        for index in row.order:
            size = len(par.texts[index]) if par.widths[index] <= self._geo.width else 1
            where[index] = (pos, pos + size)
            pos += size
        for span in self._spans_over(row.start, row.end):
            if not span.style:
                continue
            lo, hi = max(span.start, row.start) - base, min(span.end, row.end) - base
            if lo >= hi or "1" not in par.drawn[lo:hi]:
                continue
            first = bisect_right(par.starts, lo) - 1
            last = bisect_left(par.starts, hi)
            hits = sorted(
                where[i] for i in range(first, last) if i in where and self._shows(par, i, lo, hi)
            )
            run_start, run_end = -1, -1
            for start, end in hits:
                if start != run_end:
                    if run_end > run_start:
                        styled.append(Span(run_start, run_end, span.style))
                    run_start = start
                run_end = end
            if run_end > run_start:
                styled.append(Span(run_start, run_end, span.style))
        return StyledRow(text.plain, tuple(styled))

    def _spans_over(self, start: int, end: int) -> list[Span]:
        """The spans that overlap ``start..end``, in the order they were given."""
        found = []
        index = bisect_left(self._starts, end) - 1
        while index >= 0 and self._reach[index] > start:
            if self._spans[self._by_start[index]].end > start:
                found.append(self._by_start[index])
            index -= 1
        return [self._spans[i] for i in sorted(found)]

    @staticmethod
    def _shows(par: Paragraph, cluster: int, lo: int, hi: int) -> bool:
        start, end = max(par.starts[cluster], lo), min(par.starts[cluster + 1], hi)
        return "1" in par.drawn[start:end]


def row_text(row: VisualLine) -> StyledRow:
    """A row unstyled: its padding, then what it shows."""
    return StyledRow(" " * row.indent + row.plain)


def _check(harakat: str, mode: str) -> None:
    if harakat not in ("keep", "drop"):
        raise ValueError(f"harakat must be 'keep' or 'drop', not {harakat!r}")
    if mode not in ("app", "terminal", "off"):
        raise ValueError(f"mode must be 'app', 'terminal' or 'off', not {mode!r}")


def layout_text(
    text: str,
    width: int,
    spans: Sequence[Span] | Iterable[Span] = (),
    *,
    lang: str | None = None,
    harakat: Harakat = "keep",
    mode: Mode = "app",
    paragraph_gap: int = 1,
) -> Layout:
    """Lay ``text`` out for rows of ``width`` cells (see the module docstring)."""
    _check(harakat, mode)
    with LOCK:  # the caches are shared; a worker thread may lay out too
        geometry, lines = _geometry(
            text, width, lang, harakat == "keep", mode, max(0, paragraph_gap)
        )
        warnings = _scan(text)
    return Layout(text, geometry, lines, warnings, spans)


def stream_lines(
    text: str,
    width: int,
    *,
    lang: str | None = None,
    harakat: Harakat = "keep",
    mode: Mode = "app",
    paragraph_gap: int = 1,
) -> Iterator[VisualLine]:
    """The rows :func:`layout_text` would give, top to bottom, laid out as they are read and
    kept by nobody: printing a text of any size this way holds a block of it at a time."""
    _check(harakat, mode)
    geometry = Geometry(text, width, lang, harakat == "keep", mode, max(0, paragraph_gap))
    return geometry.stream()
