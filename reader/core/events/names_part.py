"""The names part of the similarity of an English and an Arabic article: the names the
gazetteer does not know (:mod:`reader.core.names.unknown`: Haniyeh / هنية, Tehran / طهران),
matched by transliteration, each as telling as it is rare in the set of articles scored.

:class:`NamesPart` is a base of :class:`reader.core.events.similarity.Similarity`, split from
it for size, and not meant to be used alone: it reads the similarity's profiles, the size of
its set and its document frequencies, and adds the names' own (``_df["n"]``). Callers use its
methods on a ``Similarity``.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from sys import intern
from types import MappingProxyType
from typing import TYPE_CHECKING

from reader.core.events.features import Profile
from reader.core.events.scoring import NAMES_FULL_SET, inverse_df
from reader.core.names.unknown import (
    bridged,
    bridged_checks,
    linked_by_names,
    name_keys,
    remember_bridged,
)
from reader.core.text.arabic import has_arabic

NAMES_SIGNATURE = 30  # an English article's rarest names looked up to find Arabic partners
NAMES_SCANNED = 400  # an Arabic article's rarest names looked up to find English partners

Named = list[tuple[str, tuple[str, ...]]]  # (article id, its names), in the set's order
# The English articles' names, the Arabic ones', every name's document frequency, the cap.
NamesJob = tuple[Named, Named, dict[str, int], int]
Linked = tuple[dict[tuple[str, str], int], dict[tuple[str, str], bool]]


def names_job(
    profiles: Sequence[Profile], names: Mapping[str, tuple[str, ...]], cap: int
) -> NamesJob:
    """What :func:`link_names` needs to work out :meth:`NamesPart.name_pairs` (``cap``) of a
    ``Similarity`` of ``profiles`` (in its order) whose names were kept apart (``names``),
    elsewhere (a worker process) while the similarity is made."""
    english = [(p.article_id, names[p.article_id]) for p in profiles if p.lang == "en"]
    arabic = [(p.article_id, names[p.article_id]) for p in profiles if p.lang == "ar"]
    df: Counter[str] = Counter()
    for p in profiles:
        df.update(names[p.article_id])
    return english, arabic, dict(df), cap


def link_names(job: NamesJob) -> Linked:
    """:meth:`NamesPart.name_pairs` of the job's names (:func:`names_job`): the same pairs,
    weights and order; and the transliteration checks made for them (see
    :meth:`NamesPart.linked`)."""
    english, arabic, df, cap = job
    pairs = linked_by_names(
        ((i, dict.fromkeys(names, 1)) for i, names in english),
        ((i, dict.fromkeys(names, 1)) for i, names in arabic),
        df,
        cap,
        (NAMES_SIGNATURE, NAMES_SCANNED),
    )
    return pairs, bridged_checks()


ScoresJob = tuple[Named, Named, dict[str, int], int, list[tuple[str, str]]]


def score_names(job: ScoresJob) -> array[float]:
    """In a worker: :meth:`NamesPart.names_score` of each pair of the job
    (:meth:`NamesPart.scores_job`), in order, as the set it came from gives it, to the bit."""
    english, arabic, df, n, pairs = job
    alone = _NamesAlone(english, arabic, df, n)
    # The pairs are scored by the article of the script with more names (its index is the
    # larger), each one's pairs together, and each article's names index let go after its
    # last pair: at most one of those indexes is held at a time. In the pairs' own order
    # (by id) every Arabic article's index lived from its first pair to its last: at 50,000
    # articles of the bench (130 names an Arabic article, under one an English one) the
    # worker grew by some 120 MB. A pair's score does not depend on the order.
    heavier = {i for i, _names in (arabic if _names_in(arabic) >= _names_in(english) else english)}
    order = sorted(range(len(pairs)), key=lambda at: _heavier_of(pairs[at], heavier))
    last = {i: step for step, at in enumerate(order) for i in pairs[at]}
    scores = array("d", bytes(8 * len(pairs)))
    for step, at in enumerate(order):
        a, b = pairs[at]
        scores[at] = alone.names_score(a, b)
        alone.forget_names(i for i in (a, b) if last[i] == step)
    return scores


def _names_in(named: Named) -> int:
    return sum(len(names) for _i, names in named)


def _heavier_of(pair: tuple[str, str], heavier: Collection[str]) -> str:
    """The article of ``pair`` of the script with more names (the other one when neither)."""
    a, b = pair
    return a if a in heavier else b


class NamesPart:
    """The names of a set of articles, their rarity in it, and the names score of a pair (see
    the module's docstring)."""

    if TYPE_CHECKING:  # what Similarity provides
        profiles: dict[str, Profile]
        _n: int
        _df: dict[str, Counter[str]]

    def _keep_names(
        self, profiles: Sequence[Profile], names: Mapping[str, tuple[str, ...]] | None
    ) -> None:
        """Count the names of ``profiles`` (document frequency of each spelling: the forms of
        two scripts never coincide). ``names``: each profile's names (in the order of its
        counter), when its ``names`` were let go, kept and read in their place. Each
        article's key index is made on first use."""
        self._names: Mapping[str, tuple[str, ...]] | None = names
        self._df["n"] = Counter()
        for p in profiles:
            self._df["n"].update(self.names(p.article_id))
        self._name_index: dict[str, dict[str, tuple[str, ...]]] = {}
        self._name_pairs: dict[int, Mapping[tuple[str, str], int]] = {}  # by cap
        self._names_scores: dict[tuple[str, str], float] = {}  # worked out elsewhere
        self._coming: list[Callable[[], object]] = []  # see names_coming

    def _names_of(self, article_id: str) -> dict[str, tuple[str, ...]]:
        """An article's names by skeleton key (in name order); made once, on first use, and
        kept compact: keys interned (articles share them), each key's names a tuple."""
        found = self._name_index.get(article_id)
        if found is None:
            listed: dict[str, list[str]] = {}
            for name in sorted(self.names(article_id)):
                for key in name_keys(name):
                    listed.setdefault(key, []).append(name)
            found = {intern(k): tuple(v) for k, v in listed.items()}
            self._name_index[article_id] = found
        return found

    def names(self, article_id: str) -> Sequence[str]:
        """An article's names (:attr:`Profile.names`, in its order), wherever they are kept."""
        if self._names is not None:
            return self._names[article_id]
        return tuple(self.profiles[article_id].names)

    def _names_counted(self, article_id: str) -> Mapping[str, int]:
        """An article's names as a mapping in their order (:func:`linked_by_names` reads the
        names, not their counts: those of names kept apart are given as 1)."""
        if self._names is not None:
            return dict.fromkeys(self._names[article_id], 1)
        return self.profiles[article_id].names

    def forget_names(self, article_ids: Iterable[str] | None = None) -> None:
        """Let go of the names index of ``article_ids`` (of every article by default), made
        again if asked for: a caller going through many pairs once keeps only the articles
        still to come (at 50,000 articles, every one's index takes some 80 MB)."""
        if article_ids is None:
            self._name_index.clear()
            return
        for article_id in article_ids:
            self._name_index.pop(article_id, None)

    def name_rarity(self, latin: str, arabic: str) -> float:
        """How telling a name is in this set, spelt ``latin`` in English and ``arabic`` in
        Arabic (0..1): the IDF of the articles having either spelling, scaled so that a name
        only one article in each script has counts 1 in a set of :data:`NAMES_FULL_SET`
        articles or more (in a smaller set, rarity is cheap: less)."""
        top = inverse_df(2, max(self._n, NAMES_FULL_SET)) - 1
        df = self._df["n"][latin] + self._df["n"][arabic]
        rarity = min(1.0, max(0.0, (inverse_df(df, self._n) - 1) / top))
        return rarity

    def matched_names(self, a: str, b: str) -> list[tuple[str, str, float]]:
        """(English name, Arabic name, rarity) of the names of an English and an Arabic
        article of this set that spell one name (rarity: :meth:`name_rarity`),
        each name matched at most once, rarest first; empty for other pairs."""
        lang_a, lang_b = self._lang(a), self._lang(b)
        if {lang_a, lang_b} != {"en", "ar"}:
            return []
        en, ar = (a, b) if lang_a == "en" else (b, a)
        en_keys, ar_keys = self._names_of(en), self._names_of(ar)
        pairs: set[tuple[str, str]] = set()
        for key in en_keys.keys() & ar_keys.keys():
            for latin in en_keys[key]:
                for arabic in ar_keys[key]:
                    if (latin, arabic) not in pairs and bridged(arabic, latin):
                        pairs.add((latin, arabic))
        ranked = sorted(
            ((x, y, self.name_rarity(x, y)) for x, y in pairs),
            key=lambda t: (-t[2], t),
        )
        used: set[str] = set()
        matched = []
        for latin, arabic, rarity in ranked:
            if latin not in used and arabic not in used:
                used.update((latin, arabic))
                matched.append((latin, arabic, rarity))
        return matched

    def names_score(self, a: str, b: str) -> float:
        """How surely an English and an Arabic article of this set name the same names the
        gazetteer does not know (0..1): each matched name is evidence as strong as it is rare
        (:meth:`name_rarity`), combined as independent evidence, 1 - prod(1 - rarity), and
        discounted by 0.5 ** (names matched), as one name may be chance ("Hague" read in
        حقق "verified"). A name every article has ("Gaza" in coverage of Gaza) says
        nothing. 0 for other pairs and when nothing matches."""
        key = (a, b) if a < b else (b, a)
        if self._coming and key not in self._names_scores:
            self.names_arrived()
        found = self._names_scores.get(key)
        if found is not None:
            return found
        matched = self.matched_names(a, b)
        missed = 1.0
        for _latin, _arabic, rarity in matched:
            missed *= 1 - rarity
        # One name may be chance (a short name read in a common word); several agreeing are
        # not: the evidence is discounted by half for one name, a quarter for two...
        return (1 - missed) * (1 - 0.5 ** len(matched))

    def _lang(self, article_id: str) -> str:
        return self.profiles[article_id].lang

    def scores_job(self, pairs: Sequence[tuple[str, str]]) -> ScoresJob:
        """What :func:`score_names` needs to work out :meth:`names_score` of each of
        ``pairs`` (English–Arabic pairs of this set, each (smaller id, larger id))
        elsewhere: the names of their articles and those names' document frequencies."""
        ids = sorted({i for pair in pairs for i in pair})
        english = [(i, tuple(self.names(i))) for i in ids if self._lang(i) == "en"]
        arabic = [(i, tuple(self.names(i))) for i in ids if self._lang(i) == "ar"]
        counts = self._df["n"]
        df = {name: counts[name] for _i, names in english + arabic for name in names}
        return english, arabic, df, self._n, list(pairs)

    def names_scored(self, pairs: Sequence[tuple[str, str]], scores: Sequence[float]) -> None:
        """Take :meth:`names_score` of each of ``pairs`` (each (smaller id, larger id)) as
        :func:`score_names` worked it out (from :meth:`scores_job` of this set, elsewhere)."""
        self._names_scores.update(zip(pairs, scores, strict=True))

    def names_coming(self, arrive: Callable[[], object]) -> None:
        """``arrive()`` will give :meth:`names_score` of some pairs, being worked out elsewhere
        (it calls :meth:`names_scored`, or fails quietly: those are then worked out here):
        called when a score not given yet is first asked for, or by :meth:`names_arrived`.
        Until then :meth:`reader.core.events.similarity.Similarity.edges` scores the other
        pairs first."""
        self._coming.append(arrive)

    def names_arrived(self) -> None:
        """Wait for what :meth:`names_coming` announced (each called once)."""
        while self._coming:
            self._coming.pop(0)()

    def linked(self, cap: int, linked: Linked) -> None:
        """Take :meth:`name_pairs` (``cap``) as :func:`link_names` worked them out (from
        :func:`names_job` of this set, elsewhere), and the checks it made (the scoring of
        pairs asks for most of them again)."""
        pairs, checks = linked
        remember_bridged(checks)
        self._name_pairs[cap] = MappingProxyType(pairs)

    def common_names(
        self, cap: int, most: int | None = None
    ) -> dict[str, tuple[tuple[int, str], ...]]:
        """For each article that has any: (document frequency, key) of its names the
        gazetteer does not know that more than ``cap`` articles have, counting a name's
        spellings in both scripts as one (too common to find pairs by alone, see
        :func:`reader.core.events.pairs.dated_keys`): the key of an English spelling more
        than ``cap // 2`` articles have is ``"~"`` and that spelling; an Arabic spelling of
        it (:func:`bridged`) has its key, else, when as common, a key of its own. Rarest
        first (ties by key); with ``most``, only the ``most`` rarest (at 50,000 articles,
        every one took some 55 MB)."""
        df = self._df["n"]
        half = cap // 2
        spelt: dict[str, set[str]] = {}  # skeleton key -> the common English spellings
        canonical: dict[str, tuple[str, ...]] = {}  # spelling -> its keys
        for name, count in df.items():
            if count > half and not has_arabic(name):
                canonical[name] = (f"~{name}",)
                for key in name_keys(name):
                    spelt.setdefault(key, set()).add(name)
        for name, count in df.items():
            if not has_arabic(name):
                continue
            keys = name_keys(name, remember=False)
            latins = set().union(*(spelt.get(key, ()) for key in keys))
            matched = tuple(canonical[latin][0] for latin in sorted(latins) if bridged(name, latin))
            if matched:
                canonical[name] = matched
            elif count > half:
                canonical[name] = (f"~{name}",)
        keys_of: dict[str, tuple[str, ...]] = {}
        key_df: Counter[str] = Counter()
        for article_id in self.profiles:
            found = {k for name in self.names(article_id) for k in canonical.get(name, ())}
            if found:
                keys_of[article_id] = tuple(found)
                key_df.update(found)
        common = {}
        for article_id, keys in keys_of.items():
            chosen = sorted((key_df[k], k) for k in keys if key_df[k] > cap)
            if chosen:
                common[article_id] = tuple(chosen[:most])
        return common

    def name_pairs(self, cap: int) -> Mapping[tuple[str, str], int]:
        """English–Arabic pairs where the Arabic article spells some of the English article's
        rarest names (at most ``cap`` articles have them), checked by transliteration, with
        their weight: per name, 2 when at most three English articles have it, else 1 (as
        for other features).
        The Arabic articles' names are looked up rarest first, at most :data:`NAMES_SCANNED`
        of them, so the work stays linear in the number of articles. Worked out once per
        ``cap`` (the grouping's candidate search and the similarity table both ask):
        read-only."""
        found = self._name_pairs.get(cap)
        if found is None:
            pairs = linked_by_names(
                ((i, self._names_counted(i)) for i, p in self.profiles.items() if p.lang == "en"),
                ((i, self._names_counted(i)) for i, p in self.profiles.items() if p.lang == "ar"),
                self._df["n"],
                cap,
                (NAMES_SIGNATURE, NAMES_SCANNED),
            )
            found = self._name_pairs[cap] = MappingProxyType(pairs)
        return found


class _NamesAlone(NamesPart):
    """The names part of a set whose articles are known by their names alone (what
    :func:`score_names` is sent): the same scores as the set's own."""

    def __init__(self, english: Named, arabic: Named, df: Mapping[str, int], n: int) -> None:
        self._n = n
        self._df = {"n": Counter(df)}
        self._names = dict(english + arabic)
        self._langs = dict.fromkeys((i for i, _names in english), "en")
        self._langs.update(dict.fromkeys((i for i, _names in arabic), "ar"))
        self._name_index = {}
        self._name_pairs = {}
        self._names_scores = {}
        self._coming = []

    def _lang(self, article_id: str) -> str:
        return self._langs[article_id]
