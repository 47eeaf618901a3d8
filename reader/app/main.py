"""Starting the app: terminal set-up that must be undone however the app ends.

VTE (GNOME Terminal & co.), mintty and mlterm reorder bidi text themselves; reader draws
visual order itself, so it turns theirs off while it runs (:mod:`reader.app.terminal` says how).
"""

from __future__ import annotations

import atexit
import os
import sys

from reader.app.terminal import EXPLICIT_BIDI_OFF, EXPLICIT_BIDI_ON, bidi_sequences
from reader.core.config import Config

__all__ = ["EXPLICIT_BIDI_OFF", "EXPLICIT_BIDI_ON", "run_app"]


def _write_tty(sequence: str) -> None:
    try:
        if sys.__stdout__ is not None and sys.__stdout__.isatty():
            sys.__stdout__.write(sequence)
            sys.__stdout__.flush()
    except (OSError, ValueError):
        pass


def run_app(config: Config) -> int:
    """Run the Textual app until the user quits; return the exit code."""
    from reader.app.app import ReaderApp

    enter, leave = bidi_sequences(os.environ, config.rtl)
    manage_bidi = bool(enter) and not os.environ.get("READER_NO_BIDI_MODE")
    if manage_bidi:
        _write_tty(enter)
        atexit.register(_write_tty, leave)  # also after a crash
    try:
        app = ReaderApp(config)
        app.run()
        return app.return_code or 0
    finally:
        if manage_bidi:
            _write_tty(leave)
            atexit.unregister(_write_tty)
