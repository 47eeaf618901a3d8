"""Web archives in the corpus, built here with warcio: every HTML page captured becomes an
article with its archived URL and date; of several captures of one URL the latest is read and
the others are listed; a truncated archive keeps the pages before the damage, in one line."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from reader.core.config import load_config
from reader.core.search.index import update_index
from reader.core.search.searcher import Searcher
from reader.core.sources.article import Article
from reader.core.sources.corpus import SkipKind, Skipped, SourceFile, read_source
from tests.conftest import cli_in_process, write_config

WEB = Path(__file__).parent / "data" / "web"
EN_URL = "https://www.coastalherald.example/news/2024/03/14/harbour-city-flood"
AR_URL = "https://alwadi.example/ar/news/2024/05/02/aid-convoy"
UNDATED_URL = "https://blog.example/posts/bridge"
UNDATED = (
    "<html><head><title>The bridge reopens</title></head><body><article>"
    + "<p>The old bridge over the Esk reopened to traffic after two weeks of repairs,"
    " the council said, and buses returned to their usual routes.</p>"
    * 3
    + "</article></body></html>"
)


def response(writer: WARCWriter, url: str, when: str, body: bytes, **http: str) -> None:
    status = http.pop("status", "200 OK")
    headers = StatusAndHeaders(
        status,
        [("Content-Type", http.pop("content_type", "text/html; charset=utf-8"))],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": when},
    )
    writer.write_record(record)


def build_archive(gzip: bool = True) -> bytes:
    """Three pages, one of them captured twice, among what archives also hold."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
    english = (WEB / "harbour-city-flood.html").read_bytes()
    response(writer, EN_URL, "2024-03-14T09:00:00Z", english)
    request = writer.create_warc_record(EN_URL, "request", payload=io.BytesIO(b"GET / HTTP/1.1"))
    writer.write_record(request)
    response(writer, AR_URL, "2024-05-02T12:00:00Z", (WEB / "gaza-aid-convoy-ar.html").read_bytes())
    response(
        writer,
        "https://www.coastalherald.example/logo.png",
        "2024-03-14T09:00:01Z",
        b"\x89PNG....",
        content_type="image/png",
    )
    response(
        writer,
        "https://www.coastalherald.example/gone",
        "2024-03-14T09:00:02Z",
        b"<html><body><p>Not found</p></body></html>",
        status="404 Not Found",
    )
    updated = english.replace(b"more than 2,000 residents", b"more than 3,000 residents")
    response(writer, EN_URL, "2024-03-15T09:00:00Z", updated)  # the later capture
    response(writer, UNDATED_URL, "2024-04-02T08:00:00Z", UNDATED.encode())
    return out.getvalue()


def read(path: Path, tmp_path: Path) -> tuple[list[Article], list[Skipped]]:
    config = load_config(write_config(tmp_path, corpus=str(path.parent)))
    info = path.stat()
    return read_source(SourceFile(path, path.parent, info.st_size, info.st_mtime_ns), config)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / name).write_bytes(data)
    return corpus / name


@pytest.mark.parametrize("gzip", [True, False])
def test_every_html_page_of_an_archive_is_an_article(tmp_path: Path, gzip: bool) -> None:
    name = "crawl.warc.gz" if gzip else "crawl.warc"
    articles, skipped = read(write(tmp_path, name, build_archive(gzip)), tmp_path)
    by_url = {a.url: a for a in articles}
    assert list(by_url) == [AR_URL, EN_URL, UNDATED_URL]  # in archive order of what is kept
    english = by_url[EN_URL]
    assert english.title == "Floodwaters cut off Harbour City as river bursts its banks"
    assert english.outlet == "The Coastal Herald"
    assert english.published == date(2024, 3, 14)  # the page's own date
    assert "more than 3,000 residents" in english.body  # the latest capture
    assert "Related stories" not in english.body
    arabic = by_url[AR_URL]
    assert (arabic.lang, arabic.outlet, arabic.published) == (
        "ar",
        "صحيفة الوادي",
        date(2024, 5, 2),
    )
    undated = by_url[UNDATED_URL]
    assert undated.published == date(2024, 4, 2)  # no date in the page: the capture's
    assert undated.outlet == "blog.example"  # no site name: the archived URL's host
    assert [(s.kind, s.reason) for s in skipped] == [
        (
            SkipKind.SUPERSEDED,
            f"{EN_URL} captured 2024-03-14T09:00:00Z: an earlier capture; "
            "the capture of 2024-03-15T09:00:00Z is indexed",
        )
    ]


def test_archive_ids_are_stable_and_indexed(tmp_path: Path) -> None:
    write(tmp_path, "crawl.warc.gz", build_archive())
    config = load_config(write_config(tmp_path))
    first = update_index(config)
    assert first.total == 3
    with Searcher(config) as searcher:
        ids = set(searcher.ids())
        assert set(searcher.outlets()) == {"The Coastal Herald", "صحيفة الوادي", "blog.example"}
    assert all(i.startswith("crawl/") for i in ids)  # both parts of .warc.gz go
    update_index(config, rebuild=True)
    with Searcher(config) as searcher:
        assert set(searcher.ids()) == ids


@pytest.mark.parametrize("gzip", [True, False])
def test_a_truncated_archive_keeps_the_pages_before_the_damage(tmp_path: Path, gzip: bool) -> None:
    data = build_archive(gzip)
    cut = data[: len(data) - 200]  # inside the last record (the undated page)
    articles, skipped = read(write(tmp_path, "cut.warc" + (".gz" if gzip else ""), cut), tmp_path)
    assert {a.url for a in articles} == {EN_URL, AR_URL}
    broken = [s for s in skipped if s.kind is SkipKind.BROKEN]
    assert len(broken) == 1
    assert broken[0].reason.startswith("archive broken at byte ")
    assert broken[0].reason.endswith("; the pages before it are indexed")
    offset = int(broken[0].reason.split()[4].replace(",", ""))
    assert 0 < offset < len(cut)


def test_bytes_that_are_no_archive_are_one_line(tmp_path: Path) -> None:
    articles, skipped = read(write(tmp_path, "junk.warc", b"this is not a web archive\n"), tmp_path)
    assert articles == []
    assert [s.kind for s in skipped] == [SkipKind.BROKEN]
    assert skipped[0].reason.startswith("archive broken at byte 0 (")


def test_an_archive_cut_inside_a_record_header_is_broken_there(tmp_path: Path) -> None:
    data = build_archive(gzip=False)
    start = data.rindex(b"WARC/1.0\r\n")  # the last record's header
    cut = data[: start + 30]
    articles, skipped = read(write(tmp_path, "cut.warc", cut), tmp_path)
    assert {a.url for a in articles} == {EN_URL, AR_URL}
    (reason,) = [s.reason for s in skipped if s.kind is SkipKind.BROKEN]
    offset = int(reason.split()[4].replace(",", ""))
    assert data[offset:start].strip() == b""  # the end of the last whole record
    assert reason == (
        f"archive broken at byte {offset:,} (a record header is cut short); "
        "the pages before it are indexed"
    )


@pytest.mark.parametrize(
    ("tail", "pages", "report"),
    [
        # warcio finds the next record after the stray line: both pages are read.
        (
            b"\x1b]2;OWNED\x07",
            2,
            "archive damaged (1 record(s) with a wrong length); the pages that could be read "
            "are indexed",
        ),
        # two stray lines: warcio cannot find the next record, the archive ends there.
        (b"\x1b]2;OWNED\x07\n\x1b[2J", 1, "archive broken at byte "),
    ],
)
def test_a_record_with_a_wrong_length_is_one_line_and_no_archive_bytes_reach_stderr(
    tmp_path: Path, tail: bytes, pages: int, report: str
) -> None:
    """warcio writes its own warning lines to stderr, quoting the bytes after the record (here
    escapes that set the window title and clear the screen): the user gets one line of
    reader's, and no byte of the archive raw."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    page = (WEB / "harbour-city-flood.html").read_bytes() + b"\n" + tail
    response(writer, EN_URL, "2024-03-14T09:00:00Z", page)
    response(writer, UNDATED_URL, "2024-04-02T08:00:00Z", UNDATED.encode())
    data = out.getvalue()
    length = data.index(b"Content-Length: ") + len(b"Content-Length: ")
    digits = data[length : data.index(b"\r\n", length)]
    shorter = str(int(digits) - len(tail)).encode().rjust(len(digits), b"0")
    write(tmp_path, "crawl.warc", data[:length] + shorter + data[length + len(digits) :])
    config_path = write_config(tmp_path)
    result = cli_in_process(["--config", str(config_path), "index"])
    assert "\x1b" not in result.stderr
    assert "WARNING" not in result.stderr  # warcio's own words
    lines = [line for line in result.stderr.splitlines() if "crawl.warc" in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"reader: {tmp_path / 'corpus' / 'crawl.warc'}: skipped: {report}")
    with Searcher(load_config(config_path)) as searcher:
        assert len(searcher.ids()) == pages
