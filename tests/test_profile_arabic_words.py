"""The Arabic number-word patterns are tried only where a token that may start them stands,
not searched for over the whole text, with the same figures (issue 13)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest

from reader.core.events import numbers as numbers_module
from reader.core.events.numbers import Shadow, numbers
from reader.core.events.patterns import at_arabic_tokens, at_word_starts

_PIECES = [
    *("خمسة", "خمس", "مئه", "خمسمئه", "خمس مئه", "عشر", "عشره", "ثلاثه عشر", "وخمسون", "بخمسة"),
    *("عشرات", "العشرات", "والعشرات", "الاف", "والآلاف", "مئات", "نصف", "مليون", "ونصف", "مليارا"),
    *("قتيلين", "والقتيلين", "بالجريحين", "اثنان", "يومين", "شخصان", "و", "ب", "ال", "الجيش"),
    *("\u064e", "\u0651", "ـ", "x", "5", "٣", "_", "ݐ", "Tripoli", "five", "،", ".", "-", "\u200f"),
]


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        words = [rng.choice(_PIECES) for _ in range(rng.randint(0, 25))]
        found.append("".join(w + rng.choice(("", " ", " ", "  ", ", ", "\n")) for w in words))
    return found


def test_arabic_number_words_tried_at_their_tokens_give_the_figures_of_a_search() -> None:
    found = 0
    for text in _texts(21, 4000):
        shadow = Shadow(text).text
        figures = numbers(shadow)
        assert figures == numbers(shadow, every_pattern=True), repr(text)
        found += len(figures)
    assert found > 10000


def test_a_pattern_tried_at_tokens_finds_what_finditer_finds() -> None:
    pattern = re.compile(r"(?<![\w])[وب]?(خمسة|خمس(?: مئه)?|عشر)(?![\w])")
    tokens = {"خمسة", "خمس", "عشر", "وخمسة", "بخمس", "وعشر", "بعشر", "وخمس", "بخمسة"}
    for text in _texts(22, 3000):
        spans = [(*m.span(1), m.end()) for m in pattern.finditer(text)]
        assert [(*m.span(1), m.end()) for m in at_arabic_tokens(pattern, text, tokens)] == spans


def test_the_arabic_number_patterns_are_not_searched_over_the_whole_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    searched: list[str] = []
    search = at_word_starts

    def counted(
        at_start: re.Pattern[str], after: re.Pattern[str], text: str
    ) -> Iterator[re.Match[str]]:
        searched.append(at_start.pattern)
        return search(at_start, after, text)

    monkeypatch.setattr(numbers_module, "at_word_starts", counted)
    shadow = Shadow("قتل خمسة وعشرون شخصا ونصف مليون دولار وقتيلين في الجيش").text
    assert [n.value for n in numbers(shadow)] == [25.0, 500000.0, 2.0]
    arabic = {p.pattern for p in (numbers_module._AR_NUM, numbers_module._AR_BIG)}
    arabic.add(numbers_module._DUAL.pattern)
    assert not arabic & set(searched)  # the English one still is
    numbers(shadow, every_pattern=True)
    assert arabic <= set(searched)
