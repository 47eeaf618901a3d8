"""Names across scripts: does an Arabic-script name and a Latin-script name spell the same name?

The matcher compares consonant skeletons. Arabic writes consonants and long vowels, Latin
transliterations write consonants and (all) vowels in many competing conventions, so each Arabic
letter may "consume" any of the Latin spellings it is commonly written with (ق as q, g or k;
ث as th, t or s; ح and ه as h; و and ي as w/y or as the vowels u/o and i/e ...), Latin short
vowels are free, doubled letters fold, and the article (ال, al-, el-, ash- ...) is ignored. The
result is a cost (0 = a perfect reading); :func:`names_match` accepts a cost that grows with the
length of the name, because long names survive one slip while three-letter names do not.

Callers may rely on: every function is pure and deterministic, never raises on any input
string, and treats text as untrusted (no regular expression is built from it).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import groupby

from reader.core.text.arabic import LETTER_CLASS, strip_marks
from reader.core.text.arabic import fold_name as fold_arabic
from reader.core.text.arabic import has_arabic as is_arabic

__all__ = [
    "allowed_cost",
    "fold_arabic",
    "is_arabic",
    "name_words",
    "names_match",
    "skeleton",
    "strip_latin_marks",
    "transliteration_cost",
    "word_skeleton",
]

_ARABIC_LETTER = re.compile(f"[{LETTER_CLASS}]")

_LATIN_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def strip_latin_marks(text: str) -> str:
    """Lower-cased Latin text without diacritics (Erdoğan -> erdogan, Salamé -> salame)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _LATIN_MARKS.sub("", decomposed).replace("ı", "i")


# Arabic letter -> (Latin spelling, cost) it may be read as. Doubling is handled by the
# matcher. Costs above 0 are readings that occur but are sloppy.
_READINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "ب": (("b", 0), ("p", 0)),
    "پ": (("p", 0), ("b", 0)),
    "ت": (("t", 0), ("th", 0.5)),
    "ث": (("th", 0), ("t", 0), ("s", 0)),
    "ج": (("j", 0), ("g", 0), ("dj", 0), ("dsch", 0), ("zh", 0)),
    "چ": (("ch", 0), ("j", 0)),
    "ح": (("h", 0), ("kh", 0.5)),
    "خ": (("kh", 0), ("h", 0), ("k", 0), ("ch", 0), ("x", 0)),
    "د": (("d", 0),),
    "ذ": (("dh", 0), ("z", 0), ("d", 0), ("th", 0)),
    "ر": (("r", 0),),
    "ز": (("z", 0), ("s", 0)),
    "س": (("s", 0), ("c", 0)),
    "ش": (("sh", 0), ("ch", 0), ("sch", 0), ("s", 0.5)),
    "ص": (("s", 0),),
    "ض": (("d", 0), ("dh", 0), ("z", 0)),
    "ط": (("t", 0),),
    "ظ": (("z", 0), ("dh", 0), ("d", 0)),
    "ع": (("a", 0), ("e", 0), ("i", 0), ("o", 0), ("u", 0), ("'", 0), ("`", 0)),
    "غ": (("gh", 0), ("g", 0), ("r", 0.5)),
    "ف": (("f", 0), ("v", 0), ("ph", 0)),
    "ڤ": (("v", 0), ("f", 0)),
    "ق": (("q", 0), ("g", 0), ("k", 0), ("c", 0), ("ck", 0), ("gh", 0.25)),
    "ك": (("k", 0), ("c", 0), ("ck", 0), ("q", 0.5)),
    "گ": (("g", 0), ("k", 0)),
    "ل": (("l", 0),),
    "م": (("m", 0),),
    "ن": (("n", 0), ("m", 0.25)),  # before b: Jumblatt
    "ه": (("h", 0),),
    "و": (("w", 0), ("v", 0), ("u", 0), ("o", 0), ("ou", 0), ("oo", 0), ("ow", 0), ("aw", 0)),
    "ي": (
        ("y", 0),
        ("i", 0),
        ("ee", 0),
        ("ie", 0),
        ("ei", 0),
        ("ai", 0),
        ("ay", 0),
        ("ey", 0),
        ("e", 0.25),
    ),
    "ا": (("a", 0), ("aa", 0), ("e", 0), ("o", 0.5)),  # French e: Boualem, Meknes
    "أ": (("a", 0), ("e", 0), ("i", 0), ("o", 0), ("u", 0), ("'", 0)),
    "إ": (("i", 0), ("e", 0), ("'", 0)),
    "آ": (("a", 0), ("aa", 0)),
    "ء": (("'", 0),),
    "ؤ": (("u", 0), ("o", 0), ("w", 0), ("'", 0)),
    "ئ": (("y", 0), ("i", 0), ("e", 0), ("'", 0)),
    "ى": (("a", 0), ("i", 0), ("e", 0), ("y", 0)),
    "ة": (("a", 0), ("ah", 0), ("at", 0), ("h", 0), ("e", 0), ("t", 0)),
}
# What leaving an Arabic letter unread costs (consonants not listed: 1). Taa marbuta is
# nearly always written as a vowel in Latin (Khalifa, Misrata), so leaving it out costs.
_SKIP_ARABIC = {"ا": 0.5, "أ": 0, "إ": 0, "آ": 0, "ء": 0, "ؤ": 0, "ئ": 0, "ع": 0, "ى": 0}
_SKIP_ARABIC.update({"ة": 0.5, "و": 0.5, "ي": 0.5, "ه": 0.5})
_INITIAL = frozenset("اأإآع")  # a word-initial vowel carrier
_WEAK = frozenset("اأإآءؤئعىةوي")  # letters that are (or may be) vowels or glottal stops
_VOWELS = frozenset("aeiou")
_LONG = frozenset(("ee", "ei", "ai", "ay", "ey", "oo", "ou", "ie"))
_ARTICLE_WORDS = "al el ul il ad adh ar as ash at ath az an ed es et en er"
_ARTICLES = frozenset(_ARTICLE_WORDS.split())
_PARTICLES = frozenset(("al", "el", "ul", "il", "bin", "ibn", "ben", "bint"))
_ABD = re.compile(r"^ab(?:d|de|du|da|do)[-' ]?[aeiuo]l[-' ]?")
_SUN = frozenset("tdrzsnl")  # Latin letters of the sun letters an article assimilates to
_GLUED_SON = ("ben", "bin", "ibn")
_LATIN_PART = re.compile(r"[a-z'`]+")


def _latin_words(name: str) -> list[str]:
    """Latin name -> lower-case words without articles (al-Mismari -> ["mismari"])."""
    text = strip_latin_marks(name).replace("’", "'").replace("‘", "'")
    words: list[str] = []
    for chunk in text.split():
        parts = [p for p in re.split(r"[-–‐]+", chunk) if p]
        for index, raw in enumerate(parts):
            word = "".join(_LATIN_PART.findall(raw)).strip("'`")
            if word.endswith("'s"):
                word = word[:-2]
            if not word or word in _PARTICLES:
                continue
            if index < len(parts) - 1 and word in _ARTICLES:
                continue  # ash-Shaer, ad-Dabaiba
            words.append(_ABD.sub("abd", word))  # abdel/abdul -> abd, as in عبد ال...
    return words


def _arabic_words(name: str) -> list[str]:
    """Arabic name -> words without marks, the article and the name particles (بن, ابن)."""
    words: list[str] = []
    for raw in re.split(r"[\s\-–‐]+", strip_marks(name)):
        word = "".join(_ARABIC_LETTER.findall(raw))
        if not word or word in ("بن", "ابن", "إبن", "بنت"):
            continue
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        elif word.startswith("عبدال") and len(word) > 6:
            word = "عبد" + word[5:]
        if word.endswith("ه") and len(word) > 2:
            word = word[:-1] + "ة"  # a folded taa marbuta: read it as one
        words.append(word)
    return words


def _fold_doubles_arabic(word: str) -> str:
    out: list[str] = []
    for ch in word:
        if not out or ch != out[-1] or ch in _WEAK:
            out.append(ch)
    return "".join(out)


def _skip_latin_cost(latin: str, j: int) -> float:
    """What leaving ``latin[j]`` unread costs."""
    ch = latin[j]
    previous = latin[j - 1] if j else ""
    is_last = j == len(latin) - 1
    if ch in _VOWELS:
        if j == 0:
            return 0.5  # Arabic writes a word-initial vowel (ا أ إ ع)
        if is_last and ch in "ia":
            # final -i is a written ي (nisba): Kadhimi is not كاظم; final -a a written ة, ى
            # or ا: Salma is not سالم
            return 0.5
        if latin[j : j + 2] in _LONG or latin[j - 1 : j + 1] in _LONG:
            return 0.25  # half of a long vowel, which Arabic writes: Hussein is not حسن
        return 0.0
    if ch in "'`":
        return 0.0
    if ch == "h":
        # silent or decorative h (Misratah, Sabratha, Abdullah)
        return 0.25 if is_last or previous in _VOWELS else 0.5
    if ch == "y" and previous not in _VOWELS and latin[j + 1 : j + 2] not in _VOWELS:
        return 0.0  # y between consonants is a short vowel (French Syrte)
    if ch in "yw":
        return 0.5
    if ch == previous:
        return 0.0  # doubled consonant already read
    return 1.0


@lru_cache(maxsize=65536)
def _distance(arabic: str, latin: str) -> float:
    """Cheapest reading of the Arabic letters as the Latin string (both already article-free)."""
    n, m = len(arabic), len(latin)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    # What leaving each Latin character unread costs, and whether it is a consonant: the same
    # for every Arabic letter, so worked out once per character rather than once per cell.
    unread = [_skip_latin_cost(latin, j) for j in range(m)]
    consonant = [ch not in _VOWELS for ch in latin]
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            if j < m:  # leave a Latin character unread
                c = here + unread[j]
                if c < cost[i][j + 1]:
                    cost[i][j + 1] = c
            if i == n:
                continue
            letter = arabic[i]
            skip = _SKIP_ARABIC.get(letter, 1.0)
            if letter == "ة" and i and arabic[i - 1] == "ا":
                skip = 0.0  # one Latin a for both: حماة, Hama
            if i == 0 and letter in _INITIAL:
                # Ahmed has its initial vowel where أحمد has its alef; Hamad has none. Before
                # و/ي the vowel is read off the long vowel instead (أوباري, Ubari).
                skip = 0.0 if i + 1 < n and arabic[i + 1] in "وي" else 0.5
            if here + skip < cost[i + 1][j]:
                cost[i + 1][j] = here + skip
            for spelling, extra in _READINGS.get(letter, ()):
                if latin.startswith(spelling, j):
                    end = j + len(spelling)
                    if here + extra < cost[i + 1][end]:
                        cost[i + 1][end] = here + extra
            slip = j < m and letter not in _WEAK and consonant[j]
            if slip and here + 1.0 < cost[i + 1][j + 1]:
                cost[i + 1][j + 1] = here + 1.0  # one consonant written as another
    return cost[n][m]


def _consonants(arabic: str) -> int:
    return sum(1 for ch in arabic if ch not in _WEAK)


def transliteration_cost(arabic: str, latin: str) -> tuple[float, int]:
    """(cost, consonants): the cheapest reading of the Arabic name as the Latin one, and how many
    Arabic consonants the name has. Articles are ignored; names with the same number of words
    are compared word by word, others run together (عبد الواحد / Abdelwahed)."""
    ar_words = [_fold_doubles_arabic(w) for w in _arabic_words(arabic)]
    la_words = _latin_words(latin)
    if not ar_words or not la_words:
        return float("inf"), 0
    if len(ar_words) == len(la_words):
        pairs = list(zip(ar_words, la_words, strict=True))
    else:
        pairs = [("".join(ar_words), "".join(la_words))]
    total = 0.0
    for ar, la in pairs:
        best = _distance(ar, la)
        if la[:2] in ("al", "el") and len(la) > 4:
            # Latin spellings sometimes glue the article on (Alsisi, Elhassi).
            best = min(best, _distance(ar, la[2:]))
        elif len(la) > 5 and la[0] in "ae" and la[1] == la[2] and la[1] in _SUN:
            best = min(best, _distance(ar, la[2:]))  # or its assimilated form (Essebsi)
        if len(la) > 5 and la.startswith("la") and strip_marks(arabic).lstrip().startswith("ال"):
            best = min(best, _distance(ar, la[2:]))  # French glues the article: Laghouat
        if len(la) > 5 and la.startswith(_GLUED_SON):
            # ... and the particle بن, which the Arabic words leave out (Benkirane)
            best = min(best, _distance(ar, la[3:]))
        total += best
    return total, _consonants("".join(ar_words))


def allowed_cost(consonants: int) -> float:
    """How far a reading may stray and still count as the same name, by name length."""
    if consonants <= 3:
        return 0.0
    if consonants <= 5:
        return 0.25
    return 1.0


def names_match(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` plausibly spell the same name.

    One Arabic and one Latin name: the transliteration reading (see module docs). Two names in
    the same script: their coarse skeletons (:func:`skeleton`) are equal and at least two
    classes long.
    """
    a_ar, b_ar = is_arabic(a), is_arabic(b)
    if a_ar == b_ar:
        key = skeleton(a)
        return len(key) >= 2 and key == skeleton(b)
    arabic, latin = (a, b) if a_ar else (b, a)
    cost, consonants = transliteration_cost(arabic, latin)
    return consonants > 0 and cost <= allowed_cost(consonants)


# Coarse classes for fast candidate lookup: letters that any reading may confuse share a class.
_AR_CLASS = {"ب": "B", "پ": "B", "ف": "F", "ڤ": "F", "ت": "T", "ط": "T", "ث": "T", "د": "D"}
_AR_CLASS.update({"ذ": "D", "ض": "D", "ظ": "D", "ز": "Z", "س": "S", "ص": "S", "ش": "S"})
_AR_CLASS.update({"ج": "K", "چ": "K", "ق": "K", "ك": "K", "گ": "K", "غ": "K", "خ": "K"})
_AR_CLASS.update({"ح": "H", "ه": "H", "ر": "R", "ل": "L", "م": "M", "ن": "N"})
_LATIN_DIGRAPHS = (
    ("dsch", "K"),
    ("sch", "S"),
    ("sh", "S"),
    ("ch", "S"),
    ("kh", "K"),
    ("gh", "K"),
    ("th", "T"),
    ("dh", "D"),
    ("ph", "F"),
    ("ck", "K"),
    ("dj", "K"),
    ("zh", "K"),
)
_LATIN_CLASS = {"b": "B", "p": "B", "f": "F", "v": "F", "t": "T", "d": "D", "z": "Z", "s": "S"}
_LATIN_CLASS.update({"c": "K", "j": "K", "g": "K", "q": "K", "k": "K", "x": "K", "h": "H"})
_LATIN_CLASS.update({"r": "R", "l": "L", "m": "M", "n": "N"})


# One word of Arabic letters that name folding and mark stripping leave as they are (a name
# form as unknown names make it): fold_arabic, strip_marks, the split into words and the
# letter filter of the general path all give it back unchanged, so its skeleton is its word
# rules and a table lookup per letter (a third of the general path's time for a short word).
_PLAIN_ARABIC = "".join(
    ch
    for ch in map(chr, range(0x0600, 0x0700))
    if _ARABIC_LETTER.fullmatch(ch) and fold_arabic(ch) == ch and strip_marks(ch) == ch
)
_PLAIN_ARABIC_WORD = re.compile(f"[{_PLAIN_ARABIC}]+")
_PLAIN_CLASSES = str.maketrans({ch: _AR_CLASS.get(ch) for ch in _PLAIN_ARABIC + "ة"})


def _plain_arabic_skeleton(word: str) -> str:
    """:func:`skeleton` of a word of :data:`_PLAIN_ARABIC` letters: the rules of
    :func:`_arabic_words` for one word, then each letter's class, repeats folded."""
    if word in ("بن", "ابن", "إبن", "بنت"):
        return ""
    if word.startswith("ال") and len(word) > 3:
        word = word[2:]
    elif word.startswith("عبدال") and len(word) > 6:
        word = "عبد" + word[5:]
    if word.endswith("ه") and len(word) > 2:
        word = word[:-1] + "ة"
    classes = word.translate(_PLAIN_CLASSES)
    return "".join([cls for cls, _run in groupby(classes)])


def skeleton(name: str) -> str:
    """A coarse consonant key: names that may match share it or differ by one class letter.

    Vowels, و/ي/w/y, ع and the article are left out; repeated classes fold.
    """
    if _PLAIN_ARABIC_WORD.fullmatch(name):
        return _plain_arabic_skeleton(name)
    out: list[str] = []

    def add(cls: str | None) -> None:
        if cls and (not out or out[-1] != cls):
            out.append(cls)

    if is_arabic(name):
        for word in _arabic_words(fold_arabic(name)):
            for ch in word:
                add(_AR_CLASS.get(ch))
        return "".join(out)
    for word in _latin_words(name):
        i = 0
        while i < len(word):
            for spelling, klass in _LATIN_DIGRAPHS:
                if word.startswith(spelling, i):
                    add(klass)
                    i += len(spelling)
                    break
            else:
                ch = word[i]
                i += 1
                if ch == "h" and (i == len(word) or (i >= 2 and word[i - 2] in _VOWELS)):
                    continue  # a silent h
                add(_LATIN_CLASS.get(ch))
    return "".join(out)


_AR_TABLE = str.maketrans(
    {**{ch: None for ch in map(chr, range(0x0600, 0x0700))}, **_AR_CLASS}  # others dropped
)
_LATIN_TABLE = str.maketrans(
    {**{ch: None for ch in "abcdefghijklmnopqrstuvwxyz'`"}, **_LATIN_CLASS}
)
_SILENT_H = re.compile(r"(?<=[aeiou])h|h$")
_REPEATS = re.compile(r"(.)\1+")


def word_skeleton(word: str) -> str:
    """:func:`skeleton` of one name word already folded and without its article (a name form:
    name-folded Arabic, or lower-case Latin without marks), computed with table lookups: fast
    enough for every word of a corpus. Equal to :func:`skeleton` for such words but for rare
    overlaps of Latin digraphs."""
    if is_arabic(word):
        if word.endswith("ه"):
            word = word[:-1]  # a folded taa marbuta: no class
        out = word.translate(_AR_TABLE)
    else:
        out = word
        for spelling, klass in _LATIN_DIGRAPHS:
            if spelling in out:
                out = out.replace(spelling, klass)
        if "h" in out:
            out = _SILENT_H.sub("", out)
        out = out.translate(_LATIN_TABLE)
    return _REPEATS.sub(r"\1", out)


def name_words(name: str) -> list[str]:
    """The words of a name as the matchers read them: Arabic without marks, the article and
    بن/ابن; Latin lower case without marks, articles (al-, ash-) and particles (bin, ben)."""
    return _arabic_words(name) if is_arabic(name) else _latin_words(name)
