"""Printing an article laid out for the screen (``reader show --visual``)."""

from __future__ import annotations

from reader.core.article import Article
from reader.core.config import Config
from reader.core.safe_text import printable


def print_visual(article: Article, meta: list[tuple[str, str]], width: int, config: Config) -> None:
    """Print the article for a terminal of ``width`` cells."""
    print(printable(article.title))
    for key, value in meta:
        if value:
            print(f"{key}: {printable(value)}")
    print()
    print(printable(article.body))
