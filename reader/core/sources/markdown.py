"""Markdown rendered to plain paragraphs with a CommonMark parser (``markdown-it-py``).

Headings, paragraphs, list items, quotes and table cells become one paragraph each; emphasis,
code spans and links keep their text and lose their markup (a link shows its text, an image
its alt text); code blocks keep their lines; raw HTML blocks are read as HTML text. Nothing is
ever interpreted: the result is plain text for the article body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.core.sources.html import html_text

if TYPE_CHECKING:
    from markdown_it.token import Token

# Markdown nested deeper than this (quotes in quotes ...) is read as text: the parser recurses.
_MAX_NESTING = 20


def markdown_paragraphs(text: str) -> list[str]:
    """The paragraphs of a Markdown text as plain text, in order; blank ones left out."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"maxNesting": _MAX_NESTING}).enable("table")
    paragraphs: list[str] = []
    for token in parser.parse(text):
        if token.type == "inline":
            paragraphs.append(_inline_text(token.children or []))
        elif token.type in ("fence", "code_block"):
            paragraphs.extend(token.content.split("\n"))
        elif token.type == "html_block":
            paragraphs.extend(html_text(token.content))
    rendered = [line for line in (" ".join(p.split()) for p in paragraphs) if line]
    if not rendered:  # only markup nested past the limit: its lines, rather than nothing
        rendered = [line for line in (" ".join(p.split()) for p in text.split("\n")) if line]
    return rendered


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
        elif child.type == "html_inline":
            continue  # a tag such as <br> or <span>: markup, not text
    return "".join(parts)
