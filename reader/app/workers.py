"""The app's slow work, in thread workers that post messages (:mod:`reader.app.messages`):
opening, updating and repairing the index, searching, loading an article. The window
(:class:`reader.app.app.ReaderApp`) handles the messages on the UI thread.

What the window may rely on: each worker is exclusive in its group ("open", "search",
"article": a new one cancels the one running); none touches a widget; a search or an article
load does nothing while the library is closed or being repaired (``_repairing``).

What the workers load once and keep is frozen out of the garbage collector's sight
(:meth:`reader.app.heap.HeapKeeper.loaded`) once the index is open and once the warm-up ends.
"""

from __future__ import annotations

import threading
import time

from textual import work
from textual.app import App
from textual.worker import get_current_worker

from reader.app.heap import HeapKeeper
from reader.app.messages import (
    ArticleLoaded,
    IndexBroken,
    IndexProgress,
    IndexReady,
    IndexUpdated,
    SearchDone,
)
from reader.core.library import Library

LIVE_LIMIT = 25  # results (with snippets) fetched per search as you type: two screens full


class Asked:
    """The calls of one worker group asked for and not yet answered: the window asks (UI
    thread) before it starts a worker, which answers when it ends however it ends; a worker
    superseded before it ran never answers, the newer one does for both."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.asked = 0
        self.answered = 0

    def ask(self) -> int:
        """A new call: its number, for the worker to answer with."""
        with self._lock:
            self.asked += 1
            return self.asked

    def answer(self, number: int) -> None:
        """The call ``number`` ended (and every call asked before it)."""
        with self._lock:
            self.answered = max(self.answered, number)

    def pending(self) -> bool:
        """True while a call asked for has not been answered."""
        return self.answered < self.asked


class LibraryWorkers(App[int]):
    """The workers of the window (see the module docstring); the window sets the attributes."""

    library: Library
    heap: HeapKeeper
    searches_cancelled: int
    _repairing: bool
    _last_keystroke: float  # time.monotonic() of the last change of the query
    _asked_searches: Asked
    _asked_articles: Asked

    def _lock_wanted(self) -> bool:
        """Whether the warm-up should leave the library's lock alone: a search or an article
        was asked for and is not answered yet, or a key was typed less than
        :data:`reader.core.search.warm.QUIET` ago (its search may wait for the debounce)."""
        from reader.core.search.warm import QUIET

        return (
            self._asked_searches.pending()
            or self._asked_articles.pending()
            or time.monotonic() - self._last_keystroke < QUIET
        )

    @work(thread=True, exclusive=True, group="open")
    def _open_index(self) -> None:
        from reader.core.library import IndexDamaged, IndexUnavailable

        try:
            self.library.open()
        except IndexDamaged as exc:  # the update below rebuilds it, with progress shown
            self.post_message(IndexReady(f"{exc}; rebuilding it"))
        except IndexUnavailable as exc:
            self.post_message(IndexReady(str(exc)))
        else:
            self.heap.loaded()  # the window and the open index
            self.post_message(IndexReady())
            self._warm()
        self._update_index()

    @work(thread=True, exclusive=True, group="open")
    def _repair_index(self) -> None:
        self._update_index(thorough=True)

    def _update_index(self, thorough: bool = False) -> None:
        from reader.core.library import IndexUnavailable

        def progress(done: int, total: int, _path: str) -> None:
            if done == total or done % 20 == 0:
                self.post_message(IndexProgress(done, total))

        try:
            report = self.library.update(progress=progress, wait=5.0, thorough=thorough)
        except IndexUnavailable as exc:
            self.post_message(IndexUpdated(f"index not updated: {exc}", False, []))
            return
        except Exception as exc:  # the app must keep running whatever the corpus holds
            self.post_message(IndexUpdated(f"index update failed: {exc}", False, []))
            return
        changed = report.changed or bool(report.repaired)
        summary, problems = report.summary(), report.problems()
        self.post_message(IndexUpdated(summary, changed, problems))

    @work(thread=True, exclusive=True, group="search")
    def _search(
        self,
        query: str,
        language: str | None,
        outlet: str | None,
        cancel: threading.Event,
        typing: bool = False,
        asked: int = 0,
    ) -> None:
        """Run one search (``asked``: its number from ``_asked_searches``, answered when it
        ends). ``cancel`` is set when a newer search starts: this one then stops inside
        matching (or before it starts) and frees the library without posting."""
        try:
            self._search_now(query, language, outlet, cancel, typing)
        finally:
            self._asked_searches.answer(asked)

    def _search_now(
        self,
        query: str,
        language: str | None,
        outlet: str | None,
        cancel: threading.Event,
        typing: bool,
    ) -> None:
        from reader.core.library import IndexDamaged, QueryError, SearchCancelled

        library = self.library
        partial = False
        if not library.is_open or self._repairing:
            return
        try:
            if query.strip():
                results = library.search(
                    query,
                    limit=LIVE_LIMIT,
                    lang=language,
                    outlet=outlet,
                    cancel=cancel,
                    typing=typing,  # while typing, the last word is a prefix too
                )
                hits, total, exact = results.hits, results.total, results.exact
                partial = results.partial
            else:
                if cancel.is_set():
                    raise SearchCancelled
                hits = library.browse(limit=LIVE_LIMIT, lang=language, outlet=outlet)
                total, exact = len(hits), True
        except SearchCancelled:
            self.searches_cancelled += 1
            return
        except QueryError as exc:
            self.post_message(SearchDone(query, [], 0, str(exc)))
            return
        except IndexDamaged as exc:
            self.post_message(IndexBroken(str(exc)))
            return
        self.post_message(SearchDone(query, hits, total, None, exact, partial, typing))

    def _load_article(self, article_id: str, query: str) -> None:
        """Load an article in the "article" worker (it waits for no warm-up step)."""
        self._read_article(article_id, query, self._asked_articles.ask())

    @work(thread=True, exclusive=True, group="article")
    def _read_article(self, article_id: str, query: str, asked: int) -> None:
        try:
            self._read_article_now(article_id, query)
        finally:
            self._asked_articles.answer(asked)

    def _read_article_now(self, article_id: str, query: str) -> None:
        from reader.core.library import IndexDamaged

        library = self.library
        if not library.is_open or self._repairing:
            return
        try:
            article = library.get(article_id)
        except IndexDamaged as exc:
            self.post_message(IndexBroken(str(exc)))
            return
        matcher = None
        if query.strip():
            try:
                matcher = library.matcher(query)
            except Exception:
                matcher = None
        self.post_message(ArticleLoaded(article, matcher))

    @work(thread=True, exclusive=True, group="open")
    def _reopen(self) -> None:
        from reader.core.library import IndexUnavailable

        self.heap.reopening()  # the index open before goes: its cycles must be collectable
        try:
            self.library.open()  # the newest index; the one open before is closed
        except IndexUnavailable as exc:
            self.post_message(IndexReady(str(exc)))
            return
        self.post_message(IndexReady())
        self._warm()

    @work(thread=True, exclusive=True, group="warm")
    def _warm(self) -> None:
        """Load ahead what the first searches of the open index need, a step at a time
        (searches go between the steps): the first letters typed then find it loaded."""
        worker = get_current_worker()
        self.library.warm(cancelled=lambda: worker.is_cancelled, wanted=self._lock_wanted)
        if not worker.is_cancelled:
            self.heap.loaded(settled=True)  # what it loaded stays
