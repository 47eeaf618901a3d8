"""The index: incremental updates, rebuilds, duplicates, and search through the core API."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.search.index import SCHEMA_VERSION, IndexUnavailable, open_index, update_index
from reader.core.search.searcher import QueryError, Searcher
from reader.core.sources.scan import SkipKind


def ids(config_path: Path, query: str, *, cross_script: bool = False) -> list[str]:
    with Searcher(load_config(config_path)) as searcher:
        hits = searcher.search(query, limit=50, cross_script=cross_script).hits
        return sorted(h.id for h in hits)


def ranked(config_path: Path, query: str, **kwargs: object) -> list[str]:
    with Searcher(load_config(config_path)) as searcher:
        return [h.id for h in searcher.search(query, limit=50, **kwargs).hits]  # type: ignore[arg-type]


def test_build_then_nothing_changed(config_path: Path) -> None:
    config = load_config(config_path)
    first = update_index(config)
    assert first.rebuilt and first.added == 5 and first.total == 5
    again = update_index(config)
    assert not again.changed and again.unchanged == 5 and again.total == 5


def test_modify_add_delete(config_path: Path, corpus_dir: Path) -> None:
    config = load_config(config_path)
    update_index(config)
    assert ids(config_path, "zanzibar") == []

    # modify: a new word in 002
    path = corpus_dir / "002_21aad2d8e00821f2.txt"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nZanzibar appears here.\n", encoding="utf-8"
    )
    report = update_index(config)
    assert (report.updated, report.added, report.removed) == (1, 0, 0)
    assert ids(config_path, "zanzibar") == ["002_21aad2d8e00821f2"]

    # add
    (corpus_dir / "new").mkdir()
    (corpus_dir / "new" / "extra.txt").write_text(
        "Extra title\n\nZanzibar again.\n", encoding="utf-8"
    )
    report = update_index(config)
    assert report.added == 1 and report.total == 6
    assert ids(config_path, "zanzibar") == ["002_21aad2d8e00821f2", "new/extra"]

    # delete
    path.unlink()
    report = update_index(config)
    assert report.removed == 1 and report.total == 5
    assert ids(config_path, "zanzibar") == ["new/extra"]


def test_touched_but_unchanged_file_is_not_reindexed(config_path: Path, corpus_dir: Path) -> None:
    config = load_config(config_path)
    update_index(config)
    path = corpus_dir / "001_629cc8aa1a0900a3.txt"
    os.utime(path, ns=(1, 1))
    report = update_index(config)
    assert not report.changed and report.unchanged == 5


def test_duplicates_are_flagged_not_indexed_twice(config_path: Path, corpus_dir: Path) -> None:
    shutil.copy(corpus_dir / "000_7b206ec7414ebb17.txt", corpus_dir / "zz_copy.txt")
    report = update_index(load_config(config_path))
    assert report.total == 5
    assert report.duplicates == [("zz_copy", "000_7b206ec7414ebb17")]


def test_rebuilds_itself_when_damaged(config_path: Path) -> None:
    config = load_config(config_path)
    update_index(config)
    current = (config.index_dir / "CURRENT").read_text().strip()
    for path in (config.index_dir / current).iterdir():
        path.write_bytes(b"garbage")
    report = update_index(config)
    assert report.rebuilt
    assert "cannot" in report.rebuild_reason or "older" in report.rebuild_reason
    assert ids(config_path, "Sirte") == ["000_7b206ec7414ebb17", "001_629cc8aa1a0900a3"]


def test_rebuilds_itself_on_older_schema(config_path: Path) -> None:
    config = load_config(config_path)
    update_index(config)
    current = (config.index_dir / "CURRENT").read_text().strip()
    manifest = config.index_dir / current / "manifest.json"
    current_schema = f'"schema": {SCHEMA_VERSION}'
    manifest.write_text(manifest.read_text().replace(current_schema, '"schema": 1'))
    report = update_index(config)
    assert report.rebuilt and "older version" in report.rebuild_reason


def test_missing_index_says_what_to_do(config_path: Path) -> None:
    with pytest.raises(IndexUnavailable, match="reader index"):
        open_index(load_config(config_path))


def test_interrupted_rebuild_keeps_the_old_index(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(config_path)
    update_index(config)
    import reader.core.search.index_build as index_module

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(index_module, "_index_file", boom)
    with pytest.raises(KeyboardInterrupt):
        update_index(config, rebuild=True)
    monkeypatch.undo()
    assert ids(config_path, "Sirte") == ["000_7b206ec7414ebb17", "001_629cc8aa1a0900a3"]
    assert len(list(config.index_dir.glob("gen-*"))) == 1


def test_search_features(config_path: Path) -> None:
    update_index(load_config(config_path))
    assert ids(config_path, "المسمارى") == ["003_cf72655655ca3791"]
    assert ids(config_path, '"operations room"') == ["000_7b206ec7414ebb17"]
    assert "001_629cc8aa1a0900a3" in ids(config_path, "recogni*")  # prefix on unstemmed words
    assert ids(config_path, "Haftar AND NOT Sirte") == [
        "002_21aad2d8e00821f2",
        "004_9e772252006eaafa",
    ]
    assert ids(config_path, "lang:ar") == ["003_cf72655655ca3791"]
    assert ids(config_path, "the") == []  # only a stopword: no hits, no error


def test_filters_and_marks(config_path: Path) -> None:
    update_index(load_config(config_path))
    with Searcher(load_config(config_path)) as searcher:
        results = searcher.search("Haftar", lang="ar", cross_script=False)
        assert [h.id for h in results.hits] == []
        hit = searcher.search("Sirte", limit=1).hits[0]
        start, end = hit.snippet_marks[0]
        assert hit.snippet[start:end] == "Sirte"
        arabic = searcher.search("الوطيه", cross_script=False).hits[0]
        start, end = arabic.snippet_marks[0]
        assert arabic.snippet[start:end] == "الوطية"


@pytest.mark.parametrize("query", ['"open', "(a OR b", "a)", "nosuch:field", "AND", "x OR"])
def test_malformed_queries_raise_query_error(config_path: Path, query: str) -> None:
    update_index(load_config(config_path))
    with Searcher(load_config(config_path)) as searcher, pytest.raises(QueryError):
        searcher.search(query)


def test_cross_script_names_rank_after_same_language(config_path: Path) -> None:
    update_index(load_config(config_path))
    # Haftar finds the Arabic article that writes حفتر, after the English ones.
    haftar = ranked(config_path, "Haftar")
    assert haftar[-1] == "003_cf72655655ca3791" and len(haftar) == 5
    # And the other way round: حفتر finds 003 first, then the English articles.
    hifter = ranked(config_path, "حفتر")
    assert hifter[0] == "003_cf72655655ca3791"
    assert set(hifter[1:]) == {
        "000_7b206ec7414ebb17",
        "001_629cc8aa1a0900a3",
        "002_21aad2d8e00821f2",
        "004_9e772252006eaafa",
    }
    assert ranked(config_path, "Mismari")[-1] == "003_cf72655655ca3791"
    assert "003_cf72655655ca3791" not in ranked(config_path, "Mismari", cross_script=False)


def test_arabic_copied_off_a_screen_finds_what_it_finds_typed(config_path: Path) -> None:
    # What a terminal shows of "خليفة حفتر", copied: shaped glyphs, in visual order. Its names
    # are looked up in the other script as typed ones are (it found the Arabic article alone).
    update_index(load_config(config_path))
    assert ranked(config_path, "ﺮﺘﻔﺣ ﺔﻔﻴﻠﺧ") == ranked(config_path, "خليفة حفتر")
    assert len(ranked(config_path, "ﺮﺘﻔﺣ")) == 5


def test_cross_script_match_is_highlighted(config_path: Path) -> None:
    update_index(load_config(config_path))
    with Searcher(load_config(config_path)) as searcher:
        hit = next(h for h in searcher.search("Haftar").hits if h.lang == "ar")
        marked = {hit.snippet[s:e] for s, e in hit.snippet_marks}
        assert "حفتر" in marked


def test_browse_lists_newest_first_and_filters(config_path: Path, corpus_dir: Path) -> None:
    for name, day, outlet in (
        ("001_629cc8aa1a0900a3", 9, "Al Jazeera"),
        ("004_9e772252006eaafa", 2, "News Front"),
    ):
        (corpus_dir / f"{name}.toml").write_text(
            f'published = 2020-06-{day:02d}\noutlet = "{outlet}"\n', encoding="utf-8"
        )
    update_index(load_config(config_path))
    with Searcher(load_config(config_path)) as searcher:
        order = [h.id for h in searcher.browse()]
        assert order[:2] == ["001_629cc8aa1a0900a3", "004_9e772252006eaafa"]  # dated, newest first
        assert order[2:] == ["000_7b206ec7414ebb17", "002_21aad2d8e00821f2", "003_cf72655655ca3791"]
        assert [h.id for h in searcher.browse(lang="ar")] == ["003_cf72655655ca3791"]
        assert [h.id for h in searcher.browse(outlet="news front")] == ["004_9e772252006eaafa"]
        assert searcher.outlets() == ["Al Jazeera", "News Front"]
        assert [h.id for h in searcher.browse(limit=1)] == ["001_629cc8aa1a0900a3"]


def test_one_id_is_never_two_articles(config_path: Path, corpus_dir: Path) -> None:
    """A JSON record's "id": "2" is the id record 2 (with none) falls back to, and the id of
    the file 2.txt in a folder named as the JSON file: two articles had one id, `show` reached
    one, and an update dropped the other (found by attacking the app)."""
    config = load_config(config_path)
    records = [
        {"id": "2", "title": "first", "body": "collide alpha"},
        {"title": "second", "body": "collide beta"},
    ]
    (corpus_dir / "col.json").write_text(json.dumps(records), encoding="utf-8")
    update_index(config)
    found = ids(config_path, "collide")
    assert len(found) == 2 and len(set(found)) == 2 and "col/2" in found, found
    # A file that would be an article of the same id, added later: the first one read keeps
    # the id, the file is reported (and read again at every update), no article is lost.
    (corpus_dir / "col").mkdir()
    (corpus_dir / "col" / "2.txt").write_text("third\n\ncollide gamma\n", encoding="utf-8")
    report = update_index(config)
    taken = [s for s in report.skipped if s.kind == SkipKind.ID_TAKEN]
    assert [s.path.name for s in taken] == ["2.txt"], report.skipped
    assert "its id 'col/2' is the id of " in taken[0].reason and "col.json" in taken[0].reason
    assert ids(config_path, "alpha") == ["col/2"] and ids(config_path, "gamma") == []
    assert len(update_index(config).skipped) == 1  # said again, nothing changed
    # A rebuild reads them in the same order, with the same result.
    rebuilt = update_index(config, rebuild=True)
    assert [s.path.name for s in rebuilt.skipped if s.kind == SkipKind.ID_TAKEN] == ["2.txt"]
    assert ids(config_path, "alpha") == ["col/2"] and len(ids(config_path, "collide")) == 2
    # Once the JSON file is gone, the file takes the id.
    (corpus_dir / "col.json").unlink()
    update_index(config)
    assert ids(config_path, "collide") == ["col/2"] and ids(config_path, "gamma") == ["col/2"]
