"""Regular expressions for words at a word start that the engine searches fast.

Python's ``re`` searches fast (a loop in C over the text) only for a pattern whose first
element is a literal, a set of characters, or alternatives that each start with a literal;
a pattern that starts with a look-behind (``(?<![\\w])``, "a word starts here") is instead
tried at every character. :func:`words_at_word_start` writes the alternatives of a list of
words as a tree of their letters with the word-start test after the first letter, so that a
search skips in C to the letters words start with: the same matches, with the same groups,
as ``(?<![\\w])(?:w1|w2|...)`` with the longest words first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import cast

from reader.core.text.arabic import is_arabic_letter

# After a word's first letter: the character before that letter is no word character.
AFTER_FIRST_LETTER = r"(?<![\w].)"


def at_word_starts(
    at_start: re.Pattern[str], after_non_word: re.Pattern[str], text: str
) -> Iterator[re.Match[str]]:
    """The matches ``at_start.finditer(text)`` gives, for a pattern that matches only at a
    word start and ends where a word ends (a word character, or a look-ahead that no word
    character follows), found faster: ``at_start`` is tried at the start of ``text`` alone,
    then ``after_non_word`` (the same pattern with a non-word character ``\\W`` before it,
    so the engine skips in C to the characters a word can start after; see
    :func:`after_non_word`) finds the others. A match of ``after_non_word`` starts with that
    character: read spans from groups (``m.start(1)``) and ``m.end()``, never
    ``m.start()``."""
    pos = 0
    first = at_start.match(text)
    if first is not None:
        yield first
        pos = first.end()
    yield from after_non_word.finditer(text, pos)


def at_arabic_tokens(
    at_start: re.Pattern[str], text: str, tokens: Iterable[str]
) -> Iterator[re.Match[str]]:
    """The matches ``at_start.finditer(text)`` gives, for a pattern every match of which
    starts where a whole Arabic token (a run of Arabic letters, as
    :data:`reader.core.text.arabic.LETTER_CLASS` has them) starts that is one of ``tokens``:
    the pattern is tried only there (each found with ``str.find``), not searched for over the
    whole text. Matches must not be empty."""
    starts = []
    for token in tokens:
        at = text.find(token)
        while at >= 0:
            end = at + len(token)
            if (at == 0 or not is_arabic_letter(text[at - 1])) and (
                end == len(text) or not is_arabic_letter(text[end])
            ):
                starts.append(at)
            at = text.find(token, at + 1)
    done = 0  # where the last match ended: finditer goes on from there
    for at in sorted(starts):
        if at >= done:
            match = at_start.match(text, at)
            if match is not None:
                yield match
                done = match.end()


WORD_START = r"(?<![\w])"  # a word starts here (Arabic too)


def after_non_word(pattern: str) -> re.Pattern[str]:
    """For a ``pattern`` that starts with :data:`WORD_START` and then matches only what
    starts with a word character: the same pattern with a non-word character ``\\W`` in place
    of that test, for :func:`at_word_starts` (the regex engine skips in C to the non-word
    characters instead of trying the test at every character). The pattern must end where
    a word ends (a word character, or a look-ahead that no word character follows), so
    that a match never starts where the one before it ended."""
    if not pattern.startswith(WORD_START):
        raise ValueError("the pattern must start with the word-start test")
    return re.compile(r"\W" + pattern[len(WORD_START) :])


def words_at_word_start(words: Iterable[str]) -> str:
    """A pattern (a non-capturing group) matching what ``(?<![\\w])(?:w1|w2|...)`` matches,
    the words longest first (so "سته" is tried before "ست"), for words of plain characters
    (escaped here), none empty; see the module docstring."""
    return _tree(words, AFTER_FIRST_LETTER)


def words_longest_first(words: Iterable[str]) -> str:
    """A pattern (a non-capturing group) matching what ``(?:w1|w2|...)`` matches, the words
    longest first, as a tree of their letters (each place tries few alternatives)."""
    return _tree(words, "")


def alternatives_at_word_start(alternatives: Sequence[tuple[Iterable[str], str]]) -> str:
    """A pattern (a non-capturing group) matching what ``(?<![\\w])(?:(?:W1)R1|(?:W2)R2|...)``
    matches: alternative ``i`` is one of the words ``Wi`` (tried longest first) followed by the
    pattern ``Ri``. Written by first letter: at a letter, the alternatives whose words start
    with it, in their order, each with its words less that letter; the other alternatives
    cannot match there. Words are of plain characters (escaped here), none empty."""
    listed = [(list(words), rest) for words, rest in alternatives]
    if any(not w for words, _rest in listed for w in words):
        raise ValueError("an empty word")
    firsts = sorted({w[0] for words, _rest in listed for w in words})
    branches = []
    for first in firsts:
        parts = []
        for words, rest in listed:
            tails = [w[1:] for w in words if w[0] == first]
            if tails:
                tails.sort(key=len, reverse=True)
                parts.append("(?:" + "|".join(map(re.escape, tails)) + ")" + rest)
        branches.append(re.escape(first) + AFTER_FIRST_LETTER + "(?:" + "|".join(parts) + ")")
    return "(?:" + "|".join(branches) + ")"


def _tree(words: Iterable[str], after_first: str) -> str:
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in set(words):
        if not word:
            raise ValueError("an empty word")
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return f"(?:{_group(root, after_first)})"


def _group(node: dict[str, dict], after: str) -> str:  # type: ignore[type-arg]
    """The alternatives of ``node``'s children, longer words before a word that ends here
    (the empty alternative, last): the order longest-first alternatives are tried in, since
    the words that can match at one place are prefixes of one another."""
    branches = [
        re.escape(char) + after + _group(child, "") for char, child in sorted(node.items()) if char
    ]
    ends = "" in node
    if not branches:
        return ""
    if len(branches) == 1 and not ends:
        return branches[0]
    return "(?:" + "|".join(branches) + ("|" if ends else "") + ")"


# The words of a text as the quick tests of reader.core.events.lexicon read them: letters,
# without digits or "_". On an ASCII text those are the [A-Za-z] runs, found in C without the
# regex engine: every other byte made a space, then split on spaces (the engine tries a match
# at every character that is not a letter: ten times the instructions, for the windows around
# every figure of every article).
_WORDS_OF = re.compile(r"[^\W\d_]+")
_LETTERS_ONLY = bytes(c if chr(c).isascii() and chr(c).isalpha() else 32 for c in range(256))


def words_of(text: str) -> list[str]:
    """The runs of letters of ``text`` (``re.findall(r"[^\\W\\d_]+", text)``)."""
    if text.isascii():
        return text.encode("ascii").translate(_LETTERS_ONLY).decode("ascii").split()
    return _WORDS_OF.findall(text)


_FORMS_KEPT = 100_000  # words remembered per table before the memory starts over
_forms_seen: dict[frozenset[str], dict[str, tuple[str, ...]]] = {}


def forms_in(words: list[str], table: frozenset[str]) -> list[tuple[str, ...]]:
    """For each of ``words``, those of the word and the word without an Arabic prefix of
    one to three letters (``w[1:]``, ``w[2:]``, ``w[3:]``, in that order) that are in
    ``table``; each word worked out once per table (remembered, bounded)."""
    seen = _forms_seen.get(table)
    if seen is None or len(seen) > _FORMS_KEPT:
        seen = _forms_seen[table] = {}
    found = list(map(seen.get, words))
    if None in found:
        for i, word in enumerate(words):
            if found[i] is None:
                forms = (word, word[1:], word[2:], word[3:])
                found[i] = seen[word] = tuple(f for f in forms if f in table)
    return cast(list[tuple[str, ...]], found)


def ascii_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` compiled with ``re.ASCII``: on a text :func:`plain_ascii` accepts, it finds
    exactly what ``pattern`` finds (``\\w``, ``\\d``, ``\\s`` and their negations then
    mean the same), reading each character from a small table instead of the Unicode
    category tables (a third fewer instructions for a search over a whole English lead)."""
    return re.compile(pattern.pattern, (pattern.flags & ~re.UNICODE) | re.ASCII)


_UNICODE_ONLY_SPACES = ("\x1c", "\x1d", "\x1e", "\x1f")  # ASCII that only Unicode calls \s


def plain_ascii(text: str) -> bool:
    """Whether ``text`` is ASCII without the four characters (U+001C..U+001F) that ``\\s``
    matches only without ``re.ASCII``: a pattern and its :func:`ascii_twin` match alike on
    it."""
    return text.isascii() and not any(c in text for c in _UNICODE_ONLY_SPACES)
