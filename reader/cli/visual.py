"""Printing an article laid out for the screen (``reader show --visual``).

The same engine as the app: right-to-left paragraphs are shaped, reordered per line and
right-aligned to ``width``. Escape sequences from the article are drawn as visible symbols;
the only escapes written are Rich's own styles, and only to a terminal. Rows are laid out and
written as they come (:func:`reader.core.text.layout.stream_lines`): an article of any size is
printed holding a block of it at a time.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

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
