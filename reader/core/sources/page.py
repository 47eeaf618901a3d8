"""What a format reader hands back: one article's paragraphs and metadata, before reader's own
rules (sidecar, boilerplate, title line, language) make it an :class:`~.article.Article`.

Format modules (``html``, ``feeds``, ``warc``, ``markdown``) import only this module and the
text layer, never :mod:`reader.core.sources.corpus`, which dispatches to them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Page:
    """One article found in a file.

    ``key`` is ``""`` when the file is one article, else what tells this article apart within
    the file (stable across runs: a feed entry's guid or link, an archived page's URL); the
    article id is then ``FILE_ID/<hash of key>``. ``paragraphs`` are the body's paragraphs in
    order (the title may be the first: the caller drops a repeated title). ``meta`` uses the
    sidecar's keys: ``title``, ``outlet``, ``url``, ``published`` (ISO text or a date),
    ``author`` and ``lang``; every value is plain text (markup already turned into text,
    whitespace runs made one space).
    """

    key: str
    paragraphs: list[str]
    meta: dict[str, Any] = field(default_factory=dict)


def key_id(key: str) -> str:
    """A short stable id part for ``key`` (a URL or guid: too long and too free for an id)."""
    return hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=6).hexdigest()


def plain_field(text: object) -> str:
    """A one-line metadata value from the web: whitespace runs (newlines included, which HTML
    and XML treat as spaces) made one space; anything not a string gives ``""``. Control
    characters are left for display to show (see :mod:`reader.core.text.sanitize`)."""
    return " ".join(text.split()) if isinstance(text, str) else ""


def host_outlet(url: str) -> str:
    """The outlet a URL names when a page gives no site name: its host without ``www.``."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")
