"""RSS and Atom feeds through ``feedparser``: each entry of a feed file is an article.

An entry's title, link (its URL), publication date (else its update date), author and
content (else summary; HTML made plain text) become the article's; the feed's title is the
outlet (else the link's host). An entry is told apart by its guid/id, else its link, else
its title, so its article id stays the same when the feed is saved again with new entries.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from reader.core.sources.html import html_text
from reader.core.sources.page import Page, host_outlet, plain_field


class NotAFeed(ValueError):
    """The file is not an RSS or Atom feed; the message says why, in one line."""


def feed_pages(data: bytes) -> list[Page]:
    """The entries of a feed file (its raw bytes), in the feed's order.

    Raises :class:`NotAFeed` for text that is not XML or XML that is not a feed. A feed that
    is slightly malformed but still yields entries is read (feedparser's lenient parser).
    Never fetches anything: the bytes are the feed.
    """
    import feedparser

    parsed: Any = feedparser.parse(data)  # bytes: always the document, never a URL or path
    entries: list[Any] = list(parsed.get("entries") or [])
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        if parsed.get("bozo") and problem is not None:
            detail = plain_field(str(getattr(problem, "getMessage", lambda: problem)()))
            raise NotAFeed(f"not an RSS or Atom feed (not well-formed XML: {detail[:120]})")
        raise NotAFeed("not an RSS or Atom feed (XML without a feed's <rss>, <feed> or <rdf>)")
    channel: Any = parsed.get("feed") or {}
    outlet = _text(channel, "title")
    pages: list[Page] = []
    for number, entry in enumerate(entries, start=1):
        link = plain_field(entry.get("link"))
        title = _text(entry, "title")
        key = plain_field(entry.get("id")) or link or title or str(number)
        content = entry.get("content") or []
        bodies = [c.get("value", "") for c in content if isinstance(c.get("value"), str)]
        summary = entry.get("summary")
        if isinstance(summary, str):
            bodies.append(summary)
        body = max(bodies, key=len, default="")
        meta: dict[str, Any] = {
            "title": title,
            "url": link,
            "author": _text(entry, "author"),
            "outlet": outlet or host_outlet(link),
            "published": _date(entry.get("published_parsed") or entry.get("updated_parsed")),
        }
        pages.append(Page(key, html_text(body), {k: v for k, v in meta.items() if v}))
    return pages


def _text(record: Any, key: str) -> str:
    """A feed field as one line of plain text (titles may be HTML in Atom and in practice)."""
    value = record.get(key)
    if not isinstance(value, str):
        return ""
    return " ".join(html_text(value))


def _date(value: Any) -> date | None:
    if isinstance(value, time.struct_time):
        try:
            return date(value.tm_year, value.tm_mon, value.tm_mday)
        except ValueError:
            return None
    return None
