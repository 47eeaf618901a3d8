"""Messages on stderr that quote Arabic are laid out on a terminal, as the listings on stdout
are, and stay logical on a pipe (and with ``[display] rtl = "terminal"``).

Expected rows were checked with GNU FriBidi (``printf '%s\\n' TEXT | fribidi --nopad``).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from pathlib import Path

import pytest

from reader.core.text.cells import cell_len
from tests.conftest import CliRunner, write_config

MISSING = "reader: no article with id 'حفتر_123' (see `reader search`)"
MISSING_SHOWN = "reader: no article with id '123_ﺮﺘﻔﺣ' (see `reader search`)"
BAD_QUERY_SHOWN = "reader: bad query '\"ﺮﺘﻔﺣ': unbalanced quotes: a phrase needs a closing \""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _stderr_on_terminal(
    config: Path, argv: Sequence[str], monkeypatch: pytest.MonkeyPatch, columns: int = 80
) -> str:
    from reader.cli import main

    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.delenv("READER_CONFIG", raising=False)
    monkeypatch.delenv("READER_CORPUS", raising=False)
    err = _Terminal()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        main(["--config", str(config), *argv])
    return err.getvalue()


def test_an_error_quoting_arabic_is_laid_out_on_a_terminal_only(
    config_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _stderr_on_terminal(config_path, ["show", "حفتر_123"], monkeypatch)
    assert shown.splitlines() == [MISSING_SHOWN]
    bad = _stderr_on_terminal(config_path, ["search", '"حفتر'], monkeypatch)
    assert BAD_QUERY_SHOWN in bad.splitlines()
    piped = run_cli("show", "حفتر_123").stderr  # a pipe: logical, as typed
    assert piped.splitlines() == [MISSING]


def test_a_long_arabic_message_wraps_at_the_terminal_width(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = "بيان " * 20 + "حفتر"
    shown = _stderr_on_terminal(config_path, ["show", article], monkeypatch, columns=40)
    rows = shown.splitlines()
    assert len(rows) > 1 and all(cell_len(row) <= 40 for row in rows)
    assert "ﺮﺘﻔﺣ" in shown and "حفتر" not in shown


def test_with_a_terminal_that_does_bidi_itself_the_message_stays_logical(
    tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(tmp_path, extra='[display]\nrtl = "terminal"\n')
    assert _stderr_on_terminal(config, ["show", "حفتر_123"], monkeypatch).splitlines() == [MISSING]


@pytest.mark.parametrize(
    ("columns", "expected"), [("57", 57), ("0", None), ("-3", None), ("wide", None), (None, None)]
)
def test_terminal_columns_reads_as_shutil_does(
    monkeypatch: pytest.MonkeyPatch, columns: str | None, expected: int | None
) -> None:
    """The width printers use: $COLUMNS when a positive number, else what shutil's
    get_terminal_size((80, 24)) gives (the terminal on stdout, or 80 without one)."""
    import shutil

    from reader.cli import terminal_columns

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    width = terminal_columns()
    assert width == (expected if expected is not None else shutil.get_terminal_size((80, 24))[0])
    assert width > 0
