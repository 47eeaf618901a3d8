"""What a build holds in memory at once does not grow with the corpus (counted, never the
resident size of the test process): the index is not mapped whole to count its articles,
the events layer holds one article's whole body at a time, profiles share their words, and
the files of the event store are written in pieces."""

from __future__ import annotations

import dataclasses
import json
import random
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reader.core.config import Config, load_config
from reader.core.events import profiling, store_files
from reader.core.events.features import LEAD_CHARS, Profile
from reader.core.events.store import read_leads, refresh
from reader.core.events.store_files import PROFILES_FILE, article_digest, profile_record
from reader.core.library import Library
from reader.core.names.gazetteer import gazetteer_for
from reader.core.search import searcher as searcher_module
from reader.core.search.index import live_folder
from reader.core.sources.article import Article
from tests.conftest import write_config
from tests.test_event_store import generated_corpus


class _Body(str):
    """An article body that counts how many bodies are alive at once."""

    alive = 0
    most = 0

    def __new__(cls, text: str) -> _Body:
        body = super().__new__(cls, text)
        _Body.alive += 1
        _Body.most = max(_Body.most, _Body.alive)
        return body

    def __del__(self) -> None:
        _Body.alive -= 1


def _long_corpus(folder: Path, articles: int) -> Path:
    """``articles`` articles, each with a body several times the lead profiling reads."""
    folder.mkdir(parents=True)
    rng = random.Random(19)
    words = ["Sirte", "Derna", "council", "water", "talks", "said", "the", "of", "report"]
    for n in range(articles):
        paragraphs = [
            " ".join(rng.choice(words) for _ in range(60)) + "."
            for _ in range(4 * LEAD_CHARS // 300)
        ]
        text = f"Report {n} on the talks\n\n" + "\n\n".join(paragraphs) + "\n"
        (folder / f"a{n:03}.txt").write_text(text, encoding="utf-8")
    return folder


def test_refreshing_events_holds_one_whole_body_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _long_corpus(tmp_path / "corpus", 30)
    config = load_config(write_config(tmp_path))
    with Library(config) as library:
        library.update(events=False)
        real = searcher_module.article_from_fields  # type: ignore[attr-defined]

        def counted(fields: Any) -> Article:
            article = real(fields)
            assert len(article.body) > 2 * LEAD_CHARS
            return dataclasses.replace(article, body=_Body(article.body))

        monkeypatch.setattr(searcher_module, "article_from_fields", counted)
        _Body.alive = _Body.most = 0
        assert library.refresh_events(rebuild=True) is not None
    # Every body was read (30 made); all 30 were held at once before.
    assert _Body.most <= 2


def _articles(config: Config) -> list[Article]:
    with Library(config) as library:
        library.update(events=False)
        return library.articles()


def test_events_of_leads_and_digests_are_those_of_whole_articles(tmp_path: Path) -> None:
    generated_corpus(tmp_path / "corpus")
    _long_corpus(tmp_path / "corpus" / "long", 12)
    config = load_config(write_config(tmp_path))
    articles = _articles(config)
    gazetteer = gazetteer_for(None)
    whole, leads = tmp_path / "whole", tmp_path / "leads"
    whole.mkdir()
    leads.mkdir()
    refresh(whole, articles, gazetteer, "g", threshold=0.3, rebuild=True, stamp="s")
    fields: list[Article] = []
    digests: dict[str, str] = {}
    handed = read_leads(iter(articles), fields, digests)
    refresh(leads, handed, gazetteer, "g", threshold=0.3, rebuild=True, stamp="s", digests=digests)
    for name in (PROFILES_FILE, "events.json"):
        assert (leads / name).read_bytes() == (whole / name).read_bytes()
    assert fields == [dataclasses.replace(a, body="") for a in articles]
    assert digests == {a.id: article_digest(a) for a in articles}


def _packed(article_id: str, words: list[str]) -> profiling.Packed:
    # Each string made anew, as unpickling a worker's chunk makes them.
    fresh = ["".join(list(w)) for w in words]
    return (article_id, "en", 0, {fresh[0]: 1}, {w: 2 for w in fresh}, (fresh[1],), (), (), (), {})


def test_profiles_from_workers_share_their_words() -> None:
    words = ["ceasefire", "talks", "council"]
    first, second = (profiling._unpacked(_packed(i, words)) for i in ("a", "b"))
    assert first == dataclasses.replace(second, article_id="a")
    # One copy of each word for every profile (190 MB of profiles at 10,000 articles, not 56).
    for a, b in zip(first.terms, second.terms, strict=True):
        assert a is b
    assert next(iter(first.entities)) is next(iter(second.entities))
    assert next(iter(first.facts)) is next(iter(second.facts))


def _profile(n: int) -> Profile:
    return Profile(
        f"id{n:05}\u00e9",
        "en",
        date(2020, 1, 1 + n % 28),
        Counter({"e\u00e8": 2}),
        Counter({"حفتر": 3, f"word{n}": 1}),
        frozenset({"x"}),
        frozenset({date(2020, 1, 2)}),
    )


def test_profiles_file_is_written_in_pieces_of_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profiles = {p.article_id: p for p in map(_profile, range(1200))}
    digests = {i: f"d{i}" for i in profiles}
    settings = {"threshold": 0.3, "gazetteer": "g"}
    pieces: list[bytes] = []
    real = store_files.write_atomically  # type: ignore[attr-defined]

    def recording(path: Path, data: Any) -> None:
        if path.name == PROFILES_FILE:
            data = list(data) if not isinstance(data, bytes) else [data]
            pieces.extend(data)
            data = b"".join(data)
        real(path, data)

    monkeypatch.setattr(store_files, "write_atomically", recording)
    store_files.write_files(tmp_path, "s", settings, profiles, digests, [])
    whole = {
        "settings": settings,
        "articles": {i: profile_record(profiles[i], digests[i]) for i in sorted(profiles)},
        "groups": [],
    }
    written = b"".join(pieces)
    assert json.loads(written) == whole
    # As json.dumps writes it, with each article's entry on a line of its own.
    lines = written.split(b"\n")
    assert len(lines) == len(profiles) + 2
    assert lines[0] == f'{{"settings": {json.dumps(settings)}, "articles": {{'.encode("ascii")
    assert lines[-1] == b'}, "groups": []}'
    entries = [f"{json.dumps(i)}: {json.dumps(whole['articles'][i])}" for i in sorted(profiles)]
    assert lines[1:-1] == [e.encode("ascii") + b"," for e in entries[:-1]] + [
        entries[-1].encode("ascii")
    ]
    assert (tmp_path / PROFILES_FILE).read_bytes() == written
    # Pieces of at most 500 profiles: never the whole file (about 130 bytes a profile here).
    assert len(pieces) >= 3
    assert max(map(len, pieces)) < 500 * 200


class _CountingMmap:
    """``mmap`` as Whoosh's compound storage uses it, counting the bytes it maps."""

    mapped = 0

    def __init__(self, real: Any) -> None:
        self.real = real
        self.error = real.error
        self.ACCESS_READ = real.ACCESS_READ

    def mmap(self, fileno: int, length: int, **kwargs: Any) -> Any:
        import os

        _CountingMmap.mapped += os.fstat(fileno).st_size
        return self.real.mmap(fileno, length, **kwargs)


def test_a_rebuild_maps_no_segment_to_count_its_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh.filedb import compound

    generated_corpus(tmp_path / "corpus")
    config = load_config(write_config(tmp_path))
    monkeypatch.setattr(compound, "mmap", _CountingMmap(compound.mmap))
    _CountingMmap.mapped = 0
    with Library(config) as library:
        report = library.update(rebuild=True, events=False)
    assert report.total == 28
    assert live_folder(config) is not None
    # Reading a mapped segment's pages makes them resident: the whole index, at 10,000
    # articles 175 MB, just to count its documents.
    assert _CountingMmap.mapped == 0


def test_map_in_processes_hands_each_result_on_as_it_arrives() -> None:
    from reader.core.files.processes import map_in_processes

    seen: list[list[int]] = []

    def then(result: list[int]) -> int:
        seen.append(result)
        return sum(result)

    items = [[n, n + 1] for n in range(6)]
    assert map_in_processes(sorted, items, 2, then) == [2 * n + 1 for n in range(6)]
    assert sorted(map(tuple, seen)) == sorted(map(tuple, items))


def test_a_rebuild_lets_each_corpus_file_go_once_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.search import index_build

    generated_corpus(tmp_path / "corpus")
    config = load_config(write_config(tmp_path))
    listed: list[list[Any]] = []
    held: list[int] = []
    real_sources, real_index_file = index_build._sources, index_build._index_file

    def sources(*args: Any) -> list[Any]:
        found = real_sources(*args)
        listed.append(found)
        return found

    def index_file(*args: Any, **kwargs: Any) -> None:
        held.append(sum(len(found) for found in listed))
        real_index_file(*args, **kwargs)

    monkeypatch.setattr(index_build, "_sources", sources)
    monkeypatch.setattr(index_build, "_index_file", index_file)
    with Library(config) as library:
        library.update(rebuild=True, events=False)
    # The k-th file indexed, the files not yet indexed are all that is held (the whole list
    # of 28 for every file before: 27 MB of paths at 50,000 articles).
    assert held == list(range(27, -1, -1))


def test_the_similarity_table_is_the_same_whatever_parts_its_words_are_collected_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from reader.core.events import feature_lists, store_scores

    generated_corpus(tmp_path / "corpus")
    config = load_config(write_config(tmp_path))
    articles = _articles(config)
    gazetteer = gazetteer_for(None)
    dumps = []
    for parts in (1, 97, 1 << 18):  # entries sorted at a time
        monkeypatch.setattr(feature_lists, "PART_ENTRIES", parts)
        folder = tmp_path / f"parts-{parts}"
        folder.mkdir()
        refresh(folder, articles, gazetteer, "g", threshold=0.3, rebuild=True, stamp="s")
        with sqlite3.connect(folder / store_scores.SCORES_FILE) as db:
            dumps.append(list(db.iterdump()))
    assert dumps[0] == dumps[1] == dumps[2]
    assert any("INSERT INTO \"feature\" VALUES('t'" in line for line in dumps[0])


def test_the_manifest_is_written_in_pieces_of_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.search import index_files

    files = {
        f"/corpus/{n:05}-\udcff-é.txt": {"size": n, "mtime_ns": 10**18 + n, "ids": [f"a{n}"]}
        for n in range(4500)
    }
    manifest = {
        "schema": 7,
        "files": files,
        "keys": {f"k{n}": f"a{n}" for n in range(4500)},
        "empty": {},
        "numbers": {1: "one"},
        "settings": {"reading": "حفتر", "limit": 2.5},
    }
    pieces: list[bytes] = []
    real = index_files.write_atomically  # type: ignore[attr-defined]

    def recording(path: Path, data: Any) -> None:
        if path.name == index_files.MANIFEST:
            data = list(data) if not isinstance(data, bytes) else [data]
            pieces.extend(data)
            data = b"".join(data)
        real(path, data)

    monkeypatch.setattr(index_files, "write_atomically", recording)
    (tmp_path / "gen").mkdir()
    index_files.write_manifest(tmp_path / "gen", manifest)
    whole = json.dumps(manifest, ensure_ascii=False, allow_nan=False)
    assert b"".join(pieces) == whole.encode("utf-8", errors="backslashreplace")
    assert json.loads((tmp_path / "gen" / index_files.MANIFEST).read_bytes()) == json.loads(whole)
    # Never the whole text at once (80 MB with its parts at 50,000 articles): pieces of at
    # most 2,000 entries (about 100 bytes each here).
    assert len(pieces) >= 6
    assert max(map(len, pieces)) < 2000 * 120


def test_writing_a_new_manifest_does_not_read_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.search import index_files

    reads: list[Path] = []
    real = index_files.read_manifest

    def counting(folder: Path) -> dict[str, Any]:
        reads.append(folder)
        return real(folder)

    monkeypatch.setattr(index_files, "read_manifest", counting)
    folder = tmp_path / "gen-1"
    folder.mkdir()
    manifest = {"schema": index_files.SCHEMA_VERSION, "files": {}, "keys": {}, "settings": {}}
    index_files.write_manifest(folder, manifest)  # a new generation: no index.json yet
    index_files.write_manifest(folder, manifest)  # and again, with the one just written
    # Read back, the manifest of 50,000 articles took 70 MB (to learn there was no index.json).
    assert reads == []
    assert json.loads((folder / index_files.FINGERPRINT).read_bytes())["schema"] == (
        index_files.SCHEMA_VERSION
    )
