"""One evidence entry of the note editor: URL, article id, quote and comment fields."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input

from reader.app.widgets.bidi_input import BidiInput

EVIDENCE_KEYS = ("url", "article", "quote", "comment")


class EvidenceRow(Vertical):
    """The fields of one evidence entry: URL, article id, quote and comment."""

    DEFAULT_CSS = """
    EvidenceRow { height: auto; border-top: solid $panel; }
    EvidenceRow Horizontal { height: auto; }
    EvidenceRow Input { width: 1fr; }
    """

    def __init__(self, shown: tuple[str, str, str, str]) -> None:
        super().__init__(classes="evidence-row")
        self.shown = shown

    def compose(self) -> ComposeResult:
        url, article, quote, comment = self.shown
        with Horizontal():
            yield BidiInput(url, placeholder="URL", classes="ev-url")
            yield BidiInput(article, placeholder="or article id", classes="ev-article")
        yield BidiInput(quote, placeholder="quote from it", classes="ev-quote")
        yield BidiInput(comment, placeholder="comment", classes="ev-comment")

    def values(self) -> tuple[str, str, str, str]:
        """The four fields' text, as the user left it."""
        url, article, quote, comment = (
            self.query_one(f".ev-{key}", Input).value for key in EVIDENCE_KEYS
        )
        return url, article, quote, comment
