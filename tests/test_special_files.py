"""The notes folder may come from elsewhere (a ``git pull``, a shared disk): where a notes file
or ``events.toml`` is expected there may be a FIFO (a read blocks until someone writes to it)
or a link to a device (``/dev/zero`` never ends). Reading refuses what is not a regular file,
at once, naming its path, instead of hanging or filling the memory (found by trying:
``reader events`` waited for ever on a FIFO and was killed for its memory on /dev/zero)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.events.decisions import decisions_path
from reader.core.search.index import update_index

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs and devices")

KINDS = ["fifo", "link to /dev/zero"]


def make(path: Path, kind: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")


def reader(config: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """``reader`` in a new process, stopped after a minute (a hang is the failure here)."""
    env = {k: v for k, v in os.environ.items() if k not in ("READER_CONFIG", "READER_CORPUS")}
    return subprocess.run(
        [sys.executable, "-m", "reader", "--config", str(config), *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**env, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )


@pytest.mark.parametrize("kind", KINDS)
def test_events_refuse_a_decisions_file_that_is_not_a_file(config_path: Path, kind: str) -> None:
    config = load_config(config_path)
    update_index(config)
    path = decisions_path(config)
    make(path, kind)
    for argv in (["events"], ["events", "--json"]):
        done = reader(config_path, *argv)
        assert done.returncode == 2, done.stderr
        assert f"{path}:1: cannot read event decisions: not a regular file" in done.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_notes_refuse_a_notes_file_that_is_not_a_file(config_path: Path, kind: str) -> None:
    config = load_config(config_path)
    update_index(config)
    path = config.notes_dir / "000_7b206ec7414ebb17.toml"
    make(path, kind)
    done = reader(config_path, "notes", "list")
    assert f"{path}: cannot read: not a regular file" in done.stderr
