"""Broken files and folders, and a damaged or busy index: indexing finishes, each skipped file
is reported once with its reason, and nothing ends in a traceback. Every file is generated
here; no binary fixture is committed."""

from __future__ import annotations

import fcntl
import os
import zipfile
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.search.index import IndexUnavailable, update_index
from reader.core.search.searcher import Searcher
from reader.core.sources.corpus import read_source
from tests.conftest import CliRunner, write_config


def build_broken_corpus(root: Path) -> dict[str, str]:
    """Write a corpus of bad files; return file name -> the reason it must be skipped for."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "good.txt").write_text("A good article\n\nSirte is a city.\n", encoding="utf-8")
    (root / "bad-utf8.txt").write_bytes(b"Title \xc3\x28 bad\n\nbody \xa0\xa1 text about Sirte\n")
    (root / "arabic-1256.txt").write_bytes("عنوان\n\nنص عن سرت\n".encode("cp1256"))
    (root / "utf16.txt").write_bytes("UTF-16 title\n\nSirte body\n".encode("utf-16"))
    (root / "empty.txt").write_bytes(b"")
    (root / "spaces.md").write_text(" \n\t\n  \n", encoding="utf-8")
    (root / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    with zipfile.ZipFile(root / "archive.json", "w") as archive:
        archive.writestr("x.txt", "hello")
    (root / "doc.md").write_bytes(b"%PDF-1.7\n" + os.urandom(64))
    (root / "nul.txt").write_bytes(b"title\x00 with nul\x00" * 20)
    (root / "huge.txt").write_bytes(b"Huge\n\n" + b"x " * 700_000)
    deep = root.joinpath(*[f"level{i}" for i in range(40)])
    deep.mkdir(parents=True)
    (deep / "deep.txt").write_text("Deep title\n\nDeep body.\n", encoding="utf-8")
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "title-only.txt").write_text("Only a title here\n", encoding="utf-8")
    (root / "long-title.txt").write_text("T" * 10_000 + "\n\nbody\n", encoding="utf-8")
    (root / "copy-of-good.txt").write_text("A good article\n\nSirte is a city.\n", encoding="utf-8")
    feed = '{"title": "ok", "body": "fine"}\n{not json\n'
    (root / "feed.jsonl").write_text(feed, encoding="utf-8")
    return {
        "empty.txt": "empty file",
        "spaces.md": "empty file",
        "picture.txt": "binary file",
        "archive.json": "binary file",
        "doc.md": "binary file",
        "nul.txt": "binary file",
        "huge.txt": "larger than the size limit",
        "feed.jsonl": "line 2: broken JSON",
    }


def test_indexing_a_broken_corpus_finishes(tmp_path: Path) -> None:
    expected = build_broken_corpus(tmp_path / "corpus")
    config_path = write_config(tmp_path, extra="")
    config_path.write_text(
        config_path.read_text(encoding="utf-8").replace(
            "[storage]", "max_file_mb = 1\n\n[storage]"
        ),
        encoding="utf-8",
    )
    config = load_config(config_path)
    report = update_index(config)
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert len(report.skipped) == len(expected)  # each once
    for name, reason in expected.items():
        assert reasons[name].startswith(reason), (name, reasons.get(name))
    assert report.duplicates == [("good", "copy-of-good")] or report.duplicates == [
        ("copy-of-good", "good")
    ]
    with Searcher(config) as searcher:
        ids = set(searcher.ids())
        assert len(ids & {"good", "copy-of-good"}) == 1
        assert {"bad-utf8", "arabic-1256", "utf16", "title-only", "long-title"} <= ids
        assert "level0/" + "/".join(f"level{i}" for i in range(1, 40)) + "/deep" in ids
        # A first line of 10,000 characters is no headline: it is kept whole as the body, and
        # the title is its first 120 characters.
        long_title = searcher.article("long-title")
        assert long_title is not None
        assert long_title.title == "T" * 120 + "…"
        assert long_title.body == "T" * 10_000 + "\nbody"
        assert "arabic-1256" in {h.id for h in searcher.search("سرت", cross_script=False).hits}
    # Nothing changed: a second run reports nothing new and still finishes.
    again = update_index(config)
    assert not again.changed


def test_file_deleted_while_indexing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b", "c"):
        (corpus / f"{name}.txt").write_text(f"Title {name}\n\nbody {name}\n", encoding="utf-8")
    import reader.core.search.index_build as index_module

    def vanish_then_read(source, config, roots=None):  # type: ignore[no-untyped-def]
        if source.path.name == "b.txt":
            source.path.unlink()
        if source.path.name == "c.txt":
            source.path.write_text("Rewritten\n\nnew body\n", encoding="utf-8")
        return read_source(source, config, roots)

    monkeypatch.setattr(index_module, "read_source", vanish_then_read)
    config = load_config(write_config(tmp_path))
    report = update_index(config)
    assert [s.reason for s in report.skipped] == ["cannot read: No such file or directory"]
    assert report.total == 2
    monkeypatch.undo()
    again = update_index(config)  # the next run notices the file is gone for good
    assert again.total == 2


def test_index_busy_with_another_writer(config_path: Path) -> None:
    config = load_config(config_path)
    update_index(config)
    with open(config.index_dir / "update.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(IndexUnavailable, match="another reader is updating"):
            update_index(config, wait=0.3)
        # Searching meanwhile still works: readers never need the lock.
        with Searcher(config) as searcher:
            assert searcher.search("Sirte").hits


def test_index_folder_not_writable(config_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(config_path)
    update_index(config)
    real_mkdir = Path.mkdir

    def deny(self: Path, *args: object, **kwargs: object) -> None:
        if "gen-" in self.name:
            raise PermissionError(13, "Permission denied", str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", deny)
    with pytest.raises(IndexUnavailable, match="cannot write the index"):
        update_index(config, rebuild=True)
    monkeypatch.undo()
    with Searcher(config) as searcher:  # the old index is still there
        assert searcher.search("Sirte").hits


def test_cli_reports_busy_index_without_traceback(config_path: Path, run_cli: CliRunner) -> None:
    assert run_cli("index").returncode == 0
    config = load_config(config_path)
    with open(config.index_dir / "update.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        (config.corpus_paths[0] / "new.txt").write_text("New\n\nbody\n", encoding="utf-8")
        result = run_cli("index", "--wait", "0.2")
    assert result.returncode == 1
    assert "another reader is updating the index" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_on_garbage_index_rebuilds_and_says_so(config_path: Path, run_cli: CliRunner) -> None:
    assert run_cli("index").returncode == 0
    config = load_config(config_path)
    current = (config.index_dir / "CURRENT").read_text().strip()
    for path in (config.index_dir / current).iterdir():
        path.write_bytes(os.urandom(100))
    search = run_cli("search", "Sirte", "--json")
    assert search.returncode == 0 and search.stdout.count("\n") == 2
    assert search.stderr.count("\n") == 1, search.stderr  # one line: damaged, rebuilding
    assert "is damaged" in search.stderr and "rebuilding it" in search.stderr
    for path in (config.index_dir / current).parent.glob("gen-*/*"):
        if path.is_file():
            path.write_bytes(os.urandom(100))
    result = run_cli("index")
    assert result.returncode == 0 and "rebuilding the index" in result.stderr
    assert run_cli("search", "Sirte", "--json").stdout.count("\n") == 2
