"""``reader notes export --out``: never into a missing folder or over an existing file without
--force, never into the notes folder at all, always atomically (no temp file left, the old
file whole when the write fails)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ARABIC_SEED, CliRunner


@pytest.fixture
def cli(tmp_path: Path, corpus_dir: Path, run_cli: CliRunner) -> CliRunner:
    added = run_cli("notes", "add", ARABIC_SEED, "--quote", "المسماري", "--occurrence", "1")
    assert added.returncode == 0, added.stderr
    return run_cli


@pytest.mark.parametrize("form", ["claimreview", "webannotation", "markdown", "csv"])
def test_an_existing_file_is_kept_unless_forced(cli: CliRunner, tmp_path: Path, form: str) -> None:
    out = tmp_path / "export.txt"
    out.write_text("my own work", encoding="utf-8")
    refused = cli("notes", "export", "--format", form, "--out", str(out))
    assert refused.returncode == 2
    assert refused.stderr == f"reader: {out} exists; give --force to replace it\n"
    assert out.read_text(encoding="utf-8") == "my own work"
    forced = cli("notes", "export", "--format", form, "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert out.read_text(encoding="utf-8") != "my own work"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".export")) == []


def test_a_missing_folder_is_made_only_when_forced(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "notes.md"
    refused = cli("notes", "export", "--format", "markdown", "--out", str(out))
    assert refused.returncode == 2 and not (tmp_path / "a").exists()
    assert (
        refused.stderr == f"reader: folder {out.parent} does not exist; give --force to make it\n"
    )
    assert (
        cli("notes", "export", "--format", "markdown", "--out", str(out), "--force").returncode == 0
    )
    assert out.read_text(encoding="utf-8").startswith("# Verification notes")


def test_a_folder_is_not_a_file(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("notes", "export", "--format", "csv", "--out", str(tmp_path), "--force")
    assert result.returncode == 2
    assert result.stderr == f"reader: {tmp_path} is a folder; name a file with --out\n"


def test_the_notes_folder_is_never_written_even_when_forced(cli: CliRunner, tmp_path: Path) -> None:
    notes_file = tmp_path / "notes" / f"{ARABIC_SEED}.toml"
    before = notes_file.read_bytes()
    for target in (notes_file, tmp_path / "notes" / "report.md", tmp_path / "notes" / "sub" / "x"):
        result = cli("notes", "export", "--format", "markdown", "--out", str(target), "--force")
        assert result.returncode == 2
        assert "is in the notes folder" in result.stderr
    assert notes_file.read_bytes() == before
    assert sorted(p.name for p in notes_file.parent.iterdir() if not p.name.startswith(".")) == [
        notes_file.name
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_file_is_left_whole(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "locked.csv"
    out.write_text("keep", encoding="utf-8")
    out.chmod(0o444)
    result = cli("notes", "export", "--format", "csv", "--out", str(out), "--force")
    assert result.returncode == 1 and f"cannot write {out}" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep"
