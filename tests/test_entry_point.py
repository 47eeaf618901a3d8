"""The real entry point, in a new process: one smoke test per command.

The other CLI tests call ``reader.cli.main`` in the test process (``run_cli``), which is much
quicker; these check what only a real process shows: ``python -m reader`` and the ``reader``
console script start, each command is wired to its module, exit codes reach the shell, and
nothing but the command's own output is printed (no traceback, no warning at exit)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ARABIC_SEED, SEEDS, CliRunner, cli_in_process, write_config

S000, S001 = "000_7b206ec7414ebb17", "001_629cc8aa1a0900a3"
S003, S004 = "003_cf72655655ca3791", "004_9e772252006eaafa"


@pytest.fixture(scope="module")
def seeds_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's seeds, indexed once (in this process) for the module."""
    config = write_config(tmp_path_factory.mktemp("entry"), corpus=str(SEEDS))
    assert cli_in_process(["--config", str(config), "index"]).returncode == 0
    return config


def test_index_in_a_new_process(run_cli_process: CliRunner) -> None:
    result = run_cli_process("index")
    assert result.returncode == 0, result.stderr
    assert "5 articles indexed" in result.stderr and result.stdout == ""


def test_search_in_a_new_process(run_cli_process: CliRunner, seeds_config: Path) -> None:
    result = run_cli_process("search", "الوطيه", "--json", config=seeds_config)
    assert result.returncode == 0 and result.stderr == ""
    assert json.loads(result.stdout.splitlines()[0])["id"] == ARABIC_SEED
    bad = run_cli_process("search", '"unclosed', config=seeds_config)
    assert bad.returncode == 2 and "bad query" in bad.stderr and "Traceback" not in bad.stderr


def test_show_in_a_new_process(run_cli_process: CliRunner, seeds_config: Path) -> None:
    result = run_cli_process("show", S000, config=seeds_config)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("Al-Mesmari admits defeat")


def test_notes_in_a_new_process(run_cli_process: CliRunner, seeds_config: Path) -> None:
    added = run_cli_process(
        "notes", "add", S000, "--quote", "Sirte", "--occurrence", "1", config=seeds_config
    )
    assert added.returncode == 0 and added.stderr == ""
    listed = run_cli_process("notes", "list", "--json", S000, config=seeds_config)
    assert listed.returncode == 0
    assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == [added.stdout.strip()]


def test_events_and_compare_in_a_new_process(
    run_cli_process: CliRunner, seeds_config: Path
) -> None:
    events = run_cli_process("events", "--json", config=seeds_config)
    assert events.returncode == 0 and events.stderr == ""
    groups = [[a["id"] for a in e["articles"]] for e in json.loads(events.stdout)["events"]]
    assert [S003, S004] in groups and [S000] in groups and [S001] in groups
    compare = run_cli_process("compare", "001", "000", "--json", config=seeds_config)
    assert compare.returncode == 0 and compare.stderr == ""
    assert [a["id"] for a in json.loads(compare.stdout)["articles"]] == [S001, S000]


def test_usage_errors_and_bad_config_exit_two(run_cli_process: CliRunner, tmp_path: Path) -> None:
    usage = run_cli_process("search")
    assert usage.returncode == 2 and usage.stderr.startswith("usage: reader")
    (tmp_path / "bad.toml").write_text("[corpus\n", encoding="utf-8")
    config = run_cli_process("search", "x", config=tmp_path / "bad.toml")
    assert config.returncode == 2 and "bad.toml" in config.stderr
    assert "Traceback" not in config.stderr


def test_console_script_runs(seeds_config: Path) -> None:
    script = Path(sys.executable).with_name("reader")
    if not script.exists():
        pytest.skip("the reader console script is not installed next to this Python")
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("reader ")
    search = subprocess.run(
        [str(script), "--config", str(seeds_config), "search", "Sirte", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "READER_CORPUS"},  # would replace it
    )
    assert search.returncode == 0, search.stderr
    assert len(search.stdout.splitlines()) == 2


def test_a_run_in_this_process_leaves_nothing_behind(
    run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run_cli`` may stand in for a new process only if a run changes nothing here: signal
    handlers, standard streams and the environment are as they were."""
    monkeypatch.setenv("READER_CONFIG", "/nonexistent/config.toml")

    def state() -> tuple[object, ...]:
        handlers = tuple(signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT))
        return (*handlers, sys.stdin, sys.stdout, sys.stderr, sys.__stdout__)

    before = state()
    assert run_cli("index").returncode == 0  # main sets a SIGTERM handler while it runs
    assert run_cli("search", "Sirte", "--json").stdout.count("\n") == 2
    assert run_cli("search").returncode == 2  # argparse exits
    assert state() == before
    assert os.environ["READER_CONFIG"] == "/nonexistent/config.toml"


def test_sigterm_inside_a_finalizer_stops_the_command_without_a_traceback(
    run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM's handler raises ``Terminated``; landing in a ``__del__`` (a lock or a file
    closed by the collector), Python would print it with a traceback and go on. The command
    runs to its end, then reader says it was stopped (seen once under `make faults`: exit 0
    and a traceback after SIGTERM)."""
    from reader.cli import Terminated, show_cmd

    class Finalized:
        def __del__(self) -> None:
            raise Terminated  # what the handler raises, wherever the signal lands

    def run(_args: object, _config: object) -> int:
        Finalized()
        print("finished")
        return 0

    hook = sys.unraisablehook
    monkeypatch.setattr(show_cmd, "run", run)
    result = run_cli("show", "anything")
    assert "finished" in result.stdout
    assert result.returncode == 143, result.stderr
    assert "stopped (SIGTERM)" in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert sys.unraisablehook is hook
