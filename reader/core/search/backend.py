"""The search-backend boundary: what the library needs from an index, and the one place the
configured backend is chosen.

A backend (:class:`Backend`) keeps an index of the corpus folders up to date
(:meth:`Backend.update`, incremental, with the manifest of what it holds) and opens a
:class:`SearchIndex` that answers the library's questions: searches in reader's query
language (prefixes and the other spellings of names expanded by reader, before the backend
runs the query), browsing, article lookup, every article, every id, the outlets and the count.
It also says where the event store lives (:meth:`Backend.events_folder`,
:meth:`Backend.keep_events`): beside a Whoosh index, in the database of a server.

Two backends exist: the embedded Whoosh index (the default, :mod:`reader.core.search.index`
and :class:`reader.core.search.searcher.Searcher`, used as they are) and a PostgreSQL server
(:mod:`reader.core.search.postgres`, chosen by ``[storage] backend = "postgresql"``). Both
analyse text with :mod:`reader.core.search.analysis` and take the same parsed queries, so they
find the same SET of articles for a query; the ORDER may differ (Whoosh ranks with BM25F,
PostgreSQL with ``ts_rank_cd``). No face of reader knows which one is in use:
:func:`backend_for` is the only place that looks at ``config.backend``.

Errors: both raise ``IndexUnavailable`` (one line) when the index cannot be opened, read or
written, ``QueryError`` for a query they cannot run, ``SearchCancelled`` for a cancelled search.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from reader.core.config import Config
from reader.core.config_storage import BACKENDS as BACKENDS
from reader.core.sources.article import Article

if TYPE_CHECKING:
    from reader.core.search.highlight import Matcher
    from reader.core.search.hits import Hit, Results
    from reader.core.search.index_build import Progress, UpdateReport


class SearchIndex(Protocol):
    """An open index of the corpus. Not thread-safe: the library serialises its use."""

    def close(self) -> None:
        """Release what the index holds open (files, a connection)."""

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
        """Ranked hits for a query in reader's language, filtered by language and outlet;
        ``typing``: the query is being typed (its last word is a prefix too)."""

    def browse(
        self, *, limit: int = 200, lang: str | None = None, outlet: str | None = None
    ) -> list[Hit]:
        """Articles without a query: dated ones newest first, then undated ones, by id."""

    def matcher(self, text: str, *, cross_script: bool | None = None) -> Matcher:
        """What the query marks in an article's text (the same marks its hits carry)."""

    def article(self, article_id: str) -> Article | None:
        """The stored article with exactly this id, or None."""

    def articles(self) -> Iterable[Article]:
        """Every stored article (in no particular order)."""

    def ids(self) -> Sequence[str]:
        """Every article id, sorted."""

    def outlets(self) -> list[str]:
        """Every outlet name, sorted."""

    def count(self) -> int:
        """How many articles the index holds."""


class Backend(Protocol):
    """Where the index lives: it updates it and opens it."""

    name: str

    def update(
        self,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
        wait: float = 30.0,
        thorough: bool = False,
    ) -> UpdateReport:
        """Bring the index up to date with the corpus folders (only what changed), or
        rebuild it. IndexUnavailable (one line) when it cannot, the index left as it was."""

    def open(self) -> SearchIndex:
        """The index, open. IndexUnavailable when there is none or it cannot be reached."""

    def events_folder(self) -> Path:
        """The folder the event store (:mod:`reader.core.events.store`) reads and writes for
        the index as it is now, holding the index's fingerprint file (``index.json``, what
        the store's index stamp is a digest of: it changes with every commit to the index).
        Whoosh: the live generation's own folder. PostgreSQL: a local copy of the event
        files kept in the database, brought up to date with it first. IndexUnavailable (one
        line) when the server cannot be reached or holds no library."""

    def keep_events(self, folder: Path, names: Iterable[str]) -> None:
        """Keep the event store's files ``names``, just written in ``folder`` (from
        :meth:`events_folder`), where the index lives: nothing to do on Whoosh (the folder
        is the index's); written to the database on PostgreSQL, unless newer ones are there.
        IndexUnavailable (one line) when the server cannot be reached."""


class WhooshBackend:
    """The embedded Whoosh index in ``[storage] data_dir`` (reader's default): the existing
    :func:`reader.core.search.index.update_index` and :class:`WhooshIndex`."""

    name = "whoosh"

    def __init__(self, config: Config) -> None:
        self.config = config

    def update(
        self,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
        wait: float = 30.0,
        thorough: bool = False,
    ) -> UpdateReport:
        from reader.core.search.index import update_index

        return update_index(
            self.config, rebuild=rebuild, progress=progress, wait=wait, thorough=thorough
        )

    def open(self) -> SearchIndex:
        from reader.core.search.whoosh_index import WhooshIndex

        return WhooshIndex(self.config)

    def events_folder(self) -> Path:
        from reader.core.search.index_files import generation

        return generation(self.config.index_dir) or self.config.index_dir / "gen-0"

    def keep_events(self, folder: Path, names: Iterable[str]) -> None:
        """Nothing to do: the event files are written in the index's own folder."""


def backend_for(config: Config) -> Backend:
    """The backend ``config`` names (``[storage] backend``): the only place that chooses."""
    if config.backend == "postgresql":
        from reader.core.search.postgres import PostgresBackend

        return PostgresBackend(config)
    return WhooshBackend(config)
