"""Notes files the store meets on disk: nested too deeply for a parser, behind a symlink, and
very large (a save costs work in proportion to the note, not to the file)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.config import Config, load_config
from reader.core.notes.store import NotesFileError, NotesStore
from reader.core.sources.article import Article
from tests.conftest import SEEDS, CliRunner

BODY = "The ceasefire held in Sirte on Monday.\nOfficials said 40 people were killed."
STORY = Article(id="wire/1", title="A story", body=BODY, lang="en")
SEED = "000_7b206ec7414ebb17"


def make_store(folder: Path) -> NotesStore:
    return NotesStore(Config(corpus_paths=(SEEDS,), data_dir=folder / "d", notes_dir=folder / "n"))


# -- nested too deeply ------------------------------------------------------------------------

DEPTH = 3000  # about 6 KB: far past any parser's stack
DEEP = {
    "arrays": "deep = " + "[" * DEPTH + "]" * DEPTH,
    "inline tables": "deep = " + "{a = " * DEPTH + "1" + "}" * DEPTH,
    "both": "deep = " + "[{a = " * (DEPTH // 2) + "1" + "}]" * (DEPTH // 2),
    "brackets in strings first": 'fake = "[[[[{{{{"  # ]]]]\ndeep = ' + "[" * DEPTH + "]" * DEPTH,
}


@pytest.mark.parametrize("nesting", DEEP, ids=list(DEEP))
def test_a_deeply_nested_file_is_an_error_with_its_line_and_is_never_written(
    tmp_path: Path, nesting: str
) -> None:
    store = make_store(tmp_path)
    store.add(STORY, 0, 5, note="first")
    path = store.path_for(STORY.id)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = lines.index("[[notes]]") + 2  # inside the note's table, after its id
    deep_text = "\n".join([*lines[:at], *DEEP[nesting].splitlines(), *lines[at:]]) + "\n"
    path.write_text(deep_text, encoding="utf-8")
    deep_line = at + len(DEEP[nesting].splitlines())  # the line with "deep = "
    with pytest.raises(NotesFileError) as raised:
        make_store(tmp_path).load(STORY.id)
    assert raised.value.path == path and raised.value.line == deep_line
    assert "nested too deeply" in str(raised.value) and "\n" not in str(raised.value)
    with pytest.raises(NotesFileError) as raised:
        make_store(tmp_path).add(STORY, 6, 10, note="second")
    assert raised.value.rescue is not None and raised.value.line == deep_line
    assert path.read_text(encoding="utf-8") == deep_text
    errors: list[NotesFileError] = []
    assert make_store(tmp_path).all_notes(on_error=errors.append) == []
    assert [e.path for e in errors] == [path]


def test_list_and_export_report_a_deep_file_and_show_the_others(
    config_path: Path, run_cli: CliRunner
) -> None:
    good = run_cli("notes", "add", SEED, "--quote", "Sirte", "--occurrence", "1")
    assert good.returncode == 0, good.stderr
    note_id = good.stdout.strip()
    notes_dir = load_config(config_path).notes_dir
    deep = notes_dir / "001_629cc8aa1a0900a3.toml"
    deep_text = 'version = 1\narticle = "001_629cc8aa1a0900a3"\n' + DEEP["both"] + "\n"
    deep.write_text(deep_text, encoding="utf-8")
    for args in (("notes", "list"), ("notes", "export", "--format", "csv")):
        result = run_cli(*args)
        assert result.returncode == 1, args
        assert note_id in result.stdout
        (message,) = result.stderr.splitlines()
        assert message.startswith(f"reader: {deep}:3:") and "nested too deeply" in message
    assert deep.read_text(encoding="utf-8") == deep_text


# -- symlinks ---------------------------------------------------------------------------------


def test_a_symlinked_notes_file_stays_a_link_and_its_target_gets_the_notes(
    tmp_path: Path,
) -> None:
    store = make_store(tmp_path)
    store.add(STORY, 0, 5, note="first")
    path = store.path_for(STORY.id)
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "wire-notes.toml"
    os.replace(path, target)
    path.symlink_to(os.path.relpath(target, path.parent))
    make_store(tmp_path).add(STORY, 6, 10, note="second")
    assert path.is_symlink() and path.resolve() == target.resolve()
    assert [n["note"] for n in tomllib.loads(target.read_text(encoding="utf-8"))["notes"]] == [
        "first",
        "second",
    ]
    (first, _second) = make_store(tmp_path).load(STORY.id)
    make_store(tmp_path).update(STORY.id, replace(first, note="edited"))
    assert path.is_symlink()
    assert [n.note for n in make_store(tmp_path).load(STORY.id)] == ["edited", "second"]
    # The temp file was made next to the target (same file system, so the rename is atomic)
    # and nothing is left behind in either folder; the lock is the target's (every path to one
    # file takes one lock).
    assert sorted(p.name for p in shared.iterdir()) == [".wire-notes.toml.lock", "wire-notes.toml"]
    assert not list(path.parent.glob(".*.tmp"))
