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


def test_many_words_shaped_at_once_shape_as_each_alone() -> None:
    # One call for all the words: a letter never joins across the space between two words.
    rng = random.Random(23)
    alphabet = LETTERS * 3 + OTHERS + LAM_ALEFS * 4
    words = ["".join(rng.choices(alphabet, k=rng.randint(0, 9))) for _ in range(5_000)]
    words = [w.replace(" ", "") for w in words]
    expected = [_outcome(RESHAPER.reshape, w) for w in words]
    easy = [i for i, e in enumerate(expected) if e not in ("ValueError", "IndexError")]
    got = shaping.reshape_words([words[i] for i in easy])
    assert got == [expected[i] for i in easy]
    assert len(easy) > 4_000


def test_the_joining_rule_holds_for_every_letter_the_reshaper_knows() -> None:
    # reshape_words joins two letters when the first has a medial form and the second a final
    # or medial one: true only while no letter joins the one after without joining both ways.
    from arabic_reshaper.letters import FINAL, INITIAL, MEDIAL

    joins_after = {c for c, f in RESHAPER.letters.items() if f[INITIAL] or f[MEDIAL]}
    joins_both = {c for c, f in RESHAPER.letters.items() if f[MEDIAL]}
    assert joins_after == joins_both
    assert all(f[FINAL] and f[INITIAL] for c, f in RESHAPER.letters.items() if c in joins_both)


def test_new_words_with_and_without_marks_are_remembered_as_the_reshaper_shapes_them() -> None:
    plain = "قال الوزير إن المحادثات لا تزال"
    marked = "قَالَ الوزيرُ إنّ لأنّ"
    shaping.clear_caches()
    try:
        shaping.prepare_paragraphs([plain, marked + "\u200dب"], "app", False, 1)
        for word in (plain + " " + marked + "\u200dب").split(" "):
            stripped = "".join(c for c in word if c != "\u200d" and not "\u064b" <= c <= "\u0652")
            assert shaping._SHAPED[word] == RESHAPER.reshape(stripped), word
    finally:
        shaping.clear_caches()
