"""Python's garbage collection in the app: full collections kept out of the keystrokes' way.

A full collection (of the oldest generation) looks at every object the process keeps; Python
starts one after enough objects were made, that is in the middle of the work a keystroke
does (a search, the rows of its hits, the screen): at 50,000 articles it looked at some
135,000 objects (the window, the open index, the warm-up's word lists), 65-90 ms of CPU, the
whole budget of a keystroke. :class:`HeapKeeper` changes two things while the window runs:

- what is loaded once and kept (the window and its widgets, the open index, what the warm-up
  loads) is moved out of the collector's sight (:func:`gc.freeze`) once the index is open and
  again once the warm-up ends (:meth:`HeapKeeper.loaded`); a full collection then looks only
  at what was made since. Objects kept so are still freed as soon as nothing refers to them;
  only a cycle among them waits for :func:`gc.unfreeze`, which a reopened index (the old
  index's objects: :meth:`HeapKeeper.reopening`) and the window's end make;
- Python starts no full collection by itself; the window makes one when no key or mouse
  event came for :data:`IDLE_SECONDS` and Python would have made one by then (at least
  :data:`FULL_AFTER` collections of the middle generation since the last), checked every
  :data:`CHECK_SECONDS`; but not before the warm-up of the open index has ended and
  frozen what it loaded (``loaded(settled=True)``), or :data:`SETTLE_SECONDS` passed since
  the index was (re)opened: until then a full collection would look at all that was
  loaded (30-70 ms of CPU), just when the first keys are typed. The young generations are
  collected as before (a few ms at most).

What the caller may rely on: :meth:`HeapKeeper.stop` (the window's end) puts the collector's
thresholds back as they were and unfreezes what was frozen.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

IDLE_SECONDS = 2.0  # no input for this long: a full collection may run
CHECK_SECONDS = 1.0  # how often the window looks
FULL_AFTER = 10  # middle-generation collections that make a full one due (Python's default)
NEVER = 1_000_000_000  # a full-collection threshold Python never reaches
SETTLE_SECONDS = 60.0  # an index whose warm-up never ends: full collections after this


class HeapKeeper:
    """The window's garbage collection policy (see the module docstring)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last_input = float("-inf")  # clock() of the last key or mouse event
        self.full_collections = 0  # made while idle: for tests
        self.settled = False  # the warm-up froze what it loaded: idle collections are small
        self.opened_at = clock()  # when the index was (re)opened, for SETTLE_SECONDS
        self._saved: tuple[int, int, int] | None = None

    def start(self, app: Any) -> None:
        """Take over full collections (once the window is mounted: ``app.set_interval``)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, _full = self._saved
            gc.set_threshold(young, middle, NEVER)
        app.set_interval(CHECK_SECONDS, self.check)

    def input_seen(self) -> None:
        """A key or mouse event arrived: no full collection for :data:`IDLE_SECONDS`."""
        self.last_input = self.clock()

    def loaded(self, settled: bool = False) -> None:
        """What is in memory now is kept: out of the collector's sight (any thread);
        ``settled``: the warm-up ended, idle full collections may start."""
        gc.freeze()
        if settled:
            self.settled = True

    def reopening(self) -> None:
        """The open index is about to be replaced: what was frozen is collectable again
        (no idle full collection until the new index's warm-up ends)."""
        gc.unfreeze()
        self.settled, self.opened_at = False, self.clock()

    def check(self) -> bool:
        """Make a full collection if the window is idle and one is due; True if made."""
        now = self.clock()
        if not self.settled and now - self.opened_at < SETTLE_SECONDS:
            return False
        if now - self.last_input < IDLE_SECONDS:
            return False
        if gc.get_count()[2] < FULL_AFTER:
            return False
        gc.collect()
        self.full_collections += 1
        return True

    def stop(self) -> None:
        """The window ends: Python's thresholds back, nothing frozen."""
        gc.unfreeze()
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
