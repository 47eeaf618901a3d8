"""The article header: title (laid out right-to-left when Arabic), metadata, and a warning badge
when the text holds bidi formatting or control characters (ways to disguise text)."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from reader.app.widgets.bidi_text import BidiText, field_text, name_text
from reader.core.config import Config
from reader.core.sources.article import Article
from reader.core.text.sanitize import one_line, scan_text

LANGUAGE_NAMES = {"ar": "Arabic", "en": "English"}


def warning_text(article: Article) -> str:
    """The badge's words, or "" when the article holds nothing suspicious."""
    found = scan_text(article.title + "\n" + article.body)
    parts = []
    if found.bidi_controls:
        parts.append(f"{found.bidi_controls} bidi control character(s)")
    if found.control_chars:
        parts.append(f"{found.control_chars} control character(s) or escape sequence(s)")
    if found.zero_width:
        parts.append(f"{found.zero_width} zero-width character(s)")
    return "⚠ this text holds " + ", ".join(parts) if parts else ""


class ArticleHeader(Widget):
    """Title, outlet, date, language, source path, author, URL and warnings of the open
    article."""

    DEFAULT_CSS = """
    ArticleHeader { height: auto; padding: 0 1; }
    """

    article: reactive[Article | None] = reactive(None, layout=True)

    def __init__(self, config: Config, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config

    def render(self) -> RenderableType:
        article = self.article
        if article is None:
            return Text(
                "Type a query on the left: Enter opens the best hit, Escape moves to the list. "
                "? lists every key.",
                style="dim",
            )
        meta = " · ".join(
            part
            for part in (
                name_text(article.outlet, self.config) or "unknown outlet",
                article.published.isoformat() if article.published else "undated",
                LANGUAGE_NAMES.get(article.lang, article.lang),
                field_text(article.source, self.config),
            )
            if part
        )
        parts: list[RenderableType] = [
            BidiText(one_line(article.title), self.config, style="bold", lang=article.lang),
            Text(meta, style="dim"),
        ]
        byline = " · ".join(
            part
            for part in (
                f"by {name_text(article.author, self.config)}" if article.author else "",
                field_text(article.url, self.config),
            )
            if part
        )
        if byline:
            parts.append(Text(byline, style="dim", no_wrap=True, overflow="ellipsis"))
        warning = warning_text(article)
        if warning:
            parts.append(Text(warning, style="black on yellow"))
        return Group(*parts)
