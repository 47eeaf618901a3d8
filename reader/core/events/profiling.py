"""Profiling many articles at once: :func:`profile_all`, on worker processes when it pays.

The features of an article (:func:`reader.core.events.features.profile`) depend on that
article and the gazetteer alone, so a large batch (a first build, a rebuild) is split into
chunks profiled on one worker process per core (:func:`reader.core.files.processes.
map_in_processes`: spawned, dying with reader, quiet). The result is the same list, in the
same order, as profiling each article here; when workers cannot be started (no processes
allowed, no semaphores, a worker killed from outside) the articles are profiled here.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from sys import intern
from typing import Any

from reader.core.events.features import Profile, lead, profile
from reader.core.files.processes import WorkerFailed, Workers, map_in_processes
from reader.core.names.entities import Gazetteer
from reader.core.sources.article import Article

PARALLEL_FROM = 1000  # articles; fewer are profiled here (starting workers costs ~0.5 s)
CHUNK = 250  # articles sent to a worker at a time
MAX_WORKERS = 8


def profile_all(
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    then: Callable[[Profile], Profile] | None = None,
    started: Workers | None = None,
    packed: tuple[Callable[[Job], Any], Callable[[Any], list[Profile]]] | None = None,
) -> list[Profile]:
    """:func:`profile` of each article, in order (see the module docstring); with ``then``,
    what it returns for each profile, called as each profile arrives (so a caller may keep
    less of each than the whole; it may be called again for a profile when the workers
    fail midway). ``started``: workers started before (:func:`start_workers`), used (and
    left running) rather than new ones when the articles are many enough. ``packed``: on
    workers, (what a worker runs on each chunk (a :data:`Job`) in place of
    :func:`_profile_chunk`, what turns its result into the chunk's profiles here, in
    order, in place of :func:`_unpacked_chunk` and ``then``): the result must be that of
    ``then`` on each profile."""
    keep = _as_is if then is None else then
    workers = min(os.cpu_count() or 1, MAX_WORKERS, -(-len(articles) // CHUNK))
    if len(articles) < PARALLEL_FROM or workers < 2:
        return [keep(profile(a, gazetteer)) for a in articles]
    # A worker is sent what profile() reads of each article (the title and the lead) as plain
    # values, and sends each profile back as plain values: pickling dataclasses, counters and
    # dates one by one cost about as much as a tenth of the profiling.
    sent = [(a.id, a.title, lead(a.body), a.lang, a.published) for a in articles]
    chunks = [(gazetteer, sent[i : i + CHUNK]) for i in range(0, len(sent), CHUNK)]

    shared: dict[Any, Any] = {}  # the dates and sets of dates of the profiles, one of each

    def arrived(chunk: list[Packed]) -> list[Profile]:
        return [keep(p) for p in _unpacked_chunk(chunk, shared)]

    function, then_chunk = (_profile_chunk, arrived) if packed is None else packed
    try:
        if started is not None:
            done = started.map(function, chunks, then_chunk)
        else:
            done = map_in_processes(function, chunks, workers, then_chunk)
    except (OSError, WorkerFailed):
        return [keep(profile(a, gazetteer)) for a in articles]
    return [p for chunk in done for p in chunk]


def start_workers(warm: Sequence[str] = ()) -> Workers | None:
    """Worker processes for :func:`profile_all` of :data:`PARALLEL_FROM` articles or more
    (``started``), started now: they start and import what profiling needs while the caller
    reads the articles (some 0.5 s of each worker's time), and the ``warm`` modules too.
    None when one core would profile them, or when no process can be started. The caller
    stops them (a context manager)."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if workers < 2:
        return None
    try:
        return Workers(workers, warm=(__name__, *warm))
    except OSError:
        return None


def _as_is(p: Profile) -> Profile:
    return p


Sent = tuple[str, str, str, str, "date | None"]  # id, title, lead, language, published
Packed = tuple[
    str,
    str,
    int,
    dict[str, int],
    dict[str, int],
    tuple[str, ...],
    tuple[int, ...],
    tuple[int, ...],
    tuple[tuple[int, int], ...],
    dict[str, int],
]


_kept: list[Gazetteer] = []  # in a worker: the gazetteer of the chunks before, see _same


def _same(gazetteer: Gazetteer) -> Gazetteer:
    """The gazetteer a worker kept from its chunks before when it has the same entities (it
    remembers the words it has seen: each chunk arrives with a fresh copy), else this one."""
    if _kept and _kept[0].entities == gazetteer.entities:
        return _kept[0]
    _kept[:] = [gazetteer]
    return gazetteer


Job = tuple[Gazetteer, Sequence[Sent]]  # what a worker is sent: a chunk of articles


def profiled_chunk(job: Job) -> Iterator[Profile]:
    """In a worker: the profiles of one chunk (see :data:`Job`)."""
    gazetteer, articles = job
    gazetteer = _same(gazetteer)
    for i, title, body, lang, day in articles:
        yield profile(Article(i, title, body, lang, published=day), gazetteer)


def _profile_chunk(job: Job) -> list[Packed]:
    """In a worker: the profiles of one chunk, packed."""
    return [_packed(p) for p in profiled_chunk(job)]


def _packed(p: Profile) -> Packed:
    """``p`` as plain values (dates as ordinals, 0 for none): :func:`_unpacked` gives it back."""
    return (
        p.article_id,
        p.lang,
        p.published.toordinal() if p.published is not None else 0,
        dict(p.entities),
        dict(p.terms),
        tuple(p.facts),
        tuple(d.toordinal() for d in p.dates),
        tuple(d.toordinal() for d in p.when),
        tuple(p.when_no_year),
        dict(p.names),
    )


def _unpacked_chunk(chunk: list[Packed], shared: dict[Any, Any] | None = None) -> list[Profile]:
    """The profiles of one chunk :func:`_profile_chunk` packed (run as each chunk arrives, so
    the packed chunks are not all held at once); ``shared``: see :func:`_unpacked`."""
    return [_unpacked(p, shared) for p in chunk]


def _shared(counts: dict[str, int]) -> Counter[str]:
    """``Counter(counts)`` with its words made the one copy of each word (``sys.intern``):
    each profile comes back from a worker with its own copy of every word, so interned the
    profiles of 10,000 articles take 56 MB rather than 190 MB."""
    return Counter({intern(k): v for k, v in counts.items()})


NOTHING: frozenset[Any] = frozenset()  # the one empty set the profiles from workers share


def _unpacked(packed: Packed, shared: dict[Any, Any] | None = None) -> Profile:
    """The profile :func:`_packed` packed (its words interned: see :func:`_shared`).
    ``shared``: the publication days and sets of *when* dates of the profiles unpacked
    before, by value, given again rather than made anew (a set takes 216 bytes even empty;
    50,000 articles have some thousands of distinct ones); its empty sets are one."""
    article_id, lang, published, entities, terms, facts, dates, when, no_year, names = packed
    day = date.fromordinal
    known: dict[Any, Any] = {} if shared is None else shared
    published_day = known.get(published) if published else None
    if published and published_day is None:
        published_day = known[published] = day(published)
    when_days = known.get(when) if when else NOTHING
    if when_days is None:
        when_days = known[when] = frozenset(map(day, when))
    return Profile(
        article_id,
        lang,
        published_day,
        _shared(entities),
        _shared(terms),
        frozenset(map(intern, facts)),
        frozenset(map(day, dates)) if dates else NOTHING,
        when_days,
        frozenset(no_year) if no_year else NOTHING,
        _shared(names),
    )
