"""Figures written in a text, in English and Arabic, and the shadow texts facts are read in.

:func:`numbers` reads digits (ASCII, Arabic-Indic ٠-٩ and Persian ۰-۹, with "," or "٬" between
thousands and "." or "٫" before decimals), number words ("twelve", "twenty-five", "one hundred
and twenty", "a dozen", خمسة، خمسة عشر، خمسة وعشرون، ثلاثمئة، مئة وعشرون، ألفين), vague words
(dozens, عشرات: a range), an Arabic scale word alone or halved (مليون، نصف مليون، مليونا
ونصف), Arabic duals (قتيلين, شخصان: 2, read at the word's start, so the
word is what the figure counts) and a scale word after any of them ("1.5 million", "3 آلاف").

:class:`Shadow` is the text as facts reads it: lower case, Arabic letters folded, digits ASCII,
and Arabic marks (harakat, shadda, tanwin, tatweel) removed so that قُتِلَ reads as قتل; its
:meth:`Shadow.at` maps an offset in it back to the text. :func:`same_length_shadow` keeps the
marks and every offset (for :func:`reader.core.events.dates.find_dates`).

Callers may rely on: numbers come sorted by start; an integer (in digits or words, with or
without a scale word) has ``low == value == high``; a decimal keeps half a unit of its last
digit; a vague word has ``value == low < high``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from reader.core.events.lexicon import SEPARATORS
from reader.core.events.patterns import (
    AFTER_FIRST_LETTER,
    WORD_START,
    after_non_word,
    alternatives_at_word_start,
    ascii_twin,
    at_arabic_tokens,
    at_word_starts,
    plain_ascii,
    words_longest_first,
)
from reader.core.text.arabic import (
    DIGIT_FOLDS,
    HARAKAT,
    LETTER_CLASS,
    LETTER_FOLDS,
    QURANIC_MARKS,
    TATWEEL,
    fold_same_length,
    has_arabic,
)

_NEEDS_SHADOW = re.compile(
    "[" + "".join(sorted({*DIGIT_FOLDS, *LETTER_FOLDS, TATWEEL, "٫", "٬", "’"})) + "]"
)
_MARKS = re.compile(f"[{re.escape(HARAKAT + QURANIC_MARKS + TATWEEL)}]")


def _lowered(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower-case to two (İ): keep offsets
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered


def same_length_shadow(text: str) -> str:
    """``text`` lower case, Arabic letters folded, digits and separators ASCII, marks kept
    (tatweel becomes a space): ``len(result) == len(text)``."""
    if text.isascii():  # nothing to fold: every character _NEEDS_SHADOW finds is not ASCII
        return text.lower()
    lowered = _lowered(text)
    if not _NEEDS_SHADOW.search(lowered):
        return lowered
    return SEPARATORS(fold_same_length(lowered))


class Shadow:
    """``text`` as facts reads it (:func:`reader.core.events.lexicon.fold_words`, offsets aside):
    lower case, Arabic folded, Arabic marks and tatweel removed. ``text`` is that text;
    :meth:`at` maps an offset in it to the offset in ``text``."""

    __slots__ = ("_gaps", "text")

    def __init__(self, text: str) -> None:
        if text.isascii():  # no marks, nothing to fold (see same_length_shadow)
            self._gaps: list[int] = []
            self.text = text.lower()
            return
        lowered = _lowered(text)
        marks = [m.start() for m in _MARKS.finditer(lowered)]
        # For each removed mark, how many kept characters come before it (non-decreasing).
        self._gaps = [p - k for k, p in enumerate(marks)]
        bare = _MARKS.sub("", lowered) if marks else lowered
        self.text = same_length_shadow(bare)

    def at(self, offset: int) -> int:
        """The offset in the text of the character at ``offset`` here (``len`` maps to the
        text's length); a fact's end maps past the marks its last letter carries."""
        return offset + bisect_right(self._gaps, offset) if self._gaps else offset


@dataclass(slots=True)
class Number:
    """A figure at ``start:end`` of a shadow: its value and the range it was written with."""

    start: int
    end: int
    value: float
    low: float
    high: float


_EN_UNIT_WORDS = """zero one two three four five six seven eight nine ten eleven twelve thirteen
fourteen fifteen sixteen seventeen eighteen nineteen"""
_EN_UNITS = _EN_UNIT_WORDS.split()
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORDS: dict[str, float] = {w: float(i) for i, w in enumerate(_EN_UNITS)}
_WORDS.update({w: float(20 + 10 * i) for i, w in enumerate(_EN_TENS)})
_WORDS.update({"a": 0, "dozen": 12, "hundred": 100, "thousand": 1000})  # "a hundred": 1 x 100

# Arabic number words (folded, without marks), by the part they play in a compound: U a unit,
# T ten or a teen, X tens, H hundreds. A compound is H? (T | U? X?): "مئه وخمسه وعشرون" = 125.
_AR_UNITS: dict[str, float] = {}
for _value, _forms in (
    (1, "واحد واحده"),
    (2, "اثنان اثنين اثنتان اثنتين"),
    (3, "ثلاث ثلاثه"),
    (4, "اربع اربعه"),
    (5, "خمس خمسه"),
    (6, "ست سته"),
    (7, "سبع سبعه"),
    (8, "ثمان ثماني ثمانيه"),
    (9, "تسع تسعه"),
):
    _AR_UNITS.update(dict.fromkeys(_forms.split(), float(_value)))
_AR_TEEN_UNITS = {**_AR_UNITS, **dict.fromkeys(["احد", "احدي"], 1.0)}
_AR_TEEN_UNITS.update(dict.fromkeys(["اثنا", "اثني", "اثنتا", "اثنتي"], 2.0))
_AR_TENS = {
    form: float(value)
    for value, forms in (
        (20, "عشرون عشرين"),
        (30, "ثلاثون ثلاثين"),
        (40, "اربعون اربعين"),
        (50, "خمسون خمسين"),
        (60, "ستون ستين"),
        (70, "سبعون سبعين"),
        (80, "ثمانون ثمانين"),
        (90, "تسعون تسعين"),
    )
    for form in forms.split()
}
_AR_HUNDREDS = {"مئه": 100.0, "مائه": 100.0, "الف": 1000.0}
_AR_HUNDREDS.update(dict.fromkeys(["مئتان", "مئتين", "مائتان", "مائتين"], 200.0))
_AR_HUNDREDS.update(dict.fromkeys(["الفان", "الفين", "الفي"], 2000.0))

# Vague quantities: a range, not a number.
_VAGUE: dict[str, tuple[float, float]] = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "عشرات": (20, 99),
    "مئات": (200, 999),
    "الاف": (2000, 9999),
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "bn": 1e9, "mn": 1e6}
_SCALES.update({"الف": 1e3, "الاف": 1e3, "مليون": 1e6, "ملايين": 1e6, "مليار": 1e9})
_SCALES.update({"مليارات": 1e9})

_B = WORD_START  # a word start that works for Arabic too
_E = r"(?![\w])"


def _alt(words: Iterable[str]) -> str:
    """Alternatives for a regular expression, longest first (so "سته" is tried before "ست"),
    as a tree of their letters: each place tries a few letters, not every word."""
    return words_longest_first(words)


# Digits start a figure after a non-word, or glued to a one-letter Arabic prefix (و4 من
# أحفاده, ب5 صواريخ) that itself starts a word. The pattern starts with a digit, so the regex
# engine skips to digits in C; what comes before the first digit is tested after it (the
# "." in each look-behind is that digit). \d(\d{0,2}(,\d{3})+|\d*) tries what
# \d{1,3}(,\d{3})+|\d+ tries, in the same order.
_DIGITS = re.compile(
    r"(\d(?:(?<![\w.,/].)|(?<=[وفبل].)(?<![\w][وفبل].))(?:\d{0,2}(?:,\d{3})+|\d*))"
    r"(?:\.(\d+))?"
)
_EN_SMALL = rf"(?:{_alt(_EN_TENS)})(?:-(?:{_alt(_EN_UNITS[1:10])}))?|{_alt(_EN_UNITS)}"
# (?<![\w])((?:a|one|...)\s+hundred(...)?|(?:twenty|...)(?:-(?:one|...))?|zero|...|a dozen|...)
# written by first letter, so the regex engine skips to those letters in C (see
# reader.core.events.patterns).
_EN_NUM = re.compile(
    "("
    + alternatives_at_word_start(
        [
            (
                ["a", *_EN_UNITS[1:10]],
                rf"\s+hundred(?:\s+(?:and\s+)?(?:{_EN_SMALL}){_E})?",
            ),
            (_EN_TENS, rf"(?:-(?:{_alt(_EN_UNITS[1:10])}))?"),
            (_EN_UNITS, ""),
            *(([phrase], "") for phrase in ("a dozen", "a hundred", "a thousand")),
            *(([vague], "") for vague in ("dozens", "scores", "hundreds", "thousands")),
        ]
    )
    + ")"
    + _E
)
# _EN_NUM after a non-word character, the word-start tests left out (see at_word_starts).
_EN_NUM_AFTER = re.compile(r"\W" + _EN_NUM.pattern.replace(AFTER_FIRST_LETTER, ""))
# The two searches over a whole text, for an ASCII one (see ascii_twin).
_EN_NUM_AFTER_ASCII = ascii_twin(_EN_NUM_AFTER)
_DIGITS_ASCII = ascii_twin(_DIGITS)
_AR_PART = (
    rf"(?P<H>(?:(?:{_alt(_AR_UNITS)})\s?)?(?:مئه|مائه)|{_alt(_AR_HUNDREDS)})"
    rf"|(?P<T>(?:{_alt(_AR_TEEN_UNITS)})\s+عشره?|عشره?)"
    rf"|(?P<X>{_alt(_AR_TENS)})|(?P<U>{_alt(_AR_UNITS)})"
)
_AR_PART_RE = re.compile(rf"(?:{_AR_PART}){_E}")
_AR_ANY_PART = re.sub(r"\(\?P<\w>", "(?:", _AR_PART)
_AR_NUM = re.compile(
    _B
    + r"(?=[\u0621-\u064a])"
    + rf"[وب]?((?:{_AR_ANY_PART}){_E}(?:\s+و\s?(?:{_AR_ANY_PART}){_E}){{0,3}}"
    + r"|(?:ال)?(?:عشرات|مئات|الاف))"
    + _E
)
# A dual is a figure of two without a number word ("قتيلين", "شخصان"); an "اثنان" after it
# repeats it. The figure is read as 2 at the word's start, so the word is what it counts.
_AR_DUALS = ["قتيلان", "قتيلين", "جريحان", "جريحين", "شخصان", "شخصين", "جنديان", "جنديين"]
_AR_DUALS += ["مدنيان", "طفلان", "طفلين", "يومين", "يومان", "اسبوعين", "اسبوعان", "شهرين"]
_AR_DUALS += ["شهران", "عامين", "عامان", "سنتين", "سنتان", "ساعتين", "ساعتان"]
_DUAL = re.compile(
    _B + rf"(?:[وب]|[وب]?ال)?({_alt(_AR_DUALS)}){_E}(?:\s+(?:اثنان|اثنين|اثنتان|اثنتين){_E})?"
)
_AR_ORDER = re.compile(r"H?(?:T|U?X?)")
# A scale word alone, a half of one, or one and a half: مليون، نصف مليون، مليونا ونصف (مليون).
_AR_BIG_WORDS = {"مليون": 1e6, "مليونا": 1e6, "مليار": 1e9, "مليارا": 1e9}
_AR_BIG = re.compile(
    _B
    + rf"[وب]?(?:(نصف)\s+)?({_alt(_AR_BIG_WORDS)}){_E}"
    + rf"(?:\s+(ونصف){_E}(?:\s+(?:{_alt(_AR_BIG_WORDS)}){_E})?)?"
)
# The three after a non-word character (see at_word_starts): their callers read the spans of
# their groups and where they end, never where they start.
_AR_NUM_AFTER = after_non_word(_AR_NUM.pattern)
_DUAL_AFTER = after_non_word(_DUAL.pattern)
_AR_BIG_AFTER = after_non_word(_AR_BIG.pattern)
_SCALE_AFTER = re.compile(rf"\s*-?\s*({_alt(_SCALES)}){_E}")

# The Arabic words a match of each Arabic word pattern can start with, as a whole token of the
# text: a pattern none of whose first words is in the text cannot match, and is not run (most
# Arabic paragraphs have no number word; trying the patterns at every letter cost four times
# as much as finding the tokens). English number words are in most English paragraphs.
_AR_TOKEN = re.compile(f"[{LETTER_CLASS}]+")  # word characters all: a token is a whole word
_AR_FIRST_FORMS = (
    *_AR_UNITS,
    *_AR_TEEN_UNITS,
    *_AR_TENS,
    *_AR_HUNDREDS,
    *("مئه", "مائه", "عشر", "عشره"),
    *(unit + hundred for unit in _AR_UNITS for hundred in ("مئه", "مائه")),
    *(article + vague for article in ("", "ال") for vague in ("عشرات", "مئات", "الاف")),
)
_AR_NUM_FIRST = frozenset(p + form for p in ("", "و", "ب") for form in _AR_FIRST_FORMS)
_AR_BIG_FIRST = frozenset(p + w for p in ("", "و", "ب") for w in ("نصف", *_AR_BIG_WORDS))
_DUAL_FIRST = frozenset(p + w for p in ("", "و", "ب", "ال", "وال", "بال") for w in _AR_DUALS)
_FIRST_TOKENS = {
    _AR_NUM.pattern: _AR_NUM_FIRST,
    _AR_BIG.pattern: _AR_BIG_FIRST,
    _DUAL.pattern: _DUAL_FIRST,
}


def _english(words: str) -> float:
    """The value of an English number phrase matched by ``_EN_NUM``."""
    total = 0.0
    for word in re.split(r"[\s-]+", words):
        if word == "hundred":
            total = (total or 1.0) * 100
        elif word != "and":
            total += _WORDS.get(word, 0.0)
    return total


def _arabic(words: str, start: int) -> tuple[float, int]:
    """The value of an Arabic compound matched by ``_AR_NUM`` and where it ends; when its parts
    are not in the order of one number ("ثلاثة وأربعة"), only its first part."""
    parts = list(_AR_PART_RE.finditer(words))
    if not parts:
        return 0.0, start
    if not _AR_ORDER.fullmatch("".join(p.lastgroup or "" for p in parts)):
        parts = parts[:1]
    total = 0.0
    for part in parts:
        tokens = part.group().split()
        if part.lastgroup == "T":
            total += 10.0 + (_AR_TEEN_UNITS[tokens[0]] if len(tokens) == 2 else 0.0)
        elif part.lastgroup == "H":
            word = part.group()
            unit = re.match(rf"({_alt(_AR_UNITS)})\s?(?=مئه|مائه)", word)
            total += (_AR_UNITS[unit.group(1)] * 100) if unit else _AR_HUNDREDS[word]
        else:
            total += _AR_TENS.get(tokens[0], 0.0) + _AR_UNITS.get(tokens[0], 0.0)
    return total, start + parts[-1].end()


def _arabic_words(
    at_start: re.Pattern[str],
    after: re.Pattern[str],
    shadow: str,
    tokens: set[str],
    every_pattern: bool,
) -> Iterator[re.Match[str]]:
    """The matches of one of the Arabic word patterns (``_AR_NUM``, ``_AR_BIG``, ``_DUAL``):
    tried only where one of the text's ``tokens`` that may start a match stands (every match
    starts with such a whole token: see ``_AR_FIRST_FORMS``), or searched for over the whole
    text with ``every_pattern`` (the same matches: the tests compare)."""
    if every_pattern:
        return at_word_starts(at_start, after, shadow)
    first = _FIRST_TOKENS[at_start.pattern]
    return at_arabic_tokens(at_start, shadow, sorted(tokens & first))


def numbers(shadow: str, *, every_pattern: bool = False) -> list[Number]:
    """Every figure in ``shadow`` (a :class:`Shadow`'s text), sorted by start; two may
    overlap ("خمسة آلاف" is 5000 and the vague آلاف). A word pattern is run only when the
    text holds a word it can start with; ``every_pattern`` runs them all (the same result:
    the tests compare)."""
    found: list[Number] = []
    has_ar = not shadow.isascii() and has_arabic(shadow)
    arabic = set(_AR_TOKEN.findall(shadow)) if has_ar and not every_pattern else set()
    plain = plain_ascii(shadow)
    english = at_word_starts(_EN_NUM, _EN_NUM_AFTER_ASCII if plain else _EN_NUM_AFTER, shadow)
    searches: list[tuple[bool, Iterator[re.Match[str]]]] = [(True, english)]
    if has_ar and (every_pattern or not _AR_NUM_FIRST.isdisjoint(arabic)):
        searches.append(
            (False, _arabic_words(_AR_NUM, _AR_NUM_AFTER, shadow, arabic, every_pattern))
        )
    for match in (_DIGITS_ASCII if plain else _DIGITS).finditer(shadow):
        start = match.start()
        if start >= 2 and shadow[start - 1] == "-" and shadow[start - 2].isalpha():
            continue  # COVID-19, F-16
        whole = float(match.group(1).replace(",", ""))
        decimals = match.group(2) or ""
        value = whole + (float("0." + decimals) if decimals else 0.0)
        # An integer is exact ("12" is not "13", "3 thousand" is 3000); a decimal is known to
        # half a unit of its last digit ("1.5 million": 1.45 to 1.55 million).
        half = 0.5 * 10 ** -len(decimals) if decimals else 0.0
        found.append(Number(start, match.end(), value, value - half, value + half))
    for is_english, matches in searches:
        for match in matches:
            word, start, end = match.group(1), match.start(1), match.end(1)
            if word in _VAGUE or word[2:] in _VAGUE:  # "عشرات", "العشرات"
                low, high = _VAGUE.get(word) or _VAGUE[word[2:]]
                found.append(Number(start, end, low, low, high))
                continue
            if is_english:
                total = _english(word)
            else:
                total, end = _arabic(word, start)
            if total:
                found.append(Number(start, end, total, total, total))
    if has_ar and (every_pattern or not _AR_BIG_FIRST.isdisjoint(arabic)):
        for match in _arabic_words(_AR_BIG, _AR_BIG_AFTER, shadow, arabic, every_pattern):
            big = _AR_BIG_WORDS[match.group(2)]
            value = big * (0.5 if match.group(1) else 1.0) + (big / 2 if match.group(3) else 0.0)
            start = match.start(1) if match.group(1) else match.start(2)
            found.append(Number(start, match.end(), value, value, value))
    if has_ar and (every_pattern or not _DUAL_FIRST.isdisjoint(arabic)):
        for match in _arabic_words(_DUAL, _DUAL_AFTER, shadow, arabic, every_pattern):
            start = match.start(1)
            found = [n for n in found if not start <= n.start < match.end()]  # its "اثنان"
            found.append(Number(start, start, 2.0, 2.0, 2.0))
    found.sort(key=lambda n: n.start)
    for number in found:
        scale = _SCALE_AFTER.match(shadow, number.end)
        if scale:
            factor = _SCALES[scale.group(1)]
            number.value, number.low, number.high = (
                number.value * factor,
                number.low * factor,
                number.high * factor,
            )
            number.end = scale.end()
    return found
