"""Properties of the layout on random mixed Arabic/English text (hypothesis).

What "kept" means here: every character except bidi controls, zero-width characters,
dropped harakat and the newlines between paragraphs is drawn in exactly one cluster of cells
(a wide character's two cells are one cluster), except whitespace swallowed by a line break,
which may only sit between the last drawn character of a row and the end of that row's range.

Set READER_FUZZ_EXAMPLES to run more examples (``make fuzz`` uses 10,000).
"""

from __future__ import annotations

import os
import unicodedata
from itertools import pairwise

from arabic_reshaper.arabic_reshaper import HARAKAT_RE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from reader.core.text.bidi import MIRRORED
from reader.core.text.layout import Layout, Span, layout_text
from reader.core.text.sanitize import BIDI_CONTROLS, is_zero_width
from reader.rich_rows import rich_text
from tests.test_layout_examples import cells

EXAMPLES = int(os.environ.get("READER_FUZZ_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةىـ"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
LATIN = "abcdefghijklmnopqrstuvwxyzGNALBY"
PUNCTUATION = ".,:;!?،؛؟-/%'\"“”«»()[]{}<>"
INVISIBLE = "\u200e\u200f\u061c\u202a\u202b\u202c\u2066\u2067\u2068\u2069\u200c\u200d\u200b"
SPECIAL_WORDS = ["لا", "الله", "(GNA)", "18/05/2020", "140 كلم", "لأن", "سلام", "中文", "e\u0301"]

words = st.one_of(
    st.text(ARABIC + "لا", min_size=1, max_size=9),
    st.text(ARABIC + HARAKAT, min_size=1, max_size=9),
    st.text(LATIN, min_size=1, max_size=9),
    st.text("0123456789", min_size=1, max_size=5),
    st.text("٠١٢٣٤٥٦٧٨٩", min_size=1, max_size=4),
    st.text(PUNCTUATION, min_size=1, max_size=2),
    st.sampled_from(SPECIAL_WORDS),
    st.text(ARABIC + LATIN + INVISIBLE, min_size=1, max_size=4),
)
paragraphs = st.lists(st.tuples(words, st.sampled_from([" ", " ", " ", "  ", "\t"])), max_size=25)
texts = st.lists(
    paragraphs.map(lambda pairs: "".join(word + space for word, space in pairs).rstrip(" \t")),
    min_size=1,
    max_size=3,
).map("\n".join)
options = st.fixed_dictionaries(
    {
        "lang": st.sampled_from([None, "ar", "en"]),
        "harakat": st.sampled_from(["keep", "drop"]),
        "mode": st.sampled_from(["app", "app", "terminal", "off"]),
        "paragraph_gap": st.integers(0, 2),
    }
)
CONSOLE = Console(width=200, color_system="truecolor")


def hidden(char: str, harakat: str, mode: str) -> bool:
    """Characters that are never drawn with these options."""
    dropped = harakat == "drop" and mode != "off" and HARAKAT_RE.match(char) is not None
    return char in BIDI_CONTROLS or is_zero_width(char) or char == "\n" or dropped


def clusters(layout: Layout, line: int) -> list[tuple[int, tuple[int, ...], int]]:
    """(first column, offsets shown, cells) of each drawn cluster of a row, left to right."""
    found: list[tuple[int, tuple[int, ...], int]] = []
    col = 0
    while col < layout.width:
        offsets = layout.cell_offsets(line, col)
        if offsets:
            if found and found[-1][1] == offsets and found[-1][0] + found[-1][2] == col:
                first, shown, cells = found[-1]
                found[-1] = (first, shown, cells + 1)  # the second cell of a wide character
            else:
                found.append((col, offsets, 1))
        col += 1
    return found


def cell_graphemes(plain: str) -> list[str]:
    """What each cell of a row shows (a character and the zero-width ones after it)."""
    return cells(plain)


def same_letters(drawn: str, logical: str) -> bool:
    """True when a cell's glyphs stand for the logical characters (shaped, mirrored...).

    The base comes first (rule L3); the marks of a lam-alef's two letters follow the ligature.
    """
    if unicodedata.combining(drawn[0]):
        return False
    drawn = drawn.replace("\u25cc", "")
    if drawn == "\u2026" or (drawn == " " and logical in ("\t", " ")):
        return True
    for candidate in (drawn, MIRRORED.get(drawn[:1], drawn[:1]) + drawn[1:]):
        folded = unicodedata.normalize("NFKD", candidate)
        if sorted(folded) == sorted(unicodedata.normalize("NFKD", logical)):
            return True
    return False


def check(text: str, width: int, spans: list[Span], **opts: object) -> None:
    layout = layout_text(text, width, spans, **opts)  # type: ignore[arg-type]
    harakat, mode = str(opts["harakat"]), str(opts["mode"])
    seen: dict[int, tuple[int, int]] = {}
    for line in range(len(layout)):
        row = layout.lines[line]
        styled = layout.line_text(line)
        assert styled.cell_len <= width
        assert styled.cell_len == row.indent + row.width
        assert not any(layout.cell_offsets(line, col) for col in range(row.indent))
        graphemes = cell_graphemes(styled.plain)
        start, end = layout.line_range(line)
        for col, offsets, _ in clusters(layout, line):
            assert offsets == tuple(sorted(offsets))
            assert all(start <= offset < end for offset in offsets)
            for offset in offsets:
                assert offset not in seen, "a character is drawn twice"
                assert not hidden(text[offset], harakat, mode)
                seen[offset] = (line, col)
                assert layout.logical_to_visual(offset) == (line, col)
            logical = "".join(text[o] for o in offsets)
            assert same_letters(graphemes[col], logical), (graphemes[col], logical)
            assert layout.visual_to_logical(line, col) == offsets[0]
            drawn = rich_text(styled)  # as the app draws it
            styles = [drawn.get_style_at_offset(CONSOLE, _index(styled.plain, col))]
            bold = bool(styles[0].bold)
            assert bold == any(s.start <= o < s.end for s in spans for o in offsets)
    ranges = [
        layout.line_range(i) for i in range(len(layout)) if layout.paragraph_of(i) is not None
    ]
    for (_, end), (start, _) in pairwise(ranges):
        assert start in (end, end + 1)  # contiguous, or across one newline
    assert ranges[0][0] == 0 and ranges[-1][1] == len(text)
    for offset, char in enumerate(text):
        if offset in seen:
            continue
        if hidden(char, harakat, mode):
            assert layout.logical_to_visual(offset) is None
            continue
        assert char in " \t", f"{char!r} at {offset} is not drawn"
        line = next(i for i, r in enumerate(ranges) if r[0] <= offset < r[1])
        drawn_after = [o for o in seen if offset < o < ranges[line][1]]
        assert not drawn_after, "a swallowed space is not at the end of its row"


def _index(plain: str, col: int) -> int:
    """The index in ``plain`` of the first character of cell ``col``."""
    from rich.cells import cell_len

    cells = 0
    for index, char in enumerate(plain):
        if cells == col and cell_len(char) > 0:
            return index
        cells += cell_len(char)
    raise AssertionError(f"no cell {col}")


span_lists = st.lists(
    st.tuples(st.integers(0, 300), st.integers(0, 40)).map(
        lambda p: Span(p[0], p[0] + p[1], "bold")
    ),
    max_size=4,
)


@SETTINGS
@given(text=texts, width=st.integers(1, 120), spans=span_lists, opts=options)
def test_fuzz_layout_maps_every_drawn_cell_and_every_kept_character(
    text: str, width: int, spans: list[Span], opts: dict[str, object]
) -> None:
    check(text, width, spans, **opts)


@SETTINGS
@given(text=texts, widths=st.lists(st.integers(1, 120), min_size=2, max_size=3))
def test_fuzz_relayout_at_other_widths_keeps_the_properties(text: str, widths: list[int]) -> None:
    for width in widths:
        check(text, width, [], lang="ar", harakat="keep", mode="app", paragraph_gap=1)


HOSTILE = [
    "\x1b[31m",
    "\x1b[2J\x1b[H",
    "\x1b]0;title\x07",
    "\x1b]8;;http://evil.example\x1b\\",
    "\x1bP+q\x1b\\",
    "\x9b31m",
    "\x9d0;x\x9c",
    "\x00",
    "\x07",
    "\x08",
    "\x7f",
    "\r",
    "\x0b\x0c",
    "\x1c\x1d\x1e\x1f",
    "\x85",
    "\u2028",
    "\u2029",
    "\x1b",
]


@SETTINGS
@given(
    parts=st.lists(st.one_of(words, st.sampled_from(HOSTILE)), min_size=1, max_size=20),
    width=st.integers(1, 80),
    mode=st.sampled_from(["app", "terminal", "off"]),
)
def test_fuzz_hostile_text_never_reaches_the_terminal(
    parts: list[str], width: int, mode: str
) -> None:
    text = " ".join(parts)
    layout = layout_text(text, width, mode=mode)  # type: ignore[arg-type]
    for line in range(len(layout)):
        plain = layout.line_text(line).plain
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in plain), repr(plain)
        assert not any(c in BIDI_CONTROLS or c in "\u2028\u2029" for c in plain)
        assert layout.line_text(line).cell_len <= width
    assert layout.control_chars >= sum(part in HOSTILE for part in parts)
