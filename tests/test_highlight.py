"""Highlighting: the fast candidate scan marks exactly what analysing every word marks."""

from __future__ import annotations

import os
import re

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
    st.sampled_from(["", "hi", "مس", "الو", "si", "sı", "σί", "u", "us", "ua"]),
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


def test_an_ordinary_text_is_scanned_lower_cased_and_an_odd_one_ignoring_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The candidate scan runs over the lower-cased text (5 times faster than ignoring case)
    unless the text or a term holds a character the two treat differently; the marks are
    those of analysing every word either way."""
    from reader.core.search import highlight

    chosen: list[bool] = []
    real = highlight._candidates

    def recording(*args: object) -> object:
        pattern = real(*args)  # type: ignore[arg-type]
        chosen.append(bool(pattern is not None and pattern.flags & re.IGNORECASE))
        return pattern

    monkeypatch.setattr(highlight, "_candidates", recording)
    matcher = Matcher(frozenset({index_term("Sirte") or ""}), ("hir",))
    cases = {
        "Forces reached SIRTE; Sirte fell. HIRING resumed.": False,
        "Forces reached Sırte; SIRTE fell. Hiring resumed.": True,  # dotless ı
        "ΣΊΡΤΗΣ: SIRTE fell, hiring resumed.": True,  # a final Σ lowers to ς
        "SİRTE: Sirte fell, hiring resumed.": True,  # İ lowers to two characters
    }
    for text, ignoring_case in cases.items():
        chosen.clear()
        assert matcher.spans(text) == slow(matcher, text) != []
        assert chosen == [ignoring_case], text
    chosen.clear()
    odd_term = Matcher(frozenset({"sırt"}), ())
    assert odd_term.spans("SIRTE sırte") == slow(odd_term, "SIRTE sırte")
    assert chosen == [True]
