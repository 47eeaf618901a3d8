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

A query goes one way (:mod:`reader.core.search.query`): :meth:`Searcher.prepare` parses it once
(with the other spellings of its names); :meth:`Searcher.search` expands its prefixes once, runs
it and marks the hits with its matcher; :meth:`Searcher.matcher` hands the same matcher to the
article view. The searcher keeps its last few prepared queries, so highlighting an article a
search found does not parse the query again.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from time import monotonic
from typing import Any, ParamSpec, TypeVar

from reader.core.search import whoosh_first  # noqa: F401  before Whoosh: no asyncio

# isort: split

from whoosh import query as wq
from whoosh import sorting

from reader.core.config import Config
from reader.core.search.guard import Guard, GuardedSearcher
from reader.core.search.guard import SearchCancelled as SearchCancelled
from reader.core.search.highlight import Matcher, snippet
from reader.core.search.hits import Hit, Results, browse_order, ranking
from reader.core.search.index import article_from_fields, live_folder, open_index
from reader.core.search.index_files import IndexDamaged, read_failure
from reader.core.search.query import SEARCH_FIELDS as SEARCH_FIELDS
from reader.core.search.query import PreparedQuery as PreparedQuery
from reader.core.search.query import (
    QueryParser,
    expand,
    expand_patterns,
    without_absent_phrases,
)
from reader.core.search.query_limits import QUERY_FIELDS as QUERY_FIELDS
from reader.core.search.query_limits import QueryError as QueryError
from reader.core.search.top_hits import TopHits
from reader.core.search.vocabulary import Vocabulary, VocabularyDamaged
from reader.core.sources.article import Article

PREPARED_KEPT = 16  # prepared queries a searcher keeps (search, then highlight the article)

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


class Searcher:
    """An open index that answers queries. Not thread-safe: one per thread (or a lock)."""

    def __init__(self, config: Config) -> None:
        """Open the live index. IndexUnavailable when there is none, IndexDamaged (a subclass)
        when it is damaged: :func:`reader.core.search.index.repairing` repairs and retries."""
        self.config = config
        self.index = open_index(config)
        self._searcher = self._open_searcher()
        self._queries = QueryParser(config.search_limits, config.gazetteer)
        self._queries_config = config  # the config _queries and _prepared were made for
        self._prepared: OrderedDict[tuple[str, bool, bool], PreparedQuery] = OrderedDict()
        self._phrases: dict[tuple[str, tuple[str, ...], int], bool] = {}  # phrase -> occurs
        self._vocabulary: Vocabulary | None = None  # loaded on first prefix query
        self._top_hits = TopHits(self._searcher)  # the ways to a query's top hits
        self._searches = 0  # searches run (the first that can scores in plain Python)
        self._browse: list[int] | None = None  # browse order of the open index, made once
        self._filters: dict[str, frozenset[int]] = {}  # filter -> its documents, open index
        self.last_guard: Guard | None = None  # the last search's, with the work it counted
        self._warming: Any = None  # the warm-up of the open generation (warm_step)
        self.searched_at = float("-inf")  # time.monotonic() of the last search started

    def warm_step(self) -> bool:
        """Do the next small step of loading, before typing starts, what the first searches
        of the open index would load (the word list, the gazetteer, numpy, the field lengths
        and the postings of the most common words: :mod:`reader.core.search.warm`); False
        when nothing is left for this index generation. Not thread-safe, like every call:
        see :func:`reader.core.search.warm.run_warming` for a background thread."""
        from reader.core.search.warm import Warming

        if self._warming is None or self._warming.generation is not self._searcher:
            self._warming = Warming(self)
        return bool(self._warming.step())

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
        """See the newest committed index (after an update in this or another process). When
        it cannot be opened the error is raised and this searcher still answers from the
        index it had."""
        index = open_index(self.config)
        searcher = GuardedSearcher(index.reader(), fromindex=index)
        old, self.index, self._searcher = self._searcher, index, searcher
        self._vocabulary = None
        self._top_hits.reopen(searcher)  # its paths' postings were the old generation's
        self._browse, self._filters = None, {}
        self._prepared.clear()  # their name spellings and compounds came from the old words
        self._phrases.clear()
        old.close()

    def parse(self, text: str, *, limited: bool = True) -> wq.Query:
        """Parse a query string (Whoosh syntax) into a query over the analysed fields.

        With ``limited`` (the default), a query over the config's limits on length, nesting,
        words and phrase length raises ``QueryTooBig`` (a :class:`QueryError`).
        """
        return self._parser().parse(text, limited=limited)

    def _parser(self) -> QueryParser:
        """The query parser for the current config (remade, and the prepared queries
        forgotten, when ``config`` was replaced)."""
        if self._queries_config is not self.config:
            self._queries = QueryParser(self.config.search_limits, self.config.gazetteer)
            self._queries_config = self.config
            self._prepared.clear()
        return self._queries

    def prepare(
        self, text: str, *, cross_script: bool | None = None, typing: bool = False
    ) -> PreparedQuery:
        """The query parsed once, with its names' other spellings when ``cross_script``
        (default: the config's) asks for them (from the gazetteer, and the spellings the
        corpus writes: :mod:`reader.core.search.name_layer`), compounds matched both ways,
        and with ``typing`` its last word a prefix too: what :meth:`search` runs and
        :meth:`matcher` marks. The last few are kept, so searching a query and then
        highlighting an article it found parses it once. The phrases no article of the open
        index holds are left out of its ORs (:func:`reader.core.search.query.
        without_absent_phrases`: the same ranking, less reading). Raises :class:`QueryError`
        as :meth:`parse` does, IndexDamaged when the word list is damaged."""
        if cross_script is None:
            cross_script = self.config.cross_script
        parser = self._parser()
        key = (text, cross_script, typing)
        prepared = self._prepared.get(key)
        if prepared is not None:
            self._prepared.move_to_end(key)
            return prepared
        prepared = parser.prepare(
            text, cross_script=cross_script, vocabulary=self._load_vocabulary, typing=typing
        )
        prepared = without_absent_phrases(prepared, self._occurs)
        self._prepared[key] = prepared
        if len(self._prepared) > PREPARED_KEPT:
            self._prepared.popitem(last=False)
        return prepared

    def _occurs(self, phrase: wq.Phrase) -> bool:
        """Whether any article of the open index holds ``phrase`` (in its field), read once per
        index generation: by the vectorised path when this searcher has made it already (the
        app's warm-up, an earlier search: its documents are then kept for the search that
        runs the phrase, :meth:`reader.core.search.vector.VectorIndex.holds`), else by Whoosh's
        own phrase matcher (the documents all its words share, then their positions: a few
        milliseconds for two common words at 10,000 articles; no numpy loaded for it). A phrase
        that cannot be read counts as found: the search that runs it reports the damage."""
        key = (phrase.fieldname, tuple(phrase.words), phrase.slop)
        found = self._phrases.get(key)
        if found is None:
            try:
                found = self._top_hits.holds(phrase)
                if found is None:
                    found = bool(phrase.matcher(self._searcher).is_active())
            except Exception:  # kept, and read again, by the search itself
                return True
            self._phrases[key] = found
        return found

    def _load_vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            try:
                self._vocabulary = Vocabulary.load(live_folder(self.config))
            except VocabularyDamaged as exc:
                folder = live_folder(self.config)
                raise IndexDamaged(folder, exc.problem, part="vocabulary") from None
        return self._vocabulary

    def _expand(self, q: wq.Query, counts: dict[str, int] | None = None) -> wq.Query:
        """``q`` with prefix and wildcard terms replaced by the index terms of the words they
        match (:func:`reader.core.search.query.expand_patterns`)."""
        limits = self.config.search_limits
        return expand_patterns(q, self._load_vocabulary, self._searcher.reader(), limits, counts)

    def _top(
        self, q: wq.Query, limit: int, filter_q: wq.Query | None, guard: Guard
    ) -> tuple[list[tuple[float, int]], int, bool, bool]:
        """The best ``limit`` (score, document number) of ``q`` for the search under way, how
        many articles match, whether that count is exact, and whether the time ran out
        first (:meth:`reader.core.search.top_hits.TopHits.top`: the fastest exact way)."""
        return self._top_hits.top(q, limit, filter_q, guard, self._searches)

    def _vector_index(self) -> Any:
        """The vectorised path over the open index (None when it cannot score it)."""
        return self._top_hits.vector_index()

    @_reads_index
    def search(
        self,
        text: str | PreparedQuery,
        *,
        limit: int = 20,
        lang: str | None = None,
        outlet: str | None = None,
        cross_script: bool | None = None,
        cancel: threading.Event | None = None,
        typing: bool = False,
    ) -> Results:
        """Ranked hits for a query, optionally only in one language or outlet.

        With ``cross_script`` (default: the config's), names also match their other
        spellings, in the other script and in the same one (Haftar finds حفتر, Kununu finds
        Gnunu and قنونو); with ``same_language_first`` in config, articles in the query's
        script (Arabic, or Latin) come first, and within each script the articles the query
        matched as written before those found only through other spellings, each by score.
        ``typing``: the query is being typed, its last word is a prefix too (Beng finds
        Benghazi); see :meth:`prepare`.

        ``text`` may be a query :meth:`prepare` made: it is searched as prepared (its
        ``cross_script`` choice holds).

        Raises ``QueryTooBig`` for a query over the config's limits (the expansion limit
        counts prefixes, wildcards and names' other spellings together). Stops at the
        config's ``time_limit`` with ``partial`` results, and raises :class:`SearchCancelled`
        soon after ``cancel`` is set.
        """
        self.searched_at = monotonic()
        limits = self.config.search_limits
        guard = self.last_guard = Guard(cancel, limits.time_limit)
        self._searches += 1
        prepared = (
            text
            if isinstance(text, PreparedQuery)
            else self.prepare(text, cross_script=cross_script, typing=typing)
        )
        results = Results(query=prepared.text)
        if prepared.empty:  # only stopwords: nothing to find
            return results
        filter_q = self._filter(lang, outlet)
        expanded = expand(prepared, self._load_vocabulary, self._searcher.reader(), limits)
        plain_q, wider_q = expanded.plain, expanded.wider
        guard.check_cancelled()
        ranked: list[tuple[float, int, int]] = []  # score, document number, 1: wider only
        total, exact, partial = 0, True, False
        matcher = prepared.plain_matcher
        ws = self._searcher
        with ws.guarded(guard):
            if wider_q is None or self.config.same_language_first:  # else only wider is shown
                found, total, exact, partial = self._top(plain_q, limit, filter_q, guard)
                ranked = [(score, docnum, 0) for score, docnum in found]
            if wider_q is not None and not partial:
                if not exact:  # an estimate: with a partial wider pass, "at least" must hold
                    total = len(ranked)
                wider, wider_total, exact, partial = self._top(wider_q, limit, filter_q, guard)
                total = wider_total if not partial else max(total, wider_total)
                matcher = prepared.matcher
                seen = {docnum for _, docnum, _tier in ranked}
                ranked += [(score, d, 1) for score, d in wider if d not in seen]
        # What was found is kept: putting it in order and reading its rows are not bound by
        # the time limit (a deadline passing here must not lose the hits), only by cancel.
        guard.check_cancelled()
        if self.config.same_language_first:
            arabic = wq.Term("lang", "ar")  # its documents read only if the order needs them
            in_arabic = lambda docnum: docnum in self._filtered(arabic)  # noqa: E731
            ranked.sort(key=ranking(prepared.logical, in_arabic))
        # Stored fields (and snippets) for the rows shown only.
        shown = [(score, ws.stored_fields(docnum)) for score, docnum, _tier in ranked[:limit]]
        results.total, results.exact, results.partial = total, exact, partial
        for score, fields in shown:
            guard.check_cancelled()
            results.hits.append(self._hit(fields, float(score), matcher))
        return results

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

    def matcher(self, text: str | PreparedQuery, *, cross_script: bool | None = None) -> Matcher:
        """What a query marks in text (for highlighting an open article), cross-script
        spellings included when ``cross_script`` (default: the config's) asks for them: the
        same matcher :meth:`search` marks its hits with, from the same parse."""
        prepared = (
            text
            if isinstance(text, PreparedQuery)
            else self.prepare(text, cross_script=cross_script)
        )
        return prepared.matcher

    @_reads_index
    def browse(
        self, *, limit: int = 200, lang: str | None = None, outlet: str | None = None
    ) -> list[Hit]:
        """Articles without a query: newest first when dated, then by id. The order of every
        article is sorted once per index generation (on the index's columns); each call then
        reads only the ``limit`` articles shown (and, with a filter, which articles it
        keeps, also once per generation)."""
        order = self._browse_order()
        base = self._filter(lang, outlet)
        allowed = None if base is None else self._filtered(base)
        nothing = Matcher(frozenset(), ())
        hits: list[Hit] = []
        for docnum in order:
            if len(hits) >= limit:
                break
            if allowed is None or docnum in allowed:
                hits.append(self._hit(self._searcher.stored_fields(docnum), 0.0, nothing))
        return hits

    def _browse_order(self) -> list[int]:
        """Every article's document number in browse order (see :meth:`browse`), sorted once
        for the open index."""
        if self._browse is None:
            self._browse = browse_order(self._searcher)
        if self._browse is None:
            order: list[int] = []
            for dated, facet in (
                (
                    "yes",
                    sorting.MultiFacet(
                        [sorting.FieldFacet("published", reverse=True), sorting.FieldFacet("id")]
                    ),
                ),
                ("no", sorting.FieldFacet("id")),
            ):
                found = self._searcher.search(
                    wq.Every(), limit=None, sortedby=facet, filter=wq.Term("dated", dated)
                )
                order += [hit.docnum for hit in found]
            self._browse = order
        return self._browse

    def _filtered(self, q: wq.Query) -> frozenset[int]:
        """The document numbers a filter keeps, once per open index and filter."""
        key = repr(q)
        found = self._filters.get(key)
        if found is None:
            found = self._filters[key] = frozenset(self._searcher.docs_for_query(q))
        return found

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
