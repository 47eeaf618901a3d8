"""A new list of hits is drawn after laying out only the hits its first screen shows; the rest
are listed once that screen is drawn, and the list then looks as if all were listed at once.
Work is counted (hits laid out by the right-to-left engine), never timed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from reader.app.app import ReaderApp
from reader.app.widgets import bidi_text
from reader.app.widgets.results import ResultsList
from reader.core.config import load_config
from reader.core.search.hits import Hit
from tests.test_app import settle
from tests.test_app_keystroke_work import counting, hits_for, indexed_config, shown_text

__all__ = ["indexed_config"]  # a fixture, used by name

SIZE = (120, 36)  # the results pane: about 29 rows, some 6 or 7 hits


def many_hits(config_path: Path, count: int = 25, tag: str = "") -> list[Hit]:
    """``count`` distinct hits (the seed corpus has 5 articles): copies of the real ones with
    their own ids and a tagged snippet."""
    found = hits_for(config_path, "Libya")
    return [
        dataclasses.replace(
            found[n % len(found)],
            id=f"{found[n % len(found)].id}-{tag}{n}",
            snippet=f"{found[n % len(found)].snippet} ({tag}{n})",
        )
        for n in range(count)
    ]


def listed(results: ResultsList) -> list[str]:
    return [str(results.get_option_at_index(n).id) for n in range(results.option_count)]


async def test_the_first_screen_waits_for_the_hits_it_shows_only(
    indexed_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hits = many_hits(indexed_config)
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        results = app.query_one(ResultsList)
        results.show(many_hits(indexed_config, tag="x"))  # the list scrolls already
        await pilot.pause()
        await pilot.pause()
        layouts = counting(monkeypatch, bidi_text, "layout_text")
        results.show(hits)
        # Before the screen is drawn: the hits that fill the pane (and one that overflows it,
        # so the scrollbar is there from the first screen), each its title and snippet.
        first = results.option_count
        assert 0 < first < len(hits)
        assert layouts["n"] == 2 * first
        assert results.virtual_size.height > results.scrollable_content_region.height
        await pilot.pause()
        await pilot.pause()
        assert listed(results) == [hit.id for hit in hits]
        assert layouts["n"] == 2 * len(hits)  # the rest, once each


async def test_the_list_looks_as_if_listed_at_once(
    indexed_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hits = many_hits(indexed_config)
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        results = app.query_one(ResultsList)
        results.show(hits)
        await pilot.pause()
        await pilot.pause()
        in_two = shown_text(app), results.virtual_size, results.highlighted
        results.action_last()
        await pilot.pause()
        last_in_two = shown_text(app)
        results.show([])
        await pilot.pause()
        monkeypatch.setattr(ResultsList, "_filling", lambda self, hits: len(hits))
        results.show(hits)
        await pilot.pause()
        assert (shown_text(app), results.virtual_size, results.highlighted) == in_two
        results.action_last()
        await pilot.pause()
        assert shown_text(app) == last_in_two
        assert hits[-1].id in last_in_two  # the last hit, listed late, is drawn


async def test_a_list_shown_before_the_rest_came_drops_that_rest(indexed_config: Path) -> None:
    older, newer = many_hits(indexed_config, tag="a"), many_hits(indexed_config, tag="b")
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        results = app.query_one(ResultsList)
        results.show(older)
        results.show(newer)  # the next keystroke's results, before a screen was drawn
        await pilot.pause()
        await pilot.pause()
        assert listed(results) == [hit.id for hit in newer]
        assert results.first_screens == 2
