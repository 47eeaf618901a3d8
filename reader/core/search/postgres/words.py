"""Prefixes and wildcards of a query on the server, expanded as on Whoosh.

The words of the library (``reader_words``: folded word -> index term, the table the Whoosh
index keeps in ``vocabulary.json``) are read into the same
:class:`reader.core.search.vocabulary.Vocabulary` the Whoosh backend uses (the server index
reads it anyway for the other spellings of names), and the query goes through the very
function the Whoosh searcher calls (:func:`reader.core.search.query.expand`): a pattern stands
for the same index terms on both backends (``hiri*`` finds "hiring", indexed as "hire"), the
prefix of a word being typed for the same first words, and the same limit refuses the same
queries. There is no second implementation to drift from the first.

Only the other multi-term queries are counted here, as Whoosh counts their terms: patterns and
ranges over the columns (``id:x*``, ``outlet:[a TO m]``, SQL conditions, counted by the
distinct values they match) and patterns over ``author`` (counted over the distinct index
terms of the stored authors).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from typing import Any

from whoosh import query as wq

from reader.core.config import SearchLimits
from reader.core.search.postgres.terms import field_terms
from reader.core.search.postgres.translate import COLUMNS, Sql, translate
from reader.core.search.query import PreparedQuery, expand
from reader.core.search.vocabulary import Vocabulary
from reader.core.search.word_starts import as_prefixes


def _author_terms(conn: Any, q: wq.Prefix | wq.Wildcard, most: int) -> int:
    """How many index terms of the ``author`` field the pattern matches (at most ``most``):
    the authors stored, analysed as the index analyses them."""
    text = q.text
    head = text if isinstance(q, wq.Prefix) else re.split(r"[*?]", text, maxsplit=1)[0]
    pattern = None if isinstance(q, wq.Prefix) else re.compile(fnmatch.translate(text))
    terms: set[str] = set()
    for (author,) in conn.execute("SELECT DISTINCT author FROM reader_articles"):
        for term in field_terms(author):
            if term.startswith(head) and (pattern is None or pattern.match(term)):
                terms.add(term)
                if len(terms) >= most:
                    return most
    return len(terms)


def _counter(conn: Any) -> Callable[[wq.Query, int], int]:
    def count(q: wq.Query, most: int) -> int:
        field = getattr(q, "fieldname", None)
        if field in COLUMNS:
            condition = translate(q)
            assert isinstance(condition, Sql)  # a column's condition is always SQL
            column = COLUMNS[field]
            found = conn.execute(
                f"SELECT count(*) FROM (SELECT DISTINCT {column} FROM reader_articles "
                f"WHERE {condition.text} LIMIT %s) AS found",
                (*condition.params, most),
            ).fetchone()[0]
            return int(found)
        if field == "author" and isinstance(q, wq.Prefix | wq.Wildcard):
            return _author_terms(conn, q, most)
        return 0  # ranges and fuzzy terms over text: refused when translated

    return count


def expand_query(
    conn: Any,
    prepared: PreparedQuery,
    limits: SearchLimits,
    vocabulary: Callable[[], Vocabulary],
) -> tuple[wq.Query, wq.Query | None]:
    """(the query as written, the query with other spellings or None), prefixes and
    wildcards expanded through ``vocabulary`` (the library's words); QueryTooBig over the
    expansion limit, as on Whoosh (see the module's docstring). The server has no starts
    fields (:mod:`reader.core.search.word_starts`): a two-letter word being typed stands for
    its first words there, as a longer one does on both backends."""
    parsed, starts = as_prefixes(prepared.parsed)
    if starts:
        wider = None if prepared.wider is None else as_prefixes(prepared.wider)[0]
        typed = (*prepared.typed, *starts)
        prepared = prepared._replace(parsed=parsed, wider=wider, typed=typed)
    expanded = expand(prepared, vocabulary, None, limits, count=_counter(conn))
    return expanded.plain, expanded.wider
