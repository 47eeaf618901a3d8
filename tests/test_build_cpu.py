"""The work a full build does per word (issue 19), counted; the fast paths give exactly what
the plain ones give.

- Positions of a text field (``index_pool._index``): a term found once in a field (most of
  them) takes its encoded value from what was encoded for that position before, rather than
  pickling it again; the values are those of Whoosh's own :class:`~whoosh.formats.Positions`.
- Patterns run over every text (the vocabulary's capitalised words inside sentences, the
  capitalised words that may be names): each starts with the capital it looks for, so the
  regex engine skips in C to the capitals rather than trying look-behinds at every character;
  they find exactly what the look-behind-first patterns they replace found.
"""

from __future__ import annotations

import pickle
import random
import re
from typing import Any

import pytest

from reader.core.names import transliterate, unknown
from reader.core.search import index_pool, vocabulary
from reader.core.search.index_build import make_schema

_WORDS = [
    "minister",
    "talks",
    "resume",
    "aides",
    "Amman",
    "Tripoli",
    "ceasefire",
    "Sirte",
    "forces",
    "said",
    "the",
    "of",
    "and",
    "a",
    "to",
    "قال",
    "الوزير",
    "المحادثات",
    "عمان",
    "ستستأنف",
    "وزارة",
    "الخارجية",
    "في",
    "من",
    "2024",
    "٢٠٢٤",
    "1,200",
    "running",
    "runs",
    "ran",
]


def _texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 300)))
        + rng.choice(["", ".", " عمّان", " Word WORD wörd ﻋﻤﺎﻥ"])
        for _ in range(count)
    ]


def test_positions_are_whooshs_own_encoding() -> None:
    body = make_schema()["body"]
    for text in _texts(60):
        expected = sorted(body.index(text))
        assert sorted(index_pool._index(body, text)) == expected


def test_a_term_found_once_is_not_encoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: one pickling per term of each document; now only for terms found more than
    once, and for positions not met before."""
    body = make_schema()["body"]
    calls = 0
    dumps = pickle.dumps

    def counted(value: Any, protocol: int) -> bytes:
        nonlocal calls
        calls += 1
        return dumps(value, protocol)

    monkeypatch.setattr(index_pool, "dumps", counted)
    monkeypatch.setattr(index_pool, "_SINGLE", {}, raising=False)
    words = [f"word{n}" for n in range(200)]
    text = " ".join(words)  # 200 terms, each once
    first = list(index_pool._index(body, text))
    assert calls == 200  # each position met for the first time
    calls = 0
    again = list(index_pool._index(body, " ".join(reversed(words))))
    assert calls == 0
    assert len(again) == len(first) == 200
    calls = 0
    index_pool._index(body, "alpha beta alpha gamma")  # alpha twice: its gaps are encoded
    assert calls == 1


# The patterns as they were: a look-behind first, tried at every character.
_MID_CAPITAL_BEFORE = re.compile(
    r"(?:(?<=[a-z0-9,;)\u00df-\u00ff] )|(?<=-)|(?<=[a-z]['’]))[A-Z\u00c0-\u00de][^\W_]*"
)
_LATIN, _UPPER = unknown._LATIN, unknown._UPPER
_CAPITALISED_BEFORE = re.compile(rf"(?<![{_LATIN}'’])[{_UPPER}][{_LATIN}]*(?:['’][{_LATIN}]+)*")
_PIECES = [
    *("Sirte", "al-Watiya", "d'Ouargla", "McDonald", "ÉLYSÉE", "Élysée", "Ñandú", "GNA", "x"),
    *(" ", "  ", "-", "'", "’", ",", ";", ")", "(", ".", "\n", "ß", "é", "9", "_", "ab", "cd"),
    *("قال", "حفتر", "A", "Z", "À", "Þ", "×", "Ø", "ö"),
]


def _random_texts(count: int) -> list[str]:
    rng = random.Random(19)
    texts = ["", "A", "a A", "-A", "xA", "9 A", "ß Ä", "a'B", "a’B", "\nA", "a\nA"]
    for _ in range(count):
        texts.append("".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40))))
    return texts


def test_the_capitals_patterns_find_what_the_look_behind_first_ones_found() -> None:
    for text in _random_texts(3000):
        assert vocabulary._MID_CAPITAL.findall(text) == _MID_CAPITAL_BEFORE.findall(text)
        ours = [(m.span(), m.group()) for m in unknown._EN_CAPITALISED.finditer(text)]
        theirs = [(m.span(), m.group()) for m in _CAPITALISED_BEFORE.finditer(text)]
        assert ours == theirs


@pytest.mark.parametrize(
    "pattern", [vocabulary._MID_CAPITAL, unknown._EN_CAPITALISED], ids=["vocabulary", "names"]
)
def test_the_capitals_patterns_start_with_the_capital(pattern: re.Pattern[str]) -> None:
    """What lets the engine skip to the capitals: the pattern's first element is the set of
    capitals, not a look-behind (before, both started with one)."""
    assert pattern.pattern.startswith("[A-Z")


def test_a_reading_costs_each_latin_character_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cost of leaving a Latin character unread is worked out once per character of the
    Latin name (before: once per cell of the table, (Arabic letters + 1) x Latin letters), with
    the same readings as before."""
    calls = 0
    plain = transliterate._skip_latin_cost

    def counted(latin: str, j: int) -> float:
        nonlocal calls
        calls += 1
        return plain(latin, j)

    monkeypatch.setattr(transliterate, "_skip_latin_cost", counted)
    distance = transliterate._distance.__wrapped__
    assert distance("مصراته", "misratah") == 0.0
    assert calls == len("misratah")
    assert distance("حسن", "hussein") > 0
    assert transliterate.names_match("القذافي", "Gaddafi")
    assert not transliterate.names_match("سالم", "Salma")
