"""The stored events are decoded once per content: a library asked for its events again (the
app's events screen, each decision) does not decode tens of thousands of records again, and
never serves what a changed or damaged file no longer holds."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from reader.core.events import store_files
from reader.core.events.event import Event, event_id
from reader.core.events.similarity import Profile
from reader.core.events.store_files import EVENTS_FILE, read_events_file, write_files
from reader.core.events.store_header import store_settings

SETTINGS = store_settings(0.3, "test-gazetteer")


def _profile(article_id: str, day: date) -> Profile:
    return Profile(
        article_id,
        "en",
        day,
        Counter({"e1": 1}),
        Counter({"word": 2}),
        frozenset({"killed:5"}),
        frozenset({day}),
        frozenset({day}),
    )


def _store(folder: Path, groups: list[tuple[str, ...]], label: str) -> None:
    day = date(2024, 5, 1)
    ids = [i for g in groups for i in g]
    profiles = {i: _profile(i, day) for i in ids}
    digests = {i: f"digest-{i}" for i in ids}
    events = [
        Event(id=event_id(g), label=f"{label} {n}", article_ids=g, start=day, end=day)
        for n, g in enumerate(groups)
    ]
    write_files(folder, "stamp", SETTINGS, profiles, digests, events)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    decoded: list[object] = []
    original = store_files.event_from

    def counted(record: object) -> Event:
        decoded.append(record)
        return original(record)

    monkeypatch.setattr(store_files, "event_from", counted)
    return decoded


def test_the_same_events_file_is_decoded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store(tmp_path, [("a", "b"), ("c",)], "first")
    decoded = _counting(monkeypatch)
    first = read_events_file(tmp_path, SETTINGS)
    assert first is not None and len(decoded) == 2
    first[1].clear()  # what a caller does with its copy changes nothing stored
    first[2].clear()
    again = read_events_file(tmp_path, SETTINGS)
    assert len(decoded) == 2  # not decoded again
    assert again is not None
    assert [e.article_ids for e in again[1]] == [("a", "b"), ("c",)]
    assert set(again[2]) == {"a", "b", "c"}


def test_a_changed_events_file_is_decoded_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store(tmp_path, [("a", "b"), ("c",)], "first")
    assert read_events_file(tmp_path, SETTINGS) is not None
    _store(tmp_path, [("a",), ("b", "c")], "second")
    decoded = _counting(monkeypatch)
    found = read_events_file(tmp_path, SETTINGS)
    assert found is not None and len(decoded) == 2
    assert [e.article_ids for e in found[1]] == [("a",), ("b", "c")]
    assert {e.label for e in found[1]} == {"second 0", "second 1"}


def test_a_damaged_events_file_is_not_served_from_what_was_decoded(tmp_path: Path) -> None:
    _store(tmp_path, [("a", "b"), ("c",)], "first")
    assert read_events_file(tmp_path, SETTINGS) is not None
    path = tmp_path / EVENTS_FILE
    data = path.read_bytes()
    path.write_bytes(data.replace(b"first 0", b"firsT 0"))  # the digest no longer matches
    assert read_events_file(tmp_path, SETTINGS) is None
    path.write_bytes(data)
    assert read_events_file(tmp_path, store_settings(0.5, "test-gazetteer")) is None


def test_profiles_round_trip_the_store_and_a_bad_record_is_never_trusted(tmp_path: Path) -> None:
    import json

    from reader.core.events.store_files import PROFILES_FILE, read_profiles
    from tests.test_event_pairs import _profiles

    found = _profiles(11, 60)
    profiles = {p.article_id: p for p in found}
    digests = {i: f"d-{i}" for i in profiles}
    events = [Event(id=event_id((i,)), label=i, article_ids=(i,)) for i in sorted(profiles)]
    write_files(tmp_path, "stamp", SETTINGS, profiles, digests, events)
    stored = read_profiles(tmp_path, 0.3, "test-gazetteer")
    assert stored is not None and stored[0] == profiles and stored[1] == digests
    path = tmp_path / PROFILES_FILE
    good = json.loads(path.read_text(encoding="ascii"))
    first = sorted(profiles)[0]
    for field, bad in [
        (2, 10**20),  # a day out of range
        (2, "2024-01-01"),
        (3, {"e1": True}),  # a count that is not a number
        (5, "killed:5"),
        (7, [1.5]),
        (8, [[5]]),
        (0, None),  # no digest
    ]:
        record = list(good["articles"][first])
        record[field] = bad
        path.write_text(json.dumps({**good, "articles": {**good["articles"], first: record}}))
        assert read_profiles(tmp_path, 0.3, "test-gazetteer") is None, (field, bad)
    path.write_text(json.dumps({**good, "articles": {**good["articles"], first: [1, 2]}}))
    assert read_profiles(tmp_path, 0.3, "test-gazetteer") is None
