"""Real processes on one notes file: interleaved writers lose nothing; kill -9 never truncates."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.notes.file import parse_notes
from reader.core.notes.store import NotesStore
from tests.conftest import ROOT, write_config

SEED = "000_7b206ec7414ebb17"

# A helper process: "add" N notes tagged TAG, or "churn": rewrite one big note and add small
# ones, forever, printing "ready" once the big note exists. With a PAUSE (seconds), every fsync
# (the temp file's, before os.replace; the folder's, after it) prints "fsync" and then waits
# that long, like a slow disk, so the parent can kill it in the middle of a save.
# (The big note has no quotes or backslashes: tomlkit parses those in time quadratic in their
# number, which is harmless for real notes but would make a big one crawl.)
HELPER = r"""
import os, sys, time
from dataclasses import replace
from pathlib import Path
from reader.core.config import load_config
from reader.core.notes.store import NotesStore
from reader.core.sources.corpus import SourceFile, read_source, scan_corpus

config_path, mode, *rest = sys.argv[1:]
config = load_config(Path(config_path))
article = next(
    a for s in scan_corpus(config) if isinstance(s, SourceFile)
    for a in read_source(s, config)[0] if a.id == "000_7b206ec7414ebb17"
)
store = NotesStore(config)
if mode == "add":
    count, tag = int(rest[0]), rest[1]
    for number in range(count):
        store.add(article, number, number + 20, tags=[tag], note=f"{tag} {number}")
    sys.exit(0)

def big(round_number):
    return f"{round_number}\n" + "é lorem ipsum دولة ليبيا\n" * LINES + f"end {round_number}"

notes = store.load(article.id)
note = next((n for n in notes if "churn" in n.tags), None)
if note is None:
    note = store.add(article, 0, 20, tags=["churn"], note=big(0))
round_number = int(note.note.split("\n", 1)[0])
if rest:
    pause = float(rest[0])
    real_fsync = os.fsync
    def slow_fsync(fd):
        real_fsync(fd)
        print("fsync", flush=True)
        time.sleep(pause)
    os.fsync = slow_fsync
print("ready", flush=True)
while True:
    round_number += 1
    note = store.update(article.id, replace(note, note=big(round_number)))
    store.add(article, 30, 50, note=f"small {round_number}")
""".replace("LINES", "8000")


@pytest.fixture
def config_file(tmp_path: Path, corpus_dir: Path) -> Path:
    return write_config(tmp_path)


def helper(config_file: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "READER_CONFIG"}
    return subprocess.Popen(
        [sys.executable, "-c", HELPER, str(config_file), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def check_file(path: Path) -> list[str]:
    """The file parses and follows the schema; the big note is whole. Returns the note ids."""
    text = path.read_text(encoding="utf-8")
    tomllib.loads(text)
    notes = parse_notes(text, path, SEED).notes
    for note in notes:
        if "churn" in note.tags:
            first, _rest = note.note.split("\n", 1)
            assert note.note.endswith(f"end {first}")
            assert note.note.count("\n") == 8001
    return [note.id for note in notes]


def test_two_processes_adding_lose_no_note(config_file: Path) -> None:
    workers = [helper(config_file, "add", "30", tag) for tag in ("left", "right")]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    notes = NotesStore(load_config(config_file)).load(SEED)
    assert len(notes) == 60
    assert len({note.id for note in notes}) == 60
    for tag in ("left", "right"):
        assert sorted(n.note for n in notes if n.tags == (tag,)) == sorted(
            f"{tag} {number}" for number in range(30)
        )
    assert not [n for n in notes if n.conflict_of]


def test_kill_between_write_and_rename_leaves_the_old_file(config_file: Path) -> None:
    first = helper(config_file, "churn")
    assert first.stdout is not None and first.stdout.readline() == "ready\n"
    first.kill()
    first.wait()
    notes_file = config_file.parent / "notes" / f"{SEED}.toml"
    before = notes_file.read_bytes()
    paused = helper(config_file, "churn", "60")
    assert paused.stdout is not None
    assert paused.stdout.readline() == "ready\n"
    assert paused.stdout.readline() == "fsync\n"  # the new file is written, not yet renamed
    temp_files = list(notes_file.parent.glob(f".{SEED}.toml.*.tmp"))
    assert len(temp_files) == 1 and temp_files[0].stat().st_size > len(before) / 2
    os.kill(paused.pid, signal.SIGKILL)
    paused.wait()
    assert notes_file.read_bytes() == before
    check_file(notes_file)
    # The next save (under the lock) clears what the killed writer left behind.
    store = NotesStore(load_config(config_file))
    note = store.load(SEED)[0]
    store.delete(SEED, note.id)
    assert list(notes_file.parent.glob("*.tmp")) == []


@pytest.mark.slow
def test_kill_9_at_random_times_never_truncates(config_file: Path) -> None:
    notes_file = config_file.parent / "notes" / f"{SEED}.toml"
    chance = random.Random(20240501)
    seen: list[str] = []
    killed_mid_save = 0
    for attempt in range(16):
        if attempt % 2:
            # Anywhere: reading, merging, rendering or writing.
            churn = helper(config_file, "churn")
            assert churn.stdout is not None and churn.stdout.readline() == "ready\n"
            with contextlib.suppress(subprocess.TimeoutExpired):
                churn.wait(timeout=chance.uniform(0.0, 0.5))
        else:
            # Inside a save: after the n-th fsync, before or after the rename.
            churn = helper(config_file, "churn", "0.3")
            assert churn.stdout is not None and churn.stdout.readline() == "ready\n"
            for _fsync in range(chance.randint(1, 4)):
                assert churn.stdout.readline() == "fsync\n"
            time.sleep(chance.uniform(0.0, 0.1))
        os.kill(churn.pid, signal.SIGKILL)
        churn.wait()
        assert churn.returncode == -signal.SIGKILL
        killed_mid_save += bool(list(notes_file.parent.glob("*.tmp")))
        ids = check_file(notes_file)
        assert ids[: len(seen)] == seen  # no note saved earlier is lost
        seen = ids
    assert killed_mid_save >= 1  # some kills did land between writing and renaming
    assert len(seen) > 1
