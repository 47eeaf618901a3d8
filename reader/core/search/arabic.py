"""Arabic text analysis for search, as Lucene's ArabicAnalyzer does it.

Order of work for one word (see :func:`reader.core.search.analysis.index_term`): stopwords (before
normalization), then :func:`normalize` (آ أ إ -> ا, ى -> ي, ة -> ه, tatweel and harakat
dropped, Arabic-Indic digits -> ASCII), then :func:`light_stem` (Larkey's light10: one
prefix, then each suffix in turn, each keeping a minimum stem length).
"""

from __future__ import annotations

import re

# Harakat and Quranic marks that the tokenizer keeps inside words and normalization drops.
HARAKAT = "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670"
TATWEEL = "\u0640"

_NORMALIZE = str.maketrans(
    {
        "\u0622": "\u0627",  # آ -> ا
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0671": "\u0627",  # ٱ (wasla) -> ا
        "\u0649": "\u064a",  # ى -> ي
        "\u0629": "\u0647",  # ة -> ه
        **{c: None for c in HARAKAT + TATWEEL},
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Eastern Arabic-Indic digits
    }
)

# light10 affixes (Larkey, Ballesteros & Connell 2007), in Lucene's order.
PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")

# Lucene's Arabic stopword list (the most frequent function words), plus their normalized forms.
_STOPWORDS_RAW = """
من ومن منها منه في وفي فيها فيه و ف ثم او أو ب بها به ا أ اى اي أي أى لا ولا الا ألا إلا لكن ما
وما كما فما عن مع اذا إذا ان أن إن انها أنها إنها انه أنه إنه بان بأن فان فأن وان وأن وإن التى
التي الذى الذي الذين الى الي إلى إلي على عليها عليه اما أما إما ايضا أيضا كل وكل لم ولم لن ولن
هى هي هو وهى وهي وهو فهى فهي فهو انت أنت لك لها له هذه هذا تلك ذلك هناك كانت كان يكون تكون
وكانت وكان غير بعض قد نحو بين بينما منذ ضمن حيث الان الآن خلال بعد قبل حتى عند عندما لدى
جميع
"""


DIGITS = str.maketrans(
    {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}
)


def normalize(word: str) -> str:
    """Fold letter variants, drop tatweel and harakat, map Arabic-Indic digits to ASCII."""
    return word.translate(_NORMALIZE)


STOPWORDS = frozenset(_STOPWORDS_RAW.split()) | frozenset(
    normalize(w) for w in _STOPWORDS_RAW.split()
)


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


_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]")


def has_arabic(text: str) -> bool:
    """True when the text holds at least one Arabic letter."""
    return _ARABIC_LETTER.search(text) is not None
