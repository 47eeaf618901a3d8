"""How well the product groups a labelled set of English and Arabic coverage into events.

tests/data/events/articles holds 64 short articles written for this test (wire-copy style,
several outlets, names spelled several ways) about six events of the 2020 war in Libya that
share most of their places and people (the Watiya airbase taken in May and struck in July; an
offensive on Sirte, Sisi's Cairo declaration and his Sirte-Jufra "red line" in June; the August
ceasefire), plus four single-article events. About a third carry no publication date in their
metadata, so the dates in their text must place them. tests/data/events/labels.toml says which
event each article reports.

The test indexes the set, asks the library for its events as the app and the CLI do, and
measures the grouping pair by pair: precision (of the pairs put together, how many the labels
put together) and recall (of the pairs the labels put together, how many were put together).
Run with ``-s`` to see the figures and the confusion table (label x event found); the scoring
is :mod:`tests.bench.event_quality`'s, which measures any labelled corpus the same way.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.events.event import Event
from reader.core.library import Library
from reader.core.sources.article import Article
from tests.bench.event_quality import Background, background, confusion, measure
from tests.conftest import write_config

DATA = Path(__file__).parent / "data" / "events"
LABELS: dict[str, str] = tomllib.loads((DATA / "labels.toml").read_text("utf-8"))["labels"]


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Article], list[Event]]:
    folder = tmp_path_factory.mktemp("events-quality")
    with Library(load_config(write_config(folder, corpus=str(DATA / "articles")))) as library:
        library.update()
        articles = library.articles()
        return articles, library.events(articles=articles)


def test_the_labelled_set_is_what_the_docstring_says(
    grouped: tuple[list[Article], list[Event]],
) -> None:
    articles, _events = grouped
    assert {a.id for a in articles} == set(LABELS)
    by_event = Counter((LABELS[a.id], a.lang) for a in articles)
    events = {lb for lb in LABELS.values() if not lb.startswith("n-")}
    assert len(events) >= 6 and len(articles) >= 60
    assert all(by_event[e, "en"] >= 4 and by_event[e, "ar"] >= 4 for e in events)
    undated = sum(a.published is None for a in articles)
    assert len(articles) / 4 <= undated <= len(articles) / 2


def test_grouping_precision_recall_and_cross_language_pairs(
    grouped: tuple[list[Article], list[Event]],
) -> None:
    articles, events = grouped
    found = {a: e.id for e in events for a in e.article_ids}
    assert set(found) == set(LABELS)
    quality = measure(LABELS, found, {a.id: a.lang for a in articles})
    print(f"\nevents found: {len(events)}; labelled: {len(set(LABELS.values()))}")
    print("\n".join(quality.lines()))
    print(confusion(LABELS, found))
    assert quality.precision >= 0.9
    assert quality.recall >= 0.9
    assert not quality.cross_missed, quality.cross_missed[:10]


def test_background_counts_what_joins_the_articles_no_label_names() -> None:
    labels = {"a1": "x", "a2": "x", "b1": "y", "c1": "z"}
    found = {
        "a1": "e1",
        "a2": "e1",  # a labelled event alone: nothing joined
        "b1": "e2",
        "o1": "e2",  # a labelled article joined by other coverage
        "c1": "e3",  # alone
        "o2": "e4",
        "o3": "e4",  # other coverage grouped among itself
        "o4": "e5",  # alone
    }
    counted = background(labels, found)
    assert counted == Background(labelled=4, joined=1, others=4, grouped=3, among_themselves=1)
    assert counted.lines()[0] == "labelled articles grouped with unlabelled ones: 1/4"
