"""The Whoosh implementation of :class:`reader.core.search.backend.SearchIndex`: the existing
:class:`reader.core.search.searcher.Searcher`, unchanged, with the article count added."""

from __future__ import annotations

from reader.core.search.searcher import Searcher


class WhooshIndex(Searcher):
    """A :class:`Searcher` (every behaviour its own) that also counts its articles."""

    def count(self) -> int:
        """How many articles the open index holds."""
        return int(self._searcher.doc_count())
