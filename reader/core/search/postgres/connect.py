"""Reaching the PostgreSQL server: connections, the schema, the indexers' advisory lock, and
one-line errors.

The connection string is ``[storage] postgresql`` (libpq's ``host=... dbname=...`` or a
``postgresql://`` URI); when it is empty, libpq's usual ``PG*`` environment variables apply
(PGHOST, PGPORT, PGDATABASE, PGUSER...). Tables are created in the connection's
``search_path`` (a team can give reader its own schema with ``options=-csearch_path=reader``).

Errors callers may rely on: :class:`ServerUnavailable` (an ``IndexUnavailable``, so every
command already says it in one line and exits 1) when the server cannot be reached or is lost
during a call; its message names the server, never the password.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, ParamSpec, TypeVar

from reader.core.config import Config
from reader.core.search.index_files import IndexUnavailable

# Of the tables below (2: names; 3: events, generation); another is rebuilt by `reader index`.
SCHEMA_VERSION = "3"
LOCK_KEY = 0x7265616465720001  # the indexers' advisory lock ("reader" + 1), one per database
LOCK_POLL = 0.1  # seconds between two tries of a busy lock
CONNECT_TIMEOUT = 10  # seconds

P = ParamSpec("P")
R = TypeVar("R")

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS reader_meta (
    key text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE IF NOT EXISTS reader_articles (
    id text COLLATE "C" PRIMARY KEY,
    title text NOT NULL,
    body text NOT NULL,
    lang text COLLATE "C" NOT NULL,
    outlet text COLLATE "C" NOT NULL,
    outlet_key text COLLATE "C" NOT NULL,
    url text NOT NULL,
    published date,
    author text NOT NULL,
    source text NOT NULL,
    content_hash text NOT NULL,
    content_key text NOT NULL,
    terms tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS reader_articles_terms ON reader_articles USING gin (terms);
CREATE INDEX IF NOT EXISTS reader_articles_browse
    ON reader_articles ((published IS NULL), published DESC, id);
CREATE INDEX IF NOT EXISTS reader_articles_key ON reader_articles (content_key);
CREATE INDEX IF NOT EXISTS reader_articles_lang ON reader_articles (lang);
CREATE INDEX IF NOT EXISTS reader_articles_outlet ON reader_articles (outlet_key);
CREATE TABLE IF NOT EXISTS reader_files (
    path text PRIMARY KEY,
    size bigint NOT NULL,
    mtime_ns bigint NOT NULL,
    ids text[] NOT NULL,
    hashes text[] NOT NULL,
    skipped text[] NOT NULL
);
CREATE TABLE IF NOT EXISTS reader_words (
    word text COLLATE "C" PRIMARY KEY,
    term text NOT NULL,
    lower bigint NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS reader_names (
    word text COLLATE "C" PRIMARY KEY,
    capitalised bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS reader_event_files (
    name text COLLATE "C" NOT NULL,
    part integer NOT NULL,
    library text NOT NULL,
    generation bigint NOT NULL,
    digest text NOT NULL,
    content bytea NOT NULL,
    PRIMARY KEY (name, part)
);
"""

TABLES = (
    "reader_articles",
    "reader_files",
    "reader_words",
    "reader_names",
    "reader_event_files",
    "reader_meta",
)
# Every transaction that changes the articles adds one to the library's generation (in
# reader_meta, with the library's own id, new at each rebuild): what the stored events are of.
BUMP_GENERATION = (
    "INSERT INTO reader_meta (key, value) VALUES ('generation', '1') ON CONFLICT (key) "
    "DO UPDATE SET value = (reader_meta.value::bigint + 1)::text"
)


class ServerUnavailable(IndexUnavailable):
    """The PostgreSQL server cannot be reached (or was lost); ``str()`` is one line."""


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise IndexUnavailable(
            "[storage] backend = \"postgresql\" needs psycopg: pip install 'reader[postgresql]'"
        ) from None
    return psycopg


def server_name(config: Config) -> str:
    """Where the server is, for messages: host (or socket folder), port and database, from
    the connection string and the PG* variables; never the password."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        given = conninfo_to_dict(config.postgresql) if config.postgresql else {}
    except Exception:  # checked when the config was read; here only for a message
        given = {}
    host = str(given.get("host") or os.environ.get("PGHOST") or "localhost")
    port = str(given.get("port") or os.environ.get("PGPORT") or "5432")
    dbname = str(given.get("dbname") or os.environ.get("PGDATABASE") or "")
    where = f"{host}:{port}" if not host.startswith("/") else f"{host} (port {port})"
    return f"{where}/{dbname}" if dbname else where


def one_line_error(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = "; ".join(lines[:2]) or type(exc).__name__
    return "".join(c if c.isprintable() else " " for c in text)


def connect(config: Config) -> Any:
    """A new autocommit connection to the configured server. ServerUnavailable (one line)
    when it cannot be reached."""
    psycopg = _psycopg()
    try:
        return psycopg.connect(config.postgresql, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as exc:
        raise ServerUnavailable(
            f"cannot reach the PostgreSQL server at {server_name(config)}: {one_line_error(exc)}"
        ) from None


def lost(config: Config, exc: BaseException, conn: Any = None) -> IndexUnavailable:
    """The one-line error for a call that failed on the server: ServerUnavailable ("lost the
    PostgreSQL server") when the connection is gone, else IndexUnavailable with the server's
    reason (a limit reached, a disk full on the server...)."""
    if conn is None or conn.closed or conn.broken:
        return ServerUnavailable(
            f"lost the PostgreSQL server at {server_name(config)}: {one_line_error(exc)}"
        )
    return IndexUnavailable(
        f"the PostgreSQL server at {server_name(config)} failed: {one_line_error(exc)}"
    )


def on_server(method: Callable[P, R]) -> Callable[P, R]:
    """Turn psycopg's connection and server errors raised by a method of an object with a
    ``config`` into one-line ServerUnavailable (a bad query is refused before it is sent)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        psycopg = _psycopg()
        try:
            return method(*args, **kwargs)
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            owner: Any = args[0]
            raise lost(owner.config, exc, getattr(owner, "_conn", None)) from None

    return wrapper


def check_encoding(conn: Any, config: Config) -> None:
    """IndexUnavailable (one line) unless the database stores UTF-8: Arabic text and its
    lexemes cannot be kept in another encoding."""
    encoding = conn.execute("SHOW server_encoding").fetchone()[0]
    if str(encoding).upper().replace("-", "") != "UTF8":
        raise IndexUnavailable(
            f"the database at {server_name(config)} stores {encoding}; reader needs a UTF8 "
            "database (CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)"
        )


def ensure_schema(conn: Any, config: Config) -> None:
    """Create reader's tables and indexes when they are missing (idempotent), in a UTF-8
    database (else IndexUnavailable, see :func:`check_encoding`)."""
    check_encoding(conn, config)
    with conn.transaction():
        conn.execute(SCHEMA_SQL)


def read_meta(conn: Any) -> dict[str, str]:
    """The ``reader_meta`` table as a dict (empty when there are no tables yet)."""
    exists = conn.execute("SELECT to_regclass('reader_meta')").fetchone()[0]
    if exists is None:
        return {}
    return {k: v for k, v in conn.execute("SELECT key, value FROM reader_meta")}


@contextmanager
def indexer_lock(conn: Any, config: Config, wait: float) -> Iterator[None]:
    """Hold the database's indexer lock (a session advisory lock, freed by the server when a
    killed indexer's connection drops), waiting up to ``wait`` seconds for another indexer.
    IndexUnavailable (one line) when it stays busy."""
    deadline = time.monotonic() + max(0.0, wait)
    while not conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0]:
        if time.monotonic() >= deadline:
            raise IndexUnavailable(
                f"another reader is updating the library on the PostgreSQL server at "
                f"{server_name(config)}; try again when it has finished"
            )
        time.sleep(LOCK_POLL)
    try:
        yield
    finally:
        with suppress(Exception):  # the connection is gone: the server freed the lock with it
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
