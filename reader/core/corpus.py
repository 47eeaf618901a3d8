"""The corpus: finding article files in the configured folders and reading them into Articles.

Formats: ``.txt`` (title on the first non-empty line, optional ``NAME.toml`` sidecar with
metadata), ``.md`` (optional ``---`` front matter), ``.json`` (an object or a list of objects)
and ``.jsonl`` (one object a line). A file that cannot be read gives a :class:`Skipped` with a
reason instead of an exception, so one bad file never stops a run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reader.core.article import Article, detect_language, normalize_text
from reader.core.boilerplate import clean_paragraphs, clean_title
from reader.core.config import Config
from reader.core.decode import NotText, decode_bytes
from reader.core.sanitize import one_line

ARTICLE_SUFFIXES = (".txt", ".md", ".json", ".jsonl")
_LANGS = {"ar": "ar", "arabic": "ar", "en": "en", "english": "en"}


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file in a corpus folder, with what incremental indexing compares."""

    path: Path
    root: Path
    size: int
    mtime_ns: int

    @property
    def file_id(self) -> str:
        """Path relative to its corpus folder, without extension, with ``/`` separators."""
        return self.path.relative_to(self.root).with_suffix("").as_posix()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file (or one record of it) that was not indexed, and why."""

    path: Path
    reason: str

    def __str__(self) -> str:
        # File names are untrusted too: their control characters are shown, not sent.
        return one_line(f"{self.path}: skipped: {self.reason}")


def scan_corpus(config: Config) -> Iterator[SourceFile | Skipped]:
    """Yield every article file under the corpus folders (hidden files and sidecars excluded).

    Symlinked folders are not followed (so loops cannot trap the walk); unreadable folders
    come out as Skipped.
    """
    for root in config.corpus_paths:
        if not root.is_dir():
            yield Skipped(root, "corpus folder does not exist")
            continue
        errors: list[OSError] = []
        for folder, dirs, files in os.walk(root, onerror=errors.append):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith(".") or not name.lower().endswith(ARTICLE_SUFFIXES):
                    continue
                path = Path(folder, name)
                try:
                    stat = path.stat()
                except OSError as exc:
                    yield Skipped(path, f"cannot read: {exc.strerror or exc}")
                    continue
                if not path.is_file():
                    continue
                yield SourceFile(path, root, stat.st_size, stat.st_mtime_ns)
        for error in errors:
            yield Skipped(Path(error.filename or root), f"cannot read folder: {error.strerror}")


def read_source(source: SourceFile, config: Config) -> tuple[list[Article], list[Skipped]]:
    """Read one file into its articles (one for .txt/.md, any number for .json/.jsonl)."""
    path = source.path
    if source.size > config.max_file_bytes:
        limit = config.max_file_bytes / (1024 * 1024)
        return [], [
            Skipped(path, f"larger than the size limit ({source.size:,} bytes > {limit:g} MB)")
        ]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [Skipped(path, f"cannot read: {exc.strerror or exc}")]
    if not data.strip():
        return [], [Skipped(path, "empty file")]
    try:
        text, _encoding = decode_bytes(data)
    except NotText as exc:
        return [], [Skipped(path, str(exc))]
    text = normalize_text(text)
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl"):
        return _read_json(source, text, digest, config)
    meta = _sidecar(path)
    if suffix == ".md":
        front, text = _front_matter(text)
        meta = {**front, **meta}
    article = _from_text(source.file_id, text, meta, path, digest, config, markdown=suffix == ".md")
    if article is None:
        return [], [Skipped(path, "no text (whitespace only)")]
    return [article], []


def _sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_suffix(".toml")
    if not sidecar.is_file():
        return {}
    try:
        return tomllib.loads(sidecar.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT.match(text)
    if not match:
        return {}, text
    meta: dict[str, Any] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :]


def _paragraphs(text: str) -> list[str]:
    """Split into paragraphs: lines, unless the file is hard-wrapped (then blank-line blocks)."""
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    multi = [b for b in blocks if "\n" in b.strip()]
    hard_wrapped = (
        bool(multi)
        and all(len(line) <= 100 for b in multi for line in b.strip().split("\n"))
        and len(multi) * 2 >= len(blocks)
    )
    if hard_wrapped:
        return [" ".join(line.strip() for line in b.strip().split("\n")) for b in blocks]
    return [line.strip() for line in text.split("\n") if line.strip()]


def _fold(text: str) -> str:
    """Letters and digits only, lower-cased: for comparing headlines that differ in dashes."""
    return "".join(c for c in text.casefold() if c.isalnum())


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:
            match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
            if match:
                try:
                    return date(int(match[1]), int(match[2]), int(match[3]))
                except ValueError:
                    return None
    return None


def _meta_str(meta: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return normalize_text(str(value)).strip()
    return ""


def _from_text(
    article_id: str,
    text: str,
    meta: dict[str, Any],
    path: Path,
    digest: str,
    config: Config,
    *,
    markdown: bool = False,
) -> Article | None:
    paragraphs = _paragraphs(text)
    if markdown:
        paragraphs = [re.sub(r"^#{1,6}\s+", "", p) for p in paragraphs]
    title = _meta_str(meta, "title")
    if not title:
        if not paragraphs:
            return None
        title = clean_title(paragraphs.pop(0), config.boilerplate)
    body_paragraphs = clean_paragraphs(paragraphs, config.boilerplate)
    # Scraped pages often repeat the headline as the first paragraph.
    while body_paragraphs and _fold(body_paragraphs[0]) == _fold(title):
        body_paragraphs.pop(0)
    if not title and not body_paragraphs:
        return None
    body = "\n".join(body_paragraphs)
    lang = _LANGS.get(_meta_str(meta, "lang", "language").lower()) or detect_language(
        title + "\n" + body
    )
    return Article(
        id=one_line(article_id),  # from a file name or a JSON "id": never a control character
        title=title,
        body=body,
        lang=lang,
        outlet=_meta_str(meta, "outlet", "source", "site"),
        url=_meta_str(meta, "url", "link"),
        published=_parse_date(meta.get("published") or meta.get("date")),
        source=str(path),
        content_hash=digest,
    )


def _read_json(
    source: SourceFile, text: str, digest: str, config: Config
) -> tuple[list[Article], list[Skipped]]:
    path = source.path
    records: list[tuple[int, Any]] = []
    skipped: list[Skipped] = []
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                records.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                skipped.append(Skipped(path, f"line {number}: broken JSON: {exc.msg}"))
    else:
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            return [], [Skipped(path, f"broken JSON at line {exc.lineno}: {exc.msg}")]
        items = loaded if isinstance(loaded, list) else [loaded]
        records = list(enumerate(items, start=1))
    articles: list[Article] = []
    seen: set[str] = set()
    for number, record in records:
        if not isinstance(record, dict):
            skipped.append(Skipped(path, f"record {number}: not a JSON object"))
            continue
        key = _meta_str(record, "id") or str(number)
        article_id = f"{source.file_id}/{key}"
        if article_id in seen:
            article_id = f"{source.file_id}/{number}"
        seen.add(article_id)
        body = _meta_str(record, "body", "text", "content")
        record_digest = hashlib.blake2b(
            f"{digest}:{number}:{body}".encode("utf-8", "replace"), digest_size=16
        ).hexdigest()
        article = _from_text(
            article_id, body, {k.lower(): v for k, v in record.items()}, path, record_digest, config
        )
        if article is None:
            skipped.append(Skipped(path, f"record {number}: no title or text"))
            continue
        articles.append(article)
    if not articles and not skipped:  # "[]", or only blank lines: say so, never skip silently
        skipped.append(Skipped(path, "no records (an empty list or only blank lines)"))
    return articles, skipped
