"""The columns of the compare view, side by side and kept level.

Its screen hands it an alignment (:meth:`CompareColumns.show`) and sets :attr:`CompareColumns.sync`;
it owns the :class:`reader.app.scroll_sync.AlignmentMap` and answers its columns' messages:
with sync on, scrolling one column scrolls the others so that the passages aligned to the
passage at its top stay level; moving the cursor tints the aligned passages in the other
columns; :meth:`CompareColumns.jump_to` scrolls every column to a divergence. It posts
:class:`CompareColumns.Filled` once the bodies are laid out at their width.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget

from reader.app.scroll_sync import AlignmentMap, level_row, paragraph_span
from reader.app.widgets.column_view import ColumnView
from reader.app.widgets.compare_column import CompareColumn
from reader.core.config import Config
from reader.core.events.alignment import Alignment
from reader.core.events.divergences import Divergence
from reader.core.notes.store import NotesStore


class CompareColumns(Horizontal):
    """2 to 4 compare columns, the pivot first (see the module docstring)."""

    class Filled(Message):
        """The columns show their articles, with facts and notes marked."""

    def __init__(self, config: Config, store: NotesStore, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.store = store  # the library's notes
        self.sync = True  # set by the screen: scroll the columns together
        self.map: AlignmentMap | None = None
        self._last_column = 0

    async def show(
        self,
        alignment: Alignment,
        divergences: Sequence[Divergence],
        notes: dict[str, list[tuple[int, int, str]]],
    ) -> None:
        """Replace the columns by one per article of ``alignment``; the bodies are shown once
        the columns have their width, with the facts of ``divergences`` and the ``notes`` spans
        (article id -> (start, end, style)) marked. The pivot column takes the focus."""
        self.map = AlignmentMap(alignment)
        await self.remove_children()
        columns = [
            CompareColumn(self.config, n, a, self.store) for n, a in enumerate(alignment.articles)
        ]
        await self.mount_all(columns)
        self._last_column = 0
        columns[0].view.focus()
        self.call_after_refresh(self._fill, columns, list(divergences), notes)

    def _fill(
        self,
        columns: list[CompareColumn],
        divergences: list[Divergence],
        notes: dict[str, list[tuple[int, int, str]]],
    ) -> None:
        marks: dict[str, list[tuple[int, int, str]]] = {c.article.id: [] for c in columns}
        for divergence in divergences:
            if divergence.kind == "entity":
                continue  # names are everywhere; they are highlighted when chosen
            for ref in divergence.refs:
                marks[ref.article_id].append((ref.start, ref.end, divergence.status))
        for column in columns:
            view = column.view
            view.show(column.article)
            view.set_facts(marks[column.article.id])
            view.set_note_spans(notes.get(column.article.id, []))
        self.post_message(self.Filled())

    def views(self) -> list[ColumnView]:
        """The columns' bodies, in column order."""
        return [column.view for column in self.query(CompareColumn)]

    def active_view(self, focused: Widget | None) -> ColumnView | None:
        """The body the column keys act on: the focused one, else the one last used."""
        if isinstance(focused, ColumnView) and focused in self.views():
            self._last_column = focused.column
            return focused
        views = self.views()
        return views[self._last_column] if 0 <= self._last_column < len(views) else None

    # ----- synchronised scrolling and counterparts -----

    def on_column_view_scrolled(self, message: ColumnView.Scrolled) -> None:
        if self.sync and message.view in self.views():  # not a column just replaced
            self._sync_from(message.view)

    def _sync_from(self, driver: ColumnView, only: Sequence[ColumnView] | None = None) -> None:
        """Scroll the other columns (or ``only`` these) so that the passages aligned to the
        paragraph at the top of ``driver`` are as far into their paragraph as it is into its own."""
        if self.map is None:
            return
        top = round(driver.scroll_y)
        paragraph = driver.paragraph_at_row(top)
        if paragraph is None:
            return
        extent = driver.paragraph_extent(paragraph)
        partners = self.map.partners(driver.column, paragraph)
        for view in self.views():
            found = partners.get(view.column)
            if view is driver or not found or (only is not None and view not in only):
                continue
            extents = [view.paragraph_extent(p) for p in found]
            view.scroll_quietly(level_row(top, extent, extents, view.scroll_y))

    def on_column_view_cursor_moved(self, message: ColumnView.CursorMoved) -> None:
        driver = message.view
        if driver not in self.views():
            return
        self._last_column = driver.column
        paragraph = driver.selected_paragraph()
        if self.map is None or paragraph is None:
            return
        partners = self.map.partners(driver.column, paragraph)
        driver_top = driver.paragraph_extent(paragraph)[0] - round(driver.scroll_y)
        for view in self.views():
            if view is driver:
                view.set_counterparts([])
                continue
            body = view.article.body if view.article is not None else ""
            spans = [paragraph_span(body, p) for p in partners.get(view.column, [])]
            view.set_counterparts(spans)
            if spans and self.sync:  # bring the best counterpart level with the cursor
                top = view.paragraph_extent(partners[view.column][0])[0]
                view.scroll_quietly(top - driver_top)

    def jump_to(self, divergence: Divergence) -> None:
        """Scroll every column that states the fact to it, at the same height, and mark it;
        the sentence cursor of each goes to the sentence stating it, and the first such
        column is the one the column keys act on (``a`` notes the sentence at once)."""
        refs = {ref.article_id: ref for ref in divergence.refs}
        first: ColumnView | None = None
        for view in self.views():
            ref = refs.get(view.article.id) if view.article else None
            view.set_focus([(ref.start, ref.end)] if ref else [])
            row = view.row_of(ref.start) if ref else None
            if ref is not None and row is not None:
                view.cursor_to(ref.start)
                view.scroll_quietly(row - view.scrollable_content_region.height // 3)
                first = first or view
        if first is not None:
            self._last_column = first.column
        if first is not None and self.sync:  # the others follow the first that states it
            rest = [v for v in self.views() if v.article and v.article.id not in refs]
            self._sync_from(first, rest)
