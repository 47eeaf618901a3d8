"""Opening the library for a command that reads articles (show, compare, events, notes).

:func:`open_library` brings the index up to date first (only files changed since the last
update are read; the first run builds it), so these commands see the corpus as it is on disk
while every lookup reads the index's stored fields, never the corpus files.
"""

from __future__ import annotations

from reader.core.config import Config
from reader.core.library import Library

UPDATE_WAIT = 5.0  # seconds to wait for another update before reading the index as it is


def open_library(config: Config) -> Library | None:
    """The library with an up-to-date, open index; None (after a one-line message on stderr)
    when there is no index and none can be built. When the update fails (another update
    holds the lock, a read-only folder, a full disk) but an index exists, says so in one line
    and returns the library on that index."""
    from reader.cli import warn
    from reader.core.search.index import IndexUnavailable

    library = Library(config)
    try:
        report = library.update(wait=UPDATE_WAIT)
    except IndexUnavailable as exc:
        try:
            library.open()
        except IndexUnavailable:
            warn(str(exc))
            return None
        warn(f"{exc} (using the index as it is)")
        return library
    if report.rebuilt and report.rebuild_reason != "no index yet":
        warn(f"rebuilt the index ({report.rebuild_reason})")
    for repaired in report.repaired:
        warn(repaired)
    try:
        library.open()
    except IndexUnavailable as exc:  # nothing could be indexed
        warn(str(exc))
        return None
    return library
