"""The command palette lists every action of the action table for the screen it opens over,
before anything is typed, and runs the one chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandList

from reader.app.actions import actions_of
from reader.app.app import ReaderApp
from reader.core.config import load_config
from reader.core.search.index import update_index
from tests.test_app import settle


@pytest.fixture
def indexed_config(config_path: Path) -> Path:
    update_index(load_config(config_path))
    return config_path


def _listed(app: ReaderApp) -> list[str]:
    listing = app.screen.query_one(CommandList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_the_palette_lists_every_main_action_before_typing(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.action_command_palette()
        await pilot.pause(0.5)
        listed = " | ".join(_listed(app))
        wanted = [a for a in actions_of("main") if a.bound and a.id != "palette"]
        missing = [a.label for a in wanted if f"{a.label}  (" not in listed]
        assert missing == [], listed
        assert "Language  (l)" in listed and "Outlet  (o)" in listed


async def test_choosing_an_action_in_the_palette_runs_it(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.action_command_palette()
        await pilot.pause(0.5)
        await pilot.press(*"Language")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.language == "en"


async def test_over_the_compare_view_the_palette_lists_its_actions_and_runs_them_there(
    indexed_config: Path,
) -> None:
    from tests.test_compare_view import S004, open_compare

    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        sync = screen.sync
        app.action_command_palette()
        await pilot.pause(0.5)
        listed = " | ".join(_listed(app))
        wanted = [a for a in actions_of("compare") if a.bound]
        missing = [a.label for a in wanted if f"{a.label}  (" not in listed]
        assert missing == [], listed
        assert "Compare  (c)" not in listed  # a main-window action it has no use for
        await pilot.press(*"Sync")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is screen and screen.sync is not sync


async def test_ctrl_p_opens_the_palette_over_the_compare_view(indexed_config: Path) -> None:
    # Found in tmux: over the compare view ctrl+p was bound to nothing (the compare view blocks
    # the main window's keys), so the palette the help and README promise there never opened.
    from textual.command import CommandPalette

    from tests.test_compare_view import S004, open_compare

    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        assert isinstance(app.screen, CommandPalette)
        assert "Take out  (x)" in " | ".join(_listed(app))
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert app.screen is screen


def test_keys_are_shown_as_a_person_types_them() -> None:
    """The help listed `plus` for the key the README and the footer show as `+` (found by
    trying the app)."""
    from reader.app.actions import help_rows

    shown = {label: keys for keys, label, _help in help_rows()}
    assert shown["Add article"] == "+"
    assert shown["Search"] == "/"
