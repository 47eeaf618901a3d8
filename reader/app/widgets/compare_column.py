"""One column of the compare view: an article's header above its body, laid out by the
right-to-left engine at the column's own width.

:class:`ColumnView` is the main window's :class:`ArticleView` (layout, resize, sentence cursor,
mouse selection, note spans) with three more layers of style: the paragraphs aligned to the
passage under the cursor in another column, the comparable facts (conflict, only here, shared)
and the fact of the divergence being looked at. It reports its own scrolling so the screen can
keep aligned passages level, and can be scrolled without reporting (when the screen moves it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message

from reader.app.screens.note_editor import NoteDraft, NoteEditor, save_draft
from reader.app.widgets.article_view import ArticleView
from reader.app.widgets.bidi_text import BidiText
from reader.app.widgets.header import LANGUAGE_NAMES, ArticleHeader, warning_text
from reader.app.widgets.notes_panel import NotesPanel, verdict_style
from reader.core.config import Config
from reader.core.events.alignment import Alignment
from reader.core.notes.store import NotesFileError, NotesStore
from reader.core.sources.article import Article
from reader.core.text.layout import Span
from reader.core.text.sanitize import one_line


class AlignmentMap:
    """Which paragraphs of the other columns are aligned to a paragraph of one column.

    Column 0 is the pivot: each of its paragraphs has at most one partner per other column.
    A paragraph of another column may be the partner of several pivot paragraphs (best score
    first), so it may have several partners in the pivot and in the other columns.
    """

    def __init__(self, alignment: Alignment) -> None:
        self.rows = alignment.rows
        self.columns = len(alignment.articles)

    def partners(self, column: int, paragraph: int) -> dict[int, list[int]]:
        """Column -> aligned paragraphs (best first), the column itself included; {} if none."""
        if not 0 <= column < self.columns:
            return {}
        if column == 0:
            if not 0 <= paragraph < len(self.rows):
                return {}
            row = self.rows[paragraph]
            found = {k: [m.passage.index] for k, m in enumerate(row.matches, 1) if m is not None}
            return {0: [paragraph], **found} if found else {}
        pivots = [
            row
            for row in self.rows
            if (m := row.matches[column - 1]) is not None and m.passage.index == paragraph
        ]
        pivots.sort(key=lambda row: -(row.matches[column - 1].score))  # type: ignore[union-attr]
        if not pivots:
            return {}
        result = {column: [paragraph], 0: [row.pivot.index for row in pivots]}
        for other in range(1, self.columns):
            if other != column:
                seen = [m.passage.index for row in pivots if (m := row.matches[other - 1])]
                if seen:
                    result[other] = list(dict.fromkeys(seen))
        return result


# Facts by status; underlines and foregrounds, so noted passages' backgrounds still show.
FACT_STYLES = {
    "conflict": "bold underline #ff5f5f",
    "only": "underline #e5c07b",
    "shared": "underline #98c379",
}
FOCUS_STYLE = "bold black on #61afef"
# The counterparts of the passage under the cursor: a tint readable on each kind of theme.
COUNTERPART_DARK = "on #2f3b52"
COUNTERPART_LIGHT = "on #dce6f5"


def note_spans(config: Config, article: Article) -> list[tuple[int, int, str]]:
    """(start, end, style) of the passages of ``article`` that have notes (none when its notes
    file is unreadable: the main window's notes panel says why). Safe in a worker."""
    store = NotesStore(config)
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

    def __init__(self, config: Config, column: int, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.column = column
        self._quiet = False
        self._counterparts: list[tuple[int, int]] = []
        self._facts: list[tuple[int, int, str]] = []
        self._focus: list[tuple[int, int]] = []

    # ----- what is shown -----

    def show(self, article: Article, matcher: Any = None) -> None:
        """Open ``article`` at its top, without reporting the scroll."""
        self._counterparts, self._facts, self._focus = [], [], []
        self._quiet = True
        try:
            super().show(article, matcher)
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

    def annotate(self) -> bool:
        """Ask for a note on the selected passage and save it (False: nothing is selected)."""
        passage, article = self.selected_passage(), self.article
        if passage is None or article is None:
            return False
        start, end = passage

        def done(draft: NoteDraft | None) -> None:
            if draft is not None:
                self._save_note(article, start, end, draft)

        editor = NoteEditor(self.config, article.body[start:end], article.lang)
        self.app.push_screen(editor, done)
        return True

    @work(thread=True, group="compare-notes")
    def _save_note(self, article: Article, start: int, end: int, draft: NoteDraft) -> None:
        store = NotesStore(self.config)
        try:
            save_draft(store, article, start, end, draft)
        except NotesFileError as exc:
            message = one_line(f"not saved: {exc} (kept in memory and in a rescue file)")
            self.app.call_from_thread(self.app.notify, message, severity="error", markup=False)
            return
        spans = note_spans(self.config, article)
        saved = f"saved {datetime.now():%H:%M:%S} → {store.path_for(article.id)}"
        self.app.call_from_thread(self._note_saved, article, spans, saved)

    def _note_saved(self, article: Article, spans: list[tuple[int, int, str]], saved: str) -> None:
        if self.article is not None and self.article.id == article.id:
            self.set_note_spans(spans)
        self.app.notify(one_line(saved), markup=False)
        for panel in self.app.screen_stack[0].query(NotesPanel):  # the main window's panel
            if panel.article is not None and panel.article.id == article.id:
                panel.show_article(panel.article)

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


class ColumnHeader(ArticleHeader):
    """The main window's header, compact and of one height in every column (so the bodies start
    on the same row and aligned passages can be level): the column's number, language, date,
    outlet and id on one row, the title on at most two, then the warning badge if any."""

    DEFAULT_CSS = """
    ColumnHeader { height: 5; border-bottom: solid $panel; }
    """

    def __init__(self, config: Config, tag: str, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.tag = tag

    def render(self) -> RenderableType:
        article = self.article
        if article is None:
            return Text("")
        meta = Text(self.tag + " ", style="bold")
        meta.append(
            " · ".join(
                (  # the language first: narrow columns cut the end of the row
                    LANGUAGE_NAMES.get(article.lang, article.lang),
                    article.published.isoformat() if article.published else "undated",
                    one_line(article.outlet) or "unknown outlet",
                    one_line(article.id),
                )
            ),
            style="dim",
        )
        meta.no_wrap, meta.overflow = True, "ellipsis"
        title = BidiText(
            one_line(article.title), self.config, style="bold", lang=article.lang, max_lines=2
        )
        parts: list[RenderableType] = [meta, title]
        warning = warning_text(article)
        if warning:
            parts.append(Text(warning, style="bold black on yellow", no_wrap=True))
        return Group(*parts)


class CompareColumn(Vertical):
    """A column: its header and the body."""

    DEFAULT_CSS = """
    CompareColumn { width: 1fr; height: 1fr; border-right: solid $panel; }
    CompareColumn > ColumnView { height: 1fr; }
    CompareColumn > ColumnView:focus { background: $boost; }
    """

    def __init__(self, config: Config, column: int, article: Article, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.column = column
        self.article = article

    def compose(self) -> ComposeResult:
        header = ColumnHeader(self.config, f"[{self.column + 1}]")
        header.article = self.article
        yield header
        yield ColumnView(self.config, self.column, id=f"column-{self.column}")

    @property
    def view(self) -> ColumnView:
        """The column's body (the screen shows the article once the column has its width)."""
        return self.query_one(ColumnView)
