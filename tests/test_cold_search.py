"""A cold ``reader search`` as a process of its own: it ends as soon as its output is flushed,
without Python's shutdown, and runs without the cycle collector; called in another program
(``main(argv)``) it returns as before. Its parser holds only the command that runs."""

from __future__ import annotations

import argparse
import gc
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader import cli
from tests.conftest import ROOT, cli_in_process, python_in_new_process

# Runs `reader search` as the console script does (main() with the process's arguments), with
# a shutdown hook of Python's that says whether the usual shutdown ran, and the collector's
# state as the command left it.
_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("shutdown ran", file=sys.stderr))
sys.argv = ["reader", *sys.argv[1:]]
from reader.cli import main
import reader.cli.search_cmd as search_cmd
run = search_cmd.run
def probed(args, config):
    code = run(args, config)
    print("collector", gc.isenabled(), file=sys.stderr)
    return code
search_cmd.run = probed
sys.exit(main())
"""


@pytest.fixture
def indexed(config_path: Path) -> Path:
    done = cli_in_process(["--config", str(config_path), "index", "-q"])
    assert done.returncode == 0, done.stderr
    return config_path


def _process(*args: str) -> subprocess.CompletedProcess[str]:
    return python_in_new_process(["-c", _PROBE, *args], cwd=ROOT)


def test_a_search_process_ends_without_python_shutdown(indexed: Path) -> None:
    done = _process("--config", str(indexed), "search", "ceasefire", "--json")
    assert done.returncode == 0, done.stderr
    assert "shutdown ran" not in done.stderr  # ran before the process ended at once
    assert "collector False" in done.stderr
    in_process = cli_in_process(["--config", str(indexed), "search", "ceasefire", "--json"])
    assert done.stdout == in_process.stdout and done.stdout.count("\n") >= 1  # all flushed


def test_a_search_that_fails_ends_at_once_with_its_code(indexed: Path) -> None:
    done = _process("--config", str(indexed), "search", "a AND (")
    assert done.returncode == 2
    assert "bad query" in done.stderr and "shutdown ran" not in done.stderr


def test_other_commands_and_errors_shut_down_as_usual(indexed: Path) -> None:
    done = _process("--config", str(indexed), "show", "nonexistent-id")
    assert "shutdown ran" in done.stderr
    usage = _process("--config", str(indexed), "search")  # argparse: exits before running
    assert usage.returncode == 2 and "shutdown ran" in usage.stderr


def test_a_search_in_process_returns_with_the_collector_on(indexed: Path) -> None:
    assert gc.isenabled()
    done = cli_in_process(["--config", str(indexed), "search", "ceasefire"])
    assert done.returncode == 0 and done.stdout
    assert gc.isenabled()


def test_a_flush_that_fails_leaves_the_ending_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed(io.StringIO):
        def flush(self) -> None:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", Closed())
    ended: list[int] = []
    monkeypatch.setattr(os, "_exit", ended.append)
    cli._end_process(0)  # returns: the usual shutdown reports the closed pipe
    assert ended == []


def test_a_run_parses_with_its_own_command_only() -> None:
    for command in cli.COMMANDS:
        parser = cli.build_parser(command, others=False)
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        assert list(sub.choices) in ([command], [])  # [] when its module is not installed
    full = cli.build_parser("search")
    sub = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == list(cli.COMMANDS)  # for help and unknown commands
