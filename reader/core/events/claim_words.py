"""The lexicon's patterns for the scope of a figure in a claim (:mod:`reader.core.events.claims`):
words that make a sentence's figures running totals, and the parts of a group.

They are compiled on first use, apart from the patterns facts are read by
(:func:`reader.core.events.lexicon.compiled`): profiling articles for event grouping never
needs them, and compiling them cost a fifth of the lexicon's compile time in each worker.

Callers may rely on: the same folded lexicon words and phrases as :mod:`lexicon` reads
(:func:`reader.core.events.lexicon.phrase_alternatives`); cached per lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reader.core.events.lexicon import NEVER, Lexicon, phrase_alternatives

__all__ = ["ClaimWords", "claim_words"]


@dataclass(frozen=True, slots=True)
class ClaimWords:
    """A lexicon's patterns for a figure's scope.

    ``cumulative`` is searched in a sentence for a word that makes its figures running totals;
    ``part_before`` matches a part marker ending where the text before a figure ends
    ("including"), ``part_after`` one right after a figure ("of them"); ``part_noun`` is
    searched in the words after a figure for a part of a group, its group ``p<i>`` naming
    ``part_names[i]``.
    """

    cumulative: re.Pattern[str] = NEVER
    part_before: re.Pattern[str] = NEVER
    part_after: re.Pattern[str] = NEVER
    part_noun: re.Pattern[str] = NEVER
    part_names: tuple[str, ...] = ()


@lru_cache(maxsize=8)
def claim_words(lexicon: Lexicon) -> ClaimWords:
    """The scope patterns of ``lexicon`` (cached per lexicon)."""
    markers = phrase_alternatives(lexicon.part_markers) if lexicon.part_markers else ""
    part_noun = "|".join(
        f"(?P<p{i}>{phrase_alternatives(words)})"
        for i, (_n, words) in enumerate(lexicon.parts)
        if words
    )
    return ClaimWords(
        re.compile(phrase_alternatives(lexicon.cumulative)) if lexicon.cumulative else NEVER,
        re.compile(rf"(?:{markers})[\s,:;-]*$") if markers else NEVER,
        re.compile(rf"\s+(?:{markers})") if markers else NEVER,
        re.compile(part_noun) if part_noun else NEVER,
        tuple(name for name, _words in lexicon.parts),
    )
