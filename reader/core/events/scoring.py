"""The arithmetic of a pair's score, shared by every scorer (:class:`reader.core.events.
similarity.Similarity` and the stored table of :mod:`reader.core.events.store_scores`): the
weights of its parts, IDF and unit vectors, the facts part, the names part and how the parts
combine. Pure functions of numbers and small mappings; see :mod:`reader.core.events.similarity`
for what the parts mean.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

# Weights of the similarity's parts, for two articles in one language / in two languages.
SAME_LANGUAGE = {"entities": 0.55, "terms": 0.3, "facts": 0.15}
CROSS_LANGUAGE = {"entities": 0.7, "terms": 0.0, "facts": 0.3}
NAMES_FULL_SET = 50  # articles: below this, a name that few have is not fully telling
NAMES_WEIGHT = 1.0  # how much a cross-script names match counts towards the entity part
# The weight of the weakest entity (named by every article, once): each entity vector is taken
# to hold one more such entity that no other article names, so an article naming one common
# country is not a sure match for every other naming it (on real Gaza coverage, 52 articles, 6
# events: pairwise precision 0.677 -> 0.798, recall 0.593 -> 0.699 at threshold 0.3; better at
# every threshold from 0.2 to 0.45).
ENTITY_PRIOR = 1.0
# Articles: a fact stated by more than this many is less telling (real Gaza coverage: pairwise
# precision 0.753 -> 0.798 and recall 0.659 -> 0.699 at 0.3, once the companion rule made more
# tolls coincide; the project's labelled set unchanged at 1.0 / 1.0).
FACT_COMMON = 10
# How much evidence the entities two articles share give: each counts as much as it is rare
# (:func:`fact_rarity` of its document frequency), and at least EVIDENCE_FLOOR however common;
# the entity part counts in full from EVIDENCE_FULL on (:func:`entity_evidence`). A cosine alone
# is as high for two articles sharing two names every article of a beat names as for two sharing
# five. Chosen (of four settings) on 89 real English and Arabic reports of 16 events (Gaza,
# Sudan, Syria, the 2023 earthquakes; session 16): pairwise precision 0.660 -> 0.822, recall
# 0.660 -> 0.708 at 0.3, English–Arabic pairs together 116 -> 123 of 183; with 18 reports of
# three same-day events added after (107): 0.532 -> 0.850 and 0.710 -> 0.729, 142 -> 146 of 207.
# The project's labelled set unchanged at 1.0 / 1.0 (150 of 150).
EVIDENCE_FLOOR = 0.34
EVIDENCE_FULL = 1.25


@dataclass(frozen=True, slots=True)
class PairScore:
    """The similarity of two articles and its parts (each 0..1); ``days``: how far apart
    their *when* dates are (None when either is undated). For an English–Arabic pair,
    ``entities`` holds the names the gazetteer does not know too (1 - (1 - entities) x
    (1 - :meth:`Similarity.names_score`)); ``shared_entities`` only gazetteer keys."""

    a: str
    b: str
    score: float
    entities: float
    terms: float
    facts: float
    date_factor: float
    shared_entities: tuple[str, ...]
    days: int | None = None


def inverse_df(df: int, n: int) -> float:
    """The IDF of a feature ``df`` of ``n`` articles have (smoothed; at least 1)."""
    return math.log((n + 1) / (df + 1)) + 1.0


def idf_table(n: int) -> list[float]:
    """:func:`inverse_df` of every document frequency 0..``n`` over ``n`` articles (a feature's
    IDF depends on its frequency alone: one list for every feature, not one float for each)."""
    return [inverse_df(d, n) for d in range(n + 1)]


_TF_KEPT = 256
_TF = [0.0] + [1 + math.log(c) for c in range(1, _TF_KEPT)]  # log-TF of small counts


def unit_vector(
    counts: Iterable[tuple[str, int]],
    idf: Sequence[float],
    df: Counter[str],
    keep: int | None = None,
    prior: float = 0.0,
) -> dict[str, float]:
    """Log-TF x IDF weights of ``counts`` ((feature, count) pairs) scaled to unit length
    (``idf``: the IDF of a feature by its document frequency in ``df``: :func:`idf_table`),
    leaving out features no other article has (they never add to a cosine); with ``keep``,
    only the ``keep`` heaviest of the rest.
    ``prior``: a weight every vector is taken to have on a feature no other has, so a vector
    of one or two features (an article naming only "the United States") is not a
    sure match for every other naming it: their cosine is at most ``w^2 / (w^2 + prior^2)``."""
    tf = _TF
    vec = {k: (tf[c] if c < _TF_KEPT else 1 + math.log(c)) * idf[df[k]] for k, c in counts if c > 0}
    norm = math.sqrt(sum(v * v for v in vec.values()) + prior * prior) or 1.0
    shared = [(k, v) for k, v in vec.items() if df[k] >= 2]
    if keep is not None and len(shared) > keep:
        # Heaviest first, ties by key: two sorts on C-level keys (the second one is stable).
        shared.sort(key=itemgetter(0))
        shared.sort(key=itemgetter(1), reverse=True)
        del shared[keep:]
    return {k: v / norm for k, v in shared}


def same_language(a: str, b: str) -> bool:
    """True when two articles' languages make their words comparable."""
    return a == b and a != "other"


def fact_rarity(df: int, n: int) -> float:
    """How telling a fact that ``df`` of ``n`` articles state is (0..1): 1 up to
    :data:`FACT_COMMON` articles (the coverage of one event), less beyond, as a figure many
    articles give ("5 killed") may be a coincidence across events."""
    size = max(n, NAMES_FULL_SET)  # a small set is taken as one of 50: its facts are telling
    top = inverse_df(FACT_COMMON, size) - 1
    return min(1.0, max(0.0, (inverse_df(df, size) - 1) / top))


def entity_evidence(rarities: Iterable[float]) -> float:
    """What the entity cosine of a pair is multiplied by (0..1], from the rarity
    (:func:`fact_rarity`) of each entity the two articles share: the sum of each rarity, at
    least :data:`EVIDENCE_FLOOR`, over :data:`EVIDENCE_FULL`, at most 1. Exactly rounded
    (fsum), so the same float whatever the order of ``rarities``."""
    return min(1.0, math.fsum(max(EVIDENCE_FLOOR, r) for r in rarities) / EVIDENCE_FULL)


def evidenced_cosine(
    a: Mapping[str, float], b: Mapping[str, float], rarity: Callable[[str], float]
) -> float:
    """:func:`cosine` of two entity vectors times :func:`entity_evidence` of the rarity of
    each entity they share (``rarity``: of a key), the shared keys found once."""
    shared = a.keys() & b.keys()
    if not shared:
        return 0.0
    return cosine_of([a[k] * b[k] for k in shared]) * entity_evidence(map(rarity, shared))


def facts_part(rarities: Iterable[float]) -> float:
    """The facts part of a pair's score when both state facts: each fact they share is
    independent evidence as strong as it is rare (:func:`fact_rarity`), half a certainty
    for a fully telling one: 1 - prod(1 - rarity / 2). In a fixed order, so the float is
    the same whatever the set order."""
    missed = 1.0
    for rarity in sorted(rarities):
        missed *= 1 - 0.5 * rarity
    return 1 - missed


def combine(same: bool, ent: float, terms: float, facts: float, both_named: bool) -> float:
    """A pair's score before the date factor, from its parts: the one formula every scorer
    uses (:class:`Similarity` and the stored table of :mod:`reader.core.events.store_scores`).
    ``both_named``: both articles name an entity the gazetteer knows."""
    w = SAME_LANGUAGE if same else CROSS_LANGUAGE
    if same and not both_named:
        # The gazetteer knows no name in one of them: the entity part is unknown, not a
        # mismatch (a story outside the gazetteer's world); words and facts decide.
        return (w["terms"] * terms + w["facts"] * facts) / (w["terms"] + w["facts"])
    return w["entities"] * ent + w["terms"] * terms + w["facts"] * facts


def names_count(a: str, b: str) -> bool:
    """True when the names the gazetteer does not know count for a pair of articles in
    languages ``a`` and ``b`` (an English and an Arabic one)."""
    return {a, b} == {"en", "ar"}


def with_names(ent: float, names: float) -> float:
    """The entity part of an English–Arabic pair with its names part (see
    :meth:`Similarity.names_score`) folded in as independent evidence."""
    return 1 - (1 - ent) * (1 - NAMES_WEIGHT * names)


def cosine_of(products: Iterable[float]) -> float:
    """A dot product from its terms, exactly rounded: the same float whatever their order."""
    return math.fsum(products)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two unit vectors; fsum, so the result does not depend on set order."""
    shared = a.keys() & b.keys()
    return cosine_of([a[k] * b[k] for k in shared]) if shared else 0.0
