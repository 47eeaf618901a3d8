"""The query path runs one way, each step once: text -> parsed query (one logical-order pass, one
Whoosh parse, other spellings of names added to that parse) -> expanded query -> matching ->
snippets, and the highlighter marks an article with the very matcher the search used."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh.qparser import MultifieldParser
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.qparser.default import QueryParser as WhooshParser

from reader.core.config import Config, load_config
from reader.core.library import Library
from reader.core.names.gazetteer import gazetteer_for
from reader.core.names.other_spellings import cross_script_terms
from reader.core.search import analysis
from reader.core.search import query as query_module
from reader.core.search import searcher as searcher_module
from reader.core.search.cross_script import expand_cross_script
from reader.core.search.highlight import snippet
from reader.core.search.index import update_index
from reader.core.search.index_build import make_schema
from reader.core.search.query import QueryParser
from reader.core.search.searcher import Searcher
from tests.conftest import ROOT, write_config

# English, Arabic, prefixes, wildcards, phrases, operators and names with other spellings.
QUERIES = [
    "Sirte",
    "Haftar",
    "حفتر",
    "Mismari",
    "المسمارى",
    "الوطيه",
    '"operations room"',
    "recogni*",
    "Sir?e",
    "Haftar AND NOT Sirte",
    "(Haftar OR Sirte) AND forces",
    '"Khalifa Haftar"',
    "gna",
    "title:Haftar Mismari",
    "lang:ar حفتر",
]


@pytest.fixture(scope="module")
def seeds_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed articles, indexed once for the module."""
    import shutil

    folder = tmp_path_factory.mktemp("seeds")
    shutil.copytree(ROOT / "seeds", folder / "corpus")
    path = write_config(folder)
    update_index(load_config(path))
    return path


@pytest.fixture
def searcher(seeds_config: Path) -> Iterator[Searcher]:
    with Searcher(load_config(seeds_config)) as opened:
        yield opened


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the logical-order passes and the Whoosh parses (``process`` is the whole of a
    parse but building the query objects), wherever the searcher calls them from."""
    calls = {"logical": 0, "parse": 0}
    real_logical = analysis.query_to_logical
    real_process = WhooshParser.process

    def logical(text: str) -> str:
        calls["logical"] += 1
        return real_logical(text)

    def process(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls["parse"] += 1
        return real_process(self, *args, **kwargs)

    for module in (searcher_module, query_module):
        monkeypatch.setattr(module, "query_to_logical", logical, raising=False)
    monkeypatch.setattr(WhooshParser, "process", process)
    return calls


def test_a_search_puts_the_query_in_logical_order_once(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting(monkeypatch)
    results = searcher.search("Haftar", cross_script=True)
    assert "003_cf72655655ca3791" in {h.id for h in results.hits}  # widened to حفتر
    assert calls["logical"] == 1


@pytest.mark.parametrize("query", ["Haftar", "حفتر", '"Khalifa Haftar"', "Mismari OR Sirte"])
def test_a_query_is_parsed_once_when_other_spellings_apply(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    gazetteer = gazetteer_for(searcher.config.gazetteer)
    widened = expand_cross_script(query, lambda word: cross_script_terms(word, gazetteer))
    assert widened is not None  # the widening applies
    fresh = Searcher(searcher.config)
    try:
        calls = _counting(monkeypatch)
        fresh.search(query, cross_script=True)
        assert calls["parse"] == 1
    finally:
        fresh.close()


def test_highlighting_an_article_the_search_found_does_not_parse_again(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting(monkeypatch)
    hits = searcher.search("Haftar").hits
    searched = dict(calls)
    matcher = searcher.matcher("Haftar")
    assert calls == searched  # no logical pass, no parse: the search's prepared query
    article = searcher.article(hits[-1].id)
    assert article is not None and matcher.spans(article.body)
    again = searcher.search("Haftar").hits  # the kept prepared query is not worn by a search
    assert calls == searched and again == hits


@pytest.mark.parametrize("cross_script", [None, True, False])
def test_the_matcher_marks_exactly_what_the_search_marked(
    searcher: Searcher, cross_script: bool | None
) -> None:
    marked = 0
    for query in QUERIES:
        results = searcher.search(query, limit=50, cross_script=cross_script)
        matcher = (
            searcher.matcher(query)
            if cross_script is None
            else searcher.matcher(query, cross_script=cross_script)
        )
        for hit in results.hits:
            article = searcher.article(hit.id)
            assert article is not None
            assert snippet(article.body, matcher) == (hit.snippet, list(hit.snippet_marks))
            assert tuple(matcher.spans(article.title)) == hit.title_marks
            marked += bool(hit.snippet_marks)
    assert marked > 10  # the comparison is not vacuous


def test_a_prepared_query_is_searched_and_highlighted_as_it_is(searcher: Searcher) -> None:
    prepared = searcher.prepare("Haftar", cross_script=False)
    assert prepared.wider is None
    by_text = searcher.search("Haftar", cross_script=False)
    by_prepared = searcher.search(prepared)
    assert [h.id for h in by_prepared.hits] == [h.id for h in by_text.hits]
    assert by_prepared.query == "Haftar"
    assert searcher.matcher(prepared) is prepared.plain_matcher


@pytest.mark.parametrize(
    "query",
    [
        *QUERIES,
        "-Haftar",
        "+Haftar",
        "(Haftar)",
        "NOT Haftar",
        "Haftar ANDMAYBE Sirte",
        "'Haftar'",
        "Haftar the",
        "GNA Tripoli",
        "Libya Benghazi Tripoli Misrata",
        "السراج",
        "طرابلس",
        "Haftar^2",
        "Haftar^2 OR Sirte",
        '"Khalifa Haftar"^2',
        "published:2024",
    ],
)
def test_the_one_parse_searches_what_parsing_each_form_searched(
    seeds_config: Path, query: str
) -> None:
    """The query as written is what Whoosh's parser makes of it; widened on the syntax tree,
    it is what parsing the text form of the widening (Haftar -> (Haftar OR حفتر OR ...))
    made. (Boosts aside: the text form moved ``^2`` off its word, and Whoosh spread a boost
    in ``Haftar^2 OR Sirte`` over the whole OR; on the tree the boost stays on its word.)"""
    config = load_config(seeds_config)
    parser = QueryParser(config.search_limits, config.gazetteer)
    whoosh = MultifieldParser(["title", "body"], make_schema())
    whoosh.add_plugin(DateParserPlugin())
    as_written = parser.prepare(query, cross_script=False)
    assert as_written.wider is None
    assert as_written.parsed == whoosh.parse(as_written.logical)
    prepared = parser.prepare(query, cross_script=True)
    text = expand_cross_script(prepared.logical, parser.spellings)
    if text is None:
        assert prepared.wider is None
    elif "^" not in query:
        assert prepared.parsed == as_written.parsed
        assert prepared.wider == whoosh.parse(text)
    else:
        assert prepared.wider is not None and prepared.wider != prepared.parsed


# Each module of the query path imports only the ones before it (the searcher at the top).
QUERY_PATH = [
    "arabic",
    "analysis",
    "vocabulary",
    "highlight",
    "cross_script",
    "query_limits",
    "query",
    "searcher",
]


@pytest.mark.parametrize("name", QUERY_PATH)
def test_the_query_path_imports_only_downwards(name: str) -> None:
    source = (ROOT / "reader" / "core" / "search" / f"{name}.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "reader.core.search":
                imported.update(alias.name for alias in node.names)
            elif node.module.startswith("reader.core.search."):
                imported.add(node.module.rsplit(".", 1)[1])
    later = set(QUERY_PATH[QUERY_PATH.index(name) :])
    assert not imported & later, f"{name} imports {sorted(imported & later)}"


def test_a_name_is_not_widened_to_a_spelling_the_index_holds_as_one_letter(
    tmp_path: Path,
) -> None:
    # "U.S." (an alias of the United States) is indexed as the one letter "u": Washington,
    # America and الولايات المتحدة found every article that wrote "U.N." or "U-turn".
    corpus = tmp_path / "c"
    corpus.mkdir()
    texts = {
        "un": "Envoy meets\n\nThe U.N. envoy met delegates in Geneva to discuss the truce.\n",
        "turn": "Turn\n\nThe driver made a U-turn near the port of Misrata.\n",
        "dc": "Officials speak\n\nOfficials in Washington said the talks would go on.\n",
        "usa": "Aid\n\nThe USA sent aid to the flooded city of Derna.\n",
    }
    for name, text in texts.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    config = Config(corpus_paths=(corpus,), data_dir=tmp_path / "d", notes_dir=tmp_path / "n")
    with Library(config) as library:
        library.update()
        for query in ("Washington", "America", "الولايات المتحدة"):
            found = {hit.id for hit in library.search(query).hits}
            assert found == {"dc", "usa"}, (query, found)
        assert {hit.id for hit in library.search("U.N.").hits} == {"un"}
