"""Prefixes and wildcards through the corpus words stored on the server (``reader_words``):
the server-side twin of :class:`reader.core.search.vocabulary.Vocabulary` and of
:func:`reader.core.search.query.expand`, so a pattern stands for the same index terms on both
backends (``hiri*`` finds "hiring", indexed as "hire") and the same limit refuses it.

Words are compared in code point order (``COLLATE "C"``), the order Python sorts them in.
Patterns and ranges over the other fields (``id:x*``, ``outlet:[a TO m]``) stay SQL
conditions, counted towards the limit by the distinct values they match, as Whoosh counts
their terms; a prefix in ``author`` is not counted (Whoosh counts it).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from typing import Any

from whoosh import query as wq

from reader.core.config import SearchLimits
from reader.core.search.postgres.translate import COLUMNS, Sql, translate
from reader.core.search.query import NAME_SPELLINGS, SEARCH_FIELDS, PreparedQuery
from reader.core.search.query_limits import check_expansion

_PAST_LAST = chr(0x10FFFF)


def _words(conn: Any, head: str) -> Iterator[tuple[str, str]]:
    """(word, term) of every stored word starting with ``head``, in word order."""
    if not head:
        yield from conn.execute("SELECT word, term FROM reader_words ORDER BY word")
        return
    yield from conn.execute(
        "SELECT word, term FROM reader_words WHERE word >= %s AND word < %s ORDER BY word",
        (head, head + _PAST_LAST),
    )


def expand_prefix(conn: Any, prefix: str, limit: int) -> list[str]:
    """Index terms of the words that start with ``prefix``, in word order, no duplicates, at
    most ``limit`` (as :meth:`Vocabulary.expand_prefix`)."""
    terms: dict[str, None] = {}
    for word, term in _words(conn, prefix):
        if word.startswith(prefix):
            terms[term] = None
            if len(terms) >= limit:
                break
    return list(terms)


def expand_wildcard(conn: Any, pattern: str, limit: int) -> list[str]:
    """Index terms of the words matching a ``*``/``?`` pattern (as
    :meth:`Vocabulary.expand_wildcard`)."""
    head = re.split(r"[*?]", pattern, maxsplit=1)[0]
    matcher = re.compile(fnmatch.translate(pattern))
    terms: dict[str, None] = {}
    for word, term in _words(conn, head):
        if matcher.match(word):
            terms[term] = None
            if len(terms) >= limit:
                break
    return list(terms)


def _expand(q: wq.Query, conn: Any, most: int, counts: dict[str, int]) -> wq.Query:
    if isinstance(q, wq.Every):
        return wq.Every(boost=q.boost)
    if isinstance(q, wq.Prefix | wq.Wildcard) and q.fieldname in SEARCH_FIELDS:
        if isinstance(q, wq.Prefix):
            terms = expand_prefix(conn, q.text, most)
            counts[f"{q.text}*"] = len(terms)
        else:
            terms = expand_wildcard(conn, q.text, most)
            counts[q.text] = len(terms)
        if not terms:
            return wq.NullQuery
        return wq.Or([wq.Term(q.fieldname, t) for t in terms], boost=q.boost)
    if isinstance(q, wq.MultiTerm) and getattr(q, "fieldname", None) in COLUMNS:
        # id:x*, outlet ranges...: conditions in SQL, not expanded; counted as Whoosh counts
        # them (the distinct values they match), so the same queries are refused
        condition = translate(q)
        assert isinstance(condition, Sql)  # a column's condition is always SQL
        column = COLUMNS[q.fieldname]
        counts[str(q)] = conn.execute(
            f"SELECT count(*) FROM (SELECT DISTINCT {column} FROM reader_articles "
            f"WHERE {condition.text} LIMIT %s) AS found",
            (*condition.params, most),
        ).fetchone()[0]
        return q
    if q.is_leaf():
        return q
    return q.apply(lambda child: _expand(child, conn, most, counts))


def expand_query(
    conn: Any, prepared: PreparedQuery, limits: SearchLimits
) -> tuple[wq.Query, wq.Query | None]:
    """(the query as written, the query with other spellings or None), prefixes and
    wildcards expanded; QueryTooBig over the expansion limit, as on Whoosh."""
    counts: dict[str, int] = {}
    most = limits.max_expansion + 1
    plain = _expand(prepared.parsed, conn, most, counts)
    wider = None if prepared.wider is None else _expand(prepared.wider, conn, most, counts)
    if prepared.spellings:
        counts[NAME_SPELLINGS] = prepared.spellings
    worst = max(counts, key=counts.__getitem__, default="")
    check_expansion(sum(counts.values()), limits, f"{worst}: {counts[worst]:,}" if worst else "")
    return plain, wider
