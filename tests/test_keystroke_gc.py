"""Full garbage collections out of the keystrokes' way (:mod:`reader.app.heap`): what the
window loads once is kept out of the collector's sight, and given back to it when the index
is reopened and when the window ends; Python makes no full collection by itself while the
window runs, the idle window makes it. Counted, never timed."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from reader.app.app import ReaderApp
from reader.app.heap import FULL_AFTER, IDLE_SECONDS, SETTLE_SECONDS
from reader.core.config import load_config
from tests.test_app import settle
from tests.test_app_keystroke_work import counting, indexed_config

__all__ = ["indexed_config"]  # a fixture, used by name


@pytest.fixture(autouse=True)
def nothing_frozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


async def test_the_loaded_window_and_index_are_frozen_until_the_window_ends(
    indexed_config: Path,
) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)  # the index open, the warm-up over
        assert app.library.is_open
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # Textual's and reader's modules, the widgets, the index
        tracked = len(gc.get_objects())  # what a full collection looks at
        assert tracked < frozen
    assert gc.get_freeze_count() == 0


async def test_a_reopened_index_unfreezes_then_freezes_again(
    indexed_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        unfrozen = counting(monkeypatch, gc, "unfreeze")
        frozen = counting(monkeypatch, gc, "freeze")
        app._reopen()
        await settle(pilot, app)
        assert unfrozen["n"] == 1  # the old index's objects (and cycles) can be collected
        assert frozen["n"] == 1  # after the warm-up of the new one
        assert gc.get_freeze_count() > 10_000


def full_collections() -> tuple[dict[str, int], Callable[[str, dict[str, int]], None]]:
    """Count the full collections Python makes (a ``gc.callbacks`` entry, to remove after)."""
    seen = {"n": 0}

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            seen["n"] += 1

    gc.callbacks.append(callback)
    return seen, callback


async def test_typing_makes_no_full_collection_the_idle_window_makes_it(
    indexed_config: Path,
) -> None:
    before = gc.get_threshold()
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        seen, callback = full_collections()
        try:
            box = app.query_one("#search", Input)
            box.focus()
            kept = []
            for key in "Sirte":
                # What a keystroke's work makes, many times over: enough new objects kept
                # for Python to start full collections by itself (it did, before).
                kept.append([[n] for n in range(100_000)])
                await pilot.press(key)
            await settle(pilot, app)
            assert app._shown_query == "Sirte"
            assert seen["n"] == 0
            assert not app.heap.check()  # a key came less than IDLE_SECONDS ago
            app.heap.last_input -= IDLE_SECONDS
            assert app.heap.check()  # idle, and a full collection is due: made now
            assert seen["n"] == 1
            assert not app.heap.check()  # not due again until more was made
            del kept
        finally:
            gc.callbacks.remove(callback)
    assert gc.get_threshold() == before


async def test_no_idle_full_collection_before_the_warm_up_froze_what_it_loaded(
    indexed_config: Path,
) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        assert app.heap.settled  # the warm-up ended
        app._reopen()  # a new index: its warm-up to come
        await settle(pilot, app)
        app.heap.settled = False  # as while that warm-up runs
        app.heap.last_input -= IDLE_SECONDS
        gc.collect()
        made = [[n] for n in range(200_000)]  # what makes a full collection due
        made += [[n] for n in range(200_000)]
        assert gc.get_count()[2] >= FULL_AFTER
        assert not app.heap.check()  # idle and due, but everything loaded would be looked at
        app.heap.opened_at -= SETTLE_SECONDS  # a warm-up that never ends
        assert app.heap.check()
