"""Checks on a query before it runs: its syntax, and limits on what it may ask for.

Each limit is a ``[search]`` key of the config (:class:`reader.core.config.SearchLimits`). A
query over one is refused with :class:`QueryTooBig`, whose one-line message names the limit,
its value and the key that sets it; a query is never quietly cut down to fit.
"""

from __future__ import annotations

import re

from whoosh import query as wq

from reader.core.config import SearchLimits

QUERY_FIELDS = frozenset({"title", "body", "lang", "outlet", "author", "published", "id"})


class QueryError(ValueError):
    """A query that cannot be run; the message says what is wrong."""


class QueryTooBig(QueryError):
    """A query over one of the limits. ``key`` is its config key (``max_terms``...),
    ``limit`` its value and ``found`` how much the query asked for (at least)."""

    def __init__(self, key: str, limit: int, found: int, what: str) -> None:
        super().__init__(f"{what}; the limit is {limit:,} ([search] {key})")
        self.key, self.limit, self.found = key, limit, found


_FIELD_REF = re.compile(r"(?<![\w\"'])([A-Za-z_]+):")


def check_syntax(text: str) -> None:
    """Refuse unbalanced quotes or parentheses, unknown fields and dangling operators."""
    if text.count('"') % 2:
        raise QueryError('unbalanced quotes: a phrase needs a closing "')
    depth = 0
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if depth < 0:
            raise QueryError("a ) without its (")
    if depth:
        raise QueryError("a ( without its )")
    for name in _FIELD_REF.findall(re.sub(r'"[^"]*"', "", text)):
        if name not in QUERY_FIELDS:
            known = ", ".join(sorted(QUERY_FIELDS))
            raise QueryError(f"unknown field {name!r} (fields: {known})")
    stripped = text.strip()
    if re.search(r"(^|\s)(AND|OR|ANDNOT|ANDMAYBE)\s*$", stripped) or re.match(
        r"^(AND|OR|ANDNOT|ANDMAYBE)(\s|$)", stripped
    ):
        raise QueryError("an operator (AND, OR, ...) needs a term on each side")


def check_text(text: str, limits: SearchLimits) -> None:
    """Refuse a query text that is too long or nests parentheses too deep (before parsing:
    the parser recurses once per level)."""
    if len(text) > limits.max_query_chars:
        raise QueryTooBig(
            "max_query_chars",
            limits.max_query_chars,
            len(text),
            f"the query is {len(text):,} characters long",
        )
    depth = deepest = 0
    for char in re.sub(r'"[^"]*"', "", text):
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    if deepest > limits.max_nesting:
        raise QueryTooBig(
            "max_nesting",
            limits.max_nesting,
            deepest,
            f"the query nests parentheses {deepest} deep",
        )


def search_words(q: wq.Query) -> int:
    """How many words a parsed query searches for: each word of a phrase counts, a prefix or
    wildcard counts once (its expansion is counted apart), and a word the parser looks for
    in title and body counts once (the count is that of the field with most)."""
    per_field: dict[str, int] = {}
    for leaf in q.leaves():
        field = getattr(leaf, "fieldname", None) or ""
        words = len(leaf.words) if isinstance(leaf, wq.Phrase) else 1
        per_field[field] = per_field.get(field, 0) + words
    return max(per_field.values(), default=0)


def check_parsed(q: wq.Query, limits: SearchLimits) -> None:
    """Refuse a parsed query with too many words or too long a phrase."""
    longest = max(
        (len(node.words) for node in q.leaves() if isinstance(node, wq.Phrase)), default=0
    )
    if longest > limits.max_phrase_words:
        raise QueryTooBig(
            "max_phrase_words",
            limits.max_phrase_words,
            longest,
            f'a "phrase" has {longest} words (stopwords aside)',
        )
    count = search_words(q)
    if count > limits.max_terms:
        raise QueryTooBig(
            "max_terms",
            limits.max_terms,
            count,
            f"the query has {count} search words (stopwords aside)",
        )


def check_expansion(found: int, limits: SearchLimits, worst: str = "") -> None:
    """Refuse a query whose prefixes, wildcards and names' other spellings stand for more
    index terms in all than ``max_expansion``; ``worst`` names the biggest contributor."""
    if found > limits.max_expansion:
        detail = f" ({worst})" if worst else ""
        raise QueryTooBig(
            "max_expansion",
            limits.max_expansion,
            found,
            f"the query's prefixes, wildcards and other spellings of names stand for "
            f"{found:,} or more words{detail}",
        )
