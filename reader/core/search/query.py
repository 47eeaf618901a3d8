"""The query path, one step after the other, each done once per query:

1. :meth:`QueryParser.prepare`: the text as typed is put back in logical order
   (:func:`~reader.core.search.analysis.query_to_logical`), checked against the limits and
   parsed; when names in it have other spellings (:mod:`reader.core.search.cross_script`), the
   widened text is parsed too. The result, a :class:`PreparedQuery`, holds both queries and the
   :class:`~reader.core.search.highlight.Matcher` of each, so the search and the highlighting of
   an open article use the very same parse.
2. :func:`expand`: prefix and wildcard terms of both queries replaced by the index terms of the
   words they stand for (through the corpus :class:`~reader.core.search.vocabulary.Vocabulary`),
   with the expansion limit checked over everything the query stands for.
3. Matching and snippets: the searcher runs the expanded queries; snippets and marks come from
   the prepared query's matcher (:mod:`reader.core.search.highlight`).

This module depends only on the modules below it (analysis, cross_script, query_limits,
vocabulary, highlight) and, for the other spellings of names, on :mod:`reader.core.names`; it
never calls back into the searcher.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh.qparser import MultifieldParser, syntax
from whoosh.qparser.common import attach
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.qparser.plugins import PhrasePlugin, Plugin

from reader.core.config import SearchLimits
from reader.core.search.analysis import query_to_logical
from reader.core.search.cross_script import is_one_word, other_spellings, plain_word
from reader.core.search.highlight import Matcher
from reader.core.search.index_build import make_schema
from reader.core.search.query_limits import (
    QueryError,
    check_expansion,
    check_parsed,
    check_syntax,
    check_text,
    search_words,
)
from reader.core.search.vocabulary import Vocabulary

SEARCH_FIELDS = ("title", "body")
NAME_SPELLINGS = "other spellings of names"  # the expansion count of a query's other spellings


def matcher_of(q: wq.Query) -> Matcher:
    """What a parsed query marks in text: its terms, phrases and prefixes (a wildcard marks
    the words that start with its part before the first ``*``/``?``) in the searched fields,
    nothing under a NOT."""
    terms: set[str] = set()
    prefixes: list[str] = []
    phrases: set[tuple[str, ...]] = set()

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.Prefix) and node.fieldname in SEARCH_FIELDS:
            prefixes.append(node.text)
        elif isinstance(node, wq.Wildcard) and node.fieldname in SEARCH_FIELDS:
            head = re.split(r"[*?]", node.text, maxsplit=1)[0]
            if head:
                prefixes.append(head)
        elif isinstance(node, wq.Term) and node.fieldname in SEARCH_FIELDS:
            terms.add(node.text)
        elif isinstance(node, wq.Phrase) and node.fieldname in SEARCH_FIELDS:
            phrases.add(tuple(node.words))
        if not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(q)
    return Matcher(frozenset(terms), tuple(prefixes), tuple(sorted(phrases)))


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    """A query parsed once, with its cross-script widening; immutable and reusable.

    ``text`` is the query as typed; ``logical`` the same in logical order, stripped.
    ``parsed`` searches the words as written; ``wider`` (None when no name in the query has
    another spelling, or when cross-script search is off) also their other spellings.
    ``plain_matcher`` and ``wider_matcher`` mark what each matches; :attr:`matcher` is the one
    to highlight an article found by the query. ``spellings`` counts the search words the
    other spellings add (they count towards the expansion limit).
    """

    text: str
    logical: str
    parsed: wq.Query
    wider: wq.Query | None
    plain_matcher: Matcher
    wider_matcher: Matcher | None
    spellings: int

    @property
    def empty(self) -> bool:
        """True when the query holds only stopwords: it finds nothing."""
        return self.parsed is wq.NullQuery

    @property
    def matcher(self) -> Matcher:
        """The matcher of the widest query: what a search for it marks in the articles it
        shows (the other spellings included when they apply)."""
        return self.wider_matcher if self.wider_matcher is not None else self.plain_matcher


class _Spelled(syntax.GroupNode):  # type: ignore[misc]
    """A word or phrase of the query with its other spellings: the first node is the word as
    written, the others its spellings. It stands for the word alone or for all of them ORed,
    as the plugin that made it says when the query is built."""

    merging = False

    def __init__(
        self,
        nodes: list[Any] | None = None,
        boost: float = 1.0,
        switch: _OtherSpellings | None = None,
    ) -> None:
        super().__init__(nodes, boost, switch=switch)  # kept in kwargs for empty_copy()
        self.switch = switch

    def set_boost(self, boost: float) -> None:
        """A boost after the word (Haftar^2) is the word's, as if it stood alone."""
        if self.nodes:
            self.nodes[0].set_boost(boost)
        else:
            self.boost = boost

    def query(self, parser: Any) -> wq.Query | None:
        if not self.nodes:
            return None
        if self.switch is None or not self.switch.wide:
            return self.nodes[0].query(parser)
        subs = [q for q in (node.query(parser) for node in self.nodes) if q is not None]
        return attach(wq.Or(subs, boost=self.boost), self)


class _OtherSpellings(Plugin):  # type: ignore[misc]
    """Whoosh parser plugin: while ``lookup`` is set, each plain word and phrase (no field,
    wildcard or boost) with other spellings becomes a :class:`_Spelled` node, before the
    multifield filter spreads words over title and body. ``found`` says whether any did;
    ``wide`` chooses which query the syntax tree builds."""

    def __init__(self) -> None:
        self.lookup: Callable[[str], list[str]] | None = None
        self.found = False
        self.wide = False

    def filters(self, parser: Any) -> list[tuple[Callable[..., Any], int]]:
        return [(self._widen, 105)]  # after fields (100), before multifield (110)

    def _widen(self, parser: Any, group: Any) -> Any:
        if self.lookup is None:
            return group
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self._widen(parser, node)
                continue
            if not isinstance(node, syntax.WordNode | PhrasePlugin.PhraseNode):
                continue
            if node.fieldname is not None or node.boost != 1.0:
                continue
            word = plain_word(node.text)
            found = [] if word is None else other_spellings(word, self.lookup)
            if not found:
                continue
            self.found = True
            spelled = [
                syntax.WordNode(a) if is_one_word(a) else PhrasePlugin.PhraseNode(a, 0)
                for a in found
            ]
            for other in spelled:  # where in the query text it stands: at the word it spells
                other.set_range(node.startchar, node.endchar)
            group[i] = _Spelled([node, *spelled], switch=self)
        return group


class QueryParser:
    """Parses query text (Whoosh's syntax over title and body, dates understood) within a
    config's limits, and widens it with the other spellings of names. Holds Whoosh's parser
    and the name tables (read on first use); not thread-safe, like the searcher that owns it.
    """

    def __init__(self, limits: SearchLimits, gazetteer: Path | None = None) -> None:
        self.limits = limits
        self._gazetteer_path = gazetteer
        self._gazetteer: Any = None  # loaded on first cross-script lookup
        self._parser = MultifieldParser(list(SEARCH_FIELDS), make_schema())
        self._parser.add_plugin(DateParserPlugin())
        self._spelling = _OtherSpellings()
        self._parser.add_plugin(self._spelling)

    def parse(self, text: str, *, limited: bool = True) -> wq.Query:
        """Parse query text as typed (visual-order Arabic put back in logical order). With
        ``limited``, a query over the limits raises ``QueryTooBig`` (a :class:`QueryError`);
        any query that cannot be understood raises :class:`QueryError`."""
        if limited:
            check_text(text, self.limits)
        return self._parse_logical(query_to_logical(text).strip(), limited=limited)

    def _parse_logical(self, text: str, *, limited: bool) -> wq.Query:
        return self._parse_both(text, limited=limited, cross_script=False)[0]

    def _parse_both(
        self, text: str, *, limited: bool, cross_script: bool
    ) -> tuple[wq.Query, wq.Query | None]:
        """Parse logical text once: the query as written and, with ``cross_script``, the same
        with the other spellings of its names ORed in (None when no word has any), both
        built from the one syntax tree."""
        if not text:
            raise QueryError("empty query")
        check_syntax(text)
        spelling = self._spelling
        spelling.lookup = self.spellings if cross_script else None
        spelling.found = spelling.wide = False
        wider: wq.Query | None = None
        try:
            try:
                nodes = self._parser.process(text)
                parsed = self._build(nodes)
            except Exception as exc:  # Whoosh's parser raises assorted types on odd input
                raise QueryError(f"cannot parse query: {exc}") from exc
            if spelling.found:
                spelling.wide = True
                with suppress(Exception):  # a spelling Whoosh cannot take: search as written
                    wider = self._build(nodes)
        finally:
            spelling.lookup = None
            spelling.wide = False
        if getattr(parsed, "error", None):
            raise QueryError(str(parsed.error))
        if limited:
            check_parsed(parsed, self.limits)
        if wider is not None and getattr(wider, "error", None):
            wider = None
        return parsed, wider

    def _build(self, nodes: Any) -> wq.Query:
        """The query of a syntax tree, as Whoosh's ``QueryParser.parse`` builds it."""
        q = nodes.query(self._parser)
        return (q or wq.NullQuery).normalize()

    def spellings(self, word: str) -> list[str]:
        """Other spellings of a word or name, from the name tables (see
        :func:`reader.core.names.entities.cross_script_terms`)."""
        from reader.core.names.entities import cross_script_terms
        from reader.core.names.gazetteer import gazetteer_for

        if self._gazetteer is None:
            self._gazetteer = gazetteer_for(self._gazetteer_path)
        return cross_script_terms(word, self._gazetteer)

    def prepare(self, text: str, *, cross_script: bool) -> PreparedQuery:
        """Parse ``text`` once and, with ``cross_script``, widen it once with the other
        spellings of its names. Raises :class:`QueryError` (``QueryTooBig`` for a query over
        the limits on length, nesting, words and phrase length). A widened query that cannot
        be parsed (an alias with odd characters) is dropped: the query searches as written.
        """
        check_text(text, self.limits)
        logical = query_to_logical(text).strip()
        parsed, wider = self._parse_both(logical, limited=True, cross_script=cross_script)
        if parsed is wq.NullQuery:  # only stopwords: nothing to find, nothing to widen
            wider = None
        return PreparedQuery(
            text=text,
            logical=logical,
            parsed=parsed,
            wider=wider,
            plain_matcher=matcher_of(parsed),
            wider_matcher=None if wider is None else matcher_of(wider),
            spellings=0 if wider is None else search_words(wider) - search_words(parsed),
        )


@dataclass(frozen=True, slots=True)
class ExpandedQuery:
    """A prepared query with its prefixes and wildcards replaced by index terms, ready to run.
    ``plain`` and ``wider`` correspond to the prepared query's ``parsed`` and ``wider``;
    ``counts`` says how many index terms each pattern (and the names' other spellings,
    under :data:`NAME_SPELLINGS`) stands for, up to the expansion limit + 1."""

    prepared: PreparedQuery
    plain: wq.Query
    wider: wq.Query | None
    counts: Mapping[str, int] = field(default_factory=dict)


def _is_pattern(node: wq.Query) -> bool:
    return isinstance(node, wq.Prefix | wq.Wildcard) and node.fieldname in SEARCH_FIELDS


def expand_patterns(
    q: wq.Query,
    vocabulary: Callable[[], Vocabulary],
    reader: Any,
    limits: SearchLimits,
    counts: dict[str, int] | None = None,
) -> wq.Query:
    """Replace prefix and wildcard terms by the index terms of the words they match, and
    record in ``counts`` how many each pattern stands for (up to the expansion limit + 1:
    more is refused anyway). ``*`` alone (every article) becomes one cheap query. Other
    multi-term queries (``id:x*``, ranges) are left to Whoosh, counted with ``reader``.
    ``vocabulary`` is called only when the query has a prefix or wildcard."""
    if counts is None:
        counts = {}
    most = limits.max_expansion + 1
    if isinstance(q, wq.Every):
        return wq.Every(boost=q.boost)  # not a union of every term's postings
    if _is_pattern(q):
        if isinstance(q, wq.Prefix):
            terms = vocabulary().expand_prefix(q.text, limit=most)
            counts[f"{q.text}*"] = len(terms)
        else:
            terms = vocabulary().expand_wildcard(q.text, limit=most)
            counts[q.text] = len(terms)
        if not terms:
            return wq.NullQuery
        return wq.Or([wq.Term(q.fieldname, t) for t in terms], boost=q.boost)
    if isinstance(q, wq.MultiTerm):  # id:x*, outlet:[a TO m]...: Whoosh expands these
        expanded = q.expanded_terms(reader)
        counts[str(q)] = sum(1 for _ in itertools.islice(expanded, most))
        return q
    if q.is_leaf():
        return q
    return q.apply(lambda child: expand_patterns(child, vocabulary, reader, limits, counts))


def expand(
    prepared: PreparedQuery,
    vocabulary: Callable[[], Vocabulary],
    reader: Any,
    limits: SearchLimits,
) -> ExpandedQuery:
    """Expand both queries of ``prepared`` (see :func:`expand_patterns`), then refuse with
    ``QueryTooBig`` a query whose prefixes, wildcards and other spellings of names stand for
    more index terms in all than the expansion limit (the message names the biggest)."""
    counts: dict[str, int] = {}
    plain = expand_patterns(prepared.parsed, vocabulary, reader, limits, counts)
    wider = (
        None
        if prepared.wider is None
        else expand_patterns(prepared.wider, vocabulary, reader, limits, counts)
    )
    if prepared.spellings:
        counts[NAME_SPELLINGS] = prepared.spellings
    worst = max(counts, key=counts.__getitem__, default="")
    check_expansion(sum(counts.values()), limits, f"{worst}: {counts[worst]:,}" if worst else "")
    return ExpandedQuery(prepared, plain, wider, counts)
