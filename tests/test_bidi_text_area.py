"""The multi-line right-to-left field (the note editor's Note): the text stays logical, the
screen shows what the article pane (and FriBidi) shows, the cursor moves in logical order and
is drawn on the right cell, deletion and selection work on logical ranges.

Expected rows were checked with GNU FriBidi (``printf TEXT | fribidi --nopad --width 25``).
"""

from __future__ import annotations

import asyncio

from rich.segment import Segment
from textual.app import App, ComposeResult

from reader.app.widgets.bidi_text_area import BidiTextArea
from reader.core.text.editing import cursor_cell, offset_at, word_end, word_start
from reader.core.text.layout import layout_text


class _AreaApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BidiTextArea(id="note")


def _keys(text: str) -> list[str]:
    return ["space" if char == " " else "enter" if char == "\n" else char for char in text]


def _screen(area: BidiTextArea) -> tuple[list[str], tuple[int, int] | None, str]:
    """The field's rows as drawn, the (row, column) of the cursor cell and the text of the
    cells drawn selected."""
    cursor = area.get_component_rich_style("bidi-text-area--cursor")
    selection = area.get_component_rich_style("bidi-text-area--selection")
    rows: list[str] = []
    found: tuple[int, int] | None = None
    selected = ""
    for y in range(area.content_region.height):
        text, at = "", 0
        for segment in area.render_line(y):
            assert isinstance(segment, Segment)
            style = segment.style
            if style is not None and style.bgcolor == cursor.bgcolor:
                found = (y, at)
            if style is not None and style.bgcolor == selection.bgcolor:
                selected += segment.text
            text += segment.text
            at += segment.cell_length
        rows.append(text)
    return rows, found, selected


def test_mixed_text_typed_moved_across_the_boundary_and_a_word_deleted() -> None:
    async def run() -> None:
        app = _AreaApp()
        async with app.run_test(size=(30, 10)) as pilot:
            area = app.query_one(BidiTextArea)
            area.focus()
            width = area.content_region.width
            await pilot.press(*_keys("قال حفتر in Sirte 2024"))
            await pilot.pause()
            assert area.text == "قال حفتر in Sirte 2024"  # logical, unshaped
            rows, cursor, _ = _screen(area)
            # FriBidi's row, shaped, right-aligned to the field's last cell
            assert rows[0] == "in Sirte 2024 ﺮﺘﻔﺣ ﻝﺎﻗ".rjust(width)
            start = rows[0].index("in")
            # the end of a right-to-left paragraph is on its left: the cursor is drawn there
            assert cursor == (0, start - 1)
            await pilot.press(*["left"] * 4)  # logically back over "2024"
            rows, cursor, _ = _screen(area)
            assert area.cursor == 18 and cursor is not None and rows[0][cursor[1]] == "2"
            await pilot.press(*["left"] * 10)  # over "in Sirte " into the Arabic
            rows, cursor, _ = _screen(area)
            assert area.cursor == 8 and cursor is not None
            # the space between حفتر and "in" belongs to the Arabic run: it is drawn right of
            # the English block, between "2024" and حفتر
            assert rows[0][cursor[1] - 1 : cursor[1] + 2] == "4 ﺮ"
            await pilot.press("left")
            rows, cursor, _ = _screen(area)
            assert area.cursor == 7 and cursor is not None and rows[0][cursor[1]] == "ﺮ"
            # shift+right across the direction boundary selects "ر in" in logical order:
            # on the screen, the letter on the right of "in" and the cells of "in "
            await pilot.press("shift+right", "shift+right", "shift+right", "shift+right")
            assert area.selected_text == "ر in"
            _, _, selected = _screen(area)
            assert sorted(selected) == sorted("ﺮ in")
            # back to the end of حفتر and delete the word before the cursor
            await pilot.press("left", "right", "ctrl+w")
            await pilot.pause()
            assert area.text == "قال  in Sirte 2024"
            assert area.cursor == 4
            rows, cursor, _ = _screen(area)
            assert rows[0] == "in Sirte 2024  ﻝﺎﻗ".rjust(width)  # fribidi's row
            assert cursor is not None and rows[0][cursor[1]] == " "
            await pilot.press("backspace")
            assert area.text == "قال in Sirte 2024"
            await pilot.press("ctrl+z")
            assert area.text == "قال  in Sirte 2024"

    asyncio.run(run())


def test_several_paragraphs_wrap_and_up_down_move_by_screen_rows() -> None:
    async def run() -> None:
        app = _AreaApp()
        async with app.run_test(size=(30, 10)) as pilot:
            area = app.query_one(BidiTextArea)
            area.focus()
            width = area.content_region.width
            await pilot.press(*_keys("قال حفتر in Sirte 2024 أمس\nok 12"))
            await pilot.pause()
            assert area.text == "قال حفتر in Sirte 2024 أمس\nok 12"
            rows, cursor, _ = _screen(area)
            # the Arabic paragraph wraps as the article pane wraps it (width 25)
            assert rows[0] == "in Sirte 2024 ﺮﺘﻔﺣ ﻝﺎﻗ".rjust(width)
            assert rows[1] == "ﺲﻣﺃ".rjust(width)
            assert rows[2] == "ok 12".ljust(width)  # a left-to-right paragraph
            assert cursor == (2, 5)  # after "12"
            await pilot.press("up")  # the end of the row above: left of أمس
            rows, cursor, _ = _screen(area)
            assert area.cursor == len("قال حفتر in Sirte 2024 أمس")
            assert cursor == (1, width - 4)
            await pilot.press("up", "home")
            assert area.cursor == 0
            await pilot.press("ctrl+end", "ctrl+u")  # the second paragraph's text
            assert area.text == "قال حفتر in Sirte 2024 أمس\n"

    asyncio.run(run())


def test_paste_replaces_the_selection_and_control_characters_are_never_drawn_raw() -> None:
    async def run() -> None:
        app = _AreaApp()
        async with app.run_test(size=(30, 10)) as pilot:
            area = app.query_one(BidiTextArea)
            area.text = "x"
            area.focus()
            await pilot.press("ctrl+a")
            area.post_message(_paste("بيان\x1b]0;PWNED\x07\r\nsecond"))
            await pilot.pause()
            assert area.text == "بيان\x1b]0;PWNED\x07\nsecond"  # kept as typed
            rows, _, _ = _screen(area)
            shown = "".join(rows)
            assert "\x1b" not in shown and "\x07" not in shown and "␛" in shown

    asyncio.run(run())


def _paste(text: str) -> object:
    from textual import events

    return events.Paste(text)


def test_cursor_geometry_on_wrapped_mixed_rows() -> None:
    text = "قال حفتر in Sirte 2024 أمس\nok"
    layout = layout_text(text, 25, paragraph_gap=0)
    # every drawn character: the cursor is drawn on its cell, and that cell leads back to it
    for offset in range(len(text)):
        found = layout.logical_to_visual(offset)
        if found is not None:
            assert cursor_cell(layout, offset) == found
            assert offset_at(layout, *found) == offset
    # the swallowed space at the wrap and the paragraph's end: past the row's text, on the
    # left of a right-to-left row; at the end of "ok", on its right
    line = layout.lines[0]
    assert cursor_cell(layout, text.index(" أمس")) == (0, line.indent - 1)
    assert cursor_cell(layout, text.index("\n")) == (1, layout.lines[1].indent - 1)
    assert cursor_cell(layout, len(text)) == (2, 2)
    # in modes where rows are logical, every row ends on the right
    assert cursor_cell(layout, text.index("\n"), rtl_rows=False)[1] == layout.lines[1].width + (
        layout.lines[1].indent
    )
    assert word_start("قال  حفتر", 9) == 5 and word_end("قال  حفتر", 3) == 9


def test_no_widget_of_the_app_makes_textuals_text_area() -> None:
    """Textual's TextArea draws Arabic in storage order: every multi-line field is a
    BidiTextArea."""
    import re
    from pathlib import Path

    import reader.app

    made = re.compile(r"(?<![\w.])(TextArea)\(")
    for path in sorted(Path(reader.app.__file__).parent.rglob("*.py")):
        assert not made.search(path.read_text(encoding="utf-8")), path
