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
corpus costs one computation per distinct word. :func:`linked_by_names` finds, without
comparing every pair, the English and Arabic articles that spell the same rare names.

Callers may rely on: pure functions of their arguments, deterministic, never raising on any
text; the forms are lower-case Latin or name-folded Arabic.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from reader.core.names.transliterate import names_match, skeleton, strip_latin_marks
from reader.core.text.arabic import HARAKAT, LETTER_CLASS, QURANIC_MARKS
from reader.core.text.arabic import has_arabic as is_arabic
from reader.core.text.stopwords import CONTENT_ARABIC, NOT_NAMES_ENGLISH
from reader.core.text.tokens import (
    LATIN,
    arabic_words,
    folded_word,
    latin_words,
    looked_up,
    token_parts,
)

__all__ = ["bridged", "linked_by_names", "name_form", "name_keys", "unknown_names"]

_LATIN = LATIN
_EN_TOKEN = re.compile(rf"[{_LATIN}]+(?:['’][{_LATIN}]+)*")
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
# A capitalised word not glued to a letter or apostrophe before it: the capital first and the
# character before it looked at behind it (``.`` is the capital), so that the regex engine
# skips in C to the capitals (the same matches as the look-behind in front).
_EN_CAPITALISED = re.compile(rf"[{_UPPER}](?<![{_LATIN}'’].)[{_LATIN}]*(?:['’][{_LATIN}]+)*")
_AR_TOKEN = re.compile(f"[{LETTER_CLASS}{HARAKAT}{QURANIC_MARKS}]+")
_OPENERS = frozenset("\"'“‘«([-–— \t")  # between a sentence end and the next sentence's word
_ENDS = frozenset(".!?\n:;")
_AR_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال")
_KEPT = 200_000  # forms remembered before the memory starts over
_AR_FORMS: dict[str, str] = {}  # Arabic token -> its name form ("" when not a candidate)
_AR_KEYED: dict[str, bool] = {}  # name form -> whether its skeleton has two classes or more
_EN_FORMS: dict[str, str] = {}  # Latin token -> its folded form
_KEYS: dict[str, tuple[str, ...]] = {}
_BRIDGED: dict[tuple[str, str], bool] = {}


def _latin_form(token: str) -> str:
    form = _EN_FORMS.get(token)
    if form is None:
        if len(_EN_FORMS) > _KEPT:
            _EN_FORMS.clear()
        bare = token
        for tail in ("'s", "’s"):
            if bare.endswith(tail):
                bare = bare[: -len(tail)]
                break
        form = _EN_FORMS[token] = strip_latin_marks(bare).replace("’", "'")
    return form


_LONGEST = 40  # letters: a longer word is not a name (and would cost quadratic work to key)
_WALK_BACK = 64  # characters looked back over for a sentence end (hostile text has long runs)


def _sentence_start(text: str, start: int) -> bool:
    """True when the word at ``start`` opens the text, a line or a sentence (or follows more
    than _WALK_BACK spaces and openers: taken as opening something)."""
    i = start - 1
    stop = max(-1, start - 1 - _WALK_BACK)
    while i > stop and text[i] in _OPENERS:
        i -= 1
    return i < 0 or i == stop or text[i] in _ENDS


def _lower_case_words(text: str, forms: Iterable[str]) -> set[str]:
    """Those of ``forms`` that ``text`` writes in lower case (folded, without a possessive 's).

    A lower-case ASCII token's form is itself or itself without "'s", so only those two
    spellings of each form are looked up; the other tokens (marks, ’) are folded one by one."""
    tokens = set(latin_words(token_parts(text)))  # _EN_TOKEN.findall(text), split once
    wanted = set(forms)
    found = set()
    for form in wanted:
        for token in (form, form + "'s"):
            lower = token in tokens and token.isascii() and token.islower()
            if lower and _latin_form(token) == form:
                found.add(form)
    for token in tokens:
        if not token.isascii() and token.islower() and _latin_form(token) in wanted:
            found.add(_latin_form(token))
    return found


def _english_names(text: str, known: frozenset[str]) -> Counter[str]:
    # Linear in the text: the regex engine finds the capitalised tokens, each spelling is
    # judged once, and each place is looked at once (a bounded look back for a sentence end).
    counts: Counter[str] = Counter()
    inner: set[str] = set()  # forms written capitalised mid-sentence at least once
    judged: dict[str, str] = {}  # token -> its form ("" when it cannot be a name)
    for match in _EN_CAPITALISED.finditer(text):
        token = match.group()
        form = judged.get(token)
        if form is None:
            form = _latin_form(token)
            if (len(token) > 1 and token.isupper()) or not 3 <= len(form) <= _LONGEST:
                form = ""  # an acronym (WCK, IDF), a shouted headline, or too short
            elif form in known or form in NOT_NAMES_ENGLISH:
                form = ""
            judged[token] = form
        if not form:
            continue
        counts[form] += 1
        if form not in inner and not _sentence_start(text, match.start()):
            inner.add(form)
    # Written in lower case too, a word is a common one ("office", "share").
    lower = _lower_case_words(text, inner) if inner else set()
    names: Counter[str] = Counter()
    for form, count in counts.items():
        if form in inner and form not in lower and name_keys(form):
            names[form] = count
    return names


def _arabic_form(token: str) -> str:
    """The name form of an Arabic token ("" when it cannot be a name)."""
    form = _AR_FORMS.get(token)
    if form is not None:
        return form
    if len(_AR_FORMS) > _KEPT:
        _AR_FORMS.clear()
        _AR_KEYED.clear()
    form = _arabic_bare(token)
    if form:  # tokens with and without a prefix (وX, بالX, X) share a form: keyed once
        keyed = _AR_KEYED.get(form)
        if keyed is None:
            keyed = _AR_KEYED[form] = len(skeleton(form)) >= 2
        if not keyed:
            form = ""
    _AR_FORMS[token] = form
    return form


def _arabic_bare(token: str) -> str:
    """An Arabic token name-folded without و/ف and ال ("" for a stop word, or a form of
    fewer than three or more than _LONGEST letters)."""
    word = folded_word(token)
    form = word
    if word not in CONTENT_ARABIC:
        if form.startswith(("و", "ف")) and len(form) >= 5:
            form = form[1:]
        for prefix in _AR_PREFIXES:
            if form.startswith(prefix) and len(form) - len(prefix) >= 3:
                form = form[len(prefix) :]
                break
    stop = word in CONTENT_ARABIC or form in CONTENT_ARABIC
    return "" if stop or not 3 <= len(form) <= _LONGEST else form


def name_form(word: str) -> str:
    """The form a word would have as a name ("" when it cannot be one): Arabic name-folded
    without و/ف and ال (stop words give ""), Latin folded without marks and a possessive 's;
    fewer than three or more than _LONGEST letters give "". Unlike the forms
    :func:`unknown_names` counts, a form may have a one-class skeleton (الوطية, Watiya)."""
    if is_arabic(word):
        return _arabic_bare(word)
    form = _latin_form(word)
    return form if 3 <= len(form) <= _LONGEST else ""


def _arabic_names(text: str, known: frozenset[str]) -> Counter[str]:
    tokens = arabic_words(token_parts(text))  # _AR_TOKEN.findall(text), split once
    forms = looked_up(_AR_FORMS, tokens, _arabic_form)
    # Counted in C, each form where its first token comes (as a loop over the distinct
    # tokens in order would put it); then the forms of the gazetteer's mentions left out.
    names = Counter(filter(None, forms))
    for form in known:
        names.pop(form, None)
    return names


def _known_forms(surfaces: Iterable[str], arabic: bool) -> frozenset[str]:
    """The forms of the words of gazetteer mentions (left out: the entity counts already)."""
    joined = " ".join(surfaces)
    if arabic:
        forms = set(map(_arabic_form, set(_AR_TOKEN.findall(joined))))
    else:
        forms = set(map(_latin_form, set(_EN_TOKEN.findall(joined))))
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


def name_keys(form: str, *, remember: bool = True) -> tuple[str, ...]:
    """The skeleton keys of a name form: its skeleton and (for three classes or more) each
    skeleton with one class deleted. Names that may match share at least one key. A form of
    more than _LONGEST letters has none. Remembered for the next call unless ``remember`` is
    false (a caller going once through every name of a large set: at 50,000 articles,
    remembering the keys of every Arabic name raised the peak by some 80 MB, the memory
    holding :data:`_KEPT` forms before it starts over)."""
    if len(form) > _LONGEST:
        return ()  # not a name (see _LONGEST)
    keys = _KEYS.get(form)
    if keys is None:
        key = skeleton(form)
        found = [key] if len(key) >= 2 else []
        if len(key) >= 3:
            found.extend(sorted({key[:i] + key[i + 1 :] for i in range(len(key))} - {key}))
        keys = tuple(found)
        if remember:
            if len(_KEYS) > _KEPT:
                _KEYS.clear()
            _KEYS[form] = keys
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


def bridged_checks() -> dict[tuple[str, str], bool]:
    """What :func:`bridged` remembers ((Arabic, Latin) -> the answer): a copy, so that a
    worker process can hand its checks to its parent (:func:`remember_bridged`)."""
    return dict(_BRIDGED)


def remember_bridged(checks: Mapping[tuple[str, str], bool]) -> None:
    """Remember ``checks`` (from :func:`bridged_checks`, made elsewhere) as answers of
    :func:`bridged`, which then need not be worked out again here."""
    if len(_BRIDGED) + len(checks) > _KEPT:
        _BRIDGED.clear()
    _BRIDGED.update(checks)


def _rarest(names: Mapping[str, int], df: Mapping[str, int], cap: int, limit: int) -> list[str]:
    """The names at most ``cap`` articles have, the ``limit`` rarest when there are more."""
    usable = [k for k in names if df.get(k, 0) <= cap]
    if len(usable) > limit:
        usable = sorted(usable, key=lambda k: (df.get(k, 0), k))[:limit]
    return usable


def linked_by_names(
    english: Iterable[tuple[str, Mapping[str, int]]],
    arabic: Iterable[tuple[str, Mapping[str, int]]],
    df: Mapping[str, int],
    cap: int,
    limits: tuple[int, int],
) -> dict[tuple[str, str], int]:
    """English–Arabic pairs of articles ((id, names) each) where the Arabic one spells some of
    the English one's rarest names (at most ``cap`` articles have them; ``df``: how many
    articles have each name), checked by :func:`bridged`, with their weight: per name, 2 when
    at most three English articles have it, else 1. ``limits``: how many of an English
    article's rarest names are indexed, and how many of an Arabic article's are looked up,
    so the work stays linear in the number of articles. Pairs are (smaller id, larger id)."""
    posted: dict[str, list[str]] = {}  # English name -> the articles it marks
    spelt: dict[str, set[str]] = {}  # skeleton key -> those names
    for article, names in english:
        for name in _rarest(names, df, cap, limits[0]):
            if name not in posted:
                for key in name_keys(name):
                    spelt.setdefault(key, set()).add(name)
            posted.setdefault(name, []).append(article)
    found: dict[tuple[str, str], dict[str, int]] = {}  # pair -> English name -> weight
    # An Arabic name is in many articles: its English spellings are worked out once.
    spellings: dict[str, list[tuple[str, int]]] = {}
    for other, names in arabic:
        for name in _rarest(names, df, cap, limits[1]):
            matched = spellings.get(name)
            if matched is None:
                latins = set().union(*(spelt.get(key, ()) for key in name_keys(name)))
                matched = spellings[name] = [
                    (latin, 2 if df.get(latin, 0) <= 3 else 1)
                    for latin in sorted(latins)
                    if bridged(name, latin)
                ]
            for latin, weight in matched:
                for article in posted[latin]:
                    pair = (min(article, other), max(article, other))
                    found.setdefault(pair, {})[latin] = weight
    return {pair: sum(names.values()) for pair, names in found.items()}
