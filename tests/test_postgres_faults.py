"""The PostgreSQL backend when things go wrong, against a real server: a server that cannot
be reached (one line, exit 1), an indexer killed or cut off half-way (the rerun carries on,
nothing indexed twice), two indexers at once (the advisory lock), and the incremental update
(the same counts as Whoosh's); plus the [storage] keys' config errors."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest

from reader.core.config import ConfigError, load_config
from reader.core.library import IndexUnavailable, Library
from tests.conftest import SEEDS, cli_in_process
from tests.pg_cluster import free_port
from tests.pg_support import config_file, new_database, write_extra


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    return corpus


def _rows(conninfo: str, sql: str) -> int:
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        return int(conn.execute(sql).fetchone()[0])


# ----- config -----


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('backend = "sqlite"', r"config\.toml:7: \[storage\] backend: must be one of whoosh, post"),
        ("backend = 3", r"config\.toml:7: \[storage\] backend: "),
        ('postgresql = "host=a port"', r"config\.toml:7: \[storage\] postgresql: not a Postgre"),
    ],
)
def test_bad_storage_keys_are_one_line_config_errors(
    tmp_path: Path, setting: str, message: str
) -> None:
    pytest.importorskip("psycopg")
    path = config_file(tmp_path, _corpus(tmp_path), None, extra=setting + "\n")
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path)
    assert "\n" not in str(caught.value)


def test_whoosh_stays_the_default(config_path: Path) -> None:
    config = load_config(config_path)
    assert (config.backend, config.postgresql) == ("whoosh", "")


# ----- a server that cannot be reached -----


@pytest.mark.parametrize("command", [["search", "Haftar"], ["index"], ["show", "003"]])
def test_connection_refused_is_one_line(tmp_path: Path, command: list[str]) -> None:
    pytest.importorskip("psycopg")
    port = free_port()  # nothing listens there
    conninfo = f"host=127.0.0.1 port={port} dbname=team connect_timeout=5"
    path = config_file(tmp_path, _corpus(tmp_path), conninfo)
    done = cli_in_process(["--config", str(path), *command])
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith(
        f"reader: cannot reach the PostgreSQL server at 127.0.0.1:{port}/team: "
    )
    assert "Traceback" not in done.stderr
    assert len(lines) == 1, done.stderr


def test_no_library_yet_says_to_index(pg_cluster: object, tmp_path: Path) -> None:
    path = config_file(tmp_path, _corpus(tmp_path), new_database(pg_cluster))
    with pytest.raises(
        IndexUnavailable, match=r"no library on the PostgreSQL server .*reader index"
    ):
        Library(load_config(path)).open()


# ----- updates -----


def test_incremental_update_counts_as_whoosh_does(pg_cluster: object, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    write_extra(corpus)
    whoosh = Library(load_config(config_file(tmp_path / "w", corpus, None)))
    conninfo = new_database(pg_cluster)
    server = Library(load_config(config_file(tmp_path / "s", corpus, conninfo)))
    first = server.update()
    assert (first.added, first.total, first.rebuilt) == (8, 8, True)
    whoosh.update()
    again = server.update()
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 6)
    # one file changed, one gone, one new
    seed = corpus / "000_7b206ec7414ebb17.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nZanzibar.\n", encoding="utf-8")
    (corpus / "001_629cc8aa1a0900a3.txt").unlink()
    (corpus / "new.txt").write_text("Kufra airport\n\nThe Kufra airport reopened.\n", "utf-8")
    reports = [whoosh.update(), server.update()]
    counts = [(r.added, r.updated, r.removed, r.unchanged, r.total) for r in reports]
    assert counts[1] == counts[0] == (1, 1, 1, 4, 8)
    assert _rows(conninfo, "SELECT count(*) FROM reader_articles") == 8
    for query in ("Zanzibar", "Kufra", "Egypt"):
        with whoosh, server:
            found = [{h.id for h in lib.search(query).hits} for lib in (whoosh, server)]
        assert found[1] == found[0], query
    assert found[0]  # Egypt is still in the corpus


def test_a_settings_change_rebuilds(pg_cluster: object, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    conninfo = new_database(pg_cluster)
    Library(load_config(config_file(tmp_path, corpus, conninfo))).update()
    changed = config_file(tmp_path, corpus, conninfo, extra="\n[boilerplate]\nblock_lines = 7\n")
    report = Library(load_config(changed)).update()
    assert report.rebuilt and "[boilerplate]" in report.rebuild_reason
    assert _rows(conninfo, "SELECT count(*) FROM reader_articles") == 5


def _many_files(corpus: Path, count: int) -> None:
    for n in range(count):
        (corpus / f"bulk_{n:04d}.txt").write_text(
            f"Bulletin {n}\n\nReport number {n} from the desk about Benghazi and Sirte.\n",
            encoding="utf-8",
        )


def test_an_indexer_killed_half_way_is_resumed(pg_cluster: object, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    total = 400
    _many_files(corpus, total)
    conninfo = new_database(pg_cluster)
    path = config_file(tmp_path, corpus, conninfo)
    env = {k: v for k, v in os.environ.items() if k not in ("READER_CONFIG", "READER_CORPUS")}
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "--config", str(path), "index", "-q"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    done = 0
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                done = _rows(conninfo, "SELECT count(*) FROM reader_files")
            except Exception:  # the tables are not there yet
                done = 0
            if done >= 10:
                break
            time.sleep(0.01)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    files = _rows(conninfo, "SELECT count(*) FROM reader_files")
    if not 0 < files < total:
        pytest.skip(f"the indexer was not caught half-way ({files} of {total} files done)")
    assert _rows(conninfo, "SELECT count(*) FROM reader_articles") == files  # whole files only
    report = Library(load_config(path)).update(wait=10)  # the killed one's lock went with it
    assert not report.rebuilt
    assert (report.added, report.unchanged, report.total) == (total - files, files, total)
    assert _rows(conninfo, "SELECT count(*) FROM reader_articles") == total


def test_a_lost_server_mid_index_is_one_line_and_resumed(
    pg_cluster: object, tmp_path: Path
) -> None:
    import psycopg

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _many_files(corpus, 30)
    conninfo = new_database(pg_cluster)
    library = Library(load_config(config_file(tmp_path, corpus, conninfo)))
    dbname = conninfo.rsplit("dbname=", 1)[1]

    def cut_off(done: int, total: int, path: str) -> None:
        if done == 10:  # the server drops the indexer's connection
            with psycopg.connect(conninfo, autocommit=True) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (dbname,),
                )

    with pytest.raises(IndexUnavailable, match="lost the PostgreSQL server at ") as caught:
        library.update(progress=cut_off)
    assert "\n" not in str(caught.value)
    assert _rows(conninfo, "SELECT count(*) FROM reader_articles") == 10
    report = library.update()
    assert (report.added, report.unchanged, report.total) == (20, 10, 30)


def test_two_indexers_at_once(pg_cluster: object, tmp_path: Path) -> None:
    import psycopg

    from reader.core.search.postgres.connect import LOCK_KEY

    corpus = _corpus(tmp_path)
    conninfo = new_database(pg_cluster)
    path = config_file(tmp_path, corpus, conninfo)
    with psycopg.connect(conninfo, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))  # another indexer runs
        with pytest.raises(IndexUnavailable, match="another reader is updating the library"):
            Library(load_config(path)).update(wait=0.3)
        assert _rows(conninfo, "SELECT count(to_regclass('reader_articles'))") == 0
        cli = cli_in_process(["--config", str(path), "index", "--wait", "0"])
        assert cli.returncode == 1 and "another reader is updating" in cli.stderr
        # the second one waits for the first to finish
        threading.Timer(0.5, lambda: other.execute("SELECT pg_advisory_unlock_all()")).start()
        report = Library(load_config(path)).update(wait=30)  # refused above without waiting
    assert report.total == 5


def test_a_whoosh_index_left_in_data_dir_is_not_read(pg_cluster: object, tmp_path: Path) -> None:
    """Switching a config to the server must not read the events (or anything) of the Whoosh
    index an earlier run left in the same data_dir."""
    seeds = _corpus(tmp_path)
    Library(load_config(config_file(tmp_path, seeds, None))).update()  # data/index: the seeds
    corpus = tmp_path / "other"
    corpus.mkdir()
    write_extra(corpus)
    server = Library(load_config(config_file(tmp_path, corpus, new_database(pg_cluster))))
    server.update()
    with server:
        held = set(server.ids())
        listed = {i for event in server.events() for i in event.article_ids}
        assert server.stored_events() is None  # events are not stored for a server library
    assert held == {"extra/desk-a-1", "extra/desk-b-1", "extra/desk-b-2"}
    assert listed <= held


def test_without_psycopg_the_server_backend_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = config_file(tmp_path, _corpus(tmp_path), "host=127.0.0.1 dbname=team")
    config = load_config(path)
    for name in [m for m in sys.modules if m == "psycopg" or m.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg raises ImportError
    for call in (Library(config).update, Library(config).open):
        with pytest.raises(
            IndexUnavailable, match=r"needs psycopg: pip install 'reader\[postgresql\]'"
        ):
            call()


def test_searches_go_on_while_one_indexes(pg_cluster: object, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _many_files(corpus, 20)
    path = config_file(tmp_path, corpus, new_database(pg_cluster))
    seen: list[int] = []

    def search_meanwhile(done: int, total: int, name: str) -> None:
        if done == 10:  # the indexer holds its lock; a reader searches what is committed
            with Library(load_config(path)) as reader:
                seen.append(reader.search("Benghazi", limit=100).total)

    Library(load_config(path)).update(progress=search_meanwhile)
    assert seen == [10]


def test_a_rebuild_keeps_the_old_library_until_it_is_done(
    pg_cluster: object, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _many_files(corpus, 20)
    conninfo = new_database(pg_cluster)
    path = config_file(tmp_path, corpus, conninfo)
    Library(load_config(path)).update()
    seen: list[int] = []

    def search_then_die(done: int, total: int, name: str) -> None:
        if done == 10:
            with Library(load_config(path)) as reader:
                seen.append(reader.search("Benghazi", limit=100).total)
            raise KeyboardInterrupt  # the rebuild is killed half-way

    with pytest.raises(KeyboardInterrupt):
        Library(load_config(path)).update(rebuild=True, progress=search_then_die)
    assert seen == [20]  # readers saw the old library, whole, during the rebuild
    assert _rows(conninfo, "SELECT count(*) FROM reader_articles") == 20  # and it is kept
    report = Library(load_config(path)).update(rebuild=True)
    assert (report.rebuilt, report.added, report.total) == (True, 20, 20)


def test_a_database_that_is_not_utf8_is_one_line(pg_cluster: object, tmp_path: Path) -> None:
    import psycopg

    admin = pg_cluster.conninfo()  # type: ignore[attr-defined]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS reader_latin1")
        conn.execute("CREATE DATABASE reader_latin1 ENCODING 'LATIN1' TEMPLATE template0")
    conninfo = pg_cluster.conninfo("reader_latin1")  # type: ignore[attr-defined]
    path = config_file(tmp_path, _corpus(tmp_path), conninfo)
    done = cli_in_process(["--config", str(path), "index"])
    assert done.returncode == 1
    assert done.stderr.startswith("reader: the database at ")
    assert "stores LATIN1; reader needs a UTF8 database" in done.stderr
    assert len(done.stderr.splitlines()) == 1


@pytest.fixture
def own_cluster() -> Iterator[object]:
    """A cluster of this test's own, which it may stop and start again."""
    from tests.pg_cluster import start_cluster

    cluster, why = start_cluster()
    if cluster is None:
        pytest.skip(why)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.mark.parametrize("mode", ["immediate", "fast"])
def test_the_server_stopped_mid_index_then_started_again(
    own_cluster: object, tmp_path: Path, mode: str
) -> None:
    """The server goes down after ten files (as if it crashed, or an administrator stopped
    it): the update fails in one line; once the server is back, the next update indexes the
    files not done and nothing twice, and the events are computed over the whole library."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    total = 30
    _many_files(corpus, total)
    conninfo = new_database(own_cluster)
    library = Library(load_config(config_file(tmp_path, corpus, conninfo)))

    def stop_server(done: int, _total: int, _path: str) -> None:
        if done == 10:
            own_cluster.halt(mode)  # type: ignore[attr-defined]

    with pytest.raises(IndexUnavailable, match="lost the PostgreSQL server at ") as caught:
        library.update(progress=stop_server)
    assert "\n" not in str(caught.value)
    with pytest.raises(IndexUnavailable, match="cannot reach the PostgreSQL server at "):
        library.update()
    own_cluster.restart()  # type: ignore[attr-defined]
    files = _rows(conninfo, "SELECT count(*) FROM reader_files")
    assert 0 < files <= 10  # (a crash may lose the last commits: synchronous_commit is off)
    assert _rows(conninfo, "SELECT count(*) FROM reader_articles") == files  # whole files
    report = library.update()
    assert not report.rebuilt and not report.duplicates
    assert (report.added, report.unchanged, report.total) == (total - files, files, total)
    with library:
        assert sum(len(e.article_ids) for e in library.events()) == total


def test_two_indexer_processes_at_once(pg_cluster: object, tmp_path: Path) -> None:
    """A second `reader index` started while another is filling the server says so in one
    line (it does not wait with --wait 0) and writes nothing; the first finishes alone."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    total = 400
    _many_files(corpus, total)
    conninfo = new_database(pg_cluster)
    path = config_file(tmp_path, corpus, conninfo)
    env = {k: v for k, v in os.environ.items() if k not in ("READER_CONFIG", "READER_CORPUS")}
    first = subprocess.Popen(
        [sys.executable, "-m", "reader", "--config", str(path), "index", "-q"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        done = 0
        while time.monotonic() < deadline and first.poll() is None and done < 5:
            with suppress(Exception):  # the tables are not there yet
                done = _rows(conninfo, "SELECT count(*) FROM reader_files")
            time.sleep(0.01)
        if first.poll() is not None or done < 5:
            pytest.skip("the first indexer was not caught at work")
        second = cli_in_process(["--config", str(path), "index", "--wait", "0"])
        still = first.poll() is None
    finally:
        _out, err = first.communicate(timeout=300)
    if not still:
        pytest.skip("the first indexer finished before the second was refused")
    assert second.returncode == 1
    assert (
        second.stderr.splitlines() == [second.stderr.strip()]
        and "another reader is updating the library" in second.stderr
    )
    assert first.returncode == 0, err
    assert _rows(conninfo, "SELECT count(*) FROM reader_articles") == total
    assert _rows(conninfo, "SELECT count(*) FROM reader_files") == total
