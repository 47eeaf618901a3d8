"""Names the gazetteer does not know, and linking them across scripts.

Two articles about one event in English and Arabic share no words; they share the names of the
people and places, which the gazetteer recognises only when it knows them. For the others,
:func:`unknown_names` keeps the words of an article that may be names:

- English: capitalised words that do not start a sentence (a sentence-initial word counts when
  the article also writes it capitalised mid-sentence), that the article never writes in lower
  case ("Office" in "Media Office" but "office" elsewhere is a word), that are not all
  capitals (acronyms are not transliterated), not stop words, month or day names, and at least
  three letters; as folded forms ("Ḥaniyeh's" -> "haniyeh").
- Arabic (no capitals): every content word of three letters or more, name-folded and without
  the prefixes و/ف and ال (with ب/ك/ل before ال, and لل); stop words left out. The
  transliteration check (:func:`bridged`) and the IDF weighting keep the noise down.

Words inside a gazetteer mention are left out (the entity already counts). :func:`name_keys`
gives the skeleton keys of a name: its consonant skeleton and, for three classes or more, the
skeletons with one class deleted, so two names whose skeletons are equal or differ by one class
(Haniyeh HN / هنية HN; Tehran TRN / طهران THRN) share a key. :func:`bridged` verifies a pair
with the transliteration matcher. All three remember what they computed (bounded), so a
corpus costs one computation per distinct word.

Callers may rely on: pure functions of their arguments, deterministic, never raising on any
text; the forms are lower-case Latin or name-folded Arabic.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from reader.core.names.transliterate import names_match, skeleton, strip_latin_marks
from reader.core.text.arabic import HARAKAT, LETTER_CLASS, QURANIC_MARKS
from reader.core.text.arabic import fold_name as fold_arabic
from reader.core.text.stopwords import CONTENT_ARABIC, CONTENT_ENGLISH

__all__ = ["bridged", "name_keys", "unknown_names"]

_LATIN = "A-Za-z\u00c0-\u024f"
_EN_TOKEN = re.compile(rf"[{_LATIN}]+(?:['’][{_LATIN}]+)*")
_AR_TOKEN = re.compile(f"[{LETTER_CLASS}{HARAKAT}{QURANIC_MARKS}]+")
_OPENERS = frozenset("\"'“‘«([-–— \t")  # between a sentence end and the next sentence's word
_ENDS = frozenset(".!?\n:;")
_MONTHS = """january february march april may june july august september october november
december jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri
sat sun"""
_EN_NOT_NAMES = CONTENT_ENGLISH | frozenset(
    (
        _MONTHS
        + """ mr mrs ms dr prof sir madam sheikh president minister prime ministry
        government army forces force police officials official spokesman spokeswoman spokesperson
        leader chief head director secretary general foreign defence defense interior health
        state states united national international council committee office agency news press
        media group party movement north south east west northern southern eastern western
        central city province district region street square road camp hospital university
        but and yet for or nor the this that these those there here it its he she they we you
        his her their our my your a an in on at of to by with from as after before during when
        while if though although because since until unless where which who whom whose what
        why how all any both each every some many most more much no not only other such"""
    ).split()
)
_AR_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال")
_KEPT = 200_000  # forms remembered before the memory starts over
_AR_FORMS: dict[str, str] = {}  # Arabic token -> its name form ("" when not a candidate)
_KEYS: dict[str, tuple[str, ...]] = {}
_BRIDGED: dict[tuple[str, str], bool] = {}


def _latin_form(token: str) -> str:
    for tail in ("'s", "’s"):
        if token.endswith(tail):
            token = token[: -len(tail)]
            break
    return strip_latin_marks(token).replace("’", "'")


def _sentence_start(text: str, start: int) -> bool:
    """True when the word at ``start`` opens the text, a line or a sentence."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _ENDS


def _english_names(text: str, known: frozenset[str]) -> Counter[str]:
    lower: set[str] = set()
    inner: Counter[str] = Counter()  # capitalised, mid-sentence
    initial: Counter[str] = Counter()  # capitalised, opening a sentence
    for match in _EN_TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if not first.isupper():
            lower.add(_latin_form(token))
            continue
        if len(token) > 1 and token.isupper():
            continue  # an acronym (WCK, IDF) or a shouted headline
        form = _latin_form(token)
        if _sentence_start(text, match.start()):
            initial[form] += 1
        else:
            inner[form] += 1
    names: Counter[str] = Counter()
    for form, count in inner.items():
        if len(form) < 3 or form in lower or form in known or form in _EN_NOT_NAMES:
            continue
        if len(skeleton(form)) < 2:
            continue
        names[form] = count + initial[form]
    return names


def _arabic_form(token: str) -> str:
    """The name form of an Arabic token ("" when it cannot be a name)."""
    form = _AR_FORMS.get(token)
    if form is not None:
        return form
    if len(_AR_FORMS) > _KEPT:
        _AR_FORMS.clear()
    word = fold_arabic(token)
    form = word
    if word not in CONTENT_ARABIC:
        if form.startswith(("و", "ف")) and len(form) >= 5:
            form = form[1:]
        for prefix in _AR_PREFIXES:
            if form.startswith(prefix) and len(form) - len(prefix) >= 3:
                form = form[len(prefix) :]
                break
    stop = word in CONTENT_ARABIC or form in CONTENT_ARABIC
    if stop or len(form) < 3 or len(skeleton(form)) < 2:
        form = ""
    _AR_FORMS[token] = form
    return form


def _arabic_names(text: str, known: frozenset[str]) -> Counter[str]:
    names: Counter[str] = Counter()
    for token in _AR_TOKEN.findall(text):
        form = _arabic_form(token)
        if form and form not in known:
            names[form] += 1
    return names


def _known_forms(surfaces: Iterable[str], arabic: bool) -> frozenset[str]:
    """The forms of the words of gazetteer mentions (left out: the entity counts already)."""
    forms: set[str] = set()
    for surface in surfaces:
        if arabic:
            forms.update(_arabic_form(t) for t in _AR_TOKEN.findall(surface))
        else:
            forms.update(_latin_form(t) for t in _EN_TOKEN.findall(surface))
    forms.discard("")
    return frozenset(forms)


def unknown_names(text: str, lang: str, mentioned: Iterable[str] = ()) -> Counter[str]:
    """The words of ``text`` that may be names the gazetteer does not know, with their counts
    (see the module docs); ``mentioned``: the surfaces of the gazetteer's mentions in it, whose
    words are left out. Only "en" and "ar" have names; any other language gives none."""
    if lang == "ar":
        return _arabic_names(text, _known_forms(mentioned, True))
    if lang == "en":
        return _english_names(text, _known_forms(mentioned, False))
    return Counter()


def name_keys(form: str) -> tuple[str, ...]:
    """The skeleton keys of a name form: its skeleton and (for three classes or more) each
    skeleton with one class deleted. Names that may match share at least one key."""
    keys = _KEYS.get(form)
    if keys is None:
        if len(_KEYS) > _KEPT:
            _KEYS.clear()
        key = skeleton(form)
        found = [key] if len(key) >= 2 else []
        if len(key) >= 3:
            found.extend(sorted({key[:i] + key[i + 1 :] for i in range(len(key))} - {key}))
        keys = _KEYS[form] = tuple(found)
    return keys


def bridged(arabic: str, latin: str) -> bool:
    """True when the Arabic and the Latin name forms spell one name
    (:func:`reader.core.names.transliterate.names_match`), remembered."""
    pair = (arabic, latin)
    found = _BRIDGED.get(pair)
    if found is None:
        if len(_BRIDGED) > _KEPT:
            _BRIDGED.clear()
        found = _BRIDGED[pair] = names_match(arabic, latin)
    return found
