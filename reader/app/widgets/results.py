"""The results list: one entry per article, Arabic titles and snippets right-aligned."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.app.widgets.bidi_text import BidiText, field_text
from reader.core.config import Config
from reader.core.search.hits import Hit
from reader.core.text.sanitize import one_line

LANGUAGE_NAMES = {"ar": "Arabic", "en": "English"}


class HitMeta:
    """The metadata row of a result: outlet · language · date · id. Where the pane is too
    narrow for all of it on one row, the id (shown in the article's header once open) is left
    out rather than wrapped onto a row of its own; the rest wraps and is shown whole."""

    def __init__(self, parts: list[str], article_id: str) -> None:
        self.parts = [part for part in parts if part]
        self.article_id = article_id

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        full = " · ".join([*self.parts, self.article_id])
        if cell_len(full) <= options.max_width or not self.parts:
            yield Text(full, style="dim")
        else:
            yield Text(" · ".join(self.parts), style="dim")


def hit_prompt(hit: Hit, config: Config) -> Group:
    """What one result shows: title, outlet/language/date(/id), and a snippet with matches
    marked."""
    meta = HitMeta(
        [
            field_text(hit.outlet, config),
            LANGUAGE_NAMES.get(hit.lang, hit.lang),
            hit.published.isoformat() if hit.published else "",
        ],
        field_text(hit.id, config),
    )
    return Group(
        BidiText(
            one_line(hit.title),
            config,
            marks=hit.title_marks,
            style="bold",
            max_lines=2,
            lang=hit.lang,
        ),
        meta,
        BidiText(
            one_line(hit.snippet), config, marks=hit.snippet_marks, max_lines=2, lang=hit.lang
        ),
    )


class ResultsList(OptionList):
    """Search results; Enter or a click opens one (posts :class:`Opened`)."""

    class Opened(Message):
        """The user chose an article."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, config: Config | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.config = config

    def show(self, hits: list[Hit], *, keep_place: bool = False) -> None:
        """Replace the list with these hits, best first highlighted; with ``keep_place`` (the
        same query, refreshed) the highlighted article stays highlighted when still there."""
        assert self.config is not None
        current = self.highlighted_option.id if self.highlighted_option is not None else None
        self.clear_options()
        self.add_options([Option(hit_prompt(hit, self.config), id=hit.id) for hit in hits])
        ids = [hit.id for hit in hits]
        if keep_place and current in ids:
            self.highlighted = ids.index(current)
        elif ids:
            self.highlighted = 0
            self.scroll_home(animate=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Opened(event.option.id))
