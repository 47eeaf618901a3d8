"""The empty box's order (every article, newest first) is made from whole columns, not by
Whoosh's sorted search, which called a key per document (at 50,000 articles 460 ms of CPU,
in the way of the first keystroke after clearing the box); the order is the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import query as wq
from whoosh import sorting

from reader.core.config import load_config
from reader.core.search import hits as hits_module
from reader.core.search.index import update_index
from reader.core.search.searcher import Searcher
from tests.conftest import write_config


def whoosh_order(searcher: Searcher) -> list[int]:
    """The order as Whoosh's sorted search gives it (what the app used before)."""
    order: list[int] = []
    newest = sorting.MultiFacet(
        [sorting.FieldFacet("published", reverse=True), sorting.FieldFacet("id")]
    )
    for dated, facet in (("yes", newest), ("no", sorting.FieldFacet("id"))):
        found = searcher._searcher.search(
            wq.Every(), limit=None, sortedby=facet, filter=wq.Term("dated", dated)
        )
        order += [hit.docnum for hit in found]
    return order


@pytest.fixture
def dated_corpus(tmp_path: Path) -> Path:
    """Articles in two segments (two updates), some dated (several on the same day), some
    not, one deleted after it was indexed."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = write_config(tmp_path)

    def article(number: int) -> None:
        name = f"a{(number * 7919) % 1000:03d}_{number}"
        (corpus / f"{name}.txt").write_text(f"Title {number}\n\nBody {number}.\n", "utf-8")
        if number % 3:
            day = 1 + number % 5  # same days, many times over
            (corpus / f"{name}.toml").write_text(f"published = 2021-03-{day:02d}\n", "utf-8")

    for number in range(40):
        article(number)
    update_index(load_config(path))
    for number in range(40, 70):
        article(number)
    next(corpus.glob("a*_7.txt")).unlink()
    update_index(load_config(path))
    return path


def test_the_browse_order_is_whoosh_s_sorted_order(
    dated_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Searcher(load_config(dated_corpus)) as opened:
        assert len(list(opened._searcher.leaf_searchers())) >= 1
        expected = whoosh_order(opened)
        assert len(expected) == 69
        searched = {"sorted": 0}
        original = type(opened._searcher).search

        def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
            searched["sorted"] += kwargs.get("sortedby") is not None
            return original(self, *args, **kwargs)

        monkeypatch.setattr(type(opened._searcher), "search", counting)
        assert opened._browse_order() == expected
        assert searched["sorted"] == 0  # made from the columns
        ids = [opened._searcher.stored_fields(d)["id"] for d in expected]
        dated = [i for i in ids if int(i.split("_")[1]) % 3]
        assert ids[: len(dated)] == dated  # dated first


def test_without_the_columns_whoosh_sorts(
    dated_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hits_module, "browse_order", lambda searcher: None)
    with Searcher(load_config(dated_corpus)) as opened:
        expected = whoosh_order(opened)
        monkeypatch.setattr("reader.core.search.searcher.browse_order", lambda searcher: None)
        assert opened._browse_order() == expected
