"""A compare column's header: the main window's header, compact and of one height in every
column, so the bodies start on the same row and aligned passages can be level."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from reader.app.widgets.bidi_text import BidiText, field_text, name_text
from reader.app.widgets.header import LANGUAGE_NAMES, ArticleHeader, warning_text
from reader.core.config import Config
from reader.core.text.sanitize import one_line


class ColumnHeader(ArticleHeader):
    """The main window's header, compact and of one height in every column (so the bodies start
    on the same row and aligned passages can be level): the column's number, language, date,
    outlet and id on one row, the title on at most two, then the warning badge if any."""

    DEFAULT_CSS = """
    ColumnHeader { height: 5; border-bottom: solid $panel; }
    """

    def __init__(self, config: Config, tag: str, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self.tag = tag

    def render(self) -> RenderableType:
        article = self.article
        if article is None:
            return Text("")
        meta = Text(self.tag + " ", style="bold")
        meta.append(
            " · ".join(
                (  # the language first: narrow columns cut the end of the row
                    LANGUAGE_NAMES.get(article.lang, article.lang),
                    article.published.isoformat() if article.published else "undated",
                    name_text(article.outlet, self.config) or "unknown outlet",
                    field_text(article.id, self.config),
                )
            ),
            style="dim",
        )
        meta.no_wrap, meta.overflow = True, "ellipsis"
        title = BidiText(
            one_line(article.title), self.config, style="bold", lang=article.lang, max_lines=2
        )
        parts: list[RenderableType] = [meta, title]
        warning = warning_text(article)
        if warning:
            parts.append(Text(warning, style="black on yellow", no_wrap=True))
        return Group(*parts)
