"""Screen layout of article text in English and Arabic: bidi, shaping, wrapping and styling.

Public API (everything else is internal)::

    layout_text(text, width, spans=(), *, lang=None, harakat="keep", mode="app",
                paragraph_gap=1) -> Layout
    Span(start, end, style)                  # style: a Rich style string or Style
    Layout.lines: tuple[VisualLine, ...]     # one per screen row, top to bottom
    Layout.line_text(line) -> rich.text.Text # styled, padding included, <= width cells
    Layout.with_spans(spans) -> Layout       # same geometry, other styles (cheap)
    Layout.visual_to_logical(line, col) -> int | None
    Layout.cell_offsets(line, col) -> tuple[int, ...]
    Layout.logical_to_visual(offset) -> tuple[int, int] | None
    Layout.line_range(line) -> tuple[int, int]
    Layout.paragraph_of(line) -> int | None
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
  (``reader.core.sanitize``); bidi controls and zero-width characters are never drawn.
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
- Text is built with ``Text()``/``stylize``; article text can never inject Rich markup.
- Layouts are cached per (text, width, options), prepared paragraphs (shaping, levels) per
  paragraph and shaped words per word, so a new width only re-wraps and re-orders. The
  caches are shared and guarded by a lock: ``layout_text`` may be called from any thread.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal

from rich.style import Style
from rich.text import Text

from reader.core import shaping
from reader.core.bidi import reorder_line
from reader.core.sanitize import TextWarnings, sanitize, scan_text
from reader.core.shaping import Paragraph, prepare_paragraphs, wrap

__all__ = [
    "Layout",
    "Span",
    "TextWarnings",
    "VisualLine",
    "clear_caches",
    "layout_text",
    "scan_text",
]

Mode = Literal["app", "terminal", "off"]
Harakat = Literal["keep", "drop"]
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"}
)
_ELLIPSIS = "\u2026"


@dataclass(frozen=True, slots=True)
class Span:
    """Style the logical characters ``start..end`` (end excluded) with a Rich style."""

    start: int
    end: int
    style: str | Style


@dataclass(frozen=True, slots=True)
class VisualLine:
    """One screen row: ``indent`` cells of padding, then ``plain`` (``width`` cells).

    ``first`` and ``order`` are the engine's own (clusters of the paragraph, left to right).
    """

    paragraph: int | None  # None for a gap row between paragraphs
    start: int  # logical range of the row, absolute offsets
    end: int
    indent: int
    width: int
    rtl: bool  # direction of its paragraph
    plain: str  # what the row shows, left to right, without the padding
    first: int = field(default=0, repr=False)  # first cluster of the row in its paragraph
    order: tuple[int, ...] = field(default=(), repr=False)  # clusters, left to right


@dataclass(slots=True)
class _Geometry:
    width: int
    paragraphs: list[Paragraph]
    offsets: list[int]  # absolute start of each paragraph
    lines: tuple[VisualLine, ...]
    first_line: list[int]  # first row of each paragraph
    row_count: list[int]  # rows of each paragraph (gap rows not counted)
    warnings: TextWarnings
    cells: dict[int, list[int]] = field(default_factory=dict)  # row -> cluster per column


def _layout(text: str, width: int, lang: str | None, keep: bool, mode: str, gap: int) -> _Geometry:
    width = max(1, width)
    fallback = 1 if (lang or "").split("-")[0].lower() in RTL_LANGUAGES else 0
    pieces = text.split("\n")
    offsets: list[int] = []
    pos = 0
    for piece in pieces:
        offsets.append(pos)
        pos += len(piece) + 1
    paragraphs = _prepared(pieces, mode, keep, fallback)
    lines: list[VisualLine] = []
    first_line: list[int] = []
    row_count: list[int] = []
    for number, (par, offset) in enumerate(zip(paragraphs, offsets, strict=True)):
        if number and gap:
            blank = VisualLine(None, offset - 1, offset - 1, 0, 0, False, "")
            lines.extend([blank] * gap)
        first_line.append(len(lines))
        rows = wrap(par, width)
        row_count.append(len(rows))
        rtl = bool(par.level & 1)
        for row, (first, end, cells) in enumerate(rows):
            if mode == "app":
                order = reorder_line(par.levels, par.kinds, par.level, first, end, par.cuts)
            else:
                order = list(range(first, end))
            texts = par.texts
            if width == 1 and 2 in par.widths[first:end]:
                plain = "".join([texts[i] if par.widths[i] < 2 else _ELLIPSIS for i in order])
            else:
                plain = "".join(map(texts.__getitem__, order))
            lo = 0 if row == 0 else par.starts[first]
            hi = len(par.text) if row == len(rows) - 1 else par.starts[rows[row + 1][0]]
            indent = width - cells if rtl and mode == "app" else 0
            lines.append(
                VisualLine(
                    number, offset + lo, offset + hi, indent, cells, rtl, plain, first, tuple(order)
                )
            )
    return _Geometry(width, paragraphs, offsets, tuple(lines), first_line, row_count, _scan(text))


_PARAGRAPHS: OrderedDict[tuple[str, str, bool, int], Paragraph] = OrderedDict()
_LAYOUTS: OrderedDict[tuple[str, int, str | None, bool, str, int], _Geometry] = OrderedDict()
_PARAGRAPH_CACHE = 4096
_LOCK = threading.Lock()
_LAYOUT_CACHE = 32


_SCANS: OrderedDict[str, TextWarnings] = OrderedDict()


def _scan(text: str) -> TextWarnings:
    found = _SCANS.get(text)
    if found is None:
        found = _SCANS[text] = scan_text(text)
        if len(_SCANS) > _LAYOUT_CACHE:
            _SCANS.popitem(last=False)
    return found


def _prepared(pieces: list[str], mode: str, keep: bool, fallback: int) -> list[Paragraph]:
    """Prepared paragraphs for the raw "\n"-separated pieces (a final CR is left out)."""
    keys = [(piece, mode, keep, fallback) for piece in pieces]
    missing = list(dict.fromkeys(key for key in keys if key not in _PARAGRAPHS))
    if missing:
        bodies = [sanitize(key[0][:-1] if key[0].endswith("\r") else key[0]) for key in missing]
        fresh = prepare_paragraphs(bodies, mode, keep, fallback)
        _PARAGRAPHS.update(zip(missing, fresh, strict=True))
    result = []
    for key in keys:
        _PARAGRAPHS.move_to_end(key)
        result.append(_PARAGRAPHS[key])
    while len(_PARAGRAPHS) > max(_PARAGRAPH_CACHE, len(keys)):
        _PARAGRAPHS.popitem(last=False)
    return result


def _geometry(
    text: str, width: int, lang: str | None, keep: bool, mode: str, gap: int
) -> _Geometry:
    key = (text, width, lang, keep, mode, gap)
    found = _LAYOUTS.get(key)
    if found is None:
        found = _LAYOUTS[key] = _layout(text, width, lang, keep, mode, gap)
        if len(_LAYOUTS) > _LAYOUT_CACHE:
            _LAYOUTS.popitem(last=False)
    else:
        _LAYOUTS.move_to_end(key)
    return found


def clear_caches() -> None:
    """Forget cached layouts, prepared paragraphs and shaped words."""
    with _LOCK:
        _clear()


def _clear() -> None:
    _LAYOUTS.clear()
    _PARAGRAPHS.clear()
    _SCANS.clear()
    shaping.clear_caches()


class Layout:
    """A laid-out text: rows, index maps and styled rows (see the module docstring)."""

    __slots__ = ("_by_start", "_geo", "_reach", "_spans", "_starts", "_styled", "text")

    def __init__(self, text: str, geometry: _Geometry, spans: Iterable[Span] = ()) -> None:
        self.text = text
        self._geo = geometry
        self._spans = tuple(span for span in spans if span.end > span.start)
        self._styled: dict[int, Text] = {}
        # the spans sorted by start, with the furthest end reached so far, to find a row's
        self._by_start = sorted(range(len(self._spans)), key=lambda i: self._spans[i].start)
        self._starts = [self._spans[i].start for i in self._by_start]
        self._reach = list(accumulate((self._spans[i].end for i in self._by_start), max))

    @property
    def width(self) -> int:
        """The width the text was laid out for, in cells."""
        return self._geo.width

    @property
    def lines(self) -> tuple[VisualLine, ...]:
        """The screen rows, top to bottom."""
        return self._geo.lines

    @property
    def spans(self) -> tuple[Span, ...]:
        """The style spans of this layout (empty ones dropped)."""
        return self._spans

    @property
    def warnings(self) -> TextWarnings:
        """What :func:`scan_text` found in the text."""
        return self._geo.warnings

    @property
    def bidi_controls(self) -> int:
        """How many bidi formatting characters the text holds (applied, never drawn)."""
        return self._geo.warnings.bidi_controls

    @property
    def control_chars(self) -> int:
        """How many control characters the text holds (drawn as visible symbols)."""
        return self._geo.warnings.control_chars

    def __len__(self) -> int:
        return len(self._geo.lines)

    def with_spans(self, spans: Iterable[Span]) -> Layout:
        """The same layout (shared, not recomputed) styled with other spans."""
        return Layout(self.text, self._geo, spans)

    def line_range(self, line: int) -> tuple[int, int]:
        """The logical range ``(start, end)`` that row ``line`` covers."""
        row = self._geo.lines[line]
        return row.start, row.end

    def paragraph_of(self, line: int) -> int | None:
        """The paragraph (0-based, "\\n"-separated) of row ``line``; None for a gap row."""
        return self._geo.lines[line].paragraph

    def _cells(self, line: int) -> list[int]:
        """Cluster index shown in each column of a row (-1 for padding)."""
        cells = self._geo.cells.get(line)
        if cells is None:
            row = self._geo.lines[line]
            cells = [-1] * row.indent
            if row.paragraph is not None:
                widths = self._geo.paragraphs[row.paragraph].widths
                limit = self._geo.width
                for index in row.order:
                    cells.extend([index] * min(widths[index], limit))
            self._geo.cells[line] = cells
        return cells

    def cell_offsets(self, line: int, col: int) -> tuple[int, ...]:
        """The logical characters the cell shows, ascending (empty for padding/outside)."""
        if not 0 <= line < len(self._geo.lines):
            return ()
        cells = self._cells(line)
        if not 0 <= col < len(cells) or cells[col] < 0:
            return ()
        row = self._geo.lines[line]
        assert row.paragraph is not None
        par = self._geo.paragraphs[row.paragraph]
        base = self._geo.offsets[row.paragraph]
        lo, hi = par.starts[cells[col]], par.starts[cells[col] + 1]
        return tuple(base + i for i in range(lo, hi) if par.drawn[i] == "1")

    def visual_to_logical(self, line: int, col: int) -> int | None:
        """The first logical character the cell shows, or None (padding, outside the rows)."""
        offsets = self.cell_offsets(line, col)
        return offsets[0] if offsets else None

    def logical_to_visual(self, offset: int) -> tuple[int, int] | None:
        """``(row, column)`` of the first cell showing the character; None if not drawn."""
        geo = self._geo
        number = bisect_right(geo.offsets, offset) - 1
        if number < 0:
            return None
        par = geo.paragraphs[number]
        rel = offset - geo.offsets[number]
        if rel >= len(par.text) or par.drawn[rel] != "1":
            return None
        cluster = bisect_right(par.starts, rel) - 1
        first = geo.first_line[number]
        rows = geo.lines[first : first + geo.row_count[number]]
        index = bisect_right([row.first for row in rows], cluster) - 1
        row = rows[index]
        if cluster not in row.order:
            return None  # whitespace swallowed by a line break
        line = first + index
        return line, self._cells(line).index(cluster)

    def line_text(self, line: int) -> Text:
        """Row ``line`` as a styled Rich Text: padding then content, at most ``width`` cells."""
        text = self._styled.get(line)
        if text is None:
            text = self._styled[line] = self._build(line)
        return text

    def _build(self, line: int) -> Text:
        row = self._geo.lines[line]
        text = Text(" " * row.indent + row.plain, end="")
        if not self._spans or row.paragraph is None or row.start == row.end:
            return text
        par = self._geo.paragraphs[row.paragraph]
        base = self._geo.offsets[row.paragraph]
        where: dict[int, tuple[int, int]] = {}  # cluster -> its characters in ``text``
        pos = row.indent
        for index in row.order:
            size = len(par.texts[index]) if par.widths[index] <= self._geo.width else 1
            where[index] = (pos, pos + size)
            pos += size
        for span in self._spans_over(row.start, row.end):
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
                        text.stylize(span.style, run_start, run_end)
                    run_start = start
                run_end = end
            if run_end > run_start:
                text.stylize(span.style, run_start, run_end)
        return text

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
    if harakat not in ("keep", "drop"):
        raise ValueError(f"harakat must be 'keep' or 'drop', not {harakat!r}")
    if mode not in ("app", "terminal", "off"):
        raise ValueError(f"mode must be 'app', 'terminal' or 'off', not {mode!r}")
    with _LOCK:  # the caches are shared; a worker thread may lay out too
        geometry = _geometry(text, width, lang, harakat == "keep", mode, max(0, paragraph_gap))
    return Layout(text, geometry, spans)
