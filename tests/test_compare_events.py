"""Pressing ``c`` reads the events stored with the index: it never profiles every article."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.app.app import ReaderApp
from reader.app.screens.article_picker import ArticlePicker
from reader.app.screens.compare import CompareScreen
from reader.core.config import Config, load_config
from reader.core.library import Library
from tests.conftest import write_config
from tests.test_app import search_and_open, settle
from tests.test_event_store import generated_corpus
from tests.test_event_store import profiled as profiled  # a fixture


@pytest.fixture
def built(tmp_path: Path) -> Config:
    generated_corpus(tmp_path / "corpus")
    config = load_config(write_config(tmp_path))
    with Library(config) as library:
        library.update()  # builds the index and the events beside it
    return config


@pytest.mark.parametrize(
    ("query", "pivot", "allowed"),
    [
        ("Sirte", "g0-00", set()),  # an event of 3: nothing to profile
        ("Derna", "g2-00", {f"g2-{n:02d}" for n in range(5)}),  # 5: the 4 closest, of these
    ],
)
async def test_c_reads_the_stored_events(
    built: Config, profiled: list[str], query: str, pivot: str, allowed: set[str]
) -> None:
    app = ReaderApp(built)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, query, pivot)
        profiled.clear()
        await pilot.press("c")
        await settle(pilot, app)
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert set(profiled) <= allowed
        assert len(profiled) <= len(allowed)


async def test_c_on_a_lone_article_ranks_from_the_stored_features(
    built: Config, profiled: list[str]
) -> None:
    app = ReaderApp(built)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Lone", "lone-00")
        profiled.clear()
        await pilot.press("c")
        await settle(pilot, app)
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        assert profiled == []
        others = len(list(built.corpus_paths[0].glob("*.txt"))) - 1
        assert len(picker.choices) == others  # every other article, ranked
        assert picker.choices[0].score >= picker.choices[-1].score
