"""The user's say over the event shown, from inside the app: the compare view's event commands.

:class:`EventDecisionScreen` is the base of the compare view. Its actions (each in the action
table, :mod:`reader.app.actions`, so in the bindings, the palette and the help) take the focused
column's article out of the event, add articles to it (the article picker), merge it with
another event (a list of events), split the ticked articles into a new event, rename it (a
one-line dialog) and confirm it. Each decision is saved by a worker through the
:class:`reader.core.library.Library` (which writes ``events.toml``, see
:mod:`reader.core.events.decisions`); the worker posts :class:`EventDecisionScreen.Decided` and
the screen then finds its event again (:meth:`refresh_event`), or posts
:class:`EventDecisionScreen.Refused` with a one-line error (an unreadable ``events.toml`` is named
with its line and left as it was). A label that could not be saved is kept and offered again.
Whenever it shows events (the event of the view, the events to merge with), the ids
``events.toml`` names that are no article of the library are told in one warning, once for
each set of them (:meth:`EventDecisionScreen.check_unknown_ids`; the file is left as it is).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from textual import work
from textual.message import Message
from textual.screen import Screen

from reader.app.screens.article_picker import ArticlePicker, Choice
from reader.app.screens.event_picker import EventPicker
from reader.app.screens.label_dialog import LabelDialog
from reader.core.config import Config
from reader.core.events.event import Event
from reader.core.library import Library
from reader.core.sources.article import Article
from reader.core.text.sanitize import one_line

if TYPE_CHECKING:
    from reader.core.events.decision_refs import UnknownArticleId

Decision = Callable[[Library], str]
"""A decision run in a worker; it returns what to tell the user once saved."""

# The unknown ids last told of, by library (one per app): told again only when they change,
# not each time an event is shown.
_TOLD: WeakKeyDictionary[Library, frozenset[UnknownArticleId]] = WeakKeyDictionary()


class EventDecisionScreen(Screen[None]):
    """A screen showing one event (``event``, None until found) of ``article``."""

    class Decided(Message):
        """A decision was saved: ``done`` says which."""

        def __init__(self, done: str) -> None:
            super().__init__()
            self.done = done

    class Refused(Message):
        """A decision could not be saved: ``error`` (one line) says why."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    class EventsListed(Message):
        """The events to merge the shown one with, for the user to pick from."""

        def __init__(self, events: list[Event]) -> None:
            super().__init__()
            self.events = events

    class UnknownIds(Message):
        """The ids events.toml names that are no article of the library (maybe none)."""

        def __init__(self, found: list[UnknownArticleId]) -> None:
            super().__init__()
            self.found = found

    def __init__(self, config: Config, article: Article, library: Library) -> None:
        super().__init__()
        self.config = config
        self.article = article
        self.library = library
        self.event: Event | None = None
        self.unsaved_label = ""  # a label typed but not saved: offered again, never lost
        self.kept_label = ""  # the unsaved label last kept in a file (keep_unsaved_label)
        self.next_pivot: Article | None = None  # shown once the decision in flight is saved

    # ----- what the host screen provides -----

    def refresh_event(self) -> None:
        """Find the event again and show it (after a decision was saved)."""

    def focused_article(self) -> Article | None:
        """The article the user points at (the focused column's)."""
        return self.article

    def article_choices(self) -> list[Choice]:
        """Every other article, most similar first, for the picker ([] when not known yet)."""
        return []

    def picked_ids(self) -> list[str]:
        """The articles shown because the user picked them rather than the event ([] when
        the event's own articles are shown)."""
        return []

    def _joining(self, event: Event) -> list[str]:
        """The picked articles that naming or confirming ``event`` brings into it: those
        shown beside an article that stands alone (the user names what is on the screen);
        none beside an event of several articles (that event is what gets the name)."""
        if len(event.article_ids) > 1:
            return []
        return [i for i in self.picked_ids() if i not in event.article_ids]

    # ----- the workers -----

    def check_unknown_ids(self) -> None:
        """From a worker, while events are being shown: find the ids events.toml names that
        are no article of the library and post them (:class:`UnknownIds`). Says nothing
        when they cannot be found (an events.toml that became unusable is reported where
        the events are read)."""
        try:
            found = self.library.unknown_article_ids()
        except Exception:  # whatever the file or index holds, the events are shown
            return
        self.post_message(self.UnknownIds(found))

    def on_event_decision_screen_unknown_ids(self, message: UnknownIds) -> None:
        found = frozenset(message.found)
        if _TOLD.get(self.library) == found:
            return  # told already (the view shown again, another event, a refresh)
        _TOLD[self.library] = found
        if found:
            from reader.core.events.decision_refs import unknown_summary

            text = unknown_summary(message.found)
            self.notify(one_line(text), severity="warning", markup=False, timeout=12)

    @work(thread=True, group="event-decision")  # not exclusive: no decision is dropped
    def _decide(self, decision: Decision) -> None:
        try:
            done = decision(self.library)
        except Exception as exc:  # an unreadable events.toml, a full disk, a damaged index...:
            self.post_message(self.Refused(not_saved(exc)))  # reported, the app keeps running
            return
        self.post_message(self.Decided(done))

    @work(thread=True, exclusive=True, group="event-decision")
    def _list_events(self) -> None:
        try:
            events = self.library.events()
        except Exception as exc:
            self.post_message(self.Refused(f"cannot list the events: {exc}"))
            return
        self.check_unknown_ids()
        shown = self.event
        others = [e for e in events if shown is None or e.id != shown.id]
        others.sort(key=lambda e: (-len(e.article_ids), e.label, e.id))
        self.post_message(self.EventsListed(others))

    def on_event_decision_screen_decided(self, message: Decided) -> None:
        self.unsaved_label = ""  # saved, if a label was typed
        self.notify(one_line(message.done), markup=False)
        if self.next_pivot is not None:  # the article shown was taken out: its event stays shown
            self.article, self.next_pivot = self.next_pivot, None
        self.refresh_event()

    def on_event_decision_screen_refused(self, message: Refused) -> None:
        self.next_pivot = None
        error = message.error
        label = self.unsaved_label
        if label and label != self.kept_label and self.event is not None:
            # Held by this screen, offered again; kept in a file too, so leaving the app
            # never loses it.
            from reader.core.events.decisions import keep_unsaved_label

            try:
                kept = keep_unsaved_label(
                    self.config, self.event.id, self.event.label, label, error
                )
            except OSError:
                pass
            else:
                self.kept_label = label
                error += f"; the label typed is kept in {kept}"
        self.notify(one_line(error), severity="error", markup=False, timeout=12)

    def on_event_decision_screen_events_listed(self, message: EventsListed) -> None:
        shown = self.event
        if shown is None:
            return
        if not message.events:
            self.notify("there is no other event to merge with", markup=False)
            return

        def chosen(event_id: str | None) -> None:
            other = next((e for e in message.events if e.id == event_id), None)
            if other is not None:
                self._decide(lambda library: f"merged into {library.merge_events([shown, other])}")

        question = "Merge this event with…"
        self.app.push_screen(EventPicker(self.config, question, message.events), chosen)

    # ----- the actions -----

    def _shown(self) -> Event | None:
        if self.event is None:
            self.notify("the event is still being found", markup=False)
        return self.event

    def action_event_confirm(self) -> None:
        event = self._shown()
        if event is not None:
            joining = self._joining(event)

            def confirm(library: Library) -> str:
                target = _grown(library, event, joining)
                library.confirm_event(target)
                return f"event confirmed: {len(target.article_ids)} articles pinned"

            self._decide(confirm)

    def action_event_rename(self) -> None:
        event = self._shown()
        if event is None:
            return

        def renamed(label: str | None) -> None:
            if label is None:
                return
            self.unsaved_label = label  # until the worker says it was saved
            joining = self._joining(event)

            def rename(library: Library) -> str:
                target = _grown(library, event, joining)
                library.rename_event(target, label)
                if joining:
                    return f"event renamed: the {len(target.article_ids)} articles shown"
                return "event renamed"

            self._decide(rename)

        # A label typed for a file that cannot take it would be typed in vain: the file is
        # read first, and a problem with it said before the dialog opens.
        from reader.core.events.decisions import decisions_path, load_decisions

        try:
            load_decisions(decisions_path(self.config))
        except Exception as exc:  # DecisionsError (path, line, key), OSError
            self.notify(one_line(not_saved(exc)), severity="error", markup=False, timeout=12)
            return
        value = self.unsaved_label or event.label
        self.app.push_screen(LabelDialog("Rename the event", value), renamed)

    def action_event_remove(self) -> None:
        event, article = self._shown(), self.focused_article()
        if event is None or article is None:
            return
        if article.id not in event.article_ids or len(event.article_ids) < 2:
            self.notify("this article is alone in its event already", markup=False)
            return

        def remove(library: Library) -> str:
            library.move_article(article.id, event, None)
            return f"{article.id} taken out of the event"

        remaining = [i for i in event.article_ids if i != article.id]
        if article.id == self.article.id and len(remaining) > 1:
            # The article the view was opened on leaves an event of several: the view goes on
            # showing that event (from another of its articles), not the article alone.
            self.next_pivot = self.library.get(remaining[0])
        self._decide(remove)

    def action_event_add(self) -> None:
        event = self._shown()
        if event is None:
            return
        choices = [c for c in self.article_choices() if c.article_id not in event.article_ids]
        if not choices:
            self.notify("no article to add (or the list is still being made)", markup=False)
            return

        def picked(ids: list[str] | None) -> None:
            if ids:
                self._decide(lambda library: _add(library, event, ids))

        picker = ArticlePicker(
            self.config, self.article, choices, None, heading="Add to this event…", verb="Add"
        )
        self.app.push_screen(picker, picked)

    def action_event_merge(self) -> None:
        if self._shown() is not None:
            self._list_events()

    def action_event_split(self) -> None:
        event = self._shown()
        if event is None:
            return
        members = [c for c in self.article_choices() if c.article_id in event.article_ids]
        if len(event.article_ids) < 2 or not members:
            self.notify("an event of one article cannot be split", markup=False)
            return

        def picked(ids: list[str] | None) -> None:
            if ids:
                self._decide(lambda library: f"split off as {library.split_event(event, ids)}")

        heading = "Split off into a new event…"
        picker = ArticlePicker(
            self.config, self.article, members, None, heading=heading, verb="Split"
        )
        self.app.push_screen(picker, picked)


def _add(library: Library, event: Event, ids: list[str]) -> str:
    """Move each article of ``ids`` out of its own event into ``event``."""
    _grown(library, event, ids)
    return f"{len(ids)} article(s) added to the event"


def _grown(library: Library, event: Event, ids: list[str]) -> Event:
    """``event`` once each article of ``ids`` is moved out of its own event into it (as
    saved; ``event`` itself when ``ids`` is empty)."""
    if not ids:
        return event
    events = library.events()
    target = next((e for e in events if e.id == event.id), event)
    for article_id in ids:
        source = next((e for e in events if article_id in e.article_ids), None)
        library.move_article(article_id, source, target)
        target = Event(target.id, target.label, (*target.article_ids, article_id))
    return target


def not_saved(error: BaseException) -> str:
    """The one line a refused decision is reported with: an OSError as its path and its
    reason ("not saved: /notes/events.toml: the file is read-only", not "[Errno 13] ...")."""
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"not saved: {where}{error.strerror}"
    return f"not saved: {error}"
