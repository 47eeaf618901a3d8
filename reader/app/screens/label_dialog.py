"""A one-line text question in a modal: the new label of an event.

Returns the text typed (Enter or the button) or None (Escape). What the user typed is handed
back as typed; the caller cleans it and keeps it when it cannot be saved.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from reader.app.actions import bindings
from reader.app.widgets.bidi_input import BidiInput
from reader.app.widgets.bidi_text import BidiText

MAX_LABEL = 300  # characters an event's label may have when typed here


class LabelDialog(ModalScreen[str | None]):
    """Ask for a line of text, ``value`` typed in already."""

    DEFAULT_CSS = """
    LabelDialog { align: center middle; }
    LabelDialog #label-dialog { width: 80%; max-width: 100; height: auto; border: thick $accent;
                                background: $surface; padding: 0 1; }
    LabelDialog #label-buttons { height: 3; align-horizontal: right; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("label")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="label-dialog"):
            config = getattr(self.app, "config", None)  # the question may quote a label
            yield Static(BidiText(self.question, config, style="bold"))
            yield BidiInput(self.value, max_length=MAX_LABEL, id="label-input")
            with Horizontal(id="label-buttons"):
                yield Button("Save (enter)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.dismiss(self.query_one(Input).value)
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)
