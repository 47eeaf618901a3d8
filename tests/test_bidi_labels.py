"""Labels, headers, dialogs and toasts that can hold article or note text show Arabic laid out
by the engine (shaped, visual order), never in storage order.

Expected rows were checked with GNU FriBidi (``echo TEXT | fribidi --nopad``).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import Console, RenderableType
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from reader.app.app import ReaderApp
from reader.app.screens.confirm import Confirm
from reader.app.search_status import filters_text
from reader.app.widgets.bidi_text import field_text
from reader.app.widgets.header import ArticleHeader
from reader.app.widgets.results import hit_prompt
from reader.core.config import Config, load_config
from reader.core.search.hits import Hit
from reader.core.sources.article import Article

OUTLET = "الجزيرة"
OUTLET_SHOWN = "ﺓﺮﻳﺰﺠﻟﺍ"  # fribidi's row for it


def _rendered(renderable: RenderableType, width: int = 80) -> str:
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def _config(config_path: Path) -> Config:
    return load_config(config_path)


def test_the_results_list_shows_an_arabic_outlet_laid_out(config_path: Path) -> None:
    hit = Hit("doc-1", "Haftar in Sirte", OUTLET, "en", None, 1.0, "a snippet", (), ())
    shown = _rendered(hit_prompt(hit, _config(config_path)))
    assert OUTLET_SHOWN in shown and OUTLET not in shown
    # the outlet is laid out alone: the words after it keep their place
    assert f"{OUTLET_SHOWN} · English · doc-1" in shown


def test_the_article_header_shows_an_arabic_outlet_laid_out(config_path: Path) -> None:
    header = ArticleHeader(_config(config_path))
    header.article = Article("doc-1", "Title", "Body.", "en", outlet=OUTLET)
    shown = _rendered(header.render())
    assert f"{OUTLET_SHOWN} · undated" in shown and OUTLET not in shown


def test_the_filter_line_shows_an_arabic_outlet_laid_out() -> None:
    assert f"outlet: {OUTLET_SHOWN} (o)" in filters_text(None, OUTLET)


def test_field_text_keeps_control_characters_visible_and_ascii_as_is() -> None:
    assert field_text("a\x1b[2Jb\nc") == "a␛[2Jb␤c"
    shown = field_text("حفتر\x1b[2J")
    assert "ﺮﺘﻔﺣ" in shown and "␛" in shown and "\x1b" not in shown


class _ConfirmApp(App[None]):
    def __init__(self, config: Config, question: str) -> None:
        super().__init__()
        self.config = config
        self.question = question

    def compose(self) -> ComposeResult:
        yield Static("")

    def on_mount(self) -> None:
        self.push_screen(Confirm(self.question))


def test_the_delete_dialog_lays_out_an_arabic_claim(config_path: Path) -> None:
    async def run() -> None:
        app = _ConfirmApp(_config(config_path), "Delete the note “بيان حفتر”?")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            question = app.screen.query_one("#confirm-question", Static)
            shown = "\n".join(question.render_line(y).text for y in range(question.size.height))
            assert "Delete the note “ﺮﺘﻔﺣ ﻥﺎﻴﺑ”?" in shown

    asyncio.run(run())


def test_a_toast_lays_out_arabic(config_path: Path) -> None:
    async def run() -> None:
        app = ReaderApp(_config(config_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.notify("not saved: ملف بيان", markup=False)
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert "not saved: ﻥﺎﻴﺑ ﻒﻠﻣ" in messages

    asyncio.run(run())


class _EditorApp(App[None]):
    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config

    def compose(self) -> ComposeResult:
        yield Static("")

    def on_mount(self) -> None:
        from reader.app.screens.note_editor import NoteEditor

        self.push_screen(NoteEditor(self.config, "بيان حفتر", "ar"))


def test_the_note_editor_shows_an_arabic_claim_and_note_laid_out(config_path: Path) -> None:
    from textual.widgets import Input

    from reader.app.widgets.bidi_text_area import BidiTextArea

    async def run() -> None:
        app = _EditorApp(_config(config_path))
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            editor = app.screen
            claim = editor.query_one("#claim", Input)
            assert claim.value == "بيان حفتر"  # logical, as stored
            assert "ﺮﺘﻔﺣ ﻥﺎﻴﺑ" in claim.render_line(0).text
            note = editor.query_one("#note", BidiTextArea)
            note.text = "قال حفتر\nفي 2020"
            await pilot.pause()
            rows = [note.render_line(y).text for y in range(note.content_region.height)]
            # the field itself shows the note laid out, each paragraph right-aligned
            assert rows[0].rstrip().endswith("ﺮﺘﻔﺣ ﻝﺎﻗ"), rows
            assert rows[1].rstrip().endswith("2020 ﻲﻓ"), rows
            assert len(rows[0].rstrip()) == len(rows[1].rstrip()) == note.content_region.width

    asyncio.run(run())


def test_a_result_row_keeps_its_id_only_where_it_fits_and_never_cuts_the_outlet(
    config_path: Path,
) -> None:
    outlet = "A very long outlet name that wraps [bold]B[/]"
    hit = Hit("000_7b206ec7414ebb17", "Title", outlet, "en", None, 1.0, "snippet", (), ())
    wide = _rendered(hit_prompt(hit, _config(config_path)), width=120)
    assert f"{outlet} · English · 000_7b206ec7414ebb17" in wide
    narrow = _rendered(hit_prompt(hit, _config(config_path)), width=24)
    assert "000_7b20" not in narrow  # left out, not on a row of its own
    assert "[bold]B[/]" in narrow and "English" in narrow  # the rest wraps, whole


def test_the_article_picker_keeps_the_start_of_an_arabic_outlet(config_path: Path) -> None:
    from reader.app.screens.article_picker import Choice, choice_prompt, row_room
    from reader.core.text.field import visual_field

    config = _config(config_path)
    title = "يدعو عقيلة صالح إلى وقف إطلاق النار وحفتر إلى الانسحاب من سرت والجفرة فورا"
    choice = Choice("mine/ceasefire_marsad", "ar", title, "المرصد الليبي للأخبار", 0.64)
    for width in (80, 120, 200):
        row = choice_prompt(choice, config, width)
        # Up to the outlet, within the room the picker's list leaves: the widget cuts only
        # the id after it (at its end) on a narrow screen.
        shown, _, ident = row.plain.partition(" · ")
        assert Text(shown).cell_len <= row_room(width, 11), (width, row.plain)
        assert "mine/ceasefire_marsad".startswith(ident) and ident
        # The outlet is shown from its start: its first word, as the layout draws it.
        assert visual_field("المرصد") in shown, (width, row.plain)
