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
from reader.core.text.field import visual_field, visual_message
from reader.core.text.layout import Span, layout_text
from reader.core.text.sanitize import clipped
from reader.rich_rows import rich_text


class BidiText:
    """Logical ``text`` laid out for the terminal, marks styled, at most ``max_lines`` lines
    (``config`` None: the engine's defaults, rtl "app" and harakat "keep")."""

    def __init__(
        self,
        text: str,
        config: Config | None,
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
            harakat=self.config.harakat if self.config else "keep",  # type: ignore[arg-type]
            mode=self.config.rtl if self.config else "app",  # type: ignore[arg-type]
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


def field_text(text: str, config: Config | None = None, *, lang: str | None = None) -> str:
    """A line of untrusted text for a one-line widget (an outlet, an id, a path, a verdict, a
    status line): made one line (control characters visible), shaped and put in visual order
    by the engine (:func:`reader.core.text.field.visual_field`) in the config's ``rtl`` and
    ``harakat`` modes ("app"/"keep" without a config). Lay out each untrusted field alone and
    join the results: a field's direction never spills onto its neighbours."""
    mode = config.rtl if config is not None else "app"
    harakat = config.harakat if config is not None else "keep"
    return visual_field(text, lang=lang, mode=mode, harakat=harakat)  # type: ignore[arg-type]


def name_text(text: str, config: Config | None = None) -> str:
    """:func:`field_text` of a name from a file (an outlet, an author): at most
    :data:`reader.core.text.sanitize.NAME_CHARS` characters of it (:func:`clipped`)."""
    return field_text(clipped(text), config)


def message_text(text: str, width: int, config: Config | None = None) -> str:
    """A message (a toast, a question) laid out in rows of ``width`` cells joined by "\\n", for a
    widget that wraps by itself (:func:`reader.core.text.field.visual_message`)."""
    mode = config.rtl if config is not None else "app"
    harakat = config.harakat if config is not None else "keep"
    return visual_message(text, width, mode=mode, harakat=harakat)  # type: ignore[arg-type]
