"""The picture side of ``make screenshots`` (tests/screens/images.py), without X: an xwd dump
is read pixel for pixel in either byte order, a blank window counts as one colour, and the PNG
written decodes back to the same pixels."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from tests.screens.images import Image, read_xwd, write_png


def _xwd(pixels: list[list[tuple[int, int, int]]], byte_order: int = 0) -> bytes:
    """A 32-bit TrueColor ZPixmap dump as xwd writes it (header, no colour map, pixels)."""
    height, width = len(pixels), len(pixels[0])
    name = b"test\x00"
    header_size = 25 * 4 + len(name)
    fields = [header_size, 7, 2, 24, width, height, 0, byte_order, 32, byte_order, 32, 32]
    fields += [width * 4, 4, 0xFF0000, 0x00FF00, 0x0000FF, 8, 0, 0, width, height, 0, 0, 0]
    endian = "little" if byte_order == 0 else "big"
    body = b"".join(
        ((r << 16) | (g << 8) | b).to_bytes(4, endian) for row in pixels for r, g, b in row
    )
    return struct.pack(">25I", *fields) + name + body


def _png_pixels(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    at, width, height, idat = 8, 0, 0, b""
    while at < len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        kind, payload = data[at + 4 : at + 8], data[at + 8 : at + 8 + size]
        (crc,) = struct.unpack(">I", data[at + 8 + size : at + 12 + size])
        assert zlib.crc32(kind + payload) == crc
        if kind == b"IHDR":
            width, height = struct.unpack(">II", payload[:8])
        elif kind == b"IDAT":
            idat += payload
        at += 12 + size
    raw = zlib.decompress(idat)
    rows = [raw[y * (width * 3 + 1) : (y + 1) * (width * 3 + 1)] for y in range(height)]
    assert all(row[0] == 0 for row in rows)  # filter "none" on every row
    return width, height, b"".join(row[1:] for row in rows)


PIXELS = [[(255, 0, 0), (0, 255, 0), (0, 0, 255)], [(1, 2, 3), (250, 251, 252), (0, 0, 0)]]


@pytest.mark.parametrize("byte_order", [0, 1])
def test_an_xwd_dump_is_read_pixel_for_pixel(byte_order: int, tmp_path: Path) -> None:
    image = read_xwd(_xwd(PIXELS, byte_order))
    assert (image.width, image.height) == (3, 2)
    assert image.rgb == bytes(c for row in PIXELS for pixel in row for c in pixel)
    assert image.colours() == 6
    write_png(image, tmp_path / "a.png")
    assert _png_pixels(tmp_path / "a.png") == (3, 2, image.rgb)


def test_a_blank_window_is_one_colour_and_a_change_is_seen() -> None:
    blank = read_xwd(_xwd([[(0, 0, 0)] * 4] * 3))
    assert blank.colours() == 1
    one_dot = read_xwd(_xwd([[(0, 0, 0)] * 4] * 2 + [[(0, 0, 0)] * 3 + [(9, 9, 9)]]))
    assert one_dot.differs_from(blank) and not blank.differs_from(Image(4, 3, blank.rgb))


def test_what_is_not_a_truecolor_dump_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="not an xwd dump"):
        read_xwd(b"short")
    data = bytearray(_xwd(PIXELS))
    data[13 * 4 : 14 * 4] = struct.pack(">I", 3)  # a PseudoColor visual
    with pytest.raises(ValueError, match="visual class 3"):
        read_xwd(bytes(data))
    with pytest.raises(ValueError, match="cut short"):
        read_xwd(_xwd(PIXELS)[:-5])
