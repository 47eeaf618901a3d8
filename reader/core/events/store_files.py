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
from reader.core.events.grouping import Profile, Similarity
from reader.core.events.store_header import EVENTS_FILE as EVENTS_FILE
from reader.core.events.store_header import EVENTS_LAYOUT as EVENTS_LAYOUT
from reader.core.events.store_header import blake
from reader.core.events.store_header import events_header as events_header
from reader.core.events.store_header import index_stamp as index_stamp
from reader.core.events.store_header import store_settings as store_settings
from reader.core.events.store_scores import SCORES_FILE, scores_token, write_scores
from reader.core.files.safe_write import write_atomically
from reader.core.sources.article import Article

PROFILES_FILE = "event-profiles.json"
_PROFILE_FIELDS = tuple(f.name for f in dataclasses.fields(Profile))  # == PROFILE_FIELDS


def article_digest(article: Article) -> str:
    """A digest of what profiling an article reads (so a changed article is profiled again)."""
    parts = (article.lang, str(article.published or ""), article.title, article.body)
    text = "\x00".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=12).hexdigest()


# ----- encoding profiles (types checked on the way back) -----


def _encode(value: Any) -> Any:
    if isinstance(value, Counter):
        if all(type(k) is str for k in value):
            return {"c": dict(value)}
        return {"c": {str(k): v for k, v in value.items()}}
    if isinstance(value, frozenset | set):
        if all(type(v) is str for v in value):  # the common case, sorted without encoding
            return {"s": sorted(value)}
        if all(type(v) is date for v in value):
            return {"s": [{"d": v.isoformat()} for v in sorted(value)]}
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


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def read_events_file(
    folder: Path, settings: dict[str, Any]
) -> tuple[dict[str, Any], list[Event], dict[str, date]] | None:
    """(header, events, publication dates) of the events file in ``folder`` when it is whole,
    computed with ``settings``, and every event in it valid with no article in two events
    (whatever index state it is stamped with); None otherwise, never an exception. A file
    whose content was decoded last time is not decoded again (the events and dates are
    given as new lists and dicts; the content is checked against its digest every time)."""
    found = events_header(folder)
    if found is None or found[0].get("settings") != settings:
        return None
    header, payload = found
    # The payload was checked against the header's digest: what was decoded from a payload
    # of that digest before is what decoding it again gives (50,000 events: about a second).
    known = _decoded.get(header["digest"])
    if known is None:
        known = _decode_events(payload)
        if known is None:
            return None
        _decoded.clear()  # only the last one is kept
        _decoded[header["digest"]] = known
    return header, list(known[0]), dict(known[1])


# The events and publication dates last decoded, by the digest of the payload they came from.
_decoded: dict[str, tuple[list[Event], dict[str, date]]] = {}


def _decode_events(payload: bytes) -> tuple[list[Event], dict[str, date]] | None:
    """The events and publication dates of an events file's payload; None when it is not
    one this module wrote (bad types, an article in two events)."""
    try:
        data = json.loads(payload)
        if not isinstance(data, dict) or not isinstance(data.get("events"), list):
            return None
        events = [event_from(r) for r in data["events"]]
        dates = data.get("published")
        if not isinstance(dates, dict):
            return None
        published = {i: d for i, v in dates.items() if (d := _day(v)) is not None}
    except (ValueError, TypeError, RecursionError):
        return None
    seen: set[str] = set()
    for event in events:
        if seen.intersection(event.article_ids):
            return None  # an article in two events: not a file this module wrote
        seen.update(event.article_ids)
    return events, published


def read_events(
    folder: Path, threshold: float, gazetteer_name: str
) -> tuple[list[Event], dict[str, date]] | None:
    """(the stored automatic events, each article's publication date when known) of the index
    generation in ``folder``, or None when there are none usable: missing, damaged, of another
    generation or index state, or computed with
    another threshold or gazetteer. Never raises for what the file holds."""
    found = read_events_file(folder, store_settings(threshold, gazetteer_name))
    if found is None or found[0].get("index") != index_stamp(folder):
        return None
    return found[1], found[2]


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
    similarity: Similarity | None = None,
) -> None:
    """Write both files atomically, the profiles first (or only the events file when
    ``profiles_too`` is false), the events stamped with ``stamp`` (the index state the
    articles were read at). ``similarity``: one over exactly ``profiles``, when the caller
    has it (the similarity table is made from it)."""
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
    payload = json.dumps({"events": records, "published": published}).encode("ascii")
    # What the similarity table must have been written with to serve these events' profiles.
    token = blake(payload + json.dumps(sorted(digests.items())).encode("ascii"))
    table = folder / SCORES_FILE
    if profiles_too or scores_token(table) != token:
        rows = [(e.id, e.article_ids, json.dumps(r)) for e, r in zip(events, records, strict=True)]
        write_scores(table, profiles, digests, settings, token, rows, similarity)
    header = {
        "layout": EVENTS_LAYOUT,
        "index": stamp,
        "settings": settings,
        "digest": blake(payload),
        "scores": token,
    }
    write_atomically(folder / EVENTS_FILE, json.dumps(header).encode("ascii") + b"\n" + payload)
