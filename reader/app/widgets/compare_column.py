"""One column of the compare view: an article's header above its body (see
:mod:`reader.app.widgets.column_view` for the body and what it reports)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical

from reader.app.widgets.column_header import ColumnHeader
from reader.app.widgets.column_view import ColumnView
from reader.core.config import Config
from reader.core.notes.store import NotesStore
from reader.core.sources.article import Article


class CompareColumn(Vertical):
    """A column: its header and the body."""

    DEFAULT_CSS = """
    CompareColumn { width: 1fr; height: 1fr; border-right: solid $panel; }
    CompareColumn > ColumnView { height: 1fr; }
    CompareColumn > ColumnView:focus { background: $boost; }
    """

    def __init__(
        self, config: Config, column: int, article: Article, store: NotesStore, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.column = column
        self.article = article
        self.store = store

    def compose(self) -> ComposeResult:
        header = ColumnHeader(self.config, f"[{self.column + 1}]")
        header.article = self.article
        yield header
        yield ColumnView(self.config, self.column, self.store, id=f"column-{self.column}")

    @property
    def view(self) -> ColumnView:
        """The column's body (the screen shows the article once the column has its width)."""
        return self.query_one(ColumnView)
