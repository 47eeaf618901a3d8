"""The vectorised path's phrases (:mod:`reader.core.search.vector_phrases`): computed from
what the caller hands over (its searcher's segments, its scored lists, its work counter),
the documents and scores Whoosh's ``Phrase`` gives; :class:`VectorIndex` caches them with
the terms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import query as wq

from reader.core.config import load_config
from reader.core.search.postings import DirectTerms
from reader.core.search.searcher import Searcher
from reader.core.search.vector import VectorIndex
from reader.core.search.vector_gate import Unsupported
from reader.core.search.vector_phrases import phrase, phrase_key
from tests.test_postings_file import phrase_config as phrase_config
from tests.test_search_vector import _whoosh_scores


def test_a_phrase_from_explicit_parts_is_whoosh_s_phrase(phrase_config: Path) -> None:
    """Each word's scored list is asked of ``term`` once; the work is told to ``tick``."""
    with Searcher(load_config(phrase_config)) as opened:
        ws = opened._searcher
        leaves = list(ws.leaf_searchers())
        vector = VectorIndex(ws)  # the scored lists, as the path reads them
        asked: list[tuple[str, Any]] = []
        ticks: list[int] = []

        def term(fieldname: str, word: Any) -> Any:
            asked.append((fieldname, word))
            return vector._term(fieldname, word)

        for words in (["alpha", "beta"], ["beta", "alpha"], ["alpha", "nothing"]):
            asked.clear()
            q = wq.Phrase("body", words)
            docs, scores = phrase(
                q,
                searcher=ws,
                leaves=leaves,
                direct=DirectTerms(ws, leaves),
                term=term,
                tick=ticks.append,
            )
            want = _whoosh_scores(opened, q)
            assert docs.tolist() == sorted(want)
            assert dict(zip(docs.tolist(), scores.tolist(), strict=True)) == pytest.approx(
                want, rel=1e-12
            )
            assert asked == [("body", w) for w in words]
        assert ticks  # the positions read were counted
        with pytest.raises(Unsupported):  # no positions kept: Whoosh's matchers answer
            phrase(
                wq.Phrase("id", ["a", "b"]),
                searcher=ws,
                leaves=leaves,
                direct=DirectTerms(ws, leaves),
                term=term,
                tick=ticks.append,
            )


def test_a_phrase_searched_again_is_read_from_the_cache(phrase_config: Path) -> None:
    with Searcher(load_config(phrase_config)) as opened:
        vector = VectorIndex(opened._searcher)
        q = wq.Phrase("body", ["alpha", "beta"])
        first = vector.top(q, 10)
        read = vector.lists_read
        assert phrase_key(q) in vector._cache and read == 2
        steps: list[int] = []
        vector.tick = steps.append
        assert vector.top(q, 10) == first
        assert vector.lists_read == read and steps == [1]  # one cache look-up, nothing read
