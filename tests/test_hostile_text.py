"""Hostile text: an article written by someone who wants to hijack the fact-checker's terminal.

One generated article (title and body) holds escape sequences of every kind (colours, cursor
moves, clear screen, window title, hyperlink, clipboard, bracketed paste, DCS), C0 and C1
controls, a lone ESC at the end of a line, Rich/Textual markup look-alikes, bidi overrides and
isolates, zero-width characters, a letter under thousands of combining marks, emoji and ZWJ
sequences, wide CJK beside Arabic, a NUL past the part of the file that is sniffed for binary
content, and a 1 MB line without a space. It is indexed, found, shown in the app (in a real
pseudo-terminal, whose bytes are checked) and by ``reader show``, compared, noted and exported;
no escape sequence of the article ever reaches the output, markup is never interpreted, and the
app flags the article with a warning badge.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.search.index import update_index

# A CSI sequence (cursor moves, colours, modes) as a terminal is sent it: what lies between
# two characters of one frame that are not written in one run.
_CONTROL_SEQUENCE = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]")

HOSTILE_ID = "hostile"
SEED = "000_7b206ec7414ebb17"
ARABIC_SEED = "003_cf72655655ca3791"

# Each sequence the article holds that a terminal would act on. Textual, Rich and reader itself
# never write any of them (Textual writes other CSI sequences: cursor moves, colours, modes).
TITLE_OSC = "\x1b]0;PWNED\x07"
TITLE_OSC_ST = "\x1b]2;PWNED\x1b\\"
HYPERLINK = "\x1b]8;;https://evil.example/\x1b\\"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4K\x07"
DCS = "\x1bP+q544e\x1b\\"
SIXEL = "\x1bPq#0;2;0;0;0#1!10~-\x1b\\"
CLEAR = "\x1b[2J"
CLEAR_SCROLLBACK = "\x1b[3J"
AMBER = "\x1b[1;38;5;208m"
RESET = "\x1bc"
C1_CSI = "\x9b31m"
C1_OSC = "\x9d0;PWNED\x9c"
LONG_WORD = "Wallaby" * 150_000  # 1,050,000 characters, no space
# A letter under 5,100 combining marks (NFC, as reader stores every text).
ZALGO = unicodedata.normalize("NFC", "a" + "\u0301\u0316\u0337" * 1700)

TITLE = (
    f"Quokka report {TITLE_OSC} [bold red]FAKE[/] \u202eevil\u202c \x1b[31mred\x1b[0m "
    f"{TITLE_OSC_ST} \x9b2J end"
)
PARAGRAPHS = (
    f"Colours \x1b[31mred\x1b[0m and {AMBER}amber\x1b[0m; cursor \x1b[10;10H moved \x1b[5A up; "
    f"clear {CLEAR}{CLEAR_SCROLLBACK}\x1b[H screen; erase \x1b[K line; reset {RESET} terminal.",
    f"Titles {TITLE_OSC} and {TITLE_OSC_ST} are set by this paragraph.",
    f"Link {HYPERLINK}click here\x1b]8;;\x1b\\ and more.",
    f"Clipboard {CLIPBOARD} written here.",
    "Paste \x1b[?2004h on and \x1b[?2004l off; mouse \x1b[?1000h on; alternate \x1b[?1049l.",
    f"Device control {DCS} request and {SIXEL} sixel.",
    "Controls \x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
    "\x18\x19\x1a\x1c\x1d\x1e\x1f and delete \x7f here.",
    f"Eight-bit \x80\x81\x84\x85\x8d\x8e\x8f\x90PWNED\x9c {C1_CSI} {C1_OSC} \x9e\x9f end.",
    "Lone escape at the end of this line \x1b",
    "Markup [bold red]FAKE[/] and [@click=app.quit]x[/] and [link=file:///etc/passwd]passwd"
    "[/link] and stray [ and ] and [/] and [b]bold.",
    "Bidi \u202etxt.exe\u202c and \u2067hidden\u2069 and \u202dLRO\u202c and \u200fRLM "
    "\u061cALM \u202bRLE\u202c \u2066LRI\u2069 \u2068FSI\u2069.",
    "Zero width pay\u200bpal ad\u200dmin \ufeffBOM \u2060WJ soft\u00adhyphen \u200cZWNJ.",
    f"Zalgo {ZALGO} end of zalgo.",
    "Emoji \U0001f469\u200d\U0001f469\u200d\U0001f467 \U0001f44d\U0001f3fd "
    "\U0001f3f3\ufe0f\u200d\U0001f308 \U0001f1f1\U0001f1fe family "
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466.",
    "CJK 中文字符 mixed with حفتر في سرت 日本語テキスト and 한국어 text.",
    f"Long {LONG_WORD} done.",
    "A NUL \x00 byte far from the start of the file.",
)
BODY = "\n".join(PARAGRAPHS)

# (name, pattern) of what must never be in anything written: raw sequences of the article
# and, more broadly, any OSC that names PWNED or the article's links, any DCS/SOS/PM/APC string,
# and any C1 control (as a character: UTF-8 bytes C2 80..C2 9F).
FORBIDDEN: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("OSC naming the article's words", re.compile(rb"\x1b\][^\x07\x1b]*(PWNED|evil|passwd)")),
    ("OSC 0/2 window title", re.compile(rb"\x1b\][02];")),
    ("OSC 52 clipboard", re.compile(rb"\x1b\]52;")),
    ("OSC 8 hyperlink to the article's link", re.compile(rb"\x1b\]8;[^;]*;(https://evil|file:)")),
    ("DCS/SOS/PM/APC string", re.compile(rb"\x1b[PX^_]")),
    ("clear screen", re.compile(re.escape(CLEAR.encode()))),
    ("clear scrollback", re.compile(re.escape(CLEAR_SCROLLBACK.encode()))),
    ("the article's colour", re.compile(re.escape(AMBER.encode()))),
    ("full reset", re.compile(re.escape(RESET.encode()))),
    ("C1 control character", re.compile(rb"\xc2[\x80-\x9f]")),
)


def hostile_text() -> str:
    """The article's file content: the title line, a blank line, one paragraph a line."""
    return TITLE + "\n\n" + BODY + "\n"


# Metadata from the sidecar, and a file whose very name is an escape sequence.
SIDECAR = (
    'outlet = "Evil \\u001b]0;PWNED\\u0007 News"\n'
    'url = "https://evil.example/\\u001b]8;;file:///etc/passwd\\u001b\\\\"\n'
    "published = 2024-05-01\n"
)
OUTLET = "Evil \x1b]0;PWNED\x07 News"
NAMED_FILE = "named-\x1b]2;PWNED\x07.txt"
NAMED_ID = "named-␛]2;PWNED␇"  # ids never hold a control character
EMPTY_NAMED_FILE = "empty-\x1b]0;PWNED\x07.txt"


def write_hostile_article(folder: Path, name: str = f"{HOSTILE_ID}.txt") -> Path:
    """Write the hostile article (with its sidecar) and a file with a hostile name into
    ``folder`` (created if needed); return the article's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(hostile_text(), encoding="utf-8")
    path.with_suffix(".toml").write_text(SIDECAR, encoding="utf-8")
    (folder / NAMED_FILE).write_text(
        "Numbat sighting\n\nA numbat was seen near Sirte.\n", encoding="utf-8"
    )
    (folder / EMPTY_NAMED_FILE).write_bytes(b"")  # skipped, and the skip is reported
    return path


def assert_inert(output: bytes, what: str) -> None:
    """Nothing in ``output`` is an escape sequence or control of the article."""
    for name, pattern in FORBIDDEN:
        found = pattern.search(output)
        if found is not None:
            around = output[max(0, found.start() - 20) : found.end() + 20]
            raise AssertionError(f"{what}: {name} at byte {found.start()}: {around!r}")


# -- a corpus with the hostile article ---------------------------------------------------------


@pytest.fixture
def hostile_config(config_path: Path, corpus_dir: Path) -> Path:
    """The seeds plus the hostile article, indexed; the config that points at them."""
    write_hostile_article(corpus_dir)
    update_index(load_config(config_path))
    return config_path


def run_bytes(config: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI on a pipe and keep its output as bytes (to look for raw escapes)."""
    env = {k: v for k, v in os.environ.items() if k != "READER_CONFIG"}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "reader", "--config", str(config), *args],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


# -- a real pseudo-terminal ---------------------------------------------------------------------


class Terminal:
    """A process on a pseudo-terminal; everything it writes is kept, byte for byte."""

    def __init__(self, args: list[str], cwd: Path, columns: int, lines: int) -> None:
        self.master, slave = os.openpty()
        size = struct.pack("HHHH", lines, columns, 0, 0)
        fcntl_ioctl(slave, termios.TIOCSWINSZ, size)
        env = {k: v for k, v in os.environ.items() if k not in ("READER_CONFIG", "TMUX")}
        env.update(
            TERM="xterm-256color",
            COLUMNS=str(columns),
            LINES=str(lines),
            LANG="C.UTF-8",
            LC_ALL="C.UTF-8",
            PYTHONIOENCODING="utf-8",
        )
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True
        )
        os.close(slave)
        self._output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.1)
                if not ready:
                    if self.process.poll() is not None and not self._drain():
                        return
                    continue
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the other side is closed
                return
            if not chunk:
                return
            with self._lock:
                self._output += chunk

    def _drain(self) -> bool:
        ready, _, _ = select.select([self.master], [], [], 0)
        return bool(ready)

    @property
    def output(self) -> bytes:
        """Everything written so far."""
        with self._lock:
            return bytes(self._output)

    def send(self, keys: str) -> None:
        """Type ``keys`` (UTF-8) into the terminal."""
        os.write(self.master, keys.encode("utf-8"))

    def wait_for(
        self, needle: bytes, timeout: float = 60.0, start: int = 0, drawn: bool = False
    ) -> int:
        """Wait until ``needle`` has been written (after byte ``start``); return where it ends.
        ``drawn``: as the screen shows it, whatever control sequences the terminal was sent
        between its characters (a cursor move, a colour); then the end of the output."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            output = self.output
            if drawn and needle in _CONTROL_SEQUENCE.sub(b"", output[start:]):
                return len(output)
            at = output.find(needle, start)
            if at >= 0:
                return at + len(needle)
            if self.process.poll() is not None:
                # Gone: what it wrote last may still be in the terminal, not yet read. Let the
                # reader drain it (it stops at the end), then look once more.
                self._reader.join(timeout=max(0.0, deadline - time.monotonic()))
                at = self.output.find(needle, start)
                if at >= 0:
                    return at + len(needle)
                break
            time.sleep(0.05)
        tail = visible(self.output)[-2000:]
        raise AssertionError(f"{needle!r} never written; the screen text ends with:\n{tail}")

    def wait_quiet(self, start: int, quiet: float = 0.5, timeout: float = 60.0) -> None:
        """Wait until something has been written after byte ``start`` and then nothing more for
        ``quiet`` seconds: the app has handled the keys sent and is idle again (a loaded machine
        only makes this slower, never wrong, unlike a fixed sleep)."""
        deadline = time.monotonic() + timeout
        size, since = len(self.output), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = len(self.output)
            if now != size:
                size, since = now, time.monotonic()
            elif size > start and time.monotonic() - since >= quiet:
                return
            if self.process.poll() is not None:
                break
        tail = visible(self.output)[-2000:]
        raise AssertionError(f"the app never settled; the screen text ends with:\n{tail}")

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reader.join(timeout=10)
        os.close(self.master)


def fcntl_ioctl(fd: int, request: int, data: bytes) -> None:
    import fcntl

    fcntl.ioctl(fd, request, data)


@contextmanager
def terminal(args: list[str], cwd: Path, columns: int = 120, lines: int = 40) -> Iterator[Terminal]:
    """Run ``args`` on a new pseudo-terminal of that size; killed on the way out."""
    term = Terminal(args, cwd, columns, lines)
    try:
        yield term
    finally:
        term.close()


_ANY_ESCAPE = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][\s\S]*?\x1b\\"
    rb"|\x1b[ -/]*[0-~]"
)


def visible(output: bytes) -> str:
    """What was written with every escape sequence taken out (the text the screen shows)."""
    return _ANY_ESCAPE.sub(b"", output).decode("utf-8", errors="replace")


# -- the app, in a real pseudo-terminal ---------------------------------------------------------


def test_app_on_a_real_terminal_writes_no_escape_of_the_article(hostile_config: Path) -> None:
    args = [sys.executable, "-m", "reader", "--config", str(hostile_config)]
    with terminal(args, hostile_config.parent) as term:
        term.wait_for(b"7 articles")
        term.send("quokka")
        term.wait_for(b"1 result")
        before = len(term.output)
        term.send("\r")  # Enter in the box opens the best hit
        term.wait_quiet(before)
        at = len(term.output)
        term.send("\r")  # (and once more, as a user may: nothing is lost)
        term.wait_quiet(at)
        # The article and its badge, drawn since the first Enter (a later frame redraws only
        # what changed, so the badge need not be written again after the second).
        term.wait_for(b"Clipboard", start=before)
        term.wait_for(b"this text holds", start=before)  # the warning badge
        shown = len(term.output)
        # The note editor shows each sentence as the passage and, in a field, as the claim.
        term.send("\t")  # to the article
        for sentence in range(10):  # Colours ... Markup: every kind of escape
            term.send("]")
            at = len(term.output)
            term.send("a")
            term.wait_for(b"Claim (the checkable", start=at)
            # The editor is drawn and its claim has the focus. Its cursor blinks, a small write
            # every 0.5 s, so "nothing written for 0.5 s" may never come (a CI run waited 60 s
            # for it); a gap of 0.3 s between blinks is the app idle.
            term.wait_quiet(at, quiet=0.3)
            if sentence < 9:
                at = len(term.output)
                # Cancel with Escape as the kitty keyboard protocol sends it (CSI 27 u), which
                # Textual reads as Escape at once. A lone ESC byte is Escape only once nothing
                # follows it for 100 ms after it is read: on a loaded machine it could still be
                # unread when the next "]" went, and "ESC ] a" is then read as alt+] and "a"
                # (Textual's parser, checked), the editor left open. The test failed now and
                # then under load (a CI run; 1 of 6 runs beside other work here).
                term.send("\x1b[27u")
                # Closed: the article's own footer is drawn again.
                term.wait_for(b"Annotate", start=at)
                term.wait_quiet(at)
        at = len(term.output)
        term.send("\x13")  # ctrl+s: save a note on the markup sentence; the panel shows it
        try:
            # (a frame written in pieces under load may put a cursor move inside the words)
            term.wait_for(b"saved ", start=at, drawn=True)
        except AssertionError as failed:
            # Rare under load (1 run in ~40): tell "never saved" from "saved, not shown".
            notes = hostile_config.parent / "notes" / f"{HOSTILE_ID}.toml"
            kept = notes.read_text(encoding="utf-8") if notes.is_file() else "(no notes file)"
            drawn = visible(term.output[at:])[-3000:]
            raise AssertionError(
                f"{failed}\n--- drawn after ctrl+s:\n{drawn}\n--- notes file:\n{kept}"
            ) from None
        term.wait_quiet(at)
        saved = len(term.output)
        term.send("q")
        term.process.wait(timeout=60)
    output = term.output
    assert term.process.returncode == 0, visible(output)[-2000:]
    assert_inert(output, "the app")
    screen = visible(output[before:shown])
    # The article is on the screen, escapes and markup as visible text.
    for words in ("Quokka report", "␛]0;PWNED␇", "[bold red]FAKE[/]", "␛]52;c;", "Clipboard"):
        assert words in screen, words
    assert "[@click=app.quit]x[/]" in screen
    panel = visible(output[at:saved])  # the notes panel lists the new note, markup as text
    assert "[bold red]FAKE[/]" in panel and "unverified" in panel
    assert (hostile_config.parent / "notes" / f"{HOSTILE_ID}.toml").is_file()


def test_the_checks_catch_the_raw_article(tmp_path: Path) -> None:
    """The byte checks above can fail: the article printed raw trips every one of them."""
    path = write_hostile_article(tmp_path)
    with terminal(["cat", str(path)], tmp_path) as term:
        term.process.wait(timeout=30)
        term.wait_for(b"far from the start")
    output = term.output
    for name, pattern in FORBIDDEN:
        assert pattern.search(output), name
    with pytest.raises(AssertionError):
        assert_inert(output, "cat")


# -- the command line ---------------------------------------------------------------------------


def test_show_visual_on_a_terminal_and_logical_on_a_pipe(hostile_config: Path) -> None:
    args = [sys.executable, "-m", "reader", "--config", str(hostile_config), "show", HOSTILE_ID]
    with terminal([*args, "--visual", "--width", "100"], hostile_config.parent) as term:
        term.process.wait(timeout=120)
        term.wait_for(b"far from the start")
    output = term.output
    assert term.process.returncode == 0, visible(output)[-2000:]
    assert b"\x1b[1m" in output  # Rich's own bold: this really was a terminal
    assert_inert(output, "reader show --visual")
    shown = visible(output)
    for words in ("Quokka report", "␛]0;PWNED␇", "[bold red]FAKE[/]", "␛]52;c;", "␛Pq#0"):
        assert words in shown, words
    # The long word is folded at the width (on rows of its own), not cut.
    assert f"Long\r\n{LONG_WORD[:100]}\r\n" in shown
    assert f"{LONG_WORD}done." in shown.replace("\r\n", "")
    assert "\u202e" not in shown and "\u200b" not in shown  # applied or hidden, never written

    logical = run_bytes(hostile_config, "show", HOSTILE_ID, "--logical")
    assert logical.returncode == 0, logical.stderr
    assert_inert(logical.stdout, "reader show --logical")
    text = logical.stdout.decode("utf-8")
    assert "␛]2;PWNED␛\\" in text and LONG_WORD in text
    assert "\u202etxt.exe\u202c" in text  # logical text as stored, controls drawn as symbols

    as_json = run_bytes(hostile_config, "show", HOSTILE_ID, "--json")
    assert_inert(as_json.stdout, "reader show --json")
    record = json.loads(as_json.stdout)
    assert (record["title"], record["body"]) == (TITLE, BODY)  # nothing lost in JSON


def test_search_text_and_json(hostile_config: Path) -> None:
    for query in ("quokka", "Clipboard", "FAKE", "حفتر", "Wallaby*"):
        text = run_bytes(hostile_config, "search", query)
        assert text.returncode == 0, text.stderr
        assert_inert(text.stdout, f"reader search {query}")
        assert HOSTILE_ID.encode() in text.stdout, query
        as_json = run_bytes(hostile_config, "search", query, "--json")
        assert_inert(as_json.stdout, f"reader search {query} --json")
        hits = [json.loads(line) for line in as_json.stdout.decode().splitlines()]
        assert TITLE in [hit["title"] for hit in hits], query
    found = run_bytes(hostile_config, "search", "quokka").stdout.decode()
    assert "␛]0;PWNED␇ [bold red]FAKE[/]" in found and "Evil ␛]0;PWNED␇ News" in found
    named = run_bytes(hostile_config, "search", "numbat")
    assert_inert(named.stdout, "reader search numbat")
    assert named.stdout.decode().startswith(NAMED_ID)
    (record,) = [
        json.loads(line)
        for line in run_bytes(hostile_config, "search", "numbat", "--json").stdout.splitlines()
    ]
    assert record["id"] == NAMED_ID
    assert run_bytes(hostile_config, "show", NAMED_ID, "--logical").returncode == 0


def test_index_reports_a_hostile_file_name_inertly(hostile_config: Path) -> None:
    result = run_bytes(hostile_config, "index", "--rebuild")
    assert result.returncode == 0, result.stderr
    assert_inert(result.stderr, "reader index")
    assert "empty-␛]0;PWNED␇.txt: skipped: empty file" in result.stderr.decode()


def test_compare_with_a_seed(hostile_config: Path) -> None:
    for ids in ((HOSTILE_ID, SEED), (ARABIC_SEED, HOSTILE_ID)):
        text = run_bytes(hostile_config, "compare", *ids)
        assert text.returncode == 0, text.stderr
        assert_inert(text.stdout, "reader compare")
        assert "Quokka report ␛]0;PWNED␇" in text.stdout.decode()
        as_json = run_bytes(hostile_config, "compare", *ids, "--json")
        assert as_json.returncode == 0, as_json.stderr
        assert_inert(as_json.stdout, "reader compare --json")
        record = json.loads(as_json.stdout)
        assert TITLE in [article["title"] for article in record["articles"]]


QUOTE = f"Titles {TITLE_OSC} and {TITLE_OSC_ST}"


def test_notes_add_list_and_export_every_format(hostile_config: Path, tmp_path: Path) -> None:
    added = run_bytes(
        hostile_config,
        *("notes", "add", HOSTILE_ID, "--quote", QUOTE, "--verdict", "false"),
        *("--note", f"my {CLEAR} note [bold]x[/] {C1_CSI}", "--tag", C1_OSC),
        *("--claim", f"{HYPERLINK}claim", "--evidence", SEED),
    )
    assert added.returncode == 0, added.stderr
    again = run_bytes(hostile_config, "notes", "add", HOSTILE_ID, "--quote", ZALGO)
    assert again.returncode == 0, again.stderr
    many = run_bytes(hostile_config, "notes", "add", HOSTILE_ID, "--quote", "Wallaby")
    assert many.returncode == 2 and b"150000 times" in many.stderr
    assert len(many.stderr) < 5000  # a few examples, not 150,000 lines

    for args in (("notes", "list"), ("notes", "list", HOSTILE_ID, "--json")):
        listed = run_bytes(hostile_config, *args)
        assert listed.returncode == 0, listed.stderr
        assert_inert(listed.stdout, " ".join(args))
        assert b"PWNED" in listed.stdout
    exports: dict[str, bytes] = {}
    for form in ("claimreview", "markdown", "csv"):
        printed = run_bytes(hostile_config, "notes", "export", "--format", form)
        assert printed.returncode == 0, printed.stderr
        assert_inert(printed.stdout, f"notes export --format {form}")
        out = tmp_path / f"export.{form}"
        written = run_bytes(hostile_config, "notes", "export", "--format", form, "--out", str(out))
        assert written.returncode == 0, written.stderr
        assert_inert(out.read_bytes(), f"notes export --format {form} --out")
        exports[form] = out.read_bytes()
    (review,) = json.loads(exports["claimreview"])  # the zalgo note is unverified: not rated
    assert review["claimReviewed"] == f"{HYPERLINK}claim"  # JSON escapes it: nothing lost
    assert review["itemReviewed"]["appearance"][0]["headline"] == TITLE
    report = exports["markdown"].decode("utf-8")
    assert "> Titles ␛\\]0;PWNED␇ and ␛\\]2;PWNED␛\\\\" in report  # visible, inert Markdown
    assert "\\[bold red\\]FAKE\\[/\\]" in report
    rows = list(csv.DictReader(io.StringIO(exports["csv"].decode("utf-8"), newline="")))
    assert [row["verdict"] for row in rows] == ["false", "unverified"]
    assert rows[0]["quote"] == "Titles ␛]0;PWNED␇ and ␛]2;PWNED␛\\"
    assert rows[1]["quote"] == ZALGO


# -- the app, under Textual's pilot -------------------------------------------------------------


async def test_app_badge_markup_and_the_end_of_the_long_line(hostile_config: Path) -> None:
    from textual.widgets import Input

    from reader.app.app import ReaderApp
    from reader.app.widgets.article_view import ArticleView
    from reader.app.widgets.header import ArticleHeader, warning_text
    from tests.test_app import search_and_open, settle

    app = ReaderApp(load_config(hostile_config))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "quokka", HOSTILE_ID)
        header = app.query_one(ArticleHeader)
        assert header.article is not None
        badge = warning_text(header.article)
        for kind in ("bidi control", "control character(s) or escape", "zero-width"):
            assert kind in badge, badge
        screen = app.export_screenshot().replace("&#160;", " ")
        assert "this text holds" in screen  # the badge is on the screen
        assert "[bold red]FAKE[/]" in screen and "\x1b" not in screen
        # A click on the link look-alike is a click on text: nothing runs, nothing quits.
        view = app.query_one(ArticleView)
        layout = view.text_layout
        assert layout is not None
        place = layout.logical_to_visual(BODY.index("[@click=app.quit]x[/]") + 3)
        assert place is not None
        view.scroll_to(y=place[0], animate=False)
        await pilot.pause()
        row, col = place[0] - view.scroll_offset.y, place[1]
        await pilot.click(ArticleView, offset=(col + 1, row))
        await settle(pilot, app)
        assert app.is_running and app.return_code is None
        # The 1 MB line is laid out to its end and can be scrolled to.
        view.focus()
        view.scroll_end(animate=False)
        await pilot.pause()
        last = [view.render_line(y).text for y in range(view.scrollable_content_region.height)]
        assert any("far from the start" in line for line in last), last
        assert any("Wallaby" in line or "allaby" in line for line in last)
        assert app.query_one("#search", Input).value == "quokka"


# -- the app in tmux: a terminal emulator that obeys titles and clipboard writes ---------------


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_app_in_tmux_keeps_the_window_title_and_the_clipboard(
    hostile_config: Path, tmp_path: Path
) -> None:
    socket = f"reader-hostile-{uuid.uuid4().hex[:8]}"  # a private tmux server
    conf = tmp_path / "tmux.conf"
    conf.write_text("set -g set-clipboard on\nset -g allow-rename on\n", encoding="utf-8")

    def tmux(*args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", socket, "-f", str(conf), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout

    def wait_for(*needles: str) -> str:
        """The screen once every needle is on it at the same time: a capture can fall between
        two writes of one frame, so a needle seen alone says nothing about the rest."""
        screen = ""
        for _ in range(300):
            screen = tmux("capture-pane", "-p", "-t", "h")
            if all(needle in screen for needle in needles):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{needles!r} never all appeared on screen:\n{screen}")

    env = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color"
    command = f"env {env} {sys.executable} -m reader --config {hostile_config}"
    tmux("new-session", "-d", "-s", "h", "-x", "120", "-y", "40", command)
    try:
        wait_for("7 articles")
        title = tmux("display", "-p", "-t", "h", "#{pane_title}")
        tmux("send-keys", "-t", "h", "-l", "quokka")
        wait_for("1 result")
        tmux("send-keys", "-t", "h", "Enter")
        time.sleep(0.3)
        tmux("send-keys", "-t", "h", "Enter")
        # The article is open: its escapes shown as symbols, the badge above it.
        wait_for("Clipboard ␛]52;c;", "this text holds", "[bold red]FAKE[/]")
        assert tmux("display", "-p", "-t", "h", "#{pane_title}") == title
        assert "PWNED" not in title
        assert tmux("list-buffers") == ""  # no clipboard write reached tmux
        tmux("send-keys", "-t", "h", "q")
    finally:
        tmux("kill-server")


async def test_note_editor_shows_escapes_as_symbols_and_keeps_the_text(
    hostile_config: Path,
) -> None:
    from textual.widgets import Input, OptionList

    from reader.app.app import ReaderApp
    from reader.app.screens.note_editor import NoteEditor
    from reader.app.widgets.article_view import ArticleView
    from reader.app.widgets.bidi_text_area import BidiTextArea
    from reader.app.widgets.notes_panel import NotesPanel
    from reader.core.notes.store import NotesStore
    from tests.test_app import search_and_open, settle

    config = load_config(hostile_config)
    sentence = f"Titles {TITLE_OSC} and {TITLE_OSC_ST} are set by this paragraph."
    app = ReaderApp(config)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "quokka", HOSTILE_ID)
        view = app.query_one(ArticleView)
        start = BODY.index(sentence)
        view.select(start, start + len(sentence))
        view.focus()
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        claim = editor.query_one("#claim", Input).value
        assert claim == "Titles ␛]0;PWNED␇ and ␛]2;PWNED␛\\ are set by this paragraph."
        editor.query_one("#note", BidiTextArea).text = "typed by me"
        await pilot.press("ctrl+s")  # the claim field was left as shown
        await settle(pilot, app)
        (note,) = NotesStore(config).load(HOSTILE_ID)
        assert note.claim == sentence and note.exact == sentence  # the escapes, as written
        # Editing it again shows symbols; saving it unchanged changes nothing.
        panel = app.query_one(NotesPanel)
        assert [n.id for n in panel.notes] == [note.id]
        panel.query_one("#notes-list", OptionList).highlighted = 0
        panel.action_edit()
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert "\x1b" not in app.screen.query_one("#claim", Input).value
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    (again,) = NotesStore(config).load(HOSTILE_ID)
    assert again.identical(note)
