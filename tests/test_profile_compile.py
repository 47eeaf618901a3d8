"""What a worker process compiles before it profiles its first article (issue 13).

Each worker compiles the lexicon's patterns anew (a compiled pattern cannot be sent to it),
so their size is work done twice per build: the patterns facts are read by are written so
that an Arabic word appears twice (after its prefixes, and alone) instead of once per prefix,
and the patterns of a figure's scope in a claim (:mod:`reader.core.events.claim_words`) are
compiled only by what reads claims. The matches are the plain patterns' (see
tests/test_event_patterns.py).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import date

from reader.core.events import claim_words, lexicon
from reader.core.events.features import profile
from reader.core.names.gazetteer import gazetteer_for
from reader.core.sources.article import Article


def _patterns(words: lexicon.Compiled) -> Iterator[re.Pattern[str]]:
    for field in dataclasses.fields(words):
        value = getattr(words, field.name)
        if isinstance(value, re.Pattern):
            yield value
        elif field.name == "role_before":
            yield from (pattern for _role, pattern in value)


def test_the_patterns_facts_are_read_by_are_half_what_they_were() -> None:
    # Before: 101,336 characters of patterns (each Arabic word once per prefix, and the
    # claims' patterns with them), compiled in about 0.1 s per worker; now 50,818.
    words = lexicon.compiled.__wrapped__(lexicon.default_lexicon())
    assert sum(len(p.pattern) for p in _patterns(words)) < 60_000


def test_profiling_compiles_no_pattern_of_a_claims_scope() -> None:
    claim_words.claim_words.cache_clear()
    article = Article(
        "a",
        "Strike",
        "At least 12 people, including four children, were killed since October. "
        "قتل 12 شخصا بينهم أربعة أطفال منذ بدء الحرب.",
        "en",
        published=date(2020, 5, 18),
    )
    assert profile(article, gazetteer_for(None)).facts
    assert claim_words.claim_words.cache_info().currsize == 0
