"""``reader search``: ranked results from the shell, as text or JSON lines."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from reader.core.config import Config

if TYPE_CHECKING:
    from reader.core.library import Results


def add_parser(sub: Any) -> None:
    """Register the ``search`` command."""
    parser = sub.add_parser(
        "search",
        help="search the corpus",
        description="Search titles and bodies with Whoosh's query language: AND, OR, NOT, "
        '"phrases", field:value (title, body, lang, outlet, author, published), prefix*.',
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


def _print_visual(results: Results, config: Config) -> None:
    """The hits laid out for the terminal: id, title, then metadata and snippet indented."""
    from reader.cli import terminal_columns
    from reader.cli.visual import VisualPrinter

    printer = VisualPrinter(config, terminal_columns())
    for hit in results.hits:
        printer.rows(f"{hit.id}  ", hit.title, lang=hit.lang, marks=hit.title_marks, style="bold")
        fields = (hit.outlet, hit.lang, str(hit.published or ""))
        meta = " · ".join(printer.field(x) for x in fields if x)
        printer.line(f"    ({meta}) score {hit.score:.2f}", style="dim")
        if hit.snippet:  # an article of a title alone has none: no blank line for it
            printer.rows("    ", hit.snippet, lang=hit.lang, marks=hit.snippet_marks)


def run(args: argparse.Namespace, config: Config) -> int:
    """Print the hits; exit 0 even with none (a message on stderr), 2 for a bad query."""
    from reader.cli import warn
    from reader.core.library import IndexUnavailable, Library, QueryError
    from reader.core.text.sanitize import one_line

    text = " ".join(args.query)
    limit = args.limit if args.limit is not None else config.search_limit
    if limit < 1:
        print("reader: --limit must be at least 1", file=sys.stderr)
        return 2

    library = Library(config)

    def find() -> Results:
        return library.search(text, limit=limit, lang=args.lang, outlet=args.outlet)

    try:
        with library:  # a damaged index: one line, rebuilt, found
            results = library.repairing(find, warn)
    except QueryError as exc:
        shown = text if len(text) <= 80 else text[:60] + "…"
        warn(f"bad query {shown!r}: {exc}")
        return 2
    except IndexUnavailable as exc:
        warn(str(exc))
        return 1
    if results.partial:
        warn(
            f"the search stopped after {config.search_limits.time_limit:g} s "
            "([search] time_limit): results are partial"
        )
    if not results.hits:
        warn(f"no articles match {text!r}")
        return 0
    tty = sys.stdout.isatty()
    if tty and not args.json:  # a terminal: laid out; a pipe or --json: logical text
        _print_visual(results, config)
    listed = results.hits if not tty or args.json else []
    if args.json:
        from reader.core.records import HitRecord  # dataclasses: built only for --json
    for hit in listed:
        if args.json:
            print(HitRecord.from_hit(hit).to_json())
            continue
        fields = (hit.outlet, hit.lang, str(hit.published or ""))
        meta = " · ".join(one_line(x) for x in fields if x)
        print(f"{one_line(hit.id)}  {one_line(hit.title)}  ({meta}) score {hit.score:.2f}")
        # one_line keeps every offset, so the marks still index the snippet.
        if hit.snippet:
            print(f"    {_marked(one_line(hit.snippet), hit.snippet_marks, tty)}")
    if results.total > len(results.hits):
        about = "" if results.exact else "about "
        print(f"reader: showing {len(results.hits)} of {about}{results.total}", file=sys.stderr)
    return 0
