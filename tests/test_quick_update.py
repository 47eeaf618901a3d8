"""An update with nothing to do: ended by the quick walk (one stat an article file and its
sidecar), reporting exactly what the full walk reports, and without decoding the manifest
or the stored events again (at 50,000 articles the full path took 4.4 s of wall time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader.core.config import Config, load_config
from reader.core.events import store_files
from reader.core.library import Library
from reader.core.search import freshness, index, index_build
from reader.core.search.index_build import UpdateReport
from tests.conftest import write_config
from tests.test_event_store import generated_corpus


@pytest.fixture
def crowded(tmp_path: Path) -> Config:
    """A corpus folder that also holds the config, the index and the notes (reader's own
    places, never articles), a sidecar, files of other formats, and a second corpus folder
    that does not exist."""
    generated_corpus(tmp_path / "articles")
    (tmp_path / "articles" / "g0-00.toml").write_text('outlet = "Herald"\n', "utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "articles" / "README").write_text("not an article\n", encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "x.json").write_text("{}", encoding="utf-8")
    path = write_config(tmp_path, corpus=".")
    text = path.read_text(encoding="utf-8").replace('paths = ["."]', 'paths = [".", "gone"]')
    path.write_text(text, encoding="utf-8")
    (tmp_path / "gone").mkdir()  # a folder the config names must exist when it is read
    config = load_config(path)
    (tmp_path / "gone").rmdir()  # ...and may be gone later (an unplugged disk)
    return config


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """A list that gets a 1 each time ``module.name`` is called (it still does its work)."""
    calls: list[int] = []
    real = getattr(module, name)

    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(module, name, counted)
    return calls


def _seen(report: UpdateReport) -> tuple[Any, ...]:
    return (
        report.summary(),
        report.problems(),
        report.total,
        report.unchanged,
        report.changed,
        sorted((str(s.path), s.reason, s.kind) for s in report.skipped),
    )


def test_an_update_with_nothing_to_do_reports_what_the_full_walk_reports(
    crowded: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(crowded) as library:
        first = library.update()
        assert first.rebuilt and first.total > 20
    assert freshness.unchanged_corpus(crowded) is not None
    with monkeypatch.context() as patched:  # the full walk, as before
        patched.setattr(freshness, "unchanged_corpus", lambda config: None)
        with Library(crowded) as library:
            full = library.update()

    def no_walk(config: Config) -> Any:
        raise AssertionError("the full walk was taken")

    monkeypatch.setattr(index_build, "scan_corpus", no_walk)
    with Library(crowded) as library:
        quick = library.update()
    assert _seen(quick) == _seen(full)
    assert not quick.changed and quick.unchanged == first.total
    kinds = {s.kind.name for s in quick.skipped}
    assert kinds == {"UNSUPPORTED", "MISSING_FOLDER"}  # report.pdf, README, gone
    assert len(quick.skipped) == 3


def test_a_thorough_update_and_a_changed_file_take_the_full_walk(
    crowded: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(crowded) as library:
        library.update()
    walks = _count_calls(monkeypatch, index_build, "scan_corpus")
    index.update_index(crowded)
    assert walks == []
    index.update_index(crowded, thorough=True)
    assert walks == [1]
    article = crowded.corpus_paths[0] / "articles" / "g0-00.toml"
    article.write_text('outlet = "Courier"\n', encoding="utf-8")  # the sidecar alone
    report = index.update_index(crowded)
    assert walks == [1, 1] and report.updated == 1


def test_the_note_of_the_index_files_is_kept_without_decoding_the_manifest(
    crowded: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(crowded) as library:
        library.update()
    reads = _count_calls(monkeypatch, freshness, "read_manifest")
    freshness.note_index_files(crowded)
    assert reads == []  # the note is of this index state and this very manifest
    report = index.update_index(crowded)  # its health check reads the settings from the note
    assert reads == [] and not report.changed and not report.rebuilt
    manifest = index.live_folder(crowded) / "manifest.json"
    manifest.write_bytes(manifest.read_bytes() + b" ")  # other bytes: read and checked again
    assert not index.update_index(crowded).rebuilt
    assert reads == [1]
    reads.clear()
    note = index.live_folder(crowded) / freshness.NOTE_FILE
    note.write_text("{", encoding="utf-8")  # damaged: written again from the manifest
    freshness.note_index_files(crowded)
    assert reads == [1]
    assert freshness.index_matches_corpus(crowded)


def test_an_update_with_nothing_to_do_does_not_decode_the_stored_events(
    crowded: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(crowded) as library:
        library.update()
        assert library.events()
    store_files._decoded.clear()
    decoded = _count_calls(monkeypatch, store_files, "_decode_events")
    with Library(crowded) as library:
        report = library.update()
        assert not report.changed
        assert decoded == []
        assert library.events()  # still read (and checked) when asked for
        assert decoded == [1]


def test_an_update_with_nothing_to_do_loads_nothing_that_computes_events(
    config_path: Path,
) -> None:
    # Checking that the stored events are current reads their header: importing grouping,
    # features and facts (some 250 ms of regular expressions) was a third of such an update.
    from tests.conftest import ROOT, cli_in_process, python_in_new_process

    assert cli_in_process(["--config", str(config_path), "index", "-q"]).returncode == 0
    probe = (
        "import sys; from pathlib import Path; from reader.core.config import load_config; "
        "from reader.core.library import Library; "
        f"report = Library(load_config(Path({str(config_path)!r}))).update(); "
        "print(report.changed, sorted(m for m in sys.modules if m.startswith("
        "('reader.core.events.grouping', 'reader.core.events.features', "
        "'reader.core.events.facts'))))"
    )
    done = python_in_new_process(["-c", probe], cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "[]"]
