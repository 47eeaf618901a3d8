"""Every case of Unicode's BidiCharacterTest.txt through the engine's own reordering path.

Levels come from :func:`reader.core.text.bidi.resolve_runs` (python-bidi's debug dump, collapsed
input), the visual order from :func:`reader.core.text.bidi.reorder_line` with the level cuts the
layout uses: rules L1 and L2 on one line, no wrapping. This guards the parsing of
python-bidi's debug output, which is not a stable interface.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from bidi import get_display
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.text.bidi import is_removed, level_cuts, line_kinds, reorder_line, resolve_levels

DATA = Path(__file__).parent / "data" / "BidiCharacterTest.txt.gz"
CASES = 91_707


Case = tuple[str, int | None, int, list[int], list[int]]


def cases() -> Iterator[Case]:
    """(text, direction or None for auto, paragraph level, removed indices, visual order)."""
    return iter(_cases())


@cache
def _cases() -> tuple[Case, ...]:
    return tuple(_read())


def _read() -> Iterator[Case]:
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            points, direction, level, levels, order = line.rstrip("\n").split(";")
            text = "".join(chr(int(point, 16)) for point in points.split())
            removed = [i for i, value in enumerate(levels.split()) if value == "x"]
            base = None if direction == "2" else int(direction)
            yield text, base, int(level), removed, [int(i) for i in order.split()]


def visual_order(text: str, base: int | None, *, collapse: bool = True) -> tuple[int, list[int]]:
    """The engine's paragraph level and visual order, characters removed by X9 left out."""
    para_level, levels = resolve_levels(text, base, 0, collapse=collapse)
    kept = [i for i, char in enumerate(text) if not is_removed(char)]
    kinds = line_kinds(text)
    line_levels = [levels[i] for i in kept]
    line_kinds_ = "".join(kinds[i] for i in kept)
    order = reorder_line(line_levels, line_kinds_, para_level, cuts=level_cuts(line_levels))
    return para_level, [kept[i] for i in order]


def test_every_case_of_bidi_character_test() -> None:
    ran = 0
    failures: list[str] = []
    for text, base, level, removed, expected in cases():
        ran += 1
        para_level, order = visual_order(text, base)
        actual_removed = [i for i, char in enumerate(text) if is_removed(char)]
        if (para_level, order, actual_removed) != (level, expected, removed):
            failures.append(f"{[hex(ord(c)) for c in text]} base={base}: {order} != {expected}")
    print(f"ran {ran} cases, {len(failures)} failed")
    assert ran == CASES
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("part", range(4))
def test_collapsed_input_gives_the_same_levels_as_the_raw_text(part: int) -> None:
    """The speed-up (collapsing runs before python-bidi) never changes a level (a sample)."""
    checked = 0
    for number, (text, base, _, _, _) in enumerate(cases()):
        if number % 40 != part:
            continue
        kept = [i for i, char in enumerate(text) if not is_removed(char)]
        fast = resolve_levels(text, base, 0)
        slow = resolve_levels(text, base, 0, collapse=False)
        assert fast[0] == slow[0]
        assert [fast[1][i] for i in kept] == [slow[1][i] for i in kept], text
        checked += 1
    assert checked > 2000


def test_without_level_cuts_the_order_is_the_same() -> None:
    """reorder_line's general path (no precomputed cuts) agrees with the fast one (a sample)."""
    for number, (text, base, _, _, expected) in enumerate(cases()):
        if number % 10:
            continue
        para_level, levels = resolve_levels(text, base, 0)
        kept = [i for i, char in enumerate(text) if not is_removed(char)]
        kinds = line_kinds(text)
        order = reorder_line([levels[i] for i in kept], "".join(kinds[i] for i in kept), para_level)
        assert [kept[i] for i in order] == expected


# Every bidi class, brackets, explicit embeddings and isolates, marks, a tab, BN characters.
ALPHABET = (
    "aZ \u05d0\u05d1\u0627\u0628 0189\u0660\u0661\u06f1 +-$%#,.:/\u00a0!?\"'()[]{}<>«»"
    "\u0300\u064e\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    "\t\u200b\u00ad"
)
FUZZ = settings(max_examples=int(os.environ.get("READER_FUZZ_EXAMPLES", "300")), deadline=None)


@FUZZ
@given(text=st.text(ALPHABET, max_size=60), base=st.sampled_from([None, 0, 1]))
def test_fuzz_collapsed_levels_equal_raw_levels(text: str, base: int | None) -> None:
    kept = [i for i, char in enumerate(text) if not is_removed(char)]
    fast = resolve_levels(text, base)
    slow = resolve_levels(text, base, collapse=False)
    assert fast[0] == slow[0]
    assert [fast[1][i] for i in kept] == [slow[1][i] for i in kept]


@FUZZ
@given(
    text=st.text(
        ALPHABET.translate(
            dict.fromkeys(map(ord, "\t\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
        ),
        max_size=60,
    ),
    base=st.sampled_from([None, 0, 1]),
)
def test_fuzz_line_order_matches_python_bidi_get_display(text: str, base: int | None) -> None:
    """python-bidi's own reordering agrees, on text without tabs or explicit controls.

    (With those, get_display departs from rule L1; GNU FriBidi agrees with this engine.)
    """
    _, order = visual_order(text, base)
    expected = get_display(text, base_dir=None if base is None else "LR"[base])
    assert "".join(text[i] for i in order) == "".join(c for c in expected if not is_removed(c))
