"""`reader search`, `reader notes list`, `reader compare` and `reader events` lay Arabic out on
a terminal (as `reader show` does) and print logical text on a pipe or with --json.

Expected rows were checked with GNU FriBidi (``echo TEXT | fribidi --nopad``).
"""

from __future__ import annotations

import contextlib
import io
import os
import pty
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import ARABIC_SEED, CliRunner, cli_in_process

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TITLE = "المسماري يعلن رسميا السيطرة على مناطق جديدة غرب ليبيا"
# fribidi's row for the title at 80 - 22 cells (what `reader search` gives it after the id)
TITLE_ROWS = ("ﺏﺮﻏ ﺓﺪﻳﺪﺟ ﻖﻃﺎﻨﻣ ﻰﻠﻋ ﺓﺮﻄﻴﺴﻟﺍ ﺎﻴﻤﺳﺭ ﻦﻠﻌﻳ ﻱﺭﺎﻤﺴﻤﻟﺍ", "ﺎﻴﺒﻴﻟ")
TITLE_ONE_ROW = "ﺎﻴﺒﻴﻟ ﺏﺮﻏ ﺓﺪﻳﺪﺟ ﻖﻃﺎﻨﻣ ﻰﻠﻋ ﺓﺮﻄﻴﺴﻟﺍ ﺎﻴﻤﺳﺭ ﻦﻠﻌﻳ ﻱﺭﺎﻤﺴﻤﻟﺍ"
CLAIM = "قوات الوفاق تسيطر على قاعدة الوطية في 2020"
CLAIM_SHOWN = "2020 ﻲﻓ ﺔﻴﻃﻮﻟﺍ ﺓﺪﻋﺎﻗ ﻰﻠﻋ ﺮﻄﻴﺴﺗ ﻕﺎﻓﻮﻟﺍ ﺕﺍﻮﻗ"


@pytest.fixture(autouse=True)
def _indexed(config_path: Path) -> None:
    from reader.core.config import load_config
    from reader.core.search.index import update_index

    update_index(load_config(config_path))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def on_terminal(config: Path, argv: Sequence[str], monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI run here with stdout a terminal of 80 columns; its output without colours."""
    from reader.cli import main

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("READER_CONFIG", raising=False)
    monkeypatch.delenv("READER_CORPUS", raising=False)
    out = _Terminal()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["--config", str(config), *argv])
    return ANSI.sub("", out.getvalue())


def test_search_lays_out_arabic_on_a_terminal_only(
    config_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = on_terminal(config_path, ["search", "المسماري"], monkeypatch)
    assert TITLE_ONE_ROW in shown and TITLE not in shown
    piped = run_cli("search", "المسماري").stdout
    assert TITLE in piped and TITLE_ONE_ROW not in piped
    as_json = on_terminal(config_path, ["search", "المسماري", "--json"], monkeypatch)
    assert TITLE in as_json and TITLE_ONE_ROW not in as_json


def test_search_rows_never_pass_the_terminal_width(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.cells import cell_len

    shown = on_terminal(config_path, ["search", "حفتر"], monkeypatch)
    rows = shown.splitlines()
    assert rows and all(cell_len(row) <= 80 for row in rows), max(rows, key=cell_len)
    assert any("ﺮﺘﻔﺣ" in row for row in rows)  # the snippet's match, shaped


def test_notes_list_lays_out_arabic_on_a_terminal_only(
    config_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    added = run_cli(
        "notes", "add", ARABIC_SEED, "--quote", "قاعدة الوطية", "--occurrence", "1",
        "--claim", CLAIM,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    shown = on_terminal(config_path, ["notes", "list"], monkeypatch)
    assert CLAIM_SHOWN in shown and CLAIM not in shown
    assert TITLE_ONE_ROW in shown
    piped = run_cli("notes", "list").stdout
    assert CLAIM in piped and CLAIM_SHOWN not in piped
    as_json = on_terminal(config_path, ["notes", "list", "--json"], monkeypatch)
    assert CLAIM in as_json and CLAIM_SHOWN not in as_json


def test_compare_lays_out_arabic_on_a_terminal_only(
    config_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = ["compare", ARABIC_SEED, "002_21aad2d8e00821f2"]
    shown = on_terminal(config_path, argv, monkeypatch)
    rows = shown.splitlines()
    title_row = next(row for row in rows if ARABIC_SEED in row)
    assert title_row.endswith(TITLE_ROWS[0])  # right-aligned in the room after the prefix
    assert TITLE not in shown
    piped = cli_in_process(["--config", str(config_path), *argv]).stdout
    assert TITLE in piped and TITLE_ROWS[0] not in piped


def test_events_lay_out_arabic_on_a_terminal_only(
    config_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in tmux: `reader events` printed the Arabic titles, outlets and labels in
    logical order on a terminal, so they read backwards, unjoined."""
    from rich.cells import cell_len

    from reader.core.config import load_config
    from reader.core.events.decisions import decisions_path

    label = "هجوم الوطية"
    notes = decisions_path(load_config(config_path))
    notes.parent.mkdir(parents=True, exist_ok=True)
    members = f'["{ARABIC_SEED}", "004_9e772252006eaafa"]'
    notes.write_text(f'[events.mine]\nmembers = {members}\nlabel = "{label}"\n', "utf-8")
    shown = on_terminal(config_path, ["events"], monkeypatch)
    rows = shown.splitlines()
    assert rows and all(cell_len(row) <= 80 for row in rows), max(rows, key=cell_len)
    title_row = next(row for row in rows if ARABIC_SEED in row)
    assert title_row.endswith(TITLE_ROWS[0]) or title_row.endswith(TITLE_ONE_ROW), title_row
    assert TITLE not in shown and label not in shown
    assert "mine  ﺔﻴﻃﻮﻟﺍ ﻡﻮﺠﻫ  (2 articles" in shown
    piped = run_cli("events").stdout
    assert TITLE in piped and label in piped and TITLE_ROWS[0] not in piped
    as_json = on_terminal(config_path, ["events", "--json"], monkeypatch)
    assert TITLE in as_json and TITLE_ROWS[0] not in as_json


def test_search_on_a_real_terminal(config_path: Path) -> None:
    """The entry point in a new process whose stdout is a pseudo-terminal."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("READER_CONFIG", "READER_CORPUS")}
    env.update(COLUMNS="80", PYTHONIOENCODING="utf-8")
    argv = [sys.executable, "-m", "reader", "--config", str(config_path), "search", "المسماري"]
    with subprocess.Popen(argv, stdout=slave, stderr=subprocess.DEVNULL, env=env) as process:
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=120)
    os.close(master)
    shown = ANSI.sub("", b"".join(chunks).decode("utf-8"))
    assert TITLE_ONE_ROW in shown and TITLE not in shown
