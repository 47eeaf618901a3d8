"""The compare view: an article beside the other coverage of its event, passage by passage.

``c`` on an open article pushes :class:`CompareScreen`. A worker finds the article's event
(:func:`reader.core.events.grouping.load_events`), or, when it stands alone, asks the user to pick
articles (the most similar ones preselected); then it aligns the articles and lists their
divergences (:mod:`reader.core.events.alignment`), never on the UI thread.

2 to 4 columns, the opened article first ([1], the pivot the alignment pairs the others with).
With sync on (``s``), scrolling one column scrolls the others so that the passages aligned to
the passage at its top stay level; moving the cursor (``[`` ``]`` or a click) tints the aligned
passages in the other columns; choosing a divergence in the summary scrolls every column to it.
``a`` writes a note on the selected passage of the focused column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from reader.app.actions import bindings
from reader.app.screens.article_picker import ArticlePicker, Choice, first_row, rank_choices
from reader.app.screens.note_editor import NoteEditor
from reader.app.scroll_sync import AlignmentMap, level_row, paragraph_span
from reader.app.widgets.column_view import ColumnView, note_spans
from reader.app.widgets.compare_column import CompareColumn
from reader.app.widgets.divergences import DivergenceList
from reader.core.config import Config
from reader.core.events.alignment import Alignment, Divergence
from reader.core.notes.draft import NoteDraft
from reader.core.sources.article import Article
from reader.core.text.sanitize import one_line

MAX_COLUMNS = 4


@dataclass(frozen=True, slots=True)
class Comparison:
    """What the worker computed for the columns."""

    alignment: Alignment
    divergences: list[Divergence]
    notes: dict[str, list[tuple[int, int, str]]]  # article id -> note spans with their styles


class CompareScreen(Screen[None]):
    """Side-by-side comparison of an article with other coverage of its event."""

    DEFAULT_CSS = """
    CompareScreen #compare-status { height: 1; padding: 0 1; background: $panel; }
    CompareScreen #compare-columns { height: 1fr; }
    CompareScreen #compare-summary { height: 11; border-top: solid $panel; }
    CompareScreen #summary-title { height: 1; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("compare")]

    class Gathered(Message):
        """The articles to compare were found (or, with ``choices``, the user must pick)."""

        def __init__(self, ids: list[str], label: str, choices: list[Choice], note: str) -> None:
            super().__init__()
            self.ids, self.label, self.choices, self.note = ids, label, choices, note

    class Compared(Message):
        def __init__(self, comparison: Comparison) -> None:
            super().__init__()
            self.comparison = comparison

    class Ranked(Message):
        """Every other article of the corpus, most similar first, for the user to pick from."""

        def __init__(self, choices: list[Choice]) -> None:
            super().__init__()
            self.choices = choices

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, config: Config, article: Article) -> None:
        super().__init__()
        self.config = config
        self.article = article
        self.sync = True
        self.label = ""
        self.articles: list[Article] = []
        self.map: AlignmentMap | None = None
        self.choices: list[Choice] = []
        self._last_column = 0

    def compose(self) -> ComposeResult:
        yield Static(Text("finding the other coverage of this story…"), id="compare-status")
        yield Horizontal(id="compare-columns")
        with Vertical(id="compare-summary"):
            yield Static("", id="summary-title")
            yield DivergenceList(id="divergences")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self._gather()

    # ----- workers -----

    @work(thread=True, exclusive=True, group="compare-gather")
    def _gather(self) -> None:
        try:
            self.post_message(self._coverage())
        except Exception as exc:  # a bad gazetteer or corpus must not take the app down
            self.post_message(self.Failed(f"cannot find the other coverage: {exc}"))

    def _coverage(self) -> Gathered:
        """The other articles of the event (closest first, at most 3), or choices to pick from."""
        from reader.core.events.decisions import DecisionsError
        from reader.core.events.grouping import group_events, load_events
        from reader.core.library import Library
        from reader.core.names.gazetteer import gazetteer_for

        pivot = self.article
        gazetteer = gazetteer_for(self.config.gazetteer)
        pool = {a.id: a for a in Library(self.config).articles()}
        pool[pivot.id] = pivot
        threshold = self.config.event_threshold
        note = ""
        try:
            events = load_events(self.config, pool.values(), gazetteer, threshold=threshold)
        except DecisionsError as exc:
            note = f"{exc} (your event decisions are not applied)"
            events = group_events(list(pool.values()), gazetteer, threshold=threshold)
        event = next((e for e in events if pivot.id in e.article_ids), None)
        members = [i for i in event.article_ids if i != pivot.id] if event else []
        ranked = not members or len(members) >= MAX_COLUMNS  # the user picks, or we must
        choices = rank_choices(pivot, list(pool.values()), gazetteer) if ranked else []
        if len(members) >= MAX_COLUMNS:
            rank = {c.article_id: n for n, c in enumerate(choices)}
            members.sort(key=lambda i: rank.get(i, len(rank)))
            note = f"the event has {len(members) + 1} articles; showing the 4 closest (o to pick)"
        label = event.label if event and members else ""
        return self.Gathered(members[: MAX_COLUMNS - 1], label, choices, note)

    @work(thread=True, exclusive=True, group="compare")
    def _compare(self, others: list[str]) -> None:
        from reader.core.events.alignment import align, find_divergences
        from reader.core.names.gazetteer import gazetteer_for

        articles = [self.article]
        for article_id in others:
            article = self._fetch(article_id)
            if article is None:
                self.post_message(self.Failed(f"article {article_id} is no longer in the corpus"))
                return
            articles.append(article)
        try:
            gazetteer = gazetteer_for(self.config.gazetteer)
            alignment = align(articles, gazetteer, threshold=self.config.align_threshold)
            divergences = find_divergences(articles, gazetteer)
        except Exception as exc:  # whatever the articles hold, the app keeps running
            self.post_message(self.Failed(f"cannot compare these articles: {exc}"))
            return
        notes = {a.id: note_spans(self.config, a) for a in articles}
        self.post_message(self.Compared(Comparison(alignment, divergences, notes)))

    def _fetch(self, article_id: str) -> Article | None:
        """An article as the main window shows it: from the index when it is open."""
        searcher, lock = (
            getattr(self.app, "searcher", None),
            getattr(self.app, "_search_lock", None),
        )
        if searcher is not None and lock is not None:
            with lock:
                found = searcher.article(article_id)
            if isinstance(found, Article):
                return found
        from reader.core.library import Library

        return Library(self.config).article(article_id)

    # ----- what the workers found -----

    def on_compare_screen_failed(self, message: Failed) -> None:
        self._status(message.error)
        self.notify(one_line(message.error), severity="error", markup=False, timeout=10)

    def on_compare_screen_gathered(self, message: Gathered) -> None:
        self.choices = message.choices
        self.label = f"event: {message.label}" if message.label else ""
        if message.note:
            self.notify(one_line(message.note), severity="warning", markup=False, timeout=8)
        if message.ids:
            self._status("aligning the articles…")
            self._compare(message.ids)
            return
        self._status("this article stands alone: pick articles to compare it with")
        self.action_pick()

    async def on_compare_screen_compared(self, message: Compared) -> None:
        comparison = message.comparison
        self.articles = list(comparison.alignment.articles)
        self.map = AlignmentMap(comparison.alignment)
        holder = self.query_one("#compare-columns", Horizontal)
        await holder.remove_children()
        columns = [CompareColumn(self.config, n, a) for n, a in enumerate(self.articles)]
        await holder.mount_all(columns)
        summary = self.query_one(DivergenceList)
        summary.show(comparison.divergences, self.articles)
        counts = {s: sum(d.status == s for d in comparison.divergences) for s in _STATUSES}
        title = Text("Divergences  ", style="bold")
        title.append(
            f"{counts['conflict']} conflict(s) · {counts['only']} in one article only · "
            f"{counts['shared']} shared   (n/p step, enter jumps)",
            style="dim",
        )
        self.query_one("#summary-title", Static).update(title)
        self._last_column = 0
        columns[0].view.focus()
        self.call_after_refresh(self._fill, columns, comparison)

    def _fill(self, columns: list[CompareColumn], comparison: Comparison) -> None:
        """Show the bodies once the columns have their width, with facts and notes marked."""
        marks: dict[str, list[tuple[int, int, str]]] = {a.id: [] for a in self.articles}
        for divergence in comparison.divergences:
            if divergence.kind == "entity":
                continue  # names are everywhere; they are highlighted when chosen
            for ref in divergence.refs:
                marks[ref.article_id].append((ref.start, ref.end, divergence.status))
        for column in columns:
            view = column.view
            view.show(column.article)
            view.set_facts(marks[column.article.id])
            view.set_note_spans(comparison.notes.get(column.article.id, []))
        self._show_status()

    # ----- synchronised scrolling and counterparts -----

    def on_column_view_scrolled(self, message: ColumnView.Scrolled) -> None:
        if self.sync and message.view in self._views():  # not a column just replaced
            self._sync_from(message.view)

    def _views(self) -> list[ColumnView]:
        return [column.view for column in self.query(CompareColumn)]

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
        for view in self._views():
            found = partners.get(view.column)
            if view is driver or not found or (only is not None and view not in only):
                continue
            extents = [view.paragraph_extent(p) for p in found]
            view.scroll_quietly(level_row(top, extent, extents, view.scroll_y))

    def on_column_view_cursor_moved(self, message: ColumnView.CursorMoved) -> None:
        driver = message.view
        if driver not in self._views():
            return
        self._last_column = driver.column
        paragraph = driver.selected_paragraph()
        if self.map is None or paragraph is None:
            return
        partners = self.map.partners(driver.column, paragraph)
        driver_top = driver.paragraph_extent(paragraph)[0] - round(driver.scroll_y)
        for view in self._views():
            if view is driver:
                view.set_counterparts([])
                continue
            body = view.article.body if view.article is not None else ""
            spans = [paragraph_span(body, p) for p in partners.get(view.column, [])]
            view.set_counterparts(spans)
            if spans and self.sync:  # bring the best counterpart level with the cursor
                top = view.paragraph_extent(partners[view.column][0])[0]
                view.scroll_quietly(top - driver_top)

    def _jump_to(self, divergence: Divergence) -> None:
        """Scroll every column that states the fact to it, at the same height, and mark it."""
        refs = {ref.article_id: ref for ref in divergence.refs}
        first: ColumnView | None = None
        for view in self._views():
            ref = refs.get(view.article.id) if view.article else None
            view.set_focus([(ref.start, ref.end)] if ref else [])
            row = view.row_of(ref.start) if ref else None
            if row is not None:
                view.scroll_quietly(row - view.scrollable_content_region.height // 3)
                first = first or view
        if first is not None and self.sync:  # the others follow the first that states it
            rest = [v for v in self._views() if v.article and v.article.id not in refs]
            self._sync_from(first, rest)

    @on(DivergenceList.Chosen)
    def _chosen(self, event: DivergenceList.Chosen) -> None:
        self._jump_to(event.divergence)

    # ----- actions -----

    def action_close(self) -> None:
        self.dismiss(None)

    def action_nothing(self) -> None:
        """Keys of the main window that have no meaning in the compare view."""

    def action_toggle_sync(self) -> None:
        self.sync = not self.sync
        self._show_status()
        self.notify(f"synchronised scrolling {'on' if self.sync else 'off'}", markup=False)

    def _active_view(self) -> ColumnView | None:
        focused = self.focused
        if isinstance(focused, ColumnView):
            self._last_column = focused.column
            return focused
        views = self._views()
        return views[self._last_column] if 0 <= self._last_column < len(views) else None

    def action_move_sentence(self, step: int) -> None:
        view = self._active_view()
        if view is not None:
            view.move_sentence(step)

    def action_scroll_article(self, lines: int) -> None:
        view = self._active_view()
        if view is not None:
            view.scroll_relative(y=lines, animate=False)

    def action_divergence(self, step: int) -> None:
        self.query_one(DivergenceList).step(step)

    def action_jump(self) -> None:
        summary = self.query_one(DivergenceList)
        index = summary.highlighted
        if index is None:
            summary.step(1)
        elif 0 <= index < len(summary.divergences):
            self._jump_to(summary.divergences[index])

    def action_pick(self) -> None:
        if not self.choices:
            self._rank_then_pick()
            return
        current = [a.id for a in self.articles[1:]]

        def done(ids: list[str] | None) -> None:
            if ids:
                if set(ids) != set(current):
                    self.label = "articles you picked"
                self._status("aligning the articles…")
                self._compare(ids)
            elif not self.articles:
                self.dismiss(None)  # nothing to compare with: back to the article

        self.app.push_screen(ArticlePicker(self.config, self.article, self.choices, current), done)

    @work(thread=True, exclusive=True, group="compare-gather")
    def _rank_then_pick(self) -> None:
        from reader.core.library import Library
        from reader.core.names.gazetteer import gazetteer_for

        try:
            pool = {a.id: a for a in Library(self.config).articles()}
            pool[self.article.id] = self.article
            gazetteer = gazetteer_for(self.config.gazetteer)
            choices = rank_choices(self.article, list(pool.values()), gazetteer)
        except Exception as exc:
            self.post_message(self.Failed(f"cannot list the articles: {exc}"))
            return
        self.post_message(self.Ranked(choices))

    def on_compare_screen_ranked(self, message: Ranked) -> None:
        choices = self.choices = message.choices
        if choices:
            self.action_pick()
        else:
            self.notify(
                "the corpus holds no other article to compare with",
                severity="warning",
                markup=False,
            )

    def action_annotate(self) -> None:
        view = self._active_view()
        passage = view.selected_passage() if view is not None else None
        if view is None or view.article is None or passage is None:
            self.notify("select a passage in a column first ([ ] or the mouse)", markup=False)
            return
        article, (start, end) = view.article, passage

        def done(draft: NoteDraft | None) -> None:
            if draft is not None:
                view.save_note(article, start, end, draft)

        self.app.push_screen(NoteEditor(self.config, article.body[start:end], article.lang), done)

    # ----- helpers -----

    def _status(self, text: str | Text) -> None:
        self.query_one("#compare-status", Static).update(
            Text(one_line(text)) if isinstance(text, str) else text
        )

    def _show_status(self) -> None:
        status = Text(f"{len(self.articles)} articles · ")
        if self.label:  # an event's label may be the user's, in Arabic: laid out, not printed
            status.append(first_row(self.label, self.config, None, 90))
            status.append(" · ")
        status.append(f"sync {'on' if self.sync else 'off'} (s)")
        self._status(status)


_STATUSES = ("conflict", "only", "shared")
