"""Searches over an ASCII text done without the Unicode tables give what the plain ones give
(issue 13: profiling reads most English leads in ASCII).

- ``patterns.ascii_twin``: the whole-text searches of facts (number words, months, digits,
  the quick test for a time) compiled with ``re.ASCII``, used on a text ``plain_ascii``
  accepts, find the same matches; U+001C..U+001F, which ``\\s`` matches only without
  ``re.ASCII``, send a text to the plain pattern.
- ``patterns.words_of`` on an ASCII window (every byte that is not a letter made a space,
  then split) gives the runs of letters the regular expression gives.
"""

from __future__ import annotations

import random
import re

import pytest

from reader.core.events import dates, facts, numbers
from reader.core.events.patterns import ascii_twin, plain_ascii, words_of

_PIECES = (
    *("one", "twenty-five", "a hundred and twelve", "dozens", "May", "may", "june", "Sept."),
    *("12", "1,500", "3.5", "2020-05-18", "10:30", "3 p.m.", "5am", "F-16", "_", "x9"),
    *(" ", " ", "  ", "\n", "\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", ",", "."),
    *("/", "-", "'", "O'Neil's", "km", "am", "pm", "a.m", "of", "2019", "18th", "to"),
)
_TWINS = {
    "number words": numbers._EN_NUM_AFTER,
    "digits": numbers._DIGITS,
    "months": dates._MONTH_AFTER,
    "maybe a time": facts._MAYBE_TIME,
}


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 25))) for _ in range(n)]


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[object, ...]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("name", sorted(_TWINS))
def test_an_ascii_twin_finds_what_the_pattern_finds_on_a_plain_ascii_text(name: str) -> None:
    pattern = _TWINS[name]
    twin = ascii_twin(pattern)
    checked = found = 0
    for text in _texts(len(name), 4000):
        text = text.lower()  # the shadows facts searches are lower case
        if plain_ascii(text):
            assert _found(twin, text) == _found(pattern, text), text
            checked += 1
            found += len(_found(pattern, text))
    assert checked > 1000 and found > 100


def test_a_unicode_only_space_sends_a_text_to_the_plain_pattern() -> None:
    # \s matches U+001C without re.ASCII only: "5\x1cam" reads as a time, and must go on so.
    assert facts._MAYBE_TIME.search("5\x1cam")
    assert not ascii_twin(facts._MAYBE_TIME).search("5\x1cam")
    assert not plain_ascii("5\x1cam") and not plain_ascii("é") and plain_ascii("5 am")


def test_words_of_an_ascii_text_are_the_runs_of_letters() -> None:
    rng = random.Random(4)
    alphabet = "abcXYZ019_'’-., \t\n\x1c\x00\x7fé"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert words_of(text) == re.findall(r"[^\W\d_]+", text), text
