"""Notes files that cannot be written: read-only, a full disk (ENOSPC at fsync, as a real full
disk reports it), a notes folder that is not a folder, and broken files met by the CLI.

In every case the error names the file, the original is left byte for byte as it was, no
temp file is left behind, and no note is lost: it waits in memory and, when the folder takes
it, in a rescue file, and is saved once the problem is gone. (Invalid TOML, schema errors and
a rescue after kill -9 are in test_notes_store.py and test_notes_concurrency.py.)
"""

from __future__ import annotations

import errno
import os
import stat
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


def span(passage: str) -> tuple[int, int]:
    start = BODY.index(passage)
    return start, start + len(passage)


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def saved_notes(folder: Path) -> list[str]:
    return [note.note for note in make_store(folder).load(STORY.id)]


# -- read-only --------------------------------------------------------------------------------


def test_a_read_only_notes_file_is_left_alone_and_the_note_rescued(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.add(STORY, *span("ceasefire held"), note="first")
    path = store.path_for(STORY.id)
    before = path.read_bytes()
    path.chmod(0o444)
    with pytest.raises(NotesFileError) as caught:
        store.add(STORY, *span("40 people"), note="second")
    error = caught.value
    assert error.path == path and str(error).startswith(f"{path}: cannot save")
    assert "read-only" in str(error)
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444  # not even its mode changed
    assert error.rescue is not None and "second" in error.rescue.read_text(encoding="utf-8")
    assert [n.note for n in store.unsaved()[STORY.id]] == ["first", "second"]
    assert temp_files(path.parent) == []
    # Editing and deleting are refused the same way, and kept too.
    (first, _second) = store.unsaved()[STORY.id]
    with pytest.raises(NotesFileError, match="read-only"):
        store.delete(STORY.id, first.id)
    assert path.read_bytes() == before
    # The person makes the file writable again: the next save writes everything.
    path.chmod(0o644)
    store.flush()
    assert saved_notes(tmp_path) == ["second"]
    assert list(path.parent.glob("*.rescue*")) == []


def test_cli_add_to_a_read_only_notes_file(config_path: Path, run_cli: CliRunner) -> None:
    assert run_cli("notes", "add", SEED, "--quote", "desert", "--occurrence", "1").returncode == 0
    path = load_config(config_path).notes_dir / f"{SEED}.toml"
    before = path.read_bytes()
    path.chmod(0o444)
    result = run_cli(
        "notes", "add", SEED, "--quote", "operations room", "--occurrence", "1", "--note", "kept"
    )
    assert result.returncode == 1
    assert f"{path}: cannot save: the file is read-only" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    rescue = path.with_name(f"{SEED}.rescue.toml")
    assert 'note = "kept"' in rescue.read_text(encoding="utf-8")
    listing = run_cli("notes", "list", SEED)
    assert listing.returncode == 0 and str(rescue) in listing.stderr  # it says where it waits
    path.chmod(0o644)
    assert run_cli("notes", "add", SEED, "--quote", "Sirte", "--occurrence", "1").returncode == 0
    notes = NotesStore(load_config(config_path)).load(SEED)
    assert "kept" in [note.note for note in notes] and len(notes) == 3
    assert not rescue.exists()


# -- a full disk ------------------------------------------------------------------------------


def fail_fsync_for(monkeypatch: pytest.MonkeyPatch, wanted: str) -> list[str]:
    """Make fsync fail with ENOSPC for temp files whose name starts with ``wanted``."""
    real_fsync = os.fsync
    failed: list[str] = []

    def fsync(fd: int) -> None:
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        if name.startswith(wanted) and name.endswith(".tmp"):
            failed.append(name)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return failed


needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


@needs_proc
@pytest.mark.parametrize("rescue_fits", [True, False])
def test_disk_full_at_fsync_keeps_the_old_file_and_the_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rescue_fits: bool
) -> None:
    store = make_store(tmp_path)
    store.add(STORY, *span("ceasefire held"), note="first")
    path = store.path_for(STORY.id)
    before = path.read_bytes()
    # The notes file's temp is ".wire%2f1.toml.XXXX.tmp"; the rescue's ".wire%2f1.rescue...".
    failed = fail_fsync_for(monkeypatch, f".{path.name}." if rescue_fits else ".")
    with pytest.raises(NotesFileError) as caught:
        store.add(STORY, *span("40 people"), note="second")
    assert failed, "the save reached fsync"
    assert str(caught.value).startswith(f"{path}: cannot save: No space left on device")
    assert path.read_bytes() == before
    assert temp_files(path.parent) == []  # the half-written temp file is gone
    if rescue_fits:
        rescue = caught.value.rescue
        assert rescue is not None and "second" in rescue.read_text(encoding="utf-8")
    else:
        assert caught.value.rescue is None and list(path.parent.glob("*.rescue*")) == []
    assert [n.note for n in store.unsaved()[STORY.id]] == ["first", "second"]
    monkeypatch.undo()  # space was freed
    store.add(STORY, *span("Sirte"), note="third")
    assert saved_notes(tmp_path) == ["first", "second", "third"]
    assert store.unsaved() == {} and list(path.parent.glob("*.rescue*")) == []


@needs_proc
def test_a_rescue_left_by_a_full_disk_is_merged_by_another_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashed = make_store(tmp_path)
    crashed.add(STORY, *span("ceasefire held"), note="first")
    path = crashed.path_for(STORY.id)
    fail_fsync_for(monkeypatch, f".{path.name}.")
    with pytest.raises(NotesFileError):
        crashed.add(STORY, *span("40 people"), note="rescued")
    monkeypatch.undo()
    del crashed  # the window closed before the disk had room again
    later = make_store(tmp_path)
    later.add(STORY, *span("Sirte"), note="later")
    assert saved_notes(tmp_path) == ["first", "rescued", "later"]


# -- the notes folder -------------------------------------------------------------------------


def test_a_notes_folder_that_is_a_file_keeps_notes_in_memory(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.folder.parent.mkdir(parents=True, exist_ok=True)
    store.folder.write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(NotesFileError) as caught:
        store.add(STORY, *span("ceasefire held"), note="waiting")
    assert str(caught.value).startswith(f"{store.path_for(STORY.id)}: cannot save")
    assert caught.value.rescue is None
    assert store.folder.read_text(encoding="utf-8") == "not a folder\n"
    assert [n.note for n in store.unsaved()[STORY.id]] == ["waiting"]
    store.folder.unlink()
    store.flush()
    assert saved_notes(tmp_path) == ["waiting"]


# -- broken files met by the CLI --------------------------------------------------------------


def test_duplicate_ids_are_reported_by_list_and_export_and_left_alone(
    config_path: Path, run_cli: CliRunner
) -> None:
    for quote in ("desert", "operations room"):
        assert run_cli("notes", "add", SEED, "--quote", quote, "--occurrence", "1").returncode == 0
    path = load_config(config_path).notes_dir / f"{SEED}.toml"
    text = path.read_text(encoding="utf-8")
    first, second = (line for line in text.splitlines() if line.startswith("id = "))
    duplicated = text.replace(second, first)
    path.write_text(duplicated, encoding="utf-8")
    line = duplicated.splitlines().index(first, duplicated.splitlines().index(first) + 1) + 1
    for args in (("notes", "list"), ("notes", "export", "--format", "csv")):
        result = run_cli(*args)
        assert result.returncode == 1, args
        assert f"{path}:{line}:1: duplicate note id" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    added = run_cli("notes", "add", SEED, "--quote", "Sirte", "--occurrence", "1")
    assert added.returncode == 1 and "rescue" in added.stderr
    assert path.read_text(encoding="utf-8") == duplicated
