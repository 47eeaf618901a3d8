"""The query path, one step after the other, each done once per query:

1. :meth:`QueryParser.prepare`: the text as typed is put back in logical order
   (:func:`~reader.core.search.analysis.query_to_logical`), checked against the limits and
   parsed, its words given their other forms in the one syntax tree
   (:mod:`reader.core.search.query_forms`: compounds both ways, the word being typed as a
   prefix; the other spellings of names, from the gazetteer and from the corpus's own words
   through :mod:`reader.core.search.name_layer`, in the widened query). The result, a
   :class:`PreparedQuery`, holds both queries and the
   :class:`~reader.core.search.highlight.Matcher` of each, so the search and the highlighting of
   an open article use the very same parse.
2. :func:`expand`: prefix and wildcard terms of both queries replaced by the index terms of the
   words they stand for (through the corpus :class:`~reader.core.search.vocabulary.Vocabulary`),
   with the expansion limit checked over everything the query stands for.
3. Matching and snippets: the searcher runs the expanded queries; snippets and marks come from
   the prepared query's matcher (:mod:`reader.core.search.highlight`).

This module depends only on the modules below it (analysis, query_forms, query_limits,
vocabulary, name_layer, highlight) and, for the other spellings of names, on
:mod:`reader.core.names`; it never calls back into the searcher.
"""

from __future__ import annotations

import copy
import itertools
import operator
import re
from collections.abc import Callable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any, NamedTuple

from whoosh import query as wq
from whoosh.fields import DATETIME
from whoosh.qparser import MultifieldParser

from reader.core.config import SearchLimits
from reader.core.search.analysis import query_to_logical, typed_initialisms
from reader.core.search.highlight import Matcher
from reader.core.search.query_forms import OtherForms
from reader.core.search.query_limits import (
    QueryError,
    check_expansion,
    check_parsed,
    check_syntax,
    check_text,
    search_words,
)
from reader.core.search.schema import make_schema
from reader.core.search.vocabulary import Vocabulary
from reader.core.search.word_starts import is_starts_term

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
        # (a starts term: a two-letter word being typed marks the words it starts)
        if (isinstance(node, wq.Prefix) and node.fieldname in SEARCH_FIELDS) or is_starts_term(
            node
        ):
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


class PreparedQuery(NamedTuple):  # not a dataclass: cheaper to make in a new process
    """A query parsed once, with its cross-script widening; immutable and reusable.

    ``text`` is the query as typed; ``logical`` the same in logical order, stripped.
    ``parsed`` searches the words as written; ``wider`` (None when no name in the query has
    another spelling, or when cross-script search is off) also their other spellings.
    ``plain_matcher`` and ``wider_matcher`` mark what each matches; :attr:`matcher` is the one
    to highlight an article found by the query. ``spellings`` counts the search words the
    other spellings add (they count towards the expansion limit). ``typed`` holds the
    prefixes added for the word being typed (a prefix too common is cut, not refused).
    """

    text: str
    logical: str
    parsed: wq.Query
    wider: wq.Query | None
    plain_matcher: Matcher
    wider_matcher: Matcher | None
    spellings: int
    typed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the query holds only stopwords: it finds nothing."""
        return self.parsed is wq.NullQuery

    @property
    def matcher(self) -> Matcher:
        """The matcher of the widest query: what a search for it marks in the articles it
        shows (the other spellings included when they apply)."""
        return self.wider_matcher if self.wider_matcher is not None else self.plain_matcher


class QueryParser:
    """Parses query text (Whoosh's syntax over title and body, dates understood) within a
    config's limits, and widens it with the other spellings of names. Holds Whoosh's parser
    and the name tables (read on first use); not thread-safe, like the searcher that owns it.
    """

    def __init__(self, limits: SearchLimits, gazetteer: Path | None = None) -> None:
        self.limits = limits
        self._gazetteer_path = gazetteer
        self._gazetteer: Any = None  # loaded on first cross-script lookup
        self._schema = make_schema()
        self._spelling = OtherForms()
        self._parser = MultifieldParser(list(SEARCH_FIELDS), self._schema)
        self._parser.add_plugin(self._spelling)
        # Whoosh's date plugin (dozens of regular expressions, compiled when it is made) acts
        # on nodes of a date field only: a parser with it, for a query naming one, made once.
        self._date_fields = tuple(n for n, f in self._schema.items() if isinstance(f, DATETIME))
        self._dated_parser: MultifieldParser | None = None
        self.typed: tuple[str, ...] = ()  # the prefixes the last parse added for typing

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
        self,
        text: str,
        *,
        limited: bool,
        cross_script: bool,
        vocabulary: Vocabulary | None = None,
        typing: bool = False,
    ) -> tuple[wq.Query, wq.Query | None]:
        """Parse logical text once: the query as written and, with ``cross_script``, the same
        with the other spellings of its names ORed in (None when no word has any), both
        built from the one syntax tree. With ``vocabulary``, compounds match both ways and
        names get the spellings the corpus writes (the name layer); with ``typing``, the
        last word is a prefix too."""
        if not text:
            raise QueryError("empty query")
        check_syntax(text)
        text = typed_initialisms(text)
        spelling = self._spelling
        spelling.reset()
        spelling.vocabulary = vocabulary
        if cross_script:
            layer = None if vocabulary is None else vocabulary.name_layer()
            spelling.phrases = self.spellings
            spelling.lookup = (
                self.spellings
                if layer is None
                else lambda word: [*self.spellings(word), *layer.spellings(word)]
            )
        spelling.typing_end = len(text) if typing else None
        wider: wq.Query | None = None
        try:
            try:
                parser = self._parser_for(text)
                nodes = parser.process(text)
                parsed = self._build(nodes, parser)
            except Exception as exc:  # Whoosh's parser raises assorted types on odd input
                raise QueryError(f"cannot parse query: {exc}") from exc
            if spelling.found:
                spelling.wide = True
                with suppress(Exception):  # a spelling Whoosh cannot take: search as written
                    wider = self._build(nodes, parser)
        finally:
            typed = spelling.typed
            spelling.reset()
        self.typed = tuple(typed)
        if getattr(parsed, "error", None):
            raise QueryError(str(parsed.error))
        if limited:
            check_parsed(parsed, self.limits)
        if wider is not None and getattr(wider, "error", None):
            wider = None
        return parsed, wider

    def _parser_for(self, text: str) -> MultifieldParser:
        """Whoosh's parser for ``text``: with the date plugin when the text names a date
        field anywhere (``published:2024``, ``published:[2024 to 2025]``), else without it,
        which parses such a query the same way (the plugin changes only nodes of a date
        field)."""
        if not any(name in text for name in self._date_fields):
            return self._parser
        if self._dated_parser is None:
            from whoosh.qparser.dateparse import DateParserPlugin

            dated = MultifieldParser(list(SEARCH_FIELDS), self._schema)
            dated.add_plugin(DateParserPlugin())
            dated.add_plugin(self._spelling)
            self._dated_parser = dated
        return self._dated_parser

    def _build(self, nodes: Any, parser: MultifieldParser) -> wq.Query:
        """The query of a syntax tree, as Whoosh's ``QueryParser.parse`` builds it."""
        q = nodes.query(parser)
        return (q or wq.NullQuery).normalize()

    def spellings(self, word: str) -> list[str]:
        """Other spellings of a word or name, from the name tables (see
        :func:`reader.core.names.other_spellings.cross_script_terms`). The gazetteer is built
        only for a word that may be one of its aliases
        (:func:`reader.core.names.gazetteer.may_be_alias`): a new process searching a common
        word never builds it."""
        from reader.core.names.gazetteer import may_be_alias
        from reader.core.names.other_spellings import cross_script_terms

        if self._gazetteer is None and not may_be_alias(word, self._gazetteer_path):
            return []  # what cross_script_terms gives when the gazetteer knows no entity
        return cross_script_terms(word, self.gazetteer())

    def gazetteer(self) -> Any:
        """The gazetteer the other spellings come from (built on first use)."""
        from reader.core.names.gazetteer import gazetteer_for

        if self._gazetteer is None:
            self._gazetteer = gazetteer_for(self._gazetteer_path)
        return self._gazetteer

    def prepare(
        self,
        text: str,
        *,
        cross_script: bool,
        vocabulary: Callable[[], Vocabulary] | None = None,
        typing: bool = False,
    ) -> PreparedQuery:
        """Parse ``text`` once and, with ``cross_script``, widen it once with the other
        spellings of its names. Raises :class:`QueryError` (``QueryTooBig`` for a query over
        the limits on length, nesting, words and phrase length). A widened query that cannot
        be parsed (an alias with odd characters) is dropped: the query searches as written.

        ``vocabulary`` (the corpus's, called once) adds the spellings of names the corpus
        writes (:mod:`reader.core.search.name_layer`) and compounds both ways; ``typing``
        (while the query is being typed) searches its last word as a prefix too, when nothing
        follows it: ``Beng`` finds Benghazi.
        """
        check_text(text, self.limits)
        logical = query_to_logical(text).strip()
        typing = typing and not query_to_logical(text)[-1:].isspace()
        parsed, wider = self._parse_both(
            logical,
            limited=True,
            cross_script=cross_script,
            vocabulary=None if vocabulary is None else vocabulary(),
            typing=typing,
        )
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
            typed=self.typed,
        )


def without_absent_phrases(
    prepared: PreparedQuery, occurs: Callable[[wq.Phrase], bool]
) -> PreparedQuery:
    """``prepared`` without the phrases of its ORs that no article holds (``occurs`` says,
    for one phrase in one field, whether any article does), each OR keeping at least one part:
    the compound form of a long word ("govern ment" for government, "wash ton" for
    Washington, from :meth:`reader.core.search.query_forms.OtherForms`) or a name's other
    spelling that the corpus never writes. The same articles match with the same scores (a
    phrase that matches nothing adds nothing to an OR's sum, and Whoosh's OR, without
    ``scale`` or ``minmatch``, counts nothing else), so the result is the ranking of the
    query as parsed; but no positions are read for those phrases, a word search that needs
    none stays on the path without numpy, and the matchers look for no such phrase in the
    hits. ``prepared`` itself when nothing is dropped."""
    parsed = _drop_absent(prepared.parsed, occurs)
    wider = None if prepared.wider is None else _drop_absent(prepared.wider, occurs)
    if parsed is prepared.parsed and wider is prepared.wider:
        return prepared
    return prepared._replace(
        parsed=parsed,
        wider=wider,
        plain_matcher=matcher_of(parsed),
        wider_matcher=None if wider is None else matcher_of(wider),
    )


def _drop_absent(q: wq.Query, occurs: Callable[[wq.Phrase], bool]) -> wq.Query:
    """``q`` with the absent phrases of its ORs dropped (see :func:`without_absent_phrases`);
    ``q`` itself, not a copy, when nothing in it changes."""
    if q.is_leaf():
        return q
    if isinstance(q, wq.BinaryQuery):  # a CompoundQuery whose parts are also a and b
        a, b = _drop_absent(q.a, occurs), _drop_absent(q.b, occurs)
        if a is q.a and b is q.b:
            return q
        changed = copy.copy(q)
        changed.a, changed.b = a, b
        changed.subqueries = (a, b)
        return changed
    if isinstance(q, wq.CompoundQuery):
        parts = [_drop_absent(part, occurs) for part in q.subqueries]
        if type(q) is wq.Or and not q.scale and not q.minmatch:
            kept = [p for p in parts if type(p) is not wq.Phrase or occurs(p)]
            parts = kept or parts  # an OR of absent phrases alone still matches nothing
        if len(parts) == len(q.subqueries) and all(map(operator.is_, parts, q.subqueries)):
            return q
        changed = copy.copy(q)
        changed.subqueries = parts
        return changed
    if isinstance(q, wq.Not):
        inner = _drop_absent(q.query, occurs)
        if inner is q.query:
            return q
        changed = copy.copy(q)
        changed.query = inner
        return changed
    return q  # other wrappers: as parsed


class ExpandedQuery(NamedTuple):  # not a dataclass: cheaper to make in a new process
    """A prepared query with its prefixes and wildcards replaced by index terms, ready to run.
    ``plain`` and ``wider`` correspond to the prepared query's ``parsed`` and ``wider``;
    ``counts`` says how many index terms each pattern (and the names' other spellings,
    under :data:`NAME_SPELLINGS`) stands for, up to the expansion limit + 1."""

    prepared: PreparedQuery
    plain: wq.Query
    wider: wq.Query | None
    counts: Mapping[str, int]


def _is_pattern(node: wq.Query) -> bool:
    return isinstance(node, wq.Prefix | wq.Wildcard) and node.fieldname in SEARCH_FIELDS


Counter = Callable[[wq.Query, int], int]  # (a multi-term query, most) -> terms it stands for


def expand_patterns(
    q: wq.Query,
    vocabulary: Callable[[], Vocabulary],
    reader: Any,
    limits: SearchLimits,
    counts: dict[str, int] | None = None,
    typed: tuple[str, ...] = (),
    count: Counter | None = None,
) -> wq.Query:
    """Replace prefix and wildcard terms by the index terms of the words they match, and
    record in ``counts`` how many each pattern stands for (up to the expansion limit + 1:
    more is refused anyway). ``*`` alone (every article) becomes one cheap query. Other
    multi-term queries (``id:x*``, ranges) are left to the backend, counted with ``count``
    (up to its second argument) or, without it, through the Whoosh ``reader``.
    ``vocabulary`` is called only when the query has a prefix or wildcard. The prefixes in
    ``typed`` (added for a word being typed) stand for their first half-limit words, uncounted:
    a short word being typed never makes the query too big. Every backend expands through
    this one function, so a pattern stands for the same words, and is refused over the same
    limit, whichever backend runs it."""
    if counts is None:
        counts = {}
    most = limits.max_expansion + 1
    if isinstance(q, wq.Every):
        return wq.Every(boost=q.boost)  # not a union of every term's postings
    if _is_pattern(q):
        if isinstance(q, wq.Prefix) and q.text in typed:
            terms = vocabulary().expand_prefix(q.text, limit=max(1, limits.max_expansion // 2))
        elif isinstance(q, wq.Prefix):
            terms = vocabulary().expand_prefix(q.text, limit=most)
            counts[f"{q.text}*"] = len(terms)
        else:
            terms = vocabulary().expand_wildcard(q.text, limit=most)
            counts[q.text] = len(terms)
        if not terms:
            return wq.NullQuery
        return wq.Or([wq.Term(q.fieldname, t) for t in terms], boost=q.boost)
    if isinstance(q, wq.MultiTerm):  # id:x*, outlet:[a TO m]...: the backend expands these
        if count is not None:
            counts[str(q)] = count(q, most)
        else:
            expanded = q.expanded_terms(reader)
            counts[str(q)] = sum(1 for _ in itertools.islice(expanded, most))
        return q
    if q.is_leaf():
        return q
    return q.apply(
        lambda child: expand_patterns(child, vocabulary, reader, limits, counts, typed, count)
    )


def expand(
    prepared: PreparedQuery,
    vocabulary: Callable[[], Vocabulary],
    reader: Any,
    limits: SearchLimits,
    count: Counter | None = None,
) -> ExpandedQuery:
    """Expand both queries of ``prepared`` (see :func:`expand_patterns`; ``reader`` or
    ``count`` counts the other multi-term queries), then refuse with ``QueryTooBig`` a query
    whose prefixes, wildcards and other spellings of names stand for more index terms in all
    than the expansion limit (the message names the biggest)."""
    counts: dict[str, int] = {}
    typed = prepared.typed
    plain = expand_patterns(prepared.parsed, vocabulary, reader, limits, counts, typed, count)
    wider = (
        None
        if prepared.wider is None
        else expand_patterns(prepared.wider, vocabulary, reader, limits, counts, typed, count)
    )
    if prepared.spellings:
        counts[NAME_SPELLINGS] = prepared.spellings
    worst = max(counts, key=counts.__getitem__, default="")
    check_expansion(sum(counts.values()), limits, f"{worst}: {counts[worst]:,}" if worst else "")
    return ExpandedQuery(prepared, plain, wider, counts)
