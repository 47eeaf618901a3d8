"""``reader add URL|FILE...``: bring pages, feeds and archives into the library folder, then
bring the index up to date (as ``reader index`` does)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from reader.core.config import Config


def add_parser(sub: Any) -> None:
    """Register the ``add`` command."""
    parser = sub.add_parser(
        "add",
        help="save pages, feeds or files into the library folder and index them",
        description="Fetch each URL (http or https) or copy each FILE into the library folder "
        "([storage] library_dir; by default a folder 'library' in the data folder), then "
        "index it. A file is written whole or not at all and never replaces another.",
        epilog="Example: reader add https://example.com/news/story.html saved/page.html",
    )
    parser.add_argument("sources", nargs="+", metavar="URL|FILE", help="a web address or a file")
    parser.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="how long to wait for a server to answer (default 20)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, config: Config) -> int:
    """Add every source that can be added (one line on stderr for each that cannot), then
    update the index. Exit code 1 when any source failed or nothing could be indexed."""
    from reader.cli import index_cmd, stderr_line, warn
    from reader.core.sources.library_folder import AddError, add_file, fetch_url

    failed = 0
    for source in args.sources:
        try:
            if source.lower().startswith(("http://", "https://")):
                saved = fetch_url(source, config, timeout=args.timeout)
            else:
                saved = add_file(Path(source).expanduser(), config)
        except AddError as exc:
            warn(str(exc))
            failed += 1
            continue
        if not args.quiet:
            print(stderr_line(f"added {source} -> {saved}"), file=sys.stderr)
    if failed == len(args.sources):
        return 1
    index_args = argparse.Namespace(rebuild=False, quiet=args.quiet, wait=30.0)
    status = index_cmd.run(index_args, config)
    return 1 if failed else status
