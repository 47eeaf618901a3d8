"""The words of a text as entity matching reads them (for :mod:`reader.core.names.entities`):
each token once per spelling (:func:`_words`, remembered in a bounded memory), Arabic words with
the forms their prefixes (و ف ب ل ك ال) may hide, Latin words lower-cased with their article
(al-, el-) folded into the next word and a possessive left out, and the words no alias uses
left out, a gap standing for them; :func:`_alias_keys` reads a gazetteer spelling the same way.
Pure functions of their arguments (and the memory passed in); private to the names package.
"""

from __future__ import annotations

import re
from itertools import accumulate, compress
from operator import itemgetter
from typing import NamedTuple

from reader.core.names.transliterate import strip_latin_marks
from reader.core.text.arabic import HARAKAT, LETTER_CLASS, QURANIC_MARKS
from reader.core.text.arabic import fold_name as fold_arabic
from reader.core.text.arabic import has_arabic as is_arabic
from reader.core.text.tokens import LATIN, folded_word, looked_up, token_parts

_LATIN = LATIN
_AR = LETTER_CLASS + HARAKAT + QURANIC_MARKS  # an Arabic word: letters (tatweel too) and marks
_GAP = re.compile(r"[\s\-–‐.]*")
_ARTICLES = frozenset(("al", "el"))
_ASSIMILATED = frozenset(("ad", "ar", "as", "ash", "at", "ath", "az", "an"))
_ARTICLES_ALL = _ARTICLES | _ASSIMILATED


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
