"""Search for names the gazetteer does not know, in any script and any common spelling, on a
small corpus written for it (tests/data/names_corpus: English, French and Arabic articles that
spell five people and places each in their own way, and articles with look-alike common words);
and what comes with it: ranking by script, search as you type, compounds both ways."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.names.gazetteer import gazetteer_for
from reader.core.search.index import update_index
from reader.core.search.searcher import Searcher
from tests.conftest import ROOT, write_config

CORPUS = Path(__file__).parent / "data" / "names_corpus"
# name -> (the spellings a fact-checker may type, the articles that name it)
NAMES = {
    "Boukadoum": (
        ["Boukadoum", "Bukadum", "Boukadum", "Bouqadoum", "بوقادوم"],
        {"en14", "en15", "fr06", "ar07"},
    ),
    "Hashemi": (
        ["Hashemi", "al-Hashemi", "Hashimi", "Hachemi", "الهاشمي", "هاشمي"],
        {"en04", "en05", "fr02", "ar03"},
    ),
    "Tataouine": (["Tataouine", "Tatawin", "Tataouin", "تطاوين"], {"en06", "fr03", "ar04"}),
    "Ouargla": (["Ouargla", "Wargla", "ورقلة"], {"en07", "fr04", "ar05"}),
    "Tebboune": (["Tebboune", "Tebbun", "Tebboun", "تبون"], {"en08", "fr05", "ar06"}),
}
COMMON = {"en09", "en10"}  # "canon", "law": common words no name search may find
# The spokesman whose name four outlets spell four ways (the gazetteer knows one: Gnunu).
KUNUNU = (
    ["Kununu", "Gnunu", "Gnounou", "Kanunu", "قنونو"],
    {"en01", "en02", "en03", "fr01", "ar01", "ar02"},
)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    folder = tmp_path_factory.mktemp("names")
    shutil.copytree(CORPUS, folder / "corpus")
    config = load_config(write_config(folder))
    update_index(config)
    with Searcher(config) as opened:
        yield opened


def _ids(searcher: Searcher, query: str, **options: bool) -> list[str]:
    return [hit.id for hit in searcher.search(query, limit=50, **options).hits]


def test_the_names_are_not_in_the_gazetteer() -> None:
    gazetteer = gazetteer_for(None)
    for spellings, _articles in NAMES.values():
        assert not any(gazetteer.lookup(spelling) for spelling in spellings)


def test_a_name_finds_the_articles_that_name_it_in_any_script_and_spelling(
    searcher: Searcher,
) -> None:
    wanted = found = wrong = 0
    misses = []
    for spellings, articles in NAMES.values():
        for spelling in spellings:
            ids = set(_ids(searcher, spelling))
            wanted += len(articles)
            found += len(ids & articles)
            wrong += len(ids - articles)
            misses += [(spelling, sorted(articles - ids))] if articles - ids else []
    recall = found / wanted
    print(f"\nname search on the test corpus: {found}/{wanted} found ({recall:.3f}), {wrong} wrong")
    assert recall >= 0.95, misses
    assert wrong == 0


@pytest.mark.parametrize("spelling", KUNUNU[0])
def test_every_spelling_of_kununu_finds_every_article(searcher: Searcher, spelling: str) -> None:
    assert set(_ids(searcher, spelling)) == KUNUNU[1]


def test_common_words_do_not_light_up(searcher: Searcher) -> None:
    for query in ("Kanunu", "Kununu", "Gnounou", "قنونو"):
        assert not set(_ids(searcher, query)) & COMMON


def test_same_script_first_then_exact_spelling(searcher: Searcher) -> None:
    ids = _ids(searcher, "Gnunu")
    latin = [i for i in ids if not i.startswith("ar")]
    assert ids[: len(latin)] == latin  # every Latin-script article before any Arabic one
    assert ids[0] == "en02"  # the one spelled as typed first
    arabic_first = _ids(searcher, "قنونو")
    assert arabic_first[:2] == sorted(arabic_first[:2]) and {"ar01", "ar02"} == set(
        arabic_first[:2]
    )


@pytest.mark.parametrize("query", ["Watiya", "Al-Watiyah", "الوطية"])
def test_articles_in_the_query_script_come_first(searcher: Searcher, query: str) -> None:
    hits = searcher.search(query, limit=50).hits
    arabic = [hit.lang == "ar" for hit in hits]
    assert len(set(arabic)) == 2  # both scripts found
    first = arabic[0]
    assert first == (query == "الوطية")
    assert arabic == sorted(arabic, key=lambda a: a != first)


@pytest.mark.parametrize("typed", ["Kun", "Kunu", "Kunun", "Tata", "Tataou", "Warg", "Tebb"])
def test_a_word_being_typed_is_a_prefix(searcher: Searcher, typed: str) -> None:
    assert _ids(searcher, typed, typing=True)  # the list never empties mid-word
    assert not _ids(searcher, typed)  # a finished query is words


def test_typing_ends_with_every_spelling(searcher: Searcher) -> None:
    for end in range(3, len("Kununu") + 1):
        assert _ids(searcher, "Kununu"[:end], typing=True)
    assert set(_ids(searcher, "Kununu", typing=True)) == KUNUNU[1]


def test_a_word_followed_by_a_space_is_not_a_prefix(searcher: Searcher) -> None:
    assert not _ids(searcher, "Kunu ", typing=True)


def test_a_short_prefix_while_typing_is_never_refused(searcher: Searcher) -> None:
    searcher.search("th", typing=True)
    searcher.search("the", typing=True)


@pytest.mark.parametrize("query", ["cease-fire", "ceasefire", "cease fire"])
def test_compounds_match_both_ways(searcher: Searcher, query: str) -> None:
    assert set(_ids(searcher, query)) == {"en11", "en12", "en13"}


def test_a_compound_does_not_join_words_an_operator_binds(searcher: Searcher) -> None:
    assert set(_ids(searcher, "truce OR cease fire")) == {"en11", "en13"}


@pytest.mark.parametrize(("query", "english"), [("قاعدة الوطية", "en16"), ("عقيلة صالح", "en17")])
def test_unquoted_arabic_names_find_the_english_articles(
    searcher: Searcher, query: str, english: str
) -> None:
    assert english in _ids(searcher, query)
    assert english in _ids(searcher, f'"{query}"')


@pytest.fixture
def seeds(tmp_path: Path) -> Searcher:
    shutil.copytree(ROOT / "seeds", tmp_path / "corpus")
    config = load_config(write_config(tmp_path))
    update_index(config)
    return Searcher(config)


def test_mesmari_ranks_english_first(seeds: Searcher) -> None:
    with seeds:
        langs = [hit.lang for hit in seeds.search("Mesmari").hits]
        assert langs == sorted(langs, key=lambda lang: lang == "ar") and "ar" in langs


def test_stored_fields_are_read_for_the_rows_shown_only(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name runs two passes (as written, then with its other spellings), each finding up
    to ``limit`` articles; only the ``limit`` rows shown read their stored fields, once."""
    ws = searcher._searcher
    read: list[int] = []
    original = ws.stored_fields

    def counting(docnum: int) -> dict[str, object]:
        read.append(docnum)
        return original(docnum)  # type: ignore[no-any-return]

    monkeypatch.setattr(ws, "stored_fields", counting)
    spellings, articles = KUNUNU
    for spelling in spellings:
        for limit in (1, 2, 50):
            read.clear()
            found = searcher.search(spelling, limit=limit)
            assert found.hits and found.total >= len(found.hits)
            assert len(read) == len(set(read)) == len(found.hits) <= limit, spelling
        # Both passes ran: articles spelled otherwise were found too.
        assert {h.id for h in searcher.search(spelling, limit=50).hits} >= articles - {"fr01"}
