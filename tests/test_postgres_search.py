"""The PostgreSQL backend against a real server: the same corpus (the seeds and a few articles
of our own) indexed by Whoosh and by the server must give the same SET of hits for the same
queries (English words, stems, Arabic letter variants and ال, cross-script names, prefixes,
phrases, NOT, fields, lang/outlet filters), the same snippets, browse order, lookups and
outlets; a query the server cannot translate exactly is refused with a clear message."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.library import Library, QueryError
from tests.conftest import ARABIC_SEED, SEEDS
from tests.pg_support import config_file, new_database, write_extra


@pytest.fixture(scope="module")
def both(
    pg_cluster: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Library, Library]]:
    """(the Whoosh library, the server library) over one corpus, both indexed."""
    root = tmp_path_factory.mktemp("pg-both")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    write_extra(corpus)
    whoosh = Library(load_config(config_file(root / "whoosh", corpus, None)))
    server = Library(load_config(config_file(root / "server", corpus, new_database(pg_cluster))))
    reports = [whoosh.update(), server.update()]
    assert reports[1].total == reports[0].total == 8  # 5 seeds + 4 extra - 1 duplicate
    assert reports[1].duplicates == reports[0].duplicates
    with whoosh, server:
        yield whoosh, server


QUERIES = {
    # query -> ids the Whoosh backend finds (a check that the query finds something real)
    "Haftar": {"000_7b206ec7414ebb17", "001_629cc8aa1a0900a3", "002_21aad2d8e00821f2"},
    "حفتر": {ARABIC_SEED, "001_629cc8aa1a0900a3"},  # cross-script: Haftar finds حفتر
    "المسماري": {ARABIC_SEED, "extra/desk-b-1"},
    "مسماري": {ARABIC_SEED, "extra/desk-b-1"},
    "المسمارى": {ARABIC_SEED, "extra/desk-b-1"},  # ى for ي
    "احمد": {ARABIC_SEED, "extra/desk-b-1"},  # أحمد without its hamza
    "الليبية": {"extra/desk-b-1"},
    "Mism*": {"000_7b206ec7414ebb17", "004_9e772252006eaafa"},
    "hire": {"extra/desk-a-1", "extra/desk-b-2"},  # hiring, hires
    "hiri*": {"extra/desk-a-1"},
    "m?sm*ri": set(),
    '"operations room"': {"000_7b206ec7414ebb17", "extra/desk-a-1"},
    '"room operations"': set(),
    '"announced defeat"~3': set(),
    "Haftar NOT Turkish": set(),
    "Tripoli OR Egypt": set(),
    "Tripoli AND (hiring OR Haftar)": set(),
    "NOT Haftar": set(),
    "title:Haftar": set(),
    "title:truce": {"extra/desk-b-2"},
    "truce lang:en": set(),
    "published:2024": {"extra/desk-a-1"},
    "outlet:Desk*": set(),
    "id:00*": set(),
    "*": set(),
    "author:sami": {"extra/desk-a-1"},
    "author:ham*": {"extra/desk-a-1"},
    'outlet:"Desk A"': {"extra/desk-a-1"},
    "published:[20240101 to]": {"extra/desk-a-1"},
    "published:[to 20231231]": {"extra/desk-b-1"},
    "published:[2023 to 2024]": {"extra/desk-a-1", "extra/desk-b-1"},
    "NOT published:2024": {"extra/desk-b-1", "extra/desk-b-2"},
    "Haftar NOT zzz*": set(),
    "zzz* OR hiring": {"extra/desk-a-1"},
    "lang:ar OR title:truce": {ARABIC_SEED, "extra/desk-b-1", "extra/desk-b-2"},
    "NOT lang:en": {ARABIC_SEED},
    "id:*desk-b*": {"extra/desk-b-1", "extra/desk-b-2"},
    "outlet:[Desk A TO Desk B]": set(),
    "the": set(),  # only a stopword: nothing
    "zzzyx": set(),
}


def ids(library: Library, query: str, **filters: str) -> set[str]:
    return {hit.id for hit in library.search(query, limit=100, **filters).hits}  # type: ignore[arg-type]


@pytest.mark.parametrize("query", list(QUERIES))
def test_same_result_set_on_both_backends(both: tuple[Library, Library], query: str) -> None:
    whoosh, server = both
    expected = ids(whoosh, query)
    assert QUERIES[query] <= expected  # the query does find what it is about
    assert ids(server, query) == expected
    assert server.search(query, limit=100).total == whoosh.search(query, limit=100).total


def test_queries_find_something(both: tuple[Library, Library]) -> None:
    _, server = both
    for query in ("Haftar NOT Turkish", "Tripoli OR Egypt", "NOT Haftar", "*", "outlet:Desk*"):
        assert ids(server, query), query
    assert ids(server, "Haftar NOT Turkish") < ids(server, "Haftar")
    assert len(ids(server, "*")) == 8


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("Haftar", {"lang": "ar"}),
        ("Haftar", {"lang": "en"}),
        ("truce", {"outlet": "desk b"}),  # outlets match without regard to case
        ("المسماري", {"outlet": "Desk B"}),
        ("Haftar", {"outlet": "Nowhere"}),
    ],
)
def test_filters_give_the_same_sets(
    both: tuple[Library, Library], query: str, filters: dict[str, str]
) -> None:
    whoosh, server = both
    assert ids(server, query, **filters) == ids(whoosh, query, **filters)


def test_filters_filter(both: tuple[Library, Library]) -> None:
    _, server = both
    assert ids(server, "Haftar", lang="ar") == {ARABIC_SEED}
    assert ids(server, "truce", outlet="desk b") == {"extra/desk-b-2"}


def test_snippets_and_marks_are_the_same(both: tuple[Library, Library]) -> None:
    whoosh, server = both
    for query in ("Haftar", "حفتر", "Mism*", '"operations room"', "hire"):
        found = {h.id: h for h in whoosh.search(query, limit=100).hits}
        for hit in server.search(query, limit=100).hits:
            assert hit.snippet_marks or hit.title_marks, (query, hit.id)
            twin = found[hit.id]
            assert (hit.snippet, hit.snippet_marks, hit.title_marks) == (
                twin.snippet,
                twin.snippet_marks,
                twin.title_marks,
            )


def test_browse_lookups_and_outlets_are_the_same(both: tuple[Library, Library]) -> None:
    whoosh, server = both
    assert [h.id for h in server.browse()] == [h.id for h in whoosh.browse()]
    assert [h.id for h in server.browse(limit=3, lang="en")] == [
        h.id for h in whoosh.browse(limit=3, lang="en")
    ]
    assert server.ids() == whoosh.ids()
    assert server.outlets() == whoosh.outlets()
    assert server.articles() == whoosh.articles()
    assert server.article("003") == whoosh.article("003")
    assert server.get("nope") is None


def test_browse_pages_by_keyset(both: tuple[Library, Library]) -> None:
    from reader.core.search.postgres import server as module

    whoosh, server = both
    saved = module.BROWSE_PAGE
    module.BROWSE_PAGE = 2  # four pages for the eight articles
    try:
        assert [h.id for h in server.browse()] == [h.id for h in whoosh.browse()]
    finally:
        module.BROWSE_PAGE = saved


@pytest.mark.parametrize("query", ["title:[a TO m]", "author:[a TO m]"])
def test_what_cannot_be_translated_is_refused(both: tuple[Library, Library], query: str) -> None:
    _, server = both
    with pytest.raises(QueryError, match="PostgreSQL library cannot run"):
        server.search(query)


def test_the_expansion_limit_holds_on_both(both: tuple[Library, Library]) -> None:
    whoosh, server = both
    from dataclasses import replace

    before = server.config.search_limits
    small = replace(before, max_expansion=1)
    for library in (whoosh, server):
        library.config = replace(library.config, search_limits=small)
    try:
        for library in (whoosh, server):
            library.close()
            with pytest.raises(QueryError, match=r"\(m\*: 2\)"):
                library.search("m*")
            with pytest.raises(QueryError, match=r"\(id:00\*: 2\)"):
                library.search("id:00*")
            with pytest.raises(QueryError, match=r"\(outlet:\[Desk A TO Desk B\]: 2\)"):
                library.search("outlet:[Desk A TO Desk B]")
            with pytest.raises(QueryError, match=r"\(author:\?am\*: 2\)"):  # sami, hamdi
                library.search("author:?am*")
            with pytest.raises(QueryError, match=r"\(author:[sh]\*: 1\)"):  # 2 in all
                library.search("author:s* OR author:h*")
    finally:
        for library in (whoosh, server):
            library.config = replace(
                library.config, search_limits=replace(small, max_expansion=2000)
            )
            library.close()


def test_cross_script_choices_give_the_same_sets(both: tuple[Library, Library]) -> None:
    from dataclasses import replace

    server = both[1]
    for query in ("حفتر", "Haftar", "Mesmari"):
        plain = [{h.id for h in lib.search(query, cross_script=False).hits} for lib in both]
        assert plain[1] == plain[0], query
    assert {h.id for h in server.search("حفتر", cross_script=False).hits} == {ARABIC_SEED}
    before = [lib.config for lib in both]
    try:
        for library in both:  # names found only through another spelling are not put last
            library.config = replace(library.config, same_language_first=False)
            library.close()
        wider = [[h.id for h in lib.search("حفتر").hits] for lib in both]
        assert set(wider[1]) == set(wider[0]) and len(wider[1]) == len(set(wider[1])) == 6
    finally:
        for library, config in zip(both, before, strict=True):
            library.config = config
            library.close()


def _query_mix(texts: list[str], count: int, seed: int) -> list[str]:
    """Queries drawn from the corpus's own words (a fixed seed): words, AND, OR, NOT, phrases
    of neighbouring words, prefixes, fields, and Arabic words without their ال."""
    import random
    import re

    rng = random.Random(seed)
    words = [re.findall(r"\w{3,}", text) for text in texts]
    flat = [w for ws in words for w in ws]
    queries: list[str] = []
    for _ in range(count):
        a, b = rng.choice(flat), rng.choice(flat)
        ws = rng.choice([ws for ws in words if len(ws) > 2])
        at = rng.randrange(len(ws) - 1)
        kind = rng.randrange(9)
        queries.append(
            [
                a,
                f"{a} {b}",
                f"{a} OR {b}",
                f"{a} NOT {b}",
                f'"{ws[at]} {ws[at + 1]}"',
                f"{a[:3]}*",
                f"title:{a}",
                a[2:] if a.startswith("ال") and len(a) > 4 else a,
                f"({a} OR {b}) AND NOT lang:ar",
            ][kind]
        )
    return queries


def test_a_mix_of_corpus_queries_gives_the_same_sets(both: tuple[Library, Library]) -> None:
    whoosh, server = both
    texts = [f"{a.title}\n{a.body}" for a in whoosh.articles()]
    found = 0
    for query in _query_mix(texts, 150, seed=20):
        try:
            expected = ids(whoosh, query)
        except QueryError:
            with pytest.raises(QueryError):
                server.search(query)
            continue
        assert ids(server, query) == expected, query
        found += bool(expected)
    assert found > 100  # most queries find something: the sets compared are not all empty


NAMES_CORPUS = SEEDS.parent / "tests" / "data" / "names_corpus"


def test_names_outside_the_gazetteer_reach_every_spelling_on_the_server(
    pg_cluster: object, tmp_path: Path
) -> None:
    """The name layer (the other spellings of names the corpus writes) works on the server
    as on Whoosh: the same sets for names no gazetteer knows, in both scripts."""
    corpus = tmp_path / "corpus"
    shutil.copytree(NAMES_CORPUS, corpus)
    whoosh = Library(load_config(config_file(tmp_path / "whoosh", corpus, None)))
    server = Library(
        load_config(config_file(tmp_path / "server", corpus, new_database(pg_cluster)))
    )
    whoosh.update()
    server.update()
    with whoosh, server:
        for query in ("Kununu", "Gnounou", "قنونو", "Hashemi", "الهاشمي", "Syrte", "Kun"):
            found = {h.id for h in whoosh.search(query, limit=100).hits}
            assert {h.id for h in server.search(query, limit=100).hits} == found, query
        kununu = {h.id for h in server.search("Kununu", limit=100).hits}
        assert {"ar01", "ar02", "en01", "fr01"} <= kununu
        typed = {h.id for h in server.search("Kunun", limit=100, typing=True).hits}
        assert typed == {h.id for h in whoosh.search("Kunun", limit=100, typing=True).hits}
        assert "en01" in typed


def test_a_word_being_typed_stands_for_the_same_words_on_both(
    both: tuple[Library, Library],
) -> None:
    """The prefix added for the word being typed stands for its first half-limit words on
    both backends, uncounted: never refused as too big, where the same prefix written with
    its ``*`` is."""
    from dataclasses import replace

    whoosh = both[0]
    before = [lib.config for lib in both]
    try:
        for library in both:
            limits = replace(library.config.search_limits, max_expansion=4)
            library.config = replace(library.config, search_limits=limits)
            library.close()
        cut = 0
        for typed in ("gov", "for", "sta", "mil", "tri", "con", "الم", "الح"):
            found = [{h.id for h in lib.search(typed, limit=100, typing=True).hits} for lib in both]
            assert found[1] == found[0], typed
            try:
                whoosh.search(f"{typed}*")
            except QueryError:  # more than 4 words: the typed prefix stood for the first 2
                cut += bool(found[0])
        assert cut >= 3  # the cut was tried, on prefixes that find something
    finally:
        for library, config in zip(both, before, strict=True):
            library.config = config
            library.close()


def test_two_letters_being_typed_search_as_a_prefix_on_the_server(
    both: tuple[Library, Library],
) -> None:
    """The server has no index of words' first two letters: two letters being typed stand
    for the words they start there (their first half-limit, as three do), so the server
    finds every article Whoosh finds (and those with another word of the same stem)."""
    server = both[1]
    for typed in ("Ha", "co", "حف", "ال", "Mi"):
        found = [{h.id for h in lib.search(typed, limit=100, typing=True).hits} for lib in both]
        assert found[0], typed
        assert found[0] <= found[1], typed
        as_word = {h.id for h in server.search(typed, limit=100).hits}
        assert found[1] > as_word, typed  # not the word alone


def test_the_index_narrows_every_text_query_to_a_superset_of_its_hits(
    both: tuple[Library, Library],
) -> None:
    """Each word and phrase query has a loose form (no weights, no positions) that the GIN
    index answers with no article read; it matches every article the query does, so
    narrowing by it first changes nothing but the work (a common word was a sequential
    scan of every article's tsvector at 50,000 articles)."""
    import re

    import psycopg

    from reader.core.search.postgres.server import ServerIndex
    from reader.core.search.postgres.translate import Text, translate
    from reader.core.search.postgres.words import expand_query

    whoosh, server = both
    texts = [f"{a.title}\n{a.body}" for a in whoosh.articles()]
    checked = 0
    with ServerIndex(server.config) as index, psycopg.connect(server.config.postgresql) as conn:
        for query in [*_query_mix(texts, 60, seed=7), '"operations room"', "Haftar"]:
            try:
                prepared = index.prepare(query)
                limits = server.config.search_limits
                expanded = expand_query(conn, prepared, limits, index.vocabulary)
                parts = [translate(q) for q in expanded if q is not None]
            except QueryError:
                continue
            for part in parts:
                if not isinstance(part, Text) or part.query.startswith("!"):
                    continue
                assert part.loose is not None, query
                assert not re.search(r"'[^']*':[*]?[ABCD]|<\d*-?>", part.loose), part.loose
                missed = conn.execute(
                    "SELECT count(*) FROM reader_articles WHERE terms @@ %s::tsquery "
                    "AND NOT terms @@ %s::tsquery",
                    (part.query, part.loose),
                ).fetchone()[0]
                assert missed == 0, query
                checked += 1
    assert checked > 30


def test_one_id_is_never_two_articles_on_the_server(pg_cluster: object, tmp_path: Path) -> None:
    """As on Whoosh (tests/test_index.py): a file whose article would take an id another file
    gives is reported, not written over it (the server's insert replaced the first)."""
    import json

    from reader.core.sources.scan import SkipKind

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    first = [{"id": "2", "title": "first", "body": "collide alpha"}]
    (corpus / "col.json").write_text(json.dumps(first), encoding="utf-8")
    config = load_config(config_file(tmp_path / "server", corpus, new_database(pg_cluster)))
    with Library(config) as library:
        library.update()
        (corpus / "col").mkdir()
        (corpus / "col" / "2.txt").write_text("third\n\ncollide gamma\n", encoding="utf-8")
        report = library.update()
        taken = [s for s in report.skipped if s.kind == SkipKind.ID_TAKEN]
        assert [s.path.name for s in taken] == ["2.txt"], report.skipped
        assert ids(library, "alpha") == {"col/2"} and ids(library, "gamma") == set()
        (corpus / "col.json").unlink()
        library.update()  # the file, read again, takes the id
        assert ids(library, "gamma") == {"col/2"} and ids(library, "alpha") == set()
