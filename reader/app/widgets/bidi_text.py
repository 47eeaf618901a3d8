"""Rich renderables that lay text out with reader's right-to-left engine at the width they get.

Used for every piece of article text outside the article body (titles, snippets, notes): Rich's
own wrapping would put the lines of an Arabic paragraph in reverse order.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.style import Style
from rich.text import Text

from reader.core.config import Config
from reader.core.text.layout import Span, layout_text
from reader.rich_rows import rich_text


class BidiText:
    """Logical ``text`` laid out for the terminal, marks styled, at most ``max_lines`` lines."""

    def __init__(
        self,
        text: str,
        config: Config,
        *,
        marks: Sequence[tuple[int, int]] = (),
        mark_style: str = "bold reverse",
        style: str | Style = "",
        max_lines: int | None = None,
        lang: str | None = None,
    ) -> None:
        self.text = text
        self.config = config
        self.marks = marks
        self.mark_style = mark_style
        self.style = style
        self.max_lines = max_lines
        self.lang = lang

    def lines(self, width: int) -> list[Text]:
        """The visual lines at ``width`` cells."""
        spans = [Span(start, end, self.mark_style) for start, end in self.marks]
        layout = layout_text(
            self.text,
            max(1, width),
            spans,
            lang=self.lang,
            harakat=self.config.harakat,  # type: ignore[arg-type]
            mode=self.config.rtl,  # type: ignore[arg-type]
            paragraph_gap=0,
        )
        lines = [rich_text(layout.line_text(row)) for row in range(len(layout.lines))]
        if self.max_lines is not None and len(lines) > self.max_lines:
            lines = lines[: self.max_lines]
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            line.end = "\n"  # each call gives new Texts: changing them is safe
            if self.style:
                line.style = self.style  # the base: marks keep their own style on top
            yield line
