"""The search index: a Whoosh index of the corpus, kept up to date incrementally.

On disk (see :mod:`reader.core.search.index_files`): ``CURRENT`` names the live ``gen-<n>`` folder,
which holds the Whoosh files, ``vocabulary.json`` and ``manifest.json``; ``update.lock`` keeps
two updaters apart. An incremental update writes into the live generation with Whoosh's atomic
commits; a rebuild writes a new generation and then switches ``CURRENT``. A run killed or
failing half-way (disk full, say) therefore leaves the old index or the new one, and the next
update removes what it left. Every update first checks the live index: a damaged one (or one
built by another version, or with other ``[boilerplate]``/limit settings) is rebuilt, a damaged
word list alone is rebuilt from the stored articles; files skipped last time are read again.

:func:`update_index` reports what it did in an :class:`UpdateReport`; :func:`open_index`
raises :class:`IndexUnavailable` (:class:`IndexDamaged` when rebuilding would help) with a
one-line message; :func:`repairing` runs a piece of work and, when it meets a damaged index,
says so, repairs it and runs the work once more.
"""

from __future__ import annotations

import errno
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from reader.core.config import Config
from reader.core.files.safe_write import LockBusy, hold_lock
from reader.core.search.index_files import (
    FINGERPRINT,
    INDEX_NAME,
    SCHEMA_VERSION,
    IndexDamaged,
    IndexOutdated,
    IndexUnavailable,
    generation,
    generations,
    read_fingerprint,
    settings_change,
    tidy,
    verify,
)
from reader.core.search.vocabulary import VERSION as VOCABULARY_VERSION
from reader.core.search.vocabulary import Vocabulary, VocabularyDamaged
from reader.core.sources.article import Article

if TYPE_CHECKING:
    from reader.core.search.index_build import PARALLEL_FROM, Progress, UpdateReport
    from reader.core.search.schema import make_schema

# The writer (reader.core.search.index_build, and the corpus readers it imports) is imported by
# update_index: a search opens the index without it (tests/test_cold_imports.py).
_LAZY = {"PARALLEL_FROM", "UpdateReport"}


def __getattr__(name: str) -> Any:
    """``PARALLEL_FROM`` and ``UpdateReport`` from the writer's module, ``make_schema`` from
    the schema's (without the writer)."""
    if name == "make_schema":
        from reader.core.search.schema import make_schema

        return make_schema
    if name in _LAZY:
        from reader.core.search import index_build

        return getattr(index_build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "PARALLEL_FROM",
    "SCHEMA_VERSION",
    "IndexDamaged",
    "IndexOutdated",
    "IndexUnavailable",
    "UpdateReport",
    "make_schema",
    "open_index",
    "repairing",
    "update_index",
]

T = TypeVar("T")


def live_folder(config: Config) -> Path:
    """The folder of the live index generation (which may not exist yet)."""
    return generation(config.index_dir) or config.index_dir / "gen-0"


OPEN_ATTEMPTS = 5  # an index that keeps changing while it is opened is read again this often


def open_index(config: Config, *, thorough: bool = False) -> FileIndex:
    """Open the live index read-only (no copying of segment files into memory), after checking
    its files against the manifest (``thorough``: hashing every one).

    An update committing in another process while the index is opened can make its files
    disagree for a moment (the fingerprint of one commit, the TOC of another); when the index
    changed during the attempt, it is opened again, so only an index that stays damaged is
    reported. Raises IndexUnavailable when there is none, IndexDamaged when it is damaged or
    outdated.
    """
    for attempt in range(1, OPEN_ATTEMPTS + 1):
        before = _snapshot(config.index_dir)
        try:
            return _open_once(config.index_dir, thorough)
        except IndexOutdated:
            raise
        except IndexDamaged:
            if attempt == OPEN_ATTEMPTS or _snapshot(config.index_dir) == before:
                raise
    raise AssertionError("unreachable")  # the loop returns or raises


def _snapshot(index_dir: Path) -> tuple[object, ...]:
    """What changes when an update commits: the live folder, its fingerprint, its TOC files."""
    folder = generation(index_dir)
    if folder is None:
        return (None,)
    try:
        stat = (folder / FINGERPRINT).stat()
        tocs = sorted(p.name for p in folder.glob(f"_{INDEX_NAME}_*.toc"))
    except OSError:
        return (folder.name, None)
    return folder.name, stat.st_ino, stat.st_mtime_ns, stat.st_size, tuple(tocs)


def _open_once(index_dir: Path, thorough: bool) -> FileIndex:
    folder = generation(index_dir)
    if folder is None or not folder.is_dir():
        if (index_dir / "CURRENT").exists() or generations(index_dir):
            raise IndexDamaged(index_dir, "CURRENT is missing or does not name an index folder")
        raise IndexUnavailable(f"no index in {index_dir}: run `reader index` to build it")
    recorded = read_fingerprint(folder)
    try:
        storage = FileStorage(str(folder), supports_mmap=False, readonly=True)
        ix = storage.open_index(INDEX_NAME)
        toc = ix._read_toc()
    except Exception as exc:  # Whoosh raises many types for damaged files
        problem = f"Whoosh cannot open it ({type(exc).__name__})"
        raise IndexDamaged(folder, problem) from exc
    segments = {segment.segment_id() for segment in toc.segments}
    verify(folder, recorded, toc.generation, segments, thorough=thorough)
    return ix


def article_from_fields(fields: dict[str, Any]) -> Article:
    """Rebuild an Article from the index's stored fields."""
    published = fields.get("published")
    return Article(
        id=fields["id"],
        title=fields.get("title", ""),
        body=fields.get("body", ""),
        lang=fields.get("lang", "other"),
        outlet=fields.get("outlet", ""),
        url=fields.get("url", ""),
        published=published.date() if isinstance(published, datetime) else None,
        author=fields.get("author", ""),
        source=fields.get("source", ""),
        content_hash=fields.get("content_hash", ""),
    )


def _health(config: Config, thorough: bool) -> tuple[str | None, str | None]:
    """(why the whole index must be rebuilt, why only its word list must be), None for fine."""
    try:
        ix = open_index(config, thorough=thorough)
        with ix.searcher() as searcher:
            searcher.doc_count()
    except IndexOutdated:
        return "the index is from an older version of reader", None
    except IndexDamaged as exc:
        return f"the index was damaged: {exc.problem}", None
    except IndexUnavailable:
        return "no index yet", None
    except Exception as exc:  # a segment Whoosh cannot read although its fingerprint matches
        return f"the index cannot be read ({type(exc).__name__})", None
    from reader.core.search.freshness import manifest_settings

    folder = live_folder(config)
    try:
        change = settings_change(manifest_settings(folder), config)
    except IndexOutdated:
        return "the index is from an older version of reader", None
    except IndexDamaged as exc:
        return f"the index was damaged: {exc.problem}", None
    if change is not None:
        return change, None
    try:
        vocabulary = Vocabulary.load(folder)
    except VocabularyDamaged as exc:
        return None, str(exc)
    if vocabulary.version < VOCABULARY_VERSION:  # once: then a search reads it without parsing
        with suppress(OSError):  # every word (a read-only folder: searched as it is)
            vocabulary.save(folder)
    return None, None


def _nothing_to_do(config: Config, report: UpdateReport) -> bool:
    """True, with ``report`` filled in as :func:`incremental` would fill it, when the live
    index holds the corpus files as they are on disk (their sizes and times: see
    :func:`reader.core.search.freshness.unchanged_corpus`): at 50,000 articles, a stat of
    each file instead of every file's path taken apart and its manifest entry compared."""
    from reader.core.search.freshness import unchanged_corpus

    unchanged = unchanged_corpus(config)
    if unchanged is None:
        return False
    report.unchanged = unchanged.files
    report.skipped.extend(unchanged.skipped)
    ix = FileStorage(str(live_folder(config)), supports_mmap=False).open_index(INDEX_NAME)
    report.total = ix.doc_count()
    return True


def _write_failure(config: Config, exc: OSError) -> IndexUnavailable:
    where = config.index_dir
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        kept = " (the previous index is kept)" if generation(where) is not None else ""
        return IndexUnavailable(
            f"disk full: cannot write the index in {where}; free some space and run "
            f"`reader index` again{kept}"
        )
    if isinstance(exc, PermissionError):
        return IndexUnavailable(
            f"cannot write the index in {where}: {exc.strerror}; "
            "check the folder's permissions or set [storage] data_dir in config"
        )
    return IndexUnavailable(f"cannot write the index in {where}: {exc.strerror or exc}")


def update_index(
    config: Config,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    wait: float = 30.0,
    thorough: bool = False,
) -> UpdateReport:
    """Bring the index up to date with the corpus folders; rebuild when asked or needed.

    Only files whose size or mtime changed, and files skipped last time, are read again (and
    only re-indexed when their content hash changed); files gone from disk are removed. A
    damaged, outdated or differently configured index is rebuilt (``rebuild_reason`` says
    why), a damaged word list rebuilt from the stored articles (``repaired`` says so);
    ``thorough`` hashes every index file to look for damage. Whatever fails, what the failed
    run wrote is removed. Raises IndexUnavailable (one line: disk full, permissions, another
    update holding the lock for ``wait`` seconds) and leaves the previous index as it was.
    """
    from reader.core.files.processes import WorkerFailed  # multiprocessing: only to write
    from reader.core.search.index_build import UpdateReport, incremental, rebuild_vocabulary
    from reader.core.search.index_build import rebuild as _rebuild

    started = time.perf_counter()
    report = UpdateReport()
    index_dir = config.index_dir
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        with hold_lock(index_dir / "update.lock", wait):
            tidy(index_dir)
            reason, vocabulary = (
                ("asked to rebuild", None) if rebuild else _health(config, thorough)
            )
            if reason is not None:
                report.rebuilt, report.rebuild_reason = True, reason
                _rebuild(config, report, progress)
            else:
                if vocabulary is not None:
                    rebuild_vocabulary(live_folder(config))
                    report.repaired.append(f"{vocabulary}: rebuilt it")
                if thorough or not _nothing_to_do(config, report):
                    incremental(config, report, progress)
    except LockBusy:
        raise IndexUnavailable(
            f"another reader is updating the index in {index_dir}; try again when it has finished"
        ) from None
    except OSError as exc:
        raise _write_failure(config, exc) from exc
    except WorkerFailed as exc:
        raise IndexUnavailable(f"indexing failed: {exc}") from exc
    report.seconds = time.perf_counter() - started
    return report


def repairing(config: Config, work: Callable[[], T], say: Callable[[str], None]) -> T:
    """``work()`` (which reads the index); if it meets a damaged index, ``say`` so in one
    line, repair the index (rebuilding what is damaged) and return ``work()`` run once more.
    IndexUnavailable when the repair fails or the index is still unreadable."""
    try:
        return work()
    except IndexDamaged as exc:
        say(f"{exc}; {'rebuilding it' if exc.part == 'index' else 'repairing it'}")
        update_index(config, thorough=True, wait=60.0)
        return work()
