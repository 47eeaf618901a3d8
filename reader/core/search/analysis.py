"""Search analysis for English and Arabic text, shared by indexing, queries and highlighting.

One analyzer serves both languages: each word is analysed by its own script, so a mixed
article, a mixed query and an article whose language was guessed wrong all work. Per word:
NFKC folding (so pasted presentation forms match), lower-casing, Latin letters without their
diacritics (:data:`LATIN_FOLD`), then

- Arabic (see :mod:`reader.core.search.arabic`): stopwords, normalization, light10 stemming;
- a dotted initialism (U.S.): its letters; an English stopword written in capitals (US,
  WHO): an acronym, kept;
- anything else: English stopwords and the Snowball English stemmer.

Words repeat with a Zipf distribution, so the per-word work is cached.
:func:`index_term` (stemmed) feeds the ``body``/``title`` fields; :func:`fold_term` (no stem,
no stopwords) feeds the ``exact`` field that answers prefix and wildcard queries.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer, Token
from whoosh.lang.snowball.english import EnglishStemmer

from reader.core.search import arabic
from reader.core.text.arabic import WORD_MARKS, from_screen
from reader.core.text.stopwords import SEARCH_ENGLISH

# A dotted initialism (U.S., U.N., U.A.E., D.C.: 2 to INITIALISM_LETTERS capitals each
# followed by a dot, the last dot optional, the whole run: not inside a longer one), one word;
# else letters and digits, with Arabic harakat, tatweel and combining marks kept inside the
# word (Whoosh's default tokenizer splits عمّان at the shadda). Bounded and anchored so that a
# hostile A.A.A.… of any length is split in linear time (each of its letters a word).
INITIALISM_LETTERS = 6  # U.N.E.S.C.O.
_AFTER = f"(?![\\w{WORD_MARKS}])"  # the initialism is not the start of a longer word
WORD = re.compile(
    f"(?<![A-Z]\\.)[A-Z](?:\\.[A-Z]){{1,{INITIALISM_LETTERS - 1}}}"
    f"(?:\\.{_AFTER}|(?!\\.){_AFTER})|[^\\W_][\\w{WORD_MARKS}]*"
)
_PLAIN_WORD = re.compile(f"[^\\W_][\\w{WORD_MARKS}]*")  # WORD without initialisms
_MAY_HOLD_INITIALISM = re.compile(r"\.[A-Z]")


def word_pattern(text: str) -> re.Pattern[str]:
    """:data:`WORD`, or for a text with no capital right after a dot (so no initialism) the
    same pattern without its initialism branch: the same words, found 20% faster (the
    indexer splits every text this way)."""
    return WORD if _MAY_HOLD_INITIALISM.search(text) else _PLAIN_WORD


def split_words(text: str) -> list[str]:
    """Every word of ``text`` as written (``WORD.findall``, through :func:`word_pattern`)."""
    return word_pattern(text).findall(text)


ENGLISH_STOPWORDS = SEARCH_ENGLISH


def _latin_letters() -> dict[int, str]:
    """Each Latin letter with diacritics (precomposed: é, ğ, İ, ç...) -> its letter without
    them, and ı ł ø đ, which have no decomposition, -> i l o d: one character for one, so a
    text folded with it keeps its offsets (the highlighter's scan)."""
    table: dict[int, str] = {ord(c): b for c, b in zip("ıłøđ", "ilod", strict=True)}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        letters = unicodedata.normalize("NFD", chr(code))
        base, accents = letters[0], letters[1:]
        if (
            accents
            and base.isascii()
            and base.isalpha()
            and all(map(unicodedata.combining, accents))
        ):
            table[code] = base.lower()  # (looked up after lower-casing)
    return table


# Latin letters folded to their letters without diacritics, as search engines fold them
# (FTS5's remove_diacritics, Lucene's ASCII folding): Erdogan finds Erdoğan, Istanbul İstanbul,
# naive naïve. One character for one; LATIN_FOLD also drops the dot above left by lower-casing
# İ (i + U+0307).
LATIN_FOLD: dict[int, str | None] = {**_latin_letters(), 0x0307: None}


def _ranges(codes: list[int]) -> str:
    """A regex character class body for ``codes`` (sorted), runs written as ranges."""
    parts, start = [], codes[0]
    for before, code in itertools.pairwise([*codes, -1]):
        if code != before + 1:
            parts.append(
                re.escape(chr(start)) + ("-" + re.escape(chr(before)) if before > start else "")
            )
            start = code
    return "".join(parts)


# A character LATIN_FOLD folds, or a combining accent (U+0300-U+036F, which NFKC may first
# compose with its letter): a text without any is folded by lower-casing alone.
LATIN_DIACRITICS = re.compile(f"[{_ranges(sorted({*LATIN_FOLD, *range(0x0300, 0x0370)}))}]")

_english = EnglishStemmer()


@lru_cache(maxsize=1 << 18)
def fold_term(word: str) -> str:
    """A word folded for exact and prefix matching: NFKC, lower case, Latin letters without
    diacritics, Arabic normalized; a dotted initialism without its dots (U.S.: us)."""
    if word.isascii():
        return word.replace(".", "").lower() if "." in word else word.lower()
    word = unicodedata.normalize("NFKC", word).lower().translate(LATIN_FOLD)
    return arabic.normalize(word)


@lru_cache(maxsize=1 << 18)
def index_term(word: str) -> str | None:
    """The term a word is indexed and searched under, or None for a stopword.

    A dotted initialism is its letters, in lower case, neither stemmed nor a stopword: U.S.
    and US (written in capitals, an English stopword is an acronym: US, WHO, IS) are "us",
    U.N. and UN "un", U.A.E. and UAE "uae"; "us" in lower case is a stopword."""
    if "." in word and word.isascii():  # only an initialism holds a dot (WORD)
        return word.replace(".", "").lower()
    original = word
    if not word.isascii():
        word = unicodedata.normalize("NFKC", word).translate(arabic.DIGITS)
        word = word.lower().translate(LATIN_FOLD)
    else:
        word = word.lower()
    if arabic.has_arabic(word):
        if word in arabic.STOPWORDS:
            return None
        folded = arabic.normalize(word)
        if not folded or folded in arabic.STOPWORDS:
            return None
        return arabic.light_stem(folded)
    if word in ENGLISH_STOPWORDS:
        return word if len(word) > 1 and original.isupper() else None
    if word.isdigit():
        return word
    return str(_english.stem(word))


_TYPED_INITIALISM = re.compile(
    rf"(?<![\w.])[a-z](?:\.[a-z]){{1,{INITIALISM_LETTERS - 1}}}\.?(?![\w.])"
)


def typed_initialisms(text: str) -> str:
    """Query text with the initialisms typed in lower case (u.s., u.n.) in capitals, as the
    articles write them (only capitals make an initialism: an article's a.m. and e.g. are not
    one); the same length, everything else as typed."""
    if "." not in text:
        return text
    return _TYPED_INITIALISM.sub(lambda m: m.group().upper(), text)


def query_to_logical(text: str) -> str:
    """Undo a copy from a screen that shows Arabic shaped and in visual order
    (:func:`reader.core.text.arabic.from_screen`): the query as logical text of plain letters,
    so its names are looked up in the other script as typed ones are."""
    return from_screen(text)


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) for each word of the text, in logical order."""
    for match in word_pattern(text).finditer(text):
        yield match.start(), match.end(), match.group()


class ReaderAnalyzer(Analyzer):  # type: ignore[misc]
    """Whoosh analyzer over :func:`index_term` (``stem=True``) or :func:`fold_term`.

    Called with ``tokenize=False`` (prefix, wildcard and range queries), it folds the whole
    text without stemming, so prefixes match the beginnings of words as written.
    """

    def __init__(self, stem: bool = True) -> None:
        self.stem = stem

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReaderAnalyzer) and other.stem == self.stem

    def __hash__(self) -> int:
        return hash(("ReaderAnalyzer", self.stem))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = fold_term(value)
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        term_of = index_term if self.stem else fold_term
        pos = start_pos
        for match in word_pattern(value).finditer(value):
            raw = match.group()
            term = term_of(raw)
            if term is None:
                if removestops:
                    continue  # like Whoosh's StopFilter(renumber=True): no gap in positions
                token.stopped = True
                term = raw.lower()
            else:
                token.stopped = False
            token.text = term
            token.boost = 1.0
            if keeporiginal:
                token.original = raw
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            pos += 1
            yield token


def term_positions(
    text: str, stem: bool = True, words: dict[str, int] | None = None
) -> dict[str, list[int]]:
    """Each term of ``text`` with the positions it occurs at, in first-occurrence order:
    exactly the terms and positions :class:`ReaderAnalyzer` yields for it (stopwords
    dropped with no gap), without a token object per word. The index builder's fast path.
    With ``words``, each word indexed is also counted in it as written, in the same pass
    (:func:`reader.core.search.word_starts.terms_and_starts`)."""
    term_of = index_term if stem else fold_term
    positions: dict[str, list[int]] = {}
    pos = 0
    for raw in split_words(text):
        term = term_of(raw)
        if term is None:
            continue
        found = positions.get(term)
        if found is None:
            positions[term] = [pos]
        else:
            found.append(pos)
        pos += 1
        if words is not None:
            words[raw] = words.get(raw, 0) + 1
    return positions
