"""An event: a group of articles about one story, and its automatic id.

The record both the grouping (:mod:`reader.core.events.grouping`, which makes events) and the
user's decisions (:mod:`reader.core.events.decisions`, which pin them) use, kept apart from both
so that neither imports the other's module for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Event:
    """A group of articles about one story. ``id`` is stable: a decided event keeps the id of
    its decision; an automatic one is named by its members (so it changes when they do)."""

    id: str
    label: str
    article_ids: tuple[str, ...]
    start: date | None = None
    end: date | None = None
    entities: tuple[str, ...] = ()  # top entity keys, most characteristic first
    cohesion: float = 0.0  # mean similarity of member pairs (0 for one article)
    confirmed: bool = False
    decided: bool = False

    @property
    def stands_alone(self) -> bool:
        """One article and not an event the user named: listed among the articles that stand
        alone (an article taken out of its event is one of them)."""
        return len(self.article_ids) == 1 and not (self.decided and self.label)


def event_id(article_ids: Iterable[str]) -> str:
    """The automatic id of a group of articles: a hash of their sorted ids."""
    text = "\n".join(sorted(article_ids))
    return "ev-" + hashlib.blake2b(text.encode("utf-8"), digest_size=5).hexdigest()
