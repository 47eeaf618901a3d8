"""Layout of big texts block by block: the same rows as one whole layout, bounded caches, and
long paragraphs cut into chunks that still map every character to its cell."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest

from reader.core.text import layout_blocks
from reader.core.text.layout import Layout, Span, clear_caches, layout_text, stream_lines
from reader.core.text.layout_blocks import cache_sizes

ENGLISH = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "(GNA)",
    "140",
    "km",
]
ARABIC = [
    "في",
    "من",
    "على",
    "إلى",
    "أن",
    "عن",
    "مع",
    "هذا",
    "التي",
    "قال",
    "الجيش",
    "لأن",
    "الله",
    "بِسْمِ",
    "«نعم»",
    "18/05/2020",
]


def article(seed: int, paragraphs: int) -> str:
    """Mixed English/Arabic paragraphs, some empty, some with CRLF, tabs and marks."""
    rng = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        vocab = rng.choice([ENGLISH, ARABIC, ENGLISH + ARABIC])
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 60))]
        line = " ".join(words)
        if rng.random() < 0.1:
            line = line.replace(" ", "\t", 1) + "\r"
        out.append(line)
    return "\n".join(out)


def rows(result: Layout) -> list[tuple[object, ...]]:
    return [
        (row.paragraph, row.start, row.end, row.indent, row.width, row.rtl, row.plain)
        for row in result.lines
    ]


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of about 300 characters and a cache of two of them: every code path of the lazy
    layout (grouping, eviction, laying out again) runs on a text of a few kilobytes."""
    clear_caches()
    monkeypatch.setattr(layout_blocks, "GROUP", 300)
    monkeypatch.setattr(layout_blocks, "BLOCK_BUDGET", 600)
    monkeypatch.setattr(layout_blocks, "MIN_BLOCKS", 2)
    monkeypatch.setattr(layout_blocks, "PREPARED_BUDGET", 600)


@pytest.mark.parametrize("mode", ["app", "terminal"])
@pytest.mark.parametrize("gap", [0, 1, 2])
def test_blocks_give_the_rows_of_one_whole_layout(
    monkeypatch: pytest.MonkeyPatch, mode: str, gap: int
) -> None:
    text = article(gap, 120)
    clear_caches()
    monkeypatch.setattr(layout_blocks, "GROUP", 10**9)  # one block: the layout as it was
    whole = layout_text(text, 37, lang="ar", mode=mode, paragraph_gap=gap)  # type: ignore[arg-type]
    expected = rows(whole)
    maps = [whole.logical_to_visual(offset) for offset in range(len(text) + 1)]
    cells = [whole.cell_offsets(line, col) for line in range(len(whole)) for col in range(38)]
    tops = [whole.paragraph_top(p) for p in range(whole.paragraph_count)]
    clear_caches()
    monkeypatch.setattr(layout_blocks, "GROUP", 300)
    monkeypatch.setattr(layout_blocks, "BLOCK_BUDGET", 600)
    monkeypatch.setattr(layout_blocks, "MIN_BLOCKS", 2)
    blocked = layout_text(text, 37, lang="ar", mode=mode, paragraph_gap=gap)  # type: ignore[arg-type]
    assert blocked._geo.block_count > 10
    assert len(blocked) == len(expected)
    assert rows(blocked) == expected
    # read backwards too: blocks are evicted and laid out again
    assert [blocked.logical_to_visual(o) for o in range(len(text), -1, -1)] == maps[::-1]
    lines = range(len(blocked) - 1, -1, -1)
    assert [blocked.cell_offsets(line, col) for line in lines for col in range(38)] == [
        cell for line in lines for cell in cells[line * 38 : line * 38 + 38]
    ]
    assert [blocked.paragraph_top(p) for p in range(blocked.paragraph_count)] == tops
    assert cache_sizes()["blocks"] <= 600 + 300 * 2


def test_stream_gives_the_rows_of_the_layout(small_blocks: None) -> None:
    text = article(7, 80)
    streamed = [(r.paragraph, r.start, r.end, r.plain) for r in stream_lines(text, 29)]
    laid = layout_text(text, 29)
    assert streamed == [(r.paragraph, r.start, r.end, r.plain) for r in laid.lines]


def test_paragraph_at_gives_gap_rows_to_the_paragraph_above(small_blocks: None) -> None:
    text = article(3, 60)
    result = layout_text(text, 25, paragraph_gap=2)
    current = 0
    for line in range(len(result)):
        paragraph = result.lines[line].paragraph
        if paragraph is not None:
            current = paragraph
        assert result.paragraph_at(line) == current


def test_styled_rows_match_across_blocks(
    small_blocks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = article(5, 60)
    spans = [Span(i, i + 7, "bold") for i in range(0, len(text), 53)]
    blocked = layout_text(text, 31, spans)
    got = [
        (t.plain, [(s.start, s.end) for s in t.spans])
        for t in map(blocked.line_text, range(len(blocked)))
    ]
    clear_caches()
    monkeypatch.setattr(layout_blocks, "GROUP", 10**9)
    whole = layout_text(text, 31, spans)
    assert got == [
        (t.plain, [(s.start, s.end) for s in t.spans])
        for t in map(whole.line_text, range(len(whole)))
    ]


def long_paragraph(seed: int, size: int, arabic: bool) -> str:
    rng = random.Random(seed)
    vocab = ARABIC if arabic else ENGLISH
    out: list[str] = []
    total = 0
    while total < size:
        sentence = " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 12))) + ". "
        out.append(sentence)
        total += len(sentence)
    return "".join(out)


def check_chunked(text: str, width: int) -> Layout:
    """Every row fits, row ranges are contiguous and cover the text, one paragraph, no gap row,
    and every drawn character maps to a cell that maps back to it."""
    result = layout_text(text, width)
    assert result._geo.block_count > 1
    lines = list(result.lines)
    assert all(row.paragraph == 0 for row in lines)
    assert lines[0].start == 0
    for above, below in pairwise(lines):
        assert above.end == below.start
    assert all(row.indent + row.width <= width for row in lines)
    for offset in range(0, len(text), 97):
        place = result.logical_to_visual(offset)
        if place is not None:
            assert offset in result.cell_offsets(*place)
    return result


def test_a_long_paragraph_is_cut_into_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_caches()
    monkeypatch.setattr(layout_blocks, "LONG", 4000)
    monkeypatch.setattr(layout_blocks, "CHUNK", 2000)
    english = long_paragraph(1, 20_000, arabic=False)
    result = check_chunked(english, 50)
    assert not result.lines[0].rtl
    assert lines_end(result) == len(english)
    arabic = "GNA " + long_paragraph(2, 20_000, arabic=True)  # first strong: LTR, whole paragraph
    result = check_chunked(arabic, 50)
    assert not any(row.rtl for row in result.lines)
    result = check_chunked(long_paragraph(2, 20_000, arabic=True), 50)
    assert all(row.rtl for row in result.lines)


def lines_end(result: Layout) -> int:
    return max(row.end for row in result.lines)


def test_a_run_without_spaces_is_cut_before_a_base_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clear_caches()
    monkeypatch.setattr(layout_blocks, "LONG", 4000)
    monkeypatch.setattr(layout_blocks, "CHUNK", 2000)
    word = "بِسْمِ" * 3000  # letters each followed by a mark: a cut between them would orphan it
    result = check_chunked(word, 40)
    assert "\u25cc" not in "".join(row.plain for row in result.lines)  # no mark without base
    assert "".join(row.plain for row in check_chunked("x" * 20_000, 40).lines) == "x" * 20_000


@pytest.mark.parametrize("arabic", [False, True])
@pytest.mark.parametrize("width", [1, 9, 50])
def test_chunks_break_rows_where_the_whole_paragraph_does(
    monkeypatch: pytest.MonkeyPatch, arabic: bool, width: int
) -> None:
    text = long_paragraph(width, 12_000, arabic) + "x" * 9_000 + " end"  # and a long word
    clear_caches()
    whole = [(r.start, r.end, r.plain) for r in layout_text(text, width).lines]
    clear_caches()
    monkeypatch.setattr(layout_blocks, "LONG", 3000)
    monkeypatch.setattr(layout_blocks, "CHUNK", 1500)
    chunked = layout_text(text, width)
    assert chunked._geo.block_count > 10
    assert [(r.start, r.end, r.plain) for r in chunked.lines] == whole


def test_opening_a_long_text_lays_out_its_first_blocks_and_only_counts_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = article(11, 200)
    clear_caches()
    monkeypatch.setattr(layout_blocks, "GROUP", 10**9)
    expected = rows(layout_text(text, 41, lang="ar"))
    clear_caches()
    monkeypatch.setattr(layout_blocks, "GROUP", 300)
    monkeypatch.setattr(layout_blocks, "FIRST_LAID_OUT", 900)
    built: list[int] = []
    build = layout_blocks.Geometry._build

    def counting(self: layout_blocks.Geometry, index: int) -> layout_blocks.Block:
        built.append(index)
        return build(self, index)

    monkeypatch.setattr(layout_blocks.Geometry, "_build", counting)
    laid = layout_text(text, 41, lang="ar")
    assert laid._geo.block_count > 20
    assert 1 <= len(built) <= 4 and built == list(range(len(built)))  # the first blocks alone
    assert len(laid) == len(expected)  # every row counted all the same
    assert rows(laid) == expected  # and the others laid out when read
    assert len(built) == laid._geo.block_count
