"""``reader add``: files copied and URLs fetched (from a local HTTP server on 127.0.0.1, never
the internet) into the library folder, written whole or not at all, then indexed; an address
that is offline, missing or too slow is one clear line and the rest goes on."""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.search.searcher import Searcher
from reader.core.sources import library_folder
from reader.core.sources.library_folder import AddError, add_file, save
from tests.conftest import cli_in_process, write_config

WEB = Path(__file__).parent / "data" / "web"
RELEASE = threading.Event()  # lets the slow handler go when a test is over

ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/news/2024/03/14/harbour-city-flood": (
        200,
        "text/html; charset=utf-8",
        (WEB / "harbour-city-flood.html").read_bytes(),
    ),
    "/ar/feed": (200, "application/atom+xml", (WEB / "alwadi.atom").read_bytes()),
    "/logo.png": (200, "image/png", b"\x89PNG...."),
    "/blog/bridge": (
        200,
        "text/html",
        b"<html><head><title>The bridge reopens</title></head><body><article>"
        + b"<p>The old bridge over the Esk reopened to traffic after two weeks of repairs,"
        b" the council said, and buses returned to their usual routes.</p>"
        * 3
        + b"</article></body></html>",
    ),
    "/big": (200, "text/html", b"<p>" + b"x" * 20_000 + b"</p>"),
    # Feeds as servers send them: the x- types, a generic type, no type reader knows.
    "/rss/x": (200, "application/x-rss+xml", (WEB / "coastal-herald.rss").read_bytes()),
    "/feeds/latest": (200, "application/octet-stream", (WEB / "alwadi.atom").read_bytes()),
    "/feed.rss": (200, "binary/octet-stream", (WEB / "coastal-herald.rss").read_bytes()),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            RELEASE.wait(10)
            return
        status, content_type, body = ROUTES.get(self.path, (404, "text/html", b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        RELEASE.set()
        httpd.shutdown()
        httpd.server_close()


def setup(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "good.txt").write_text("A good article\n\nSirte.\n", "utf-8")
    return write_config(tmp_path, extra=extra)


def library_files(tmp_path: Path) -> list[str]:
    folder = tmp_path / "data" / "library"
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_add_a_page_and_a_feed_by_url_then_they_are_indexed(tmp_path: Path, server: str) -> None:
    config_path = setup(tmp_path)
    page = f"{server}/news/2024/03/14/harbour-city-flood"
    result = cli_in_process(["--config", str(config_path), "add", page, f"{server}/ar/feed"])
    assert result.returncode == 0, result.stderr
    assert library_files(tmp_path) == ["127-0-0-1-feed.atom", "127-0-0-1-harbour-city-flood.html"]
    config = load_config(config_path)
    with Searcher(config) as searcher:
        assert set(searcher.outlets()) == {"The Coastal Herald", "صحيفة الوادي"}
        assert len(searcher.ids()) == 1 + 1 + 2
    assert "4 articles indexed" in result.stderr


@pytest.mark.parametrize("path", ["/rss/x", "/feeds/latest", "/feed.rss"])
def test_a_feed_is_added_whatever_type_the_server_gives_it(
    tmp_path: Path, server: str, path: str
) -> None:
    # Seen in a terminal: application/x-rss+xml, the type many servers send, was refused.
    config_path = setup(tmp_path)
    result = cli_in_process(["--config", str(config_path), "add", f"{server}{path}"])
    assert result.returncode == 0, result.stderr
    with Searcher(load_config(config_path)) as searcher:
        assert len(searcher.ids()) > 1  # the entries, beside the corpus's own article


def test_add_a_file_copies_it_with_its_sidecar(tmp_path: Path) -> None:
    config_path = setup(tmp_path)
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "flood.html").write_bytes((WEB / "harbour-city-flood.html").read_bytes())
    (saved / "flood.toml").write_text('outlet = "Herald Weekly"\n', encoding="utf-8")
    result = cli_in_process(["--config", str(config_path), "add", str(saved / "flood.html")])
    assert result.returncode == 0, result.stderr
    assert library_files(tmp_path) == ["flood.html", "flood.toml"]
    with Searcher(load_config(config_path)) as searcher:
        assert searcher.outlets() == ["Herald Weekly"]
    # Added again: the same bytes are not saved twice.
    again = cli_in_process(["--config", str(config_path), "add", str(saved / "flood.html")])
    assert again.returncode == 0
    assert library_files(tmp_path) == ["flood.html", "flood.toml"]


def test_a_file_or_sidecar_linked_out_of_its_folder_is_not_copied(tmp_path: Path) -> None:
    """`reader add story.txt` copied story.toml -> /tmp/secret.toml (or /etc/hostname) into
    the library, where the corpus walker refuses the same link (found by attacking the app)."""
    config = load_config(setup(tmp_path))
    secret = tmp_path / "secret.toml"
    secret.write_text('title = "SECRET-TITLE-FROM-OUTSIDE"\n', encoding="utf-8")
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    (unpacked / "story.txt").write_text("Added\n\nbody added\n", encoding="utf-8")
    (unpacked / "story.toml").symlink_to(secret)
    (unpacked / "pw.txt").symlink_to(tmp_path / "outside.txt")
    (tmp_path / "outside.txt").write_text("Outside\n\nnot for the library\n", encoding="utf-8")
    for named, what in (("story.txt", "its sidecar is a link to"), ("pw.txt", "a link to")):
        with pytest.raises(AddError, match=f"{what} .*outside its folder: refused"):
            add_file(unpacked / named, config)
    assert library_files(tmp_path) == []
    # A link inside the folder is read; so is one out of it when the user says so.
    (unpacked / "inside.txt").symlink_to(unpacked / "story.txt")
    assert add_file(unpacked / "inside.txt", config).name == "inside.txt"
    trusting = dataclasses.replace(config, follow_links_outside=True)
    assert add_file(unpacked / "story.txt", trusting).name == "story.txt"
    assert sorted(library_files(tmp_path)) == ["inside.txt", "story.toml", "story.txt"]


def test_a_name_already_taken_gets_a_number_and_nothing_is_replaced(tmp_path: Path) -> None:
    config = load_config(setup(tmp_path))
    first = save(b"<p>one</p>", "page.html", config)
    second = save(b"<p>two</p>", "page.html", config)
    third = save(b"<p>three</p>", "a.warc.gz", config)
    fourth = save(b"<p>four</p>", "a.warc.gz", config)
    assert (first.name, second.name, third.name, fourth.name) == (
        "page.html",
        "page-2.html",
        "a.warc.gz",
        "a-2.warc.gz",
    )
    assert first.read_bytes() == b"<p>one</p>"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "the server answered HTTP 404 Not Found"),
        ("/logo.png", "not a page or feed reader reads (Content-Type 'image/png')"),
        ("/big", "larger than the size limit ([corpus] max_file_mb)"),
        ("/slow", "no answer within 0.5 seconds"),
    ],
)
def test_a_url_that_fails_is_one_line_and_the_rest_goes_on(
    tmp_path: Path, server: str, path: str, message: str
) -> None:
    config_path = setup(tmp_path)
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(text.replace("[storage]", "max_file_mb = 0.01\n\n[storage]"), "utf-8")
    good = f"{server}/ar/feed"
    argv = ["--config", str(config_path), "add", "--timeout", "0.5", f"{server}{path}", good]
    result = cli_in_process(argv)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("reader: h")]
    assert errors == [f"reader: {server}{path}: {message}"]
    assert library_files(tmp_path) == ["127-0-0-1-feed.atom"]  # the good one, nothing else


def test_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    config = load_config(setup(tmp_path))
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(AddError) as caught:
        library_folder.fetch_url(f"http://127.0.0.1:{port}/x", config, timeout=5)
    assert str(caught.value) == (
        f"http://127.0.0.1:{port}/x: cannot reach the server (Connection refused)"
    )
    assert library_files(tmp_path) == []


def test_only_web_addresses_and_article_files_are_added(tmp_path: Path) -> None:
    config = load_config(setup(tmp_path))
    with pytest.raises(AddError, match="only http:// and https://"):
        library_folder.fetch_url("file:///etc/passwd", config)
    (tmp_path / "report.docx").write_bytes(b"PK\x03\x04")
    with pytest.raises(AddError, match=r"report\.docx: not an article format \(\.docx\)"):
        add_file(tmp_path / "report.docx", config)
    with pytest.raises(AddError, match="no such file"):
        add_file(tmp_path / "gone.html", config)


def test_a_failed_write_leaves_nothing_in_the_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(setup(tmp_path))

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(library_folder.os, "fsync", full_disk)
    with pytest.raises(AddError, match=r"page\.html: cannot write: No space left on device"):
        save(b"<p>" + b"x" * 100_000 + b"</p>", "page.html", config)
    assert library_files(tmp_path) == []  # no page, no temporary file


def test_library_dir_is_a_config_key(tmp_path: Path) -> None:
    config_path = setup(tmp_path, extra='library_dir = "my-library"\n')
    config = load_config(config_path)
    assert config.library_dir == tmp_path / "my-library"
    assert config.article_folders == (tmp_path / "corpus", tmp_path / "my-library")


def test_a_fetched_page_without_its_own_address_keeps_the_one_it_came_from(
    tmp_path: Path, server: str
) -> None:
    config_path = setup(tmp_path)
    result = cli_in_process(["--config", str(config_path), "add", f"{server}/blog/bridge"])
    assert result.returncode == 0, result.stderr
    assert library_files(tmp_path) == ["127-0-0-1-bridge.html", "127-0-0-1-bridge.toml"]
    with Searcher(load_config(config_path)) as searcher:
        (hit,) = [a for a in searcher.articles() if a.title == "The bridge reopens"]
    assert (hit.url, hit.outlet) == (f"{server}/blog/bridge", "127.0.0.1")


def test_a_saved_file_never_takes_the_id_of_an_article_already_there(tmp_path: Path) -> None:
    """corpus/flood.txt is article 'flood': a page saved as library/flood.html would be
    'flood' too, and one of the two would be lost."""
    config = load_config(setup(tmp_path))
    (tmp_path / "corpus" / "flood.txt").write_text("Flood\n\nThe text one.\n", "utf-8")
    page = (WEB / "harbour-city-flood.html").read_bytes()
    assert save(page, "flood.html", config).name == "flood-2.html"
    assert save(b"<p>other</p>", "good.md", config).name == "good-2.md"  # corpus/good.txt
