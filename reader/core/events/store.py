"""Events kept beside the index: computed once, updated incrementally, read fast.

Two JSON files in the live index generation (``config.index_dir/gen-<n>``):

``events.json``
    the automatic events (before the user's decisions), with the index's stamp (generation
    name and a digest of its ``index.json``), the threshold and the gazetteer they were
    computed with. Small: this is what :func:`read_events` reads.
``event-profiles.json``
    each article's content digest and the features :func:`reader.core.events.grouping.profile`
    found in it, so an update profiles only the articles that are new or changed.

:func:`refresh` brings both up to date with a list of articles: from scratch (the clustering
of :func:`reader.core.events.grouping.group_events`) when nothing usable is stored or
``rebuild`` is asked; otherwise incrementally: removed and changed articles leave their event,
and each new or changed article is scored only against the articles that share one of its
entity keys (an inverted list; no all-pairs pass), joins the event whose average score with
it is best and at least the threshold, or starts its own. Files are written atomically and
validated on read: a damaged, truncated, foreign or stale file is recomputed, never trusted.

:func:`apply_decisions` puts the user's decisions over the automatic events; decided events
keep their id, label, members; an article moved out of one never comes back to it; an
undecided article grouped automatically with a decided event's members joins it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reader.core.events.decisions import Decisions
from reader.core.events.event import Event, event_id
from reader.core.events.grouping import (
    EDGE_MINIMUM,
    Profile,
    Similarity,
    group_profiles,
    make_event,
    profile,
)
from reader.core.files.safe_write import write_atomically
from reader.core.names.entities import Gazetteer
from reader.core.search.index_files import FINGERPRINT
from reader.core.sources.article import Article

EVENTS_FILE = "events.json"
PROFILES_FILE = "event-profiles.json"
FORMAT = 1
_PROFILE_FIELDS = tuple(f.name for f in dataclasses.fields(Profile))
# A changed Profile (new features) makes stored profiles unusable: part of the file's format.
_FORMAT_TAG = f"{FORMAT}:" + ",".join(_PROFILE_FIELDS)


def index_stamp(folder: Path) -> str:
    """What identifies the index generation in ``folder`` as it is now: its name and a digest
    of its fingerprint file (which changes with every commit to it); "" when unreadable."""
    try:
        data = (folder / FINGERPRINT).read_bytes()
    except OSError:
        return ""
    return f"{folder.name}:{hashlib.blake2b(data, digest_size=12).hexdigest()}"


def article_digest(article: Article) -> str:
    """A digest of what profiling an article reads (so a changed article is profiled again)."""
    parts = (article.lang, str(article.published or ""), article.title, article.body)
    text = "\x00".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=12).hexdigest()


# ----- encoding profiles (types checked on the way back) -----


def _encode(value: Any) -> Any:
    if isinstance(value, Counter):
        return {"c": {str(k): v for k, v in value.items()}}
    if isinstance(value, frozenset | set):
        return {"s": sorted((_encode(v) for v in value), key=json.dumps)}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, tuple | list):
        return {"t": [_encode(v) for v in value]}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot store a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == "c" and isinstance(inner, dict):
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in inner.values()):
                raise ValueError("bad count")
            return Counter(inner)
        if tag == "s" and isinstance(inner, list):
            return frozenset(_decode(v) for v in inner)
        if tag == "d" and isinstance(inner, str):
            return date.fromisoformat(inner)
        if tag == "t" and isinstance(inner, list):
            return tuple(_decode(v) for v in inner)
    raise ValueError("bad value")


def _profile_record(p: Profile) -> dict[str, Any]:
    return {name: _encode(getattr(p, name)) for name in _PROFILE_FIELDS}


def _profile_from(record: Any) -> Profile:
    if not isinstance(record, dict) or set(record) != set(_PROFILE_FIELDS):
        raise ValueError("bad profile")
    found = Profile(**{name: _decode(record[name]) for name in _PROFILE_FIELDS})
    if not isinstance(found.article_id, str) or not isinstance(found.entities, Counter):
        raise ValueError("bad profile")
    return found


# ----- events.json -----


def _digest(records: Any) -> str:
    """A digest of the events as JSON: a file whose events do not match it is not trusted."""
    text = json.dumps(records, ensure_ascii=False, sort_keys=True, allow_nan=False)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _event_record(e: Event) -> dict[str, Any]:
    return {
        "id": e.id,
        "label": e.label,
        "articles": list(e.article_ids),
        "start": e.start.isoformat() if e.start else None,
        "end": e.end.isoformat() if e.end else None,
        "entities": list(e.entities),
        "cohesion": e.cohesion,
    }


def _str_list(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("bad list")
    return value


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("bad date")
    return date.fromisoformat(value)


def _event_from(record: Any) -> Event:
    if not isinstance(record, dict):
        raise ValueError("bad event")
    cohesion = record.get("cohesion")
    if not isinstance(cohesion, int | float) or isinstance(cohesion, bool):
        raise ValueError("bad cohesion")
    event_id, label = record.get("id"), record.get("label")
    if not isinstance(event_id, str) or not isinstance(label, str):
        raise ValueError("bad event")
    members = tuple(_str_list(record.get("articles")))
    if not members:
        raise ValueError("empty event")
    return Event(
        id=event_id,
        label=label,
        article_ids=members,
        start=_day(record.get("start")),
        end=_day(record.get("end")),
        entities=tuple(_str_list(record.get("entities"))),
        cohesion=float(cohesion),
    )


def _settings(threshold: float, gazetteer_name: str) -> dict[str, Any]:
    return {"format": _FORMAT_TAG, "threshold": threshold, "gazetteer": gazetteer_name}


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def read_events(
    folder: Path, threshold: float, gazetteer_name: str
) -> tuple[list[Event], dict[str, date]] | None:
    """(the stored automatic events, each article's publication date when known) of the index
    generation in ``folder``, or None when there are none usable: missing, damaged, of another
    generation or index state, or computed with
    another threshold or gazetteer. Never raises for what the file holds."""
    data = _read_json(folder / EVENTS_FILE)
    if not isinstance(data, dict) or data.get("index") != index_stamp(folder):
        return None
    if data.get("settings") != _settings(threshold, gazetteer_name):
        return None
    try:
        if data.get("digest") != _digest(data["events"]):
            return None
        events = [_event_from(r) for r in data["events"]]
        dates = data.get("published")
        if not isinstance(dates, dict):
            return None
        published = {i: d for i, v in dates.items() if (d := _day(v)) is not None}
    except (KeyError, ValueError, TypeError):
        return None
    seen: set[str] = set()
    for event in events:
        if seen.intersection(event.article_ids):
            return None  # an article in two events: not a file this module wrote
        seen.update(event.article_ids)
    return events, published


def _read_profiles(
    folder: Path, threshold: float, gazetteer_name: str
) -> tuple[dict[str, Profile], dict[str, str], list[list[str]]] | None:
    """(profiles, digests, automatic groups) stored in ``folder``, or None if unusable."""
    data = _read_json(folder / PROFILES_FILE)
    if not isinstance(data, dict) or data.get("settings") != _settings(threshold, gazetteer_name):
        return None
    try:
        articles = data["articles"]
        groups = [_str_list(g) for g in data["groups"]]
        if not isinstance(articles, dict):
            return None
        profiles: dict[str, Profile] = {}
        digests: dict[str, str] = {}
        for article_id, record in articles.items():
            if not isinstance(record, dict) or not isinstance(record.get("digest"), str):
                return None
            found = _profile_from(record.get("profile"))
            if found.article_id != article_id:
                return None
            profiles[article_id], digests[article_id] = found, record["digest"]
    except (KeyError, ValueError, TypeError):
        return None
    grouped = [i for g in groups for i in g]
    if len(grouped) != len(set(grouped)) or set(grouped) != set(profiles):
        return None
    return profiles, digests, groups


def _write(
    folder: Path,
    settings: dict[str, Any],
    profiles: Mapping[str, Profile],
    digests: Mapping[str, str],
    events: Sequence[Event],
) -> None:
    stored = {
        "settings": settings,
        "articles": {
            i: {"digest": digests[i], "profile": _profile_record(profiles[i])}
            for i in sorted(profiles)
        },
        "groups": [list(e.article_ids) for e in events],
    }
    write_atomically(folder / PROFILES_FILE, json.dumps(stored, ensure_ascii=False).encode())
    records = [_event_record(e) for e in events]
    record = {
        "index": index_stamp(folder),
        "settings": settings,
        "digest": _digest(records),
        "events": records,
        "published": {
            i: d.isoformat() for i in sorted(profiles) if (d := profiles[i].published) is not None
        },
    }
    write_atomically(folder / EVENTS_FILE, json.dumps(record, ensure_ascii=False).encode())


# ----- computing -----


def _sorted(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (-len(e.article_ids), e.id))


def refresh(
    folder: Path,
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    gazetteer_name: str,
    *,
    threshold: float,
    rebuild: bool = False,
) -> list[Event]:
    """Bring the events stored in ``folder`` up to date with ``articles`` (every article of
    the index) and return the automatic events (largest first, then by id). Profiles only the
    articles that are new or changed since the stored ones, unless ``rebuild`` or nothing
    usable is stored (then everything, clustered as :func:`group_events` does). Raises
    OSError when the files cannot be written."""
    settings = _settings(threshold, gazetteer_name)
    by_id = {a.id: a for a in articles}
    digests = {i: article_digest(a) for i, a in by_id.items()}
    titles = {i: a.title for i, a in by_id.items()}
    stored = None if rebuild else _read_profiles(folder, threshold, gazetteer_name)
    if stored is None:
        profiles = {i: profile(a, gazetteer) for i, a in by_id.items()}
        events = group_profiles(list(profiles.values()), titles, gazetteer, threshold=threshold)
        _write(folder, settings, profiles, digests, events)
        return events
    old_profiles, old_digests, groups = stored
    fresh = sorted(i for i in by_id if old_digests.get(i) != digests[i])
    kept = {i: p for i, p in old_profiles.items() if i in by_id and i not in set(fresh)}
    profiles = dict(kept)
    profiles.update({i: profile(by_id[i], gazetteer) for i in fresh})
    gone = set(old_profiles) - set(kept)
    similarity = Similarity(list(profiles.values()))
    clusters = [[i for i in g if i not in gone] for g in groups]  # may leave some empty
    touched = {n for n, g in enumerate(groups) if gone.intersection(g)}
    _assign(fresh, clusters, touched, similarity, threshold)
    events = _rebuild_events(clusters, touched, similarity, titles, gazetteer, folder, settings)
    _write(folder, settings, profiles, digests, events)
    return events


def _assign(
    fresh: Sequence[str],
    clusters: list[list[str]],
    touched: set[int],
    similarity: Similarity,
    threshold: float,
) -> None:
    """Put each article of ``fresh`` in the cluster whose average score with it is best and
    at least ``threshold``, or in a new one; marks the clusters changed in ``touched``."""
    where = {i: n for n, c in enumerate(clusters) for i in c}
    postings: dict[str, list[str]] = {}
    for article_id in where:
        for key in similarity.profiles[article_id].entities:
            postings.setdefault(key, []).append(article_id)
    for article_id in fresh:
        mine = similarity.profiles[article_id]
        candidates: set[str] = set()
        for key in mine.entities:
            candidates.update(postings.get(key, ()))
        totals: dict[int, float] = {}
        for other in candidates:
            score = similarity.score(article_id, other).score
            if score > 0:
                totals[where[other]] = totals.get(where[other], 0.0) + score
        best, best_average = -1, threshold
        for n, total in sorted(totals.items()):
            average = total / len(clusters[n])
            if average >= best_average and (best < 0 or average > best_average):
                best, best_average = n, average
        if best < 0:
            best = len(clusters)
            clusters.append([])
        clusters[best].append(article_id)
        where[article_id] = best
        touched.add(best)
        for key in mine.entities:
            postings.setdefault(key, []).append(article_id)


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
    previous: dict[tuple[str, ...], Event] = {}
    data = _read_json(folder / EVENTS_FILE)
    if isinstance(data, dict) and data.get("settings") == settings:
        try:
            previous = {e.article_ids: e for e in map(_event_from, data["events"])}
        except (KeyError, ValueError, TypeError):
            previous = {}

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
    stored = _read_profiles(folder, threshold, gazetteer_name)
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
    label of the event holding most of its members), and gains the undecided articles of
    each automatic event more than half made of its members, except those it excluded
    (``published``: the articles' dates, for date spans). Largest first, then by id."""
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
    for n, decision in enumerate(decisions.events):
        if not members[n]:
            continue
        sources = Counter(known[i].id for i in members[n])
        source = next(e for e in events if e.id == sources.most_common(1)[0][0])
        result.append(
            dataclasses.replace(
                _part(source, members[n], published),
                id=decision.id,
                label=decision.label or source.label,
                confirmed=decision.confirmed,
                decided=True,
            )
        )
    return _sorted(result)


def _part(event: Event, members: Sequence[str], published: Mapping[str, date]) -> Event:
    """``event`` reduced to (or extended to) ``members``: same label and entities, its own
    automatic id and date span when its members changed."""
    ids = tuple(sorted(members))
    if ids == event.article_ids:
        return event
    dates = [published[i] for i in ids if i in published]
    return dataclasses.replace(
        event,
        id=event_id(ids),
        article_ids=ids,
        start=min(dates) if dates else None,
        end=max(dates) if dates else None,
    )


def stored_ids(events: Sequence[Event]) -> list[str]:
    """Every article id of ``events``, sorted."""
    return sorted(i for e in events for i in e.article_ids)


__all__ = [
    "EVENTS_FILE",
    "PROFILES_FILE",
    "apply_decisions",
    "article_digest",
    "index_stamp",
    "read_events",
    "refresh",
    "scores_with",
    "stored_ids",
]
