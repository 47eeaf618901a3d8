"""``reader index``: bring the search index up to date with the corpus folders."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from reader.core.config import Config


def add_parser(sub: Any) -> None:
    """Register the ``index`` command."""
    parser = sub.add_parser(
        "index",
        help="bring the search index up to date with the corpus folders",
        description="Index new and changed articles, drop deleted ones. Only files whose size, "
        "mtime or content changed are read again.",
        epilog="Example: reader index --rebuild",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    parser.add_argument(
        "--wait",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="how long to wait for another update to finish (default 30)",
    )
    parser.set_defaults(func=run)


class _Bar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int, _path: str) -> None:
        if not self.enabled or total == 0 or (done % 25 and done != total):
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\rindexing [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def run(args: argparse.Namespace, config: Config) -> int:
    """Update (or rebuild) the index; print a summary and every skipped file on stderr."""
    from reader.cli import warn
    from reader.core.library import IndexUnavailable, Library

    try:
        report = Library(config).update(rebuild=args.rebuild, progress=_Bar(), wait=args.wait)
    except IndexUnavailable as exc:
        warn(str(exc))
        return 1
    from reader.core.sources.scan import skip_lines

    for line in skip_lines(report.skipped):  # unsupported formats: one line, counted by kind
        warn(line)
    for duplicate, original in report.duplicates:
        warn(f"{duplicate}: not indexed: duplicate of {original}")
    if report.rebuilt and not args.rebuild and not args.quiet:
        warn(f"rebuilding the index ({report.rebuild_reason})")
    for repaired in report.repaired:
        warn(repaired)
    if not args.quiet:
        ignored, values = report.sidecars_ignored, report.values_ignored
        notes = f", {ignored} sidecar(s) ignored" if ignored else ""
        notes += f", {values} with values ignored" if values else ""
        print(
            f"{report.total} article{'' if report.total == 1 else 's'} indexed "
            f"in {report.seconds:.2f}s "
            f"({report.added} added, {report.updated} updated, {report.removed} removed, "
            f"{report.files_skipped - len(report.duplicates)} skipped{notes})",
            file=sys.stderr,
        )
    if report.total == 0:
        print("reader: nothing could be indexed", file=sys.stderr)
        return 1
    return 0
