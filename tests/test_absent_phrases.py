"""A phrase that no article holds is left out of the ORs of a prepared query: the compound
form of a long word ("washing ton" for Washington) or a spelling the corpus never writes. The
ranking is the one of the query as parsed; only the reading (and numpy) is saved."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import query as wq

from reader.core.config import Config
from reader.core.library import Library
from reader.core.search.query import QueryParser, expand, without_absent_phrases
from reader.core.search.searcher import Searcher
from tests.conftest import ROOT

TEXTS = {
    "dc": "Officials speak\n\nOfficials in Washington said the talks would go on.\n",
    "wash": "Port work\n\nCrews were washing trucks while one ton of sand waited at the port.\n",
    "one": "Truce\n\nA ceasefire held in Sirte on Monday.\n",
    "apart": "Markets\n\nTraders will cease trading; a fire broke out at the market in Misrata.\n",
    "gov": "Budget\n\nThe government said the budget would pass. Ministers govern by decree.\n",
    "ment": "Notes\n\nThe ment column of the ledger was empty.\n",
}


def _config(tmp_path: Path) -> Config:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, text in TEXTS.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    return Config(corpus_paths=(corpus,), data_dir=tmp_path / "d", notes_dir=tmp_path / "n")


def _phrases(q: wq.Query | None) -> set[tuple[str, str]]:
    if q is None:
        return set()
    return {
        (leaf.fieldname, " ".join(leaf.words)) for leaf in q.leaves() if type(leaf) is wq.Phrase
    }


def _unpruned(searcher: Searcher, text: str) -> dict[str, float]:
    """Every article the query as parsed (its absent phrases kept) matches, with its score,
    from Whoosh's own matchers."""
    config = searcher.config
    parser = QueryParser(config.search_limits, config.gazetteer)
    prepared = parser.prepare(text, cross_script=False, vocabulary=searcher._load_vocabulary)
    ws = searcher._searcher
    expanded = expand(prepared, searcher._load_vocabulary, ws.reader(), config.search_limits)
    return {hit["id"]: hit.score for hit in ws.search(expanded.plain, limit=None)}


@pytest.fixture
def library(tmp_path: Path) -> Library:
    with Library(_config(tmp_path)) as library:
        library.update()
        yield library


def test_a_compound_form_no_article_writes_is_left_out_and_one_it_writes_is_kept(
    library: Library,
) -> None:
    searcher = library._open_searcher()
    # The parser gives "washing ton" and "govern ment" (each half a word of the corpus)...
    parser = QueryParser(searcher.config.search_limits)
    for text, phrase in (("Washington", "wash ton"), ("government", "govern ment")):
        raw = parser.prepare(text, cross_script=False, vocabulary=searcher._load_vocabulary)
        assert ("body", phrase) in _phrases(raw.parsed), text
        # ... which no article holds: the search neither reads nor marks them.
        prepared = searcher.prepare(text, cross_script=False)
        assert _phrases(prepared.parsed) == set(), text
        assert prepared.plain_matcher.phrases == ()
    # "cease fire" is held by no article yet: ceasefire searches the one word.
    assert _phrases(searcher.prepare("ceasefire", cross_script=False).parsed) == set()


@pytest.mark.parametrize("text", ["Washington", "government", "ceasefire", "washing", "govern*"])
def test_the_ranking_is_the_one_of_the_query_as_parsed(library: Library, text: str) -> None:
    searcher = library._open_searcher()
    want = _unpruned(searcher, text)
    found = searcher.search(text, limit=50, cross_script=False)
    assert found.total == len(want) > 0
    assert {hit.id: hit.score for hit in found.hits} == pytest.approx(want)


def test_an_article_that_writes_the_phrase_brings_it_back(library: Library) -> None:
    """What no article held is read again once the index changes (a new generation; the
    searcher's own refresh forgets it too)."""
    assert {hit.id for hit in library.search("ceasefire").hits} == {"one"}
    corpus = library.config.corpus_paths[0]
    (corpus / "two.txt").write_text("Talks\n\nThe cease fire held in Sirte.\n", "utf-8")
    library.update()
    library.open()  # the new index, as the app and the CLI open it after an update
    prepared = library._open_searcher().prepare("ceasefire", cross_script=False)
    assert ("body", "ceas fire") in _phrases(prepared.parsed)
    assert ("title", "ceas fire") not in _phrases(prepared.parsed)
    assert {hit.id for hit in library.search("ceasefire").hits} == {"one", "two"}


def test_a_new_process_searching_a_long_word_loads_no_numpy(tmp_path: Path) -> None:
    """The absent compound phrase made every such search read positions in numpy."""
    config = _config(tmp_path)
    with Library(config) as library:
        library.update()
    (tmp_path / "config.toml").write_text(
        f'[corpus]\npaths = ["{config.corpus_paths[0]}"]\n\n[storage]\n'
        f'data_dir = "{config.data_dir}"\nnotes_dir = "{config.notes_dir}"\n',
        encoding="utf-8",
    )
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reader.core.config import load_config\n"
        "from reader.core.search.searcher import Searcher\n"
        "s = Searcher(load_config(Path(sys.argv[1])))\n"
        "found = s.search('government', limit=25, cross_script=False)\n"
        "print(sorted(h.id for h in found.hits), 'numpy' in sys.modules)\n"
    )
    command = [sys.executable, "-c", script, str(tmp_path / "config.toml")]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["['gov']", "False"]


ABSENT = wq.Phrase("body", ["wash", "ton"])
HELD = wq.Phrase("body", ["ceas", "fire"])
WORD = wq.Term("body", "washington")


def _held(phrase: wq.Phrase) -> bool:
    return phrase == HELD


@pytest.mark.parametrize(
    ("q", "want"),
    [
        (wq.Or([WORD, ABSENT, HELD]), wq.Or([WORD, HELD])),
        (
            wq.And([wq.Or([WORD, ABSENT]), wq.Term("body", "talk")]),
            wq.And([wq.Or([WORD]), wq.Term("body", "talk")]),
        ),
        (wq.And([WORD, wq.Not(wq.Or([WORD, ABSENT]))]), wq.And([WORD, wq.Not(wq.Or([WORD]))])),
        (wq.AndNot(wq.Or([WORD, ABSENT]), HELD), wq.AndNot(wq.Or([WORD]), HELD)),
        (wq.AndMaybe(WORD, wq.Or([HELD, ABSENT])), wq.AndMaybe(WORD, wq.Or([HELD]))),
    ],
)
def test_absent_phrases_leave_the_ors_they_are_in(q: wq.Query, want: wq.Query) -> None:
    got = _pruned(q)
    assert got == want
    if isinstance(got, wq.BinaryQuery):
        assert (got.a, got.b) == tuple(got.subqueries)


@pytest.mark.parametrize(
    "q",
    [
        wq.Or([ABSENT, wq.Phrase("title", ["wash", "ton"])]),  # nothing else: still no match
        wq.And([ABSENT, WORD]),  # a phrase the query requires is not an alternative
        wq.Or([WORD, ABSENT], scale=0.5),  # the score counts the parts that match
        wq.Or([WORD, ABSENT], minmatch=2),
        ABSENT,
        wq.Or([WORD, HELD]),
    ],
)
def test_what_is_not_an_absent_alternative_is_kept_as_it_is(q: wq.Query) -> None:
    assert _pruned(q) is q


def _pruned(q: wq.Query) -> wq.Query:
    from reader.core.search.query import PreparedQuery, matcher_of

    prepared = PreparedQuery("x", "x", q, None, matcher_of(q), None, 0)
    return without_absent_phrases(prepared, _held).parsed


def test_a_refreshed_searcher_reads_the_phrases_again(library: Library) -> None:
    searcher = Searcher(library.config)
    assert _phrases(searcher.prepare("ceasefire", cross_script=False).parsed) == set()
    corpus = library.config.corpus_paths[0]
    (corpus / "two.txt").write_text("Talks\n\nThe cease fire held in Sirte.\n", "utf-8")
    library.update()
    searcher.refresh()
    prepared = searcher.prepare("ceasefire", cross_script=False)
    assert ("body", "ceas fire") in _phrases(prepared.parsed)
    searcher.close()


def test_with_the_vectorised_path_made_the_phrases_are_looked_for_there_and_kept(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the searcher has made its vectorised path (the app's warm-up does), whether a
    phrase occurs is read there, as Whoosh's matcher reads it, and the phrase's documents are
    kept for the search that runs it: the search reads no more posting lists for it."""
    searcher = library._open_searcher()
    vector = searcher._vector_index()
    assert vector is not None
    want = {
        phrase: bool(phrase.matcher(searcher._searcher).is_active())
        for phrase in (
            wq.Phrase("body", ["wash", "ton"]),
            wq.Phrase("body", ["ceas", "fire"]),
            wq.Phrase("body", ["govern", "ment"]),
            wq.Phrase("body", ["wash", "truck"]),
            wq.Phrase("body", ["minist", "govern"]),
        )
    }
    assert sorted(want.values()) == [False, False, False, True, True], want

    def no_whoosh(self: wq.Phrase, *args: object, **kwargs: object) -> object:
        raise AssertionError("looked for through Whoosh's phrase matcher")

    monkeypatch.setattr(wq.Phrase, "matcher", no_whoosh)
    for phrase, held in want.items():
        assert searcher._occurs(phrase) is held
    monkeypatch.undo()
    # The phrase's documents were kept: running it reads nothing more, and finds what
    # Whoosh's matcher finds.
    read = vector.lists_read
    for phrase, held in want.items():
        found = vector.top(phrase, 10)
        assert found is not None and (found[1] > 0) is held
        ws = searcher._searcher
        assert [doc for _, doc in found[0]] == [hit.docnum for hit in ws.search(phrase)]
    assert vector.lists_read == read
