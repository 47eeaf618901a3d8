"""``reader index`` into PostgreSQL: an incremental update with the manifest in the database.

The manifest (table ``reader_files``) records for each corpus file its size, mtime, article
ids, content hashes and why parts of it were skipped, as the Whoosh index's manifest does, and
the update follows the same rules (:func:`reader.core.search.index_build.incremental`): only
files whose size or mtime changed, and files skipped last time, are read again, and only
re-indexed when their content hashes changed; files gone from disk are removed; an article
whose title and body repeat another's is reported as its duplicate and not indexed.

Each file is one transaction (its old rows deleted, its articles and words written, its
manifest row updated), so an indexer killed or cut off from the server half-way leaves every
file either done or untouched: the next run carries on with the files not done, and nothing
is indexed twice (ids are the primary key). The first build goes the same way. A rebuild of a
library that exists is one transaction (each file a savepoint in it): searchers see the old
library, whole, until the new one commits, and a rebuild killed half-way leaves the old one.
One indexer runs at a time per database (an advisory lock,
:func:`reader.core.search.postgres.connect.indexer_lock`); searches go on meanwhile and see
each file as it commits.

The index is rebuilt (its tables emptied, then filled) when asked, when the tables were made
by another version of this module, or when the settings that change what is indexed differ
(:func:`reader.core.search.index_files.settings_change`).
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from typing import Any

from reader.core.config import Config
from reader.core.search.analysis import fold_term, split_words
from reader.core.search.index_build import Progress, UpdateReport
from reader.core.search.index_build import _content_key as content_key
from reader.core.search.index_files import index_settings, settings_change
from reader.core.search.postgres.connect import (
    BUMP_GENERATION,
    SCHEMA_VERSION,
    TABLES,
    connect,
    ensure_schema,
    indexer_lock,
    lost,
    one_line_error,
    read_meta,
)
from reader.core.search.postgres.terms import (
    MAX_POSITION,
    MAX_POSITIONS,
    Vector,
    article_vector,
)
from reader.core.search.vocabulary import Vocabulary
from reader.core.sources.article import Article
from reader.core.sources.corpus import Skipped, SourceFile, read_source, scan_corpus
from reader.core.sources.scan import SkipKind, id_taken

NO_INDEX = "no index yet"

INSERT_ARTICLE = """
INSERT INTO reader_articles (id, title, body, lang, outlet, outlet_key, url, published, author,
    source, content_hash, content_key, terms)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::tsvector)
ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body,
    lang = EXCLUDED.lang, outlet = EXCLUDED.outlet, outlet_key = EXCLUDED.outlet_key,
    url = EXCLUDED.url, published = EXCLUDED.published, author = EXCLUDED.author,
    source = EXCLUDED.source, content_hash = EXCLUDED.content_hash,
    content_key = EXCLUDED.content_key, terms = EXCLUDED.terms
"""

UPSERT_FILE = """
INSERT INTO reader_files (path, size, mtime_ns, ids, hashes, skipped)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (path) DO UPDATE SET size = EXCLUDED.size, mtime_ns = EXCLUDED.mtime_ns,
    ids = EXCLUDED.ids, hashes = EXCLUDED.hashes, skipped = EXCLUDED.skipped
"""


def _text(value: str) -> str:
    """Text as PostgreSQL can store it: a NUL (which a JSON record may hold) becomes U+FFFD,
    one character for one, so offsets into the text (notes, marks) stay the same."""
    return value.replace("\x00", "\ufffd") if "\x00" in value else value


def _row(article: Article, key: str, vector: Vector) -> tuple[Any, ...]:
    return (
        _text(article.id),
        _text(article.title),
        _text(article.body),
        _text(article.lang),
        _text(article.outlet),
        _text(article.outlet.casefold()),
        _text(article.url),
        article.published,
        _text(article.author),
        _text(article.source),
        article.content_hash,
        key,
        vector.text,
    )


def _words(articles: list[Article]) -> tuple[Vocabulary, Counter[str]]:
    """The words of the articles' titles and bodies (folded word -> index term) and the Latin
    ones written like names, read as the vocabulary of the Whoosh index reads them (prefix
    queries and the name layer go through them), and how often each is written in lower case
    (with the capitalised counts, what tells a name from a word)."""
    vocabulary = Vocabulary()
    lower: Counter[str] = Counter()
    for article in articles:
        vocabulary.add_text(article.title, names=False)
        vocabulary.add_text(article.body)
        for text in (article.title, article.body):
            lower.update(fold_term(raw) for raw in split_words(text) if raw.islower())
    return vocabulary, lower


def _why_rebuild(conn: Any, config: Config) -> str | None:
    meta = read_meta(conn)
    if not meta:
        return NO_INDEX
    if meta.get("schema") != SCHEMA_VERSION:
        return "the index is from another version of reader"
    try:
        return settings_change(json.loads(meta.get("settings", "")), config)
    except ValueError:
        return "the index's settings cannot be read"


def _start_over(conn: Any, config: Config) -> None:
    """Empty reader's tables and record this version and settings. Rows are deleted (not
    truncated): inside a rebuild's transaction, readers go on seeing the old rows meanwhile."""
    with conn.transaction():
        for table in TABLES:
            conn.execute(f"DELETE FROM {table}")
        conn.execute(
            "INSERT INTO reader_meta (key, value) VALUES ('schema', %s), ('settings', %s), "
            "('library', %s), ('generation', '0')",
            (SCHEMA_VERSION, json.dumps(index_settings(config)), uuid.uuid4().hex),
        )


def update_server(
    config: Config,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    wait: float = 30.0,
) -> UpdateReport:
    """Bring the server's index up to date with the corpus folders (see the module's
    docstring). Raises IndexUnavailable (one line): the server cannot be reached or was lost
    (every file committed so far stays), or another indexer holds the lock for ``wait`` s."""
    started = time.perf_counter()
    report = UpdateReport()
    conn = connect(config)
    psycopg = __import__("psycopg")  # connect() made sure it is there
    try:
        with indexer_lock(conn, config, wait):
            ensure_schema(conn, config)
            reason = "asked to rebuild" if rebuild else _why_rebuild(conn, config)
            if reason is None:
                _incremental(conn, config, report, progress)
            elif reason == NO_INDEX:  # the first build: a file at a time, resumable
                report.rebuilt, report.rebuild_reason = True, reason
                _start_over(conn, config)
                _incremental(conn, config, report, progress)
            else:  # one transaction: the old library stays whole until the new one is
                report.rebuilt, report.rebuild_reason = True, reason
                with conn.transaction():
                    _start_over(conn, config)
                    _incremental(conn, config, report, progress)
            report.total = conn.execute("SELECT count(*) FROM reader_articles").fetchone()[0]
    except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
        raise lost(config, exc, conn) from None
    finally:
        conn.close()
    report.seconds = time.perf_counter() - started
    return report


def _incremental(
    conn: Any, config: Config, report: UpdateReport, progress: Progress | None
) -> None:
    files: dict[str, dict[str, Any]] = {
        path: {"size": size, "mtime_ns": mtime, "ids": ids, "hashes": hashes, "skipped": sk}
        for path, size, mtime, ids, hashes, sk in conn.execute(
            "SELECT path, size, mtime_ns, ids, hashes, skipped FROM reader_files"
        )
    }
    sources: list[SourceFile] = []
    for item in scan_corpus(config):
        if isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            sources.append(item)
    on_disk = {str(s.path) for s in sources}
    changed = [
        s
        for s in sources
        if (entry := files.get(str(s.path))) is None
        or entry["size"] != s.size
        or entry["mtime_ns"] != s.mtime_ns
        or entry["skipped"]
    ]
    report.unchanged = len(sources) - len(changed)
    for path in [p for p in files if p not in on_disk]:
        with conn.transaction():
            conn.execute("DELETE FROM reader_articles WHERE id = ANY(%s)", (files[path]["ids"],))
            conn.execute("DELETE FROM reader_files WHERE path = %s", (path,))
            conn.execute(BUMP_GENERATION)
        report.removed += len(files[path]["ids"])
    psycopg = __import__("psycopg")
    for done, source in enumerate(changed, start=1):
        try:
            _update_file(conn, config, source, files.get(str(source.path)), report)
        except psycopg.Error as exc:
            if conn.closed or conn.broken:
                raise
            # The server refused this file (its transaction is rolled back, its manifest
            # row left as it was): say so and go on; the next update tries it again.
            reason = f"the PostgreSQL server refused it: {one_line_error(exc)}"
            report.skipped.append(Skipped(source.path, reason, SkipKind.ERROR))
        if progress is not None:
            progress(done, len(changed), str(source.path))


def _update_file(
    conn: Any,
    config: Config,
    source: SourceFile,
    entry: dict[str, Any] | None,
    report: UpdateReport,
) -> None:
    """Read one changed file and, in one transaction, replace its articles."""
    articles, skipped = read_source(source, config)
    hashes = sorted({a.content_hash for a in articles})
    reasons = [s.reason for s in skipped]
    report.skipped.extend(skipped)
    path = str(source.path)
    if entry is not None and entry["hashes"] == hashes and entry["skipped"] == reasons:
        # Touched but not changed (or skipped again): remember the new size and mtime.
        conn.execute(
            "UPDATE reader_files SET size = %s, mtime_ns = %s WHERE path = %s",
            (source.size, source.mtime_ns, path),
        )
        report.unchanged += 1
        return
    before = len(entry["ids"]) if entry else 0
    with conn.transaction(), conn.cursor() as cur:
        if entry is not None:
            cur.execute("DELETE FROM reader_articles WHERE id = ANY(%s)", (entry["ids"],))
        keys = [content_key(a) for a in articles]
        owners = dict(
            cur.execute(
                "SELECT content_key, id FROM reader_articles WHERE content_key = ANY(%s)",
                (keys,),
            ).fetchall()
        )
        # An id another file gives is not this file's to take (the first one read keeps it;
        # this file is read again at every update): as the Whoosh index does.
        taken = {
            i: other
            for other, file_ids in cur.execute(
                "SELECT path, ids FROM reader_files WHERE path <> %s AND ids && %s::text[]",
                (path, [_text(a.id) for a in articles]),
            ).fetchall()
            for i in file_ids
        }
        rows: list[tuple[Any, ...]] = []
        ids: list[str] = []
        for article, key in zip(articles, keys, strict=True):
            other = taken.get(_text(article.id))
            if other is not None:
                report.skipped.append(refused := id_taken(source.path, article.id, other))
                reasons.append(refused.reason)
                continue
            owner = owners.get(key)
            if owner is not None and owner != article.id:
                report.duplicates.append((article.id, owner))
                continue
            owners[key] = article.id
            vector = article_vector(article)
            if vector.words_kept < vector.words:
                why = (
                    f"{article.id}: only its first {vector.words_kept:,} of {vector.words:,} "
                    "words are searchable on the PostgreSQL server (1 MB of words per article)"
                )
                report.skipped.append(Skipped(source.path, why, SkipKind.TOO_LARGE))
            elif not vector.positions_kept:
                why = (
                    f"{article.id}: phrases past its word {MAX_POSITION:,}, or past the "
                    f"{MAX_POSITIONS}th time one word is written, may not be found on the "
                    "PostgreSQL server (its limits on positions); each word is still found"
                )
                report.skipped.append(Skipped(source.path, why, SkipKind.TOO_LARGE))
            rows.append(_row(article, key, vector))
            ids.append(_text(article.id))
        if rows:
            cur.executemany(INSERT_ARTICLE, rows)
        kept = set(ids)
        vocabulary, lower = _words([a for a in articles if a.id in kept])
        found = vocabulary.words()
        if found:  # counts only grow, as in the Whoosh vocabulary
            cur.execute(
                "INSERT INTO reader_words (word, term, lower) SELECT * FROM "
                "unnest(%s::text[], %s::text[], %s::bigint[]) ON CONFLICT (word) DO UPDATE SET"
                " lower = reader_words.lower + excluded.lower",
                (list(found), list(found.values()), [lower[w] for w in found]),
            )
        names = vocabulary.name_counts()
        if names:
            cur.execute(
                "INSERT INTO reader_names (word, capitalised) SELECT * FROM "
                "unnest(%s::text[], %s::bigint[]) ON CONFLICT (word) DO UPDATE SET"
                " capitalised = reader_names.capitalised + excluded.capitalised",
                (list(names), [c for c, _l in names.values()]),
            )
        stored = [_text(r) for r in reasons]
        cur.execute(UPSERT_FILE, (path, source.size, source.mtime_ns, ids, hashes, stored))
        cur.execute(BUMP_GENERATION)
    after = len(ids)
    if entry is None:
        report.added += after
    else:
        report.updated += min(before, after)
        report.added += max(0, after - before)
        report.removed += max(0, before - after)
