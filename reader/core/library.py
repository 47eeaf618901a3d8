"""The library: the one service the CLI and the app hold to read the corpus.

A :class:`Library` opens the search index and answers everything a face of reader asks of the
corpus: an article by id or unique id prefix (from the index's stored fields, never by parsing
corpus files), searches and browsing (delegated to :class:`reader.core.search.searcher.Searcher`),
the events and the notes store. Events are computed when the index is built or updated
(:meth:`Library.update`; incrementally, see :mod:`reader.core.events.store`), kept beside the
index generation, and read from there by :meth:`Library.events` with the user's decisions.

Thread-safety: one lock inside the library serialises every use of the open index, so the app
may call it from several workers at once; a search given a ``cancel`` event stops soon after it
is set and so frees the lock for the next one. Nothing outside holds that lock.

Errors callers may rely on: :class:`ArticleNotFound` and :class:`AmbiguousId` (both
:class:`UnknownArticle`, a LookupError, with a one-line message) from :meth:`Library.article`;
``IndexUnavailable``/``IndexDamaged`` from opening or reading the index; ``QueryError`` (and
``QueryTooBig``) and ``SearchCancelled`` from :meth:`Library.search`.
"""

from __future__ import annotations

import bisect
import importlib
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from reader.core.config import Config
from reader.core.library_decisions import LibraryDecisions
from reader.core.library_events import LibraryEvents
from reader.core.search.backend import SearchIndex, backend_for
from reader.core.search.index_files import IndexDamaged, IndexUnavailable
from reader.core.sources.article import Article

if TYPE_CHECKING:
    # Imported when first used (see __getattr__ below): a command that only reads the stored
    # events (`reader events`) never loads Whoosh's query machinery.
    from reader.core.notes.store import NotesStore
    from reader.core.search.highlight import Matcher
    from reader.core.search.hits import Hit, Results
    from reader.core.search.index import UpdateReport
    from reader.core.search.index_build import Progress
    from reader.core.search.searcher import QueryError, SearchCancelled

__all__ = [
    "AmbiguousId",
    "ArticleNotFound",
    "Hit",
    "IndexDamaged",
    "IndexUnavailable",
    "Library",
    "QueryError",
    "Results",
    "SearchCancelled",
    "UnknownArticle",
]

T = TypeVar("T")
SHOWN_CANDIDATES = 5  # ids an ambiguous prefix lists in its message

# Re-exported from reader.core.search.searcher, imported when first asked for.
_SEARCH_NAMES = ("Hit", "QueryError", "Results", "SearchCancelled")


def __getattr__(name: str) -> Any:
    """The search names this module re-exports, imported when first asked for."""
    if name in _SEARCH_NAMES:
        return getattr(importlib.import_module("reader.core.search.searcher"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class UnknownArticle(LookupError):
    """No single article answers to an id or prefix. ``str()`` is a one-line message."""

    def __init__(self, given: str, message: str, candidates: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.given = given
        self.candidates = tuple(candidates)


class ArticleNotFound(UnknownArticle):
    """No article's id is, or starts with, what was given."""

    def __init__(self, given: str) -> None:
        super().__init__(given, f"no article with id {given!r} (see `reader search`)")


class AmbiguousId(UnknownArticle):
    """Several articles' ids start with the prefix given; ``candidates`` lists them all."""

    def __init__(self, given: str, candidates: Sequence[str]) -> None:
        shown = ", ".join(candidates[:SHOWN_CANDIDATES])
        more = len(candidates) - SHOWN_CANDIDATES
        if more > 0:
            shown += f" and {more} more"
        message = f"id {given!r} is ambiguous: {len(candidates)} articles start with it: {shown}"
        super().__init__(given, message, candidates)


class Library(LibraryDecisions, LibraryEvents):
    """The corpus as the index holds it. Cheap to create: the index is opened by :meth:`open`
    or on first use, and closed by :meth:`close` (or leaving a ``with`` block). Its events,
    similarities and the fields of every article are those of
    :class:`reader.core.library_events.LibraryEvents`; the user's decisions over events
    (their editors, and the ids they name that are no article of the library) those of
    :class:`reader.core.library_decisions.LibraryDecisions`."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._events_lock = threading.Lock()  # one refresh of the stored events at a time
        self._searcher: SearchIndex | None = None
        self._ids: list[str] | None = None  # sorted; of the open index
        self._notes: NotesStore | None = None
        self._fields = None  # see LibraryEvents.article_fields

    # ----- opening -----

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def is_open(self) -> bool:
        """True when an index is open (searches and lookups will not have to open it)."""
        return self._searcher is not None

    @property
    def busy(self) -> bool:
        """True while a call holds the library's lock (a search, a lookup...)."""
        return self._lock.locked()

    def open(self) -> None:
        """Open the live index, or the newest one if one is already open (after an update):
        the new index is opened before the lock is taken, so a running search is not waited
        for longer than it runs. IndexUnavailable when there is none, IndexDamaged (a
        subclass) when it is damaged; the index open before, if any, stays open then."""
        fresh = backend_for(self.config).open()
        with self._lock:
            old, self._searcher, self._ids = self._searcher, fresh, None
            if old is not None:
                old.close()

    def warm(
        self,
        cancelled: Callable[[], bool] = lambda: False,
        wanted: Callable[[], bool] = lambda: False,
    ) -> None:
        """Load ahead, a step at a time, what the first searches of the open index need (the
        Whoosh index's :meth:`~reader.core.search.searcher.Searcher.warm_step`: word list,
        gazetteer, numpy, the common words' postings); for the app's background worker,
        after the index opens or is reopened. The lock is held for one step at a time, so a
        search waits for one step at most, and warming waits while searches are being made
        and while ``wanted()`` says a call of the caller's wants the lock
        (:func:`reader.core.search.warm.run_warming`). Does nothing without an open index
        or for a backend without a warm-up; stops when ``cancelled()`` says so."""
        from reader.core.search.warm import run_warming

        run_warming(self._lock, lambda: self._searcher, cancelled=cancelled, wanted=wanted)

    def close(self) -> None:
        """Release the index files; the next call that needs them opens them again."""
        with self._lock:
            old, self._searcher, self._ids = self._searcher, None, None
            if old is not None:
                old.close()

    def update(
        self,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
        wait: float = 30.0,
        thorough: bool = False,
        events: bool = True,
    ) -> UpdateReport:
        """Bring the index up to date with the corpus folders, or ``rebuild`` it (see
        :func:`reader.core.search.index.update_index`, whose errors it raises), then the
        events stored with it (:meth:`update_events`; with ``events=False`` the caller does
        that itself, e.g. after letting its user search the new index). Does not take the
        lock: searches go on meanwhile, on the index open before; :meth:`open` then shows
        the new one."""
        report = backend_for(self.config).update(
            rebuild=rebuild, progress=progress, wait=wait, thorough=thorough
        )
        if events:
            self.update_events(report)
        return report

    def update_events(self, report: UpdateReport) -> None:
        """Bring the events stored with the index up to date after the update ``report``
        tells of (only what changed is looked at again), and note the corpus files the index
        now holds (what lets the next reader of the events skip the update)."""
        if report.changed or not self._events_stored():
            self.refresh_events(rebuild=report.rebuilt)
        from reader.core.search.freshness import note_index_files

        note_index_files(self.config)

    def repairing(self, work: Callable[[], T], say: Callable[[str], None]) -> T:
        """``work()``; when it meets a damaged index, ``say`` so in one line, repair the
        index, reopen it and return ``work()`` run once more (as
        :func:`reader.core.search.index.repairing`)."""
        from reader.core.search.index import repairing

        attempts = 0

        def attempt() -> T:
            nonlocal attempts
            attempts += 1
            if attempts > 1:
                self.open()
            return work()

        return repairing(self.config, attempt, say)

    def _open_searcher(self) -> SearchIndex:
        """The open searcher (opened now if needed); the caller holds the lock."""
        if self._searcher is None:
            self._searcher = backend_for(self.config).open()
            self._ids = None
        return self._searcher

    # ----- articles -----

    def ids(self) -> list[str]:
        """Every article id, sorted (read from the index's id terms, not from articles)."""
        with self._lock:
            return list(self._sorted_ids())

    def _sorted_ids(self) -> list[str]:
        if self._ids is None:
            self._ids = list(self._open_searcher().ids())
        return self._ids

    def resolve(self, given: str) -> str:
        """The id of the one article whose id is ``given`` or starts with it. Raises
        ArticleNotFound, or AmbiguousId listing the candidates."""
        with self._lock:
            return self._resolve(given)

    def _resolve(self, given: str) -> str:
        ids = self._sorted_ids()
        at = bisect.bisect_left(ids, given)
        if at < len(ids) and ids[at] == given:
            return given
        if not given:
            raise ArticleNotFound(given)
        matches: list[str] = []
        while at < len(ids) and ids[at].startswith(given):
            matches.append(ids[at])
            at += 1
        if not matches:
            raise ArticleNotFound(given)
        if len(matches) > 1:
            raise AmbiguousId(given, matches)
        return matches[0]

    def article(self, given: str) -> Article:
        """The article whose id is ``given``, or the only one whose id starts with it, from the
        index's stored fields. Raises ArticleNotFound or AmbiguousId (UnknownArticle)."""
        with self._lock:
            article_id = self._resolve(given)
            found = self._open_searcher().article(article_id)
        if found is None:  # the id's term outlived its document (a deletion not yet merged)
            raise ArticleNotFound(given)
        return found

    def get(self, article_id: str) -> Article | None:
        """The article with exactly this id, or None (no prefixes: for ids stored elsewhere,
        such as a note's article, that must not be taken for another article)."""
        with self._lock:
            return self._open_searcher().article(article_id)

    def articles(self) -> list[Article]:
        """Every article, in id order, read from the index's stored fields."""
        with self._lock:
            found = list(self._open_searcher().articles())
        found.sort(key=lambda article: article.id)
        return found

    # ----- searching -----

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
        """Ranked hits for a query (see :meth:`Searcher.search`: QueryError for a bad query,
        partial results at the time limit, SearchCancelled soon after ``cancel`` is set;
        ``typing``: the query is being typed, its last word is a prefix too)."""
        from reader.core.search.searcher import SearchCancelled

        with self._lock:
            if cancel is not None and cancel.is_set():
                raise SearchCancelled
            return self._open_searcher().search(
                text,
                limit=limit,
                lang=lang,
                outlet=outlet,
                cross_script=cross_script,
                cancel=cancel,
                typing=typing,
            )

    def browse(
        self, *, limit: int = 200, lang: str | None = None, outlet: str | None = None
    ) -> list[Hit]:
        """Articles without a query, newest first (see :meth:`Searcher.browse`)."""
        with self._lock:
            return self._open_searcher().browse(limit=limit, lang=lang, outlet=outlet)

    def matcher(self, text: str) -> Matcher:
        """What a query marks in an article's text (see :meth:`Searcher.matcher`); QueryError
        for a query that cannot be understood."""
        with self._lock:
            return self._open_searcher().matcher(text)

    def outlets(self) -> list[str]:
        """Every outlet name in the index, sorted."""
        with self._lock:
            return self._open_searcher().outlets()

    # ----- notes (the events: see reader.core.library_events) -----

    @property
    def notes(self) -> NotesStore:
        """The notes store of the configured notes folder (one per library)."""
        if self._notes is None:
            from reader.core.notes.store import NotesStore

            self._notes = NotesStore(self.config)
        return self._notes
