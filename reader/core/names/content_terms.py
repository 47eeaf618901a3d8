"""Content terms: the words of a text that say what it is about, for comparing texts in one
language (event similarity, paragraph alignment). Stop words dropped; English lower-cased and
lightly stemmed; Arabic name-folded and lightly stemmed (after Larkey's light10). Not the
search index's analysis (:mod:`reader.core.search.analysis`), which must match what people
type; these only have to make two texts about one story share their words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from reader.core.names.transliterate import strip_latin_marks
from reader.core.text.arabic import HARAKAT, LETTER_CLASS, QURANIC_MARKS
from reader.core.text.stopwords import CONTENT_ARABIC, CONTENT_ENGLISH
from reader.core.text.tokens import arabic_words, folded_word, looked_up, token_parts

__all__ = ["content_term_counts", "content_term_counts_of", "content_terms"]

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
        folded = folded_word(word)
        if folded in _AR_STOP:
            return ""
        stem = _stem_ar(folded)
        return stem if len(stem) >= 3 and stem not in _AR_STOP else ""
    return _stem_en(word) if len(word) >= 3 and word not in _EN_STOP else ""


def content_terms(text: str, lang: str) -> list[str]:
    """The content words of ``text`` for comparing texts in one language: stop words dropped,
    English lower-cased and lightly stemmed, Arabic folded and stripped of و/ف, ب/ل/ك and ال.
    Terms of different languages never coincide."""
    words, arabic, memory = _words((text,), lang)
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
    comes), each distinct word's term worked out once."""
    return content_term_counts_of((text,), lang)


def content_term_counts_of(texts: Sequence[str], lang: str) -> Counter[str]:
    """``content_term_counts("\\n".join(texts), lang)``, each text's words read from its
    split (:func:`reader.core.text.tokens.token_parts`, which another reader of the same text
    may have made already: event profiling splits the title and the lead for entities)."""
    words, arabic, memory = _words(texts, lang)
    terms = looked_up(memory, words, lambda word: _term(word, arabic))
    # Counted in C: each term where the first word that gives it comes, as a loop over the
    # distinct words in order would put it.
    return Counter(filter(None, terms))


def _apostrophe_words(joined: str) -> list[str]:
    """``_EN_WORD.findall(joined)`` for lower-case ASCII words joined by spaces, each of
    letters with an apostrophe now and then between two of them: a word of one apostrophe
    or none is itself, and one of more gives its pieces two by two ("o'neil's": "o'neil",
    "s"); found without running the regex engine over the whole text."""
    words: list[str] = []
    for word in joined.split():
        if "'" not in word:
            words.append(word)
            continue
        pieces = word.split("'")
        words += ["'".join(pieces[i : i + 2]) for i in range(0, len(pieces), 2)]
    return words


def _words(texts: Sequence[str], lang: str) -> tuple[list[str], bool, dict[str, str]]:
    """The words of ``"\\n".join(texts)`` terms are made of, whether they are Arabic, and the
    memory of their terms."""
    arabic = lang == "ar"
    words: list[str] = []
    if arabic:  # _AR_WORD.findall of the whole: no word spans the newlines
        for text in texts:
            words += arabic_words(token_parts(text))
    elif all(text.isascii() for text in texts):
        # ASCII: the Latin words lower-cased are the _EN_WORD words, but for an apostrophe
        # ("o'neil's" gives "o'neil", "s"), and every word of an ASCII text is Latin.
        for text in texts:
            joined = " ".join(token_parts(text)[1::2]).lower()
            words += _apostrophe_words(joined) if "'" in joined else joined.split()
    else:
        words = _EN_WORD.findall(strip_latin_marks("\n".join(texts)).replace("’", "'"))
    memory = _TERMS["ar" if arabic else "en"]
    if len(memory) > _TERMS_KEPT:
        memory.clear()
    return words, arabic, memory
