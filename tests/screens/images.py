"""X window dumps (``xwd``'s format) turned into PNG files, and the check that an image shows
something: no image library needed, so ``make screenshots`` works with the X tools alone.

What callers may rely on:

- :func:`read_xwd` reads a 24- or 32-bit TrueColor ``ZPixmap`` dump (what ``xwd`` writes for
  Xvfb's default visual, either byte order) into an :class:`Image`; anything else raises
  ``ValueError`` naming what it found.
- :func:`write_png` writes an 8-bit RGB PNG, atomically (a temporary file renamed).
- :meth:`Image.colours` counts the distinct colours (capped): a blank or one-colour screen has
  1; a terminal showing text in anti-aliased glyphs has dozens.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["Image", "read_xwd", "write_png"]

_HEADER_FIELDS = 25  # CARD32 each, big-endian, as xwd writes them


@dataclass(frozen=True)
class Image:
    """Rows of packed RGB bytes (3 bytes a pixel), top row first."""

    width: int
    height: int
    rgb: bytes

    def row(self, y: int) -> bytes:
        """The RGB bytes of row ``y``."""
        start = y * self.width * 3
        return self.rgb[start : start + self.width * 3]

    def colours(self, cap: int = 256) -> int:
        """How many distinct colours the image has, counting at most ``cap``."""
        seen: set[bytes] = set()
        data = self.rgb
        for start in range(0, len(data), 3):
            seen.add(data[start : start + 3])
            if len(seen) >= cap:
                break
        return len(seen)

    def differs_from(self, other: Image) -> bool:
        """True when the two images are not pixel for pixel the same."""
        return (self.width, self.height, self.rgb) != (other.width, other.height, other.rgb)


def _shift(mask: int) -> int:
    return (mask & -mask).bit_length() - 1 if mask else 0


def read_xwd(data: bytes) -> Image:
    """The image of an ``xwd`` dump (see the module docstring)."""
    if len(data) < _HEADER_FIELDS * 4:
        raise ValueError(f"not an xwd dump: {len(data)} bytes")
    fields = struct.unpack(f">{_HEADER_FIELDS}I", data[: _HEADER_FIELDS * 4])
    header_size, version, pixmap_format, depth, width, height = fields[:6]
    byte_order, bits_per_pixel, bytes_per_line = fields[7], fields[11], fields[12]
    visual_class, red_mask, green_mask, blue_mask = fields[13:17]
    ncolors = fields[19]
    if version != 7 or pixmap_format != 2 or visual_class != 4:
        raise ValueError(
            f"xwd dump of an unsupported kind: version {version}, format {pixmap_format}, "
            f"visual class {visual_class} (a version 7 TrueColor ZPixmap is read)"
        )
    if bits_per_pixel not in (24, 32) or depth not in (24, 32):
        raise ValueError(f"xwd dump of {bits_per_pixel} bits a pixel, depth {depth}")
    offset = header_size + ncolors * 12
    if len(data) < offset + bytes_per_line * height:
        raise ValueError(f"xwd dump cut short: {len(data)} bytes for {width}x{height}")
    step = bits_per_pixel // 8
    endian: Literal["little", "big"] = "little" if byte_order == 0 else "big"
    shifts = (_shift(red_mask), _shift(green_mask), _shift(blue_mask))
    masks = (red_mask, green_mask, blue_mask)
    out = bytearray()
    for y in range(height):
        line = data[offset + y * bytes_per_line : offset + y * bytes_per_line + width * step]
        if (endian, step, shifts) == ("little", 4, (16, 8, 0)):  # the usual case: B G R x
            out += bytes(
                b for i in range(0, len(line), 4) for b in (line[i + 2], line[i + 1], line[i])
            )
            continue
        for x in range(width):
            pixel = int.from_bytes(line[x * step : x * step + step], endian)
            out += bytes((pixel & m) >> s for m, s in zip(masks, shifts, strict=True))
    return Image(width, height, bytes(out))


def _chunk(kind: bytes, payload: bytes) -> bytes:
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def write_png(image: Image, path: Path) -> None:
    """Write ``image`` to ``path`` as an RGB PNG, atomically."""
    raw = b"".join(b"\x00" + image.row(y) for y in range(image.height))
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, 2, 0, 0, 0)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 6))
        + _chunk(b"IEND", b"")
    )
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(png)
    os.replace(temporary, path)
