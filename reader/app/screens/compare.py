"""The compare view (issue 6) is being built; until then ``c`` says so instead of failing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.core.article import Article
from reader.core.config import Config


class CompareScreen(ModalScreen[None]):
    """Side-by-side comparison of an article with other coverage (not built yet)."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, config: Config, article: Article) -> None:
        super().__init__()
        self.config = config
        self.article = article

    def compose(self) -> ComposeResult:
        yield Static(
            "The compare view is not built yet. `reader compare ID ID` works. Escape closes this."
        )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
