"""The fast path of entity matching gives exactly what the plain one gives.

- Entity words (``entity_words._words``): the text is split by the regex engine and each spelling
  is looked at once; checked against the plain token-by-token loop it replaced, on random text
  mixing names, Arabic prefixes, Latin articles, apostrophes, accents, digits and punctuation.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from reader.core.names import entity_words
from reader.core.names.entities import EntityMention, Gazetteer, find_entities, in_context
from reader.core.names.entity_words import (
    _ARABIC_WORD,
    _ARTICLES,
    _ASSIMILATED,
    _DEAD,
    _lexeme,
    _Word,
    _words,
)
from reader.core.names.gazetteer import gazetteer_for
from reader.core.text.tokens import WORD as _TOKEN


def plain_words(text: str, live: frozenset[str] | None) -> list[_Word | None]:
    """The word loop as it was before the fast path: one token at a time, None for each word
    no alias uses."""
    words: list[_Word | None] = []
    pending: int | None = None
    for match in _TOKEN.finditer(text):
        kind, bare, norm, forms, _opens = _lexeme(match.group(), live)
        start, end = match.span()
        if kind == _DEAD:
            words.append(None)
            pending = None
            continue
        if kind == _ARABIC_WORD:
            words.append(_Word(start, end, bare, forms, start))
            pending = None
            continue
        after = text[end : end + 1]
        if (norm in _ARTICLES and after in ("-", " ", "‐")) or (
            norm in _ASSIMILATED and after in ("-", "‐")
        ):
            pending = start
            continue
        article_start = pending if pending is not None else start
        words.append(_Word(start, start + len(bare), bare, forms, article_start))
        pending = None
    return words


def runs(words: list[_Word | None]) -> list[_Word | None]:
    """``words`` with each run of Nones as one None (a break is a break, however long)."""
    out: list[_Word | None] = []
    for word in words:
        if word is None and out and out[-1] is None:
            continue
        out.append(word)
    return out


_PIECES_TEXT = (
    "Haftar al-Mismari Al-Mismari el Sisi Alsisi as-Sarraj ad Dbeibah Sirte Syrte Tripoli's "
    "O'Brien Misrata’s Tarhūna GNA gna the of in to a an at as al el ash-Sharif Government "
    "National Accord House Representatives Libya Libyan حفتر والمسماري بالمسماري للجيش الليبي "
    "فالسراج وبالقاعدة الوطية سرت في من إلى عقيلة صالح ١٥ 12 km كلم , . - ‐ – ; ( ) \n é ’ '"
)
PIECES = _PIECES_TEXT.split(" ")


def random_text(rng: random.Random) -> str:
    joins = (" ", " ", " ", "-", "", ", ", "\n", "  ", "’s ")
    return "".join(rng.choice(PIECES) + rng.choice(joins) for _ in range(rng.randint(0, 40)))


@pytest.mark.parametrize("seed", range(4))
def test_the_fast_word_split_matches_the_plain_loop(seed: int) -> None:
    gazetteer = gazetteer_for(None)
    rng = random.Random(seed)
    memory: dict[str, Any] = {}
    for _ in range(500):
        text = random_text(rng)
        for live in (gazetteer.live_words, None):
            fast = _words(text, live, memory if live is not None else None)
            assert runs(fast) == runs(plain_words(text, live)), text


def test_entities_found_through_the_fast_path_are_the_plain_ones() -> None:
    gazetteer = gazetteer_for(None)
    rng = random.Random(7)
    found = 0
    for _ in range(300):
        text = random_text(rng)
        mentions = find_entities(text, gazetteer)
        found += len(mentions)
        for mention in mentions:
            assert text[mention.start : mention.end] == mention.surface
        # The same text again (spellings remembered now) and with a fresh memory.
        assert find_entities(text, gazetteer) == mentions
        gazetteer._lexemes.clear()
        assert find_entities(text, gazetteer) == mentions
    assert found > 300  # the random text does name people and places


def plain_entities(text: str, gazetteer: Gazetteer) -> list[EntityMention]:
    """:func:`find_entities` over :func:`plain_words` (every word an alias uses, whether or
    not a name can reach it)."""
    words = runs(plain_words(text, gazetteer.live_words))
    mentions: list[EntityMention] = []
    i = 0
    while i < len(words):
        found = gazetteer._match(text, words, i)
        if not found:
            i += 1
            continue
        n, key, bound = found[0]
        first, last = words[i], words[i + n - 1]
        assert first is not None and last is not None
        start, end = first.article_start, last.end
        if not gazetteer.another_body(key, n, text, start, end):
            mentions.append(EntityMention(key, start, end, text[start:end], bound))
        i += n
    return in_context(mentions, gazetteer)


@pytest.mark.parametrize("seed", range(3))
def test_entities_found_with_the_words_no_name_reaches_left_out_are_the_plain_ones(
    seed: int,
) -> None:
    # find_entities leaves out a word no alias starts with when the word before it is
    # left out (issue 13): the mentions are those found over every word.
    gazetteer = gazetteer_for(None)
    rng = random.Random(100 + seed)
    # Whole names of several words ("House of Representatives", "بعثة الأمم المتحدة للدعم في
    # ليبيا") among the pieces: the words inside them are the ones that may be left out.
    aliases = sorted(a for e in gazetteer for a in e.aliases if " " in a)
    pieces = PIECES + aliases
    joins = (" ", " ", " ", "-", "", ", ", "\n", "’s ")
    found = 0
    for _ in range(400):
        size = rng.randint(0, 30)
        text = "".join(rng.choice(pieces) + rng.choice(joins) for _ in range(size))
        mentions = find_entities(text, gazetteer)
        assert mentions == plain_entities(text, gazetteer), text
        found += len(mentions)
    assert found > 1000


def test_remembered_spellings_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entity_words, "_LEXEMES_KEPT", 50)
    memory: dict[str, Any] = {}
    text = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}" for i in range(400))
    for _ in range(3):
        _words(text, gazetteer_for(None).live_words, memory)
        _words("Haftar", gazetteer_for(None).live_words, memory)
        assert len(memory) <= 400
