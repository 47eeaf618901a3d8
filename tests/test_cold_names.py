"""The names a cold search looks up: the gazetteer is built only for a query word that may
be one of its aliases (:func:`reader.core.names.gazetteer.may_be_alias`), and skipping it
never changes a word's other spellings."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.core.config import SearchLimits
from reader.core.names.entity_words import _alias_key, _words
from reader.core.names.gazetteer import _folded_texts, gazetteer_for, may_be_alias
from reader.core.names.other_spellings import cross_script_terms
from reader.core.search.query import QueryParser

GAZETTEER = gazetteer_for(None)


def _candidates() -> list[str]:
    """The aliases of the built-in gazetteer as a user may type them, and other words."""
    found = ["us", "un", "gna", "hor", "Zürich", "Erdoğan", "Sisi", "Alsisi", "al-Sisi", "ورقلة"]
    found += ["ministry", "مارس", "base", "law", "Haftar's", "حفتر", "والمسماري", "", " "]
    for entity in GAZETTEER:
        for alias in (entity.name, *entity.aliases):
            words = alias.split()
            found += [alias, alias.lower(), alias.upper(), f"al-{alias}", f"{alias}'s"]
            found += [f"و{alias}", f"بال{alias}", words[0], words[-1], alias[1:], alias[:-1]]
    rng = random.Random(7)
    letters = "abdeghiklmnorstuyzéğ'-" + "ابتحدرسطعفقلمنهوية"
    found += ["".join(rng.choices(letters, k=rng.randint(1, 9))) for _ in range(3000)]
    return found


def test_a_word_no_alias_can_be_has_no_other_spellings_from_the_gazetteer() -> None:
    skipped = 0
    for word in _candidates():
        if not may_be_alias(word, None):
            skipped += 1
            assert cross_script_terms(word, GAZETTEER) == [], word
    assert skipped > 1000  # the check proves something: most random words are skipped


def test_every_alias_word_of_the_gazetteer_is_in_its_folded_text() -> None:
    """What may_be_alias relies on: each alias word's key is part of the folded text."""
    folded = _folded_texts(None, 0.0)
    assert folded is not None  # the built-in file has no TOML escapes
    latin, arabic = folded
    for entity in GAZETTEER:
        for alias in (entity.name, *entity.aliases):
            for word in _words(alias):
                assert word is not None
                key = _alias_key(word.surface)
                assert key in latin or key in arabic, (alias, key)


def test_a_common_word_is_searched_without_building_the_gazetteer() -> None:
    parser = QueryParser(SearchLimits())
    assert parser.spellings("ministry") == []
    assert parser._gazetteer is None  # built before for every word
    assert parser.spellings("Haftar")[:1] == ["حفتر"]
    assert parser._gazetteer is not None


def test_a_user_s_gazetteer_is_looked_at_too(tmp_path: Path) -> None:
    path = tmp_path / "names.toml"
    path.write_text('[zorvik]\ntype = "place"\naliases = ["Zorvik", "زورفيك"]\n', "utf-8")
    assert not may_be_alias("Zorvik", None)
    assert may_be_alias("Zorvik", path) and may_be_alias("زورفيك", path)
    parser = QueryParser(SearchLimits(), path)
    assert parser.spellings("Zorvik") == ["زورفيك"]


@pytest.mark.parametrize(
    "text", ['[zorvik]\naliases = ["Zorvi\\u006b"]\n', '[zorvik]\naliases = ["Zorvik"]\n']
)
def test_a_user_s_file_with_an_escape_or_changed_is_read_again(tmp_path: Path, text: str) -> None:
    path = tmp_path / "names.toml"
    path.write_text('[other]\naliases = ["Other"]\n', "utf-8")
    assert not may_be_alias("Zorvik", path)
    path.write_text(text, "utf-8")
    import os

    os.utime(path, (1, 1))  # another change time: the cached text is read again
    assert may_be_alias("Zorvik", path)
