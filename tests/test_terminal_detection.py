"""The terminal is named from its environment and sent what it needs to show reader's rows as
they are: mlterm's own sequence (it ignores the bidi mode), the explicit bidi mode for the
others; Konsole, which cannot be set from here, gets a hint."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from reader.app.terminal import (
    EXPLICIT_BIDI_OFF,
    EXPLICIT_BIDI_ON,
    bidi_sequences,
    detect,
    terminal_hint,
)


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"MLTERM": "3.9.3", "TERM": "xterm"}, "mlterm"),
        ({"VTE_VERSION": "7600"}, "vte"),
        ({"KITTY_WINDOW_ID": "1"}, "kitty"),
        ({"KONSOLE_VERSION": "230805"}, "konsole"),
        ({"WT_SESSION": "e3c1-..."}, "windows-terminal"),
        ({"TERM_PROGRAM": "mintty"}, "mintty"),
        ({"TERM": "xterm-256color"}, "other"),
        ({"VTE_VERSION": ""}, "other"),  # set but empty: not a VTE terminal
        ({"MLTERM": "3.9.3", "VTE_VERSION": "7600"}, "mlterm"),
    ],
)
def test_the_terminal_is_named_from_its_environment(env: dict[str, str], name: str) -> None:
    assert detect(env) == name


def test_mlterm_gets_its_own_sequence_and_the_others_the_bidi_mode() -> None:
    enter, leave = bidi_sequences({"MLTERM": "3.9.3"}, "app")
    assert enter == "\x1b]5379;use_ctl=false\x07" and leave == "\x1b]5379;use_ctl=true\x07"
    for env in ({"VTE_VERSION": "7600"}, {"TERM_PROGRAM": "mintty"}, {}):
        assert bidi_sequences(env, "app") == (EXPLICIT_BIDI_ON, EXPLICIT_BIDI_OFF)
    # a terminal left to do bidi itself is sent nothing
    for mode in ("terminal", "off"):
        assert bidi_sequences({"MLTERM": "3.9.3"}, mode) == ("", "")
        assert bidi_sequences({"VTE_VERSION": "7600"}, mode) == ("", "")


def test_konsole_gets_a_hint_in_app_mode_only() -> None:
    hint = terminal_hint({"KONSOLE_VERSION": "230805"}, "app")
    assert hint is not None and "Bi-Directional text rendering" in hint and "\n" not in hint
    assert terminal_hint({"KONSOLE_VERSION": "230805"}, "terminal") is None
    assert terminal_hint({"VTE_VERSION": "7600"}, "app") is None


def _first_and_last_output(config: Path, env: dict[str, str]) -> bytes:
    """What the real ``reader`` writes to its terminal (a pty) from start to quit ("q")."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    full_env = {k: v for k, v in os.environ.items() if k not in ("READER_CONFIG", "MLTERM")}
    full_env.update(env, TERM="xterm-256color", LANG="C.UTF-8")
    argv = [sys.executable, "-m", "reader", "--config", str(config)]
    chunks: list[bytes] = []
    with subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, start_new_session=True
    ) as process:
        os.close(slave)
        deadline = time.monotonic() + 120
        sent = False
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            if not sent and b"results" in b"".join(chunks):
                os.write(master, b"\x1b")  # the app is up: out of the search bar, then quit
                time.sleep(0.5)
                os.write(master, b"q")
                sent = True
        try:
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    os.close(master)
    return b"".join(chunks)


@pytest.mark.parametrize(
    ("env", "enter", "leave"),
    [
        ({"MLTERM": "3.9.3"}, b"\x1b]5379;use_ctl=false\x07", b"\x1b]5379;use_ctl=true\x07"),
        ({"VTE_VERSION": "7600"}, b"\x1b[8l", b"\x1b[8h"),
    ],
)
def test_the_real_app_sends_the_terminal_its_sequences_and_undoes_them(
    config_path: Path, env: dict[str, str], enter: bytes, leave: bytes
) -> None:
    out = _first_and_last_output(config_path, env)
    assert out.startswith(enter), out[:80]
    assert out.rstrip(b"\r\n").endswith(leave), out[-80:]
    other = b"\x1b[8l" if enter != b"\x1b[8l" else b"\x1b]5379"
    assert other not in out
