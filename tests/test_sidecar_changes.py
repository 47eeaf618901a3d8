"""A change to a NAME.toml sidecar alone (its outlet, date, url...) is a change to its article:
an update reads the article again, on both backends, and the quick check of the corpus against
the index says it differs. Before, only the article file's size and time were compared, so a
corrected outlet in a sidecar never reached the index (the search kept the old one)."""

from __future__ import annotations

import os
from pathlib import Path

from reader.core.config import load_config
from reader.core.library import Library
from reader.core.search.freshness import _plain_files, index_matches_corpus
from reader.core.sources.corpus import Skipped, scan_corpus
from tests.pg_support import config_file, new_database

TEXT = "Strike hits port\n\nA strike hit the port of Misrata on Monday, killing 12 people.\n"


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "a.toml").write_text('outlet = "Alpha News"\n', encoding="utf-8")
    (corpus / "b.md").write_text("# Port reopens\n\nThe port of Misrata reopened.\n", "utf-8")
    return corpus


def _edit(path: Path, text: str) -> None:
    """Write ``text`` and move the time on, as an edit a second later would."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def _outlet(library: Library) -> str:
    with library:
        hits = library.search("Misrata").hits
    return next(h.outlet for h in hits if h.id == "a")


def _check(library: Library, corpus: Path) -> None:
    library.update()
    assert _outlet(library) == "Alpha News"
    sidecar = corpus / "a.toml"
    _edit(sidecar, 'outlet = "Beta Wire"\n')
    report = library.update()
    assert report.updated == 1
    assert _outlet(library) == "Beta Wire"
    sidecar.unlink()
    library.update()
    assert _outlet(library) == ""
    _edit(sidecar, 'outlet = "Gamma Post"\n')
    library.update()
    assert _outlet(library) == "Gamma Post"
    assert library.update().changed is False  # and then nothing more to do


def test_a_sidecar_changed_alone_is_read_again(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    _check(Library(load_config(config_file(tmp_path / "w", corpus, None))), corpus)


def test_a_sidecar_changed_alone_is_read_again_on_the_server(
    pg_cluster: object, tmp_path: Path
) -> None:
    corpus = _corpus(tmp_path)
    conninfo = new_database(pg_cluster)
    _check(Library(load_config(config_file(tmp_path / "s", corpus, conninfo))), corpus)


def test_the_index_stops_matching_the_corpus_when_only_a_sidecar_changes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    config = load_config(config_file(tmp_path / "w", corpus, None))
    full = {
        str(i.path): (i.size, i.mtime_ns) for i in scan_corpus(config) if not isinstance(i, Skipped)
    }
    quick = _plain_files(config)
    assert quick is not None and quick[0] == full  # the quick walk stamps sidecars as the scan does
    with Library(config) as library:
        library.update()
        assert index_matches_corpus(config)
        _edit(corpus / "a.toml", 'outlet = "Beta Wire"\n')
        assert not index_matches_corpus(config)
        library.update()
        assert index_matches_corpus(config)
        (corpus / "a.toml").unlink()
        assert not index_matches_corpus(config)


def test_a_sidecar_ignored_is_not_counted_as_a_file_skipped(tmp_path: Path) -> None:
    """The article of an unusable sidecar is indexed: the summary said "2 file(s) skipped"
    for one PDF and one such sidecar (found by trying the app)."""
    from tests.conftest import cli_in_process, write_config

    corpus = _corpus(tmp_path)
    (corpus / "a.toml").write_text('outlet = "Alpha\n', encoding="utf-8")  # unclosed string
    (corpus / "report.pdf").write_bytes(b"%PDF-1.4")
    config = load_config(write_config(tmp_path, corpus="news"))
    with Library(config) as library:
        report = library.update()
    assert report.total == 2 and len(report.skipped) == 2
    assert report.files_skipped == 1 and report.sidecars_ignored == 1
    assert report.summary().endswith(" · 1 file(s) skipped · 1 sidecar(s) ignored")
    (corpus / "b.md").write_text("# Port shut\n\nThe port of Misrata shut.\n", encoding="utf-8")
    done = cli_in_process(["--config", str(tmp_path / "config.toml"), "index"])
    assert "1 skipped, 1 sidecar(s) ignored)" in done.stderr, done.stderr
    assert "a.toml: ignored:" in done.stderr
