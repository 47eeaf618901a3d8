"""The word shaper gives exactly what arabic-reshaper (as reader configures it) gives."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from reader.core.text import shaping
from reader.core.text.shaping import RESHAPER, reshape_word

LETTERS = sorted(RESHAPER.letters)  # every letter the reshaper shapes (Arabic, Persian, ...)
OTHERS = ["a", "Z", "1", "٣", "-", ".", "،", "«", "\u0640", "\u200d", "\u064e", "\u0651", "\u200c"]
LAM_ALEFS = [
    "\u0644\u0627",
    "\u0644\u0623",
    "\u0644\u0625",
    "\u0644\u0622",
    "\u0627\u0644\u0644\u0647",
]


def _outcome(shape: Callable[[str], str], word: str) -> str:
    """What ``shape`` gives for ``word``, or the name of the exception it raises (the
    reshaper's own loop fails on some words with harakat; reader strips them first)."""
    try:
        return shape(word)
    except Exception as exc:  # the same failure counts as the same outcome
        return type(exc).__name__


def test_every_pair_and_triple_of_letters_shapes_as_the_reshaper_shapes_it() -> None:
    words = [a + b for a in LETTERS for b in LETTERS]
    words += [a + b + c for a in LETTERS[::4] for b in LETTERS for c in LETTERS[::7]]
    mismatched = [w for w in words if reshape_word(w) != RESHAPER.reshape(w)]
    assert len(words) > 10_000
    assert mismatched == []


def test_random_words_with_ligatures_marks_joiners_and_other_characters() -> None:
    rng = random.Random(19)
    alphabet = LETTERS * 3 + OTHERS + LAM_ALEFS * 4
    words = ["".join(rng.choices(alphabet, k=rng.randint(1, 12))) for _ in range(10_000)]
    words += ["", "لا", "الله", "للا", "ـلاـ", "ﻻ"]
    mismatched = [w for w in words if _outcome(reshape_word, w) != _outcome(RESHAPER.reshape, w)]
    assert mismatched == []


def test_new_words_are_shaped_one_at_a_time_without_the_reshaper(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = 0
    original = RESHAPER.reshape

    def counting(text: str) -> str:
        nonlocal calls
        calls += 1
        return str(original(text))

    shaping.clear_caches()
    monkeypatch.setattr(RESHAPER, "reshape", counting)
    try:
        shaping.prepare_paragraphs(["قال الوزير إن المحادثات ستستأنف في عمان"], "app", False, 1)
    finally:
        shaping.clear_caches()
    assert calls == 0  # no haraka, no joiner: the reshaper's own loop never runs
