"""The keyboard flow of the main window: typing a query at once, Escape out of the search bar,
Enter opening the best hit, the help key on an empty bar, "hit 3 of 9", a bad query's error
shown whole, and a deliberate 80x24 layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Footer, Input, Static

from reader.app.app import ReaderApp
from reader.app.screens.help import HelpScreen
from reader.app.widgets.article_view import CURRENT_MATCH_STYLE, ArticleView
from reader.app.widgets.results import ResultsList
from reader.core.config import load_config
from reader.core.search.index import update_index
from tests.conftest import ARABIC_SEED
from tests.test_app import settle, wait_until


@pytest.fixture
def indexed_config(config_path: Path) -> Path:
    update_index(load_config(config_path))
    return config_path


def _screen_rows(app: ReaderApp) -> list[str]:
    """The whole screen as text rows (what a terminal shows)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_type_at_once_escape_leaves_the_bar_enter_opens_the_best_hit(
    indexed_config: Path,
) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        box = app.query_one("#search", Input)
        assert app.focused is box  # a query can be typed at once
        await pilot.press(*"الوطيه")
        await settle(pilot, app)
        await pilot.press("enter")  # one Enter: the best hit is open
        await settle(pilot, app)
        view = app.query_one(ArticleView)
        assert view.article is not None and view.article.id == ARABIC_SEED
        assert isinstance(app.focused, ResultsList)
        box.focus()
        await pilot.press("escape")
        assert isinstance(app.focused, ResultsList)
        await pilot.press("escape")  # escape elsewhere does nothing
        assert isinstance(app.focused, ResultsList)


async def test_enter_before_the_results_arrive_opens_the_best_hit_when_they_do(
    indexed_config: Path,
) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await pilot.press(*"Sirte", "enter")  # no pause: the search is still to run
        await settle(pilot, app)
        view = app.query_one(ArticleView)
        results = app.query_one(ResultsList)
        assert view.article is not None
        assert view.article.id == results.get_option_at_index(0).id


async def test_the_help_key_works_on_an_empty_bar_and_is_typed_in_a_query(
    indexed_config: Path,
) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        box = app.query_one("#search", Input)
        box.focus()
        await pilot.press("S", "i", "r", "question_mark")
        assert box.value == "Sir?"
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "q")  # out of the bar, q quits
        await pilot.pause()
        assert app.return_code is not None or not app.is_running


async def test_n_and_p_say_which_hit_and_mark_it(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await pilot.press(*"Haftar", "enter")
        await settle(pilot, app)
        view = app.query_one(ArticleView)
        total = len(view._matches)
        assert total >= 3
        view.focus()
        await pilot.press("n", "n")
        await settle(pilot, app)
        status = str(app.query_one("#status-text", Static).render())
        assert f"hit 3 of {total}" in status, status
        assert view.text_layout is not None
        current = view._matches[2]
        assert any(
            s.style == CURRENT_MATCH_STYLE and (s.start, s.end) == current
            for s in view.text_layout.spans
        )
        await pilot.press("p")
        await settle(pilot, app)
        assert f"hit 2 of {total}" in str(app.query_one("#status-text", Static).render())


async def test_a_bad_query_error_is_shown_whole_at_80_columns(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.query_one("#search", Input).value = "(" * 30 + "Sirte" + ")" * 30
        await wait_until(pilot, lambda: "nests" in str(app.query_one("#filters").render()), "err")
        await settle(pilot, app)
        left = " ".join(row.split("│")[0] for row in _screen_rows(app))  # the results pane
        shown = " ".join(left.split())
        assert "the limit is 16 ([search] max_nesting)" in shown, shown


async def test_at_80x24_the_footer_is_whole_and_ids_do_not_wrap(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.query_one(ResultsList).focus()
        await pilot.pause()
        rows = _screen_rows(app)
        footer = rows[-1]
        assert "q Quit" in footer and "? Help" in footer, footer
        assert all(cell_len(row) <= 80 for row in rows)
        ids = [f"00{n}_" for n in range(5)]
        # no row of the results pane holds an id alone (it stays on its metadata row)
        left = [row.split("│")[0].strip() for row in rows]
        assert not any(any(cell.startswith(i) for i in ids) for cell in left), left
        assert app.query_one(Footer).compact


async def test_at_80x24_a_long_status_message_is_shown_whole(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    message = (
        "index not updated: /home/someone/news/corpus/2026/11/a-rather-long-folder-name is "
        "not readable (permission denied); the index is the one built before"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app._status(message)
        await pilot.pause()
        rows = _screen_rows(app)
        assert rows[-1].lstrip().startswith("/ Search")  # the footer stays the last row
        shown = " ".join(" ".join(rows[-5:-1]).split())
        assert " ".join(message.split()) in shown, rows[-5:]
