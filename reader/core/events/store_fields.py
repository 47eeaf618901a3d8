"""What the event store keeps of each article besides its features: the fields an event's
record and the compare view's choices show (title, outlet, language, date, url, source), so
that listing the events never reads every article, with its body, from the index.

``event-articles.json`` in the live index generation: one header line (format, the index
stamp of :func:`reader.core.events.store_files.index_stamp` the fields were read at, and a
digest of the rest) and one line of JSON rows, one per article. :func:`read_fields` gives
None (the caller falls back to the index) for a file that is missing, damaged, truncated,
edited, of another format or of another index state, never an exception.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from reader.core.events.store_header import blake, read_headed
from reader.core.files.safe_write import write_atomically
from reader.core.sources.article import Article

FIELDS_FILE = "event-articles.json"
FIELDS_FORMAT = 1


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def write_fields(folder: Path, stamp: str, articles: Iterable[Article]) -> None:
    """Write the fields of ``articles`` (every article of the index, read at index state
    ``stamp``) atomically. Raises OSError when the file cannot be written."""
    rows = [
        [a.id, a.title, a.outlet, a.lang, _day(a.published), a.url, a.source]
        for a in sorted(articles, key=lambda a: a.id)
    ]
    # ASCII escapes: any string the index holds (even a lone surrogate) round-trips.
    payload = json.dumps(rows).encode("ascii")
    header = {"format": FIELDS_FORMAT, "index": stamp, "digest": blake(payload)}
    write_atomically(folder / FIELDS_FILE, json.dumps(header).encode("ascii") + b"\n" + payload)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("bad field")
    return value


def read_fields(folder: Path, stamp: str) -> dict[str, Article] | None:
    """Every article of the index state ``stamp`` by id, with its stored fields and an empty
    body (and no content hash); None when the file is unusable or of another index state."""
    found_file = read_headed(folder / FIELDS_FILE)
    if found_file is None or not _ours(found_file[0], stamp):
        return None
    try:
        rows = json.loads(found_file[1])
        if not isinstance(rows, list):
            return None
        found: dict[str, Article] = {}
        for row in rows:
            if not isinstance(row, list) or len(row) != 7:
                return None
            article_id, title, outlet, lang, published, url, source = row
            found[_text(article_id)] = Article(
                id=article_id,
                title=_text(title),
                body="",
                lang=_text(lang),
                outlet=_text(outlet),
                url=_text(url),
                published=None if published is None else date.fromisoformat(_text(published)),
                source=_text(source),
            )
    except (ValueError, TypeError, RecursionError):
        return None
    return found


def has_fields(folder: Path, stamp: str) -> bool:
    """True when the fields file of index state ``stamp`` is there and whole (its rows are
    not decoded: :func:`read_fields` still checks them)."""
    found = read_headed(folder / FIELDS_FILE)
    return found is not None and _ours(found[0], stamp)


def _ours(header: dict[str, Any], stamp: str) -> bool:
    """True when a fields file's header is of this format and the index state ``stamp``."""
    return header.get("format") == FIELDS_FORMAT and bool(stamp) and header.get("index") == stamp
