"""Arabic text analysis for search, as Lucene's ArabicAnalyzer does it.

Order of work for one word (see :func:`reader.core.search.analysis.index_term`): stopwords (before
normalization), then :func:`normalize` (:func:`reader.core.text.arabic.fold_search`: آ أ إ ٱ -> ا,
ى -> ي, ة -> ه, tatweel and harakat dropped, Arabic-Indic digits -> ASCII), then
:func:`light_stem` (Larkey's light10: one prefix, then each suffix in turn, each keeping a
minimum stem length). The letters, the folding and the stopwords live in
:mod:`reader.core.text.arabic` and :mod:`reader.core.text.stopwords`; this module re-exports
the names the analyzer uses.
"""

from __future__ import annotations

from reader.core.text.arabic import DIGIT_FOLDS, HARAKAT, TATWEEL, has_arabic
from reader.core.text.arabic import fold_search as normalize
from reader.core.text.stopwords import SEARCH_ARABIC as STOPWORDS

__all__ = [
    "DIGITS",
    "HARAKAT",
    "PREFIXES",
    "STOPWORDS",
    "SUFFIXES",
    "TATWEEL",
    "has_arabic",
    "light_stem",
    "normalize",
    "strip_prefix",
    "strip_suffixes",
]

# light10 affixes (Larkey, Ballesteros & Connell 2007), in Lucene's order.
PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")

DIGITS = str.maketrans(DIGIT_FOLDS)
"""Arabic-Indic digits -> ASCII, for ``str.translate``."""


def strip_prefix(word: str) -> str:
    """Remove at most one light10 prefix, keeping at least two letters after it.

    A one-letter prefix (و) is only removed from words of four letters or more.
    """
    length = len(word)
    for prefix in PREFIXES:
        if len(prefix) == 1 and length < 4:
            continue
        if length >= len(prefix) + 2 and word.startswith(prefix):
            return word[len(prefix) :]
    return word


def strip_suffixes(word: str) -> str:
    """Remove each light10 suffix in turn, each only when two letters would remain."""
    for suffix in SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


def light_stem(word: str) -> str:
    """light10 stem of a normalized word: one prefix off, then the suffixes."""
    return strip_suffixes(strip_prefix(word))
