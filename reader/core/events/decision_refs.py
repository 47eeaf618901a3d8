"""Where events.toml names each article: the article ids of the user's decisions with the
line of each, so that a caller can point at the one it cannot use (an id that is in no
article of the library: mistyped by hand, or of an article deleted since) without touching
the file. Like :mod:`reader.core.events.decisions`, it reads the file and knows nothing of
how events are computed, nor of which articles exist: the library finds which ids are no
article of its own (:meth:`reader.core.library_decisions.LibraryDecisions.unknown_article_ids`)
and gives them as :class:`UnknownArticleId` records, told with :func:`unknown_summary`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reader.core.events.decisions import (
    _TABLE_HEADER,
    _key,
    _key_lines,
    _line_in,
    _quoted,
    _read,
    parse_decisions,
)


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """One article id as events.toml names it: in ``event``'s ``key`` (``members`` or
    ``excluded``), on 1-based ``line`` (best effort: the line holding the id as a quoted
    string, else that of the key, else the event's)."""

    event: str
    key: str
    article_id: str
    line: int

    @property
    def table(self) -> str:
        """The event's table as the file's error messages name it, e.g.
        ``[events.sirte-week]`` (what is not printable escaped, a long id cut)."""
        return f"[events.{_quoted(self.event)}]"

    @property
    def shown_id(self) -> str:
        """The article id quoted for a message (escaped as ``repr`` does, a long one cut)."""
        return _key(self.article_id)


def article_refs(path: Path) -> tuple[ArticleRef, ...]:
    """Every article id the decisions in ``path`` name: the members, then the excluded, of
    each event in file order (an id listed twice in one list, once), each with its line;
    none when the file does not exist. Raises DecisionsError as
    :func:`reader.core.events.decisions.load_decisions` does."""
    text = _read(path)
    if text is None:
        return ()
    lines = text.splitlines()
    keys = _key_lines(text)  # once: a file of many events is not read again for each
    refs: list[ArticleRef] = []
    for decision in parse_decisions(text, path).events:
        for key, ids in (("members", decision.members), ("excluded", decision.excluded)):
            start = _line_in(keys, decision.id, key)
            at = start  # the ids are listed in file order: each is looked for from the last
            for article_id in ids:
                line = _line_of_id(lines, at, article_id)
                at = line or at
                refs.append(ArticleRef(decision.id, key, article_id, line or start))
    return tuple(refs)


def _line_of_id(lines: Sequence[str], start: int, article_id: str) -> int:
    """The first line from ``start`` (1-based) up to the next table header that holds
    ``article_id`` as a quoted TOML string; 0 when none does."""
    quoted = (  # as a basic string (raw, or escaped as TOML and JSON both write it), literal
        json.dumps(article_id, ensure_ascii=False),
        json.dumps(article_id),
        f"'{article_id}'",
    )
    for number in range(start, len(lines) + 1):
        line = lines[number - 1]
        if number > start and _TABLE_HEADER.match(line):
            break
        if any(q in line for q in quoted):
            return number
    return 0


SUMMARY_IDS = 5  # unknown ids a summary names before "and N more"


@dataclass(frozen=True, slots=True)
class UnknownArticleId:
    """An article id in events.toml (``path``) that is no article of the library: ``ref``
    says where (event, members or excluded, line). The decision is applied without it and
    the file is left as it is (the article may come back). ``str()`` is one line of plain
    text, every character of the file's that is not printable escaped:
    ``PATH:LINE: [events.ID]: no article 'X' in the library (left as it is)``."""

    path: Path
    ref: ArticleRef

    def __str__(self) -> str:
        ref = self.ref
        return (
            f"{self.path}:{ref.line}: {ref.table}: no article {ref.shown_id} in the library "
            "(left as it is)"
        )


def unknown_summary(found: Sequence[UnknownArticleId]) -> str:
    """One line telling of every id of ``found`` (all of one events.toml): for one, its
    ``str()``; for several, the file, then each id's line and event (the first
    :data:`SUMMARY_IDS`, and how many more). ``""`` for none."""
    if not found:
        return ""
    if len(found) == 1:
        return str(found[0])
    shown = [f"line {u.ref.line} {u.ref.table} {u.ref.shown_id}" for u in found[:SUMMARY_IDS]]
    more = len(found) - SUMMARY_IDS
    if more > 0:
        shown.append(f"and {more} more")
    return (
        f"{found[0].path}: no article with these {len(found)} ids in the library (left as "
        f"they are): {', '.join(shown)}"
    )
