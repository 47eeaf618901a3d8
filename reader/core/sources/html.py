"""HTML pages: main text and metadata through ``trafilatura``.

Trafilatura finds the article in a saved page (navigation, comment threads, related-story
lists, footers and mastheads left out, whatever the page's language) and reads the title,
author, publication date, site name and canonical URL from the page's metadata (Open Graph,
JSON-LD, ``<meta>``, ``<link rel=canonical>``, bylines). Its parser (lxml) caps nesting depth,
so a deeply nested page gives less text or none, never a crash.
"""

from __future__ import annotations

import logging
from typing import Any

from reader.core.sources.page import Page, host_outlet, plain_field

# Trafilatura and its helpers log a warning for each page they find nothing in; reader reports
# that itself, once, in its own words (a warning on stderr would be a second, raw line).
for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    _logger = logging.getLogger(_name)
    _logger.addHandler(logging.NullHandler())
    _logger.propagate = False

_BLOCKS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
    | {"tr", "table", "section", "article", "pre", "dd", "dt"}
)


def html_page(html: str | bytes, *, url: str = "") -> Page | None:
    """The article of one HTML page, or None when the page has no text to extract.

    ``url`` is where the page was found (an archived URL), used to resolve a relative canonical
    link and as the page's URL when it names none. The Page's meta holds whatever the page
    gives of ``title``, ``author``, ``published`` (YYYY-MM-DD), ``outlet`` (the site name, else
    the URL's host) and ``url`` (canonical link, else ``url``).
    """
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
    )
    if document is None:
        return None
    fields: dict[str, Any] = document if isinstance(document, dict) else document.as_dict()
    text = fields.get("text") or ""
    paragraphs = [line for line in (plain_field(p) for p in text.split("\n")) if line]
    if not paragraphs:
        return None
    page_url = plain_field(fields.get("url")) or url
    meta: dict[str, Any] = {
        "title": plain_field(fields.get("title")),
        "author": plain_field(fields.get("author")),
        "published": plain_field(fields.get("date")),
        "outlet": plain_field(fields.get("sitename")) or host_outlet(page_url),
        "url": page_url,
    }
    return Page("", paragraphs, {k: v for k, v in meta.items() if v})


def html_text(fragment: str) -> list[str]:
    """The paragraphs of an HTML fragment (a feed entry's summary or content) as plain text:
    tags dropped, entities decoded, scripts and styles left out, one paragraph per block
    element or line break, whitespace runs made one space. Text that is not HTML comes back
    as its lines."""
    if "<" not in fragment and "&" not in fragment:
        return [line for line in (plain_field(p) for p in fragment.split("\n")) if line]
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return []
    for element in list(root.iter()):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("script", "style", "template"):
            element.drop_tree()
        elif tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    text = root.text_content()
    return [line for line in (plain_field(p) for p in text.split("\n")) if line]
