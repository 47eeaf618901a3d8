"""A multi-line text field for right-to-left and mixed text, drawn by reader's layout engine.

What callers may rely on:

- ``text`` is logical, unshaped Unicode, exactly what was typed or pasted (line breaks are
  "\\n"): it is what is stored. Setting it puts the cursor at its end and forgets the
  selection and the undo history.
- What is drawn is :func:`reader.core.text.layout.layout_text` of the text at the field's
  width less one cell, paragraphs without gaps, in the mode and harakat option of the app's
  config (``[display] rtl``/``harakat``; "app" and "keep" when the app has none): the rows
  the article pane would draw, right-to-left paragraphs right-aligned and shaped. Control
  characters show as visible symbols (the engine sanitizes); nothing is ever written raw.
- The cursor is a logical offset; left/right move one character back/forward in logical
  order (as :class:`reader.app.widgets.bidi_input.BidiInput`), ctrl+left/right a word,
  up/down one screen row (keeping the column), home/end to the row's ends, ctrl+home/end to
  the text's. It is drawn where :func:`reader.core.text.editing.cursor_cell` says: on the
  cell that shows the character at the cursor, or one cell past the row's text on the side
  its paragraph ends.
- Selection (shift with any move, ctrl+a for all) is a logical range; every cell showing a
  selected character is drawn selected. Typing or pasting replaces it; backspace/delete
  remove it. ctrl+w and ctrl+backspace delete the word before the cursor, ctrl+delete the
  word after, ctrl+u to the start of the paragraph, ctrl+k to its end; enter inserts a line
  break; ctrl+z undoes the last edit. Tab is left to focus moves.
- :class:`BidiTextArea.Changed` is posted after every change of the text (``text_area`` is
  the field).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from reader.core.text.editing import cursor_cell, offset_at, row_of, word_end, word_start
from reader.core.text.layout import Layout, layout_text

__all__ = ["BidiTextArea"]

_UNDO = 200  # edits ctrl+z can take back


class BidiTextArea(Widget, can_focus=True):
    """A multi-line field for mixed and right-to-left text (see the module docstring)."""

    DEFAULT_CSS = """
    BidiTextArea {
        height: 6;
        background: $surface;
        border: tall $border-blurred;
        padding: 0 1;
    }
    BidiTextArea:focus { border: tall $border; }
    BidiTextArea > .bidi-text-area--cursor { background: $foreground; color: $background; }
    BidiTextArea > .bidi-text-area--selection { background: $primary 60%; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "bidi-text-area--cursor",
        "bidi-text-area--selection",
    }

    # The editing keys are the field's own, like Input's: handled in ``_on_key`` and consumed
    # (``check_consume_key``), so the app's bindings of the same keys never run in the field.
    KEYS: ClassVar[dict[str, str]] = {
        key: action
        for keys, action in (
            ("left", "move(-1)"),
            ("right", "move(1)"),
            ("shift+left", "move(-1, True)"),
            ("shift+right", "move(1, True)"),
            ("ctrl+left", "word(-1)"),
            ("ctrl+right", "word(1)"),
            ("ctrl+shift+left", "word(-1, True)"),
            ("ctrl+shift+right", "word(1, True)"),
            ("up", "row(-1)"),
            ("down", "row(1)"),
            ("shift+up", "row(-1, True)"),
            ("shift+down", "row(1, True)"),
            ("home", "row_edge(0)"),
            ("end", "row_edge(1)"),
            ("shift+home", "row_edge(0, True)"),
            ("shift+end", "row_edge(1, True)"),
            ("ctrl+home", "text_edge(0)"),
            ("ctrl+end", "text_edge(1)"),
            ("ctrl+a", "select_all"),
            ("backspace", "delete_left"),
            ("delete", "delete_right"),
            ("ctrl+w,ctrl+backspace", "delete_word_left"),
            ("ctrl+delete", "delete_word_right"),
            ("ctrl+u", "delete_paragraph_start"),
            ("ctrl+k", "delete_paragraph_end"),
            ("enter", "insert_break"),
            ("ctrl+z", "undo"),
        )
        for key in keys.split(",")
    }

    @dataclass
    class Changed(Message):
        """The text changed."""

        text_area: BidiTextArea

        @property
        def control(self) -> BidiTextArea:
            return self.text_area

    def __init__(self, text: str = "", *, lang: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self._text = text
        self.cursor = len(text)
        self._anchor: int | None = None  # the other end of the selection, if any
        self._goal: int | None = None  # the column up/down keep to
        self._top = 0  # first row shown
        self._undo: list[tuple[str, int]] = []

    # ----- the value -----

    @property
    def text(self) -> str:
        """The logical text."""
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self._text = value
        self.cursor, self._anchor, self._goal, self._undo = len(value), None, None, []
        self._changed()

    @property
    def selection(self) -> tuple[int, int]:
        """The selected logical range ``(start, end)``; empty (start == end) when none."""
        if self._anchor is None:
            return self.cursor, self.cursor
        return min(self._anchor, self.cursor), max(self._anchor, self.cursor)

    @property
    def selected_text(self) -> str:
        start, end = self.selection
        return self._text[start:end]

    def _changed(self) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Changed(self))

    def replace(self, start: int, end: int, insert: str) -> None:
        """Replace ``text[start:end]`` with ``insert``; the cursor goes after it."""
        self._undo.append((self._text, self.cursor))
        del self._undo[:-_UNDO]
        self._text = self._text[:start] + insert + self._text[end:]
        self.cursor, self._anchor, self._goal = start + len(insert), None, None
        self._changed()

    def insert(self, insert: str) -> None:
        """Type ``insert`` at the cursor, replacing the selection."""
        start, end = self.selection
        self.replace(start, end, insert)

    # ----- layout -----

    def _options(self) -> tuple[Any, Any]:
        config = getattr(self.app, "config", None)
        return getattr(config, "rtl", "app"), getattr(config, "harakat", "keep")

    def text_layout(self) -> Layout:
        """The text as drawn: laid out at the field's width less one cell."""
        mode, harakat = self._options()
        width = max(2, self.content_region.width - 1)
        return layout_text(
            self._text, width, lang=self.lang, mode=mode, harakat=harakat, paragraph_gap=0
        )

    def _rtl_rows(self) -> bool:
        return bool(self._options()[0] == "app")

    def _shift(self, layout: Layout, row: int) -> int:
        """Screen column of layout column 0: right-to-left rows are drawn one cell right, to
        leave room for the cursor past their end."""
        return 1 if self._rtl_rows() and layout.lines[row].rtl else 0

    def cursor_screen_cell(self) -> tuple[int, int]:
        """``(row, column)`` of the cursor in the field's content (row 0 = the first row of the
        text, not of the view)."""
        layout = self.text_layout()
        row, column = cursor_cell(layout, self.cursor, rtl_rows=self._rtl_rows())
        return row, column + self._shift(layout, row)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.text_layout())

    def _scroll_to_cursor(self) -> None:
        height = max(1, self.content_region.height)
        row = row_of(self.text_layout(), self.cursor)
        if row < self._top:
            self._top = row
        elif row >= self._top + height:
            self._top = row - height + 1

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    # ----- drawing -----

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        layout = self.text_layout()
        row = self._top + y
        base = self.rich_style
        if row >= len(layout) or width <= 0:
            return Strip.blank(width, base)
        shift = self._shift(layout, row)
        styled = layout.line_text(row)
        text = Text(" " * shift + styled.plain, end="", no_wrap=True, overflow="ignore")
        at: list[int] = []  # screen column -> index in ``text``
        for index, char in enumerate(text.plain):
            at.extend([index] * max(1, Text(char).cell_len))
        start, end = self.selection
        if self.has_focus and end > start:
            style = self.get_component_rich_style("bidi-text-area--selection")
            for column in range(len(at) - shift):
                if any(start <= o < end for o in layout.cell_offsets(row, column)):
                    text.stylize(style, at[column + shift], at[column + shift] + 1)
        cursor_row, cursor_column = self.cursor_screen_cell()
        if self.has_focus and cursor_row == row:
            while len(at) <= cursor_column:
                at.append(len(text.plain))
                text.append(" ")
            index = at[cursor_column]
            text.stylize(self.get_component_rich_style("bidi-text-area--cursor"), index, index + 1)
        segments = list(text.render(self.app.console))
        return Strip(segments).crop(0, width).extend_cell_length(width, base).apply_style(base)

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()

    # ----- keys and mouse -----

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key in self.KEYS or (character is not None and character.isprintable())

    async def _on_key(self, event: events.Key) -> None:
        action = self.KEYS.get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            await self.run_action(action)
        elif event.is_printable and event.character is not None:
            event.stop()
            event.prevent_default()
            self.insert(event.character)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        if event.text:
            self.insert(event.text.replace("\r\n", "\n").replace("\r", "\n"))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        layout = self.text_layout()
        row = min(self._top + offset.y, len(layout) - 1)
        column = offset.x - self._shift(layout, row)
        self._move_to(offset_at(layout, row, column, rtl_rows=self._rtl_rows()), False)
        self.focus()

    def _move_to(self, offset: int, select: bool, *, keep_goal: bool = False) -> None:
        offset = min(max(0, offset), len(self._text))
        if select:
            if self._anchor is None:
                self._anchor = self.cursor
        else:
            self._anchor = None
        self.cursor = offset
        if self._anchor == self.cursor:
            self._anchor = None
        if not keep_goal:
            self._goal = None
        self._scroll_to_cursor()
        self.refresh()

    def action_move(self, step: int, select: bool = False) -> None:
        start, end = self.selection
        if not select and end > start:  # an arrow ends a selection at its side
            self._move_to(start if step < 0 else end, False)
            return
        self._move_to(self.cursor + step, select)

    def action_word(self, step: int, select: bool = False) -> None:
        move = word_start if step < 0 else word_end
        self._move_to(move(self._text, self.cursor), select)

    def action_row(self, step: int, select: bool = False) -> None:
        layout = self.text_layout()
        row, column = self.cursor_screen_cell()
        goal = self._goal if self._goal is not None else column
        target = row + step
        if not 0 <= target < len(layout):
            self._move_to(0 if step < 0 else len(self._text), select)
            return
        found = offset_at(
            layout, target, goal - self._shift(layout, target), rtl_rows=self._rtl_rows()
        )
        self._move_to(found, select, keep_goal=True)
        self._goal = goal

    def action_row_edge(self, end: int, select: bool = False) -> None:
        layout = self.text_layout()
        row = row_of(layout, self.cursor)
        start, stop = layout.line_range(row)
        last = row + 1 >= len(layout) or layout.paragraph_of(row + 1) != layout.paragraph_of(row)
        if end and not last and stop > start and self._text[stop - 1].isspace():
            stop -= 1  # stay on this row: before the space its break swallowed
        self._move_to(stop if end else start, select)

    def action_text_edge(self, end: int) -> None:
        self._move_to(len(self._text) if end else 0, False)

    def action_select_all(self) -> None:
        self._anchor, self.cursor = 0, len(self._text)
        self.refresh()

    def _delete(self, start: int, end: int) -> None:
        sel_start, sel_end = self.selection
        if sel_end > sel_start:
            start, end = sel_start, sel_end
        start, end = max(0, start), min(len(self._text), end)
        if end > start:
            self.replace(start, end, "")

    def action_delete_left(self) -> None:
        self._delete(self.cursor - 1, self.cursor)

    def action_delete_right(self) -> None:
        self._delete(self.cursor, self.cursor + 1)

    def action_delete_word_left(self) -> None:
        self._delete(word_start(self._text, self.cursor), self.cursor)

    def action_delete_word_right(self) -> None:
        self._delete(self.cursor, word_end(self._text, self.cursor))

    def action_delete_paragraph_start(self) -> None:
        self._delete(self._text.rfind("\n", 0, self.cursor) + 1, self.cursor)

    def action_delete_paragraph_end(self) -> None:
        end = self._text.find("\n", self.cursor)
        self._delete(self.cursor, len(self._text) if end < 0 else end)

    def action_insert_break(self) -> None:
        self.insert("\n")

    def action_undo(self) -> None:
        if self._undo:
            self._text, cursor = self._undo.pop()
            self.cursor, self._anchor, self._goal = min(cursor, len(self._text)), None, None
            self._changed()
