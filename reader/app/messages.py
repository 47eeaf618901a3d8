"""The messages the main window's workers post to it (handled as ``on_reader_app_...``)."""

from __future__ import annotations

from textual.message import Message

from reader.core.library import Hit as SearchHit
from reader.core.search.highlight import Matcher
from reader.core.sources.article import Article


class IndexReady(Message, namespace="reader_app"):
    """The index can be searched (``error`` says why not)."""

    def __init__(self, error: str | None = None) -> None:
        super().__init__()
        self.error = error


class IndexBroken(Message, namespace="reader_app"):
    """Reading the open index failed: it is damaged and must be repaired."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class IndexProgress(Message, namespace="reader_app"):
    """How far a build of the index is (``done`` of ``total`` files)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total


class IndexUpdated(Message, namespace="reader_app"):
    """An update of the index ended: its one-line summary, whether anything changed and
    the files it skipped."""

    def __init__(self, summary: str, changed: bool, problems: list[str]) -> None:
        super().__init__()
        self.summary, self.changed, self.problems = summary, changed, problems


class SearchDone(Message, namespace="reader_app"):
    """A search ended: its hits, or ``error`` for a query that cannot run; ``typing``: it was
    a live search while the query was typed."""

    def __init__(
        self,
        query: str,
        hits: list[SearchHit],
        total: int,
        error: str | None,
        exact: bool = True,
        partial: bool = False,
        typing: bool = False,
    ) -> None:
        super().__init__()
        self.query, self.hits, self.total, self.error = query, hits, total, error
        self.exact, self.partial, self.typing = exact, partial, typing


class ArticleLoaded(Message, namespace="reader_app"):
    """An article was read (None: it is no longer in the index), with the query's matcher."""

    def __init__(self, article: Article | None, matcher: Matcher | None) -> None:
        super().__init__()
        self.article, self.matcher = article, matcher
