"""The name layer: the other spellings of a name that the corpus itself writes.

The gazetteer knows the aliases of the names it lists; every other name reaches its other
spellings here. Over the corpus vocabulary (:mod:`reader.core.search.vocabulary`), each word
that may be a name (an Arabic content word; a Latin word the corpus writes capitalised inside
sentences more often than in lower case) is filed under its skeleton keys
(:func:`reader.core.names.unknown.name_keys`: consonant classes shared by the spellings of one
name in either script). :meth:`NameLayer.spellings` looks a query word's keys up and keeps
the candidates that really spell it (:mod:`reader.core.names.spelling`: transliteration
across scripts, the Latin spelling rules within Latin), best first. An Arabic query reaches
the Arabic spellings of its name through the Latin ones the corpus links it to (سيرت ->
Sirte -> سرت), since two Arabic spellings that differ by a long vowel may or may not be one
name (حسن / حسين).

Built once per vocabulary, linear in its words; a lookup costs a few dictionary reads and a
verification of the candidates found. Callers may rely on: never raising on any word; the
spellings returned are words of the vocabulary (to be searched as words), each with a
different index term, never the query's own term.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.core.names.spelling import allowed_latin_cost, latin_cost
from reader.core.names.transliterate import allowed_cost, skeleton, transliteration_cost
from reader.core.names.unknown import name_form, name_keys
from reader.core.search.analysis import index_term
from reader.core.text.arabic import fold_name, has_arabic

if TYPE_CHECKING:
    from reader.core.search.vocabulary import Vocabulary

MOST_SPELLINGS = 12  # other spellings one query word may add
_HOP = 0.5  # what reaching an Arabic spelling through a Latin one adds to its cost


def _keys(form: str) -> tuple[str, ...]:
    """name_keys, and for a one-class skeleton (Watiya, الوطية) the skeleton itself."""
    keys = name_keys(form)
    if keys:
        return keys
    key = skeleton(form)
    return (key,) if len(key) == 1 else ()


def _forms(word: str) -> list[str]:
    """The name forms of a word: :func:`name_form`, and for an Arabic word that begins with
    و or ف the word with it too, as it may be the name's own letter (ورقلة, Wargla; وهران)."""
    form = name_form(word)
    if not form or not has_arabic(word):
        return [form] if form else []
    whole = fold_name(word)
    if whole[:1] in ("و", "ف") and whole != form and len(whole) <= len(form) + 1:
        return [form, whole]
    return [form]


def spelling_cost(a: str, b: str) -> float | None:
    """How far apart two name forms are (0: the same reading), None when they do not spell
    one name. Arabic and Arabic: only equal forms."""
    a_ar, b_ar = has_arabic(a), has_arabic(b)
    if a_ar and b_ar:
        return 0.0 if a == b else None
    if a_ar != b_ar:
        arabic, latin = (a, b) if a_ar else (b, a)
        cost, consonants = transliteration_cost(arabic, latin)
        return cost if consonants and cost <= allowed_cost(consonants) else None
    cost, consonants = latin_cost(a, b)
    return cost if consonants and cost <= allowed_latin_cost(consonants) else None


def _one_long_vowel_apart(a: str, b: str) -> bool:
    """Whether two Arabic forms differ by one long vowel letter (ا و ي ى) written in one and
    not the other: سيرت / سرت. Only a Latin spelling both read as makes them one name."""
    if abs(len(a) - len(b)) != 1:
        return False
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return any(
        longer[i] in "اويى" and longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer))
    )


class NameLayer:
    """The name-like words of one vocabulary, filed by skeleton key. Read-only once built."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary
        words = vocabulary.words()
        self._terms = words
        self._words: dict[str, list[str]] = {}  # name form -> vocabulary words
        self._keyed: dict[str, list[str]] = {}  # key -> name forms
        for word in words:
            if word.isascii() and not vocabulary.name_like(word):
                continue
            if not word.isascii() and not has_arabic(word) and not vocabulary.name_like(word):
                continue
            for form in _forms(word):
                known = self._words.get(form)
                if known is None:
                    self._words[form] = [word]
                    for key in _keys(form):
                        self._keyed.setdefault(key, []).append(form)
                else:
                    known.append(word)

    def __len__(self) -> int:
        """How many name forms the layer holds."""
        return len(self._words)

    def _candidates(self, form: str) -> set[str]:
        found: set[str] = set()
        for key in _keys(form):
            found.update(self._keyed.get(key, ()))
        return found

    def _matches(self, form: str, base: float, found: dict[str, float]) -> None:
        for candidate in self._candidates(form):
            cost = spelling_cost(form, candidate)
            if cost is not None and base + cost < found.get(candidate, float("inf")):
                found[candidate] = base + cost

    def spellings(self, word: str, limit: int = MOST_SPELLINGS) -> list[str]:
        """Vocabulary words that spell the name ``word`` (a query word as typed) otherwise,
        closest first, at most ``limit`` (one per index term). A Latin word the corpus writes
        as a common word (in lower case more than capitalised) has none."""
        arabic = has_arabic(word)
        forms = _forms(word)
        if not forms:
            return []
        folded = word.lower()
        if not arabic and folded in self._terms and not self._vocabulary.name_like(folded):
            return []  # a common word of the corpus ("base", "law"): not widened
        found: dict[str, float] = {}
        for form in forms:
            self._matches(form, 0.0, found)
        form = forms[0]
        if arabic:  # Arabic spellings through the Latin ones (سيرت -> Sirte -> سرت)
            hops: dict[str, float] = {}
            for latin, cost in sorted(found.items(), key=lambda item: (item[1], item[0])):
                if not has_arabic(latin):
                    self._matches(latin, cost + _HOP, hops)
            for other, cost in hops.items():
                if other not in found and _one_long_vowel_apart(form, other):
                    found[other] = cost
        own = index_term(word)
        terms: set[str | None] = {own}
        out: list[str] = []
        for candidate in sorted(found, key=lambda c: (found[c], c)):
            for spelled in sorted(self._words[candidate]):
                term = self._terms.get(spelled)
                if term in terms:
                    continue
                terms.add(term)
                out.append(spelled)
                if len(out) >= limit:
                    return out
        return out
