"""The Unicode Bidirectional Algorithm (UAX #9): levels from python-bidi, line reordering here.

What callers may rely on:

- :func:`resolve_levels` gives the paragraph embedding level and one resolved level per
  character (rules P2-P3, X1-X10, W1-W7, N0-N2, I1-I2; i.e. *before* L1) for ONE paragraph.
  The levels come from python-bidi 0.6's Rust implementation (``unicode-bidi``): its
  ``get_display(..., debug=True)`` dump lists one level per UTF-8 byte, which is parsed here.
  That dump is not a stable interface, so the version is pinned (``python-bidi>=0.6,<0.7``) and
  ``tests/test_bidi_conformance.py`` runs all 91,707 cases of BidiCharacterTest.txt through
  this module. Characters removed by rule X9 (:func:`is_removed`) get a level too; ignore it.
- :func:`reorder_line` applies L1 (trailing whitespace and separators to the paragraph level)
  and L2 (reverse runs from the highest level down to the lowest odd level) to one line and
  returns the visual order, left to right, of the units given (characters or clusters).
- :func:`first_strong` is rule P2/P3 (skipping isolates); :func:`bidi_class` is the class the
  Rust implementation uses; ``MIRRORED`` maps a character to its mirror image (rule L4).

Speed: the text handed to python-bidi is first reduced, losslessly for levels, to one
representative character per bidi class, with runs that must share a level collapsed (e.g. a
run of Arabic words and the spaces and punctuation between them becomes one letter).
Brackets (Bidi_Mirrored characters) and explicit formatting characters are never collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate, chain, compress, islice, pairwise, repeat
from operator import ne, sub
from typing import overload

from bidi import VERSION as _BIDI_VERSION
from bidi import get_display as _get_display
from bidi.mirror import MIRRORED as _MIRRORED

__all__ = [
    "MIRRORED",
    "RunLevels",
    "bidi_class",
    "class_letter",
    "first_strong",
    "is_removed",
    "learn",
    "level_cuts",
    "line_kinds",
    "reorder_line",
    "resolve_levels",
    "resolve_runs",
]

if not str(_BIDI_VERSION).startswith("0.6."):  # pragma: no cover - guarded by pyproject
    raise ImportError(f"reader needs python-bidi 0.6.x, found {_BIDI_VERSION}")

#: Character -> its mirrored counterpart (BidiMirroring.txt), for rule L4.
MIRRORED: dict[str, str] = dict(_MIRRORED)

# Each character gets an ASCII letter for its class; the letters the collapsing below relies on
# stand for a representative character that python-bidi is given instead of the real one.
_LETTER = {
    "L": "a",
    "R": "r",
    "AL": "l",
    "EN": "0",
    "AN": "n",
    "ET": "$",
    "ES": "+",
    "CS": ",",
    "NSM": "m",
    "WS": " ",
    "ON": "!",
    "S": "\t",
    "B": "\t",  # a paragraph separator inside a paragraph: treated as a segment separator
    "LRI": "I",
    "RLI": "I",
    "FSI": "I",
    "PDI": "P",
}
# Letters K (any other character: brackets, BN, embeddings...), I and P keep the real character.
_STAND_IN = str.maketrans({"r": "\u05d0", "l": "\u0627", "n": "\u0660", "m": "\u0300"})
_REAL = re.compile("[KIP]")
# A run of strong characters of one class with only WS ON ET ES CS NSM between them resolves to
# one level (N1 makes the neutrals strong, no number is involved): it collapses to one letter.
# Runs of one class among EN AN NSM WS ON ET collapse too (ES/CS never: W4 needs them single).
_MID = "[ !$+,m]*"
_RUN_RE = re.compile(f"a(?:{_MID}a)*|r(?:{_MID}r)*|l(?:{_MID}l)*|0+|n+| +|!+|\\$+|m+|[\\s\\S]")
_STRONG_RE = re.compile("[arlIP]")
_REMOVED = frozenset({"BN", "LRE", "RLE", "LRO", "RLO", "PDF"})
_SPACE_LIKE = frozenset({"WS", "LRI", "RLI", "FSI", "PDI", *_REMOVED})

_classes: dict[str, str] = {}  # character -> bidi class as unicode-bidi sees it
_letters: dict[int, str] = {}  # code point -> class letter (a str.translate table)
_kinds: dict[int, str] = {}  # code point -> 'w' space-like, 's' separator, '.' other

_LEAD_BYTES = bytes(0 if 0x80 <= b < 0xC0 else 1 for b in range(256))
_CLASSES_START = "\n    original_classes: ["
_LEVELS_START = "\n    levels: ["
_LEVELS_END = "\n    paragraphs: ["


_LEVEL_TOKENS = {f"{level},": level for level in range(128)}


def _per_char(dump: str, start: str, end: str, encoded: bytes) -> list[str]:
    """The items of one per-byte list in a python-bidi debug dump, one per character."""
    i = dump.rfind(start)
    j = dump.find(end, i)
    if i < 0 or j < 0:
        raise RuntimeError("python-bidi debug output has an unexpected format")
    tokens = dump[i:j].split()  # "levels:", "[", then "Level(", "3,", ")," or "AL," ...
    items = tokens[3::3] if start == _LEVELS_START else tokens[2:]
    if len(items) != len(encoded):
        raise RuntimeError("python-bidi debug output does not give one item per byte")
    return list(compress(items, encoded.translate(_LEAD_BYTES)))


def learn(chars: set[str]) -> None:
    """Look up the classes of ``chars`` not seen yet, with one call into python-bidi."""
    chars = set(chars).difference(_classes)
    for char in [c for c in chars if 0xD800 <= ord(c) < 0xE000]:  # not UTF-8: call them ON
        chars.discard(char)
        _classes[char], _letters[ord(char)], _kinds[ord(char)] = "ON", "!", "."
    if not chars:
        return
    text = "".join(sorted(chars))
    encoded = text.encode("utf-8")
    dump = _get_display(text, base_dir="L", debug=True)
    for char, item in zip(text, _per_char(dump, _CLASSES_START, "\n    ],", encoded), strict=True):
        _classes[char] = cls = item.rstrip(",")
        letter = _LETTER.get(cls, "K")
        if (cls == "ON" and unicodedata.mirrored(char)) or unicodedata.bidirectional(char) == "":
            letter = "K"  # a bracket, or unknown to Python's tables: python-bidi gets it as is
        _letters[ord(char)] = letter
        _kinds[ord(char)] = "s" if cls in ("S", "B") else "w" if cls in _SPACE_LIKE else "."


def _prepare(text: str) -> None:
    learn(set(text))


def bidi_class(char: str) -> str:
    """The Bidi_Class of ``char`` ("L", "AL", "EN", ...) in python-bidi's Unicode version."""
    _prepare(char)
    return _classes[char]


def class_letter(char: str) -> str:
    """The ASCII letter :func:`resolve_runs` uses for ``char``'s class (see ``letters``)."""
    _prepare(char)
    return _letters[ord(char)]


def is_removed(char: str) -> bool:
    """True for a character that rule X9 removes (BN and the embedding/override controls)."""
    return bidi_class(char) in _REMOVED


def line_kinds(text: str) -> str:
    """One kind per character for :func:`reorder_line`: 'w' whitespace-like, 's' separator."""
    _prepare(text)
    return text.translate(_kinds)


def first_strong(text: str, letters: str | None = None) -> int | None:
    """Rule P2/P3: 0 if the first strong character is L, 1 if R/AL, None if there is none.

    Characters between an isolate initiator and its matching PDI are skipped. ``letters``
    may give the class letters of ``text`` (see :func:`resolve_runs`).
    """
    if letters is None:
        _prepare(text)
        letters = text.translate(_letters)
    return _first_strong(letters)


def _first_strong(letters: str) -> int | None:
    depth = 0
    for match in _STRONG_RE.finditer(letters):
        letter = match.group()
        if letter == "I":
            depth += 1
        elif letter == "P":
            depth = max(depth - 1, 0)
        elif depth == 0:
            return 0 if letter == "a" else 1
    return None


def _dump_levels(text: str, para_level: int) -> list[int]:
    encoded = text.encode("utf-8")
    dump = _get_display(text, base_dir="R" if para_level else "L", debug=True)
    try:
        return list(
            map(_LEVEL_TOKENS.__getitem__, _per_char(dump, _LEVELS_START, _LEVELS_END, encoded))
        )
    except KeyError as error:  # pragma: no cover - only if the dump format changes
        raise RuntimeError("python-bidi debug output has an unexpected level") from error


def resolve_levels(
    text: str,
    base: int | None = None,
    fallback: int = 0,
    *,
    collapse: bool = True,
    learned: bool = False,
) -> tuple[int, list[int]]:
    """Resolve one paragraph: ``(paragraph_level, [level of each character])``, before L1.

    ``base`` 0/1 forces the paragraph direction; ``None`` uses the first strong character and
    ``fallback`` when there is none. ``text`` should hold no paragraph separator (newline,
    U+2029, ...); one that does is treated as a segment separator. ``collapse=False`` hands
    python-bidi one character per character (slower; the tests compare both). ``learned=True``
    skips the check for new characters (the caller passed them all to :func:`learn`).
    """
    if not collapse:
        if not learned:
            _prepare(text)
        letters = text.translate(_letters)
        level = base if base is not None else _first_strong(letters)
        para_level = fallback if level is None else level
        stand_in = _stand_in(text, letters, list(letters))
        return para_level, (_dump_levels(stand_in, para_level) if text else [])
    para_level, ends, values = resolve_runs(text, base, fallback, learned=learned)
    lengths = map(sub, ends, [0, *ends])
    return para_level, list(chain.from_iterable(map(repeat, values, lengths)))


def resolve_runs(
    text: str,
    base: int | None = None,
    fallback: int = 0,
    *,
    learned: bool = False,
    letters: str | None = None,
) -> tuple[int, list[int], list[int]]:
    """Like :func:`resolve_levels`, as runs: ``(paragraph_level, ends, levels)``.

    Run ``i`` covers the characters ``ends[i - 1]..ends[i]`` (from 0) at level ``levels[i]``;
    neighbouring runs have different levels. ``letters`` may give the class letters of
    ``text`` (:func:`class_letter` of each character) when the caller has them.
    """
    if not text:
        return (fallback if base is None else base), [], []
    if letters is None:
        if not learned:
            _prepare(text)
        letters = text.translate(_letters)
    level = base if base is not None else _first_strong(letters)
    para_level = fallback if level is None else level
    runs = _RUN_RE.findall(letters)
    levels = _dump_levels(_stand_in(text, "".join([run[0] for run in runs]), runs), para_level)
    cuts = level_cuts(levels)
    run_ends = list(accumulate(map(len, runs)))
    ends = [run_ends[i - 1] for i in cuts]
    ends.append(len(text))
    return para_level, ends, [levels[0], *map(levels.__getitem__, cuts)]


def _stand_in(text: str, collapsed: str, runs: list[str]) -> str:
    """What python-bidi is given: one stand-in character per run, or the real character."""
    real = [match.start() for match in _REAL.finditer(collapsed)]
    if not real:
        return collapsed.translate(_STAND_IN)
    chars = list(collapsed.translate(_STAND_IN))
    starts = [0, *accumulate(map(len, runs))]
    for index in real:
        chars[index] = text[starts[index]]
    return "".join(chars)


class RunLevels(Sequence[int]):
    """Levels kept as runs: unit ``i`` has ``values[bisect_right(cuts, i)]``."""

    __slots__ = ("cuts", "size", "values")

    def __init__(self, cuts: list[int], values: list[int], size: int) -> None:
        self.cuts = cuts
        self.values = values
        self.size = size

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.size))]
        if not -self.size <= index < self.size:
            raise IndexError(index)
        return self.values[bisect_right(self.cuts, index % self.size)]


def level_cuts(levels: Sequence[int]) -> list[int]:
    """The indices where the level changes: pass them to :func:`reorder_line` for speed."""
    return list(compress(range(1, len(levels)), map(ne, levels, islice(levels, 1, None))))


def reorder_line(
    levels: Sequence[int],
    kinds: str,
    para_level: int,
    start: int = 0,
    end: int | None = None,
    cuts: Sequence[int] | None = None,
) -> list[int]:
    """Rules L1 and L2 for the units ``start..end`` of a line: their visual order.

    ``levels`` are resolved levels (before L1) and ``kinds`` has one character per unit:
    's' a segment/paragraph separator (reset to the paragraph level, as is the whitespace
    before it), 'w' whitespace or an isolate control (reset when trailing the line or
    preceding an 's'), anything else a plain unit. Returns indices (into ``levels``) from left
    to right. Units removed by X9 should be left out by the caller or marked 'w'. ``cuts``
    (from :func:`level_cuts` on the same ``levels``) only saves time.
    """
    end = len(levels) if end is None else end
    if end <= start:
        return []
    part = kinds[start:end]
    runs: list[tuple[int, int, int]]
    if cuts is None or "s" in part:
        line = list(levels[start:end])
        if "s" in part:
            trailing = True
            for i in range(len(line) - 1, -1, -1):
                kind = part[i]
                if kind == "s" or (kind == "w" and trailing):
                    line[i] = para_level
                    trailing = True
                else:
                    trailing = False
        else:
            kept = len(part.rstrip("w"))
            line[kept:] = [para_level] * (len(line) - kept)
        bounds = [start, *(start + cut for cut in level_cuts(line)), end]
        runs = [(a, b, line[a - start]) for a, b in pairwise(bounds)]
    else:
        trail = start + len(part.rstrip("w"))
        bounds = [start, *cuts[bisect_right(cuts, start) : bisect_left(cuts, trail)], trail]
        runs = [(a, b, levels[a]) for a, b in pairwise(bounds) if a < b]
        if trail < end:
            runs.append((trail, end, para_level))
    return _order(runs)


def _order(runs: list[tuple[int, int, int]]) -> list[int]:
    """Rule L2 on runs of one level each: the visual order of their units."""
    if len(runs) == 1:
        a, b, level = runs[0]
        return list(range(b - 1, a - 1, -1) if level & 1 else range(a, b))
    levels = [run[2] for run in runs]
    lowest = min(levels)
    highest = max(levels)
    if highest - lowest <= 1:  # the usual case: the run order is reversed once or not at all
        order = list(range(len(runs)))[:: -1 if lowest & 1 else 1]
    else:
        order = _reverse_runs(levels, highest, lowest | 1)
    result: list[int] = []
    for index in order:
        a, b, level = runs[index]
        result.extend(range(b - 1, a - 1, -1) if level & 1 else range(a, b))
    return result


def _reverse_runs(levels: list[int], highest: int, lowest_odd: int) -> list[int]:
    """The order of runs after L2 (the insides of runs are reversed by the caller)."""
    order = list(range(len(levels)))
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return order
