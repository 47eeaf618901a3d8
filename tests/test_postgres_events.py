"""Events of a library on the PostgreSQL server: computed when it is indexed, stored in the
database with the generation of the index they are of, read by every member of the team
without profiling anything, the same groups as on Whoosh for the same corpus (the library, its
similarity table, `reader events` and `reader compare`), and never read once the index moved on."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from reader.core.config import Config, load_config
from reader.core.events.store_files import EVENTS_FILE
from reader.core.library import Library
from reader.core.search.postgres.events import keep_events
from tests.conftest import cli_in_process
from tests.pg_support import config_file, new_database
from tests.test_event_store import generated_corpus, write_group_article
from tests.test_event_store import profiled as profiled  # a fixture


def _libraries(pg_cluster: object, root: Path) -> tuple[Config, Config, Path, str]:
    """(the Whoosh config, the server config, the corpus, the database) over one corpus."""
    corpus = generated_corpus(root / "corpus")
    conninfo = new_database(pg_cluster)
    whoosh = load_config(config_file(root / "whoosh", corpus, None))
    server = load_config(config_file(root / "server", corpus, conninfo))
    return whoosh, server, corpus, conninfo


def _groups(config: Config) -> list[tuple[str, ...]]:
    with Library(config) as library:
        return sorted(e.article_ids for e in library.events())


def _event_rows(conninfo: str) -> dict[str, int]:
    """The stored event files and their generation."""
    import psycopg

    with psycopg.connect(conninfo) as conn:
        return dict(
            conn.execute(
                "SELECT name, max(generation) FROM reader_event_files GROUP BY name"
            ).fetchall()
        )


def test_the_same_events_on_both_backends(pg_cluster: object, tmp_path: Path) -> None:
    whoosh, server, _corpus, _db = _libraries(pg_cluster, tmp_path)
    for config in (whoosh, server):
        with Library(config) as library:
            library.update()
    expected = _groups(whoosh)
    assert len(expected) == 10 and sum(len(g) >= 3 for g in expected) == 6
    assert _groups(server) == expected
    with Library(whoosh) as a, Library(server) as b:
        pivot = a.article("g2-00")
        assert b.article("g2-00") == pivot
        assert b.similarities(pivot) == pytest.approx(a.similarities(pivot))
        assert b.event_of("g2-00") == a.event_of("g2-00")
        assert b.article_fields() == a.article_fields()


@pytest.mark.parametrize(
    "command",
    [
        ["events"],
        ["events", "--scores"],
        ["compare", "g2-00", "g2-01", "g2-02"],
        ["events", "--json"],
    ],
)
def test_the_cli_prints_the_same_on_both(
    pg_cluster: object, tmp_path: Path, command: list[str]
) -> None:
    _libraries(pg_cluster, tmp_path)
    outputs = []
    for name in ("whoosh", "server"):
        path = str(tmp_path / name / "config.toml")
        assert cli_in_process(["--config", path, "index"]).returncode == 0
        done = cli_in_process(["--config", path, *command])
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert "g2-00" in outputs[0]
    assert outputs[1] == outputs[0]


def test_a_teammate_reads_the_events_from_the_database(
    pg_cluster: object, tmp_path: Path, profiled: list[str]
) -> None:
    """One member indexes (the events are computed then); another, with an empty data_dir of
    their own on another machine, reads them without profiling a single article."""
    _whoosh, server, corpus, conninfo = _libraries(pg_cluster, tmp_path)
    with Library(server) as library:
        library.update()
    assert profiled  # computed by the one who indexed
    rows = _event_rows(conninfo)
    assert EVENTS_FILE in rows and len(rows) == 4
    teammate = load_config(config_file(tmp_path / "teammate", corpus, conninfo))
    profiled.clear()
    with Library(teammate) as library:
        events = library.events()
        pivot = library.article("g2-00")
        scores = library.similarities(pivot)
    assert profiled == []
    assert sorted(e.article_ids for e in events) == _groups(server)
    assert scores["g2-01"] > scores["lone-00"]


def test_events_follow_the_index_and_stale_ones_are_not_read(
    pg_cluster: object, tmp_path: Path
) -> None:
    whoosh, server, corpus, conninfo = _libraries(pg_cluster, tmp_path)
    teammate = load_config(config_file(tmp_path / "teammate", corpus, conninfo))
    with Library(server) as library:
        library.update()
    before = _groups(teammate)  # the teammate's copy holds these
    generation = _event_rows(conninfo)[EVENTS_FILE]
    write_group_article(corpus, 1, 7)
    (corpus / "g3-00.txt").unlink()
    with Library(server) as library:
        library.update()
    assert _event_rows(conninfo)[EVENTS_FILE] > generation
    with Library(whoosh) as library:
        library.update()
    after = _groups(teammate)
    assert after != before
    assert after == _groups(whoosh)
    assert any("g1-07" in g for g in after) and not any("g3-00" in g for g in after)


def test_older_events_never_replace_newer_ones(pg_cluster: object, tmp_path: Path) -> None:
    """A member whose copy is of an older generation cannot overwrite the events a teammate
    stored for a later one (they are stored when the copy's generation is not behind)."""
    _whoosh, server, corpus, conninfo = _libraries(pg_cluster, tmp_path)
    teammate = load_config(config_file(tmp_path / "teammate", corpus, conninfo))
    with Library(server) as library:
        library.update()
    _groups(teammate)  # the teammate's copy, of this generation
    copy = next((teammate.index_dir).glob("gen-*"))
    write_group_article(corpus, 1, 7)
    with Library(server) as library:
        library.update()
    rows = _event_rows(conninfo)
    (copy / EVENTS_FILE).write_bytes(b"older\n")
    keep_events(teammate, copy, [EVENTS_FILE])
    assert _event_rows(conninfo) == rows
    import psycopg

    with psycopg.connect(conninfo) as conn:
        content: Any = conn.execute(
            "SELECT content FROM reader_event_files WHERE name = %s AND part = 0", (EVENTS_FILE,)
        ).fetchone()[0]
    assert bytes(content) != b"older\n"


def test_a_rebuild_forgets_the_events_of_the_old_library(
    pg_cluster: object, tmp_path: Path
) -> None:
    _whoosh, server, corpus, conninfo = _libraries(pg_cluster, tmp_path)
    with Library(server) as library:
        library.update()
        old = {p.name for p in server.index_dir.glob("gen-*")}
        shutil.rmtree(corpus)
        generated_corpus(corpus)
        library.update(rebuild=True)
        assert library.events()
    new = {p.name for p in server.index_dir.glob("gen-*")}
    assert len(old) == len(new) == 1 and old != new
    assert all(re.fullmatch(r"gen-[0-9a-f]{32}", name) for name in new)
    assert len(_event_rows(conninfo)) == 4


@pytest.mark.parametrize("backend", ["whoosh", "server"])
async def test_the_compare_view_reads_the_stored_events_on_both(
    pg_cluster: object, tmp_path: Path, profiled: list[str], backend: str
) -> None:
    """Pressing ``c`` on an article of an event of five opens the compare view having profiled
    at most the event's articles, on either backend (the app does not know which)."""
    from reader.app.app import ReaderApp
    from reader.app.screens.compare import CompareScreen
    from tests.test_app import search_and_open, settle

    configs = dict(zip(("whoosh", "server"), _libraries(pg_cluster, tmp_path)[:2], strict=True))
    config = configs[backend]
    with Library(config) as library:
        library.update()
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Derna", "g2-00")
        profiled.clear()
        await pilot.press("c")
        await settle(pilot, app)
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert set(profiled) <= {f"g2-{n:02d}" for n in range(5)}


def test_files_larger_than_a_part_are_kept_and_read_whole(
    pg_cluster: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of the store is kept in parts (a bytea holds at most 1 GB; the events of a large
    library are more): a teammate's copy is the same bytes, and a file that changes is
    written again whole, without parts of its older self."""
    from reader.core.search.postgres import events as server_events

    monkeypatch.setattr(server_events, "PART", 997)
    _whoosh, server, corpus, conninfo = _libraries(pg_cluster, tmp_path)
    teammate = load_config(config_file(tmp_path / "teammate", corpus, conninfo))
    with Library(server) as library:
        library.update()
    import psycopg

    def parts() -> dict[str, int]:
        with psycopg.connect(conninfo) as conn:
            return dict(
                conn.execute(
                    "SELECT name, count(*) FROM reader_event_files GROUP BY name"
                ).fetchall()
            )

    assert max(parts().values()) > 3
    assert _groups(teammate) == _groups(server)
    mine, theirs = (next(c.index_dir.glob("gen-*")) for c in (server, teammate))
    for name in parts():
        assert (theirs / name).read_bytes() == (mine / name).read_bytes(), name
        assert parts()[name] == -(-(mine / name).stat().st_size // 997)
    write_group_article(corpus, 1, 7)
    with Library(server) as library:
        library.update()
    assert _groups(teammate) == _groups(server)
    for name, count in parts().items():
        assert (theirs / name).read_bytes() == (mine / name).read_bytes(), name
        assert count == -(-(mine / name).stat().st_size // 997)
