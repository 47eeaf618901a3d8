"""Lazy geometry of a laid-out text: rows are laid out block by block, on demand.

Internal to :mod:`reader.core.text.layout` (use that module's API). What it guarantees:

- A text is cut into *blocks*: runs of whole paragraphs of at most ``GROUP`` characters (a
  paragraph of up to ``LONG`` characters is never cut and may be a block alone), or one
  *chunk* of a paragraph longer than ``LONG`` characters. A :class:`Geometry` keeps a few
  numbers per block (where it starts and ends, its first paragraph, its first row) and the
  total row count; the rows themselves (:class:`Block`: prepared paragraphs, rows, cluster
  maps) are laid out when asked for and kept in a cache bounded by characters
  (``BLOCK_BUDGET``), prepared paragraphs in another (``PREPARED_BUDGET``). So the memory a
  layout holds does not grow with the text: a 10 MB article costs its row counts plus a few
  blocks.
- Building a geometry wraps every block once, to count its rows (the first blocks, up to
  ``FIRST_LAID_OUT`` characters, are laid out and kept); rows are then the same as if the
  whole text had been laid out at once, with one exception:
- A paragraph longer than ``LONG`` characters is laid out in chunks. A chunk takes at most
  ``CHUNK`` characters, up to the last sentence end (". ", "? ", "! ", "؟ ", "۔ ") in its back
  half, else its last space, else (a run without spaces) its last base character (never
  between a letter and its marks); it is wrapped, and ends where its last row starts: the
  next chunk starts there. So rows break where they would in the whole paragraph (a word
  wider than the row folds at the same places), except where shaping or bidi levels differ
  near a cut: each chunk is shaped and resolved on its own, with the direction of the whole
  paragraph (its first strong character); an embedding or isolate does not carry over a
  cut. Rows of all chunks belong to the one paragraph: no gap between them, contiguous
  ranges.
- The caches are shared by every geometry and guarded by ``LOCK`` (re-entrant).
"""

from __future__ import annotations

import itertools
import re
import threading
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field

from reader.core.text import bidi
from reader.core.text.bidi import reorder_line
from reader.core.text.charkinds import char_kinds
from reader.core.text.sanitize import sanitize
from reader.core.text.shaping import Paragraph, prepare_paragraphs
from reader.core.text.wrapping import wrap

__all__ = ["LOCK", "Block", "Geometry", "VisualLine", "clear_blocks", "plan"]

LONG = 65_536  # a paragraph longer than this is laid out in chunks
CHUNK = 32_768  # the largest chunk of a long paragraph
GROUP = 16_384  # short paragraphs are laid out together in blocks of about this size
PREPARED_BUDGET = 262_144  # characters of prepared paragraphs kept (about 80 bytes each)
BLOCK_BUDGET = 131_072  # characters of laid-out blocks kept (at least MIN_BLOCKS blocks)
MIN_BLOCKS = 4
# Characters of a text laid out row by row when its geometry is built (at least its first
# block): what opening an article shows first. The rest is only wrapped, to count its rows.
FIRST_LAID_OUT = 8_192
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"}
)
_ELLIPSIS = "\u2026"
_SENTENCE_END = re.compile("[.!?\u061f\u06d4][\"'\u201d\u2019\u00bb)\\]]* +")
_BASES = re.compile("[.aWwvt]")  # kinds a chunk may start with (not a mark, not invisible)

LOCK = threading.RLock()


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
    first: int = field(default=0, repr=False)  # first cluster of the row in its unit
    order: tuple[int, ...] = field(default=(), repr=False)  # clusters, left to right


@dataclass(slots=True)
class Block:
    """The rows of one block. A *unit* is a paragraph, or the chunk of one, of the block."""

    units: list[Paragraph]
    bases: list[int]  # absolute offset of each unit
    lines: list[VisualLine]  # gap rows included
    unit_of: list[int]  # per row: its unit, -1 for a gap row
    first_line: list[int]  # per unit: its first row in the block
    row_count: list[int]  # per unit: its rows
    size: int  # characters of the text it covers
    cells: dict[int, list[int]] = field(default_factory=dict)  # row -> cluster per column


# ----- cutting the text into blocks -----


def plan(text: str) -> Iterator[tuple[int, int, int, bool]]:
    """``(start, end, first paragraph, long)`` of each run of whole paragraphs to lay out
    together, in order; ``long`` marks one paragraph longer than ``LONG`` (to cut in chunks)."""
    size = len(text)
    pos = number = 0
    group = group_end = group_par = -1
    while True:
        newline = text.find("\n", pos)
        end = size if newline < 0 else newline
        if end - pos > LONG:
            if group >= 0:
                yield group, group_end, group_par, False
                group = -1
            yield pos, end, number, True
        else:
            if group >= 0 and end - group > GROUP:
                yield group, group_end, group_par, False
                group = -1
            if group < 0:
                group, group_par = pos, number
            group_end = end
        if newline < 0:
            break
        pos, number = newline + 1, number + 1
    if group >= 0:
        yield group, group_end, group_par, False


def _cut(text: str, lo: int) -> int:
    """Where the chunk that starts at ``lo`` ends (the paragraph goes on past ``lo + CHUNK``)."""
    floor, hi = lo + CHUNK // 2, lo + CHUNK
    last = None
    for last in _SENTENCE_END.finditer(text, floor, hi):  # noqa: B007 - the last one is kept
        pass
    if last is not None:
        return last.end()
    space = text.rfind(" ", floor, hi)
    if space >= 0:
        return space + 1
    kinds = char_kinds(text[floor : hi + 1])
    for index in range(len(kinds) - 1, 0, -1):
        if _BASES.match(kinds, index):
            return floor + index
    return hi


def _direction(text: str, start: int, end: int) -> int | None:
    """The first strong direction of ``text[start:end]`` (a long paragraph), read in chunks."""
    for lo in range(start, end, CHUNK):
        strong = bidi.first_strong(text[lo : min(lo + CHUNK, end)])
        if strong is not None:
            return strong
    return None


# ----- caches -----

_PARAGRAPHS: OrderedDict[tuple[str, str, bool, int, int | None], Paragraph] = OrderedDict()
_BLOCKS: OrderedDict[tuple[int, int], Block] = OrderedDict()
_SIZES = {"paragraphs": 0, "blocks": 0}
_SERIAL = itertools.count()


def _prepared(
    pieces: list[str], mode: str, keep: bool, fallback: int, base: int | None
) -> list[Paragraph]:
    """Prepared paragraphs for pieces without "\\n" (a final CR taken off by the caller)."""
    keys = [(piece, mode, keep, fallback, base) for piece in pieces]
    missing = list(dict.fromkeys(key for key in keys if key not in _PARAGRAPHS))
    if missing:
        bodies = [sanitize(key[0]) for key in missing]
        fresh = prepare_paragraphs(bodies, mode, keep, fallback, base)
        for key, paragraph in zip(missing, fresh, strict=True):
            _PARAGRAPHS[key] = paragraph
            _SIZES["paragraphs"] += len(key[0]) + 1
    result = []
    for key in keys:
        _PARAGRAPHS.move_to_end(key)
        result.append(_PARAGRAPHS[key])
    while _SIZES["paragraphs"] > PREPARED_BUDGET and len(_PARAGRAPHS) > len(keys):
        key, _ = _PARAGRAPHS.popitem(last=False)
        _SIZES["paragraphs"] -= len(key[0]) + 1
    return result


def clear_blocks() -> None:
    """Forget laid-out blocks and prepared paragraphs."""
    with LOCK:
        _PARAGRAPHS.clear()
        _BLOCKS.clear()
        _SIZES.update(paragraphs=0, blocks=0)


def cache_sizes() -> dict[str, int]:
    """Characters held by the caches of prepared paragraphs and of laid-out blocks."""
    return dict(_SIZES)


# ----- the geometry -----


class Geometry:
    """Where each block and row of a text is, laying blocks out on demand (module docstring)."""

    def __init__(
        self, text: str, width: int, lang: str | None, keep: bool, mode: str, gap: int
    ) -> None:
        self.text = text
        self.width = max(1, width)
        self.fallback = 1 if (lang or "").split("-")[0].lower() in RTL_LANGUAGES else 0
        self.keep, self.mode, self.gap = keep, mode, gap
        self.serial = next(_SERIAL)
        self.starts = array("q")  # per block: absolute start
        self.ends = array("q")  # per block: absolute end (its last "\n" or CR not included)
        self.pars = array("q")  # per block: its first paragraph
        self.reach = array("q")  # per block: end of the text prepared (a chunk: past its end)
        self.chunks = array("q")  # per block: chunk number in a long paragraph, -1 if none
        self.levels = array("b")  # per block: direction of a long paragraph, -1 if none
        self.first = array("q")  # per block: its first row; one more entry: the row count
        self.paragraphs = text.count("\n") + 1

    @classmethod
    def counted(
        cls, text: str, width: int, lang: str | None, keep: bool, mode: str, gap: int
    ) -> Geometry:
        """A geometry with every block's rows counted: the first blocks (up to
        :data:`FIRST_LAID_OUT` characters, at least one: the first screens) laid out and
        kept, the others wrapped only (their rows are laid out when asked for)."""
        geo = cls(text, width, lang, keep, mode, gap)
        rows = kept = 0
        for index, _block in enumerate(geo._plan()):
            geo.first.append(rows)
            if kept < FIRST_LAID_OUT:
                block = geo.block(index)
                rows += len(block.lines)
                kept += block.size
            else:
                rows += geo._count(index)
        geo.first.append(rows)
        return geo

    def stream(self) -> Iterator[VisualLine]:
        """Every row, top to bottom, laying each block out once and keeping none."""
        for index, _block in enumerate(self._plan()):
            with LOCK:
                lines = self._build(index).lines
            yield from lines

    def _plan(self) -> Iterator[int]:
        for start, end, paragraph, long in plan(self.text):
            if not long:
                self._add(start, end, end, paragraph, -1, -1)
                yield len(self.starts) - 1
                continue
            direction = _direction(self.text, start, end)
            level = self.fallback if direction is None else direction
            lo = start
            for chunk in itertools.count():
                reach = end if end - lo <= CHUNK else _cut(self.text, lo)
                cut = reach if reach == end else self._row_start(lo, reach, level)
                self._add(lo, cut, reach, paragraph, chunk, level)
                yield len(self.starts) - 1
                if cut >= end:
                    break
                lo = cut

    def _add(
        self, start: int, end: int, reach: int, paragraph: int, chunk: int, level: int
    ) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.reach.append(reach)
        self.pars.append(paragraph)
        self.chunks.append(chunk)
        self.levels.append(level)

    def _row_start(self, lo: int, reach: int, level: int) -> int:
        """Where to end the chunk that starts at ``lo`` (a row start of the whole paragraph):
        the start of the last row of ``text[lo:reach]`` wrapped alone, which is laid out again
        with what follows (near the cut, shaping and levels may differ)."""
        with LOCK:
            (par,) = _prepared([self.text[lo:reach]], self.mode, self.keep, self.fallback, level)
            rows = wrap(par, self.width)
        return lo + par.starts[rows[-1][0]] if len(rows) > 1 else reach

    def __len__(self) -> int:
        return self.first[-1]

    @property
    def block_count(self) -> int:
        """How many blocks the text is laid out in."""
        return len(self.starts)

    # ----- blocks -----

    def _units(self, index: int) -> tuple[list[Paragraph], list[int]]:
        text, start, end = self.text, self.starts[index], self.ends[index]
        if self.chunks[index] >= 0:
            end = self.reach[index]
            piece = text[start:end]
            if piece.endswith("\r") and (end == len(text) or text[end] == "\n"):
                piece = piece[:-1]  # CRLF: the CR of the paragraph's end is not drawn
            pieces, bases = [piece], [start]
            level: int | None = self.levels[index]
        else:
            pieces = text[start:end].split("\n")
            bases = []
            pos = start
            for number, piece in enumerate(pieces):
                bases.append(pos)
                pos += len(piece) + 1
                if piece.endswith("\r"):
                    pieces[number] = piece[:-1]
            level = None
        return _prepared(pieces, self.mode, self.keep, self.fallback, level), bases

    def _count(self, index: int) -> int:
        """Rows of block ``index`` (gap rows included), without laying its rows out."""
        with LOCK:
            units, _ = self._units(index)
            rows = sum(len(self._wrapped(index, unit)[0]) for unit in units)
        paragraph = self.pars[index]
        starts = len(units) if self.chunks[index] <= 0 else 0  # units that start a paragraph
        return rows + self.gap * (starts - (paragraph == 0 and starts > 0))

    def _wrapped(self, index: int, par: Paragraph) -> tuple[list[tuple[int, int, int]], int]:
        """The rows of a unit of block ``index`` and where its last row ends (in the unit): a
        chunk leaves out the row that its cut starts (the next chunk lays it out)."""
        rows = wrap(par, self.width)
        if self.ends[index] < self.reach[index]:
            limit = self.ends[index] - self.starts[index]
            for number in range(1, len(rows)):
                if par.starts[rows[number][0]] >= limit:
                    return rows[:number], limit
        return rows, len(par.text)

    def block(self, index: int) -> Block:
        """Block ``index`` laid out (cached)."""
        key = (self.serial, index)
        with LOCK:
            found = _BLOCKS.get(key)
            if found is not None:
                _BLOCKS.move_to_end(key)
                return found
            found = _BLOCKS[key] = self._build(index)
            _SIZES["blocks"] += found.size + 1
            while _SIZES["blocks"] > BLOCK_BUDGET and len(_BLOCKS) > MIN_BLOCKS:
                _, old = _BLOCKS.popitem(last=False)
                _SIZES["blocks"] -= old.size + 1
            return found

    def _build(self, index: int) -> Block:
        units, bases = self._units(index)
        width, gap, mode = self.width, self.gap, self.mode
        number, chunk = self.pars[index], self.chunks[index]
        lines: list[VisualLine] = []
        unit_of: list[int] = []
        first_line: list[int] = []
        row_count: list[int] = []
        for unit, (par, offset) in enumerate(zip(units, bases, strict=True)):
            paragraph = number + unit
            if gap and paragraph and chunk <= 0:
                blank = VisualLine(None, offset - 1, offset - 1, 0, 0, False, "")
                lines.extend([blank] * gap)
                unit_of.extend([-1] * gap)
            first_line.append(len(lines))
            rows, last_end = self._wrapped(index, par)
            row_count.append(len(rows))
            unit_of.extend([unit] * len(rows))
            rtl = bool(par.level & 1)
            texts = par.texts
            for row, (first, end, cells) in enumerate(rows):
                if mode == "app":
                    order = reorder_line(par.levels, par.kinds, par.level, first, end, par.cuts)
                else:
                    order = list(range(first, end))
                if width == 1 and 2 in par.widths[first:end]:
                    plain = "".join([texts[i] if par.widths[i] < 2 else _ELLIPSIS for i in order])
                else:
                    plain = "".join(map(texts.__getitem__, order))
                lo = 0 if row == 0 else par.starts[first]
                hi = last_end if row == len(rows) - 1 else par.starts[rows[row + 1][0]]
                indent = width - cells if rtl and mode == "app" else 0
                lines.append(
                    VisualLine(
                        paragraph,
                        offset + lo,
                        offset + hi,
                        indent,
                        cells,
                        rtl,
                        plain,
                        first,
                        tuple(order),
                    )
                )
        size = self.ends[index] - self.starts[index]
        return Block(units, bases, lines, unit_of, first_line, row_count, size)

    # ----- finding rows -----

    def block_of_line(self, line: int) -> int:
        """The block that holds row ``line`` (0 <= line < len(self))."""
        return min(bisect_right(self.first, line), len(self.starts)) - 1

    def row(self, line: int) -> tuple[Block, int]:
        """The block of row ``line`` and the row's index in it."""
        index = self.block_of_line(line)
        return self.block(index), line - self.first[index]

    def block_of_offset(self, offset: int) -> int:
        """The block whose range holds logical ``offset`` (-1 if none: a "\\n" between)."""
        index = bisect_right(self.starts, offset) - 1
        if index < 0 or offset > self.ends[index]:
            return -1
        return index

    def paragraph_top(self, paragraph: int) -> int:
        """The first row of paragraph ``paragraph`` (0 <= paragraph < self.paragraphs)."""
        index = bisect_right(self.pars, paragraph) - 1
        while self.chunks[index] > 0:  # a later chunk of the paragraph: go to its first
            index -= 1
        block = self.block(index)
        return self.first[index] + block.first_line[paragraph - self.pars[index]]

    def paragraph_at(self, line: int) -> int:
        """The paragraph of row ``line``; a gap row belongs to the paragraph above it."""
        index = self.block_of_line(line)
        block = self.block(index)
        local = line - self.first[index]
        unit = block.unit_of[local]
        if unit < 0:  # gap rows come before the unit they separate from the one above
            unit = bisect_right(block.first_line, local) - 1
        return self.pars[index] + unit
