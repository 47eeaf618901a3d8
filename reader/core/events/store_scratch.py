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

With worker processes (a rebuild of many articles: :func:`fed_from_scratch`), the parent's
serial part is kept small: the articles are sent to the workers in chunks as they are read,
each profile comes back packed as the spool keeps it, and while the similarity is made here
the workers link the names and make word vectors (:mod:`reader.core.events.scratch_jobs`).
"""

from __future__ import annotations

import dataclasses
import gc
import json
import marshal
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from sys import intern
from types import TracebackType
from typing import Any

from reader.core.events.event import Event
from reader.core.events.features import Profile
from reader.core.events.grouping import EDGE_MINIMUM, Similarity, group_profiles
from reader.core.events.profiling import NOTHING, profile_all
from reader.core.events.scratch_jobs import (
    Feed,
    lean_chunk,
    link_names_later,
    score_names_later,
    vectors_made,
)
from reader.core.events.similarity import (
    WordCounts,
    candidate_cap,
)
from reader.core.events.store_files import profile_record, write_files
from reader.core.events.store_records import joined
from reader.core.files.processes import WorkerFailed, Workers
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
        (what :func:`reader.core.events.store_files.write_files` writes of ``profiles``), one
        a line, in pieces of ``PIECE`` profiles. Raises OSError."""
        return joined(sorted(self._records.at), self._records.get)


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
        chosen = (ids, titles, gazetteer, threshold, workers, grouped)
        return _grouped(folder, stamp, settings, spool, profiles, digests, *chosen)


def fed_from_scratch(
    folder: Path,
    stamp: str,
    settings: dict[str, Any],
    articles: Iterable[Article],
    digests: Mapping[str, str],
    gazetteer: Gazetteer,
    threshold: float,
    workers: Workers,
    grouped: Callable[[list[Event]], None] | None = None,
) -> list[Event]:
    """:func:`from_scratch` of every article of ``articles`` (read here, once: the ids in
    the order read, an id read again standing for its last article), each chunk of them
    sent to the ``workers`` to profile as soon as it is read (the workers profile while the
    rest is read); ``digests`` has each article's digest once it is read (the caller fills
    it as it hands them over). The same events and files. Raises OSError."""
    with ProfileSpool(folder, digests) as spool, _long_lived():
        titles: dict[str, str] = {}
        feed = Feed(workers, gazetteer, spool)
        for article in articles:
            titles[article.id] = article.title
            feed.add(article)
        profiles = feed.finish()
        del feed
        ids = list(titles)
        chosen = (ids, titles, gazetteer, threshold, workers, grouped)
        return _grouped(folder, stamp, settings, spool, profiles, digests, *chosen)


def _grouped(
    folder: Path,
    stamp: str,
    settings: dict[str, Any],
    spool: ProfileSpool,
    profiles: dict[str, Profile],
    digests: Mapping[str, str],
    ids: Sequence[str],
    titles: Mapping[str, str],
    gazetteer: Gazetteer,
    threshold: float,
    workers: Workers | None,
    grouped: Callable[[list[Event]], None] | None,
) -> list[Event]:
    """The rest of :func:`from_scratch` once every profile is kept in ``spool`` (and in
    ``profiles``, emptied): grouped and written."""
    gc.freeze()  # the profiles: kept to the end, out of the full collections' sight
    digests = {i: digests[i] for i in ids}
    ordered = [profiles[i] for i in ids]
    # On the workers (when there are): the names linked first (the longest job, asked
    # for last), the word vectors in chunks (asked for once the rest is made here).
    linking = link_names_later(workers, ordered, spool.names)
    made = vectors_made(workers, ordered, spool)
    similarity = Similarity(ordered, spool.terms, spool.names, spool.term_df, made)
    del made
    del ordered
    profiles.clear()
    if linking is not None:
        with suppress(OSError, WorkerFailed):  # else worked out here when asked
            similarity.linked(candidate_cap(len(ids)), linking.result())
    # The names part of English–Arabic pairs (for the edges and the table) on a worker,
    # while the other pairs are scored here; then the workers end.
    score_names_later(workers, similarity, EDGE_MINIMUM)
    lean = similarity.profiles
    events = group_profiles(
        list(lean.values()), titles, gazetteer, threshold=threshold, similarity=similarity
    )
    if grouped is not None:
        grouped(events)
    similarity.names_arrived()
    if workers is not None:
        # No more jobs for them: they end before the largest step here, writing the table.
        workers.retire_idle()
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
