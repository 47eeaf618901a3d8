"""Arabic letters: what counts as one, its marks, and the one table that folds its variants.

Owns (nothing else in reader defines these; search, names, events, sources and decoding use them):

- What an Arabic letter is: :func:`is_arabic_letter` (one character), :func:`has_arabic` and
  :func:`count_arabic_letters` (a text), :data:`LETTER_CLASS` (the same set inside a regular
  expression's ``[...]``). A letter is a code point of general category L* in the Arabic blocks
  (Arabic, Supplement, Extended-B, Extended-A, and the presentation forms); tatweel (Lm) is one.
  Harakat, Arabic-Indic digits and Arabic punctuation are not letters. :data:`BLOCKS_CLASS`
  (every code point of those blocks) and :data:`PRESENTATION_CLASS` (the shaped forms) are for
  telling what a run of text is made of, not whether it holds Arabic.
- The marks: :data:`HARAKAT` (vowel signs, shadda, sukun, superscript alef), :data:`QURANIC_MARKS`,
  :data:`TATWEEL`, and :data:`WORD_MARKS` (what a word may hold between its letters).
- :data:`LETTER_FOLDS`, the one folding table: each letter variant, the letter it folds to and
  the group it belongs to. The groups are options of a folding, not copies of it:

  ``"basic"``   آ أ إ ٱ -> ا, ى -> ي, ة -> ه (Lucene's ArabicNormalizer; every folding has it)
  ``"persian"`` ی -> ي, ک -> ك, ھ -> ه (the letters Persian and Urdu keyboards type)
  ``"hamza"``   ؤ -> و, ئ -> ي (a hamza's seat; names fold it, number words such as مئة keep it)

- The three foldings built from it (each a ``str.translate`` table, so folding is one C call):
  :func:`fold_search` (search terms: basic, harakat and tatweel dropped, Arabic-Indic digits to
  ASCII), :func:`fold_name` (names and content words: every group, every mark dropped) and
  :func:`fold_same_length` (a shadow text for offsets: basic and persian, tatweel to a space,
  digits to ASCII, nothing dropped, so ``len(fold_same_length(t)) == len(t)``);
  :func:`strip_marks` drops the marks of :func:`fold_name` and folds no letter.
- :func:`variants_of`: the letters that fold to a letter, for patterns that find every spelling.
- :func:`from_screen`: Arabic copied off a screen that shaped and reordered it (presentation
  forms, in visual order), put back as logical text of plain letters.

May import: the standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "BLOCKS_CLASS",
    "DIGIT_FOLDS",
    "HARAKAT",
    "LETTER_CLASS",
    "LETTER_FOLDS",
    "PRESENTATION_CLASS",
    "QURANIC_MARKS",
    "SEARCH_GROUPS",
    "TATWEEL",
    "WORD_MARKS",
    "WORD_MARK_CHARS",
    "count_arabic_letters",
    "fold_name",
    "fold_same_length",
    "fold_search",
    "from_screen",
    "has_arabic",
    "is_arabic_letter",
    "strip_marks",
    "variants_of",
]

# The letters of the Arabic blocks (general category L*), as ranges of code points.
_LETTER_RANGES = (
    (0x0620, 0x064A),
    (0x066E, 0x066F),
    (0x0671, 0x06D3),
    (0x06D5, 0x06D5),
    (0x06E5, 0x06E6),
    (0x06EE, 0x06EF),
    (0x06FA, 0x06FC),
    (0x06FF, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x0887),
    (0x0889, 0x088E),
    (0x08A0, 0x08C9),
    (0xFB50, 0xFBB1),
    (0xFBD3, 0xFD3D),
    (0xFD50, 0xFD8F),
    (0xFD92, 0xFDC7),
    (0xFDF0, 0xFDFB),
    (0xFE70, 0xFE74),
    (0xFE76, 0xFEFC),
)


def _class(ranges: Iterable[tuple[int, int]]) -> str:
    return "".join(chr(lo) if lo == hi else f"{chr(lo)}-{chr(hi)}" for lo, hi in ranges)


BLOCKS_CLASS = _class(
    ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
)
"""Every code point of the Arabic blocks (letters, marks, digits, signs, presentation forms), as
the body of a regular expression's ``[...]``: what Arabic-script text is made of."""
PRESENTATION_CLASS = _class(((0xFB50, 0xFDFF), (0xFE70, 0xFEFF)))
"""The Arabic presentation forms (shaped glyphs, as text copied off a screen holds them)."""
LETTER_CLASS = _class(_LETTER_RANGES)
"""The Arabic letters as the body of a regular expression's ``[...]``."""
_LETTERS = frozenset(chr(c) for lo, hi in _LETTER_RANGES for c in range(lo, hi + 1))
_LETTER_RE = re.compile(f"[{LETTER_CLASS}]")

HARAKAT = "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670"
"""Vowel signs, tanween, shadda, sukun, the other marks of U+064B..U+065F, superscript alef."""
QURANIC_MARKS = "".join(chr(c) for c in (*range(0x0610, 0x061B), *range(0x06D6, 0x06EE)))
"""The Quranic annotation signs (U+0610..U+061A, U+06D6..U+06ED)."""
TATWEEL = "\u0640"
"""The kashida that stretches a word; a letter (Lm) for :func:`is_arabic_letter`."""
WORD_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
"""What a word may hold between its letters (combining diacriticals, Quranic marks, harakat,
tatweel), as the body of a regular expression's ``[...]``."""
WORD_MARK_CHARS = frozenset(
    chr(c)
    for lo, hi in ((0x300, 0x36F), (0x610, 0x61A), (0x64B, 0x65F), (0x6D6, 0x6ED))
    for c in range(lo, hi + 1)
) | {"\u0670", TATWEEL}
"""The characters of :data:`WORD_MARKS`."""

LETTER_FOLDS: dict[str, tuple[str, str]] = {
    "\u0622": ("\u0627", "basic"),  # آ alef with madda
    "\u0623": ("\u0627", "basic"),  # أ alef with hamza above
    "\u0625": ("\u0627", "basic"),  # إ alef with hamza below
    "\u0671": ("\u0627", "basic"),  # ٱ alef wasla
    "\u0649": ("\u064a", "basic"),  # ى alef maksura
    "\u0629": ("\u0647", "basic"),  # ة teh marbuta
    "\u06cc": ("\u064a", "persian"),  # ی Farsi yeh
    "\u06a9": ("\u0643", "persian"),  # ک keheh
    "\u06be": ("\u0647", "persian"),  # ھ heh doachashmee
    "\u0624": ("\u0648", "hamza"),  # ؤ waw with hamza
    "\u0626": ("\u064a", "hamza"),  # ئ yeh with hamza
}
"""variant -> (the letter it folds to, its group); see the module docstring."""

DIGIT_FOLDS = {
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic ٠..٩
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Eastern Arabic-Indic ۰..۹
}
"""Arabic-Indic and Eastern Arabic-Indic digits -> ASCII digits."""


def _table(
    groups: Iterable[str], *, drop: str = "", blank: str = "", digits: bool = False
) -> dict[int, str | None]:
    """A ``str.translate`` table: the variants of ``groups`` folded, ``drop`` removed, ``blank``
    turned into spaces and, with ``digits``, Arabic-Indic digits into ASCII."""
    wanted = set(groups)
    table: dict[int, str | None] = {
        ord(variant): letter for variant, (letter, group) in LETTER_FOLDS.items() if group in wanted
    }
    table.update(dict.fromkeys(map(ord, drop)))
    table.update(dict.fromkeys(map(ord, blank), " "))
    if digits:
        table.update({ord(c): d for c, d in DIGIT_FOLDS.items()})
    return table


class Fold:
    """A ``str.translate`` table of single characters, applied to long text as one C-speed
    ``str.replace`` per character present (translate with a dict looks every character up
    in Python's slow path: an article of 5,000 characters took 0.4 ms, the replaces 0.03 ms).
    The result is exactly ``text.translate(table)``: no character a table writes is one it
    replaces, so the order of the replaces does not matter (checked when made)."""

    __slots__ = ("_pairs", "table")
    SHORT = 64  # below this many characters, translate is as quick

    def __init__(self, table: dict[int, str | None]) -> None:
        self.table = table
        self._pairs = tuple((chr(k), v or "") for k, v in table.items())
        written = set("".join(v for _k, v in self._pairs))
        if written & {k for k, _v in self._pairs}:
            raise ValueError("a folding table must not write a character it replaces")

    def __call__(self, text: str) -> str:
        if len(text) < self.SHORT:
            return text.translate(self.table)
        for char, replacement in self._pairs:
            if char in text:
                text = text.replace(char, replacement)
        return text


SEARCH_GROUPS = ("basic",)
"""The groups :func:`fold_search` folds (and :func:`variants_of` undoes by default)."""
_SEARCH = _table(SEARCH_GROUPS, drop=HARAKAT + TATWEEL, digits=True)
_NAME = Fold(_table(("basic", "persian", "hamza"), drop=HARAKAT + QURANIC_MARKS + TATWEEL))
_SAME_LENGTH = Fold(_table(("basic", "persian"), blank=TATWEEL, digits=True))
_MARKS_ONLY = Fold(_table((), drop=HARAKAT + QURANIC_MARKS + TATWEEL))


def is_arabic_letter(char: str) -> bool:
    """True when ``char`` (one character) is an Arabic letter (see the module docstring)."""
    return char in _LETTERS


def has_arabic(text: str) -> bool:
    """True when ``text`` holds at least one Arabic letter."""
    return _LETTER_RE.search(text) is not None


def count_arabic_letters(text: str) -> int:
    """How many Arabic letters ``text`` holds."""
    return len(_LETTER_RE.findall(text))


def fold_search(word: str) -> str:
    """Search folding: آ أ إ ٱ -> ا, ى -> ي, ة -> ه; harakat and tatweel dropped (Quranic marks
    kept); Arabic-Indic digits to ASCII. Other characters are unchanged."""
    return word.translate(_SEARCH)


def fold_name(text: str) -> str:
    """Name folding: every group of :data:`LETTER_FOLDS` (basic, Persian letters, hamza seats);
    harakat, Quranic marks and tatweel dropped; digits kept. Other characters are unchanged."""
    return _NAME(text)


def fold_same_length(text: str) -> str:
    """Folding that keeps every offset: basic and Persian letters folded, tatweel to a space,
    Arabic-Indic digits to ASCII, marks kept. ``len(result) == len(text)``."""
    return _SAME_LENGTH(text)


def strip_marks(text: str) -> str:
    """``text`` without harakat, Quranic marks and tatweel; letters are not folded."""
    return _MARKS_ONLY(text)


@lru_cache(maxsize=64)
def variants_of(letter: str, groups: tuple[str, ...] = SEARCH_GROUPS) -> str:
    """``letter`` followed by every variant that folds to it in ``groups`` ("ا" -> "اآأإٱ");
    just ``letter`` when nothing folds to it."""
    return letter + "".join(
        variant
        for variant, (target, group) in LETTER_FOLDS.items()
        if target == letter and group in groups
    )


_SHAPED = re.compile(f"[{PRESENTATION_CLASS}\uff00-\uffef]")  # shaped glyphs, half/full width
_SHAPED_ARABIC = re.compile(f"[{PRESENTATION_CLASS}]")  # what says a copy is a screen's
_LATIN_LETTER = re.compile("[A-Za-z\uff21-\uff3a\uff41-\uff5a]")  # full-width ones too
# A number as a screen shows it inside right-to-left text: its digits left to right, with the
# separators between them ("2,000", "1.5", "٢٠٢٠").
_DIGIT = "[0-9\u0660-\u0669\u06f0-\u06f9]"
_NUMBER = re.compile(f"{_DIGIT}+(?:[.,\u060c\u066b\u066c]{_DIGIT}+)*")
_SPACED_MARK = re.compile(f" (?=[{HARAKAT}])")


def from_screen(text: str) -> str:
    """``text`` as logical Unicode when it was copied off a screen that shows Arabic shaped and
    in visual order (a terminal where reader drew it, a PDF, a web page rendered to glyphs):
    such text holds presentation forms and reads backwards. When ``text`` holds presentation
    forms and no Latin letter, it is reversed, each number in it put back in its own order
    (a screen shows digits left to right inside right-to-left text), and each shaped glyph
    made the letters it shows (NFKC: a lam-alef ligature becomes lam then alef, after the
    reversal, so in logical order). Any other text is returned as it is; so is Arabic typed
    as letters, and full-width Latin (``ＨＡＦＴＡＲ``: no Arabic glyph, nothing to turn).
    Callers may rely on: the result holds no presentation form when it changed;
    ``from_screen(from_screen(t)) == from_screen(t)``."""
    if not _SHAPED_ARABIC.search(text) or _LATIN_LETTER.search(text):
        return text
    flipped = _NUMBER.sub(lambda m: m.group()[::-1], text[::-1])
    plain = _SHAPED.sub(lambda m: unicodedata.normalize("NFKC", m.group()), flipped)
    return _SPACED_MARK.sub("", plain)  # an isolated mark's form carries a space: not text
