"""Do two spellings write one name? Latin against Latin, and any script against any.

Latin spellings of one Arabic (or other) name differ in the ways transliteration schemes do:
Gnunu, Kununu, Gnounou and Kanunu; Gaddafi, Qadhafi and Kadhafi; Hussein, Husayn and Hussain;
Syrte and Sirte. :func:`latin_cost` compares two Latin names sound by sound: consonants that
schemes write for one letter are one (g/k/q/c for ق, j/g/dj for ج, sh/ch/sch, kh/ch, th/t/s,
dh/d/z, f/v/ph, b/p), doubled letters and silent h fold, the article (al-, el-, ad- ...) is
ignored, and vowels count little: a vowel written in one spelling only, or a different short
vowel, costs a fraction of a consonant (o and u, ee and i, ei and ay are one). What the cost
may reach grows with the number of consonants (:func:`allowed_latin_cost`), so Hassan and
Hussein (two vowels apart on three consonants) stay different names while Mohammed and
Muhammad are one.

:func:`spelled_alike` is the one question callers ask: Arabic against Latin goes to the
transliteration matcher (:func:`reader.core.names.transliterate.names_match`), Latin against
Latin to :func:`latin_cost`, Arabic against Arabic compares the name-folded words (letter
variants and the article aside).

Callers may rely on: pure, deterministic functions that never raise on any string; no regular
expression is built from their input.
"""

from __future__ import annotations

from functools import lru_cache

from reader.core.names.transliterate import _arabic_words, _latin_words, is_arabic, names_match
from reader.core.text.arabic import fold_name

__all__ = ["allowed_latin_cost", "latin_cost", "latin_units", "spelled_alike"]

# Consonant spellings, longest first; each maps to a sound.
_DIGRAPHS = (
    ("dsch", "j"),
    ("tch", "ch"),
    ("sch", "sh"),
    ("sh", "sh"),
    ("ch", "ch"),
    ("kh", "kh"),
    ("gh", "gh"),
    ("th", "th"),
    ("dh", "dh"),
    ("ph", "f"),
    ("ck", "k"),
    ("dj", "j"),
    ("zh", "j"),
    ("qu", "k"),
)
# Sounds that transliteration schemes write for one letter: two sounds sharing a group cost 0.
_GROUPS = (
    frozenset(("k", "q", "c", "g", "gh")),  # ق: Gaddafi, Qadhafi, Kadhafi, Gheddafi
    frozenset(("j", "g")),  # ج: Gamal, Jamal
    frozenset(("kh", "ch", "x", "h")),  # خ: Khaled, Chaled; Hamad / Khamad costs (see below)
    frozenset(("sh", "ch", "s")),  # ش: Chaabane, Shaaban
    frozenset(("gh", "r")),  # غ: Ghadames, Rhadames
    frozenset(("th", "t", "s")),  # ث: Othman, Osman, Usman
    frozenset(("dh", "d", "z", "th")),  # ذ ظ ض: Kadhimi, Kazimi, Kadimi
    frozenset(("s", "z", "c")),  # ز ص س
    frozenset(("f", "v")),
    frozenset(("b", "p")),
    frozenset(("w", "v")),
)
_SOUND_GROUPS: dict[str, frozenset[int]] = {}
for _number, _group in enumerate(_GROUPS):
    for _sound in _group:
        _SOUND_GROUPS[_sound] = _SOUND_GROUPS.get(_sound, frozenset()) | {_number}
# Costs of pairs of sounds in one group that are still a little apart.
_NEAR = {frozenset(("h", "kh")): 0.5, frozenset(("h", "ch")): 0.5, frozenset(("s", "sh")): 0.5}
_NEAR[frozenset(("gh", "r"))] = 0.5
_NEAR[frozenset(("gh", "kh"))] = 0.5
_NEAR[frozenset(("s", "z"))] = 0.25

# Vowel runs -> a vowel class. o and u are one (the damma), ee/ie/i/y one (the kasra and ي).
_VOWEL_RUNS = {"a": "A", "aa": "A", "e": "E", "i": "I", "ee": "I", "ie": "I", "y": "I"}
_VOWEL_RUNS.update({"ea": "I", "o": "U", "u": "U", "ou": "U", "oo": "U", "oe": "U", "uo": "U"})
_VOWEL_RUNS.update({"ai": "AI", "ay": "AI", "ei": "AI", "ey": "AI", "aye": "AI", "ae": "AI"})
_VOWEL_RUNS.update({"au": "AU", "aw": "AU", "ow": "AU", "ao": "AU"})
_VOWEL_COST = {
    frozenset("AE"): 0.25,
    frozenset("EI"): 0.25,
    frozenset(("I", "AI")): 0.25,
    frozenset(("E", "AI")): 0.25,
    frozenset(("U", "AU")): 0.25,
    frozenset(("A", "AU")): 0.5,
    frozenset("AU"): 0.5,
    frozenset("EU"): 0.5,
    frozenset("AI"): 0.75,  # Hamad / Hamid
}
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


def _vowel_classes(run: str) -> list[str]:
    """The vowel classes of a run of vowel letters: the longest known spellings first
    (Kairouan's "ai"), the rest one by one (Alia's "ia" is i then a)."""
    classes: list[str] = []
    i = 0
    while i < len(run):
        for size in (3, 2, 1):
            if run[i : i + size] in _VOWEL_RUNS:
                classes.append(_VOWEL_RUNS[run[i : i + size]])
                i += size
                break
        else:
            classes.append("A")
            i += 1
    return classes


def latin_units(word: str) -> tuple[tuple[str, str], ...]:
    """A Latin word (lower case, no marks) as sounds: ("C", consonant) and ("V", vowel class)
    units. Doubled consonants fold; a final h is silent; y and w before a vowel are
    consonants, elsewhere vowels; French "ou" before a vowel is w (Ouargla, Kairouan), and i
    or y between two vowels is y (Ghardaia, Ghardaya). x is k and s."""
    letters = "".join(ch for ch in word if ch in _LETTERS).replace("x", "ks")
    letters = _between_vowels(letters)
    units: list[tuple[str, str]] = []
    i, n = 0, len(letters)
    while i < n:
        ch = letters[i]
        if ch in "aeiou" or (ch in "yw" and not (i + 1 < n and letters[i + 1] in "aeiou")):
            j = i + 1
            while j < n and (
                letters[j] in "aeiou"
                or (letters[j] in "yw" and not (j + 1 < n and letters[j + 1] in "aeiou"))
            ):
                j += 1
            classes = _vowel_classes(letters[i:j].replace("w", "u").replace("y", "i"))
            units.extend(("V", klass) for klass in classes)
            i = j
            continue
        size, sound = 1, ch
        for spelling, digraph in _DIGRAPHS:
            if letters.startswith(spelling, i):
                size, sound = len(spelling), digraph
                break
        i += size
        if sound == "h" and i == n and units:
            continue  # a silent final h: Misratah, Abdullah
        if units and units[-1] == ("C", sound):
            continue  # a doubled consonant
        units.append(("C", sound))
    return tuple(units)


def _between_vowels(letters: str) -> str:
    """French "ou" before a vowel as w, and i between two vowels as y."""
    out: list[str] = []
    i, n = 0, len(letters)
    while i < n:
        ch = letters[i]
        if letters.startswith("ou", i) and i + 2 < n and letters[i + 2] in "aei":
            out.append("w")
            i += 2
            continue
        if ch == "u" and 0 < i < n - 1 and letters[i + 1] in "aei" and out[-1] not in "aeioq":
            out.append("w")  # Tuareg, Tetuan
            i += 1
            continue
        if ch == "i" and out and out[-1] in "aeou" and i + 1 < n and letters[i + 1] in "aeou":
            out.append("y")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _sub_cost(a: tuple[str, str], b: tuple[str, str]) -> float:
    if a == b:
        return 0.0
    if a[0] != b[0]:
        return float("inf")
    if a[0] == "V":
        return _VOWEL_COST.get(frozenset((a[1], b[1])), 0.5)
    near = _NEAR.get(frozenset((a[1], b[1])))
    if near is not None:
        return near
    if _SOUND_GROUPS.get(a[1], frozenset()) & _SOUND_GROUPS.get(b[1], frozenset()):
        return 0.0
    return 1.0


def _indel_cost(units: tuple[tuple[str, str], ...], i: int) -> float:
    kind, sound = units[i]
    if kind == "V":
        if i == len(units) - 1:
            # a French silent e (Syrte / Sirt) costs little; other final vowels mark a
            # feminine (-a) or a nisba (-i): Tunis / Tunisia, Hashem / Hashemi
            return 0.25 if sound == "E" else 0.75
        return 0.5
    if sound == "h":
        return 0.5
    if sound in ("w", "y"):
        return 0.75
    return 1.0


@lru_cache(maxsize=65536)
def _unit_distance(a: tuple[tuple[str, str], ...], b: tuple[tuple[str, str], ...]) -> float:
    n, m = len(a), len(b)
    row = [0.0] * (m + 1)
    for j in range(1, m + 1):
        row[j] = row[j - 1] + _indel_cost(b, j - 1)
    for i in range(1, n + 1):
        previous, row[0] = row[0], row[0] + _indel_cost(a, i - 1)
        for j in range(1, m + 1):
            best = min(
                row[j] + _indel_cost(a, i - 1),
                row[j - 1] + _indel_cost(b, j - 1),
                previous + _sub_cost(a[i - 1], b[j - 1]),
            )
            previous, row[j] = row[j], best
    return row[m]


def _consonants(units: tuple[tuple[str, str], ...]) -> int:
    return sum(1 for kind, _sound in units if kind == "C")


def latin_cost(a: str, b: str) -> tuple[float, int]:
    """(cost, consonants): how far apart two Latin spellings of a name are (0: the same
    sounds) and how many consonants the longer has. Articles are ignored; names of as many
    words are compared word by word, others run together (Abdel Hamid / Abdelhamid)."""
    words_a, words_b = _latin_words(a), _latin_words(b)
    if not words_a or not words_b:
        return float("inf"), 0
    if len(words_a) == len(words_b):
        pairs = list(zip(words_a, words_b, strict=True))
    else:
        pairs = [("".join(words_a), "".join(words_b))]
    total, consonants = 0.0, 0
    for x, y in pairs:
        ux, uy = latin_units(x), latin_units(y)
        total += _unit_distance(ux, uy)
        consonants += max(_consonants(ux), _consonants(uy))
    return total, consonants


def allowed_latin_cost(consonants: int) -> float:
    """How far two Latin spellings may differ and still be one name, by name length."""
    if consonants <= 2:
        return 0.25
    if consonants == 3:
        return 0.5
    if consonants <= 5:
        return 0.75
    return 1.0


def _arabic_form(name: str) -> str:
    return " ".join(_arabic_words(fold_name(name)))


def spelled_alike(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` plausibly write one name (see the module docs): Arabic and
    Latin by transliteration, Latin and Latin by :func:`latin_cost`, Arabic and Arabic when
    their folded words are the same."""
    a_ar, b_ar = is_arabic(a), is_arabic(b)
    if a_ar and b_ar:
        form = _arabic_form(a)
        return bool(form) and form == _arabic_form(b)
    if a_ar != b_ar:
        return names_match(a, b)
    cost, consonants = latin_cost(a, b)
    return consonants > 0 and cost <= allowed_latin_cost(consonants)
