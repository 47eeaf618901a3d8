"""Finding the pairs a large set's grouping scores (reader.core.events.pairs): the same edges as
scoring every candidate pair, for a fraction of the work.

The profiles are made here directly (no text to profile): a few hundred articles in English,
Arabic and a third language, dated over a year or not at all, naming entities, words, facts and
names from small pools so that many pairs share something and most are weeks apart (as in a
newsroom's corpus, where the candidate search finds pairs that share a name or two).
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.events import similarity as similarity_module
from reader.core.events.day_distance import DATE_FLOOR, DAYS_SCALE
from reader.core.events.features import SAME_DAYS
from reader.core.events.grouping import EDGE_MINIMUM
from reader.core.events.pairs import may_reach, pairs_sharing
from reader.core.events.similarity import ALL_PAIRS_UP_TO, Profile, Similarity

START = date(2024, 1, 1)
# Names that are one name in the two scripts (matched by transliteration).
NAMES = [("Haniyeh", "هنية"), ("Tehran", "طهران"), ("Barghal", "برغل"), ("Sinwar", "السنوار")]


def _profiles(seed: int, count: int = 320) -> list[Profile]:
    rng = random.Random(seed)
    # Ten campaigns of stories naming the same few people and places, weeks apart.
    campaigns = [rng.sample(range(60), 5) for _ in range(10)]
    stories = [
        (
            rng.sample(campaigns[rng.randrange(10)], 3),  # entities
            rng.sample(range(400), 12),  # words
            rng.sample(range(40), 3),  # facts
            START + timedelta(days=rng.randrange(365)),
        )
        for _ in range(count // 2)
    ]
    found = []
    for n in range(count):
        ents, words, facts, day = stories[rng.randrange(len(stories))]
        lang = rng.choice(["en", "en", "ar", "other"])
        entities = Counter({f"e{rng.choice(ents) if rng.random() < 0.7 else rng.randrange(60)}": 1})
        for _ in range(rng.randrange(4)):
            entities[f"e{rng.choice(ents)}"] += 1
        terms = Counter(
            f"{lang}-{rng.choice(words) if rng.random() < 0.6 else rng.randrange(400)}"
            for _ in range(rng.randrange(1, 15))
        )
        stated = frozenset(f"f{rng.choice(facts)}" for _ in range(rng.randrange(4)))
        dated = rng.random()
        when = frozenset() if dated < 0.15 else frozenset({day + timedelta(rng.randrange(3))})
        no_year = frozenset({(day.month, day.day)}) if dated < 0.07 else frozenset()
        latin, arabic = NAMES[rng.randrange(len(NAMES))]
        names = Counter({latin if lang == "en" else arabic: 1}) if lang != "other" else Counter()
        if n % 50 == 0 and found:  # an exact copy of another article, under a new id
            copy = found[-1]
            found.append(Profile(f"a{n:04d}", *_fields(copy)))
            continue
        if n % 41 == 0:
            entities = Counter()  # names nothing the gazetteer knows
        found.append(
            Profile(
                f"a{n:04d}",
                lang,
                min(when) if when else None,
                entities,
                terms,
                stated,
                when,
                when,
                no_year,
                names,
            )
        )
    return found


def _fields(p: Profile) -> tuple[object, ...]:
    return (
        p.lang,
        p.published,
        p.entities,
        p.terms,
        p.facts,
        p.dates,
        p.when,
        p.when_no_year,
        p.names,
    )


def _every_candidate(similarity: Similarity, minimum: float) -> list[tuple[str, str, float]]:
    """What edges() gave when it scored every candidate pair in full."""
    kept = []
    for a, b in similarity.candidate_pairs():
        score = similarity.score(a, b).score
        if score >= minimum:
            kept.append((a, b, score))
    kept.sort(key=lambda e: (-e[2], e[0], e[1]))
    return kept


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("minimum", [0.0, EDGE_MINIMUM, 0.3])
def test_edges_are_those_of_scoring_every_candidate(seed: int, minimum: float) -> None:
    similarity = Similarity(_profiles(seed))
    assert similarity._n > ALL_PAIRS_UP_TO  # the large-set path
    assert similarity.edges(minimum) == _every_candidate(similarity, minimum)


def test_edges_score_in_full_only_the_pairs_that_may_reach_the_minimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Most candidate pairs are weeks apart: a date factor at its floor leaves them below the
    # minimum whatever their words say, and they are not scored in full.
    similarity = Similarity(_profiles(4))
    candidates = similarity.candidate_pairs()
    scored: list[tuple[str, str]] = []
    parts = Similarity._parts

    def counted(self: Similarity, a: str, b: str) -> tuple[float, float, float, float, float]:
        scored.append((a, b))
        return parts(self, a, b)

    monkeypatch.setattr(Similarity, "_parts", counted)
    edges = similarity.edges(EDGE_MINIMUM)
    assert len(candidates) > 1000
    assert len(edges) <= len(scored) < len(candidates) * 0.6
    assert {(a, b) for a, b, _s in edges} <= set(scored)


@pytest.mark.parametrize("seed", [5, 6])
def test_the_bound_never_drops_a_pair_reaching_the_minimum(seed: int) -> None:
    # Over every pair of the set (not only the candidates), at several minimums.
    similarity = Similarity(_profiles(seed, 260))
    ids = sorted(similarity.profiles)
    bounds = similarity._bounds(ids)
    pairs = list(combinations(range(len(ids)), 2))
    first = np.array([a for a, _b in pairs])
    second = np.array([b for _a, b in pairs])
    scores = np.array([similarity.score(ids[a], ids[b]).score for a, b in pairs])
    assert scores.max() > 0.9  # the copies
    for minimum in (0.01, EDGE_MINIMUM, 0.2, 0.5, 0.9):
        keep = may_reach(
            first,
            second,
            bounds,
            minimum,
            (similarity_module.SAME_LANGUAGE, similarity_module.CROSS_LANGUAGE),
            SAME_DAYS,
            DAYS_SCALE,
            DATE_FLOOR,
        )
        assert keep[scores >= minimum].all()
        assert not keep.all()  # and it does drop some


def _counted(
    ids: list[str], postings: list[list[str]], extra: dict[tuple[str, str], int]
) -> set[tuple[str, str]]:
    """The pairs counted one by one, as the candidate search did before numpy."""
    shared: Counter[tuple[str, str]] = Counter()
    for held in postings:
        weight = 2 if len(held) <= 3 else 1
        for a, b in combinations(sorted(held), 2):
            shared[a, b] += weight
    for pair, weight in extra.items():
        shared[pair] += weight
    return {pair for pair, count in shared.items() if count >= 2}


@settings(max_examples=300, deadline=None)
@given(
    st.integers(2, 30).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.sets(st.integers(0, n - 1), min_size=1, max_size=n), max_size=25),
            st.dictionaries(
                st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(
                    lambda t: t[0] < t[1]
                ),
                st.integers(0, 3),
                max_size=8,
            ),
        )
    )
)
def test_pairs_are_counted_as_one_by_one(case: tuple[int, list[set[int]], dict]) -> None:
    n, lists, links = case
    ids = [f"id{i:03d}" for i in range(n)]
    postings = [[ids[i] for i in sorted(held, reverse=True)] for held in lists]
    extra = {(ids[a], ids[b]): w for (a, b), w in links.items()}
    first, second = pairs_sharing(ids, postings, extra)
    found = {(ids[a], ids[b]) for a, b in zip(first.tolist(), second.tolist(), strict=True)}
    assert found == _counted(ids, postings, extra)


def test_pairs_sharing_holds_no_weight_for_each_pair() -> None:
    """The raw pairs of every list are held once (8 bytes a pair while sorted), not with a
    weight each and again when made unique: at 50,000 articles that took 430 MB."""
    import tracemalloc

    n = 3000
    ids = [f"id{i:05d}" for i in range(n)]
    rng = random.Random(7)
    postings = [rng.sample(ids, rng.randint(4, 60)) for _ in range(2000)]
    postings += [rng.sample(ids, rng.randint(2, 3)) for _ in range(2000)]
    pairs = sum(len(p) * (len(p) - 1) // 2 for p in postings)
    tracemalloc.start()
    try:
        first, _second = pairs_sharing(ids, postings, {})
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first.size > 0
    assert peak < 45 * pairs, (peak, pairs)  # gathered with their weights: 73 bytes a pair


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 40).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.sets(st.integers(0, n - 1), min_size=1, max_size=n), max_size=25),
            st.dictionaries(
                st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(
                    lambda t: t[0] < t[1]
                ),
                st.integers(0, 3),
                max_size=8,
            ),
            st.integers(1, 60),
        )
    )
)
def test_pairs_counted_a_range_of_first_articles_at_a_time_are_the_same(
    case: tuple[int, list[set[int]], dict, int],
) -> None:
    from reader.core.events import pairs

    n, lists, links, block = case
    ids = [f"id{i:03d}" for i in range(n)]
    postings = [[ids[i] for i in sorted(held, reverse=True)] for held in lists]
    extra = {(ids[a], ids[b]): w for (a, b), w in links.items()}
    whole = pairs_sharing(ids, postings, extra)
    saved = pairs.BLOCK_PAIRS
    pairs.BLOCK_PAIRS = block
    try:
        first, second = pairs_sharing(ids, postings, extra)
    finally:
        pairs.BLOCK_PAIRS = saved
    assert first.tolist() == whole[0].tolist()
    assert second.tolist() == whole[1].tolist()
    found = {(ids[a], ids[b]) for a, b in zip(first.tolist(), second.tolist(), strict=True)}
    assert found == _counted(ids, postings, extra)
