"""Other spellings of a search word or name (:func:`cross_script_terms`): the aliases the
gazetteer knows in the other script and its own, and the index's names that transliterate
to it. What a search widens a name with; finding names in running text is
:mod:`reader.core.names.entities`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from reader.core.names.entities import Gazetteer
from reader.core.names.transliterate import strip_latin_marks
from reader.core.text.arabic import fold_name as fold_arabic
from reader.core.text.arabic import has_arabic as is_arabic

if TYPE_CHECKING:  # a search that widens a name with the gazetteer alone never loads it
    from reader.core.names.transliteration_index import TransliterationIndex


def _bare_arabic(alias: str) -> str:
    """An Arabic alias without the article on each word (المسماري -> مسماري)."""
    parts = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in alias.split()]
    return " ".join(parts)


def cross_script_terms(
    word: str,
    gazetteer: Gazetteer,
    vocabulary: Iterable[str] | TransliterationIndex | None = None,
) -> list[str]:
    """Other spellings of a search word or name: its aliases in the other script first (each
    Arabic one also without its article, as the Arabic analyzer indexes it), then same-script
    variants, then names from ``vocabulary`` (index terms of the other script; pass a prebuilt
    :class:`TransliterationIndex` when calling often) that the transliteration matcher links.

    Never contains ``word`` itself; empty when nothing is known. Order is stable. Unlike in
    running text, a short query matches acronyms in any case ("gna" finds the GNA).
    """
    query = word.strip()
    if not query:
        return []
    query_arabic = is_arabic(query)
    same: list[str] = []
    other: list[str] = []
    found_entities = gazetteer.lookup(query)
    if not found_entities and not query_arabic and len(query) <= 6:
        found_entities = gazetteer.lookup(query.upper())  # a query "gna" means the GNA
    for entity in found_entities:
        for alias in entity.aliases:
            bucket = other if is_arabic(alias) != query_arabic else same
            bucket.append(alias)
            if is_arabic(alias):
                bucket.append(_bare_arabic(alias))
    found: list[str] = other + same
    if vocabulary is not None:
        from reader.core.names.transliteration_index import TransliterationIndex

        index = (
            vocabulary
            if isinstance(vocabulary, TransliterationIndex)
            else TransliterationIndex(vocabulary)
        )
        found.extend(index.matches(query))
    folded_query = _fold_term(query)
    result: list[str] = []
    seen = {folded_query}
    for term in found:
        key = _fold_term(term)
        if key not in seen:
            seen.add(key)
            result.append(term)
    return result


def _fold_term(term: str) -> str:
    return fold_arabic(term) if is_arabic(term) else strip_latin_marks(term)
