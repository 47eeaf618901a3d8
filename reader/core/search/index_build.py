"""Writing the index: a full build into a new generation, or an incremental update of the live
one. Called by :func:`reader.core.search.index.update_index` under the update lock, after its health
check; nothing here decides *whether* to rebuild.

Both paths clean up whatever they fail on (the new generation, a cancelled writer's segment
files) and re-raise. The manifest records for each corpus file its size, mtime, article ids,
content hashes and why parts of it were skipped; skipped files are read again every update.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import clean_files

from reader.core.config import Config
from reader.core.search.index_files import (
    INDEX_NAME,
    SCHEMA_VERSION,
    generation,
    generations,
    index_settings,
    read_manifest,
    set_current,
    tidy,
    write_manifest,
)
from reader.core.search.schema import make_schema as make_schema
from reader.core.search.vocabulary import Vocabulary
from reader.core.sources.scan import (
    SkipKind,
    Skipped,
    SourceFile,
    id_taken,
    real_roots,
    scan_corpus,
    skip_lines,
)
from reader.core.text.sanitize import one_line

if TYPE_CHECKING:
    from reader.core.sources.article import Article

# The writers and the corpus readers (multiprocessing, Whoosh's writing modules, every source
# format) are imported by the functions that write: a search imports this module for its
# schema and never loads them (tests/test_cold_imports.py).

Progress = Callable[[int, int, str], None]
PARALLEL_FROM = 300  # articles from which a full build uses two writer processes


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
    repaired: list[str] = field(default_factory=list)  # parts rebuilt on their own, and why
    total: int = 0  # articles in the index afterwards
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """True when the index content changed."""
        return bool(self.added or self.updated or self.removed or self.rebuilt)

    @property
    def files_skipped(self) -> int:
        """Files (and records, folders) not indexed, duplicates included; not the sidecars
        ignored nor the values ignored, whose articles were indexed (:attr:`sidecars_ignored`,
        :attr:`values_ignored`)."""
        indexed = self.sidecars_ignored + self.values_ignored
        return len(self.skipped) - indexed + len(self.duplicates)

    @property
    def sidecars_ignored(self) -> int:
        """``NAME.toml`` sidecars that could not be used (their articles were indexed)."""
        return sum(1 for s in self.skipped if s.kind is SkipKind.BAD_SIDECAR)

    @property
    def values_ignored(self) -> int:
        """Sidecars and JSON records with values of no use (an outlet that is a list, a date
        that is no date): their articles were indexed without those values."""
        return sum(1 for s in self.skipped if s.kind is SkipKind.UNUSED_VALUES)

    def problems(self) -> list[str]:
        """One line for each file skipped and each duplicate (untrusted names made printable)."""
        lines = skip_lines(self.skipped)  # files of unsupported formats: one line, by kind
        return lines + [one_line(f"{a}: duplicate of {b}") for a, b in self.duplicates]

    def summary(self) -> str:
        """One line: how many articles, what changed, what was rebuilt or repaired and why."""
        text = f"{self.total} articles"
        if self.rebuilt:
            text += f" · index rebuilt ({self.rebuild_reason})"
        elif self.changed:
            text += f" · {self.added} added, {self.updated} updated, {self.removed} removed"
        if self.repaired:
            text += f" · {'; '.join(self.repaired)}"
        if self.files_skipped:
            text += f" · {self.files_skipped} file(s) skipped"
        if self.sidecars_ignored:
            text += f" · {self.sidecars_ignored} sidecar(s) ignored"
        if self.values_ignored:
            text += f" · {self.values_ignored} with values ignored"
        return text


def read_source(
    source: SourceFile, config: Config, roots: Sequence[Path] | None = None
) -> tuple[list[Article], list[Skipped]]:
    """:func:`reader.core.sources.corpus.read_source`, imported on first use (it brings every
    source format's reader)."""
    from reader.core.sources.corpus import read_source as read

    return read(source, config, roots)


def _document(article: Article) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "title_starts": article.title,
        "body_starts": article.body,
        "lang": article.lang,
        "outlet": article.outlet,
        "outlet_key": article.outlet.casefold(),
        "url": article.url,
        "author": article.author,
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


def _sources(config: Config, report: UpdateReport) -> list[SourceFile]:
    sources: list[SourceFile] = []
    for item in scan_corpus(config):
        if isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            sources.append(item)
    return sources


def _new_manifest(config: Config) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "files": {},
        "keys": {},
        "settings": index_settings(config),
    }


def rebuild(config: Config, report: UpdateReport, progress: Progress | None) -> None:
    from reader.core.search.index_pool import FastSegmentWriter
    from reader.core.search.index_writer import ParallelWriter

    index_dir = config.index_dir
    old = generation(index_dir)
    number = 1 + max((n for n, _ in generations(index_dir)), default=0)
    folder = index_dir / f"gen-{number}"
    folder.mkdir(parents=True)
    writer: Any = None
    committed = False
    try:
        ix = FileStorage(str(folder)).create_index(make_schema(), indexname=INDEX_NAME)
        manifest = _new_manifest(config)
        sources = _sources(config, report)
        vocabulary = Vocabulary()
        # Two processes analyse and write their own segment: about twice as fast on two cores.
        if len(sources) >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2:
            # Each worker's pool spills past 40 MB (measured: ~100 MB resident per worker at
            # 10,000 and 50,000 articles; 64 made ~130 MB): the build's processes stay under
            # 300 MB together whatever the corpus size.
            writer = ParallelWriter(ix, procs=2, limitmb=40)
        else:
            writer = FastSegmentWriter(ix, limitmb=128)
        count = len(sources)
        sources.reverse()  # taken from the end: each let go once indexed (27 MB at 50,000)
        roots = real_roots(config)  # once, not twice for each file (a file and its sidecar)
        owners: dict[str, str] = {}
        for done in range(1, count + 1):
            source = sources.pop()
            chosen = (manifest, report, vocabulary)
            _index_file(writer, source, config, *chosen, roots=roots, owners=owners)
            if progress is not None:
                progress(done, count, str(source.path))
        writer.commit()
        committed = True
        # Read without mmap: a reader over mapped segments touches every page of them, so the
        # process's resident memory would peak at the index's whole size (175 MB at 10,000).
        report.total = _doc_count(folder)
        vocabulary.save(folder)
        write_manifest(folder, manifest)
        set_current(index_dir, folder)
    except BaseException:
        if writer is not None and not committed:
            with suppress(Exception):
                writer.cancel()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    # Keep the previous generation for readers that still have it open; drop older ones.
    for _, stale in generations(index_dir):
        if stale != folder and stale != old:
            shutil.rmtree(stale, ignore_errors=True)


def _doc_count(folder: Path) -> int:
    """The number of documents in the index in ``folder``, read without mapping its files."""
    return int(FileStorage(str(folder), supports_mmap=False).open_index(INDEX_NAME).doc_count())


def rebuild_vocabulary(folder: Path) -> None:
    """Write the word list of ``folder`` again from the articles stored in its index."""
    vocabulary = Vocabulary()
    ix = FileStorage(str(folder), supports_mmap=False).open_index(INDEX_NAME)
    with ix.searcher() as searcher:
        for fields in searcher.all_stored_fields():
            vocabulary.add_text(fields.get("title", ""), names=False)
            vocabulary.add_text(fields.get("body", ""))
    vocabulary.save(folder)


def _index_file(
    writer: Any,
    source: SourceFile,
    config: Config,
    manifest: dict[str, Any],
    report: UpdateReport,
    vocabulary: Vocabulary,
    *,
    roots: Sequence[Path],
    owners: dict[str, str],
) -> None:
    """Read one file and add its articles (``roots``: :func:`real_roots` of ``config``;
    ``owners``: see :func:`_index_articles`); record it in the manifest."""
    articles, skipped = read_source(source, config, roots)
    chosen = (manifest, report, vocabulary, owners)
    _index_articles(writer, source, articles, skipped, *chosen, replace=False)


def _index_articles(
    writer: Any,
    source: SourceFile,
    articles: list[Article],
    skipped: list[Skipped],
    manifest: dict[str, Any],
    report: UpdateReport,
    vocabulary: Vocabulary,
    owners: dict[str, str],
    *,
    replace: bool,
) -> None:
    """Add the articles of one file and record it in the manifest. ``owners``: the file that
    gives each article id indexed (:func:`_owners`), kept up to date here: an article whose
    id another file already gives (a JSON file's record ``"id": "2"`` and the file ``2.txt``
    in the folder of its name) is reported, not indexed, so one id is never two articles
    (and an update never replaces one with the other): the first one read keeps it."""
    skipped = list(skipped)
    keys: dict[str, str] = manifest["keys"]
    ids: list[str] = []
    path = str(source.path)
    for article in articles:
        giver = owners.setdefault(article.id, path)
        if giver != path:  # (kept among the file's skipped: read again at every update)
            skipped.append(id_taken(source.path, article.id, giver))
            continue
        key = _content_key(article)
        owner = keys.get(key)
        if owner is not None and owner != article.id:
            report.duplicates.append((article.id, owner))
            continue
        keys[key] = article.id
        vocabulary.add_text(article.title, names=False)
        vocabulary.add_text(article.body)
        if replace:
            writer.update_document(**_document(article))
        else:
            writer.add_document(**_document(article))
            report.added += 1
        ids.append(article.id)
    report.skipped.extend(skipped)
    manifest["files"][str(source.path)] = {
        "size": source.size,
        "mtime_ns": source.mtime_ns,
        "ids": ids,
        "hashes": sorted({a.content_hash for a in articles}),
        "skipped": [s.reason for s in skipped],  # read again at every update
    }


def _owners(manifest: dict[str, Any]) -> dict[str, str]:
    """The file (its path) that gives each article id the manifest's index holds."""
    return {i: path for path, entry in manifest["files"].items() for i in entry["ids"]}


def _forget(writer: Any, manifest: dict[str, Any], path: str, owners: dict[str, str]) -> int:
    entry = manifest["files"].pop(path, None)
    if entry is None:
        return 0
    keys: dict[str, str] = manifest["keys"]
    for article_id in entry["ids"]:
        if owners.get(article_id) == path:
            del owners[article_id]
        writer.delete_by_term("id", article_id)
        for key in [k for k, owner in keys.items() if owner == article_id]:
            del keys[key]
    return len(entry["ids"])


def _drop_unfinished(folder: Path) -> None:
    """Delete the segment files a cancelled writer left in the live generation."""
    with suppress(Exception):
        storage = FileStorage(str(folder), supports_mmap=False)
        toc = storage.open_index(INDEX_NAME)._read_toc()
        clean_files(storage, INDEX_NAME, toc.generation, toc.segments)
    tidy(folder.parent)


def incremental(config: Config, report: UpdateReport, progress: Progress | None) -> None:
    from reader.core.search.index_pool import FastSegmentWriter

    folder = generation(config.index_dir)
    assert folder is not None  # update_index checked it
    manifest = read_manifest(folder)
    files: dict[str, Any] = manifest["files"]
    sources = _sources(config, report)
    on_disk = {str(s.path) for s in sources}
    changed = [
        s
        for s in sources
        if (entry := files.get(str(s.path))) is None
        or entry["size"] != s.size
        or entry["mtime_ns"] != s.mtime_ns
        or entry.get("skipped")
    ]
    gone = [path for path in files if path not in on_disk]
    report.unchanged = len(sources) - len(changed)
    ix = FileStorage(str(folder), supports_mmap=False).open_index(INDEX_NAME)
    vocabulary: Vocabulary | None = None
    writer: Any = None
    dirty = False  # the manifest changed
    owners = _owners(manifest)
    try:
        for path in gone:
            if writer is None:
                writer = FastSegmentWriter(ix, limitmb=128, timeout=10.0)
            report.removed += _forget(writer, manifest, path, owners)
        roots = real_roots(config)
        for done, source in enumerate(changed, start=1):
            entry = files.get(str(source.path))
            articles, skipped = read_source(source, config, roots)
            hashes = sorted({a.content_hash for a in articles})
            reasons = [s.reason for s in skipped]
            if entry is not None and entry["hashes"] == hashes and entry.get("skipped") == reasons:
                # Touched but not changed (or skipped again): remember the new size and mtime.
                dirty |= (entry["size"], entry["mtime_ns"]) != (source.size, source.mtime_ns)
                entry["size"], entry["mtime_ns"] = source.size, source.mtime_ns
                report.skipped.extend(skipped)
                report.unchanged += 1
                continue
            if writer is None:
                writer = FastSegmentWriter(ix, limitmb=128, timeout=10.0)
            if vocabulary is None:
                vocabulary = Vocabulary.load(folder)
            before = len(entry["ids"]) if entry else 0
            if entry is not None:
                _forget(writer, manifest, str(source.path), owners)
            chosen = (manifest, report, vocabulary, owners)
            _index_articles(writer, source, articles, skipped, *chosen, replace=True)
            after = len(files[str(source.path)]["ids"])
            if entry is None:
                report.added += after
            else:
                report.updated += min(before, after)
                report.added += max(0, after - before)
                report.removed += max(0, before - after)
            if progress is not None:
                progress(done, len(changed), str(source.path))
        if writer is not None:
            writer.commit()
            writer = None
        if vocabulary is not None:
            vocabulary.save(folder)
        if dirty or report.changed or vocabulary is not None:
            write_manifest(folder, manifest)
    except BaseException:
        if writer is not None:
            with suppress(Exception):
                writer.cancel()
        _drop_unfinished(folder)
        raise
    report.total = _doc_count(folder)
