"""A two-letter word being typed: every article with a word it starts, through the index of
every word's first two letters (reader.core.search.word_starts), scored and ranked exactly."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from reader.core.config import load_config
from reader.core.search.analysis import term_positions
from reader.core.search.index import update_index
from reader.core.search.searcher import Searcher
from reader.core.search.word_starts import StartsAnalyzer, terms_and_starts, word_starts
from tests.conftest import write_config
from tests.test_search_topk import exhaustive, write_articles

# Articles written for this test: a coast guard, a cook, a colonel; Arabic ones around Sirte.
ARTICLES = {
    "coast": "Coast guard rescues fishermen\n\nThe coast guard said the boats were found at dawn.",
    "cook": "A cook in Tripoli\n\nShe cooked for the crews every night, Libya's press said.",
    "colonel": "Colonel speaks\n\nA colonel in Libya spoke to reporters about the talks.",
    "market": "Market prices rise\n\nBread and fuel prices rose in Benghazi this week.",
    "co-op": "Farmers unite\n\nThe farmers formed a co-op near Misrata.",
    "sirte": "قوات في سرت\n\nقالت القوات إن سرت هادئة بعد أيام من القتال.",
    "army": "بيان الجيش\n\nأصدر الجيش بيانا عن الوضع في بنغازي.",
    "coffee-ar": "Coffee in Sirte\n\nالقهوة في سرت غالية هذا الشهر.",
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("starts")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    config = load_config(write_config(folder))
    update_index(config)
    with Searcher(config) as opened:
        yield opened


def _typed(searcher: Searcher, text: str) -> set[str]:
    return {h.id for h in searcher.search(searcher.prepare(text, typing=True), limit=100).hits}


def _with_a_word_starting(start: str) -> set[str]:
    """The articles with a word that starts with ``start``, found without reader's code."""
    return {
        name
        for name, text in ARTICLES.items()
        if any(w.lower().startswith(start) for w in re.findall(r"\w+", text))
    }


def test_the_writer_and_whoosh_s_analyzer_give_the_same_starts() -> None:
    """The index writer's one-pass count and the analyzer Whoosh's own writer runs agree,
    stopwords and one-letter words giving none, Arabic folded as prefixes are."""
    texts = [
        "The coast guard of Colombia: a co-op cooked.",
        "والجيش الليبي في سرت، أإحصاءات ٢٠٢٠ 2020",
        "",
        "x y z",
        "Élan ÉCOLE école",
    ]
    for text in texts:
        tokens = Counter(t.text for t in StartsAnalyzer()(text))
        assert word_starts(text) == dict(tokens), text
        # The writer's one pass for a title or body and its starts field.
        assert terms_and_starts(text) == (term_positions(text), word_starts(text)), text
    assert word_starts(texts[0]) == {"co": 4, "gu": 1, "op": 1}
    assert word_starts("والجيش الليبي في سرت") == {"وا": 1, "ال": 1, "سر": 1}
    assert word_starts("Élan ÉCOLE école") == {"el": 1, "ec": 2}  # diacritics fold away


@pytest.mark.parametrize("start", ["co", "Co", "سر", "ال", "pr"])
def test_a_two_letter_word_being_typed_finds_every_article_with_a_word_it_starts(
    searcher: Searcher, start: str
) -> None:
    expected = _with_a_word_starting(start.lower())
    assert expected  # the corpus has such words
    assert _typed(searcher, start) == expected


def test_the_two_letters_narrow_the_words_before_them(searcher: Searcher) -> None:
    assert _typed(searcher, "Libya co") == {"cook", "colonel"}
    assert _typed(searcher, "سرت ال") == {"sirte", "coffee-ar"}


def test_one_letter_or_a_finished_word_is_the_word_alone(searcher: Searcher) -> None:
    """A word followed by a space is finished: "co " is the word co (of co-op); one letter
    being typed starts too many words to mean anything: it is searched as written."""
    assert _typed(searcher, "co ") == {"co-op"}
    assert _typed(searcher, "c") == set()


def test_the_words_it_starts_are_marked(searcher: Searcher) -> None:
    prepared = searcher.prepare("co", typing=True)
    text = ARTICLES["coast"]
    marked = [text[a:b] for a, b in prepared.matcher.spans(text)]
    assert marked == ["Coast", "coast"]


def test_it_ranks_as_the_exhaustive_ranking_of_the_same_scoring(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Top k of the searcher (the vectorised path) against every matching article scored
    term by term with Whoosh's weighting: the same articles in the same order."""
    folder = tmp_path_factory.mktemp("starts-ranked")
    write_articles(folder / "corpus", 300, 7, "r")
    config = load_config(write_config(folder))
    update_index(config)
    with Searcher(config) as searcher:
        for text in ("wo", "fi", "worak fi"):
            prepared = searcher.prepare(text, cross_script=False, typing=True)
            ranked = exhaustive(searcher, searcher._expand(prepared.parsed))
            assert len(ranked) > 25, text
            for limit in (1, 10, 25):
                found = searcher.search(prepared, limit=limit)
                assert [h.id for h in found.hits] == [doc for _, doc in ranked[:limit]], text
                assert found.total == len(ranked)


def test_an_index_without_the_starts_fields_is_rebuilt(tmp_path: Path) -> None:
    """An index written before the starts fields existed is from an older version: the
    next update rebuilds it (a typed two-letter word would find nothing in it)."""
    from reader.core.search import index_files

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLES["coast"], encoding="utf-8")
    config = load_config(write_config(tmp_path))
    update_index(config)
    fingerprint = next((tmp_path / "data").rglob(index_files.FINGERPRINT))
    data = fingerprint.read_text(encoding="utf-8")
    old = data.replace(f'"schema": {index_files.SCHEMA_VERSION}', '"schema": 8')
    assert old != data
    fingerprint.write_text(old, encoding="utf-8")
    assert update_index(config).rebuilt
    with Searcher(config) as searcher:
        assert _typed(searcher, "co") == {"a"}


def test_a_word_s_start_is_the_start_of_the_whole_word_folded() -> None:
    """The writer folds only a word's first characters (remembering every word's start would
    hold every word); the two letters kept are those of the whole word folded, whatever
    marks, tatweel, ligatures or case changes come first."""
    from reader.core.search.analysis import WORD, fold_term
    from reader.core.search.word_starts import _start_of

    alphabet = (
        "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإىة"  # letters, hamza seats, alef maksura, teh marbuta
        + "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0670"  # marks
        + "\u0640"  # tatweel
        + "\ufefb\ufef5\ufe8d\ufe91"  # presentation forms: lam-alef, alef, beh
        + "İßÉéaZ٣7"
    )
    rng = random.Random(3)
    words = ["ســـــــــــر", "سَرت", "ﻻجئ", "İstanbul", "ßtraße", "آمن", "ا\u0654من"]
    words += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(5000)]
    checked = 0
    for text in words:
        for raw in WORD.findall(text):
            whole = fold_term(raw)[:2]
            assert _start_of(raw) == (whole if len(whole) == 2 else ""), raw
            checked += 1
    assert checked > 4000
