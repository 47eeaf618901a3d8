"""The warm-up leaves the library's lock to the searches and article reads the window asked
for (the lock is not first come first served: a warm-up step could take it before a search
that was already waiting). Counted, never timed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from reader.app.app import ReaderApp
from reader.app.workers import Asked
from reader.core.config import load_config
from reader.core.search import hits, warm
from reader.core.search import searcher as searcher_module
from reader.core.search.searcher import Searcher
from tests.test_app import settle
from tests.test_app_keystroke_work import indexed_config

__all__ = ["indexed_config"]  # a fixture, used by name


def test_no_step_is_taken_while_the_lock_is_wanted(indexed_config: Path) -> None:
    lock = threading.Lock()
    wants = iter([True, True, True])  # three looks while a search waits, then never again
    sleeps: list[float] = []
    steps_at_sleep: list[int] = []
    taken = {"n": 0}

    with Searcher(load_config(indexed_config)) as opened:
        step = opened.warm_step

        def counted_step() -> bool:
            taken["n"] += 1
            return step()

        opened.warm_step = counted_step  # type: ignore[method-assign]

        def sleep(seconds: float) -> None:
            assert not lock.locked()
            sleeps.append(seconds)
            steps_at_sleep.append(taken["n"])

        steps = warm.run_warming(
            lock,
            lambda: opened,
            sleep=sleep,
            clock=lambda: 1e9,  # no search made lately
            wanted=lambda: next(wants, False),
        )
    assert steps_at_sleep[:3] == [0, 0, 0]  # it waited, without a step, while wanted
    assert sleeps[:3] == [warm.BREATHE] * 3
    assert steps >= 4 and taken["n"] == steps + 1  # then warmed to the end


def test_asked_is_pending_until_the_newest_call_is_answered() -> None:
    asked = Asked()
    assert not asked.pending()
    first = asked.ask()
    second = asked.ask()  # the first superseded
    asked.answer(first)  # the first ends after the second was asked: still pending
    assert asked.pending()
    asked.answer(second)
    assert not asked.pending()
    asked.answer(first)  # late: answers nothing newer
    assert not asked.pending()


async def test_the_window_wants_the_lock_while_a_search_or_a_read_is_unanswered(
    indexed_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, app)
        monkeypatch.setattr(app, "_last_keystroke", float("-inf"))
        assert not app._lock_wanted()
        app._run_search()
        assert app._lock_wanted()  # asked, its worker not yet ended
        await settle(pilot, app)
        assert not app._lock_wanted()  # answered
        app.open_article(app.library.ids()[0])
        assert app._lock_wanted()
        await settle(pilot, app)
        assert not app._lock_wanted()
        app._last_keystroke = time.monotonic()  # a key typed just now
        assert app._lock_wanted()


def test_the_warm_up_sorts_the_empty_box_s_order(
    indexed_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the warm-up, clearing the box lists the articles without sorting them (the
    sort would hold the lock the next key's search waits for)."""
    sorts = {"n": 0}
    original = hits.browse_order

    def counted(searcher: object) -> object:
        sorts["n"] += 1
        return original(searcher)

    monkeypatch.setattr(searcher_module, "browse_order", counted)
    with Searcher(load_config(indexed_config)) as opened:
        while opened.warm_step():
            pass
        assert sorts["n"] == 1
        shown = opened.browse(limit=25)
        assert sorts["n"] == 1 and len(shown) == 5
