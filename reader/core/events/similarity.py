"""How alike two articles are: the score of a pair (:class:`Similarity`) over the features of
each article (:class:`Profile`, :func:`profile`: :mod:`reader.core.events.features`, re-exported
here), used by :mod:`reader.core.events.grouping` to group events.

Two articles are similar when they name the same rare entities (weighted by IDF over the
corpus, so "Libya" counts for little in a Libyan corpus), report the same numbers and dates,
share rare words (within one language), and happened close together in time. Within one
language, a pair where one article names no entity the gazetteer knows (a story outside its
world) is scored on words and facts alone: an unknown is not a mismatch. English–Arabic
pairs share no words, so they are scored on entities and on the content both state in a form
that does not depend on the language (numbers with their kind, days of the month); the names
the gazetteer does not know (:mod:`reader.core.names.unknown`: Haniyeh / هنية, Tehran / طهران)
are matched by transliteration and count towards the entity part, each as strongly as it is
rare in the set (:meth:`Similarity.names_score`, from :mod:`reader.core.events.names_part`).

Time: each article gets *when* dates (:attr:`Profile.when`; see :mod:`reader.core.events.features`).
Two articles whose *when* dates are more than
:data:`SAME_DAYS` days apart get their score multiplied by a factor below 1 that shrinks with
the distance: names shared weeks apart (the same airbase taken in May and bombed in July) are
two events. The factor never exceeds 1, so time only ever lowers what the entities, words and
facts say; an article with no date at all is not penalised.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import combinations
from typing import Any, NamedTuple

from reader.core.events.day_distance import DATE_FLOOR as DATE_FLOOR
from reader.core.events.day_distance import DAYS_SCALE as DAYS_SCALE
from reader.core.events.day_distance import date_factor as date_factor
from reader.core.events.day_distance import days_apart as days_apart
from reader.core.events.features import Profile as Profile
from reader.core.events.features import profile as profile
from reader.core.events.pair_search import ALL_PAIRS_UP_TO as ALL_PAIRS_UP_TO
from reader.core.events.pair_search import SIGNATURE, PairSearch, by_id
from reader.core.events.pair_search import candidate_cap as candidate_cap
from reader.core.events.pair_search import usable_words as usable_words
from reader.core.events.scoring import CROSS_LANGUAGE as CROSS_LANGUAGE
from reader.core.events.scoring import (
    ENTITY_PRIOR,
    cosine,
    evidenced_cosine,
    idf_table,
    unit_vector,
)
from reader.core.events.scoring import SAME_LANGUAGE as SAME_LANGUAGE
from reader.core.events.scoring import PairScore as PairScore
from reader.core.events.scoring import combine as combine
from reader.core.events.scoring import cosine_of as cosine_of
from reader.core.events.scoring import fact_rarity as fact_rarity
from reader.core.events.scoring import facts_part as facts_part
from reader.core.events.scoring import names_count as names_count
from reader.core.events.scoring import same_language as same_language
from reader.core.events.scoring import with_names as with_names

TERMS_KEPT = 100  # above ALL_PAIRS_UP_TO: an article's heaviest shared words
_AT_MOST = 1.0 + 1e-9  # a cosine of unit vectors, with room for rounding (Similarity._may_reach)


class WordCounts(NamedTuple):
    """The word counts of a profile, apart from it: its words (in its counter's order) and
    their counts (parallel)."""

    words: Sequence[str]
    counts: Sequence[int]


# A profile's word vector packed (its words, their weights) and its words' signature.
TermVector = tuple[tuple[str, ...], "array[float]", tuple[str, ...]]


def term_vector(
    counts: Sequence[tuple[str, int]],
    idf: Sequence[float],
    df: Counter[str],
    usable_df: Mapping[str, int],
) -> TermVector:
    """The word vector of a profile of a large set (its :data:`TERMS_KEPT` heaviest shared
    words, packed) and the words of it the candidate search looks at (the
    ``SIGNATURE["t"]`` rarest of those ``usable_df`` holds, :meth:`Similarity.usable`),
    from its word ``counts`` (in its counter's order), the set's ``idf`` table and ``df``."""
    words, weights = _packed(unit_vector(counts, idf, df, TERMS_KEPT))
    usable = sorted((usable_df[k], k) for k, _c in counts if k in usable_df)
    return words, weights, tuple(k for _d, k in usable[: SIGNATURE["t"]])


def _packed(vector: dict[str, float]) -> tuple[tuple[str, ...], array[float]]:
    """A vector as (its keys, their weights), in its order."""
    return tuple(vector), array("d", vector.values())


def _last_pairs(ids: Sequence[str], first: Any, second: Any) -> Iterator[Sequence[str]]:
    """For each pair (``ids[first[i]]``, ``ids[second[i]]``), in order, the articles whose
    last pair came before it (let go then), made a slice at a time."""
    import numpy as np

    count = len(first)
    last = np.full(len(ids), -1, dtype=np.int64)
    at = np.arange(count, dtype=np.int64)
    np.maximum.at(last, first, at)
    np.maximum.at(last, second, at)
    # Pair i lets go of the articles whose last pair is i - 1.
    ending = np.argsort(last, kind="stable")
    ending = ending[last[ending] >= 0]
    bounds = np.searchsorted(last[ending], np.arange(-1, count - 1), side="left")
    tops = np.searchsorted(last[ending], np.arange(-1, count - 1), side="right")
    step = 1 << 16
    for start in range(0, count, step):
        lows, highs = bounds[start : start + step].tolist(), tops[start : start + step].tolist()
        for low, high in zip(lows, highs, strict=True):
            yield [ids[n] for n in ending[low:high].tolist()] if high > low else ()


class Similarity(PairSearch):
    """Pairwise similarity over one set of articles (IDF is computed over that set); the
    names part of English–Arabic pairs is :class:`NamesPart`'s."""

    def __init__(
        self,
        profiles: Sequence[Profile],
        terms: Mapping[str, WordCounts] | None = None,
        names: Mapping[str, tuple[str, ...]] | None = None,
        term_df: Counter[str] | None = None,
        made: Callable[[], Sequence[TermVector] | None] | None = None,
    ) -> None:
        """IDF, vectors and document frequencies over ``profiles``. ``terms``: each profile's
        word counts, when its ``terms`` were let go (:class:`WordCounts`: the words in the
        order of the profile's counter, and their counts), read here and not kept.
        ``names``: each profile's names (in the order of its counter; their counts are not
        read), when its ``names`` were let go (a tuple takes a third of a counter's room),
        kept and read in their place. ``term_df``: with ``terms``, how many of the profiles
        have each word, when the caller counted them as it kept the profiles (taken as it
        is: each profile's words are then read once, not twice). ``made``: with ``terms``
        and ``term_df`` in a large set, what gives each profile's :func:`term_vector` (in
        order) made elsewhere from the same counts (a worker process), or None when it could
        not: asked for once the entity vectors are made (else they are made here)."""
        self.profiles = {p.article_id: p for p in profiles}
        n = len(profiles)

        def counts(p: Profile) -> Iterable[tuple[str, int]]:
            if terms is None:
                return p.terms.items()
            words, numbers = terms[p.article_id]
            return zip(words, numbers, strict=True)

        counted = terms is not None and term_df is not None
        words = term_df if term_df is not None and counted else Counter()
        self._df: dict[str, Counter[str]] = {"e": Counter(), "t": words, "f": Counter()}
        for p in profiles:
            self._df["e"].update(p.entities.keys())
            if not counted:
                words_of = terms[p.article_id][0] if terms is not None else p.terms.keys()
                self._df["t"].update(words_of)
            self._df["f"].update(p.facts)
        self._n = n
        # IDF by document frequency (the same float inverse_df gives each feature).
        self._idf = idf = idf_table(n)
        self._ent = {
            p.article_id: unit_vector(p.entities.items(), idf, self._df["e"], prior=ENTITY_PRIOR)
            for p in profiles
        }
        # Small sets are scored exactly; large ones keep each article's heaviest shared words.
        keep = None if n <= ALL_PAIRS_UP_TO else TERMS_KEPT
        # Each article's word vector packed (its words, their weights in an array: 16 bytes a
        # word, not some 60 in a dict of floats); unpacked when a pair is scored.
        # Without the profiles' words: the words of each the candidate search looks at
        # (worked out from the same reading of each profile's words as its vector).
        self._term_signature: dict[str, tuple[str, ...]] = {}
        signatures = terms is not None and n > ALL_PAIRS_UP_TO
        self._keep_names(profiles, names)  # see NamesPart (before: the vectors may be coming)
        self._terms = {}
        vectors = made() if made is not None and signatures and counted else None
        if vectors is not None:
            for p, (kept, weights, signature) in zip(profiles, vectors, strict=True):
                self._terms[p.article_id] = (kept, weights)
                self._term_signature[p.article_id] = signature
        elif signatures:
            usable_df = self.usable("t")
            for p in profiles:
                kept, weights, signature = term_vector(
                    list(counts(p)), idf, self._df["t"], usable_df
                )
                self._terms[p.article_id] = (kept, weights)
                self._term_signature[p.article_id] = signature
        else:
            for p in profiles:
                vector = unit_vector(counts(p), idf, self._df["t"], keep)
                self._terms[p.article_id] = _packed(vector)
        del vectors
        self._unpacked: tuple[str, dict[str, float]] = ("", {})  # the last one asked for
        self._edge_pairs: dict[float, tuple[list[str], Any, Any]] = {}  # see edge_pairs

    def fact_rarity(self, key: str) -> float:
        """How telling a fact is in this set (see :func:`fact_rarity`)."""
        return fact_rarity(self._df["f"][key], self._n)

    def entity_rarity(self, key: str) -> float:
        """How telling an entity is in this set (:func:`fact_rarity` of how many articles
        name it)."""
        return fact_rarity(self._df["e"][key], self._n)

    def entity_weight(self, key: str) -> float:
        """The IDF of an entity key over this set of articles."""
        return self._idf[self._df["e"][key]]

    def _parts(self, a: str, b: str) -> tuple[float, float, float, float, float]:
        """(score, entities, terms, facts, date factor) of two articles."""
        pa, pb = self.profiles[a], self.profiles[b]
        # weighed by how much evidence the shared names give (entity_evidence)
        ent = evidenced_cosine(self._ent[a], self._ent[b], self.entity_rarity)
        same = same_language(pa.lang, pb.lang)
        terms = cosine(self._term_dict(a), self.term_weights(b)) if same else 0.0
        facts = (
            facts_part([self.fact_rarity(f) for f in pa.facts & pb.facts])
            if pa.facts and pb.facts
            else 0.0
        )
        if names_count(pa.lang, pb.lang):
            # Names the gazetteer does not know, linked by transliteration, count as entities.
            ent = with_names(ent, self.names_score(a, b))
        factor = date_factor(days_apart(pa, pb))
        raw = combine(same, ent, terms, facts, bool(pa.entities and pb.entities))
        return raw * factor, ent, terms, facts, factor

    def score(self, a: str, b: str) -> PairScore:
        """The similarity of two articles of this set, with its parts."""
        score, ent, terms, facts, factor = self._parts(a, b)
        pa, pb = self.profiles[a], self.profiles[b]
        shared = sorted(
            set(pa.entities) & set(pb.entities), key=lambda k: (-self.entity_weight(k), k)
        )
        return PairScore(a, b, score, ent, terms, facts, factor, tuple(shared), days_apart(pa, pb))

    def weighted_terms(self, article_id: str) -> Iterator[tuple[str, float]]:
        """An article's word vector: (word, weight), in the order it was made."""
        words, weights = self._terms[article_id]
        return zip(words, weights, strict=True)

    def packed_terms(self, article_id: str) -> tuple[tuple[str, ...], array[float]]:
        """An article's word vector packed: (its words, their weights), in the order it
        was made: read-only."""
        return self._terms[article_id]

    def term_weights(self, article_id: str) -> dict[str, float]:
        """An article's word vector as a dict (see :meth:`weighted_terms`): a new dict, the
        caller's to keep."""
        return dict(self.weighted_terms(article_id))

    def _term_dict(self, article_id: str) -> dict[str, float]:
        """:meth:`term_weights`, kept for the next call (pairs come by their first article):
        read-only."""
        last_id, last = self._unpacked
        if last_id != article_id or not last_id:
            last = self.term_weights(article_id)
            self._unpacked = (article_id, last)
        return last

    def entity_weights(self, article_id: str) -> Mapping[str, float]:
        """An article's entity vector (key -> weight, in the order it was made): read-only."""
        return self._ent[article_id]

    def edges(self, minimum: float) -> list[tuple[str, str, float]]:
        """(a, b, score) of the candidate pairs scoring at least ``minimum``, best first. A
        pair is scored in full (:meth:`score`'s float) only when a bound from its cheap parts
        (date factor, facts, entities; see :meth:`_may_reach`) says it may reach ``minimum``:
        the same edges, with the same scores, as scoring every candidate. While the names
        part of English–Arabic pairs is being worked out elsewhere (:meth:`names_coming`),
        those pairs are scored last."""
        kept = []
        pairs: Iterable[tuple[str, str]]
        done: Iterable[Sequence[str]] = ()  # after each pair, the articles of no later pair
        if self._n <= ALL_PAIRS_UP_TO:
            pairs = combinations(sorted(self.profiles), 2)
        else:
            ids, first, second = self.edge_pairs(minimum)
            del self._edge_pairs[minimum]
            pairs = by_id(ids, first, second)
            # The names index of an article (made to score its English–Arabic pairs) let go
            # after its last pair: in a library of one beat most articles have such pairs.
            done = _last_pairs(ids, first, second)
        ends = iter(done)
        later: list[tuple[str, str]] = []  # English–Arabic pairs whose names part is coming
        for a, b in pairs:
            gone = next(ends, ())
            if gone:
                self.forget_names(gone)
            if self._coming and names_count(self.profiles[a].lang, self.profiles[b].lang):
                later.append((a, b))
            elif self._may_reach(a, b, minimum):
                score = self._parts(a, b)[0]
                if score >= minimum:
                    kept.append((a, b, score))
        # Those left for last, each article's names index (made only when the names part
        # was not worked out after all) let go after its last pair.
        last = {i: n for n, pair in enumerate(later) for i in pair}
        for n, (a, b) in enumerate(later):
            if self._may_reach(a, b, minimum):
                score = self._parts(a, b)[0]
                if score >= minimum:
                    kept.append((a, b, score))
            self.forget_names(i for i in (a, b) if last[i] == n)
        kept.sort(key=lambda e: (-e[2], e[0], e[1]))
        # The names indexes the scoring made (one for each article of an English–Arabic
        # pair scored: tens of MB at 50,000 articles) let go before the caller groups.
        self.forget_names()
        return kept

    def _may_reach(self, a: str, b: str, minimum: float) -> bool:
        """False only when the pair's score is surely below ``minimum``: its date factor,
        facts and entity parts are worked out as :meth:`_parts` does, the costly parts (the
        words' cosine, the names of an English–Arabic pair) are taken at their most (1, with
        a margin for rounding). Most candidate pairs of a large set are weeks apart (a date
        factor at its floor) and share a name or two: they fail here at a fraction of the
        cost of a full score."""
        pa, pb = self.profiles[a], self.profiles[b]
        factor = date_factor(days_apart(pa, pb))
        same = same_language(pa.lang, pb.lang)
        facts = (
            facts_part([self.fact_rarity(f) for f in pa.facts & pb.facts])
            if pa.facts and pb.facts
            else 0.0
        )
        # The names part of an English–Arabic pair may make its entity part anything up to 1.
        ent = 1.0 if names_count(pa.lang, pb.lang) else cosine(self._ent[a], self._ent[b])
        most = combine(
            same, ent, _AT_MOST if same else 0.0, facts, bool(pa.entities and pb.entities)
        )
        return most * factor * _AT_MOST >= minimum
