"""Work done by an index build grows with the corpus, not with its square (counted, not timed)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.core.config import Config
from reader.core.sources import scan
from reader.core.sources.corpus import SourceFile, scan_corpus


class _CountingEntry:
    """A directory entry that counts how often its name is read."""

    reads = 0

    def __init__(self, entry: os.DirEntry[str]) -> None:
        self._entry = entry

    @property
    def name(self) -> str:
        _CountingEntry.reads += 1
        return self._entry.name

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._entry, attr)


_SCANDIR = os.scandir


class _CountingListing:
    def __init__(self, path: Any) -> None:
        self._listing = _SCANDIR(path)

    def __enter__(self) -> Iterator[_CountingEntry]:
        return (_CountingEntry(e) for e in self._listing.__enter__())

    def __exit__(self, *exc: object) -> None:
        self._listing.__exit__(*exc)


def test_telling_sidecars_apart_reads_each_name_a_bounded_number_of_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    articles = 300
    for n in range(articles):
        (corpus / f"a{n:04}.txt").write_text(f"Title {n}\n\nBody of article {n}.\n")
        (corpus / f"a{n:04}.toml").write_text(f'outlet = "Outlet {n}"\n')
    (corpus / "lonely.toml").write_text('outlet = "x"\n')  # a sidecar of nothing: skipped
    config = Config(
        corpus_paths=(corpus,), data_dir=tmp_path / "data", notes_dir=tmp_path / "notes"
    )
    monkeypatch.setattr(scan.os, "scandir", _CountingListing)
    found = list(scan_corpus(config))
    sources = [item for item in found if isinstance(item, SourceFile)]
    assert len(sources) == articles
    assert [item.path.name for item in found if not isinstance(item, SourceFile)] == ["lonely.toml"]
    # Each of the 601 entries is looked at a few times; a scan of every entry for each
    # sidecar reads names 300 * 601 times.
    assert _CountingEntry.reads < 20 * (2 * articles + 1)
