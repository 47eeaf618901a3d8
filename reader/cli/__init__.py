"""Command-line face of reader: ``reader [COMMAND] ...``; with no command, the app opens.

Each command lives in its own module under ``reader.cli`` and exposes ``add_parser(subparsers)``,
which registers an argparse sub-parser whose ``func`` default is ``run(args, config) -> int``.
Modules are imported only for the command that runs, so ``reader search`` never imports Textual.
Exit codes: 0 success, 1 runtime failure, 2 bad input (usage, config, query).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType

from reader import __version__

# command name -> module (relative to reader.cli) and one-line help.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init_cmd", "write a commented config.toml naming a corpus folder"),
    "index": ("index_cmd", "bring the search index up to date with the corpus folders"),
    "add": ("add_cmd", "save pages, feeds or files into the library folder and index them"),
    "search": ("search_cmd", "search the corpus"),
    "show": ("show_cmd", "print one article"),
    "notes": ("notes_cmd", "list, add, export and import verification notes"),
    "events": ("events_cmd", "list events: groups of articles covering the same story"),
    "compare": ("compare_cmd", "compare articles passage by passage, with divergences"),
}


# How warn() lays out a line on a terminal: the config's [display] rtl and harakat, once it
# is read (main sets them); before that, reader's own layout.
_STDERR_LAYOUT: list[str] = ["app", "keep"]


def use_layout(rtl: str, harakat: str) -> None:
    """Lay out what :func:`warn` prints on a terminal with these ``[display]`` options."""
    _STDERR_LAYOUT[:] = [rtl, harakat]


def terminal_columns() -> int:
    """The width printed output is laid out at, as ``shutil.get_terminal_size((80, 24))``
    gives it: ``$COLUMNS`` when a positive number, else the width of the terminal on stdout,
    else 80. Every printer's width comes from here."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def stderr_line(line: str) -> str:
    """``line`` as :func:`warn` writes it: made one line (:func:`one_line`); on a terminal,
    a line with right-to-left text laid out as the listings on stdout are (shaped, visual
    order, wrapped at the terminal's width); on a pipe or a file, logical text."""
    from reader.core.text.sanitize import one_line

    shown = one_line(line)
    isatty = getattr(sys.stderr, "isatty", None)
    if shown.isascii() or not (isatty and isatty()):
        return shown
    from reader.core.text.field import visual_message

    width = terminal_columns()
    rtl, harakat = _STDERR_LAYOUT
    return visual_message(shown, max(width, 1), mode=rtl, harakat=harakat)  # type: ignore[arg-type]


def warn(*lines: str) -> None:
    """Print a message on stderr: ``reader: `` and each of ``lines`` on a line of its own.

    Each line goes through :func:`reader.core.text.sanitize.one_line`, so a path, id or error text
    from a file can neither act on the terminal nor start a line of its own; on a terminal,
    Arabic in it is laid out (:func:`stderr_line`), on a pipe it stays logical."""
    for number, line in enumerate(lines):
        print(stderr_line(("reader: " if number == 0 else "") + line), file=sys.stderr)


class Terminated(BaseException):
    """SIGTERM arrived while a command ran: unwind (so that half-written files and index
    generations are removed) and exit 143."""


def _on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated


class _LateTermination:
    """While a command runs: a :class:`Terminated` raised inside a finalizer (a ``__del__``,
    a weakref callback), where Python would print it as "Exception ignored" with a traceback
    and go on, is kept instead, and :attr:`seen` says the command was asked to stop."""

    def __init__(self) -> None:
        self.seen = False
        self._previous = sys.unraisablehook

    def __enter__(self) -> _LateTermination:
        sys.unraisablehook = self._hook
        return self

    def __exit__(self, *exc: object) -> None:
        sys.unraisablehook = self._previous

    def _hook(self, unraisable: sys.UnraisableHookArgs) -> None:
        if isinstance(unraisable.exc_value, Terminated):
            self.seen = True
            return
        self._previous(unraisable)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"reader: error: {message}\n")


def build_parser(only: str | None = None, *, others: bool = True) -> argparse.ArgumentParser:
    """The argument parser; with ``only``, just that command's module is imported, and with
    ``others=False`` the other commands are not even named (to run ``only``: no message
    of a run lists them, and each costs a parser)."""
    parser = _Parser(
        prog="reader",
        description="Read and fact-check the news in English and Arabic. "
        "With no command, opens the app.",
        epilog="Example: reader search 'Sirte AND ceasefire' --lang en",
    )
    _add_places(parser, "")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module_name, help_text) in COMMANDS.items():
        if only is not None and name != only:
            if others:
                sub.add_parser(name, help=help_text)
            continue
        try:
            module = importlib.import_module(f"reader.cli.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"reader.cli.{module_name}":
                raise
            continue
        module.add_parser(sub)
    for command in sub.choices.values():
        _add_places(command, "_after")
    return parser


# Options every command takes, before or after its name.
_PLACE_OPTIONS = ("--config", "--corpus")


def _add_places(parser: argparse.ArgumentParser, suffix: str) -> None:
    """Add ``--config`` and ``--corpus`` to ``parser`` and to the parsers of its subcommands
    (``reader notes list --config PATH``). After the command name they go to ``config_after``
    and ``corpus_after``, absent unless given, so those before it are not overwritten."""
    absent = {} if not suffix else {"default": argparse.SUPPRESS}
    parser.add_argument(
        "--config",
        metavar="PATH",
        dest=f"config{suffix}",
        help="config file (default: see README)",
        **absent,  # type: ignore[arg-type]
    )
    parser.add_argument(
        "--corpus",
        metavar="PATH",
        action="append",
        dest=f"corpus{suffix}",
        help="a folder of articles, instead of the config's [corpus] paths (repeatable; "
        f"default: $READER_CORPUS, folders separated by '{os.pathsep}')",
        **absent,  # type: ignore[arg-type]
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for nested in action.choices.values():
                _add_places(nested, "_after")


def _command_of(argv: Sequence[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _PLACE_OPTIONS:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg if arg in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reader`` console script; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if argv is None and _command_of(args_list) in _ENDS_AT_ONCE:
        gc.disable()  # no collection of cycles while the modules load: the process ends soon
    if "-h" in args_list or "--help" in args_list:
        only = _command_of(args_list)
        parser = build_parser(only)
    else:
        command = _command_of(args_list)
        parser = build_parser(command or "", others=command is None)
    args = parser.parse_args(args_list)
    given = [c for c in (args.config, getattr(args, "config_after", None)) if c is not None]
    if len(given) > 1 and given[0] != given[1]:
        parser.error("--config is given twice; give it once")
    corpus = [*(args.corpus or ()), *(getattr(args, "corpus_after", None) or ())]
    if args.command == "init":  # before any config: it writes one
        init: Callable[[argparse.Namespace, list[str]], int] = args.func
        return init(args, corpus)

    from reader.core.config import ConfigError, find_config, load_config
    from reader.core.config_places import NO_CORPUS, named_corpus

    if args.command != "search":  # one batch of hits, then the process ends: no ctypes
        from reader.memory import return_large_blocks_to_the_system

        return_large_blocks_to_the_system()  # a 10 MB article must not leave its peak behind

    try:
        config = load_config(find_config(given[0] if given else None), corpus=named_corpus(corpus))
    except ConfigError as exc:
        warn(str(exc))
        return 2
    # The user's words for reading facts. Without any, the shipped lexicon is read when facts
    # first are (a search never reads it); a lexicon an earlier call chose is forgotten.
    lexicon_module = sys.modules.get("reader.core.events.lexicon")
    if config.lexicon is not None or lexicon_module is not None:
        from reader.core.events.lexicon import LexiconError, use_lexicon

        try:
            use_lexicon(config.lexicon)
        except LexiconError as exc:
            warn(str(exc))
            return 2
    use_layout(config.rtl, config.harakat)
    if args.command != "add" and not config.corpus_paths:
        library = config.library_dir
        if library is None or not library.is_dir():  # nothing added with `reader add` either
            warn(NO_CORPUS)
            return 2
    if args.command is None:
        from reader.app.main import run_app

        return run_app(config)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    late = _LateTermination()
    try:
        with late:
            result: int = func(args, config)
        if late.seen:  # asked to stop while a finalizer ran: the command went on to its end
            raise Terminated
    except KeyboardInterrupt:
        return 130
    except Terminated:
        print("reader: stopped (SIGTERM)", file=sys.stderr)
        return 143
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for a user; READER_DEBUG=1 shows it
        if os.environ.get("READER_DEBUG"):
            raise
        warn(f"internal error: {type(exc).__name__}: {exc}")
        print("reader: set READER_DEBUG=1 to see where", file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if argv is None and args.command in _ENDS_AT_ONCE:
        _end_process(result)
    return result


# Commands that, run as a process of their own (``main()`` with the process's arguments, not
# called in another program), end it as soon as their output is flushed: nothing of theirs
# needs Python's shutdown (no atexit handler, thread, lock or file to finish), which frees
# every module and object one by one, about 6% of a cold `reader search`. Such a process
# also runs without the collection of reference cycles (3% of it, while modules load): it
# answers one query and ends, and what a query leaves in cycles is freed with the process.
_ENDS_AT_ONCE = frozenset({"search"})


def _end_process(code: int) -> None:
    """End the process with ``code`` once stdout and stderr are flushed, without Python's
    shutdown. When flushing fails (a closed pipe), return: the usual shutdown then reports
    it as it always has."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)
