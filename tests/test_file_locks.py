"""The locks around files a person owns: every path to one file takes one lock.

A notes file may be reached through a symlink (to the file, or to its folder); two readers
saving through two such paths must still exclude each other, or one overwrites the other's
note. Also: the names of linked targets are used literally in the clean-up globs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from reader.core.files.safe_write import (
    LockBusy,
    hold_lock,
    lock_path,
    locked,
    remove_stale_temp_files,
    write_atomically,
)
from reader.core.notes.file import rescue_files
from tests.conftest import ROOT

HOLDER = (
    "import sys; from pathlib import Path; from reader.core.files.safe_write import locked\n"
    "with locked(Path(sys.argv[1])):\n"
    "    print('held', flush=True); sys.stdin.readline()"
)


@pytest.fixture
def paths(tmp_path: Path) -> dict[str, Path]:
    """One file and four paths to it: itself, a link to it, a link to that link (in another
    folder) and a path through a linked folder."""
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "wire-notes.toml"
    target.write_text('format = 1\narticle = "a"\n', encoding="utf-8")
    notes = tmp_path / "notes"
    notes.mkdir()
    link = notes / "a.toml"
    link.symlink_to(os.path.relpath(target, notes))
    other = tmp_path / "elsewhere"
    other.mkdir()
    chain = other / "b.toml"
    chain.symlink_to(link)
    (tmp_path / "shared-link").symlink_to(shared, target_is_directory=True)
    return {
        "target": target,
        "link": link,
        "chain": chain,
        "through folder": tmp_path / "shared-link" / "wire-notes.toml",
    }


def test_every_path_to_one_file_names_one_lock(paths: dict[str, Path]) -> None:
    expected = paths["target"].resolve().with_name(".wire-notes.toml.lock")
    assert {name: lock_path(path) for name, path in paths.items()} == dict.fromkeys(paths, expected)


@pytest.mark.parametrize("held", ["target", "link", "chain", "through folder"])
def test_a_lock_held_through_one_path_excludes_every_other_path(
    paths: dict[str, Path], held: str
) -> None:
    with locked(paths[held]):
        for name, path in paths.items():
            with pytest.raises(LockBusy), locked(path, timeout=0.05):
                pytest.fail(f"locked {name} while {held} was held")
    for path in paths.values():  # released: each path takes it at once
        with locked(path, timeout=0):
            pass


def test_another_process_holding_the_link_keeps_the_target_locked(
    paths: dict[str, Path],
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(paths["link"])],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(LockBusy), locked(paths["target"], timeout=0.1):
            pytest.fail("the target was locked while another process held its link")
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    with locked(paths["target"], timeout=5):
        pass


def test_two_links_in_one_folder_to_one_lock_file_are_one_lock(tmp_path: Path) -> None:
    real = tmp_path / "update.lock"
    alias = tmp_path / "alias.lock"
    alias.symlink_to(real)
    with hold_lock(real), pytest.raises(LockBusy), hold_lock(alias, timeout=0.05):
        pytest.fail("the alias of a held lock file was taken")


def test_a_symlink_loop_is_an_error_not_a_hang(tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(OSError), locked(a, timeout=0.05):
        pytest.fail("a loop was locked")


def test_a_link_into_a_missing_folder_makes_no_folder(tmp_path: Path) -> None:
    link = tmp_path / "a.toml"
    link.symlink_to(tmp_path / "gone" / "wire.toml")
    with pytest.raises(FileNotFoundError), locked(link):
        pytest.fail("locked a link whose target folder is missing")
    assert not (tmp_path / "gone").exists()


def test_glob_characters_in_a_linked_name_are_taken_literally(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "wire[1]*?.toml"
    write_atomically(target, b'format = 1\narticle = "a"\n')
    link = tmp_path / "a.toml"
    link.symlink_to(target)
    stale = shared / ".wire[1]*?.toml.x1.tmp"
    stale.write_bytes(b"half")
    lookalike = shared / ".wire1a.toml.x2.tmp"  # what "[1]*?" would match as a pattern
    lookalike.write_bytes(b"someone else's")
    with locked(link):
        remove_stale_temp_files(link)
    assert not stale.exists() and lookalike.exists()
    assert tomllib.loads(target.read_text(encoding="utf-8"))["article"] == "a"


def test_rescue_files_of_a_name_with_glob_characters(tmp_path: Path) -> None:
    path = tmp_path / "x[ab]*.toml"
    rescue = tmp_path / "x[ab]*.rescue.toml"
    rescue.write_text("", encoding="utf-8")
    (tmp_path / "xa1.rescue.toml").write_text("", encoding="utf-8")  # matches as a pattern
    assert rescue_files(path) == [rescue]


def test_a_plain_path_through_a_dangling_folder_link_makes_no_folder(tmp_path: Path) -> None:
    (tmp_path / "notes").symlink_to(tmp_path / "gone", target_is_directory=True)
    with pytest.raises(OSError), locked(tmp_path / "notes" / "a.toml"):
        pytest.fail("locked a file in a folder that is a dangling link")
    assert not (tmp_path / "gone").exists()


LEAVES_A_CHILD = (
    "import subprocess, sys, time; from pathlib import Path\n"
    "from reader.core.files.safe_write import hold_lock\n"
    "with hold_lock(Path(sys.argv[1])):\n"
    "    child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'],\n"
    "                             close_fds=False)\n"
    "    print(child.pid, flush=True); time.sleep(600)"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and /proc: Linux")
def test_a_killed_holder_s_children_do_not_keep_its_lock(tmp_path: Path) -> None:
    """The lock belongs to the process that took it: a child it started (as the index's
    writer processes are) never inherits it, so killing the holder frees the lock at once
    even while the child lives. A lock file left behind (a soft lock) would fail this too."""
    lock = tmp_path / "update.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", LEAVES_A_CHILD, str(lock)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert holder.stdout is not None
    child = int(holder.stdout.readline())
    try:
        with pytest.raises(LockBusy), hold_lock(lock, timeout=0.05):
            pytest.fail("the lock was free while its holder lived")
        holder.kill()
        holder.wait(timeout=60)
        os.kill(child, 0)  # the child still runs
        with hold_lock(lock, timeout=5):
            pass
    finally:
        holder.kill()
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
