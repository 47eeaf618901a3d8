"""What each character is for display: its kind for shaping/wrapping and its bidi class.

Internal to the layout engine. :func:`char_codes` gives one ASCII code per character, from
which ``codes.translate(KIND)`` gives the kind letters below and ``codes.translate(CLASS)``
the class letters of :func:`reader.core.text.bidi.class_letter`: one translation of the (mostly
non-ASCII) text instead of two, the others being fast ASCII-to-ASCII ones.

Kinds: 'w' U+0020, 'v' another breaking space, 't' tab, 'b' bidi control, 'z' zero-width
(never drawn, :func:`reader.core.text.sanitize.is_zero_width`, and ZWJ), 'h' haraka (the
reshaper's list), 'm' another zero-width mark, 'a' a letter the reshaper shapes, 'W' two
cells wide, '.' anything else (one cell).
"""

from __future__ import annotations

from arabic_reshaper.arabic_reshaper import HARAKAT_RE
from arabic_reshaper.letters import LETTERS_ARABIC

from reader.core.text import bidi
from reader.core.text.cells import char_width
from reader.core.text.sanitize import BIDI_CONTROLS, is_zero_width

__all__ = ["CLASS", "KIND", "STRIP", "ZWJ", "char_codes", "char_kinds"]

ZWJ = "\u200d"
OTHER_SPACES = "\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
_CODES: dict[int, str] = {}  # character -> its code (a str.translate table)
_PAIRS: dict[tuple[str, str], str] = {}  # (kind, class letter) -> code
KIND: dict[int, str] = {}  # code -> kind (a str.translate table)
CLASS: dict[int, str] = {}  # code -> bidi class letter (a str.translate table)
STRIP: dict[int, str | None] = {}  # what the reshaper must not see: marks and ZWJ (translate)


def _kind(char: str) -> str:
    if char == " ":
        return "w"
    if char in OTHER_SPACES:
        return "v"
    if char == "\t":
        return "t"
    if char in BIDI_CONTROLS:
        return "b"
    if char == ZWJ or is_zero_width(char):
        return "z"
    if HARAKAT_RE.match(char):
        return "h"
    if char in LETTERS_ARABIC:
        return "a"
    width = char_width(char)
    return "m" if width == 0 else "W" if width == 2 else "."


def char_codes(text: str) -> str:
    """One ASCII code per character of ``text`` (see the module docstring)."""
    codes = text.translate(_CODES)
    if not codes.isascii():  # characters never seen: every ASCII one is known
        new = {char for char in set(codes) if not char.isascii()}
        bidi.learn(new)
        for char in new:
            _register(char)
        codes = text.translate(_CODES)
    return codes


def char_kinds(text: str) -> str:
    """One kind letter per character of ``text``."""
    return char_codes(text).translate(KIND)


def _register(char: str) -> None:
    kind = _kind(char)
    pair = (kind, bidi.class_letter(char))
    code = _PAIRS.get(pair)
    if code is None:
        if len(_PAIRS) >= 128:  # pragma: no cover - about 40 are ever needed
            raise RuntimeError("too many kinds of characters")
        code = _PAIRS[pair] = chr(len(_PAIRS))
        KIND[ord(code)], CLASS[ord(code)] = pair
    _CODES[ord(char)] = code
    if kind in "hm" or char == ZWJ:
        STRIP[ord(char)] = None


bidi.learn({chr(code) for code in range(128)})
for _code in range(128):
    _register(chr(_code))
