"""The help screen: every key, generated from the action table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.app.actions import bindings, help_rows
from reader.core.text.sanitize import one_line


def key_table(keymap: Mapping[str, str] | None = None) -> Table:
    """The keys as a Rich table (also printed into the README)."""
    table = Table(title="reader: keys", expand=True)
    table.add_column("keys", style="bold", no_wrap=True)
    table.add_column("action")
    table.add_column("what it does")
    for keys, label, help_text in help_rows(keymap):
        table.add_row(Text(one_line(keys)), Text(label), Text(help_text))
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every key; any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("help")]

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(key_table(self.keymap))
            yield Static(Text("escape closes this screen", style="dim"))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
