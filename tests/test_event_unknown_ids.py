"""Article ids in events.toml that are no article of the library (mistyped by hand, or of an
article deleted since): the decision is applied without them, and reader says so, with the
file, line, event and id, in `reader events` (on stderr, stdout unchanged) and in the app
(one warning per set of them), never rewriting the file (the article may come back)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import OptionList

from reader.app.app import ReaderApp
from reader.app.screens.event_picker import EventPicker
from reader.core.config import Config, load_config
from reader.core.events.decision_refs import unknown_summary
from reader.core.events.decisions import decisions_path
from reader.core.library import Library
from reader.core.search.index import update_index
from tests.conftest import CliRunner
from tests.test_app import settle
from tests.test_compare_view import S000, S001, S003, S004, column_ids, open_compare

# Line 3: a typo among the members; 7 and 8: one unknown id on a line of its own in a
# multi-line list, one escaped (a right-to-left override: must not reorder a message);
# 10: an excluded article that is no more.
UNKNOWN = f"""# my decisions
[events.sirte-week]
members = ["{S000}", "lib-00x"]
label = "Sirte week"
[events.other]
members = [
  "{S003}", "{S004}",
  "zz\\u202eevil\\u001b[31m",
]
excluded = ['gone-1']
"""
CLEAN = f"""# my decisions
[events.sirte-week]
members = ["{S000}"]
label = "Sirte week"
[events.other]
members = [
  "{S003}", "{S004}",
]
"""


@pytest.fixture
def indexed(run_cli: CliRunner, config_path: Path) -> Config:
    assert run_cli("index").returncode == 0
    return load_config(config_path)


def write(config: Config, text: str) -> Path:
    path = decisions_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def expected_lines(path: Path) -> list[str]:
    return [
        f"reader: {path}:3: [events.sirte-week]: no article 'lib-00x' in the library "
        "(left as it is)",
        f"reader: {path}:8: [events.other]: no article 'zz\\u202eevil\\x1b[31m' in the "
        "library (left as it is)",
        f"reader: {path}:10: [events.other]: no article 'gone-1' in the library (left as it is)",
    ]


def test_the_library_finds_the_unknown_ids_with_their_lines(indexed: Config) -> None:
    path = write(indexed, UNKNOWN)
    with Library(indexed) as library:
        events = library.events()  # the decisions, applied without those ids
        found = library.unknown_article_ids()
    decided = {e.id: e for e in events if e.decided}
    assert decided["sirte-week"].article_ids == (S000,)
    assert [(u.ref.event, u.ref.key, u.ref.article_id, u.ref.line) for u in found] == [
        ("sirte-week", "members", "lib-00x", 3),
        ("other", "members", "zz\u202eevil\x1b[31m", 8),
        ("other", "excluded", "gone-1", 10),
    ]
    assert [f"reader: {u}" for u in found] == expected_lines(path)
    assert path.read_text(encoding="utf-8") == UNKNOWN  # left as it is
    summary = unknown_summary(found)
    assert summary.startswith(f"{path}: no article with these 3 ids in the library")
    assert "line 3 [events.sirte-week] 'lib-00x'" in summary and "\x1b" not in summary


def test_without_events_file_or_unknown_ids_there_is_nothing_to_tell(indexed: Config) -> None:
    with Library(indexed) as library:
        assert library.unknown_article_ids() == []
        write(indexed, CLEAN)
        assert library.unknown_article_ids() == []


def test_with_no_stored_events_the_index_says_which_ids_are_articles(indexed: Config) -> None:
    """The events stored with the index are of an older state: the index's ids are asked."""
    write(indexed, UNKNOWN)
    (indexed.corpus_paths[0] / f"{S001}.txt").unlink()
    (indexed.corpus_paths[0] / f"{S001}.toml").unlink(missing_ok=True)
    update_index(indexed)  # the index moves on; the events stored are not brought up to date
    write(indexed, UNKNOWN.replace("lib-00x", S001))
    with Library(indexed) as library:
        ids = [u.ref.article_id for u in library.unknown_article_ids()]
    assert ids == [S001, "zz\u202eevil\x1b[31m", "gone-1"]


@pytest.mark.parametrize("json_flag", [False, True])
def test_reader_events_tells_of_each_unknown_id_on_stderr_and_prints_the_same(
    indexed: Config, run_cli: CliRunner, json_flag: bool
) -> None:
    args = ["events", "--json"] if json_flag else ["events"]
    write(indexed, CLEAN)
    clean = run_cli(*args)
    assert clean.returncode == 0 and clean.stderr == "", clean.stderr
    path = write(indexed, UNKNOWN)
    for _ in range(2):  # computed, then read from what was stored
        result = run_cli(*args)
        assert result.returncode == 0
        assert result.stderr.splitlines() == expected_lines(path)
        assert result.stdout == clean.stdout  # a pipe reading it sees no difference
    if json_flag:
        json.loads(result.stdout)
    assert path.read_text(encoding="utf-8") == UNKNOWN


async def test_the_app_warns_once_for_each_set_of_unknown_ids(indexed: Config) -> None:
    path = write(indexed, UNKNOWN)
    app = ReaderApp(indexed)

    def told() -> list[str]:
        return [n.message for n in app._notifications if "in the library" in n.message]

    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        await settle(pilot, app)
        assert column_ids(screen) == [S004, S003]  # the decision applied without the typos
        (warning,) = told()
        assert warning.startswith(f"{path}: no article with these 3 ids in the library")
        assert "line 3 [events.sirte-week] 'lib-00x'" in warning
        assert "line 8 [events.other] 'zz\\u202eevil\\x1b[31m'" in warning
        assert "line 10 [events.other] 'gone-1'" in warning
        await pilot.press("m")  # the events to merge with: the same ids, not told again
        await settle(pilot, app)
        assert isinstance(app.screen, EventPicker)
        assert app.screen.query_one(OptionList).option_count > 0
        await pilot.press("escape")
        await pilot.press("escape")
        await settle(pilot, app)
        await open_compare(pilot, app, "Turkish", S004)  # shown again: not told again
        await settle(pilot, app)
        assert len(told()) == 1
        await pilot.press("escape")
        write(indexed, UNKNOWN.replace(', "lib-00x"', ""))  # one fixed: the others told
        await open_compare(pilot, app, "Turkish", S004)
        await settle(pilot, app)
        assert len(told()) == 2 and "these 2 ids" in told()[-1]
    assert path.read_text(encoding="utf-8") == UNKNOWN.replace(', "lib-00x"', "")


def test_each_id_is_found_on_its_own_line_in_a_long_file(tmp_path: Path) -> None:
    """Many events and a long list, one id a line: each id's line (the file is read once
    for the keys' lines, and each list from the id before)."""
    from reader.core.events.decision_refs import article_refs

    ids = [f"id-{n:04d}" for n in range(400)]
    text = "".join(
        f'[events.e{n}]\nmembers = ["{ids[2 * n]}", "{ids[2 * n + 1]}"]\n' for n in range(100)
    )
    text += "[events.big]\nmembers = [\n" + "".join(f'  "{i}",\n' for i in ids[200:]) + "]\n"
    path = tmp_path / "events.toml"
    path.write_text(text, encoding="utf-8")
    refs = article_refs(path)
    assert [r.article_id for r in refs] == ids
    assert [r.line for r in refs[:4]] == [2, 2, 4, 4]
    assert [r.line for r in refs[200:]] == list(range(203, 403))


def test_a_decision_about_an_event_keeps_the_ids_it_did_not_show(tmp_path: Path) -> None:
    """Renaming, confirming, splitting, merging an event or taking an article out of it pins
    the articles shown; the ids of its decision that are no article of the library (which
    were never shown) stay in it, as the file had them: the article may come back."""
    from reader.core.events.decision_edits import (
        confirm_event,
        merge_events,
        move_article,
        rename_event,
        split_event,
    )
    from reader.core.events.decisions import load_decisions
    from reader.core.events.event import Event

    path = tmp_path / "events.toml"
    path.write_text(
        '[events.mine]\nmembers = ["a", "b", "c", "lib-00x"]\nexcluded = ["gone-1"]\n'
        '[events.yours]\nmembers = ["d", "typo-d"]\n',
        encoding="utf-8",
    )

    def decided() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        return {d.id: (d.members, d.excluded) for d in load_decisions(path).events}

    mine = Event("mine", "", ("a", "b", "c"), decided=True)  # as shown: lib-00x is none
    rename_event(path, mine, "Mine")
    confirm_event(path, mine)
    assert decided()["mine"] == (("a", "b", "c", "lib-00x"), ("gone-1",))
    new = split_event(path, mine, ["c"])
    assert decided()["mine"] == (("a", "b", "lib-00x"), ("gone-1", "c"))
    assert decided()[new] == (("c",), ("a", "b"))
    merge_events(path, [Event("mine", "Mine", ("a", "b")), Event("yours", "", ("d",))])
    assert decided()["mine"][0] == ("a", "b", "d", "lib-00x", "typo-d")
    assert "yours" not in decided()
    move_article(path, "a", Event("mine", "Mine", ("a", "b", "d")), None)
    move_article(path, "b", Event("mine", "Mine", ("b", "d")), None)
    move_article(path, "d", Event("mine", "Mine", ("d",)), None)  # the last one shown
    assert decided()["mine"][0] == ("lib-00x", "typo-d")
