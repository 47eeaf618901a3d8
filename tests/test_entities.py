"""Entities across scripts: the gazetteer, recognition in text, and cross-script search terms."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.events.features import profile
from reader.core.names.entities import Entity, Gazetteer, find_entities
from reader.core.names.gazetteer import GazetteerError, load_gazetteer
from reader.core.names.other_spellings import cross_script_terms
from reader.core.names.transliterate import is_arabic
from reader.core.names.transliteration_index import TransliterationIndex
from reader.core.sources.article import Article
from tests.conftest import SEEDS

EXAMPLES = int(os.environ.get("READER_FUZZ_EXAMPLES", "200"))
GAZETTEER = load_gazetteer()


def keys(text: str, gazetteer: Gazetteer = GAZETTEER) -> list[str]:
    return [m.key for m in find_entities(text, gazetteer)]


def test_haftar_in_both_scripts() -> None:
    terms = cross_script_terms("Haftar", GAZETTEER)
    assert {"حفتر", "Hifter", "Hafter"} <= set(terms)
    assert "Haftar" not in terms
    assert "Haftar" in cross_script_terms("حفتر", GAZETTEER)


def test_other_script_comes_first() -> None:
    terms = cross_script_terms("Mismari", GAZETTEER)
    first_latin = next(i for i, t in enumerate(terms) if not is_arabic(t))
    assert all(is_arabic(t) for t in terms[:first_latin])
    assert not any(is_arabic(t) for t in terms[first_latin:])


def test_mismari_gives_the_arabic_with_and_without_the_article() -> None:
    terms = cross_script_terms("Mismari", GAZETTEER)
    assert "المسماري" in terms
    assert "مسماري" in terms  # what the Arabic analyzer indexes
    assert {"Mesmari", "al-Mismari"} <= set(terms)
    assert "Mismari" in cross_script_terms("المسماري", GAZETTEER)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Tripoli", "طرابلس"),
        ("طرابلس", "Tripoli"),
        ("GNA", "حكومة الوفاق"),
        ("Government of National Accord", "GNA"),
        ("حكومة الوفاق", "Government of National Accord"),
        ("Watiya", "الوطية"),
        ("Haftar's", "حفتر"),
        ("الليبي", "Libya"),
        ("LNA", "الجيش الوطني الليبي"),
    ],
)
def test_gazetteer_aliases_cross_scripts(word: str, expected: str) -> None:
    assert expected in cross_script_terms(word, GAZETTEER)


def test_a_lower_case_query_finds_an_acronym() -> None:
    assert "حكومة الوفاق" in cross_script_terms("gna", GAZETTEER)
    assert cross_script_terms("us", GAZETTEER)[:1] == ["الولايات المتحدة"]


def test_unknown_words_have_no_terms_without_a_vocabulary() -> None:
    assert cross_script_terms("ceasefire", GAZETTEER) == []
    assert cross_script_terms("   ", GAZETTEER) == []


def test_vocabulary_supplies_names_the_gazetteer_does_not_know() -> None:
    vocabulary = ["الدبيبة", "الحكومة", "طرابلس", "دبابة"]
    assert cross_script_terms("Dbeibah", GAZETTEER, vocabulary) == ["الدبيبة"]
    index = TransliterationIndex(["Dbeibah", "government", "Debbah"])
    assert cross_script_terms("الدبيبة", GAZETTEER, index) == ["Dbeibah"]
    # Gazetteer spellings come before what the matcher adds, without repeats.
    terms = cross_script_terms("Haftar", GAZETTEER, ["حفتر", "الحفتري"])
    assert terms.count("حفتر") == 1


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("والمسماري", "mismari"),
        ("بطرابلس", "tripoli"),
        ("لحفتر", "haftar"),
        ("فالسراج", "sarraj"),
        ("للجيش الوطني الليبي", "lna"),
        ("إردوغان", "erdogan"),  # إ for أ
        ("اردوغان", "erdogan"),
        ("ترهونه", "tarhuna"),  # ه for ة
        ("الوطيه", "watiya"),
        ("مُصْراتة", "misrata"),  # harakat
        ("HAFTAR", "haftar"),
        ("haftar", "haftar"),
        ("Haftar’s", "haftar"),
        ("Haftar's", "haftar"),
        ("al-Mismari", "mismari"),
        ("Alsisi", "sisi"),
        ("Libyan National Army", "lna"),
    ],
)
def test_recognition_tolerates_prefixes_variants_case_and_possessives(text: str, key: str) -> None:
    assert keys(text) == [key]


def test_mentions_carry_offsets_into_the_text() -> None:
    text = "Forces of Haftar’s army and al-Mismari met in والمسماري طرابلس."
    mentions = find_entities(text, GAZETTEER)
    assert [m.key for m in mentions] == ["haftar", "mismari", "mismari", "tripoli"]
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
    assert mentions[0].surface == "Haftar"  # not the possessive
    assert mentions[1].surface == "al-Mismari"  # with its article
    assert mentions[2].surface == "والمسماري"  # with its prefixes


def test_acronyms_match_only_in_capitals() -> None:
    assert keys("the GNA said") == ["gna"]
    assert keys("the gna said") == []
    assert keys("told us that") == []  # not the US


def test_common_words_are_not_names() -> None:
    assert keys("لصالح الشعب") == []  # صالح alone is not Aguila Saleh
    assert keys("The May meeting may be late") == []


def test_seed_articles_name_their_actors() -> None:
    arabic = (SEEDS / "003_cf72655655ca3791.txt").read_text(encoding="utf-8")
    found = set(keys(arabic))
    assert {"mismari", "haftar", "watiya", "gna", "lna", "tripoli", "turkey"} <= found
    english = (SEEDS / "000_7b206ec7414ebb17.txt").read_text(encoding="utf-8")
    assert {"mismari", "haftar", "sirte", "jufra", "gnunu", "wagner", "sisi"} <= set(keys(english))


def test_user_gazetteer_extends_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        "# my own names\n"
        '[dbeibah]\ntype = "person"\nname = "Abdul Hamid Dbeibah"\n'
        'aliases = ["Dbeibah", "Dbeiba", "الدبيبة"]\n\n'
        '[haftar]\naliases = ["Field Marshal"]\n\n'
        '[sirte]\nname = "Sirt"\nreplace = true\naliases = ["Sirt", "سرت"]\n',
        encoding="utf-8",
    )
    gazetteer = load_gazetteer(path)
    assert keys("Dbeiba met الدبيبة", gazetteer) == ["dbeibah", "dbeibah"]
    assert "حفتر" in cross_script_terms("Field Marshal", gazetteer)
    assert keys("Haftar", gazetteer) == ["haftar"]  # built-in aliases kept
    sirte = gazetteer.get("sirte")
    assert sirte is not None and sirte.name == "Sirt" and sirte.aliases == ("Sirt", "سرت")
    assert keys("Surt", gazetteer) == []  # replaced
    assert len(gazetteer) == len(GAZETTEER) + 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[haftar\naliases = []\n", "invalid TOML"),
        ('\n\n[x]\nalias = ["X"]\n', ":3: [x]: unknown key 'alias'"),
        ('[x]\ntype = "animal"\n', ":1: [x]: type must be one of"),
        ("[x]\naliases = [1]\n", "aliases must be a list of strings"),
        ('[x]\naliases_in_context = "X"\n', ":1: [x]: aliases_in_context must be a list of"),
        ('\n[x]\naliases = ["X"]\ncontext = ["libia"]\n', ":2: [x]: context: no entity has"),
    ],
)
def test_bad_user_gazetteer_names_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError) as error:
        load_gazetteer(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Spellings other stories use for something else count only where the story is
        # Libyan: Sudan's army has a general command too, Saleh al-Arouri is not Aguila
        # Saleh, and the United States has a House of Representatives.
        ("قالت القيادة العامة للجيش السوداني إن", ["sudan"]),
        ("The General Command said Saleh al-Arouri was killed.", []),
        ("The House of Representatives voted.", []),
        ("اجتمع مجلس النواب في القاهرة", ["cairo"]),
        # ... named another way, or with a Libyan place, person or body in the text.
        ("قالت القيادة العامة إن قوات حفتر", ["lna", "haftar"]),
        ("Saleh said the HoR would meet.", ["saleh", "hor"]),
        ("Libya's House of Representatives voted.", ["libya", "hor"]),
        ("Aguila Saleh spoke; Saleh then left.", ["saleh", "saleh"]),
    ],
)
def test_a_spelling_of_other_stories_names_the_entity_only_in_its_context(
    text: str, expected: list[str]
) -> None:
    assert keys(text) == expected


def test_a_title_gives_the_lead_its_context_and_back() -> None:
    # The profile of an article reads its title and lead apart: either gives the context.
    article = Article("a", "Haftar's forces advance", "The General Command said on Monday.", "en")
    assert profile(article, GAZETTEER).entities == {"haftar": 2, "lna": 1}
    article = Article("b", "General Command statement", "Forces of Haftar advanced.", "en")
    assert profile(article, GAZETTEER).entities == {"haftar": 1, "lna": 2}
    article = Article("c", "General Command statement", "Sudan's army advanced.", "en")
    assert profile(article, GAZETTEER).entities == {"sudan": 1}


def test_a_spelling_out_of_its_context_is_not_taken_for_another_name_either() -> None:
    # "Salame" and "Karama" out of a Libyan story are neither the entity nor a name to match
    # across scripts (a surname and the word "dignity": they linked unrelated reports).
    text = "Officials said Salame and the Karama group met on Monday in Sudan."
    found = profile(Article("a", "t", text, "en"), GAZETTEER)
    assert found.entities == {"sudan": 1}
    assert not {"salame", "karama"} & set(found.names)
    assert "officials" not in found.names  # (a sentence's first word is no name either)


def test_a_user_gazetteer_binds_spellings_to_a_context_or_frees_them(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[rsf]\ntype = "organisation"\nname = "Rapid Support Forces"\n'
        'aliases = ["Rapid Support Forces", "RSF", "قوات الدعم السريع"]\n'
        'aliases_in_context = ["الدعم السريع"]\ncontext = ["sudan"]\n\n'
        # A Libya desk that wants every "General Command" counted lists it as an alias.
        '[lna]\naliases = ["General Command"]\n',
        encoding="utf-8",
    )
    gazetteer = load_gazetteer(path)
    assert keys("قالت الدعم السريع", gazetteer) == []
    assert keys("قالت الدعم السريع في السودان", gazetteer) == ["rsf", "sudan"]
    assert keys("The General Command said.", gazetteer) == ["lna"]
    assert keys("The General Command said.") == []  # the built-in one unchanged
    # A spelling bound to a context is still a spelling: searches find it across scripts.
    assert "الدعم السريع" in cross_script_terms("RSF", gazetteer)


def test_a_gazetteer_can_be_built_in_code() -> None:
    gazetteer = Gazetteer([Entity("x", "Xanadu", "place", ("Xanadu", "زانادو"))])
    assert keys("in Xanadu and بزانادو", gazetteer) == ["x", "x"]
    assert cross_script_terms("Xanadu", gazetteer) == ["زانادو"]


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Haftar", "’s", " ", "al-", "و", "ال", "المسماري", "GNA", "-", "\n", "x", "طرابلس"]
        )
        | st.text(max_size=5),
        max_size=20,
    )
)
def test_fuzz_mentions_are_ordered_disjoint_and_point_at_their_text(parts: list[str]) -> None:
    text = "".join(parts)
    mentions = find_entities(text, GAZETTEER)
    end = 0
    for mention in mentions:
        assert end <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.surface
        end = mention.end
    cross_script_terms(text, GAZETTEER)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Another country's society: the short alias is the tail (English) or the head
        # (Arabic) of another body's name, so it is not the Libyan one.
        ("The Palestinian Red Crescent said.", []),
        ("Volunteers of the Turkish Red Crescent", ["turkey"]),
        ("وقال الهلال الأحمر الفلسطيني إن", []),
        # The body itself, named short in a Libyan story or in full, stays found; named
        # short with nothing Libyan near, it may be any country's.
        ("The Red Crescent said in Benghazi.", ["red_crescent", "benghazi"]),
        ("Red Crescent teams arrived.", []),
        ("the Libyan Red Crescent and الهلال الأحمر الليبي", ["red_crescent", "red_crescent"]),
        ("وصل الهلال الأحمر إلى سرت", ["red_crescent", "sirte"]),
        # People keep their titles: the rule is for organisations only.
        ("Marshal Haftar said", ["haftar"]),
    ],
)
def test_a_short_name_qualified_otherwise_is_another_body(text: str, expected: list[str]) -> None:
    assert [m.key for m in find_entities(text, load_gazetteer())] == expected
