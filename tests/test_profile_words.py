"""Per-word memories of profiling give what the functions they remember give (issue 13)."""

from __future__ import annotations

import random

from reader.core.names import content_terms
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


def test_an_ascii_text_is_split_as_the_regular_expression_splits_it() -> None:
    rng = random.Random(11)
    alphabet = "abXY'''  -,.\t\n\x0b\x1c\x00\x7f019_"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(30000)]
    texts += ["", "'", "a'", "'a", "a'b", "a''b", "o'neil's x", "\x01a b", "a\x02b"]
    for text in texts:
        tokens._recent.clear()
        assert tokens.token_parts(text) == tokens._SPLIT.split(text), repr(text)


def test_the_english_words_of_an_ascii_text_are_those_the_regular_expression_finds() -> None:
    rng = random.Random(12)
    pieces = ("ali", "o", "neil", "s", "x", "'", "'", " ", ", ", "-", "Tripoli", "a", "b", "9")
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        joined = " ".join(tokens.token_parts(text)[1::2]).lower()
        assert content_terms._apostrophe_words(joined) == content_terms._EN_WORD.findall(joined)
