"""Word-wise selection from the keyboard in the article: right/left select a word, shift
extends the selection by a word, in reading order, so in an Arabic line "left" goes on to the
next word read. A clause or a single figure can be annotated without a mouse."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType

from reader.app.actions import bindings
from reader.app.widgets.article_view import ArticleView
from reader.core.config import Config, load_config
from reader.core.sources.article import Article
from reader.core.text.editing import words

BODY = "قال حفتر إن 1,200 جندي وصلوا إلى سرت.\nTroops reached Sirte on 3 May, he said."
WORD_KEYS = ("word_right", "word_left", "extend_right", "extend_left")


class _ViewApp(App[None]):
    """The article view under the app's own bindings of the word keys."""

    BINDINGS: ClassVar[list[BindingType]] = [b for b in bindings("main") if b.id in WORD_KEYS]

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config

    def compose(self) -> ComposeResult:
        yield ArticleView(self.config)

    def action_word_step(self, visual: int, extend: bool = False) -> None:
        self.query_one(ArticleView).word_step(visual, extend)


def _selected(view: ArticleView) -> str:
    passage = view.selected_passage()
    assert passage is not None and view.article is not None
    return view.article.body[slice(*passage)]


def _reversed_cells(view: ArticleView, row: int) -> str:
    """The text of the cells drawn selected (reverse) on screen row ``row``."""
    return "".join(
        segment.text
        for segment in view.render_line(row)
        if segment.style is not None and segment.style.reverse
    )


def test_words_are_letters_digits_and_marks_with_a_figures_separators() -> None:
    text = "قال: وَصَلُوا (1,200 جندي، ٣٫٥ مليون) O'Brien."
    assert [text[a:b] for a, b in words(text)] == [
        "قال",
        "وَصَلُوا",
        "1,200",
        "جندي",
        "٣٫٥",
        "مليون",
        "O'Brien",
    ]


def test_arrows_select_words_in_reading_order_in_arabic_and_english(config_path: Path) -> None:
    async def run() -> None:
        app = _ViewApp(load_config(config_path))
        async with app.run_test(size=(60, 12)) as pilot:
            view = app.query_one(ArticleView)
            view.show(Article("a", "t", BODY, "ar"))
            view.move_sentence(1)  # the sentence cursor on the first sentence
            view.focus()
            await pilot.press("left")  # the first press: the sentence's first word
            assert _selected(view) == "قال"
            await pilot.press("left", "left", "left")  # onwards: leftwards in Arabic
            assert _selected(view) == "1,200"  # a single figure, its comma kept
            await pilot.press("right")  # back
            assert _selected(view) == "إن"
            await pilot.press("shift+left", "shift+left")  # a clause: إن 1,200 جندي
            assert _selected(view) == "إن 1,200 جندي"
            # drawn selected on the screen: these three words (shaped, visual order)
            assert _reversed_cells(view, 0) == "ﻱﺪﻨﺟ 1,200 ﻥﺇ"
            await pilot.press("shift+right")  # the moving end goes back a word
            assert _selected(view) == "إن 1,200"
            # over the paragraph's end into English: there "right" is onwards
            await pilot.press("left", "left", "left", "left", "left")
            assert _selected(view) == "Troops"
            await pilot.press("right", "shift+right", "shift+right")
            assert _selected(view) == "reached Sirte on"
            await pilot.press("shift+left", "shift+left", "shift+left")
            assert _selected(view) == "Troops reached"  # turned round over its start
            # the sentence cursor and the mouse take over again as before
            view.move_sentence(1)
            assert _selected(view) == "Troops reached Sirte on 3 May, he said."

    asyncio.run(run())
