"""The library on a PostgreSQL server (``[storage] backend = "postgresql"``), through psycopg 3.

- :mod:`.connect`: connections, the schema, the indexers' advisory lock, one-line errors;
- :mod:`.terms`: reader's own analysis written as ``tsvector`` lexemes;
- :mod:`.indexer`: ``reader index`` into the server, incremental, the manifest in the database;
- :mod:`.words`, :mod:`.translate`: prefixes expanded through the stored words, then reader's
  parsed query as ``tsquery`` + SQL (refused when it cannot be translated exactly);
- :mod:`.server`: the open index the library searches;
- :mod:`.events`: the event store kept in the database (a local copy is what the events layer
  reads and writes).

Notes and the user's decisions over events stay TOML files (a team shares them through git).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.config import Config

if TYPE_CHECKING:
    from reader.core.search.backend import SearchIndex
    from reader.core.search.index_build import Progress, UpdateReport


class PostgresBackend:
    """The configured PostgreSQL server as a :class:`reader.core.search.backend.Backend`."""

    name = "postgresql"

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
        """See :func:`reader.core.search.postgres.indexer.update_server` (``thorough`` has
        nothing more to check on a server)."""
        from reader.core.search.postgres.indexer import update_server

        return update_server(self.config, rebuild=rebuild, progress=progress, wait=wait)

    def open(self) -> SearchIndex:
        from reader.core.search.postgres.server import ServerIndex

        return ServerIndex(self.config)

    def events_folder(self) -> Path:
        """See :func:`reader.core.search.postgres.events.events_folder`."""
        from reader.core.search.postgres.events import events_folder

        return events_folder(self.config)

    def keep_events(self, folder: Path, names: Iterable[str]) -> None:
        """See :func:`reader.core.search.postgres.events.keep_events`."""
        from reader.core.search.postgres.events import keep_events

        keep_events(self.config, folder, names)
