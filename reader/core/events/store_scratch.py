"""The events of the event store computed from scratch (a build, a rebuild, nothing usable
stored: :func:`reader.core.events.store.refresh`), holding little at once.

As each profile arrives from profiling (:func:`reader.core.events.profiling.profile_all`), its
record for the profiles file is written at once to an unnamed temporary file, its word counts
(most of a profile) are packed (:class:`reader.core.events.similarity.WordCounts`), and the
profile is kept without them nor the dates written in its text (which scoring does not read).
The similarity is built from the packed counts, which are then let go; the profiles file is
written from the spooled records. The files written are the same, byte for byte, as grouping
and writing the whole profiles (:func:`reader.core.events.grouping.group_profiles`,
:func:`reader.core.events.store_files.write_files`).
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from reader.core.events.event import Event
from reader.core.events.features import Profile
from reader.core.events.grouping import Similarity, group_profiles
from reader.core.events.profiling import profile_all
from reader.core.events.similarity import WordCounts
from reader.core.events.store_files import PIECE, profile_record, write_files
from reader.core.names.entities import Gazetteer
from reader.core.sources.article import Article

_NO_WORDS: Counter[str] = Counter()


class ProfileSpool:
    """Profiles kept lean as they arrive (see the module's docstring): :meth:`keep` each,
    then :attr:`terms` (each kept profile's word counts, packed) and :meth:`records` (the
    articles part of the profiles file). A context manager: the temporary file is closed
    (and gone) on exit."""

    def __init__(self, folder: Path, digests: Mapping[str, str]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed on exit)
        self._digests = digests
        self._at: dict[str, tuple[int, int]] = {}  # id -> (offset, length) of its record
        self._end = 0
        self.terms: dict[str, WordCounts] = {}

    def __enter__(self) -> ProfileSpool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._file.close()

    def keep(self, p: Profile) -> Profile:
        """``p`` without its word counts and written dates, its record spooled and its word
        counts packed (a profile kept again replaces the one before). Raises OSError."""
        i = p.article_id
        record = json.dumps(profile_record(p, self._digests[i]))
        data = f"{json.dumps(i)}: {record}".encode("ascii")
        self._file.seek(self._end)
        self._file.write(data)
        self._at[i] = (self._end, len(data))
        self._end += len(data)
        # 4 bytes a count: a word said 2**32 times would take 8 GB of text.
        self.terms[i] = WordCounts(tuple(p.terms), array("I", p.terms.values()))
        return dataclasses.replace(p, terms=_NO_WORDS, dates=frozenset())

    def records(self) -> Iterator[bytes]:
        """The ``"id": record`` entries of the kept profiles, in id order, comma-separated
        (what :func:`reader.core.events.store_files.write_files` writes of ``profiles``), in
        pieces of ``PIECE`` profiles. Raises OSError."""
        ids = sorted(self._at)
        for start in range(0, len(ids), PIECE):
            entries = []
            for i in ids[start : start + PIECE]:
                offset, length = self._at[i]
                self._file.seek(offset)
                entries.append(self._file.read(length))
            text = b", ".join(entries)
            yield b", " + text if start else text


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
) -> list[Event]:
    """The events of ``ids``: the profiles of ``articles`` and the ``kept`` ones (profiled
    before), clustered from scratch, written to ``folder`` (see the module's docstring).
    ``articles`` and ``kept`` are emptied (let go as they are used). Raises OSError."""
    with ProfileSpool(folder, digests) as spool:
        profiles = {i: spool.keep(p) for i, p in kept.items()}
        kept.clear()
        fresh = [a.id for a in articles]
        profiles.update(zip(fresh, profile_all(articles, gazetteer, spool.keep), strict=True))
        articles.clear()
        similarity = Similarity([profiles[i] for i in ids], spool.terms)
        spool.terms.clear()
        profiles.clear()
        lean = similarity.profiles
        events = group_profiles(
            list(lean.values()), titles, gazetteer, threshold=threshold, similarity=similarity
        )
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
