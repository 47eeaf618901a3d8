"""``make screenshots``: reader in real terminals under Xvfb, photographed screen by screen, for a
person to look at (Arabic right to left and joined in every pane; what each terminal does).

Run from the repository root: ``python -m tests.screens [--out DIR] [--only LABEL...]
[--font FAMILY]``. It installs the X tools if they are missing (``apt-get``), copies the seeds
into a throwaway folder with its own config, index, notes and state, starts Xvfb on a free
display and, for each run, a terminal with the app in it:

- ``xterm-120x35``: xterm as installed (TERM=xterm: 16 colours), DejaVu Sans Mono;
- ``xterm-80x24``: xterm with TERM=xterm-256color and COLORTERM=truecolor (24-bit colours);
- ``mlterm-120x35``: mlterm, which reorders and shapes Arabic itself unless told not to: reader
  finds it by ``MLTERM`` and sends ``ESC ] 5379 ; use_ctl=false BEL``;
- ``mlterm-120x35-no-osc``: the same without that sequence (``READER_NO_BIDI_MODE=1``), the
  search and the article only: what mlterm does to reader's rows by itself.

Each run types حفتر in the search box, opens the Arabic article with Enter, selects a clause
word by word, writes a note with an Arabic claim and a mixed Arabic/English note (saved to the
throwaway notes folder, then checked there), opens the compare view with ``c``, selects words
in its Arabic column, and shows the help with ``?``. Every screen is waited for on the
terminal's own text dump of its screen, and its PNG (with the text beside it, ``.txt``) is
saved as ``OUT/RUN/NN-screen.png``. It stops with exit code 1 and one line saying what did not
appear, or which image came out blank or unchanged; it ends every process it started.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.screens.images import Image, write_png
from tests.screens.xsession import Display, ScreensError, Terminal, TerminalKind, ensure_tools

ROOT = Path(__file__).resolve().parents[2]
QUERY = "حفتر"
QUERY_SHOWN = "ﺮﺘﻔﺣ"  # the query shaped, in visual order: how the box must show it
CLAIM = "قوات الجيش في Sirte 2020"
CLAIM_SHOWN = "Sirte 2020 ﻲﻓ ﺶﻴﺠﻟﺍ ﺕﺍﻮﻗ"  # fribidi's row of the claim
NOTE = "بيان رسمي نشر في 5 مايو"
NOTE_SHOWN = "ﻮﻳﺎﻣ 5 ﻲﻓ ﺮﺸﻧ ﻲﻤﺳﺭ ﻥﺎﻴﺑ"  # fribidi's row of the note's Arabic line
TITLE_WORD = "ﻱﺭﺎﻤﺴﻤﻟﺍ"  # المسماري shaped: the first word of the Arabic article's title
MIN_COLOURS = 8  # anti-aliased text on a background has dozens; a blank window has 1


def runs(font: str) -> list[tuple[TerminalKind, bool]]:
    """(terminal, whether the whole flow runs) in the default order."""
    truecolor = (("COLORTERM", "truecolor"),)
    no_osc = (("READER_NO_BIDI_MODE", "1"),)
    return [
        (TerminalKind("xterm", 120, 35, font), True),
        (TerminalKind("xterm", 80, 24, font, "xterm-256color", truecolor), True),
        (TerminalKind("mlterm", 120, 35, font), True),
        (TerminalKind("mlterm", 120, 35, font, env=no_osc, tag="no-osc"), False),
    ]


def prepare(data: Path) -> None:
    """A copy of the seeds in ``data`` with its own config (no session kept), indexed."""
    shutil.copytree(ROOT / "seeds", data / "corpus")
    (data / "config.toml").write_text(
        '[corpus]\npaths = ["corpus"]\n\n[storage]\ndata_dir = "data"\nnotes_dir = "notes"\n\n'
        "[session]\nrestore = false\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--config", str(data / "config.toml"), "index"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ScreensError(f"reader index failed on the seeds: {last}")


class Run:
    """One terminal's screens: each waited for, photographed, checked, saved."""

    def __init__(self, terminal: Terminal, out: Path, notes: Path) -> None:
        self.terminal, self.out, self.notes = terminal, out, notes
        self.count = 0
        self.last: Image | None = None
        out.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str, what: str, condition: Callable[[str], bool]) -> str:
        """Wait for the screen, photograph it, check the picture, save both; the text."""
        text = self.terminal.wait_for(what, condition)
        time.sleep(0.8)  # the frame after the one that holds the text (styles, cursor)
        image = self.terminal.photograph()
        text = self.terminal.screen_text()
        where = f"{self.terminal.kind.label}: {name}"
        if image.colours() < MIN_COLOURS:
            raise ScreensError(f"{where}: the picture is blank ({image.colours()} colour(s))")
        if self.last is not None and not image.differs_from(self.last):
            raise ScreensError(f"{where}: the picture did not change from the screen before")
        self.last = image
        self.count += 1
        path = self.out / f"{self.count:02d}-{name}.png"
        write_png(image, path)
        path.with_suffix(".txt").write_text(text, encoding="utf-8")
        return text

    def saved_notes(self) -> str:
        return "".join(p.read_text(encoding="utf-8") for p in sorted(self.notes.glob("*.toml")))


def _box_row(text: str) -> str:
    rows = text.splitlines()
    return rows[1] if len(rows) > 1 else ""


def flow(run: Run, whole: bool) -> None:
    """The screens of one terminal (see the module docstring)."""
    t = run.terminal
    run.shot("start", "the search screen", lambda s: "5 articles" in s)
    t.type(QUERY)
    if whole:
        text = run.shot(
            "search",
            "حفتر in the search box and the Arabic article among the results",
            lambda s: QUERY_SHOWN in _box_row(s) and TITLE_WORD in s,
        )
        if QUERY in _box_row(text):
            raise ScreensError(f"{t.kind.label}: the search box shows حفتر in storage order")
    else:  # the terminal reorders on its own: its text shows the letters in its order
        text = run.shot(
            "search",
            "the letters of حفتر in the search box",
            lambda s: set(QUERY_SHOWN) <= set(_box_row(s)) and "5 results" in s,
        )
        shown = "".join(c for c in _box_row(text) if c in QUERY_SHOWN)
        order = "as reader drew it" if shown == QUERY_SHOWN else "reordered by the terminal"
        print(f"{t.kind.label}: the terminal's own text of the box: {shown} ({order})")
    t.keys("Return")
    run.shot("article", "the Arabic article opened at its hit", lambda s: "hit 1 of 1" in s)
    if not whole:
        return
    t.keys("Tab", "bracketright", "Left", "Left", "Left", "shift+Left", "shift+Left")
    run.shot("selection", "the article after a clause was selected", lambda s: "hit 1" in s)
    t.keys("a")
    t.wait_for("the note editor", lambda s: "Passage" in s and "Claim" in s)
    t.keys("shift+Tab", "ctrl+u")
    t.type(CLAIM)
    run.shot("editor", "the Arabic claim in the editor", lambda s: CLAIM_SHOWN in s)
    t.keys("Tab", "Tab", "Tab")
    t.type(NOTE)
    t.keys("Return")
    t.type("AP 12")
    run.shot("editor-note", "the mixed note in the editor", lambda s: NOTE_SHOWN in s)
    t.keys("ctrl+s")
    run.shot("saved", "the article again, the editor closed", lambda s: "Passage" not in s)
    deadline = time.monotonic() + 30
    while CLAIM not in run.saved_notes() and time.monotonic() < deadline:
        time.sleep(0.3)
    written = run.saved_notes()
    if f'claim = "{CLAIM}"' not in written or 'exact = "الجيش الوطني الليبي"' not in written:
        raise ScreensError(f"{t.kind.label}: the note was not saved as typed: {written[:200]!r}")
    t.keys("c")
    run.shot(
        "compare",
        "the compare view with the Arabic column",
        lambda s: "Divergences" in s and "[1] Arabic" in s,
    )
    t.keys("bracketright", "Left", "Left", "shift+Left", "shift+Left")
    run.shot("compare-selection", "the compare view", lambda s: "Divergences" in s)
    t.keys("Escape")
    t.wait_for("the article after the compare view", lambda s: "Divergences" not in s)
    t.keys("question")
    run.shot("help", "the help screen", lambda s: "reader: keys" in s)
    t.keys("Escape")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.screens", description=__doc__)
    parser.add_argument("--out", type=Path, help="where the PNGs go (default: a new /tmp folder)")
    parser.add_argument("--only", action="append", default=[], help="a run's label (repeatable)")
    parser.add_argument("--font", default="DejaVu Sans Mono", help="the terminals' font family")
    args = parser.parse_args(argv)
    chosen = [(k, w) for k, w in runs(args.font) if not args.only or k.label in args.only]
    if not chosen:
        print(f"make screenshots: no run is called {', '.join(args.only)}", file=sys.stderr)
        return 2
    # killed politely (SIGTERM): still end the terminals and Xvfb (the finally below)
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit(143))
    out = args.out or Path(tempfile.mkdtemp(prefix="reader-screens-"))
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="reader-screens-work-"))
    display: Display | None = None
    terminal: Terminal | None = None
    try:
        ensure_tools([args.font])
        display = Display()
        display.map_characters(QUERY + CLAIM + NOTE)
        for kind, whole in chosen:
            name = kind.label
            data = work / name
            prepare(data)
            command = [sys.executable, "-m", "reader", "--config", str(data / "config.toml")]
            command = ["env", "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
                       f"XDG_STATE_HOME={data / 'state'}", *command]  # fmt: skip
            terminal = Terminal(display, kind, command, data)
            run = Run(terminal, out / name, data / "notes")
            flow(run, whole)
            terminal.keys("q")
            if not terminal.wait_closed():
                raise ScreensError(f"{name}: q did not end the app within 30 s")
            terminal.close()
            terminal = None
            print(f"{name}: {run.count} screens in {out / name}", flush=True)
    except ScreensError as error:
        print(f"make screenshots: {error} (logs: {work})", file=sys.stderr)
        return 1
    else:
        shutil.rmtree(work, ignore_errors=True)
    finally:
        if terminal is not None:
            terminal.close()
        if display is not None:
            display.close()
    print(f"screenshots: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
