"""``reader search``: ranked results from the shell, as text or JSON lines."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from reader.core.config import Config


def add_parser(sub: Any) -> None:
    """Register the ``search`` command."""
    parser = sub.add_parser(
        "search",
        help="search the corpus",
        description="Search titles and bodies with Whoosh's query language: AND, OR, NOT, "
        '"phrases", field:value (title, body, lang, outlet, published), prefix*.',
        epilog="Example: reader search 'Sirte AND ceasefire' --lang en --limit 5",
    )
    parser.add_argument("query", nargs="+", help="the query (words are joined with spaces)")
    parser.add_argument("--limit", type=int, default=None, help="results to show (default 20)")
    parser.add_argument("--lang", choices=("ar", "en", "other"), help="only this language")
    parser.add_argument("--outlet", help="only this outlet")
    parser.add_argument("--json", action="store_true", help="one JSON object per result")
    parser.set_defaults(func=run)


def _marked(text: str, marks: tuple[tuple[int, int], ...], tty: bool) -> str:
    out: list[str] = []
    last = 0
    start_mark, end_mark = ("\x1b[1;33m", "\x1b[0m") if tty else ("[", "]")
    for start, end in marks:
        out.append(text[last:start])
        out.append(start_mark + text[start:end] + end_mark)
        last = end
    out.append(text[last:])
    return "".join(out)


def run(args: argparse.Namespace, config: Config) -> int:
    """Print the hits; exit 0 even with none (a message on stderr), 2 for a bad query."""
    from reader.core.index import IndexUnavailable, repairing
    from reader.core.safe_text import json_line, printable
    from reader.core.search import QueryError, Searcher

    text = " ".join(args.query)
    limit = args.limit if args.limit is not None else config.search_limit
    if limit < 1:
        print("reader: --limit must be at least 1", file=sys.stderr)
        return 2

    def find() -> Any:
        with Searcher(config) as searcher:
            return searcher.search(text, limit=limit, lang=args.lang, outlet=args.outlet)

    def say(message: str) -> None:
        print(f"reader: {printable(message)}", file=sys.stderr)

    try:
        results = repairing(config, find, say)  # a damaged index: one line, rebuilt, found
    except QueryError as exc:
        print(f"reader: bad query {text!r}: {exc}", file=sys.stderr)
        return 2
    except IndexUnavailable as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 1
    if not results.hits:
        print(f"reader: no articles match {text!r}", file=sys.stderr)
        return 0
    tty = sys.stdout.isatty()
    for hit in results.hits:
        if args.json:
            record = {
                "id": hit.id,
                "title": hit.title,
                "outlet": hit.outlet,
                "lang": hit.lang,
                "published": hit.published.isoformat() if hit.published else None,
                "score": round(hit.score, 4),
                "snippet": hit.snippet,
                "marks": [list(m) for m in hit.snippet_marks],
            }
            print(json_line(record))
            continue
        meta = " · ".join(x for x in (hit.outlet, hit.lang, str(hit.published or "")) if x)
        print(printable(f"{hit.id}  {hit.title}  ({meta}) score {hit.score:.2f}"))
        # Mark first, then make printable: marks index the logical snippet.
        print(f"    {_marked(printable(hit.snippet), hit.snippet_marks, tty)}")
    if results.total > len(results.hits):
        about = "" if results.exact else "about "
        print(f"reader: showing {len(results.hits)} of {about}{results.total}", file=sys.stderr)
    return 0
