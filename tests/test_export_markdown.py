"""The Markdown report has the same structure whatever text it carries: a report of notes full of
what CommonMark lets start a block (lists, numbered lines such as "2020. The year", rules,
setext underlines, fences, headings, quotes, indented code, HTML, entities, links, images,
tables) renders, with a CommonMark parser, to exactly the tokens of the same report with
harmless text in the same places; the hostile text stays inside its paragraph, heading or list
item."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader.core.config import DEFAULT_VERDICTS
from reader.core.notes.export import markdown_report
from tests.test_export_injection import FIELDS, one_of_each

PARSERS = {
    "commonmark": MarkdownIt("commonmark"),
    "gfm-like": MarkdownIt("gfm-like").enable(["table", "strikethrough"]),
}

INJECTIONS = [
    "- a list",
    "+ a list",
    "* a list",
    "1. numbered",
    "2020. The year the war began",
    "1) numbered",
    "---",
    "***",
    "___",
    "- - -",
    "a setext heading\n===",
    "a setext heading\n---",
    "```python",
    "~~~",
    "# a heading",
    "###### a heading",
    "> a quote",
    "    indented code",
    "\tindented code",
    "<div>block html</div>",
    "<!-- comment",
    "&amp; &#60;b&#62; &copy;",
    "[a link](https://evil.example)",
    "![an image](https://evil.example/i.png)",
    "<https://evil.example>",
    "[ref]: https://evil.example",
    "| a | b |\n| --- | --- |\n| c | d |",
    "\u200f- after a right-to-left mark",
    "\ufeff# after a BOM",
    "  - after spaces",
    "first line\n\n- after an empty line\n\n2020. and a year",
    "**bold** _em_ ~~struck~~ `code`",
    "\\",
]
# URL fields stay a real URL: only whether one is linked depends on them (tested elsewhere).
TEXT_FIELDS = [f for f in FIELDS if f not in ("url", "evidence_url")]


def benign(text: str) -> str:
    """The same lines, each character a letter: what the report looks like without tricks."""
    return re.sub(r"[^\n]", "x", text)


def shape(tokens: list[Token]) -> list[tuple[str, str, int, int, tuple[str, ...]]]:
    """Each token's type, tag, nesting and level, and for inline tokens the kinds of their
    children other than text (links, emphasis, code, HTML, images, breaks)."""
    out = []
    for token in tokens:
        children = tuple(
            child.type for child in token.children or [] if child.type not in ("text",)
        )
        out.append((token.type, token.tag, token.nesting, token.level, children))
    return out


@pytest.mark.parametrize("parser", sorted(PARSERS))
@pytest.mark.parametrize("injection", INJECTIONS)
def test_hostile_text_in_any_field_renders_like_harmless_text(parser: str, injection: str) -> None:
    markdown = PARSERS[parser]
    for field in TEXT_FIELDS:
        hostile = markdown_report(one_of_each(field, injection), DEFAULT_VERDICTS)
        harmless = markdown_report(one_of_each(field, benign(injection)), DEFAULT_VERDICTS)
        assert shape(markdown.parse(hostile)) == shape(markdown.parse(harmless)), (
            field,
            hostile,
        )
