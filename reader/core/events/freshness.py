"""Whether the live index still holds the corpus as it is on disk, found by looking at the files'
sizes and times alone: what lets a reader of the stored events skip the update (and opening
the index) when an update would have nothing to do.

:func:`index_matches_corpus` compares what an incremental update compares
(:func:`reader.core.search.index_build.incremental`): the files under the corpus folders,
their size and modification time, against the live generation's manifest, and the config's
index settings against those it was built with; from a digest of the manifest's files kept
beside it (:func:`note_index_files`, written after each update) when that is of the index
state as it is now, else from the manifest itself. It reads no article, takes no lock and
writes nothing; whenever it cannot tell (no index, a damaged manifest, a file skipped last
time) it says False, and the caller updates as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable
from contextlib import suppress

from reader.core.config import Config
from reader.core.events.store_header import index_stamp
from reader.core.files.safe_write import write_atomically
from reader.core.search.index_files import (
    IndexUnavailable,
    generation,
    read_manifest,
    settings_change,
)
from reader.core.sources.scan import ARTICLE_SUFFIXES, change_stamp, sidecar_name

NOTE_FILE = "corpus-files.json"  # in the live generation: see note_index_files


def _digest(files: Iterable[tuple[str, int, int]]) -> str:
    lines = [f"{path}\t{size}\t{mtime}" for path, size, mtime in files]
    lines.sort()
    text = "\n".join(lines)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def note_index_files(config: Config) -> None:
    """Keep beside the live index a digest of the files its manifest lists (path, size,
    modification time) with its settings and index stamp, so :func:`index_matches_corpus`
    need not read the manifest. Called after an update; written only when the index did
    not change while the manifest was read, and silently not when it cannot be."""
    folder = generation(config.index_dir)
    if folder is None:
        return
    before = index_stamp(folder)
    try:
        manifest = read_manifest(folder)
    except IndexUnavailable:
        return
    if not before or index_stamp(folder) != before:
        return
    files = manifest["files"]
    if any(entry.get("skipped") for entry in files.values()):
        digest = "a file was skipped"  # read again by every update: never matches
    else:
        digest = _digest((p, e["size"], e["mtime_ns"]) for p, e in files.items())
    note = {"index": before, "settings": manifest["settings"], "files": digest}
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
    folder = generation(config.index_dir)
    if folder is None:
        return False
    try:
        note = json.loads((folder / NOTE_FILE).read_bytes())
        if note["index"] != index_stamp(folder) or not isinstance(note["files"], str):
            note = None
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        note = None
    if note is not None:  # the manifest's digest, of this very index state
        if not isinstance(note["settings"], dict):
            return False
        if settings_change(note["settings"], config) is not None:
            return False
        found = _on_disk(config)
        return bool(_digest((p, s, m) for p, (s, m) in found.items()) == note["files"])
    try:
        manifest = read_manifest(folder)
    except IndexUnavailable:  # damaged or outdated: an update rebuilds it
        return False
    if settings_change(manifest["settings"], config) is not None:
        return False
    files = manifest["files"]
    try:
        found = _on_disk(config)
        if len(found) != len(files):
            return False
        for path, (size, mtime_ns) in found.items():
            entry = files.get(path)
            if (
                entry is None
                or entry["size"] != size
                or entry["mtime_ns"] != mtime_ns
                or entry.get("skipped")
            ):
                return False
    except (KeyError, TypeError, AttributeError):  # a manifest this version did not write
        return False
    return True


def _on_disk(config: Config) -> dict[str, tuple[int, int]]:
    """Path -> (size, mtime in ns) of every article file the index would read now."""
    found = _plain_files(config)
    if found is None:  # links, overlapping folders...: the full walk decides
        from reader.core.sources.corpus import Skipped, scan_corpus  # not needed otherwise

        found = {
            str(item.path): (item.size, item.mtime_ns)
            for item in scan_corpus(config)
            if not isinstance(item, Skipped)  # if indexed before, the manifest has more
        }
    return found


def _plain_files(config: Config) -> dict[str, tuple[int, int]] | None:
    """Path -> (size, change stamp: see :func:`reader.core.sources.scan.change_stamp`) of the
    article files :func:`scan_corpus` would yield, when
    the corpus folders hold only plain folders and regular files (no symbolic link, nothing
    unreadable, no folder inside another): the common case, walked with one stat a file and
    no Path objects. None whenever anything else is met."""
    roots = [str(root) for root in config.article_folders]
    real = [os.path.realpath(root) for root in roots]
    if real != roots or len(set(real)) != len(real):
        return None
    if any(a != b and b.startswith(a.rstrip(os.sep) + os.sep) for a in real for b in real):
        return None
    found: dict[str, tuple[int, int]] = {}
    stat_of, is_regular = os.stat, stat.S_ISREG
    for root in roots:
        if not os.path.isdir(root):
            continue  # scan_corpus skips a missing folder too
        stack = [root]
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except OSError:
                return None
            tomls = {entry.name: entry for entry in entries if entry.name.endswith(".toml")}
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue
                if entry.is_symlink():
                    return None
                if not name.endswith(ARTICLE_SUFFIXES) and not name.lower().endswith(
                    ARTICLE_SUFFIXES
                ):
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    continue
                if entry.is_dir(follow_symlinks=False):  # a folder named like an article
                    stack.append(entry.path)
                    continue
                try:
                    info = stat_of(entry.path, follow_symlinks=False)
                except OSError:
                    return None
                if not is_regular(info.st_mode):
                    return None
                beside = None
                if tomls:  # a sidecar beside it: stamped as scan_corpus stamps it
                    sidecar = tomls.get(sidecar_name(name) or "")
                    if sidecar is not None:
                        try:
                            beside = sidecar.stat(follow_symlinks=False)
                        except OSError:
                            return None
                        if not is_regular(beside.st_mode):
                            return None  # a link or something odd: the full walk decides
                found[entry.path] = (info.st_size, change_stamp(info.st_mtime_ns, beside))
    return found
