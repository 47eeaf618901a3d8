"""``reader notes`` through ``reader.cli.main``, in this process: add, list, export, bad input."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ARABIC_SEED, CliRunner, write_config

SEED = "000_7b206ec7414ebb17"
PASSAGE = "the spokesman for these militias officially announced their defeat"


@pytest.fixture
def cli(tmp_path: Path, corpus_dir: Path, run_cli: CliRunner) -> CliRunner:
    write_config(tmp_path, extra='[notes]\nauthor = "Test Checker"\n')
    return run_cli


def add(cli: CliRunner, *args: str) -> str:
    result = cli("notes", "add", *args)
    assert result.returncode == 0, result.stderr
    note_id = result.stdout.strip()
    assert len(note_id) == 26
    return note_id


def records(cli: CliRunner, *args: str) -> list[dict[str, Any]]:
    result = cli("notes", "list", "--json", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_add_then_list(cli: CliRunner, tmp_path: Path) -> None:
    note_id = add(
        cli,
        SEED,
        "--quote",
        PASSAGE,
        "--verdict",
        "misleading",
        "--claim",
        "Haftar's side lost",
        "--note",
        "line one\nline two",
        "--evidence",
        "https://example.org/a",
        "--evidence",
        ARABIC_SEED,
        "--tag",
        "defeat",
    )
    (record,) = records(cli)
    assert record["id"] == note_id
    assert record["article"] == SEED
    assert record["verdict"] == "misleading"
    assert record["claim"] == "Haftar's side lost"
    assert record["quote"] == PASSAGE
    assert record["note"] == "line one\nline two"
    assert record["tags"] == ["defeat"]
    assert record["author"] == "Test Checker"
    assert record["anchor"] == {"status": "exact", "start": 169, "end": 235, "score": 100.0}
    assert record["evidence"] == [
        {"url": "https://example.org/a", "article": "", "quote": "", "comment": ""},
        {"url": "", "article": ARABIC_SEED, "quote": "", "comment": ""},
    ]
    saved = tomllib.loads((tmp_path / "notes" / f"{SEED}.toml").read_text(encoding="utf-8"))
    assert saved["version"] == 1 and saved["article"] == SEED
    text = cli("notes", "list")
    assert text.returncode == 0
    assert text.stdout.startswith(f"{SEED}  Al-Mesmari admits defeat")
    assert f"  {note_id}  misleading   exact    169-235" in text.stdout
    assert "claim: Haftar's side lost" in text.stdout


def test_an_arabic_quote_needs_an_occurrence_when_ambiguous(cli: CliRunner) -> None:
    result = cli("notes", "add", ARABIC_SEED, "--quote", "قاعدة الوطية")
    assert result.returncode == 2
    assert "occurs 3 times" in result.stderr and "--occurrence N" in result.stderr
    assert "  2: …" in result.stderr
    assert result.stdout == ""
    second = add(
        cli, ARABIC_SEED, "--quote", "قاعدة الوطية", "--occurrence", "2", "--verdict", "mixed"
    )
    (record,) = records(cli, ARABIC_SEED)
    assert record["id"] == second
    assert record["quote"] == "قاعدة الوطية"
    assert record["prefix"].endswith(" هجوم الميليشيات على ")
    assert len(record["prefix"]) == 32
    assert cli("notes", "add", ARABIC_SEED, "--quote", "قاعدة الوطية", "--occurrence", "4")
    out_of_range = cli("notes", "add", ARABIC_SEED, "--quote", "قاعدة الوطية", "--occurrence", "4")
    assert out_of_range.returncode == 2
    assert "between 1 and 3" in out_of_range.stderr


def test_a_decomposed_quote_matches_after_nfc(cli: CliRunner, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "cafe.txt").write_text(
        "Café story\n\nThe café was shelled, witnesses said.\n\nNobody was hurt.\n", "utf-8"
    )
    note_id = add(cli, "cafe", "--quote", "cafe\u0301 was shelled")
    (record,) = records(cli, "cafe")
    assert record["id"] == note_id and record["quote"] == "café was shelled"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-article", "--quote", "x"], "no article with id 'no-such-article'"),
        ([SEED, "--quote", PASSAGE, "--verdict", "pants-on-fire"], "unknown verdict"),
        ([SEED, "--quote", "not in this article at all"], "does not occur in"),
        ([SEED, "--quote", "spokesman for these militia officially"], "closest passage"),
        ([SEED, "--quote", "  "], "must not be empty"),
        ([SEED, "--quote", PASSAGE, "--evidence", "not a url"], "neither a URL"),
    ],
)
def test_bad_add_input_exits_2_with_a_message(
    cli: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    result = cli("notes", "add", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "notes").exists()


def test_list_filters_and_rejects_unknown_input(cli: CliRunner) -> None:
    add(cli, SEED, "--quote", PASSAGE, "--verdict", "false")
    add(cli, ARABIC_SEED, "--quote", "المسماري", "--occurrence", "1")
    assert [r["verdict"] for r in records(cli, "--verdict", "false")] == ["false"]
    assert [r["article"] for r in records(cli)] == [SEED, ARABIC_SEED]
    unknown = cli("notes", "list", "--verdict", "meh")
    assert unknown.returncode == 2 and "unknown verdict 'meh'" in unknown.stderr
    missing = cli("notes", "list", "nope")
    assert missing.returncode == 2 and "no article with id 'nope'" in missing.stderr
    usage = cli("notes")
    assert usage.returncode == 2


def test_an_orphaned_note_is_listed(cli: CliRunner, tmp_path: Path) -> None:
    note_id = add(cli, SEED, "--quote", PASSAGE)
    source = next((tmp_path / "corpus").glob(f"{SEED}.txt"))
    source.write_text(source.read_text(encoding="utf-8").replace(PASSAGE, "someone"), "utf-8")
    (record,) = records(cli)
    assert record["id"] == note_id
    assert record["anchor"] == {"status": "orphaned", "start": None, "end": None, "score": 0.0}
    assert f"{note_id}  unverified   orphaned" in cli("notes", "list").stdout
    source.unlink()  # the article leaves the corpus: its notes are still listed
    gone = cli("notes", "list", SEED)
    assert gone.returncode == 0
    assert "(article no longer in the corpus)" in gone.stdout and note_id in gone.stdout


def test_export_formats(cli: CliRunner, tmp_path: Path) -> None:
    rated = add(cli, SEED, "--quote", PASSAGE, "--verdict", "false")
    add(cli, ARABIC_SEED, "--quote", "المسماري", "--occurrence", "1")
    result = cli("notes", "export", "--format", "claimreview")
    assert result.returncode == 0, result.stderr
    (review,) = json.loads(result.stdout)
    assert review["@type"] == "ClaimReview" and review["identifier"].startswith("urn:uuid:")
    assert review["claimReviewed"] == PASSAGE
    assert review["reviewRating"]["alternateName"] == "False"
    assert f"note {rated} on {SEED}: no url" in result.stderr
    assert review["author"] == {"@type": "Person", "name": "Test Checker"}
    assert "1 of 2 notes left out" in result.stderr

    markdown = cli("notes", "export", "--format", "markdown").stdout
    assert f"> {PASSAGE}" in markdown and "> المسماري" in markdown

    out = tmp_path / "out" / "notes.csv"
    result = cli("notes", "export", "--format", "csv", "--out", str(out))
    assert result.returncode == 2 and not out.parent.exists()
    assert result.stderr == f"reader: folder {out.parent} does not exist; give --force to make it\n"
    result = cli("notes", "export", "--format", "csv", "--out", str(out), "--force")
    assert result.returncode == 0 and result.stdout == ""
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows[0][:5] == ["article_id", "article_title", "outlet", "article_url", "note_id"]
    assert [row[0] for row in rows[1:]] == [SEED, ARABIC_SEED]
    assert [p.name for p in out.parent.iterdir()] == ["notes.csv"]  # no temp file left


def test_a_broken_notes_file_is_reported_left_alone_and_rescued(
    cli: CliRunner, tmp_path: Path
) -> None:
    first = add(cli, SEED, "--quote", PASSAGE)
    path = tmp_path / "notes" / f"{SEED}.toml"
    broken = path.read_text(encoding="utf-8").replace('verdict = "unverified"', "verdict = ")
    path.write_text(broken, encoding="utf-8")
    listing = cli("notes", "list")
    assert listing.returncode == 1
    assert f"{path}:10:11:" in listing.stderr and "invalid TOML" in listing.stderr
    result = cli("notes", "add", SEED, "--quote", "Al-Karama operations room", "--note", "keep me")
    assert result.returncode == 1
    assert f"{path}:10:11:" in result.stderr and "rescue" in result.stderr
    assert path.read_text(encoding="utf-8") == broken
    rescue = path.with_name(f"{SEED}.rescue.toml")
    assert "keep me" in rescue.read_text(encoding="utf-8")
    assert "could not be saved" in cli("notes", "list").stderr
    # Once the file is fixed, the next change merges the rescued note back.
    path.write_text(broken.replace("verdict = \n", 'verdict = "false"\n'), encoding="utf-8")
    add(cli, SEED, "--quote", "Confession of failure")
    saved = records(cli, SEED)
    assert [r["note"] for r in saved][:2] == ["", "keep me"]
    assert saved[0]["id"] == first and saved[0]["verdict"] == "false"
    assert not rescue.exists()
