"""The results list: one entry per article, Arabic titles and snippets right-aligned.

What callers may rely on: each hit's rows (title, metadata, snippet) are laid out by reader's
right-to-left engine once per pane width and reused, across keystrokes and redraws, for as long
as the same hit (same text and marks) is among the last :data:`ROWS_KEPT` laid out; the list
measures an entry from those rows, never by rendering it (:attr:`ResultsList.layouts` counts
the hits laid out). A new list is drawn first with the hits that fill the pane, laid out before
the screen is drawn; the rest are listed right after that screen (:meth:`ResultsList.show`).
"""

from __future__ import annotations

from collections import OrderedDict

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text
from textual._context import active_app
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.app.widgets.bidi_text import BidiText, field_text, name_text
from reader.core.config import Config
from reader.core.search.hits import Hit
from reader.core.text.sanitize import one_line

LANGUAGE_NAMES = {"ar": "Arabic", "en": "English"}
ROWS_KEPT = 1024  # (hit, width) layouts kept: many screens of typing, a few widths each


class HitMeta:
    """The metadata row of a result: outlet · language · date · id. Where the pane is too
    narrow for all of it on one row, the id (shown in the article's header once open) is left
    out rather than wrapped onto a row of its own; the rest wraps and is shown whole."""

    def __init__(self, parts: list[str], article_id: str) -> None:
        self.parts = [part for part in parts if part]
        self.article_id = article_id

    def text(self, width: int) -> Text:
        """The row at ``width`` cells (Rich wraps it if even the short form is wider)."""
        full = " · ".join([*self.parts, self.article_id])
        if cell_len(full) <= width or not self.parts:
            return Text(full, style="dim")
        return Text(" · ".join(self.parts), style="dim")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text(options.max_width)


class HitRows:
    """What one result shows: title (at most 2 rows), outlet/language/date(/id), and a snippet
    (at most 2 rows) with matches marked, laid out at the width it is rendered at."""

    def __init__(self, hit: Hit, config: Config | None) -> None:
        self.hit = hit
        self.title = BidiText(
            one_line(hit.title),
            config,
            marks=hit.title_marks,
            style="bold",
            max_lines=2,
            lang=hit.lang,
        )
        self.meta = HitMeta(
            [
                name_text(hit.outlet, config),
                LANGUAGE_NAMES.get(hit.lang, hit.lang),
                hit.published.isoformat() if hit.published else "",
            ],
            field_text(hit.id, config),
        )
        self.snippet = BidiText(
            one_line(hit.snippet), config, marks=hit.snippet_marks, max_lines=2, lang=hit.lang
        )

    def rows(self, console: Console, width: int) -> list[Text]:
        """The rows at ``width`` cells, each a one-row ``Text`` ending in a newline."""
        rows: list[Text] = []
        for line in self.title.lines(width):
            line.style = "bold"  # the base: marks keep their own style on top
            rows.append(line)
        rows.extend(self.meta.text(width).wrap(console, max(1, width)))
        rows.extend(self.snippet.lines(width))
        for row in rows:
            row.end = "\n"
        return rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.rows(console, options.max_width)


def hit_prompt(hit: Hit, config: Config | None) -> HitRows:
    """What one result shows (see :class:`HitRows`), as a Rich renderable."""
    return HitRows(hit, config)


def shown_key(hit: Hit) -> tuple[object, ...]:
    """What of ``hit`` the list shows: two hits with the same key look the same (the score,
    which changes with every keystroke, is not shown)."""
    return (
        hit.id,
        hit.title,
        hit.title_marks,
        hit.outlet,
        hit.lang,
        hit.published,
        hit.snippet,
        hit.snippet_marks,
    )


class HitVisual(Visual):
    """An entry of the list: measured and drawn from the rows :class:`ResultsList` keeps (its
    height is the number of rows laid out: nothing is rendered to measure it). Its strips are
    made from those rows directly, each row a line already (no wrapping again, as Rich's own
    rendering would), the list's style under each piece's own, and kept per style."""

    def __init__(self, results: ResultsList, hit: Hit) -> None:
        self.results = results
        self.hit = hit

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.results.rows(self.hit, width))

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        rows = self.results.rows(self.hit, container_width)
        return max((row.cell_len for row in rows), default=0)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        key = (shown_key(self.hit), width, height, style)
        kept = self.results.strips
        strips = kept.get(key)
        if strips is None:
            self.results.renders += 1
            strips = row_strips(self.results.rows(self.hit, width)[:height], width, style)
            kept[key] = strips
            if len(kept) > ROWS_KEPT:
                kept.popitem(last=False)
        else:
            kept.move_to_end(key)
        return strips


def row_strips(rows: list[Text], width: int, style: Style) -> list[Strip]:
    """One strip per row (rows of at most ``width`` cells, as :meth:`HitRows.rows` makes them),
    ``style`` under each piece's own style: what Textual's ``RichVisual`` draws for them, made
    without wrapping rows that are lines already."""
    console = active_app.get().console
    base = style.rich_style
    under = base.__add__
    strips: list[Strip] = []
    for row in rows:
        # A row without spans renders as one piece with no style (Rich applies its style
        # elsewhere): its own style is put back here.
        plain = console.get_style(row.style) if row.style and not row.spans else None
        segments = [
            Segment(text, under(own or plain) if own or plain else base)
            for text, own, _control in row.render(console, end="")
            if text
        ]
        strip = Strip(segments, row.cell_len)
        strips.append(strip if strip.cell_length <= width else strip.crop(0, width))
    return strips


class ResultsList(OptionList):
    """Search results; Enter or a click opens one (posts :class:`Opened`)."""

    class Opened(Message):
        """The user chose an article."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    # A list of other hits has another height in rows: Textual's Widget lays the whole screen
    # out again for that, which a list of fixed size does not need (OptionList updates the
    # scrollbars itself, and a scrollbar shown or hidden still asks for a layout).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, config: Config | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.config = config
        self._rows: OrderedDict[tuple[object, ...], list[Text]] = OrderedDict()
        self.strips: OrderedDict[tuple[object, ...], list[Strip]] = OrderedDict()
        self.layouts = 0  # hits laid out (a hit and width not already kept): for tests
        self.renders = 0  # hits rendered to strips (a hit, width and style not kept): for tests
        self.first_screens = 0  # lists shown a screen first, the rest after: for tests
        self._shown = 0  # lists shown: a rest added late must belong to the last

    def rows(self, hit: Hit, width: int) -> list[Text]:
        """``hit``'s rows at ``width`` cells, laid out once and kept (see the module)."""
        key = (shown_key(hit), width)
        rows = self._rows.get(key)
        if rows is None:
            self.layouts += 1
            rows = HitRows(hit, self.config).rows(self.app.console, width)
            self._rows[key] = rows
            if len(self._rows) > ROWS_KEPT:
                self._rows.popitem(last=False)
        else:
            self._rows.move_to_end(key)
        return rows

    def show(self, hits: list[Hit], *, keep_place: bool = False) -> None:
        """Replace the list with these hits, best first highlighted; with ``keep_place`` (the
        same query, refreshed) the highlighted article stays highlighted when still there.

        The hits that fill the pane are listed (and laid out) at once, the rest once the
        screen has been drawn (:meth:`_add_rest`): the first screen of a new list waits for
        the layout of the hits it shows only (:attr:`first_screens` counts the lists shown
        so, :attr:`layouts` the hits laid out). A list shown again before that drops the
        rest of the one before."""
        current = self.highlighted_option.id if self.highlighted_option is not None else None
        ids = [hit.id for hit in hits]
        kept = ids.index(current) if keep_place and current is not None and current in ids else None
        first = len(hits) if kept is not None else self._filling(hits)
        self._shown += 1
        self.set_options([Option(HitVisual(self, hit), id=hit.id) for hit in hits[:first]])
        if first < len(hits):
            self.first_screens += 1
            self.call_after_refresh(self._add_rest, self._shown, hits[first:])
        if kept is not None:
            self.highlighted = kept
        elif ids:
            self.highlighted = 0
            self.scroll_home(animate=False)

    def _filling(self, hits: list[Hit]) -> int:
        """How many of ``hits``, from the first, fill the pane as it is now and overflow it by
        a row at least (so a list that will scroll shows its scrollbar from the first
        screen): every hit when they do not, or before the pane has a size."""
        region = self.scrollable_content_region
        if not region:
            return len(hits)
        padding = self.get_component_styles("option-list--option").padding
        width = region.width - self._get_left_gutter_width() - padding.width
        rows = 0
        for count, hit in enumerate(hits, start=1):
            rows += len(self.rows(hit, width))  # what OptionList measures it by (get_height)
            if rows > region.height:
                return count
        return len(hits)

    def _add_rest(self, shown: int, rest: list[Hit]) -> None:
        """List ``rest`` after the hits :meth:`show` listed first, unless another list was
        shown since."""
        if shown == self._shown:
            self.add_options([Option(HitVisual(self, hit), id=hit.id) for hit in rest])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Opened(event.option.id))
