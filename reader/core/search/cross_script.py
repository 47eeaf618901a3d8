"""Cross-script query expansion: each plain word of a query ORed with its other spellings
(Haftar OR حفتر OR Hifter), as the name tables give them.

The rules live here, on text: which words may be widened (:func:`plain_word`), which spellings
are worth adding (:func:`other_spellings`) and how each is searched (:func:`is_one_word`: a
word, else a phrase). :mod:`reader.core.search.query` applies them to a query as it parses it
(once); :func:`expand_cross_script` applies them to query text, giving the same query written
out."""

from __future__ import annotations

import re
from collections.abc import Callable

from reader.core.search.analysis import index_term, words

_TOKEN = re.compile(r'"[^"]*"|\S+')
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})


def other_spellings(word: str, lookup: Callable[[str], list[str]]) -> list[str]:
    """Other spellings of ``word`` worth searching, from ``lookup``. A many-word alias
    (al-Mismari, Khalifa Haftar) that contains a one-word spelling already searched adds
    nothing to an OR (and its "al" would light up every al-) so it is left out. So is a
    spelling that the index holds as one letter: "U.S." is indexed as "u" (its "s" is a
    stopword), and searched so it found every "U.N." and "U-turn"."""
    found = [a.strip() for a in lookup(word) if a.strip() and not _one_letter(a)]
    parts = {a: re.findall(r"\w+", a.casefold()) for a in found}
    singles = {p[0] for p in parts.values() if len(p) == 1} | set(
        re.findall(r"\w+", word.casefold())
    )
    return [a for a in found if len(parts[a]) == 1 or not singles & set(parts[a])]


def plain_word(token: str) -> str | None:
    """The word (or phrase, without its quotes) of a query token that may be widened with its
    other spellings: ``+``/``-``/``(`` before it and ``)`` after it set aside. None for an
    operator and for a token with a field, a wildcard or a boost."""
    lead = len(token) - len(token.lstrip("(+-"))
    trail = len(token) - len(token.rstrip(")"))
    core = token[lead : len(token) - trail if trail else None]
    if (
        not core
        or core in _OPERATORS
        or ":" in core
        or "*" in core
        or "?" in core
        or core.startswith("^")
    ):
        return None
    return core.strip('"')


def is_one_word(spelling: str) -> bool:
    """Whether a spelling is searched as a word (else as a phrase of its words)."""
    return re.fullmatch(r"\w+", spelling) is not None


def expand_cross_script(text: str, lookup: Callable[[str], list[str]]) -> str | None:
    """The query text with each plain word (or quoted phrase) ORed with its other spellings.

    Words with a field, a wildcard or that are operators are left alone. Returns None when no
    word has another spelling.
    """
    out: list[str] = []
    changed = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        bare = plain_word(token)
        found = [] if bare is None else other_spellings(bare, lookup)
        if not found:
            out.append(token)
            continue
        changed = True
        lead = len(token) - len(token.lstrip("(+-"))
        trail = len(token) - len(token.rstrip(")"))
        core = token[lead : len(token) - trail if trail else None]
        spelled = " OR ".join(a if is_one_word(a) else f'"{a}"' for a in found)
        out.append(
            f"{token[:lead]}({core} OR {spelled}){token[len(token) - trail :] if trail else ''}"
        )
    return " ".join(out) if changed else None


def _one_letter(spelling: str) -> bool:
    """Whether the index holds ``spelling`` as a single term of one letter (see
    :func:`other_spellings`)."""
    terms = [t for _start, _end, w in words(spelling) if (t := index_term(w)) is not None]
    return len(terms) == 1 and len(terms[0]) == 1
