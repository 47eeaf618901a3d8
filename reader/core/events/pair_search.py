"""The pairs of a large set of articles worth scoring, for
:class:`reader.core.events.similarity.Similarity` (split from it for size, as
:class:`reader.core.events.names_part.NamesPart` is): every pair in a small set; in a large
one, the pairs that share distinctive features (an inverted index of each article's rarest
entities, words, facts and dated names: :meth:`PairSearch._candidates`, counted by
:func:`reader.core.events.pairs.pairs_sharing`), and of those the pairs a bound from their
cheap parts lets reach the grouping's minimum (:meth:`PairSearch.edge_pairs`).

:class:`PairSearch` is a base of ``Similarity`` and not meant to be used alone: it reads the
similarity's profiles, the size of its set, its document frequencies and vectors.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any

from reader.core.events.day_distance import DATE_FLOOR, DAYS_SCALE
from reader.core.events.features import SAME_DAYS
from reader.core.events.names_part import NAMES_SIGNATURE, NamesPart
from reader.core.events.pairs import (
    DATED_NAMES,
    Bounds,
    dated_keys,
    make_bounds,
    may_reach,
    pairs_sharing,
)
from reader.core.events.scoring import CROSS_LANGUAGE, SAME_LANGUAGE, names_count, same_language

if TYPE_CHECKING:
    from array import array

# Distinctive features per article to find pairs ("d": dated entities, "m": dated names the
# gazetteer does not know; see pairs.dated_keys).
SIGNATURE = {"e": 8, "t": 8, "f": 4, "d": 4, "m": 4, "n": NAMES_SIGNATURE}
ALL_PAIRS_UP_TO = 200  # articles; above this, only pairs found through the inverted index


def usable_words(df: Mapping[str, int], n: int) -> dict[str, int]:
    """:meth:`Similarity.usable` of the words, from their document frequency ``df`` in a
    set of ``n``."""
    cap = candidate_cap(n)
    return {k: d for k, d in df.items() if 2 <= d <= cap}


def candidate_cap(n: int) -> int:
    """The most articles a feature may have to find pairs in a large set of ``n``."""
    return max(50, int(math.sqrt(n) * 2))


def by_id(ids: Sequence[str], first: Any, second: Any) -> Iterator[tuple[str, str]]:
    """The pairs (``ids[first[i]]``, ``ids[second[i]]``) of two numpy arrays, in order,
    made a slice at a time (not a Python tuple and two ints for every pair at once)."""
    step = 1 << 16
    for at in range(0, len(first), step):
        chosen = zip(first[at : at + step].tolist(), second[at : at + step].tolist(), strict=True)
        yield from ((ids[a], ids[b]) for a, b in chosen)


class PairSearch(NamesPart):
    """The pairs of the set worth scoring (see the module's docstring)."""

    if TYPE_CHECKING:  # what Similarity provides
        _ent: dict[str, dict[str, float]]
        _terms: dict[str, tuple[tuple[str, ...], array[float]]]
        _term_signature: dict[str, tuple[str, ...]]
        _edge_pairs: dict[float, tuple[list[str], Any, Any]]

    def candidate_pairs(self) -> set[tuple[str, str]]:
        """Pairs worth scoring: every pair in a small set; in a large one, pairs that share one
        of their most distinctive features (an inverted index, so not quadratic)."""
        if self._n <= ALL_PAIRS_UP_TO:
            return set(combinations(sorted(self.profiles), 2))
        ids, first, second = self._candidates()
        return {(ids[a], ids[b]) for a, b in zip(first.tolist(), second.tolist(), strict=True)}

    def _candidates(self) -> tuple[list[str], Any, Any]:
        """(ids in order, first, second): the candidate pairs of a large set as numpy arrays of
        positions in ``ids`` (:func:`reader.core.events.pairs.pairs_sharing`)."""
        ids = sorted(self.profiles)
        postings: dict[tuple[str, str], list[str]] = {}
        usable_df = {kind: self.usable(kind) for kind in ("e", "t", "f")}
        signature = self._term_signature
        cap = self._cap()
        dated = self.dated_features(cap)
        for kind, keys_of in dated.items():
            dated_df = Counter(key for keys in keys_of.values() for key in keys)
            usable_df[kind] = {k: d for k, d in dated_df.items() if 2 <= d <= cap}
        for p in self.profiles.values():
            terms = signature.get(p.article_id, p.terms)
            features: tuple[tuple[str, Iterable[str]], ...] = (
                ("e", p.entities),
                ("t", terms),
                ("f", p.facts),
                ("d", dated["d"].pop(p.article_id)),
                ("m", dated["m"].pop(p.article_id)),
            )
            for kind, keys in features:
                df = usable_df[kind]
                usable = [(df[k], k) for k in keys if k in df]
                usable.sort()
                for _d, key in usable[: SIGNATURE[kind]]:
                    postings.setdefault((kind, key), []).append(p.article_id)
        # A pair needs two shared distinctive features, or one that almost nobody else has;
        # or an English and an Arabic article naming one of the English one's rarest names.
        first, second = pairs_sharing(ids, postings.values(), self.name_pairs(self._cap()))
        return ids, first, second

    def dated_features(self, cap: int) -> dict[str, dict[str, tuple[str, ...]]]:
        """Each article's dated names (:func:`reader.core.events.pairs.dated_keys`), by kind
        of feature: ``"d"`` of its entities, ``"m"`` of the names the gazetteer does not know
        (:meth:`common_names`), each of those more than ``cap`` articles have, with its *when*
        days. Made anew at each call, not kept (at 50,000 articles they take some 35 MB)."""
        entity_df = self._df["e"]
        names = self.common_names(cap, DATED_NAMES)
        return {
            "d": {
                p.article_id: dated_keys(
                    [(entity_df[k], k) for k in p.entities if entity_df[k] > cap], p.when
                )
                for p in self.profiles.values()
            },
            "m": {
                p.article_id: dated_keys(names.pop(p.article_id, ()), p.when)
                for p in self.profiles.values()
            },
        }

    def _cap(self) -> int:
        """The most articles a feature may have to find pairs in a large set."""
        return candidate_cap(self._n)

    def usable(self, kind: str) -> dict[str, int]:
        """The features of ``kind`` shared by 2 to :meth:`_cap` articles, with their document
        frequency: the ones the candidate search looks at."""
        return usable_words(self._df[kind], self._n)

    def _bounds(self, ids: Sequence[str]) -> Bounds:
        """What :func:`reader.core.events.pairs.may_reach` knows of each article of ``ids``."""
        codes: dict[str, int] = {}
        rows = []
        for i in ids:
            p = self.profiles[i]
            lang = codes.setdefault(p.lang, len(codes)) if same_language(p.lang, p.lang) else -1
            days = [d.toordinal() for d in p.when]
            rows.append(
                (
                    min(days, default=0),
                    max(days, default=0),
                    bool(days),
                    math.sqrt(math.fsum(v * v for v in self._ent[i].values())),
                    math.sqrt(math.fsum(v * v for v in self._terms[i][1])),
                    len(p.facts),
                    lang,
                    bool(p.entities),
                    p.lang == "en",
                    p.lang == "ar",
                )
            )
        return make_bounds(rows)

    def named_pairs(self) -> list[tuple[str, str]]:
        """The English–Arabic pairs (in id order) whose names part counts as the grouping sees
        them: in a small set every pair where both articles have names; in a large one the
        pairs :meth:`name_pairs` finds (the ones its candidate search scores)."""
        if self._n > ALL_PAIRS_UP_TO:
            return sorted(self.name_pairs(self._cap()))
        english = sorted(i for i, p in self.profiles.items() if p.lang == "en" and self.names(i))
        arabic = sorted(i for i, p in self.profiles.items() if p.lang == "ar" and self.names(i))
        return sorted((min(a, b), max(a, b)) for a in english for b in arabic)

    def edge_pairs(self, minimum: float) -> tuple[list[str], Any, Any]:
        """(ids in order, first, second): the candidate pairs of a large set that
        :meth:`edges` (``minimum``) scores, as numpy arrays of positions in ``ids`` (those a
        bound from their cheap parts lets reach ``minimum``: see :meth:`_may_reach`); kept
        for the next call of :meth:`edges` with the same ``minimum`` (made once)."""
        kept = self._edge_pairs.get(minimum)
        if kept is None:
            ids, first, second = self._candidates()
            settings = (SAME_DAYS, DAYS_SCALE, DATE_FLOOR)
            weights = (SAME_LANGUAGE, CROSS_LANGUAGE)
            keep = may_reach(first, second, self._bounds(ids), minimum, weights, *settings)
            kept = self._edge_pairs[minimum] = (ids, first[keep], second[keep])
        return kept

    def cross_pairs(self, minimum: float) -> list[tuple[str, str]]:
        """The English–Arabic pairs of a large set whose names part :meth:`edges`
        (``minimum``) may ask for, each (smaller id, larger id), in order."""
        ids, first, second = self.edge_pairs(minimum)
        lang = self.profiles
        return [
            (a, b) for a, b in by_id(ids, first, second) if names_count(lang[a].lang, lang[b].lang)
        ]
