"""The faces' one bridge from the core's styled rows to Rich.

The core lays text out without any UI library (:mod:`reader.core.text.layout` gives
:class:`~reader.core.text.layout.StyledRow`: plain text and string styles); the app and the CLI
draw rows with Rich, and this is the one place that turns one into the other.
"""

from __future__ import annotations

from rich.text import Span, Text

from reader.core.text.rows import StyledRow

__all__ = ["rich_text"]


def rich_text(row: StyledRow) -> Text:
    """``row`` as a Rich Text (no markup is parsed: the plain text stays as it is), its spans in
    the same order so overlapping styles combine as the layout says; no trailing newline."""
    return Text(
        row.plain, end="", spans=[Span(span.start, span.end, span.style) for span in row.spans]
    )
