"""The entity part of a pair weighed by the evidence its shared names give
(:func:`reader.core.events.scoring.entity_evidence`): two articles sharing only names that most
of a library's articles name are not taken for one event on a cosine alone."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from reader.core.events.scoring import (
    EVIDENCE_FLOOR,
    EVIDENCE_FULL,
    cosine,
    entity_evidence,
    fact_rarity,
)
from reader.core.events.similarity import Profile, Similarity

DAY = date(2024, 3, 5)
NOTHING: frozenset[date] = frozenset()


def _profile(article_id: str, entities: list[str]) -> Profile:
    return Profile(
        article_id,
        "en",
        DAY,
        Counter(entities),
        Counter({f"{article_id}-word": 1}),  # no word shared
        frozenset(),
        NOTHING,
        frozenset({DAY}),
        frozenset(),
        Counter(),
    )


def _library() -> Similarity:
    """60 articles of one day: 40 name Libya and Tripoli, 30 of those Haftar and Sirte too."""
    profiles = [_profile("two-a", ["libya", "tripoli"]), _profile("two-b", ["libya", "tripoli"])]
    profiles += [_profile(f"four-{k}", ["libya", "tripoli", "haftar", "sirte"]) for k in "ab"]
    for n in range(56):
        common = ["libya", "tripoli"] if n < 36 else []
        common += ["haftar", "sirte"] if n < 28 else []
        profiles.append(_profile(f"other-{n}", [*common, f"place-{n}"]))
    return Similarity(profiles)


def test_two_common_names_shared_give_less_than_their_cosine() -> None:
    similarity = _library()
    plain = cosine(
        dict(similarity.entity_weights("two-a")), dict(similarity.entity_weights("two-b"))
    )
    rarity = fact_rarity(40, 60)
    assert rarity < EVIDENCE_FLOOR  # named by two articles in three: counts as the floor
    expected = plain * (2 * EVIDENCE_FLOOR / EVIDENCE_FULL)
    assert similarity.score("two-a", "two-b").entities == pytest.approx(expected)
    assert similarity.score("two-a", "two-b").entities < 0.6 * plain


def test_four_names_shared_count_in_full_however_common() -> None:
    similarity = _library()
    plain = cosine(
        dict(similarity.entity_weights("four-a")), dict(similarity.entity_weights("four-b"))
    )
    assert similarity.score("four-a", "four-b").entities == plain


def test_entity_evidence_is_the_floored_sum_over_the_full_mark_at_most_one() -> None:
    assert entity_evidence([]) == 0.0
    assert entity_evidence([0.0]) == pytest.approx(EVIDENCE_FLOOR / EVIDENCE_FULL)
    assert entity_evidence([0.9]) == pytest.approx(0.9 / EVIDENCE_FULL)
    assert entity_evidence([1.0, 1.0]) == 1.0
    # the same float whatever the order
    rarities = [0.1, 0.7, 0.35, 0.41]
    assert entity_evidence(rarities) == entity_evidence(list(reversed(rarities)))
