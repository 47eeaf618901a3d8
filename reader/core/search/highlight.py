"""Highlighting: which words of a text a query matched, and the snippet that shows them.

Offsets are logical code points into the text given, the same the app and notes use.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from reader.core.search.analysis import (
    INITIALISM_LETTERS,
    LATIN_DIACRITICS,
    WORD,
    fold_term,
    index_term,
    words,
)
from reader.core.search.arabic import has_arabic
from reader.core.text.arabic import DIGIT_FOLDS, WORD_MARK_CHARS, WORD_MARKS, variants_of

SNIPPET_CHARS = 180


class Matcher(NamedTuple):  # not a dataclass: a new process makes the class for one search
    """Decides which words of a text a query matched: stemmed terms, phrases (only where their
    words stand together, stopwords between them skipped) and folded prefixes. Immutable."""

    terms: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...] = ()

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) offsets of every matched word in ``text``, in order.

        A loose regular expression finds the few places worth analysing (in C, over the
        whole text in lower case: 5 times faster than ignoring case) and only the words there
        are stemmed and checked, with every word that holds a Latin diacritic (which the
        analysis folds away: :data:`~reader.core.search.analysis.LATIN_DIACRITICS`); a phrase
        is found where candidates of its words follow each other with only words that are
        not indexed (stopwords) between them. The result is the same as analysing every word
        (:meth:`_scan`), which a text that lower-casing does not fold letter for letter gets
        instead: one with a letter that NFKC changes (ﬁ, fullwidth letters) or that
        lower-cases to two letters (other than İ, looked for as I).
        """
        haystack = text.lower()
        accented: Iterable[re.Match[str]] = ()
        if not haystack.isascii():
            if len(haystack) != len(text):
                haystack = text.replace("İ", "I").lower()  # İ lowers to i and a dot above
            if len(haystack) != len(text) or _nfkc_changes_a_letter(haystack):
                return self._scan(text)
            accented = LATIN_DIACRITICS.finditer(haystack)  # their words are checked whole
        phrase_terms = frozenset(t for phrase in self.phrases for t in phrase)
        looked_for = self.terms | phrase_terms
        # Whether the text has Arabic letters matters only for terms that need them.
        arabic = _any_needs_arabic(looked_for, self.prefixes) and has_arabic(text)
        pattern = _candidates(looked_for, self.prefixes, arabic)
        if pattern is None:
            return []
        found: set[tuple[int, int]] = set()
        terms, prefixes = self.terms, self.prefixes
        candidates: dict[tuple[int, int], str | None] = {}
        covered = 0  # where the last word looked at ends: a hit before it is inside it
        hits = heapq.merge(pattern.finditer(haystack), accented, key=_start_of_match)
        for hit in hits:
            start = hit.start()
            if start < covered:
                continue  # (a_a_a…: every "a" a hit, the word walked back over once)
            while start > 0 and _is_word_char(text[start - 1]):
                start -= 1
            while start < len(text) and (text[start] == "_" or text[start] in _MARK_CHARS):
                start += 1  # a word starts on a letter
            word = _word_at(text, start)
            if word is None:
                continue
            covered = word.end()
            if word.span() in candidates:
                continue
            raw = word.group()
            term = index_term(raw)
            candidates[word.span()] = term
            if (terms and term in terms) or (prefixes and fold_term(raw).startswith(prefixes)):
                found.add(word.span())
        if self.phrases and candidates:
            self._phrase_spans(text, sorted(candidates.items()), found)
        return sorted(found)

    def _phrase_spans(
        self,
        text: str,
        candidates: list[tuple[tuple[int, int], str | None]],
        found: set[tuple[int, int]],
    ) -> None:
        """Add to ``found`` the words of every phrase occurrence among ``candidates`` (word
        spans with their terms, in text order): consecutive candidates with the phrase's
        terms and nothing indexed between them."""
        spans = [span for span, term in candidates if term is not None]
        stems = [term for _span, term in candidates if term is not None]
        together: dict[int, bool] = {}

        def adjacent(i: int) -> bool:  # nothing indexed between candidate i and i + 1
            known = together.get(i)
            if known is None:
                gap = text[spans[i][1] : spans[i + 1][0]]
                known = together[i] = all(index_term(w) is None for _s, _e, w in words(gap))
            return known

        for phrase in self.phrases:
            size = len(phrase)
            for i in range(len(stems) - size + 1):
                if all(stems[i + k] == phrase[k] for k in range(size)) and all(
                    adjacent(i + k) for k in range(size - 1)
                ):
                    found.update(spans[i + k] for k in range(size))

    def _scan(self, text: str) -> list[tuple[int, int]]:
        found: set[tuple[int, int]] = set()
        terms, prefixes, phrases = self.terms, self.prefixes, self.phrases
        stemmed: list[tuple[int, int, str]] = []
        for start, end, word in words(text):
            term = index_term(word)
            if term is not None:
                stemmed.append((start, end, term))
            if (terms and term in terms) or (prefixes and fold_term(word).startswith(prefixes)):
                found.add((start, end))
        for phrase in phrases:
            size = len(phrase)
            for i in range(len(stemmed) - size + 1):
                if all(stemmed[i + k][2] == phrase[k] for k in range(size)):
                    found.update((stemmed[i + k][0], stemmed[i + k][1]) for k in range(size))
        return sorted(found)


_MARKS = WORD_MARKS
_MARK_RUN = f"[{_MARKS}]*"
_LETTER_VARIANTS = {letter: f"[{variants_of(letter)}]" for letter in "\u0627\u064a\u0647"}  # ا ي ه
_ARABIC_DIGITS = {
    d: f"[{d}{''.join(c for c, ascii in DIGIT_FOLDS.items() if ascii == d)}]" for d in "0123456789"
}
_MARK_CHARS = WORD_MARK_CHARS


def _nfkc_changes_a_letter(text: str) -> bool:
    """Whether NFKC, which the analysis applies to each word, changes a letter, digit or mark
    of ``text`` (a text in NFKC, most are, is not looked at character by character; "…" and
    a no-break space are not in NFKC, but are not in words)."""
    if unicodedata.is_normalized("NFKC", text):
        return False
    return any(
        (char.isalnum() or char in _MARK_CHARS) and unicodedata.normalize("NFKC", char) != char
        for char in set(text)
    )


def _start_of_match(match: re.Match[str]) -> int:
    return match.start()


def _word_at(text: str, start: int) -> re.Match[str] | None:
    """The word (:data:`~reader.core.search.analysis.WORD`) that holds ``start``, where a word
    of letters would start: the initialism it ends, when capitals and dots stand before it
    (the S of U.S.; at most INITIALISM_LETTERS of them: a longer run is no initialism), else
    the word from there."""
    first = start
    for _ in range(INITIALISM_LETTERS - 1):
        if first < 2 or text[first - 1] != "." or not "A" <= text[first - 2] <= "Z":
            break
        if first >= 3 and text[first - 3] != "." and _is_word_char(text[first - 3]):
            break  # the capital ends a longer word (xA.B: xA, B)
        first -= 2
    if first < start:
        word = WORD.match(text, first)
        if word is not None and word.end() > start:
            return word
    return WORD.match(text, start)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_" or char in _MARK_CHARS


def _loose(term: str, *, whole_start: bool) -> str:
    """A pattern that matches wherever a word analysed to ``term`` (or starting with the prefix
    ``term``) can be: Arabic letters with their variants and marks between them anywhere in a
    word (prefixes such as وال may stand before), others from the start of a word, without the
    last letter a stemmer may have changed (hire <- hiring, happi <- happy)."""
    if has_arabic(term):
        body = _MARK_RUN.join(
            _LETTER_VARIANTS.get(c) or _ARABIC_DIGITS.get(c) or re.escape(c) for c in term
        )
        # A word may start after "_" (in "._الوطية": "_" alone is not a word).
        return ("(?<![^\\W_])(?<![" + _MARKS + "])" if whole_start else "") + body
    core = term if whole_start else _unstemmed_start(term)
    literal = "".join(_ARABIC_DIGITS.get(c) or re.escape(c) for c in core)
    # The letters first, then "not inside a word" looked back over them (one char a letter,
    # so a fixed width): the same places as the look-behind first, found ten times faster,
    # as the regex engine can then look for the letters alone.
    pattern = literal + "(?<![^\\W_]" + literal + ")"
    if 2 <= len(term) <= INITIALISM_LETTERS and term.isascii() and term.isalpha():
        dotted = "\\.".join(term)  # U.S. is the term "us" (analysis.WORD)
        pattern = f"{pattern}|{dotted}(?<![^\\W_]{dotted})"
    return pattern


def _unstemmed_start(term: str) -> str:
    """What every word the English stemmer makes ``term`` of starts with: the term without
    the last letter, which it may have changed (hire <- hiring, happi <- happy), or two
    (die <- dying, tie <- tying); a term of three letters or fewer is kept whole unless it ends
    in such a letter (use <- using, tri <- trying, ani <- any, sky <- skies). Checked against
    the 183,097 English words of wordfreq's top 200,000: every one starts so."""
    cut = 2 if term.endswith("ie") else 1
    if len(term) > 3 or term[-1:] in ("e", "i", "y"):
        return term[:-cut] or term
    return term


def _needs_arabic(term: str) -> bool:
    """Whether every place :func:`_loose` finds for ``term`` holds an Arabic letter: the term
    has one that its pattern matches only with Arabic letters (itself, or its variants when
    all of them are Arabic letters)."""
    return any(
        has_arabic(c) and (c not in _LETTER_VARIANTS or has_arabic_only(variants_of(c)))
        for c in term
    )


@lru_cache(maxsize=512)
def _any_needs_arabic(terms: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    """Whether any of ``terms`` and ``prefixes`` can only match Arabic letters."""
    return any(map(_needs_arabic, terms)) or any(map(_needs_arabic, prefixes))


def has_arabic_only(text: str) -> bool:
    """Whether every character of ``text`` is an Arabic letter."""
    return all(has_arabic(c) for c in text)


@lru_cache(maxsize=512)
def _candidates(
    terms: frozenset[str], prefixes: tuple[str, ...], arabic: bool = True
) -> re.Pattern[str] | None:
    """The loose pattern of ``terms`` and ``prefixes`` (folded, as analysis makes them), to
    be matched in a text folded as :meth:`Matcher.spans` folds it; for a text without Arabic
    letters (``arabic`` False), without the terms that can only match Arabic letters
    (scanning for them over an English article was most of a name search's time: the same
    spans, faster)."""
    parts = [_loose(t, whole_start=False) for t in sorted(terms) if arabic or not _needs_arabic(t)]
    parts += [_loose(p, whole_start=True) for p in prefixes if arabic or not _needs_arabic(p)]
    if not parts:
        return None
    unique = dict.fromkeys(parts)  # a word typed is a term and a prefix: one pattern each
    return re.compile("|".join(f"(?:{p})" for p in unique))


def snippet(
    text: str, matcher: Matcher, width: int = SNIPPET_CHARS
) -> tuple[str, list[tuple[int, int]]]:
    """A window of ``text`` around its densest cluster of matches, with match offsets in it."""
    spans = matcher.spans(text)
    if not spans:
        end = text.find("\n")
        end = len(text) if end < 0 else end
        cut = min(end, width)
        return text[:cut] + ("…" if cut < len(text) else ""), []
    best, best_count = 0, 0
    j = 0
    for i, (start, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] - start <= width:
            j += 1
        if j - i > best_count:
            best, best_count = i, j - i
    first = spans[best][0]
    lead = max(0, first - width // 4)
    # Start at a word boundary and not before the paragraph the match is in.
    paragraph_start = text.rfind("\n", 0, first) + 1
    lead = max(lead, paragraph_start)
    if lead > paragraph_start:
        space = text.find(" ", lead, first)
        lead = space + 1 if space >= 0 else lead
    stop = min(len(text), lead + width)
    newline = text.find("\n", first, stop)
    if newline >= 0:
        stop = newline
    elif stop < len(text):
        space = text.rfind(" ", first, stop)
        stop = space if space > first else stop
    window = text[lead:stop]
    marks = [(s - lead, e - lead) for s, e in spans if s >= lead and e <= stop]
    prefix = "…" if lead > 0 else ""
    suffix = "…" if stop < len(text) else ""
    shift = len(prefix)
    return prefix + window + suffix, [(s + shift, e + shift) for s, e in marks]
