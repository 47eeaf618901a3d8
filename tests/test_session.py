"""The session: the last query, the open article, how far down it was read and the filters
come back on the next start; a damaged state file is ignored with one message; a config
switch turns it off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from reader.app.app import ReaderApp
from reader.app.widgets.article_view import ArticleView
from reader.app.widgets.search_box import SearchBox
from reader.core.config import ConfigError, load_config
from reader.core.config_session import Session, read_session, session_path, write_session
from tests.conftest import ARABIC_SEED, write_config
from tests.test_app import search_and_open, settle, wait_until


def test_a_session_round_trips_and_any_string_survives(tmp_path: Path) -> None:
    path = tmp_path / "state" / "session.json"
    assert read_session(path) == (None, None)  # none yet: no message
    session = Session('حفتر "Sirte"\n\ud800', ARABIC_SEED, 120, "ar", "Al Wasat ليبيا")
    assert write_session(path, session) is None
    assert read_session(path) == (session, None)
    assert [p.name for p in path.parent.iterdir()] == ["session.json"]  # no temp file left


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"query": "x",\n "top": ', ":2: session state damaged"),  # cut short
        ("[1, 2]", "is not a table of values"),
        ('{"top": -3}', "bad 'top'"),
        ('{"top": true}', "bad 'top'"),
        ('{"language": "fr"}', "bad 'language'"),
        ('{"query": 5}', "bad 'query'"),
    ],
)
def test_a_damaged_state_file_gives_one_line_naming_it(
    tmp_path: Path, content: str, says: str
) -> None:
    path = tmp_path / "session.json"
    path.write_text(content, encoding="utf-8")
    session, problem = read_session(path)
    assert session is None and problem is not None
    assert problem.startswith(str(path)) and says in problem and "\n" not in problem
    path.write_bytes(b"\xff\xfe{")
    assert "not UTF-8" in (read_session(path)[1] or "")


def test_a_state_file_that_cannot_be_written_is_reported_not_raised(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    problem = write_session(blocker / "session.json", Session("q"))
    assert problem is not None and str(blocker / "session.json") in problem


def test_the_switch_is_read_and_checked(tmp_path: Path, corpus_dir: Path) -> None:
    assert load_config(write_config(tmp_path)).restore_session is True
    off = load_config(write_config(tmp_path, extra="[session]\nrestore = false\n"))
    assert off.restore_session is False
    with pytest.raises(ConfigError, match=r"config.toml:8: \[session\] restore: must be true"):
        load_config(write_config(tmp_path, extra='[session]\nrestore = "no"\n'))
    # one state file per config: two libraries never share a session
    other = tmp_path / "other"
    other.mkdir()
    assert session_path(load_config(write_config(tmp_path))) != session_path(
        load_config(write_config(other, corpus="../corpus"))
    )


async def test_query_article_place_and_filters_come_back_on_the_next_start(
    config_path: Path,
) -> None:
    config = load_config(config_path)
    app = ReaderApp(config)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "حفتر", ARABIC_SEED)
        view = app.query_one(ArticleView)
        await wait_until(pilot, lambda: view.max_scroll_y > 5, "a scrollable article")
        view.scroll_to(y=5, animate=False, immediate=True)
        await pilot.pause()
        top = view.top_offset()
        assert top > 0
        app.language = "ar"
        await pilot.press("q")  # quit saves where the app is
    saved = json.loads(session_path(config).read_text(encoding="utf-8"))
    assert saved == {
        "query": "حفتر",
        "article": ARABIC_SEED,
        "top": top,
        "language": "ar",
        "outlet": None,
    }

    again = ReaderApp(config)
    async with again.run_test(size=(100, 20)) as pilot:
        await settle(pilot, again)
        view = again.query_one(ArticleView)
        await wait_until(pilot, lambda: view.article is not None, "the article to come back")
        await wait_until(pilot, lambda: view.top_offset() == top, "its place to come back")
        assert view.article is not None and view.article.id == ARABIC_SEED
        assert again.query_one("#search", Input).value == "حفتر"
        assert again.search_text == "حفتر" and again.language == "ar"
        # The focus stayed in the search bar: what a person types there is typed, not a
        # command of the article pane ("q" of "Iraq" would quit).
        assert isinstance(again.focused, SearchBox), again.focused
        # (the query that came back is selected: a new one typed replaces it)
        await pilot.press(*"Iraq")
        await pilot.pause()
        assert again.is_running
        assert again.query_one("#search", Input).value == "Iraq"


async def test_a_damaged_state_file_gives_one_warning_and_a_fresh_start(
    config_path: Path,
) -> None:
    config = load_config(config_path)
    path = session_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"query": "Sirte", "top": ', encoding="utf-8")
    app = ReaderApp(config)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot, app)
        warnings = [n for n in app._notifications if "session state" in n.message]
        assert len(warnings) == 1 and warnings[0].severity == "warning"
        assert app.query_one("#search", Input).value == ""
        assert app.query_one(ArticleView).article is None


async def test_with_the_switch_off_nothing_is_kept_or_read(
    tmp_path: Path, corpus_dir: Path
) -> None:
    config = load_config(write_config(tmp_path, extra="[session]\nrestore = false\n"))
    path = session_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_session(path, Session("Sirte"))
    app = ReaderApp(config)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot, app)
        assert app.query_one("#search", Input).value == ""
        await pilot.press("slash", "x", "escape", "q")
    assert read_session(path)[0] == Session("Sirte")  # not written over
