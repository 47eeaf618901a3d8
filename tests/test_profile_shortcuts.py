"""The shortcuts that make an article's event profile cheaper (issue 13) give what the plain
ways gave: the one split of a text shared by entities, terms and names; the Arabic word
patterns searched after non-word characters; the ASCII texts facts need not fold."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from reader.core.events import numbers as numbers_module
from reader.core.events import times as times_module
from reader.core.events.features import profile
from reader.core.events.numbers import Shadow, numbers, same_length_shadow
from reader.core.events.patterns import after_non_word, at_word_starts
from reader.core.names import content_terms as content_terms_module
from reader.core.names import unknown as unknown_module
from reader.core.names.content_terms import content_term_counts_of, content_terms
from reader.core.names.gazetteer import load_gazetteer
from reader.core.names.transliterate import strip_latin_marks
from reader.core.sources.article import Article
from reader.core.text import tokens as tokens_module
from reader.core.text.tokens import arabic_words, latin_words, token_parts

_PIECES = [
    *("Ali", "ali's", "O'Brien", "o'neil's", "x'", "'y", "a''b", "Erdoğan’s", "Salamé", "ÉCOLE"),
    *("e\u0301te", "ﬁne", "Ｆull", "straße", "İstanbul", "12", "٣٤", "1,500", "3.5", "—", "’", "-"),
    *("والجيش", "الْجَيْشُ", "قُتِلَ", "الخـامسة", "مساءً", "خمسة", "عشر", "وخمسون", "قتيلين", "اثنان"),
    *("نصف", "مليون", "ونصف", "الساعة", "الثانية", "عشرة", "ليلاً", "بالعاشرة", "والنصف", "صباحاً"),
    *("الساعةُ", "عشرات", "والآلاف", "ب5", "و4", "٫", "،", ".", "\n", "\t", " ", "  ", "\x1c", "_"),
    *("Tripoli", "tripoli", "Army", "army", "moved", "The", "the", "hundred", "twenty-one", "May"),
]


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        words = [rng.choice(_PIECES) for _ in range(rng.randint(0, 30))]
        found.append("".join(w + rng.choice(("", " ", " ", ", ", "\n", "-")) for w in words))
    return found


def test_the_split_of_a_text_gives_its_words_in_either_script() -> None:
    latin = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z\u00c0-\u024f]+)*")
    for text in _texts(1, 400):
        parts = token_parts(text)
        assert "".join(parts) == text
        assert latin_words(parts) == latin.findall(text) == unknown_module._EN_TOKEN.findall(text)
        assert arabic_words(parts) == unknown_module._AR_TOKEN.findall(text)
        assert arabic_words(parts) == content_terms_module._AR_WORD.findall(text)


def _old_words(text: str, lang: str) -> list[str]:
    """The words content terms were made of before the split was shared."""
    if lang == "ar":
        return content_terms_module._AR_WORD.findall(text)
    return content_terms_module._EN_WORD.findall(strip_latin_marks(text).replace("’", "'"))


@pytest.mark.parametrize("lang", ["en", "ar", "fr"])
def test_term_counts_of_a_title_and_a_lead_are_those_of_the_two_joined(lang: str) -> None:
    texts = _texts(2, 300)
    ascii_texts = [t.encode("ascii", "ignore").decode() for t in texts]
    for title, body in zip(texts + ascii_texts, ascii_texts + texts, strict=True):
        joined = f"{title}\n{body}"
        words = _old_words(joined, lang)
        expected = Counter(
            t for t in map(content_terms_module._term, words, [lang == "ar"] * len(words)) if t
        )
        counted = content_term_counts_of((title, body), lang)
        assert list(counted.items()) == list(expected.items()), joined
        assert counted == Counter(content_terms(joined, lang))


def test_a_lead_is_split_once_for_its_entities_terms_and_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Before, entities, terms and names each ran their own regular expression over the lead.
    split: list[str] = []
    real = tokens_module._SPLIT

    class Counted:
        def split(self, text: str) -> list[str]:
            split.append(text)
            return real.split(text)

    real_ascii = tokens_module._ascii_parts

    def ascii_parts(text: str) -> list[str]:  # an ASCII text is split without the regex
        split.append(text)
        return real_ascii(text)

    monkeypatch.setattr(tokens_module, "_SPLIT", Counted())
    monkeypatch.setattr(tokens_module, "_ascii_parts", ascii_parts)
    monkeypatch.setattr(tokens_module, "_recent", {})
    gazetteer = load_gazetteer()
    profile(Article("w", "A title", "Ali said the army moved to Tripoli.", "en"), gazetteer)  # warm
    split.clear()
    for lang, body in (
        ("en", "Kadri met the office in Tripoli. " * 30),
        ("ar", "قال الجيش إن " * 30),
    ):
        profile(Article(lang, f"Title {lang}", body, lang), gazetteer)
    assert split == [
        "Kadri met the office in Tripoli. " * 30,
        "Title en",
        "قال الجيش إن " * 30,
        "Title ar",
    ]


_WORD_START_PATTERNS = [
    (numbers_module._AR_NUM, numbers_module._AR_NUM_AFTER),
    (numbers_module._DUAL, numbers_module._DUAL_AFTER),
    (numbers_module._AR_BIG, numbers_module._AR_BIG_AFTER),
    (times_module._WORD_HOUR, times_module._WORD_HOUR_AFTER),
]


@pytest.mark.parametrize(("plain", "after"), _WORD_START_PATTERNS)
def test_arabic_word_patterns_after_a_non_word_find_what_they_found(
    plain: re.Pattern[str], after: re.Pattern[str]
) -> None:
    found = 0
    for text in _texts(3, 600):
        for shadow in (same_length_shadow(text), Shadow(text).text):
            slow = list(plain.finditer(shadow))
            fast = list(at_word_starts(plain, after, shadow))
            found += len(slow)
            spans = [[m.span(g) for g in range(1, plain.groups + 1)] + [m.end()] for m in slow]
            assert spans == [
                [m.span(g) for g in range(1, plain.groups + 1)] + [m.end()] for m in fast
            ]
    assert found > 50


def test_a_pattern_after_a_non_word_needs_the_word_start_test() -> None:
    with pytest.raises(ValueError, match="word-start"):
        after_non_word(r"\d+")


def test_no_ascii_character_is_folded_or_dropped_for_facts() -> None:
    # The shadows of an ASCII text are the text lower-cased (the shortcut skips the folding).
    for code in range(128):
        char = chr(code)
        assert not numbers_module._NEEDS_SHADOW.search(char)
        assert not numbers_module._MARKS.search(char)
    for text in _texts(4, 200):
        plain = text.encode("ascii", "ignore").decode()
        assert same_length_shadow(plain) == plain.lower() == Shadow(plain).text
        assert numbers(Shadow(plain).text) == numbers(Shadow(plain).text, every_pattern=True)
