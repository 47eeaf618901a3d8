"""Turning a file's bytes into text: BOMs, UTF-8, UTF-16, and the Arabic code pages.

:func:`decode_bytes` never raises on bad bytes; it raises :class:`NotText` for files that are
binary (NUL bytes outside UTF-16 text, or a known binary signature).
"""

from __future__ import annotations

import codecs
import re

from reader.core.text.arabic import BLOCKS_CLASS, count_arabic_letters, is_arabic_letter

_BINARY_SIGNATURES = (
    b"\x89PNG",
    b"PK\x03\x04",
    b"%PDF",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"\x7fELF",
    b"BZh",
    b"\xfd7zXZ",
    b"Rar!",
    b"SQLite format 3",
)


class NotText(ValueError):
    """The bytes are not a text file; the message says why."""


def _arabic_score(text: str) -> float:
    """Share of non-ASCII characters that are Arabic letters (higher is more plausible)."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return 0.0
    arabic = sum(1 for c in non_ascii if is_arabic_letter(c))
    return arabic / len(non_ascii)


# What UTF-16/32 text in reader's languages is made of: ASCII and Latin letters, Arabic (with its
# supplements and presentation forms) and general punctuation (dashes, quotes, bidi marks).
_TEXT_CHARS = re.compile(f"[\t\n\r\x20-\x7e\xa0-\u024f{BLOCKS_CLASS}\u2000-\u206f]")
_TEXT_SHARE = 0.9


def _utf_without_bom(head: bytes, size: int) -> str | None:
    """The UTF-16 or UTF-32 byte order ("utf-16-le", "utf-32-be"...) in which ``head`` (the
    start of a file of ``size`` bytes) reads as English/Arabic text, or None.

    The file must be whole code units (an even size for UTF-16, a multiple of 4 for UTF-32):
    a 3-byte ``a\\0b`` is no UTF-16 "a" with a byte left over.

    UTF-16 has zero bytes only in the high byte of ASCII characters, so Arabic text has few of
    them (and pure Arabic none: its high bytes are 0x06). Only data with a zero or 0x06 byte
    is considered, and it must decode to at least 90% characters of those scripts: random or
    binary bytes decode to scattered code points (CJK, symbols, controls, invalid) and fail.
    Without any zero byte (no space, no ASCII at all) at least half must be Arabic letters, so
    ASCII bytes that happen to hold a 0x06 control are not read as Arabic signs.
    """
    has_zero = b"\x00" in head
    if not has_zero and b"\x06" not in head:
        return None
    best: tuple[float, str] | None = None
    for encoding, width in (("utf-16-le", 2), ("utf-16-be", 2), ("utf-32-le", 4), ("utf-32-be", 4)):
        if size % width:
            continue
        text = head[: len(head) - len(head) % width].decode(encoding, errors="replace")
        if not text:
            continue
        share = len(_TEXT_CHARS.findall(text)) / len(text)
        if not has_zero and count_arabic_letters(text) * 2 < len(text):
            continue
        if share >= _TEXT_SHARE and (best is None or share > best[0]):
            best = (share, encoding)
    return best[1] if best else None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return (text, encoding name).

    Tries, in order: a UTF-8/UTF-16/UTF-32 byte-order mark, UTF-16 or UTF-32 without a mark
    (when the text is English or Arabic, see :func:`_utf_without_bom`), strict UTF-8, then
    Windows-1256
    and ISO-8859-6 (whichever reads as more Arabic), and last UTF-8 with replacement
    characters, so undecodable bytes never stop a run.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return data.decode("utf-32", errors="replace"), "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:4096]
    for signature in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise NotText(f"binary file (starts like {signature[:4]!r})")
    encoding = _utf_without_bom(head, len(data))
    if encoding is not None:
        return data.decode(encoding, errors="replace"), encoding
    if b"\x00" in head:
        raise NotText("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for encoding in ("cp1256", "iso-8859-6"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_arabic_score(text), encoding, text))
    if candidates:
        score, encoding, text = max(candidates, key=lambda c: c[0])
        if score >= 0.5:
            return text, encoding
    return data.decode("utf-8", errors="replace"), "utf-8 (with replacements)"
