"""The body of a compare column: an article laid out by the right-to-left engine at the column's
own width.

:class:`ColumnView` is the main window's :class:`ArticleView` (layout, resize, sentence cursor,
mouse selection, note spans) with three more layers of style: the paragraphs aligned to the
passage under the cursor in another column, the comparable facts (conflict, only here, shared)
and the fact of the divergence being looked at. It reports its own scrolling so the screen can
keep aligned passages level, and can be scrolled without reporting (when the screen moves it).

It saves the notes its screen collected (:meth:`ColumnView.save_note`) in a worker that posts
:class:`ColumnView.NoteSaved` or :class:`ColumnView.NoteNotSaved`; those bubble up, so the owner
of the main window's notes panel can show the new note there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import work
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message

from reader.app.styles import verdict_style
from reader.app.widgets.article_view import ArticleView
from reader.core.config import Config
from reader.core.notes.draft import NoteDraft, save_draft
from reader.core.notes.store import NotesFileError, NotesStore
from reader.core.sources.article import Article
from reader.core.text.layout import Span
from reader.core.text.sanitize import one_line

# Facts by status; underlines and foregrounds, so noted passages' backgrounds still show.
FACT_STYLES = {
    "conflict": "bold underline #ff5f5f",
    "differ": "underline #d19a66",
    "only": "underline #e5c07b",
    "shared": "underline #98c379",
}
FOCUS_STYLE = "black on #61afef"
# The counterparts of the passage under the cursor: a tint readable on each kind of theme.
COUNTERPART_DARK = "on #2f3b52"
COUNTERPART_LIGHT = "on #dce6f5"


def note_spans(store: NotesStore, article: Article) -> list[tuple[int, int, str]]:
    """(start, end, style) of the passages of ``article`` that have notes (none when its notes
    file is unreadable: the main window's notes panel says why). Safe in a worker."""
    try:
        notes = store.load(article.id)
    except NotesFileError:
        return []
    return [
        (span[0], span[1], verdict_style(note.verdict))
        for note in notes
        if (span := store.anchor(note, article).span) is not None
    ]


class ColumnView(ArticleView):
    """An article body in a compare column (see the module docstring)."""

    class Scrolled(Message):
        """The user (not the screen) scrolled this column."""

        def __init__(self, view: ColumnView) -> None:
            super().__init__()
            self.view = view

    class CursorMoved(Message):
        """The sentence cursor or the mouse selection of this column moved."""

        def __init__(self, view: ColumnView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, config: Config, column: int, store: NotesStore, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.store = store  # the library's: one store keeps every unsaved note
        self.column = column
        self._quiet = False
        self._counterparts: list[tuple[int, int]] = []
        self._facts: list[tuple[int, int, str]] = []
        self._focus: list[tuple[int, int]] = []

    # ----- what is shown -----

    def show(self, article: Article, matcher: Any = None, top: int | None = None) -> None:
        """Open ``article`` at its top (or ``top``), without reporting the scroll."""
        self._counterparts, self._facts, self._focus = [], [], []
        self._quiet = True
        try:
            super().show(article, matcher, top)
        finally:
            self._quiet = False

    def set_counterparts(self, spans: list[tuple[int, int]]) -> None:
        """Tint these passages: they are aligned to the passage under another column's cursor."""
        if spans != self._counterparts:
            self._counterparts = spans
            self._relayout()

    def set_facts(self, spans: list[tuple[int, int, str]]) -> None:
        """Mark comparable facts: (start, end, status) with status conflict, only or shared."""
        self._facts = spans
        self._relayout()

    def set_focus(self, spans: list[tuple[int, int]]) -> None:
        """Highlight the fact(s) of the divergence being looked at."""
        self._focus = spans
        self._relayout()

    def _spans(self) -> list[Span]:
        dark = self.app.current_theme.dark if self.is_attached else True
        tint = COUNTERPART_DARK if dark else COUNTERPART_LIGHT
        spans = [Span(start, end, tint) for start, end in self._counterparts]
        spans += [Span(s, e, FACT_STYLES.get(status, "underline")) for s, e, status in self._facts]
        spans += super()._spans()
        spans += [Span(start, end, FOCUS_STYLE) for start, end in self._focus]
        return spans

    def _relayout(self) -> None:
        super()._relayout()
        self._pad()

    def on_resize(self, event: Resize) -> None:
        # ArticleView's handler runs too (Textual calls each class's): it lays out on new widths.
        self._pad()

    def _pad(self) -> None:
        """Room below the text for its last paragraph to scroll to the top: a column beside a
        longer article can then always bring its passage level with the other's."""
        if self.text_layout is not None:
            rows = len(self.text_layout.lines) + max(0, self.scrollable_content_region.height - 1)
            if self.virtual_size.height != rows:
                self.virtual_size = Size(self._width, rows)

    # ----- geometry: paragraphs and rows -----

    def paragraph_extent(self, index: int) -> tuple[int, int]:
        """Rows ``[top, bottom)`` of paragraph ``index`` with the gap below it."""
        layout = self.text_layout
        if layout is None or not 0 <= index < layout.paragraph_count:
            return 0, 0
        top = layout.paragraph_top(index)
        following = index + 1 < layout.paragraph_count
        bottom = layout.paragraph_top(index + 1) if following else len(layout.lines)
        return top, max(bottom, top + 1)

    def paragraph_at_row(self, row: int) -> int | None:
        """The paragraph shown on ``row`` (a gap row belongs to the paragraph above it)."""
        layout = self.text_layout
        if layout is None or not len(layout.lines):
            return None
        return layout.paragraph_at(max(0, min(row, len(layout.lines) - 1)))

    def row_of(self, offset: int) -> int | None:
        """The row showing logical ``offset`` (or the nearest drawn character after it)."""
        layout = self.text_layout
        if layout is None or self.article is None:
            return None
        for probe in range(offset, min(len(self.article.body), offset + 200)):
            place = layout.logical_to_visual(probe)
            if place is not None:
                return place[0]
        return None

    # ----- scrolling -----

    def scroll_quietly(self, y: float) -> None:
        """Scroll to row ``y`` without telling the screen (it is the screen that asks)."""
        self._quiet = True
        try:
            self.scroll_to(y=max(0.0, min(y, float(self.max_scroll_y))), animate=False)
        finally:
            self._quiet = False

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self._quiet and round(old_value) != round(new_value):
            self.post_message(self.Scrolled(self))

    def on_article_view_selected(self, event: ArticleView.Selected) -> None:
        event.stop()
        self.post_message(self.CursorMoved(self))

    # ----- notes -----

    class NoteSaved(Message):
        """A note on ``article`` was saved: ``spans`` mark its noted passages now, ``saved``
        says when and where. Bubbles up to whoever shows that article's notes elsewhere."""

        def __init__(self, article: Article, spans: list[tuple[int, int, str]], saved: str) -> None:
            super().__init__()
            self.article, self.spans, self.saved = article, spans, saved

    class NoteNotSaved(Message):
        """A note could not be written (the store kept it in memory and in a rescue file)."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    @work(thread=True, group="compare-notes")
    def save_note(self, article: Article, start: int, end: int, draft: NoteDraft) -> None:
        """Save a note with the draft's fields on ``article.body[start:end]``, in a worker."""
        store = self.store
        try:
            save_draft(store, article, start, end, draft)
        except NotesFileError as exc:
            self.post_message(self.NoteNotSaved(str(exc)))
            return
        spans = note_spans(store, article)
        saved = f"saved {datetime.now():%H:%M:%S} → {store.path_for(article.id)}"
        self.post_message(self.NoteSaved(article, spans, saved))

    def on_column_view_note_saved(self, message: NoteSaved) -> None:
        # Not stopped: it bubbles on to the owner of the main window's notes panel.
        if self.article is not None and self.article.id == message.article.id:
            self.set_note_spans(message.spans)
        self.app.notify(one_line(message.saved), markup=False)

    def on_column_view_note_not_saved(self, message: NoteNotSaved) -> None:
        text = one_line(f"not saved: {message.error} (kept in memory and in a rescue file)")
        self.app.notify(text, severity="error", markup=False)

    # ----- the scrollbar -----

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # The scrollbar takes cells from the text without a Resize event: lay out again.
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        if self.article is not None and self._content_width() != self._width:
            top = self.paragraph_at_row(round(self.scroll_y))
            self._relayout()
            if top is not None and top > 0:  # keep the same paragraph at the top
                self.scroll_quietly(self.paragraph_extent(top)[0])

    def selected_paragraph(self) -> int | None:
        """The paragraph of the sentence cursor or the mouse selection, if any."""
        passage = self.selected_passage()
        if passage is None or self.article is None:
            return None
        return self.article.body.count("\n", 0, passage[0])
