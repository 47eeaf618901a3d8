"""Re-anchoring notes when the article text changes: exact, moved, fuzzy, orphaned."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.config import Config
from reader.core.notes.anchoring import (
    FUZZY_THRESHOLD,
    TextPositionSelector,
    TextQuoteSelector,
    anchor,
    occurrences,
    selectors_for,
)
from reader.core.notes.store import NotesStore
from reader.core.sources.article import Article
from reader.core.sources.corpus import SourceFile, read_source, scan_corpus
from tests.conftest import ARABIC_SEED, SEEDS

FUZZ = settings(max_examples=int(os.environ.get("READER_FUZZ_EXAMPLES", "200")), deadline=None)

SEED = "000_7b206ec7414ebb17"
PASSAGE = (
    "the spokesman for these militias officially announced their defeat in front of the Libyan army"
)


@pytest.fixture(scope="module")
def library() -> dict[str, Article]:
    """The seed articles by id, read from their files (no index needed here)."""
    config = Config(corpus_paths=(SEEDS,), data_dir=Path("unused"), notes_dir=Path("x"))
    return {
        article.id: article
        for source in scan_corpus(config)
        if isinstance(source, SourceFile)
        for article in read_source(source, config)[0]
    }


@pytest.fixture
def seed(library: dict[str, Article]) -> Article:
    return library[SEED]


def selectors(body: str, passage: str) -> tuple[TextQuoteSelector, TextPositionSelector]:
    start = body.index(passage)
    return selectors_for(body, start, start + len(passage))


def test_unchanged_text_is_exact(seed: Article) -> None:
    quote, position = selectors(seed.body, PASSAGE)
    found = anchor(quote, position, seed.body)
    assert (found.status, found.span) == ("exact", (position.start, position.end))
    assert quote.prefix == seed.body[position.start - 32 : position.start]
    assert quote.suffix == seed.body[position.end : position.end + 32]


def test_text_inserted_before_the_passage_moves_it(seed: Article) -> None:
    quote, position = selectors(seed.body, PASSAGE)
    inserted = "Correction: an earlier version misnamed the town.\n"
    changed = inserted + seed.body
    found = anchor(quote, position, changed)
    assert found.status == "moved"
    assert found.span == (position.start + len(inserted), position.end + len(inserted))


def test_of_several_occurrences_the_one_with_matching_context_wins() -> None:
    body = "Haftar said no. Later Haftar said yes. Then Haftar left."
    start = body.index("Later Haftar") + len("Later ")
    quote, position = selectors_for(body, start, start + len("Haftar"))
    # Text inserted before makes the old offset land nearer another occurrence of "Haftar".
    changed = "Haftar said yes, in 2019. " + body
    found = anchor(quote, position, changed)
    assert found.status == "moved"
    assert found.start == changed.index("Later Haftar") + len("Later ")
    assert abs(found.start - start) > abs(changed.index("Haftar", 1) - start)  # not the nearest


def test_nearest_occurrence_wins_when_contexts_agree_equally() -> None:
    quote = TextQuoteSelector("claim")  # no context: every occurrence agrees equally
    found = anchor(quote, TextPositionSelector(60, 65), "claim " + "z" * 50 + "claim")
    assert (found.status, found.start) == ("moved", 56)


def test_a_word_changed_inside_the_passage_is_fuzzy(seed: Article) -> None:
    quote, position = selectors(seed.body, PASSAGE)
    changed = seed.body.replace("officially announced", "formally announced")
    found = anchor(quote, position, changed)
    assert found.status == "fuzzy"
    assert found.score >= FUZZY_THRESHOLD
    assert found.span is not None
    assert changed[found.start : found.end] == PASSAGE.replace("officially", "formally")


def test_a_changed_word_and_text_inserted_before(seed: Article) -> None:
    quote, position = selectors(seed.body, PASSAGE)
    changed = "Updated at 10:00.\n" * 5 + seed.body.replace("militias officially", "militia")
    found = anchor(quote, position, changed)
    assert found.status == "fuzzy"
    assert changed[found.start : found.end] == PASSAGE.replace("militias officially", "militia")


def test_arabic_passage_with_changed_spelling_is_fuzzy(library: dict[str, Article]) -> None:
    article = library[ARABIC_SEED]
    quote, position = selectors_for(article.body, 10, 80)
    changed = article.body.replace("الجيش الوطني", "الجيش الوطنى")
    found = anchor(quote, position, changed)
    assert found.status == "fuzzy"
    assert found.span == (10, 80)


def test_a_deleted_passage_is_orphaned(seed: Article) -> None:
    quote, position = selectors(seed.body, PASSAGE)
    changed = seed.body.replace(PASSAGE, "")
    found = anchor(quote, position, changed)
    assert (found.status, found.span, found.score) == ("orphaned", None, 0.0)


def test_a_short_quote_with_a_word_replaced_is_orphaned_not_misplaced() -> None:
    body = "He visited the capital, Tripoli, on Monday."
    quote, position = selectors(body, "the capital, Tripoli")
    assert anchor(quote, position, body.replace("Tripoli", "Misrata")).status == "orphaned"


def test_an_orphaned_note_is_kept_and_still_listed(tmp_path: Path, seed: Article) -> None:
    store = NotesStore(Config(corpus_paths=(SEEDS,), data_dir=tmp_path, notes_dir=tmp_path / "n"))
    start = seed.body.index(PASSAGE)
    note = store.add(seed, start, start + len(PASSAGE), verdict="false")
    rewritten = Article(seed.id, seed.title, seed.body.replace(PASSAGE, "(removed)"), seed.lang)
    (kept,) = store.load(seed.id)
    assert kept == note
    assert store.anchor(kept, rewritten).status == "orphaned"
    assert store.anchor(kept, seed).status == "exact"


def test_occurrences_include_overlapping_ones() -> None:
    assert occurrences("aaaa", "aa") == [0, 1, 2]
    assert occurrences("abc", "") == []


@FUZZ
@given(
    body=st.text(st.sampled_from("ab حف\n😀"), min_size=1, max_size=80),
    edit=st.text(st.sampled_from("ab حف\n😀"), max_size=10),
    data=st.data(),
)
def test_fuzz_anchor_always_returns_a_valid_span(body: str, edit: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(body) - 1))
    end = data.draw(st.integers(start + 1, len(body)))
    quote, position = selectors_for(body, start, end)
    at = data.draw(st.integers(0, len(body)))
    cut = data.draw(st.integers(0, 5))
    changed = body[:at] + edit + body[at + cut :]
    found = anchor(quote, position, changed)
    if found.status == "orphaned":
        assert found.span is None
        return
    assert found.start is not None and found.end is not None
    assert 0 <= found.start < found.end <= len(changed)
    if found.status in ("exact", "moved"):
        assert changed[found.start : found.end] == quote.exact
    else:
        assert found.score >= FUZZY_THRESHOLD
    assert anchor(quote, position, body).status == "exact"
