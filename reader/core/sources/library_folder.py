"""The library's own folder (``[storage] library_dir``): pages, feeds and archives the user
brings in with ``reader add``, read by the index like a corpus folder.

:func:`add_file` copies a file in; :func:`fetch_url` fetches a web page or feed over HTTP(S)
(with a timeout and a size limit) and saves it. Either way the file appears in the folder
whole or not at all: it is written to a hidden temporary file, flushed to disk, then linked
under its final name (which never replaces an existing file: a name already taken gets
``-2``, ``-3`` ...). Every failure is an :class:`AddError` whose message is one line naming
the file or URL; nothing half-written is left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

from reader.core.config import Config
from reader.core.sources.scan import ARTICLE_SUFFIXES, kind_of, shown
from reader.core.text.sanitize import one_line

# Content-Type -> the suffix the corpus reads that type under.
_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/rss+xml": ".rss",
    "application/x-rss+xml": ".rss",
    "application/atom+xml": ".atom",
    "application/x-atom+xml": ".atom",
    "application/rdf+xml": ".rss",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/json": ".json",
    "application/warc": ".warc",
}


class AddError(Exception):
    """A file or URL that could not be added; the message is one printable line."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(shown(message)))


def library_folder(config: Config) -> Path:
    """The library folder of ``config``; :class:`AddError` when the config names none."""
    if config.library_dir is None:
        raise AddError("no library folder: set [storage] library_dir in the config")
    return config.library_dir


def _outside(path: Path) -> Path | None:
    """Where ``path`` really is, when it is a symbolic link (or lies in a linked folder) that
    leads out of the folder it is named in; else None."""
    real = Path(os.path.realpath(path))
    return None if real.is_relative_to(os.path.realpath(path.parent)) else real


def add_file(path: Path, config: Config) -> Path:
    """Copy the article file ``path`` (and its ``NAME.toml`` sidecar, if any) into the library
    folder; returns where it was saved. Refuses what the index would not read, and, unless
    ``[corpus] follow_links_outside``, a file or sidecar that is a symbolic link leading out of
    its folder (as the corpus walker does: an unpacked archive's ``story.toml ->
    ~/.ssh/id_rsa`` is not copied into the library)."""
    name = path.name
    if not name.lower().endswith(ARTICLE_SUFFIXES):
        formats = ", ".join(ARTICLE_SUFFIXES)
        raise AddError(f"{path}: not an article format ({kind_of(path)}); reader reads {formats}")
    sidecar = path.with_suffix(".toml")
    for named, what in ((path, "a link"), (sidecar, "its sidecar is a link")):
        real = None if config.follow_links_outside or not named.exists() else _outside(named)
        if real is not None:
            raise AddError(
                f"{path}: {what} to {real}, outside its folder: refused (copy the file itself, "
                "or set [corpus] follow_links_outside = true)"
            )
    try:
        if not path.is_file():
            raise AddError(f"{path}: no such file")
        if path.stat().st_size > config.max_file_bytes:
            raise AddError(f"{path}: larger than the size limit ([corpus] max_file_mb)")
        data = path.read_bytes()
    except OSError as exc:
        raise AddError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    saved = save(data, name, config)
    if sidecar.is_file() and not name.lower().endswith(".toml"):
        with contextlib.suppress(OSError):
            _write_exact(sidecar.read_bytes(), saved.with_suffix(".toml"))
    return saved


def fetch_url(url: str, config: Config, *, timeout: float = 20.0) -> Path:
    """Fetch ``url`` (http or https) and save the page or feed in the library folder; returns
    where it was saved. The file's name comes from the URL, its suffix from the answer's
    Content-Type. Raises :class:`AddError` offline, on an HTTP error (404 ...), when no answer
    comes within ``timeout`` seconds, for a type reader does not read, and for an answer
    larger than ``[corpus] max_file_mb``."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise AddError(f"{url}: only http:// and https:// addresses can be fetched")
    request = urllib.request.Request(url, headers={"User-Agent": "reader (news fact-checking)"})
    limit = config.max_file_bytes
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            content_type = (answer.headers.get("Content-Type") or "").split(";")[0].strip()
            final_url = answer.geturl() or url
            data = answer.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise AddError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise AddError(f"{url}: no answer within {timeout:g} seconds") from exc
        why = getattr(reason, "strerror", None) or reason
        raise AddError(f"{url}: cannot reach the server ({why})") from exc
    except TimeoutError as exc:
        raise AddError(f"{url}: no answer within {timeout:g} seconds") from exc
    except (OSError, ValueError) as exc:  # a connection reset, a malformed answer
        raise AddError(f"{url}: could not fetch: {type(exc).__name__}: {exc}") from exc
    if len(data) > limit:
        raise AddError(f"{url}: larger than the size limit ([corpus] max_file_mb)")
    suffix = _TYPES.get(content_type.lower()) or _sniffed(final_url, data)
    if suffix is None:
        raise AddError(f"{url}: not a page or feed reader reads (Content-Type {content_type!r})")
    saved = save(data, _name_for(final_url, suffix), config)
    if suffix == ".html":
        _remember_address(saved, data, final_url)
    return saved


_SNIFFED = (  # what a file starts with (after a BOM and spaces), for a server that did not say
    (b"<?xml", ".xml"),
    (b"<rss", ".rss"),
    (b"<feed", ".atom"),
    (b"<!doctype html", ".html"),
    (b"<html", ".html"),
    (b"warc/", ".warc"),
)


def _sniffed(url: str, data: bytes) -> str | None:
    """The suffix to read a download under when its Content-Type says nothing reader knows
    (application/octet-stream, none, a server's own name): the address's suffix when reader
    reads it, else what the bytes start with; None when neither tells."""
    path = urlsplit(url).path.lower()
    for suffix in set(_TYPES.values()):
        if path.endswith(suffix):
            return suffix
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return next((suffix for start, suffix in _SNIFFED if head.startswith(start)), None)


def _remember_address(saved: Path, data: bytes, url: str) -> None:
    """Beside a fetched page that names no address of its own (no canonical link), a
    ``NAME.toml`` sidecar with the address it was fetched from, so the article has its URL
    and, without a site name, its host as outlet. Never replaces a sidecar."""
    from reader.core.sources.html import html_page
    from reader.core.sources.page import host_outlet

    page = html_page(data)
    if page is None or page.meta.get("url"):
        return
    import tomlkit

    meta = {"url": url}
    if not page.meta.get("outlet") and host_outlet(url):
        meta["outlet"] = host_outlet(url)
    with contextlib.suppress(OSError):
        _write_exact(tomlkit.dumps(meta).encode("utf-8"), saved.with_suffix(".toml"))


def _name_for(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s]
    last = segments[-1] if segments else ""
    stem = last.rsplit(".", 1)[0] if "." in last else last
    host = (parts.hostname or "").removeprefix("www.")
    stem = re.sub(r"[^\w-]+", "-", f"{host}-{stem}" if stem else host).strip("-_")[:80]
    return (stem or "page") + suffix


def save(data: bytes, name: str, config: Config) -> Path:
    """Write ``data`` into the library folder under ``name`` (or ``name-2``... when that name,
    or the article id it gives, is taken), atomically; returns the path (that of the same bytes
    saved before, if so). The folder is created when missing."""
    folder = library_folder(config)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AddError(f"{folder}: cannot create the library folder: {exc.strerror}") from exc
    lower = name.lower()
    suffix = next(
        (s for s in sorted(ARTICLE_SUFFIXES, key=len, reverse=True) if lower.endswith(s)), ""
    )
    stem = name[: len(name) - len(suffix)] if suffix else name
    for number in range(1, 1000):
        target = folder / (name if number == 1 else f"{stem}-{number}{suffix}")
        if target.exists() and target.read_bytes() == data:
            return target  # added before: nothing to do
        if _id_taken(target.name[: len(target.name) - len(suffix)], config):
            continue
        try:
            _write_exact(data, target)
        except FileExistsError:
            continue
        return target
    raise AddError(f"{folder / name}: too many files of that name in the library folder")


def _id_taken(stem: str, config: Config) -> bool:
    """True when a file at the top of a corpus or library folder already gives the article id
    ``stem`` (``flood.txt`` takes the id of ``flood.html``): the index would skip the file."""
    return any(
        (folder / f"{stem}{suffix}").exists()
        for folder in config.article_folders
        for suffix in ARTICLE_SUFFIXES
    )


def _write_exact(data: bytes, target: Path) -> None:
    """Write ``data`` to ``target`` whole or not at all; FileExistsError when it exists."""
    fd, temporary = tempfile.mkstemp(prefix=".adding-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.link(temporary, target)  # never replaces: fails when target exists
    except FileExistsError:
        raise
    except OSError as exc:
        raise AddError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
