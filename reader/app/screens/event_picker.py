"""Picking one event from a list (the event to merge the compared one with).

Each row shows the event's label (untrusted text: one line, laid out right to left when
Arabic), its number of articles and its id. Returns the chosen event's id, or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.app.actions import bindings
from reader.app.screens.article_picker import first_row, row_room
from reader.app.widgets.bidi_text import BidiText, field_text
from reader.core.config import Config
from reader.core.events.event import Event
from reader.core.text.sanitize import one_line


class EventPicker(ModalScreen[str | None]):
    """Choose an event (Enter) or cancel (Escape)."""

    DEFAULT_CSS = """
    EventPicker { align: center middle; }
    EventPicker #event-picker { width: 90%; max-width: 130; height: 80%; border: thick $accent;
                                background: $surface; padding: 0 1; }
    EventPicker #event-list { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("event_picker")]

    def __init__(self, config: Config, question: str, events: Sequence[Event]) -> None:
        super().__init__()
        self.config = config
        self.question = question
        self.events = list(events)

    def compose(self) -> ComposeResult:
        with Vertical(id="event-picker"):
            yield Label(BidiText(self.question, self.config, style="bold"))
            yield OptionList(*(self._option(e) for e in self.events), id="event-list")

    def _option(self, event: Event) -> Option:
        size = len(event.article_ids)
        prompt = Text(f"{size:3} article{'' if size == 1 else 's'}  ", style="dim")
        room = row_room(self.app.size.width, 4 + len(prompt))  # the list's border and padding
        label = one_line(event.label) or "(no label)"
        prompt.append(first_row(label, self.config, None, min(80, room - 2 - len(event.id))))
        prompt.append(f"  {field_text(event.id, self.config)}", style="dim")
        return Option(prompt, id=event.id)

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.focus()
        if listing.option_count:
            listing.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
