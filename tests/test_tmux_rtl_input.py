"""The real ``reader`` in tmux at 80x24: an Arabic query typed into the search bar reads
right (shaped, right-aligned), the keys work from the start, and the footer is whole."""

from __future__ import annotations

import shutil
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.test_tmux import tmux, wait_for

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_an_arabic_query_in_the_search_bar_at_80x24(config_path: Path) -> None:
    session = f"reader-test-{uuid.uuid4().hex[:8]}"
    env = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color READER_NO_BIDI_MODE=1"
    command = f"{env} {sys.executable} -m reader --config {config_path}"
    tmux("-u", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    try:
        wait_for(session, "5 articles")
        tmux("send-keys", "-t", session, "-l", "حفتر")
        screen = wait_for(session, "ﺮﺘﻔﺣ")  # shaped, in visual order (fribidi's row)
        box = screen.splitlines()[1]  # the search bar's text row
        assert "حفتر" not in screen  # never the storage order
        left = box.split("│")[0]  # the results pane: the bar is right-aligned in it
        assert left.rstrip(" ▎").endswith("ﺮﺘﻔﺣ"), repr(left)
        tmux("send-keys", "-t", session, "Escape")
        time.sleep(0.6)
        screen = wait_for(session, "q Quit")  # out of the bar: the whole footer
        tmux("send-keys", "-t", session, "?")
        wait_for(session, "reader: keys")
        tmux("send-keys", "-t", session, "Escape")
        time.sleep(0.6)
        tmux("send-keys", "-t", session, "q")
    finally:
        tmux("kill-session", "-t", session)
