"""What the worker processes of a build from scratch do besides profiling (see
:func:`reader.core.events.store_scratch.from_scratch`), split from that module for size: pack
each profile as :meth:`ProfileSpool.keep` keeps it (:func:`lean_chunk`), link the names of
English and Arabic articles (:func:`link_names_later`) and score their names
(:func:`score_names_later`), and make the word vectors of the
similarity in pieces (:func:`vectors_made`; the parent makes the pieces not sent yet when
it needs them); :class:`Feed` sends them chunks of articles to profile as they are read.
What they give is what the parent would make itself, to the bit.
"""

from __future__ import annotations

import json
import marshal
import os
import pickle
import time
from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from functools import partial
from sys import intern
from typing import TYPE_CHECKING

from reader.core.events.features import Profile, lead
from reader.core.events.names_part import ScoresJob, link_names, names_job, score_names
from reader.core.events.profiling import CHUNK, Job, Sent, profiled_chunk
from reader.core.events.scoring import idf_table
from reader.core.events.similarity import (
    ALL_PAIRS_UP_TO,
    Similarity,
    TermVector,
    candidate_cap,
    term_vector,
    usable_words,
)
from reader.core.events.store_files import profile_record
from reader.core.files.processes import Pending, WorkerFailed, Workers

if TYPE_CHECKING:
    from reader.core.events.store_scratch import ProfileSpool
    from reader.core.names.entities import Gazetteer
    from reader.core.sources.article import Article


def lean_chunk(job: Job) -> bytes:
    """In a worker: the profiles of one chunk as :meth:`ProfileSpool.keep_lean` takes them
    (what :meth:`ProfileSpool.keep` makes of each, made in the worker): for each profile,
    (id, language, publication day's ordinal or 0, entities, facts, *when* ordinals, (month,
    day) without year, names, the JSON of its record for the profiles file after the
    digest, its word counts marshalled), and how many of the chunk's profiles have each
    word; all marshalled, strings interned (so they come back interned)."""
    lean = []
    chunk_df: Counter[str] = Counter()
    for p in profiled_chunk(job):
        words = tuple(map(intern, p.terms))
        chunk_df.update(words)
        lean.append(
            (
                intern(p.article_id),
                intern(p.lang),
                p.published.toordinal() if p.published is not None else 0,
                {intern(k): v for k, v in p.entities.items()},
                tuple(map(intern, p.facts)),
                tuple(d.toordinal() for d in p.when),
                tuple(p.when_no_year),
                tuple(map(intern, p.names)),
                json.dumps(profile_record(p, "")[1:]),
                marshal.dumps((words, tuple(p.terms.values()))),
            )
        )
    return marshal.dumps((lean, dict(chunk_df)))


def link_names_later(
    workers: Workers | None, ordered: Sequence[Profile], names: Mapping[str, tuple[str, ...]]
) -> Pending | None:
    """The names of ``ordered`` linked on one of ``workers`` (see :func:`from_scratch`), or
    None when there are no workers, the set is small (its pairs are not looked up by name)
    or the job cannot be sent."""
    if workers is None or len(ordered) <= ALL_PAIRS_UP_TO:
        return None
    try:
        return workers.later(
            link_names, lambda _worker: names_job(ordered, names, candidate_cap(len(ordered)))
        )
    except (OSError, WorkerFailed):
        return None


def _scores_job(
    similarity: Similarity, pairs: Sequence[tuple[str, str]], _worker: int
) -> ScoresJob:
    return similarity.scores_job(pairs)


NAMES_WORKERS = 1  # workers that score the names (the others end first: see below)


def score_names_later(workers: Workers | None, similarity: Similarity, minimum: float) -> bool:
    """The names part of each English–Arabic pair that the grouping's edges (``minimum``:
    :meth:`Similarity.cross_pairs`) may ask for or the similarity table stores
    (:meth:`Similarity.named_pairs`), worked out on :data:`NAMES_WORKERS` of the
    ``workers`` while the parent scores the other pairs, and announced to the similarity
    (:meth:`Similarity.names_coming`); the other workers end now, before the pairs are
    searched, and those once the names have arrived (see :meth:`Workers.retire_idle`). One
    worker is enough: at 50,000 articles it scores them before the parent has scored the
    other pairs, and the process tree then holds one worker's memory less (in one timed
    rebuild of 50,000 articles, the peak of that step went from 747 to 628 MB). False,
    leaving them to be worked out here, when there are no workers, the set is small or no
    job can be sent."""
    if workers is None or len(similarity.profiles) <= ALL_PAIRS_UP_TO:
        return False
    workers.retire_idle(NAMES_WORKERS)  # before the pair search (seconds at 50,000 articles)
    pairs = sorted(set(similarity.cross_pairs(minimum)).union(similarity.named_pairs()))
    size = max(1, -(-len(pairs) // max(1, min(workers.size, NAMES_WORKERS))))
    sent: list[tuple[list[tuple[str, str]], Pending]] = []
    for start in range(0, len(pairs), size):
        part = pairs[start : start + size]
        try:
            sent.append((part, workers.later(score_names, partial(_scores_job, similarity, part))))
        except (OSError, WorkerFailed):
            break
    del pairs
    if not sent:
        return False

    def arrive() -> None:
        while sent:
            part, scores = sent.pop(0)
            with suppress(OSError, WorkerFailed):  # else worked out here when asked
                similarity.names_scored(part, scores.result())
        workers.retire_idle()

    similarity.names_coming(arrive)
    return True


VECTORS_CHUNKS = 16  # pieces the word vectors of a large set are made in (the workers' and ours)
VectorsJob = tuple[str, bytes, int, list[bytes]]  # token, the pickled counts or b"", n, counts
_term_df: dict[str, Counter[str]] = {}  # in a worker: the set's counts of words, by token


def vectors_chunk(job: VectorsJob) -> bytes:
    """In a worker: :func:`vectors_of` the word counts of the job, in a set of ``n`` whose
    words have the pickled counts (sent to a worker once, with its first job: later ones
    come with ``b""`` and the same token). Raises ValueError when the counts are missing."""
    token, df_bytes, n, blobs = job
    df = _term_df.get(token)
    if df is None:
        if not df_bytes:
            raise ValueError("the counts of words were not sent")
        _term_df.clear()
        df = _term_df[token] = pickle.loads(df_bytes)
    return vectors_of(df, n, blobs)


def vectors_of(df: Counter[str], n: int, blobs: Sequence[bytes]) -> bytes:
    """:func:`reader.core.events.similarity.term_vector` of each word counts (as
    :meth:`ProfileSpool.keep` marshals them) in a set of ``n`` whose words have counts
    ``df``: for each, (words, the bytes of their weights, signature), marshalled, strings
    interned (they come back interned)."""
    idf = idf_table(n)
    usable = usable_words(df, n)
    made = []
    for blob in blobs:
        words, counts = marshal.loads(blob)
        pairs = list(zip(words, counts, strict=True))
        kept, weights, signature = term_vector(pairs, idf, df, usable)
        made.append((kept, weights.tobytes(), signature))
    return marshal.dumps(made)


def vectors_made(
    workers: Workers | None, ordered: Sequence[Profile], spool: ProfileSpool
) -> Callable[[], list[TermVector] | None] | None:
    """The word vectors of ``ordered`` made in :data:`VECTORS_CHUNKS` pieces on ``workers``
    (see :func:`from_scratch`), as :class:`Similarity` takes them (``made``), or None when
    there are no workers or the set is small. When they are asked for, the pieces not sent
    to a worker yet are made here (last first) while the workers make the others; what it
    returns gives None when the workers failed (then they are made here)."""
    if workers is None or len(ordered) <= ALL_PAIRS_UP_TO:
        return None
    n = len(ordered)
    token = f"{os.getpid()}:{time.monotonic_ns()}"
    df = spool.term_df
    ids = [p.article_id for p in ordered]
    size = -(-n // VECTORS_CHUNKS)
    parts = [ids[at : at + size] for at in range(0, n, size)]
    informed: set[int] = set()  # the workers sent the counts of words

    def job(part: list[str]) -> Callable[[int], VectorsJob]:
        def make(worker: int) -> VectorsJob:
            counts = b"" if worker in informed else pickle.dumps(df, pickle.HIGHEST_PROTOCOL)
            informed.add(worker)
            return token, counts, n, [spool.word_counts(i) for i in part]

        return make

    try:
        pending = [workers.later(vectors_chunk, job(part)) for part in parts]
    except (OSError, WorkerFailed):
        return None

    def made() -> list[TermVector] | None:
        try:
            done: list[bytes | None] = [None] * len(parts)
            for k in reversed(range(len(parts))):
                workers.poll()  # the workers free are sent the next pieces
                if workers.take_back(pending[k]):
                    done[k] = vectors_of(df, n, [spool.word_counts(i) for i in parts[k]])
            vectors: list[TermVector] = []
            for k, chunk in enumerate(pending):
                found = done[k]
                done[k] = None
                for kept, weights, signature in marshal.loads(found or chunk.result()):
                    vectors.append((kept, array("d", weights), signature))
        except (OSError, WorkerFailed):
            return None
        return vectors

    return made


AHEAD = 3  # chunks a worker the feed sends before waiting for the oldest one's profiles


class Feed:
    """Chunks of articles sent to the workers as they are read (:meth:`add`), their lean
    profiles kept in the spool in order as they come (:meth:`finish` waits for the rest).
    Only the chunks whose profiles are not kept yet are held (the leads of a chunk are let
    go once its profiles are in the spool), and no more than :data:`AHEAD` chunks a worker
    (reading is some three times faster than profiling: at 50,000 articles, reading ahead
    without bound held the leads of most of the set at once, some 140 MB); when the workers
    fail, those chunks are profiled here."""

    def __init__(self, workers: Workers, gazetteer: Gazetteer, spool: ProfileSpool) -> None:
        self._workers = workers
        self._gazetteer = gazetteer
        self._spool = spool
        self._chunk: list[Sent] = []
        self._in_chunk: set[str] = set()  # the ids of the chunk being filled
        # Each chunk sent (or not sent, once the workers failed), in order, until kept.
        self._chunks: list[list[Sent] | None] = []
        self._pending: list[Pending | None] = []
        self._taken = 0
        self.profiles: dict[str, Profile] = {}
        self.failed = False

    def add(self, article: Article) -> None:
        a = article
        if a.id in self._in_chunk:
            # Read again: in a later chunk than the one before, so it is kept after it (and
            # replaces it: see ProfileSpool.keep_lean), as the last one read stands.
            self._send()
        self._chunk.append((a.id, a.title, lead(a.body), a.lang, a.published))
        self._in_chunk.add(a.id)
        if len(self._chunk) >= CHUNK:
            self._send()

    def _send(self) -> None:
        chunk = self._chunk
        self._chunk = []
        self._in_chunk = set()
        self._chunks.append(chunk)
        if self.failed:
            self._pending.append(None)
            return
        job: Job = (self._gazetteer, chunk)
        try:
            self._pending.append(self._workers.later(lean_chunk, lambda _worker: job))
            self._workers.poll()
            self._take()
            while len(self._pending) - self._taken > AHEAD * self._workers.size:
                pending = self._pending[self._taken]
                if pending is not None:
                    pending.result()  # waits for the oldest chunk (the workers stay busy)
                self._take()
        except (OSError, WorkerFailed):
            self.failed = True

    def _take(self) -> None:
        """Keep the profiles of the chunks done, in order (a chunk done before one sent
        earlier waits for it)."""
        while self._taken < len(self._pending):
            pending = self._pending[self._taken]
            if pending is None or not pending.done:
                return
            for p in self._spool.keep_lean(pending.result()):
                self.profiles[p.article_id] = p
            self._pending[self._taken] = None  # its result let go
            self._chunks[self._taken] = None  # and its articles
            self._taken += 1

    def finish(self) -> dict[str, Profile]:
        """The profiles of every article added, kept (the last one read of an id); the
        chunks the workers did not profile (they failed, or were killed) are profiled here.
        Raises OSError (from the spool)."""
        if self._chunk:
            self._send()
        try:
            while not self.failed and self._taken < len(self._pending):
                pending = self._pending[self._taken]
                if pending is not None:
                    pending.result()  # waits for it
                self._take()
        except (OSError, WorkerFailed):
            self.failed = True
        for k in range(self._taken, len(self._chunks)):
            chunk = self._chunks[k]
            self._pending[k] = self._chunks[k] = None
            for p in profiled_chunk((self._gazetteer, chunk or ())):
                self.profiles[p.article_id] = self._spool.keep(p)
        self._taken = len(self._chunks)
        return self.profiles
