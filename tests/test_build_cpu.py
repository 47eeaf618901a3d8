"""The work a full build does per word (issue 19), counted; the fast paths give exactly what
the plain ones give.

- Positions of a text field (``index_pool._index``): a term found once in a field (most of
  them) takes its encoded value from what was encoded for that position before, rather than
  pickling it again; the values are those of Whoosh's own :class:`~whoosh.formats.Positions`.
"""

from __future__ import annotations

import pickle
import random
from typing import Any

import pytest

from reader.core.search import index_pool
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
