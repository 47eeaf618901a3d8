"""The name layer: the other spellings of a name that the corpus itself writes.

The gazetteer knows the aliases of the names it lists; every other name reaches its other
spellings here. Each word of the corpus vocabulary (:mod:`reader.core.search.vocabulary`) that
may be a name (an Arabic content word; a Latin word the corpus writes capitalised inside a
sentence) is filed, as it is added, under the consonant skeleton of its name form
(:func:`reader.core.names.transliterate.word_skeleton`: classes of letters that the spellings
of one name share in either script) in :class:`NameTables`, kept in ``vocabulary.json``.
:meth:`NameLayer.spellings` looks up a query word's skeleton (and, from four classes on, the
skeletons one class longer or shorter: Tehran TRN / طهران THRN), keeps the candidates that
really spell it (:mod:`reader.core.names.spelling`: transliteration across scripts, the Latin
spelling rules within Latin) and that the corpus writes as names (Latin: capitalised inside
sentences at least as often as in lower case), best first. An Arabic query reaches the Arabic
spellings of its name through the Latin ones the corpus links it to (سيرت -> Sirte -> سرت),
since two Arabic spellings that differ by a long vowel may or may not be one name (حسن / حسين).

A lookup costs a few dictionary reads and a verification of the candidates found. Callers may
rely on: never raising on any word; the spellings returned are words of the vocabulary (to be
searched as words), each with a different index term, never the query's own term.
"""

from __future__ import annotations

import itertools
from operator import methodcaller
from typing import TYPE_CHECKING, TypeGuard

from reader.core.names.spelling import allowed_latin_cost, latin_cost
from reader.core.names.transliterate import (
    allowed_cost,
    name_words,
    transliteration_cost,
    word_skeleton,
)
from reader.core.names.unknown import name_form
from reader.core.search.analysis import index_term
from reader.core.search.word_table import FIELD, LINE
from reader.core.text.arabic import fold_name, has_arabic

if TYPE_CHECKING:
    from reader.core.search.vocabulary import Vocabulary

MOST_SPELLINGS = 12  # other spellings one query word may add
SPELLINGS_KEPT = 256  # query words whose spellings a layer keeps
_LONGEST = 40  # letters: a longer word is not a name
_CLASSES = "BFTDZSKHRLMN"  # the skeleton's letter classes (transliterate.py)
_HOP = 0.5  # what reaching an Arabic spelling through a Latin one adds to its cost


def _forms(word: str) -> list[str]:
    """The name forms of a word: :func:`name_form`, and for an Arabic word that begins with
    و or ف the word with it too, as it may be the name's own letter (ورقلة, Wargla; وهران)."""
    if not has_arabic(word):
        form = "".join(name_words(word))  # al-Hashemi: hashemi
        return [form] if 3 <= len(form) <= _LONGEST else []
    form = name_form(word)
    if not form:
        return []
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


class NameTables:
    """The name forms of a vocabulary's words that may be names, filed by skeleton: kept with
    the vocabulary (in ``vocabulary.json``) and grown as words are added, so no search has to
    read every word again. ``keyed``: skeleton -> forms; ``words``: name form -> the
    vocabulary words of that form, for the forms that are not themselves their only word.

    Tables read from their texts (:meth:`from_texts`, what :meth:`to_texts` writes) keep each
    list as one text, split when :meth:`forms_under` or :meth:`words_of` looks it up; they
    become tables of lists only when :attr:`keyed` or :attr:`words` is asked for (to add
    words, to save). Reading them as JSON lists cost every cold search a seventh of its
    instructions at 10,000 articles, a word that cannot be a name included."""

    def __init__(
        self, keyed: dict[str, list[str]] | None = None, words: dict[str, list[str]] | None = None
    ) -> None:
        self._keyed = keyed if keyed is not None else {}
        self._words = words if words is not None else {}
        # Read from texts (from_texts) and not yet made tables of lists: the two texts, then
        # (on the first lookup) each key -> its list as one text, split when looked up (made
        # with C loops: a fifth of the lists' cost).
        self._texts: tuple[str, str] | None = None
        self._joined: tuple[dict[str, str], dict[str, str]] | None = None
        self._known: set[str] | None = None

    def _joined_tables(self) -> tuple[dict[str, str], dict[str, str]] | None:
        """The tables as each key -> its list joined, while not made tables of lists."""
        if self._texts is not None:
            self._joined = (_joined_table(self._texts[0]), _joined_table(self._texts[1]))
            self._texts = None
        return self._joined

    def _lists(self) -> None:
        joined, self._joined = self._joined_tables(), None
        if joined is not None:
            self._keyed, self._words = (
                {key: items.split(FIELD) if items else [] for key, items in table.items()}
                for table in joined
            )

    @property
    def keyed(self) -> dict[str, list[str]]:
        """Skeleton -> the name forms filed under it, in the order they were filed."""
        self._lists()
        return self._keyed

    @property
    def words(self) -> dict[str, list[str]]:
        """Name form -> its vocabulary words, for the forms that are not their only word."""
        self._lists()
        return self._words

    def forms_under(self, skeleton: str) -> list[str]:
        """The name forms filed under ``skeleton`` (empty when none): ``keyed.get``, without
        making the tables of lists."""
        joined = self._joined_tables()
        if joined is None:
            return self._keyed.get(skeleton) or []
        items = joined[0].get(skeleton)
        return items.split(FIELD) if items else []

    def add(self, word: str) -> None:
        """File a (folded) vocabulary word that may be a name under its forms' skeletons."""
        keyed, table = self.keyed, self.words
        if self._known is None:  # the forms filed, to add each once (made on first add)
            self._known = {form for forms in keyed.values() for form in forms}
        for form in _forms(word):
            if form not in self._known:
                key = word_skeleton(form)
                if not key:
                    continue
                self._known.add(form)
                keyed.setdefault(key, []).append(form)
                if word != form:
                    table[form] = [word]  # the form itself is not (yet) a word
                continue
            words = table.get(form)
            if words is None:  # so far the form was its only word
                if word != form:
                    table[form] = [form, word]
            elif word not in words:
                words.append(word)

    def words_of(self, form: str) -> list[str]:
        """The vocabulary words of a form filed here."""
        joined = self._joined_tables()
        if joined is None:
            return self._words.get(form) or [form]
        items = joined[1].get(form)
        return items.split(FIELD) if items else [form]

    def to_json(self) -> dict[str, dict[str, list[str]]]:
        """The tables as JSON data (read back by :meth:`from_json`)."""
        return {"keyed": self.keyed, "words": self.words}

    def to_texts(self) -> dict[str, str] | None:
        """The tables as two texts (read back by :meth:`from_texts`): each entry a key and
        its list, separated by :data:`~reader.core.search.word_table.FIELD`, ended by
        :data:`~reader.core.search.word_table.LINE`, in the tables' order; None when a key
        or a list item holds a separator, or a list is empty (then :meth:`to_json`)."""
        keyed, words = _table_text(self.keyed), _table_text(self.words)
        if keyed is None or words is None:
            return None
        return {"keyed": keyed, "words": words}

    @classmethod
    def from_texts(cls, data: object) -> NameTables | None:
        """Tables from :meth:`to_texts`'s data, or None when it is anything else (checked by
        counting the separators, as :class:`~reader.core.search.word_table.WordTable` does;
        the entries are read when the tables are first used)."""
        if not isinstance(data, dict):
            return None
        keyed, words = data.get("keyed"), data.get("words")
        if not _is_table_text(keyed) or not _is_table_text(words):
            return None
        tables = cls()
        tables._texts = (keyed, words)
        return tables

    @classmethod
    def from_json(cls, data: object) -> NameTables | None:
        """Tables from :meth:`to_json`'s data (or :meth:`to_texts`'s), or None when it is
        anything else (checked by the types of all keys and values at once rather than one
        by one: a tenth of the time at 38,000 name forms, which a cold search pays)."""
        if not isinstance(data, dict):
            return None
        tables = [data.get(name) for name in ("keyed", "words")]
        if all(isinstance(table, str) for table in tables):
            return cls.from_texts(data)
        for table in tables:
            if not isinstance(table, dict) or not set(map(type, table)) <= {str}:
                return None
            if not set(map(type, table.values())) <= {list}:
                return None
            if not set(map(type, itertools.chain.from_iterable(table.values()))) <= {str}:
                return None
        return cls(*tables)


def _table_text(table: dict[str, list[str]]) -> str | None:
    """The text of a table of lists (see :meth:`NameTables.to_texts`), or None."""
    text = "".join([FIELD.join([key, *items]) + LINE for key, items in table.items()])
    entries = len(table) + sum(map(len, table.values()))
    if text.count(LINE) != len(table) or text.count(FIELD) != entries - len(table):
        return None
    if not all(table.values()):
        return None
    return text


def _is_table_text(text: object) -> TypeGuard[str]:
    """Whether ``text`` may be what :func:`_table_text` writes (its separators counted)."""
    if not isinstance(text, str) or (text and not text.endswith(LINE)):
        return False
    return text.count(FIELD) >= text.count(LINE)  # each entry: a key and a list item


def _joined_table(text: str) -> dict[str, str]:
    """Each key of a text :func:`_table_text` wrote -> its list as one text (items joined by
    FIELD). Any text: never raises (an entry without a list has an empty one)."""
    entries = text.split(LINE)[:-1]
    try:
        return dict(map(methodcaller("split", FIELD, 1), entries))
    except ValueError:  # an entry without FIELD: not what _table_text writes
        return {key: items for key, _, items in (e.partition(FIELD) for e in entries)}


class NameLayer:
    """Lookups over a vocabulary's :class:`NameTables`. Read-only: made again when words are
    added."""

    def __init__(self, vocabulary: Vocabulary, tables: NameTables) -> None:
        self._vocabulary = vocabulary
        self._terms = vocabulary.words()
        self._tables = tables
        # (word, limit) -> its spellings: a query being typed asks again for the words
        # before the one being typed at every key.
        self._spelled: dict[tuple[str, int], tuple[str, ...]] = {}

    def load(self) -> None:
        """Read now what the first lookup would (the name tables' entries)."""
        self._tables.forms_under("")

    def __len__(self) -> int:
        """How many name forms the layer holds."""
        return sum(map(len, self._tables.keyed.values()))

    def _candidates(self, form: str) -> set[str]:
        """Forms whose skeleton is the form's or, from four classes on, one class longer or
        shorter (Tehran TRN / طهران THRN); not verified. Shorter skeletons are looked up as
        they are: their one-class-apart neighbours are too many to be worth verifying."""
        key = word_skeleton(form)
        if not key:
            return set()
        forms_under = self._tables.forms_under
        found = set(forms_under(key))
        near: set[str] = set()
        if len(key) >= 4:
            near.update(key[:i] + key[i + 1 :] for i in range(len(key)))
        if len(key) >= 3:
            near.update(key[:i] + c + key[i:] for i in range(len(key) + 1) for c in _CLASSES)
        for other in near:
            found.update(forms_under(other))
        return found

    def _usable(self, form: str) -> list[str]:
        """The vocabulary words of a form that may stand for a name (Latin ones the corpus
        writes as names)."""
        words = self._tables.words_of(form)
        if has_arabic(form):
            return words
        return [w for w in words if self._vocabulary.name_like(w)]

    def _matches(self, form: str, base: float, found: dict[str, float]) -> None:
        for candidate in self._candidates(form):
            if not self._usable(candidate):
                continue
            cost = spelling_cost(form, candidate)
            if cost is not None and base + cost < found.get(candidate, float("inf")):
                found[candidate] = base + cost

    def spellings(self, word: str, limit: int = MOST_SPELLINGS) -> list[str]:
        """Vocabulary words that spell the name ``word`` (a query word as typed) otherwise,
        closest first, at most ``limit`` (one per index term). A Latin word the corpus writes
        as a common word (in lower case more than capitalised) has none. The last
        :data:`SPELLINGS_KEPT` answers are kept (the layer does not change)."""
        key = (word, limit)
        kept = self._spelled.get(key)
        if kept is None:
            if len(self._spelled) >= SPELLINGS_KEPT:
                del self._spelled[next(iter(self._spelled))]  # the oldest
            kept = self._spelled[key] = tuple(self._spellings(word, limit))
        return list(kept)

    def _spellings(self, word: str, limit: int) -> list[str]:
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
            for spelled in sorted(self._usable(candidate)):
                term = self._terms.get(spelled)
                if term in terms:
                    continue
                terms.add(term)
                out.append(spelled)
                if len(out) >= limit:
                    return out
        return out
