"""Words as news writes them. Initialisms are words: U.S. was indexed and searched as the letter
"u" (its "s" a stopword), so it found every article with U.N. or a U-turn; US, WHO and IS in
capitals were stopwords and found nothing. Latin letters with diacritics fold to their letters:
Istanbul did not find İstanbul, nor Idlib İdlib, nor naive naïve."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.config import Config
from reader.core.library import Library
from reader.core.search.analysis import WORD, fold_term, index_term, term_positions, word_pattern
from reader.core.search.highlight import Matcher, snippet

TEXTS = {
    "us-dotted": "Troops\n\nU.S. troops left the base near Sirte on Monday.\n",
    "us-caps": "Troops\n\nUS troops crossed into Syria, officials said.\n",
    "un": "Envoy\n\nThe U.N. envoy met delegates in Geneva to discuss the truce.\n",
    "un-caps": "Envoy\n\nThe UN envoy said the truce would hold.\n",
    "turn": "Turn\n\nThe driver made a U-turn near the port of Misrata.\n",
    "pronoun": "Letters\n\nReaders wrote to us about the flooding in Derna.\n",
    "who": "Health\n\nThe WHO warned of cholera after the floods.\n",
    "uae": "Gulf\n\nThe U.A.E. sent aid; the UAE denied the report.\n",
    "led": "Coalition\n\nA U.S.-led coalition struck targets at dawn.\n",
    "turkish": "Talks\n\nKılıçdaroğlu and Erdoğan spoke in İstanbul about İdlib.\n",
    "french": "Cafe\n\nA café in Tripoli reopened; the naïve plan failed.\n",
}


@pytest.mark.parametrize(
    ("raw", "term"),
    [
        ("U.S.", "us"),
        ("U.S", "us"),
        ("US", "us"),
        ("U.N.", "un"),
        ("UN", "un"),
        ("U.A.E.", "uae"),
        ("UAE", "uae"),
        ("D.C.", "dc"),
        ("WHO", "who"),
        ("us", None),
        ("Us", None),
        ("who", None),
        ("I", None),
        ("A", None),
    ],
)
def test_an_initialism_is_one_term(raw: str, term: str | None) -> None:
    assert index_term(raw) == term
    assert WORD.findall(raw) == [raw]
    assert fold_term(raw) == raw.replace(".", "").lower()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("U.S.-led strikes", ["U.S.", "led", "strikes"]),
        ("in the U.S. Troops", ["in", "the", "U.S.", "Troops"]),
        ("a U-turn", ["a", "U", "turn"]),
        ("U.Sa", ["U", "Sa"]),  # a capital, a dot and a word: not an initialism
        ("e.g. this", ["e", "g", "this"]),  # lower case: not an initialism
        ("Sirte.U.N. said", ["Sirte", "U.N.", "said"]),
        ("J.R.R. Tolkien", ["J.R.R.", "Tolkien"]),
        ("George W. Bush", ["George", "W", "Bush"]),
    ],
)
def test_the_words_of_a_text(text: str, found: list[str]) -> None:
    assert WORD.findall(text) == found


def test_a_phrase_across_an_initialism_is_kept_together() -> None:
    positions = term_positions("U.S. troops left; us troops stayed")
    assert positions["us"] == [0]
    assert positions["troop"] == [1, 3]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("initialisms")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in TEXTS.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    config = Config(corpus_paths=(corpus,), data_dir=folder / "d", notes_dir=folder / "n")
    with Library(config) as library:
        library.update()
        yield library


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("U.S.", {"us-dotted", "us-caps", "led"}),
        ("US", {"us-dotted", "us-caps", "led"}),
        ("U.S. troops", {"us-dotted", "us-caps"}),
        ('"U.S. troops"', {"us-dotted", "us-caps"}),
        ("U.N.", {"un", "un-caps"}),
        ("UN", {"un", "un-caps"}),
        ("UAE", {"uae"}),
        ("U.A.E.", {"uae"}),
        ("WHO", {"who"}),
        ("U-turn", {"turn"}),
        ("u.s.", {"us-dotted", "us-caps", "led"}),  # as typed in a search box
        ("Istanbul", {"turkish"}),
        ("Idlib", {"turkish"}),
        ("idlib", {"turkish"}),
        ("Kilicdaroglu", {"turkish"}),
        ("Kılıçdaroğlu", {"turkish"}),
        ("naive", {"french"}),
        ("cafe", {"french"}),
        ("café", {"french"}),
        ("u.n. envoy", {"un", "un-caps"}),
        ("title:u.s. OR who", set()),
    ],
)
def test_an_initialism_finds_its_spellings_and_nothing_else(
    library: Library, query: str, found: set[str]
) -> None:
    assert {hit.id for hit in library.search(query, cross_script=False).hits} == found


def test_the_initialism_is_marked_whole(library: Library) -> None:
    matcher = library.matcher("US")
    text = TEXTS["led"]
    assert [text[s:e] for s, e in matcher.spans(text)] == ["U.S."]
    shown, marks = snippet(TEXTS["us-dotted"], Matcher(frozenset({"us"}), ()))
    assert [shown[s:e] for s, e in marks] == ["U.S."]
    typed = Matcher(frozenset(), ("u",))
    assert [text[s:e] for s, e in typed.spans(text)] == ["U.S."]


def test_an_index_of_the_old_analysis_is_rebuilt(tmp_path: Path) -> None:
    """Terms changed: an index built before says so and the next update rebuilds it."""
    import json

    from reader.core.search.index_files import ANALYSIS_VERSION

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXTS["us-dotted"], encoding="utf-8")
    config = Config(corpus_paths=(corpus,), data_dir=tmp_path / "d", notes_dir=tmp_path / "n")
    with Library(config) as library:
        library.update()
        manifests = list((tmp_path / "d").rglob("manifest.json"))
        assert manifests
        for manifest in manifests:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            settings = data.get("settings", data)
            if "analysis" in settings:
                assert settings["analysis"] == {"version": ANALYSIS_VERSION}
                settings["analysis"] = {"version": ANALYSIS_VERSION - 1}
                manifest.write_text(json.dumps(data), encoding="utf-8")
        report = library.update()
        assert report.rebuilt


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["U", "S", "N", "x", "us", ".", " ", "-", "_", "A.", "ب"]), max_size=20
    )
)
def test_the_fast_split_finds_the_words_of_the_full_pattern(parts: list[str]) -> None:
    text = "".join(parts)
    assert word_pattern(text).findall(text) == WORD.findall(text)


def test_the_starts_term_of_an_initialism_is_its_first_two_letters() -> None:
    from reader.core.search.word_starts import word_start, word_starts

    assert word_start("U.S.") == "us" == fold_term("U.S.")[:2]
    assert word_start("U.A.E.") == "ua"
    assert word_starts("U.S. troops and the U.N.") == {"us": 1, "tr": 1, "un": 1}


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("İdlib", "idlib"),
        ("İSTANBUL", "istanbul"),
        ("Erdoğan", "erdogan"),
        ("Kılıçdaroğlu", "kilicdaroglu"),
        ("naïve", "naive"),
        ("nai\u0308ve", "naive"),  # a combining diaeresis: NFKC composes it first
        ("Łódź", "lodz"),
        ("Straße", "straße"),  # no one-letter form
        ("المسماري", "المسماري"),
    ],
)
def test_latin_diacritics_fold_away(raw: str, folded: str) -> None:
    assert fold_term(raw) == folded
    assert index_term(raw) == index_term(folded)


def test_a_folded_name_is_marked_as_written(library: Library) -> None:
    text = TEXTS["turkish"]
    for query, word in (("Istanbul", "İstanbul"), ("Erdogan", "Erdoğan"), ("idl", "İdlib")):
        matcher = library.matcher(query) if query != "idl" else Matcher(frozenset(), ("idl",))
        assert [text[s:e] for s, e in matcher.spans(text)] == [word], query


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("U.N.E.S.C.O. said", ["U.N.E.S.C.O.", "said"]),  # six letters: the longest
        ("A.B.C.D.E.F.G. said", ["A", "B", "C", "D", "E", "F", "G", "said"]),  # a run, not one
        ("xA.B. said", ["xA", "B", "said"]),
    ],
)
def test_an_initialism_is_a_whole_run_of_at_most_six_capitals(text: str, found: list[str]) -> None:
    assert WORD.findall(text) == found
    assert word_pattern(text).findall(text) == found


def test_a_hostile_run_of_capitals_and_dots_is_split_in_linear_time() -> None:
    text = "A." * 200_000 + "Ab"  # quadratic before: 14 s for 16,000 of them
    assert len(WORD.findall(text)) == 200_001
