"""Entities: the people, places and bodies a story is about, recognised in either script.

A :class:`Gazetteer` knows each entity's spellings (:mod:`reader.core.names.gazetteer` loads one
from the built-in ``gazetteer.toml`` plus the user's own file); :func:`find_entities` finds them
in a text with code-point offsets; and :func:`cross_script_terms` turns a search word into its
spellings in the other script (and same-script variants), falling back to the transliteration
matcher for names the gazetteer does not know. Matching tolerates Arabic prefixes (و ب ل ك ف
ال) and letter variants (أ/إ/آ→ا, ى→ي, ة→ه) and English case and possessives ('s, ’s).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

from reader.core.names.entity_words import _AR, _LATIN, _alias_keys, _gap_ok, _Lexeme, _Word, _words
from reader.core.text.arabic import LETTER_CLASS
from reader.core.text.arabic import has_arabic as is_arabic
from reader.core.text.stopwords import CONTENT_ENGLISH


@dataclass(frozen=True, slots=True)
class Entity:
    """One person, place or organisation. ``key`` is stable and is what events and notes use."""

    key: str
    name: str
    type: str
    aliases: tuple[str, ...]
    name_ar: str = ""
    # Spellings (of ``aliases``) other stories use for something else ("General Command",
    # "Saleh"): they name this entity only in an article that names it another way or names
    # one of the entities of ``context`` (keys); see :func:`in_context`.
    in_context: frozenset[str] = frozenset()
    context: tuple[str, ...] = ()

    def aliases_in(self, arabic: bool) -> tuple[str, ...]:
        """The aliases in Arabic script (``arabic=True``) or in Latin script."""
        return tuple(a for a in self.aliases if is_arabic(a) == arabic)


@dataclass(frozen=True, slots=True)
class EntityMention:
    """An entity found in a text: ``text[start:end] == surface`` (offsets in code points);
    ``bound``: through a spelling that names it only in context (:attr:`Entity.in_context`)."""

    key: str
    start: int
    end: int
    surface: str
    bound: bool = False


@dataclass(frozen=True, slots=True)
class _Alias:
    keys: tuple[str, ...]
    entity: str
    exact: tuple[str, ...] | None  # surfaces required when the alias is an acronym (GNA, UN)
    bound: bool  # a spelling of Entity.in_context


class Gazetteer:
    """Entities by key, with an index of their aliases for matching. Immutable once built."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._entities: dict[str, Entity] = {}
        for entity in entities:
            self._entities[entity.key] = entity
        self._index: dict[str, list[_Alias]] = {}
        live: set[str] = set()
        self._live = live
        # What each spelling and each of its words is, worked out once (a name is often an
        # alias too, and aliases share words): the same as working them out every time.
        spelled: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None] | None] = {}
        lexemes: dict[str, _Lexeme] = {}
        for entity in self._entities.values():
            for alias in (entity.name, *entity.aliases):
                if alias not in spelled:
                    spelled[alias] = _alias_keys(alias, lexemes)
                found = spelled[alias]
                if found is not None:
                    bound = alias in entity.in_context
                    self._add_alias(*found, entity.key, bound)
        for aliases in self._index.values():
            aliases.sort(key=lambda a: -len(a.keys))
        self.live_words = frozenset(live)
        self._lexemes: dict[str, _Lexeme] = {}  # see _words
        self._longest: dict[tuple[str, bool], int] = {}  # see _longest_spelling
        self.first_words = frozenset(self._index)  # the first word of every alias

    def _add_alias(
        self, keys: tuple[str, ...], exact: tuple[str, ...] | None, key: str, bound: bool
    ) -> None:
        """File the alias whose words have these ``keys`` (and, for an acronym, must be
        written ``exact``ly so) under entity ``key``; ``bound``: it names the entity only in
        context."""
        self._live.update(keys)
        entries = self._index.setdefault(keys[0], [])
        same = [e for e in entries if e.keys == keys and e.entity == key and e.exact == exact]
        if not same:
            entries.append(_Alias(keys, key, exact, bound))
        elif same[0].bound and not bound:  # one spelling bound, another the same words not
            entries[entries.index(same[0])] = _Alias(keys, key, exact, False)

    def __getstate__(self) -> dict[str, object]:
        """Pickled (for worker processes) without what it remembers of words it has seen."""
        return {**self.__dict__, "_lexemes": {}, "_longest": {}}

    @property
    def entities(self) -> Mapping[str, Entity]:
        """Every entity by key, in file order."""
        return self._entities

    def get(self, key: str) -> Entity | None:
        """The entity with this key, or None."""
        return self._entities.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._entities

    def __len__(self) -> int:
        return len(self._entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self._entities.values())

    def _match(self, text: str, words: list[_Word | None], i: int) -> list[tuple[int, str, bool]]:
        """(word count, entity key, whether only in context) of every alias matching at
        ``words[i]``, longest first, and of one length an alias that needs no context
        first."""
        found: list[tuple[int, str, bool]] = []
        first = words[i]
        if first is None:
            return found
        for form in first.forms:
            for alias in self._index.get(form, ()):
                n = len(alias.keys)
                span = words[i : i + n]
                if len(span) < n:
                    continue
                ok = all(
                    (w := span[k]) is not None
                    and (p := span[k - 1]) is not None
                    and alias.keys[k] in w.forms
                    and _gap_ok(text, p.end, w.start)
                    for k in range(1, n)
                )
                if ok and alias.exact is not None:
                    ok = all(
                        (w := span[k]) is not None and w.surface == alias.exact[k] for k in range(n)
                    )
                if ok and (n, alias.entity, alias.bound) not in found:
                    found.append((n, alias.entity, alias.bound))
        found.sort(key=lambda item: (-item[0], item[2]))
        return found

    def in_its_context(self, key: str, named: Collection[str]) -> bool:
        """Whether a spelling that names entity ``key`` only in context does so in an article
        naming the entities ``named`` (keys, each through a spelling that needs no context):
        it names this entity too, or one of the entity's :attr:`Entity.context`."""
        if key in named:
            return True
        entity = self._entities.get(key)
        return entity is not None and any(k in named for k in entity.context)

    def another_body(self, key: str, n: int, text: str, start: int, end: int) -> bool:
        """Whether the ``n``-word mention of organisation ``key`` at ``text[start:end]`` is in
        fact part of another body's name: the entity has a longer spelling in the mention's
        script (Libyan Red Crescent, الهلال الأحمر الليبي) and the text qualifies the short
        one differently: a capitalised word in front (Palestinian Red Crescent, not a
        function word such as "The") or, in Arabic, a nisba adjective after (الهلال الأحمر
        الفلسطيني). The longer spelling itself matches first, so its own qualifier never
        gets here."""
        arabic = is_arabic(text[start:end])
        if self._longest_spelling(key, arabic) <= n:  # not an organisation: 0
            return False
        if arabic:
            return _QUALIFIER_AFTER.match(text, end) is not None
        before = _QUALIFIER_BEFORE.search(text, max(0, start - 40), start)
        return before is not None and before.group(1).casefold() not in CONTENT_ENGLISH

    def _longest_spelling(self, key: str, arabic: bool) -> int:
        """The most words of an alias of organisation ``key`` in one script; 0 for another
        kind of entity. Worked out once (it is asked for every mention)."""
        found = self._longest.get((key, arabic))
        if found is None:
            entity = self._entities.get(key)
            found = 0
            if entity is not None and entity.type == "organisation":
                found = max(
                    (
                        len([w for w in _words(alias) if w is not None])
                        for alias in entity.aliases_in(arabic)
                    ),
                    default=0,
                )
            self._longest[(key, arabic)] = found
        return found

    def lookup(self, phrase: str) -> list[Entity]:
        """Entities one of whose aliases is the whole of ``phrase`` (a word or a name)."""
        words = _words(phrase)
        if not words or None in words:
            return []
        keys = list(
            dict.fromkeys(key for n, key, _b in self._match(phrase, words, 0) if n == len(words))
        )
        return [self._entities[key] for key in keys]


def find_entities(text: str, gazetteer: Gazetteer) -> list[EntityMention]:
    """Every gazetteer entity mentioned in ``text``, left to right, longest alias first, never
    overlapping. Offsets are code points into ``text``; a mention covers an Arabic word with its
    prefixes (والمسماري) and a Latin name with its article (al-Mismari) but not a possessive.
    A spelling that names an entity only in context counts when ``text`` gives that context
    (:func:`in_context`); :func:`all_mentions` has them all."""
    return in_context(all_mentions(text, gazetteer), gazetteer)


def named_keys(mentions: Iterable[EntityMention]) -> set[str]:
    """The keys of ``mentions`` found through a spelling that needs no context."""
    return {m.key for m in mentions if not m.bound}


def in_context(
    mentions: list[EntityMention], gazetteer: Gazetteer, named: Collection[str] | None = None
) -> list[EntityMention]:
    """``mentions`` without those through a spelling that names its entity only in context
    (:attr:`Entity.in_context`) where the article gives none: ``named``, the entities the
    article names through other spellings (keys), by default those of ``mentions``
    (:func:`named_keys`; a caller reading a title and a body apart passes both's)."""
    if not any(m.bound for m in mentions):
        return mentions
    known = named_keys(mentions) if named is None else named
    return [m for m in mentions if not m.bound or gazetteer.in_its_context(m.key, known)]


def all_mentions(text: str, gazetteer: Gazetteer) -> list[EntityMention]:
    """:func:`find_entities` of ``text`` with the mentions through a spelling that names its
    entity only in context kept whatever the context (``bound``)."""
    words = _words(text, gazetteer.live_words, gazetteer._lexemes, gazetteer.first_words)
    mentions: list[EntityMention] = []
    starts = gazetteer.first_words  # only there can a mention start
    i = 0
    while i < len(words):
        word = words[i]
        if word is None or starts.isdisjoint(word.forms):
            i += 1
            continue
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
    return mentions


# A capitalised word right before a name ("Palestinian Red Crescent") and an Arabic nisba
# adjective right after one (الهلال الأحمر الفلسطيني): what sets one body apart from another.
_QUALIFIER_BEFORE = re.compile(rf"(?:^|[^{_LATIN}'’])([A-Z][{_LATIN}]+) $")
_QUALIFIER_AFTER = re.compile(rf" (ال[{LETTER_CLASS}]{{2,}}(?:ي|ية|يه))(?![{_AR}])")
