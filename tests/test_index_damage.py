"""Each file of the index damaged in turn (cut short, zeroed, random bytes, deleted): the CLI
says so in one line, repairs, and answers as before; the app starts, rebuilds with progress
and shows the results. Also: a manifest with wrong types, a damaged word list."""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest
from textual.widgets import Input, Static

import reader.app.app as app_module
from reader.app.app import ReaderApp
from reader.app.messages import IndexProgress
from reader.app.widgets.results import ResultsList
from reader.core.config import load_config
from reader.core.search.index import IndexDamaged, update_index
from reader.core.search.searcher import Searcher
from tests.conftest import CliRunner
from tests.index_files import DAMAGES
from tests.index_files import damage as damage_file
from tests.index_files import role_path as live_file
from tests.test_app import settle

QUERY = "Sirt*"  # a prefix: goes through the word list as well as the segments
EXPECTED = ["000_7b206ec7414ebb17", "001_629cc8aa1a0900a3"]
ROLES = (
    "CURRENT",
    "update.lock",
    "toc",
    "segment",
    "WRITELOCK",
    "manifest",
    "vocabulary",
    "fingerprint",
)

HARMLESS = {"update.lock", "WRITELOCK"}  # lock files: their content means nothing
FOR_UPDATES = {"manifest"}  # searching never reads it: the next update finds and rebuilds it


def role_path(index_dir: Path, role: str) -> Path:
    found = live_file(index_dir, role)
    assert found is not None, f"no {role} in {index_dir}"
    return found


def damage(path: Path, how: str, seed: int = 0) -> None:
    damage_file(path, how, random.Random(seed))


def ids_of(stdout: str) -> list[str]:
    return sorted(json.loads(line)["id"] for line in stdout.splitlines())


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("role", ROLES)
def test_cli_search_repairs_each_damaged_file(
    config_path: Path, run_cli: CliRunner, role: str, how: str
) -> None:
    assert run_cli("index").returncode == 0
    config = load_config(config_path)
    damage(role_path(config.index_dir, role), how)
    first = run_cli("search", QUERY, "--json")
    assert first.returncode == 0, first.stderr
    assert ids_of(first.stdout) == EXPECTED
    lines = first.stderr.splitlines()
    if role in HARMLESS | FOR_UPDATES:
        assert lines == []
    else:
        assert len(lines) == 1 and "is damaged" in lines[0], first.stderr
        assert lines[0].endswith(("rebuilding it", "repairing it"))
    update = run_cli("index")
    assert update.returncode == 0
    rebuilding = [line for line in update.stderr.splitlines() if "rebuilding" in line]
    if role in FOR_UPDATES:
        assert len(rebuilding) == 1, update.stderr
        assert "(the index was damaged: manifest.json" in rebuilding[0]
    else:
        assert rebuilding == []  # the search repaired it already
    again = run_cli("search", QUERY, "--json")  # repaired for good: nothing more to say
    assert again.stderr == "" and ids_of(again.stdout) == EXPECTED


class RecordingApp(ReaderApp):
    """The app, noting each progress report of the index worker."""

    CSS_PATH = str(Path(app_module.__file__).parent / "reader.tcss")
    progress: list[tuple[int, int]]

    def on_reader_app_index_progress(self, message: IndexProgress) -> None:
        self.progress.append((message.done, message.total))
        super().on_reader_app_index_progress(message)


def status(app: ReaderApp) -> str:
    return str(app.query_one("#status-text", Static).render())


# Every file with a different damage, and the segment with each of them.
APP_CASES = [(role, DAMAGES[i % len(DAMAGES)]) for i, role in enumerate(ROLES)]
APP_CASES += [("segment", how) for how in DAMAGES if ("segment", how) not in APP_CASES]


@pytest.mark.parametrize(("role", "how"), APP_CASES)
async def test_app_starts_on_a_damaged_index_and_rebuilds_it(
    config_path: Path, role: str, how: str
) -> None:
    config = load_config(config_path)
    update_index(config)
    damage(role_path(config.index_dir, role), how)
    app = RecordingApp(config)
    app.progress = progress = []
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await settle(pilot, app)
        assert app.library.is_open
        assert app.query_one(ResultsList).option_count == 5
        app.query_one("#search", Input).value = QUERY
        await pilot.pause()
        await settle(pilot, app)
        await settle(pilot, app)
        results = app.query_one(ResultsList)
        shown = sorted(results.get_option_at_index(i).id or "" for i in range(results.option_count))
        assert shown == EXPECTED
        text = status(app)
        if role in HARMLESS:
            assert "rebuilt" not in text
        elif role == "vocabulary":
            assert "rebuilt it" in text  # the word list alone, from the stored articles
        else:
            assert "index rebuilt (the index was damaged" in text, text
            assert progress and progress[-1] == (5, 5)  # the rebuild showed its progress


async def test_app_repairs_damage_found_while_searching(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Damage that appears after the app opened the index (a file cut short under it), found
    by the first search that reads the file. The app's background warm-up would read the word
    list before the damage (and then serve it from memory, so the damage would be met at the
    next opening instead): it is kept from running here."""
    monkeypatch.setattr("reader.core.library.Library.warm", lambda self, **_given: None)
    config = load_config(config_path)
    update_index(config)
    app = ReaderApp(config)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await settle(pilot, app)
        damage(role_path(config.index_dir, "vocabulary"), "random", seed=3)
        app.query_one("#search", Input).value = QUERY
        await pilot.pause()
        for _ in range(4):
            await settle(pilot, app)
        results = app.query_one(ResultsList)
        shown = sorted(results.get_option_at_index(i).id or "" for i in range(results.option_count))
        assert shown == EXPECTED
        assert "rebuilt it" in status(app)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m["files"].update({"x.txt": {"size": "12"}}), "size is not a whole number"),
        (lambda m: m.update({"files": []}), '"files" is not a table'),
        (lambda m: m.update({"keys": {"k": 3}}), '"keys" is not a table of strings'),
        (lambda m: m.update({"schema": "6"}), 'no "schema" number'),
        (lambda m: m.update({"settings": 1}), '"settings" is not a table'),
        (
            lambda m: next(iter(m["files"].values())).update({"ids": [1]}),
            "ids is not a list of strings",
        ),
    ],
)
def test_manifest_with_wrong_types_is_found_and_rebuilt(
    config_path: Path, change: object, problem: str
) -> None:
    config = load_config(config_path)
    update_index(config)
    path = role_path(config.index_dir, "manifest")
    manifest = json.loads(path.read_text())
    change(manifest)  # type: ignore[operator]
    path.write_text(json.dumps(manifest))
    report = update_index(config)
    assert report.rebuilt and problem in report.rebuild_reason
    with Searcher(config) as searcher:
        assert sorted(h.id for h in searcher.search(QUERY).hits) == EXPECTED


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m.update({"toc": None}), 'not a table with a "toc" number'),
        (lambda m: m.update({"files": []}), '"files" is not a table'),
        (lambda m: m["files"].update({"x.seg": [1, 2]}), "is not [size, mtime, hash]"),
        (lambda m: m.update({"schema": 5}), "from an older version of reader"),
    ],
)
def test_fingerprint_with_wrong_types_is_found_and_rebuilt(
    config_path: Path, change: object, problem: str
) -> None:
    config = load_config(config_path)
    update_index(config)
    path = role_path(config.index_dir, "fingerprint")
    prints = json.loads(path.read_text())
    change(prints)  # type: ignore[operator]
    path.write_text(json.dumps(prints))
    with pytest.raises(IndexDamaged, match=re.escape(problem)):
        Searcher(config)
    report = update_index(config)
    assert report.rebuilt
    with Searcher(config) as searcher:
        assert sorted(h.id for h in searcher.search(QUERY).hits) == EXPECTED


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"[]",
        b'{"version": 1, "words": []}',
        b'{"version": 1, "words": {"sirte": 5}}',
        b'{"version": 2, "words": {}}',
        os.urandom(64),
    ],
    ids=["empty", "list", "words-list", "words-types", "version", "random"],
)
def test_damaged_word_list_is_found_and_rebuilt_alone(config_path: Path, content: bytes) -> None:
    config = load_config(config_path)
    update_index(config)
    role_path(config.index_dir, "vocabulary").write_bytes(content)
    with Searcher(config) as searcher, pytest.raises(IndexDamaged) as caught:
        searcher.search(QUERY)  # prefix search never silently finds nothing
    assert caught.value.part == "vocabulary"
    report = update_index(config)
    assert not report.rebuilt and len(report.repaired) == 1
    assert "vocabulary.json" in report.repaired[0]
    with Searcher(config) as searcher:
        assert sorted(h.id for h in searcher.search(QUERY).hits) == EXPECTED


def test_an_index_from_the_previous_version_is_rebuilt_and_called_so(
    config_path: Path, run_cli: CliRunner
) -> None:
    """Schema 5 had no index.json and a manifest saying "schema": 5."""
    assert run_cli("index").returncode == 0
    config = load_config(config_path)
    role_path(config.index_dir, "fingerprint").unlink()
    manifest = role_path(config.index_dir, "manifest")
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "schema": 5}))
    search = run_cli("search", QUERY, "--json")
    assert search.stderr.endswith("is from an older version of reader; rebuilding it\n")
    assert ids_of(search.stdout) == EXPECTED
