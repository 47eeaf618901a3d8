"""Printing laid out for the screen: an article (``reader show --visual``) and the rows of the
listings (``reader search``, ``reader notes list``, ``reader compare`` on a terminal).

The same engine as the app: right-to-left paragraphs are shaped, reordered per line and
right-aligned to ``width``. Escape sequences from the article are drawn as visible symbols;
the only escapes written are Rich's own styles, and only to a terminal. Rows are laid out and
written as they come (:func:`reader.core.text.layout.stream_lines`): an article of any size is
printed holding a block of it at a time.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence

from rich.console import Console
from rich.text import Text

from reader.core.config import Config
from reader.core.sources.article import Article
from reader.core.text.layout import row_text, stream_lines
from reader.core.text.sanitize import one_line
from reader.rich_rows import rich_text


def visual_lines(text: str, width: int, config: Config, lang: str, gap: int = 1) -> Iterator[Text]:
    """``text`` laid out at ``width`` cells, one Text a screen row, laid out as they are read."""
    rows = stream_lines(
        text,
        width,
        lang=lang,
        harakat=config.harakat,  # type: ignore[arg-type]
        mode=config.rtl,  # type: ignore[arg-type]
        paragraph_gap=gap,
    )
    return (rich_text(row_text(row)) for row in rows)


def print_visual(article: Article, meta: list[tuple[str, str]], width: int, config: Config) -> None:
    """Print title, metadata and body for a terminal of ``width`` cells."""
    console = Console(
        file=sys.stdout,
        width=max(width, 1),
        highlight=False,
        soft_wrap=True,  # lines are already cut to width; Rich must not wrap them again
        emoji=False,
    )
    for line in visual_lines(one_line(article.title), width, config, article.lang, gap=0):
        line.stylize("bold")
        console.print(line)
    meta_layout = " · ".join(f"{key}: {one_line(value)}" for key, value in meta if value)
    for line in visual_lines(meta_layout, width, config, "en", gap=0):
        line.stylize("dim")
        console.print(line)
    console.print()
    for line in visual_lines(article.body, width, config, article.lang):
        console.print(line)


def stdout_is_terminal() -> bool:
    """True when stdout is a terminal: listings are then laid out (a pipe gets logical text)."""
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


class VisualPrinter:
    """Prints listing rows for a terminal of ``width`` cells: every piece of untrusted text
    laid out by the engine (shaped, visual order, right-to-left paragraphs right-aligned within
    their room), never wrapped by the terminal, styles as Rich styles (no markup is parsed).

    ``rows(prefix, text)`` prints ``text`` laid out in the cells right of ``prefix``: the
    prefix on the first row, spaces of its width on the others. ``field(text)`` is one
    untrusted field for a line built by the caller (laid out alone, one line)."""

    def __init__(self, config: Config, width: int) -> None:
        self.config = config
        self.width = max(width, 1)
        self.console = Console(
            file=sys.stdout, width=self.width, highlight=False, soft_wrap=True, emoji=False
        )

    def field(self, text: str, lang: str | None = None) -> str:
        """``text`` as one laid-out line (see :func:`reader.core.text.field.visual_field`)."""
        from reader.core.text.field import visual_field

        return visual_field(
            text,
            lang=lang,
            mode=self.config.rtl,  # type: ignore[arg-type]
            harakat=self.config.harakat,  # type: ignore[arg-type]
        )

    def rows(
        self,
        prefix: str,
        text: str,
        *,
        lang: str | None = None,
        marks: Sequence[tuple[int, int]] = (),
        mark_style: str = "bold yellow",
        style: str = "",
    ) -> None:
        """Print ``text`` (one paragraph: line breaks shown as ␤) laid out right of ``prefix``;
        ``marks`` (logical ranges of ``text``) styled ``mark_style``."""
        from reader.core.text.cells import cell_len
        from reader.core.text.layout import Span, layout_text

        shown_prefix = one_line(prefix)
        room = max(1, self.width - cell_len(shown_prefix))
        layout = layout_text(
            one_line(text),
            room,
            [Span(start, end, mark_style) for start, end in marks],
            lang=lang,
            harakat=self.config.harakat,  # type: ignore[arg-type]
            mode=self.config.rtl,  # type: ignore[arg-type]
            paragraph_gap=0,
        )
        for number in range(len(layout.lines)):
            row = rich_text(layout.line_text(number))
            if style:
                row.stylize(style)
            line = Text(shown_prefix if number == 0 else " " * cell_len(shown_prefix))
            line.append_text(row)
            self.console.print(line)

    def line(self, text: str, style: str = "") -> None:
        """Print a line the caller built from :meth:`field` results and its own words."""
        self.console.print(Text(text, style=style))
