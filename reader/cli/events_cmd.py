"""``reader events``: groups of articles covering the same story (see
reader.core.events.grouping)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from reader.core.config import Config
from reader.core.events.listing import SEPARATOR

if TYPE_CHECKING:
    from reader.core.events.grouping import Event
    from reader.core.names.entities import Gazetteer
    from reader.core.sources.article import Article


_LONE_SHOWN = 20  # articles standing alone listed without --all


def add_parser(sub: Any) -> None:
    """Register the ``events`` command."""
    parser = sub.add_parser(
        "events",
        help="list events: groups of articles covering the same story",
        description="Group the corpus's articles into events by shared people, places and "
        "bodies (in either script), numbers, dates and words, and list them with their "
        "articles. Your decisions (confirmed, renamed, split, merged events; moved articles) "
        "in notes_dir/events.toml win over the automatic grouping. Events are listed by "
        "date (undated ones last), each with who reported it: outlets, languages, and the "
        "sides you gave outlets in config.toml's [outlets].",
        epilog="Examples: reader events --since 2020-06 --until 2020-06-30; "
        "reader events --one-sided; reader events --scores",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        metavar="X",
        help="how similar articles must be to group, 0..1 (default: the built-in one, which "
        "the first line of the output shows)",
    )
    parser.add_argument(
        "--all", action="store_true", help="list every article that stands alone, however many"
    )
    parser.add_argument(
        "--scores",
        action="store_true",
        help="also show the similarity of the closest article pairs and what they share",
    )
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="only events whose dates reach DATE or later (YYYY-MM-DD, YYYY-MM or YYYY); "
        "undated events are left out",
    )
    parser.add_argument(
        "--until",
        metavar="DATE",
        help="only events whose dates start on DATE or earlier (YYYY-MM-DD, YYYY-MM: to the "
        "month's end, or YYYY)",
    )
    parser.add_argument(
        "--one-sided",
        action="store_true",
        help="only events reported by one side alone (sides: [outlets] in config.toml)",
    )
    parser.set_defaults(func=run)


def _range(args: argparse.Namespace) -> tuple[date | None, date | None] | str:
    """--since and --until as days, or the one-line message for a bad one."""
    from reader.core.events.timeline import DateError, parse_day

    days: list[date | None] = []
    for flag, text, last in (("--since", args.since, False), ("--until", args.until, True)):
        try:
            days.append(None if text is None else parse_day(text, last=last))
        except DateError as exc:
            return f"{flag}: {exc}"
    since, until = days
    if since is not None and until is not None and since > until:
        return f"--since {since.isoformat()} is after --until {until.isoformat()}"
    return since, until


def _json_from_store(
    config: Config, since: date | None, until: date | None, *, one_sided: bool
) -> list[bytes | memoryview] | int | None:
    """What ``reader events --json`` prints (as UTF-8 pieces), from the listing kept beside
    the stored events (written now from the stored events and article fields when it is
    missing or out of date); None when the index does not hold the corpus as it is on disk
    or nothing usable is stored (the caller then updates the index and builds the records
    as before); 2, after a one-line message, for an unusable events.toml."""
    from reader.core.events.listing import listing_key, read_listing, write_listing
    from reader.core.library import Library
    from reader.core.search.freshness import index_matches_corpus
    from reader.core.search.index_files import generation
    from reader.core.text.sanitize import json_line

    folder = generation(config.index_dir)
    if folder is None or not index_matches_corpus(config):
        return None
    library = Library(config)
    name = library.gazetteer_name()
    key = listing_key(config, folder, name)
    listing = read_listing(folder, key) if key is not None else None
    pieces: list[bytes | memoryview] = []
    if listing is not None:
        try:
            pieces = list(listing.select(since, until, one_sided))
        except (ValueError, TypeError):
            listing = None
    if listing is None:
        from reader.cli import warn
        from reader.core.events.decisions import DecisionsError
        from reader.core.events.timeline import span_overlaps
        from reader.core.library_listing import listing_rows

        try:
            found = library.stored_events(checked=True)
        except DecisionsError as exc:
            warn(str(exc))
            return 2
        if found is None:
            return None
        events, fields = found
        rows = listing_rows(events, fields, config.outlets)
        if key is not None and listing_key(config, folder, name) == key:  # nothing changed
            write_listing(folder, key, rows)
        shown = [
            r[3]
            for r in rows
            if span_overlaps(r[0], r[1], since, until) and (r[2] or not one_sided)
        ]
        try:
            pieces = [", ".join(shown).encode("utf-8")]
        except UnicodeEncodeError:  # what the index holds cannot be printed: as before
            return None
    head = json_line(
        {
            "threshold": config.event_threshold,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "one_sided": one_sided,
        }
    )
    start = (head[:-1] + ', "events": [').encode("utf-8")
    return [start, *_joined(pieces), b"]}\n"]


def _joined(pieces: list[bytes | memoryview]) -> list[bytes | memoryview]:
    """``pieces`` with the separator of a JSON list between them."""
    out: list[bytes | memoryview] = []
    for n, piece in enumerate(pieces):
        if n:
            out.append(SEPARATOR)
        out.append(piece)
    return out


def _write(pieces: list[bytes | memoryview]) -> None:
    """Print what ``pieces`` (UTF-8) hold, as ``print`` would print their text."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is not None and (stream.encoding or "").lower().replace("_", "-") in (
        "utf-8",
        "utf8",
    ):
        stream.flush()
        for piece in pieces:
            buffer.write(piece)
        buffer.flush()
        return
    text = b"".join(pieces).decode("utf-8", "surrogatepass")
    print(text, end="")


def _warn_unknown(config: Config) -> None:
    """One line on stderr for each article id in events.toml that is no article of the
    library (its decision is applied without it; the file is left as it is). Says nothing
    when that cannot be known (no index, a file that became unusable meanwhile)."""
    from reader.cli import warn
    from reader.core.library import Library
    from reader.core.search.index_files import IndexUnavailable

    try:
        with Library(config) as library:
            unknown = library.unknown_article_ids()
    except (IndexUnavailable, OSError):
        return
    except Exception as exc:  # DecisionsError, imported only then (most have no events.toml)
        from reader.core.events.decisions import DecisionsError

        if isinstance(exc, DecisionsError):
            return
        raise
    for found in unknown:
        warn(str(found))


def run(args: argparse.Namespace, config: Config) -> int:
    """List the events; exit 2 for an unusable gazetteer, events file or threshold, 1 when
    there is no index and none can be built."""
    from reader.cli import warn
    from reader.core.text.sanitize import one_line

    threshold = config.event_threshold if args.threshold is None else args.threshold
    if not 0 < threshold <= 1:
        print("reader: --threshold must be more than 0 and at most 1", file=sys.stderr)
        return 2
    span = _range(args)
    if isinstance(span, str):
        warn(span)
        return 2
    since, until = span
    if args.one_sided:
        from reader.core.events.coverage import sides_placed

        placed = sides_placed(config.outlets)
        if len(placed) < 2:
            warn(
                f"--one-sided needs outlets on at least two sides in [outlets] of "
                f"{config.source or 'config.toml'} (it places {len(placed)}), "
                'e.g. "Libya Observer" = "GNA" and "Al Marsad" = "LNA"; '
                "no event can be one-sided until then"
            )
    if args.json and not args.scores and threshold == config.event_threshold:
        printed = _json_from_store(config, since, until, one_sided=args.one_sided)
        if isinstance(printed, int):
            return printed
        if printed is not None:
            _warn_unknown(config)
            _write(printed)
            return 0
    from reader.core.events.decisions import DecisionsError
    from reader.core.events.timeline import in_date_order, overlaps
    from reader.core.library import Library
    from reader.core.records import EventRecord
    from reader.core.text.sanitize import json_line

    stored = None
    if not args.scores and threshold == config.event_threshold:
        # Nothing to update and the events stored: read them, and the fields of their
        # articles, without opening the index (else update and read, as below).
        try:
            stored = Library(config).stored_events()
        except DecisionsError as exc:
            warn(str(exc))
            return 2
    articles: list[Article] = []
    gazetteer: Gazetteer | None = None
    if stored is not None:
        events, by_id = stored
    else:
        from reader.cli.opening import open_library
        from reader.core.names.gazetteer import GazetteerError, gazetteer_for

        try:
            gazetteer = gazetteer_for(config.gazetteer)
        except GazetteerError as exc:
            warn(str(exc))
            return 2
        library = open_library(config)
        if library is None:
            return 1
        with library:
            articles = library.articles()
            try:
                events = library.events(threshold=threshold)  # stored with the index
            except DecisionsError as exc:
                warn(str(exc))
                return 2
        by_id = {a.id: a for a in articles}
    records = {e.id: EventRecord.from_event(e, by_id, config.outlets) for e in events}
    listed = sum(not e.stands_alone for e in events), sum(e.stands_alone for e in events)
    events = [e for e in in_date_order(events) if overlaps(e, since, until)]
    if args.one_sided:
        events = [e for e in events if records[e.id].coverage.one_sided]
    pairs: list[dict[str, Any]] = []
    if args.scores and gazetteer is not None:
        from reader.core.events.grouping import Similarity, profile

        similarity = Similarity([profile(a, gazetteer) for a in articles])
        edges = similarity.edges(minimum=0.05)[:50]
        for a, b, _score in edges:
            detail = similarity.score(a, b)
            pairs.append(
                {
                    "a": a,
                    "b": b,
                    "score": round(detail.score, 4),
                    "entities": round(detail.entities, 4),
                    "terms": round(detail.terms, 4),
                    "facts": round(detail.facts, 4),
                    "date_factor": round(detail.date_factor, 4),
                    "shared_entities": list(detail.shared_entities),
                }
            )
    _warn_unknown(config)
    if args.json:
        record: dict[str, Any] = {
            "threshold": threshold,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "one_sided": args.one_sided,
            "events": [records[e.id].as_dict() for e in events],
        }
        if args.scores:
            record["pairs"] = pairs
        print(json_line(record))
        return 0
    grouped = [e for e in events if not e.stands_alone]
    alone = [e for e in events if e.stands_alone]
    chosen = []
    if since or until:
        chosen.append(f"dated {since or '…'} to {until or '…'}")
    if args.one_sided:
        chosen.append("one-sided")
    print(
        f"{len(grouped)} event{'s' if len(grouped) != 1 else ''}, {len(alone)} article"
        f"{'s' if len(alone) != 1 else ''} alone, threshold {threshold:.2f}"
        + (f" ({' and '.join(chosen)}: {_of(grouped, alone, *listed)})" if chosen else "")
    )
    from reader.cli.events_text import print_events, terminal_out

    coverage = {e.id: records[e.id].coverage for e in events}
    print_events(
        terminal_out(config),
        grouped,
        alone,
        by_id,
        coverage,
        all_alone=args.all,
        shown_alone=_LONE_SHOWN,
    )
    if args.scores and gazetteer is not None:
        print()
        print("Closest pairs (score = entities, words, numbers; x date factor):")
        for pair in pairs:
            shared = ", ".join(
                e.name for k in pair["shared_entities"][:5] if (e := gazetteer.get(k)) is not None
            )
            print(
                one_line(
                    f"  {pair['a']}  {pair['b']}  {pair['score']:.3f}  (entities "
                    f"{pair['entities']:.3f}, words {pair['terms']:.3f}, numbers "
                    f"{pair['facts']:.2f}, x{pair['date_factor']:.2f})  {shared}"
                )
            )
    return 0


def _of(grouped: list[Event], alone: list[Event], events: int, lone: int) -> str:
    """How many of the events and of the articles alone a filter kept: ``2 of 5 events,
    0 of 3 articles alone`` (a filter's count never mixes the two)."""
    return (
        f"{len(grouped)} of {events} event{'s' if events != 1 else ''}, "
        f"{len(alone)} of {lone} article{'s' if lone != 1 else ''} alone"
    )
