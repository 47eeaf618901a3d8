"""Snapshots of the main screens at 80x24 and 160x45 (pytest-textual-snapshot): search with
Arabic results, an Arabic article, the note editor with an Arabic claim and note, the compare
view with an Arabic column, and help.

A changed screen fails until it is looked at and accepted: run
``pytest tests/test_snapshots.py --snapshot-update``, then open the SVGs under
``tests/__snapshots__/test_snapshots/`` (or the report pytest writes on a failure) and check
the Arabic reads right to left, shaped, before committing them.

The corpus is a temporary copy of the seeds, whose path the article header shows: the header is
given the path relative to the corpus so the screens do not depend on where the tests run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from reader.app.app import ReaderApp
from reader.app.widgets.article_view import ArticleView
from reader.app.widgets.header import ArticleHeader
from reader.core.config import load_config
from reader.core.search.index import update_index
from tests.conftest import ARABIC_SEED
from tests.test_app import search_and_open, settle, wait_until

SIZES = [(80, 24), (160, 45)]
Snap = Callable[..., bool]


@pytest.fixture
def app(config_path: Path) -> ReaderApp:
    config = load_config(config_path)
    update_index(config)
    return ReaderApp(config)


async def _settled(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, ReaderApp)
    await settle(pilot, app)


async def _arabic_article(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, ReaderApp)
    await settle(pilot, app)
    await search_and_open(pilot, app, "حفتر", ARABIC_SEED)
    header = app.query_one(ArticleHeader)
    article = header.article
    assert article is not None
    header.article = replace(article, source=f"corpus/{Path(article.source).name}")
    await pilot.pause()


def _then(*steps: Callable[[Pilot[Any]], Awaitable[None]]) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        for step in steps:
            await step(pilot)
        app = pilot.app
        assert isinstance(app, ReaderApp)
        await settle(pilot, app)

    return run


async def _search(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, ReaderApp)
    await settle(pilot, app)
    app.query_one("#search", Input).cursor_blink = False  # a blink would differ run to run
    await pilot.press(*"حفتر")
    await wait_until(pilot, lambda: app._shown_query == "حفتر", "the results")


async def _editor(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, ReaderApp)
    view = app.query_one(ArticleView)
    view.focus()
    await pilot.press("right_square_bracket", "left", "left", "left", "shift+left", "a")
    await wait_until(pilot, lambda: len(app.screen_stack) > 1, "the editor")
    claim = app.screen.query_one("#claim", Input)
    claim.value = "قوات الجيش الوطني في Sirte 2020"
    note = app.screen.query_one("#note")
    note.focus()
    await pilot.press(*_spaced("بيان 5 مايو"), "enter", *_spaced("AP 12"))


async def _compare(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, ReaderApp)
    app.query_one(ArticleView).focus()
    await pilot.press("c")
    await wait_until(pilot, lambda: len(app.screen_stack) > 1, "the compare view")


async def _help(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, ReaderApp)
    await settle(pilot, app)
    app.action_help()
    await pilot.pause()


def _spaced(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


@pytest.mark.parametrize("size", SIZES)
def test_search_with_arabic_results(snap_compare: Snap, app: ReaderApp, size: Any) -> None:
    assert snap_compare(app, terminal_size=size, run_before=_then(_search))


@pytest.mark.parametrize("size", SIZES)
def test_an_arabic_article(snap_compare: Snap, app: ReaderApp, size: Any) -> None:
    assert snap_compare(app, terminal_size=size, run_before=_then(_arabic_article))


@pytest.mark.parametrize("size", SIZES)
def test_the_note_editor_with_an_arabic_claim(
    snap_compare: Snap, app: ReaderApp, size: Any
) -> None:
    assert snap_compare(app, terminal_size=size, run_before=_then(_arabic_article, _editor))


@pytest.mark.parametrize("size", SIZES)
def test_the_compare_view_with_an_arabic_column(
    snap_compare: Snap, app: ReaderApp, size: Any
) -> None:
    assert snap_compare(app, terminal_size=size, run_before=_then(_arabic_article, _compare))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Snap, app: ReaderApp, size: Any) -> None:
    assert snap_compare(app, terminal_size=size, run_before=_then(_help))
