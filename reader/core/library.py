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
import dataclasses
import importlib
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reader.core.config import Config
from reader.core.search.index_files import IndexDamaged, IndexUnavailable, generation
from reader.core.sources.article import Article

if TYPE_CHECKING:
    # Imported when first used (see __getattr__ below): a command that only reads the stored
    # events (`reader events`) never loads Whoosh's query machinery.
    from reader.core.events.grouping import Event
    from reader.core.names.entities import Gazetteer
    from reader.core.notes.store import NotesStore
    from reader.core.search.highlight import Matcher
    from reader.core.search.index import UpdateReport
    from reader.core.search.index_build import Progress
    from reader.core.search.searcher import Hit, QueryError, Results, SearchCancelled, Searcher

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


def _live_folder(config: Config) -> Path:
    """The folder of the live index generation (as reader.core.search.index.live_folder)."""
    return generation(config.index_dir) or config.index_dir / "gen-0"


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


class Library:
    """The corpus as the index holds it. Cheap to create: the index is opened by :meth:`open`
    or on first use, and closed by :meth:`close` (or leaving a ``with`` block)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._ids: list[str] | None = None  # sorted; of the open index
        self._notes: NotesStore | None = None

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
        from reader.core.search.searcher import Searcher

        fresh = Searcher(self.config)
        with self._lock:
            old, self._searcher, self._ids = self._searcher, fresh, None
            if old is not None:
                old.close()

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
    ) -> UpdateReport:
        """Bring the index up to date with the corpus folders, or ``rebuild`` it (see
        :func:`reader.core.search.index.update_index`, whose errors it raises). Does not take
        the lock: searches go on meanwhile, on the index open before; :meth:`open` then shows
        the new one."""
        from reader.core.search.index import update_index

        report = update_index(
            self.config, rebuild=rebuild, progress=progress, wait=wait, thorough=thorough
        )
        if report.changed or not self._events_stored():
            self.refresh_events(rebuild=report.rebuilt)
        from reader.core.events.freshness import note_index_files

        note_index_files(self.config)  # lets the next reader of the events skip the update
        return report

    def _events_stored(self) -> bool:
        """True when usable events, the fields of their articles and their similarity table
        are stored with the live index."""
        from reader.core.events.store_fields import has_fields
        from reader.core.events.store_files import index_stamp, read_events
        from reader.core.events.store_header import header_line
        from reader.core.events.store_scores import SCORES_FILE, scores_token

        folder = _live_folder(self.config)
        threshold = self.config.event_threshold
        if not has_fields(folder, index_stamp(folder)):
            return False
        header = header_line(folder)
        if header is None or scores_token(folder / SCORES_FILE) != header.get("scores"):
            return False  # the similarity table is missing or not theirs
        return read_events(folder, threshold, self._gazetteer_name()) is not None

    def gazetteer_name(self) -> str:
        """What identifies the configured gazetteer as it is now (path, size and mtime): part
        of the settings the stored events were computed with."""
        return self._gazetteer_name()

    def _gazetteer_name(self) -> str:
        """What identifies the configured gazetteer as it is now (path, size and mtime)."""
        path = self.config.gazetteer
        if path is None:
            return "built-in"
        try:
            stat = path.stat()
        except OSError:
            return f"{path}:unreadable"
        return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"

    def refresh_events(self, *, rebuild: bool) -> list[Event] | None:
        """Bring the events stored with the live index up to date (incrementally unless
        ``rebuild``) and return the automatic ones; None, leaving them to be computed when
        asked, when the gazetteer cannot be read or the files cannot be written (events are
        a layer over the index: an update never fails for them). The fields of every article
        that events list (title, outlet, language, date...) are stored beside them."""
        from reader.core.events.store import index_stamp, refresh
        from reader.core.events.store_fields import write_fields
        from reader.core.names.gazetteer import gazetteer_for
        from reader.core.names.gazetteer_file import GazetteerError
        from reader.core.search.searcher import Searcher

        folder = _live_folder(self.config)
        stamp = index_stamp(folder)  # before reading: a later commit makes these stale
        try:
            gazetteer = gazetteer_for(self.config.gazetteer)
            searcher = Searcher(self.config)
        except (GazetteerError, IndexUnavailable):
            return None
        try:
            articles = list(searcher.articles())
        finally:
            searcher.close()
        try:
            events = refresh(
                folder,
                articles,
                gazetteer,
                self._gazetteer_name(),
                threshold=self.config.event_threshold,
                rebuild=rebuild,
                stamp=stamp,
            )
            write_fields(folder, stamp, articles)
        except OSError:
            return None
        return events

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

    def _open_searcher(self) -> Searcher:
        """The open searcher (opened now if needed); the caller holds the lock."""
        if self._searcher is None:
            from reader.core.search.searcher import Searcher

            self._searcher = Searcher(self.config)
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
    ) -> Results:
        """Ranked hits for a query (see :meth:`Searcher.search`: QueryError for a bad query,
        partial results at the time limit, SearchCancelled soon after ``cancel`` is set)."""
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

    # ----- events and notes -----

    def events(
        self,
        *,
        threshold: float | None = None,
        gazetteer: Gazetteer | None = None,
        articles: Sequence[Article] | None = None,
        decided: bool = True,
    ) -> list[Event]:
        """The events of the library's articles with the user's decisions over them (none
        with ``decided=False``). With the
        config's threshold and gazetteer, the events stored with the index (computed when it
        was built or updated; computed and stored now when missing, stale or damaged), so no
        article is read or profiled on the way. ``articles`` (a pool other than the
        library's), another ``threshold`` or ``gazetteer``: computed fresh from them.
        Raises GazetteerError or DecisionsError for unusable files."""
        from reader.core.events.decisions import decisions_path, load_decisions
        from reader.core.events.grouping import group_events, load_events
        from reader.core.events.store import apply_decisions, read_events
        from reader.core.search.index import live_folder

        chosen = self.config.event_threshold if threshold is None else threshold
        if articles is not None or gazetteer is not None or chosen != self.config.event_threshold:
            pool = self.articles() if articles is None else articles
            if not decided:
                return group_events(pool, gazetteer or self._gazetteer(), threshold=chosen)
            return load_events(self.config, pool, gazetteer, threshold=chosen)
        decisions = load_decisions(decisions_path(self.config)) if decided else None
        with self._lock:
            self._open_searcher()  # the index must be there (IndexUnavailable otherwise)
        stored = read_events(live_folder(self.config), chosen, self._gazetteer_name())
        if stored is None:
            fresh = self.refresh_events(rebuild=False)
            stored = read_events(live_folder(self.config), chosen, self._gazetteer_name())
            if fresh is None or stored is None:  # could not be stored: computed all the same
                if not decided:
                    return group_events(self.articles(), self._gazetteer(), threshold=chosen)
                return load_events(self.config, self.articles(), None, threshold=chosen)
        events, published = stored
        return apply_decisions(events, decisions, published)

    def stored_events(
        self, *, decided: bool = True
    ) -> tuple[list[Event], dict[str, Article]] | None:
        """(the events stored with the live index, with the user's decisions unless
        ``decided=False``; the stored fields of every article they list, by id, with empty
        bodies), read without updating or even opening the index: what :meth:`events` gives
        (with the config's threshold and gazetteer) when an update would change nothing.
        None when that is not known to hold: the corpus files on disk differ from what the
        index holds (see :func:`reader.core.events.freshness.index_matches_corpus`), or the
        stored events or fields are missing, damaged, or of another index state; the caller
        then updates and reads as before, so stale events are never given. Raises
        DecisionsError for an unusable events.toml (with ``decided``)."""
        from reader.core.events.decisions import decisions_path, load_decisions
        from reader.core.events.freshness import index_matches_corpus
        from reader.core.events.store import apply_decisions
        from reader.core.events.store_fields import read_fields
        from reader.core.events.store_files import index_stamp, read_events

        decisions = load_decisions(decisions_path(self.config)) if decided else None
        if not index_matches_corpus(self.config):
            return None
        folder = _live_folder(self.config)
        fields = read_fields(folder, index_stamp(folder))
        if fields is None:
            return None
        stored = read_events(folder, self.config.event_threshold, self._gazetteer_name())
        if stored is None:  # also when the index changed since the fields were read
            return None
        events, published = stored
        if any(i not in fields for e in events for i in e.article_ids):
            return None
        return apply_decisions(events, decisions, published), fields

    def event_of(self, article_id: str, *, decided: bool = True) -> Event | None:
        """The event holding ``article_id`` among :meth:`events` (the config's threshold and
        gazetteer, the user's decisions unless ``decided=False``), or None when no event
        holds it. When the events stored are of the live index as it is now, only the events
        holding that article or one the decisions name are read (from the table stored with
        them); else as :meth:`events`. Raises DecisionsError (with ``decided``)."""
        from reader.core.events.decisions import decisions_path, load_decisions
        from reader.core.events.store import apply_decisions
        from reader.core.events.store_files import event_from
        from reader.core.events.store_header import header_line, index_stamp, store_settings
        from reader.core.events.store_scores import SCORES_FILE, events_from_table

        decisions = load_decisions(decisions_path(self.config)) if decided else None
        folder = _live_folder(self.config)
        header = header_line(folder)
        settings = store_settings(self.config.event_threshold, self._gazetteer_name())
        found = None
        if header is not None and header.get("settings") == settings:
            named = {article_id}
            for decision in decisions.events if decisions is not None else ():
                named.update(decision.members)
                named.update(decision.excluded)
            if header.get("index") == index_stamp(folder):
                found = events_from_table(folder / SCORES_FILE, str(header.get("scores")), named)
        if found is None:
            every = self.events(decided=decided)
            return next((e for e in every if article_id in e.article_ids), None)
        records, days = found
        try:
            automatic = [event_from(r) for r in records]
            published = {i: date.fromisoformat(d) for i, d in days.items()}
        except (ValueError, TypeError):
            every = self.events(decided=decided)
            return next((e for e in every if article_id in e.article_ids), None)
        automatic.sort(key=lambda e: (-len(e.article_ids), e.id))  # as stored
        shown = apply_decisions(automatic, decisions, published)
        return next((e for e in shown if article_id in e.article_ids), None)

    def similarities(self, pivot: Article) -> dict[str, float]:
        """The similarity of ``pivot`` to every other article of the library, as a
        Similarity over every stored profile gives it. From the similarity table stored with
        the events when they are current and ``pivot`` is stored as it is (only the articles
        sharing something with it are read: see :mod:`reader.core.events.store_scores`);
        else from the stored features (only ``pivot`` is profiled, and only when it is not
        stored or has changed); every article is profiled only when nothing usable is stored
        and it cannot be stored now. Raises GazetteerError for an unusable gazetteer (when
        profiling is needed)."""
        from reader.core.events.grouping import Similarity, profile
        from reader.core.events.store import scores_with

        found = self._stored_similarities(pivot)
        if found is not None:
            return found
        gazetteer = self._gazetteer()
        threshold = self.config.event_threshold
        for attempt in range(2):
            folder = _live_folder(self.config)
            found = scores_with(folder, pivot, gazetteer, self._gazetteer_name(), threshold)
            if found is not None:
                return found
            if attempt == 0 and self.refresh_events(rebuild=False) is None:
                break
        pool = {a.id: a for a in self.articles()}
        pool[pivot.id] = pivot
        similarity = Similarity([profile(a, gazetteer) for a in pool.values()])
        return {i: similarity.score(pivot.id, i).score for i in pool if i != pivot.id}

    def _stored_similarities(self, pivot: Article) -> dict[str, float] | None:
        """:meth:`similarities` from the stored similarity table, or None when it cannot
        serve: the stored events are not of the live index as it is now (or another
        threshold or gazetteer), the table is not theirs, or ``pivot`` is not stored as
        it is."""
        from reader.core.events.store_files import (
            article_digest,
            events_header,
            index_stamp,
            store_settings,
        )
        from reader.core.events.store_scores import SCORES_FILE, scores_from_table

        folder = _live_folder(self.config)
        settings = store_settings(self.config.event_threshold, self._gazetteer_name())
        found = events_header(folder)
        if found is None:
            return None
        header = found[0]
        if header.get("index") != index_stamp(folder) or header.get("settings") != settings:
            return None
        token = header["scores"]
        return scores_from_table(
            folder / SCORES_FILE, pivot.id, article_digest(pivot), settings, token
        )

    def article_fields(self) -> list[Article]:
        """Every article's title, outlet, language, date, url and source (``body`` empty),
        in id order: stored with the events when they are of the live index as it is now
        (no article is read from the index), else read from the index."""
        from reader.core.events.store_fields import read_fields
        from reader.core.events.store_files import index_stamp

        folder = _live_folder(self.config)
        found = read_fields(folder, index_stamp(folder))
        if found is None:
            return [dataclasses.replace(a, body="") for a in self.articles()]
        return [found[i] for i in sorted(found)]

    def _gazetteer(self) -> Gazetteer:
        from reader.core.names.gazetteer import gazetteer_for

        return gazetteer_for(self.config.gazetteer)

    # The user's decisions over events: each writes notes_dir/events.toml (atomically, under
    # its lock, comments kept; see reader.core.events.decisions) and nothing else, so the next
    # call of events() applies it. They raise DecisionsError for an unreadable or invalid
    # events.toml (which is then left untouched) and ValueError for a decision that makes no
    # sense (an empty label, a split of every article).

    def confirm_event(self, event: Event) -> None:
        """Mark ``event`` as right: its current articles are pinned under its id."""
        from reader.core.events import decisions

        decisions.confirm_event(decisions.decisions_path(self.config), event)

    def rename_event(self, event: Event, label: str) -> None:
        """Give ``event`` the user's label (whitespace collapsed; never empty)."""
        from reader.core.events import decisions

        decisions.rename_event(decisions.decisions_path(self.config), event, label)

    def split_event(self, event: Event, article_ids: Sequence[str]) -> str:
        """Move ``article_ids`` (some, not all, of the event's) into a new event; its id."""
        from reader.core.events import decisions

        return decisions.split_event(decisions.decisions_path(self.config), event, article_ids)

    def merge_events(self, events: Sequence[Event]) -> str:
        """Merge ``events`` into the first (which keeps its id and label); its id."""
        from reader.core.events import decisions

        return decisions.merge_events(decisions.decisions_path(self.config), events)

    def move_article(self, article_id: str, source: Event | None, target: Event | None) -> str:
        """Take an article out of ``source`` (which never takes it back) into ``target``, or
        into an event of its own when ``target`` is None; the id of its new event."""
        from reader.core.events import decisions

        path = decisions.decisions_path(self.config)
        return decisions.move_article(path, article_id, source, target)

    @property
    def notes(self) -> NotesStore:
        """The notes store of the configured notes folder (one per library)."""
        if self._notes is None:
            from reader.core.notes.store import NotesStore

            self._notes = NotesStore(self.config)
        return self._notes
