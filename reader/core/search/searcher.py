"""Searching the index: Whoosh's query language, filters, ranked hits with marked snippets.

:class:`Searcher` opens the index once and answers many queries (the app keeps one; the CLI
makes one per run). Query text goes through the same analysis as the articles, so
``المسمارى`` finds ``المسماري`` and ``running`` finds ``ran``... as far as stemming goes.
Prefix and wildcard terms are expanded through the corpus vocabulary (words as written, so
``hiri*`` finds "hiring" though it is indexed as "hire"). A query that cannot be understood
raises :class:`QueryError`; one over the config's limits (:mod:`reader.core.search.query_limits`:
length, words, phrase length, nesting, expansion) raises its subclass ``QueryTooBig``. A
search that passes them stops at the config's time limit with the results found so far
(``Results.partial``), and one given a ``cancel`` event stops when it is set
(:class:`SearchCancelled`, from :mod:`reader.core.search.guard`).
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ParamSpec, TypeVar

from whoosh import query as wq
from whoosh import sorting
from whoosh.qparser import MultifieldParser
from whoosh.qparser.dateparse import DateParserPlugin

from reader.core.config import Config
from reader.core.search.analysis import query_to_logical
from reader.core.search.cross_script import expand_cross_script
from reader.core.search.guard import Guard, GuardedSearcher, TimeUp
from reader.core.search.guard import SearchCancelled as SearchCancelled
from reader.core.search.highlight import Matcher, snippet
from reader.core.search.index import article_from_fields, live_folder, make_schema, open_index
from reader.core.search.index_files import IndexDamaged, read_failure
from reader.core.search.query_limits import QUERY_FIELDS as QUERY_FIELDS
from reader.core.search.query_limits import QueryError as QueryError
from reader.core.search.query_limits import (
    check_expansion,
    check_parsed,
    check_syntax,
    check_text,
    search_words,
)
from reader.core.search.vocabulary import Vocabulary, VocabularyDamaged
from reader.core.sources.article import Article

SEARCH_FIELDS = ("title", "body")


P = ParamSpec("P")
R = TypeVar("R")


def _reads_index(method: Callable[P, R]) -> Callable[P, R]:
    """Turn an error Whoosh raises while reading a damaged file into IndexDamaged."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except Exception as exc:
            damaged = read_failure(exc, live_folder(args[0].config))  # type: ignore[attr-defined]
            if damaged is None:
                raise
            raise damaged from exc

    return wrapper


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result. ``snippet_marks`` and ``title_marks`` are (start, end) offsets of
    matched words in ``snippet`` and ``title``; all text is logical Unicode."""

    id: str
    title: str
    outlet: str
    lang: str
    published: date | None
    score: float
    snippet: str
    snippet_marks: tuple[tuple[int, int], ...]
    title_marks: tuple[tuple[int, int], ...]


@dataclass(slots=True)
class Results:
    """Hits for one query, best first. ``total`` counts every match, not just those shown;
    when ``exact`` is False it is Whoosh's estimate (an upper bound), which costs nothing,
    where counting exactly would mean visiting every matching article. ``partial`` is True
    when the search ran out of time: the hits are the best of the articles looked at, and
    ``total`` (not exact) counts those found, a lower bound."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    exact: bool = True
    partial: bool = False


def _count(found: Any, limit: int, partial: bool) -> tuple[int, bool]:
    """How many articles matched: exact when Whoosh knows it or the hits are all there (never
    counted by running the query again)."""
    if partial:
        return found.scored_length(), False
    if found.has_exact_length():
        return len(found), True
    if found.scored_length() < limit:  # fewer than asked for: every match was collected
        return found.scored_length(), True
    return max(found.estimated_length(), found.scored_length()), False


def _is_pattern(node: wq.Query) -> bool:
    return isinstance(node, wq.Prefix | wq.Wildcard) and node.fieldname in SEARCH_FIELDS


def _matcher(q: wq.Query) -> Matcher:
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


class Searcher:
    """An open index that answers queries. Not thread-safe: one per thread (or a lock)."""

    def __init__(self, config: Config) -> None:
        """Open the live index. IndexUnavailable when there is none, IndexDamaged (a subclass)
        when it is damaged: :func:`reader.core.search.index.repairing` repairs and retries."""
        self.config = config
        self.index = open_index(config)
        self._searcher = self._open_searcher()
        schema = make_schema()
        self._parser = MultifieldParser(list(SEARCH_FIELDS), schema)
        self._parser.add_plugin(DateParserPlugin())
        self._gazetteer: Any = None  # loaded on first cross-script lookup
        self._vocabulary: Vocabulary | None = None  # loaded on first prefix query
        self.last_guard: Guard | None = None  # the last search's, with the work it counted

    @_reads_index
    def _open_searcher(self) -> GuardedSearcher:
        return GuardedSearcher(self.index.reader(), fromindex=self.index)

    def close(self) -> None:
        """Release the index files."""
        self._searcher.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self) -> None:
        """See the newest committed index (after an update in this or another process)."""
        self._searcher.close()
        self.index = open_index(self.config)
        self._searcher = self._open_searcher()
        self._vocabulary = None

    def parse(self, text: str, *, limited: bool = True) -> wq.Query:
        """Parse a query string (Whoosh syntax) into a query over the analysed fields.

        With ``limited`` (the default), a query over the config's limits on length, nesting,
        words and phrase length raises ``QueryTooBig`` (a :class:`QueryError`).
        """
        limits = self.config.search_limits
        if limited:
            check_text(text, limits)
        text = query_to_logical(text).strip()
        if not text:
            raise QueryError("empty query")
        check_syntax(text)
        try:
            parsed = self._parser.parse(text)
        except Exception as exc:  # Whoosh's parser raises assorted types on odd input
            raise QueryError(f"cannot parse query: {exc}") from exc
        if getattr(parsed, "error", None):
            raise QueryError(str(parsed.error))
        if limited:
            check_parsed(parsed, limits)
        return parsed

    def _expand(self, q: wq.Query, counts: dict[str, int] | None = None) -> wq.Query:
        """Replace prefix and wildcard terms by the index terms of the words they match, and
        record in ``counts`` how many each pattern stands for (up to the expansion limit + 1:
        more is refused anyway). ``*`` alone (every article) becomes one cheap query."""
        if counts is None:
            counts = {}
        if isinstance(q, wq.Every):
            return wq.Every(boost=q.boost)  # not a union of every term's postings
        if _is_pattern(q):
            if self._vocabulary is None:
                try:
                    self._vocabulary = Vocabulary.load(live_folder(self.config))
                except VocabularyDamaged as exc:
                    folder = live_folder(self.config)
                    raise IndexDamaged(folder, exc.problem, part="vocabulary") from None
            most = self.config.search_limits.max_expansion + 1
            if isinstance(q, wq.Prefix):
                terms = self._vocabulary.expand_prefix(q.text, limit=most)
                counts[f"{q.text}*"] = len(terms)
            else:
                terms = self._vocabulary.expand_wildcard(q.text, limit=most)
                counts[q.text] = len(terms)
            if not terms:
                return wq.NullQuery
            return wq.Or([wq.Term(q.fieldname, t) for t in terms], boost=q.boost)
        if isinstance(q, wq.MultiTerm):  # id:x*, outlet:[a TO m]...: Whoosh expands these
            most = self.config.search_limits.max_expansion + 1
            expanded = q.expanded_terms(self._searcher.reader())
            counts[str(q)] = sum(1 for _ in itertools.islice(expanded, most))
            return q
        if q.is_leaf():
            return q
        return q.apply(lambda child: self._expand(child, counts))

    def _run(self, q: wq.Query, limit: int, filter_q: wq.Query | None) -> tuple[Any, bool]:
        """Whoosh's results for ``q`` and whether the time ran out first (then the results
        are those collected so far)."""
        collector = self._searcher.collector(limit=limit, filter=filter_q)
        try:
            self._searcher.search_with_collector(q, collector)
        except TimeUp:
            return collector.results(), True
        return collector.results(), False

    @_reads_index
    def search(
        self,
        text: str,
        *,
        limit: int = 20,
        lang: str | None = None,
        outlet: str | None = None,
        cross_script: bool | None = None,
        cancel: threading.Event | None = None,
    ) -> Results:
        """Ranked hits for a query, optionally only in one language or outlet.

        With ``cross_script`` (default: the config's), names also match their spellings in the
        other script (Haftar finds حفتر); with ``same_language_first`` in config, articles found
        only that way rank after those the query matched as written.

        Raises ``QueryTooBig`` for a query over the config's limits (the expansion limit
        counts prefixes, wildcards and names' other spellings together). Stops at the
        config's ``time_limit`` with ``partial`` results, and raises :class:`SearchCancelled`
        soon after ``cancel`` is set.
        """
        limits = self.config.search_limits
        guard = self.last_guard = Guard(cancel, limits.time_limit)
        q = self.parse(text)
        results = Results(query=text)
        if q is wq.NullQuery:  # only stopwords: nothing to find
            return results
        filter_q = self._filter(lang, outlet)
        if cross_script is None:
            cross_script = self.config.cross_script
        expanded_q = None
        if cross_script:
            expanded = expand_cross_script(query_to_logical(text), self._spellings)
            if expanded is not None:
                try:
                    expanded_q = self.parse(expanded, limited=False)
                except QueryError:
                    expanded_q = None
        counts: dict[str, int] = {}
        plain_q = self._expand(q, counts)
        wider_q = None if expanded_q is None else self._expand(expanded_q, counts)
        spellings = 0 if expanded_q is None else search_words(expanded_q) - search_words(q)
        if spellings:
            counts["other spellings of names"] = spellings
        worst = max(counts, key=counts.__getitem__, default="")
        check_expansion(
            sum(counts.values()), limits, f"{worst}: {counts[worst]:,}" if worst else ""
        )
        guard.check_cancelled()
        ranked: list[tuple[float, dict[str, Any]]] = []
        total, exact, partial = 0, True, False
        matcher = _matcher(q)
        with self._searcher.guarded(guard):
            if wider_q is None or self.config.same_language_first:  # else only wider is shown
                found, partial = self._run(plain_q, limit, filter_q)
                ranked = [(hit.score or 0.0, hit.fields()) for hit in found]
                total, exact = _count(found, limit, partial)
            if expanded_q is not None and wider_q is not None and not partial:
                if not exact:  # an estimate: with a partial wider pass, "at least" must hold
                    total = len(ranked)
                wider, partial = self._run(wider_q, limit, filter_q)
                wider_total, exact = _count(wider, limit, partial)
                total = wider_total if not partial else max(total, wider_total)
                matcher = _matcher(expanded_q)
                seen = {fields["id"] for _, fields in ranked}
                ranked += [(h.score or 0.0, h.fields()) for h in wider if h["id"] not in seen]
        results.total, results.exact, results.partial = total, exact, partial
        for score, fields in ranked[:limit]:
            guard.check_cancelled()
            results.hits.append(self._hit(fields, float(score), matcher))
        return results

    def _spellings(self, word: str) -> list[str]:
        from reader.core.names.entities import cross_script_terms
        from reader.core.names.gazetteer import gazetteer_for

        if self._gazetteer is None:
            self._gazetteer = gazetteer_for(self.config.gazetteer)
        return cross_script_terms(word, self._gazetteer)

    def _hit(self, fields: dict[str, Any], score: float, matcher: Matcher) -> Hit:
        body_snippet, marks = snippet(fields.get("body", ""), matcher)
        title = fields.get("title", "")
        published = fields.get("published")
        return Hit(
            id=fields["id"],
            title=title,
            outlet=fields.get("outlet", ""),
            lang=fields.get("lang", ""),
            published=published.date() if published is not None else None,
            score=score,
            snippet=body_snippet,
            snippet_marks=tuple(marks),
            title_marks=tuple(matcher.spans(title)),
        )

    def matcher(self, text: str) -> Matcher:
        """What a query marks in text (for highlighting an open article), cross-script
        spellings included when the config asks for them."""
        q = self.parse(text)
        if self.config.cross_script:
            expanded = expand_cross_script(query_to_logical(text), self._spellings)
            if expanded is not None:
                with suppress(QueryError):
                    q = self.parse(expanded, limited=False)
        return _matcher(q)

    @_reads_index
    def browse(
        self, *, limit: int = 200, lang: str | None = None, outlet: str | None = None
    ) -> list[Hit]:
        """Articles without a query: newest first when dated, then by id. Sorted on the
        index's columns, so only the ``limit`` articles shown are read."""
        base = self._filter(lang, outlet)
        hits: list[Hit] = []
        nothing = Matcher(frozenset(), ())
        for dated, order in (
            (
                "yes",
                sorting.MultiFacet(
                    [sorting.FieldFacet("published", reverse=True), sorting.FieldFacet("id")]
                ),
            ),
            ("no", sorting.FieldFacet("id")),
        ):
            if len(hits) >= limit:
                break
            only = wq.Term("dated", dated)
            found = self._searcher.search(
                wq.Every(),
                limit=limit - len(hits),
                sortedby=order,
                filter=only if base is None else wq.And([base, only]),
            )
            hits += [self._hit(hit.fields(), 0.0, nothing) for hit in found]
        return hits

    @_reads_index
    def outlets(self) -> list[str]:
        """Every outlet name in the index, sorted."""
        return sorted(t.decode("utf-8") for t in self._searcher.lexicon("outlet") if t)

    @_reads_index
    def article(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        fields: dict[str, Any] | None = self._searcher.document(id=article_id)
        return article_from_fields(fields) if fields else None

    def articles(self) -> Iterable[Article]:
        """Every stored article, in index order."""
        stored: Iterator[dict[str, Any]] = iter(self._searcher.all_stored_fields())
        while True:
            try:
                fields = next(stored)
            except StopIteration:
                return
            except Exception as exc:
                damaged = read_failure(exc, live_folder(self.config))
                if damaged is None:
                    raise
                raise damaged from exc
            yield article_from_fields(fields)

    @_reads_index
    def ids(self) -> Sequence[str]:
        """Every article id, sorted."""
        return sorted(t.decode("utf-8") for t in self._searcher.lexicon("id"))

    @staticmethod
    def _filter(lang: str | None, outlet: str | None) -> wq.Query | None:
        filters: list[wq.Query] = []
        if lang:
            filters.append(wq.Term("lang", lang))
        if outlet:
            filters.append(wq.Term("outlet_key", outlet.casefold()))
        return wq.And(filters) if filters else None
