"""The similarity reads each spooled profile's words no more than it must (the spool reads
them back from disk each time)."""

from __future__ import annotations

from collections.abc import Iterator


def test_the_similarity_reads_each_article_s_spooled_words_twice() -> None:
    """Once for the document frequencies, once for the vector and the candidate words
    together (the spool reads them back from disk each time)."""
    from collections import Counter
    from collections.abc import Mapping

    from reader.core.events.features import profile
    from reader.core.events.similarity import ALL_PAIRS_UP_TO, Similarity, WordCounts
    from reader.core.names.gazetteer import load_gazetteer
    from tests.test_events_build_work import _articles

    gazetteer = load_gazetteer()
    profiles = [profile(a, gazetteer) for a in _articles(ALL_PAIRS_UP_TO + 30)]
    reads: Counter[str] = Counter()

    class Words(Mapping[str, WordCounts]):
        def __getitem__(self, key: str) -> WordCounts:
            reads[key] += 1
            p = next(p for p in profiles if p.article_id == key)
            return WordCounts(tuple(p.terms), tuple(p.terms.values()))

        def __iter__(self) -> Iterator[str]:
            return (p.article_id for p in profiles)

        def __len__(self) -> int:
            return len(profiles)

    similarity = Similarity(profiles, Words())
    assert set(reads.values()) == {2}
    whole = Similarity(profiles)
    a, b = profiles[0].article_id, profiles[6].article_id
    assert similarity.score(a, b) == whole.score(a, b)
