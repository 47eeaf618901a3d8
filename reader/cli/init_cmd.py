"""``reader init [FOLDER]``: write a commented config.toml into FOLDER naming its corpus.

The file is written whole or not at all, and never replaces an existing config.toml unless
``--force`` is given. Runs before (and without) reading any config file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TEMPLATE = """\
# reader configuration, written by `reader init`.
# Relative paths resolve against the folder this file is in. Every key, with its default, is
# described in the README's "Configuration" section.
# reader looks for its config in this order: --config PATH, $READER_CONFIG, ./config.toml,
# then the user config folder (e.g. ~/.config/reader/config.toml).

[corpus]
# Folders of articles to index: .txt, .md, .json, .jsonl, web pages (.html), feeds (.rss,
# .atom) and web archives (.warc, .warc.gz), in any sub-folders.
paths = [{paths}]
# Files larger than this many megabytes are skipped with a message.
# max_file_mb = 10

[storage]
# Where the search index lives (rebuilt by `reader index` when missing).
data_dir = ".reader"
# Where verification notes are kept, one TOML file per article (never read as articles).
notes_dir = "notes"
# Where `reader add` saves pages and feeds (default: the folder "library" in data_dir).
# library_dir = "library"

[notes]
# Your name, recorded on every note you write.
author = ""

[outlets]
# Who each outlet speaks for: "Outlet" = "side", or "Outlet" = {{ side = "...", country = "..." }}.
# "Libya Observer" = {{ side = "GNA", country = "LY" }}
"""


def add_parser(sub: Any) -> None:
    """Register the ``init`` command (run by :func:`reader.cli.main` before any config)."""
    parser = sub.add_parser(
        "init",
        help="write a commented config.toml naming a corpus folder",
        description="Write FOLDER/config.toml (FOLDER: default the current folder) naming "
        "FOLDER as the corpus, or the folders given with --corpus. An existing config.toml "
        "is left as it is unless --force is given.",
        epilog="Example: reader init ~/news --corpus ~/news/articles",
    )
    parser.add_argument("folder", nargs="?", default=".", metavar="FOLDER")
    parser.add_argument("--force", action="store_true", help="replace an existing config.toml")
    parser.set_defaults(func=run)


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (quotes, backslashes and control characters escaped).
    Raises UnicodeEncodeError for text that is not UTF-8 (a file name's undecodable bytes)."""
    text.encode("utf-8")
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def config_text(folder: Path, corpus: Sequence[Path]) -> str:
    """The config file for ``folder`` naming ``corpus`` (absolute folders): each relative to
    ``folder`` when inside it, else absolute."""
    names = []
    for path in corpus:
        try:
            name = path.relative_to(folder).as_posix() or "."
        except ValueError:
            name = str(path)
        names.append(toml_string(name))
    return TEMPLATE.format(paths=", ".join(names))


def run(args: argparse.Namespace, corpus_names: Sequence[str]) -> int:
    """Write the config file, making FOLDER (and its parents) when it does not exist yet; 2
    after one line on stderr when FOLDER or a corpus folder is not a folder, or config.toml
    exists (without --force); 1 when it cannot be written."""
    from reader.cli import warn
    from reader.core.config_checks import corpus_problem
    from reader.core.config_places import named_corpus
    from reader.core.files.safe_write import write_atomically

    folder = Path(args.folder).expanduser().absolute()
    missing = not folder.exists() and not folder.is_symlink()
    problem = "" if missing else corpus_problem(folder)
    if problem:
        warn(f"{folder} {problem}")
        return 2
    named = named_corpus(corpus_names) if corpus_names else None
    corpus = named.paths if named is not None else (folder,)
    for path in corpus:
        problem = "" if path == folder and missing else corpus_problem(path)
        if problem:
            warn(f"{path}: corpus folder {problem}")
            return 2
    if missing:  # a new library, as `git init NEW` makes NEW: only once everything else is fine
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            warn(f"{folder}: cannot make the folder: {exc.strerror or exc}")
            return 1
    target = folder / "config.toml"
    if (target.exists() or target.is_symlink()) and not args.force:
        warn(f"{target}: a config file is already there; give --force to replace it")
        return 2
    try:
        data = config_text(folder, [Path(os.path.normpath(p)) for p in corpus]).encode()
    except UnicodeEncodeError:
        warn(f"{folder}: a folder name that is not UTF-8 cannot be written in config.toml")
        return 2
    try:
        if args.force:
            write_atomically(target, data)
        else:
            _write_new(target, data)
    except FileExistsError:
        warn(f"{target}: a config file is already there; give --force to replace it")
        return 2
    except OSError as exc:
        warn(f"{target}: cannot write: {exc.strerror or exc}")
        return 1
    from reader.cli import stderr_line

    print(stderr_line(f"wrote {target}; run `reader index` in {folder}"), file=sys.stderr)
    return 0


def _write_new(target: Path, data: bytes) -> None:
    """Write ``target`` whole, never replacing a file: a temp file linked to its name (a
    link fails with FileExistsError when the name is taken, even in a race)."""
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.link(temp, target)
    finally:
        os.unlink(temp)
