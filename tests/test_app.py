"""Pilot tests of the app's main flows, on a private copy of the seeds."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.widgets import Input, Static

from reader.app.app import DEBOUNCE_SECONDS, ReaderApp
from reader.app.widgets.article_view import ArticleView
from reader.app.widgets.header import ArticleHeader
from reader.app.widgets.notes_panel import NotesPanel
from reader.app.widgets.results import ResultsList
from reader.core.config import load_config
from reader.core.notes.store import NotesStore
from reader.core.search.index import update_index
from tests.conftest import ARABIC_SEED

FIRST_WORD = "ﺲﻠﺑﺍﺮﻃ"  # طرابلس shaped: the first word of 003's first paragraph


WAIT_SECONDS = 120.0  # the cap on any wait below: generous, for a loaded machine


async def wait_until(
    pilot: object, condition: Callable[[], object], what: str, seconds: float = WAIT_SECONDS
) -> None:
    """Let the app run (``pilot.pause()``: until it is idle) until ``condition()`` holds; fail
    naming ``what`` if it does not within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause()  # type: ignore[attr-defined]


async def settle(pilot: object, app: ReaderApp) -> None:
    """Wait until no worker is running and the messages they posted are handled.

    The app must have been seen idle, with no worker running, for longer than the search box's
    debounce (a query typed just before still starts its search) and on three checks in a row
    (a handled message may start a new worker)."""
    quiet: float | None = None
    checks = 0
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        await pilot.pause()  # type: ignore[attr-defined]
        now = time.monotonic()
        if any(not worker.is_finished for worker in app.workers):
            quiet, checks = None, 0
        else:
            quiet = now if quiet is None else quiet
            checks += 1
            if checks >= 3 and now - quiet > 2 * DEBOUNCE_SECONDS:
                return
        if now > deadline:
            raise AssertionError("workers still running")


async def search_and_open(pilot: object, app: ReaderApp, query: str, article_id: str) -> None:
    app.query_one("#search", Input).value = query
    await wait_until(pilot, lambda: app.search_text == query, "the query to reach the app")
    await settle(pilot, app)
    results = app.query_one(ResultsList)
    ids = [results.get_option_at_index(i).id for i in range(results.option_count)]
    assert article_id in ids, ids
    results.focus()
    results.highlighted = ids.index(article_id)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot, app)
    assert app.query_one(ArticleView).article is not None
    assert app.query_one(ArticleView).article.id == article_id  # type: ignore[union-attr]


@pytest.fixture
def indexed_config(config_path: Path) -> Path:
    update_index(load_config(config_path))
    return config_path


async def test_search_open_and_highlight(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert app.query_one(ResultsList).option_count == 5  # empty query lists everything
        await search_and_open(pilot, app, "Sirte", "001_629cc8aa1a0900a3")
        view = app.query_one(ArticleView)
        assert view._matches, "the query's matches are highlighted in the article"
        start, end = view._matches[0]
        assert view.article is not None and view.article.body[start:end] == "Sirte"
        await pilot.press("tab")
        view.focus()
        before = view._match_index
        await pilot.press("n")
        assert view._match_index == (before + 1) % len(view._matches)


async def test_arabic_header_and_first_line_are_right_aligned(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "الوطيه", ARABIC_SEED)
        view = app.query_one(ArticleView)
        assert view.text_layout is not None
        # What the widget draws on its first row: the paragraph's first word at the right edge.
        row = view.render_line(0).text
        assert row.rstrip().endswith(FIRST_WORD)
        assert cell_len(row.rstrip()) == view.scrollable_content_region.width
        # The paragraph's last row is short, so it is padded on the left, flush right.
        gap = next(i for i, line in enumerate(view.text_layout.lines) if line.paragraph is None)
        last = view.render_line(gap - 1).text
        assert last.startswith("  ") and cell_len(last.rstrip()) == cell_len(row.rstrip())
        header = app.query_one(ArticleHeader)
        options = app.console.options.update_width(60)
        lines = list(app.console.render_lines(header.render(), options))
        title_row = "".join(seg.text for seg in lines[0]).rstrip()
        assert title_row.endswith("ﻱﺭﺎﻤﺴﻤﻟﺍ")  # المسماري, the title's first word, at the right


async def test_resize_lays_out_again(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "الوطيه", ARABIC_SEED)
        view = app.query_one(ArticleView)
        assert view.text_layout is not None
        wide = (view.text_layout.width, len(view.text_layout.lines))
        await pilot.resize_terminal(80, 30)
        await pilot.pause()
        assert view.text_layout is not None
        narrow = (view.text_layout.width, len(view.text_layout.lines))
        assert narrow[0] < wide[0] and narrow[1] > wide[1]
        assert view.text_layout.line_text(0).plain.rstrip().endswith(FIRST_WORD)


async def test_sentence_cursor_annotate_quit_and_find_the_note_again(indexed_config: Path) -> None:
    config = load_config(indexed_config)
    app = ReaderApp(config)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "الوطيه", ARABIC_SEED)
        view = app.query_one(ArticleView)
        view.focus()
        await pilot.press("right_square_bracket")
        await pilot.press("right_square_bracket")
        passage = view.selected_passage()
        assert passage is not None
        assert view.article is not None
        sentence = view.article.body[passage[0] : passage[1]]
        assert sentence.startswith("وأعلن الناطق باسم")  # the second sentence of 003
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("q")
    notes = NotesStore(config).load(ARABIC_SEED)
    assert [n.exact for n in notes] == [sentence]

    again = ReaderApp(config)
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot, again)
        await search_and_open(pilot, again, "الوطيه", ARABIC_SEED)
        await settle(pilot, again)
        panel = again.query_one(NotesPanel)
        assert [n.exact for n in panel.notes] == [sentence]
        view = again.query_one(ArticleView)
        assert view._notes and view._notes[0][:2] == passage


async def test_what_is_typed_first_in_the_note_editor_goes_into_the_claim(
    indexed_config: Path,
) -> None:
    config = load_config(indexed_config)
    app = ReaderApp(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "الوطيه", ARABIC_SEED)
        app.query_one(ArticleView).focus()
        await pilot.press("right_square_bracket")
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+u", *"Haftar holds")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    assert [n.claim for n in NotesStore(config).load(ARABIC_SEED)] == ["Haftar holds"]


async def test_help_lists_every_action(indexed_config: Path) -> None:
    from reader.app.actions import ACTIONS
    from reader.app.screens.help import HelpScreen

    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.query_one(ArticleView).focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help Static", Static).content
        console = Console(record=True, width=110)
        console.print(table)
        text = console.export_text()
        for action in ACTIONS:
            assert action.label in text and action.help in text


async def test_app_without_index_keeps_running_and_builds_it(config_path: Path) -> None:
    app = ReaderApp(load_config(config_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await settle(pilot, app)
        assert app.library.is_open  # the worker built the index and opened it
        assert app.query_one(ResultsList).option_count == 5


async def test_markup_in_articles_is_not_interpreted(tmp_path: Path, config_path: Path) -> None:
    corpus = config_path.parent / "corpus"
    (corpus / "zz_markup.txt").write_text(
        "[bold red]FAKE[/] title [@click=app.quit]x[/]\n\nBody [link=file:///etc/passwd]y[/] "
        "\x1b]0;pwned\x07 and \x1b[2J clear.\n",
        encoding="utf-8",
    )
    update_index(load_config(config_path))
    app = ReaderApp(load_config(config_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "FAKE", "zz_markup")
        screen = app.export_screenshot()
        assert "[bold red]FAKE[/]" in screen.replace("&#160;", " ")
        assert "\x1b" not in screen
        header = app.query_one(ArticleHeader)
        from reader.app.widgets.header import warning_text

        assert header.article is not None and warning_text(header.article)


async def test_edit_and_delete_a_note_from_the_panel(indexed_config: Path) -> None:
    from textual.widgets import OptionList, Select

    from reader.app.screens.confirm import Confirm
    from reader.app.screens.note_editor import NoteEditor
    from reader.core.search.searcher import Searcher

    config = load_config(indexed_config)
    with Searcher(config) as searcher:
        article = searcher.article("001_629cc8aa1a0900a3")
    assert article is not None
    store = NotesStore(config)
    store.add(article, 0, 20, verdict="unverified")
    app = ReaderApp(config)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Sirte", "001_629cc8aa1a0900a3")
        await settle(pilot, app)
        listing = app.query_one("#notes-list", OptionList)
        listing.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one("#verdict", Select).value = "false"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert [n.verdict for n in NotesStore(config).load(article.id)] == ["false"]
        app.query_one("#notes-list", OptionList).focus()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot, app)
        assert NotesStore(config).load(article.id) == []


async def test_a_note_written_elsewhere_shows_up_in_the_open_article(indexed_config: Path) -> None:
    config = load_config(indexed_config)
    app = ReaderApp(config)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Sirte", "001_629cc8aa1a0900a3")
        panel = app.query_one(NotesPanel)
        assert panel.notes == []
        # As `reader notes add` in another terminal would: another store, the same file.
        article = app.query_one(ArticleView).article
        assert article is not None
        NotesStore(config).add(article, 0, 20, verdict="false", claim="written elsewhere")
        await wait_until(pilot, lambda: len(panel.notes) == 1, "the new note in the panel")
        assert panel.notes[0].claim == "written elsewhere"
        # Removed by hand (or by `git checkout`): the panel empties.
        NotesStore(config).path_for(article.id).unlink()
        await wait_until(pilot, lambda: panel.notes == [], "the panel to empty")


async def test_the_list_never_empties_while_a_name_is_typed(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        results = app.query_one(ResultsList)
        assert results.option_count == 5  # the articles, before any query
        box = app.query_one("#search", Input)
        for end in range(1, len("Kununu") + 1):
            box.value = "Kununu"[:end]
            await wait_until(pilot, lambda: app.search_text == box.value, "the query")
            await settle(pilot, app)
            assert results.option_count > 0, box.value  # K, Ku ... Kunun match nothing yet
        ids = [results.get_option_at_index(i).id for i in range(results.option_count)]
        # The seeds write Gnunu: the name's spelling, found whole.
        assert set(ids) == {"000_7b206ec7414ebb17", "001_629cc8aa1a0900a3"}
        # Enter searches the words as typed: a query that matches nothing empties the list.
        box.value = "Kununux"
        box.focus()
        await pilot.press("enter")
        await settle(pilot, app)
        assert results.option_count == 0


async def test_a_note_being_written_is_kept_when_the_terminal_goes(indexed_config: Path) -> None:
    from reader.app.hangup import rescue_open_editors
    from reader.app.screens.note_editor import NoteEditor

    config = load_config(indexed_config)
    app = ReaderApp(config)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Sirte", "001_629cc8aa1a0900a3")
        app.query_one(ArticleView).focus()
        await pilot.press("]", "a")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor), "the note editor")
        # Nothing typed yet: nothing to keep.
        assert rescue_open_editors(app.screen_stack, config.notes_dir) == []
        app.screen.query_one("#claim", Input).value = "قوات الوفاق تسيطر على القاعدة"
        kept = rescue_open_editors(app.screen_stack, config.notes_dir)
        assert len(kept) == 1
        text = kept[0].read_text(encoding="utf-8")
        assert "claim: قوات الوفاق تسيطر على القاعدة" in text  # logical, as typed
        assert "passage: " in text
