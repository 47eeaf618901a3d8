"""The note editor: claim, verdict, evidence and reasoning for one passage, in a modal screen.

Returns a :class:`NoteDraft` (or None when cancelled); the notes panel saves it.

The passage and a note's text come from untrusted articles (and from ``reader notes add``), and
Textual writes an input's text to the terminal as it is: the fields show control characters as
visible symbols (ESC as ``␛``, a newline in a one-line field as ``␤``; see
:mod:`reader.core.sanitize`), and a field left unchanged gives back the original text, so nothing
is lost by showing it safely.
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
from reader.core.article import Article
from reader.core.config import Config
from reader.core.notes import Evidence, Note, NotesStore
from reader.core.sanitize import one_line, sanitize


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """What the editor collected. ``evidence`` holds URLs or article ids, one an entry."""

    claim: str
    verdict: str
    note: str
    evidence: tuple[str, ...]
    tags: tuple[str, ...]


def evidence_of(entries: tuple[str, ...]) -> tuple[Evidence, ...]:
    """Evidence entries from the editor's words: a URL, or else an article id."""
    return tuple(
        Evidence(url=e) if "://" in e or e.startswith("www.") else Evidence(article=e)
        for e in entries
    )


def save_draft(store: NotesStore, article: Article, start: int, end: int, draft: NoteDraft) -> Note:
    """Add the note the editor collected on ``article.body[start:end]`` (raises
    NotesFileError when the article's notes file cannot be written)."""
    return store.add(
        article,
        start,
        end,
        verdict=draft.verdict,
        claim=draft.claim,
        note=draft.note,
        evidence=evidence_of(draft.evidence),
        tags=draft.tags,
    )


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

    def _original(self) -> NoteDraft:
        """What the fields start from: the draft, or a new note's defaults."""
        if self.draft is not None:
            return self.draft
        return NoteDraft(self.passage, next(iter(self.config.verdicts)), "", (), ())

    def compose(self) -> ComposeResult:
        original = self._original()
        verdicts = list(self.config.verdicts)
        with Vertical(id="editor"):
            yield Label(Text("Passage", style="bold"))
            yield Static(BidiText(self.passage, self.config, lang=self.lang), id="passage")
            with VerticalScroll():
                yield Label("Claim (the checkable statement)")
                yield Input(one_line(original.claim), id="claim")
                yield Label("Verdict")
                yield Select(
                    [(Text(one_line(v)), v) for v in verdicts],
                    value=original.verdict,
                    allow_blank=False,
                    id="verdict",
                )
                yield Label("Evidence: URLs or article ids, separated by spaces")
                yield Input(one_line(" ".join(original.evidence)), id="evidence")
                yield Label("Tags, separated by spaces")
                yield Input(one_line(" ".join(original.tags)), id="tags")
                yield Label("Note (reasoning; several lines)")
                yield TextArea(sanitize(original.note), id="note")
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
        original = self._original()

        def kept(shown: str, before: str) -> str:
            # A field left as shown gives back the original (control characters included).
            return before if shown in (one_line(before), sanitize(before)) else shown

        claim = kept(self.query_one("#claim", Input).value, original.claim).strip()
        evidence = self.query_one("#evidence", Input).value
        tags = self.query_one("#tags", Input).value
        self.dismiss(
            NoteDraft(
                claim=claim or self.passage,
                verdict=str(verdict),
                note=kept(self.query_one("#note", TextArea).text, original.note),
                evidence=tuple(kept(evidence, " ".join(original.evidence)).split()),
                tags=tuple(kept(tags, " ".join(original.tags)).split()),
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
