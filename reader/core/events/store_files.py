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

import hashlib
import itertools
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reader.core.events.event import Event
from reader.core.events.grouping import Profile, Similarity
from reader.core.events.store_header import EVENTS_FILE as EVENTS_FILE
from reader.core.events.store_header import EVENTS_LAYOUT as EVENTS_LAYOUT
from reader.core.events.store_header import events_header as events_header
from reader.core.events.store_header import index_stamp as index_stamp
from reader.core.events.store_header import store_settings as store_settings
from reader.core.events.store_records import PIECE as PIECE
from reader.core.events.store_records import StoredRecords, joined, locate
from reader.core.events.store_scores import SCORES_FILE, scores_token, write_scores
from reader.core.files.safe_write import write_atomically
from reader.core.sources.article import Article

PROFILES_FILE = "event-profiles.json"


def article_digest(article: Article) -> str:
    """A digest of what profiling an article reads (so a changed article is profiled again)."""
    parts = (article.lang, str(article.published or ""), article.title, article.body)
    text = "\x00".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=12).hexdigest()


# ----- encoding profiles (types checked on the way back) -----
# A profile is stored as one JSON list: [digest, language, publication day (ordinal, or
# null), entities {key: count}, terms {word: count}, facts [key...], dates [ordinal...],
# when [ordinal...], when without a year [[month, day]...], names {name: count}] under its
# article's id: the profiles of 50,000 articles are written and read at once.


def profile_record(p: Profile, digest: str) -> list[Any]:
    return [
        digest,
        p.lang,
        p.published.toordinal() if p.published is not None else None,
        dict(p.entities),
        dict(p.terms),
        sorted(p.facts),
        sorted(d.toordinal() for d in p.dates),
        sorted(d.toordinal() for d in p.when),
        sorted([month, day] for month, day in p.when_no_year),
        dict(p.names),
    ]


def _int(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("bad number")
    return value


def _days(value: Any) -> frozenset[date]:
    if not isinstance(value, list):
        raise ValueError("bad dates")
    return frozenset(date.fromordinal(_int(v)) for v in value)


def _counts(value: Any) -> Counter[str]:
    if not isinstance(value, dict) or not all(type(v) is int for v in value.values()):
        raise ValueError("bad counts")
    return Counter(value)


def _month_day(value: Any) -> tuple[int, int]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("bad month and day")
    return _int(value[0]), _int(value[1])


def _profile_from(article_id: str, record: Any) -> tuple[Profile, str]:
    """(the profile, its article's digest) of a stored record; ValueError (or OverflowError,
    for a day out of range) when it is not one :func:`profile_record` wrote."""
    if not isinstance(record, list) or len(record) != 10:
        raise ValueError("bad profile")
    digest, lang, published, entities, terms, facts, dates, when, no_year, names = record
    if not isinstance(digest, str) or not isinstance(lang, str) or not isinstance(no_year, list):
        raise ValueError("bad profile")
    profile = Profile(
        article_id,
        lang,
        date.fromordinal(_int(published)) if published is not None else None,
        _counts(entities),
        _counts(terms),
        frozenset(_str_list(facts)),
        _days(dates),
        _days(when),
        frozenset(_month_day(v) for v in no_year),
        _counts(names),
    )
    return profile, digest


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
    found = read_stored(folder, threshold, gazetteer_name, locating=False)
    return None if found is None else found[:3]


def read_stored(
    folder: Path, threshold: float, gazetteer_name: str, *, locating: bool = True
) -> tuple[dict[str, Profile], dict[str, str], list[list[str]] | None, StoredRecords | None] | None:
    """:func:`read_profiles`, with where each profile's entry lies in the file (None when it
    is not laid out one entry a line): an update copies the entries it keeps from there
    (:mod:`reader.core.events.store_records`); without ``locating``, not worked out (None)."""
    path = folder / PROFILES_FILE
    try:
        with path.open(encoding="utf-8", newline="") as handle:  # every offset kept
            stat = os.fstat(handle.fileno())
            text = handle.read()
        data = json.loads(text)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("settings"), dict):
        return None
    articles = data.get("articles")
    where = None
    if locating and isinstance(articles, dict):
        where = locate(path, stat, text, list(articles))
    del text  # (at 50,000 articles, some 200 MB)
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
            profiles[article_id], digests[article_id] = _profile_from(article_id, record)
    except (KeyError, ValueError, TypeError, OverflowError):
        return None
    grouped = [i for g in groups for i in g]
    if len(grouped) != len(set(grouped)) or set(grouped) != set(profiles):
        return None
    return profiles, digests, groups if same_threshold else None, where


def profile_entry(article_id: str, p: Profile, digest: str) -> bytes:
    """The ``"id": record`` entry of a profile in the profiles file."""
    return f"{json.dumps(article_id)}: {json.dumps(profile_record(p, digest))}".encode("ascii")


def _records(profiles: Mapping[str, Profile], digests: Mapping[str, str]) -> Iterator[bytes]:
    """The ``"id": record`` entries of the profiles file, in id order, one a line, in pieces
    of ``PIECE`` profiles."""
    return joined(sorted(profiles), lambda i: profile_entry(i, profiles[i], digests[i]))


def _profiles_json(
    settings: Mapping[str, Any],
    profiles: Mapping[str, Profile],
    digests: Mapping[str, str],
    groups: Sequence[Sequence[str]],
    records: Iterable[bytes] | None = None,
) -> Iterator[bytes]:
    """The profiles file, in pieces of ``PIECE`` profiles: JSON of ``{"settings": settings,
    "articles": {id: record...}, "groups": groups}`` as ``json.dumps`` writes it (ASCII
    escapes: any string the index holds, even a lone surrogate, round-trips), except that
    each ``"id": record`` entry of the articles is on a line of its own (so an update copies
    the entries it keeps: :mod:`reader.core.events.store_records`), without ever holding
    every record, or the whole text, at once; the records' pieces from ``records`` when
    given (see :func:`write_files`)."""
    dumps = json.dumps
    yield f'{{"settings": {dumps(settings)}, "articles": {{\n'.encode("ascii")
    if records is None:
        yield from _records(profiles, digests)
    else:
        yield from records
    yield f'\n}}, "groups": {dumps(groups)}}}'.encode("ascii")


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
    spooled: Iterable[bytes] | None = None,
) -> None:
    """Write both files atomically, the profiles first (or only the events file when
    ``profiles_too`` is false), the events stamped with ``stamp`` (the index state the
    articles were read at). ``similarity``: one over exactly ``profiles``, when the caller
    has it (the similarity table is made from it); ``spooled``: the records of exactly
    ``profiles`` and ``digests`` as :func:`_records` gives them, when the caller has them
    (:class:`reader.core.events.store_scratch.ProfileSpool`: then the profiles' words and
    written dates are not read)."""
    if profiles_too:
        groups = [e.article_ids for e in events]  # written as lists: no list made of each
        write_atomically(
            folder / PROFILES_FILE, _profiles_json(settings, profiles, digests, groups, spooled)
        )
    records = [json.dumps(_event_record(e)) for e in events]  # each event's record, as JSON
    published = {
        i: d.isoformat() for i in sorted(profiles) if (d := profiles[i].published) is not None
    }
    # The payload, json.dumps({"events": [record...], "published": published}), in pieces:
    # digested and written piece by piece, never joined (16 MB at 50,000 articles).
    payload = _Payload(records, json.dumps(published))
    del published
    digest = hashlib.blake2b(digest_size=16)  # blake(payload)
    # What the similarity table must have been written with to serve these events' profiles.
    scores = hashlib.blake2b(digest_size=16)  # blake(payload + the digests)
    for piece in payload:
        digest.update(piece)
        scores.update(piece)
    scores.update(json.dumps(sorted(digests.items())).encode("ascii"))
    token = scores.hexdigest()
    table = folder / SCORES_FILE
    if profiles_too or scores_token(table) != token:
        rows = [(e.id, e.article_ids, r) for e, r in zip(events, records, strict=True)]
        write_scores(table, profiles, digests, settings, token, rows, similarity)
        del rows
    header = {
        "layout": EVENTS_LAYOUT,
        "index": stamp,
        "settings": settings,
        "digest": digest.hexdigest(),
        "scores": token,
    }
    top = json.dumps(header).encode("ascii") + b"\n"
    write_atomically(folder / EVENTS_FILE, itertools.chain((top,), payload))


class _Payload:
    """The bytes of ``json.dumps({"events": [record...], "published": {...}})`` from the
    JSON of each record and of the dates (as json.dumps joins a list's items and a dict's
    entries), in pieces: encoded each time it is gone through, one piece at a time."""

    def __init__(self, records: Sequence[str], published: str) -> None:
        self._records = records
        self._published = published

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"events": ['
        for n, record in enumerate(self._records):
            yield (", " + record if n else record).encode("ascii")
        yield b'], "published": ' + self._published.encode("ascii") + b"}"
