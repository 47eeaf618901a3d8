"""Worker processes that never outlive, out-wait or out-talk reader.

What every worker process of reader does (the index writer's and :func:`map_in_processes`'s):

- it is *spawned* (a fresh interpreter: no inherited locks, descriptors or threads);
- it dies with its parent (:func:`die_with_parent`): ``PR_SET_PDEATHSIG`` on Linux, and
  everywhere a thread that ends it when its parent process is gone;
- it ignores Ctrl-C (the parent stops it) and never prints: a failure travels to the parent as
  a :class:`Failure` and is raised there (an ``OSError`` keeps its errno, so "disk full" stays
  recognisable);
- it talks through pipes, which need no semaphores, so a killed parent leaves nothing behind
  for multiprocessing's resource tracker to complain about;
- while it starts, the parent holds SIGINT and SIGTERM back (:func:`signals_held`), so a
  signal cannot cut the pipe the child is reading its start-up data from.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar, overload

CONTEXT = multiprocessing.get_context("spawn")
POLL = 0.2  # seconds between checks of the workers' (or the parent's) health
_PR_SET_PDEATHSIG = 1

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")


class WorkerFailed(Exception):
    """A worker process failed or died; the message says how."""


@dataclass(frozen=True, slots=True)
class Failure:
    """What a worker sends its parent instead of printing a traceback."""

    kind: str
    message: str
    errno: int | None = None
    strerror: str | None = None
    filename: str | None = None

    @classmethod
    def of(cls, exc: BaseException) -> Failure:
        """The failure that stands for ``exc``."""
        return cls(
            type(exc).__name__,
            str(exc),
            getattr(exc, "errno", None),
            getattr(exc, "strerror", None),
            getattr(exc, "filename", None),
        )

    def exception(self) -> Exception:
        """The exception to raise in the parent."""
        if self.errno is not None:
            return OSError(self.errno, self.strerror or self.message, self.filename)
        return WorkerFailed(f"a worker process failed: {self.kind}: {self.message}")


def die_with_parent(parent_pid: int) -> None:
    """Make this (worker) process end when ``parent_pid`` does."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(POLL)
        os._exit(1)

    if os.getppid() != parent_pid:  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGTERM and SIGINT back while a worker process starts, and act on them right after.

    A signal that unwinds the parent in the middle of ``Process.start()`` would close the pipe
    the child is still reading its start-up data from: the child would print multiprocessing's
    EOFError traceback, and the parent could not stop a process it does not know has started.
    Only the main thread can set handlers; elsewhere (the app's workers) nothing changes.
    First, multiprocessing's resource tracker is made sure to run (:func:`_tracker_running`)."""
    _tracker_running()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    for number in previous:
        signal.signal(number, lambda received, _frame: held.append(received))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for received in held:
            signal.raise_signal(received)  # now, with the handler the caller had


_TRACKER_LOCK = threading.Lock()


def _tracker_running() -> None:
    """Make sure multiprocessing's resource tracker runs: every spawned process is given its
    descriptor, and multiprocessing starts it on the first one with ``sys.stderr``'s
    descriptor as its stderr. Inside a Textual app ``sys.stderr`` has none (its ``fileno()``
    is -1), and starting any worker failed ("bad value(s) in fds_to_keep"); then the tracker
    is started here with the null device as its stderr (what is printed to ``sys.stderr``
    in that instant is lost, never written to the terminal)."""
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        return
    with _TRACKER_LOCK, open(os.devnull, "w", encoding="utf-8") as null:
        saved = sys.stderr
        sys.stderr = null
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


def _serve(connection: Connection, parent_pid: int) -> None:
    """A worker of :func:`map_in_processes`: run each (function, item) it is sent, send back
    the result or a :class:`Failure`; end on None or when the parent is gone."""
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while (job := connection.recv()) is not None:
            function, item = job
            try:
                connection.send((True, function(item)))
            except Exception as exc:
                connection.send((False, Failure.of(exc)))
    except (EOFError, OSError):  # the parent is gone or stopped us: nothing to say
        pass
    os._exit(0)  # never run the interpreter's exit machinery (it may print)


@overload
def map_in_processes(function: Callable[[T], R], items: Sequence[T], processes: int) -> list[R]: ...


@overload
def map_in_processes(
    function: Callable[[T], R], items: Sequence[T], processes: int, then: Callable[[R], S]
) -> list[S]: ...


def map_in_processes(
    function: Callable[[T], Any],
    items: Sequence[T],
    processes: int,
    then: Callable[[Any], Any] | None = None,
) -> list[Any]:
    """``[function(item) for item in items]``, computed on ``processes`` spawned worker
    processes (see the module docstring for how they behave); with ``then``,
    ``[then(function(item)) ...]``, ``then`` run here on each result as it arrives (so only
    one result at a time is held as the workers sent it). ``function`` and the items must
    pickle (``function`` defined at a module's top level). Raises the first failure of
    ``function`` (an ``OSError`` as such, anything else as :class:`WorkerFailed`), or
    :class:`WorkerFailed` when a worker dies; the workers are stopped in every case."""
    with Workers(min(processes, len(items))) as workers:
        return workers.map(function, items, then)


def _warm(modules: Sequence[str]) -> None:
    """In a worker: import ``modules`` (what its jobs will need), so they are ready."""
    for name in modules:
        importlib.import_module(name)


class Pending:
    """A job sent to :class:`Workers` (:meth:`Workers.submit`): :meth:`result` waits for it."""

    def __init__(self, workers: Workers) -> None:
        self._workers = workers
        self.done = False
        self._value: Any = None
        self._failure: Exception | None = None

    def _arrived(self, ok: bool, value: Any) -> None:
        self.done = True
        if ok:
            self._value = value
        else:
            self._failure = value.exception()

    def result(self) -> Any:
        """What the job returned. Raises its failure (an ``OSError`` as such, anything else
        as :class:`WorkerFailed`), or :class:`WorkerFailed` when a worker dies."""
        while not self.done:
            if not self._workers._busy:
                raise WorkerFailed("no worker process is running")
            self._workers._pump()
        if self._failure is not None:
            raise self._failure
        return self._value


class Workers:
    """``processes`` worker processes (see the module docstring), started when made, so they
    start (and, with ``warm``, import those modules) while the caller does something else;
    then :meth:`map` and :meth:`submit` run jobs on them. A context manager: the workers are
    stopped on exit (:meth:`close`). Raises OSError when a process cannot be started (the
    ones started are stopped)."""

    def __init__(self, processes: int, warm: Sequence[str] = ()) -> None:
        self._workers: list[tuple[Any, Connection]] = []
        self._idle: list[Connection] = []
        self._busy: dict[Connection, Pending] = {}
        self._queue: deque[tuple[Pending, Callable[[Any], Any], Callable[[int], Any]]] = deque()
        self._number: dict[Connection, int] = {}
        try:
            for _ in range(processes):
                ours, theirs = CONTEXT.Pipe(duplex=True)
                process = CONTEXT.Process(target=_serve, args=(theirs, os.getpid()), daemon=True)
                with signals_held():
                    process.start()
                theirs.close()
                self._number[ours] = len(self._workers)
                self._workers.append((process, ours))
                self._idle.append(ours)
            if warm:
                for _ in range(processes):
                    self.submit(_warm, tuple(warm))
        except BaseException:
            self.close()
            raise

    @property
    def size(self) -> int:
        """How many worker processes there are (started; some may have died since)."""
        return len(self._workers)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (see :func:`_stop`); jobs still running are given up."""
        workers, self._workers = self._workers, []
        self._idle.clear()
        self._busy.clear()
        self._queue.clear()
        _stop(workers)

    def retire_idle(self, keep: int = 0) -> int:
        """Stop the workers that have no job now but ``keep`` of them, when no job is queued
        either: for a caller that will send few more jobs (``keep`` at a time) but still
        waits, so the memory of the others goes back now, not when the last job ends (at
        50,000 articles an event worker holds some 200 MB by then). The busy ones run to the
        end of their job. Returns how many were stopped."""
        if self._queue or len(self._idle) <= keep:
            return 0
        idle = set(self._idle[keep:])
        retiring = [worker for worker in self._workers if worker[1] in idle]
        self._workers = [worker for worker in self._workers if worker[1] not in idle]
        del self._idle[keep:]
        _stop(retiring)
        return len(retiring)

    def submit(self, function: Callable[[T], Any], item: T) -> Pending:
        """Run ``function(item)`` on the first worker free (waiting for one): its result is
        the returned job's. Raises OSError when it cannot be sent, :class:`WorkerFailed`
        when no worker is left."""
        while not self._idle:
            if not self._busy:
                raise WorkerFailed("no worker process is running")
            self._pump()
        connection = self._idle.pop(0)
        pending = Pending(self)
        connection.send((function, item))
        self._busy[connection] = pending
        return pending

    def later(self, function: Callable[[T], Any], make: Callable[[int], T]) -> Pending:
        """Run ``function(make(worker))`` on a worker as soon as one is free, without
        waiting for one (jobs given so are sent in order, unless taken back: see
        :meth:`take_back`); ``make`` is called then, with the worker's number (0 to the
        number of workers - 1: what it was sent before is known to the caller), so what it
        makes is held only while it is sent. Its ``OSError`` is the job's failure. Raises
        OSError when a job cannot be sent."""
        pending = Pending(self)
        self._queue.append((pending, function, make))
        self._send_queued()
        return pending

    def take_back(self, pending: Pending) -> bool:
        """True when the job (of :meth:`later`) was not sent yet and now never will be (the
        caller then does it itself); False when it was sent (its result is coming)."""
        for n, queued in enumerate(self._queue):
            if queued[0] is pending:
                del self._queue[n]
                return True
        return False

    def poll(self) -> None:
        """Take the results that arrived and send queued jobs to the workers free, without
        waiting. Raises as :meth:`Pending.result` does."""
        self._pump(0)

    def _send_queued(self) -> None:
        while self._idle and self._queue:
            pending, function, make = self._queue.popleft()
            connection = self._idle.pop(0)
            try:
                item = make(self._number[connection])
            except OSError as exc:
                self._idle.insert(0, connection)
                pending._arrived(False, Failure.of(exc))
                continue
            connection.send((function, item))
            self._busy[connection] = pending

    def map(
        self,
        function: Callable[[T], Any],
        items: Sequence[T],
        then: Callable[[Any], Any] | None = None,
    ) -> list[Any]:
        """:func:`map_in_processes` on these workers: ``[function(item) ...]`` (with
        ``then``, each result passed through it as it arrives, in the order they arrive).
        Raises as :func:`map_in_processes` does; the workers are left running."""
        results: list[Any] = [None] * len(items)
        mine: dict[int, Pending] = {}
        next_item = 0
        while next_item < len(items) or mine:
            while next_item < len(items) and (self._idle or not self._busy):
                mine[next_item] = self.submit(function, items[next_item])
                next_item += 1
            self._pump()
            for n in [n for n, pending in mine.items() if pending.done]:
                value = mine.pop(n).result()
                results[n] = value if then is None else then(value)
        return results

    def _pump(self, timeout: float = POLL) -> None:
        """Wait (at most ``timeout`` seconds) for results, and take those that arrived.
        Raises :class:`WorkerFailed` when a busy worker died or ended without its result."""
        if not self._busy:
            return
        ready = wait(list(self._busy), timeout=timeout)
        if not ready and timeout:
            for process, connection in self._workers:
                if connection in self._busy and not process.is_alive():
                    raise WorkerFailed(f"a worker process died ({process.exitcode})")
            return
        for done in ready:
            assert isinstance(done, Connection)
            try:
                ok, value = done.recv()
            except (EOFError, OSError):
                raise WorkerFailed("a worker process ended without its result") from None
            self._busy.pop(done)._arrived(ok, value)
            self._idle.append(done)
        self._send_queued()


def _stop(workers: Sequence[tuple[Any, Connection]]) -> None:
    """Ask each worker to end, then terminate (and at last kill) any still running."""
    for _process, connection in workers:
        with contextlib.suppress(OSError):
            connection.send(None)
    for process, connection in workers:
        process.join(2)
        if process.is_alive():
            process.terminate()
            process.join(2)
        if process.is_alive():
            process.kill()
            process.join()
        connection.close()
