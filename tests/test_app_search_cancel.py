"""The app's search box: a new keystroke cancels the running search, whose lock is freed, and
a query over a limit is explained under the box."""

from __future__ import annotations

import functools
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from reader.app.app import ReaderApp
from reader.app.widgets.results import ResultsList
from reader.core.config import load_config
from reader.core.search.guard import GuardedSearcher
from reader.core.search.index import update_index
from reader.core.search.searcher import Searcher
from tests.conftest import write_config
from tests.test_app import settle, wait_until

ENDLESS_STEPS = 200_000


@pytest.fixture
def indexed_config(config_path: Path) -> Path:
    update_index(load_config(config_path))
    return config_path


def shown_ids(app: ReaderApp) -> list[str | None]:
    results = app.query_one(ResultsList)
    return [results.get_option_at_index(i).id for i in range(results.option_count)]


async def test_a_new_keystroke_cancels_the_running_search(
    indexed_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(indexed_config)
    with Searcher(config) as searcher:
        wanted = [hit.id for hit in searcher.search("Sirte", limit=25).hits]
    assert wanted

    # The next search to open a posting list finds it endless: it steps (ticking its guard,
    # as a real posting list does) until it is stopped, or ENDLESS_STEPS.
    armed = threading.Event()
    started = threading.Event()
    steps = {"endless": 0}
    originals = {name: getattr(GuardedSearcher, name) for name in ("postings", "term_postings")}

    def endless(self: GuardedSearcher, *args: Any, opens: str = "postings", **kwargs: Any) -> Any:
        matcher = originals[opens](self, *args, **kwargs)
        guard = self._slot.guard
        if guard is not None and armed.is_set():
            armed.clear()
            started.set()
            for _ in range(ENDLESS_STEPS):
                steps["endless"] += 1
                guard.tick()
                time.sleep(0.0001)
        return matcher

    # Whoosh's matchers open posting lists with postings(), the vectorised path reads them
    # from the term's entry and counts each with term_postings(): either may be the endless one.
    monkeypatch.setattr(GuardedSearcher, "postings", endless)
    monkeypatch.setattr(
        GuardedSearcher, "term_postings", functools.partialmethod(endless, opens="term_postings")
    )
    app = ReaderApp(config)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        box = app.query_one("#search", Input)
        armed.set()
        box.value = "Sirt"  # typed: its search never ends by itself
        await wait_until(pilot, started.is_set, "the endless search to start")
        assert app.library.busy  # held by the endless search

        await pilot.press("e")  # the next keystroke: "Sirte"
        await settle(pilot, app)

        assert box.value == "Sirte"
        assert app.searches_cancelled == 1
        assert 0 < steps["endless"] < ENDLESS_STEPS  # stopped inside matching
        assert shown_ids(app) == wanted  # the new query's results arrived
        assert app._shown_query == "Sirte"  # and the cancelled one's never did
        assert not app.library.busy


async def test_a_query_over_a_limit_is_explained_under_the_search_box(
    indexed_config: Path,
) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        app.query_one("#search", Input).value = "(" * 30 + "Sirte" + ")" * 30
        await pilot.pause()
        await settle(pilot, app)
        shown = str(app.query_one("#filters", Static).render())
        assert "nests parentheses 30 deep; the limit is 16 ([search] max_nesting)" in shown
        assert shown_ids(app) == []


async def test_partial_results_say_so_under_the_search_box(
    tmp_path: Path, corpus_dir: Path
) -> None:
    config = load_config(write_config(tmp_path, extra="[search]\ntime_limit = 0.000001\n"))
    update_index(config)
    app = ReaderApp(config)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        app.query_one("#search", Input).value = "Haftar"
        await pilot.pause()
        await settle(pilot, app)
        shown = str(app.query_one("#filters", Static).render())
        assert "partial: the search stopped after 1e-06 s ([search] time_limit)" in shown


async def test_the_app_warms_the_open_index_in_the_background(indexed_config: Path) -> None:
    # Without it the first letters typed load the word list, the gazetteer and numpy, and the
    # first prefix reads its common words' postings (hundreds of milliseconds at 10,000).
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:

        def warmed() -> bool:
            searcher = app.library._searcher
            warming = getattr(searcher, "_warming", None)
            return warming is not None and bool(warming.done)

        await wait_until(pilot, warmed, "the open index to be warmed")
