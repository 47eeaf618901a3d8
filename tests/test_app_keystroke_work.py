"""The work a keystroke costs the window, counted (never timed): hits laid out by the
right-to-left engine, screen layouts, resizes of the results list, and when the search starts."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input

from reader.app import app as app_module
from reader.app.app import ReaderApp
from reader.app.widgets import bidi_text
from reader.app.widgets.results import ResultsList
from reader.core.config import load_config
from reader.core.search.hits import Hit
from reader.core.search.index import update_index
from reader.core.search.searcher import Searcher
from tests.test_app import settle, wait_until

SIZE = (120, 36)  # the results pane is about 37 cells wide: a count line takes two rows


@pytest.fixture
def indexed_config(config_path: Path) -> Path:
    update_index(load_config(config_path))
    return config_path


def counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> dict[str, int]:
    """Count the calls of ``owner.name`` (still calling it)."""
    calls = {"n": 0}
    original: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def hits_for(config_path: Path, query: str) -> list[Hit]:
    with Searcher(load_config(config_path)) as searcher:
        hits = searcher.search(query, limit=25).hits
    assert hits
    return hits


def shown_text(app: ReaderApp) -> str:
    results = app.query_one(ResultsList)
    return "\n".join(strip.text for strip in results.render_lines(results.region.reset_offset))


async def test_hits_already_shown_are_not_laid_out_again(
    indexed_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hits = hits_for(indexed_config, "Libya")
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        results = app.query_one(ResultsList)
        results.show(hits)
        await pilot.pause()
        before = shown_text(app)
        layouts = counting(monkeypatch, bidi_text, "layout_text")
        # The next keystroke finds the same articles, scored otherwise: nothing shown changes.
        results.show([dataclasses.replace(hit, score=hit.score / 2) for hit in hits])
        await pilot.pause()
        assert shown_text(app) == before
        assert layouts["n"] == 0


async def test_each_new_hit_is_laid_out_once(
    indexed_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hits = hits_for(indexed_config, "Libya")
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        results = app.query_one(ResultsList)
        results.show([])
        await pilot.pause()
        layouts = counting(monkeypatch, bidi_text, "layout_text")
        new = [dataclasses.replace(hit, snippet=f"{hit.snippet} (again)") for hit in hits]
        results.show(new)
        await pilot.pause()
        results.action_cursor_down()  # the highlight moves: drawn in another style
        await pilot.pause()
        assert layouts["n"] == 2 * len(new)  # its title and its snippet, once each
        assert "(again)" in shown_text(app)


async def test_typing_neither_resizes_the_list_nor_lays_the_screen_out(
    indexed_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        box = app.query_one("#search", Input)
        box.focus()
        await pilot.press("S")
        await settle(pilot, app)
        resizes = {"n": 0}
        resized = ResultsList._on_resize

        def counted_resize(self: ResultsList) -> None:  # Textual passes no event to it
            resizes["n"] += 1
            resized(self)

        monkeypatch.setattr(ResultsList, "_on_resize", counted_resize)
        layouts = counting(monkeypatch, Screen, "_refresh_layout")
        for key in "irte":
            await pilot.press(key)
            await settle(pilot, app)
        assert app._shown_query == "Sirte"
        assert resizes["n"] == 0  # a resized list measures every entry again
        # Not one per keystroke (the box, the line under it, the list's height in rows
        # changing from Sirt's results to Sirte's).
        assert layouts["n"] == 0


async def test_a_keystroke_after_a_pause_is_searched_at_once(
    indexed_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "DEBOUNCE_SECONDS", 3600.0)
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        box = app.query_one("#search", Input)
        box.value = "Sirte"  # the first keystroke: no wait for the debounce
        await wait_until(pilot, lambda: app._shown_query == "Sirte", "Sirte's results", 30)
        box.value = "Sirte OR Libya"  # within the debounce of the last: it waits
        await pilot.pause()
        assert app.search_text == "Sirte OR Libya"
        assert app._debounce is not None
        assert app._shown_query == "Sirte"
