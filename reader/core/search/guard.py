"""Stopping a running search: when a newer one cancels it, or when its time is up.

Whoosh does its work in matchers that walk posting lists; a search can spend most of its time
building them (intersecting long lists) before it collects a single result, so a collector
that watches the clock alone would not stop it. :class:`GuardedSearcher` wraps every posting
list a search opens in a :class:`GuardedMatcher` that counts its steps, and every
:data:`CHECK_EVERY` steps the search's :class:`Guard` looks at its cancel event and its
deadline. Cancelled, it raises :class:`SearchCancelled`; out of time, :class:`TimeUp`, and the
collector keeps what it found so far. Either way the exception unwinds the search promptly,
so a lock held around it is released within a few milliseconds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from time import monotonic
from typing import Any

from whoosh.matching import WrappingMatcher
from whoosh.searching import Searcher

CHECK_EVERY = 128  # matcher steps between two looks at the cancel event and the clock


class SearchCancelled(Exception):
    """A newer search asked this one to stop; its results are not wanted."""


class TimeUp(Exception):
    """The search ran past its time limit (raised inside Whoosh, caught by the searcher)."""


class Guard:
    """The cancel event and deadline of one search, checked as its matchers step.

    ``steps`` and ``checks`` count the work seen and the looks taken (for tests and
    measurements). ``time_limit`` is in seconds from now; None means no limit.
    """

    def __init__(
        self, cancel: threading.Event | None = None, time_limit: float | None = None
    ) -> None:
        self.cancel = cancel
        self.deadline = None if time_limit is None else monotonic() + time_limit
        self.steps = 0
        self.checks = 0
        self._next = 0

    def tick(self) -> None:
        """Count one step of work; check every :data:`CHECK_EVERY` steps."""
        self.steps += 1
        if self.steps >= self._next:
            self._next = self.steps + CHECK_EVERY
            self.check()

    def work(self, steps: int) -> None:
        """Count ``steps`` of work done at once (a whole posting list read) and check now."""
        self.steps += steps
        self.check()

    def check(self) -> None:
        """Raise :class:`SearchCancelled` or :class:`TimeUp` if the search should stop."""
        self.checks += 1
        self.check_cancelled()
        if self.deadline is not None and monotonic() >= self.deadline:
            raise TimeUp

    def check_cancelled(self) -> None:
        """Raise :class:`SearchCancelled` if a newer search asked this one to stop."""
        if self.cancel is not None and self.cancel.is_set():
            raise SearchCancelled

    @property
    def timed_out(self) -> bool:
        """Whether the deadline has passed."""
        return self.deadline is not None and monotonic() >= self.deadline


class GuardedMatcher(WrappingMatcher):  # type: ignore[misc]
    """A posting-list matcher that ticks its guard on every move."""

    def __init__(self, child: Any, guard: Guard, boost: float = 1.0) -> None:
        super().__init__(child, boost)
        self.guard = guard

    def copy(self) -> GuardedMatcher:
        return GuardedMatcher(self.child.copy(), self.guard, self.boost)

    def _replacement(self, newchild: Any) -> GuardedMatcher:
        return GuardedMatcher(newchild, self.guard, self.boost)

    def next(self) -> None:
        self.guard.tick()
        self.child.next()

    def skip_to(self, id: int) -> Any:
        self.guard.tick()
        return self.child.skip_to(id)

    def skip_to_quality(self, minquality: float) -> Any:
        self.guard.tick()
        return self.child.skip_to_quality(minquality / self.boost)

    def all_ids(self) -> Iterator[int]:
        guard = self.guard
        for n, docnum in enumerate(self.child.all_ids()):
            if not n & 15:
                guard.tick()
            yield docnum


class _Slot:
    """The guard of the search running now, shared by a searcher and its sub-searchers."""

    guard: Guard | None = None


class GuardedSearcher(Searcher):  # type: ignore[misc]
    """A Whoosh searcher whose posting lists obey the guard set with :meth:`guarded`."""

    def __init__(self, reader: Any, *args: Any, guard_slot: _Slot | None = None, **kw: Any):
        self._slot = guard_slot if guard_slot is not None else _Slot()
        super().__init__(reader, *args, **kw)

    def _subsearcher(self, reader: Any) -> GuardedSearcher:
        return GuardedSearcher(
            reader,
            fromindex=self._ix,
            weighting=self.weighting,
            parent=self,
            guard_slot=self._slot,
        )

    def postings(self, fieldname: str, text: Any, weighting: Any = None, qf: int = 1) -> Any:
        matcher = super().postings(fieldname, text, weighting=weighting, qf=qf)
        guard = self._slot.guard
        if guard is None:
            return matcher
        guard.tick()
        return GuardedMatcher(matcher, guard)

    def term_postings(self, fieldname: str, text: Any) -> None:
        """Count a posting list read straight from the term's entry (the vectorised path,
        :mod:`reader.core.search.postings`) as :meth:`postings` counts one it opens: one
        tick of the running search's guard."""
        guard = self._slot.guard
        if guard is not None:
            guard.tick()

    @contextmanager
    def guarded(self, guard: Guard) -> Iterator[Guard]:
        """Within the block, every posting list opened ticks ``guard``."""
        self._slot.guard = guard
        try:
            yield guard
        finally:
            self._slot.guard = None
