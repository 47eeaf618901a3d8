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


def _walks(config: object) -> tuple[object, object]:
    """(the quick walk's files and skipped, the full walk's), comparable."""
    items = list(scan_corpus(config))  # type: ignore[arg-type]
    full = {str(i.path): (i.size, i.mtime_ns) for i in items if not isinstance(i, Skipped)}
    passed = sorted((str(i.path), i.reason, i.kind) for i in items if isinstance(i, Skipped))
    quick = _plain_files(config)  # type: ignore[arg-type]
    if quick is None:
        return None, (full, passed)
    return (quick[0], sorted((str(i.path), i.reason, i.kind) for i in quick[1])), (full, passed)


def test_the_quick_walk_stamps_and_passes_over_what_the_full_walk_does(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "C.TXT").write_text(TEXT, encoding="utf-8")  # a suffix in capitals
    (corpus / "C.toml").write_text('outlet = "Capital"\n', encoding="utf-8")
    (corpus / "d.Md").write_text("# D\n\nMixed case.\n", encoding="utf-8")
    (corpus / "d.TOML").write_text('outlet = "Not stamped"\n', encoding="utf-8")  # is_sidecar
    (corpus / "e.json").write_text('{"title": "E", "body": "A json article."}', "utf-8")
    (corpus / "e.toml").write_text('outlet = "No sidecar for json"\n', encoding="utf-8")
    (corpus / "notes.toml").write_text("", encoding="utf-8")  # beside no article
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "README").write_text("not an article\n", encoding="utf-8")
    (corpus / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    deeper = corpus / "sub" / "x.d"
    deeper.mkdir(parents=True)
    (deeper / "f.htm").write_text("<title>F</title><p>Deep.</p>", encoding="utf-8")
    (deeper / "f.toml").write_text('outlet = "Deep"\n', encoding="utf-8")
    config = load_config(config_file(tmp_path / "w", corpus, None))
    quick, full = _walks(config)
    assert quick == full
    assert len(full[0]) == 6 and len(full[1]) == 4  # type: ignore[index]
    stamped = quick[0][str(corpus / "C.TXT")][1]  # type: ignore[index]
    assert stamped != (corpus / "C.TXT").stat().st_mtime_ns  # its sidecar mixed in

    # What only the full walk decides: the quick walk gives None, never another answer.
    (corpus / "g.toml").mkdir()  # a folder named like the sidecar of an article
    (corpus / "g.txt").write_text(TEXT, encoding="utf-8")
    assert _walks(config)[0] is None
    (corpus / "g.toml").rmdir()
    (corpus / "h.txt").mkdir()  # a folder named like an article
    assert _walks(config)[0] is None
    (corpus / "h.txt").rmdir()
    (corpus / "sub" / "link.md").symlink_to(corpus / "b.md")
    assert _walks(config)[0] is None
    (corpus / "sub" / "link.md").unlink()
    quick, full = _walks(config)
    assert quick == full
