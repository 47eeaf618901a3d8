"""A one-line text field for right-to-left and mixed text: Textual's Input, drawn by reader's
layout engine.

What callers may rely on:

- ``value`` is logical, unshaped Unicode, exactly what was typed or pasted: it is what is
  stored and searched. Everything Input does on the value works as in Input (typing, paste,
  history of the app's own, backspace/delete, ctrl+u, ctrl+k, ctrl+w, ctrl+f, selection with
  shift, home/end, cut/copy/paste, messages Changed/Submitted/Blurred), on logical ranges.
- The cursor moves in logical order (left = one character back, right = one forward, word
  keys by words of the logical text). It is drawn on the cell that shows the character at the
  cursor (the one typing inserts before, Delete removes); at the end of the value it is drawn
  on one cell past the text on the side the paragraph ends: right of a left-to-right value,
  left of a right-to-left one.
- What is drawn is :func:`reader.core.text.field.field_line` of the value (of the placeholder
  when empty): sanitized, shaped and reordered as the article pane does, in the mode and
  harakat option of the app's config (``[display] rtl``/``harakat``; "app" and "keep" when the
  app has none). A right-to-left value that fits is right-aligned in the field.
- A selection is drawn on every cell that shows a selected character; a click puts the cursor
  on the character under the mouse.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.strip import Strip
from textual.widgets import Input

from reader.core.text.field import FieldLine, field_line

__all__ = ["BidiInput"]


class BidiInput(Input):
    """Textual's Input with the value laid out by reader's engine (see the module docstring)."""

    def __init__(self, *args: Any, lang: str | None = None, **kwargs: Any) -> None:
        self.lang = lang  # before Input's own set-up, which may draw the value
        super().__init__(*args, **kwargs)

    # ----- layout -----

    def _options(self) -> tuple[Any, Any]:
        config = getattr(self.app, "config", None)
        mode = getattr(config, "rtl", "app")
        harakat = getattr(config, "harakat", "keep")
        return mode, harakat

    def field(self) -> FieldLine:
        """The value (or the placeholder when the value is empty) as laid out on the screen.

        A placeholder wider than the box loses its last parts (after ", " or two spaces)
        until it fits: cut at the box's edge, a word of another direction (the Arabic example
        in an English hint) would show its end without its start."""
        mode, harakat = self._options()
        if self.value or not self.placeholder:
            return field_line(self.value, lang=self.lang, mode=mode, harakat=harakat)
        text = self.placeholder
        line = field_line(text, lang=self.lang, mode=mode, harakat=harakat)
        try:
            box = self.scrollable_content_region.width
        except Exception:  # not mounted yet
            return line
        while box and line.width >= box:
            cut = max(text.rfind(", "), text.rfind("  "))
            if cut <= 0:
                break
            text = text[:cut].rstrip(" ,")
            line = field_line(text, lang=self.lang, mode=mode, harakat=harakat)
        return line

    def _pad(self, line: FieldLine) -> int:
        """Cells before the text: a right-to-left text that fits is right-aligned."""
        if not line.rtl:
            return 0
        try:
            box = self.scrollable_content_region.width
        except Exception:  # not mounted yet
            return 0
        return max(0, box - line.width - 1)

    def _cursor_column(self, line: FieldLine) -> int:
        """Column of the cursor cell in the content (before scrolling), padding included."""
        pad = self._pad(line)
        shift = 1 if line.rtl else 0  # the end cell of a right-to-left line is on its left
        if not self.value:  # on the placeholder's first character
            return pad + shift + line.width - 1 if line.rtl and line.width else 0
        for offset in range(self.cursor_position, len(self.value)):
            column = line.column_of[offset]
            if column >= 0:
                return pad + shift + column
        return pad + (0 if line.rtl else line.width)

    @property
    def _cursor_offset(self) -> int:
        if self.password:
            return super()._cursor_offset
        return self._cursor_column(self.field())

    @property
    def content_width(self) -> int:
        """The value's width in cells, plus the cursor's; at least the box's: a value that
        fits keeps the same virtual size as it is typed, so a keystroke does not lay the whole
        screen out again (Input does when the virtual size changes)."""
        if self.password:
            return super().content_width
        try:
            box = self.scrollable_content_region.width
        except Exception:  # not mounted yet
            box = 0
        return max(self.field().width + 1, box)

    def _cell_offset_to_index(self, offset: int) -> int:
        if self.password:
            return super()._cell_offset_to_index(offset)
        if not self.value:
            return 0
        line = self.field()
        scroll_x, _ = self.scroll_offset
        column = offset + scroll_x - self._pad(line) - (1 if line.rtl else 0)
        if 0 <= column < line.width and line.offsets_at[column]:
            return line.offsets_at[column][0]
        if column < 0:
            return len(self.value) if line.rtl else 0
        return 0 if line.rtl else len(self.value)

    # ----- drawing -----

    def render_line(self, y: int) -> Strip:
        if self.password or y != 0:
            return super().render_line(y)
        console = self.app.console
        box = self.scrollable_content_region.width
        line = self.field()
        pad = self._pad(line)
        shift = 1 if line.rtl else 0
        lead = " " * (pad + shift)
        text = Text(lead + line.row.plain, end="", no_wrap=True, overflow="ignore")
        for span in line.row.spans:
            text.stylize(span.style, len(lead) + span.start, len(lead) + span.end)
        if not line.rtl:
            text.append(" ")
        # column (in the content) -> index in ``text`` of the character drawn there
        at: list[int] = []
        for index, char in enumerate(text.plain):
            at.extend([index] * max(1, Text(char).cell_len))
        focused = self.has_focus
        if not self.value:
            text.stylize(self.get_component_rich_style("input--placeholder"))
        elif focused and not self.selection.is_empty:
            start, end = sorted(self.selection)
            style = self.get_component_rich_style("input--selection")
            for column, offsets in enumerate(line.offsets_at):
                if any(start <= offset < end for offset in offsets):
                    index = at[pad + shift + column]
                    text.stylize_before(style, index, index + 1)
        if focused and self._cursor_visible:
            column = self._cursor_column(line)
            if column < len(at):
                index = at[column]
                text.stylize(self.get_component_rich_style("input--cursor"), index, index + 1)
        width = max(text.cell_len, box + 1)
        strip = Strip(console.render(text, self.app.console_options.update_width(width)))
        scroll_x, _ = self.scroll_offset
        strip = strip.crop(scroll_x, scroll_x + box + 1).extend_cell_length(box + 1)
        return strip.apply_style(self.rich_style)
