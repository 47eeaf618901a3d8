"""The article body: a Line-API widget that lays the text out with reader's right-to-left engine
at its own width, again on every resize, and maps screen cells back to logical characters.

Styles shown on the body, lowest first: noted passages (by verdict), search matches, the
sentence cursor, the mouse selection. Passage offsets are logical code points into
``article.body``, the same offsets notes store.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from textual.events import MouseDown, MouseMove, MouseUp, Resize
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.app.styles import underline_free
from reader.core.config import Config
from reader.core.search.highlight import Matcher
from reader.core.sources.article import Article
from reader.core.text.editing import words
from reader.core.text.layout import Layout, Span, layout_text
from reader.core.text.passages import sentence_at, sentences
from reader.rich_rows import rich_text

MATCH_STYLE = "black on #e5c07b"
CURRENT_MATCH_STYLE = "black on #ff9e64"  # the match n/p moved to
CURSOR_STYLE = "underline"
SELECTION_STYLE = "reverse"


class ArticleView(ScrollView, can_focus=True):
    """Shows one article body; a sentence cursor and a mouse selection pick a passage."""

    DEFAULT_CSS = """
    ArticleView { padding: 0 1; }
    """

    class MatchMoved(Message):
        """The current search match is now match ``index`` (0-based) of ``total``."""

        def __init__(self, index: int, total: int) -> None:
            super().__init__()
            self.index, self.total = index, total

    class Selected(Message):
        """The selected passage changed (logical offsets into the body)."""

        def __init__(self, start: int, end: int) -> None:
            super().__init__()
            self.start, self.end = start, end

    def __init__(self, config: Config, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.article: Article | None = None
        self.text_layout: Layout | None = None
        self._sentences: list[tuple[int, int]] = []
        self._cursor: int | None = None
        self._selection: tuple[int, int] | None = None
        self._drag_from: int | None = None
        self._matches: list[tuple[int, int]] = []
        self._match_index = -1
        self._notes: list[tuple[int, int, str]] = []
        self._width = 0
        # The logical offset kept at the top of the view across widths, and the line it was
        # put on; and one still waiting for the refresh that applies a new layout.
        self._anchor: tuple[int, int] | None = None
        self._pending_top: int | None = None
        self._scrollbar_waits = 0  # refreshes waited for a scrollbar to scroll with
        # Word-wise selection from the keyboard: the words of the body (found when first
        # needed), the word the selection started from and the word it reaches.
        self._words: list[tuple[int, int]] | None = None
        self._word_anchor: int | None = None
        self._word_head: int | None = None

    # ----- what is shown -----

    def show(
        self, article: Article, matcher: Matcher | None = None, top: int | None = None
    ) -> None:
        """Open ``article``; mark what ``matcher`` matches and scroll to the first match, or,
        given ``top`` (a logical offset), put the row holding it at the top instead."""
        self.article = article
        self._sentences = sentences(article.body)
        self._cursor = None
        self._selection = None
        self._words = None
        self._word_anchor = self._word_head = None
        self._matches = matcher.spans(article.body) if matcher is not None else []
        self._match_index = -1
        self._notes = []
        self._anchor = self._pending_top = None
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)
        if top is not None and 0 < top < len(article.body):
            self.scroll_top_to(top)
        elif self._matches:
            # After the refresh that applies the new virtual size: a scroll before it is
            # clamped to the old one (a match far down a long article was not shown).
            self.call_after_refresh(self.jump_match, 1)

    def set_note_spans(self, spans: list[tuple[int, int, str]]) -> None:
        """Passages that have notes, each with the style of its verdict."""
        self._notes = spans
        self._relayout()

    def _spans(self) -> list[Span]:
        spans = [Span(start, end, style) for start, end, style in self._notes]
        spans += [Span(start, end, MATCH_STYLE) for start, end in self._matches]
        if 0 <= self._match_index < len(self._matches):
            spans.append(Span(*self._matches[self._match_index], CURRENT_MATCH_STYLE))
        if self._cursor is not None and self._selection is None:
            start, end = self._sentences[self._cursor]
            spans.append(Span(start, end, CURSOR_STYLE))
        if self._selection is not None:
            spans.append(Span(*self._selection, self._selection_style()))
        return spans

    def _selection_style(self) -> str:
        """Reverse video of the view's own colours, so a selection looks the same over every
        mark under it: a bare reverse swapped a noted passage's background into its text
        colour, and the selected words looked unmarked."""
        if not self.is_attached:
            return SELECTION_STYLE
        base = self.rich_style
        colours = [
            f"{prefix}{colour.triplet.hex if colour.triplet else colour.name}"
            for prefix, colour in (("", base.color), ("on ", base.bgcolor))
            if colour is not None and not colour.is_default
        ]
        return " ".join([SELECTION_STYLE, *colours])

    def _dark(self) -> bool:
        """Whether the theme is dark (before the view is attached: assumed dark)."""
        return self.app.current_theme.dark if self.is_attached else True

    def _content_width(self) -> int:
        """The cells a row of text has: the view's, less the vertical scrollbar's when the
        article will surely need one and it is not shown yet (more characters than twice
        the view's cells: a zero-width mark is at most every other character). Laid out at
        the full width, a long article was laid out a second time when its scrollbar came,
        at every opening (a 2 MB body: 0.8 s more)."""
        region = self.scrollable_content_region
        width = max(1, region.width)
        if (
            self.article is not None
            and not self.show_vertical_scrollbar
            and self.styles.overflow_y in ("auto", "scroll")
            and len(self.article.body) > 2 * width * max(1, region.height)
        ):
            width = max(1, width - self.styles.scrollbar_size_vertical)
        return width

    def _relayout(self) -> None:
        """Lay out again (cached by the engine per text and width) and apply the spans."""
        if self.article is None:
            self.text_layout = None
            self.virtual_size = Size(0, 0)
            self.refresh()
            return
        self._width = self._content_width()
        self.text_layout = layout_text(
            self.article.body,
            self._width,
            underline_free(self.article.body, self._spans(), dark=self._dark()),
            lang=self.article.lang,
            harakat=self.config.harakat,  # type: ignore[arg-type]
            mode=self.config.rtl,  # type: ignore[arg-type]
        )
        self.virtual_size = Size(self._width, len(self.text_layout.lines))
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        self._fit_width()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # A scrollbar takes cells from the text without a Resize event: lay out again.
        self.call_after_refresh(self._fit_width)

    def _fit_width(self) -> None:
        """Lay out again at a new width, keeping the same text at the top of the view.

        Line numbers change with the width, so the scroll offset alone would show another
        part of the article (a match jumped to just before a scrollbar appeared was lost).
        The text kept at the top is a logical offset, carried unchanged through a run of
        widths while the user does not scroll (taking each new layout's line start drifted
        back a line per width), and through a width that comes before the previous one was
        scrolled to (the scroll offset then still counts lines of the layout before).
        """
        if self.article is None or self._content_width() == self._width:
            return
        top = self._top_to_keep()
        self._relayout()
        if top is not None:
            # After the refresh that applies the new virtual size (see ``show``).
            self._pending_top = top
            self.call_after_refresh(self._scroll_top_to, top)

    def _top_to_keep(self) -> int | None:
        if self._pending_top is not None:
            return self._pending_top
        y = self.scroll_offset.y
        if y == 0:
            return None
        if self._anchor is not None and self._anchor[1] == y:
            return self._anchor[0]
        return self._first_visible_offset()

    def _scroll_top_to(self, offset: int) -> None:
        """Scroll so that the line holding logical ``offset`` is the top line."""
        if offset != self._pending_top:
            return  # a later width already put this offset (or another) on top
        place = None if self.text_layout is None else self.text_layout.logical_to_visual(offset)
        waits = self._scrollbar_waits
        if place is not None and not self.allow_vertical_scroll and waits < 5:
            # an article just shown: its scrollbar comes with a later refresh, and a scroll
            # before it is refused
            self._scrollbar_waits = waits + 1
            self.call_after_refresh(self._scroll_top_to, offset)
            return
        self._pending_top = None
        self._scrollbar_waits = 0
        if place is not None:
            self.scroll_to(y=place[0], animate=False, immediate=True)
            self._anchor = (offset, place[0])

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.text_layout is None or index >= len(self.text_layout.lines):
            return Strip.blank(width, base)
        text = rich_text(self.text_layout.line_text(index))
        strip = Strip(text.render(self.app.console), text.cell_len)
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_style(base)

    # ----- moving about -----

    def _scroll_to_offset(self, offset: int) -> None:
        if self.text_layout is None:
            return
        place = self.text_layout.logical_to_visual(offset)
        if place is None:
            return
        line = place[0]
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        if not top <= line < top + height:
            self.scroll_to(y=max(0, line - height // 3), animate=False)

    def move_sentence(self, step: int) -> None:
        """Put the sentence cursor on the next (``step`` 1) or previous (-1) sentence."""
        if not self._sentences:
            return
        if self._cursor is None:
            first_visible = self._first_visible_offset()
            self._cursor = sentence_at(self._sentences, first_visible)
        else:
            self._cursor = max(0, min(len(self._sentences) - 1, self._cursor + step))
        self._selection = None
        self._word_anchor = self._word_head = None
        self._relayout()
        start, end = self._sentences[self._cursor]
        self._scroll_to_offset(start)
        self.post_message(self.Selected(start, end))

    def cursor_to(self, offset: int) -> None:
        """Put the sentence cursor on the sentence holding logical ``offset``, without
        scrolling (the caller places the view), so a note can be made on it at once."""
        if not self._sentences:
            return
        self._cursor = sentence_at(self._sentences, offset)
        self._selection = None
        self._word_anchor = self._word_head = None
        self._relayout()

    def top_offset(self) -> int:
        """The logical offset shown at the top of the view (0 at the top of the article)."""
        return 0 if self.scroll_offset.y == 0 else self._first_visible_offset()

    def scroll_top_to(self, offset: int) -> None:
        """Put the row holding logical ``offset`` at the top (after the next refresh, so an
        article just shown has its size), as the view keeps its top across widths."""
        self._pending_top = offset
        self.call_after_refresh(self._scroll_top_to, offset)

    def _first_visible_offset(self) -> int:
        if self.text_layout is None:
            return 0
        for line in range(self.scroll_offset.y, len(self.text_layout.lines)):
            start, end = self.text_layout.line_range(line)
            if end > start:
                return start
        return 0

    def jump_match(self, step: int) -> None:
        """Scroll to the next or previous search match."""
        if not self._matches:
            self.app.bell()
            return
        self._match_index = (self._match_index + step) % len(self._matches)
        self._relayout()  # the current match is marked apart (the geometry is cached)
        self._scroll_to_offset(self._matches[self._match_index][0])
        self.post_message(self.MatchMoved(self._match_index, len(self._matches)))

    # ----- word-wise selection -----

    def _word_list(self) -> list[tuple[int, int]]:
        if self._words is None:
            self._words = words(self.article.body) if self.article is not None else []
        return self._words

    def _word_from(self, offset: int) -> int:
        """The first word ending after ``offset`` (the last word when none does)."""
        found = self._word_list()
        index = bisect_right([end for _, end in found], offset)
        return min(index, len(found) - 1)

    def _start_word(self) -> int:
        """The word a keyboard selection starts from: the first of the selection, else of the
        sentence under the cursor, else the first one on the screen."""
        if self._selection is not None:
            return self._word_from(self._selection[0])
        if self._cursor is not None and self._cursor >= 0:
            return self._word_from(self._sentences[self._cursor][0])
        return self._word_from(self._first_visible_offset())

    def _reading_step(self, visual: int, word: int) -> int:
        """A move ``visual`` cells to the right (1) or left (-1) as a step in reading order:
        in a right-to-left paragraph the next word is on the left."""
        if self.text_layout is None:
            return visual
        place = self.text_layout.logical_to_visual(self._word_list()[word][0])
        rtl = place is not None and self.text_layout.lines[place[0]].rtl
        return -visual if rtl else visual

    def word_step(self, visual: int, extend: bool = False) -> None:
        """Select a word from the keyboard: the next word towards the arrow (``visual`` 1 for
        right, -1 for left) in reading order, so in Arabic "left" goes on to the next word.
        ``extend``: move the selection's moving end by a word that way instead, the other end
        staying (a clause, a figure with its unit); across it, the selection turns round."""
        found = self._word_list()
        if self.article is None or not found:
            return
        if self._word_head is not None and self._word_anchor is not None:
            head, anchor = self._word_head, self._word_anchor
            step = self._reading_step(visual, head)
        elif extend and self._selection is not None:  # grow a selection made otherwise
            anchor = self._word_from(self._selection[0])
            head = max(anchor, bisect_left([s for s, _ in found], self._selection[1]) - 1)
            step = self._reading_step(visual, head)
        else:  # the first press selects the first word of the sentence (or the screen)
            head = anchor = self._start_word()
            step = 0
        head = max(0, min(len(found) - 1, head + step))
        if not extend:
            anchor = head
        self._word_anchor, self._word_head = anchor, head
        first, last = min(anchor, head), max(anchor, head)
        self._selection = (found[first][0], found[last][1])
        self._relayout()
        self._scroll_to_offset(found[head][0])
        self.post_message(self.Selected(*self._selection))

    def selected_passage(self) -> tuple[int, int] | None:
        """The mouse selection, else the sentence under the cursor, else None."""
        if self._selection is not None:
            return self._selection
        if self._cursor is not None:
            return self._sentences[self._cursor]
        return None

    # ----- mouse -----

    def _offset_at(self, x: int, y: int) -> int | None:
        if self.text_layout is None:
            return None
        line = y + self.scroll_offset.y
        if not 0 <= line < len(self.text_layout.lines):
            return None
        return self.text_layout.visual_to_logical(line, x + self.scroll_offset.x)

    def _event_offset(self, event: MouseDown | MouseMove) -> int | None:
        """The logical character under the mouse, if any."""
        offset = event.get_content_offset(self)
        return None if offset is None else self._offset_at(offset.x, offset.y)

    def on_mouse_down(self, event: MouseDown) -> None:
        logical = self._event_offset(event)
        if logical is None:
            return
        self._drag_from = logical
        self._selection = None
        self._word_anchor = self._word_head = None
        self.capture_mouse()

    def on_mouse_move(self, event: MouseMove) -> None:
        if self._drag_from is None:
            return
        logical = self._event_offset(event)
        if logical is None:
            return
        start, end = sorted((self._drag_from, logical))
        self._selection = (start, end + 1)
        self._relayout()

    def on_mouse_up(self, event: MouseUp) -> None:
        if self._drag_from is None:
            return
        self.release_mouse()
        anchor, self._drag_from = self._drag_from, None
        if self._selection is None:
            # A click without a drag puts the sentence cursor where it landed.
            self._cursor = sentence_at(self._sentences, anchor)
            self._relayout()
            if self._cursor >= 0:
                self.post_message(self.Selected(*self._sentences[self._cursor]))
            return
        self.post_message(self.Selected(*self._selection))

    def select(self, start: int, end: int) -> None:
        """Select a passage by logical offsets (as a mouse drag would)."""
        self._selection = (start, end)
        self._word_anchor = self._word_head = None
        self._relayout()
        self._scroll_to_offset(start)
