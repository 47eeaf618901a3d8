"""Placing new articles in an incremental update (reader.core.events.placing): each is scored
against exactly the articles the full pass's inverted lists pair it with, and the lists made
are only those of the features the new articles' signatures hold.

The profiles are those of tests/test_event_pairs.py: a few hundred articles in English, Arabic
and a third language naming entities, words, facts and names from small pools, dated over a
year or not at all.
"""

from __future__ import annotations

import random

import pytest

from reader.core.events.placing import Signatures, assign
from reader.core.events.similarity import ALL_PAIRS_UP_TO, Similarity
from tests.test_event_pairs import _profiles


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_candidates_of_each_article_are_the_pairs_of_the_full_pass(seed: int) -> None:
    profiles = _profiles(seed)
    assert len(profiles) > ALL_PAIRS_UP_TO
    similarity = Similarity(profiles)
    pairs = similarity.candidate_pairs()
    partners: dict[str, set[str]] = {p.article_id: set() for p in profiles}
    for a, b in pairs:
        partners[a].add(b)
        partners[b].add(a)
    fresh = sorted(random.Random(seed).sample(sorted(partners), 40))
    signatures = Signatures(similarity, fresh)
    everyone = dict.fromkeys(partners, 0)
    found = 0
    for article_id in fresh:
        candidates = signatures.candidates(article_id, everyone)
        assert candidates == sorted(partners[article_id]), article_id
        found += len(candidates)
    assert found > 40  # the pools make most articles share something with a few others


def test_only_the_lists_of_the_new_articles_features_are_made() -> None:
    profiles = _profiles(4)
    similarity = Similarity(profiles)
    fresh = [profiles[7].article_id, profiles[90].article_id]
    signatures = Signatures(similarity, fresh)
    held = set().union(*(signatures.signature(i) for i in fresh))
    assert held
    assert set(signatures._holders) == held
    for (kind, key), holders in signatures._holders.items():
        assert len(holders) == len(set(holders))  # each article listed once
        assert all(key in signatures._keys[kind][i] for i in holders)


def test_assigned_articles_join_the_cluster_the_scores_choose() -> None:
    profiles = _profiles(5)
    similarity = Similarity(profiles)
    ids = [p.article_id for p in profiles]
    fresh = ids[-30:]
    clusters = [[i] for i in ids[:-30]]  # every article placed so far alone
    touched: set[int] = set()
    assign(fresh, clusters, touched, similarity, threshold=0.0001)
    where = {i: n for n, c in enumerate(clusters) for i in c}
    assert sorted(where) == sorted(ids)  # every article placed once
    joined = [i for i in fresh if len(clusters[where[i]]) > 1]
    assert joined  # some joined an article they share features with
    for article_id in joined:
        n = where[article_id]
        assert n in touched
        others = [o for o in clusters[n] if o != article_id]
        assert any(similarity.score(article_id, o).score > 0 for o in others)
