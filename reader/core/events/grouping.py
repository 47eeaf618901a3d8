"""Events: groups of articles that cover the same story, in any language, and the user's say.

Two articles are similar when they name the same rare entities (weighted by IDF over the
corpus, so "Libya" counts for little in a Libyan corpus), report the same numbers and dates,
share rare words (within one language) and were published close together (when known).
Articles are grouped by average-linkage clustering of that similarity. Up to ALL_PAIRS_UP_TO
articles every pair is scored; above, only pairs that share distinctive features (found through
an inverted index), so the work grows with the number of related pairs, not with the square
of the corpus.

The user's decisions (confirm, rename, split, merge, move an article; kept by
:mod:`reader.core.events.decisions` in ``notes_dir/events.toml``) win over the automatic grouping
on every recompute: a decided event keeps its id, label and members, may gain new similar
articles, and never takes back an article moved out of it.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from reader.core.config import Config
from reader.core.events.decisions import Decisions, EventDecision, decisions_path, load_decisions
from reader.core.events.event import Event as Event  # re-exported: callers import it from here
from reader.core.events.event import event_id as event_id
from reader.core.events.facts import find_facts
from reader.core.names.entities import Gazetteer, content_terms, find_entities
from reader.core.sources.article import Article

DEFAULT_THRESHOLD = 0.3
# Weights of the similarity's parts, for two articles in one language / in two languages.
SAME_LANGUAGE = {"entities": 0.55, "terms": 0.3, "facts": 0.15}
CROSS_LANGUAGE = {"entities": 0.8, "terms": 0.0, "facts": 0.2}
SIGNATURE_SIZES = {"e": 8, "t": 8, "f": 4}  # distinctive features per article used to find pairs
TERMS_KEPT = 100  # above ALL_PAIRS_UP_TO: an article's heaviest shared words
ALL_PAIRS_UP_TO = 200  # articles; above this, only pairs found through the inverted index
EDGE_MINIMUM = 0.05  # pairs scoring less are not linked at all by the clustering
_FACT_KINDS = frozenset(("distance", "killed", "wounded", "money", "percent", "count", "date"))


@dataclass(frozen=True, slots=True)
class Profile:
    """What the similarity looks at in one article (entity keys and terms with counts)."""

    article_id: str
    lang: str
    published: date | None
    entities: Counter[str]
    terms: Counter[str]
    facts: frozenset[str]


def profile(article: Article, gazetteer: Gazetteer) -> Profile:
    """The features of one article; entities in the title count twice."""
    entities: Counter[str] = Counter(m.key for m in find_entities(article.body, gazetteer))
    for mention in find_entities(article.title, gazetteer):
        entities[mention.key] += 2
    text = f"{article.title}\n{article.body}"
    terms = Counter(content_terms(text, article.lang))
    facts = frozenset(
        f.key
        for f in find_facts(article.body)
        if f.kind in _FACT_KINDS
        and (f.kind != "date" or len(f.label) > 4)  # a bare year says little
        and (f.kind != "count" or f.value >= 5)
    )
    return Profile(article.id, article.lang, article.published, entities, terms, facts)


@dataclass(frozen=True, slots=True)
class PairScore:
    """The similarity of two articles and its parts (each 0..1)."""

    a: str
    b: str
    score: float
    entities: float
    terms: float
    facts: float
    date_factor: float
    shared_entities: tuple[str, ...]


def _idf(df: int, n: int) -> float:
    return math.log((n + 1) / (df + 1)) + 1.0


def _unit(
    counts: Counter[str], df: Counter[str], n: int, keep: int | None = None
) -> dict[str, float]:
    """Log-TF x IDF weights scaled to unit length, leaving out features no other article has
    (they never add to a cosine); with ``keep``, only the ``keep`` heaviest of the rest."""
    vec = {k: (1 + math.log(c)) * _idf(df[k], n) for k, c in counts.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    shared = [(k, v) for k, v in vec.items() if df[k] >= 2]
    if keep is not None and len(shared) > keep:
        shared = sorted(shared, key=lambda kv: (-kv[1], kv[0]))[:keep]
    return {k: v / norm for k, v in shared}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[k] for k, v in a.items() if k in b)


class Similarity:
    """Pairwise similarity over one set of articles (IDF is computed over that set)."""

    def __init__(self, profiles: Sequence[Profile]) -> None:
        self.profiles = {p.article_id: p for p in profiles}
        n = len(profiles)
        self._df: dict[str, Counter[str]] = {"e": Counter(), "t": Counter(), "f": Counter()}
        for p in profiles:
            self._df["e"].update(p.entities.keys())
            self._df["t"].update(p.terms.keys())
            self._df["f"].update(p.facts)
        self._n = n
        self._ent = {p.article_id: _unit(p.entities, self._df["e"], n) for p in profiles}
        # Small sets are scored exactly; large ones keep each article's heaviest shared words.
        keep = None if n <= ALL_PAIRS_UP_TO else TERMS_KEPT
        self._terms = {p.article_id: _unit(p.terms, self._df["t"], n, keep) for p in profiles}

    def entity_weight(self, key: str) -> float:
        """The IDF of an entity key over this set of articles."""
        return _idf(self._df["e"][key], self._n)

    def _parts(self, a: str, b: str) -> tuple[float, float, float, float, float]:
        """(score, entities, terms, facts, date factor) of two articles."""
        pa, pb = self.profiles[a], self.profiles[b]
        ent = _cosine(self._ent[a], self._ent[b])
        same = pa.lang == pb.lang and pa.lang != "other"
        terms = _cosine(self._terms[a], self._terms[b]) if same else 0.0
        facts = 1 - 0.5 ** len(pa.facts & pb.facts) if pa.facts and pb.facts else 0.0
        w = SAME_LANGUAGE if same else CROSS_LANGUAGE
        raw = w["entities"] * ent + w["terms"] * terms + w["facts"] * facts
        factor = 1.0
        if pa.published and pb.published:
            days = abs((pa.published - pb.published).days)
            factor = 1.0 if days <= 3 else max(0.3, 1 / (1 + (days - 3) / 10))
        return raw * factor, ent, terms, facts, factor

    def score(self, a: str, b: str) -> PairScore:
        """The similarity of two articles of this set, with its parts."""
        score, ent, terms, facts, factor = self._parts(a, b)
        pa, pb = self.profiles[a], self.profiles[b]
        shared = sorted(
            set(pa.entities) & set(pb.entities), key=lambda k: (-self.entity_weight(k), k)
        )
        return PairScore(a, b, score, ent, terms, facts, factor, tuple(shared))

    def candidate_pairs(self) -> set[tuple[str, str]]:
        """Pairs worth scoring: every pair in a small set; in a large one, pairs that share one
        of their most distinctive features (an inverted index, so not quadratic)."""
        ids = sorted(self.profiles)
        if self._n <= ALL_PAIRS_UP_TO:
            return set(combinations(ids, 2))
        cap = max(50, int(math.sqrt(self._n) * 2))
        postings: dict[tuple[str, str], list[str]] = {}
        for p in self.profiles.values():
            for kind, features in (("e", p.entities), ("t", p.terms), ("f", p.facts)):
                df = self._df[kind]
                usable = [k for k in features if 2 <= df[k] <= cap]
                usable.sort(key=lambda k: (df[k], k))
                for key in usable[: SIGNATURE_SIZES[kind]]:
                    postings.setdefault((kind, key), []).append(p.article_id)
        # A pair needs two shared distinctive features, or one that almost nobody else has.
        shared: Counter[tuple[str, str]] = Counter()
        for ids in postings.values():
            weight = 2 if len(ids) <= 3 else 1
            for a, b in combinations(sorted(ids), 2):
                shared[a, b] += weight
        return {pair for pair, count in shared.items() if count >= 2}

    def edges(self, minimum: float) -> list[tuple[str, str, float]]:
        """(a, b, score) of the candidate pairs scoring at least ``minimum``, best first."""
        kept = []
        for a, b in self.candidate_pairs():
            score = self._parts(a, b)[0]
            if score >= minimum:
                kept.append((a, b, score))
        kept.sort(key=lambda e: (-e[2], e[0], e[1]))
        return kept


@dataclass(slots=True)
class _Cluster:
    members: list[str]
    decision: EventDecision | None = None
    excluded: set[str] = field(default_factory=set)
    links: dict[int, float] = field(default_factory=dict)  # cluster -> summed similarity


def _cluster(
    ids: Sequence[str],
    edges: Sequence[tuple[str, str, float]],
    decided: Sequence[EventDecision],
    threshold: float,
) -> list[_Cluster]:
    """Average-linkage agglomeration seeded with the decided events, which never merge with
    each other nor take an article they excluded."""
    known = set(ids)
    clusters: dict[int, _Cluster] = {}
    where: dict[str, int] = {}
    for decision in decided:
        members = [m for m in decision.members if m in known and m not in where]
        if not members:
            continue
        cid = len(clusters)
        clusters[cid] = _Cluster(members, decision, set(decision.excluded))
        where.update(dict.fromkeys(members, cid))
    for article_id in ids:
        if article_id not in where:
            where[article_id] = len(clusters)
            clusters[len(clusters)] = _Cluster([article_id])
    for a, b, score in edges:
        ca, cb = where[a], where[b]
        if ca != cb:
            clusters[ca].links[cb] = clusters[ca].links.get(cb, 0.0) + score
            clusters[cb].links[ca] = clusters[cb].links.get(ca, 0.0) + score

    def average(a: int, b: int) -> float:
        total = clusters[a].links.get(b, 0.0)
        return total / (len(clusters[a].members) * len(clusters[b].members))

    heap = [(-average(x, y), x, y) for x in clusters for y in clusters[x].links if x < y]
    heapq.heapify(heap)
    while heap:
        negative, x, y = heapq.heappop(heap)
        if x not in clusters or y not in clusters or -negative != average(x, y):
            continue  # stale entry
        if -negative < threshold:
            break
        cx, cy = clusters[x], clusters[y]
        if cx.decision is not None and cy.decision is not None:
            continue
        if cx.excluded & set(cy.members) or cy.excluded & set(cx.members):
            continue
        first = cx.decision is not None or (
            cy.decision is None and len(cx.members) >= len(cy.members)
        )
        keep, gone = (x, y) if first else (y, x)
        target, source = clusters[keep], clusters.pop(gone)
        target.members.extend(source.members)
        target.excluded |= source.excluded
        if target.decision is None:
            target.decision = source.decision
        target.links.pop(gone, None)
        for other, total in source.links.items():
            if other == keep:
                continue
            neighbour = clusters[other]
            neighbour.links.pop(gone, None)
            merged = neighbour.links.get(keep, 0.0) + total
            neighbour.links[keep] = merged
            target.links[other] = merged
        for other in target.links:
            heapq.heappush(heap, (-average(keep, other), min(keep, other), max(keep, other)))
    return list(clusters.values())


def group_events(
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    decisions: Decisions | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Event]:
    """Group articles into events (every article in exactly one event; most articles alone in
    a large corpus). Events come largest first, then by id; members in article-id order."""
    by_id = {a.id: a for a in articles}
    profiles = [profile(a, gazetteer) for a in by_id.values()]
    titles = {a.id: a.title for a in by_id.values()}
    return group_profiles(profiles, titles, gazetteer, decisions, threshold=threshold)


def group_profiles(
    profiles: Sequence[Profile],
    titles: Mapping[str, str],
    gazetteer: Gazetteer,
    decisions: Decisions | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Event]:
    """:func:`group_events` of articles already profiled (``titles``: each one's title, the
    label of an event of one article). Same order and result as :func:`group_events`."""
    decided = decisions.events if decisions is not None else ()
    similarity = Similarity(profiles)
    edges = similarity.edges(minimum=EDGE_MINIMUM)
    pair_score = {(a, b): score for a, b, score in edges}
    events = [
        make_event(
            cluster.members,
            similarity,
            titles,
            gazetteer,
            lambda a, b: pair_score.get((a, b), 0.0),
            cluster.decision,
        )
        for cluster in _cluster(list(similarity.profiles), edges, decided, threshold)
    ]
    events.sort(key=lambda e: (-len(e.article_ids), e.id))
    return events


def make_event(
    article_ids: Iterable[str],
    similarity: Similarity,
    titles: Mapping[str, str],
    gazetteer: Gazetteer,
    pair_score: Callable[[str, str], float],
    decision: EventDecision | None = None,
) -> Event:
    """The event record of a group of profiled articles: top entities (by IDF over
    ``similarity``'s set), date span, cohesion (mean ``pair_score`` of member pairs, each pair
    given in id order) and label (the decision's, else its top entities' names, else the
    title of its one article)."""
    members = tuple(sorted(article_ids))
    pairs = list(combinations(members, 2))
    cohesion = sum(pair_score(a, b) for a, b in pairs) / len(pairs) if pairs else 0.0
    weights: dict[str, float] = {}
    for member in members:
        for key, count in similarity.profiles[member].entities.items():
            weight = (1 + math.log(count)) * similarity.entity_weight(key)
            weights[key] = weights.get(key, 0.0) + weight
    top = tuple(k for k, _w in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
    dates = [d for m in members if (d := similarity.profiles[m].published) is not None]
    label = decision.label if decision and decision.label else ""
    if not label:
        names = [e.name for k in top if (e := gazetteer.get(k)) is not None]
        label = " · ".join(names) if len(members) > 1 and names else titles.get(members[0], "")
    return Event(
        id=decision.id if decision else event_id(members),
        label=label,
        article_ids=members,
        start=min(dates) if dates else None,
        end=max(dates) if dates else None,
        entities=top,
        cohesion=cohesion,
        confirmed=bool(decision and decision.confirmed),
        decided=decision is not None,
    )


def load_events(
    config: Config,
    articles: Iterable[Article],
    gazetteer: Gazetteer | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Event]:
    """The events of ``articles`` (the caller reads them: :meth:`reader.core.library.Library.events`
    gives the library's own) with the user's decisions from the configured notes folder.
    Raises GazetteerError or DecisionsError for unusable files."""
    from reader.core.names.gazetteer import gazetteer_for

    if gazetteer is None:
        gazetteer = gazetteer_for(config.gazetteer)
    chosen = list(articles)
    decisions = load_decisions(decisions_path(config))
    return group_events(chosen, gazetteer, decisions, threshold=threshold)
