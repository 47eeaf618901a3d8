"""A parallel Whoosh writer whose worker processes never outlive, out-wait or out-talk reader.

Whoosh's own ``MpWriter`` forks its workers, so they inherit every open descriptor (the update
lock among them) and keep it when the parent is killed; a worker that fails prints a traceback
and the parent then waits forever on a full job queue or commits without the worker's
documents. :class:`ParallelWriter` fixes each of these:

- its workers behave as every worker process of reader does (spawned, dying with their
  parent, quiet, failures raised in the parent: see :mod:`reader.core.files.processes`);
- :meth:`ParallelWriter.cancel` terminates and reaps the workers, so the caller may then
  delete the generation folder they were writing into.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

from reader.core.files.processes import (
    CONTEXT,
    POLL,
    Failure,
    WorkerFailed,
    die_with_parent,
    signals_held,
)
from reader.core.search.index_pool import FastSegmentWriter
from reader.core.search.stored_codec import ReaderCodec

_CONTEXT = CONTEXT
_POLL = POLL
__all__ = ["ParallelWriter", "WorkerFailed"]


class _Channel:
    """One end of a pipe with the ``get``/``put`` Whoosh's task expects of its queues (pipes
    need no semaphores, so a killed parent leaves nothing for multiprocessing to clean)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def get(self) -> Any:
        return self.connection.recv()

    def put(self, item: Any, timeout: float | None = None) -> None:
        self.connection.send(item)


class _Worker(SubWriterTask):  # type: ignore[misc]
    """One spawned writer process (Whoosh's task with a guard and quiet failures)."""

    def __init__(self, *args: Any, parent_pid: int) -> None:
        super().__init__(*args)
        self.parent_pid = parent_pid

    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        # Whoosh's task subclasses the default (fork) Process; start it the spawn way.
        return _CONTEXT.Process._Popen(process_obj)

    def run(self) -> None:
        die_with_parent(self.parent_pid)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            self._write()
        except BaseException as exc:
            failure = Failure.of(exc)
            with contextlib.suppress(Exception):
                self.resultqueue.put(failure)
            sys.exit(1)  # SystemExit: multiprocessing prints nothing

    def _write(self) -> None:
        """Whoosh's task loop (one segment for all the jobs) with a FastSegmentWriter."""
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = FastSegmentWriter(ix, _lk=False, **self.kwargs)
        while (job := self.jobqueue.get()) is not None:
            self._process_file(*job)
        fieldnames = writer.pool.fieldnames
        segment = writer._finalize_segment()
        self.resultqueue.put((None, fieldnames, segment), timeout=5)


class ParallelWriter(MpWriter):  # type: ignore[misc]
    """Whoosh's multi-process writer (one segment per worker), made safe to kill and to fail.

    Use like ``ix.writer(procs=N, multisegment=True)``: add_document, then commit or cancel.
    At most ``4 * procs`` batches of documents wait on disk for a worker at any time.
    """

    def __init__(self, ix: Any, procs: int = 2, batchsize: int = 100, **kwargs: Any) -> None:
        SegmentWriter.__init__(self, ix, codec=ReaderCodec(), **kwargs)
        self.procs = procs
        self.batchsize = batchsize
        self.subargs = kwargs
        self.multisegment = True
        self.tasks: list[_Worker] = []
        self.connections: list[Any] = []
        self.docbuffer: list[Any] = []
        self._grouping = 0
        self._added_sub = False
        self._jobs = 0
        self._pending: list[str] = []  # job files a worker has not finished (it deletes them)

    def _new_task(self) -> _Worker:
        ours, theirs = _CONTEXT.Pipe(duplex=True)
        channel = _Channel(theirs)
        task = _Worker(
            self.storage,
            self.indexname,
            channel,
            channel,
            self.subargs,
            self.multisegment,
            parent_pid=os.getpid(),
        )
        self.tasks.append(task)
        self.connections.append(ours)
        with signals_held():
            task.start()
        theirs.close()
        return task

    def _check(self) -> None:
        """Raise what a worker reported, or that one died."""
        for task, connection in zip(self.tasks, self.connections, strict=True):
            if task.exitcode not in (None, 0):
                item = None
                with contextlib.suppress(EOFError, OSError):  # the pipe's own errors only
                    if connection.poll(1.0):
                        item = connection.recv()
                if isinstance(item, Failure):
                    raise item.exception()  # a full disk is an OSError: raised, not suppressed
                how = f"signal {-task.exitcode}" if task.exitcode < 0 else task.exitcode
                raise WorkerFailed(f"a writer process died ({how})")

    def _send(self, connection: Any, job: Any) -> None:
        try:
            connection.send(job)
        except OSError:  # the worker is gone: say why
            time.sleep(_POLL)
            self._check()
            raise WorkerFailed("a writer process stopped taking work") from None

    def _wait_for_room(self) -> None:
        storage = self.temp_storage()
        while True:
            self._pending = [name for name in self._pending if storage.file_exists(name)]
            if len(self._pending) < 4 * self.procs:
                return
            self._check()
            time.sleep(_POLL / 4)

    def _enqueue(self) -> None:
        import pickle

        self._wait_for_room()
        filename = f"{self._jobs}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as handle:
            for item in self.docbuffer:
                pickle.dump(item, handle, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._send(self.connections[self._jobs % len(self.tasks)], (filename, len(self.docbuffer)))
        self._pending.append(filename)
        self._jobs += 1
        self.docbuffer = []

    def cancel(self) -> None:
        """Stop the workers (terminate, then kill after 5 s) and drop what was written."""
        try:
            for task in self.tasks:
                if task.is_alive():
                    task.terminate()
            for task in self.tasks:
                task.join(5)
                if task.is_alive():
                    task.kill()
                    task.join()
        finally:
            with contextlib.suppress(Exception):
                SegmentWriter.cancel(self)
            for connection in self.connections:
                connection.close()

    def _result(self, task: _Worker, connection: Any) -> Any:
        while not connection.poll(_POLL):
            self._check()
        try:
            item = connection.recv()
        except EOFError:
            task.join(5)
            self._check()
            raise WorkerFailed("a writer process ended without its segment") from None
        if isinstance(item, Failure):
            raise item.exception()
        return item

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        if self.docbuffer:
            self._enqueue()
        for connection in self.connections:
            self._send(connection, None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        results = [
            self._result(task, connection)
            for task, connection in zip(self.tasks, self.connections, strict=True)
        ]
        for task in self.tasks:
            task.join()
        finalsegments += [segment for _, _, segment in results]
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()
        for connection in self.connections:
            connection.close()
