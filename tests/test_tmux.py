"""The real ``reader`` in a real terminal (tmux): type a query, open the Arabic seed, read the
screen. Right-to-left text must stand at the right edge, in reading order."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

FIRST_WORD = "ﺲﻠﺑﺍﺮﻃ"  # طرابلس, shaped: the first word of 003's first paragraph


# A private tmux server: the tests neither see nor touch the user's sessions or those of other
# test runs (tmux's default server is one per user), and it ends with its last session.
SOCKET = f"reader-test-{uuid.uuid4().hex[:8]}"


def tmux(*args: str) -> str:
    result = subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False
    )
    return result.stdout


def wait_for(session: str, needle: str, timeout: float = 120.0) -> str:
    """The screen once ``needle`` is on it and two captures in a row agree: a single capture
    can fall between two writes of one frame and hold half of it."""
    deadline = time.monotonic() + timeout
    screen, previous = "", None
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if needle in screen and screen == previous:
            return screen
        previous = screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared on screen:\n{screen}")


def test_arabic_seed_in_a_real_terminal(config_path: Path) -> None:
    session = f"reader-test-{uuid.uuid4().hex[:8]}"
    env = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color READER_NO_BIDI_MODE=1"
    command = f"{env} {sys.executable} -m reader --config {config_path}"
    tmux("-u", "new-session", "-d", "-s", session, "-x", "120", "-y", "35", command)
    try:
        wait_for(session, "5 articles")
        tmux("send-keys", "-t", session, "-l", "الوطيه")
        wait_for(session, "1 result")
        tmux("send-keys", "-t", session, "Enter")
        time.sleep(0.3)
        tmux("send-keys", "-t", session, "Enter")
        screen = wait_for(session, FIRST_WORD)
        lines = screen.splitlines()
        row = next(line for line in lines if FIRST_WORD in line and "ﺮﻴﺸﻤﻟﺍ" in line)
        # The body line that starts the first paragraph: its first word at the right edge of
        # the article pane (only the scrollbar and padding between it and the pane's border).
        after = row.split(FIRST_WORD, 1)[1]
        right_of_word = after.split("│", 1)[0]
        assert right_of_word.strip(" ▁▂▃▄▅▆▇█▔") == "", repr(after)
        assert len(right_of_word) <= 4, repr(after)
        # ... and the words run right to left: طرابلس - عكس الجيش, read from the right.
        assert row.index("ﺶﻴﺠﻟﺍ") < row.index("ﺲﻜﻋ") < row.index(FIRST_WORD)
        # The next paragraph line continues below it.
        below = lines[lines.index(row) + 1]
        assert "ﻕﺎﻓﻮﻟﺍ" in below or "ﺔﻔﻴﻠﺧ" in below, below
        tmux("send-keys", "-t", session, "q")
    finally:
        tmux("kill-session", "-t", session)
    assert os.environ.get("TMUX_TEST_KEEP", "") == ""


def test_the_app_leaves_when_its_terminal_goes(config_path: Path, tmp_path: Path) -> None:
    # Under `make run` a closed terminal does not always reach the app as SIGHUP; here SIGHUP
    # is ignored outright, so only the app noticing its terminal is gone can end it. Before,
    # it stayed, spinning on the dead terminal (60% of a core).
    session = f"reader-test-{uuid.uuid4().hex[:8]}"
    pid_file = tmp_path / "pid"
    env = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color READER_NO_BIDI_MODE=1"
    app = f"{env} {sys.executable} -m reader --config {config_path}"
    command = f"sh -c 'echo $$ > {pid_file}; trap \"\" HUP; exec env {app}'"
    tmux("-u", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    try:
        wait_for(session, "5 articles")
    finally:
        tmux("kill-session", "-t", session)
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 60  # a cap for a loaded machine; it leaves within seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
    raise AssertionError("the app was still running 60 s after its terminal closed")
