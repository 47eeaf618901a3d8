"""A private X display (Xvfb) and real terminals on it (xterm, mlterm), driven with keys, read
back as text and photographed: the machinery of ``make screenshots``.

What callers may rely on:

- :func:`ensure_tools` installs the X tools when some are missing (``apt-get``, as root or
  through ``sudo -n``), or raises :class:`ScreensError` naming what is missing and how to get
  it.
- :class:`Display` starts Xvfb on a display number the server picks itself (``-displayfd``:
  never one already in use) and stops it on ``close``.
- :class:`Terminal` starts one terminal window running a command, finds its window, sends it
  keys and text (XTEST, to the focused window), reads its screen as text (xterm's
  ``print-immediate``, mlterm's ``snapshot``, both bound to ctrl+shift+F12 in the terminal
  itself: the program inside never sees that key), waits for text to appear, and takes a
  screenshot of the window. ``close`` ends the terminal and the program it ran (by the pids
  recorded when they started, never by name).
- Every failure is a :class:`ScreensError` with one line saying what did not happen, in which
  terminal; nothing here leaves a process running once ``close`` has been called.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.screens.images import Image, read_xwd

__all__ = ["Display", "ScreensError", "Terminal", "TerminalKind", "ensure_tools"]

DUMP_KEY = "ctrl+shift+F12"  # bound in the terminal to "write the screen as text"

# program -> the Debian package that has it
TOOLS = {
    "Xvfb": "xvfb",
    "xterm": "xterm",
    "mlterm": "mlterm",
    "xdotool": "xdotool",
    "xwd": "x11-apps",
    "xwininfo": "x11-utils",
    "fc-list": "fontconfig",
    "xmodmap": "x11-xserver-utils",
}


class ScreensError(Exception):
    """A screen did not appear, a tool is missing, a window is blank: one line saying which."""


def _missing() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def missing_fonts(fonts: Sequence[str]) -> list[str]:
    """The fonts of ``fonts`` (family names) fontconfig does not know."""
    known = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=False
    ).stdout
    families = {name.strip().lower() for line in known.splitlines() for name in line.split(",")}
    return [font for font in fonts if font.lower() not in families]


def ensure_tools(fonts: Sequence[str], packages: Sequence[str] = ()) -> None:
    """Install the missing X tools (and ``packages``, the fonts' packages) if need be."""
    missing = _missing()
    wanted = sorted({TOOLS[tool] for tool in missing} | set(packages))
    if missing or (fonts and shutil.which("fc-list") and missing_fonts(fonts)):
        wanted = sorted(set(wanted) | {"fonts-dejavu-core"})
        command = ["apt-get", "install", "-y", "--no-install-recommends", *wanted]
        if os.geteuid() != 0:
            command = ["sudo", "-n", *command]
        if shutil.which(command[0]) is None:
            raise ScreensError(
                f"missing {', '.join(missing) or 'fonts'}; install: {shlex.join(command)}"
            )
        print(f"installing {' '.join(wanted)} …", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:  # a stale package list: update it once and try again
            update = [*command[: command.index("apt-get")], "apt-get", "update"]
            subprocess.run(update, capture_output=True, env=env, check=False)
            done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise ScreensError(f"{shlex.join(command)} failed: {last}")
    still = _missing()
    if still:
        raise ScreensError(f"still missing after installing: {', '.join(still)}")
    absent = missing_fonts(fonts)
    if absent:
        raise ScreensError(f"font(s) not installed: {', '.join(absent)} (see fc-list)")


def _end(process: subprocess.Popen[bytes] | None, wait: float = 5.0) -> None:
    """End a process this module started (its own process group), politely then not."""
    if process is None or process.poll() is not None:
        return
    for sig, grace in ((signal.SIGTERM, wait), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


class Display:
    """Xvfb on a free display number (see the module docstring)."""

    def __init__(self, width: int = 1920, height: int = 1200) -> None:
        read, write = os.pipe()
        screen = f"{width}x{height}x24"
        argv = ["Xvfb", "-displayfd", str(write), "-screen", "0", screen, "-nolisten", "tcp"]
        argv.append("-noreset")  # else it resets when its last client leaves: maps lost
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            argv,
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            number = pipe.readline().strip()  # written once the server accepts clients
        if not number.isdigit():
            self.close()
            raise ScreensError("Xvfb did not start (it told no display number)")
        self.name = f":{number.decode()}"
        deadline = time.monotonic() + 20
        while not self._run("xwininfo", "-root").startswith("\nxwininfo"):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise ScreensError(f"Xvfb on {self.name} accepts no client")
            time.sleep(0.2)

    def _run(self, *argv: str) -> str:
        done = subprocess.run(list(argv), env=self.env(), capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else ""

    def map_characters(self, text: str) -> None:
        """Give every character of ``text`` that no key types a key of its own (empty keys
        first, then media keys): ``xdotool type`` otherwise remaps one spare key per character
        while it types, and a loaded terminal read the map after the next change and dropped
        or changed letters."""
        table = self._run("xmodmap", "-pke").splitlines()
        known = {word for line in table for word in line.partition("=")[2].split()}
        wanted = sorted({c for c in text if ord(c) > 0x7E and f"U{ord(c):04X}" not in known})
        free = [line.split()[1] for line in table if not line.partition("=")[2].split()]
        free += [line.split()[1] for line in table if " = XF86" in line]
        if len(wanted) > len(free):
            raise ScreensError(f"no free keys for {len(wanted)} characters to type")
        expressions = [
            f"keycode {k} = U{ord(c):04X} U{ord(c):04X}"
            for k, c in zip(free[: len(wanted)], wanted, strict=True)
        ]
        for expression in expressions:
            if subprocess.run(["xmodmap", "-e", expression], env=self.env()).returncode:
                raise ScreensError(f"xmodmap refused {expression!r}")

    def env(self) -> dict[str, str]:
        """The environment of a program that runs on this display."""
        return {**os.environ, "DISPLAY": self.name}

    def close(self) -> None:
        _end(self.process)
        self.process = None


@dataclass(frozen=True)
class TerminalKind:
    """One terminal to run: ``name`` is ``xterm`` or ``mlterm``; ``term`` is the TERM it sets
    ("" for its default); ``env`` is added to the program's environment; ``tag`` ends the
    label of a variant."""

    name: str
    columns: int
    rows: int
    font: str = "DejaVu Sans Mono"
    term: str = ""
    env: tuple[tuple[str, str], ...] = ()
    tag: str = ""

    @property
    def label(self) -> str:
        """A name for folders and messages, e.g. ``xterm-120x35``, ``mlterm-120x35-no-osc``."""
        return f"{self.name}-{self.columns}x{self.rows}" + (f"-{self.tag}" if self.tag else "")


class Terminal:
    """One terminal window running one program (see the module docstring)."""

    def __init__(self, display: Display, kind: TerminalKind, command: Sequence[str], work: Path):
        self.display, self.kind, self.work = display, kind, work
        self.title = f"reader-screens-{kind.label}-{os.getpid()}"
        self.dumps = work / f"dumps-{kind.label}"
        self.dumps.mkdir(parents=True, exist_ok=True)
        self.dump_glob = "screen*"  # the files the terminal writes its screen to
        self.pidfile = work / f"{kind.label}.pid"
        self.pidfile.unlink(missing_ok=True)
        # the program records its pid before it becomes the command, for ``close``
        wrapped = ["sh", "-c", f'echo $$ > {shlex.quote(str(self.pidfile))}; exec "$@"', "sh"]
        wrapped += ["env", *(f"{k}={v}" for k, v in kind.env), *command]
        env = display.env()
        if kind.name == "xterm":
            argv = [
                "xterm", "-title", self.title, "-geometry", f"{kind.columns}x{kind.rows}+0+0",
                "-fa", kind.font, "-fs", "12", "+sb",
                "-xrm", f"XTerm*printFileImmediate: {self.dumps}/screen",
                "-xrm", "XTerm*printAttributes: 0",
                "-xrm", "XTerm.VT100.translations: #override Ctrl Shift <Key>F12: "
                "print-immediate()",
            ]  # fmt: skip
            if kind.term:
                argv += ["-tn", kind.term]
        elif kind.name == "mlterm":
            home = work / f"home-{kind.label}"  # mlterm's own settings: its shortcut key
            (home / ".mlterm").mkdir(parents=True, exist_ok=True)
            (home / ".mlterm" / "key").write_text(
                'Control+Shift+F12="proto:snapshot"\n', encoding="utf-8"
            )
            env["HOME"] = str(home)
            self.dumps, self.dump_glob = home / ".mlterm", "*.snp"
            argv = [
                "mlterm", "-T", self.title, "-g", f"{kind.columns}x{kind.rows}+0+0",
                "-w", "16", f"--deffont={kind.font}", "--sb=false",
            ]  # fmt: skip
            if kind.term:
                argv += ["-y", kind.term]
        else:
            raise ScreensError(f"unknown terminal {kind.name!r}")
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [*argv, "-e", *wrapped],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(work / f"{kind.label}.stderr").open("wb"),
            start_new_session=True,
        )
        self.window = self._find_window()

    # ----- the window -----

    def _x(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            list(args), env=self.display.env(), capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            message = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise ScreensError(f"{self.kind.label}: {args[0]} {args[1]} failed: {message}")
        return done.stdout

    def _find_window(self, seconds: float = 30.0) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ScreensError(
                    f"{self.kind.label}: the terminal exited at once (code "
                    f"{self.process.returncode}; see {self.work / (self.kind.label + '.stderr')})"
                )
            found = self._x("xdotool", "search", "--name", f"^{self.title}$", check=False)
            if found.split():
                return found.split()[0]
            time.sleep(0.3)
        raise ScreensError(f"{self.kind.label}: no window appeared within {seconds:.0f} s")

    def alive(self) -> bool:
        """Whether the terminal's window is still there and shown."""
        info = self._x("xwininfo", "-id", self.window, check=False)
        return "IsViewable" in info

    def focus(self) -> None:
        self._x("xdotool", "windowfocus", "--sync", self.window)

    def keys(self, *names: str, pause: float = 0.4) -> None:
        """Press keys (xdotool names: Return, Tab, shift+Left, question...) one after another."""
        self.focus()
        for name in names:
            self._x("xdotool", "key", "--clearmodifiers", name)
            time.sleep(0.15)
        time.sleep(pause)

    def type(self, text: str, pause: float = 0.4) -> None:
        """Type ``text`` (any script: xdotool maps a spare key to each character)."""
        self.focus()
        self._x("xdotool", "type", "--delay", "80", text)
        time.sleep(pause)

    # ----- what it shows -----

    def screen_text(self, seconds: float = 10.0) -> str:
        """The terminal's screen as text, row by row (what the program drew, in the order it
        wrote the cells)."""
        for old in self.dumps.glob(self.dump_glob):
            old.unlink()
        self.keys(DUMP_KEY, pause=0.1)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = list(self.dumps.glob(self.dump_glob))
            if found:
                time.sleep(0.2)  # written whole (a screen is a few kilobytes)
                return found[0].read_text(encoding="utf-8", errors="replace")
            time.sleep(0.2)
        raise ScreensError(f"{self.kind.label}: the terminal wrote no text dump of its screen")

    def wait_for(self, what: str, condition: Callable[[str], bool], seconds: float = 90.0) -> str:
        """Read the screen until ``condition`` holds on its text; the text. Fails naming
        ``what`` (and the screen's first rows) when it does not within ``seconds``."""
        deadline = time.monotonic() + seconds
        text = ""
        while time.monotonic() < deadline:
            if not self.alive():
                raise ScreensError(f"{self.kind.label}: the window closed before {what}")
            text = self.screen_text()
            if condition(text):
                return text
            time.sleep(0.5)
        rows = " | ".join(row.strip()[:40] for row in text.splitlines()[:3])
        raise ScreensError(
            f"{self.kind.label}: {what} did not appear within {seconds:.0f} s (screen: {rows})"
        )

    def photograph(self) -> Image:
        """The window as it is on the display."""
        if not self.alive():
            raise ScreensError(f"{self.kind.label}: the window is gone, nothing to photograph")
        dump = subprocess.run(
            ["xwd", "-silent", "-id", self.window],
            env=self.display.env(),
            capture_output=True,
            check=False,
        )
        if dump.returncode != 0:
            raise ScreensError(f"{self.kind.label}: xwd could not read window {self.window}")
        try:
            return read_xwd(dump.stdout)
        except ValueError as error:
            raise ScreensError(f"{self.kind.label}: {error}") from error

    # ----- the end -----

    def wait_closed(self, seconds: float = 30.0) -> bool:
        """Wait for the terminal to end by itself (its program quit); whether it did."""
        if self.process is None:
            return True
        try:
            self.process.wait(seconds)
            return True
        except subprocess.TimeoutExpired:
            return False

    def close(self) -> None:
        """End the terminal and the program inside it, if they still run."""
        _end(self.process)
        self.process = None
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return  # it has ended
        if str(self.work).encode() in command:  # still ours (a pid is reused only later)
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    return
                time.sleep(1.0)
