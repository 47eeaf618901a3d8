"""A vocabulary prepared for cross-script name lookups (:class:`TransliterationIndex`): which
terms of one script may spell a word of the other, found through consonant skeletons
(:func:`reader.core.names.transliterate.skeleton`) and checked with
:func:`reader.core.names.transliterate.transliteration_cost`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from reader.core.names.transliterate import (
    allowed_cost,
    is_arabic,
    skeleton,
    transliteration_cost,
)


def _deletions(key: str) -> Iterator[str]:
    for i in range(len(key)):
        yield key[:i] + key[i + 1 :]


class TransliterationIndex:
    """A vocabulary (e.g. the index terms of one script) prepared for cross-script lookups.

    Build once (linear in the vocabulary), then :meth:`matches` costs a few dictionary lookups
    plus an exact check of the few candidates, so it suits search-as-you-type.
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self._exact: dict[str, list[str]] = {}
        self._deleted: dict[str, list[str]] = {}
        seen: set[str] = set()
        for term in terms:
            if term in seen:
                continue
            seen.add(term)
            key = skeleton(term)
            if len(key) < 2:
                continue
            self._exact.setdefault(key, []).append(term)
            if len(key) >= 3:
                for short in set(_deletions(key)):
                    self._deleted.setdefault(short, []).append(term)

    def candidates(self, word: str) -> list[str]:
        """Terms whose skeleton is within one class letter of ``word``'s (not yet checked)."""
        key = skeleton(word)
        if len(key) < 2:
            return []
        found: dict[str, None] = dict.fromkeys(self._exact.get(key, ()))
        if len(key) >= 3:
            found.update(dict.fromkeys(self._deleted.get(key, ())))
            for short in set(_deletions(key)):
                found.update(dict.fromkeys(self._exact.get(short, ())))
                found.update(dict.fromkeys(self._deleted.get(short, ())))
        return list(found)

    def matches(self, word: str) -> list[str]:
        """Vocabulary terms in the other script that :func:`names_match` ``word``, best first."""
        scored: list[tuple[float, str]] = []
        word_arabic = is_arabic(word)
        for term in self.candidates(word):
            if is_arabic(term) == word_arabic:
                continue
            arabic, latin = (word, term) if word_arabic else (term, word)
            cost, consonants = transliteration_cost(arabic, latin)
            if consonants and cost <= allowed_cost(consonants):
                scored.append((cost, term))
        scored.sort()
        return [term for _cost, term in scored]
