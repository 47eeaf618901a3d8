"""When the terminal goes: an app whose terminal closed under it (its window shut, `make run`
in a killed tmux session) is not always sent SIGHUP, and Textual's own exit then waits forever
to write to the dead terminal, so the app would spin there. :func:`leave_when_the_terminal_goes`
watches for it and ends the process, keeping what the user wrote."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import App

from reader.app.screens.note_editor import NoteEditor, draft_from_fields
from reader.core.notes.store import NotesStore

CHECK_SECONDS = 1.0  # how often the app checks that its terminal is still there


def leave_when_the_terminal_goes(app: App[Any], store: NotesStore, notes_dir: Path) -> None:
    """From now on, once ``app``'s terminal is gone: the notes ``store`` still holds are saved,
    a note being written in an editor is kept beside the notes (:func:`rescue_open_editors`),
    and the process ends. Nothing is watched when the app did not start on a terminal
    (headless tests, a pipe)."""
    if sys.__stdin__ is None or not sys.__stdin__.isatty():
        return

    def check() -> None:
        if sys.__stdin__ is not None and sys.__stdin__.isatty():
            return
        rescue_open_editors(app.screen_stack, notes_dir)
        with contextlib.suppress(Exception):  # the store kept them in its rescue file
            store.flush()
        os._exit(0)

    app.set_interval(CHECK_SECONDS, check)


def rescue_open_editors(screens: Iterable[object], notes_dir: Path) -> list[Path]:
    """Keep what the note editors among ``screens`` hold, when it differs from what they were
    opened with, in ``notes_dir/unsaved-note-<time>-<n>.txt`` (plain text: the passage and
    every field), for a person to copy back: the app is ending without a chance to ask (its
    terminal is gone). Never raises; returns the files written."""
    from datetime import datetime

    from reader.core.files.safe_write import write_atomically

    written: list[Path] = []
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for n, screen in enumerate(screens):
        if not isinstance(screen, NoteEditor):
            continue
        try:
            original = screen._original()
            draft = draft_from_fields(original, screen.fields(), screen.passage)
            if draft == original:
                continue
            lines = [
                "A note that was being written when reader's terminal closed.",
                f"passage: {screen.passage}",
                f"claim: {draft.claim}",
                f"verdict: {draft.verdict}",
                f"tags: {', '.join(draft.tags)}",
                "note:",
                draft.note,
                *(
                    f"evidence: {e.url or e.article} | {e.quote} | {e.comment}"
                    for e in draft.evidence
                ),
            ]
            path = notes_dir / f"unsaved-note-{stamp}-{n}.txt"
            notes_dir.mkdir(parents=True, exist_ok=True)
            write_atomically(path, ("\n".join(lines) + "\n").encode("utf-8"))
            written.append(path)
        except Exception:
            continue
    return written
