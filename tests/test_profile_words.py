"""Per-word memories of profiling give what the functions they remember give (issue 13)."""

from __future__ import annotations

import random

from reader.core.text import tokens
from reader.core.text.arabic import fold_name


def test_a_folded_word_is_its_name_fold_and_the_memory_is_bounded() -> None:
    rng = random.Random(9)
    letters = "اأإآءؤئىةوي" + "بتثجحخدذرزسشصضطظعغفقكلمنهـ"
    letters += "\u064b\u064e\u0650\u0651\u0652\u0670" + "ab"
    tokens._folded.clear()
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(3000)]
    for word in words + words:  # the second time from the memory
        assert tokens.folded_word(word) == fold_name(word)
    assert 0 < len(tokens._folded) <= tokens._FOLDED_KEPT
