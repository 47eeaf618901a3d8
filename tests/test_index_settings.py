"""Files skipped once are read again at every update; settings that change what is indexed
([boilerplate], the size limit) rebuild the index, with one line saying why."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.search.index import update_index
from reader.core.search.searcher import Searcher
from tests.conftest import CliRunner, write_config

SEED = "000_7b206ec7414ebb17"
LINE = "It was only a few days after the militia of Haftar fled"


def hits(config_path: Path, query: str) -> list[str]:
    with Searcher(load_config(config_path)) as searcher:
        return sorted(h.id for h in searcher.search(query, limit=50).hits)


def test_a_file_unreadable_once_is_read_when_it_can_be(
    config_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(config_path)
    update_index(config)
    path = corpus_dir / "later.txt"
    path.write_text("Zanzibar later\n\nA Zanzibar body.\n", encoding="utf-8")
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    first = update_index(config)
    assert [s.reason for s in first.skipped] == ["cannot read: Permission denied"]
    again = update_index(config)  # still unreadable: said again, nothing else changes
    assert [s.reason for s in again.skipped] == ["cannot read: Permission denied"]
    assert not again.changed
    monkeypatch.undo()  # readable now; size and mtime are what they were
    report = update_index(config)
    assert report.added == 1 and report.skipped == []
    assert hits(config_path, "zanzibar") == ["later"]
    assert update_index(config).skipped == []


def test_a_file_too_large_is_indexed_when_the_limit_rises(
    tmp_path: Path, corpus_dir: Path, run_cli: CliRunner
) -> None:
    small = write_config(tmp_path)
    small.write_text(
        small.read_text().replace("[storage]", "max_file_mb = 0.004\n\n[storage]"),
        encoding="utf-8",
    )
    first = run_cli("index")
    assert "001_629cc8aa1a0900a3.txt: skipped: larger than the size limit" in first.stderr
    assert hits(small, "Sirte") == [SEED]
    write_config(tmp_path)  # the default limit (10 MB) again
    result = run_cli("index")
    assert result.returncode == 0
    assert (
        "reader: rebuilding the index ([corpus] max_file_mb changed since the index was built)"
        in result.stderr.splitlines()
    )
    assert "skipped" not in result.stderr.replace("0 skipped", "")
    assert hits(small, "Sirte") == [SEED, "001_629cc8aa1a0900a3"]


def test_boilerplate_rules_apply_without_rebuild_flag(tmp_path: Path, run_cli: CliRunner) -> None:
    config_path = write_config(tmp_path)
    assert run_cli("index").returncode == 0
    assert hits(config_path, '"militia of Haftar fled"') == [SEED]
    write_config(tmp_path, extra=f'\n[boilerplate]\ndrop_lines = ["{LINE}.*"]\n')
    result = run_cli("index")
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "reader: rebuilding the index ([boilerplate] changed since the index was built)"
    )
    assert hits(config_path, '"militia of Haftar fled"') == []
    quiet = run_cli("index")  # built with these rules now: an ordinary update
    assert "rebuilding" not in quiet.stderr
