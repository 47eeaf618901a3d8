"""``reader notes``: list, add and export verification notes (see reader.core.notes.store)."""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING, Any

from reader.core.config import Config

if TYPE_CHECKING:
    from reader.cli.visual import VisualPrinter
    from reader.core.library import Library
    from reader.core.notes.export import ArticleNotes
    from reader.core.notes.note import Evidence
    from reader.core.notes.store import NotesFileError, NotesStore
    from reader.core.sources.article import Article

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")
# Embeddings, overrides and isolates in untrusted text would reorder the rest of the line.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# A quote found thousands of times (a repeated word) lists only the first few in the error.
_SHOWN_OCCURRENCES = 20


def add_parser(sub: Any) -> None:
    """Register the ``notes`` command and its actions."""
    parser = sub.add_parser(
        "notes",
        help="list, add, export and import verification notes",
        description="Verification notes: a verdict on a passage of an article, with the claim, "
        "evidence and your notes. One TOML file per article in [storage] notes_dir.",
        epilog="Example: reader notes add 000_7b206ec7414ebb17 --quote 'officially announced "
        "their defeat' --verdict misleading",
    )
    actions = parser.add_subparsers(dest="notes_command", metavar="ACTION", required=True)

    listing = actions.add_parser(
        "list",
        help="list notes, with where their passage is now",
        description="List notes, of one article or of all. Each shows whether its passage is "
        "still where it was (exact), moved, changed (fuzzy) or gone (orphaned).",
        epilog="Example: reader notes list --verdict false --json",
    )
    listing.add_argument(
        "id", nargs="?", help="article id or a unique prefix (default: every article)"
    )
    listing.add_argument("--verdict", help="only notes with this verdict")
    listing.add_argument("--json", action="store_true", help="one JSON object per note a line")

    adding = actions.add_parser(
        "add",
        help="add a note on a passage of an article",
        description="Add a note on the passage QUOTE of an article. The quote must occur in the "
        "article's text (compared after NFC); when it occurs more than once, say which with "
        "--occurrence. Prints the new note's id.",
        epilog="Example: reader notes add 003_cf72655655ca3791 --quote 'قاعدة الوطية' "
        "--occurrence 2 --verdict mixed --evidence https://example.org/report --tag airbase",
    )
    adding.add_argument("id", help="article id or a unique prefix (see reader search)")
    adding.add_argument("--quote", required=True, help="the passage, exactly as in the article")
    adding.add_argument("--verdict", default="unverified", help="a verdict of [notes.verdicts]")
    adding.add_argument("--claim", help="the checkable claim (default: the passage)")
    adding.add_argument("--note", default="", help="your notes (may span lines)")
    adding.add_argument(
        "--evidence", action="append", default=[], metavar="URL", help="a URL or article id"
    )
    adding.add_argument("--occurrence", type=int, metavar="N", help="which occurrence (1 = first)")
    adding.add_argument("--tag", action="append", default=[], metavar="T", help="a tag")
    adding.add_argument("--claimant", default="", metavar="NAME", help="who made the claim")
    adding.add_argument(
        "--claimant-url", default="", metavar="URL", help="a page that identifies the claimant"
    )

    from reader.cli.notes_export import add_parsers

    add_parsers(actions)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, config: Config) -> int:
    """Run one notes action; 0 done, 1 a notes file has an error (or there is no index and
    none can be built), 2 bad input."""
    from reader.cli import notes_export
    from reader.cli.opening import open_library

    library = open_library(config)
    if library is None:
        return 1
    action = {
        "list": _list,
        "add": _add,
        "export": notes_export.export,
        "import": notes_export.import_notes,
    }[args.notes_command]
    with library:
        return action(args, config, library.notes, library)


def _fail(message: str, code: int = 2, *more_lines: str) -> int:
    """Print ``message`` (and ``more_lines``, each on a line of its own) through
    :func:`reader.cli.warn`; return ``code``."""
    from reader.cli import warn

    warn(message, *more_lines)
    return code


def _check_verdict(config: Config, verdict: str) -> str | None:
    if verdict in config.verdicts:
        return None
    return f"unknown verdict {verdict!r}; the scale is: {', '.join(config.verdicts)}"


def _one_line(text: str, limit: int = 90) -> str:
    from reader.core.text.sanitize import one_line

    flat = one_line(" ⏎ ".join(text.split("\n")))
    flat = _BIDI_CONTROLS.sub("\ufffd", flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _printer(config: Config) -> VisualPrinter:
    from reader.cli import terminal_columns
    from reader.cli.visual import VisualPrinter

    return VisualPrinter(config, terminal_columns())


def _print_group_visual(printer: VisualPrinter, group: ArticleNotes) -> None:
    """One article's notes laid out for the terminal: the text of the article and of the
    notes (title, quote, claim) in rows of the terminal's width, Arabic shaped and reordered."""
    lang = group.article.lang if group.article else None
    title = group.article.title if group.article else "(article no longer in the corpus)"
    printer.rows(f"{group.article_id}  ", title, lang=lang, style="bold")
    for note in group.notes:
        where = group.anchor(note)
        span = f"{where.start}-{where.end}" if where.span else ""
        verdict = printer.field(note.verdict)
        printer.line(f"  {printer.field(note.id)}  {verdict:<12} {where.status:<8} {span}")
        printer.rows("      quote: ", note.quote.exact, lang=lang)
        if note.claim != note.quote.exact:
            printer.rows("      claim: ", note.claim, lang=lang)
        if note.conflict_of:
            printer.line(
                "      conflict: edited in two places at once, see "
                + printer.field(note.conflict_of)
            )


def _list(args: argparse.Namespace, config: Config, store: NotesStore, library: Library) -> int:
    from reader.cli import warn
    from reader.cli.notes_reading import gather, read_notes
    from reader.cli.visual import stdout_is_terminal
    from reader.core.library import AmbiguousId, ArticleNotFound
    from reader.core.notes.note import off_the_scale
    from reader.core.records import NoteRecord
    from reader.core.text.sanitize import one_line

    if args.verdict is not None and (problem := _check_verdict(config, args.verdict)):
        return _fail(problem)
    article_id: str | None = args.id
    if article_id is not None:
        try:
            article_id = library.resolve(article_id)
        except AmbiguousId as exc:
            return _fail(str(exc))
        except ArticleNotFound:  # notes of an article no longer in the corpus are listed
            if not store.path_for(article_id).exists():
                return _fail(
                    f"no article with id {article_id!r} and no notes for it (see reader search)"
                )
    errors: list[NotesFileError] = []
    notes = read_notes(store, article_id, errors)
    if args.verdict is not None:
        notes = [note for note in notes if note.verdict == args.verdict]
    printer = None if args.json or not stdout_is_terminal() else _printer(config)
    for group in gather(notes, library):
        if printer is not None:
            _print_group_visual(printer, group)
            continue
        if not args.json:
            title = group.article.title if group.article else "(article no longer in the corpus)"
            print(f"{one_line(group.article_id)}  {_one_line(title, 80)}")
        for note in group.notes:
            where = group.anchor(note)
            if args.json:
                print(NoteRecord.from_note(note, where, config.verdicts).to_json())
                continue
            span = f"{where.start}-{where.end}" if where.span else ""
            print(
                f"  {one_line(note.id)}  {one_line(note.verdict):<12} {where.status:<8} {span:<11} "
                f"“{_one_line(note.quote.exact, 70)}”"
            )
            if note.claim != note.quote.exact:
                print(f"      claim: {_one_line(note.claim)}")
            if note.conflict_of:
                print(
                    "      conflict: edited in two places at once, see "
                    + one_line(note.conflict_of)
                )
    for error in errors:
        warn(str(error))
    if off := off_the_scale(notes, config.verdicts):
        warn(f"{one_line(off)}; they are kept as they are and never rated in exports")
    _warn_rescues(store)
    if not notes and not errors and not args.json:
        print("reader: no notes (add one with reader notes add)", file=sys.stderr)
    return 1 if errors else 0


def _warn_rescues(store: NotesStore) -> None:
    from reader.cli import warn

    folder = store.folder
    if not folder.is_dir():
        return
    for rescue in sorted(folder.glob("*.rescue*.toml")):
        warn(
            f"{rescue} holds notes that could not be saved; they are merged back at the "
            "next change to that article's notes once its file is fixed"
        )


def _add(args: argparse.Namespace, config: Config, store: NotesStore, library: Library) -> int:
    from reader.core.library import UnknownArticle
    from reader.core.notes.anchoring import occurrences
    from reader.core.notes.store import NotesFileError
    from reader.core.sources.article import normalize_text

    try:
        article = library.article(args.id)
    except UnknownArticle as exc:
        return _fail(str(exc))
    if problem := _check_verdict(config, args.verdict):
        return _fail(problem)
    if args.claimant_url and not _URL.match(args.claimant_url.strip()):
        return _fail(f"--claimant-url {args.claimant_url!r} is not a URL (https://...)")
    quote = normalize_text(args.quote)
    if not quote.strip():
        return _fail("--quote must not be empty")
    found = occurrences(article.body, quote)
    if not found:
        return _fail(_not_found(article, quote))
    if args.occurrence is None and len(found) > 1:
        lines = [
            f"the quote occurs {len(found)} times in {article.id}; say which with --occurrence N:"
        ]
        for number, at in enumerate(found[:_SHOWN_OCCURRENCES], start=1):
            lines.append(f"  {number}: {_in_context(article.body, at, at + len(quote))}")
        if len(found) > _SHOWN_OCCURRENCES:
            lines.append(f"  ... and {len(found) - _SHOWN_OCCURRENCES} more")
        return _fail(lines[0], 2, *lines[1:])
    occurrence = args.occurrence or 1
    if not 1 <= occurrence <= len(found):
        return _fail(f"--occurrence must be between 1 and {len(found)}")
    evidence: list[Evidence] = []
    for source in args.evidence:
        try:
            entry = _evidence(source, library)
        except UnknownArticle as exc:
            return _fail(f"--evidence: {exc}")
        if entry is None:
            return _fail(f"--evidence {source!r} is neither a URL (https://...) nor an article id")
        evidence.append(entry)
    start = found[occurrence - 1]
    tags = [normalize_text(tag).strip() for tag in args.tag if tag.strip()]
    try:
        note = store.add(
            article,
            start,
            start + len(quote),
            verdict=args.verdict,
            claim=None if args.claim is None else normalize_text(args.claim),
            note=normalize_text(args.note),
            evidence=evidence,
            tags=tags,
            claimant=normalize_text(args.claimant).strip(),
            claimant_url=args.claimant_url.strip(),
        )
    except NotesFileError as error:
        return _fail(str(error), 1)
    except ValueError as error:
        return _fail(str(error))
    print(note.id)
    return 0


def _evidence(source: str, library: Library) -> Evidence | None:
    """A URL, or an article by id or unique prefix; None for neither. AmbiguousId (an
    UnknownArticle) for a prefix of several ids."""
    from reader.core.library import ArticleNotFound
    from reader.core.notes.note import Evidence

    if library.get(source) is not None:
        return Evidence(article=source)
    if _URL.match(source):
        return Evidence(url=source)
    try:
        return Evidence(article=library.resolve(source))
    except ArticleNotFound:
        return None


def _in_context(body: str, start: int, end: int, width: int = 30) -> str:
    before = body[max(0, start - width) : start]
    after = body[end : end + width]
    return _one_line(f"…{before}[{body[start:end]}]{after}…", 160)


def _not_found(article: Article, quote: str) -> str:
    from rapidfuzz import fuzz

    message = f"the quote does not occur in {article.id} (compared after NFC)"
    near = fuzz.partial_ratio_alignment(quote, article.body)
    if near is not None and near.score >= 60:
        message += (
            f"; the closest passage is: {_in_context(article.body, near.dest_start, near.dest_end)}"
        )
    return message
