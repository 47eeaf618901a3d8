"""The pairs of a large set of articles worth scoring, found with numpy (for
:meth:`reader.core.events.similarity.Similarity.edges`, which scores them).

:func:`pairs_sharing` counts, for every pair of articles, the weight of the distinctive
features they share (the inverted lists of the candidate search), a list length at a time,
and keeps the pairs that reach 2: the same pairs as counting pair by pair in Python.

:func:`may_reach` then drops the pairs whose score is surely below the grouping's minimum,
from a bound on each part of the score (:class:`Bounds`): the date factor of the nearest
days their *when* dates could be apart, the entity and word cosines at most the product of
the two vectors' lengths (Cauchy–Schwarz), the facts part at most what all the facts the
fewer-stating article has would give. Every bound is at least the part it stands for, so
a pair it drops scores below the minimum: the edges are the same as scoring every pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from sys import intern
from typing import Any

# A library about one beat names its people and places in far more articles than the
# candidate search looks at (Gaza, Hamas and Israel in most of a Gaza war's coverage), so two
# reports of one event often shared no feature rare enough to find them (a real library of 317
# reports: pairwise recall 0.69 against 0.86 scoring every pair). A name with the week it was
# named is rare: each article's DATED_NAMES rarest names of those more common than that, with
# each of its *when* days, in windows of DATED_DAYS days on two grids half a window apart (two
# days fewer than half a window apart share a window on one of them), are features of their
# own (:func:`dated_keys`): of its entities, and apart of the names the gazetteer does not know
# (a beat outside its world: the same library with the built-in gazetteer, recall 0.38 -> 0.48).
DATED_DAYS = 4
DATED_NAMES = 4

# Room for rounding: a bound computed in floats is taken this much larger.
SLACK = 1.0 + 1e-9


# Raw pairs (of every list, before counting) made at a time: the pairs are found for one range
# of first articles at a time, each holding about this many (8 bytes each, sorted, and some 30
# more while counted). At 50,000 articles, 5.5 million raw pairs at once took 300 MB.
BLOCK_PAIRS = 1_000_000
_ROW_PAIRS = 1 << 18  # raw pairs made at a time within a block (rows of one list length)


def dated_keys(common: Iterable[tuple[int, str]], when: Iterable[date]) -> tuple[str, ...]:
    """The dated features of an article (see :data:`DATED_DAYS`): of its ``common`` names
    ((document frequency, key) of each of its names more common than the candidate cap:
    entities, and names the gazetteer does not know, spelt alike in both scripts), the
    :data:`DATED_NAMES` rarest, each with each of its ``when`` days' window on both grids,
    as ``"key@grid:window"``, each once, in order. Empty for an undated article or one naming
    no common name. The keys are interned: the articles sharing one hold one copy of it (at
    50,000 articles a copy each took some 90 MB)."""
    days = sorted({d.toordinal() for d in when})
    if not days:
        return ()
    half = DATED_DAYS // 2
    windows = sorted({(grid, (day + grid * half) // DATED_DAYS) for day in days for grid in (0, 1)})
    return tuple(
        intern(f"{key}@{grid}:{window}")
        for _df, key in sorted(common)[:DATED_NAMES]
        for grid, window in windows
    )


def pairs_sharing(
    ids: Sequence[str],
    postings: Iterable[Sequence[str]],
    extra: Mapping[tuple[str, str], int],
) -> tuple[Any, Any]:
    """(first, second): numpy arrays of the positions in ``ids`` of the pairs (first <
    second, in increasing order of the pair) whose shared weight is at least 2: each list of
    ``postings`` (the articles holding one feature) gives each pair of its articles 2 when it
    holds at most three, else 1; ``extra`` (pairs of ids in id order) adds its own weights.

    The pairs are counted for one range of first articles at a time (about
    :data:`BLOCK_PAIRS` raw pairs each: a pair's weight comes from its range alone), and
    within one the pairs of the short lists and of the long ones are listed apart, each
    sorted in place and counted, so no weight is held per pair."""
    import numpy as np

    number = {article_id: n for n, article_id in enumerate(ids)}
    by_length: dict[int, list[list[int]]] = {}
    for held in postings:
        if len(held) >= 2:
            by_length.setdefault(len(held), []).append(sorted(number[i] for i in held))
    size = len(ids)
    rows = {n: np.array(lists, dtype=np.int64) for n, lists in by_length.items()}
    del by_length
    linked = np.array([number[a] * size + number[b] for a, b in extra], dtype=np.int64)
    weights = np.array(list(extra.values()), dtype=np.int64)
    order = np.argsort(linked, kind="stable")
    linked, weights = linked[order], weights[order]  # the keys are pairs: no code twice
    chosen = [_chosen_in(rows, size, lo, hi, linked, weights) for lo, hi in _blocks(rows, size)]
    found = np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)
    if size == 0:
        return found, found
    small = np.int32 if size < 2**31 else np.int64  # half the room for millions of pairs
    return (found // size).astype(small), (found % size).astype(small)


def _blocks(rows: Mapping[int, Any], size: int) -> list[tuple[int, int]]:
    """Ranges [lo, hi) of first articles covering 0..size, each the first of about
    :data:`BLOCK_PAIRS` raw pairs or fewer (one range when all are fewer)."""
    import numpy as np

    per_first = np.zeros(size + 1, dtype=np.int64)
    for length, table in rows.items():
        # In a sorted list of n, the i-th article is the first of n - 1 - i pairs.
        pairs_from = np.arange(length - 1, -1, -1, dtype=np.int64)
        per_first += np.bincount(
            table.ravel(), weights=np.tile(pairs_from, len(table)), minlength=size + 1
        ).astype(np.int64)
    total = int(per_first.sum())
    if total <= BLOCK_PAIRS:
        return [(0, size)]
    ends = np.cumsum(per_first)
    cuts = np.searchsorted(ends, np.arange(BLOCK_PAIRS, total, BLOCK_PAIRS), side="left")
    bounds = sorted({0, size, *(int(c) + 1 for c in cuts if 0 < int(c) + 1 < size)})
    return list(pairwise(bounds))


def _chosen_in(
    rows: Mapping[int, Any], size: int, lo: int, hi: int, linked: Any, weights: Any
) -> Any:
    """The sorted codes (first * size + second) of the pairs whose first article is in
    [lo, hi) that reach weight 2 (see :func:`pairs_sharing`)."""
    import numpy as np

    short, short_count = _counted(_pair_codes(rows, size, lo, hi, short=True))
    long, long_count = _counted(_pair_codes(rows, size, lo, hi, short=False))
    start, end = np.searchsorted(linked, (lo * size, hi * size))
    linked, weights = linked[start:end], weights[start:end]
    # A pair's weight is 2 for each short list, 1 for each long one, plus its extra weight;
    # each pair is judged once: with the short lists' pairs, else the long ones', else alone.
    long_at_short, _ = _values_at(long, long_count, short)
    extra_at_short, _ = _values_at(linked, weights, short)
    chosen_short = short[2 * short_count + long_at_short + extra_at_short >= 2]
    del long_at_short, extra_at_short
    _, long_in_short = _values_at(short, short_count, long)
    extra_at_long, _ = _values_at(linked, weights, long)
    chosen_long = long[~long_in_short & (long_count + extra_at_long >= 2)]
    del long_in_short, extra_at_long
    _, linked_in_short = _values_at(short, short_count, linked)
    _, linked_in_long = _values_at(long, long_count, linked)
    chosen_linked = linked[~linked_in_short & ~linked_in_long & (weights >= 2)]
    chosen = np.concatenate((chosen_short, chosen_long, chosen_linked))
    chosen.sort()
    return chosen


def _pair_codes(rows: Mapping[int, Any], size: int, lo: int, hi: int, *, short: bool) -> Any:
    """The code (first * size + second) of every pair whose first article is in [lo, hi)
    of every list of at most three articles (``short``) or of more, sorted: one array,
    filled a list length (and some rows of it) at a time."""
    import numpy as np

    parts = []
    for length in sorted(n for n in rows if (n <= 3) == short):
        table = rows[length]
        # The rows with a first article in range: their smallest below hi, and their
        # last-but-one (the largest that is first of a pair) at least lo.
        table = table[(table[:, 0] < hi) & (table[:, length - 2] >= lo)]
        first, second = np.triu_indices(length, 1)
        step = max(1, _ROW_PAIRS // first.size)
        for at in range(0, len(table), step):
            chunk = table[at : at + step]
            firsts = chunk[:, first]
            inside = (firsts >= lo) & (firsts < hi)
            found = firsts[inside]
            found *= size
            found += chunk[:, second][inside]
            parts.append(found)
    out = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    out.sort()
    return out


def _counted(codes: Any) -> tuple[Any, Any]:
    """(each code once, how many times it comes) of sorted ``codes``."""
    import numpy as np

    if codes.size == 0:
        return codes, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
    counts = np.diff(np.append(starts, codes.size))
    return codes[starts], counts


def _values_at(codes: Any, values: Any, wanted: Any) -> tuple[Any, Any]:
    """(the value of each of ``wanted`` among sorted unique ``codes``, 0 where it is not one;
    whether it is one)."""
    import numpy as np

    if codes.size == 0 or wanted.size == 0:
        return np.zeros(wanted.size, dtype=np.int64), np.zeros(wanted.size, dtype=bool)
    where = np.minimum(np.searchsorted(codes, wanted), codes.size - 1)
    found = codes[where] == wanted
    return np.where(found, values[where], 0), found


@dataclass(frozen=True, slots=True)
class Bounds:
    """What :func:`may_reach` knows of each article (numpy arrays, by position): ``first``
    and ``last`` ordinal of its *when* dates (``dated`` False when it has none), the lengths
    of its entity and word vectors, how many facts it states, its language (a number; -1 for
    a language whose words are not compared), whether it names a known entity, whether it is
    English or Arabic (the names part of the pairs across the two)."""

    first: Any
    last: Any
    dated: Any
    entity_length: Any
    term_length: Any
    facts: Any
    lang: Any
    named: Any
    english: Any
    arabic: Any


def make_bounds(
    rows: Sequence[tuple[int, int, bool, float, float, int, int, bool, bool, bool]],
) -> Bounds:
    """:class:`Bounds` from one row per article, in the order of :class:`Bounds`' fields."""
    import numpy as np

    columns = list(zip(*rows, strict=True)) if rows else [()] * 10
    types = (np.int64, np.int64, bool, np.float64, np.float64, np.int64, np.int64, bool, bool, bool)
    return Bounds(*(np.array(c, dtype=t) for c, t in zip(columns, types, strict=True)))


def may_reach(
    first: Any,
    second: Any,
    bounds: Bounds,
    minimum: float,
    weights: tuple[Mapping[str, float], Mapping[str, float]],
    same_days: int,
    days_scale: float,
    date_floor: float,
) -> Any:
    """A boolean numpy array: False for the pairs (``first[i]``, ``second[i]``) that surely
    score below ``minimum`` (see the module's docstring). ``weights``: the score's weights
    within one language and across two; ``same_days``, ``days_scale``, ``date_floor``: the
    date factor's settings (:func:`reader.core.events.similarity.date_factor`). Worked out
    :data:`SLICE` pairs at a time (each step makes a few arrays as long as its pairs: at
    50,000 articles, millions of pairs at once took some 90 MB more)."""
    import numpy as np

    settings = (bounds, minimum, weights, same_days, days_scale, date_floor)
    if len(first) <= SLICE:
        return _may_reach(first, second, *settings)
    parts = [
        _may_reach(first[at : at + SLICE], second[at : at + SLICE], *settings)
        for at in range(0, len(first), SLICE)
    ]
    return np.concatenate(parts)


SLICE = 1 << 18  # pairs :func:`may_reach` bounds at a time


def _may_reach(
    first: Any,
    second: Any,
    bounds: Bounds,
    minimum: float,
    weights: tuple[Mapping[str, float], Mapping[str, float]],
    same_days: int,
    days_scale: float,
    date_floor: float,
) -> Any:
    """:func:`may_reach` of some pairs at once."""
    import numpy as np

    b = bounds
    both_dated = b.dated[first] & b.dated[second]
    apart = np.maximum(
        0, np.maximum(b.first[second] - b.last[first], b.first[first] - b.last[second])
    )
    extra = np.maximum(apart - same_days, 0).astype(np.float64)
    factor = np.where(
        both_dated & (apart > same_days),
        np.maximum(date_floor, 1.0 / (1.0 + extra / days_scale)),
        1.0,
    )
    entities = b.entity_length[first] * b.entity_length[second] * SLACK
    terms = b.term_length[first] * b.term_length[second] * SLACK
    fewest = np.minimum(b.facts[first], b.facts[second])
    facts = 1.0 - np.power(0.5, fewest.astype(np.float64))
    same = (b.lang[first] == b.lang[second]) & (b.lang[first] >= 0)
    named = b.named[first] & b.named[second]
    across = (b.english[first] & b.arabic[second]) | (b.arabic[first] & b.english[second])
    one, two = weights
    within = np.where(
        named,
        one["entities"] * entities + one["terms"] * terms + one["facts"] * facts,
        (one["terms"] * terms + one["facts"] * facts) / (one["terms"] + one["facts"]),
    )
    entities_across = np.where(across, 1.0, entities)
    between = two["entities"] * entities_across + two["facts"] * facts
    most = np.where(same, within, between)
    result: Any = most * factor * SLACK >= minimum
    return result
