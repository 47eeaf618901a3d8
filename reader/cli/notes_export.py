"""``reader notes export`` and ``reader notes import``: notes out as ClaimReview, W3C Web
Annotations, Markdown or CSV, and Web Annotations back in (see reader.core.notes.export)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.config import Config

if TYPE_CHECKING:
    from reader.core.library import Library
    from reader.core.notes.claimreview import ReviewSettings
    from reader.core.notes.export import ArticleNotes
    from reader.core.notes.store import NotesStore

FORMATS = ("claimreview", "webannotation", "markdown", "csv")


def add_parsers(actions: Any) -> None:
    """Register ``export`` and ``import`` under ``reader notes``."""
    exporting = actions.add_parser(
        "export",
        help="export notes as ClaimReview, Web Annotations, Markdown or CSV",
        description="Export every note. claimreview: schema.org ClaimReview JSON-LD, rated "
        "verdicts only, with a warning on stderr for each thing a fact-check consumer will "
        "miss; webannotation: W3C Web Annotations (JSON-LD), every note; markdown: a report "
        "by article; csv: one row per note. --out never replaces a file or makes a folder "
        "without --force.",
        epilog="Example: reader notes export --format claimreview --claimant 'Ahmed al-Mismari' "
        "--out reviews.jsonld",
    )
    exporting.add_argument("--format", required=True, choices=FORMATS, help="output format")
    exporting.add_argument("--out", metavar="PATH", help="write here, atomically (default: stdout)")
    exporting.add_argument(
        "--force", action="store_true", help="replace an existing file, make a missing folder"
    )
    exporting.add_argument(
        "--one-per-file",
        action="store_true",
        help="claimreview: one review per file in the folder --out (ARTICLE@NOTE.jsonld)",
    )
    exporting.add_argument(
        "--claimant", default="", metavar="NAME", help="who made the claims (notes without one)"
    )
    exporting.add_argument(
        "--claimant-url", default="", metavar="URL", help="a page that identifies the claimant"
    )
    exporting.add_argument(
        "--bom", action="store_true", help="csv: UTF-8 with a byte order mark (for spreadsheets)"
    )

    importing = actions.add_parser(
        "import",
        help="import notes from W3C Web Annotations (as exported)",
        description="Read W3C Web Annotations (JSON-LD, as reader notes export --format "
        "webannotation writes them: a list, one annotation, or an AnnotationCollection) and "
        "merge them into the notes by the notes' merge rules: a new note is added, one already "
        "there unchanged is left alone, one that differs is kept beside it as a conflict copy. "
        "Nothing is written when the file has an error.",
        epilog="Example: reader notes import colleague.jsonld",
    )
    importing.add_argument("file", help="a JSON-LD file of Web Annotations")


def _no_bidi(line: str) -> str:
    """``line`` with bidi controls drawn as U+FFFD: an id or name from a file may hold some,
    which would reorder the message around them."""
    from reader.core.text.sanitize import BIDI_CONTROLS

    return "".join("\ufffd" if char in BIDI_CONTROLS else char for char in line)


def _fail(message: str, code: int = 2) -> int:
    from reader.cli import warn

    warn(message)
    return code


def _out_problem(out: Path, force: bool, notes_dir: Path, *, folder: bool = False) -> str | None:
    """Why writing to ``out`` needs --force (or cannot be done), or None. Nothing is ever
    written into the notes folder: its files are the user's notes."""
    parent = out if folder else out.parent
    try:
        inside = parent.resolve().is_relative_to(notes_dir.resolve())
    except (OSError, RuntimeError):
        inside = False
    if inside:
        return f"{out} is in the notes folder {notes_dir}; write exports elsewhere"
    if out.exists() and not folder and out.is_dir():
        return f"{out} is a folder; name a file with --out"
    if folder and out.exists() and not out.is_dir():
        return f"{out} is a file; --one-per-file writes into a folder"
    if not parent.is_dir() and not force:
        return f"folder {parent} does not exist; give --force to make it"
    if not folder and out.exists() and not force:
        return f"{out} exists; give --force to replace it"
    return None


def export(args: argparse.Namespace, config: Config, store: NotesStore, library: Library) -> int:
    """Run ``reader notes export``; 0 done, 1 a notes file had an error or the output could
    not be written, 2 bad input (nothing written)."""
    from reader.cli import warn
    from reader.cli.notes_reading import gather, read_notes
    from reader.core.notes import export as formats
    from reader.core.notes.note import now
    from reader.core.notes.store import NotesFileError

    if args.one_per_file and (args.format != "claimreview" or not args.out):
        return _fail("--one-per-file needs --format claimreview and a folder as --out")
    if args.bom and args.format != "csv":
        return _fail("--bom is for --format csv")
    out = Path(args.out) if args.out else None
    if out is not None and (
        problem := _out_problem(out, args.force, config.notes_dir, folder=args.one_per_file)
    ):
        return _fail(problem)
    errors: list[NotesFileError] = []
    groups = gather(read_notes(store, None, errors), library)
    settings = formats.ReviewSettings(
        verdicts=config.verdicts,
        labels=config.verdict_labels,
        author=config.author,
        url_template=config.review_url,
        language=config.notes_language,
        claimant=args.claimant,
        claimant_url=args.claimant_url,
        article=library.get,
    )
    files: list[tuple[Path | None, str]]
    if args.format == "claimreview" and args.one_per_file and out is not None:
        files = _one_per_file(out, groups, settings)
        if not args.force and (taken := [str(p) for p, _t in files if p and p.exists()]):
            return _fail(f"{taken[0]} exists ({len(taken)} of the files); give --force")
    elif args.format == "claimreview":
        files = [(out, formats.claimreview_json(groups, settings))]
    elif args.format == "webannotation":
        from reader.core.notes.webannotation import annotations_json

        files = [(out, annotations_json(groups))]
    elif args.format == "markdown":
        files = [(out, formats.markdown_report(groups, config.verdicts, today=now().date()))]
    else:
        files = [(out, formats.csv_report(groups, config.verdicts))]
    for error in errors:
        warn(str(error))
    for path, text in files:
        data = ("\ufeff" if args.bom else "") + text
        if path is None:
            sys.stdout.write(data)
            continue
        from reader.core.files.safe_write import write_atomically

        try:
            write_atomically(path, data.encode("utf-8"))
        except OSError as error:
            return _fail(f"cannot write {path}: {error.strerror or error}", 1)
    if args.format == "claimreview":
        _report_reviews(groups, settings, len(files) if args.one_per_file else None)
    return 1 if errors else 0


# A note id reader makes: a ULID, Crockford base32, which ignores case.
_ULID = re.compile(r"[0-9A-HJKMNP-TV-Z]{26}")


def _one_per_file(
    folder: Path, groups: list[ArticleNotes], settings: ReviewSettings
) -> list[tuple[Path | None, str]]:
    """One review per file, ``ARTICLE@NOTE.jsonld``: each id made a safe file name as notes
    files are (``@`` never occurs in one, so no two reviews share a name; should two ever
    do, the second is named by its review identifier)."""
    from reader.core.notes.claimreview import (
        claimreview,
        rated_notes,
        review_identifier,
        script_safe_json,
    )
    from reader.core.notes.file import file_name_for

    reviews = claimreview(groups, settings)
    files: list[tuple[Path | None, str]] = []
    used: set[str] = set()
    for (group, note, _rating), review in zip(
        rated_notes(groups, settings.verdicts), reviews, strict=True
    ):
        note_part = note.id.lower() if _ULID.fullmatch(note.id) else file_name_for(note.id)[:-5]
        name = f"{file_name_for(group.article_id)[:-5]}@{note_part}.jsonld"
        if name.casefold() in used:
            name = review_identifier(note).removeprefix("urn:uuid:") + ".jsonld"
        used.add(name.casefold())
        files.append((folder / name, script_safe_json(review)))
    return files


def _report_reviews(
    groups: list[ArticleNotes], settings: ReviewSettings, written: int | None
) -> None:
    from reader.cli import warn
    from reader.core.notes.claimreview import claimreview_warnings, rated_notes
    from reader.core.notes.note import off_the_scale

    for line in claimreview_warnings(groups, settings):
        warn(_no_bidi(line))
    notes = [note for group in groups for note in group.notes]
    rated = sum(1 for _ in rated_notes(groups, settings.verdicts))
    if rated < len(notes):
        warn(f"{len(notes) - rated} of {len(notes)} notes left out (unverified or unrated)")
    if off := off_the_scale(notes, settings.verdicts):
        warn(_no_bidi(f"{off}: left out"))
    if written is not None:
        print(f"reader: {written} review files written", file=sys.stderr)


def import_notes(
    args: argparse.Namespace, config: Config, store: NotesStore, library: Library
) -> int:
    """Run ``reader notes import FILE``; 0 done, 1 a notes file has an error (the others are
    merged; the unsaved notes wait in a rescue file), 2 the import file cannot be read
    (nothing written)."""
    from reader.cli import warn
    from reader.core.notes.store import NotesFileError, notes_by_article
    from reader.core.notes.webannotation import AnnotationError, read_annotations

    path = Path(args.file)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        return _fail(f"cannot read {path}: {error.strerror or error}")
    except UnicodeDecodeError:
        return _fail(f"{path}: not UTF-8 text")
    try:
        notes = read_annotations(text)
    except AnnotationError as error:
        return _fail(_no_bidi(f"{path}: {error}"))
    failed = 0
    counts = {"added": 0, "conflicts": 0}
    for article_id, group in notes_by_article(notes).items():
        article = library.get(article_id)
        if article is None:
            warn(_no_bidi(f"{path}: article {article_id} is not in the corpus; its notes are kept"))
        before = {n.id for n in _known(store, article_id)}
        try:
            saved = store.merge_in(article_id, group, article.title if article else "")
        except NotesFileError as error:
            warn(str(error))
            failed += 1
            continue
        except ValueError as error:
            warn(_no_bidi(f"{path}: article {article_id}: {error}"))
            failed += 1
            continue
        new = [n for n in saved if n.id not in before]
        counts["added"] += sum(1 for n in new if not n.conflict_of)
        counts["conflicts"] += sum(1 for n in new if n.conflict_of)
        for note in group:
            if note.verdict not in config.verdicts:
                warn(
                    _no_bidi(f"note {note.id}: verdict {note.verdict!r} is not in [notes.verdicts]")
                )
    print(
        f"reader: {len(notes)} notes read, {counts['added']} added, "
        f"{counts['conflicts']} kept as conflict copies (differing from yours)",
        file=sys.stderr,
    )
    return 1 if failed else 0


def _known(store: NotesStore, article_id: str) -> list[Any]:
    from reader.core.notes.store import NotesFileError

    try:
        return list(store.load(article_id))
    except NotesFileError:
        return []
