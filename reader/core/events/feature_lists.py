"""The inverted lists of the similarity table (:mod:`reader.core.events.store_scores`): for
each key of one kind of feature, the articles whose vector keeps it (their numbers,
increasing) and the weight each gives it, grouped with numpy rather than entry by entry.

At 50,000 articles the words alone have some 5 million entries. Each article's keys are
turned into the keys' numbers in C (``map`` of a dict's lookup into an ``array``), its weights
copied whole; then, a part of the keys at a time (:data:`PART_ENTRIES` entries at most, so
the sorting's arrays stay small), the entries of the part are put in key order by a stable
sort (so each key's articles stay in increasing order) and cut into each key's lists. What
callers may rely on: the bytes are those of ``array("i", numbers).tobytes()`` and
``array("d", weights).tobytes()`` of the lists gathered one entry at a time.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterable, Iterator, Sequence

__all__ = ["PART_ENTRIES", "feature_lists"]

PART_ENTRIES = 1 << 18  # entries sorted at a time (about 10 MB of numpy arrays)

# One article's entries: its keys, and their weights in the same order (None: no weights).
Entries = tuple[Iterable[str], "array[float] | Iterable[float] | None"]


def feature_lists(
    keys: Sequence[str], entries: Iterable[Entries]
) -> Iterator[tuple[str, bytes, bytes]]:
    """For each of ``keys`` (sorted, unique; every key of ``entries`` is one of them), in
    order: (key, the numbers of the articles of ``entries`` that have it (their position in
    it, increasing) as C ints, their weights as doubles (``b""`` when the articles have no
    weights)). A key no article has gets ``b""`` twice. Raises KeyError for a key of
    ``entries`` not in ``keys``."""
    import numpy as np

    index = {key: n for n, key in enumerate(keys)}
    numbered = array("i")
    weights = array("d")
    ends = array("q")  # where each article's entries end
    weighted = False
    for article_keys, article_weights in entries:
        numbered.extend(map(index.__getitem__, article_keys))
        if article_weights is not None:
            weights.extend(article_weights)
            weighted = True
        ends.append(len(numbered))
    del index
    if weighted and len(weights) != len(numbered):
        raise ValueError("an article's weights are not as many as its keys")
    ids = np.frombuffer(numbered, dtype=np.intc) if numbered else np.zeros(0, np.intc)
    stops = np.frombuffer(ends, dtype=np.int64) if ends else np.zeros(0, np.int64)
    values = np.frombuffer(weights, dtype=np.float64) if weighted else None
    # Each key's entries, counted a slice at a time (bincount makes its input 64-bit).
    counted = np.zeros(len(keys), dtype=np.int64)
    for at in range(0, len(ids), PART_ENTRIES):
        counted += np.bincount(ids[at : at + PART_ENTRIES], minlength=len(keys))
    counts = counted.tolist()
    del counted
    # The parts: consecutive keys, as many as fit in PART_ENTRIES entries (at least one).
    bounds = [0]
    size = 0
    for k, count in enumerate(counts):
        if size and size + count > PART_ENTRIES:
            bounds.append(k)
            size = 0
        size += count
    bounds.append(len(keys))
    # Each entry's part, worked out once (not a comparison of every entry for each part).
    part_type = np.uint8 if len(bounds) <= 256 else np.int32
    part_of_key = np.repeat(np.arange(len(bounds) - 1, dtype=part_type), np.diff(bounds))
    part_of = part_of_key[ids] if len(bounds) > 2 else None
    del part_of_key
    empty = b""
    for part, (first, last) in enumerate(itertools.pairwise(bounds)):
        if part_of is None:  # one part: every entry
            order = np.argsort(ids, kind="stable")
        else:
            chosen = np.flatnonzero(part_of == part)
            order = chosen[np.argsort(ids[chosen], kind="stable")]
            del chosen
        articles = np.searchsorted(stops, order, side="right").astype(np.intc)
        gathered = values[order] if values is not None else None
        del order
        at = 0
        for k in range(first, last):
            count = counts[k]
            if not count:
                yield keys[k], empty, empty
                continue
            end = at + count
            numbers = articles[at:end].tobytes()
            yield keys[k], numbers, gathered[at:end].tobytes() if gathered is not None else empty
            at = end
        del articles, gathered
