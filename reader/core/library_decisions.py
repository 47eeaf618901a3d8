"""The user's decisions over events, as :class:`reader.core.library.Library` serves them:
the editors (confirm, rename, split, merge, move an article), each writing
``notes_dir/events.toml`` (see :mod:`reader.core.events.decisions`), and the ids that file
names which are no article of the library (:meth:`LibraryDecisions.unknown_article_ids`;
the records: :class:`reader.core.events.decision_refs.UnknownArticleId`),
which applying the decisions leaves out without a word and every face of reader tells the
user about.

Split from :mod:`reader.core.library_events` for size; :class:`LibraryDecisions` is a base
of ``Library`` and not meant to be used alone (it uses the library's config, its article
ids and the events stored with its index).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.config import Config

if TYPE_CHECKING:
    from reader.core.events.decision_refs import UnknownArticleId
    from reader.core.events.event import Event
    from reader.core.sources.article import Article


class LibraryDecisions:
    """The decisions side of a library (see the module's docstring)."""

    if TYPE_CHECKING:  # what Library provides
        config: Config

        def get(self, article_id: str) -> Article | None: ...

        def _events_folder(self) -> Path: ...

    def unknown_article_ids(self) -> list[UnknownArticleId]:
        """The article ids named in events.toml (members and excluded) that are no article
        of the library, in file order, each with the file's path and its line; [] when there
        is no events.toml. The file is only read. Whether an id is an article is read from
        the table stored with the events when they are of the index as it is now (a query of
        those ids alone), else by looking each one up in the index. Raises DecisionsError
        for an unreadable or invalid events.toml, IndexUnavailable when there is no index
        to ask."""
        from reader.core.events.listing import decisions_file

        path = decisions_file(self.config)
        if not path.exists():  # most libraries: nothing more is imported or read
            return []
        from reader.core.events.decision_refs import UnknownArticleId, article_refs

        refs = article_refs(path)
        if not refs:
            return []
        present = self._articles_among({r.article_id for r in refs})
        return [UnknownArticleId(path, r) for r in refs if r.article_id not in present]

    def _articles_among(self, wanted: Collection[str]) -> set[str]:
        """Those of ``wanted`` that are articles of the library."""
        from reader.core.events.store_header import header_line, index_stamp
        from reader.core.events.store_scores import SCORES_FILE, stored_ids

        folder = self._events_folder()
        header = header_line(folder)
        if header is not None and header.get("index") == index_stamp(folder):
            found = stored_ids(folder / SCORES_FILE, str(header.get("scores")), wanted)
            if found is not None:
                return found
        # Each looked up: the index's id terms outlive a deletion not yet merged.
        return {i for i in wanted if self.get(i) is not None}

    # The editors: each writes notes_dir/events.toml (atomically, under its lock, comments
    # kept; see reader.core.events.decisions) and nothing else, so the next call of events()
    # applies it. They raise DecisionsError for an unreadable or invalid
    # events.toml (which is then left untouched) and ValueError for a decision that makes no
    # sense (an empty label, a split of every article).

    def confirm_event(self, event: Event) -> None:
        """Mark ``event`` as right: its current articles are pinned under its id."""
        from reader.core.events import decision_edits, decisions

        decision_edits.confirm_event(decisions.decisions_path(self.config), event)

    def rename_event(self, event: Event, label: str) -> None:
        """Give ``event`` the user's label (whitespace collapsed; never empty)."""
        from reader.core.events import decision_edits, decisions

        decision_edits.rename_event(decisions.decisions_path(self.config), event, label)

    def split_event(self, event: Event, article_ids: Sequence[str]) -> str:
        """Move ``article_ids`` (some, not all, of the event's) into a new event; its id."""
        from reader.core.events import decision_edits, decisions

        return decision_edits.split_event(decisions.decisions_path(self.config), event, article_ids)

    def merge_events(self, events: Sequence[Event]) -> str:
        """Merge ``events`` into the first (which keeps its id; its label is its own, else the
        first one the user gave the others); its id."""
        from reader.core.events import decision_edits, decisions

        return decision_edits.merge_events(decisions.decisions_path(self.config), events)

    def move_article(self, article_id: str, source: Event | None, target: Event | None) -> str:
        """Take an article out of ``source`` (which never takes it back) into ``target``, or
        into an event of its own when ``target`` is None; the id of its new event."""
        from reader.core.events import decision_edits, decisions

        path = decisions.decisions_path(self.config)
        return decision_edits.move_article(path, article_id, source, target)
