"""The index's files on disk: which generation is live, its manifest, and whether it is whole.

Layout, under ``config.index_dir``::

    CURRENT          name of the live generation folder (replaced atomically)
    gen-<n>/         a Whoosh index, ``vocabulary.json``, ``manifest.json``, ``index.json``
    update.lock      held while an update runs (a :mod:`filelock` lock)

``manifest.json`` records what each corpus file gave and the settings the index was built with
(:func:`index_settings`); only updates read it. ``index.json`` (small, read at every open)
holds the fingerprint (size, mtime, BLAKE2b) of every Whoosh file at the last commit.
:func:`verify` compares the files against it: a size that differs or a file that is gone is
damage; a changed mtime makes it hash the file, so a copied index is not mistaken for a broken
one. Any problem found raises :class:`IndexDamaged`, whose message is one line naming the
folder and the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import asdict
from itertools import islice
from pathlib import Path
from typing import Any

import whoosh

from reader.core.config import Config
from reader.core.files.safe_write import write_atomically

SCHEMA_VERSION = 9  # 9: the words' first two letters indexed (word_starts); 8: LZ4 stored
INDEX_NAME = "MAIN"
MANIFEST = "manifest.json"
FINGERPRINT = "index.json"
ANALYSIS_VERSION = 2  # raise when reader.core.search.analysis changes what terms a text gives
# (2: U.S., U.N. and US, WHO in capitals are terms; Latin diacritics fold away)

_TOC = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")
_SEGMENT = re.compile(rf"^({INDEX_NAME}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")
_HASH_CHUNK = 1 << 20
_WHOOSH = str(Path(whoosh.__file__).resolve().parent)
_READER = str(Path(__file__).resolve().parents[2])
# The index's codec (Whoosh's, its stored fields through LZ4): what it raises reading a file is
# Whoosh's reading, not a bug of reader's.
_CODEC = str(Path(__file__).resolve().with_name("stored_codec.py"))


class IndexUnavailable(Exception):
    """The index cannot be opened or written; the message says why and what to do."""


class IndexDamaged(IndexUnavailable):
    """The index exists but a part of it is damaged (or unusable); rebuilding repairs it.

    ``problem`` says what is wrong in a few words; ``part`` is ``"index"`` (rebuild it all)
    or ``"vocabulary"`` (only the word list behind prefix search needs rebuilding).
    """

    def __init__(self, where: Path, problem: str, part: str = "index") -> None:
        self.where, self.problem, self.part = where, problem, part
        super().__init__(self.describe())

    def describe(self) -> str:
        return f"the index in {self.where} is damaged: {self.problem}"


class IndexOutdated(IndexDamaged):
    """The index was written by another version of reader: it must be rebuilt."""

    def __init__(self, where: Path) -> None:
        super().__init__(where, "it was built by an older version of reader")

    def describe(self) -> str:
        return f"the index in {self.where} is from an older version of reader"


def _reading_version() -> int:
    # Imported here: the corpus readers (every source format) are not needed to open an index.
    from reader.core.sources.corpus import READING_VERSION

    return READING_VERSION


def generation(index_dir: Path) -> Path | None:
    """The live generation folder named by CURRENT, or None when CURRENT is missing or bad."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not re.fullmatch(r"gen-\d{1,9}", name):
        return None
    return index_dir / name


def generations(index_dir: Path) -> list[tuple[int, Path]]:
    """Every ``gen-<n>`` folder, by number."""
    found = []
    with suppress(OSError):
        for path in index_dir.glob("gen-*"):
            if path.name[4:].isdigit() and path.is_dir():
                found.append((int(path.name[4:]), path))
    return sorted(found)


def set_current(index_dir: Path, folder: Path) -> None:
    """Make ``folder`` the live generation (atomically)."""
    write_atomically(index_dir / "CURRENT", (folder.name + "\n").encode("utf-8"))


def index_settings(config: Config) -> dict[str, Any]:
    """Everything in the config (and code) that changes what the index holds, by group."""
    return {
        "boilerplate": asdict(config.boilerplate),
        "limits": {"max_file_bytes": config.max_file_bytes},
        "analysis": {"version": ANALYSIS_VERSION},
        "reading": {"version": _reading_version()},
        **({"outlets": dict(sorted(config.outlet_hosts.items()))} if config.outlet_hosts else {}),
    }


_GROUP_NAMES = {
    "boilerplate": "[boilerplate]",
    "limits": "[corpus] max_file_mb",
    "outlets": "[outlets] hosts",
    "reading": "the way reader reads files",
}


def settings_change(built_with: dict[str, Any], config: Config) -> str | None:
    """Why an index built with ``built_with`` no longer fits ``config``, or None."""
    wanted = json.loads(json.dumps(index_settings(config)))  # tuples as lists, like the file
    groups = [*wanted, *(g for g in ("outlets",) if g in built_with and g not in wanted)]
    changed = [g for g in groups if built_with.get(g) != wanted.get(g)]
    if not changed:
        return None
    names = ", ".join(_GROUP_NAMES.get(g, f"the {g} rules") for g in changed)
    return f"{names} changed since the index was built"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def manifest_problem(data: Any) -> str | None:
    """What is wrong with a loaded manifest (the first thing found), or None."""
    if not isinstance(data, dict):
        return "it is not a JSON object"
    files = data.get("files")
    if not isinstance(files, dict):
        return '"files" is not a table'
    for path, entry in files.items():
        if not isinstance(entry, dict):
            return f"files[{path!r}] is not a table"
        for key in ("size", "mtime_ns"):
            if not _is_int(entry.get(key)):
                return f"files[{path!r}].{key} is not a whole number"
        for key in ("ids", "hashes", "skipped"):
            if not _str_list(entry.get(key, [])):
                return f"files[{path!r}].{key} is not a list of strings"
    keys = data.get("keys")
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        return '"keys" is not a table of strings'
    if not isinstance(data.get("settings"), dict):
        return '"settings" is not a table'
    return None


def fingerprint_problem(data: Any) -> str | None:
    """What is wrong with a loaded ``index.json`` (the first thing found), or None."""
    if not isinstance(data, dict) or not _is_int(data.get("toc")):
        return 'it is not a table with a "toc" number'
    prints = data.get("files")
    if not isinstance(prints, dict):
        return '"files" is not a table'
    for name, value in prints.items():
        if not (
            isinstance(value, list)
            and len(value) == 3
            and _is_int(value[0])
            and _is_int(value[1])
            and isinstance(value[2], str)
        ):
            return f"files[{name!r}] is not [size, mtime, hash]"
    return None


def _read_checked(folder: Path, name: str, check: Any) -> dict[str, Any]:
    path = folder / name
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise IndexDamaged(folder, f"{name} is missing") from None
    except (OSError, ValueError) as exc:
        raise IndexDamaged(folder, f"{name} cannot be read ({type(exc).__name__})") from None
    if isinstance(data, dict) and _is_int(data.get("schema")):
        if data["schema"] != SCHEMA_VERSION:
            raise IndexOutdated(folder)
    else:
        raise IndexDamaged(folder, f'{name} has no "schema" number')
    problem = check(data)
    if problem is not None:
        raise IndexDamaged(folder, f"{name}: {problem}")
    return data


def index_stamp(folder: Path) -> str:
    """What identifies the index generation in ``folder`` as it is now: its name and a digest
    of its fingerprint file (which changes with every commit to it); "" when unreadable."""
    try:
        data = (folder / FINGERPRINT).read_bytes()
    except OSError:
        return ""
    from hashlib import blake2b  # where it is used (Whoosh's modules import hashlib anyway)

    return f"{folder.name}:{blake2b(data, digest_size=12).hexdigest()}"


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a generation; IndexDamaged (IndexOutdated) when it cannot be used."""
    return _read_checked(folder, MANIFEST, manifest_problem)


def read_fingerprint(folder: Path) -> dict[str, Any]:
    """``index.json`` of a generation; IndexDamaged (IndexOutdated) when it cannot be used."""
    if not (folder / FINGERPRINT).exists():
        read_manifest(folder)  # an index from before index.json existed: IndexOutdated
    return _read_checked(folder, FINGERPRINT, fingerprint_problem)


_PIECE = 2000  # entries of a table of the manifest encoded at a time


def _manifest_pieces(manifest: dict[str, Any]) -> Iterator[bytes]:
    """The bytes of ``json.dumps(manifest, ensure_ascii=False, allow_nan=False)`` encoded as
    UTF-8, in pieces of ``_PIECE`` entries of its tables (one entry per corpus file and per
    article): encoded whole, the text and its pieces took 80 MB at 50,000 articles. A file
    name that is not UTF-8 holds lone surrogates; "backslashreplace" writes each as its JSON
    escape (\\udcNN), which json.loads turns back into the same name."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    def encoded(text: str) -> bytes:
        return text.encode("utf-8", errors="backslashreplace")

    yield b"{"
    for number, (name, value) in enumerate(manifest.items()):
        head = f"{', ' if number else ''}{dumps(name)}: "
        if not (isinstance(value, dict) and all(isinstance(k, str) for k in value)):
            yield encoded(head + dumps(value))
            continue
        yield encoded(head + "{")
        entries = iter(value.items())
        separator = ""
        while piece := list(islice(entries, _PIECE)):
            text = ", ".join(f"{dumps(k)}: {dumps(v)}" for k, v in piece)
            yield encoded(separator + text)
            separator = ", "
        yield b"}"
    yield b"}"


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest, then ``index.json`` with the fingerprint of the Whoosh files as
    they are now (each atomically)."""
    write_atomically(folder / MANIFEST, _manifest_pieces(manifest))
    previous: dict[str, Any] | None = None
    if (folder / FINGERPRINT).exists():  # else read_fingerprint reads the whole manifest back
        try:
            previous = read_fingerprint(folder)
        except IndexDamaged:
            previous = None
    prints = {"schema": SCHEMA_VERSION, **fingerprint(folder, previous)}
    write_atomically(folder / FINGERPRINT, json.dumps(prints, allow_nan=False).encode())


def _digest(path: Path) -> str:
    from hashlib import blake2b

    digest = blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(folder: Path, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The newest TOC generation and [size, mtime_ns, hash] of each Whoosh file in ``folder``
    (hashes of ``previous`` are reused for files whose size and mtime are unchanged: Whoosh
    never rewrites a file in place)."""
    known: dict[str, list[Any]] = (previous or {}).get("files", {})
    files: dict[str, list[Any]] = {}
    toc = -1
    for path in sorted(folder.iterdir()):
        name = path.name
        toc_match = _TOC.match(name)
        if toc_match:
            toc = max(toc, int(toc_match.group(1)))
        elif not _SEGMENT.match(name) or not path.is_file():
            continue
        stat = path.stat()
        old = known.get(name)
        if old is not None and old[:2] == [stat.st_size, stat.st_mtime_ns]:
            files[name] = old
        else:
            files[name] = [stat.st_size, stat.st_mtime_ns, _digest(path)]
    return {"toc": toc, "files": {n: v for n, v in files.items() if _owned(n, toc)}}


def _owned(name: str, toc: int) -> bool:
    match = _TOC.match(name)
    return match is None or int(match.group(1)) == toc


def verify(
    folder: Path, recorded: dict[str, Any], toc: int, segments: set[str], *, thorough: bool = False
) -> None:
    """Check the files of the TOC generation ``toc`` (with segment ids ``segments``) that an
    open index uses against ``recorded`` (:func:`read_fingerprint`). ``thorough`` hashes every
    file. Files written after it (by an update still running) are not checked."""
    if toc < recorded["toc"]:
        raise IndexDamaged(folder, f"_{INDEX_NAME}_{recorded['toc']}.toc is missing")
    for name, (size, mtime_ns, digest) in recorded["files"].items():
        toc_match = _TOC.match(name)
        if toc_match:
            if int(toc_match.group(1)) != toc:
                continue
        else:
            segment = _SEGMENT.match(name)
            if segment is None or segment.group(1) not in segments:
                continue
        path = folder / name
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise IndexDamaged(folder, f"{name} is missing") from None
        except OSError as exc:
            raise IndexDamaged(folder, f"{name} cannot be read ({exc.strerror})") from None
        if stat.st_size != size:
            raise IndexDamaged(
                folder, f"{name} has changed size ({stat.st_size:,} bytes, was {size:,})"
            )
        if thorough or stat.st_mtime_ns != mtime_ns:
            try:
                same = _digest(path) == digest
            except OSError as exc:
                raise IndexDamaged(folder, f"{name} cannot be read ({exc.strerror})") from None
            if not same:
                raise IndexDamaged(folder, f"{name} has changed since it was written")


def tidy(index_dir: Path) -> None:
    """Remove what killed or failed updates left: generations newer than the live one (an
    unfinished rebuild) and Whoosh's temporary folders in the live one. Call under the
    update lock only."""
    import shutil

    live = generation(index_dir)
    if live is None or not live.is_dir():
        return
    number = int(live.name[4:])
    for other_number, other in generations(index_dir):
        if other_number > number:
            shutil.rmtree(other, ignore_errors=True)
    with suppress(OSError):
        for path in live.iterdir():
            if path.name.endswith(".tmp") and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)


def read_failure(exc: BaseException, folder: Path) -> IndexDamaged | None:
    """An IndexDamaged for ``exc`` when Whoosh raised it while reading the files of ``folder``
    (the innermost frame is Whoosh's, or the index codec's, :mod:`reader.core.search.stored_codec`,
    not reader's), else None: reader's own bugs stay bugs."""
    if isinstance(exc, IndexUnavailable) or not isinstance(exc, Exception):
        return None
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    ours = [f for f in frames if f.startswith((_WHOOSH, _READER))]
    if not ours or not (ours[-1].startswith(_WHOOSH) or ours[-1] == _CODEC):
        return None
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:160]
    return IndexDamaged(folder, f"a file cannot be read ({detail})")
