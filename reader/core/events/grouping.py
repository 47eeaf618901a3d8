"""Events: groups of articles that cover the same story, in any language, and the user's say.

Two articles are similar when they name the same rare entities (weighted by IDF over the
corpus, so "Libya" counts for little in a Libyan corpus), report the same numbers and dates,
share rare words (within one language) and happened close together (publication, dateline and
written dates; :mod:`reader.core.events.similarity` holds the features and the pair score).
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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from reader.core.config import Config
from reader.core.events.decisions import Decisions, EventDecision, decisions_path, load_decisions
from reader.core.events.event import Event as Event  # re-exported: callers import it from here
from reader.core.events.event import event_id as event_id
from reader.core.events.pair_search import SIGNATURE
from reader.core.events.profiling import profile_all
from reader.core.events.similarity import (  # re-exported: callers import them from here
    ALL_PAIRS_UP_TO as ALL_PAIRS_UP_TO,
)
from reader.core.events.similarity import PairScore as PairScore
from reader.core.events.similarity import Profile as Profile
from reader.core.events.similarity import Similarity as Similarity
from reader.core.events.similarity import date_factor
from reader.core.events.similarity import profile as profile
from reader.core.names.entities import Gazetteer
from reader.core.sources.article import Article

DEFAULT_THRESHOLD = 0.3
EDGE_MINIMUM = 0.05  # pairs scoring less are not linked at all by the clustering
# Distinctive features per article used to find pairs (the store's incremental pass too).
SIGNATURE_SIZES = SIGNATURE


@dataclass(slots=True)
class _Cluster:
    members: list[str]
    decision: EventDecision | None = None
    excluded: frozenset[str] = frozenset()  # one empty set shared by 50,000 clusters
    links: dict[int, float] = field(default_factory=dict)  # cluster -> summed similarity
    span: tuple[date, date] | None = None  # first and last *when* date of its members


def date_span(days: Iterable[date]) -> tuple[date, date] | None:
    """The first and last of ``days`` (None when there is none)."""
    chosen = list(days)
    return (min(chosen), max(chosen)) if chosen else None


def _joined(a: tuple[date, date] | None, b: tuple[date, date] | None) -> tuple[date, date] | None:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), max(a[1], b[1]))


def span_factor(a: tuple[date, date] | None, b: tuple[date, date] | None) -> float:
    """What the average similarity of two groups is multiplied by for their dates: the
    :func:`date_factor` of the days between their spans of *when* dates (1 when either has
    none). Undated articles link to every story about the same people; this keeps them from
    bridging two stories months apart (a charity's convoy hit in April, its car in November)."""
    if a is None or b is None:
        return 1.0
    return date_factor(max(0, (b[0] - a[1]).days, (a[0] - b[1]).days))


def _cluster(
    ids: Sequence[str],
    edges: Sequence[tuple[str, str, float]],
    decided: Sequence[EventDecision],
    threshold: float,
    when: Mapping[str, Iterable[date]] | None = None,
) -> list[_Cluster]:
    """Average-linkage agglomeration seeded with the decided events, which never merge with
    each other nor take an article they excluded; with ``when`` (article -> its *when* dates),
    two groups' average is multiplied by :func:`span_factor` of their date spans."""
    dated = when or {}
    known = set(ids)
    clusters: dict[int, _Cluster] = {}
    where: dict[str, int] = {}
    for decision in decided:
        members = [m for m in decision.members if m in known and m not in where]
        if not members:
            continue
        cid = len(clusters)
        span = date_span(d for m in members for d in dated.get(m, ()))
        clusters[cid] = _Cluster(members, decision, frozenset(decision.excluded), span=span)
        where.update(dict.fromkeys(members, cid))
    for article_id in ids:
        if article_id not in where:
            where[article_id] = len(clusters)
            clusters[len(clusters)] = _Cluster(
                [article_id], span=date_span(dated.get(article_id, ()))
            )
    for a, b, score in edges:
        ca, cb = where[a], where[b]
        if ca != cb:
            clusters[ca].links[cb] = clusters[ca].links.get(cb, 0.0) + score
            clusters[cb].links[ca] = clusters[cb].links.get(ca, 0.0) + score

    def average(a: int, b: int) -> float:
        ca, cb = clusters[a], clusters[b]
        total = ca.links.get(b, 0.0) * span_factor(ca.span, cb.span)
        return total / (len(ca.members) * len(cb.members))

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
        target.excluded = target.excluded | source.excluded
        target.span = _joined(target.span, source.span)
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
    profiles = profile_all(list(by_id.values()), gazetteer)
    titles = {a.id: a.title for a in by_id.values()}
    return group_profiles(profiles, titles, gazetteer, decisions, threshold=threshold)


def group_profiles(
    profiles: Sequence[Profile],
    titles: Mapping[str, str],
    gazetteer: Gazetteer,
    decisions: Decisions | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    similarity: Similarity | None = None,
) -> list[Event]:
    """:func:`group_events` of articles already profiled (``titles``: each one's title, the
    label of an event of one article). Same order and result as :func:`group_events`.
    ``similarity``: a :class:`Similarity` over exactly these profiles, when the caller has
    one (it costs seconds to build at 10,000 articles)."""
    decided = decisions.events if decisions is not None else ()
    similarity = Similarity(profiles) if similarity is None else similarity
    edges = similarity.edges(minimum=EDGE_MINIMUM)
    pair_score = {(a, b): score for a, b, score in edges}
    when = {p.article_id: p.when for p in profiles}

    def pair(a: str, b: str) -> float:
        return pair_score.get((a, b), 0.0)

    events = [
        make_event(cluster.members, similarity, titles, gazetteer, pair, cluster.decision)
        for cluster in _cluster(list(similarity.profiles), edges, decided, threshold, when)
    ]
    events.sort(key=lambda e: (-len(e.article_ids), e.id))
    return events


CENTRAL_AMONG = 60  # of a larger event, its first articles by id are looked at for the centre


def names_label(entities: Iterable[str], gazetteer: Gazetteer) -> str:
    """The names of the entities ``entities`` (keys) the gazetteer knows, joined by " · ":
    the label of an event whose central report has no title."""
    return " · ".join(e.name for k in entities if (e := gazetteer.get(k)) is not None)


def central_member(
    article_ids: Sequence[str], similarity: Similarity, pair_score: Callable[[str, str], float]
) -> str:
    """The article of a group most similar to the others (the sum of its ``pair_score``s,
    each pair given in id order), of the first :data:`CENTRAL_AMONG` by id; of two as
    central, the earlier published (undated last), then the smaller id."""
    members = sorted(article_ids)[:CENTRAL_AMONG]
    total = dict.fromkeys(members, 0.0)
    for a, b in combinations(members, 2):
        score = pair_score(a, b)
        total[a] += score
        total[b] += score

    def rank(m: str) -> tuple[float, date, str]:
        published = similarity.profiles[m].published
        return (-total[m], published or date.max, m)

    return min(members, key=rank)


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
    given in id order) and label (the decision's, else the title of its central article
    (:func:`central_member`; its top entities' names when that title is empty), else the
    title of its one article; a decided event of one article has only the decision's label and
    no entities: it stands alone unless the user named it, as
    :func:`reader.core.events.store.apply_decisions` gives it)."""
    members = tuple(sorted(article_ids))
    # Each pair scored once: for the cohesion, and those among the first CENTRAL_AMONG kept
    # for the central article (in an update, ``pair_score`` scores the pair in full).
    among = frozenset(members[:CENTRAL_AMONG])
    kept: dict[tuple[str, str], float] = {}
    total = 0.0
    for a, b in combinations(members, 2):
        score = pair_score(a, b)
        total += score
        if b in among:  # ``a`` comes before ``b``: among them too
            kept[a, b] = score
    count = len(members) * (len(members) - 1) // 2
    cohesion = total / count if count else 0.0
    weights: dict[str, float] = {}
    for member in members:
        for key, count in similarity.profiles[member].entities.items():
            weight = (1 + math.log(count)) * similarity.entity_weight(key)
            weights[key] = weights.get(key, 0.0) + weight
    top = tuple(k for k, _w in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
    dates = [d for m in members if (d := similarity.profiles[m].published) is not None]
    label = decision.label if decision and decision.label else ""
    if decision is not None and len(members) == 1:
        top = ()  # one article the user pinned apart stands alone: none of its names shown
    elif not label and len(members) > 1:
        # The headline a reader knows a story by. The names of its top entities told little:
        # five events of a war in Sudan were all "Sudan", and outside the gazetteer's world
        # the names it knows are the edges of a story (on a real library of the Gaza war,
        # Biden's visit to Israel was "United States · Egypt").
        centre = central_member(members, similarity, lambda a, b: kept[a, b])
        label = titles.get(centre, "") or names_label(top, gazetteer)
    elif not label:
        label = titles.get(members[0], "")
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
