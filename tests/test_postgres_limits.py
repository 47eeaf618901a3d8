"""Untrusted text against the limits of PostgreSQL's text search and storage: a 3,000-letter
"word", an article with more distinct words than a tsvector holds, a NUL in a JSON record,
and a file the server refuses; each indexes what it can, says what it could not, and never
stops the update."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.library import Library, Results
from reader.core.sources.scan import SkipKind
from tests.conftest import SEEDS
from tests.pg_support import config_file, new_database


def _library(pg_cluster: object, tmp_path: Path) -> tuple[Library, Path, str]:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    conninfo = new_database(pg_cluster)
    return Library(load_config(config_file(tmp_path, corpus, conninfo))), corpus, conninfo


def _ids(library: Library, query: str) -> set[str]:
    with library:
        return {hit.id for hit in library.search(query, limit=50).hits}


def test_a_word_too_long_for_a_lexeme_is_left_out(pg_cluster: object, tmp_path: Path) -> None:
    library, corpus, _ = _library(pg_cluster, tmp_path)
    (corpus / "blob.txt").write_text(f"Blob\n\nA blob {'x' * 3000} then Qwertzia.\n", "utf-8")
    report = library.update()
    assert report.total == 6 and not report.skipped
    assert _ids(library, "Qwertzia") == {"blob"}


def test_an_article_past_the_vector_budget_is_searchable_up_to_it(
    pg_cluster: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.search.postgres import terms

    monkeypatch.setattr(terms, "VECTOR_BUDGET", 3_000)  # PostgreSQL's is 1 MB
    library, corpus, _ = _library(pg_cluster, tmp_path)
    words = " ".join(f"w{n}x" for n in range(1000))
    (corpus / "huge.txt").write_text(f"Huge\n\nKufra {words} Ghadames\n", "utf-8")
    report = library.update()
    assert report.total == 6
    [partial] = [s for s in report.skipped if s.path.name == "huge.txt"]
    assert partial.kind == SkipKind.TOO_LARGE and "only its first" in partial.reason
    assert _ids(library, "Kufra") == {"huge"}  # before the budget ran out
    assert _ids(library, "Ghadames") == set()  # after it
    assert library.update().added == 0  # not indexed again at every update


def test_positions_the_server_cannot_keep_are_said(
    pg_cluster: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phrase past the positions PostgreSQL keeps is not found there (Whoosh finds it):
    ``reader index`` says so for that article, never silently."""
    from reader.core.search.postgres import terms

    monkeypatch.setattr(terms, "MAX_POSITIONS", 4)  # PostgreSQL's is 256 per word
    library, corpus, _ = _library(pg_cluster, tmp_path)
    body = "Kufra oasis. " * 5 + "Kufra Ghadames."
    (corpus / "many.txt").write_text(f"Many\n\n{body}\n", "utf-8")
    (corpus / "few.txt").write_text("Few\n\nKufra oasis. Kufra Ghadames.\n", "utf-8")
    report = library.update()
    said = [s for s in report.skipped if s.path.name in ("many.txt", "few.txt")]
    assert [s.path.name for s in said] == ["many.txt"]
    assert said[0].kind == SkipKind.TOO_LARGE and "may not be found" in said[0].reason
    assert _ids(library, '"Kufra Ghadames"') == {"few"}  # the 6th Kufra had no position
    assert _ids(library, "Ghadames") == {"few", "many"}  # each word is still found
    assert library.update().added == 0  # said once, not indexed again at every update


def test_a_nul_in_a_record_is_stored_as_a_replacement(pg_cluster: object, tmp_path: Path) -> None:
    library, corpus, _ = _library(pg_cluster, tmp_path)
    record = {"id": "n", "title": "Nul", "body": "Qwertzia \u0000 port and Plonkvar"}
    (corpus / "nul.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    report = library.update()
    assert report.total == 6 and not report.skipped
    assert _ids(library, "Plonkvar") == {"nul/n"}
    with library:
        assert library.article("nul/n").body == "Qwertzia \ufffd port and Plonkvar"  # same offsets


def test_a_file_the_server_refuses_is_said_and_tried_again(
    pg_cluster: object, tmp_path: Path
) -> None:
    import psycopg

    library, corpus, conninfo = _library(pg_cluster, tmp_path)
    library.update()
    with psycopg.connect(conninfo, autocommit=True) as admin:  # a rule of the team's DBA
        admin.execute("ALTER TABLE reader_articles ADD CONSTRAINT c CHECK (title <> 'Banned')")
        (corpus / "a.txt").write_text("Banned\n\nKufra airport.\n", "utf-8")
        (corpus / "b.txt").write_text("Allowed\n\nKufra oasis.\n", "utf-8")
        report = library.update()
        [refused] = report.skipped
        assert refused.path.name == "a.txt"
        assert "the PostgreSQL server refused it: " in refused.reason
        assert "\n" not in refused.reason
        assert (report.added, report.total) == (1, 6)
        admin.execute("ALTER TABLE reader_articles DROP CONSTRAINT c")
    again = library.update()
    assert (again.added, again.total, again.skipped) == (1, 7, [])
    assert _ids(library, "Kufra") == {"a", "b"}


def _blocked_search(
    library: Library, conninfo: str, cancel: threading.Event | None
) -> list[object]:
    """Search while another session holds the articles table locked; set ``cancel`` (when
    given) once the search waits on the server. What the search gave, or "cancelled"."""
    import psycopg

    from reader.core.library import SearchCancelled

    outcome: list[object] = []

    def search() -> None:
        try:
            outcome.append(library.search("Haftar", cancel=cancel))
        except SearchCancelled:
            outcome.append("cancelled")

    with psycopg.connect(conninfo) as admin:  # one transaction, held until the end
        admin.execute("LOCK TABLE reader_articles IN ACCESS EXCLUSIVE MODE")
        worker = threading.Thread(target=search)
        worker.start()
        for _ in range(600):  # until the search waits on the lock
            waiting = admin.execute(  # a lock on the articles table that another waits for
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE NOT l.granted AND c.relname = 'reader_articles'"
            ).fetchone()[0]
            if waiting or not worker.is_alive():
                break
            time.sleep(0.05)
        if cancel is not None:
            cancel.set()
        worker.join(timeout=30)
        outcome.append("still running" if worker.is_alive() else "returned")
        admin.rollback()
    worker.join()
    return outcome


def test_a_search_waiting_on_the_server_is_cancelled(pg_cluster: object, tmp_path: Path) -> None:
    library, _, conninfo = _library(pg_cluster, tmp_path)
    library.update()
    with library:
        library.open()
        assert _blocked_search(library, conninfo, threading.Event()) == ["cancelled", "returned"]
        assert library.search("Haftar").hits  # the connection still serves


def test_the_time_limit_stops_a_search_on_the_server(pg_cluster: object, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    conninfo = new_database(pg_cluster)
    path = config_file(tmp_path, corpus, conninfo, extra="\n[search]\ntime_limit = 0.5\n")
    library = Library(load_config(path))
    library.update()
    with library:
        library.open()
        first, state = _blocked_search(library, conninfo, None)
        assert state == "returned"
        assert isinstance(first, Results) and first.partial and not first.hits


def test_every_article_is_read_a_page_at_a_time(
    pg_cluster: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ServerIndex.articles() never holds the library in memory: each statement it sends
    returns at most a page of rows, the first article comes after one page, and the pages
    together are every article once, in id order."""
    from reader.core.search.postgres import server as server_module
    from reader.core.search.postgres.server import ServerIndex

    library, _corpus, _conninfo = _library(pg_cluster, tmp_path)
    write = tmp_path / "corpus" / "many.jsonl"
    lines = [{"id": f"many-{n:03d}", "title": f"Item {n}", "body": f"text {n}"} for n in range(25)]
    write.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    library.update()
    monkeypatch.setattr(server_module, "ARTICLES_PAGE", 4, raising=False)
    fetched: list[int] = []
    with ServerIndex(library.config) as index:
        ids = list(index.ids())
        real = index._conn

        class Counting:
            def __getattr__(self, name: str) -> object:
                return getattr(real, name)

            def execute(self, *args: object, **kwargs: object) -> object:
                cursor = real.execute(*args, **kwargs)
                fetched.append(cursor.rowcount)
                return cursor

        index._conn = Counting()
        every = index.articles()
        first = next(iter(every))
        assert fetched == [4] and first.id == ids[0]
        rest = [a.id for a in every]
    assert [first.id, *rest] == ids and len(ids) == 30
    assert max(fetched) <= 4 and sum(fetched) == 30
