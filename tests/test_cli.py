"""The CLI (``reader.cli.main``, in this process): index, search, show, and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ARABIC_SEED, CliRunner, write_config


@pytest.fixture
def indexed(run_cli: CliRunner) -> CliRunner:
    result = run_cli("index")
    assert result.returncode == 0, result.stderr
    return run_cli


def hit_ids(result: object) -> list[str]:
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]  # type: ignore[attr-defined]


def test_index_reports_counts_and_no_progress_on_a_pipe(run_cli: CliRunner) -> None:
    result = run_cli("index")
    assert result.returncode == 0
    assert "5 articles indexed" in result.stderr
    assert "rebuilding the index (no index yet)" in result.stderr
    assert "\r" not in result.stderr  # no progress bar without a terminal
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("المسمارى", [ARABIC_SEED]),
        ("مسماري", [ARABIC_SEED]),
        ("الوطيه", [ARABIC_SEED]),
        ("Sirte", ["000_7b206ec7414ebb17", "001_629cc8aa1a0900a3"]),
        ("password", []),
    ],
)
def test_done_when_queries(indexed: CliRunner, query: str, expected: list[str]) -> None:
    # Same-language hits come first; cross-script ones (Mismari for المسماري) follow them.
    result = indexed("search", query, "--json")
    assert result.returncode == 0, result.stderr
    found = hit_ids(result)
    assert sorted(found[: len(expected)]) == expected
    same_language = [json.loads(line)["lang"] for line in result.stdout.splitlines()]
    if expected:
        assert len(set(same_language[: len(expected)])) == 1


def test_text_output_marks_matches(indexed: CliRunner) -> None:
    result = indexed("search", "Sirte", "--limit", "1")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("001_629cc8aa1a0900a3  Libyan GNA forces advance")
    assert "[Sirte]" in lines[1]


def test_json_is_logical_text(indexed: CliRunner) -> None:
    record = json.loads(indexed("search", "الوطيه", "--json").stdout.splitlines()[0])
    assert record["lang"] == "ar"
    assert record["title"] == "المسماري يعلن رسميا السيطرة على مناطق جديدة غرب ليبيا"
    assert "الوطية" in [record["snippet"][start:end] for start, end in record["marks"]]


def test_no_hits_exit_zero_with_message(indexed: CliRunner) -> None:
    result = indexed("search", "password")
    assert result.returncode == 0 and result.stdout == ""
    assert "no articles match" in result.stderr


def test_malformed_query_exit_two_without_traceback(indexed: CliRunner) -> None:
    result = indexed("search", '"unclosed')
    assert result.returncode == 2
    assert "bad query" in result.stderr and "Traceback" not in result.stderr


def test_filters(indexed: CliRunner) -> None:
    english = hit_ids(indexed("search", "Haftar", "--lang", "en", "--json"))
    assert len(english) == 4 and ARABIC_SEED not in english
    # In Arabic, Haftar is found as حفتر.
    assert hit_ids(indexed("search", "Haftar", "--lang", "ar", "--json")) == [ARABIC_SEED]
    assert hit_ids(indexed("search", "Sirte", "--lang", "ar", "--json")) == []


def test_show_logical_on_a_pipe(indexed: CliRunner) -> None:
    result = indexed("show", "000_7b206ec7414ebb17")
    assert result.returncode == 0
    assert result.stdout.startswith("Al-Mesmari admits defeat")
    assert "password" not in result.stdout.lower()


def test_show_unknown_id(indexed: CliRunner) -> None:
    result = indexed("show", "nope")
    assert result.returncode == 2 and "no article with id" in result.stderr


def test_search_without_index_says_what_to_do(run_cli: CliRunner) -> None:
    result = run_cli("search", "Sirte")
    assert result.returncode == 1 and "reader index" in result.stderr


def test_nothing_indexable_exits_nonzero(tmp_path: Path, run_cli: CliRunner) -> None:
    folder = tmp_path / "empty"
    (folder / "corpus").mkdir(parents=True)
    (folder / "corpus" / "blank.txt").write_text("\n", encoding="utf-8")
    result = run_cli("index", config=write_config(folder))
    assert result.returncode == 1
    assert "blank.txt: skipped: empty file" in result.stderr
    assert "nothing could be indexed" in result.stderr


def test_help_lists_commands_with_examples(run_cli: CliRunner) -> None:
    result = run_cli("--help")
    assert result.returncode == 0 and "search" in result.stdout and "index" in result.stdout
    assert "Example:" in run_cli("search", "--help").stdout


def test_a_hit_without_text_prints_no_blank_snippet_line(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    # A file of one line is a title alone: its hit printed an indented empty line.
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "solo.txt").write_text("Talks in Geneva\n", encoding="utf-8")
    (corpus / "full.txt").write_text("Geneva talks\n\nDelegates met in Geneva.\n", "utf-8")
    config = write_config(tmp_path, "c")
    assert run_cli("index", config=config).returncode == 0
    result = run_cli("search", "geneva", config=config)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(line.strip() for line in lines), lines
