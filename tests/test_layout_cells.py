"""The core lays rows out without Rich: cells measured as Rich does (reader.core.text.cells),
rows as plain text with string styles that the faces turn into Rich Text."""

from __future__ import annotations

from rich.cells import cell_len as rich_cell_len
from rich.cells import get_character_cell_size
from rich.console import Console
from rich.text import Text

from reader.core.text import cells
from reader.core.text.cells import cell_len, char_width
from reader.core.text.layout import Span, StyledRow, layout_text
from reader.rich_rows import rich_text


def _boundaries() -> set[int]:
    """Code points where either table may change width: both are constant between them, so
    checking these (and their neighbours) checks every code point. Rich's table is private API;
    without it every code point is checked."""
    found = {0, 1, 31, 32, 0x7E, 0x7F, 0x9F, 0xA0, 0x10FFFF}
    found.update(cells._STARTS)
    found.update(end + 1 for end in cells._ENDS)
    try:
        from rich._unicode_data import load
    except ImportError:  # pragma: no cover - another Rich: check everything
        return set(range(0x110000))
    for start, end, _width in load("latest").widths:
        found.update((start, end + 1))
    return {c + d for c in found for d in (-1, 0, 1) if 0 <= c + d < 0x110000}


def test_every_code_point_is_as_wide_as_rich_says() -> None:
    """Rich (and so Textual, which draws the rows) and the layout agree on every character:
    a row the layout fills to its width fills the widget exactly."""
    wrong = [
        hex(code)
        for code in sorted(_boundaries())
        if not 0xD800 <= code <= 0xDFFF
        and char_width(chr(code)) != get_character_cell_size(chr(code))
    ]
    assert wrong == [], "regenerate the table of reader/core/text/cells.py from Rich's"


def test_strings_measure_as_in_rich() -> None:
    for text in ("hello", "قال الرئيس", "ﻻ ﷲ", "日本語", "e\u0301", "a\tb\x1b", "", "\U0001f600x"):
        assert cell_len(text) == rich_cell_len(text), text


def test_rows_are_plain_data_with_string_styles() -> None:
    """The core's rows carry text and style names, not Rich objects; spans are row offsets in
    the order they apply."""
    laid = layout_text("hello world", 20, [Span(0, 5, "bold"), Span(3, 8, "red"), Span(9, 10, "")])
    row = laid.line_text(0)
    assert row == StyledRow("hello world", (Span(0, 5, "bold"), Span(3, 8, "red")))
    assert row.runs() == [
        ("hel", ("bold",)),
        ("lo", ("bold", "red")),
        (" wo", ("red",)),
        ("rld", ()),
    ]
    assert row.cell_len == 11
    rtl = layout_text("قال", 6, [Span(0, 1, "bold")]).line_text(0)
    assert rtl.plain.startswith("   ") and rtl.spans[0].start >= 3  # after the padding


def test_the_faces_draw_a_row_as_rich_would_have() -> None:
    """rich_text gives the Text the layout used to build with ``stylize``: same segments."""
    console = Console(width=40, color_system="truecolor", force_terminal=True)
    laid = layout_text("[bold]x[/] قال الرئيس", 30, [Span(0, 9, "bold"), Span(4, 14, "red")])
    for line in range(len(laid)):
        row = laid.line_text(line)
        old = Text(row.plain, end="")
        for span in row.spans:
            old.stylize(span.style, span.start, span.end)
        assert list(rich_text(row).render(console)) == list(old.render(console))
        assert rich_text(row).cell_len == row.cell_len
