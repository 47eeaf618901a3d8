"""The similarity table's inverted lists, grouped with numpy a part of the keys at a time
(issue 13: writing the table took 6.5 s of the events' 38 s at 50,000 articles, most of it
going through every entry once for each of four parts of the words). The bytes must be those
gathered one entry at a time, whatever the parts."""

from __future__ import annotations

import random
from array import array

import pytest

from reader.core.events import feature_lists as module
from reader.core.events.feature_lists import feature_lists

Entries = list[tuple[list[str], list[float] | None]]


def _gathered(keys: list[str], entries: Entries) -> list[tuple[str, bytes, bytes]]:
    """The lists gathered one entry at a time, as the table was written before."""
    numbers: dict[str, array[int]] = {k: array("i") for k in keys}
    weights: dict[str, array[float]] = {k: array("d") for k in keys}
    for n, (article_keys, article_weights) in enumerate(entries):
        for m, key in enumerate(article_keys):
            numbers[key].append(n)
            if article_weights is not None:
                weights[key].append(article_weights[m])
    return [(k, numbers[k].tobytes(), weights[k].tobytes()) for k in keys]


def _entries(seed: int, weighted: bool) -> tuple[list[str], Entries]:
    rng = random.Random(seed)
    keys = sorted({f"w{rng.randrange(400):03d}" for _ in range(300)} | {"zz-unused"})
    used = keys[:-1]
    entries: Entries = []
    for _ in range(250):
        chosen = rng.sample(used, rng.randrange(0, 30))  # an article may have no key
        values = [rng.random() for _ in chosen] if weighted else None
        entries.append((chosen, values))
    return keys, entries


@pytest.mark.parametrize("part", [1, 7, 64, 1 << 18])
@pytest.mark.parametrize("weighted", [True, False])
def test_the_lists_are_those_gathered_one_entry_at_a_time_whatever_the_parts(
    monkeypatch: pytest.MonkeyPatch, part: int, weighted: bool
) -> None:
    monkeypatch.setattr(module, "PART_ENTRIES", part)
    keys, entries = _entries(part, weighted)
    made = list(feature_lists(keys, ((k, w) for k, w in entries)))
    expected = _gathered(keys, entries)
    if not weighted:
        expected = [(k, numbers, b"") for k, numbers, _w in expected]
    assert made == expected
    assert made[-1] == ("zz-unused", b"", b"")  # a key no article has


def test_weights_may_come_as_arrays_or_a_dicts_values() -> None:
    vector = {"b": 0.25, "a": 0.5}
    made = list(feature_lists(["a", "b", "c"], [(vector.keys(), vector.values())]))
    made += list(feature_lists(["a", "b", "c"], [(("b", "a"), array("d", (0.25, 0.5)))]))
    one = array("i", (0,)).tobytes()
    half, quarter = array("d", (0.5,)).tobytes(), array("d", (0.25,)).tobytes()
    assert made == [("a", one, half), ("b", one, quarter), ("c", b"", b"")] * 2


def test_a_key_not_among_the_keys_is_an_error() -> None:
    with pytest.raises(KeyError):
        list(feature_lists(["a"], [(("a", "b"), None)]))
    with pytest.raises(ValueError, match="weights"):
        list(feature_lists(["a", "b"], [(("a", "b"), [0.5])]))
    assert list(feature_lists([], [])) == []
