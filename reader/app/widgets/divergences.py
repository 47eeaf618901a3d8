"""The divergence summary of the compare view: one line per comparable fact, conflicts first,
with its status coloured and the articles named by their column number ([1], [2] ...).

Choosing a line (Enter, a click, or moving onto it while the list has focus) posts
:class:`DivergenceList.Chosen`; the screen scrolls every column to that fact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.events.divergences import Divergence
from reader.core.sources.article import Article
from reader.core.text.sanitize import one_line

_ONLY_IN = re.compile(r"[,:] only in \[\d+\]$")
STATUS_STYLES = {
    "conflict": "bold white on #b03a2e",
    "differ": "black on #d19a66",
    "only": "black on #e5c07b",
    "shared": "black on #98c379",
}


def status_label(divergence: Divergence, tags: dict[str, str]) -> str:
    """ "conflict", "differ", "only in [2]" or "shared"."""
    if divergence.status == "only":
        return f"only in {tags.get(divergence.refs[0].article_id, '?')}"
    return divergence.status


def describe(divergence: Divergence, tags: dict[str, str]) -> str:
    """The core's description with article ids replaced by column tags (and without the "only
    in" the status already says), made printable."""
    text = divergence.description
    for article_id, tag in tags.items():
        text = text.replace(article_id, tag)
    if divergence.status == "only":
        text = _ONLY_IN.sub("", text)
    return one_line(text)


class DivergenceList(OptionList):
    """The comparable facts of the compared articles."""

    DEFAULT_CSS = """
    DivergenceList { height: 1fr; border: none; }
    """

    class Chosen(Message):
        """The user chose a divergence to look at."""

        def __init__(self, divergence: Divergence) -> None:
            super().__init__()
            self.divergence = divergence

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.divergences: list[Divergence] = []
        self.tags: dict[str, str] = {}

    def show(self, divergences: Sequence[Divergence], articles: Sequence[Article]) -> None:
        """List ``divergences``; ``articles`` are the columns, in order."""
        self.divergences = list(divergences)
        self.tags = {a.id: f"[{n}]" for n, a in enumerate(articles, start=1)}
        self.clear_options()
        width = max(len(status_label(d, self.tags)) for d in self.divergences) if divergences else 0
        for index, divergence in enumerate(self.divergences):
            label = status_label(divergence, self.tags)
            prompt = Text()
            prompt.append(f" {label.upper():<{width}} ", style=STATUS_STYLES[divergence.status])
            prompt.append(" ")
            prompt.append(describe(divergence, self.tags))
            self.add_option(Option(prompt, id=f"d{index}"))

    def on_focus(self) -> None:
        """Coming to the list (Tab, a click) with nothing highlighted highlights the first
        divergence, and so shows it: Enter then always has a row to act on."""
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def _chosen(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.divergences):
            self.post_message(self.Chosen(self.divergences[index]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._chosen(event.option_index)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.has_focus:  # moving through the list looks at each fact in turn
            self._chosen(event.option_index)

    def step(self, step: int) -> None:
        """Choose the next (1) or previous (-1) divergence."""
        if not self.divergences:
            self.app.bell()
            return
        current = self.highlighted
        index = 0 if current is None else (current + step) % len(self.divergences)
        self.highlighted = index
        if not self.has_focus or index == current:  # else the highlight already chose it
            self._chosen(index)
