"""``reader compare``: articles side by side, passage by passage, with their divergences."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from reader.core.config import Config

if TYPE_CHECKING:
    from reader.core.events.alignment import Alignment
    from reader.core.events.divergences import Divergence
    from reader.core.library import Library
    from reader.core.sources.article import Article

_SNIPPET = 90


def add_parser(sub: Any) -> None:
    """Register the ``compare`` command."""
    parser = sub.add_parser(
        "compare",
        help="compare articles passage by passage, with divergences",
        description="Pair each paragraph of the first article with the most similar paragraph "
        "of each other one (across English and Arabic, through names and numbers; each "
        "paragraph the counterpart of one at most), then list the facts: conflicts (values "
        "that cannot both be true), differences (both may be true: at least 12 / at least "
        "14), facts only one article reports, and shared ones. An id may be given by a "
        "unique prefix.",
        epilog="Example: reader compare 001_629cc8aa1a0900a3 000_7b206ec7414ebb17 --json",
    )
    parser.add_argument("ids", nargs="*", metavar="ID", help="two or more article ids")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--no-entities", action="store_true", help="leave named entities out of the divergences"
    )
    parser.add_argument(
        "--many-to-one",
        action="store_true",
        help="let one paragraph of another article be the counterpart of several",
    )
    parser.set_defaults(func=run)


def _resolve(library: Library, wanted: list[str]) -> tuple[list[Article], str | None]:
    """The articles for the ids (exact, or a unique prefix), or an error message."""
    from reader.core.library import UnknownArticle

    articles: list[Article] = []
    for given in wanted:
        try:
            article = library.article(given)
        except UnknownArticle as exc:
            return [], str(exc)
        if any(a.id == article.id for a in articles):
            return [], f"article {article.id} is given twice"
        articles.append(article)
    return articles, None


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SNIPPET else flat[: _SNIPPET - 1].rstrip() + "…"


def _print_visual(
    articles: list[Article],
    alignment: Alignment,
    divergences: list[Divergence],
    tag: dict[str, str],
    config: Config,
) -> None:
    """The comparison laid out for the terminal: the same rows as on a pipe, each passage,
    title and quotation laid out by the engine in the room right of its prefix."""
    from reader.cli import terminal_columns
    from reader.cli.visual import VisualPrinter
    from reader.core.events.divergences import STATUSES

    printer = VisualPrinter(config, terminal_columns())
    lang = {a.id: a.lang for a in articles}
    printer.line(
        f"Comparing {len(articles)} articles; passages of {tag[articles[0].id]} on the left:"
    )
    for article in articles:
        prefix = f"  {tag[article.id]} {printer.field(article.id)}  {article.lang}  "
        printer.rows(prefix, article.title, lang=article.lang)
    printer.line("")
    printer.line("Passages (¶ paragraph number, similarity):")
    for row in alignment.rows:
        pivot = row.pivot
        printer.rows(
            f"{tag[pivot.article_id]} ¶{pivot.index + 1}  ",
            _snippet(alignment.text(pivot)),
            lang=lang[pivot.article_id],
        )
        for other, match in zip(articles[1:], row.matches, strict=True):
            if match is None:
                printer.line(f"    {tag[other.id]} —  no matching passage")
                continue
            prefix = f"    {tag[other.id]} ¶{match.passage.index + 1}  {match.score:.2f}  "
            printer.rows(prefix, _snippet(alignment.text(match.passage)), lang=lang[other.id])
            if match.shared:
                shared = ", ".join(printer.field(word) for word in match.shared[:4])
                printer.line(f"{' ' * len(prefix)}(shared: {shared})", style="dim")
    counts = {s: sum(d.status == s for d in divergences) for s in STATUSES}
    printer.line("")
    printer.line(
        f"Divergences: {counts['conflict']} conflicts, {counts['differ']} differ (both may be "
        f"true), {counts['only']} reported by one article, {counts['shared']} shared"
    )
    for divergence in divergences:
        printer.rows(f"{divergence.status.upper():8} ", divergence.description, lang="en")
        if divergence.kind == "entity":
            continue
        for ref in divergence.refs:
            prefix = f"           {tag[ref.article_id]} ¶{ref.paragraph + 1}  "
            printer.rows(prefix, ref.text, lang=lang.get(ref.article_id))


def run(args: argparse.Namespace, config: Config) -> int:
    """Print the comparison; exit 2 for fewer than two ids, an unknown or ambiguous one, 1
    when there is no index and none can be built."""
    from reader.cli import warn
    from reader.cli.opening import open_library
    from reader.core.events.alignment import align
    from reader.core.events.divergences import STATUSES, find_divergences
    from reader.core.names.gazetteer import GazetteerError, gazetteer_for
    from reader.core.records import ComparisonRecord
    from reader.core.text.sanitize import one_line

    if len(args.ids) < 2:
        print("reader: compare needs at least two article ids", file=sys.stderr)
        return 2
    library = open_library(config)
    if library is None:
        return 1
    with library:
        articles, problem = _resolve(library, list(args.ids))
    if problem is not None:
        warn(problem)
        return 2
    try:
        gazetteer = gazetteer_for(config.gazetteer)
    except GazetteerError as exc:
        warn(str(exc))
        return 2
    alignment = align(articles, gazetteer, many_to_one=args.many_to_one)
    divergences = find_divergences(articles, gazetteer)
    if args.no_entities:
        divergences = [d for d in divergences if d.kind != "entity"]
    if args.json:
        print(ComparisonRecord.of(alignment, divergences).to_json())
        return 0
    tag = {a.id: f"[{n}]" for n, a in enumerate(articles, start=1)}
    from reader.cli.visual import stdout_is_terminal

    if stdout_is_terminal():
        _print_visual(articles, alignment, divergences, tag, config)
        return 0
    print(f"Comparing {len(articles)} articles; passages of {tag[articles[0].id]} on the left:")
    for article in articles:
        print(one_line(f"  {tag[article.id]} {article.id}  {article.lang}  {article.title}"))
    print()
    print("Passages (¶ paragraph number, similarity):")
    for row in alignment.rows:
        pivot = row.pivot
        text = _snippet(alignment.text(pivot))
        print(one_line(f"{tag[pivot.article_id]} ¶{pivot.index + 1}  {text}"))
        for other, match in zip(articles[1:], row.matches, strict=True):
            if match is None:
                print(f"    {tag[other.id]} —  no matching passage")
                continue
            text = _snippet(alignment.text(match.passage))
            shared = f"  (shared: {', '.join(match.shared[:4])})" if match.shared else ""
            print(
                one_line(
                    f"    {tag[other.id]} ¶{match.passage.index + 1}  {match.score:.2f}  "
                    f"{text}{shared}"
                )
            )
    counts = {s: sum(d.status == s for d in divergences) for s in STATUSES}
    print()
    print(
        f"Divergences: {counts['conflict']} conflicts, {counts['differ']} differ (both may be "
        f"true), {counts['only']} reported by one article, {counts['shared']} shared"
    )
    for divergence in divergences:
        print(one_line(f"{divergence.status.upper():8} {divergence.description}"))
        if divergence.kind == "entity":
            continue
        for ref in divergence.refs:
            print(one_line(f"           {tag[ref.article_id]} ¶{ref.paragraph + 1}  {ref.text!r}"))
    return 0
