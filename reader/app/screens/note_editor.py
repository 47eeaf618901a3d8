"""The note editor: claim, verdict, evidence and reasoning for one passage, in a modal screen.

Returns a :class:`NoteDraft` (or None when cancelled); the notes panel saves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from reader.app.widgets.bidi_text import BidiText
from reader.core.config import Config


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """What the editor collected. ``evidence`` holds URLs or article ids, one an entry."""

    claim: str
    verdict: str
    note: str
    evidence: tuple[str, ...]
    tags: tuple[str, ...]


class NoteEditor(ModalScreen[NoteDraft | None]):
    """Edit a note on ``passage``; Ctrl+S saves, Escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        config: Config,
        passage: str,
        lang: str,
        draft: NoteDraft | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.passage = passage
        self.lang = lang
        self.draft = draft

    def compose(self) -> ComposeResult:
        draft = self.draft
        verdicts = list(self.config.verdicts)
        with Vertical(id="editor"):
            yield Label(Text("Passage", style="bold"))
            yield Static(BidiText(self.passage, self.config, lang=self.lang), id="passage")
            with VerticalScroll():
                yield Label("Claim (the checkable statement)")
                yield Input(draft.claim if draft else self.passage, id="claim")
                yield Label("Verdict")
                yield Select(
                    [(v, v) for v in verdicts],
                    value=draft.verdict if draft else verdicts[0],
                    allow_blank=False,
                    id="verdict",
                )
                yield Label("Evidence: URLs or article ids, separated by spaces")
                yield Input(" ".join(draft.evidence) if draft else "", id="evidence")
                yield Label("Tags, separated by spaces")
                yield Input(" ".join(draft.tags) if draft else "", id="tags")
                yield Label("Note (reasoning; several lines)")
                yield TextArea(draft.note if draft else "", id="note")
            with Horizontal(id="editor-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#verdict", Select).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        verdict = self.query_one("#verdict", Select).value
        self.dismiss(
            NoteDraft(
                claim=self.query_one("#claim", Input).value.strip() or self.passage,
                verdict=str(verdict),
                note=self.query_one("#note", TextArea).text,
                evidence=tuple(self.query_one("#evidence", Input).value.split()),
                tags=tuple(self.query_one("#tags", Input).value.split()),
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes/no question."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Label(Text(self.question))
            with Horizontal():
                yield Button("Yes (y)", variant="error", id="yes")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
