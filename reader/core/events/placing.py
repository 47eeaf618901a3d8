"""Where an incremental update of the event store puts each new or changed article
(:func:`assign`, for :func:`reader.core.events.store.refresh`): it is scored against the
articles the full pass would score it against (:class:`Signatures`), and joins the event
whose average score with it is best and at least the threshold, or starts its own.

The candidates are those of the full pass's inverted lists
(:meth:`reader.core.events.pair_search.PairSearch.candidate_pairs`): each article's
signature is its rarest features (entities, words, facts, dated names) that at least 2 and at
most the candidate cap articles have, and two articles are candidates when their signatures
share two features, or one that at most three signatures hold, or when the names of an
English and an Arabic one link them. Only the lists of the features that the new articles'
signatures hold are made, and only the signatures of the articles on them, so the work
beyond reading the set's document frequencies grows with the articles added, not with the
set (at 50,000 articles, 500 added: the inverted lists of every feature took 15 s).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

from reader.core.events.grouping import (
    ALL_PAIRS_UP_TO,
    EDGE_MINIMUM,
    SIGNATURE_SIZES,
    Similarity,
    date_span,
    span_factor,
)
from reader.core.events.pair_search import candidate_cap, usable_words

Feature = tuple[str, str]  # (kind: "e" entity, "t" word, "f" fact, "d"/"m" dated; key)
_KINDS = ("e", "t", "f", "d", "m")


class Signatures:
    """The signatures and inverted lists of the full pass, for the articles of ``fresh``
    (see the module's docstring) in the set of ``similarity``."""

    def __init__(self, similarity: Similarity, fresh: Collection[str]) -> None:
        profiles = similarity.profiles
        self._similarity = similarity
        self.n = len(profiles)
        self.cap = candidate_cap(self.n)
        self._by_name: dict[str, dict[str, int]] | None = None  # see _name_partners
        self._keys: dict[str, dict[str, Iterable[str]]] = {kind: {} for kind in _KINDS}
        self._usable: dict[str, dict[str, int]] = {}
        self._cache: dict[str, dict[str, frozenset[str]]] = {kind: {} for kind in _KINDS}
        self._holders: dict[Feature, list[str]] = {}
        if self.n <= ALL_PAIRS_UP_TO:
            return  # a small set: every pair is scored (see candidates)
        for i, p in profiles.items():
            self._keys["e"][i] = p.entities
            self._keys["t"][i] = p.terms
            self._keys["f"][i] = p.facts
        # The dated names, as the full pass makes them (reader.core.events.pairs.dated_keys).
        dated = similarity.dated_features(self.cap)
        self._keys["d"].update(dated["d"])
        self._keys["m"].update(dated["m"])
        for kind in ("e", "t", "f"):
            self._usable[kind] = similarity.usable(kind)
        for kind in ("d", "m"):
            df = Counter(key for keys in dated[kind].values() for key in keys)
            self._usable[kind] = usable_words(df, self.n)
        self._gather(fresh)

    def _gather(self, fresh: Collection[str]) -> None:
        """The inverted lists of the features the signatures of ``fresh`` hold: every
        article that has one (one pass over the set, a set intersection an article)."""
        wanted: dict[str, set[str]] = {kind: set() for kind in _KINDS}
        for article_id in fresh:
            for kind, key in self.signature(article_id):
                wanted[kind].add(key)
        for kind in _KINDS:
            keys = wanted[kind]
            if not keys:
                continue
            for article_id, have in self._keys[kind].items():
                for key in keys.intersection(have):
                    self._holders.setdefault((kind, key), []).append(article_id)

    def signature(self, article_id: str) -> frozenset[Feature]:
        """The features of an article the full pass files it under."""
        return frozenset((kind, k) for kind in _KINDS for k in self._chosen(kind, article_id))

    def _chosen(self, kind: str, article_id: str) -> frozenset[str]:
        """The keys of ``kind`` of an article's signature (worked out once: an article on
        the lists of several features is asked for the kinds of those alone)."""
        cache = self._cache[kind]
        found = cache.get(article_id)
        if found is None:
            df = self._usable[kind]
            usable = [(df[k], k) for k in self._keys[kind][article_id] if k in df]
            usable.sort()
            found = cache[article_id] = frozenset(k for _d, k in usable[: SIGNATURE_SIZES[kind]])
        return found

    def candidates(self, article_id: str, placed: Mapping[str, int]) -> list[str]:
        """The articles of ``placed`` the full pass would score ``article_id`` (one of
        ``fresh``) against, in id order."""
        if self.n <= ALL_PAIRS_UP_TO:
            return sorted(placed)
        shared: Counter[str] = Counter()
        for feature in self.signature(article_id):
            kind, key = feature
            holding = [b for b in self._holders[feature] if key in self._chosen(kind, b)]
            weight = 2 if len(holding) <= 3 else 1
            for other in holding:
                if other != article_id and other in placed:
                    shared[other] += weight
        for other, weight in self._name_partners(article_id).items():
            if other in placed:
                shared[other] += weight
        return sorted(other for other, count in shared.items() if count >= 2)

    def _name_partners(self, article_id: str) -> dict[str, int]:
        """The articles the full pass links to ``article_id`` through names
        (:meth:`Similarity.name_pairs`), with their weight; worked out once for all."""
        if self._by_name is None:
            self._by_name = {}
            for (a, b), weight in self._similarity.name_pairs(self.cap).items():
                self._by_name.setdefault(a, {})[b] = weight
                self._by_name.setdefault(b, {})[a] = weight
        return self._by_name.get(article_id, {})


def assign(
    fresh: Sequence[str],
    clusters: list[list[str]],
    touched: set[int],
    similarity: Similarity,
    threshold: float,
) -> None:
    """Put each article of ``fresh`` in the cluster whose average score with it is best and
    at least ``threshold``, or in a new one; marks the clusters changed in ``touched``. Only
    the pairs the full pass would score are scored (found through inverted lists of the
    articles' distinctive features: no all-pairs pass), and as there, pairs scoring below
    EDGE_MINIMUM count for nothing."""
    where = {i: n for n, c in enumerate(clusters) for i in c}
    signatures = Signatures(similarity, fresh)
    for article_id in fresh:
        totals: dict[int, float] = {}
        for other in signatures.candidates(article_id, where):
            score = similarity.score(article_id, other).score
            if score >= EDGE_MINIMUM:
                totals[where[other]] = totals.get(where[other], 0.0) + score
        best, best_average = -1, threshold
        own = date_span(similarity.profiles[article_id].when)
        for n, total in sorted(totals.items()):
            span = date_span(d for m in clusters[n] for d in similarity.profiles[m].when)
            average = total / len(clusters[n]) * span_factor(span, own)  # as the full pass
            if average >= best_average and (best < 0 or average > best_average):
                best, best_average = n, average
        if best < 0:
            best = len(clusters)
            clusters.append([])
        clusters[best].append(article_id)
        where[article_id] = best
        touched.add(best)
