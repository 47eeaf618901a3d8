"""Events kept beside the index: computed once, updated incrementally, read fast.

Two JSON files in the live index generation (``config.index_dir/gen-<n>``; see
:mod:`reader.core.events.store_files`): ``events.json``, the automatic events, small, what
:func:`read_events` reads; ``event-profiles.json``, each article's features, so an update
profiles only the articles that are new or changed.

:func:`refresh` brings both up to date with a list of articles: from scratch (the clustering
of :func:`reader.core.events.grouping.group_events`, holding little at once:
:mod:`reader.core.events.store_scratch`) when nothing usable is stored or ``rebuild`` is
asked; otherwise incrementally: removed and changed articles leave their event,
and each new or changed article is scored only against the articles the full pass's inverted
lists pair it with (no all-pairs pass; only the lists of its own features are made:
:mod:`reader.core.events.placing`), joins the event whose average score with it is best and at
least the threshold, or starts its own. Articles already placed are not regrouped: near the
threshold, where the new articles' document frequencies move a pair across it, an update may
keep apart what a rebuild (``reader index --rebuild``) would put together. The profiles kept
are written back as they were read (:mod:`reader.core.events.store_records`); the similarity
table is written anew (every article's weights move with the document frequencies).
Files are written atomically and validated on read: a damaged, truncated, foreign or stale
file is recomputed, never trusted.

:func:`apply_decisions` puts the user's decisions over the automatic events; decided events
keep their id, label, members; an article moved out of one never comes back to it; an
undecided article grouped automatically with a decided event's members joins it.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reader.core.events.decisions import Decisions
from reader.core.events.event import Event, event_id
from reader.core.events.features import lead
from reader.core.events.grouping import (
    EDGE_MINIMUM,
    Similarity,
    make_event,
    profile,
)
from reader.core.events.placing import assign
from reader.core.events.profiling import profile_all
from reader.core.events.store_files import (
    EVENTS_FILE,
    PROFILES_FILE,
    article_digest,
    index_stamp,
    profile_entry,
    read_events,
    read_events_file,
    read_profiles,
    read_stored,
    store_settings,
    write_files,
)
from reader.core.events.store_scratch import fed_from_scratch, from_scratch
from reader.core.files.processes import Workers
from reader.core.names.entities import Gazetteer
from reader.core.sources.article import Article

# ----- computing -----


def _sorted(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (-len(e.article_ids), e.id))


def refresh(
    folder: Path,
    articles: Iterable[Article],
    gazetteer: Gazetteer,
    gazetteer_name: str,
    *,
    threshold: float,
    rebuild: bool = False,
    stamp: str | None = None,
    digests: Mapping[str, str] | None = None,
    workers: Workers | None = None,
    grouped: Callable[[list[Event]], None] | None = None,
) -> list[Event]:
    """Bring the events stored in ``folder`` up to date with ``articles`` (every article of
    the index) and return the automatic events (largest first, then by id). Profiles only the
    articles that are new or changed since the stored ones, unless ``rebuild`` or nothing
    usable is stored (then everything, clustered as :func:`group_events` does). ``stamp``:
    the index's :func:`index_stamp` taken before ``articles`` were read from it (so events
    of articles read before a concurrent update are never stamped with the newer state);
    taken now by default. ``articles`` is read once, first (it may be a generator reading
    them from the index), and the articles are let go once profiled. ``digests``: the
    :func:`article_digest` of each article (by id), complete once ``articles`` has been read
    (the caller may fill it as it hands each article over: see
    :func:`read_leads`); then each article's body may be only its
    :func:`reader.core.events.features.lead` (all that profiling reads), so that the bodies
    of every article are never held at once. ``workers``: worker processes started before
    (:func:`reader.core.events.profiling.start_workers`), used for the profiling (and, from
    scratch, the linking of names) rather than new ones. ``grouped``: from scratch, called
    with the events once grouped, before they are written. Raises OSError when the files
    cannot be written."""
    stamp = index_stamp(folder) if stamp is None else stamp
    settings = store_settings(threshold, gazetteer_name)
    if rebuild and workers is not None and digests is not None:  # profiled as read
        fed = (digests, gazetteer, threshold, workers, grouped)
        return fed_from_scratch(folder, stamp, settings, articles, *fed)
    by_id = {a.id: a for a in articles}
    if digests is None:
        digests = {i: article_digest(a) for i, a in by_id.items()}
    else:
        digests = {i: digests[i] for i in by_id}
    titles = {i: a.title for i, a in by_id.items()}
    stored = None if rebuild else read_stored(folder, threshold, gazetteer_name)
    old_profiles, old_digests, groups, where = (
        stored if stored is not None else ({}, {}, None, None)
    )
    fresh = sorted(i for i in by_id if old_digests.get(i) != digests[i])
    kept = {i: p for i, p in old_profiles.items() if i in by_id and i not in set(fresh)}
    gone = set(old_profiles) - set(kept)
    ids = list(by_id)
    to_profile = [by_id[i] for i in fresh]
    del by_id  # the articles (their leads) are not read past profiling
    if groups is None:  # from scratch (with the profiles still good when there are some)
        old_profiles.clear()
        chosen = (digests, ids, titles, gazetteer, threshold, workers, grouped)
        return from_scratch(folder, stamp, settings, to_profile, kept, *chosen)
    profiles = dict(kept)
    profiles.update(zip(fresh, profile_all(to_profile, gazetteer, started=workers), strict=True))
    del to_profile
    if not fresh and not gone:  # nothing changed: the stored events, stamped anew
        same = _stored_events(folder, settings, groups)
        if same is not None:
            write_files(folder, stamp, settings, profiles, digests, same, profiles_too=False)
            return same
    similarity = Similarity(list(profiles.values()))
    clusters = [[i for i in g if i not in gone] for g in groups]  # may leave some empty
    touched = {n for n, g in enumerate(groups) if gone.intersection(g)}
    assign(fresh, clusters, touched, similarity, threshold)
    events = _rebuild_events(clusters, touched, similarity, titles, gazetteer, folder, settings)
    # The entries of the profiles kept are copied from the file read, not encoded again.
    entries = None
    if where is not None:
        encode = lambda i: profile_entry(i, profiles[i], digests[i])  # noqa: E731
        entries = where.pieces(sorted(profiles), kept, encode)
    made = (profiles, digests, events)
    write_files(folder, stamp, settings, *made, similarity=similarity, spooled=entries)
    return events


def read_leads(
    articles: Iterable[Article], fields: list[Article], digests: dict[str, str]
) -> Iterator[Article]:
    """Each of ``articles`` with only the :func:`reader.core.events.features.lead` of its
    body (all that events read of it), noting as it goes its fields (``body`` empty) in
    ``fields`` and the :func:`reader.core.events.store_files.article_digest` of its whole
    body in ``digests``: one whole body is held at a time, and the leads only as long as
    the reader of this keeps them (:func:`refresh` drops them once profiled), not every
    article's body for the whole refresh (at 10,000 articles the bodies take about 90 MB,
    the leads 16)."""
    for article in articles:
        digests[article.id] = article_digest(article)
        fields.append(dataclasses.replace(article, body=""))
        yield dataclasses.replace(article, body=lead(article.body))


def _stored_events(
    folder: Path, settings: dict[str, Any], groups: Sequence[Sequence[str]]
) -> list[Event] | None:
    """The events of the stored events file when it was computed with ``settings``, is whole,
    and holds exactly ``groups`` (whatever index state it was stamped with); else None."""
    found = read_events_file(folder, settings)
    if found is None:
        return None
    events = found[1]
    if {e.article_ids for e in events} != {tuple(sorted(g)) for g in groups}:
        return None
    return _sorted(events)


def _rebuild_events(
    clusters: Sequence[Sequence[str]],
    touched: set[int],
    similarity: Similarity,
    titles: Mapping[str, str],
    gazetteer: Gazetteer,
    folder: Path,
    settings: dict[str, Any],
) -> list[Event]:
    """Event records: recomputed for the ``touched`` clusters, kept from the stored events
    file for the others (when it is there and agrees), recomputed otherwise."""
    found = read_events_file(folder, settings)
    previous = {e.article_ids: e for e in found[1]} if found is not None else {}

    def pair(a: str, b: str) -> float:  # as group_profiles counts it: weaker pairs as 0
        score = similarity.score(a, b).score
        return score if score >= EDGE_MINIMUM else 0.0

    events = []
    for n, members in enumerate(clusters):
        if not members:
            continue
        key = tuple(sorted(members))
        old = previous.get(key)
        if n in touched or old is None:
            events.append(make_event(members, similarity, titles, gazetteer, pair))
        else:
            events.append(old)
    return _sorted(events)


def scores_with(
    folder: Path, pivot: Article, gazetteer: Gazetteer, gazetteer_name: str, threshold: float
) -> dict[str, float] | None:
    """The similarity of ``pivot`` to every article whose profile is stored in ``folder`` (IDF
    over them and the pivot), profiling only the pivot when its stored profile is missing or
    out of date; None when no usable profiles are stored."""
    stored = read_profiles(folder, threshold, gazetteer_name)
    if stored is None:
        return None
    profiles, digests, _groups = stored
    if digests.get(pivot.id) != article_digest(pivot):
        profiles[pivot.id] = profile(pivot, gazetteer)
    similarity = Similarity(list(profiles.values()))
    return {i: similarity.score(pivot.id, i).score for i in profiles if i != pivot.id}


# ----- the user's decisions -----


def apply_decisions(
    events: Sequence[Event], decisions: Decisions | None, published: Mapping[str, date]
) -> list[Event]:
    """The automatic ``events`` with the user's decisions over them: each decided event takes
    its members that are in some event, keeps its id and label (its own, else the automatic
    label of the event holding most of its members, when that event has several articles; a
    decided event of one article has none of its own and stands alone, see
    ``Event.stands_alone``; an event whose articles are not exactly those of an automatic
    one has no cohesion, 0, see :func:`_part`), and gains the undecided articles of
    each automatic event more than half made of its members, except those it excluded
    (``published``: the articles' dates, for date spans). An automatic event whose id a decided
    event has takes ``ID-2`` (``-3``...): ids are unique. Largest first, then by id."""
    if decisions is None or not decisions.events:
        return list(events)
    known = {i: e for e in events for i in e.article_ids}
    pinned: dict[str, int] = {}
    for n, decision in enumerate(decisions.events):
        for member in decision.members:
            if member in known and member not in pinned:
                pinned[member] = n
    members: dict[int, list[str]] = {n: [] for n in range(len(decisions.events))}
    for member, n in pinned.items():
        members[n].append(member)
    result: list[Event] = []
    for event in events:
        hosts = Counter(pinned[i] for i in event.article_ids if i in pinned)
        free = [i for i in event.article_ids if i not in pinned]
        host = None
        for n, count in sorted(hosts.items(), key=lambda kv: (-kv[1], kv[0])):
            if 2 * count > len(event.article_ids):  # most of the event is the decided one's
                host = n
            break
        if host is not None:
            excluded = set(decisions.events[host].excluded)
            members[host].extend(i for i in free if i not in excluded)
            free = [i for i in free if i in excluded]
        if free:
            result.append(_part(event, free, published))
    # An automatic event with the id of a decided one (a decision written by hand, or the
    # grouping making again the event whose id the user took) is given another: no two
    # events listed share an id.
    decided_ids = {d.id for n, d in enumerate(decisions.events) if members[n]}
    taken = decided_ids | {e.id for e in result}
    for k, event in enumerate(result):
        if event.id in decided_ids:
            other = next(
                f"{event.id}-{m}"
                for m in range(2, len(taken) + 3)
                if f"{event.id}-{m}" not in taken
            )
            taken.add(other)
            result[k] = dataclasses.replace(event, id=other)
    for n, decision in enumerate(decisions.events):
        if not members[n]:
            continue
        # The automatic event holding most of its members; of two holding as many, the one
        # of more articles (an article added from those standing alone lends no label).
        held = Counter(known[i] for i in members[n])
        source = max(held, key=lambda e: (held[e], len(e.article_ids), e.id))
        part = _part(source, members[n], published)
        if len(part.article_ids) == 1 or len(source.article_ids) == 1:
            # One article (one taken out, say): it stands alone, also when it stood alone
            # already, unless the user names it. Articles that stood alone, put together by
            # the user: none of one's title as a label, nor its (empty) names and cohesion.
            part = _alone(part)
        result.append(
            dataclasses.replace(
                part,
                id=decision.id,
                label=decision.label or part.label,
                confirmed=decision.confirmed,
                decided=True,
            )
        )
    return _sorted(result)


def _part(event: Event, members: Sequence[str], published: Mapping[str, date]) -> Event:
    """``event`` reduced to (or extended to) ``members``: its own automatic id and date span
    when its members changed; same label and entities, but no cohesion (0: ``event``'s was
    worked out over other articles, and the pairs of these are not scored here; listed as
    none), and for one article taken out of it, none of them (it stands alone: no label, no
    shared entities)."""
    ids = tuple(sorted(members))
    if ids == event.article_ids:
        return event
    dates = [published[i] for i in ids if i in published]
    part = dataclasses.replace(
        event,
        id=event_id(ids),
        article_ids=ids,
        start=min(dates) if dates else None,
        end=max(dates) if dates else None,
        cohesion=0.0,
    )
    return _alone(part) if len(ids) == 1 else part


def _alone(event: Event) -> Event:
    """An event of one article as one that stands alone: no label, entities or cohesion."""
    return dataclasses.replace(event, label="", entities=(), cohesion=0.0)


__all__ = [
    "EVENTS_FILE",
    "PROFILES_FILE",
    "apply_decisions",
    "article_digest",
    "index_stamp",
    "read_events",
    "refresh",
    "scores_with",
]
