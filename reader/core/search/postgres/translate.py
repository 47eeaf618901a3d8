"""reader's parsed queries (Whoosh query objects, after reader has expanded their prefixes,
wildcards and the other spellings of names) as SQL over ``reader_articles``.

Words and phrases in ``title``, ``body`` and ``author`` become one ``tsquery`` over the
article's ``terms`` (fields told apart by weight, see :mod:`.terms`), so the GIN index
answers them; AND/OR/NOT of those stay inside the ``tsquery`` (``&``, ``|``, ``!``), a phrase
becomes ``<->`` (``<N>`` for the gaps a slop allows). Fields that are not text (``lang``,
``outlet``, ``id``, ``published`` and ranges over them) become SQL conditions, combined with
the text parts by SQL's AND/OR/NOT. A query this module cannot translate exactly raises
``QueryError`` naming the part; it is never run changed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from whoosh import query as wq

from reader.core.search.postgres.terms import WEIGHTS, quote
from reader.core.search.query_limits import QueryError

MAX_SLOP_FORMS = 64  # the distance combinations one phrase with a slop may stand for
COLUMNS = {"id": "id", "lang": "lang", "outlet": "outlet", "outlet_key": "outlet_key"}


@dataclass(frozen=True, slots=True)
class Text:
    """A ``tsquery`` (input text, lexemes quoted), and ``loose``: one that matches at least
    every article ``query`` matches, without weights or phrases (None: it would match every
    article). The GIN index answers ``loose`` exactly, with no article read: it narrows the
    articles ``query`` (whose weights and positions are checked on each article's
    ``tsvector``) is checked on, and tells the planner how few they are."""

    query: str
    loose: str | None = None


@dataclass(frozen=True, slots=True)
class Sql:
    """A SQL condition on ``reader_articles`` with its parameters (never NULL)."""

    text: str
    params: tuple[Any, ...] = field(default_factory=tuple)


Part = Text | Sql


def _refuse(node: wq.Query, why: str) -> QueryError:
    return QueryError(f"the PostgreSQL library cannot run {node!r}: {why}")


def as_sql(part: Part) -> Sql:
    """The part as a SQL condition (a text query narrowed by its loose one first)."""
    if isinstance(part, Sql):
        return part
    if part.loose is None:
        return Sql("(terms @@ %s::tsquery)", (part.query,))
    return Sql("(terms @@ %s::tsquery AND terms @@ %s::tsquery)", (part.loose, part.query))


def _loose(texts: list[Text], op: str) -> str | None:
    """The loose query of texts joined by ``op`` (``&``: those that narrow; ``|``: None as
    soon as one does not)."""
    looses = [t.loose for t in texts]
    if op == "|" and None in looses:
        return None
    kept = [loose for loose in looses if loose is not None]
    return "(" + f" {op} ".join(kept) + ")" if kept else None


def _combine(parts: list[Part], text_op: str, sql_op: str) -> Part:
    texts = [p for p in parts if isinstance(p, Text)]
    if len(texts) == len(parts):
        return Text("(" + f" {text_op} ".join(t.query for t in texts) + ")", _loose(texts, text_op))
    sqls = [as_sql(p) for p in parts]
    params = tuple(itertools.chain.from_iterable(s.params for s in sqls))
    return Sql("(" + f" {sql_op} ".join(s.text for s in sqls) + ")", params)


def _negate(part: Part) -> Part:
    if isinstance(part, Text):
        return Text(f"!{part.query}")  # no loose query: it would not narrow
    return Sql(f"NOT {part.text}", part.params)


def _phrase(node: wq.Phrase) -> Text:
    weight = WEIGHTS.get(node.fieldname)
    if weight is None:
        raise _refuse(node, f"a phrase in the field {node.fieldname!r}")
    lexemes = [f"{quote(w)}:{weight}" for w in node.words]
    loose = "(" + " & ".join(quote(w) for w in node.words) + ")"
    if len(lexemes) == 1:
        return Text(lexemes[0], loose)
    slop = max(1, int(node.slop))
    gaps = len(lexemes) - 1
    if slop**gaps > MAX_SLOP_FORMS:
        raise _refuse(node, f"a slop of {slop} over {len(lexemes)} words is too wide")
    forms = []
    for distances in itertools.product(range(1, slop + 1), repeat=gaps):
        text = lexemes[0]
        for distance, lexeme in zip(distances, lexemes[1:], strict=True):
            text += f" <{distance}> {lexeme}" if distance > 1 else f" <-> {lexeme}"
        forms.append(f"({text})")
    return Text(forms[0] if len(forms) == 1 else "(" + " | ".join(forms) + ")", loose)


def _day(value: Any) -> date | None:
    return value.date() if isinstance(value, datetime) else None


def _range(column: str, start: Any, end: Any, startexcl: bool, endexcl: bool) -> Sql:
    conds: list[str] = []
    params: list[Any] = []
    if start is not None:
        conds.append(f"{column} {'>' if startexcl else '>='} %s")
        params.append(start)
    if end is not None:
        conds.append(f"{column} {'<' if endexcl else '<='} %s")
        params.append(end)
    if not conds:
        return Sql(f"({column} IS NOT NULL)")
    return Sql("COALESCE(" + " AND ".join(conds) + ", false)", tuple(params))


def _like(pattern: str) -> str:
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%").replace("?", "_")


def _leaf(node: wq.Query) -> Part:
    name = getattr(node, "fieldname", None)
    if isinstance(node, wq.Phrase):
        return _phrase(node)
    if isinstance(node, wq.Prefix | wq.Wildcard) and name in COLUMNS:
        if isinstance(node, wq.Prefix):
            return Sql(f"starts_with({COLUMNS[name]}, %s)", (node.text,))
        return Sql(f"({COLUMNS[name]} LIKE %s ESCAPE '\\')", (_like(node.text),))
    if isinstance(node, wq.Prefix) and name in WEIGHTS:  # author:bob*: over its index terms
        return Text(f"{quote(node.text)}:*{WEIGHTS[name]}", f"{quote(node.text)}:*")
    if type(node) is wq.Term:
        if name in WEIGHTS:
            return Text(f"{quote(node.text)}:{WEIGHTS[name]}", quote(node.text))
        if name in COLUMNS:
            return Sql(f"({COLUMNS[name]} = %s)", (node.text,))
        if name == "dated" and node.text in ("yes", "no"):
            return Sql(f"(published IS {'NOT ' if node.text == 'yes' else ''}NULL)")
        if name == "published" and _day(node.text) is not None:
            return Sql("COALESCE(published = %s, false)", (_day(node.text),))
    if isinstance(node, wq.DateRange) and name == "published":
        start, end = node.startdate, node.enddate
        # published is a day; Whoosh stores it as that day at midnight
        return _range("published::timestamp", start, end, node.startexcl, node.endexcl)
    if type(node) is wq.TermRange and name in COLUMNS:
        column = COLUMNS[name]
        return _range(column, node.start, node.end, node.startexcl, node.endexcl)
    raise _refuse(node, "no translation for this kind of query")


def translate(node: wq.Query) -> Part:
    """The query as SQL (see the module's docstring); QueryError when it cannot be."""
    if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
        return Sql("false")
    if isinstance(node, wq.Every):
        return Sql("true")
    if isinstance(node, wq.Not):
        return _negate(translate(node.query))
    if isinstance(node, wq.AndNot):
        return _combine([translate(node.a), _negate(translate(node.b))], "&", "AND")
    if isinstance(node, wq.Require):
        return _combine([translate(node.a), translate(node.b)], "&", "AND")
    if isinstance(node, wq.AndMaybe):  # the optional part only changes the ranking
        return translate(node.a)
    if isinstance(node, wq.And):
        return _combine([translate(c) for c in node.subqueries], "&", "AND")
    if isinstance(node, wq.Or | wq.DisjunctionMax):
        if getattr(node, "minmatch", 0) > 1:
            raise _refuse(node, "a minimum number of matching words")
        return _combine([translate(c) for c in node.subqueries], "|", "OR")
    if not node.is_leaf():
        raise _refuse(node, "no translation for this kind of query")
    return _leaf(node)


def rank_query(node: wq.Query) -> str:
    """A ``tsquery`` for ranking: the words and phrases the query asks for (none under a
    NOT), ORed; ``''`` when there are none (every hit then ranks 0)."""
    found: list[str] = []

    def walk(q: wq.Query) -> None:
        if isinstance(q, wq.Not):
            return
        if isinstance(q, wq.AndNot):
            walk(q.a)
            return
        if q.is_leaf():
            try:
                part = _leaf(q) if q is not wq.NullQuery else None
            except QueryError:
                return
            if isinstance(part, Text):
                found.append(part.query)
            return
        for child in q.children():
            walk(child)

    walk(node)
    return " | ".join(found)
