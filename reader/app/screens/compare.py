"""The compare view: an article beside the other coverage of its event, passage by passage.

``c`` on an open article pushes :class:`CompareScreen`. A worker finds the article's event
(:meth:`reader.core.library.Library.events`), or, when it stands alone, asks the user to pick
articles (the most similar ones preselected); then it aligns the articles and lists their
divergences (:mod:`reader.core.events.alignment`), never on the UI thread.

2 to 4 columns, the opened article first ([1], the pivot the alignment pairs the others with).
The columns themselves (:class:`reader.app.widgets.compare_columns.CompareColumns`) keep aligned
passages level while sync is on (``s``), tint the passages aligned to the cursor (``[`` ``]`` or
a click) and scroll to the divergence chosen in the summary; this screen gathers, compares and
passes down what it found.
``a`` writes a note on the selected passage of the focused column. The user's decisions over
the event shown (take out, add, merge, split, rename, confirm) are the actions of its base,
:class:`reader.app.screens.event_decisions.EventDecisionScreen`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Static

from reader.app.actions import bindings
from reader.app.note_dialogs import ask_for_note
from reader.app.screens.article_picker import ArticlePicker, Choice, first_row
from reader.app.screens.event_decisions import EventDecisionScreen
from reader.app.scroll_sync import AlignmentMap
from reader.app.widgets.bidi_text import field_text
from reader.app.widgets.column_view import ColumnView, note_spans
from reader.app.widgets.compare_columns import CompareColumns
from reader.app.widgets.divergences import DivergenceList
from reader.core.config import Config
from reader.core.events.alignment import Alignment
from reader.core.events.coverage import Coverage, coverage_of, summary
from reader.core.events.divergences import STATUSES, Divergence
from reader.core.events.event import Event, event_id
from reader.core.library import Library
from reader.core.sources.article import Article
from reader.core.text.sanitize import one_line

MAX_COLUMNS = 4
_EVENT = "event: "  # before an event's label in the status line
_LABEL_LEAST = 12  # cells of the label the status line shows however narrow the screen


@dataclass(frozen=True, slots=True)
class Comparison:
    """What the worker computed for the columns."""

    alignment: Alignment
    divergences: list[Divergence]
    notes: dict[str, list[tuple[int, int, str]]]  # article id -> note spans with their styles


class CompareScreen(EventDecisionScreen):
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

        def __init__(
            self,
            ids: list[str],
            label: str,
            choices: list[Choice],
            note: str,
            event: Event,
            coverage: Coverage | None = None,
        ) -> None:
            super().__init__()
            self.ids, self.label, self.choices, self.note = ids, label, choices, note
            self.event = event  # the opened article's event (maybe of that article alone)
            self.coverage = coverage  # who reported the event (all of it, not only the columns)

    class Compared(Message):
        def __init__(self, comparison: Comparison) -> None:
            super().__init__()
            self.comparison = comparison

    class Ranked(Message):
        """Every other article of the corpus, most similar first, for the user to pick from."""

        def __init__(self, choices: list[Choice]) -> None:
            super().__init__()
            self.choices = choices

    class Choices(Message):
        """Every other article, most similar first: what add and split pick from."""

        def __init__(self, choices: list[Choice]) -> None:
            super().__init__()
            self.choices = choices

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, config: Config, article: Article, library: Library) -> None:
        super().__init__(config, article, library)  # library: every article compared comes from it
        self.sync = True
        self.label = ""
        self.coverage: Coverage | None = None  # the event's; None: the columns'
        self.articles: list[Article] = []
        self.choices: list[Choice] = []
        self.picked = False  # the columns are articles the user picked, not the event's
        self.summary_shown = False  # the status line is the event's summary (laid out to width)

    def compose(self) -> ComposeResult:
        yield Static(Text("finding the other coverage of this story…"), id="compare-status")
        yield CompareColumns(self.config, self.library.notes, id="compare-columns")
        with Vertical(id="compare-summary"):
            yield Static("", id="summary-title")
            yield DivergenceList(id="divergences")
        yield Footer(compact=True, show_command_palette=False)  # every key fits 80 columns

    def on_mount(self) -> None:
        self._gather()

    def on_resize(self) -> None:
        if self.summary_shown:  # laid out for the old width: the label's room changes
            self._show_status()

    # ----- workers -----

    @work(thread=True, exclusive=True, group="compare-gather")
    def _gather(self) -> None:
        try:
            self.post_message(self._coverage())
            self.check_unknown_ids()  # (an unusable events.toml: told by _coverage)
        except Exception as exc:  # a bad gazetteer or corpus must not take the app down
            self.post_message(self.Failed(f"cannot find the other coverage: {exc}"))

    def _coverage(self) -> Gathered:
        """The other articles of the event (closest first, at most 3), or none (the user
        picks). Reads the pivot's event from those stored with the index (see
        :meth:`Library.event_of`: not every event): no article is profiled but those of the
        pivot's event when it has too many to show, and only the event's articles are read
        (for who reported it). The choices to pick, add or split from are ranked after
        (:meth:`_rank_choices`), from the features stored with the events."""
        from reader.core.events.decisions import DecisionsError

        pivot = self.article
        note = ""
        try:
            event = self.library.event_of(pivot.id)
        except DecisionsError as exc:
            note = f"{exc} (your event decisions are not applied)"
            event = self.library.event_of(pivot.id, decided=False)
        members = [i for i in event.article_ids if i != pivot.id] if event else []
        if len(members) >= MAX_COLUMNS:
            scores = self._event_scores(members)
            members.sort(key=lambda i: (-scores.get(i, 0.0), i))
            few = f"the event has {len(members) + 1} articles; showing the 4 closest (o to pick)"
            note = f"{note}; {few}" if note else few  # a warning about events.toml stays
        label = event.label if event and (members or event.decided) else ""
        coverage = None
        if event and members:
            found = [pivot, *(a for i in members if (a := self.library.get(i)) is not None)]
            coverage = coverage_of(found, self.config.outlets)
        shown = event or Event(event_id([pivot.id]), pivot.title, (pivot.id,))
        return self.Gathered(members[: MAX_COLUMNS - 1], label, [], note, shown, coverage)

    def _event_scores(self, members: list[str]) -> dict[str, float]:
        """The similarity of the pivot to each of ``members`` (articles of its event), over
        those articles alone."""
        from reader.core.events.grouping import Similarity, profile
        from reader.core.names.gazetteer import gazetteer_for

        gazetteer = gazetteer_for(self.config.gazetteer)
        pool = [self.article, *(a for i in members if (a := self.library.get(i)) is not None)]
        similarity = Similarity([profile(a, gazetteer) for a in pool])
        return {a.id: similarity.score(self.article.id, a.id).score for a in pool[1:]}

    def _rank_choices(self) -> list[Choice]:
        """Every other article, most similar to the pivot first, scored from the features
        stored with the events (see :meth:`Library.similarities`) and listed from the fields
        stored with them (see :meth:`Library.article_fields`): no article body is read."""
        scores = self.library.similarities(self.article)
        pivot = self.article.id
        choices = [
            Choice(a.id, a.lang, a.title, a.outlet, scores.get(a.id, 0.0))
            for a in self.library.article_fields()  # in id order
            if a.id != pivot
        ]
        # Most similar first, ties in id order (a stable sort, reversed stably): no key
        # tuple made for each of 50,000 articles.
        choices.sort(key=attrgetter("score"), reverse=True)
        return choices

    @work(thread=True, exclusive=True, group="compare-choices")
    def _rank_in_background(self) -> None:
        try:
            self.post_message(self.Choices(self._rank_choices()))
        except Exception as exc:  # the columns are shown all the same
            self.post_message(self.Failed(f"cannot list the articles: {exc}"))

    @work(thread=True, exclusive=True, group="compare")
    def _compare(self, others: list[str]) -> None:
        from reader.core.events.alignment import align
        from reader.core.events.divergences import find_divergences
        from reader.core.names.gazetteer import gazetteer_for

        articles = [self.article]
        for article_id in others:
            try:
                article = self.library.get(article_id)
            except Exception as exc:  # a damaged index: the main window repairs it
                self.post_message(self.Failed(f"cannot read article {article_id}: {exc}"))
                return
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
        notes = {a.id: note_spans(self.library.notes, a) for a in articles}
        self.post_message(self.Compared(Comparison(alignment, divergences, notes)))

    # ----- what the workers found -----

    def on_compare_screen_failed(self, message: Failed) -> None:
        self._status(message.error)
        self.notify(one_line(message.error), severity="error", markup=False, timeout=10)

    def on_compare_screen_gathered(self, message: Gathered) -> None:
        before = self.event
        self.choices = message.choices
        self.event = message.event
        self.label = f"{_EVENT}{message.label}" if message.label else ""
        self.coverage = message.coverage
        if message.note:
            self.notify(one_line(message.note), severity="warning", markup=False, timeout=8)
        if message.ids:
            self.picked = False  # the event's own articles are shown again
            self._status("aligning the articles…")
            self._compare(message.ids)
            self._rank_in_background()
            return
        if self.articles and self.picked:  # the event of one article, renamed or confirmed:
            self._show_status()  # the articles the user picked stay (no picker again)
            return
        if self.articles and (before is None or len(before.article_ids) < 2):
            # It stood alone already (the picker was offered once, and closed): the columns
            # stay after a decision, no picker again.
            self._status("this article stands alone: o picks articles to compare it with")
            return
        self._status("this article stands alone: pick articles to compare it with")
        self.action_pick()

    async def on_compare_screen_compared(self, message: Compared) -> None:
        comparison = message.comparison
        self.articles = list(comparison.alignment.articles)
        summary = self.query_one(DivergenceList)
        summary.show(comparison.divergences, self.articles)
        counts = {s: sum(d.status == s for d in comparison.divergences) for s in STATUSES}
        title = Text("Divergences  ", style="bold")
        title.append(
            f"{counts['conflict']} conflict(s) · {counts['differ']} differ · "
            f"{counts['only']} in one article only · {counts['shared']} shared   "
            "(n/p step, enter jumps)",
            style="dim",
        )
        self.query_one("#summary-title", Static).update(title)
        columns = self.query_one(CompareColumns)
        await columns.show(comparison.alignment, comparison.divergences, comparison.notes)

    def on_compare_columns_filled(self) -> None:
        self._show_status()

    @property
    def map(self) -> AlignmentMap | None:
        """Which paragraphs of the columns are aligned (None before the first comparison)."""
        return self.query_one(CompareColumns).map

    @on(DivergenceList.Chosen)
    def _chosen(self, event: DivergenceList.Chosen) -> None:
        self.query_one(CompareColumns).jump_to(event.divergence)

    # ----- actions -----

    def action_close(self) -> None:
        self.dismiss(None)

    def action_nothing(self) -> None:
        """Keys of the main window that have no meaning in the compare view."""

    def action_toggle_sync(self) -> None:
        self.sync = not self.sync
        self.query_one(CompareColumns).sync = self.sync
        self._show_status()
        self.notify(f"synchronised scrolling {'on' if self.sync else 'off'}", markup=False)

    def _active_view(self) -> ColumnView | None:
        return self.query_one(CompareColumns).active_view(self.focused)

    def action_move_sentence(self, step: int) -> None:
        view = self._active_view()
        if view is not None:
            view.move_sentence(step)

    def action_word_step(self, visual: int, extend: bool = False) -> None:
        view = self._active_view()
        if view is not None:
            view.word_step(visual, extend)

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
            self.query_one(CompareColumns).jump_to(summary.divergences[index])

    def action_pick(self) -> None:
        if not self.choices:
            self._rank_then_pick()
            return
        current = [a.id for a in self.articles[1:]]

        def done(ids: list[str] | None) -> None:
            if ids:
                if set(ids) != set(current):
                    self.picked = True
                    self.label = "articles you picked"
                    self.coverage = None  # the header counts the columns now
                self._status("aligning the articles…")
                self._compare(ids)
            elif not self.articles:
                self.dismiss(None)  # nothing to compare with: back to the article

        self.app.push_screen(ArticlePicker(self.config, self.article, self.choices, current), done)

    @work(thread=True, exclusive=True, group="compare-gather")
    def _rank_then_pick(self) -> None:
        try:
            choices = self._rank_choices()
        except Exception as exc:
            self.post_message(self.Failed(f"cannot list the articles: {exc}"))
            return
        self.post_message(self.Ranked(choices))

    def on_compare_screen_choices(self, message: Choices) -> None:
        if not self.choices:
            self.choices = message.choices

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
        save = partial(view.save_note, view.article, *passage)
        ask_for_note(self.app, self.config, view.article, passage, save)

    # ----- what the event decisions need -----

    def refresh_event(self) -> None:
        self._status("finding the event again…")
        self._gather()

    def focused_article(self) -> Article | None:
        view = self._active_view()
        return view.article if view is not None else None

    def article_choices(self) -> list[Choice]:
        return self.choices

    def picked_ids(self) -> list[str]:
        return [a.id for a in self.articles] if self.picked else []

    # ----- helpers -----

    def _status(self, text: str | Text) -> None:
        self.summary_shown = False
        self.query_one("#compare-status", Static).update(
            Text(field_text(text, self.config)) if isinstance(text, str) else text
        )

    def _show_status(self) -> None:
        coverage = self.coverage or coverage_of(self.articles, self.config.outlets)
        # The counts after this are of the whole event: so is the number of its articles.
        shown = len(self.articles)
        whole = f"{shown} of {coverage.size}" if coverage.size > shown else f"{shown}"
        status = Text(f"{whole} articles · ")
        rest = Text(summary(coverage))  # outlet names and sides sanitised
        rest.append(f" · sync {'on' if self.sync else 'off'} (s)")
        if self.label:  # an event's label may be the user's, in Arabic: laid out, not printed
            # The label is a paragraph of its own (its direction from its own first letter, as
            # in the rename field), not the tail of an English "event: " line. It gets the
            # room who reported the event leaves (what the header is for), its start always.
            label = self.label.removeprefix(_EVENT)
            status.append(self.label[: len(self.label) - len(label)])
            left = self.app.size.width - status.cell_len - len(" · ") - rest.cell_len - 1
            room = max(_LABEL_LEAST, min(60, left))
            status.append(first_row(one_line(label), self.config, None, room))
            status.append(" · ")
        status.append_text(rest)
        self._status(status)
        self.summary_shown = True
