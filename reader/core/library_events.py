"""The events side of :class:`reader.core.library.Library`: the events stored with the index
(beside a Whoosh index, in the database of a PostgreSQL one: see
:meth:`reader.core.search.backend.Backend.events_folder`; refreshed with it, read fast), the
similarity of one article to every other, the fields of every article, with the user's
decisions over events applied (the listing ``reader events --json`` prints, kept after a
build: :mod:`reader.core.library_listing`; the editors of the decisions:
:mod:`reader.core.library_decisions`).

Split from :mod:`reader.core.library` for size; :class:`LibraryEvents` is a base of
``Library`` and not meant to be used alone (it uses the library's config, lock, open index and
articles).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, suppress
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.config import Config
from reader.core.search.index_files import IndexUnavailable, generation
from reader.core.sources.article import Article

_SCRATCH = "reader.core.events.store_scratch"  # what a rebuild's workers import early

if TYPE_CHECKING:
    from reader.core.events.grouping import Event
    from reader.core.names.entities import Gazetteer
    from reader.core.search.backend import SearchIndex


def _live_folder(config: Config) -> Path:
    """The folder of the live Whoosh index generation (as
    reader.core.search.index.live_folder); the library itself asks its backend
    (:meth:`LibraryEvents._events_folder`), which gives this one on Whoosh."""
    return generation(config.index_dir) or config.index_dir / "gen-0"


# The event store's files, as the backend keeps them where the index lives.
def _store_files() -> tuple[str, ...]:
    from reader.core.events.store_fields import FIELDS_FILE
    from reader.core.events.store_files import EVENTS_FILE, PROFILES_FILE
    from reader.core.events.store_scores import SCORES_FILE

    return (EVENTS_FILE, PROFILES_FILE, FIELDS_FILE, SCORES_FILE)


class LibraryEvents:
    """Events, similarities and decisions of a library (see the module's docstring)."""

    if TYPE_CHECKING:  # what Library provides
        config: Config
        _lock: threading.Lock
        _events_lock: threading.Lock
        _fields: tuple[tuple[str, str, int, int, int], list[Article]] | None

        def articles(self) -> list[Article]: ...

        def _open_searcher(self) -> SearchIndex: ...

    def _events_folder(self) -> Path:
        """The event store's folder for the index as it is now: the live Whoosh generation,
        or the local copy of the events kept on the PostgreSQL server (see
        :meth:`reader.core.search.backend.Backend.events_folder`)."""
        from reader.core.search.backend import backend_for

        return backend_for(self.config).events_folder()

    def _events_stored(self) -> bool:
        """True when usable events, the fields of their articles and their similarity table
        are stored with the live index."""
        from reader.core.events.store_fields import has_fields
        from reader.core.events.store_header import has_events, header_line, index_stamp
        from reader.core.events.store_scores import SCORES_FILE, scores_token

        folder = self._events_folder()
        threshold = self.config.event_threshold
        if not has_fields(folder, index_stamp(folder)):
            return False
        header = header_line(folder)
        if header is None or scores_token(folder / SCORES_FILE) != header.get("scores"):
            return False  # the similarity table is missing or not theirs
        return has_events(folder, threshold, self._gazetteer_name())

    def gazetteer_name(self) -> str:
        """What identifies the configured gazetteer as it is now (path, size and mtime): part
        of the settings the stored events were computed with."""
        return self._gazetteer_name()

    def _gazetteer_name(self) -> str:
        """What identifies the configured gazetteer as it is now: the built-in one's digest
        and the user's file's path, size and mtime."""
        from reader.core.names.gazetteer import builtin_version

        builtin = f"built-in:{builtin_version()}"
        path = self.config.gazetteer
        if path is None:
            return builtin
        try:
            stat = path.stat()
        except OSError:
            return f"{builtin}+{path}:unreadable"
        return f"{builtin}+{path}:{stat.st_size}:{stat.st_mtime_ns}"

    def refresh_events(self, *, rebuild: bool) -> list[Event] | None:
        """Bring the events stored with the live index up to date (incrementally unless
        ``rebuild``) and return the automatic ones; None, leaving them to be computed when
        asked, when the gazetteer cannot be read or the files cannot be written (events are
        a layer over the index: an update never fails for them). The fields of every article
        that events list (title, outlet, language, date...) are stored beside them. One
        refresh runs at a time: a second caller waits for the first, then finds its work
        done (an update with nothing new is a read)."""
        with self._events_lock:
            return self._refresh_events(rebuild)

    def _refresh_events(self, rebuild: bool) -> list[Event] | None:
        from reader.core.events.profiling import PARALLEL_FROM, start_workers
        from reader.core.events.store import index_stamp, read_leads, refresh
        from reader.core.events.store_fields import write_fields
        from reader.core.files.processes import Pending, WorkerFailed, Workers
        from reader.core.library_listing import keep_listing, listing_job
        from reader.core.names.gazetteer import gazetteer_for
        from reader.core.names.gazetteer_file import GazetteerError
        from reader.core.search.backend import backend_for

        backend = backend_for(self.config)
        try:
            folder = backend.events_folder()
            stamp = index_stamp(folder)  # before reading: a later commit makes these stale
            gazetteer = gazetteer_for(self.config.gazetteer)
            searcher = backend.open()
        except (GazetteerError, IndexUnavailable):
            return None
        fields: list[Article] = []
        digests: dict[str, str] = {}

        def leads() -> Iterator[Article]:
            yield from read_leads(searcher.articles(), fields, digests)
            # Every article read: their fields are stored now and let go, not held through
            # the grouping (at 50,000 articles, some 30 MB); the listing reads them back.
            write_fields(folder, stamp, fields)
            fields.clear()

        listing: list[Pending] = []  # a rebuild's listing, made on a worker (see below)
        with ExitStack() as running:
            try:
                try:
                    # A rebuild profiles every article: the workers start (and import what
                    # profiling needs) while the articles are read, not after.
                    many = rebuild and searcher.count() >= PARALLEL_FROM
                    workers = start_workers((_SCRATCH,)) if many else None
                    if workers is not None:
                        running.enter_context(workers)

                    def grouped(found: list[Event]) -> None:
                        # The listing's rows are made on a process of their own while the
                        # events are written: a new one, not an event worker, which holds
                        # what the grouping left it (at 50,000 articles the tree peaked
                        # with the parent writing the table beside that worker, 777 MB;
                        # beside a new process, which holds some 180 MB, 665 MB). It
                        # starts on the core the parent leaves free.
                        job = (self.config, folder, self._gazetteer_name(), found)
                        if workers is not None:
                            with suppress(OSError, WorkerFailed):
                                fresh = running.enter_context(Workers(1))
                                listing.append(fresh.later(listing_job, lambda _n: job))

                    events = refresh(
                        folder,
                        leads(),
                        gazetteer,
                        self._gazetteer_name(),
                        threshold=self.config.event_threshold,
                        rebuild=rebuild,
                        stamp=stamp,
                        digests=digests,
                        workers=workers,
                        grouped=grouped if rebuild else None,
                    )
                finally:
                    searcher.close()
                backend.keep_events(folder, _store_files())
            except (OSError, IndexUnavailable):
                return None
            if rebuild:  # a whole build: writing every record is a small part of it
                # The events as reading them back gives them: not read back.
                made = listing[0] if listing else None
                keep_listing(self.config, folder, self._gazetteer_name(), events, made)
        return events

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

        chosen = self.config.event_threshold if threshold is None else threshold
        if articles is not None or gazetteer is not None or chosen != self.config.event_threshold:
            pool = self.articles() if articles is None else articles
            if not decided:
                return group_events(pool, gazetteer or self._gazetteer(), threshold=chosen)
            return load_events(self.config, pool, gazetteer, threshold=chosen)
        decisions = load_decisions(decisions_path(self.config)) if decided else None
        with self._lock:
            self._open_searcher()  # the index must be there (IndexUnavailable otherwise)
        stored = read_events(self._events_folder(), chosen, self._gazetteer_name())
        if stored is None:
            fresh = self.refresh_events(rebuild=False)
            stored = read_events(self._events_folder(), chosen, self._gazetteer_name())
            if fresh is None or stored is None:  # could not be stored: computed all the same
                if not decided:
                    return group_events(self.articles(), self._gazetteer(), threshold=chosen)
                return load_events(self.config, self.articles(), None, threshold=chosen)
        events, published = stored
        return apply_decisions(events, decisions, published)

    def stored_events(
        self, *, decided: bool = True, checked: bool = False
    ) -> tuple[list[Event], dict[str, Article]] | None:
        """(the events stored with the live index, with the user's decisions unless
        ``decided=False``; the stored fields of every article they list, by id, with empty
        bodies), read without updating or even opening the index: what :meth:`events` gives
        (with the config's threshold and gazetteer) when an update would change nothing.
        None when that is not known to hold: the corpus files on disk differ from what the
        index holds (see :func:`reader.core.search.freshness.index_matches_corpus`), or the
        stored events or fields are missing, damaged, or of another index state; the caller
        then updates and reads as before, so stale events are never given. Raises
        DecisionsError for an unusable events.toml (with ``decided``). ``checked``: the
        caller has just found the corpus files to be those the index holds, so they are not
        looked at again (the one check is a stat of every file)."""
        from reader.core.events.decisions import decisions_path, load_decisions
        from reader.core.events.store import apply_decisions
        from reader.core.events.store_fields import read_fields
        from reader.core.events.store_files import index_stamp, read_events
        from reader.core.search.freshness import index_matches_corpus

        decisions = load_decisions(decisions_path(self.config)) if decided else None
        if not checked and not index_matches_corpus(self.config):
            return None
        folder = self._events_folder()
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
        folder = self._events_folder()
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
        the events when they are current and ``pivot`` is stored as it is (the posting lists of
        its features and a short row an article: see :mod:`reader.core.events.pivot_scores`);
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
            folder = self._events_folder()
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
        from reader.core.events.pivot_scores import scores_from_table
        from reader.core.events.store_files import (
            article_digest,
            events_header,
            index_stamp,
            store_settings,
        )
        from reader.core.events.store_scores import SCORES_FILE

        folder = self._events_folder()
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
        in id order (a new list): stored with the events when they are of the live index as
        it is now (no article is read from the index), else read from the index. What was
        read from the stored file is kept for the next call while the file and the index
        stay as they are (at 50,000 articles it holds some 26 MB, and the compare view lists
        every article in 511 ms, not 787, when it opens again)."""
        from reader.core.events.store_fields import FIELDS_FILE, read_fields
        from reader.core.events.store_files import index_stamp

        folder = self._events_folder()
        stamp = index_stamp(folder)
        try:
            state = (folder / FIELDS_FILE).stat()
            key = (str(folder), stamp, state.st_ino, state.st_size, state.st_mtime_ns)
        except OSError:
            key = None
        kept = self._fields
        if key is not None and kept is not None and kept[0] == key:
            return list(kept[1])
        found = read_fields(folder, stamp)
        if found is None:
            return [dataclasses.replace(a, body="") for a in self.articles()]
        fields = [found[i] for i in sorted(found)]
        if key is not None:
            self._fields = (key, fields)
        return list(fields)

    def _gazetteer(self) -> Gazetteer:
        from reader.core.names.gazetteer import gazetteer_for

        return gazetteer_for(self.config.gazetteer)
