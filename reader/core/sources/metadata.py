"""What a file says about its article besides the text: the ``NAME.toml`` sidecar beside it,
Markdown front matter, and the fields read from such metadata (dates, author, outlet).

Everything here takes untrusted values and gives plain ones: a date or None, one-line text or
"", never an exception for a value of the wrong type.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reader.core.config import Config
from reader.core.files.nesting import MAX_NESTING, too_deep
from reader.core.sources.article import normalize_text
from reader.core.sources.scan import SkipKind, Skipped, link_outside, real_roots, refusal

__all__ = [
    "LANGUAGES",
    "author",
    "front_matter",
    "meta_str",
    "outlet_name",
    "parse_date",
    "read_sidecar",
]

LANGUAGES = {"ar": "ar", "arabic": "ar", "en": "en", "english": "en"}  # a `lang` value read


def read_sidecar(
    path: Path, config: Config, roots: Sequence[Path] | None = None
) -> tuple[dict[str, Any], list[Skipped]]:
    """The metadata of ``NAME.toml`` beside ``path``: ({} and no problem) when there is none,
    ({} and one BAD_SIDECAR or LINK_OUTSIDE Skipped) when it cannot be used, and (its keys and
    one UNUSED_VALUES Skipped) when some of the values reader reads are of no use (an outlet
    that is a list, a date that is no date): those are left unread, named with their lines.
    ``roots``: :func:`real_roots` of ``config``, when the caller has them."""
    sidecar = path.with_suffix(".toml")
    if not sidecar.is_file():
        return {}, []
    if not config.follow_links_outside:
        target = link_outside(sidecar, real_roots(config) if roots is None else roots)
        if target is not None:
            return {}, [refusal(sidecar, target, "sidecar")]

    def bad(why: str) -> tuple[dict[str, Any], list[Skipped]]:
        reason = f"{why}; {path.name} is indexed without its metadata"
        return {}, [Skipped(sidecar, reason, SkipKind.BAD_SIDECAR)]

    try:
        if sidecar.stat().st_size > config.max_file_bytes:
            return bad("larger than the size limit")
        text = sidecar.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return bad(f"cannot read: {exc.strerror or exc}")
    except UnicodeDecodeError:
        return bad("not UTF-8")
    line = too_deep(text, "toml")
    if line is not None:
        return bad(f"TOML nested deeper than {MAX_NESTING} levels at line {line}")
    try:
        meta = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return bad(f"invalid TOML: {exc}")
    except (ValueError, RecursionError) as exc:  # e.g. an integer of 5000 digits
        return bad(f"invalid TOML: {type(exc).__name__}: {str(exc)[:100]}")
    unused = unusable_values(meta, text)
    if not unused:
        return meta, []
    reason = "; ".join(unused) + f"; {path.name} is indexed without them"
    return meta, [Skipped(sidecar, reason, SkipKind.UNUSED_VALUES)]


_TEXT_KEYS = ("title", "url", "link", "outlet", "source", "site")
_AUTHOR_KEYS = ("author", "authors", "byline")


def unusable_values(meta: dict[str, Any], toml: str) -> list[str]:
    """What is wrong with each top-level value of ``meta`` (a sidecar, parsed from ``toml``)
    that reader would read but cannot use, one phrase each (``outlet (line 3): expected text,
    found an array``), in the order of the keys; [] when every value is usable. Keys reader
    does not read are not looked at."""
    found: list[str] = []

    def say(key: str, why: str) -> None:
        match = re.search(rf"^[ \t]*([\"']?){re.escape(key)}\1[ \t]*=", toml, re.M)
        where = f" (line {toml.count(chr(10), 0, match.start()) + 1})" if match else ""
        found.append(f"{key}{where}: {why}")

    for key, value in meta.items():
        if value is None or (isinstance(value, str) and not value.strip()):  # not given
            continue
        if key in _TEXT_KEYS and not _is_text(value):
            say(key, f"expected text, found {_kind(value)}")
        elif key in ("lang", "language"):
            if not _is_text(value):
                say(key, f"expected text, found {_kind(value)}")
            elif str(value).strip().lower() not in LANGUAGES:
                say(key, f"{_shown_value(value)} is not en or ar (the text's language is used)")
        elif key in ("published", "date") and parse_date(value) is None:
            if isinstance(value, str):
                say(key, f"{_shown_value(value)} is not a date (expected 2020-05-18)")
            else:
                say(key, f"expected a date, found {_kind(value)}")
        elif key in _AUTHOR_KEYS and not author({key: value}):
            say(key, f"expected a name or a list of names, found {_kind(value)}")
    return found


def _is_text(value: Any) -> bool:
    """What :func:`meta_str` reads."""
    return isinstance(value, str) or meta_str({"v": value}, "v") != ""


def _kind(value: Any) -> str:
    """A TOML value's kind, as a person reading the file calls it."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date):
        return "a date"
    if isinstance(value, str):
        return "empty text" if not value.strip() else "text"
    return "a number" if isinstance(value, int | float) else type(value).__name__


def _shown_value(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT.match(text)
    if not match:
        return {}, text
    meta: dict[str, Any] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :]


def parse_date(value: Any) -> date | None:
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


def meta_str(meta: dict[str, Any], *keys: str) -> str:
    """The first of ``keys`` whose value is text (or a number, or a record with a text
    ``name``, as JSON-LD and news APIs give a source), one line as read; "" for none."""
    for key in keys:
        value = meta.get(key)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return normalize_text(str(value)).strip()
    return ""


def author(meta: dict[str, Any]) -> str:
    """The article's author(s) as one line: ``author`` (else ``authors``, ``byline``) as text,
    a list of names (a JSON array, as news APIs give them) joined with ", ", or a record with a
    ``name`` (JSON-LD's Person); anything else gives ``""``."""
    for key in ("author", "authors", "byline"):
        value = meta.get(key)
        items = value if isinstance(value, list) else [value]
        names = [
            " ".join(normalize_text(str(item)).split())
            for item in (v.get("name") if isinstance(v, dict) else v for v in items[:50])
            if isinstance(item, str | int | float) and not isinstance(item, bool)
        ]
        text = ", ".join(n for n in names if n)
        if text:
            return text  # (cut where the article is made: corpus.FIELD_CHARS)
    return ""


def outlet_name(outlet: str, url: str, config: Config) -> str:
    """The outlet as given, unless it is a host (or empty with a URL) that ``[outlets]``
    hosts names: then that outlet's name."""
    if not config.outlet_hosts:
        return outlet
    from reader.core.config_checks import host_key
    from reader.core.sources.page import host_outlet

    host = outlet or host_outlet(url)
    return config.outlet_hosts.get(host_key(host), outlet) if host else outlet
