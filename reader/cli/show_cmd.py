"""``reader show``: one article's metadata and cleaned body, logical or laid out for the screen."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from reader.core.config import Config


def add_parser(sub: Any) -> None:
    """Register the ``show`` command."""
    parser = sub.add_parser(
        "show",
        help="print one article",
        description="Print an article's metadata and cleaned body. On a terminal (or with "
        "--visual) the body is laid out right-to-left where needed; on a pipe (or with "
        "--logical) it is the logical text as stored.",
        epilog="Example: reader show 003_cf72655655ca3791 --visual --width 60",
    )
    parser.add_argument("id", help="article id, or a unique prefix of one (see reader search)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--visual", action="store_true", help="lay out for the screen")
    mode.add_argument("--logical", action="store_true", help="logical text as stored")
    parser.add_argument("--width", type=int, default=None, help="line width in cells")
    parser.add_argument("--json", action="store_true", help="the article as one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, config: Config) -> int:
    """Print the article; exit 2 when no article has that id (or the prefix is ambiguous),
    1 when there is no index and none can be built."""
    from reader.cli import terminal_columns, warn
    from reader.cli.opening import open_library
    from reader.core.library import UnknownArticle
    from reader.core.records import ArticleRecord
    from reader.core.text.sanitize import one_line, sanitize

    library = open_library(config)
    if library is None:
        return 1
    with library:
        try:
            article = library.article(args.id)
        except UnknownArticle as exc:
            warn(str(exc))
            return 2
    if args.json:
        print(ArticleRecord.from_article(article, body=True).to_json())
        return 0
    visual = args.visual or (sys.stdout.isatty() and not args.logical)
    width = args.width or terminal_columns()
    if width < 1:
        print("reader: --width must be at least 1", file=sys.stderr)
        return 2
    meta = [
        ("id", article.id),
        ("outlet", article.outlet),
        ("author", article.author),
        ("language", article.lang),
        ("published", article.published.isoformat() if article.published else ""),
        ("url", article.url),
        ("source", article.source),
    ]
    if visual:
        from reader.cli.visual import print_visual

        print_visual(article, meta, width, config)
        return 0
    print(one_line(article.title))
    for key, value in meta:
        if value:
            print(f"{key}: {one_line(value)}")
    print()
    print(sanitize(article.body))
    return 0
