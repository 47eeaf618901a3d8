"""Whether the live index still holds the corpus as it is on disk, found by looking at the files'
sizes and times alone: what lets an update with nothing to do end after one stat a file, and
a reader of the stored events skip the update (and opening the index) altogether.

:func:`index_matches_corpus` compares what an incremental update compares
(:func:`reader.core.search.index_build.incremental`): the files under the corpus folders,
their size and modification time, against the live generation's manifest, and the config's
index settings against those it was built with; from a digest of the manifest's files kept
beside it (:func:`note_index_files`, written after each update) when that is of the index
state as it is now, else from the manifest itself. It reads no article, takes no lock and
writes nothing; whenever it cannot tell (no index, a damaged manifest, a file skipped last
time) it says False, and the caller updates as before. :func:`unchanged_corpus` also gives
what the update would have reported (the files of other formats passed over...).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable
from contextlib import suppress
from operator import methodcaller
from pathlib import Path
from typing import Any, NamedTuple

from reader.core.config import Config
from reader.core.files.safe_write import write_atomically
from reader.core.search.index_files import (
    MANIFEST,
    SCHEMA_VERSION,
    IndexUnavailable,
    generation,
    index_stamp,
    read_manifest,
    settings_change,
)
from reader.core.sources.scan import (
    ARTICLE_SUFFIXES,
    Skipped,
    change_stamp,
    is_sidecar,
    missing_folder,
    not_an_article,
    own_places,
    sidecar_names,
    sidecar_stems,
    skipped_root,
)

NOTE_FILE = "corpus-files.json"  # in the live generation: see note_index_files


class Unchanged(NamedTuple):
    """What an update of an index that holds the corpus as it is on disk would report."""

    files: int  # article files, all read last time
    skipped: list[Skipped]  # as the full walk reports them (other formats, missing folders...)


def _digest(files: Iterable[tuple[str, int, int]]) -> str:
    lines = [f"{path}\t{size}\t{mtime}" for path, size, mtime in files]
    lines.sort()
    text = "\n".join(lines)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _manifest_digest(folder: Path) -> str | None:
    try:
        data = (folder / MANIFEST).read_bytes()
    except OSError:
        return None
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _read_note(folder: Path) -> dict[str, Any] | None:
    """The note in ``folder`` (see :func:`note_index_files`) when this version wrote it."""
    try:
        note = json.loads((folder / NOTE_FILE).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(note, dict) or note.get("schema") != SCHEMA_VERSION:
        return None
    return note


def manifest_settings(folder: Path) -> dict[str, Any]:
    """``read_manifest(folder)["settings"]``, raising as it raises; from the note of the index
    files when that was written from this very manifest (the digest of its bytes), which was
    read and checked then: at 50,000 articles, 10 MB of JSON not decoded and checked again."""
    note = _read_note(folder)
    if note is not None and isinstance(note.get("settings"), dict):
        digest = note.get("manifest")
        if digest is not None and digest == _manifest_digest(folder):
            settings: dict[str, Any] = note["settings"]
            return settings
    settings = read_manifest(folder)["settings"]
    return settings


def note_index_files(config: Config) -> None:
    """Keep beside the live index a digest of the files its manifest lists (path, size,
    modification time) with its settings and index stamp, so :func:`index_matches_corpus`
    need not read the manifest. Called after an update; written only when the index did
    not change while the manifest was read, and silently not when it cannot be. A note of
    this index state and of this very manifest (its bytes' digest) is left as it is, without
    the manifest being decoded."""
    folder = generation(config.index_dir)
    if folder is None:
        return
    before = index_stamp(folder)
    manifest_digest = _manifest_digest(folder)
    kept = _read_note(folder) or {}
    if manifest_digest is not None and (kept.get("index"), kept.get("manifest")) == (
        before,
        manifest_digest,
    ):
        return
    try:
        manifest = read_manifest(folder)
    except IndexUnavailable:
        return
    if not before or index_stamp(folder) != before or _manifest_digest(folder) != manifest_digest:
        return
    files = manifest["files"]
    if any(entry.get("skipped") for entry in files.values()):
        digest = "a file was skipped"  # read again by every update: never matches
    else:
        digest = _digest((p, e["size"], e["mtime_ns"]) for p, e in files.items())
    note = {
        "schema": SCHEMA_VERSION,
        "index": before,
        "settings": manifest["settings"],
        "files": digest,
        "manifest": manifest_digest,
    }
    text = json.dumps(note, sort_keys=True).encode("utf-8", "surrogatepass")
    with suppress(OSError):
        if (folder / NOTE_FILE).read_bytes() == text:
            return
    with suppress(OSError):
        write_atomically(folder / NOTE_FILE, text)


def index_matches_corpus(config: Config) -> bool:
    """True when an update of the index would find nothing to do: the live generation was
    built with the config's index settings and its manifest lists exactly the article files
    under the corpus folders, each with its size and modification time as they are now and
    none skipped last time. False otherwise, and whenever in doubt."""
    return unchanged_corpus(config) is not None


def unchanged_corpus(config: Config) -> Unchanged | None:
    """When :func:`index_matches_corpus`: what an update would report (the number of article
    files, and every file or folder passed over, as :func:`reader.core.sources.scan_corpus`
    gives them), so the update can be skipped; None otherwise, and whenever in doubt."""
    folder = generation(config.index_dir)
    if folder is None:
        return None
    note = _read_note(folder)
    if note is not None:
        try:
            if note["index"] != index_stamp(folder) or not isinstance(note["files"], str):
                note = None
        except (KeyError, TypeError):
            note = None
    if note is not None:  # the manifest's digest, of this very index state
        if not isinstance(note["settings"], dict):
            return None
        if settings_change(note["settings"], config) is not None:
            return None
        found, skipped = _on_disk(config)
        if _digest((p, s, m) for p, (s, m) in found.items()) != note["files"]:
            return None
        return Unchanged(len(found), skipped)
    try:
        manifest = read_manifest(folder)
    except IndexUnavailable:  # damaged or outdated: an update rebuilds it
        return None
    if settings_change(manifest["settings"], config) is not None:
        return None
    files = manifest["files"]
    try:
        found, skipped = _on_disk(config)
        if len(found) != len(files):
            return None
        for path, (size, mtime_ns) in found.items():
            entry = files.get(path)
            if (
                entry is None
                or entry["size"] != size
                or entry["mtime_ns"] != mtime_ns
                or entry.get("skipped")
            ):
                return None
    except (KeyError, TypeError, AttributeError):  # a manifest this version did not write
        return None
    return Unchanged(len(found), skipped)


def _on_disk(config: Config) -> tuple[dict[str, tuple[int, int]], list[Skipped]]:
    """(path -> (size, change stamp) of every article file the index would read now, what
    the walk passes over), as :func:`reader.core.sources.corpus.scan_corpus` finds them."""
    plain = _plain_files(config)
    if plain is not None:
        return plain
    from reader.core.sources.corpus import scan_corpus  # links, overlapping folders...

    found: dict[str, tuple[int, int]] = {}
    skipped: list[Skipped] = []
    for item in scan_corpus(config):
        if isinstance(item, Skipped):
            skipped.append(item)  # if indexed before, the manifest has more
        else:
            found[str(item.path)] = (item.size, item.mtime_ns)
    return found, skipped


def _plain_files(config: Config) -> tuple[dict[str, tuple[int, int]], list[Skipped]] | None:
    """(path -> (size, change stamp: see :func:`reader.core.sources.scan.change_stamp`) of
    the article files :func:`scan_corpus` would yield, the files of other formats and the
    missing folders it would report), when the corpus folders hold only plain folders and
    regular files (no symbolic link, nothing unreadable, no corpus folder inside another, no
    folder named like an article): the common case, walked with one stat an article file
    (and one its sidecar) and no Path objects. None whenever anything else is met."""
    roots = [str(root) for root in config.article_folders]
    real = [os.path.realpath(root) for root in roots]
    if real != roots or len(set(real)) != len(real):
        return None
    if any(a != b and b.startswith(a.rstrip(os.sep) + os.sep) for a in real for b in real):
        return None
    own = {os.path.realpath(p) for p in own_places(config)}  # never articles: see scan_corpus
    own_names = {os.path.basename(p) for p in own}
    found: dict[str, tuple[int, int]] = {}
    skipped: list[Skipped] = []
    for root, folder_path in zip(roots, config.article_folders, strict=True):
        if not os.path.isdir(root):
            if not skipped_root(config, folder_path):
                skipped.append(missing_folder(folder_path))
            continue
        stack = [root]
        while stack:
            try:
                if not _folder_files(stack, own, own_names, found, skipped):
                    return None
            except OSError:
                return None
    return found, skipped


_IS_ARTICLE = methodcaller("endswith", ARTICLE_SUFFIXES)  # in the suffix's usual case


def _folder_files(
    stack: list[str],
    own: set[str],
    own_names: set[str],
    found: dict[str, tuple[int, int]],
    skipped: list[Skipped],
) -> bool:
    """:func:`_plain_files` for the folder on top of ``stack``: its article files added to
    ``found``, the files of other formats to ``skipped``, its folders pushed on ``stack``;
    False when it holds what only the full walk decides (a symbolic link; an article file
    or a sidecar that is not a regular file, a folder named like one among them). The names
    are sorted out by sets and filters, and the ``lstat`` calls made by ``map``: at 50,000
    articles and as many sidecars, looking at each name in Python cost as much as the
    system calls."""
    folder = stack.pop()
    with os.scandir(folder) as listing:
        entries = {entry.name: entry for entry in listing}
    names = [name for name in entries if name[0] != "."]  # hidden: never read
    if not own_names.isdisjoint(names):
        names = [n for n in names if n not in own_names or entries[n].path not in own]
    articles = list(filter(_IS_ARTICLE, names))
    others: list[str] = []
    if len(articles) != len(names):
        chosen = set(articles)
        others = [name for name in names if name not in chosen]
        unusual = [name for name in others if name.lower().endswith(ARTICLE_SUFFIXES)]
        if unusual:
            articles += unusual
            moved = set(unusual)
            others = [name for name in others if name not in moved]
    prefix = folder if folder.endswith(os.sep) else folder + os.sep
    paths = [prefix + name for name in articles]
    infos = list(map(os.lstat, paths))  # a folder or a link among them: not regular, below
    beside: list[os.stat_result | None] = [None] * len(articles)
    stamped: set[str] = set()  # the sidecars stamped into their article's (see change_stamp)
    if others:
        present = set(others)
        sidecars = sidecar_names(articles)
        wanted = [i for i, name in enumerate(sidecars) if name in present]
        stamped = {str(sidecars[i]) for i in wanted}
        found_beside = map(os.lstat, [prefix + str(sidecars[i]) for i in wanted])
        for i, info in zip(wanted, found_beside, strict=True):
            beside[i] = info
    modes = [info.st_mode for info in infos]
    modes += [info.st_mode for info in beside if info is not None]
    if not all(map(stat.S_ISREG, modes)):
        return False
    found.update(
        zip(
            paths,
            [
                (info.st_size, change_stamp(info.st_mtime_ns, side))
                for info, side in zip(infos, beside, strict=True)
            ],
            strict=True,
        )
    )
    rest = [name for name in others if name not in stamped]
    stems: frozenset[str] | None = None
    for name in rest:  # folders, files of other formats, sidecars written in capitals
        entry = entries[name]
        if entry.is_symlink():
            return False
        if entry.is_dir(follow_symlinks=False):  # a folder, even one named like a file
            stack.append(entry.path)
            continue
        if stems is None:
            stems = sidecar_stems(list(entries.values()))
        if not is_sidecar(name, stems):
            skipped.append(not_an_article(Path(entry.path)))
    return True
