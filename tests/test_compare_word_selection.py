"""Word-wise selection in an Arabic column of the compare view: the same keys as in the article
(right/left a word, shift extends) move in reading order, so in the Arabic column "left" goes
on to the next word read, and the note written on the selection quotes those words."""

from __future__ import annotations

from pathlib import Path

from reader.app.app import ReaderApp
from reader.app.screens.note_editor import NoteEditor
from reader.core.config import load_config
from reader.core.search.index import update_index
from tests.conftest import ARABIC_SEED
from tests.test_app import settle, wait_until
from tests.test_compare_view import open_compare, views
from tests.test_word_selection import _reversed_cells, _selected


async def test_words_are_selected_in_reading_order_in_an_arabic_column(config_path: Path) -> None:
    config = load_config(config_path)
    update_index(config)
    app = ReaderApp(config)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "الوطيه", ARABIC_SEED)
        arabic, english = views(screen)
        assert arabic.article is not None and arabic.article.id == ARABIC_SEED
        assert app.focused is arabic  # keys reach the article's own column from the start
        await pilot.press("right_square_bracket")  # the sentence cursor: the first sentence
        await pilot.press("left")  # its first word read, at the right end of the row
        assert _selected(arabic) == "طرابلس"
        await pilot.press("left")  # onwards: leftwards ("-" is no word)
        assert _selected(arabic) == "عكس"
        await pilot.press("shift+left", "shift+left")  # a clause
        assert _selected(arabic) == "عكس الجيش الوطني"
        assert _reversed_cells(arabic, 0) == "ﻲﻨﻃﻮﻟﺍ ﺶﻴﺠﻟﺍ ﺲﻜﻋ"  # drawn: shaped, visual order
        await pilot.press("shift+right")  # the moving end back a word
        assert _selected(arabic) == "عكس الجيش"
        assert english.selected_passage() is None  # the other column is untouched
        await pilot.press("a")  # the note is on the words selected
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor), "the note editor")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.passage == "عكس الجيش"
