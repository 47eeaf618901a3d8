"""The events of the event store computed from scratch (a build, a rebuild, nothing usable
stored: :func:`reader.core.events.store.refresh`), holding little at once.

As each profile arrives from profiling (:func:`reader.core.events.profiling.profile_all`), its
record for the profiles file and its word counts (most of a profile) are written at once to
unnamed temporary files, and the profile is kept without them nor the dates written in its
text (which scoring does not read), its names apart as a tuple (their counts are not read).
The similarity is built from the word counts read back
(:class:`reader.core.events.similarity.WordCounts`) and the names kept apart; the profiles
file is written from the spooled records. The files written are the same, byte for byte, as grouping
and writing the whole profiles (:func:`reader.core.events.grouping.group_profiles`,
:func:`reader.core.events.store_files.write_files`).
"""

from __future__ import annotations

import dataclasses
import gc
import json
import marshal
import os
import pickle
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from sys import intern
from types import TracebackType
from typing import Any

from reader.core.events.event import Event
from reader.core.events.features import Profile
from reader.core.events.grouping import Similarity, group_profiles
from reader.core.events.names_part import link_names, names_job
from reader.core.events.profiling import NOTHING, Job, profile_all, profiled_chunk
from reader.core.events.scoring import idf_table
from reader.core.events.similarity import (
    ALL_PAIRS_UP_TO,
    TermVector,
    WordCounts,
    candidate_cap,
    term_vector,
    usable_words,
)
from reader.core.events.store_files import PIECE, profile_record, write_files
from reader.core.files.processes import Pending, WorkerFailed, Workers
from reader.core.names.entities import Gazetteer
from reader.core.sources.article import Article

_NO_WORDS: Counter[str] = Counter()


class _Spooled:
    """Pieces of bytes by key in an unnamed temporary file (gone when closed, or when the
    process dies): :meth:`put` one, :meth:`get` it back."""

    def __init__(self, folder: Path) -> None:
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed by close)
        # key -> its slot in the offsets and lengths (two machine words a key, not a tuple
        # and two ints: 15 MB less at 50,000 articles for the two spools of ProfileSpool)
        self.at: dict[str, int] = {}
        self._offsets = array("q")
        self._lengths = array("q")
        self._end = 0

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (in place of what was kept there). Raises OSError."""
        self._file.seek(self._end)
        self._file.write(data)
        slot = self.at.get(key)
        if slot is None:
            self.at[key] = len(self._offsets)
            self._offsets.append(self._end)
            self._lengths.append(len(data))
        else:
            self._offsets[slot] = self._end
            self._lengths[slot] = len(data)
        self._end += len(data)

    def get(self, key: str) -> bytes:
        """What was kept under ``key``. Raises KeyError, OSError."""
        slot = self.at[key]
        self._file.seek(self._offsets[slot])
        return self._file.read(self._lengths[slot])

    def close(self) -> None:
        self._file.close()


class _SpooledCounts(Mapping[str, WordCounts]):
    """The word counts of the kept profiles, read from the spool each time they are asked
    for (words are stored interned: they come back as the one copy of each word)."""

    def __init__(self, spooled: _Spooled) -> None:
        self._spooled = spooled

    def __getitem__(self, article_id: str) -> WordCounts:
        words, counts = marshal.loads(self._spooled.get(article_id))
        return WordCounts(words, counts)

    def __iter__(self) -> Iterator[str]:
        return iter(self._spooled.at)

    def __len__(self) -> int:
        return len(self._spooled.at)


class ProfileSpool:
    """Profiles kept lean as they arrive (see the module's docstring): :meth:`keep` each,
    then :attr:`terms` (each kept profile's word counts, read back from the spool when
    asked for) and :meth:`records` (the articles part of the profiles file). A context
    manager: the temporary files are closed (and gone) on exit."""

    def __init__(self, folder: Path, digests: Mapping[str, str]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._digests = digests
        self._records = _Spooled(folder)
        try:
            self._words = _Spooled(folder)
        except BaseException:
            self._records.close()
            raise
        self.terms: Mapping[str, WordCounts] = _SpooledCounts(self._words)
        # Each kept profile's names (what grouping reads of them: not their counts).
        self.names: dict[str, tuple[str, ...]] = {}
        # How many kept profiles have each word, counted as they are kept (while the workers
        # profile the rest), not read back from the spool for it.
        self.term_df: Counter[str] = Counter()
        self._shared: dict[Any, Any] = {}  # see keep_lean: days and sets of days, one of each

    def __enter__(self) -> ProfileSpool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._records.close()
        self._words.close()

    def _forget_words(self, i: str) -> None:
        """Count the words kept for ``i`` no more (it is kept again)."""
        before = self.terms[i].words
        self.term_df.subtract(before)
        for word in before:
            if self.term_df[word] <= 0:
                del self.term_df[word]

    def keep(self, p: Profile) -> Profile:
        """``p`` without its word counts, written dates and names, its record and its word
        counts spooled, its names in :attr:`names` (a profile kept again replaces the one
        before). Raises OSError."""
        i = p.article_id
        record = json.dumps(profile_record(p, self._digests[i]))
        self._records.put(i, f"{json.dumps(i)}: {record}".encode("ascii"))
        # marshal keeps a word's being interned: read back, it is the one copy of the word
        # (those of profiles from workers are interned already; intern returns them as is).
        words = tuple(map(intern, p.terms))
        if i in self._words.at:  # kept again: its words as kept before are counted no more
            self._forget_words(i)
        self._words.put(i, marshal.dumps((words, tuple(p.terms.values()))))
        self.term_df.update(words)
        self.names[i] = tuple(map(intern, p.names))
        return dataclasses.replace(p, terms=_NO_WORDS, dates=NOTHING, names=_NO_WORDS)

    def keep_lean(self, chunk: bytes) -> list[Profile]:
        """:meth:`keep` of each profile of a chunk :func:`lean_chunk` made (in a worker), in
        order: the same profiles, records, word counts, names and counts of words, without
        unpacking each profile's words here. Raises OSError."""
        lean, chunk_df = marshal.loads(chunk)  # strings interned in the worker come interned
        for packed in lean:
            if packed[0] in self._words.at:  # kept again: see keep
                self._forget_words(packed[0])
        self.term_df.update(chunk_df)  # each word where it first comes, as keep counts them
        kept = []
        shared = self._shared
        for i, lang, published, entities, facts, when, no_year, names, tail, words in lean:
            self._records.put(
                i, f"{json.dumps(i)}: [{json.dumps(self._digests[i])}, {tail[1:]}".encode("ascii")
            )
            self._words.put(i, words)
            self.names[i] = names
            published_day = shared.get(published) if published else None
            if published and published_day is None:
                published_day = shared[published] = date.fromordinal(published)
            when_days = shared.get(when) if when else NOTHING
            if when_days is None:
                when_days = shared[when] = frozenset(map(date.fromordinal, when))
            kept.append(
                Profile(
                    i,
                    lang,
                    published_day,
                    Counter(entities),
                    _NO_WORDS,
                    frozenset(facts),
                    NOTHING,
                    when_days,
                    frozenset(no_year) if no_year else NOTHING,
                    _NO_WORDS,
                )
            )
        return kept

    def word_counts(self, article_id: str) -> bytes:
        """The word counts kept of a profile, as kept (marshalled: see :meth:`keep`).
        Raises KeyError, OSError."""
        return self._words.get(article_id)

    def records(self) -> Iterator[bytes]:
        """The ``"id": record`` entries of the kept profiles, in id order, comma-separated
        (what :func:`reader.core.events.store_files.write_files` writes of ``profiles``), in
        pieces of ``PIECE`` profiles. Raises OSError."""
        ids = sorted(self._records.at)
        for start in range(0, len(ids), PIECE):
            text = b", ".join(self._records.get(i) for i in ids[start : start + PIECE])
            yield b", " + text if start else text


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


def _link_names(
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


def _vectors_made(
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


@contextmanager
def _long_lived() -> Iterator[None]:
    """Within: what is in memory when entered (and what :func:`gc.freeze` is called on
    later) is out of the sight of the cyclic collector's full collections, which would
    otherwise go through every profile again and again (0.9 s of a 10 s step at 10,000
    articles); all of it is back in sight when left, unless something else had frozen
    objects before (the app's window: :mod:`reader.app.heap`), which then unfreezes them
    all in its time. Objects are still freed as soon as nothing refers to them."""
    ours = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if ours:
            gc.unfreeze()


def from_scratch(
    folder: Path,
    stamp: str,
    settings: dict[str, Any],
    articles: list[Article],
    kept: dict[str, Profile],
    digests: Mapping[str, str],
    ids: Sequence[str],
    titles: Mapping[str, str],
    gazetteer: Gazetteer,
    threshold: float,
    workers: Workers | None = None,
    grouped: Callable[[list[Event]], None] | None = None,
) -> list[Event]:
    """The events of ``ids``: the profiles of ``articles`` and the ``kept`` ones (profiled
    before), clustered from scratch, written to ``folder`` (see the module's docstring).
    ``articles`` and ``kept`` are emptied (let go as they are used). ``workers``: worker
    processes started before (:func:`reader.core.events.profiling.start_workers`): they
    profile the articles, then link the names of English and Arabic articles
    (:func:`reader.core.events.names_part.link_names`) and make word vectors while the
    similarity is made here. ``grouped``: called with the events once grouped, before they
    are written. Raises OSError."""
    with ProfileSpool(folder, digests) as spool, _long_lived():
        profiles = {i: spool.keep(p) for i, p in kept.items()}
        kept.clear()
        fresh = [a.id for a in articles]
        packed = (lean_chunk, spool.keep_lean)
        profiled = profile_all(articles, gazetteer, spool.keep, workers, packed)
        profiles.update(zip(fresh, profiled, strict=True))
        del profiled
        articles.clear()
        gc.freeze()  # the profiles: kept to the end, out of the full collections' sight
        ordered = [profiles[i] for i in ids]
        # On the workers (when there are): the names linked first (the longest job, asked
        # for last), the word vectors in chunks (asked for once the rest is made here).
        linking = _link_names(workers, ordered, spool.names)
        made = _vectors_made(workers, ordered, spool)
        similarity = Similarity(ordered, spool.terms, spool.names, spool.term_df, made)
        del made
        del ordered
        profiles.clear()
        if linking is not None:
            with suppress(OSError, WorkerFailed):  # else worked out here when asked
                similarity.linked(candidate_cap(len(ids)), linking.result())
        lean = similarity.profiles
        events = group_profiles(
            list(lean.values()), titles, gazetteer, threshold=threshold, similarity=similarity
        )
        if grouped is not None:
            grouped(events)
        write_files(
            folder,
            stamp,
            settings,
            lean,
            digests,
            events,
            similarity=similarity,
            spooled=spool.records(),
        )
    return events
