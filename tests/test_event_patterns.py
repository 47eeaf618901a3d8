"""The fast-search forms of the date and figure patterns (issue 13: the CPU of events at build
time) find exactly what their plain forms (a look-behind first, alternatives longest first)
found: same spans, same groups, on generated text that puts words, digits, separators and
Arabic prefixes side by side."""

from __future__ import annotations

import random
import re

import pytest

from reader.core.events import dates, numbers
from reader.core.events.patterns import words_at_word_start, words_longest_first

_WORD_START = r"(?<![\w])"

# The patterns as they were written before they were made to start with a literal.
_PLAIN_MONTH = "|".join(sorted(dates._MONTHS, key=len, reverse=True))
_PLAIN = {
    "month": re.compile(
        _WORD_START + rf"((?:{_PLAIN_MONTH}))(?:\s*/\s*(?:{_PLAIN_MONTH}))?" + r"(?![\w])"
    ),
    "iso": re.compile(r"(?=[12])(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)"),
    "digits": re.compile(
        r"(?=\d)(?:(?<![\w.,/])|(?<=[وفبل])(?<![\w][وفبل]))(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
    ),
    "en_num": re.compile(
        r"(?=[adefhnostz])"
        + _WORD_START
        + rf"((?:a|{numbers._alt(numbers._EN_UNITS[1:10])})\s+hundred"
        + rf"(?:\s+(?:and\s+)?(?:{numbers._EN_SMALL}){numbers._E})?"
        + rf"|{numbers._EN_SMALL}|a dozen|a hundred|a thousand|dozens|scores|hundreds|thousands)"
        + numbers._E
    ),
}
_FAST = {
    "month": dates._MONTH_WORD,
    "iso": dates._ISO_DATE,
    "digits": numbers._DIGITS,
    "en_num": numbers._EN_NUM,
}


def _found(pattern: re.Pattern[str], texts: list[str]) -> list[list[tuple[object, ...]]]:
    return [[(m.span(), m.groups()) for m in pattern.finditer(t)] for t in texts]


def _texts(pieces: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(count)]


_PIECES = [
    *"0123456789١٢,./-–_ \n\tx",
    *("و", "ب", "ل", "ف", "ال", "ً", "19", "20", "2020-05-18", "1,500", "3.5", "of", "May"),
    *sorted(dates._MONTHS),
    *(" a", " and", "-", " hundred", " dozen", " thousand", "seventy", "twenty-", "dozens"),
    *(" a hundred and ", "nine", "nineteen", "scores", "thousands", "one", "a  hundred"),
]


@pytest.mark.parametrize("name", sorted(_PLAIN))
def test_fast_patterns_find_what_the_plain_ones_found(name: str) -> None:
    texts = _texts(_PIECES, 6000, 13)
    found = _found(_PLAIN[name], texts)
    assert sum(map(len, found)) > 300
    assert _found(_FAST[name], texts) == found


def test_words_at_a_word_start_match_as_longest_first_alternatives() -> None:
    rng = random.Random(2)
    for _ in range(200):
        words = {"".join(rng.choice("abو ") for _ in range(rng.randint(1, 4))) for _ in range(6)}
        plain = "|".join(sorted(words, key=len, reverse=True))
        before = re.compile(rf"{_WORD_START}({plain})(b|\s|$)")
        after = re.compile(rf"({words_at_word_start(words)})(b|\s|$)")
        longest = re.compile(rf"({words_longest_first(words)})(b|\s|$)")
        texts = _texts([*"abو .", *words], 30, rng.randint(0, 10**6))
        assert _found(after, texts) == _found(before, texts)
        assert _found(longest, texts) == _found(re.compile(rf"({plain})(b|\s|$)"), texts)
    with pytest.raises(ValueError):
        words_at_word_start(["a", ""])
