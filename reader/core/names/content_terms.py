"""Content terms: the words of a text that say what it is about, for comparing texts in one
language (event similarity, paragraph alignment). Stop words dropped; English lower-cased and
lightly stemmed; Arabic name-folded and lightly stemmed (after Larkey's light10). Not the
search index's analysis (:mod:`reader.core.search.analysis`), which must match what people
type; these only have to make two texts about one story share their words.
"""

from __future__ import annotations

import re
from collections import Counter

from reader.core.names.transliterate import strip_latin_marks
from reader.core.text.arabic import HARAKAT, LETTER_CLASS, QURANIC_MARKS
from reader.core.text.arabic import fold_name as fold_arabic
from reader.core.text.stopwords import CONTENT_ARABIC, CONTENT_ENGLISH

__all__ = ["content_term_counts", "content_terms"]

_AR = LETTER_CLASS + HARAKAT + QURANIC_MARKS  # an Arabic word: letters (tatweel too) and marks
_EN_STOP = CONTENT_ENGLISH
_AR_STOP = CONTENT_ARABIC
_EN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_AR_WORD = re.compile(rf"[{_AR}]+")


def _stem_en(word: str) -> str:
    if word.endswith("'s"):
        word = word[:-2]
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def _stem_ar(word: str) -> str:
    """A light stemmer (after Larkey's light10): article-bearing prefixes, و, and plural and
    feminine endings; never leaves fewer than three letters."""
    for prefix in ("وال", "بال", "كال", "فال", "لل", "ال"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    else:
        if word.startswith("و") and len(word) >= 5:
            word = word[1:]
    for suffix in ("ات", "ون", "ين", "ها", "ه", "ي"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


_TERMS_KEPT = 200_000  # words remembered per language before the memory starts over
_TERMS: dict[str, dict[str, str]] = {"ar": {}, "en": {}}  # word -> its term, "" if none


def _term(word: str, arabic: bool) -> str:
    """The content term of one word ("" for a stop word or one too short)."""
    if arabic:
        folded = fold_arabic(word)
        if folded in _AR_STOP:
            return ""
        stem = _stem_ar(folded)
        return stem if len(stem) >= 3 and stem not in _AR_STOP else ""
    return _stem_en(word) if len(word) >= 3 and word not in _EN_STOP else ""


def content_terms(text: str, lang: str) -> list[str]:
    """The content words of ``text`` for comparing texts in one language: stop words dropped,
    English lower-cased and lightly stemmed, Arabic folded and stripped of و/ف, ب/ل/ك and ال.
    Terms of different languages never coincide."""
    words, arabic, memory = _words(text, lang)
    terms: list[str] = []
    for word in words:
        term = memory.get(word)
        if term is None:
            term = memory[word] = _term(word, arabic)
        if term:
            terms.append(term)
    return terms


def content_term_counts(text: str, lang: str) -> Counter[str]:
    """``Counter(content_terms(text, lang))``, in the same order (each term where it first
    comes), each distinct word looked at once."""
    words, arabic, memory = _words(text, lang)
    terms: Counter[str] = Counter()
    for word, count in Counter(words).items():
        term = memory.get(word)
        if term is None:
            term = memory[word] = _term(word, arabic)
        if term:
            terms[term] += count
    return terms


def _words(text: str, lang: str) -> tuple[list[str], bool, dict[str, str]]:
    """The words of ``text`` terms are made of, whether they are Arabic, and the memory of
    their terms."""
    arabic = lang == "ar"
    if arabic:
        words = _AR_WORD.findall(text)
    else:
        words = _EN_WORD.findall(strip_latin_marks(text).replace("’", "'"))
    memory = _TERMS["ar" if arabic else "en"]
    if len(memory) > _TERMS_KEPT:
        memory.clear()
    return words, arabic, memory
