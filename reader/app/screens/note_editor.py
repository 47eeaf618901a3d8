"""The note editor: claim, verdict, evidence, tags and reasoning for one passage, in a modal.

Returns a :class:`reader.core.notes.draft.NoteDraft` (or None when cancelled); whoever pushed
the editor saves it (:func:`reader.core.notes.draft.save_draft`).

Nothing is lost by opening a note and saving it: every field the notes file format has is in
the draft (:mod:`reader.core.notes.draft`), and a field left as it was shown gives
back exactly what it held (:func:`draft_from_fields`), whatever it contains. Keys a person
added to the file by hand are not in the draft; the store edits the note's table in place, so
they stay.

The passage and a note's text come from untrusted articles (and from ``reader notes add``), and
Textual writes an input's text to the terminal as it is: the fields show control characters as
visible symbols (ESC as ``␛``, a line break in a one-line field as ``␤``; see
:mod:`reader.core.text.sanitize`); a field the user changed is read back with ``␤`` as a line break.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from reader.app.actions import bindings
from reader.app.widgets.bidi_input import BidiInput
from reader.app.widgets.bidi_text import BidiText
from reader.app.widgets.bidi_text_area import BidiTextArea
from reader.app.widgets.evidence_row import EVIDENCE_KEYS, EvidenceRow
from reader.core.config import Config
from reader.core.notes.draft import NoteDraft
from reader.core.notes.note import Evidence
from reader.core.text.sanitize import one_line, sanitize

_LINE_BREAK = "\u2424"  # ␤, how a one-line field shows a line break


@dataclass(frozen=True, slots=True)
class EditorFields:
    """The text of each field of the editor, as shown or as the user left it. ``evidence`` has
    (url, article, quote, comment) per entry; entries past the draft's are new ones."""

    claim: str
    verdict: str
    note: str
    tags: str
    evidence: tuple[tuple[str, str, str, str], ...]


def format_tags(tags: tuple[str, ...]) -> str:
    """Tags as the tags field shows them: separated by commas (a tag may hold spaces)."""
    return ", ".join(one_line(tag) for tag in tags)


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags from what the user typed: separated by commas, spaces around each trimmed."""
    found = (tag.strip().replace(_LINE_BREAK, "\n") for tag in text.split(","))
    return tuple(tag for tag in found if tag)


def fields_of(draft: NoteDraft) -> EditorFields:
    """What the editor shows for ``draft``."""
    return EditorFields(
        claim=one_line(draft.claim),
        verdict=draft.verdict,
        note=sanitize(draft.note),
        tags=format_tags(draft.tags),
        evidence=tuple(
            (one_line(e.url), one_line(e.article), one_line(e.quote), one_line(e.comment))
            for e in draft.evidence
        ),
    )


def _kept(shown: str, before: str, *, multiline: bool = False, strip: bool = False) -> str:
    """A field left as shown gives back the original (control characters included); a changed
    one gives what the user typed (``strip``: without spaces around it)."""
    if shown == (sanitize(before) if multiline else one_line(before)):
        return before
    typed = shown if multiline else shown.replace(_LINE_BREAK, "\n")
    return typed.strip() if strip else typed


def draft_from_fields(original: NoteDraft, fields: EditorFields, passage: str) -> NoteDraft:
    """The draft the user made by editing ``fields_of(original)`` into ``fields``. Unchanged
    fields keep their value exactly; an evidence entry with neither URL nor article id is
    dropped; a claim emptied by the user becomes the passage."""
    claim = original.claim
    if fields.claim != one_line(original.claim):
        claim = _kept(fields.claim, original.claim, strip=True) or passage
    tags = original.tags
    if fields.tags != format_tags(original.tags):
        tags = parse_tags(fields.tags)
    evidence: list[Evidence] = []
    for index, shown in enumerate(fields.evidence):
        before = original.evidence[index] if index < len(original.evidence) else Evidence()
        values = [
            _kept(text, getattr(before, key), strip=key in ("url", "article"))
            for key, text in zip(EVIDENCE_KEYS, shown, strict=True)
        ]
        entry = Evidence(*values)
        if entry.url or entry.article:
            evidence.append(entry)
    return NoteDraft(
        claim=claim,
        verdict=fields.verdict,
        note=_kept(fields.note, original.note, multiline=True),
        evidence=tuple(evidence),
        tags=tags,
    )


class NoteEditor(ModalScreen[NoteDraft | None]):
    """Edit a note on ``passage``; Ctrl+S saves, Escape cancels. A verdict that is not in the
    configured scale (a colleague's, or one removed from the config) is offered as it is and
    kept unless the user picks another."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("editor")]

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
        shown = fields_of(original)
        options: list[tuple[Text, str]] = [(Text(one_line(v)), v) for v in self.config.verdicts]
        if original.verdict not in self.config.verdicts:
            options.insert(
                0, (Text(f"{one_line(original.verdict)} (not in config)"), original.verdict)
            )
        with Vertical(id="editor"):
            yield Label(Text("Passage", style="bold"))
            yield Static(BidiText(self.passage, self.config, lang=self.lang), id="passage")
            with VerticalScroll():
                yield Label("Claim (the checkable statement)")
                yield BidiInput(shown.claim, lang=self.lang, id="claim")
                yield Label("Verdict")
                yield Select(options, value=original.verdict, allow_blank=False, id="verdict")
                yield Label("Tags, separated by commas")
                yield BidiInput(shown.tags, lang=self.lang, id="tags")
                yield Label("Note (reasoning; several lines)")
                yield BidiTextArea(shown.note, lang=self.lang, id="note")
                yield Label("Evidence: a URL or an article id each (clear both to remove one)")
                with Vertical(id="evidence-list"):
                    for entry in shown.evidence:
                        yield EvidenceRow(entry)
                yield Button("Add evidence", id="add-evidence")
            with Horizontal(id="editor-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        # The first field, where typing shows: with the verdict's list focused, what a user
        # typed first went nowhere (found by trying the app).
        self.query_one("#claim", Input).focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "add-evidence":
            row = EvidenceRow(("", "", "", ""))
            await self.query_one("#evidence-list", Vertical).mount(row)
            row.query_one(".ev-url", Input).focus()
        else:
            self.action_cancel()

    def fields(self) -> EditorFields:
        """The text of every field as it is now."""
        return EditorFields(
            claim=self.query_one("#claim", Input).value,
            verdict=str(self.query_one("#verdict", Select).value),
            note=self.query_one("#note", BidiTextArea).text,
            tags=self.query_one("#tags", Input).value,
            evidence=tuple(row.values() for row in self.query(EvidenceRow)),
        )

    def action_save(self) -> None:
        self.dismiss(draft_from_fields(self._original(), self.fields(), self.passage))

    def action_cancel(self) -> None:
        """Close without saving; when a field was changed, only once the user agrees to
        throw away what they typed (Escape is easily pressed by mistake)."""
        original = self._original()
        if draft_from_fields(original, self.fields(), self.passage) == original:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        from reader.app.screens.confirm import Confirm

        self.app.push_screen(Confirm("Discard what you changed in this note?"), answered)
