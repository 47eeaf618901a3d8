"""The right-to-left input field: the value stays logical, the screen shows what FriBidi shows,
the cursor moves in logical order and is drawn on the right cell, deletion is logical.

The expected screen rows were checked with GNU FriBidi (``echo TEXT | fribidi --nopad``).
"""

from __future__ import annotations

import asyncio

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.widgets import Input

from reader.app.widgets.bidi_input import BidiInput
from reader.app.widgets.search_box import SearchBox
from reader.core.text.field import field_line, visual_field


class _InputApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BidiInput(id="box")


def _cells(box: BidiInput) -> tuple[str, int | None]:
    """The field's row as drawn (text of its cells) and the column of the cursor cell."""
    cursor = box.get_component_rich_style("input--cursor")
    text, column, at = "", None, 0
    for segment in box.render_line(0):
        assert isinstance(segment, Segment)
        if segment.style is not None and segment.style.bgcolor == cursor.bgcolor:
            column = at
        text += segment.text
        at += segment.cell_length
    return text, column


def _type(text: str) -> list[str]:
    return ["space" if char == " " else char for char in text]


def test_mixed_text_cursor_across_direction_boundary_and_word_delete() -> None:
    async def run() -> None:
        app = _InputApp()
        async with app.run_test(size=(40, 3)) as pilot:
            box = app.query_one(BidiInput)
            box.focus()
            await pilot.press(*_type("قال حفتر in Sirte 2024"))
            await pilot.pause()
            assert box.value == "قال حفتر in Sirte 2024"  # logical, unshaped
            row, cursor = _cells(box)
            # right-aligned (an Arabic paragraph), in FriBidi's order, shaped
            assert row.rstrip() == " " * (row.rstrip().index("i")) + "in Sirte 2024 ﺮﺘﻔﺣ ﻝﺎﻗ"
            start = row.index("in Sirte")
            # its last cell is the last of the field's content (the cursor cell is on the left)
            assert len(row.rstrip()) == box.scrollable_content_region.width
            # at the end of an RTL paragraph the cursor is after its last character: "2024"
            # ends the text logically, the paragraph ends on the left
            assert box.cursor_position == len(box.value)
            assert cursor == start - 1
            # logical moves: back over "2024 " and "Sirte in" to the space after حفتر
            await pilot.press(*["left"] * 4)
            row, cursor = _cells(box)
            assert box.cursor_position == 18 and cursor is not None and row[cursor] == "2"
            await pilot.press(*["left"] * 10)  # across the boundary into the Arabic word
            row, cursor = _cells(box)
            assert box.cursor_position == 8 and cursor is not None and row[cursor] == " "
            await pilot.press("left")
            row, cursor = _cells(box)
            assert box.cursor_position == 7 and cursor is not None and row[cursor] == "ﺮ"
            await pilot.press("left", "left", "left")
            row, cursor = _cells(box)
            assert box.cursor_position == 4 and cursor is not None and row[cursor] == "ﺣ"
            # delete the Arabic word left of the cursor (ctrl+w) from its end
            await pilot.press("right", "right", "right", "right", "ctrl+w")
            await pilot.pause()
            assert box.value == "قال  in Sirte 2024"
            assert box.cursor_position == 4
            row, cursor = _cells(box)
            assert row.strip() == "in Sirte 2024  ﻝﺎﻗ"
            assert cursor is not None and row[cursor] == " "
            # backspace removes logical characters: the space before the cursor
            await pilot.press("backspace")
            assert box.value == "قال in Sirte 2024"

    asyncio.run(run())


def test_selection_marks_the_cells_of_the_selected_characters() -> None:
    async def run() -> None:
        app = _InputApp()
        async with app.run_test(size=(40, 3)) as pilot:
            box = app.query_one(BidiInput)
            box.focus()
            await pilot.press(*_type("Sirte حفتر 2024"))
            await pilot.press("home", *["right"] * 6, *["shift+right"] * 4)
            assert box.selected_text == "حفتر"
            selected = box.get_component_rich_style("input--selection")
            shown = ""
            for segment in box.render_line(0):
                style = segment.style
                if style is not None and style.bgcolor == selected.bgcolor:
                    shown += segment.text
            # the four letters (shaped, drawn right to left), and nothing else
            assert shown == "ﺮﺘﻔﺣ"
            await pilot.press("backspace")
            assert box.value == "Sirte  2024"

    asyncio.run(run())


def test_a_click_puts_the_cursor_on_the_character_under_the_mouse() -> None:
    async def run() -> None:
        app = _InputApp()
        async with app.run_test(size=(40, 3)) as pilot:
            box = app.query_one(BidiInput)
            box.value = "حفتر"
            box.focus()
            await pilot.pause()
            row, _ = _cells(box)
            column = row.index("ﺮ")  # the last letter, drawn leftmost
            left = box.content_region.x - box.region.x
            await pilot.click(BidiInput, offset=(left + column, 1))
            await pilot.pause()
            assert box.cursor_position == 3

    asyncio.run(run())


def test_every_text_field_of_the_app_is_a_bidi_input() -> None:
    """No widget of the app makes a plain Input (or a subclass other than BidiInput)."""
    import re
    from pathlib import Path

    import reader.app

    root = Path(reader.app.__file__).parent
    made = re.compile(r"(?<![\w.])(Input)\(")
    for path in sorted(root.rglob("*.py")):
        if path.name == "bidi_input.py":
            continue
        assert not made.search(path.read_text(encoding="utf-8")), path
    assert issubclass(BidiInput, Input)


def test_field_line_maps_both_ways() -> None:
    line = field_line("قال حفتر in Sirte 2024")
    assert line.row.plain == "in Sirte 2024 ﺮﺘﻔﺣ ﻝﺎﻗ" and line.rtl
    for offset, column in enumerate(line.column_of):
        assert offset in line.offsets_at[column]
    lam_alef = field_line("لا")
    assert lam_alef.width == 1 and lam_alef.column_of == (0, 0)
    plain = field_line("a\x1b[31mb\nc")
    assert plain.row.plain == "a␛[31mb␤c" and plain.column_of == tuple(range(9))
    assert visual_field("Sirte حفتر 2024") == "Sirte 2024 ﺮﺘﻔﺣ"
    assert visual_field("حفتر", mode="terminal") == "حفتر"
    # a terminal that does bidi itself gets the logical text, left-aligned
    assert not field_line("حفتر abc", mode="terminal").rtl
    assert field_line("حفتر abc", mode="terminal").row.plain == "حفتر abc"


def test_paste_and_ctrl_u_work_on_the_logical_value() -> None:
    from textual import events

    async def run() -> None:
        app = _InputApp()
        async with app.run_test(size=(40, 3)) as pilot:
            box = app.query_one(BidiInput)
            box.focus()
            await pilot.press(*_type("in "))
            box.post_message(events.Paste("حفتر 2024\nsecond line"))
            await pilot.pause()
            assert box.value == "in حفتر 2024"  # the first line, logical
            row, _ = _cells(box)
            assert row.startswith("in 2024 ﺮﺘﻔﺣ")  # as fribidi orders it
            await pilot.press("left", "left", "left", "left", "ctrl+u")
            assert box.value == "2024" and box.cursor_position == 0

    asyncio.run(run())


class _SearchApp(App[None]):
    def compose(self) -> ComposeResult:
        yield SearchBox(id="search")


def test_arabic_pasted_from_a_screen_goes_into_the_search_bar_as_logical_text() -> None:
    from textual import events

    async def run() -> None:
        app = _SearchApp()
        async with app.run_test(size=(40, 3)) as pilot:
            box = app.query_one(SearchBox)
            box.focus()
            # "خليفة حفتر" as a screen shows it, copied: shaped glyphs in visual order
            box.post_message(events.Paste("ﺮﺘﻔﺣ ﺔﻔﻴﻠﺧ\nsecond line"))
            await pilot.pause()
            assert box.value == "خليفة حفتر"
            row, _ = _cells(box)
            assert row.strip() == "ﺮﺘﻔﺣ ﺔﻔﻴﻠﺧ"  # shown as it was on that screen
            box.post_message(events.Paste(" Sirte"))  # Latin: pasted as it is
            await pilot.pause()
            assert box.value == "خليفة حفتر Sirte"

    asyncio.run(run())


class _HintApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BidiInput(placeholder='Search  (/)  e.g. Sirte, حفتر, "operations room"', id="box")


def test_a_placeholder_too_wide_drops_its_last_parts_not_half_a_word() -> None:
    """Cut at the box's edge, the Arabic example showed its last letters without its first
    (found by trying the app at 100 columns); now whole parts are left out."""

    async def run() -> None:
        for width, shown in ((80, 'e.g. Sirte, ﺮﺘﻔﺣ, "operations room"'), (30, "e.g. Sirte")):
            app = _HintApp()
            async with app.run_test(size=(width, 3)):
                box = app.query_one(BidiInput)
                row, _ = _cells(box)
                assert row.rstrip().endswith(shown), (width, row)
                assert len(row.rstrip()) < box.scrollable_content_region.width

    asyncio.run(run())
