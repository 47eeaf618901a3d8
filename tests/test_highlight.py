"""Highlighting: the fast candidate scan marks exactly what analysing every word marks."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.search.analysis import index_term, words
from reader.core.search.highlight import Matcher, snippet
from tests.conftest import SEEDS

EXAMPLES = int(os.environ.get("READER_FUZZ_EXAMPLES", "200"))

VOCABULARY = [
    "hiring",
    "hire",
    "Hired",
    "happy",
    "happiness",
    "Sirte",
    "SIRTE",
    "running",
    "ran",
    "المسماري",
    "المسمارى",
    "ومسماري",
    "الوطية",
    "الوطيه",
    "أحمد",
    "احمد",
    "إعلان",
    "مُحَمَّد",
    "محمد",
    "عمّان",
    "١٤٠",
    "140",
    "كلم",
    "_x",
    "x_",
    "naïve",
    "Naive",
    # Case that lower-casing and the regex engine's ignoring case treat differently.
    "Sırte",
    "ſirte",
    "HIRING",
    "ΣΊΡΤΗΣ",
    "σίρτης",
    "µsirte",
    "SİRTE",
    # Latin letters with diacritics fold to their letters (Erdogan finds Erdoğan).
    "Erdoğan",
    "Erdogan",
    "İdlib",
    "Idlib",
    "nai\u0308ve",
    "\ufb01ring",
    "Kılıç",
    # Initialisms: one word each (U.S. is the term "us"; "us" in lower case a stopword).
    "U.S.",
    "US",
    "us",
    "U.N.",
    "WHO",
    "U.A.E.",
    "U",
    "S",
]
separators = st.sampled_from([" ", "  ", "\n", ", ", ".", "-", "’s ", "(", ")", "\u200f", "_"])
texts = st.lists(st.tuples(st.sampled_from(VOCABULARY), separators), max_size=30).map(
    lambda parts: "".join(w + s for w, s in parts)
)


def slow(matcher: Matcher, text: str) -> list[tuple[int, int]]:
    return matcher._scan(text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    texts,
    st.sets(st.sampled_from(VOCABULARY), max_size=4),
    st.sampled_from(["", "hi", "مس", "الو", "si", "sı", "σί", "u", "us", "ua", "er", "id", "ki"]),
)
def test_fuzz_candidate_scan_equals_full_scan(text: str, query: set[str], prefix: str) -> None:
    terms = frozenset(t for w in query if (t := index_term(w)) is not None)
    matcher = Matcher(terms, (prefix,) if prefix else ())
    assert matcher.spans(text) == slow(matcher, text)


def test_seeds_every_word_as_a_query() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        seen: set[str] = set()
        for _, _, word in list(words(text))[::7]:
            term = index_term(word)
            if term is None or term in seen:
                continue
            seen.add(term)
            matcher = Matcher(frozenset({term}), ())
            assert matcher.spans(text) == slow(matcher, text), word


def test_snippet_marks_the_words() -> None:
    text = "First paragraph here.\nThe army reached Sirte on Monday; Sirte fell."
    shown, marks = snippet(text, Matcher(frozenset({index_term("Sirte") or ""}), ()))
    assert [shown[s:e] for s, e in marks] == ["Sirte", "Sirte"]
    assert shown.startswith("…The army")


PHRASE_VOCABULARY = [
    "hiring",
    "Sirte",
    "ran",
    "the",
    "of",
    "and",
    "محمد",
    "في",
    "happy",
    "naïve",
    "U.S.",
    "US",
    "us",
]
phrase_texts = st.lists(st.tuples(st.sampled_from(PHRASE_VOCABULARY), separators), max_size=40).map(
    lambda parts: "".join(w + s for w, s in parts)
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    phrase_texts,
    st.lists(st.lists(st.sampled_from(PHRASE_VOCABULARY), min_size=2, max_size=3), max_size=2),
    st.sets(st.sampled_from(PHRASE_VOCABULARY), max_size=2),
)
def test_fuzz_phrase_candidates_equal_full_scan(
    text: str, phrases: list[list[str]], query: set[str]
) -> None:
    """Phrases (stopwords between their words skipped) are marked from the candidate scan
    exactly where analysing every word marks them."""
    analysed = []
    for phrase in phrases:
        stems = tuple(t for w in phrase if (t := index_term(w)) is not None)
        if len(stems) >= 2:
            analysed.append(stems)
    terms = frozenset(t for w in query if (t := index_term(w)) is not None)
    matcher = Matcher(terms, (), tuple(sorted(set(analysed))))
    assert matcher.spans(text) == slow(matcher, text)


def test_a_text_without_arabic_letters_is_not_scanned_for_arabic_words() -> None:
    """Terms that can only match Arabic letters are left out of the scan of a text that has
    none (most of a name search's snippet time, over English articles); the marks are the
    same as analysing every word, for texts with and without Arabic."""
    from reader.core.search.highlight import _candidates

    arabic = [t for w in ("المسماري", "أحمد", "١٤٠", "ومسماري") if (t := index_term(w))]
    latin = [t for w in ("Sirte", "hiring", "140") if (t := index_term(w))]
    terms = frozenset(arabic + latin)
    everything = _candidates(terms, ("مس",), True)
    english_only = _candidates(terms, ("مس",), False)
    assert everything is not None and english_only is not None
    parts = english_only.pattern.count("(?:")  # one group a term (or prefix)
    assert parts == len(latin) < everything.pattern.count("(?:")
    matcher = Matcher(terms, ("مس",))
    for text in (
        "Sirte, 140 km: hiring resumed (Ahmed al-Mismari).",
        "Sirte ١٤٠ كلم؛ قال أحمد المسماري ومسماري\nhiring",
        "Arabic digits alone: ١٤٠ and marks \u064e\u0651 are not letters",
    ):
        assert matcher.spans(text) == slow(matcher, text)


def test_a_text_is_scanned_lower_cased_unless_that_would_not_match_the_analysis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The candidate scan runs over the lower-cased text (5 times faster than ignoring case),
    words with Latin diacritics checked whole; a text that lower-casing would not fold letter
    for letter (a ligature NFKC splits, a letter that lowers to two) gets the full scan. The
    marks are those of analysing every word either way."""
    full_scans: list[str] = []
    real = Matcher._scan

    def counting(self: Matcher, text: str) -> list[tuple[int, int]]:
        full_scans.append(text)
        return real(self, text)

    monkeypatch.setattr(Matcher, "_scan", counting)
    matcher = Matcher(
        frozenset({index_term(w) or "" for w in ("Sirte", "Idlib", "naive")}), ("hir",)
    )
    cases = {
        "Forces reached SIRTE; Sirte fell. HIRING resumed.": False,
        "Forces reached “Sirte” – SIRTE fell. Hiring resumed…": False,  # not ASCII
        "ΣΊΡΤΗΣ: SIRTE fell, hiring resumed.": False,  # a final Σ lowers to ς, as in the word
        "Forces reached Sırte; SIRTE fell. Hiring resumed; a naïve plan.": False,  # ı, ï fold
        "SİRTE: Sirte fell, İdlib too.": False,  # İ lowers to two characters: looked for as I
        "Sirte fell; a nai\u0308ve plan.": False,  # a combining diaeresis
        "Sirte fell; a nai\u0308ve plan \u0301": False,  # an accent alone at the end
        "Sirte fell; \u0130\u0307 hiring": False,  # İ and a dot above: I, i and a dot above
        "Sirte fell; \ufb01ring and hiring.": True,  # ﬁ: NFKC makes it fi
    }
    for text, fully in cases.items():
        full_scans.clear()
        found = matcher.spans(text)
        assert found == real(matcher, text) != [], text
        assert full_scans == ([text] if fully else []), text


@pytest.mark.parametrize(
    "word",
    [
        "any",
        "why",
        "trying",
        "using",
        "dying",
        "lying",
        "skies",
        "aging",
        "icing",
        "hiring",
        "happy",
        "cities",
        "running",
        "war",
        "oil",
    ],
)
def test_a_word_is_marked_whatever_the_stemmer_made_of_its_last_letters(word: str) -> None:
    """The scan looks for the start every word the stemmer makes a term of has: "using" is
    "use", "trying" "tri", "any" "ani" (a search for "using" marked no "using")."""
    term = index_term(word)
    assert term is not None
    text = f"They said {word.capitalize()} and {word}, again: {word.upper()}."
    matcher = Matcher(frozenset({term}), ())
    assert [text[s:e].lower() for s, e in matcher.spans(text)] == [word] * 3
    assert matcher.spans(text) == slow(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "A." * 50_000 + "Ab",  # a run of capitals and dots: no initialism, 50,000 words
        "ab_" * 50_000,  # one word of 150,000 characters, a hit at every "ab"
        "café_" * 20_000,
        "U.N.E.S.C.O. A.B.C.D.E.F.G. " * 2_000,
    ],
)
def test_a_hostile_text_is_marked_in_linear_time(text: str) -> None:
    """Each hit inside a word already looked at is skipped, and an initialism is looked for
    over a bounded run: these took minutes (quadratic) before, and must give the marks of
    analysing every word."""
    for matcher in (Matcher(frozenset({"ab", "cafe", "unesco"}), ()), Matcher(frozenset(), ("a",))):
        assert matcher.spans(text) == slow(matcher, text)
