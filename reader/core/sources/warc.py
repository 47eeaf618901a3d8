"""Web archives (``.warc``, ``.warc.gz``: the Wayback Machine's, webrecorder's, ArchiveBox's)
through ``warcio``: every HTML page the archive captured becomes an article.

Only ``response`` records with a 2xx status and an HTML content type are pages; requests,
metadata, redirects, error pages and the pages' images, scripts and styles are not articles
and are passed over without a word. A page's URL is the archived URL (``WARC-Target-URI``);
its date is the date the page gives, else the capture date (``WARC-Date``). When one URL was
captured more than once, the latest capture is read and each earlier one is reported. An
archive that breaks off (a truncated download) keeps the pages before the break; one report
says at which byte it broke.
"""

from __future__ import annotations

import contextlib
import io
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from reader.core.sources.html import html_page
from reader.core.sources.page import Page, plain_field
from reader.core.sources.scan import SkipKind, Skipped

# warcio logs a warning for each URL with spaces; reader has nothing to tell the user about it.
_logger = logging.getLogger("warcio")
_logger.addHandler(logging.NullHandler())
_logger.propagate = False

WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class _Capture:
    url: str
    when: str  # WARC-Date, ISO 8601 (sorts as time)
    order: int  # position in the archive: breaks ties between equal dates
    payload: bytes
    charset: str


def warc_pages(path: Path, data: bytes) -> tuple[list[Page], list[Skipped]]:
    """The pages of an archive (its raw bytes), one per archived URL, in archive order, and a
    Skipped for each earlier capture of a URL, each captured page with no text, and a broken
    archive. Never raises for bad bytes."""
    captures, broken = _captures(data)
    skipped: list[Skipped] = []
    latest: dict[str, _Capture] = {}
    for capture in captures:
        kept = latest.get(capture.url)
        if kept is None or (capture.when, capture.order) >= (kept.when, kept.order):
            latest[capture.url] = capture
    pages: list[Page] = []
    for capture in captures:
        kept = latest[capture.url]
        if kept is not capture:
            reason = (
                f"{capture.url} captured {capture.when or 'undated'}: an earlier capture; "
                f"the capture of {kept.when or 'undated'} is indexed"
            )
            skipped.append(Skipped(path, reason, SkipKind.SUPERSEDED))
            continue
        page = _page(capture)
        if page is None:
            reason = f"{capture.url} captured {capture.when or 'undated'}: no text to extract"
            skipped.append(Skipped(path, reason, SkipKind.NO_TEXT))
            continue
        pages.append(page)
    if broken:
        skipped.append(Skipped(path, broken, SkipKind.BROKEN))
    elif not captures:
        skipped.append(Skipped(path, "no HTML page in the archive", SkipKind.NO_TEXT))
    return pages, skipped


def _page(capture: _Capture) -> Page | None:
    html: str | bytes = capture.payload
    if capture.charset:
        try:
            html = capture.payload.decode(capture.charset, errors="replace")
        except LookupError:  # a charset Python does not know: trafilatura guesses
            html = capture.payload
    page = html_page(html, url=capture.url)
    if page is None:
        return None
    meta = {**page.meta, "url": capture.url}
    if "published" not in meta and capture.when:
        meta["published"] = capture.when
    return replace(page, key=capture.url, meta=meta)


def _captures(data: bytes) -> tuple[list[_Capture], str]:
    """The HTML captures of the archive, and "" or why and where the archive broke off."""
    # warcio writes its own multi-line warnings about damaged records straight to sys.stderr,
    # quoting the archive's bytes: they are caught here and reported as one line of reader's.
    # (sys.stderr is process-wide: whatever another thread writes while the records are
    # walked, before any page is extracted, is caught too, and dropped.)
    caught = io.StringIO()
    with contextlib.redirect_stderr(caught):
        captures, broken, wrong_lengths = _walk(data)
    if not broken and (wrong_lengths or caught.getvalue()):
        broken = (
            f"archive damaged ({wrong_lengths or 'some'} record(s) with a wrong length); "
            "the pages that could be read are indexed"
        )
    return captures, broken


def _walk(data: bytes) -> tuple[list[_Capture], str, int]:
    from warcio.archiveiterator import ArchiveIterator

    captures: list[_Capture] = []
    iterator = ArchiveIterator(io.BytesIO(data))
    end = 0  # byte offset (in the file) where the last complete record ends

    def broke(why: str) -> tuple[list[_Capture], str, int]:
        return captures, _broke(end, why), iterator.err_count

    try:
        for order, record in enumerate(iterator):
            if record.format != "warc":  # warcio also reads (and guesses) the older ARC
                return broke("not a WARC record")
            if record.length is None:  # Content-Length is mandatory: the header is cut short
                return broke("a record header is cut short")
            headers = record.rec_headers
            url = plain_field(headers.get_header("WARC-Target-URI") if headers else "")
            payload = record.content_stream().read()
            if getattr(record.raw_stream, "limit", 0):
                return broke(f"the record of {url or 'a page'} is cut short")
            iterator.read_to_end(record)
            end = iterator.get_record_offset() + iterator.get_record_length()
            capture = _capture(record, url, order, payload)
            if capture is not None:
                captures.append(capture)
    except Exception as exc:  # warcio raises many kinds for damaged bytes; all mean "broken"
        return broke(plain_field(f"{type(exc).__name__}: {exc}")[:120])
    if data[end:].strip():
        return broke("the next record is cut short")
    return captures, "", iterator.err_count


def _capture(record: object, url: str, order: int, payload: bytes) -> _Capture | None:
    if getattr(record, "rec_type", "") != "response" or not url:
        return None
    http = getattr(record, "http_headers", None)
    if http is None:
        return None
    status = str(http.get_statuscode() or "")
    content_type = (http.get_header("Content-Type") or "").lower()
    if not status.startswith("2") or not content_type.startswith(_HTML_TYPES):
        return None
    charset = ""
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name == "charset":
            charset = value.strip().strip("\"'")
    when = plain_field(record.rec_headers.get_header("WARC-Date"))  # type: ignore[attr-defined]
    return _Capture(url, when, order, payload, charset)


def _broke(offset: int, why: str) -> str:
    return f"archive broken at byte {offset:,} ({why}); the pages before it are indexed"
