"""Starting the app: terminal set-up that must be undone however the app ends."""

from __future__ import annotations

import atexit
import os
import sys

from reader.core.config import Config

# VTE (GNOME Terminal & co.) and mintty reorder bidi text themselves unless put in "explicit"
# mode; reader draws visual order itself, so it turns theirs off while it runs.
EXPLICIT_BIDI_ON = "\x1b[8l"
EXPLICIT_BIDI_OFF = "\x1b[8h"


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

    manage_bidi = config.rtl == "app" and not os.environ.get("READER_NO_BIDI_MODE")
    if manage_bidi:
        _write_tty(EXPLICIT_BIDI_ON)
        atexit.register(_write_tty, EXPLICIT_BIDI_OFF)  # also after a crash
    try:
        app = ReaderApp(config)
        app.run()
        return app.return_code or 0
    finally:
        if manage_bidi:
            _write_tty(EXPLICIT_BIDI_OFF)
            atexit.unregister(_write_tty)
