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
from itertools import accumulate, compress
from operator import itemgetter
from typing import NamedTuple

from reader.core.names.transliterate import strip_latin_marks
from reader.core.text.arabic import HARAKAT, LETTER_CLASS, QURANIC_MARKS
from reader.core.text.arabic import fold_name as fold_arabic
from reader.core.text.arabic import has_arabic as is_arabic
from reader.core.text.stopwords import CONTENT_ENGLISH
from reader.core.text.tokens import LATIN, folded_word, looked_up, token_parts

_LATIN = LATIN
_AR = LETTER_CLASS + HARAKAT + QURANIC_MARKS  # an Arabic word: letters (tatweel too) and marks
_GAP = re.compile(r"[\s\-–‐.]*")
_ARTICLES = frozenset(("al", "el"))
_ASSIMILATED = frozenset(("ad", "ar", "as", "ash", "at", "ath", "az", "an"))
_ARTICLES_ALL = _ARTICLES | _ASSIMILATED


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


class _Word(NamedTuple):  # a tuple: made by the hundred thousand, cheaply
    start: int
    end: int  # without a possessive 's
    surface: str
    forms: tuple[str, ...]  # normalised spellings it may stand for, most literal first
    article_start: int  # start of an al-/el- glued in front, else ``start``


def _latin_forms(surface: str) -> tuple[str, str]:
    """(surface without possessive, normalised form) of a Latin token."""
    bare = surface
    for tail in ("'s", "’s", "'", "’"):
        if bare.endswith(tail) and len(bare) > len(tail):
            bare = bare[: -len(tail)]
            break
    return bare, strip_latin_marks(bare).replace("’", "'")


def _arabic_forms(token: str) -> list[str]:
    """A folded Arabic token and what it may be without its prefixes (و ف، ب ل ك، ال، لل)."""
    word = folded_word(token)
    forms = [word]

    def add(form: str) -> None:
        if len(form) >= 2 and form not in forms:
            forms.append(form)

    rest = word
    if rest.startswith("ال"):
        add(rest[2:])
    if len(rest) > 3 and rest[0] in "وف":
        rest = rest[1:]
        add(rest)
        if rest.startswith("ال"):
            add(rest[2:])
    if len(rest) > 3 and rest[0] in "بلك":
        if rest.startswith("لل"):
            add(rest[2:])  # li- + al-: للجيش
        rest = rest[1:]
        add(rest)
        if rest.startswith("ال"):
            add(rest[2:])
    return forms


def _alias_key(token: str) -> str:
    if is_arabic(token):
        word = fold_arabic(token)
        return word[2:] if word.startswith("ال") and len(word) > 3 else word
    return _latin_forms(token)[1]


# What a token is for matching, worked out once per spelling (see :func:`_words`): a word no
# alias uses (it only breaks names), an Arabic word, or a Latin word: (kind, bare, norm, forms,
# opens); ``opens``: a name may start with it (or it is an article, part of the next word).
_Lexeme = tuple[int, str, str, tuple[str, ...], bool]
_DEAD, _ARABIC_WORD, _LATIN_WORD = 0, 1, 2  # _DEAD must stay 0 (falsy): see _words
_LEXEMES_KEPT = 200_000  # spellings remembered per gazetteer before the memory starts over


def _lexeme(
    surface: str, live: frozenset[str] | None, first: frozenset[str] | None = None
) -> _Lexeme:
    """What the token ``surface`` is (see :data:`_Lexeme`); with ``live`` (every alias
    word), a word no alias uses is dead; with ``first`` (every alias's first word), a word
    that is neither one of them nor an article does not open a name (else every word does)."""
    kind, bare, norm, forms = _kind(surface, live)
    opens = first is None or norm in _ARTICLES_ALL or not first.isdisjoint(forms)
    return (kind, bare, norm, forms, opens)


def _kind(surface: str, live: frozenset[str] | None) -> tuple[int, str, str, tuple[str, ...]]:
    """(kind, bare, norm, forms) of :func:`_lexeme`."""
    if surface.isascii() and "'" not in surface:
        bare, norm = surface, surface.lower()  # the common case
        glued = norm[:2] in ("al", "el") and norm[2:] in live if live is not None else True
        if live is not None and norm not in live and norm not in _ARTICLES_ALL and not glued:
            return (_DEAD, "", "", ())
    elif is_arabic(surface):
        forms = _arabic_forms(surface)
        if live is not None and not any(f in live for f in forms):
            return (_DEAD, "", "", ())
        return (_ARABIC_WORD, surface, "", tuple(forms))
    else:
        bare, norm = _latin_forms(surface)
    if norm[:2] in ("al", "el") and len(norm) > 5:
        return (_LATIN_WORD, bare, norm, (norm, norm[2:]))  # article glued on: Alsisi, Elhassi
    return (_LATIN_WORD, bare, norm, (norm,))


def _words(
    text: str,
    live: frozenset[str] | None = None,
    memory: dict[str, _Lexeme] | None = None,
    first: frozenset[str] | None = None,
) -> list[_Word | None]:
    """The words of ``text`` for matching; Latin articles (al-, el-) are folded into the next.
    With ``live`` (every alias word), words no alias uses are left out, a None standing where
    one or more of them broke the sequence (they only break names). With ``first`` too (the
    first word of every alias), a word no alias starts with is left out as well when the word
    before it was: no name can reach it ("of" after a word no alias uses). ``memory``: what
    each spelling is, kept between calls with the same ``live`` and ``first``.

    The text is split into tokens and their offsets by the regex engine (once per text:
    :func:`reader.core.text.tokens.token_parts`), and each spelling is looked at once
    (``memory``), so the words no alias uses cost almost nothing."""
    lexemes: dict[str, _Lexeme] = {} if memory is None else memory
    if len(lexemes) > _LEXEMES_KEPT:
        lexemes.clear()
    parts = token_parts(text)  # separator, token, separator, ..., separator
    tokens = parts[1::2]
    known = looked_up(lexemes, tokens, lambda surface: _lexeme(surface, live, first))
    wanted = list(compress(range(len(known)), map(itemgetter(0), known)))  # kind 0: no alias
    if not wanted:
        return [None] if tokens else []
    offsets = list(accumulate(map(len, parts), initial=0))  # offsets[j]: where parts[j] starts
    words: list[_Word | None] = []
    pending: int | None = None
    previous = -1
    for k in wanted:
        kind, bare, norm, forms, opens = known[k]
        if k != previous + 1:  # words no alias uses came between
            if not opens:
                continue  # nothing before it can reach it, and no name starts with it
            words.append(None)
            pending = None
        previous = k
        start, end = offsets[2 * k + 1], offsets[2 * k + 2]
        if kind == _ARABIC_WORD:
            words.append(_Word(start, end, bare, forms, start))
            pending = None
            continue
        after = text[end : end + 1]
        if (norm in _ARTICLES and after in ("-", " ", "‐")) or (
            norm in _ASSIMILATED and after in ("-", "‐")
        ):
            pending = start  # an article: part of the next word's mention
            continue
        article_start = pending if pending is not None else start
        words.append(_Word(start, start + len(bare), bare, forms, article_start))
        pending = None
    if previous != len(tokens) - 1:
        words.append(None)
    return words


def _alias_keys(
    alias: str, lexemes: dict[str, _Lexeme]
) -> tuple[tuple[str, ...], tuple[str, ...] | None] | None:
    """The match keys of the words of a gazetteer spelling and, when it is an acronym (GNA,
    UN), the words as they must be written; None when it has no word. ``lexemes``: as for
    :func:`_words`."""
    words = [w for w in _words(alias, memory=lexemes) if w is not None]
    if not words:
        return None
    keys = tuple(_alias_key(w.surface) for w in words)
    letters = [c for c in alias if c.isalpha()]
    acronym = len(letters) <= 5 and sum(c.isupper() for c in letters) >= 2
    exact = tuple(w.surface for w in words) if acronym else None
    return keys, exact


def _gap_ok(text: str, end: int, start: int) -> bool:
    """Words of one multi-word name are separated by spaces, hyphens, dots or an article."""
    gap = text[end:start]
    if len(gap) > 5:
        return False
    cleaned = re.sub(r"(?i)(?<![a-z])(?:al|el)(?=[\s\-‐])", "", gap)
    return _GAP.fullmatch(cleaned) is not None


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
