"""The search index: a Whoosh index of the corpus, kept up to date incrementally.

On disk, under ``config.index_dir``::

    CURRENT          name of the live generation folder (replaced atomically)
    gen-<n>/         a Whoosh index plus ``manifest.json`` (what each file gave at last update)
    update.lock      held while an update runs, so two updaters never interleave

An incremental update writes into the live generation with Whoosh's atomic commits; a rebuild
writes a new generation and then switches ``CURRENT``. A run killed half-way therefore leaves the
old or the new index, never a broken one. :func:`update_index` reports what it did in an
:class:`UpdateReport`; :func:`open_index` raises :class:`IndexUnavailable` with a message that
says what to do.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from reader.core.analysis import ReaderAnalyzer
from reader.core.article import Article
from reader.core.config import Config
from reader.core.corpus import Skipped, SourceFile, read_source, scan_corpus
from reader.core.safe_write import write_atomically
from reader.core.vocabulary import Vocabulary

SCHEMA_VERSION = 5
_INDEX_NAME = "MAIN"

Progress = Callable[[int, int, str], None]
PARALLEL_FROM = 300  # articles from which a full build uses two writer processes


class IndexUnavailable(Exception):
    """The index cannot be opened or written; the message says why and what to do."""


def make_schema() -> Schema:
    """The fields of the index. Prefix and wildcard queries go through the vocabulary
    (:mod:`reader.core.vocabulary`) rather than an unstemmed copy of every text."""
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=ReaderAnalyzer(), stored=True, field_boost=2.0),
        body=TEXT(analyzer=ReaderAnalyzer(), stored=True),
        lang=ID(stored=True),
        outlet=ID(stored=True),
        outlet_key=ID,
        published=DATETIME(stored=True, sortable=True),
        dated=ID,  # "yes"/"no": lets the article list put dated articles first
        url=STORED,
        source=STORED,
        content_hash=STORED,
    )


@dataclass(slots=True)
class UpdateReport:
    """What an index update did. ``skipped`` lists each file passed over once, with its reason."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    rebuild_reason: str = ""
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (id, id it duplicates)
    total: int = 0  # articles in the index afterwards
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """True when the index content changed."""
        return bool(self.added or self.updated or self.removed or self.rebuilt)


def _generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not name.startswith("gen-") or "/" in name:
        return None
    return index_dir / name


def live_folder(config: Config) -> Path:
    """The folder of the live index generation (which may not exist yet)."""
    return _generation(config.index_dir) or config.index_dir / "gen-0"


def open_index(config: Config) -> FileIndex:
    """Open the live index read-only (no copying of segment files into memory).

    Raises IndexUnavailable when there is none or it cannot be read.
    """
    folder = _generation(config.index_dir)
    if folder is None or not folder.is_dir():
        raise IndexUnavailable(f"no index in {config.index_dir}: run `reader index` to build it")
    try:
        storage = FileStorage(str(folder), supports_mmap=False, readonly=True)
        return storage.open_index(_INDEX_NAME)
    except Exception as exc:  # Whoosh raises many types for damaged files
        raise IndexUnavailable(
            f"the index in {folder} cannot be read ({type(exc).__name__}: {exc}); "
            "run `reader index --rebuild`"
        ) from exc


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
        source=fields.get("source", ""),
        content_hash=fields.get("content_hash", ""),
    )


def _document(article: Article) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "lang": article.lang,
        "outlet": article.outlet,
        "outlet_key": article.outlet.casefold(),
        "url": article.url,
        "source": article.source,
        "content_hash": article.content_hash,
    }
    doc["dated"] = "no" if article.published is None else "yes"
    if article.published is not None:
        doc["published"] = datetime(
            article.published.year, article.published.month, article.published.day
        )
    return doc


def _content_key(article: Article) -> str:
    text = f"{article.title}\n{article.body}".casefold()
    return hashlib.blake2b(" ".join(text.split()).encode(), digest_size=12).hexdigest()


@contextmanager
def _update_lock(index_dir: Path, wait: float) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / "update.lock", "a+b") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexUnavailable(
                        f"another reader is updating the index in {index_dir}; "
                        "try again when it has finished"
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("schema") != SCHEMA_VERSION:
        return None
    return manifest


def _write_json_atomic(path: Path, data: Any) -> None:
    # A file name that is not UTF-8 holds lone surrogates; "backslashreplace" writes each as
    # its JSON escape (\udcNN), which json.loads turns back into the same name.
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    write_atomically(path, text.encode("utf-8", errors="backslashreplace"))


def _set_current(index_dir: Path, folder: Path) -> None:
    write_atomically(index_dir / "CURRENT", (folder.name + "\n").encode("utf-8"))


def _stale_reason(config: Config) -> str | None:
    """Why the live index must be rebuilt, or None when it can be updated in place."""
    folder = _generation(config.index_dir)
    if folder is None or not folder.is_dir():
        return "no index yet"
    if _read_manifest(folder) is None:
        return "the index is from an older version of reader or its manifest is damaged"
    try:
        ix = FileStorage(str(folder), supports_mmap=False).open_index(_INDEX_NAME)
        with ix.searcher() as searcher:
            searcher.doc_count()
    except Exception as exc:
        return f"the index cannot be read ({type(exc).__name__})"
    return None


def update_index(
    config: Config,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    wait: float = 30.0,
) -> UpdateReport:
    """Bring the index up to date with the corpus folders; rebuild when asked or needed.

    Only files whose size or mtime changed are read again (and only re-indexed when their
    content hash changed); files gone from disk are removed. Raises IndexUnavailable when the
    index folder cannot be written or another update holds the lock for ``wait`` seconds.
    """
    started = time.perf_counter()
    report = UpdateReport()
    try:
        with _update_lock(config.index_dir, wait):
            reason = "asked to rebuild" if rebuild else _stale_reason(config)
            if reason is not None:
                report.rebuilt, report.rebuild_reason = True, reason
                _rebuild(config, report, progress)
            else:
                _incremental(config, report, progress)
    except PermissionError as exc:
        raise IndexUnavailable(
            f"cannot write the index in {config.index_dir}: {exc.strerror}; "
            "check the folder's permissions or set [storage] data_dir in config"
        ) from exc
    report.seconds = time.perf_counter() - started
    return report


def _sources(config: Config, report: UpdateReport) -> list[SourceFile]:
    sources: list[SourceFile] = []
    for item in scan_corpus(config):
        if isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            sources.append(item)
    return sources


def _rebuild(config: Config, report: UpdateReport, progress: Progress | None) -> None:
    index_dir = config.index_dir
    old = _generation(index_dir)
    number = 1 + max(
        (int(p.name[4:]) for p in index_dir.glob("gen-*") if p.name[4:].isdigit()), default=0
    )
    folder = index_dir / f"gen-{number}"
    folder.mkdir(parents=True)
    ix = FileStorage(str(folder)).create_index(make_schema(), indexname=_INDEX_NAME)
    manifest: dict[str, Any] = {"schema": SCHEMA_VERSION, "files": {}, "keys": {}}
    sources = _sources(config, report)
    vocabulary = Vocabulary()
    # Two processes analyse and write their own segment: about twice as fast on two cores.
    parallel = len(sources) >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2
    if parallel:
        writer = ix.writer(limitmb=64, procs=2, multisegment=True)  # peak RSS < 300 MB at 10k
    else:
        writer = ix.writer(limitmb=128)
    try:
        for done, source in enumerate(sources, start=1):
            _index_file(writer, source, config, manifest, report, vocabulary, replace=False)
            if progress is not None:
                progress(done, len(sources), str(source.path))
        writer.commit()
    except BaseException:
        writer.cancel()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    report.total = ix.doc_count()
    vocabulary.save(folder)
    _write_json_atomic(folder / "manifest.json", manifest)
    _set_current(index_dir, folder)
    # Keep the previous generation for readers that still have it open; drop older ones.
    for stale in index_dir.glob("gen-*"):
        if stale != folder and stale != old:
            shutil.rmtree(stale, ignore_errors=True)


def _index_file(
    writer: Any,
    source: SourceFile,
    config: Config,
    manifest: dict[str, Any],
    report: UpdateReport,
    vocabulary: Vocabulary,
    *,
    replace: bool,
) -> None:
    """Read one file and add (or replace) its articles; record it in the manifest."""
    articles, skipped = read_source(source, config)
    _index_articles(
        writer, source, articles, skipped, manifest, report, vocabulary, replace=replace
    )


def _index_articles(
    writer: Any,
    source: SourceFile,
    articles: list[Article],
    skipped: list[Skipped],
    manifest: dict[str, Any],
    report: UpdateReport,
    vocabulary: Vocabulary,
    *,
    replace: bool,
) -> None:
    report.skipped.extend(skipped)
    keys: dict[str, str] = manifest["keys"]
    ids: list[str] = []
    for article in articles:
        key = _content_key(article)
        owner = keys.get(key)
        if owner is not None and owner != article.id:
            report.duplicates.append((article.id, owner))
            continue
        keys[key] = article.id
        vocabulary.add_text(article.title)
        vocabulary.add_text(article.body)
        if replace:
            writer.update_document(**_document(article))
        else:
            writer.add_document(**_document(article))
            report.added += 1
        ids.append(article.id)
    manifest["files"][str(source.path)] = {
        "size": source.size,
        "mtime_ns": source.mtime_ns,
        "ids": ids,
        "hashes": sorted({a.content_hash for a in articles}),
    }


def _forget(writer: Any, manifest: dict[str, Any], path: str) -> int:
    entry = manifest["files"].pop(path, None)
    if entry is None:
        return 0
    keys: dict[str, str] = manifest["keys"]
    for article_id in entry["ids"]:
        writer.delete_by_term("id", article_id)
        for key in [k for k, owner in keys.items() if owner == article_id]:
            del keys[key]
    return len(entry["ids"])


def _incremental(config: Config, report: UpdateReport, progress: Progress | None) -> None:
    folder = _generation(config.index_dir)
    assert folder is not None
    manifest = _read_manifest(folder)
    assert manifest is not None
    sources = _sources(config, report)
    on_disk = {str(s.path) for s in sources}
    changed = [
        s
        for s in sources
        if (entry := manifest["files"].get(str(s.path))) is None
        or entry["size"] != s.size
        or entry["mtime_ns"] != s.mtime_ns
    ]
    gone = [path for path in manifest["files"] if path not in on_disk]
    report.unchanged = len(sources) - len(changed)
    if not changed and not gone:
        ix = open_index(config)
        report.total = ix.doc_count()
        return
    ix = FileStorage(str(folder), supports_mmap=False).open_index(_INDEX_NAME)
    vocabulary = Vocabulary.load(folder)
    writer = ix.writer(limitmb=128, timeout=10.0)
    try:
        for path in gone:
            report.removed += _forget(writer, manifest, path)
        for done, source in enumerate(changed, start=1):
            entry = manifest["files"].get(str(source.path))
            articles, skipped = read_source(source, config)
            hashes = sorted({a.content_hash for a in articles})
            if entry is not None and entry["hashes"] == hashes and not skipped:
                # Touched but not changed: remember the new size and mtime only.
                entry["size"], entry["mtime_ns"] = source.size, source.mtime_ns
                report.unchanged += 1
                continue
            before = len(entry["ids"]) if entry else 0
            if entry is not None:
                _forget(writer, manifest, str(source.path))
            _index_articles(
                writer, source, articles, skipped, manifest, report, vocabulary, replace=True
            )
            after = len(manifest["files"][str(source.path)]["ids"])
            if entry is None:
                report.added += after
            else:
                report.updated += min(before, after)
                report.added += max(0, after - before)
                report.removed += max(0, before - after)
            if progress is not None:
                progress(done, len(changed), str(source.path))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    vocabulary.save(folder)
    _write_json_atomic(folder / "manifest.json", manifest)
    report.total = ix.doc_count()
