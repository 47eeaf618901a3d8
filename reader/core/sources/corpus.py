"""The corpus: finding article files in the configured folders and reading them into Articles.

Finding them is :mod:`reader.core.sources.scan` (its names are re-exported here). Formats: ``.txt``
(title on the first non-empty line, unless that line is longer than a headline:
:data:`HEADLINE_CHARS`), ``.md`` (rendered to plain paragraphs, optional ``---``
front matter), ``.html``/``.htm``/``.xhtml`` (main text and metadata through trafilatura),
each with an optional ``NAME.toml`` sidecar whose metadata overrides the file's; ``.json`` (an
object or a list of objects), ``.jsonl`` (one object a line), ``.rss``/``.atom``/``.xml`` (a
feed: one article per entry) and ``.warc``/``.warc.gz`` (a web archive: one article per
captured HTML page). A file that cannot be read gives a :class:`Skipped` with a reason and a
:class:`SkipKind` instead of an exception, so one bad file never stops a run: JSON and TOML are
checked for runaway nesting before they are parsed, and any other failure while reading one
file is caught and reported as that file's ``SkipKind.ERROR``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader.core.config import Config
from reader.core.files.nesting import MAX_NESTING, too_deep
from reader.core.sources.article import Article, detect_language, normalize_text
from reader.core.sources.boilerplate import clean_paragraphs, clean_title
from reader.core.sources.feeds import NotAFeed, feed_pages
from reader.core.sources.html import html_page
from reader.core.sources.markdown import markdown_paragraphs
from reader.core.sources.metadata import (
    LANGUAGES,
    author,
    front_matter,
    meta_str,
    outlet_name,
    parse_date,
    read_sidecar,
    unusable_values,
)
from reader.core.sources.page import Page, key_id
from reader.core.sources.scan import (
    ARTICLE_SUFFIXES,
    SkipKind,
    Skipped,
    SourceFile,
    link_outside,
    real_roots,
    refusal,
    scan_corpus,
    shown,
)
from reader.core.sources.warc import WARC_SUFFIXES, warc_pages
from reader.core.text.decode import NotText, decode_bytes
from reader.core.text.sanitize import one_line

__all__ = [
    "ARTICLE_SUFFIXES",
    "SkipKind",
    "Skipped",
    "SourceFile",
    "read_source",
    "scan_corpus",
]

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_FEED_SUFFIXES = (".rss", ".atom", ".xml")


def read_source(
    source: SourceFile, config: Config, roots: Sequence[Path] | None = None
) -> tuple[list[Article], list[Skipped]]:
    """Read one file into its articles (one for .txt/.md/.html, any number for .json/.jsonl,
    feeds and web archives). ``roots``: :func:`real_roots` of ``config``, when the caller
    worked them out once for many files (a link out of them is refused as it is read).

    Never raises: whatever is wrong with this one file (or a failure nobody foresaw while
    reading it) comes back as a Skipped with its reason and :class:`SkipKind`, so the caller
    can go on with the next file. A bad sidecar gives a Skipped of kind ``BAD_SIDECAR`` next to
    the article, which is indexed without the sidecar's metadata.
    """
    try:
        if roots is None:
            roots = () if config.follow_links_outside else real_roots(config)
        return _read_source(source, config, roots)
    except Exception as exc:  # one file must never stop a run
        detail = one_line(shown(f"{type(exc).__name__}: {exc}"))[:200]
        return [], [Skipped(source.path, f"could not be read ({detail})", SkipKind.ERROR)]


def _read_source(
    source: SourceFile, config: Config, roots: Sequence[Path]
) -> tuple[list[Article], list[Skipped]]:
    path = source.path
    if source.size > config.max_file_bytes:
        limit = config.max_file_bytes / (1024 * 1024)
        reason = f"larger than the size limit ({source.size:,} bytes > {limit:g} MB)"
        return [], [Skipped(path, reason, SkipKind.TOO_LARGE)]
    if not config.follow_links_outside:  # checked again: the file may have changed since
        target = link_outside(path, roots)
        if target is not None:
            return [], [refusal(path, target)]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [Skipped(path, f"cannot read: {exc.strerror or exc}", SkipKind.UNREADABLE)]
    if not data.strip():
        return [], [Skipped(path, "empty file", SkipKind.EMPTY)]
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):  # bytes, often gzip: never decoded as text
        pages, skipped = warc_pages(path, data)
        return _from_pages(source, pages, skipped, digest, config)
    try:
        text, _encoding = decode_bytes(data)
    except NotText as exc:
        return [], [Skipped(path, str(exc), SkipKind.BINARY)]
    text = normalize_text(text)
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl"):
        return _read_json(source, text, digest, config)
    if suffix in _FEED_SUFFIXES:
        try:
            pages = feed_pages(data)  # the XML declares its own encoding
        except NotAFeed as exc:
            return [], [Skipped(path, str(exc), SkipKind.BROKEN)]
        return _from_pages(source, pages, [], digest, config)
    meta, problems = read_sidecar(path, config, roots)
    if meta:  # what the sidecar says is part of the article: a change to it alone is a change
        told = json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str)
        digest = hashlib.blake2b(
            f"{digest}\n{told}".encode("utf-8", "surrogatepass"), digest_size=16
        ).hexdigest()
    if suffix in _HTML_SUFFIXES:
        page = html_page(text)
        if page is None:
            reason = "no article text found in the page"
            return [], [*problems, Skipped(path, reason, SkipKind.NO_TEXT)]
        web = {**page.meta, "title": clean_title(page.meta.get("title", ""), config.boilerplate)}
        article = _from_text(
            source.file_id, "", {**web, **meta}, path, digest, config, paragraphs=page.paragraphs
        )
    elif suffix == ".md":
        front, text = front_matter(text)
        article = _from_text(
            source.file_id,
            "",
            {**front, **meta},
            path,
            digest,
            config,
            paragraphs=markdown_paragraphs(text),
        )
    else:
        article = _from_text(source.file_id, text, meta, path, digest, config, title_line=True)
    if article is None:
        return [], [*problems, Skipped(path, "no text (whitespace only)", SkipKind.NO_TEXT)]
    return [article], problems


def _from_pages(
    source: SourceFile, pages: list[Page], skipped: list[Skipped], digest: str, config: Config
) -> tuple[list[Article], list[Skipped]]:
    """The articles of a file that holds several (a feed, a web archive): ids
    ``FILE_ID/<hash of the page's key>``, a content hash per page, and a Skipped for each page
    with no title or text, and for a file with no page at all."""
    path = source.path
    articles: list[Article] = []
    seen: set[str] = set()
    for number, page in enumerate(pages, start=1):
        article_id = f"{source.file_id}/{key_id(page.key or str(number))}"
        if article_id in seen:  # the same guid twice in one feed: keep both, apart
            article_id = f"{source.file_id}/{key_id(f'{page.key}#{number}')}"
        seen.add(article_id)
        meta = {**page.meta, "title": clean_title(page.meta.get("title", ""), config.boilerplate)}
        page_digest = hashlib.blake2b(
            f"{digest}:{page.key}:{number}".encode("utf-8", "replace"), digest_size=16
        ).hexdigest()
        article = _from_text(
            article_id, "", meta, path, page_digest, config, paragraphs=page.paragraphs
        )
        if article is None:
            where = page.key or f"entry {number}"
            skipped.append(Skipped(path, f"{where}: no title or text", SkipKind.NO_TEXT))
            continue
        articles.append(article)
    if not articles and not skipped:
        skipped.append(Skipped(path, "no entries", SkipKind.NO_TEXT))
    return articles, skipped


def _paragraphs(text: str) -> list[str]:
    """Split into paragraphs: lines, unless the file is hard-wrapped (then blank-line blocks:
    blank lines between blocks of short lines, most of them of several lines)."""
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    multi = [b for b in blocks if "\n" in b.strip()]
    hard_wrapped = (  # blank lines part the paragraphs: without any, each line is one
        len(blocks) > 1
        and bool(multi)
        and all(len(line) <= 100 for b in multi for line in b.strip().split("\n"))
        and len(multi) * 2 >= len(blocks)
    )
    if hard_wrapped:
        return [" ".join(line.strip() for line in b.strip().split("\n")) for b in blocks]
    return [line.strip() for line in text.split("\n") if line.strip()]


_NOT_ALNUM = re.compile(r"[\W_]+")  # what str.isalnum() is false for, in runs


def _fold(text: str) -> str:
    """Letters and digits only, lower-cased: for comparing headlines that differ in dashes."""
    return _NOT_ALNUM.sub("", text.casefold())


# Raised whenever reading a file gives other articles from the same bytes (2: web pages, feeds
# and archives read, Markdown rendered, a .txt's title line never body even beside a sidecar's
# title; 3: the author kept; 4: a .txt's first line longer than a headline is body; 5: a .txt's
# first line is never joined to the lines after it as a hard-wrapped paragraph; 6: one-line
# fields cut at FIELD_CHARS): an index built by an older reading is rebuilt.
READING_VERSION = 6
FIELD_CHARS = {"title": 1000, "outlet": 500, "author": 500}
"""The most characters a one-line field from a file keeps (more is cut, and ends in "…"): a
title of 5 MB in a sidecar is no title, and laying it out froze the app for 40 s. A longer
address (``url``) is no address and is dropped (cut, it would lead elsewhere)."""
URL_CHARS = 8192
HEADLINE_CHARS = 250
"""A .txt's first line longer than this is no headline but the first paragraph (text pasted
without its headline, a whole article on one line): it stays body, and the title is its first
sentence."""
_SENTENCE = re.compile(r"\S.*?[.!?؟](?=\s|$)")


def _visible_length(line: str) -> int:
    """The length of ``line`` with each run of spaces counted as one (a title line may pad
    with thousands)."""
    return len(" ".join(line.split()))


def _lead_title(paragraph: str) -> str:
    """A title for an article whose text has none: the first sentence of ``paragraph`` when it
    is short enough, else its first words and an ellipsis."""
    sentence = _SENTENCE.match(paragraph)
    if sentence and len(sentence.group()) <= 160:
        return sentence.group()
    cut = paragraph[:120]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,،;:") + "…"


def _from_text(
    article_id: str,
    text: str,
    meta: dict[str, Any],
    path: Path,
    digest: str,
    config: Config,
    *,
    paragraphs: list[str] | None = None,
    title_line: bool = False,
) -> Article | None:
    """The Article of ``text`` (split into paragraphs here) or of ``paragraphs`` (already
    split by a format reader, then ``text`` is unused), with ``meta`` (sidecar keys) taking
    precedence; None when there is neither title nor text. ``title_line``: the first line is
    the file's title (a .txt), never body, even when ``meta`` gives another title."""
    if paragraphs is None and title_line:  # the first line alone: the rest may be hard-wrapped
        first, _, rest = text.lstrip().partition("\n")
        paragraphs = [first.strip(), *_paragraphs(rest)] if first.strip() else []
    elif paragraphs is None:
        paragraphs = _paragraphs(text)
    else:  # from a format reader: normalised here like any text read from a file
        paragraphs = [line for p in paragraphs for line in normalize_text(p).split("\n")]
    title = meta_str(meta, "title")
    own = ""
    if title_line and paragraphs:
        if _visible_length(paragraphs[0]) > HEADLINE_CHARS:  # no headline: text at once
            own = "" if title else clean_title(_lead_title(paragraphs[0]), config.boilerplate)
        elif title and len(paragraphs) == 1:
            pass  # all the file holds, beside the sidecar's title: its text, not lost
        else:
            own = clean_title(paragraphs.pop(0), config.boilerplate)
    if not title:
        if not own and not paragraphs:
            return None
        title = own or clean_title(paragraphs.pop(0), config.boilerplate)
    body_paragraphs = clean_paragraphs(paragraphs, config.boilerplate)
    # Scraped pages often repeat the headline as the first paragraph.
    while body_paragraphs and _fold(body_paragraphs[0]) == _fold(title):
        body_paragraphs.pop(0)
    if not title and not body_paragraphs:
        return None
    body = "\n".join(body_paragraphs)
    lang = LANGUAGES.get(meta_str(meta, "lang", "language").lower()) or detect_language(
        title + "\n" + body
    )
    url = meta_str(meta, "url", "link")
    url = url if len(url) <= URL_CHARS else ""
    return Article(
        id=one_line(article_id),  # from a file name or a JSON "id": never a control character
        title=_cut(title, "title"),
        body=body,
        lang=lang,
        outlet=_cut(outlet_name(meta_str(meta, "outlet", "source", "site"), url, config), "outlet"),
        url=url,
        published=parse_date(meta.get("published")) or parse_date(meta.get("date")),
        author=_cut(author(meta), "author"),
        source=shown(path),  # a non-UTF-8 name as \xNN: printable, storable, indexable
        content_hash=digest,
    )


def _cut(text: str, field: str) -> str:
    """``text`` with at most :data:`FIELD_CHARS` of ``field`` characters, "…" ending it when
    it was cut."""
    most = FIELD_CHARS[field]
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _json_int(digits: str) -> int | float:
    """A JSON integer; one too long for Python's int() limit becomes a float (inf), not a
    ValueError that would reject the whole file."""
    return int(digits) if len(digits) <= 4000 else float(digits)


class _BadJson(Exception):
    """Why a JSON text was not parsed: ``problem`` ("broken JSON", or what is wrong with it),
    the parser's ``detail`` (or ""), the 1-based ``line`` in the text and the skip ``kind``."""

    def __init__(self, problem: str, detail: str, line: int, kind: SkipKind) -> None:
        super().__init__(problem)
        self.problem, self.detail, self.line, self.kind = problem, detail, line, kind

    def at(self, where: str) -> str:
        """The reason, with ``where`` (a location) after the problem."""
        return f"{self.problem}{where}" + (f": {self.detail}" if self.detail else "")


def _load_json(text: str) -> Any:
    """``json.loads`` that fails only with a _BadJson, whatever the text."""
    line = too_deep(text, "json")
    if line is not None:
        deep = f"JSON nested deeper than {MAX_NESTING} levels"
        raise _BadJson(deep, "", line, SkipKind.TOO_DEEP)
    try:
        return json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise _BadJson("broken JSON", exc.msg, exc.lineno, SkipKind.BROKEN) from exc
    except RecursionError as exc:  # not reached after too_deep; kept as a last guard
        raise _BadJson("JSON nested too deeply", "", 1, SkipKind.TOO_DEEP) from exc
    except ValueError as exc:
        raise _BadJson("broken JSON", str(exc)[:100], 1, SkipKind.BROKEN) from exc


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
                records.append((number, _load_json(line)))
            except _BadJson as bad:
                skipped.append(Skipped(path, f"line {number}: {bad.at('')}", bad.kind))
    else:
        try:
            loaded = _load_json(text)
        except _BadJson as bad:
            return [], [Skipped(path, bad.at(f" at line {bad.line}"), bad.kind)]
        items = loaded if isinstance(loaded, list) else [loaded]
        records = list(enumerate(items, start=1))
    articles: list[Article] = []
    seen: set[str] = set()
    for number, record in records:
        if not isinstance(record, dict):
            skipped.append(Skipped(path, f"record {number}: not a JSON object", SkipKind.BROKEN))
            continue
        key = meta_str(record, "id") or str(number)
        article_id = f"{source.file_id}/{key}"
        if article_id in seen:  # its place in the file, then (and after it) a mark
            article_id = f"{source.file_id}/{number}"
            again = 2
            while article_id in seen:  # "2" given as an id before record 2, which has none
                article_id, again = f"{source.file_id}/{number}~{again}", again + 1
        seen.add(article_id)
        body = meta_str(record, "body", "text", "content")
        if not body.strip():  # a title alone is not an article (nothing to read or check)
            why = "no text (no body, text or content)"
            skipped.append(Skipped(path, f"record {number}: {why}", SkipKind.NO_TEXT))
            continue
        record_digest = hashlib.blake2b(
            f"{digest}:{number}:{body}".encode("utf-8", "replace"), digest_size=16
        ).hexdigest()
        meta = {k.lower(): v for k, v in record.items()}
        article = _from_text(article_id, body, meta, path, record_digest, config)
        if article is None:
            skipped.append(Skipped(path, f"record {number}: no title or text", SkipKind.NO_TEXT))
            continue
        articles.append(article)
        if unused := unusable_values(meta, ""):
            why = f"record {number}: {'; '.join(unused)}; indexed without them"
            skipped.append(Skipped(path, why, SkipKind.UNUSED_VALUES))
    if not articles and not skipped:  # "[]", or only blank lines: say so, never skip silently
        reason = "no records (an empty list or only blank lines)"
        skipped.append(Skipped(path, reason, SkipKind.NO_TEXT))
    return articles, skipped
