"""Turning a file's bytes into text: BOMs, UTF-8, UTF-16, and the Arabic code pages.

:func:`decode_bytes` never raises on bad bytes; it raises :class:`NotText` for files that are
binary (NUL bytes outside UTF-16, or a known binary signature).
"""

from __future__ import annotations

import codecs

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
    arabic = sum(1 for c in non_ascii if "\u0600" <= c <= "\u06ff")
    return arabic / len(non_ascii)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return (text, encoding name).

    Tries, in order: a UTF-8/UTF-16/UTF-32 byte-order mark, strict UTF-8, then Windows-1256
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
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return data.decode("utf-16-le", errors="replace"), "utf-16-le"
        if even > len(head) // 4 and odd == 0:
            return data.decode("utf-16-be", errors="replace"), "utf-16-be"
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
