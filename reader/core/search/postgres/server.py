"""The PostgreSQL implementation of :class:`reader.core.search.backend.SearchIndex`.

A query goes the way it goes on Whoosh (:mod:`reader.core.search.query`): reader parses it
(with the other spellings of names), expands its prefixes and wildcards through the corpus
words stored on the server (``reader_words``, the same table of folded word -> index term the
Whoosh index keeps in ``vocabulary.json``) with the Whoosh searcher's own function
(:mod:`.words`), refuses it over the same limits, and only then translates it
(:mod:`.translate`) and runs it. Snippets and marks come from reader's own
highlighter over the stored body, so they are the ones the Whoosh backend shows.

Results: the SET of hits is the Whoosh backend's; the ORDER is ``ts_rank_cd`` (title words
weigh more than body words), ties by id, and may differ from Whoosh's BM25F. ``total`` is
exact. With ``[search] time_limit`` the server stops a search at that time
(``statement_timeout``): the results are then empty and ``partial``. A ``cancel`` event set
while the server runs the query cancels it there (:class:`SearchCancelled` soon after), so the
library's lock is freed for the next search.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from whoosh import query as wq

from reader.core.config import Config
from reader.core.search.guard import SearchCancelled
from reader.core.search.highlight import Matcher, snippet
from reader.core.search.hits import Hit, Results
from reader.core.search.index_files import IndexUnavailable
from reader.core.search.postgres.connect import connect, lost, on_server, read_meta, server_name
from reader.core.search.postgres.translate import Sql, Text, as_sql, rank_query, translate
from reader.core.search.postgres.words import expand_query
from reader.core.search.query import PreparedQuery, QueryParser
from reader.core.search.vocabulary import Vocabulary
from reader.core.sources.article import Article

PREPARED_KEPT = 16
CANCEL_POLL = 0.05  # seconds between two looks at a search's cancel event
BROWSE_PAGE = 500  # rows a browse reads at a time (keyset pagination)
ARTICLES_PAGE = 200  # articles read at a time by articles() (keyset pagination)
ARTICLE_COLUMNS = "id, title, body, lang, outlet, url, published, author, source, content_hash"
HIT_COLUMNS = "id, title, body, outlet, lang, published"
_NOTHING = Matcher(frozenset(), ())


def _article(row: Sequence[Any]) -> Article:
    id_, title, body, lang, outlet, url, published, author, source, content_hash = row
    return Article(
        id=id_,
        title=title,
        body=body,
        lang=lang,
        outlet=outlet,
        url=url,
        published=published,
        author=author,
        source=source,
        content_hash=content_hash,
    )


def _hit(row: Sequence[Any], score: float, matcher: Matcher) -> Hit:
    id_, title, body, outlet, lang, published = row[:6]
    body_snippet, marks = snippet(body, matcher)
    return Hit(
        id=id_,
        title=title,
        outlet=outlet,
        lang=lang,
        published=published,
        score=score,
        snippet=body_snippet,
        snippet_marks=tuple(marks),
        title_marks=tuple(matcher.spans(title)),
    )


class ServerIndex:
    """The library's index on a PostgreSQL server, over one connection. Not thread-safe (the
    library serialises its use)."""

    def __init__(self, config: Config) -> None:
        """Connect and check that reader's tables are there. ServerUnavailable (one line)
        when the server cannot be reached, IndexUnavailable when nothing is indexed yet."""
        self.config = config
        self._conn = connect(config)
        try:
            if not read_meta(self._conn):
                raise IndexUnavailable(
                    f"no library on the PostgreSQL server at {server_name(config)}: "
                    "run `reader index` to build it"
                )
            limit = config.search_limits.time_limit
            if limit:
                self._conn.execute(f"SET statement_timeout = {max(1, int(limit * 1000))}")
        except BaseException:
            self._conn.close()
            raise
        self._queries = QueryParser(config.search_limits, config.gazetteer)
        self._prepared: OrderedDict[tuple[str, bool, bool], PreparedQuery] = OrderedDict()
        self._vocabulary: tuple[tuple[str, str], Vocabulary] | None = None

    def vocabulary(self) -> Vocabulary:
        """The library's words and names as a :class:`Vocabulary` (prefixes and wildcards are
        expanded through it, and the name layer finds in it the other spellings of names the
        corpus writes), read from the server again only when the library changed since (its
        id or generation, which every commit of ``reader index`` moves on: one row read)."""
        token = self._conn.execute(
            "SELECT (SELECT value FROM reader_meta WHERE key = 'library'), "
            "(SELECT value FROM reader_meta WHERE key = 'generation')"
        ).fetchone()
        stamp = (str(token[0]), str(token[1]))
        if self._vocabulary is None or self._vocabulary[0] != stamp:
            words: dict[str, str] = {}
            lower: dict[str, int] = {}
            for word, term, count in self._conn.execute(
                "SELECT word, term, lower FROM reader_words"
            ):
                words[word], lower[word] = term, int(count)
            names = {
                word: [int(count), lower.get(word, 0)]
                for word, count in self._conn.execute("SELECT word, capitalised FROM reader_names")
            }
            self._vocabulary = (stamp, Vocabulary(words, names))
            self._prepared.clear()  # prepared with the old names
        return self._vocabulary[1]

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> ServerIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def prepare(
        self, text: str, *, cross_script: bool | None = None, typing: bool = False
    ) -> PreparedQuery:
        """The query parsed once (the last few kept), as the Whoosh searcher prepares it,
        names widened through the library's own (:meth:`vocabulary`)."""
        if cross_script is None:
            cross_script = self.config.cross_script
        key = (text, cross_script, typing)
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = self._queries.prepare(
                text, cross_script=cross_script, typing=typing, vocabulary=self.vocabulary
            )
            self._prepared[key] = prepared
            if len(self._prepared) > PREPARED_KEPT:
                self._prepared.popitem(last=False)
        else:
            self._prepared.move_to_end(key)
        return prepared

    def matcher(self, text: str, *, cross_script: bool | None = None) -> Matcher:
        """What the query marks in text: the matcher its hits are marked with."""
        return self.prepare(text, cross_script=cross_script).matcher

    @staticmethod
    def _filters(lang: str | None, outlet: str | None) -> Sql:
        conds, params = ["true"], []
        if lang:
            conds.append("lang = %s")
            params.append(lang)
        if outlet:
            conds.append("outlet_key = %s")
            params.append(outlet.casefold())
        return Sql(" AND ".join(conds), tuple(params))

    def _run(self, q: wq.Query, limit: int, filters: Sql) -> tuple[list[Any], int]:
        """(the best ``limit`` rows with their rank, how many match) for an expanded query.

        The matching articles are found through the GIN index (the loose query, see
        :class:`.translate.Text`), only their ids and ranks are kept and counted, and the
        shown columns are read for the best ``limit`` alone."""
        where = translate(q)
        if isinstance(where, Text):
            where = as_sql(where)
        ranking = rank_query(q)
        rank_sql = "ts_rank_cd(terms, %s::tsquery)" if ranking else "0.0"
        rank_params: tuple[Any, ...] = (ranking,) if ranking else ()
        rows = self._conn.execute(
            f"WITH found AS (SELECT id, {rank_sql} AS score FROM reader_articles "
            f"WHERE ({where.text}) AND ({filters.text})), "
            "best AS (SELECT id, score FROM found ORDER BY score DESC, id LIMIT %s) "
            f"SELECT {', '.join('a.' + c for c in HIT_COLUMNS.split(', '))}, best.score, "
            "(SELECT count(*) FROM found) FROM best JOIN reader_articles AS a USING (id) "
            "ORDER BY best.score DESC, best.id",
            (*rank_params, *where.params, *filters.params, limit),
        ).fetchall()
        return rows, (rows[0][-1] if rows else 0)

    @on_server
    def search(
        self,
        text: str,
        *,
        limit: int = 20,
        lang: str | None = None,
        outlet: str | None = None,
        cross_script: bool | None = None,
        cancel: threading.Event | None = None,
        typing: bool = False,
    ) -> Results:
        """Ranked hits (see the module's docstring); QueryError (QueryTooBig) as on Whoosh,
        and QueryError for a query the server backend cannot translate."""
        if cancel is not None and cancel.is_set():
            raise SearchCancelled
        filters = self._filters(lang, outlet)
        psycopg = __import__("psycopg")
        ranked: list[Any] = []
        results = Results(query=text)
        try:
            with self._cancelling(cancel):
                # Prepared here: widening reads the library's names from the server.
                prepared = self.prepare(text, cross_script=cross_script, typing=typing)
                results.query = prepared.text
                matcher = prepared.plain_matcher
                if prepared.empty:
                    return results
                plain_q, wider_q = expand_query(
                    self._conn, prepared, self.config.search_limits, self.vocabulary
                )
                if wider_q is None or self.config.same_language_first:
                    ranked, results.total = self._run(plain_q, limit, filters)
                if wider_q is not None:
                    wider, results.total = self._run(wider_q, limit, filters)
                    matcher = prepared.matcher
                    seen = {row[0] for row in ranked}
                    ranked += [row for row in wider if row[0] not in seen]
        except psycopg.errors.QueryCanceled:
            if cancel is not None and cancel.is_set():
                raise SearchCancelled from None
            results.partial, results.exact = True, False  # [search] time_limit
            return results
        if cancel is not None and cancel.is_set():
            raise SearchCancelled
        results.hits = [_hit(row, float(row[-2]), matcher) for row in ranked[:limit]]
        return results

    @contextmanager
    def _cancelling(self, cancel: threading.Event | None) -> Iterator[None]:
        """While the block runs, a watcher cancels the server's statement when ``cancel`` is
        set (the statement then raises QueryCanceled)."""
        if cancel is None:
            yield
            return
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                if cancel.wait(CANCEL_POLL):
                    if not done.is_set():
                        self._conn.cancel_safe()
                    return

        watcher = threading.Thread(target=watch, name="reader-pg-cancel", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            done.set()
            watcher.join()

    @on_server
    def browse(
        self, *, limit: int = 200, lang: str | None = None, outlet: str | None = None
    ) -> list[Hit]:
        """Dated articles newest first, then undated ones, ties by id; read a page at a time
        from where the last page ended (keyset pagination on published and id)."""
        hits: list[Hit] = []
        for page in self._pages(self._filters(lang, outlet), min(limit, BROWSE_PAGE)):
            hits += [_hit(row, 0.0, _NOTHING) for row in page[: limit - len(hits)]]
            if len(hits) >= limit:
                break
        return hits

    def _pages(self, filters: Sql, size: int) -> Iterator[list[Any]]:
        after: tuple[date | None, str] | None = None
        while True:
            keyset: str = "true"
            params: tuple[Any, ...] = ()
            if after is not None:
                published, last = after
                if published is None:
                    keyset, params = "(published IS NULL AND id > %s)", (last,)
                else:
                    keyset = "(published IS NULL OR published < %s OR (published = %s AND id > %s))"
                    params = (published, published, last)
            page = self._conn.execute(
                f"SELECT {HIT_COLUMNS} FROM reader_articles WHERE {filters.text} AND {keyset} "
                "ORDER BY (published IS NULL), published DESC, id LIMIT %s",
                (*filters.params, *params, size),
            ).fetchall()
            if not page:
                return
            yield page
            if len(page) < size:
                return
            after = (page[-1][5], page[-1][0])

    @on_server
    def article(self, article_id: str) -> Article | None:
        """The stored article with exactly this id, or None."""
        row = self._conn.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM reader_articles WHERE id = %s", (article_id,)
        ).fetchone()
        return None if row is None else _article(row)

    def articles(self) -> Iterator[Article]:
        """Every stored article, in id order, read from the server ``ARTICLES_PAGE`` at a
        time (keyset pagination on id): only one page is held at once, however large the
        library. Not one snapshot: an indexer committing while the articles are read may
        show some as they were and some as they are (the events, computed from them, are
        stamped with the generation read before). ServerUnavailable (one line) when the
        server is lost on the way."""
        psycopg = __import__("psycopg")
        after: str | None = None
        while True:
            try:
                if after is None:
                    cursor = self._conn.execute(
                        f"SELECT {ARTICLE_COLUMNS} FROM reader_articles ORDER BY id LIMIT %s",
                        (ARTICLES_PAGE,),
                    )
                else:
                    cursor = self._conn.execute(
                        f"SELECT {ARTICLE_COLUMNS} FROM reader_articles WHERE id > %s "
                        "ORDER BY id LIMIT %s",
                        (after, ARTICLES_PAGE),
                    )
                rows = cursor.fetchall()
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                raise lost(self.config, exc, self._conn) from None
            yield from (_article(row) for row in rows)
            if len(rows) < ARTICLES_PAGE:
                return
            after = rows[-1][0]

    @on_server
    def ids(self) -> Sequence[str]:
        """Every article id, sorted (code point order, as Python sorts)."""
        return [row[0] for row in self._conn.execute("SELECT id FROM reader_articles ORDER BY id")]

    @on_server
    def outlets(self) -> list[str]:
        """Every outlet name, sorted."""
        rows = self._conn.execute(
            "SELECT DISTINCT outlet FROM reader_articles WHERE outlet <> '' ORDER BY outlet"
        )
        return [row[0] for row in rows]

    @on_server
    def count(self) -> int:
        """How many articles the server holds."""
        return int(self._conn.execute("SELECT count(*) FROM reader_articles").fetchone()[0])
