"""The words of a text, split once: Latin words and Arabic words and what lies between them.

:func:`token_parts` splits a text as ``re.split`` with a capturing group does: ``parts[1::2]``
are the words, in order, and ``parts[0::2]`` what lies between them (the first and the last
may be empty), so ``"".join(parts) == text``. A Latin word is a run of Latin letters (A-Z,
a-z, U+00C0-U+024F) with an apostrophe (' or ’) now and then between two of them; an Arabic
word is a run of Arabic letters, harakat and Quranic marks (:mod:`reader.core.text.arabic`).
:func:`latin_words` and :func:`arabic_words` pick the words of one script.

Several readers of one text split it the same way (event profiling reads an article's lead
for entities, terms and names): the last few texts split are remembered, so the later readers
get the same list without splitting again. Callers may rely on: a pure function of the text
(what is remembered never changes a result); the list returned is shared and must not be
changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar, cast

from reader.core.text.arabic import HARAKAT, LETTER_CLASS, QURANIC_MARKS, fold_name

__all__ = [
    "LATIN",
    "WORD",
    "arabic_words",
    "folded_word",
    "latin_words",
    "looked_up",
    "token_parts",
]

LATIN = "A-Za-z\u00c0-\u024f"
_AR = LETTER_CLASS + HARAKAT + QURANIC_MARKS  # an Arabic word: letters (tatweel too) and marks
WORD = re.compile(rf"[{LATIN}]+(?:['’][{LATIN}]+)*|[{_AR}]+")
_SPLIT = re.compile(f"({WORD.pattern})")
# Every Arabic word's first character comes after every Latin letter (U+024F and before): a
# word is Arabic when it sorts at or after this, compared in C (see arabic_words).
_ARABIC_FROM = "\u0250"
if min(_AR.replace("-", "")) < _ARABIC_FROM:  # pragma: no cover - the classes changed
    raise ValueError("an Arabic word character sorts before the Latin letters end")
_KEPT = 4  # texts remembered
_recent: dict[str, list[str]] = {}


# An ASCII text is split in C without the regex engine (which tries a match at every
# character between words: a third more instructions): an apostrophe between two letters
# marked as part of a word, then the words are the letters left when every other byte is a
# space, and what lies between them the runs the letters, made one mark, leave.
_INNER_APOSTROPHE = re.compile("'(?<=[A-Za-z]')(?=[A-Za-z])")  # starts with a literal: fast
_JOINED = "\x02"  # an apostrophe inside a word, while the text is split
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" + _JOINED)
_IN_WORD = bytes(c if chr(c) in _LETTERS else 32 for c in range(256))
_AS_MARK = bytes(1 if chr(c) in _LETTERS else c for c in range(256))


def _ascii_parts(text: str) -> list[str]:
    """``_SPLIT.split(text)`` for an ASCII ``text`` holding neither U+0001 nor U+0002."""
    marked = _INNER_APOSTROPHE.sub(_JOINED, text) if "'" in text else text
    data = marked.encode("ascii")
    joined = data.translate(_IN_WORD).decode("ascii")
    words = (joined.replace(_JOINED, "'") if marked is not text else joined).split()
    if not words:
        return [text]
    between = data.translate(_AS_MARK).decode("ascii").split("\x01")
    parts = [""] * (2 * len(words) + 1)
    parts[0], parts[-1] = between[0], between[-1]
    parts[2:-1:2] = list(filter(None, between[1:-1]))  # a letter after a letter leaves ""
    parts[1::2] = words
    return parts


def token_parts(text: str) -> list[str]:
    """``text`` split into words and what lies between them (see the module docstring)."""
    parts = _recent.get(text)
    if parts is None:
        plain = text.isascii() and "\x01" not in text and _JOINED not in text
        parts = _ascii_parts(text) if plain else _SPLIT.split(text)
        if len(_recent) >= _KEPT:
            _recent.pop(next(iter(_recent)), None)
        _recent[text] = parts
    return parts


_FOLDED_KEPT = 200_000  # words remembered before the memory starts over
_folded: dict[str, str] = {}


def folded_word(word: str) -> str:
    """:func:`reader.core.text.arabic.fold_name` of one word, remembered (bounded): the
    readers of a text's Arabic words (entities, content terms, unknown names) each fold every
    word they have not seen before, and a fold of a short word costs thousands of
    instructions (``str.translate`` through a dict)."""
    found = _folded.get(word)
    if found is None:
        if len(_folded) >= _FOLDED_KEPT:
            _folded.clear()
        found = _folded[word] = fold_name(word)
    return found


def arabic_words(parts: list[str]) -> list[str]:
    """The Arabic words of ``parts`` (from :func:`token_parts`), in order: what
    ``re.findall`` of a run of Arabic letters and marks finds in the text."""
    return list(filter(_ARABIC_FROM.__le__, parts[1::2]))


def latin_words(parts: list[str]) -> list[str]:
    """The Latin words of ``parts`` (from :func:`token_parts`), in order."""
    return list(filter(_ARABIC_FROM.__gt__, parts[1::2]))


_T = TypeVar("_T")


def looked_up(memory: dict[str, _T], words: list[str], make: Callable[[str], _T]) -> list[_T]:
    """``memory[w]`` for each of ``words``, the words ``memory`` lacks made with ``make``
    and remembered: the words it holds (most of them, once a corpus is under way) are
    looked up in C, and only the others cost a Python call. ``memory`` never holds None."""
    found = list(map(memory.get, words))
    i = -1
    try:
        while True:
            i = found.index(None, i + 1)
            word = words[i]
            value = memory.get(word)
            if value is None:
                value = memory[word] = make(word)
            found[i] = value
    except ValueError:  # no None left
        pass
    return cast(list[_T], found)
