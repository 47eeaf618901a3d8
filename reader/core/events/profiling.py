"""Profiling many articles at once: :func:`profile_all`, on worker processes when it pays.

The features of an article (:func:`reader.core.events.features.profile`) depend on that
article and the gazetteer alone, so a large batch (a first build, a rebuild) is split into
chunks profiled on one worker process per core (:func:`reader.core.files.processes.
map_in_processes`: spawned, dying with reader, quiet). The result is the same list, in the
same order, as profiling each article here; when workers cannot be started (no processes
allowed, no semaphores, a worker killed from outside) the articles are profiled here.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence

from reader.core.events.features import Profile, lead, profile
from reader.core.files.processes import WorkerFailed, map_in_processes
from reader.core.names.entities import Gazetteer
from reader.core.sources.article import Article

PARALLEL_FROM = 1000  # articles; fewer are profiled here (starting workers costs ~0.5 s)
CHUNK = 250  # articles sent to a worker at a time
MAX_WORKERS = 8


def profile_all(articles: Sequence[Article], gazetteer: Gazetteer) -> list[Profile]:
    """:func:`profile` of each article, in order (see the module docstring)."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS, -(-len(articles) // CHUNK))
    if len(articles) < PARALLEL_FROM or workers < 2:
        return [profile(a, gazetteer) for a in articles]
    # A worker is sent what profile() reads of each article: the title and the lead.
    trimmed = [dataclasses.replace(a, body=lead(a.body)) for a in articles]
    chunks = [(gazetteer, trimmed[i : i + CHUNK]) for i in range(0, len(trimmed), CHUNK)]
    try:
        done = map_in_processes(_profile_chunk, chunks, workers)
    except (OSError, WorkerFailed):
        return [profile(a, gazetteer) for a in articles]
    return [p for chunk in done for p in chunk]


def _profile_chunk(job: tuple[Gazetteer, Sequence[Article]]) -> list[Profile]:
    """In a worker: the profiles of one chunk."""
    gazetteer, articles = job
    return [profile(a, gazetteer) for a in articles]
