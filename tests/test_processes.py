"""Worker processes: results in order, the work really done elsewhere, failures raised in the
parent (an OSError keeps its errno), a dead worker reported, nothing left running, and
profiles computed on workers equal to those computed here."""

from __future__ import annotations

import dataclasses
import errno
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest

from reader.core.events import profiling, similarity
from reader.core.events.features import LEAD_CHARS
from reader.core.files.processes import WorkerFailed, Workers, map_in_processes
from reader.core.names.gazetteer import gazetteer_for
from reader.core.sources.article import Article, detect_language
from tests import processes_helpers as helpers
from tests.conftest import ROOT
from tests.faults import tagged

DATA = Path(__file__).parent / "data" / "events" / "articles"


def test_results_come_back_in_order_from_other_processes() -> None:
    assert map_in_processes(helpers.square, list(range(9)), 2) == [n * n for n in range(9)]
    pids = set(map_in_processes(helpers.pid_of, list(range(6)), 2))
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2


def test_a_failure_is_raised_here_and_an_os_error_keeps_its_errno() -> None:
    with pytest.raises(WorkerFailed, match="ValueError: three is not allowed"):
        map_in_processes(helpers.fail_on_three, [1, 2, 3], 2)
    with pytest.raises(OSError) as caught:
        map_in_processes(helpers.fail_on_three, [4], 1)
    assert caught.value.errno == errno.ENOSPC


def test_a_worker_that_dies_is_reported_and_none_is_left_running() -> None:
    import multiprocessing

    with pytest.raises(WorkerFailed):
        map_in_processes(helpers.die_on_two, [1, 2, 5, 6], 2)
    assert multiprocessing.active_children() == []


def test_idle_workers_retire_and_the_busy_one_finishes_its_job() -> None:
    import multiprocessing

    with Workers(3) as workers:
        busy = workers.submit(helpers.sleep_briefly, 0.5)
        assert workers.retire_idle(keep=1) == 1  # two idle: one kept, one stopped
        assert workers.size == 2
        assert len(multiprocessing.active_children()) == 2
        kept = workers.submit(helpers.pid_of, 0).result()  # the kept one still works
        assert kept != os.getpid()
        also = workers.later(helpers.sleep_briefly, lambda _n: 0.2)
        assert workers.retire_idle() == 0  # both busy: none stopped
        assert also.result() == kept
        assert busy.result() not in (os.getpid(), kept)  # ran to the end of its job
        assert workers.retire_idle() == 2  # both idle now
        assert workers.size == 0
        assert multiprocessing.active_children() == []
        with pytest.raises(WorkerFailed):
            workers.submit(helpers.square, 2)


def labelled_articles() -> list[Article]:
    articles = []
    for path in sorted(DATA.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        body = "\n".join(p for p in body.split("\n") if p.strip())
        articles.append(
            Article(path.stem, title, body, detect_language(body), published=date(2020, 5, 18))
        )
    return articles


def test_profiles_computed_on_workers_equal_those_computed_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    articles = labelled_articles()[:12]
    # Long ones too: workers are sent each article's lead only (see profile_all).
    articles += [
        dataclasses.replace(a, id=f"{a.id}-{n}", body=body)
        for n, a in enumerate(articles[:3])
        for body in ((a.body + "\n") * 9, (a.body.replace("\n", " ") + " ") * 9)
    ]
    assert any(len(a.body) > 2 * LEAD_CHARS for a in articles)
    gazetteer = gazetteer_for(None)
    here = [similarity.profile(a, gazetteer) for a in articles]
    monkeypatch.setattr(profiling, "PARALLEL_FROM", 2)
    monkeypatch.setattr(profiling, "CHUNK", 5)
    monkeypatch.setattr(profiling.os, "cpu_count", lambda: 2)

    def not_here(*_args: object) -> similarity.Profile:
        raise AssertionError("profiled in this process, not on a worker")

    # Workers start afresh and import the real profile(); only this process sees the patch.
    monkeypatch.setattr(profiling, "profile", not_here)
    assert profiling.profile_all(articles, gazetteer) == here


def test_profiles_travel_back_from_workers_whole() -> None:
    # Undated articles, dates with no year, names, every language: each field comes back.
    from tests.test_event_pairs import _profiles

    found = _profiles(9, 400)
    assert any(p.when_no_year for p in found) and any(p.published is None for p in found)
    assert any(p.names for p in found) and any(not p.entities for p in found)
    assert [profiling._unpacked(profiling._packed(p)) for p in found] == found


def test_few_articles_are_profiled_here(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = labelled_articles()[:3]
    calls: list[str] = []
    real = similarity.profile

    def counting(article: Article, gazetteer: object) -> similarity.Profile:
        calls.append(article.id)
        return real(article, gazetteer)  # type: ignore[arg-type]

    monkeypatch.setattr(profiling, "profile", counting)
    profiles = profiling.profile_all(articles, gazetteer_for(None))
    assert [p.article_id for p in profiles] == [a.id for a in articles] == calls


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_workers_end_with_their_parent_and_print_nothing(how: signal.Signals) -> None:
    tag = uuid.uuid4().hex
    env = {**os.environ, "READER_FAULT_TAG": tag, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen(
        [sys.executable, "-c", "from tests.processes_helpers import run_and_wait; run_and_wait()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        # The parent, two workers (and multiprocessing's resource tracker).
        while len(tagged(tag)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(tagged(tag)) >= 3, "the workers did not start"
        time.sleep(0.5)  # the workers are in their jobs
        parent.send_signal(how)
        _out, err = parent.communicate(timeout=30)
        deadline = time.monotonic() + 10
        while tagged(tag) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tagged(tag) == []
        if how != signal.SIGINT:  # Ctrl-C: the parent's own KeyboardInterrupt may print
            assert err == b""
        else:
            assert err.count(b"Traceback") <= 1  # the parent's, never a worker's
    finally:
        for pid in tagged(tag):
            os.kill(pid, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()


_NO_DESCRIPTOR_STDERR = """
import sys
from reader.core.files.processes import map_in_processes


class Captured:  # what a Textual app puts in sys.stderr: no file descriptor
    def write(self, text):
        return len(text)

    def flush(self):
        pass

    def fileno(self):
        return -1


sys.stderr = Captured()
print(map_in_processes(abs, [-1, -2, -3], 2))
"""


def test_workers_start_when_stderr_has_no_descriptor_as_inside_the_app() -> None:
    # Inside the app, `c` on a library of 1,000 articles or more whose events were not stored
    # profiled them on workers, and starting the first one failed: multiprocessing starts its
    # resource tracker with sys.stderr's descriptor, and Textual's stderr has none
    # ("cannot find the other coverage: bad value(s) in fds_to_keep"). A new process: in this
    # one the tracker may be running already.
    from tests.conftest import python_in_new_process

    done = python_in_new_process(["-c", _NO_DESCRIPTOR_STDERR], cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[1, 2, 3]"
