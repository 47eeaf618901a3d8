"""The files of the event store, beside the index generation: what they hold, and reading
them without trusting them.

``events.json`` holds the automatic events (before the user's decisions) with the index's stamp
(:func:`index_stamp`), the settings they were computed with and a digest of the events;
``event-profiles.json`` each article's content digest and the features
:func:`reader.core.events.grouping.profile` found in it, and the automatic groups. Both are
written atomically; a reader gets None (recompute) for a file that is missing, damaged,
truncated, edited, of another index state or computed with other settings, never an exception.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reader.core.events.event import Event
from reader.core.events.grouping import Profile
from reader.core.files.safe_write import write_atomically
from reader.core.search.index_files import FINGERPRINT
from reader.core.sources.article import Article

EVENTS_FILE = "events.json"
PROFILES_FILE = "event-profiles.json"
# Bumped whenever profile() or the grouping computes differently, so stored features and events
# of an older release are recomputed, not trusted (2: year-less dates not read months ahead,
# the latest early date as dateline, date spans in the clustering; 3: the names the gazetteer
# does not know).
FORMAT = 3
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
    if not isinstance(found.names, Counter):
        raise ValueError("bad profile")
    return found


# ----- events.json -----


def events_digest(records: Any, published: Any) -> str:
    """A digest of the events and dates as JSON: a file that does not match it is not
    trusted."""
    text = json.dumps([records, published], ensure_ascii=False, sort_keys=True, allow_nan=False)
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


def event_from(record: Any) -> Event:
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


def store_settings(threshold: float, gazetteer_name: str) -> dict[str, Any]:
    return {"format": _FORMAT_TAG, "threshold": threshold, "gazetteer": gazetteer_name}


def read_json(path: Path) -> Any:
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
    data = read_json(folder / EVENTS_FILE)
    if not isinstance(data, dict) or data.get("index") != index_stamp(folder):
        return None
    if data.get("settings") != store_settings(threshold, gazetteer_name):
        return None
    try:
        if data.get("digest") != events_digest(data["events"], data.get("published")):
            return None
        events = [event_from(r) for r in data["events"]]
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


def read_profiles(
    folder: Path, threshold: float, gazetteer_name: str
) -> tuple[dict[str, Profile], dict[str, str], list[list[str]] | None] | None:
    """(profiles, digests, automatic groups) stored in ``folder``, or None if unusable; the
    groups are None when they were made with another threshold (the profiles still serve)."""
    data = read_json(folder / PROFILES_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("settings"), dict):
        return None
    wanted = store_settings(threshold, gazetteer_name)
    found_settings = dict(data["settings"])
    same_threshold = found_settings.pop("threshold", None) == wanted.pop("threshold")
    if found_settings != wanted:
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
    return profiles, digests, groups if same_threshold else None


def write_files(
    folder: Path,
    stamp: str,
    settings: dict[str, Any],
    profiles: Mapping[str, Profile],
    digests: Mapping[str, str],
    events: Sequence[Event],
    *,
    profiles_too: bool = True,
) -> None:
    """Write both files atomically, the profiles first (or only the events file when
    ``profiles_too`` is false), the events stamped with ``stamp`` (the index state the
    articles were read at)."""
    stored = {
        "settings": settings,
        "articles": {
            i: {"digest": digests[i], "profile": _profile_record(profiles[i])}
            for i in sorted(profiles)
        },
        "groups": [list(e.article_ids) for e in events],
    }
    if profiles_too:
        # ASCII escapes: any string the index holds (even a lone surrogate) round-trips.
        write_atomically(folder / PROFILES_FILE, json.dumps(stored).encode("ascii"))
    records = [_event_record(e) for e in events]
    published = {
        i: d.isoformat() for i in sorted(profiles) if (d := profiles[i].published) is not None
    }
    record = {
        "index": stamp,
        "settings": settings,
        "digest": events_digest(records, published),
        "events": records,
        "published": published,
    }
    write_atomically(folder / EVENTS_FILE, json.dumps(record).encode("ascii"))
