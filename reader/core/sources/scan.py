"""Finding the article files of the corpus folders, and saying why a file was passed over.

:func:`scan_corpus` walks the configured folders and yields a :class:`SourceFile` for each
article file or a :class:`Skipped` (with a :class:`SkipKind`) for each file or folder it will
not read. Symbolic links that lead outside the corpus folders are refused unless the config
allows them (``[corpus] follow_links_outside``); the walk never loops. File names need not be
UTF-8: :func:`shown` turns any name into text that can be printed, stored and indexed.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from operator import methodcaller
from pathlib import Path

from reader.core.config import Config
from reader.core.text.sanitize import one_line

ARTICLE_SUFFIXES = (
    ".txt",
    ".md",
    ".json",
    ".jsonl",
    ".html",
    ".htm",
    ".xhtml",
    ".warc",
    ".warc.gz",
    ".rss",
    ".atom",
    ".xml",
)
# Article files that may have a NAME.toml sidecar beside them (one article per file).
SIDECAR_SUFFIXES = (".txt", ".md", ".html", ".htm", ".xhtml")

# Lone surrogates: how Python represents the bytes of a file name that is not UTF-8
# (U+DC80..U+DCFF, "surrogateescape"), or what a JSON \\udXXX escape leaves.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def shown(text: str | os.PathLike[str]) -> str:
    """``text`` (often a path) with each byte of a non-UTF-8 name as a visible ``\\xNN``.

    A name whose bytes are not UTF-8 (e.g. cp1256 from a Windows zip) arrives from the OS with
    lone surrogates, which no terminal, JSON file or index can take. The result is stable and
    derived from the name's bytes; UTF-8 names are returned unchanged. Control characters are
    left for :func:`reader.core.text.sanitize.one_line` (which callers apply when they print).
    """
    return _SURROGATE.sub(_escape_surrogate, os.fspath(text))


class SkipKind(StrEnum):
    """Why a file (or one record of it) was not indexed: a stable value to store and compare.

    ``UNREADABLE`` and ``ERROR`` may go away on their own (a file being written, a permission
    fixed); the others stay until the file itself changes.
    """

    MISSING_FOLDER = "missing-folder"  # a corpus folder named in the config is not there
    UNREADABLE = "unreadable"  # the OS would not give the file or folder (errno in the reason)
    TOO_LARGE = "too-large"  # over [corpus] max_file_mb
    EMPTY = "empty"  # no bytes, or only whitespace
    BINARY = "binary"  # not text (a known binary signature, or NUL bytes outside UTF-16 text)
    BROKEN = "broken"  # a JSON file or line that does not parse, or a record that is no object
    TOO_DEEP = "too-deep"  # JSON or TOML nested deeper than reader parses
    NO_TEXT = "no-text"  # parsed, but no title or text to index
    LINK_OUTSIDE = "link-outside"  # a symbolic link out of the corpus folders, refused
    BAD_SIDECAR = "bad-sidecar"  # a NAME.toml sidecar ignored; its article is still indexed
    UNUSED_VALUES = "unused-values"  # values of a sidecar or JSON record of no use; indexed
    UNSUPPORTED = "unsupported"  # not a format reader reads (.docx, .pdf, images ...)
    SUPERSEDED = "superseded"  # an earlier capture of a URL a web archive captured again
    ID_TAKEN = "id-taken"  # another file already gives its id (flood.txt and flood.html)
    ERROR = "error"  # an unexpected failure reading this one file (reported, never raised)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file (or one record of it) that was not indexed, why (``reason``, for people) and
    what kind of problem it is (``kind``, for programs)."""

    path: Path
    reason: str
    kind: SkipKind = SkipKind.ERROR

    def __str__(self) -> str:
        verb = {
            SkipKind.LINK_OUTSIDE: "refused",
            SkipKind.BAD_SIDECAR: "ignored",
            SkipKind.UNUSED_VALUES: "values ignored",
        }
        # File names are untrusted too: control characters and undecodable bytes are shown.
        return one_line(shown(f"{self.path}: {verb.get(self.kind, 'skipped')}: {self.reason}"))


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file in a corpus folder, with what incremental indexing compares: its size and
    ``mtime_ns``, the :func:`change_stamp` of the file and its sidecar (compared for
    equality only)."""

    path: Path
    root: Path
    size: int
    mtime_ns: int

    @property
    def file_id(self) -> str:
        """Path relative to its corpus folder, without extension, with ``/`` separators.

        Bytes of a non-UTF-8 name appear as ``\\xNN`` (see :func:`shown`), so the id is valid
        text, stable, and distinct for distinct names."""
        relative = self.path.relative_to(self.root).with_suffix("")
        if self.path.name.lower().endswith(".warc.gz"):  # a two-part suffix: both go
            relative = relative.with_suffix("")
        return shown(relative.as_posix())


def real_roots(config: Config) -> tuple[Path, ...]:
    """The corpus folders (and the library folder) with every symbolic link in them resolved."""
    return tuple(Path(os.path.realpath(root)) for root in config.article_folders)


def link_outside(path: Path, roots: Sequence[Path]) -> Path | None:
    """Where ``path`` really leads when that is outside every folder of ``roots`` (resolved
    folders, see :func:`real_roots`), else None. Never raises; a link loop resolves to
    somewhere that :func:`os.stat` then reports as a loop."""
    target = Path(os.path.realpath(path))
    if any(target == root or target.is_relative_to(root) for root in roots):
        return None
    return target


def refusal(path: Path, target: Path, what: str = "file") -> Skipped:
    """The report for a link that leads out of the corpus folders."""
    return Skipped(
        path,
        f"a link to a {what} outside the corpus folders ({target}); "
        "set [corpus] follow_links_outside = true to read it",
        SkipKind.LINK_OUTSIDE,
    )


def scan_corpus(config: Config) -> Iterator[SourceFile | Skipped]:
    """Yield every article file under the corpus folders and the library folder (hidden files
    and sidecars excluded; a file of another format as a Skipped of kind UNSUPPORTED),
    in a stable order: each folder's files by name, then its subfolders by name.

    A symbolic link that leads outside the corpus folders is refused (one Skipped naming where
    it leads) unless ``config.follow_links_outside``. A linked folder inside the corpus is not
    walked twice: its files are found at their real place. No folder is entered twice, so link
    loops cannot trap the walk. Unreadable folders and files come out as Skipped, and so does
    a file whose id (:attr:`SourceFile.file_id`) an earlier file already gives (``flood.txt``
    beside ``flood.html``, or the same name in two folders): the first one found keeps it.
    """
    roots = real_roots(config)
    # reader's own files (the config file, the notes and data folders) are never articles
    own = {Path(os.path.realpath(p)) for p in own_places(config)}
    visited: set[Path] = set(own)  # real folders walked, so no link makes the walk go round
    owners: dict[str, Path] = {}  # file id -> the file that gives it
    for root in config.article_folders:
        if skipped_root(config, root):
            continue  # nothing added with ``reader add`` yet
        if not root.is_dir():
            yield missing_folder(root)
            continue
        for item in _walk(root, root, config, roots, visited, own):
            if isinstance(item, SourceFile):
                owner = owners.setdefault(item.file_id, item.path)
                if owner != item.path:
                    # Two files, one id: the index would keep one and lose the other at
                    # random, and notes could not tell them apart.
                    item = id_taken(item.path, item.file_id, owner)
            yield item


def id_taken(path: Path, article_id: str, owner: str | Path) -> Skipped:
    """What is reported of an article of ``path`` (a file, or a record of it) whose id
    another source, ``owner``, already gives: the first one read keeps the id, so that one
    id is never two articles."""
    why = f"its id {article_id!r} is the id of {owner}; rename one of them"
    return Skipped(Path(path), why, SkipKind.ID_TAKEN)


def own_places(config: Config) -> list[Path]:
    """The config file and the notes and data folders, unless one is a corpus folder."""
    own = [config.notes_dir, config.data_dir]
    if config.source is not None:
        own.append(config.source)
    return [p for p in own if p not in config.article_folders]


def _walk(
    root: Path,
    top: Path,
    config: Config,
    roots: Sequence[Path],
    visited: set[Path],
    own: set[Path],
) -> Iterator[SourceFile | Skipped]:
    own_names = {p.name for p in own}
    stack = [top]
    while stack:
        folder = stack.pop()
        real = Path(os.path.realpath(folder))
        if real in visited:
            continue
        visited.add(real)
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            yield Skipped(folder, f"cannot read folder: {exc.strerror or exc}", SkipKind.UNREADABLE)
            continue
        subfolders: list[Path] = []
        with_sidecars = sidecar_stems(entries)
        names = {entry.name for entry in entries}
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.name in own_names and Path(os.path.realpath(path)) in own:
                continue  # reader's own file or folder (see scan_corpus)
            try:
                is_link = entry.is_symlink()
            except OSError:  # gone since the listing: stat below says so
                is_link = False
            try:
                is_dir = entry.is_dir()  # follows a link; a link loop raises
            except OSError:
                is_dir = False
            if is_dir:
                if not is_link:
                    subfolders.append(path)
                    continue
                target = link_outside(path, roots)
                if target is None:
                    continue  # inside the corpus: walked at its real place
                if config.follow_links_outside:
                    subfolders.append(path)
                else:
                    yield refusal(path, target, "folder")
                continue
            if not entry.name.lower().endswith(ARTICLE_SUFFIXES):
                if not is_sidecar(entry.name, with_sidecars):
                    yield not_an_article(path)
                continue
            sidecar = sidecar_name(entry.name)
            yield _source(path, root, is_link, config, roots, sidecar in names)
        stack.extend(reversed(subfolders))


def missing_folder(root: Path) -> Skipped:
    """How a corpus folder that does not exist is reported."""
    return Skipped(root, "corpus folder does not exist", SkipKind.MISSING_FOLDER)


def not_an_article(path: Path) -> Skipped:
    """How a file of a format reader does not read is reported."""
    return Skipped(path, f"not an article format ({kind_of(path)})", SkipKind.UNSUPPORTED)


def skipped_root(config: Config, root: Path) -> bool:
    """True when the corpus folder ``root`` is passed over in silence: the library folder
    (``reader add``) before anything was added to it."""
    return root == config.library_dir and root not in config.corpus_paths and not root.exists()


def kind_of(path: Path) -> str:
    """How an unsupported file is counted: its lower-cased suffix (``.docx``), or
    ``no extension``."""
    return path.suffix.lower() or "no extension"


def change_stamp(mtime_ns: int, sidecar: os.stat_result | None) -> int:
    """What an update compares, with the file's size, to tell whether an article file must be
    read again: its modification time in ns, or, when a ``NAME.toml`` sidecar is beside it,
    a 63-bit mix of that time and the sidecar's size and time, so that editing, adding or
    removing only the sidecar has the article read again."""
    if sidecar is None:
        return mtime_ns
    # Plain arithmetic, not a digest: the quick check of a large corpus (one a file) pays
    # for every microsecond. An edit moves the sidecar's time by an arbitrary amount: for the
    # stamp to stay the same, its size would have to move by exactly that amount over 7,919.
    mixed = (mtime_ns * 1_000_003) ^ (sidecar.st_mtime_ns + sidecar.st_size * 7_919 + 1)
    return mixed & 0x7FFF_FFFF_FFFF_FFFF


def sidecar_name(name: str) -> str | None:
    """The name of the sidecar an article file called ``name`` may have (``NAME.toml``, as
    :func:`reader.core.sources.metadata.read_sidecar` reads it), or None for a format that
    takes none."""
    return sidecar_names([name])[0]


def sidecar_names(names: Sequence[str]) -> list[str | None]:
    """:func:`sidecar_name` of each of ``names``, worked out for a whole folder at once (the
    suffixes tested in C, most names in their usual case)."""
    usual = set(filter(methodcaller("endswith", SIDECAR_SUFFIXES), names))
    return [
        f"{stem}.toml"
        if stem and dot and (name in usual or name.lower().endswith(SIDECAR_SUFFIXES))
        else None
        for name, (stem, dot, _suffix) in zip(
            names, map(methodcaller("rpartition", "."), names), strict=True
        )
    ]


def sidecar_stems(entries: Sequence[os.DirEntry[str]]) -> frozenset[str]:
    """The names (without their suffix) of the files in one folder that may have a sidecar:
    computed once per folder, so telling sidecars apart costs one look-up a file."""
    return frozenset(
        e.name.rpartition(".")[0] for e in entries if e.name.lower().endswith(SIDECAR_SUFFIXES)
    )


def is_sidecar(name: str, with_sidecars: frozenset[str]) -> bool:
    """True for ``NAME.toml`` beside an article file ``NAME.<suffix>`` that may have one
    (``with_sidecars``: see :func:`sidecar_stems`)."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix.lower() != "toml":
        return False
    return stem in with_sidecars


def skip_lines(skipped: Sequence[Skipped]) -> list[str]:
    """One line for each Skipped, except files of formats reader does not read: those are
    counted in one line, by kind ("3 files skipped (not an article format): .docx (2),
    .pdf (1)"), most frequent first. Lines are printable (see :meth:`Skipped.__str__`)."""
    lines = [str(s) for s in skipped if s.kind is not SkipKind.UNSUPPORTED]
    kinds: dict[str, int] = {}
    for item in skipped:
        if item.kind is SkipKind.UNSUPPORTED:
            kind = one_line(shown(kind_of(item.path)))
            kinds[kind] = kinds.get(kind, 0) + 1
    if kinds:
        total = sum(kinds.values())
        ranked = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
        counts = ", ".join(f"{kind} ({n})" for kind, n in ranked)
        noun = "file" if total == 1 else "files"
        lines.append(f"{total} {noun} skipped (not an article format): {counts}")
    return lines


def _source(
    path: Path,
    root: Path,
    is_link: bool,
    config: Config,
    roots: Sequence[Path],
    has_sidecar: bool = False,
) -> SourceFile | Skipped:
    if is_link and not config.follow_links_outside:
        target = link_outside(path, roots)
        if target is not None:
            return refusal(path, target)
    try:
        info = path.stat()
    except OSError as exc:
        why = exc.strerror or str(exc)
        if is_link:
            return Skipped(path, f"a broken link ({why})", SkipKind.UNREADABLE)
        return Skipped(path, f"cannot read: {why}", SkipKind.UNREADABLE)
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
        return Skipped(path, "not a regular file", SkipKind.UNREADABLE)
    sidecar = None
    if has_sidecar:
        try:
            sidecar = path.with_suffix(".toml").stat()
        except OSError:  # gone since the listing, or a broken link: as if none
            sidecar = None
    return SourceFile(path, root, info.st_size, change_stamp(info.st_mtime_ns, sidecar))
